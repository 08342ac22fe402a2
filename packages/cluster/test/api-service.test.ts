import { App, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Egress, Network } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { ApiService, ApiServiceProps, Capacity, Deployment, Ec2Cluster, FargateCluster } from '../src';

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
  const param = new ssm.StringParameter(stack, 'P', { stringValue: 'x' });
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
      .toThrow(/`runtimePlatform.cpuArchitecture` ARM64 does not match the EC2 cluster's instances \(X86_64\): set `graviton: true` on the Ec2Cluster/);
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
    const srv = ns.createService('Srv', { dnsRecordType: servicediscovery.DnsRecordType.SRV, dnsTtl: Duration.seconds(0) });
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
  [{ desiredCount: -1 }, /`desiredCount` must be a whole number from 0 to 5000, got -1: use 0 to 5000 tasks/],
  [{ containerPort: 0 }, /`containerPort` must be a whole number from 1 to 65535, got 0/],
  [{ containerPort: 70000 }, /got 70000/],
  [{ minHealthyPercent: 150, maxHealthyPercent: 120 }, /`minHealthyPercent` \(150\) must be less than `maxHealthyPercent` \(120\).*Lower `minHealthyPercent` to 119 or less, or raise `maxHealthyPercent` to 151 or more/],
  [{ minHealthyPercent: 100, maxHealthyPercent: 100 }, /`minHealthyPercent` \(100\) must be less than `maxHealthyPercent` \(100\)/],
  [{ autoScaling: { minCapacity: 5, maxCapacity: 2 } }, /`autoScaling.minCapacity` \(5\) must be <= `autoScaling.maxCapacity` \(2\)/],
  [{ autoScaling: { targetCpuUtilization: 0 } }, /`autoScaling.targetCpuUtilization` must be a whole number from 1 to 100, got 0/],
  [{ logRetention: logs.RetentionDays.INFINITE }, /`logRetention` must be a finite retention, got RetentionDays.INFINITE.*use e.g. RetentionDays.ONE_YEAR/],
])('bad input %#', (props, message) => {
  expect(() => fargate(props as Partial<ApiServiceProps>)).toThrow(message);
});

test('cdk-nag AwsSolutions on a Fargate service: only reasoned acknowledgements', () => {
  const { stack, cluster, service } = fargate();
  const findings = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]']);
  Validations.of(cluster.executionRole).acknowledge({ id: findings[0], reason: 'The seed\'s execution policy, maintained by AWS' });
  // the task role is the empty role the task definition runs with
  const template = Template.fromStack(stack);
  const [taskRoleId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('Task role') } }));
  expect(stack.resolve(service.taskRole.roleArn)).toEqual({ 'Fn::GetAtt': [taskRoleId, 'Arn'] });
  expect(container(template).td.TaskRoleArn).toEqual({ 'Fn::GetAtt': [taskRoleId, 'Arn'] });
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});

test('property: random valid services synthesize; tasks get public IPs only on a public-only network; the service group only admits other groups', () => {
  const sizes: Array<[number, number]> = [[256, 512], [256, 1024], [512, 1024], [512, 4096], [1024, 2048], [2048, 8192], [4096, 16384], [16384, 122880]];
  // on the default t3.medium / t4g.medium instances (2 vCPU, 4 GiB)
  const ec2Sizes: Array<[number, number]> = [[256, 512], [256, 1024], [512, 1024], [1024, 2048], [2048, 3072]];
  const hits = { publicOnly: 0, ec2: 0, alb: 0, cloudMap: 0, autoScale: 0, arm: 0, trafficShift: 0, trafficShiftWithoutAlb: 0, spot: 0, mixed: 0, ipv6: 0, spotInstances: 0 };
  const strategies = { rolling: () => Deployment.rolling(), canary: () => Deployment.canary(), linear: () => Deployment.linear(), blueGreen: () => Deployment.blueGreen() };
  fc.assert(fc.property(
    fc.record({
      // 'public' = Egress.publicSubnetsOnly() with assignPublicIp: true (Fargate only: Ec2Cluster refuses it)
      placement: fc.constantFrom('fargate', 'fargate', 'ec2', 'public'),
      size: fc.nat(sizes.length - 1),
      containerPort: fc.integer({ min: 1, max: 65535 }),
      desiredCount: fc.integer({ min: 0, max: 20 }),
      // a pair ECS accepts: minHealthyPercent < maxHealthyPercent (100 / 100 was refused by
      // aws-cdk-lib on EC2 capacity: the regression test 'minHealthyPercent 100 with maxHealthyPercent 100' below)
      healthyPercents: fc.integer({ min: 100, max: 200 }).chain((max) => fc.tuple(fc.integer({ min: 0, max: Math.min(100, max - 1) }), fc.constant(max))),
      autoScale: fc.boolean(),
      circuitBreaker: fc.boolean(),
      arm: fc.boolean(),
      alb: fc.boolean(),
      cloudMap: fc.boolean(),
      deployment: fc.constantFrom<keyof typeof strategies>('rolling', 'rolling', 'canary', 'linear', 'blueGreen'),
      // the lean options: Fargate capacity (EC2: Spot instances), IPv6 (not on a public-only network)
      capacity: fc.constantFrom('default', 'onDemand', 'spot', 'mixed'),
      ipv6: fc.boolean(),
    }),
    (p) => {
      const stack = new Stack(new App(), 'Test');
      const publicOnly = p.placement === 'public';
      const onEc2 = p.placement === 'ec2';
      const ipv6 = p.ipv6 && !publicOnly;
      const network = new Network(stack, 'Network', { egress: publicOnly ? Egress.publicSubnetsOnly() : undefined, ipv6 });
      const cluster = onEc2
        ? new Ec2Cluster(stack, 'Cluster', { network, graviton: p.arm, spot: p.capacity === 'spot' })
        : new FargateCluster(stack, 'Cluster', { network });
      const capacity = onEc2 || p.capacity === 'default' ? undefined
        : p.capacity === 'spot' ? Capacity.spot() : p.capacity === 'mixed' ? Capacity.mixed() : Capacity.onDemand();
      const [cpu, memory] = onEc2 ? ec2Sizes[p.size % ec2Sizes.length] : sizes[p.size];
      const service = new ApiService(stack, 'Api', {
        cluster, cpu, memory, containerPort: p.containerPort, desiredCount: p.desiredCount,
        minHealthyPercent: p.healthyPercents[0], maxHealthyPercent: p.healthyPercents[1], circuitBreaker: p.circuitBreaker,
        autoScaling: p.autoScale ? { minCapacity: 1, maxCapacity: 5 } : undefined,
        runtimePlatform: onEc2 ? undefined : { cpuArchitecture: p.arm ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64 },
        assignPublicIp: publicOnly ? true : undefined,
        deployment: strategies[p.deployment](),
        capacity,
      });
      const shift = p.deployment !== 'rolling';
      if (p.alb) {
        // what AlbIngress does: an ip target group on the container port, opened from the ALB's group
        const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: network.vpc, internetFacing: true });
        const listener = lb.addListener('Http', { port: 80, open: true });
        const tg = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc: network.vpc, port: p.containerPort, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
        listener.addTargetGroups('Default', { targetGroups: [tg] });
        if (shift) {
          // and for a traffic-shifting deployment: a second target group and a weighted production rule
          const green = new elbv2.ApplicationTargetGroup(stack, 'Green', { vpc: network.vpc, port: p.containerPort, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
          const rule = new elbv2.ApplicationListenerRule(stack, 'Rule', {
            listener, priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
            action: elbv2.ListenerAction.weightedForward([{ targetGroup: tg, weight: 100 }, { targetGroup: green, weight: 0 }]),
          });
          service.attachToTargetGroup(tg, rule, new ecs.AlternateTarget('Alt', { alternateTargetGroup: green, productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule) }));
        } else {
          service.attachToTargetGroup(tg, listener);
        }
        service.allowFrom(lb);
      }
      if (p.cloudMap) {
        // what ApiGatewayIngress does: SRV records in a private namespace
        const ns = new servicediscovery.PrivateDnsNamespace(stack, 'Ns', { name: 'internal', vpc: network.vpc });
        service.registerInCloudMap(ns.createService('Srv', { dnsRecordType: servicediscovery.DnsRecordType.SRV }));
      }
      if (shift && !p.alb) {
        // a traffic-shifting deployment without a load balancer never reaches CloudFormation
        expect(() => Template.fromStack(stack)).toThrow(/`deployment` Deployment\.(canary|linear|blueGreen)\(\) needs an Application Load Balancer/);
        hits.trafficShiftWithoutAlb++;
        return;
      }
      const template = Template.fromStack(stack);
      const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
      expect(svc.Properties.DeploymentController).toEqual({ Type: 'ECS' });
      expect(svc.Properties.DeploymentConfiguration.Strategy).toBe(({ rolling: 'ROLLING', canary: 'CANARY', linear: 'LINEAR', blueGreen: 'BLUE_GREEN' } as Record<string, string>)[p.deployment]);
      expect([svc.Properties.DeploymentConfiguration.MinimumHealthyPercent, svc.Properties.DeploymentConfiguration.MaximumPercent]).toEqual(p.healthyPercents);
      expect(!!svc.Properties.LoadBalancers?.[0]?.AdvancedConfiguration).toBe(shift);
      hits.trafficShift += shift ? 1 : 0;
      const awsvpc = svc.Properties.NetworkConfiguration.AwsvpcConfiguration;
      expect(awsvpc.AssignPublicIp).toBe(publicOnly ? 'ENABLED' : 'DISABLED');
      // never a launch type: a capacity-provider strategy, FARGATE_SPOT in it only with Spot
      // (so on-demand <-> Spot is a strategy change in place); EC2: the cluster's provider
      expect(svc.Properties.LaunchType).toBeUndefined();
      expect(svc.Properties.CapacityProviderStrategy.length).toBeGreaterThan(0);
      if (!onEc2) {
        const spot = capacity?.usesSpot ?? false;
        expect((svc.Properties.CapacityProviderStrategy ?? []).some((s: any) => s.CapacityProvider === 'FARGATE_SPOT')).toBe(spot);
        expect((svc.Properties.CapacityProviderStrategy ?? []).some((s: any) => s.CapacityProvider === 'FARGATE')).toBe(p.capacity !== 'spot');
      }
      // IPv6: the private subnets route ::/0 only to the egress-only gateway, never to the internet gateway
      const json = template.toJSON();
      const privateTables = new Set(Object.values<any>(json.Resources)
        .filter((r) => r.Type === 'AWS::EC2::SubnetRouteTableAssociation' && /PrivateSubnet/.test(r.Properties.SubnetId.Ref))
        .map((r) => r.Properties.RouteTableId.Ref));
      for (const r of Object.values<any>(json.Resources)) {
        if (r.Type !== 'AWS::EC2::Route' || !privateTables.has(r.Properties.RouteTableId.Ref)) continue;
        expect(r.Properties.GatewayId).toBeUndefined();
        if (r.Properties.DestinationIpv6CidrBlock) expect(r.Properties.EgressOnlyInternetGatewayId).toBeDefined();
      }
      expect(Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::EC2::EgressOnlyInternetGateway').length).toBe(ipv6 ? 1 : 0);
      // IPv6: the service waits for (and on delete goes before) every IPv6 block of the VPC and its subnets
      const ipv6Blocks = Object.keys(json.Resources).filter((id) => ['AWS::EC2::SubnetCidrBlock', 'AWS::EC2::VPCCidrBlock'].includes(json.Resources[id].Type));
      expect(ipv6Blocks.length > 0).toBe(ipv6);
      expect(svc.DependsOn ?? []).toEqual(expect.arrayContaining(ipv6Blocks));
      // (the exposure rules over the same random services: apps/ec2-alb-api/test/cluster-exposure.property.test.ts)
      const subnetIds: string[] = awsvpc.Subnets.map((s: any) => s.Ref);
      expect(subnetIds.length).toBeGreaterThan(0);
      for (const id of subnetIds) expect(id).toMatch(publicOnly ? /PublicSubnet/ : /PrivateSubnet/);
      expect(template.toJSON().Resources[svc.Properties.TaskDefinition.Ref].Properties.RequiresCompatibilities).toEqual([onEc2 ? 'EC2' : 'FARGATE']);

      const groupId = (service.securityGroup.node.defaultChild as ec2.CfnSecurityGroup).logicalId;
      expect(stack.resolve(groupId)).toMatch(/^ApiSecurityGroup/);
      expect(awsvpc.SecurityGroups).toEqual([{ 'Fn::GetAtt': [stack.resolve(groupId), 'GroupId'] }]);
      const group = template.toJSON().Resources[stack.resolve(groupId)];
      expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
      const ingresses = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .filter((r) => JSON.stringify(r.Properties.GroupId).includes(stack.resolve(groupId)));
      // only the ALB's group, only on the container port; nothing without an ingress
      expect(ingresses.map((r) => [r.Properties.FromPort, r.Properties.ToPort, r.Properties.CidrIp, r.Properties.CidrIpv6, !!r.Properties.SourceSecurityGroupId]))
        .toEqual(p.alb ? [[p.containerPort, p.containerPort, undefined, undefined, true]] : []);
      expect((svc.Properties.LoadBalancers ?? []).length).toBe(p.alb ? 1 : 0);
      expect((svc.Properties.ServiceRegistries ?? []).map((r: any) => r.ContainerPort)).toEqual(p.cloudMap ? [p.containerPort] : []);

      hits.publicOnly += publicOnly ? 1 : 0;
      hits.ec2 += onEc2 ? 1 : 0;
      hits.alb += p.alb ? 1 : 0;
      hits.cloudMap += p.cloudMap ? 1 : 0;
      hits.autoScale += p.autoScale ? 1 : 0;
      hits.arm += p.arm ? 1 : 0;
      hits.spot += !onEc2 && p.capacity === 'spot' ? 1 : 0;
      hits.mixed += !onEc2 && p.capacity === 'mixed' ? 1 : 0;
      hits.ipv6 += ipv6 ? 1 : 0;
      hits.spotInstances += onEc2 && p.capacity === 'spot' ? 1 : 0;
    },
  ), { numRuns: 200 });
  // every branch the README cites was actually generated
  for (const [branch, count] of Object.entries(hits)) expect([branch, count > 0]).toEqual([branch, true]);
});

describe('regression (property test counterexample, fast-check seed -760546814): minHealthyPercent 100 with maxHealthyPercent 100', () => {
  // The valid-props property test drew this pair on EC2 capacity, and aws-cdk-lib's Ec2Service
  // threw "Minimum healthy percent must be less than maximum healthy percent", naming no prop.
  test('on EC2 capacity: refused by ApiService, naming both props, both values and the fix', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network'), graviton: false });
    expect(() => new ApiService(stack, 'Api', { cluster, minHealthyPercent: 100, maxHealthyPercent: 100 })).toThrow(
      /^`minHealthyPercent` \(100\) must be less than `maxHealthyPercent` \(100\): with the floor at or above the ceiling a rolling deployment can neither stop an old task nor start a new one first\. Lower `minHealthyPercent` to 99 or less, or raise `maxHealthyPercent` to 101 or more/);
  });
  test('on Fargate: refused the same way', () => {
    expect(() => fargate({ minHealthyPercent: 100, maxHealthyPercent: 100 })).toThrow(/`minHealthyPercent` \(100\) must be less than `maxHealthyPercent` \(100\)/);
  });
  test('neighbours: 99 / 100 and 100 / 101 synthesize on EC2 capacity', () => {
    for (const [min, max] of [[99, 100], [100, 101]]) {
      const stack = new Stack(new App(), 'Test');
      const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
      new ApiService(stack, 'Api', { cluster, minHealthyPercent: min, maxHealthyPercent: max });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: min, MaximumPercent: max }) });
    }
  });
});

describe('teardown order: services go before what their cluster needs', () => {
  test('EC2: the service DependsOn the capacity-provider association and the force-delete helper', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    new ApiService(stack, 'Api', { cluster });
    const template = Template.fromStack(stack);
    const [associationId] = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
    const [teardownId] = Object.keys(template.findResources('Custom::ForceDeleteAutoScalingGroup'));
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining([associationId, teardownId]));
  });

  test('Fargate: the service DependsOn the FARGATE / FARGATE_SPOT association', () => {
    const { template } = fargate();
    const [associationId] = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toContain(associationId);
  });
});

describe('Egress.none(): only images the VPC endpoints can serve', () => {
  const none = Egress.none();
  test.each([
    ['the default ECR Public nginx', undefined, /the default `image` 'public.ecr.aws\/docker\/library\/nginx:latest' \(ECR Public\) cannot be pulled: the network's egress is Egress.none\(\)/],
    ['Docker Hub', ecs.ContainerImage.fromRegistry('nginx:1.27'), /`image` 'nginx:1.27' \(registry docker.io\) cannot be pulled.*private ECR repository.*pull-through cache rule/],
    ['ECR Public', ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1'), /registry public.ecr.aws/],
    ['GitHub', ecs.ContainerImage.fromRegistry('ghcr.io/acme/api:2'), /registry ghcr.io/],
  ])('%s is refused, naming `image` and the fix', (_, image, message) => {
    expect(() => fargate({ image }, none)).toThrow(message);
  });

  test.each([
    ['a private ECR URI', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1'],
    ['a pull-through cache URI', '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/docker/library/nginx:latest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/docker/library/nginx:latest'],
    ['a tokenized private ECR URI', `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.amazonaws.com/api:1`,
      { 'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.amazonaws.com/api:1']] }],
  ])('%s is accepted', (_, name, expected) => {
    const { template } = fargate({ image: ecs.ContainerImage.fromRegistry(name) }, none);
    expect(container(template).c.Image).toEqual(expected);
  });

  test('an ECR repository image is accepted', () => {
    const stack = new Stack(new App(), 'Test');
    const network = new Network(stack, 'Network', { egress: Egress.none() });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');
    const service = new ApiService(stack, 'Api', { cluster, image: ecs.ContainerImage.fromEcrRepository(repository, '1') });
    expect(stack.resolve(service.container.imageName)).toEqual({ 'Fn::Join': ['', expect.arrayContaining([expect.stringContaining('.dkr.ecr.')])] });
  });

  test('public images stay allowed with NAT egress', () => {
    const { template } = fargate({ image: ecs.ContainerImage.fromRegistry('nginx:1.27') }, Egress.singleNatGateway());
    expect(container(template).c.Image).toBe('nginx:1.27');
  });
});

describe('read-only root filesystem: writable scratch volumes', () => {
  function mounts(template: Template) {
    const { td, c } = container(template);
    return { volumes: (td.Volumes ?? []).map((v: any) => v.Name), mounts: (c.MountPoints ?? []).map((m: any) => [m.ContainerPath, m.SourceVolume, m.ReadOnly]) };
  }

  test('default nginx image: /tmp, /var/cache/nginx and /var/run, each its own writable volume', () => {
    const { template, service } = fargate({ readonlyRootFilesystem: true });
    expect(mounts(template)).toEqual({
      volumes: ['scratch-0', 'scratch-1', 'scratch-2'],
      mounts: [['/tmp', 'scratch-0', false], ['/var/cache/nginx', 'scratch-1', false], ['/var/run', 'scratch-2', false]],
    });
    expect(service.writablePaths).toEqual(['/tmp', '/var/cache/nginx', '/var/run']);
    expect(container(template).c.ReadonlyRootFilesystem).toBe(true);
  });

  test('own image: /tmp only; writablePaths replaces the default', () => {
    const image = ecs.ContainerImage.fromRegistry('example/api:1');
    expect(mounts(fargate({ readonlyRootFilesystem: true, image }).template).mounts).toEqual([['/tmp', 'scratch-0', false]]);
    expect(mounts(fargate({ readonlyRootFilesystem: true, image, writablePaths: ['/app/cache/', '/tmp'] }).template).mounts)
      .toEqual([['/app/cache', 'scratch-0', false], ['/tmp', 'scratch-1', false]]);
  });

  test('with ECS Exec, the exec agent\'s directories are writable too', () => {
    const { service } = fargate({ readonlyRootFilesystem: true, enableExecuteCommand: true, image: ecs.ContainerImage.fromRegistry('example/api:1') });
    expect(service.writablePaths).toEqual(['/tmp', '/managed-agents', '/var/lib/amazon/ssm', '/var/log/amazon/ssm']);
  });

  test('a writable root filesystem gets no volumes', () => {
    const { template, service } = fargate({ enableExecuteCommand: true });
    expect(mounts(template)).toEqual({ volumes: [], mounts: [] });
    expect(service.writablePaths).toEqual([]);
  });

  test.each([
    [['tmp'], /`writablePaths` entries must be absolute paths.*got 'tmp'/],
    [['/'], /`writablePaths` cannot contain '\/'.*turn `readonlyRootFilesystem` off/],
    [['/tmp', '/tmp/'], /`writablePaths` lists '\/tmp' twice/],
    [['/a/../etc'], /must be absolute paths.*got '\/a\/..\/etc'/],
    [['/with space'], /got '\/with space'/],
  ])('bad writablePaths %j', (writablePaths, message) => {
    expect(() => fargate({ readonlyRootFilesystem: true, writablePaths })).toThrow(message);
  });
});

describe('ECS Exec under Egress.none(): the ssmmessages endpoint', () => {
  const image = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');
  const ssmMessages = (template: Template) => Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint'))
    .filter((e) => JSON.stringify(e.Properties.ServiceName).includes('ssmmessages'));

  test('added once, even for two services', () => {
    const { stack, cluster, template } = fargate({ enableExecuteCommand: true, image }, Egress.none());
    new ApiService(stack, 'Api2', { cluster, enableExecuteCommand: true, image });
    expect(ssmMessages(template)).toHaveLength(1);
    expect(ssmMessages(template)[0].Properties).toEqual(expect.objectContaining({ VpcEndpointType: 'Interface', PrivateDnsEnabled: true }));
  });

  test('not added without exec, nor with NAT egress', () => {
    expect(ssmMessages(fargate({ image }, Egress.none()).template)).toHaveLength(0);
    expect(ssmMessages(fargate({ enableExecuteCommand: true }, Egress.singleNatGateway()).template)).toHaveLength(0);
  });
});

describe('first deploy: tasks start only once they can pull and log', () => {
  test('NAT egress: the service waits for the private subnets\' default routes', () => {
    const { template } = fargate({}, Egress.natGatewayPerAz());
    const routes = Object.entries<any>(template.findResources('AWS::EC2::Route'))
      .filter(([id]) => /PrivateSubnet\dDefaultRoute/.test(id)).map(([id]) => id);
    expect(routes).toHaveLength(2);
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining(routes));
  });

  test.each(['fargate', 'ec2'])('IPv6 (%s): the service waits for the VPC block and every subnet\'s /64 (F7: tasks start with IPv6; on delete the service drains before the blocks go)', (kind) => {
    const stack = new Stack(new App(), 'Test');
    const network = new Network(stack, 'Network', { ipv6: true });
    const cluster = kind === 'ec2' ? new Ec2Cluster(stack, 'Cluster', { network }) : new FargateCluster(stack, 'Cluster', { network });
    new ApiService(stack, 'Api', { cluster });
    const template = Template.fromStack(stack);
    const subnetBlocks = Object.keys(template.findResources('AWS::EC2::SubnetCidrBlock'));
    const vpcBlocks = Object.keys(template.findResources('AWS::EC2::VPCCidrBlock'));
    expect(subnetBlocks.filter((id) => /PrivateSubnet/.test(id))).toHaveLength(2);
    expect(vpcBlocks).toHaveLength(1);
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining([...subnetBlocks, ...vpcBlocks]));
  });

  test('without IPv6 the service depends on no IPv6 block (there is none)', () => {
    const { template } = fargate();
    expect(Object.keys(template.findResources('AWS::EC2::SubnetCidrBlock'))).toEqual([]);
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect((svc.DependsOn as string[]).filter((d) => /Ipv6/.test(d))).toEqual([]);
  });

  test('Egress.none(): the service waits for every VPC endpoint (S3, ECR api and dkr, logs)', () => {
    const { template } = fargate({ image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1') }, Egress.none());
    const endpoints = Object.keys(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints).toHaveLength(4);
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining(endpoints));
  });
});

test('the task role trusts only this account\'s ECS tasks (confused-deputy conditions, like the execution role)', () => {
  const { template } = fargate();
  const [taskRole] = Object.values<any>(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('^Task role of the API service') } }));
  expect(taskRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
    Principal: { Service: 'ecs-tasks.amazonaws.com' },
    Condition: {
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*']] } },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    },
  })]);
});
