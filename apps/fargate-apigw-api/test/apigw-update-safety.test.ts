import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiGatewayIngress, ApiGatewayIngressProps } from '@portcullis/apigw-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, ApiServiceProps, FargateCluster } from '@portcullis/cluster';
import { Network, NetworkProps } from '@portcullis/network';

/**
 * "What a change replaces" of @portcullis/apigw-ingress: for each change, synthesize a network,
 * a cluster, a service and its ingress before and after, and ask UpdateSafety
 * (cloudformation-diff + the resource specification, with create-only cascades) what an update
 * of a deployed stack would replace or remove. packages/apigw-ingress/README.md publishes the
 * table; the last test checks it. (Here, not in the package: its tests do not depend on the
 * audit. The rows that add an AlbIngress are in apps/platform (test/second-ingress-update-safety.test.ts).)
 */
interface Shape {
  readonly network?: NetworkProps;
  readonly service?: Partial<ApiServiceProps>;
  /** Ingress props; a function because certificates and zones are constructs of the stack. */
  readonly ingress?: (stack: Stack) => Partial<ApiGatewayIngressProps>;
  /** Whether the ApiGatewayIngress fronts the service (the rows with an AlbIngress too are in apps/platform). */
  readonly apiGateway?: boolean;
  /** A stack with `env` (us-east-1, AZs us-east-1a/b/c in its context) instead of an environment-agnostic one. */
  readonly env?: boolean;
  /** Anything added after the ingresses (e.g. a second service). */
  readonly extra?: (stack: Stack, parts: { cluster: FargateCluster; ingress?: ApiGatewayIngress }) => void;
}

interface Case {
  readonly change: string;
  /** The deployed stack; default: the service behind an ApiGatewayIngress only. */
  readonly before?: Shape;
  readonly after: Shape;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
  /** The change breaks clients (UpdateSafety's `passed` is false). */
  readonly breaks?: boolean;
}

function synth(shape: Shape): any {
  const stack = shape.env
    ? new Stack(new App({ context: { [`availability-zones:account=${ENV.account}:region=${ENV.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } }), 'Api', { env: ENV })
    : new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network', shape.network);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster, ...shape.service });
  const ingress = shape.apiGateway === false ? undefined
    : new ApiGatewayIngress(stack, 'Ingress', { network, service, ...shape.ingress?.(stack) });
  shape.extra?.(stack, { cluster, ingress });
  return Template.fromStack(stack).toJSON();
}

const ENV = { account: '123456789012', region: 'us-east-1' };
const WITH_ENV: Shape = { env: true };
const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const domain = (stack: Stack) => ({ domainName: 'api.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN) });
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
const httpd = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

const CASES: Case[] = [
  {
    change: '`containerPort` 80 → 8080',
    after: { service: { containerPort: 8080, image: httpd } },
    // The SRV records carry the port, so Cloud Map is untouched; the rule pair between the VPC
    // link's group and the service's has the port in its logical id: the 80 pair goes.
    replaces: [TASK_DEFINITION, 'AWS::EC2::SecurityGroupEgress REMOVE', 'AWS::EC2::SecurityGroupIngress REMOVE'],
  },
  { change: 'custom domain added (`domainName` + `certificate`)', after: { ingress: domain }, replaces: [] },
  { change: 'custom domain added with `hostedZone` (alias record)', after: { ingress: (s) => ({ ...domain(s), hostedZone: zone(s) }) }, replaces: [] },
  {
    change: 'a second service (`addService`, path `/orders`)',
    after: { extra: (stack, { cluster, ingress }) => { ingress!.addService(new ApiService(stack, 'Orders', { cluster, image: httpd }), { path: '/orders' }); } },
    replaces: [],
  },
  { change: '`throttlingRateLimit` / `throttlingBurstLimit` set', after: { ingress: () => ({ throttlingRateLimit: 100, throttlingBurstLimit: 200 }) }, replaces: [] },
  { change: '`accessLogRetention` one month → one year', after: { ingress: () => ({ accessLogRetention: logs.RetentionDays.ONE_YEAR }) }, replaces: [] },
  { change: '`rollbackAlarms` off (the service)', after: { service: { rollbackAlarms: false } }, replaces: ['AWS::CloudWatch::Alarm REMOVE'] },
  { change: '`cors` added', after: { ingress: () => ({ cors: { allowOrigins: ['https://app.example.com'], maxAge: Duration.hours(1) } }) }, replaces: [] },
  // Name is create-only: a new namespace, and a new Cloud Map service in it (NamespaceId).
  {
    change: '`namespaceName` internal → api.internal (breaking)',
    after: { ingress: () => ({ namespaceName: 'api.internal' }) },
    replaces: ['AWS::ServiceDiscovery::PrivateDnsNamespace REPLACE', 'AWS::ServiceDiscovery::Service REPLACE'],
    breaks: true,
  },
  // Environment-agnostic stack: the subnets' AvailabilityZone turns from Fn::GetAZs into a
  // literal. UpdateSafety (like cdk diff) compares template text, so every subnet is replaced,
  // with what references them: NAT gateways, route table associations and the VPC link.
  {
    change: 'network `availabilityZones` pinned, environment-agnostic stack (breaking)',
    after: { network: { availabilityZones: ['us-east-1a', 'us-east-1b'] } },
    replaces: [
      'AWS::ApiGatewayV2::VpcLink REPLACE',
      ...Array(4).fill('AWS::EC2::Subnet REPLACE'),
      ...Array(4).fill('AWS::EC2::SubnetRouteTableAssociation REPLACE'),
      ...Array(2).fill('AWS::EC2::NatGateway REPLACE'),
    ],
    breaks: true,
  },
  // A stack with an `env` already writes the AZ names as literals: pinning the same ones changes nothing.
  {
    change: 'network `availabilityZones` pinned to the AZs it has, stack with `env`',
    before: WITH_ENV,
    after: { env: true, network: { availabilityZones: ['us-east-1a', 'us-east-1b'] } },
    replaces: [],
  },
  // Only the second subnet pair moves: its subnets, NAT gateway and associations, and the VPC link.
  {
    change: 'network `availabilityZones` us-east-1a,b → us-east-1a,c, stack with `env` (breaking)',
    before: WITH_ENV,
    after: { env: true, network: { availabilityZones: ['us-east-1a', 'us-east-1c'] } },
    replaces: [
      'AWS::ApiGatewayV2::VpcLink REPLACE',
      ...Array(2).fill('AWS::EC2::Subnet REPLACE'),
      ...Array(2).fill('AWS::EC2::SubnetRouteTableAssociation REPLACE'),
      'AWS::EC2::NatGateway REPLACE',
    ],
    breaks: true,
  },
];

const DEFAULT_BEFORE: Shape = {};
const baselines = new Map<Shape, any>();
function before(c: Case) {
  const shape = c.before ?? DEFAULT_BEFORE;
  if (!baselines.has(shape)) baselines.set(shape, synth(shape));
  return baselines.get(shape);
}

const computed = new Map<Case, { report: ReturnType<typeof UpdateSafety.compare>; rows: string[] }>();
function findings(c: Case) {
  if (!computed.has(c)) {
    const report = UpdateSafety.compare(before(c), synth(c.after));
    computed.set(c, { report, rows: report.findings.map((f) => `${f.resourceType} ${f.change}`).sort() });
  }
  return computed.get(c)!;
}

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  const { report, rows } = findings(c);
  expect(rows).toEqual([...(c).replaces].sort());
  expect(report.passed).toBe(!(c).breaks);
});

test('no change of the table replaces the HTTP API, its stage, integrations, routes or custom domain', () => {
  const kept = ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route',
    'AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping'];
  for (const c of CASES) {
    expect([c.change, findings(c).rows.filter((r) => kept.some((k) => r.startsWith(`${k} `)))]).toEqual([c.change, []]);
  }
});

test('the README of @portcullis/apigw-ingress publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'apigw-ingress', 'README.md'), 'utf8');
  for (const c of CASES) {
    const cell = c.replaces.length === 0 ? 'nothing (updated in place)' : cellOf(c.replaces);
    expect(readme).toContain(`| ${c.change} | ${cell} |`);
  }
});

/** `A REPLACE` ×2 for repeated rows, sorted. */
function cellOf(replaces: string[]): string {
  const counts = new Map<string, number>();
  for (const r of [...replaces].sort()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `\`${r}\`${n > 1 ? ` ×${n}` : ''}`).join(', ');
}
