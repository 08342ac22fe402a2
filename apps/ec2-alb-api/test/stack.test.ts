import { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Ec2AlbApiStack } from '../src/stack';

const stack = new Ec2AlbApiStack(new App(), 'Ec2AlbApi');
const template = Template.fromStack(stack);
const json = template.toJSON();

describe('seed parity (PATTERNS.md)', () => {
  test('large VPC with a NAT gateway per AZ', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  test('EC2 cluster: AL2023 ECS AMI, IMDSv2, 50 GiB encrypted gp3, ASG min 0 / max 100 protected, capacity provider 100% 1-100 60 s', () => {
    const lt = Object.values<any>(template.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData;
    expect(lt.MetadataOptions.HttpTokens).toBe('required');
    expect(lt.BlockDeviceMappings[0].Ebs).toEqual(expect.objectContaining({ VolumeSize: 50, VolumeType: 'gp3', Encrypted: true }));
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '0', MaxSize: '100', NewInstancesProtectedFromScaleIn: true });
    template.hasResourceProperties('AWS::ECS::CapacityProvider', { AutoScalingGroupProvider: Match.objectLike({
      ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100, MinimumScalingStepSize: 1, MaximumScalingStepSize: 100, InstanceWarmupPeriod: 60 },
      ManagedTerminationProtection: 'ENABLED', ManagedDraining: 'ENABLED',
    }) });
    template.resourceCountIs('Custom::ForceDeleteAutoScalingGroup', 1);
  });

  test('service on EC2: awsvpc, capacity provider strategy, spread AZ then binpack CPU, no public IP', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { NetworkMode: 'awsvpc', RequiresCompatibilities: ['EC2'] });
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      CapacityProviderStrategy: [Match.objectLike({ Base: 0, Weight: 1 })],
      PlacementStrategies: [{ Type: 'spread', Field: 'attribute:ecs.availability-zone' }, { Type: 'binpack', Field: 'CPU' }],
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
  });

  test('ALB with the seed target group', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip', HealthCheckIntervalSeconds: 6, UnhealthyThresholdCount: 10 });
  });
});

test('outputs: URL, egress IPs, cluster, service, log group, dashboard', () => {
  expect(Object.keys(json.Outputs).sort()).toEqual(['ClusterName', 'Dashboard', 'EgressIps', 'LogGroup', 'ServiceName', 'Url']);
});

test('policy packs: no unacknowledged cdk-nag finding; no Portcullis finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  expect(new ExposureChecks().checkTemplate(json)).toEqual([]);
});

test('template size: under 80,000 bytes (budget), far below CloudFormation\'s S3 template limit', () => {
  // Over 51,200 bytes (the TemplateBody limit) since the alarms and dashboard; `cdk deploy` then
  // uploads the template to the bootstrap bucket (README: `npx cdk bootstrap`), where the limit
  // is 1 MB (460,800 bytes in older quotas).
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
  expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThan(80000);
});

test('context egress none: VPC endpoints for EC2 container instances, no NAT', () => {
  const app = new App({ context: { egress: 'none', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1' } });
  const t = Template.fromStack(new Ec2AlbApiStack(app, 'Ctx', readReferenceContext(app)));
  t.resourceCountIs('AWS::EC2::NatGateway', 0);
  const services = JSON.stringify(Object.values<any>(t.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties.ServiceName));
  for (const s of ['ecr.api', 'ecr.dkr', '.logs', '.ecs"', 'ecs-agent', 'ecs-telemetry']) expect(services).toContain(s);
});

test('context egress none without a private ECR image fails before synth, naming `image` and the fix', () => {
  expect(() => readReferenceContext(new App({ context: { egress: 'none' } })))
    .toThrow(/Context `egress=none` needs `image` in a private ECR registry, got no `image`.*create-pull-through-cache-rule/);
  // programmatic props get the same check, before the service (and cluster's own check) exists
  expect(() => new Ec2AlbApiStack(new App(), 'Props', { egress: readReferenceContext(new App({ context: { egress: 'none', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1' } })).egress }))
    .toThrow(/Context `egress=none` needs `image`/);
});

test('context availabilityZones: the network uses those AZs', () => {
  const app = new App({ context: { availabilityZones: 'us-east-1a,us-east-1c' } });
  const t = Template.fromStack(new Ec2AlbApiStack(app, 'Azs', readReferenceContext(app)));
  const azs = Object.values<any>(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
  expect([...new Set(azs)].sort()).toEqual(['us-east-1a', 'us-east-1c']);
});

test('context healthCheckPath sets the ALB health check path; none is refused (an ALB always checks)', () => {
  const app = new App({ context: { healthCheckPath: '/health' } });
  Template.fromStack(new Ec2AlbApiStack(app, 'Hc', readReferenceContext(app)))
    .hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health' });
  const off = new App({ context: { healthCheckPath: 'none' } });
  expect(() => new Ec2AlbApiStack(off, 'Off', readReferenceContext(off))).toThrow(/`healthCheckPath` 'none' turns off a container health check; an ALB always health-checks/);
});

describe('every egress strategy the README lists synthesizes with no unacknowledged policy finding', () => {
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1'; // egress=none pulls from private ECR only
  test.each(['natGatewayPerAz', 'singleNatGateway', 'natInstance', 'none'])('egress=%s', (egress) => {
    const app = new App({ context: { egress, image } });
    const s = new Ec2AlbApiStack(app, 'Ec2AlbApi', readReferenceContext(app));
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });
});

describe('lean preset: -c capacity=spot -c architecture=arm64 -c ipv6=true', () => {
  const LEAN = { egress: 'natInstance', capacity: 'spot', architecture: 'arm64', ipv6: 'true' };
  const app = new App({ context: LEAN });
  const s = new Ec2AlbApiStack(app, 'Lean', readReferenceContext(app));
  const t = Template.fromStack(s);

  test('Spot Graviton instances (t4g.medium, arm64 image); the task definition follows; tasks private', () => {
    const lt = Object.values<any>(t.findResources('AWS::EC2::LaunchTemplate')).find((l) => l.Properties.LaunchTemplateData.InstanceType)!;
    expect(lt.Properties.LaunchTemplateData.InstanceType).toBe('t4g.medium');
    expect(lt.Properties.LaunchTemplateData.InstanceMarketOptions.MarketType).toBe('spot');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: Match.objectLike({ CpuArchitecture: 'ARM64' }) });
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;
    expect(svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
  });

  test('dual-stack network and an ALB without public IPv4', () => {
    t.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack-without-public-ipv4' });
  });

  test('no unacknowledged policy finding', () => {
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });

  test.each([
    [{ capacity: 'mixed' }, /Context `capacity` 'mixed' is a Fargate capacity-provider mix.*-c capacity=spot/],
    [{ capacity: 'cheap' }, /Context `capacity` must be one of onDemand, spot, mixed, got 'cheap'/],
    [{ architecture: 'aarch64' }, /Context `architecture` must be one of x86_64, arm64, got 'aarch64'/],
    [{ ipv6: '1' }, /Context `ipv6` must be one of true, false, got '1'/],
  ])('bad value %j: an error naming the context key', (context, message) => {
    expect(() => {
      const a = new App({ context });
      new Ec2AlbApiStack(a, 'Bad', readReferenceContext(a));
    }).toThrow(message);
  });
});

describe('safe deployments: canary by default, -c deployment=rolling|canary|linear|blueGreen', () => {
  const serviceOf = (t: Template) => Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;
  const withContext = (context: Record<string, string>) => {
    const app = new App({ context });
    return Template.fromStack(new Ec2AlbApiStack(app, 'Deploy', readReferenceContext(app)));
  };

  test('default: CANARY 5 % for 3 min, bake 3 min, rollback on the ALB\'s two rollback alarms (both target groups), circuit breaker kept', () => {
    const svc = serviceOf(template);
    expect(svc.DeploymentConfiguration).toEqual(expect.objectContaining({
      Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 3 }, BakeTimeInMinutes: 3,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    }));
    const { Alarms } = svc.DeploymentConfiguration;
    expect(Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
    // Every name ECS watches is an alarm of this template: the ingress's rollbackAlarmsFor(service).
    const names = Alarms.AlarmNames.map((n: any) => n.Ref).sort();
    expect(names).toEqual(stack.ingress.rollbackAlarmsFor(stack.service).map((a) => stack.getLogicalId(a.node.defaultChild as CfnElement)).sort());
    expect(names).toHaveLength(2);
    for (const id of names) expect(json.Resources[id].Type).toBe('AWS::CloudWatch::Alarm');
    // ECS shifts traffic between two target groups on the production listener rule, with a role.
    const lb = svc.LoadBalancers[0];
    expect(lb.TargetGroupArn.Ref).not.toEqual(lb.AdvancedConfiguration.AlternateTargetGroupArn.Ref);
    expect(json.Resources[lb.AdvancedConfiguration.ProductionListenerRule.Ref].Type).toBe('AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(lb.AdvancedConfiguration.RoleArn['Fn::GetAtt'][1]).toBe('Arn');
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
  });

  test('the rollback alarm: target 5xx above 1 % of requests in 2 of 3 one-minute periods', () => {
    const id = serviceOf(template).DeploymentConfiguration.Alarms.AlarmNames[0].Ref;
    expect(json.Resources[id].Properties).toEqual(expect.objectContaining({
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 2,
    }));
    expect(JSON.stringify(json.Resources[id].Properties.Metrics)).toContain('HTTPCode_Target_5XX_Count');
  });

  test('rolling: no strategy step, no alternate target group, still rollback on the production group\'s alarm', () => {
    const t = withContext({ deployment: 'rolling' });
    const svc = serviceOf(t);
    expect(svc.DeploymentConfiguration.Strategy ?? 'ROLLING').toBe('ROLLING');
    expect(svc.DeploymentConfiguration.Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
    expect(svc.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(1);
    expect(svc.LoadBalancers[0].AdvancedConfiguration).toBeUndefined();
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
  });

  test.each([
    ['linear', 'LINEAR', { LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 2 } }],
    ['blueGreen', 'BLUE_GREEN', {}],
  ])('%s: strategy %s with rollback alarms', (deployment, strategy, extra) => {
    const svc = serviceOf(withContext({ deployment }));
    expect(svc.DeploymentConfiguration).toEqual(expect.objectContaining({ Strategy: strategy, BakeTimeInMinutes: 3, ...extra }));
    expect(svc.DeploymentConfiguration.Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
  });

  test('a bad value names `deployment` and the choices', () => {
    expect(() => readReferenceContext(new App({ context: { deployment: 'bigBang' } })))
      .toThrow(/Context `deployment` must be one of rolling, canary, linear, blueGreen, got 'bigBang'/);
  });
});

describe('monitoring: ApiMonitoring, its topic and -c alarmEmail', () => {
  test('alarms of the service, the ALB and each NAT gateway, and one dashboard (an output)', () => {
    expect(stack.monitoring.alarms).toHaveLength(10); // CPU, memory, running tasks, 5xx rate, unhealthy, p99; 2 per NAT gateway
    const rollback = stack.ingress.rollbackAlarmsFor(stack.service);
    template.resourceCountIs('AWS::CloudWatch::Alarm', stack.monitoring.alarms.length + rollback.length);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(json.Outputs.Dashboard.Value).toEqual({ Ref: expect.stringMatching(/^MonitoringDashboard/) });
  });

  test('every ApiMonitoring alarm notifies the KMS-encrypted topic; no subscription without alarmEmail', () => {
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(topic).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const id of Object.keys(json.Resources).filter((k) => /^Monitoring/.test(k) && json.Resources[k].Type === 'AWS::CloudWatch::Alarm')) {
      expect(json.Resources[id].Properties.AlarmActions).toEqual([{ Ref: topic[0] }]);
    }
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('alarmEmail subscribes the address; a bad address names `alarmEmail`', () => {
    const app = new App({ context: { alarmEmail: 'oncall@example.com' } });
    const t = Template.fromStack(new Ec2AlbApiStack(app, 'Email', readReferenceContext(app)));
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    expect(() => readReferenceContext(new App({ context: { alarmEmail: 'oncall at example.com' } })))
      .toThrow(/Context `alarmEmail` must be one email address, got 'oncall at example.com'/);
  });
});
