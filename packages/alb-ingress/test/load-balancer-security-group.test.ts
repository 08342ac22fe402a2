import { App, Stack } from 'aws-cdk-lib';
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

test.each([
  [{ listenerPorts: [] }, /`listenerPorts` is empty/],
  [{ listenerPorts: [0] }, /`listenerPorts` must hold TCP ports from 1 to 65535, got 0/],
  [{ listenerPorts: [70000] }, /got 70000/],
  [{ allowedCidrs: [] }, /`allowedCidrs` is empty/],
  [{ allowedCidrs: ['anywhere'] }, /`allowedCidrs` must hold IPv4 or IPv6 CIDR blocks.*got 'anywhere'/],
])('bad input %#', (props, message) => {
  expect(() => build(props as Partial<LoadBalancerSecurityGroupProps>)).toThrow(message);
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
