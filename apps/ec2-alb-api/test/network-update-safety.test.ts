import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { UpdateChange, UpdateSafety, UpdateSafetyReport } from '@portcullis/audit';
import { Egress, Network, NetworkProps } from '@portcullis/network';

/**
 * "What a change replaces": for each change of props, synthesize the network before and
 * after and ask UpdateSafety (cloudformation-diff + the resource spec, with create-only
 * cascades) what an update of a deployed stack would replace or remove. The README publishes
 * the same table; the last test checks it row by row.
 *
 * A fixed environment, with the region's AZs in context as `cdk.context.json` holds them:
 * `maxAzs: 3` needs a third AZ (an env-agnostic stack only knows two), and explicit
 * `availabilityZones` can then equal what the default picks.
 *
 * (Moved from packages/network/test: the package's tests do not depend on @portcullis/audit,
 * whose change would otherwise affect every package; this app composes the package and the
 * audit, and checks the package's README table.)
 */
const ENV = { account: '123456789012', region: 'us-east-1' };
const REGION_AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];

interface Case {
  readonly change: string;
  /** The deployed props; the baseline `{}` (Egress.natGatewayPerAz(), 2 AZs) unless given. */
  readonly before?: NetworkProps;
  /** What the change sets, on top of `before`. */
  readonly set: NetworkProps;
  /** Rewrites the after-template: a change CloudFormation sees at deploy time, not in the CDK code. */
  readonly deployTime?: (template: any) => void;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
  /** Whether UpdateSafety fails the change (a finding that breaks clients). */
  readonly breaking: boolean;
  /** Synthesize both in an environment-agnostic stack (AZs are `Fn::GetAZs` lookups). */
  readonly envAgnostic?: boolean;
}

function build(props: NetworkProps = {}, envAgnostic = false) {
  const app = new App({ context: { [`availability-zones:account=${ENV.account}:region=${ENV.region}`]: REGION_AZS } });
  const stack = new Stack(app, 'Network', { env: envAgnostic ? undefined : ENV });
  const network = new Network(stack, 'Network', props);
  return { stack, network, json: Template.fromStack(stack).toJSON() };
}

/** The NAT instance's ImageId as CloudFormation resolves it from the public SSM parameter. */
function resolvedAmi(ami: string) {
  return (template: any) => {
    for (const r of Object.values<any>(template.Resources)) {
      if (r.Type === 'AWS::EC2::Instance') r.Properties.ImageId = ami;
    }
  };
}

const PER_AZ: NetworkProps = {};
const SINGLE: NetworkProps = { egress: Egress.singleNatGateway() };
const NONE: NetworkProps = { egress: Egress.none() };
const NAT_INSTANCE: NetworkProps = { egress: Egress.natInstance() };

const EIP_REMOVE = 'AWS::EC2::EIP REMOVE';
const NAT_REMOVE = 'AWS::EC2::NatGateway REMOVE';
const NAT_REPLACE = 'AWS::EC2::NatGateway REPLACE';
const SUBNET_REPLACE = 'AWS::EC2::Subnet REPLACE';
const ASSOCIATION_REPLACE = 'AWS::EC2::SubnetRouteTableAssociation REPLACE';
const times = (n: number, s: string) => Array<string>(n).fill(s);

const CASES: Case[] = [
  {
    change: '`egress` `natGatewayPerAz()` → `singleNatGateway()`',
    set: SINGLE,
    replaces: [EIP_REMOVE, NAT_REMOVE],
    breaking: true,
  },
  // Partners' IPv4 allow-lists must survive: no EIP or NAT gateway may go.
  // Only added resources (VPCCidrBlock, SubnetCidrBlock, routes, the egress-only gateway):
  // no subnet, NAT gateway or Elastic IP is touched, so partners' IPv4 allow-lists hold.
  { change: '`ipv6` on', set: { ipv6: true }, replaces: [], breaking: false },
  { change: '`ipv6` on (`natInstance()`)', before: NAT_INSTANCE, set: { ipv6: true }, replaces: [], breaking: false },
  { change: '`egress` `singleNatGateway()` → `natGatewayPerAz()`', before: SINGLE, set: PER_AZ, replaces: [], breaking: false },
  {
    change: '`egress` `natGatewayPerAz()` → `natInstance()`',
    set: NAT_INSTANCE,
    replaces: [...times(2, EIP_REMOVE), ...times(2, NAT_REMOVE)],
    breaking: true,
  },
  {
    change: '`egress` `natGatewayPerAz()` → `none()`',
    set: NONE,
    replaces: [...times(2, EIP_REMOVE), ...times(2, NAT_REMOVE), ...times(2, 'AWS::EC2::Route REMOVE')],
    breaking: true,
  },
  {
    change: '`egress` `none()` → `singleNatGateway()`',
    before: NONE,
    set: SINGLE,
    replaces: ['AWS::EC2::SecurityGroup REMOVE', ...times(3, 'AWS::EC2::VPCEndpoint REMOVE')],
    breaking: false,
  },
  {
    change: '`egress` `natInstance()` → `singleNatGateway()`',
    before: NAT_INSTANCE,
    set: SINGLE,
    replaces: [
      EIP_REMOVE, 'AWS::EC2::Instance REMOVE', 'AWS::EC2::LaunchTemplate REMOVE', 'AWS::EC2::SecurityGroup REMOVE',
      'AWS::IAM::InstanceProfile REMOVE', 'AWS::IAM::Role REMOVE',
    ],
    breaking: true,
  },
  {
    change: '`egress` `natGatewayPerAz()` → `publicSubnetsOnly()`',
    set: { egress: Egress.publicSubnetsOnly() },
    replaces: [
      ...times(2, EIP_REMOVE), ...times(2, NAT_REMOVE), ...times(2, 'AWS::EC2::Route REMOVE'), ...times(2, 'AWS::EC2::RouteTable REMOVE'),
      ...times(2, 'AWS::EC2::Subnet REMOVE'), ...times(2, 'AWS::EC2::SubnetRouteTableAssociation REMOVE'), 'AWS::EC2::VPCEndpoint REMOVE',
    ],
    breaking: true,
  },
  {
    change: '`publicSubnets: false` (with `Egress.none()`)',
    before: NONE,
    set: { publicSubnets: false },
    replaces: [
      'AWS::EC2::InternetGateway REMOVE', ...times(2, 'AWS::EC2::Route REMOVE'), ...times(2, 'AWS::EC2::RouteTable REMOVE'),
      ...times(2, 'AWS::EC2::Subnet REMOVE'), ...times(2, 'AWS::EC2::SubnetRouteTableAssociation REMOVE'), 'AWS::EC2::VPCGatewayAttachment REMOVE',
    ],
    breaking: true,
  },
  // 2 → 3 AZs splits the /16 into /19s instead of /18s: every subnet's CidrBlock changes.
  {
    change: '`maxAzs` 2 → 3',
    set: { maxAzs: 3 },
    replaces: [...times(2, NAT_REPLACE), ...times(4, SUBNET_REPLACE), ...times(4, ASSOCIATION_REPLACE)],
    breaking: true,
  },
  {
    change: '`cidr` 10.0.0.0/16 → 10.1.0.0/16',
    set: { cidr: '10.1.0.0/16' },
    replaces: [
      'AWS::EC2::FlowLog REPLACE', ...times(2, NAT_REPLACE), ...times(4, 'AWS::EC2::Route REPLACE'), ...times(4, 'AWS::EC2::RouteTable REPLACE'),
      ...times(4, SUBNET_REPLACE), ...times(4, ASSOCIATION_REPLACE), 'AWS::EC2::VPC REPLACE', 'AWS::EC2::VPCEndpoint REPLACE',
      'AWS::EC2::VPCGatewayAttachment REPLACE',
    ],
    breaking: true,
  },
  {
    change: '`availabilityZones` us-east-1a, us-east-1b (what the default picks)',
    set: { availabilityZones: ['us-east-1a', 'us-east-1b'] },
    replaces: [],
    breaking: false,
  },
  {
    change: '`availabilityZones` us-east-1a, us-east-1c (the second AZ differs)',
    set: { availabilityZones: ['us-east-1a', 'us-east-1c'] },
    replaces: [NAT_REPLACE, ...times(2, SUBNET_REPLACE), ...times(2, ASSOCIATION_REPLACE)],
    breaking: true,
  },
  // The template's AZs go from Fn::Select/Fn::GetAZs lookups to literals: a template
  // comparison cannot know whether they resolve to the same names (see the README).
  {
    change: 'env-agnostic stack: `availabilityZones` us-east-1a, us-east-1b pinned',
    envAgnostic: true,
    set: { availabilityZones: ['us-east-1a', 'us-east-1b'] },
    replaces: [...times(2, NAT_REPLACE), ...times(4, SUBNET_REPLACE), ...times(4, ASSOCIATION_REPLACE)],
    breaking: true,
  },
  {
    change: '`flowLogs` off',
    set: { flowLogs: false },
    replaces: ['AWS::EC2::FlowLog REMOVE', 'AWS::IAM::Policy REMOVE', 'AWS::IAM::Role REMOVE', 'AWS::Logs::LogGroup REMOVE'],
    breaking: true,
  },
  { change: '`flowLogTrafficType` REJECT → ALL', set: { flowLogTrafficType: ec2.FlowLogTrafficType.ALL }, replaces: ['AWS::EC2::FlowLog REPLACE'], breaking: false },
  { change: '`flowLogRetention` one month → three months', set: { flowLogRetention: logs.RetentionDays.THREE_MONTHS }, replaces: [], breaking: false },
  {
    change: '`interfaceEndpoints` added (Secrets Manager)',
    set: { interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER] },
    replaces: [],
    breaking: false,
  },
  { change: '`s3GatewayEndpoint` off', set: { s3GatewayEndpoint: false }, replaces: ['AWS::EC2::VPCEndpoint REMOVE'], breaking: false },
  {
    change: 'NAT instance: `instanceType` t4g.nano → t4g.small',
    before: NAT_INSTANCE,
    set: { egress: Egress.natInstance({ instanceType: 't4g.small' }) },
    replaces: ['AWS::EC2::Instance MAY_REPLACE'],
    breaking: false,
  },
  // x86_64 reads another SSM parameter, so ImageId changes too.
  {
    change: 'NAT instance: `instanceType` t4g.nano → t3.nano (arm64 → x86_64)',
    before: NAT_INSTANCE,
    set: { egress: Egress.natInstance({ instanceType: 't3.nano' }) },
    replaces: ['AWS::EC2::Instance REPLACE'],
    breaking: false,
  },
  {
    change: 'NAT instance: a new AMI in the public SSM parameter',
    before: NAT_INSTANCE,
    set: {},
    deployTime: resolvedAmi('ami-0123456789abcdef0'),
    replaces: ['AWS::EC2::Instance REPLACE'],
    breaking: false,
  },
];

interface Outcome {
  readonly before: any;
  readonly after: any;
  readonly report: UpdateSafetyReport;
}

const baselines = new Map<string, any>();
const baselineIds = new Map<NetworkProps, number>();
const outcomes = new Map<Case, Outcome>();

function outcome(c: Case): Outcome {
  let result = outcomes.get(c);
  if (!result) {
    const beforeProps = c.before ?? PER_AZ;
    if (!baselineIds.has(beforeProps)) baselineIds.set(beforeProps, baselineIds.size);
    const key = `${baselineIds.get(beforeProps)}/${c.envAgnostic ?? false}`;
    if (!baselines.has(key)) baselines.set(key, build(beforeProps, c.envAgnostic).json);
    let before = baselines.get(key);
    if (c.deployTime) {
      // the AMI CloudFormation resolved at the first deploy
      before = JSON.parse(JSON.stringify(before));
      resolvedAmi('ami-0fedcba9876543210')(before);
    }
    const after = build({ ...beforeProps, ...c.set }, c.envAgnostic).json;
    c.deployTime?.(after);
    result = { before, after, report: UpdateSafety.compare(before, after) };
    outcomes.set(c, result);
  }
  return result;
}

function replacements(c: Case): string[] {
  return outcome(c).report.findings.map((f) => `${f.resourceType} ${f.change}`).sort();
}

function idsOfType(template: any, type: string): string[] {
  return Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type).sort();
}

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  const cs = c;
  expect(replacements(cs)).toEqual([...cs.replaces].sort());
  expect(outcome(cs).report.passed).toBe(!cs.breaking);
});

test('natGatewayPerAz → singleNatGateway: the second NAT gateway and its EIP go; the first EIP is the same resource, untouched', () => {
  const c = CASES[0];
  const { before, after, report } = outcome(c);
  const [eip1, eip2] = idsOfType(before, 'AWS::EC2::EIP');
  const [nat1, nat2] = idsOfType(before, 'AWS::EC2::NatGateway');
  expect(before.Resources[nat2].Properties.AllocationId).toEqual({ 'Fn::GetAtt': [eip2, 'AllocationId'] });
  expect(report.findings.map((f) => [f.logicalId, f.change, f.breaksClients]).sort())
    .toEqual([[eip2, 'REMOVE', true], [nat2, 'REMOVE', true]]);
  expect(idsOfType(after, 'AWS::EC2::EIP')).toEqual([eip1]);
  expect(idsOfType(after, 'AWS::EC2::NatGateway')).toEqual([nat1]);
  expect(after.Resources[eip1]).toEqual(before.Resources[eip1]);
  expect(after.Resources[nat1]).toEqual(before.Resources[nat1]);
  // and it is still the address egressIps gives partners
  const { stack, network } = build(SINGLE);
  expect(network.egressIps.map((ip) => stack.resolve(ip))).toEqual([{ 'Fn::GetAtt': [eip1, 'PublicIp'] }]);
});

/**
 * The EIPs a removed NAT held: a removed NAT gateway's `AllocationId`, or an EIP whose
 * `InstanceId` is a removed NAT instance.
 */
function eipsOfRemovedNats(before: any, report: UpdateSafetyReport): string[] {
  const removed = new Set(report.findings.filter((f) => f.change === UpdateChange.REMOVE).map((f) => f.logicalId));
  const eips: string[] = [];
  for (const [id, r] of Object.entries<any>(before.Resources)) {
    if (r.Type === 'AWS::EC2::NatGateway' && removed.has(id)) eips.push(r.Properties.AllocationId['Fn::GetAtt'][0]);
    if (r.Type === 'AWS::EC2::EIP' && r.Properties.InstanceId?.Ref && removed.has(r.Properties.InstanceId.Ref)
      && before.Resources[r.Properties.InstanceId.Ref].Type === 'AWS::EC2::Instance') eips.push(id);
  }
  return eips;
}

test('egress IPs survive every change except ones that remove a NAT, and then only that NAT\'s IPs change', () => {
  for (const c of CASES) {
    const { before, after, report } = outcome(c);
    const lost = eipsOfRemovedNats(before, report);
    for (const eip of idsOfType(before, 'AWS::EC2::EIP')) {
      const finding = report.findings.find((f) => f.logicalId === eip);
      const fate = `${c.change}: ${eip} ${finding ? finding.change : 'kept'}`;
      if (lost.includes(eip)) {
        expect(fate).toBe(`${c.change}: ${eip} REMOVE`);
        expect(after.Resources[eip]).toBeUndefined();
      } else {
        expect(fate).toBe(`${c.change}: ${eip} kept`);
        expect(after.Resources[eip]?.Type).toBe('AWS::EC2::EIP');
      }
    }
  }
  // the exceptions: exactly the rows that remove a NAT gateway or the NAT instance
  expect(CASES.filter((c) => eipsOfRemovedNats(outcome(c).before, outcome(c).report).length > 0).map((c) => c.change)).toEqual([
    '`egress` `natGatewayPerAz()` → `singleNatGateway()`',
    '`egress` `natGatewayPerAz()` → `natInstance()`',
    '`egress` `natGatewayPerAz()` → `none()`',
    '`egress` `natInstance()` → `singleNatGateway()`',
    '`egress` `natGatewayPerAz()` → `publicSubnetsOnly()`',
  ]);
  // the NAT instance's EIP is one resource that follows the instance (InstanceId is mutable)
  for (const c of CASES.filter((x) => x.before === NAT_INSTANCE && x.set !== SINGLE)) {
    expect(outcome(c).report.findings.map((f) => f.resourceType)).not.toContain('AWS::EC2::EIP');
  }
});

test('the README of @portcullis/network publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'network', 'README.md'), 'utf8');
  for (const c of CASES) {
    const cell = c.replaces.length === 0 ? 'nothing (updated in place)' : [...c.replaces].sort().map((r) => `\`${r}\``).join(', ');
    expect(readme).toContain(`| ${c.change} | ${cell} | ${c.breaking ? '**yes**' : 'no'} |`);
  }
});
