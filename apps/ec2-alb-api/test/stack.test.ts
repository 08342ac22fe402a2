import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Ec2AlbApiStack } from '../src/stack';

const stack = new Ec2AlbApiStack(new App(), 'Ec2AlbApi');
const template = Template.fromStack(stack);

test('seed network: 10.0.0.0/16 with a NAT gateway and EIP per AZ, egress IPs output', () => {
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
  template.resourceCountIs('AWS::EC2::NatGateway', 2);
  template.resourceCountIs('AWS::EC2::EIP', 2);
  template.hasOutput('EgressIps', {});
});

test('cdk-nag AwsSolutions: no finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});

test('Portcullis exposure rules: no finding', () => {
  expect(new ExposureChecks().checkTemplate(template.toJSON())).toEqual([]);
});
