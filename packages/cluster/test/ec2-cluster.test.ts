import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Egress, Network } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClusterCapacity, Ec2Cluster, Ec2ClusterProps } from '../src';

function build(props: Partial<Ec2ClusterProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const cluster = new Ec2Cluster(stack, 'Cluster', { network, ...props });
  return { stack, network, cluster, template: Template.fromStack(stack) };
}

test('containerInsightsMode: DISABLED and ENHANCED are written to the cluster; disagreeing with containerInsights is refused', () => {
  expect(build().cluster.containerInsightsMode).toBe(ecs.ContainerInsights.ENABLED);
  for (const [mode, value] of [[ecs.ContainerInsights.DISABLED, 'disabled'], [ecs.ContainerInsights.ENHANCED, 'enhanced']] as const) {
    const { cluster, template } = build({ containerInsightsMode: mode });
    expect(cluster.containerInsightsMode).toBe(mode);
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: value }] });
  }
  expect(() => build({ containerInsights: true, containerInsightsMode: ecs.ContainerInsights.DISABLED }))
    .toThrow(/Ec2Cluster: `containerInsights` is true but `containerInsightsMode` is disabled: give only `containerInsightsMode`/);
});

describe('defaults (seed EC2 cluster)', () => {
  const { cluster, template } = build();

  test('cluster with Container Insights, capacity provider as the default strategy (base 0, weight 1)', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      DefaultCapacityProviderStrategy: [{ CapacityProvider: { Ref: Match.stringLikeRegexp('CapacityProvider') }, Base: 0, Weight: 1 }],
    });
    expect(cluster.capacity).toBe(ClusterCapacity.EC2);
  });

  test('launch template: ECS-optimized AL2023 from SSM, IMDSv2, 50 GiB encrypted gp3, t3.medium, ECS_CLUSTER user data', () => {
    const lt = Object.values<any>(template.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData;
    expect(lt.MetadataOptions.HttpTokens).toBe('required');
    expect(lt.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }]);
    expect(lt.InstanceType).toBe('t3.medium');
    expect(JSON.stringify(lt.UserData)).toContain('ECS_CLUSTER=');
    const params = Object.values<any>(template.toJSON().Parameters).map((p) => p.Default);
    expect(params).toContain('/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id');
  });

  test('host security group has no inbound rules; instance role has the ECS-for-EC2 managed policy', () => {
    const groups = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('container instances') } }));
    expect(groups).toHaveLength(1);
    expect(groups[0].Properties.SecurityGroupIngress).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] }),
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role']] }],
    });
  });

  test('ASG in the private subnets: min 0, max 100, scale-in protection, updated in place (no replacing or rolling update)', () => {
    template.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      Properties: Match.objectLike({
        MinSize: '0', MaxSize: '100', NewInstancesProtectedFromScaleIn: true,
        VPCZoneIdentifier: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
        LaunchTemplate: { LaunchTemplateId: Match.anyValue(), Version: { 'Fn::GetAtt': [Match.stringLikeRegexp('LaunchTemplate'), 'LatestVersionNumber'] } },
      }),
    });
    // A replacing update would replace the group, then the capacity provider (create-only
    // AutoScalingGroupArn), which the association cannot drop while a service uses it.
    const asg = Object.values<any>(template.findResources('AWS::AutoScaling::AutoScalingGroup'))[0];
    expect(asg.UpdatePolicy ?? {}).toEqual({ AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true } });
  });

  test('awsvpc tasks cannot reach the instance metadata service (ECS_AWSVPC_BLOCK_IMDS), before ECS_CLUSTER is written', () => {
    const lt = Object.values<any>(template.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData;
    const script = JSON.stringify(lt.UserData);
    expect(script).toContain('echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config');
    expect(script.indexOf('ECS_AWSVPC_BLOCK_IMDS')).toBeLessThan(script.indexOf('ECS_CLUSTER='));
    expect(script).not.toContain('ECS_ENABLE_SPOT_INSTANCE_DRAINING'); // on-demand
  });

  test('teardown helper: its provider Lambda logs to a group with finite retention, deleted with the stack', () => {
    const fns = Object.values<any>(template.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(1);
    const groupRef = fns[0].Properties.LoggingConfig?.LogGroup;
    expect(groupRef).toEqual({ Ref: expect.stringMatching(/^PortcullisTeardownLogs/) });
    const group = template.toJSON().Resources[groupRef.Ref];
    expect(group).toEqual(expect.objectContaining({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }));
    expect(group.Properties.RetentionInDays).toBe(30);
  });

  test('capacity provider: managed scaling 100% step 1-100 warm-up 60 s, termination protection and draining', () => {
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: {
        AutoScalingGroupArn: Match.anyValue(),
        ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100, MinimumScalingStepSize: 1, MaximumScalingStepSize: 100, InstanceWarmupPeriod: 60 },
        ManagedTerminationProtection: 'ENABLED',
        ManagedDraining: 'ENABLED',
      },
    });
  });

  test('teardown: a custom resource force-deletes the ASG on delete, allowed only on that group', () => {
    const crs = template.findResources('Custom::ForceDeleteAutoScalingGroup');
    expect(Object.keys(crs)).toHaveLength(1);
    const cr = Object.values<any>(crs)[0];
    const del = JSON.stringify(cr.Properties.Delete);
    expect(del).toContain('deleteAutoScalingGroup');
    expect(del).toContain('\\"ForceDelete\\":true');
    const asgId = Object.keys(template.findResources('AWS::AutoScaling::AutoScalingGroup'))[0];
    expect(del).toContain(asgId); // references the group: deleted before it
    expect(cr.DependsOn.some((d: string) => /CapacityProvider/.test(d))).toBe(true); // deleted before the provider
    expect(cluster.serviceDependencies!.map((d) => (d as any).node.path)).toEqual(['Test/Cluster/Cluster', 'Test/Cluster/ForceDeleteOnTeardown']);
    const policy = Object.values<any>(template.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p).includes('autoscaling:DeleteAutoScalingGroup'));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Action: 'autoscaling:DeleteAutoScalingGroup',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', expect.arrayContaining([':autoScalingGroup:*:autoScalingGroupName/', { Ref: asgId }])] },
    }]);
  });
});

test('graviton: t4g.medium and the arm64 ECS image', () => {
  const { cluster, template } = build({ graviton: true });
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ InstanceType: 't4g.medium' }) });
  const params = Object.values<any>(template.toJSON().Parameters).map((p) => p.Default);
  expect(params).toContain('/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id');
  expect(cluster.cpuArchitecture).toBe(ecs.CpuArchitecture.ARM64);
});

test('spot instances drain their tasks on an interruption notice', () => {
  const { template } = build({ spot: true });
  const lt = Object.values<any>(template.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData;
  expect(JSON.stringify(lt.UserData)).toContain('echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config');
});

test('Egress.none() needs the EC2 capacity endpoints', () => {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', { egress: Egress.none() });
  expect(() => new Ec2Cluster(stack, 'Cluster', { network })).toThrow(/needs the ECS, ECS agent and ECS telemetry endpoints.*use `Egress.none\(\{ ec2Capacity: true \}\)`/);
  const network2 = new Network(stack, 'Network2', { egress: Egress.none({ ec2Capacity: true }) });
  expect(new Ec2Cluster(stack, 'Cluster2', { network: network2 }).network).toBe(network2);
});

test('spot, capacity and volume props', () => {
  const { template } = build({ spot: true, minCapacity: 1, maxCapacity: 4, rootVolumeSize: 60, instanceType: new ec2.InstanceType('m7i.large') });
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({
      InstanceType: 'm7i.large',
      InstanceMarketOptions: { MarketType: 'spot', SpotOptions: Match.objectLike({ SpotInstanceType: 'one-time' }) },
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 60 }) })],
    }),
  });
  template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '1', MaxSize: '4' });
});

test.each([
  [{ minCapacity: 5, maxCapacity: 2 }, /`minCapacity` \(5\) must be <= `maxCapacity` \(2\)/],
  [{ minCapacity: -1 }, /`minCapacity` must be a whole number from 0 to 5000, got -1: use 0 to 5000 instances/],
  [{ rootVolumeSize: 8 }, /`rootVolumeSize` must be a whole number from 30 to 16384, got 8: use 30 to 16384 GiB/],
  [{ instanceType: new ec2.InstanceType('t4g.medium') }, /`instanceType` t4g.medium is arm64 but `graviton` is false: set `graviton: true`/],
  [{ instanceType: new ec2.InstanceType('t3.medium'), graviton: true }, /is x86_64 but `graviton` is true/],
])('bad input %#', (props, message) => {
  expect(() => build(props)).toThrow(message);
});

test('a network without private subnets is refused', () => {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', { egress: Egress.publicSubnetsOnly() });
  expect(() => new Ec2Cluster(stack, 'Cluster', { network })).toThrow(/Ec2Cluster needs private subnets/);
});

test('cdk-nag AwsSolutions: only reasoned acknowledgements', () => {
  const { stack, cluster } = build();
  const findings = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual([
    'AwsSolutions-AS3',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
    'AwsSolutions-IAM5[Action::ecs:Submit*]',
    'AwsSolutions-IAM5[Resource::*]',
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/<ClusterAutoScalingGroupASG8FBA5099>]',
  ].sort());
  Validations.of(cluster.autoScalingGroup).acknowledge({ id: 'AwsSolutions-AS3', reason: 'Scaling is managed by the ECS capacity provider; its events are in ECS' });
  Validations.of(cluster.instanceRole).acknowledge({ id: findings.find((f) => f.includes('EC2ContainerService'))!, reason: 'The ECS agent\'s policy, maintained by AWS (seed)' });
  Validations.of(cluster.executionRole).acknowledge({ id: findings.find((f) => f.includes('TaskExecution'))!, reason: 'The seed\'s execution policy, maintained by AWS' });
  Validations.of(cluster.instanceRole).acknowledge(
    { id: 'AwsSolutions-IAM5[Action::ecs:Submit*]', reason: 'ECS agent permissions added by aws-cdk-lib for the capacity provider' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ECS agent permissions added by aws-cdk-lib; ECS scopes them by cluster condition' },
  );
  Validations.of(cluster).acknowledge({
    id: findings.find((f) => f.includes('autoScalingGroupName/'))!,
    reason: 'The wildcard is the group ARN\'s generated UUID part; the name pins the one group the teardown may delete',
  });
  Validations.of(stack).acknowledge(
    { id: findings.find((f) => f.includes('LambdaBasic'))!, reason: 'The CDK AwsCustomResource provider (teardown helper) logs with the basic execution policy' },
  );
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});
