import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, ApiServiceProps, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network, NetworkProps } from '@portcullis/network';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlbIngress, AlbIngressProps, LoadBalancerSecurityGroup } from '@portcullis/alb-ingress';
import { PRODUCTION_RULE_TYPE } from '@portcullis/alb-ingress/lib/private/production-rule';

/**
 * "What a change replaces": for each change of props, synthesize a network, a cluster, a
 * service and an AlbIngress before and after, and ask UpdateSafety (cloudformation-diff +
 * the resource specification, with create-only cascades) what an update of a deployed stack
 * would replace or remove. The README publishes the same table; the last test checks it.
 *
 * (Moved from packages/alb-ingress/test: the package's tests do not depend on @portcullis/audit,
 * whose change would otherwise affect every package; this app composes the package and the
 * audit, and checks the package's README table.)
 */
interface Case {
  readonly change: string;
  readonly service?: Partial<ApiServiceProps>;
  /** Ingress props; a function because certificates and zones are constructs of the stack. */
  readonly ingress?: (stack: Stack) => Partial<AlbIngressProps>;
  /** Anything added after the ingress (e.g. a second service). */
  readonly extra?: (stack: Stack, parts: { cluster: FargateCluster; ingress: AlbIngress }) => void;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
  /** The change breaks clients (UpdateSafety's `passed` is false). */
  readonly breaks?: boolean;
  /** The deployed stack, when it is not the default one. */
  readonly before?: Partial<Case>;
  /** Network props of the after-stack (the baseline's network is the default). */
  readonly network?: NetworkProps;
}

function synth(c: Partial<Case> = {}): any {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network', c.network);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster, ...c.service });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service, ...c.ingress?.(stack) });
  c.extra?.(stack, { cluster, ingress });
  return Template.fromStack(stack).toJSON();
}

const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
const certificate = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Certificate',
  'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
const httpd = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4');

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
const CASES: Case[] = [
  {
    change: '`containerPort` 80 → 8080',
    service: { containerPort: 8080, image: httpd },
    // Port is create-only on a target group; the rule pair between the two groups has the
    // port in its logical id, so the 80 pair is removed and an 8080 pair added.
    replaces: [TASK_DEFINITION, 'AWS::ElasticLoadBalancingV2::TargetGroup REPLACE', 'AWS::EC2::SecurityGroupEgress REMOVE', 'AWS::EC2::SecurityGroupIngress REMOVE'],
  },
  { change: '`healthCheck.path` `/` → `/health`', ingress: () => ({ healthCheck: { path: '/health' } }), replaces: [] },
  { change: '`healthCheck.healthyHttpCodes` 200 → 200-299', ingress: () => ({ healthCheck: { healthyHttpCodes: '200-299' } }), replaces: [] },
  { change: 'HTTPS added (`certificate`)', ingress: (s) => ({ certificate: certificate(s) }), replaces: [] },
  { change: 'HTTPS added (`domainName` + `hostedZone`)', ingress: (s) => ({ domainName: 'api.example.com', hostedZone: zone(s) }), replaces: [] },
  {
    change: 'a second service (`addService`, path routing)',
    extra: (stack, { cluster, ingress }) => {
      ingress.addService(new ApiService(stack, 'Orders', { cluster, image: httpd }), { priority: 10, pathPatterns: ['/orders', '/orders/*'] });
    },
    // the load balancer's 5xx rollback alarm is for single-service ingresses only
    replaces: ['AWS::CloudWatch::Alarm REMOVE'],
  },
  { change: '`allowedCidrs` anywhere → 203.0.113.0/24', ingress: () => ({ allowedCidrs: ['203.0.113.0/24'] }), replaces: [] },
  { change: '`idleTimeout` 30 s → 120 s', ingress: () => ({ idleTimeout: Duration.seconds(120) }), replaces: [] },
  { change: '`deregistrationDelay` 0 s → 30 s', ingress: () => ({ deregistrationDelay: Duration.seconds(30) }), replaces: [] },
  { change: '`accessLogs` on', ingress: () => ({ accessLogs: true }), replaces: [] },
  {
    change: '`webAclArn` added',
    ingress: () => ({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/11111111-2222-3333-4444-555555555555' }),
    replaces: [],
  },
  { change: '`deletionProtection` on', ingress: () => ({ deletionProtection: true }), replaces: [] },
  // IpAddressType is mutable on AWS::ElasticLoadBalancingV2::LoadBalancer; the network's IPv6 is only added resources.
  {
    change: '`ipAddressType` ipv4 → dualstack-without-public-ipv4 (network `ipv6` on)',
    network: { ipv6: true },
    ingress: () => ({ ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 }),
    replaces: [],
  },
  // Scheme is create-only: the load balancer (and its DNS name) is replaced, so its listener too.
  {
    change: '`internetFacing` true → false (breaking)',
    ingress: () => ({ internetFacing: false }),
    replaces: ['AWS::ElasticLoadBalancingV2::LoadBalancer REPLACE', 'AWS::ElasticLoadBalancingV2::Listener REPLACE'],
    breaks: true,
  },

  // Deployment strategies: the deployment controller stays ECS (create-only), so the service is
  // updated in place; ECS applies the new strategy from the next deployment on.
  { change: '`deployment` rolling → canary', service: { deployment: Deployment.canary() }, replaces: [] },
  { change: '`deployment` rolling → blue/green', service: { deployment: Deployment.blueGreen() }, replaces: [] },
  {
    change: '`deployment` canary → linear',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.linear() },
    replaces: [],
  },
  {
    change: '`deployment` canary → rolling (breaking)',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.rolling() },
    // the alternate target group, the production rule (and its Lambda, role and logs), the
    // second alarm and the ECS role go: the rule may be what carries the live traffic
    replaces: ['AWS::CloudWatch::Alarm REMOVE', 'AWS::ElasticLoadBalancingV2::TargetGroup REMOVE', 'AWS::IAM::Role REMOVE', 'AWS::IAM::Role REMOVE',
      'AWS::Lambda::Function REMOVE', 'AWS::Logs::LogGroup REMOVE', `${PRODUCTION_RULE_TYPE} REMOVE`, 'AWS::ECS::Service UPDATE'],
    breaks: true,
  },
  {
    change: '`deployment` canary → `rolling({ keepTrafficShiftResources: true })`',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.rolling({ keepTrafficShiftResources: true }) },
    replaces: [],
  },
  {
    change: '`deployment` `rolling({ keepTrafficShiftResources: true })` → blue/green',
    before: { service: { deployment: Deployment.rolling({ keepTrafficShiftResources: true }) } },
    service: { deployment: Deployment.blueGreen() },
    replaces: [],
  },
  {
    change: 'HTTPS added (`certificate`, canary service)',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.canary() },
    ingress: (s) => ({ certificate: certificate(s) }),
    // the production rule moves to the 443 listener: its handler keeps the live weights
    replaces: [`${PRODUCTION_RULE_TYPE} UPDATE`],
  },
  {
    change: '`containerPort` 80 → 8080 (canary service, breaking)',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.canary(), containerPort: 8080, image: httpd },
    replaces: [TASK_DEFINITION, 'AWS::ElasticLoadBalancingV2::TargetGroup REPLACE', 'AWS::ElasticLoadBalancingV2::TargetGroup REPLACE',
      'AWS::EC2::SecurityGroupEgress REMOVE', 'AWS::EC2::SecurityGroupIngress REMOVE', `${PRODUCTION_RULE_TYPE} UPDATE`],
    breaks: true,
  },
  {
    change: '`containerPort` 80 → 8080 with `targetGroupPort` 80 (canary service)',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.canary(), containerPort: 8080, image: httpd },
    ingress: () => ({ targetGroupPort: 80 }),
    replaces: [TASK_DEFINITION, 'AWS::EC2::SecurityGroupEgress REMOVE', 'AWS::EC2::SecurityGroupIngress REMOVE'],
  },
  {
    change: '`deployment` canary: `percent` 5 → 10, `bakeTime` 3 → 10 min',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.canary({ percent: 10, bakeTime: Duration.minutes(10) }) },
    replaces: [],
  },
  // the target group's alarm and the load balancer's (a single-service ingress)
  { change: '`rollbackAlarms` off', service: { rollbackAlarms: false }, replaces: ['AWS::CloudWatch::Alarm REMOVE', 'AWS::CloudWatch::Alarm REMOVE'] },
  {
    change: '`testListenerPort` added (canary service)',
    before: { service: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.canary() },
    ingress: () => ({ testListenerPort: 8080 }),
    replaces: [],
  },
];

const baseline = synth();
const UPGRADE_REPLACES = ['AWS::EC2::SecurityGroup REPLACE', 'AWS::EC2::SecurityGroupEgress REPLACE', 'AWS::EC2::SecurityGroupIngress REPLACE'];

const computed = new Map<Case, { report: ReturnType<typeof UpdateSafety.compare>; rows: string[] }>();
function findings(c: Case) {
  if (!computed.has(c)) {
    const report = UpdateSafety.compare(c.before ? synth(c.before) : baseline, synth(c));
    computed.set(c, { report, rows: report.findings.map((f) => `${f.resourceType} ${f.change}`).sort() });
  }
  return computed.get(c)!;
}

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  const { report, rows } = findings(c);
  expect(rows).toEqual([...(c).replaces].sort());
  expect(report.passed).toBe(!(c).breaks);
});

test('no change of the table but `internetFacing` replaces the load balancer, its listeners or its security group', () => {
  const kept = ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener ', 'AWS::EC2::SecurityGroup '];
  for (const c of CASES.filter((x) => !x.breaks)) {
    expect([c.change, findings(c).rows.filter((r) => kept.some((k) => r.startsWith(k)))]).toEqual([c.change, []]);
  }
});

test('upgrade from a version whose group description listed ports and CIDRs: the group is replaced once, nothing breaks', () => {
  const before = JSON.parse(JSON.stringify(baseline));
  const groups = Object.values<any>(before.Resources).filter((r) => r.Properties?.GroupDescription === LoadBalancerSecurityGroup.DESCRIPTION);
  expect(groups).toHaveLength(1);
  groups[0].Properties.GroupDescription = 'Load balancer: TCP 80 from 0.0.0.0/0, ::/0 only';
  const report = UpdateSafety.compare(before, baseline);
  // The rules that reference the group (its egress to the service, the service's ingress from it) follow it.
  expect(report.findings.map((f) => `${f.resourceType} ${f.change}`).sort()).toEqual(UPGRADE_REPLACES);
  expect(report.passed).toBe(true);
});

test('the README of @portcullis/alb-ingress publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'alb-ingress', 'README.md'), 'utf8');
  for (const c of CASES) {
    const cell = c.replaces.length === 0 ? 'nothing (updated in place)' : [...c.replaces].sort().map((r) => `\`${r}\``).join(', ');
    expect(readme).toContain(`| ${c.change} | ${cell} |`);
  }
  expect(readme).toContain(`| upgrade to this version (once) | ${UPGRADE_REPLACES.map((r) => `\`${r}\``).join(', ')} |`);
});
