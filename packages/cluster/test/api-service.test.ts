import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Egress, Network } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { ApiService, ApiServiceProps, Ec2Cluster, FargateCluster } from '../src';

function fargate(props: Partial<ApiServiceProps> = {}, egress?: Egress) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', { egress });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, ...props });
  return {
    stack, network, cluster, service,
    // synthesized on first use, so tests can still add constructs before reading it
    get template() { return Template.fromStack(stack); },
  };
}

function container(template: Template) {
  const td = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0];
  expect(td.Properties.ContainerDefinitions).toHaveLength(1);
  return { td: td.Properties, c: td.Properties.ContainerDefinitions[0] };
}

describe('Fargate defaults (seed parity, then safer)', () => {
  const built = fargate({ serviceName: 'orders' });
  const service = built.service;
  const template = built.template;

  test('task definition: family = service name, awsvpc, FARGATE, 256/512, one container on 80, the nginx image', () => {
    const { td, c } = container(template);
    expect(td).toEqual(expect.objectContaining({
      Family: 'orders', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], Cpu: '256', Memory: '512',
    }));
    expect(c.Image).toBe('public.ecr.aws/docker/library/nginx:latest');
    expect(c.PortMappings).toEqual([{ ContainerPort: 80, HostPort: 80, Protocol: 'tcp' }]);
    expect(c.Cpu).toBe(256);
    expect(c.Memory).toBe(512);
    expect(td.RuntimePlatform).toEqual({ CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' });
  });

  test('logs: awslogs, non-blocking, 25m buffer, stream prefix = service name, own log group kept one month and removed with the stack', () => {
    const { c } = container(template);
    expect(c.LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': { Ref: expect.stringMatching(/^ApiLogGroup/) },
        'awslogs-stream-prefix': 'orders',
        'awslogs-region': { Ref: 'AWS::Region' },
        'mode': 'non-blocking',
        'max-buffer-size': '25m',
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete',
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: Match.stringLikeRegexp('AWS-owned keys') }] } },
    });
  });

  test('service: 2 tasks, 200%/75%, circuit breaker with rollback, private subnets, no public IP, own group', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'orders',
      DesiredCount: 2,
      DeploymentConfiguration: { MaximumPercent: 200, MinimumHealthyPercent: 75, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
      NetworkConfiguration: { AwsvpcConfiguration: {
        AssignPublicIp: 'DISABLED',
        Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
        SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ApiSecurityGroup'), 'GroupId'] }],
      } },
      EnableExecuteCommand: false,
    });
    expect(service.assignPublicIp).toBe(false);
  });

  test('security group starts with no inbound rules; empty task role', () => {
    const group = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('API service tasks') } }))[0];
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const taskRoleId = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('Task role') } }))[0];
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(taskRoleId));
    expect(policies).toEqual([]);
  });

  test('members', () => {
    expect(service.containerPort).toBe(80);
    expect(service.connections.securityGroups).toEqual([service.securityGroup]);
    expect(service.container.containerName).toBe('api');
  });
});

test('props: image, port, size, count, env, health check, retention, deployment percentages, arm64, readonly fs, exec', () => {
  const { template } = fargate({
    image: ecs.ContainerImage.fromRegistry('example/api:1'), containerPort: 8080, cpu: 512, memory: 2048, desiredCount: 3,
    environment: { STAGE: 'prod' }, healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'] },
    logRetention: logs.RetentionDays.ONE_WEEK, minHealthyPercent: 100, maxHealthyPercent: 150,
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 }, readonlyRootFilesystem: true, enableExecuteCommand: true, circuitBreaker: false,
  });
  const { td, c } = container(template);
  expect(td).toEqual(expect.objectContaining({ Cpu: '512', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } }));
  expect(c).toEqual(expect.objectContaining({
    Image: 'example/api:1', PortMappings: [{ ContainerPort: 8080, HostPort: 8080, Protocol: 'tcp' }],
    Environment: [{ Name: 'STAGE', Value: 'prod' }], ReadonlyRootFilesystem: true,
    HealthCheck: expect.objectContaining({ Command: ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1'] }),
  }));
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  template.hasResourceProperties('AWS::ECS::Service', {
    DesiredCount: 3, EnableExecuteCommand: true,
    DeploymentConfiguration: Match.objectLike({ MaximumPercent: 150, MinimumHealthyPercent: 100 }),
  });
  const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
  expect(svc.Properties.DeploymentConfiguration.DeploymentCircuitBreaker).toBeUndefined();
});

test('autoScaling: target tracking on CPU 70% between 2 and 10 by default, memory on request', () => {
  const { template } = fargate({ autoScaling: { targetMemoryUtilization: 80 } });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
    TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
  });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
    TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 80, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' } }),
  });
});

test('secrets are injected and the execution role may read them', () => {
  const stack = new Stack(new App(), 'Test');
  const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
  const param = new (require('aws-cdk-lib/aws-ssm').StringParameter)(stack, 'P', { stringValue: 'x' });
  new ApiService(stack, 'Api', { cluster, secrets: { TOKEN: ecs.Secret.fromSsmParameter(param) } });
  const template = Template.fromStack(stack);
  expect(container(template).c.Secrets).toEqual([{ Name: 'TOKEN', ValueFrom: expect.anything() }]);
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(policies).toContain('ssm:GetParameters');
});

describe('EC2 capacity', () => {
  const stack = new Stack(new App(), 'Test');
  const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
  const service = new ApiService(stack, 'Api', { cluster, serviceName: 'orders' });
  const template = Template.fromStack(stack);

  test('awsvpc EC2 task definition, capacity provider strategy (base 0, weight 1), spread over AZs then binpack CPU', () => {
    const { td } = container(template);
    expect(td).toEqual(expect.objectContaining({
      NetworkMode: 'awsvpc', RequiresCompatibilities: ['EC2'], Cpu: '256', Memory: '512',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    }));
    template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: { Ref: Match.stringLikeRegexp('CapacityProvider') }, Base: 0, Weight: 1 }],
      PlacementStrategies: [{ Type: 'spread', Field: 'attribute:ecs.availability-zone' }, { Type: 'binpack', Field: 'CPU' }],
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    expect(service.cluster).toBe(cluster);
  });

  test('runtimePlatform must match the instances', () => {
    const s2 = new Stack(new App(), 'Arm');
    const c2 = new Ec2Cluster(s2, 'Cluster', { network: new Network(s2, 'Network') });
    expect(() => new ApiService(s2, 'Api', { cluster: c2, runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } }))
      .toThrow(/`runtimePlatform.cpuArchitecture` ARM64 does not match the EC2 cluster's instances \(X86_64\): set `graviton`/);
  });
});

describe('hooks for the ingresses', () => {
  test('attachToTargetGroup registers ip targets on the container port and waits for the listener', () => {
    const { stack, network, service } = fargate();
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: network.vpc, internetFacing: true });
    const listener = lb.addListener('Http', { port: 80, open: false });
    const tg = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc: network.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
    listener.addTargetGroups('Default', { targetGroups: [tg] });
    service.attachToTargetGroup(tg, listener);
    service.allowFrom(lb);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [{ ContainerName: 'api', ContainerPort: 80, TargetGroupArn: { Ref: Match.stringLikeRegexp('Tg') } }] });
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^LbHttp/)]));
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: Match.anyValue() });
  });

  test('registerInCloudMap uses SRV records on the container port; A records are refused', () => {
    const { stack, network, service } = fargate({ containerPort: 8080 });
    const ns = new servicediscovery.PrivateDnsNamespace(stack, 'Ns', { name: 'internal', vpc: network.vpc });
    const srv = ns.createService('Srv', { dnsRecordType: servicediscovery.DnsRecordType.SRV, dnsTtl: require('aws-cdk-lib').Duration.seconds(0) });
    service.registerInCloudMap(srv);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceRegistries: [{ RegistryArn: Match.anyValue(), ContainerName: 'api', ContainerPort: 8080 }],
    });
    const other = fargate();
    const ns2 = new servicediscovery.PrivateDnsNamespace(other.stack, 'Ns', { name: 'internal', vpc: other.network.vpc });
    const a = ns2.createService('A', { dnsRecordType: servicediscovery.DnsRecordType.A });
    expect(() => other.service.registerInCloudMap(a)).toThrow(/needs a Cloud Map service with SRV records/);
  });
});

describe('public IPs only on a public-only network, explicitly', () => {
  test('publicSubnetsOnly + assignPublicIp: public subnets, ENABLED, with a warning', () => {
    const { stack, template } = fargate({ assignPublicIp: true }, Egress.publicSubnetsOnly());
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED', Subnets: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }] }) },
    });
    Annotations.fromStack(stack).hasWarning('/Test/Api', Match.stringLikeRegexp('public IPs'));
  });
  test('publicSubnetsOnly without assignPublicIp is an error', () => {
    expect(() => fargate({}, Egress.publicSubnetsOnly())).toThrow(/no private subnets.*Set `assignPublicIp: true`/);
  });
  test('assignPublicIp on a network with private subnets is an error', () => {
    expect(() => fargate({ assignPublicIp: true })).toThrow(/`assignPublicIp: true` is only for networks without private subnets/);
  });
});

test.each([
  [{ cpu: 256, memory: 4096 }, /`memory` 4096 is not valid with `cpu` 256 on Fargate: use 512, 1024, 2048/],
  [{ cpu: 300 }, /`cpu` must be one of 256, 512, 1024.*got 300/],
  [{ desiredCount: -1 }, /`desiredCount` must be a whole number >= 0, got -1/],
  [{ containerPort: 0 }, /`containerPort` must be a whole number from 1 to 65535, got 0/],
  [{ containerPort: 70000 }, /got 70000/],
  [{ minHealthyPercent: 150, maxHealthyPercent: 120 }, /`minHealthyPercent` \(150\) must be <= `maxHealthyPercent` \(120\)/],
  [{ autoScaling: { minCapacity: 5, maxCapacity: 2 } }, /`autoScaling.minCapacity` \(5\) must be <= `autoScaling.maxCapacity` \(2\)/],
  [{ autoScaling: { targetCpuUtilization: 0 } }, /`autoScaling.targetCpuUtilization` must be a whole number from 1 to 100, got 0/],
  [{ logRetention: logs.RetentionDays.INFINITE }, /`logRetention` must be finite/],
])('bad input %#', (props, message) => {
  expect(() => fargate(props as Partial<ApiServiceProps>)).toThrow(message);
});

test('cdk-nag AwsSolutions on a Fargate service: only reasoned acknowledgements', () => {
  const { stack, cluster, service } = fargate();
  const findings = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]']);
  Validations.of(cluster.executionRole).acknowledge({ id: findings[0], reason: 'The seed\'s execution policy, maintained by AWS' });
  expect(service.taskRole).toBeDefined();
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});

test('property: random valid services synthesize, no task gets a public IP, the service group never has a CIDR ingress', () => {
  const sizes: Array<[number, number]> = [[256, 512], [256, 1024], [512, 1024], [512, 4096], [1024, 2048], [2048, 8192], [4096, 16384]];
  fc.assert(fc.property(
    fc.record({
      size: fc.constantFrom(...sizes),
      containerPort: fc.integer({ min: 1, max: 65535 }),
      desiredCount: fc.integer({ min: 0, max: 20 }),
      minHealthyPercent: fc.integer({ min: 0, max: 100 }),
      maxHealthyPercent: fc.integer({ min: 100, max: 200 }),
      autoScale: fc.boolean(),
      circuitBreaker: fc.boolean(),
      arm: fc.boolean(),
    }),
    (p) => {
      const { template, service } = fargate({
        cpu: p.size[0], memory: p.size[1], containerPort: p.containerPort, desiredCount: p.desiredCount,
        minHealthyPercent: p.minHealthyPercent, maxHealthyPercent: p.maxHealthyPercent, circuitBreaker: p.circuitBreaker,
        autoScaling: p.autoScale ? { minCapacity: 1, maxCapacity: 5 } : undefined,
        runtimePlatform: { cpuArchitecture: p.arm ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64 },
      });
      const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
      expect(svc.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
      const groupId = (service.securityGroup.node.defaultChild as ec2.CfnSecurityGroup).logicalId;
      const g = Object.entries<any>(template.toJSON().Resources).find(([id]) => id.startsWith('ApiSecurityGroup'))![1];
      expect(g.Properties.SecurityGroupIngress ?? []).toEqual([]);
      expect(groupId).toBeDefined();
    },
  ), { numRuns: 200 });
});
