import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext, replacementTableRow, synthesizeApp } from '@portcullis-apps/reference-kit';
import { UpdateSafety } from '@portcullis/audit';
import { PlatformStack } from '../src/stack';

/**
 * "What a change replaces" for the platform: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed
 * platform would replace or remove. The README publishes the table; the last test checks it.
 * Every service stack reads the platform at its next deploy; a row that changes a published
 * shape or name says what the service apps must change with it.
 */
interface Case { readonly change: string; readonly context: Record<string, string>; readonly replaces: string[]; readonly breaks?: boolean }
const build = (app: App) => new PlatformStack(app, 'Platform', { platformName: app.node.tryGetContext('platformName'), ...readReferenceContext(app) });
const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
export const CASES: Case[] = [
  { change: '`desiredCount` (the fallback service) 1 → 2', context: { desiredCount: '2' }, replaces: [] },
  { change: '`image` (the fallback service)', context: { image: 'public.ecr.aws/docker/library/httpd:2.4' }, replaces: [TASK_DEFINITION] },
  { change: '`alarmEmail` added', context: { alarmEmail: 'oncall@example.com' }, replaces: [] },
  { change: '`dashboard` off', context: { dashboard: 'false' }, replaces: ['AWS::CloudWatch::Dashboard REMOVE'] },
  {
    change: '`egress` natGatewayPerAz → singleNatGateway (breaking: an egress IP goes)',
    context: { egress: 'singleNatGateway' },
    replaces: ['AWS::EC2::EIP REMOVE', 'AWS::EC2::NatGateway REMOVE', 'AWS::CloudWatch::Alarm REMOVE', 'AWS::CloudWatch::Alarm REMOVE'],
    breaks: true,
  },
  {
    change: '`platformName` renamed (every parameter is a new one: redeploy the services with the new name)',
    context: { platformName: 'shop' },
    replaces: Array(26).fill('AWS::SSM::Parameter REPLACE'),
  },
];

const baseline = synthesizeApp(build);
const assemblies = new Map(CASES.map((c) => [c.change, synthesizeApp(build, c.context)]));
afterAll(() => [baseline, ...assemblies.values()].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const report = (c: Case) => UpdateSafety.compareAssemblies(baseline, assemblies.get(c.change)!);

test.each(CASES.map((c) => [c.change, c] as const))('%s', (_, c) => {
  const r = report(c);
  expect(r.findings.map((f) => `${f.resourceType} ${f.change}`).sort()).toEqual([...c.replaces].sort());
  expect(r.passed).toBe(!c.breaks);
});

test('no change of the table replaces the load balancer, the HTTP API, the VPC link or the cluster', () => {
  for (const c of CASES) {
    const hit = report(c).findings.filter((f) => /LoadBalancer$|::Api$|::VpcLink$|ECS::Cluster$/.test(f.resourceType));
    expect([c.change, hit]).toEqual([c.change, []]);
  }
});

test('the README publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  for (const c of CASES) expect(readme).toContain(replacementTableRow(c.change, c.replaces));
});
