import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Network } from '@portcullis/network';
import * as fc from 'fast-check';
import { LoadBalancerSecurityGroup, LoadBalancerSecurityGroupProps } from '../src';

function build(props: Partial<LoadBalancerSecurityGroupProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const lb = new LoadBalancerSecurityGroup(stack, 'Lb', { vpc: network.vpc, ...props });
  const target = new ec2.SecurityGroup(stack, 'Target', { vpc: network.vpc, allowAllOutbound: false });
  return { stack, lb, target };
}

function groupOf(stack: Stack, lb: LoadBalancerSecurityGroup) {
  const template = Template.fromStack(stack).toJSON();
  return template.Resources[stack.getLogicalId(lb.securityGroup.node.defaultChild as ec2.CfnSecurityGroup)];
}

test('default: TCP 80 from IPv4 and IPv6 anywhere, nothing else; no egress', () => {
  const { stack, lb } = build();
  const group = groupOf(stack, lb);
  expect(group.Properties.SecurityGroupIngress).toEqual([
    { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Listener 80 from 0.0.0.0/0' },
    { CidrIpv6: '::/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Listener 80 from ::/0' },
  ]);
  expect(group.Properties.SecurityGroupEgress).toEqual([
    expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }), // CDK's "no egress" marker
  ]);
});

test('listener ports and allowed CIDRs', () => {
  const { stack, lb } = build({ listenerPorts: [80, 443], allowedCidrs: ['203.0.113.0/24'] });
  expect(groupOf(stack, lb).Properties.SecurityGroupIngress).toEqual([
    expect.objectContaining({ CidrIp: '203.0.113.0/24', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
    expect.objectContaining({ CidrIp: '203.0.113.0/24', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
  ]);
});

test('the description does not depend on the ports or CIDRs (GroupDescription is create-only: adding HTTPS must not replace the group)', () => {
  const descriptions = [
    {},
    { listenerPorts: [80, 443] },
    { allowedCidrs: ['203.0.113.0/24'] },
  ].map((props) => { const { stack, lb } = build(props); return groupOf(stack, lb).Properties.GroupDescription; });
  expect(descriptions).toEqual([LoadBalancerSecurityGroup.DESCRIPTION, LoadBalancerSecurityGroup.DESCRIPTION, LoadBalancerSecurityGroup.DESCRIPTION]);
  expect(LoadBalancerSecurityGroup.DESCRIPTION).not.toMatch(/\d/); // no port, no CIDR
});

test('allowToTarget: egress to the target group on the container port, and the target accepts it from the LB group only', () => {
  const { stack, lb, target } = build();
  lb.allowToTarget(target, 8080);
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
    IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080,
    DestinationSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(target.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
  });
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080,
    SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(lb.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
  });
});

test.each<[string, Partial<LoadBalancerSecurityGroupProps>, RegExp]>([
  ['listenerPorts empty', { listenerPorts: [] }, /`listenerPorts` is empty/],
  ['listenerPorts 0', { listenerPorts: [0] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got 0: use a TCP port from 1 to 65535/],
  ['listenerPorts 70000', { listenerPorts: [80, 70000] }, /`listenerPorts\[1\]` must be a whole number from 1 to 65535, got 70000/],
  ['listenerPorts NaN', { listenerPorts: [NaN] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got NaN/],
  ['listenerPorts Infinity', { listenerPorts: [Infinity] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got Infinity/],
  ['listenerPorts 80.5', { listenerPorts: [80.5] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got 80.5/],
  ['allowedCidrs empty', { allowedCidrs: [] }, /`allowedCidrs` is empty/],
  ['allowedCidrs not a CIDR', { allowedCidrs: ['anywhere'] }, /`allowedCidrs\[0\]` must be a CIDR block, IPv4 like '203.0.113.0\/24' or IPv6 like '2001:db8::\/32', got 'anywhere'/],
  ['allowedCidrs prefix /33', { allowedCidrs: ['10.0.0.0/33'] }, /`allowedCidrs\[0\]` must be an IPv4 CIDR block.*got '10.0.0.0\/33'/],
  ['allowedCidrs octet 300', { allowedCidrs: ['300.1.1.1/16'] }, /`allowedCidrs\[0\]` must be an IPv4 CIDR block.*got '300.1.1.1\/16'/],
  ['allowedCidrs IPv6 prefix /129', { allowedCidrs: ['2001:db8::/129'] }, /`allowedCidrs\[0\]` must be an IPv6 CIDR block.*got '2001:db8::\/129'/],
  ['allowedCidrs IPv6 with two ::', { allowedCidrs: ['2001::db8::/32'] }, /`allowedCidrs\[0\]` must be an IPv6 CIDR block.*got '2001::db8::\/32'/],
  ['allowedCidrs without a prefix', { allowedCidrs: ['203.0.113.7'] }, /`allowedCidrs\[0\]` must be a CIDR block.*got '203.0.113.7'/],
  ['allowedCidrs with host bits', { allowedCidrs: ['2001:db8::1/64'] }, /`allowedCidrs\[0\]` has host bits set: '2001:db8::1\/64' is not the start of a \/64 block; use '2001:db8::\/64'/],
])('bad input: %s', (_, props, message) => {
  expect(() => build(props)).toThrow(message);
});

test.each<[string, number]>([['0', 0], ['65536', 65536], ['NaN', NaN], ['1.5', 1.5]])('bad input: allowToTarget port %s', (_, port) => {
  const { lb, target } = build();
  expect(() => lb.allowToTarget(target, port)).toThrow(new RegExp(`\`port\` must be a whole number from 1 to 65535, got ${port}`));
});

test('valid neighbours: ports 1 and 65535, IPv6 ranges, a token range', () => {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const range = new CfnParameter(stack, 'Range').valueAsString;
  const lb = new LoadBalancerSecurityGroup(stack, 'Lb', { vpc: network.vpc, listenerPorts: [1, 65535], allowedCidrs: ['2001:db8::/32', '::/0', '0.0.0.0/0', range] });
  const target = new ec2.SecurityGroup(stack, 'Target', { vpc: network.vpc, allowAllOutbound: false });
  lb.allowToTarget(target, 65535);
  const ingress = groupOf(stack, lb).Properties.SecurityGroupIngress;
  expect(ingress.map((r: any) => `${r.FromPort} ${JSON.stringify(r.CidrIp ?? r.CidrIpv6)}`).sort()).toEqual([
    '1 "0.0.0.0/0"', '1 "2001:db8::/32"', '1 "::/0"', '1 {"Ref":"Range"}',
    '65535 "0.0.0.0/0"', '65535 "2001:db8::/32"', '65535 "::/0"', '65535 {"Ref":"Range"}',
  ]);
  expect(ingress.filter((r: any) => JSON.stringify(r.CidrIp) === '{"Ref":"Range"}')).toHaveLength(2); // the token as IPv4
});

test('property: random listener ports and targets never produce an all-protocol rule or another port', () => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
    fc.integer({ min: 1, max: 65535 }),
    (ports, containerPort) => {
      const { stack, lb, target } = build({ listenerPorts: ports });
      lb.allowToTarget(target, containerPort);
      const resources = Object.values<any>(Template.fromStack(stack).toJSON().Resources);
      const rules = [
        ...resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroup').flatMap((r) => r.Properties.SecurityGroupIngress ?? []),
        ...resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress').map((r) => r.Properties),
      ];
      for (const rule of rules) {
        expect(rule.IpProtocol).not.toBe('-1');
        expect([...ports, containerPort]).toContain(rule.FromPort);
        expect(rule.ToPort).toBe(rule.FromPort);
      }
    },
  ), { numRuns: 200 });
});
