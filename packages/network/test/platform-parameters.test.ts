import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Egress, EgressKind, Network, PlatformParameters } from '../src';

/**
 * A platform publishes its network in SSM parameters; a service stack of another CDK app reads
 * them at deploy time (issue 25, item 2): no CloudFormation export, and a deploy-time check of
 * the shape the service was synthesized for.
 */
function published(egress?: Egress) {
  const stack = new Stack(new App(), 'Platform');
  const network = new Network(stack, 'Network', { egress, availabilityZones: ['us-east-1a', 'us-east-1b'] });
  PlatformParameters.publishNetwork(stack, 'shop', network);
  return Template.fromStack(stack);
}

const parameters = (t: Template) => Object.fromEntries(Object.values<any>(t.findResources('AWS::SSM::Parameter')).map((p) => [p.Properties.Name, p.Properties.Value]));

test('publishNetwork: the VPC, its CIDR, AZs, subnets (one per AZ, in AZ order) and shape under /portcullis/<name>/network/', () => {
  const values = parameters(published());
  expect(Object.keys(values).sort()).toEqual([
    '/portcullis/shop/network/availability-zones', '/portcullis/shop/network/private-route-table-ids', '/portcullis/shop/network/private-subnet-ids',
    '/portcullis/shop/network/public-route-table-ids', '/portcullis/shop/network/public-subnet-ids',
    '/portcullis/shop/network/shape', '/portcullis/shop/network/vpc-cidr', '/portcullis/shop/network/vpc-id',
  ]);
  expect(values['/portcullis/shop/network/shape']).toBe('availabilityZones=2,privateSubnets=true,publicSubnets=true,internetEgress=true,ipv6=false');
  expect(values['/portcullis/shop/network/availability-zones']).toBe('us-east-1a,us-east-1b');
  expect(values['/portcullis/shop/network/vpc-id']).toEqual({ Ref: expect.stringMatching(/^NetworkVpc/) });
  expect(values['/portcullis/shop/network/private-subnet-ids']).toEqual({
    'Fn::Join': [',', [{ Ref: expect.stringMatching(/^NetworkVpcPrivateSubnet1/) }, { Ref: expect.stringMatching(/^NetworkVpcPrivateSubnet2/) }]],
  });
});

test('publishNetwork: Egress.none() is published as internetEgress=false; no public subnets, no public-subnet-ids', () => {
  const stack = new Stack(new App(), 'Platform');
  const network = new Network(stack, 'Network', { egress: Egress.none(), publicSubnets: false, availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
  PlatformParameters.publishNetwork(stack, 'shop', network);
  const values = parameters(Template.fromStack(stack));
  expect(values['/portcullis/shop/network/shape']).toBe('availabilityZones=3,privateSubnets=true,publicSubnets=false,internetEgress=false,ipv6=false');
  expect(values['/portcullis/shop/network/public-subnet-ids']).toBeUndefined();
  expect(values['/portcullis/shop/network/public-route-table-ids']).toBeUndefined();
});

describe('importNetwork, in a stack of another CDK app', () => {
  const stack = new Stack(new App(), 'Service');
  const network = PlatformParameters.importNetwork(stack, 'Network', { platformName: 'shop' });
  new ec2.SecurityGroup(stack, 'Group', { vpc: network.vpc });
  const template = Template.fromStack(stack).toJSON();

  test('reads every value from an SSM-typed CloudFormation parameter: no Fn::ImportValue', () => {
    const ssmParameters = Object.values<any>(template.Parameters).filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>').map((p) => p.Default);
    expect(ssmParameters).toEqual(expect.arrayContaining(['/portcullis/shop/network/vpc-id', '/portcullis/shop/network/shape', '/portcullis/shop/network/private-subnet-ids']));
    expect(JSON.stringify(template)).not.toContain('Fn::ImportValue');
  });

  test('reads only what services use: no unreferenced CloudFormation parameter, no aws-cdk-lib warning about route tables', () => {
    const names = Object.values<any>(template.Parameters).filter((p) => p.Type === 'AWS::SSM::Parameter::Value<String>').map((p) => p.Default)
      .filter((n) => n.startsWith('/portcullis/')).sort();
    expect(names).toEqual(['/portcullis/shop/network/private-subnet-ids', '/portcullis/shop/network/shape', '/portcullis/shop/network/vpc-id']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('routeTableId'))).toEqual([]);
  });

  test('what is not read fails the synth if rendered, naming the parameter to read instead', () => {
    const other = new Stack(new App(), 'Other');
    const imported = PlatformParameters.importNetwork(other, 'Network', { platformName: 'shop' });
    new ec2.CfnRoute(other, 'Route', { routeTableId: imported.privateSubnets.subnets![0].routeTable.routeTableId, destinationCidrBlock: '10.1.0.0/16', gatewayId: 'igw-1' });
    expect(() => Template.fromStack(other)).toThrow(/The private route tables of the network of the platform 'shop' imported with Platform.fromParameters is not read at deploy time \(no parameter for it\): read it with PlatformParameters.valueAtDeploy\(scope, 'shop', 'network\/private-route-table-ids'\)/);
  });

  test('two subnets of each kind, each an element of the published list', () => {
    expect(network.privateSubnets.subnets).toHaveLength(2);
    expect(network.publicSubnets.subnets).toHaveLength(2);
    const id = Stack.of(stack).resolve(network.privateSubnets.subnets![1].subnetId);
    expect(id).toEqual({ 'Fn::Select': [1, { 'Fn::Split': [',', { Ref: expect.stringMatching(/privatesubnetids/) }] }] });
  });

  test('a rule fails the deploy before any change when the published shape is not the one synthesized for', () => {
    const rules = Object.values<any>(template.Rules).filter((r) => JSON.stringify(r).includes('network/shape'));
    expect(rules).toHaveLength(1);
    const assertion = rules[0].Assertions[0];
    expect(assertion.Assert['Fn::Equals'][1]).toBe('availabilityZones=2,privateSubnets=true,publicSubnets=true,internetEgress=true,ipv6=false');
    expect(assertion.AssertDescription).toMatch(/^The platform parameter \/portcullis\/shop\/network\/shape is not 'availabilityZones=2,.*what this stack was synthesized for: give Platform.fromParameters \(or PlatformParameters.importNetwork\) the shape/);
  });

  test('its egress is unknown with internet egress, Egress.none() without, publicSubnetsOnly() without private subnets', () => {
    expect(network.egress).toBeUndefined();
    const other = new Stack(new App(), 'Other');
    expect(PlatformParameters.importNetwork(other, 'Isolated', { platformName: 'shop', internetEgress: false }).egress?.kind).toBe(EgressKind.NONE);
    expect(PlatformParameters.importNetwork(other, 'PublicOnly', { platformName: 'shop', privateSubnets: false }).egress?.kind).toBe(EgressKind.PUBLIC_SUBNETS_ONLY);
  });
});

test.each([
  [{ platformName: 'my shop' }, /`platformName` must be 1 to 64 letters, digits, '-', '_' and '.', e.g. 'shop', got "my shop"/],
  [{ platformName: 'shop', availabilityZoneCount: 0 }, /`availabilityZoneCount` must be/],
  [{ platformName: 'shop', privateSubnets: false, publicSubnets: false }, /`privateSubnets` and `publicSubnets` are both false/],
])('bad input: %j', (props, message) => {
  expect(() => PlatformParameters.importNetwork(new Stack(new App(), 'S'), 'Network', props)).toThrow(message);
});

test('parameterName: /portcullis/<platform>/<key>; a bad key is refused', () => {
  expect(PlatformParameters.parameterName('shop', 'network/vpc-id')).toBe('/portcullis/shop/network/vpc-id');
  expect(() => PlatformParameters.parameterName('shop', '/vpc')).toThrow(/`key` must be segments of letters/);
});
