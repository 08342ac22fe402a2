import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FargateAlbApiStack } from '../src/stack';

const stack = new FargateAlbApiStack(new App(), 'FargateAlbApi');
const template = Template.fromStack(stack);

test('seed network: 10.0.0.0/16, four /18 subnets, a NAT gateway per AZ', () => {
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
  const cidrs = Object.values<any>(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.CidrBlock).sort();
  expect(cidrs).toEqual(['10.0.0.0/18', '10.0.128.0/18', '10.0.192.0/18', '10.0.64.0/18']);
  template.resourceCountIs('AWS::EC2::NatGateway', 2);
});

test('a Fargate cluster with Container Insights', () => {
  template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
});

test('outputs the egress IPs for partner allow-lists', () => {
  template.hasOutput('EgressIps', {});
});

test('cdk-nag AwsSolutions: no unacknowledged finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});

test('Portcullis exposure rules: no finding', () => {
  expect(new ExposureChecks().checkTemplate(template.toJSON())).toEqual([]);
});
