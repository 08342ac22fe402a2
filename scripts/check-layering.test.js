// node --test scripts/check-layering.test.js (npm test runs it): the layering check fails on each
// kind of violation, on made-up graphs, and passes on a graph that keeps the layers.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test } = require('node:test');
const { check, importsOf, packageOf } = require('./check-layering');

// DESIGN.md's layers, as in .projenrc.ts.
const LAYERS = [
  { name: 'audit', members: ['@portcullis/audit'] },
  { name: 'network', members: ['@portcullis/network'] },
  { name: 'cluster', members: ['@portcullis/cluster'] },
  { name: 'ingresses', members: ['@portcullis/alb-ingress', '@portcullis/apigw-ingress', '@portcullis/monitoring', '@portcullis-apps/reference-kit'] },
  { name: 'edge', members: ['@portcullis/cloudfront-ingress'] },
  { name: 'apps', members: ['@portcullis-apps/fargate-alb-api'] },
];

/** A workspace: name, manifest fields, imports ([where, specifier]). */
function ws(name, fields = {}, imports = []) {
  return {
    name,
    dir: `x/${name.split('/')[1]}`,
    manifest: { name, ...fields },
    imports: imports.map(([where, specifier], i) => ({ where, specifier, file: `x/${name.split('/')[1]}/${where}/file.ts`, line: i + 1 })),
  };
}
const peer = (...names) => Object.fromEntries(names.map((n) => [n, '^0.0.0']));
const dev = (...names) => Object.fromEntries(names.map((n) => [n, '0.0.0']));

/** The graph DESIGN.md wants: monitoring on cluster/network, each ingress on cluster/network only. */
function goodGraph() {
  return [
    ws('@portcullis/audit'),
    ws('@portcullis/network', { devDependencies: dev('@portcullis/audit') }, [['test', '@portcullis/audit']]),
    ws('@portcullis/cluster', { peerDependencies: peer('@portcullis/network'), devDependencies: dev('@portcullis/network', '@portcullis/audit') },
      [['src', '@portcullis/network'], ['src', '@portcullis/network/lib/private/validate']]),
    ws('@portcullis/alb-ingress', { peerDependencies: peer('@portcullis/network', '@portcullis/cluster') }, [['src', '@portcullis/cluster']]),
    ws('@portcullis/apigw-ingress', { peerDependencies: peer('@portcullis/network', '@portcullis/cluster') }, [['src', '@portcullis/cluster']]),
    ws('@portcullis/monitoring', { peerDependencies: peer('@portcullis/network', '@portcullis/cluster') }, [['src', '@portcullis/cluster']]),
    ws('@portcullis/cloudfront-ingress', { peerDependencies: peer('@portcullis/network', '@portcullis/cluster', '@portcullis/alb-ingress') }, [['src', '@portcullis/alb-ingress']]),
    ws('@portcullis-apps/reference-kit', { private: true, dependencies: dev('@portcullis/network', '@portcullis/cluster') }),
    ws('@portcullis-apps/fargate-alb-api', { private: true, dependencies: dev('@portcullis/alb-ingress', '@portcullis/monitoring', '@portcullis-apps/reference-kit') },
      [['src', '@portcullis/alb-ingress'], ['src', '@portcullis-apps/reference-kit']]),
  ];
}
/** goodGraph with one workspace's manifest fields and imports replaced. */
function withWorkspace(name, fields, imports = []) {
  return goodGraph().map((w) => (w.name === name ? ws(name, fields, imports) : w));
}

test('a graph that keeps the layers passes', () => {
  assert.deepStrictEqual(check(LAYERS, goodGraph()), []);
});

test('an upward dependency fails: network on cluster', () => {
  const problems = check(LAYERS, withWorkspace('@portcullis/network', { peerDependencies: peer('@portcullis/cluster') }));
  assert.strictEqual(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^@portcullis\/network -> @portcullis\/cluster \(peerDependencies\): upward: layer "cluster" is above "network"/);
});

test('a sibling ingress fails, also as a devDependency for a test: apigw-ingress on alb-ingress', () => {
  const problems = check(LAYERS, withWorkspace('@portcullis/apigw-ingress',
    { peerDependencies: peer('@portcullis/network', '@portcullis/cluster'), devDependencies: dev('@portcullis/alb-ingress') },
    [['src', '@portcullis/cluster'], ['test', '@portcullis/alb-ingress']]));
  assert.strictEqual(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^@portcullis\/apigw-ingress -> @portcullis\/alb-ingress \(devDependencies, import in x\/apigw-ingress\/test\/file\.ts:2\): a sibling in layer "ingresses"/);
});

test('monitoring on an ingress fails: it takes the ingress contract from below', () => {
  const problems = check(LAYERS, withWorkspace('@portcullis/monitoring',
    { peerDependencies: peer('@portcullis/network', '@portcullis/cluster', '@portcullis/alb-ingress', '@portcullis/apigw-ingress') },
    [['src', '@portcullis/alb-ingress'], ['src', '@portcullis/apigw-ingress']]));
  assert.deepStrictEqual(problems.map((p) => p.split(':')[0]), [
    '@portcullis/monitoring -> @portcullis/alb-ingress (peerDependencies, import in x/monitoring/src/file.ts',
    '@portcullis/monitoring -> @portcullis/apigw-ingress (peerDependencies, import in x/monitoring/src/file.ts',
  ]);
  assert.ok(problems.every((p) => /a sibling in layer "ingresses"/.test(p)));
});

test('a published package depending on a private workspace fails, even where the layers allow it', () => {
  // cloudfront-ingress (layer "edge") is above the kit (layer "ingresses"): only the private rule fires.
  const problems = check(LAYERS, withWorkspace('@portcullis/cloudfront-ingress',
    { peerDependencies: peer('@portcullis/network', '@portcullis/cluster', '@portcullis/alb-ingress'), dependencies: dev('@portcullis-apps/reference-kit') }));
  assert.deepStrictEqual(problems, [
    '@portcullis/cloudfront-ingress -> @portcullis-apps/reference-kit (dependencies): the published package @portcullis/cloudfront-ingress depends on the private workspace @portcullis-apps/reference-kit, which users cannot install',
  ]);
  // As a devDependency it is not published: allowed.
  assert.deepStrictEqual(check(LAYERS, withWorkspace('@portcullis/cloudfront-ingress',
    { peerDependencies: peer('@portcullis/network', '@portcullis/cluster', '@portcullis/alb-ingress'), devDependencies: dev('@portcullis-apps/reference-kit') })), []);
});

test('an import in src/ of a package declared only for the tests fails, and one not declared at all', () => {
  const devOnly = check(LAYERS, withWorkspace('@portcullis/alb-ingress',
    { peerDependencies: peer('@portcullis/network', '@portcullis/cluster'), devDependencies: dev('@portcullis/audit') }, [['src', '@portcullis/audit']]));
  assert.deepStrictEqual(devOnly, ['@portcullis/alb-ingress imports @portcullis/audit in x/alb-ingress/src/file.ts:1 but does not declare it as a dependency or peer dependency (only devDependencies): users would not get it']);
  const undeclaredTest = check(LAYERS, withWorkspace('@portcullis/alb-ingress',
    { peerDependencies: peer('@portcullis/network', '@portcullis/cluster') }, [['test', '@portcullis/audit']]));
  assert.strictEqual(undeclaredTest.length, 1, undeclaredTest.join('\n'));
  assert.match(undeclaredTest[0], /^@portcullis\/alb-ingress imports @portcullis\/audit in x\/alb-ingress\/test\/file\.ts:1 but does not declare it/);
});

test('an undeclared upward import fails twice: the layer and the declaration', () => {
  const problems = check(LAYERS, withWorkspace('@portcullis/cluster',
    { peerDependencies: peer('@portcullis/network') }, [['src', '@portcullis/monitoring/lib/private/x']]));
  assert.strictEqual(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^@portcullis\/cluster -> @portcullis\/monitoring \(import in x\/cluster\/src\/file\.ts:1\): upward/);
  assert.match(problems[1], /does not declare it as a dependency or peer dependency: users would not get it/);
});

test('every workspace is in exactly one layer, and every layer member exists', () => {
  const graph = [...goodGraph(), ws('@portcullis/new-thing')];
  assert.deepStrictEqual(check(LAYERS, graph), ['@portcullis/new-thing (x/new-thing) is in no layer: place it in LAYERS in .projenrc.ts (a package may depend only on lower layers)']);
  const twice = [...LAYERS, { name: 'again', members: ['@portcullis/audit'] }];
  assert.deepStrictEqual(check(twice, goodGraph()), ['@portcullis/audit is in two layers ("audit" and "again"): place it in one (LAYERS in .projenrc.ts)']);
  const stale = [...LAYERS, { name: 'gone', members: ['@portcullis/removed'] }];
  assert.deepStrictEqual(check(stale, goodGraph()), ['layer "gone" names @portcullis/removed, which is no workspace: remove it from LAYERS in .projenrc.ts']);
});

test('imports are read with TypeScript\'s pre-processor: static, type-only, re-exports, dynamic, require; not .d.ts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layering-'));
  try {
    fs.mkdirSync(path.join(dir, 'private'));
    fs.writeFileSync(path.join(dir, 'a.ts'), [
      "import { Network } from '@portcullis/network';",
      "import type {",
      "  IApiCluster,",
      "} from '@portcullis/cluster';",
      "export * from './b';",
      "const x = require('@portcullis/audit');",
      "void import('@portcullis/alb-ingress/lib/private/y');",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'private', 'c.ts'), "export { AlbIngress } from '@portcullis/alb-ingress';\n");
    fs.writeFileSync(path.join(dir, 'types.d.ts'), "import '@portcullis/monitoring';\n");
    const found = importsOf(dir).map((i) => `${i.file}:${i.line} ${i.specifier}`).sort();
    assert.deepStrictEqual(found, [
      'a.ts:1 @portcullis/network',
      'a.ts:4 @portcullis/cluster', // the line of the module name
      'a.ts:5 ./b',
      'a.ts:6 @portcullis/audit',
      'a.ts:7 @portcullis/alb-ingress/lib/private/y',
      'private/c.ts:1 @portcullis/alb-ingress',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.strictEqual(packageOf('@portcullis/network/lib/private/validate'), '@portcullis/network');
  assert.strictEqual(packageOf('aws-cdk-lib/aws-ec2'), 'aws-cdk-lib');
  assert.strictEqual(packageOf('./b'), undefined);
});
