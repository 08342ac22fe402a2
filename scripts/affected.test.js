// node --test scripts/affected.test.js (npm test runs it): what scripts/affected.js decides before
// it runs anything: the packages an affected package needs installed, the steps a change to a
// step's own inputs widens, and the command line it refuses.
'use strict';
const assert = require('assert');
const { spawnSync } = require('child_process');
const path = require('path');
const { test } = require('node:test');
const { affectedProjects, closure, forStep, workspaces } = require('./affected');

const root = path.resolve(__dirname, '..');
const project = (name) => ({ name, ...workspaces().get(name) });
const isPackage = (p) => p.dir.startsWith('packages/');

test('an affected package is installed with every package it depends on, transitively', () => {
  assert.deepStrictEqual(closure([project('@portcullis/cloudfront-ingress')]).map((p) => p.name),
    ['@portcullis/alb-ingress', '@portcullis/cloudfront-ingress', '@portcullis/cluster', '@portcullis/network']);
  assert.deepStrictEqual(closure([project('@portcullis/network')]).map((p) => p.name), ['@portcullis/network']);
});

/** forStep with NX_BASE / NX_HEAD set to one commit's parent and the commit. */
function forStepAt(commit, step, affected, select) {
  const saved = { base: process.env.NX_BASE, head: process.env.NX_HEAD };
  process.env.NX_BASE = `${commit}~1`;
  process.env.NX_HEAD = commit;
  try {
    return forStep(step, affected, select).map((p) => p.name);
  } finally {
    for (const [k, v] of [['NX_BASE', saved.base], ['NX_HEAD', saved.head]]) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('a change to the consumer stacks runs the artifacts step for every package, and leaves the other steps alone', () => {
  // c2b44e0 changed only scripts/release/consumer.js and consumer.py: no project is affected.
  const packages = forStepAt('c2b44e0', 'artifacts', [], isPackage);
  assert.deepStrictEqual(packages, [...workspaces().keys()].filter((n) => n.startsWith('@portcullis/')).sort());
  assert.deepStrictEqual(forStepAt('c2b44e0', 'validate', [], () => true), []);
  assert.deepStrictEqual(forStepAt('c2b44e0', 'diff', [], () => true), []);
});

test('without a change to its inputs, a step keeps the affected projects it selects', () => {
  const affected = [project('@portcullis/alb-ingress'), project('@portcullis-apps/fargate-alb-api')];
  assert.deepStrictEqual(forStepAt('c2b44e0', 'validate', affected, (p) => p.dir.startsWith('apps/')), ['@portcullis-apps/fargate-alb-api']);
});

test('nx projects that are no npm workspace (the scripts) are known: a change affecting them is no error, and no package or app', () => {
  // dc49721 made scripts/ an nx project (@portcullis-tools/scripts); its change to .projenrc.ts affects that project.
  const saved = { base: process.env.NX_BASE, head: process.env.NX_HEAD };
  Object.assign(process.env, { NX_BASE: 'dc49721~1', NX_HEAD: 'dc49721' });
  try {
    const scripts = affectedProjects().find((p) => p.name === '@portcullis-tools/scripts');
    assert.deepStrictEqual(scripts && { dir: scripts.dir, private: scripts.manifest.private }, { dir: 'scripts', private: true });
    assert.strictEqual(isPackage(scripts), false);
  } finally {
    for (const [k, v] of [['NX_BASE', saved.base], ['NX_HEAD', saved.head]]) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('the command line: an unknown step, options on a single step and a base that is no commit are refused', () => {
  const run = (...args) => spawnSync('node', ['scripts/affected.js', ...args], { cwd: root, encoding: 'utf8' });
  const unknown = run('deploy');
  assert.strictEqual(unknown.status, 2);
  assert.match(unknown.stderr, /unknown step 'deploy': one of lint, validate, artifacts, diff/);
  const options = run('lint', '--base', 'HEAD');
  assert.strictEqual(options.status, 2);
  assert.match(options.stderr, /a single step takes no options/);
  const badBase = run('--base', 'no-such-ref');
  assert.strictEqual(badBase.status, 2);
  assert.match(badBase.stderr, /--base needs a commit, got 'no-such-ref'/);
  const badOption = run('--all');
  assert.strictEqual(badOption.status, 2);
  assert.match(badOption.stderr, /unknown option '--all'/);
});
