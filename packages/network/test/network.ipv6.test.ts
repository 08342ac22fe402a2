import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Egress, Network, NetworkProps } from '../src';

function synth(props: NetworkProps = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', props);
  return { stack, network, template: Template.fromStack(stack) };
}

/** Route tables of the public, private or isolated subnets (by the subnets' aws-cdk:subnet-type tag). */
function routeTableIds(template: Template, type: 'Public' | 'Private' | 'Isolated'): string[] {
  const subnets = Object.keys(template.findResources('AWS::EC2::Subnet', {
    Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: type }]) },
  }));
  return Object.values<any>(template.findResources('AWS::EC2::SubnetRouteTableAssociation'))
    .filter((a) => subnets.includes(a.Properties.SubnetId.Ref))
    .map((a) => a.Properties.RouteTableId.Ref);
}

function ipv6Routes(template: Template): Array<{ table: string; props: any }> {
  return Object.values<any>(template.findResources('AWS::EC2::Route'))
    .filter((r) => r.Properties.DestinationIpv6CidrBlock !== undefined)
    .map((r) => ({ table: r.Properties.RouteTableId.Ref, props: r.Properties }));
}

describe('dual-stack network (ipv6: true)', () => {
  const { network, template } = synth({ ipv6: true, egress: Egress.natInstance() });

  test('an Amazon-provided IPv6 block on the VPC', () => {
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
    template.hasResourceProperties('AWS::EC2::VPCCidrBlock', { AmazonProvidedIpv6CidrBlock: true });
  });

  test('a /64 of that block for every subnet, added by AWS::EC2::SubnetCidrBlock (the subnets themselves are unchanged)', () => {
    const subnets = template.findResources('AWS::EC2::Subnet');
    expect(Object.keys(subnets)).toHaveLength(4);
    for (const s of Object.values<any>(subnets)) expect(s.Properties.Ipv6CidrBlock).toBeUndefined();
    const blocks = Object.values<any>(template.findResources('AWS::EC2::SubnetCidrBlock'));
    expect(blocks.map((b) => b.Properties.SubnetId.Ref).sort()).toEqual(Object.keys(subnets).sort());
    const [vpcBlockId] = Object.keys(template.findResources('AWS::EC2::VPCCidrBlock'));
    const indexes = blocks.map((b) => {
      const [index, cidr] = b.Properties.Ipv6CidrBlock['Fn::Select'];
      expect(cidr['Fn::Cidr'][1]).toBe(256); // the /56 in /64s
      expect(cidr['Fn::Cidr'][2]).toBe('64'); // 128 - 64 host bits
      expect(b.DependsOn).toContain(vpcBlockId);
      return index;
    });
    expect(indexes.sort((a, b) => a - b)).toEqual([0, 1, 128, 129]); // public AZ i: i, private AZ i: 128 + i
  });

  test('private subnets: ::/0 to an egress-only internet gateway, and no IPv6 route to the internet gateway', () => {
    template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    const privateTables = routeTableIds(template, 'Private');
    expect(privateTables).toHaveLength(2);
    for (const table of privateTables) {
      const routes = ipv6Routes(template).filter((r) => r.table === table);
      expect(routes).toHaveLength(1);
      expect(routes[0].props.DestinationIpv6CidrBlock).toBe('::/0');
      expect(routes[0].props.EgressOnlyInternetGatewayId).toBeDefined();
      expect(routes[0].props.GatewayId).toBeUndefined();
    }
  });

  test('public subnets: ::/0 to the internet gateway; the egress-only gateway only in private route tables', () => {
    const publicTables = routeTableIds(template, 'Public');
    for (const table of publicTables) {
      const routes = ipv6Routes(template).filter((r) => r.table === table);
      expect(routes).toHaveLength(1);
      expect(Object.keys(template.findResources('AWS::EC2::InternetGateway'))).toContain(routes[0].props.GatewayId.Ref);
    }
    const eigwRoutes = ipv6Routes(template).filter((r) => r.props.EgressOnlyInternetGatewayId !== undefined);
    expect(eigwRoutes.map((r) => r.table).sort()).toEqual(routeTableIds(template, 'Private').sort());
  });

  test('ipv6Established: the VPC block and every subnet block', () => {
    const stack = new Stack(new App(), 'Probe');
    const n = new Network(stack, 'Network', { ipv6: true });
    const probe = new CfnResource(stack, 'Probe', { type: 'Test::Probe' });
    probe.node.addDependency(n.ipv6Established!);
    const t = Template.fromStack(stack);
    const expected = [...Object.keys(t.findResources('AWS::EC2::SubnetCidrBlock')), ...Object.keys(t.findResources('AWS::EC2::VPCCidrBlock'))];
    expect(expected).toHaveLength(5);
    expect([...t.toJSON().Resources.Probe.DependsOn].sort()).toEqual(expected.sort());
  });

  test('IPv4 unchanged: NAT for IPv4 egress, egressIps are the NAT addresses, no DNS64', () => {
    expect(network.egressIps).toHaveLength(1);
    template.resourceCountIs('AWS::EC2::EIP', 1);
    for (const s of Object.values<any>(template.findResources('AWS::EC2::Subnet'))) expect(s.Properties.EnableDns64).toBeUndefined();
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('ipv6Enabled and ipv6Cidr (the VPC\'s block, for partners\' IPv6 allow-lists)', () => {
    expect(network.ipv6Enabled).toBe(true);
    const resolved = Stack.of(network).resolve(network.ipv6Cidr);
    expect(resolved['Fn::Select'][0]).toBe(0);
    expect(resolved['Fn::Select'][1]['Fn::GetAtt'][1]).toBe('Ipv6CidrBlocks');
  });
});

test('default: IPv4 only, no IPv6 block, no egress-only gateway, ipv6Enabled false', () => {
  const { network, template } = synth();
  template.resourceCountIs('AWS::EC2::VPCCidrBlock', 0);
  template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
  expect(ipv6Routes(template)).toEqual([]);
  expect(network.ipv6Enabled).toBe(false);
  expect(network.ipv6Cidr).toBeUndefined();
});

test('Egress.none() with ipv6: isolated subnets get no IPv6 default route', () => {
  const { template } = synth({ ipv6: true, egress: Egress.none() });
  const isolated = routeTableIds(template, 'Isolated');
  expect(isolated.length).toBeGreaterThan(0);
  expect(ipv6Routes(template).filter((r) => isolated.includes(r.table))).toEqual([]);
});

test('Network.fromVpc: ipv6Enabled unknown', () => {
  const { network } = synth();
  const imported = Network.fromVpc(Stack.of(network), 'Imported', network.vpc);
  expect(imported.ipv6Enabled).toBeUndefined();
});

test('ipv6 with Egress.publicSubnetsOnly() is refused, naming `ipv6` and the fix', () => {
  expect(() => synth({ ipv6: true, egress: Egress.publicSubnetsOnly() })).toThrow(/`ipv6: true` cannot be used with `egress: Egress.publicSubnetsOnly\(\)`.*remove `ipv6`/);
});

test('ipv6 that is not a boolean (a context string, a number) is refused, naming `ipv6`, the value and the fix; false and true still work', () => {
  expect(() => synth({ ipv6: 'false' as unknown as boolean })).toThrow(/^`ipv6` must be true or false, got 'false': write true or false \(a context value is a string: compare it/);
  expect(() => synth({ ipv6: 1 as unknown as boolean })).toThrow(/`ipv6` must be true or false, got 1/);
  expect(synth({ ipv6: false }).network.ipv6Enabled).toBe(false);
  expect(synth({ ipv6: true }).network.ipv6Enabled).toBe(true);
});
