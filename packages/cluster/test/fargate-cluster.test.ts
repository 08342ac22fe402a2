import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Network } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FargateCluster, FargateClusterProps } from '../src';

function build() {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  return { stack, network, cluster, template: Template.fromStack(stack) };
}

test('ECS cluster with Container Insights and the Fargate capacity providers', () => {
  const { template } = build();
  template.resourceCountIs('AWS::ECS::Cluster', 1);
  template.hasResourceProperties('AWS::ECS::Cluster', {
    ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
  });
  template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
    CapacityProviders: Match.arrayEquals(['FARGATE', 'FARGATE_SPOT']),
  });
});

test('execution role: trusted by ECS tasks with the confused-deputy conditions, seed managed policy', () => {
  const { template } = build();
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*']] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }],
    },
    ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']] }],
  });
});

test('members: cluster, vpc, network, executionRole', () => {
  const { stack, network, cluster, template } = build();
  expect(cluster.vpc).toBe(network.vpc);
  expect(cluster.network).toBe(network);
  expect(cluster.cluster.vpc).toBe(network.vpc);
  // executionRole is the ECS-tasks role in the template (the one with the execution policy)
  const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', {
    Properties: { Description: Match.stringLikeRegexp('ECS task execution role') },
  }));
  expect(roleId).toMatch(/^ClusterExecutionRole/);
  expect(stack.resolve(cluster.executionRole.roleArn)).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
});

test('containerInsights: false and a cluster name', () => {
  const stack = new Stack(new App(), 'Test');
  new FargateCluster(stack, 'Cluster', { vpc: new Network(stack, 'Network').vpc, containerInsights: false, clusterName: 'api' });
  Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
    ClusterName: 'api',
    ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
  });
});

describe('Container Insights: containerInsightsMode (standard by default, as in the seeds)', () => {
  const settings = (props: Partial<FargateClusterProps>) => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network'), ...props });
    const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::Cluster'));
    return { mode: cluster.containerInsightsMode, settings: resource.Properties.ClusterSettings };
  };

  test.each([
    [{}, ecs.ContainerInsights.ENABLED, 'enabled'],
    [{ containerInsights: true }, ecs.ContainerInsights.ENABLED, 'enabled'],
    [{ containerInsights: false }, ecs.ContainerInsights.DISABLED, 'disabled'],
    [{ containerInsightsMode: ecs.ContainerInsights.ENHANCED }, ecs.ContainerInsights.ENHANCED, 'enhanced'],
    [{ containerInsightsMode: ecs.ContainerInsights.DISABLED }, ecs.ContainerInsights.DISABLED, 'disabled'],
    [{ containerInsights: true, containerInsightsMode: ecs.ContainerInsights.ENHANCED }, ecs.ContainerInsights.ENHANCED, 'enhanced'],
  ])('%j: %s, ClusterSettings containerInsights %s', (props, mode, value) => {
    expect(settings(props)).toEqual({ mode, settings: [{ Name: 'containerInsights', Value: value }] });
  });

  test('containerInsights and containerInsightsMode that disagree are refused, naming both', () => {
    expect(() => settings({ containerInsights: false, containerInsightsMode: ecs.ContainerInsights.ENABLED }))
      .toThrow(/FargateCluster: `containerInsights` is false but `containerInsightsMode` is enabled: give only `containerInsightsMode`/);
    expect(() => settings({ containerInsightsMode: 'sometimes' as ecs.ContainerInsights }))
      .toThrow(/`containerInsightsMode` must be one of enabled, disabled, enhanced \(ecs.ContainerInsights\), got "sometimes"/);
  });
});

test('bring your own VPC', () => {
  const stack = new Stack(new App(), 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
  const cluster = new FargateCluster(stack, 'Cluster', { vpc });
  expect(cluster.vpc).toBe(vpc);
  expect(cluster.network.privateSubnets.subnets).toEqual(vpc.privateSubnets);
  expect(cluster.network.egressIpsKnown).toBe(false);
});

test.each([
  [{}, /needs `network`.*or `vpc`/],
  ['both', /`network` and `vpc` were both given/],
  [{ clusterName: 'bad name!' }, /`clusterName` must be 1 to 255 letters, digits, hyphens and underscores.*got 'bad name!': remove spaces/],
])('bad input %#', (props, message) => {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const p = props === 'both' ? { network, vpc: network.vpc } : { network: Object.keys(props).length ? network : undefined, ...(props as object) };
  expect(() => new FargateCluster(stack, 'Cluster', p)).toThrow(message);
});

test('cdk-nag AwsSolutions: only the reasoned acknowledgement of the seed managed policy', () => {
  const { stack, cluster } = build();
  const finding = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]';
  expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([finding]);
  Validations.of(cluster.executionRole).acknowledge({
    id: finding,
    reason: 'AmazonECSTaskExecutionRolePolicy is the seed pattern\'s execution policy and AWS keeps it current for ECR and Logs',
  });
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});
