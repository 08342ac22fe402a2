import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * cloudfront-ingress sits on alb-ingress (DESIGN.md layering): nx must build alb-ingress,
 * cluster and network before it, and npm users must install them next to it.
 */
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const SIBLINGS = ['@portcullis/alb-ingress', '@portcullis/cluster', '@portcullis/network'];

test('peer dependencies: alb-ingress, cluster, network (and no ingress above or beside it)', () => {
  const siblings = Object.keys(pkg.peerDependencies).filter((d) => d.startsWith('@portcullis/')).sort();
  expect(siblings).toEqual(SIBLINGS);
  for (const s of SIBLINGS) expect(pkg.devDependencies[s]).toBe('0.0.0'); // the workspace copy
});

test('no source imports a package it does not declare, nor one above it', () => {
  const src = path.join(__dirname, '..', 'src');
  const files = fs.readdirSync(src, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  const imported = new Set<string>();
  for (const f of files) {
    for (const m of fs.readFileSync(path.join(src, f), 'utf8').matchAll(/from '(@portcullis\/[a-z-]+)/g)) imported.add(m[1]);
  }
  expect([...imported].sort()).toEqual(SIBLINGS);
});

test('the nx project graph: cloudfront-ingress depends on alb-ingress, cluster and network', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const out = execFileSync('npx', ['nx', 'graph', '--file=stdout'], { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, maxBuffer: 64 * 1024 * 1024 });
  const graph = JSON.parse(out.slice(out.indexOf('{')));
  const deps = (graph.graph.dependencies['@portcullis/cloudfront-ingress'] as Array<{ target: string }>).map((d) => d.target).sort();
  expect(deps).toEqual(expect.arrayContaining(SIBLINGS));
  expect(deps.filter((d) => /apigw-ingress|monitoring/.test(d))).toEqual([]);
}, 120_000);
