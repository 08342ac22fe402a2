import { App, CfnOutput, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Network } from '@portcullis/network';
import { ApiService, FargateCluster } from '../src';
import { STACK_QUOTAS } from '../src/private/stack-quotas';

/**
 * CloudFormation's per-stack quotas, checked at synth in every stack with an ApiService (or a
 * Platform) before CloudFormation would refuse the template (issue 25, item 3).
 */
function serviceStack() {
  const stack = new Stack(new App(), 'Svc');
  const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
  new ApiService(stack, 'Api', { cluster });
  return stack;
}

test('a stack within every quota synthesizes', () => {
  expect(() => Template.fromStack(serviceStack())).not.toThrow();
});

test('resources: past 500, refused naming the quota, the count and the way out', () => {
  const stack = serviceStack();
  for (let i = 0; i < STACK_QUOTAS.resources; i++) new CfnResource(stack, `Extra${i}`, { type: 'AWS::SNS::Topic' });
  expect(() => Template.fromStack(stack)).toThrow(/Stack 'Svc' has \d{3} resources: CloudFormation allows at most 500 per stack \(quota "Resources", not adjustable\): put services in stacks of their own/);
});

test('outputs: past 200, refused naming the quota and the way out', () => {
  const stack = serviceStack();
  for (let i = 0; i <= STACK_QUOTAS.outputs; i++) new CfnOutput(stack, `Out${i}`, { value: 'x' });
  expect(() => Template.fromStack(stack)).toThrow(/Stack 'Svc' has 201 outputs .*CloudFormation allows at most 200 \(quota "Outputs"\): let services of other stacks read the platform through its parameters/);
});

test('parameters: past 200, refused naming the quota', () => {
  const stack = serviceStack();
  for (let i = 0; i <= STACK_QUOTAS.parameters; i++) new CfnParameter(stack, `P${i}`, { default: 'x' });
  expect(() => Template.fromStack(stack)).toThrow(/has 2\d\d parameters .*CloudFormation allows at most 200 \(quota "Parameters"\)/);
});

test('template size: past 1 MB, refused naming the quota, the size and the way out', () => {
  const stack = serviceStack();
  new CfnResource(stack, 'Big', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(STACK_QUOTAS.templateBytes) } });
  expect(() => Template.fromStack(stack)).toThrow(/The template of stack 'Svc' would be \d{7} bytes: CloudFormation accepts at most 1 MB \(quota "Template body size in an Amazon S3 object", checked here at 1000000 bytes\)/);
});
