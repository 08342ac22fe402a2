import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { auditDiff, readReferenceContext, replacementTableRow, synthesizeApp } from '@portcullis-apps/reference-kit';
import { UpdateSafety } from '@portcullis/audit';
import { Ec2AlbApiStack } from '../src/stack';

/**
 * "What a change replaces" for this app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed
 * stack would replace or remove. The README publishes the table; the last test checks it.
 */
const STACK = 'Ec2AlbApi';
const build = (app: App) => new Ec2AlbApiStack(app, STACK, readReferenceContext(app));
const ZONE = { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
const HTTPD = 'public.ecr.aws/docker/library/httpd:2.4';

interface Case {
  readonly change: string;
  readonly context: Record<string, string>;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
  /** The change breaks clients (the report does not pass, `portcullis-audit diff` exits 1). */
  readonly breaks?: boolean;
  /**
   * A change CloudFormation sees at deploy time, not in the code: the launch template's ImageId
   * as resolved from the public SSM parameter, a literal at the last deploy and another now.
   */
  readonly amiAtDeploy?: boolean;
}

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
/** The per-NAT-gateway alarms of ApiMonitoring (ErrorPortAllocation, PacketsDropCount) of `n` NAT gateways. */
const natAlarms = (n: number) => Array(2 * n).fill('AWS::CloudWatch::Alarm REMOVE');
const CASES: Case[] = [
  // Safe deployments (README "Safe deployments"): canary is the default.
  {
    change: '`deployment` canary → rolling (clients: traffic moves between target groups; see below)',
    context: { deployment: 'rolling' },
    // What only traffic shifting needs goes: the alternate target group, its rollback alarm,
    // the production listener rule ECS shifts weights on, and the role ECS assumes to do it.
    replaces: [
      'AWS::CloudWatch::Alarm REMOVE', 'AWS::ElasticLoadBalancingV2::ListenerRule REMOVE',
      'AWS::ElasticLoadBalancingV2::TargetGroup REMOVE', 'AWS::IAM::Role REMOVE',
    ],
  },
  { change: '`deployment` canary → linear', context: { deployment: 'linear' }, replaces: [] },
  { change: '`deployment` canary → blueGreen', context: { deployment: 'blueGreen' }, replaces: [] },
  { change: '`alarmEmail` added', context: { alarmEmail: 'oncall@example.com' }, replaces: [] },
  // The lean options (README "Idle cost", lean row).
  // Spot instances and Graviton are a new launch-template version (in place); arm64 also makes the task definition arm64.
  { change: '`capacity` onDemand → spot (Spot instances)', context: { capacity: 'spot' }, replaces: [] },
  { change: '`architecture` x86_64 → arm64 (Graviton instances)', context: { architecture: 'arm64' }, replaces: [TASK_DEFINITION] },
  // Only added resources and the ALB's (mutable) IpAddressType; IPv4-only clients lose the ALB (see below).
  { change: '`ipv6` on (the ALB becomes IPv6-only; see below)', context: { ipv6: 'true' }, replaces: [] },
  { change: '`desiredCount` 2 → 3', context: { desiredCount: '3' }, replaces: [] },
  { change: '`image`', context: { image: HTTPD }, replaces: [TASK_DEFINITION] },
  {
    change: '`containerPort` 80 → 8080',
    context: { containerPort: '8080', image: HTTPD },
    // Port is create-only on a target group (both of them: production and alternate); the rule
    // pair between the ALB's group and the tasks' group has the port in its logical id, so the
    // 80 pair is removed (an 8080 pair added).
    replaces: [
      TASK_DEFINITION, ...Array(2).fill('AWS::ElasticLoadBalancingV2::TargetGroup REPLACE'),
      'AWS::EC2::SecurityGroupEgress REMOVE', 'AWS::EC2::SecurityGroupIngress REMOVE',
    ],
  },
  {
    change: '`egress` natGatewayPerAz → singleNatGateway (breaking)',
    context: { egress: 'singleNatGateway' },
    // The second AZ's NAT gateway and its Elastic IP go: a partner's allow-list loses an address.
    // Its two alarms go with it.
    replaces: ['AWS::EC2::EIP REMOVE', 'AWS::EC2::NatGateway REMOVE', ...natAlarms(1)],
    breaks: true,
  },
  {
    change: '`egress` natGatewayPerAz → natInstance (breaking)',
    context: { egress: 'natInstance' },
    replaces: [...Array(2).fill('AWS::EC2::EIP REMOVE'), ...Array(2).fill('AWS::EC2::NatGateway REMOVE'), ...natAlarms(2)],
    breaks: true,
  },
  {
    change: 'HTTPS added (`domainName`, `hostedZoneId`; clients: the production listener rule is replaced, see below)',
    context: ZONE,
    // The rule ECS shifts traffic on moves from the HTTP listener to the HTTPS one (ListenerArn
    // is create-only): a new rule, then the old one goes; HTTP then redirects to HTTPS.
    replaces: ['AWS::ElasticLoadBalancingV2::ListenerRule REPLACE'],
  },
  // ImageId is mutable on a launch template (a new version); the Auto Scaling group takes the
  // new version in place, and the capacity provider and service stay.
  { change: 'a new ECS-optimized AMI in the public SSM parameter (at deploy time)', context: {}, amiAtDeploy: true, replaces: [] },
  { change: '`healthCheckPath` `/` → `/health`', context: { healthCheckPath: '/health' }, replaces: [] },
  {
    change: '`availabilityZones` pinned (breaking; see below)',
    context: { availabilityZones: 'us-east-1a,us-east-1b' },
    // Fn::Select/Fn::GetAZs becomes a literal: every subnet, and what references one create-only.
    replaces: [
      ...Array(4).fill('AWS::EC2::Subnet REPLACE'),
      ...Array(4).fill('AWS::EC2::SubnetRouteTableAssociation REPLACE'),
      ...Array(2).fill('AWS::EC2::NatGateway REPLACE'),
    ],
    breaks: true,
  },
];

const assemblies = new Map<string, string>();
/** The cloud assembly of the app with this context, synthesized once. */
function assembly(context: Record<string, string> = {}): string {
  const key = JSON.stringify(context);
  if (!assemblies.has(key)) assemblies.set(key, synthesizeApp(build, context));
  return assemblies.get(key)!;
}
const baseline = assembly();

/** The template of an assembly, with the launch template's ImageId as CloudFormation resolved it. */
function templateWithAmi(dir: string, ami: string): any {
  const template = JSON.parse(fs.readFileSync(path.join(dir, `${STACK}.template.json`), 'utf8'));
  const launchTemplates = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::EC2::LaunchTemplate');
  expect(launchTemplates).toHaveLength(1);
  for (const lt of launchTemplates) lt.Properties.LaunchTemplateData.ImageId = ami;
  return template;
}

/** What updating the deployed stack (the baseline) to this case would replace or remove. */
function compare(c: Case) {
  if (!c.amiAtDeploy) return UpdateSafety.compareAssemblies(baseline, assembly(c.context));
  return UpdateSafety.compare(templateWithAmi(baseline, 'ami-0fedcba9876543210'), templateWithAmi(assembly(c.context), 'ami-0123456789abcdef0'));
}

const rows = (report: ReturnType<typeof UpdateSafety.compareAssemblies>) => report.findings.map((f) => `${f.resourceType} ${f.change}`).sort();

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  const report = compare(c);
  expect(rows(report)).toEqual([...c.replaces].sort());
  expect(report.passed).toBe(!c.breaks);
});

test('no change of the table replaces the load balancer or the EC2 capacity, and only egress and availabilityZones touch an Elastic IP or NAT gateway', () => {
  const capacity = ['AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::CapacityProvider', 'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::EC2::LaunchTemplate'];
  for (const c of CASES) {
    const found = rows(compare(c));
    expect([c.change, found.filter((r) => capacity.some((k) => r.startsWith(`${k} `)))]).toEqual([c.change, []]);
    expect([c.change, found.filter((r) => r.startsWith('AWS::ElasticLoadBalancingV2::LoadBalancer '))]).toEqual([c.change, []]);
    if (!/egress|availabilityZones/.test(c.change)) {
      expect([c.change, found.filter((r) => /AWS::EC2::(EIP|NatGateway) /.test(r))]).toEqual([c.change, []]);
    }
  }
});

describe('portcullis-audit diff on two synths of this app', () => {
  const diff = (context: Record<string, string>) => auditDiff(baseline, assembly(context));

  test('only desiredCount differs: exit 0, nothing replaced', () => {
    const { status, output } = diff({ desiredCount: '3' });
    expect(status).toBe(0);
    expect(output).not.toMatch(/REPLACE|REMOVE/);
  });

  test('natGatewayPerAz → singleNatGateway: exit 1, naming the removed Elastic IP', () => {
    const template = JSON.parse(fs.readFileSync(path.join(baseline, `${STACK}.template.json`), 'utf8'));
    const eips = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::EC2::EIP').sort();
    expect(eips).toHaveLength(2);
    const { status, output } = diff({ egress: 'singleNatGateway' });
    expect(status).toBe(1);
    expect(output).toContain(eips[1]); // the second AZ's Elastic IP goes
    expect(output).not.toContain(eips[0]); // the first one stays
  });
});

test('the README publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  for (const c of CASES) {
    expect(readme).toContain(replacementTableRow(c.change, c.replaces));
  }
});
