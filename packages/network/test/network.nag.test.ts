import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Egress, Network } from '../src';

test('the pack is live: a deliberately open VPC is flagged', () => {
  const stack = new Stack(new App(), 'Open');
  const vpc = new ec2.Vpc(stack, 'Vpc');
  new ec2.SecurityGroup(stack, 'Open', { vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());
  const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
  expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-VPC7', 'AwsSolutions-EC23']));
});

describe.each([
  ['natGatewayPerAz', () => Egress.natGatewayPerAz()],
  ['singleNatGateway', () => Egress.singleNatGateway()],
  ['none', () => Egress.none({ ec2Capacity: true })],
  ['publicSubnetsOnly', () => Egress.publicSubnetsOnly()],
])('cdk-nag AwsSolutions on Egress.%s()', (_name, egress) => {
  test('no findings at all', () => {
    const stack = new Stack(new App(), 'Nag');
    new Network(stack, 'Network', { egress: egress() });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });
});

test('cdk-nag AwsSolutions on Egress.natInstance(): only the acknowledged instance findings', () => {
  const stack = new Stack(new App(), 'Nag');
  const network = new Network(stack, 'Network', { egress: Egress.natInstance() });
  const before = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  // A NAT instance is replaceable plumbing: it keeps no data and is recreated by the stack.
  expect(before).toEqual(['AwsSolutions-EC28', 'AwsSolutions-EC29']);
  Validations.of(network.natInstance!).acknowledge(
    { id: 'AwsSolutions-EC28', reason: 'NAT instance: basic monitoring is enough for stateless address translation' },
    { id: 'AwsSolutions-EC29', reason: 'NAT instance: stateless and recreated by the stack, so no termination protection or ASG' },
  );
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});
