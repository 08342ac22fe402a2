import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext, replacementTableRow, synthesizeApp } from '@portcullis-apps/reference-kit';
import { UpdateSafety } from '@portcullis/audit';
import { CatalogServiceStack } from '../src/stack';

/**
 * "What a change replaces" for the service app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed service
 * stack would replace or remove (the platform is another app: none of these touch it). The
 * README publishes the table; the last test checks it.
 */
interface Case { readonly change: string; readonly context: Record<string, string>; readonly replaces: string[]; readonly breaks?: boolean }
const build = (app: App) => new CatalogServiceStack(app, 'CatalogService', {
  platformName: app.node.tryGetContext('platformName'), path: app.node.tryGetContext('path'), ...readReferenceContext(app),
});
const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
const CASES: Case[] = [
  { change: '`desiredCount` 2 → 3', context: { desiredCount: '3' }, replaces: [] },
  { change: '`image`', context: { image: 'public.ecr.aws/docker/library/httpd:2.4' }, replaces: [TASK_DEFINITION] },
  { change: '`path` `/catalog` → `/search`', context: { path: '/search' }, replaces: [] },
];

const baseline = synthesizeApp(build);
const assemblies = new Map(CASES.map((c) => [c.change, synthesizeApp(build, c.context)]));
afterAll(() => [baseline, ...assemblies.values()].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

test.each(CASES.map((c) => [c.change, c] as const))('%s', (_, c) => {
  const r = UpdateSafety.compareAssemblies(baseline, assemblies.get(c.change)!);
  expect(r.findings.map((f) => `${f.resourceType} ${f.change}`).sort()).toEqual([...c.replaces].sort());
  expect(r.passed).toBe(!c.breaks);
});

test('the README publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  for (const c of CASES) expect(readme).toContain(replacementTableRow(c.change, c.replaces));
});
