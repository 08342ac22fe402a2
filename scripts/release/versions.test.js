'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { bumpOf, increment, plan, npmRange, pythonRange, changelog } = require('./versions');

test('conventional commits map to bumps', () => {
  assert.strictEqual(bumpOf('feat(network): natInstance egress'), 'minor');
  assert.strictEqual(bumpOf('fix: tasks keep private IPs'), 'patch');
  assert.strictEqual(bumpOf('perf: faster synth'), 'patch');
  assert.strictEqual(bumpOf('feat!: drop Node 18'), 'major');
  assert.strictEqual(bumpOf('refactor: x', 'BREAKING CHANGE: props renamed'), 'major');
  assert.strictEqual(bumpOf('docs: readme'), 'none');
  assert.strictEqual(bumpOf('chore(deps): bump'), 'none');
  assert.strictEqual(bumpOf('Add a thing'), 'none');
});

test('increment', () => {
  assert.strictEqual(increment('1.2.3', 'major'), '2.0.0');
  assert.strictEqual(increment('1.2.3', 'minor'), '1.3.0');
  assert.strictEqual(increment('1.2.3', 'patch'), '1.2.4');
  assert.strictEqual(increment('1.2.3', 'none'), '1.2.3');
  assert.throws(() => increment('0.0.0-dev', 'patch'), /not a release version/);
});

test('plan: only packages with releasable changes bump; dependents get a patch', () => {
  const p = plan([
    { name: 'alb-ingress', siblings: ['network', 'cluster'], lastVersion: '1.0.0', commits: [] },
    { name: 'network', siblings: [], lastVersion: '1.2.0', commits: [{ subject: 'feat: egress ips' }] },
    { name: 'cluster', siblings: ['network'], lastVersion: '1.0.4', commits: [{ subject: 'docs: readme' }] },
    { name: 'audit', siblings: [], lastVersion: '0.3.0', commits: [{ subject: 'chore: lint' }] },
  ]);
  const by = Object.fromEntries(p.map((x) => [x.name, x]));
  assert.deepStrictEqual(p.map((x) => x.name), ['network', 'cluster', 'alb-ingress', 'audit']);
  assert.strictEqual(by.network.nextVersion, '1.3.0');
  assert.strictEqual(by.cluster.nextVersion, '1.0.5');
  assert.match(by.cluster.reason, /dependency update \(network\)/);
  assert.strictEqual(by['alb-ingress'].nextVersion, '1.0.1');
  assert.strictEqual(by.audit.bumped, false);
  assert.strictEqual(by.audit.nextVersion, '0.3.0');
});

test('plan: a package never released gets 0.1.0; cycles and unknown siblings are errors', () => {
  assert.strictEqual(plan([{ name: 'a', siblings: [], lastVersion: null, commits: [] }])[0].nextVersion, '0.1.0');
  assert.throws(() => plan([{ name: 'a', siblings: ['b'], lastVersion: null, commits: [] }, { name: 'b', siblings: ['a'], lastVersion: null, commits: [] }]), /cycle/);
  assert.throws(() => plan([{ name: 'a', siblings: ['zz'], lastVersion: null, commits: [] }]), /unknown package zz/);
});

test('sibling ranges: npm caret and the PyPI range it means', () => {
  assert.strictEqual(npmRange('1.3.0'), '^1.3.0');
  assert.strictEqual(pythonRange('1.3.0'), '>=1.3.0,<2.0.0');
  assert.strictEqual(pythonRange('0.1.0'), '>=0.1.0,<0.2.0');
  assert.strictEqual(pythonRange('0.0.3'), '>=0.0.3,<0.0.4');
  assert.throws(() => npmRange('*'), /not a release version/);
});

test('changelog groups commits', () => {
  const text = changelog('@portcullis/network', '1.3.0', [{ subject: 'feat: a', hash: 'abcdef123' }, { subject: 'fix: b' }, { subject: 'docs: c' }], '2026-11-22');
  assert.match(text, /^## @portcullis\/network 1\.3\.0 \(2026-11-22\)/);
  assert.match(text, /### Features\n\n- feat: a \(abcdef1\)/);
  assert.match(text, /### Fixes\n\n- fix: b/);
  assert.match(text, /### Other\n\n- docs: c/);
});
