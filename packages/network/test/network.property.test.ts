import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fc from 'fast-check';
import { Egress, EgressKind, Network, NetworkProps } from '../src';

const strategies = [
  () => Egress.natGatewayPerAz(),
  () => Egress.singleNatGateway(),
  () => Egress.natInstance(),
  () => Egress.none(),
  () => Egress.publicSubnetsOnly(),
];

// a stack with an env in a region without context: aws-cdk-lib knows three (dummy) AZs
const KNOWN_AZS = 3;

function toRange(cidr: string): [number, number] {
  const [ip, prefix] = cidr.split('/');
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return [n, n + 2 ** (32 - Number(prefix)) - 1];
}

function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}

/**
 * Valid props over the whole documented range: /16 to /24 blocks (the small /21–/24 ones
 * with their own weight), 1 to 4 AZs, every strategy, and networks without private subnets
 * (publicSubnetsOnly) or without public ones (none + publicSubnets: false).
 */
const arbitraryProps = fc.record({
  prefix: fc.oneof(fc.integer({ min: 16, max: 20 }), fc.integer({ min: 21, max: 24 })),
  address: fc.integer({ min: 0, max: 0xffffffff }),
  first: fc.constantFrom(10, 172, 192),
  maxAzs: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 4 })),
  strategy: fc.integer({ min: 0, max: strategies.length - 1 }),
  isolated: fc.boolean(),
}).map(({ prefix, address, first, maxAzs, strategy, isolated }) => {
  // first octet fixed, the rest random, host bits cleared so the block is valid
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  const network = (((first << 24) | (address & 0x00ffffff)) & mask) >>> 0;
  const egress = strategies[strategy]();
  // publicSubnets: false is valid with Egress.none() only
  const publicSubnets = egress.kind === EgressKind.NONE && isolated ? false : undefined;
  return { cidr: `${formatIpv4(network)}/${prefix}`, prefix, maxAzs, egress, publicSubnets };
});

test('random valid networks: subnets inside the VPC, no overlap, public tables to the IGW, private ones never, one egress IP per NAT EIP', () => {
  // how often each documented case and each assertion was reached (a property test that
  // never generates what its README cites, or never executes an assertion, proves nothing)
  const reached = { publicOnly: 0, isolated: 0, smallPrefix: 0, singleAz: 0, privateDefaultRouteNotIgw: 0, publicRouteToIgw: 0 };
  fc.assert(
    fc.property(arbitraryProps, ({ cidr, prefix, maxAzs, egress, publicSubnets }) => {
      const stack = new Stack(new App(), 'Prop', { env: { account: '123456789012', region: 'eu-west-1' } });
      const network = new Network(stack, 'Network', { cidr, maxAzs, egress, publicSubnets, flowLogs: false });
      const t = Template.fromStack(stack).toJSON();
      const resources = Object.entries<any>(t.Resources);
      const azs = Math.min(maxAzs, KNOWN_AZS);
      const hasPublic = publicSubnets !== false;
      const hasPrivate = egress.kind !== EgressKind.PUBLIC_SUBNETS_ONLY;
      if (!hasPrivate) reached.publicOnly++;
      if (!hasPublic) reached.isolated++;
      if (prefix >= 21) reached.smallPrefix++;
      if (maxAzs === 1) reached.singleAz++;

      const [vpcStart, vpcEnd] = toRange(cidr);
      const subnets = resources.filter(([, r]) => r.Type === 'AWS::EC2::Subnet');
      const publicSubnetIds = new Set(subnets.filter(([, r]) => r.Properties.MapPublicIpOnLaunch === true).map(([id]) => id));
      const privateSubnetIds = new Set(subnets.filter(([, r]) => r.Properties.MapPublicIpOnLaunch === false).map(([id]) => id));
      expect(publicSubnetIds.size).toBe(hasPublic ? azs : 0);
      expect(privateSubnetIds.size).toBe(hasPrivate ? azs : 0);
      expect(network.availabilityZones).toHaveLength(azs);
      const ranges = subnets.map(([, r]) => toRange(r.Properties.CidrBlock)).sort((a, b) => a[0] - b[0]);
      for (const [start, end] of ranges) {
        expect(start).toBeGreaterThanOrEqual(vpcStart);
        expect(end).toBeLessThanOrEqual(vpcEnd);
      }
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1]);

      const igws = resources.filter(([, r]) => r.Type === 'AWS::EC2::InternetGateway').map(([id]) => id);
      expect(igws).toHaveLength(hasPublic ? 1 : 0);
      const tableOf = (ids: Set<string>) => new Set(resources
        .filter(([, r]) => r.Type === 'AWS::EC2::SubnetRouteTableAssociation' && ids.has(r.Properties.SubnetId.Ref))
        .map(([, r]) => r.Properties.RouteTableId.Ref));
      const defaultRoutes = (tables: Set<string>) => resources
        .filter(([, r]) => r.Type === 'AWS::EC2::Route' && tables.has(r.Properties.RouteTableId.Ref) && r.Properties.DestinationCidrBlock === '0.0.0.0/0')
        .map(([, r]) => r.Properties);

      // every public subnet's table sends 0.0.0.0/0 to the internet gateway
      const publicTables = tableOf(publicSubnetIds);
      expect(defaultRoutes(publicTables)).toHaveLength(publicTables.size);
      for (const route of defaultRoutes(publicTables)) {
        expect(route.GatewayId).toEqual({ Ref: igws[0] });
        reached.publicRouteToIgw++;
      }
      // private subnets never do: through NAT when there is one, else no default route at all
      const privateRoutes = defaultRoutes(tableOf(privateSubnetIds));
      expect(privateRoutes).toHaveLength(egress.usesNat ? azs : 0);
      for (const route of privateRoutes) {
        expect(route.GatewayId).toBeUndefined();
        const target = route.NatGatewayId ?? route.InstanceId;
        expect(t.Resources[target.Ref].Type).toBe(route.NatGatewayId ? 'AWS::EC2::NatGateway' : 'AWS::EC2::Instance');
        reached.privateDefaultRouteNotIgw++;
      }

      const eips = resources.filter(([, r]) => r.Type === 'AWS::EC2::EIP');
      const expectedEips = { NAT_GATEWAY_PER_AZ: azs, SINGLE_NAT_GATEWAY: 1, NAT_INSTANCE: 1, NONE: 0, PUBLIC_SUBNETS_ONLY: 0 }[egress.kind];
      expect(eips).toHaveLength(expectedEips);
      expect(network.egressIps).toHaveLength(expectedEips);
    }),
    { numRuns: 200 },
  );
  for (const [branch, count] of Object.entries(reached)) {
    expect({ branch, reached: count > 0 }).toEqual({ branch, reached: true });
  }
});

test('random invalid cidr prefixes fail with a message naming the prop and the value', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 25, max: 32 })), (prefix) => {
      const cidr = `0.0.0.0/${prefix}`;
      const stack = new Stack(new App(), 'Bad');
      expect(() => new Network(stack, 'Network', { cidr })).toThrow(new RegExp(`\`cidr\`.*'0\\.0\\.0\\.0/${prefix}'`));
    }),
    { numRuns: 50 },
  );
});

/**
 * Invalid props (issue 17), one prop wrong at a time: each must be rejected at synth with a
 * message naming that prop, before CloudFormation sees anything.
 */
type Invalid = { prop: string; props: (stack: Stack) => NetworkProps };
const arbitraryInvalid: fc.Arbitrary<Invalid> = fc.oneof(
  // malformed IPv4 blocks: an octet over 255, a prefix over 32, a missing part, IPv6
  fc.record({ octet: fc.integer({ min: 256, max: 999 }), at: fc.integer({ min: 0, max: 3 }) })
    .map(({ octet, at }) => ({ prop: 'cidr', props: () => ({ cidr: `${[10, 0, 0, 0].map((o, i) => (i === at ? octet : o)).join('.')}/16` }) })),
  fc.integer({ min: 33, max: 999 }).map((prefix) => ({ prop: 'cidr', props: () => ({ cidr: `10.0.0.0/${prefix}` }) })),
  fc.constantFrom('10.0.0/16', '10.0.0.0', '', 'default', '2001:db8::/56', '10.0.0.0/16 ')
    .map((cidr) => ({ prop: 'cidr', props: () => ({ cidr }) })),
  // host bits set
  fc.integer({ min: 1, max: 255 }).map((host) => ({ prop: 'cidr', props: () => ({ cidr: `10.0.0.${host}/16` }) })),
  // maxAzs: not a whole number >= 1, or a token
  fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, 0), fc.integer({ min: -100, max: 0 }), fc.double({ min: 1.01, max: 9.99, noNaN: true }).filter((n) => !Number.isInteger(n)))
    .map((maxAzs) => ({ prop: 'maxAzs', props: () => ({ maxAzs }) })),
  fc.constant({ prop: 'maxAzs', props: (stack: Stack) => ({ maxAzs: new CfnParameter(stack, 'Azs', { type: 'Number' }).valueAsNumber }) }),
  // retention: never-expiring, or not a RetentionDays value
  fc.oneof(fc.constantFrom(logs.RetentionDays.INFINITE, Infinity, NaN), fc.integer({ min: -10, max: 10000 }).filter((n) => !(n in logs.RetentionDays) || n === 9999))
    .map((days) => ({ prop: 'flowLogRetention', props: () => ({ flowLogRetention: days }) })),
  fc.constantFrom('reject', 'NONE', '').map((t) => ({ prop: 'flowLogTrafficType', props: () => ({ flowLogTrafficType: t as ec2.FlowLogTrafficType }) })),
  // AZ names: malformed, repeated, other region
  fc.constantFrom<string[]>(['use1-az1'], ['us-east-1a', 'us-east-1a'], ['us-west-2a'], [], ['us-east-1'])
    .map((availabilityZones) => ({ prop: 'availabilityZones', props: () => ({ availabilityZones }) })),
  // NAT instance types that do not exist (or are not instance types)
  fc.constantFrom('m5.nano', 't4g.metal', 't3.metal', 'c7g.nano', 'a1.small', 'm5.huge', 't4g', 'constructor')
    .map((instanceType) => ({ prop: 'Egress.natInstance({ instanceType })', props: () => ({ egress: Egress.natInstance({ instanceType }) }) })),
  // strategy names that are not strategies, including Object.prototype's keys
  fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'nat', 'NONE')
    .map((name) => ({ prop: `Unknown egress strategy '${name}'`, props: () => ({ egress: Egress.fromName(name) }) })),
  // combinations
  fc.constantFrom(() => Egress.natGatewayPerAz(), () => Egress.singleNatGateway(), () => Egress.natInstance())
    .map((strategy) => ({ prop: 'publicSubnets: false', props: () => ({ egress: strategy(), publicSubnets: false }) })),
  // NAT instance images that cannot do the job: Windows, or another architecture than the type
  fc.constantFrom(
    () => ec2.MachineImage.latestWindows(ec2.WindowsVersion.WINDOWS_SERVER_2022_ENGLISH_FULL_BASE),
    () => ec2.MachineImage.genericWindows({ 'us-east-1': 'ami-12345678' }),
  ).chain((image) => fc.constantFrom('t4g.nano', 't3.nano', 'c7g.large').map((instanceType) => ({
    prop: 'Egress.natInstance({ machineImage })', props: () => ({ egress: Egress.natInstance({ instanceType, machineImage: image() }) }),
  }))),
  fc.constantFrom<[ec2.AmazonLinuxCpuType, string]>(
    [ec2.AmazonLinuxCpuType.ARM_64, 't3.nano'], [ec2.AmazonLinuxCpuType.ARM_64, 'm7i.large'], [ec2.AmazonLinuxCpuType.X86_64, 't4g.nano'], [ec2.AmazonLinuxCpuType.X86_64, 'c7g.medium'],
  ).map(([cpuType, instanceType]) => ({
    prop: 'Egress.natInstance({ machineImage })',
    props: () => ({ egress: Egress.natInstance({ instanceType, machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType }) }) }),
  })),
  // ipv6: with a public-only network, not a boolean, a token
  fc.constant({ prop: 'ipv6: true', props: () => ({ egress: Egress.publicSubnetsOnly(), ipv6: true }) }),
  fc.constantFrom<unknown>('false', 'true', 1, 0, {}).map((ipv6) => ({ prop: 'ipv6', props: () => ({ ipv6: ipv6 as boolean }) })),
  fc.constant({ prop: 'ipv6', props: (stack: Stack) => ({ ipv6: Token.asAny(new CfnParameter(stack, 'V6').value) as unknown as boolean }) }),
  fc.constant({ prop: 's3GatewayEndpoint: false', props: () => ({ egress: Egress.none(), s3GatewayEndpoint: false }) }),
  fc.constant({ prop: 'interfaceEndpoints', props: () => ({ egress: Egress.publicSubnetsOnly(), interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SSM] }) }),
);

test('random invalid props are rejected at synth, naming the prop', () => {
  const rejectedProps = new Set<string>();
  fc.assert(
    fc.property(arbitraryInvalid, ({ prop, props }) => {
      const stack = new Stack(new App(), 'Bad', { env: { account: '123456789012', region: 'us-east-1' } });
      let error: Error | undefined;
      try {
        new Network(stack, 'Network', props(stack));
        Template.fromStack(stack); // synth too: nothing may be deferred to CloudFormation
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toContain(prop.startsWith('Unknown') ? prop : `\`${prop}`);
      rejectedProps.add(prop.startsWith('Unknown') ? 'Egress.fromName' : prop);
    }),
    { numRuns: 300 },
  );
  // every kind of invalid prop was generated and rejected
  expect([...rejectedProps].sort()).toEqual([
    'Egress.fromName', 'Egress.natInstance({ instanceType })', 'Egress.natInstance({ machineImage })', 'availabilityZones', 'cidr', 'flowLogRetention',
    'flowLogTrafficType', 'interfaceEndpoints', 'ipv6', 'ipv6: true', 'maxAzs', 'publicSubnets: false', 's3GatewayEndpoint: false',
  ]);
});
