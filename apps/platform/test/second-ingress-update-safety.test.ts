import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';

/**
 * The rows of @portcullis/apigw-ingress's "What a change replaces" table that add the other
 * ingress: for each, synthesize a network, a cluster, a service and its ingress(es) before and
 * after, and ask UpdateSafety (cloudformation-diff + the resource specification, with
 * create-only cascades) what an update of a deployed stack would replace or remove. They need
 * both ingress packages, hence here; the other rows are in
 * apps/fargate-apigw-api/test/apigw-update-safety.test.ts. packages/apigw-ingress/README.md
 * publishes the table; the last test checks these rows of it.
 */
interface Shape {
  /** Which ingresses front the service. */
  readonly apiGateway?: boolean;
  readonly alb?: boolean;
}

interface Case {
  readonly change: string;
  /** The deployed stack; default: the service behind an ApiGatewayIngress only. */
  readonly before?: Shape;
  readonly after: Shape;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
}

function synth(shape: Shape): any {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  if (shape.apiGateway !== false) new ApiGatewayIngress(stack, 'Ingress', { network, service });
  if (shape.alb) new AlbIngress(stack, 'Alb', { network, service });
  return Template.fromStack(stack).toJSON();
}

const CASES: Case[] = [
  { change: 'a second ingress: an `AlbIngress` added to the service', after: { alb: true }, replaces: [] },
  { change: 'a second ingress: an `ApiGatewayIngress` added to a service behind an `AlbIngress`', before: { apiGateway: false, alb: true }, after: { alb: true }, replaces: [] },
];

const computed = new Map<Case, { report: ReturnType<typeof UpdateSafety.compare>; rows: string[] }>();
function findings(c: Case) {
  if (!computed.has(c)) {
    const report = UpdateSafety.compare(synth(c.before ?? {}), synth(c.after));
    computed.set(c, { report, rows: report.findings.map((f) => `${f.resourceType} ${f.change}`).sort() });
  }
  return computed.get(c)!;
}

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  const { report, rows } = findings(c);
  expect(rows).toEqual([...c.replaces].sort());
  expect(report.passed).toBe(true);
});

test('neither row replaces the HTTP API, its stage, integrations, routes or custom domain', () => {
  const kept = ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route',
    'AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping'];
  for (const c of CASES) {
    expect([c.change, findings(c).rows.filter((r) => kept.some((k) => r.startsWith(`${k} `)))]).toEqual([c.change, []]);
  }
});

test('the README of @portcullis/apigw-ingress publishes these rows', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'apigw-ingress', 'README.md'), 'utf8');
  for (const c of CASES) expect(readme).toContain(`| ${c.change} | nothing (updated in place) |`);
});
