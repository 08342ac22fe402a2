import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { Egress, Network } from '../src';

const strategies = [
  () => Egress.natGatewayPerAz(),
  () => Egress.singleNatGateway(),
  () => Egress.natInstance(),
  () => Egress.none(),
  () => Egress.publicSubnetsOnly(),
];

function toRange(cidr: string): [number, number] {
  const [ip, prefix] = cidr.split('/');
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return [n, n + 2 ** (32 - Number(prefix)) - 1];
}

const arbitraryProps = fc.record({
  prefix: fc.integer({ min: 16, max: 20 }),
  second: fc.integer({ min: 0, max: 255 }),
  first: fc.constantFrom(10, 172, 192),
  maxAzs: fc.integer({ min: 2, max: 4 }),
  strategy: fc.integer({ min: 0, max: strategies.length - 1 }),
}).map(({ prefix, second, first, maxAzs, strategy }) => {
  // align the second octet to the prefix so the block has no host bits set
  const aligned = second & (0xff << (24 - prefix)) & 0xff;
  return { cidr: `${first}.${aligned}.0.0/${prefix}`, maxAzs, strategy };
});

test('random valid networks: subnets inside the VPC, no overlap, no private default route to the IGW, one egress IP per NAT EIP', () => {
  fc.assert(
    fc.property(arbitraryProps, ({ cidr, maxAzs, strategy }) => {
      const stack = new Stack(new App(), 'Prop', { env: { account: '123456789012', region: 'eu-west-1' } });
      const network = new Network(stack, 'Network', { cidr, maxAzs, egress: strategies[strategy](), flowLogs: false });
      const t = Template.fromStack(stack).toJSON();
      const resources = Object.entries<any>(t.Resources);

      const [vpcStart, vpcEnd] = toRange(cidr);
      const subnets = resources.filter(([, r]) => r.Type === 'AWS::EC2::Subnet');
      expect(subnets.length).toBeGreaterThan(0);
      const ranges = subnets.map(([, r]) => toRange(r.Properties.CidrBlock)).sort((a, b) => a[0] - b[0]);
      for (const [start, end] of ranges) {
        expect(start).toBeGreaterThanOrEqual(vpcStart);
        expect(end).toBeLessThanOrEqual(vpcEnd);
      }
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1]);

      // route tables of private subnets never send 0.0.0.0/0 to an internet gateway
      const privateSubnetIds = new Set(subnets.filter(([, r]) => r.Properties.MapPublicIpOnLaunch === false).map(([id]) => id));
      const privateTables = new Set(resources
        .filter(([, r]) => r.Type === 'AWS::EC2::SubnetRouteTableAssociation' && privateSubnetIds.has(r.Properties.SubnetId.Ref))
        .map(([, r]) => r.Properties.RouteTableId.Ref));
      for (const [, r] of resources.filter(([, x]) => x.Type === 'AWS::EC2::Route')) {
        if (privateTables.has(r.Properties.RouteTableId.Ref) && r.Properties.DestinationCidrBlock === '0.0.0.0/0') {
          expect(r.Properties.GatewayId).toBeUndefined();
        }
      }

      const eips = resources.filter(([, r]) => r.Type === 'AWS::EC2::EIP');
      expect(network.egressIps.length).toBe(eips.length);
    }),
    { numRuns: 200 },
  );
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
