import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LEAN_PRESET_CONTEXT, readReferenceContext } from '@portcullis-apps/reference-kit';
import { AppUnderTest, describeAlbDeployments, describeLeanPreset, describeMonitoring, HTTPS_CONTEXTS, redirectOnlyProblems } from '@portcullis-apps/reference-kit/lib/testing';
import { CostEstimator, ExposureChecks } from '@portcullis/audit';
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

describe('HTTPS: both documented options synthesize with no unacknowledged policy finding (F3)', () => {
  // Before issue 22 both failed `cdk synth` on NIST.800.53.R5-ELBv2ACMCertificateRequired: the
  // port-80 listener has no certificate. It only redirects to 443, the acknowledgement's reason.
  test.each(HTTPS_CONTEXTS.map(([name, context]) => [name, context] as const))('%s', (_, context) => {
    const app = new App({ context: { ...context } });
    const s = new Ec2AlbApiStack(app, 'Ec2AlbApi', readReferenceContext(app));
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    expect(redirectOnlyProblems(t.toJSON())).toEqual([]);
  });

  test('without a certificate the port-80 listener serves the API (the other acknowledgement), so the redirect check refuses it', () => {
    expect(redirectOnlyProblems(template.toJSON())).not.toEqual([]);
  });
});

describe('lean preset: -c capacity=spot -c architecture=arm64 -c ipv6=true', () => {
  const app = new App({ context: { ...LEAN_PRESET_CONTEXT } });
  const s = new Ec2AlbApiStack(app, 'Lean', readReferenceContext(app));
  const t = Template.fromStack(s);

  test('Spot Graviton instances (t4g.small in the lean preset, arm64 image); the task definition follows; tasks private', () => {
    const lt = Object.values<any>(t.findResources('AWS::EC2::LaunchTemplate')).find((l) => l.Properties.LaunchTemplateData.InstanceType)!;
    expect(lt.Properties.LaunchTemplateData.InstanceType).toBe('t4g.small');
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

const subject: AppUnderTest<Ec2AlbApiStack> = {
  create: (app, id, props) => new Ec2AlbApiStack(app, id, props),
  ingressName: 'the ALB',
  rollbackAlarms: (s) => s.ingress.rollbackAlarmsFor(s.service),
  monitoringAlarms: { count: 12, what: 'CPU, memory, running tasks, target 5xx rate, unhealthy targets, no healthy target, load-balancer 5xx rate, p99; 2 per NAT gateway' },
};
describeAlbDeployments(subject);
describeMonitoring(subject);
describeLeanPreset(subject, { targetUsd: 55, leanUsd: 49.15, defaultUsd: 153.92, estimate: (synthesized) => CostEstimator.estimateTemplate(synthesized) }); // issue 23: the lean EC2 floor, every line priced
