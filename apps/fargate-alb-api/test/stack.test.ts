import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LEAN_PRESET_CONTEXT, readReferenceContext } from '@portcullis-apps/reference-kit';
import { AppUnderTest, describeAlbDeployments, describeLeanPreset, describeMonitoring, HTTPS_CONTEXTS, redirectOnlyProblems } from '@portcullis-apps/reference-kit/lib/testing';
import { CostEstimator, ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AlbIngress } from '@portcullis/alb-ingress';
import { FargateAlbApiStack } from '../src/stack';

const stack = new FargateAlbApiStack(new App(), 'FargateAlbApi');
const template = Template.fromStack(stack);
const json = template.toJSON();

describe('seed parity (PATTERNS.md)', () => {
  test('large VPC: 10.0.0.0/16, DNS, 2 public + 2 private /18, IGW, a NAT gateway and EIP per AZ', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    const cidrs = Object.values<any>(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.CidrBlock).sort();
    expect(cidrs).toEqual(['10.0.0.0/18', '10.0.128.0/18', '10.0.192.0/18', '10.0.64.0/18']);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::EIP', 2);
  });

  test('Fargate cluster with Container Insights; execution role with confused-deputy conditions', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) })] },
    });
  });

  test('service: nginx, 256/512, port 80, 2 tasks, 200/75, private subnets, no public IP, awslogs non-blocking 25m', () => {
    const td = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
    expect(td).toEqual(expect.objectContaining({ Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'] }));
    const c = td.ContainerDefinitions[0];
    expect(c.Image).toBe('public.ecr.aws/docker/library/nginx:latest');
    expect(c.PortMappings).toEqual([{ ContainerPort: 80, HostPort: 80, Protocol: 'tcp' }]);
    expect(c.LogConfiguration.Options).toEqual(expect.objectContaining({ 'mode': 'non-blocking', 'max-buffer-size': '25m' }));
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      DeploymentConfiguration: Match.objectLike({ MaximumPercent: 200, MinimumHealthyPercent: 75, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }] }) },
    });
  });

  test('ALB: internet-facing, idle 30 s, HTTP 80, ip target group on 80, / every 6 s, 5 s, 2/10, deregistration 0', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '30' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip', Port: 80, Protocol: 'HTTP', HealthCheckPath: '/', HealthCheckIntervalSeconds: 6, HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2, UnhealthyThresholdCount: 10,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }]),
    });
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/IngressLoadBalancerHttp/)]));
  });

  test('better than the seed: no all-protocol rule anywhere, finite log retention', () => {
    const ingress = [
      ...Object.values<any>(template.findResources('AWS::EC2::SecurityGroup')).flatMap((g) => g.Properties.SecurityGroupIngress ?? []),
      ...Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties),
    ];
    expect(ingress.filter((r) => r.IpProtocol === '-1' && (r.CidrIp === '0.0.0.0/0' || r.SourceSecurityGroupId))).toEqual([]);
    for (const g of Object.values<any>(template.findResources('AWS::Logs::LogGroup'))) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

test('outputs: URL, egress IPs, cluster, service, log group, dashboard (no IPv6 output without ipv6)', () => {
  expect(Object.keys(json.Outputs).sort()).toEqual(['ClusterName', 'Dashboard', 'EgressIps', 'LogGroup', 'ServiceName', 'Url']);
});

test('policy packs: no unacknowledged cdk-nag finding (AwsSolutions, NIST 800-53 R5); no Portcullis finding with zero acknowledgements', () => {
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

test('context: image, containerPort, desiredCount, egress, domain', () => {
  const app = new App({ context: { image: 'example/api:1', containerPort: '8080', desiredCount: '3', egress: 'singleNatGateway', domainName: 'api.example.com', hostedZoneId: 'Z123' } });
  const t = Template.fromStack(new FargateAlbApiStack(app, 'Ctx', readReferenceContext(app)));
  t.resourceCountIs('AWS::EC2::NatGateway', 1);
  t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  // the tasks listen on 8080 (the service registers them there and the groups' health checks follow);
  // the target groups keep port 80, so changing containerPort on a deployed stack keeps them
  t.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [Match.objectLike({ ContainerPort: 8080 })] });
  t.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 80 });
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
  t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', HostedZoneId: 'Z123' });
  const td = Object.values<any>(t.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
  expect(td.ContainerDefinitions[0].Image).toBe('example/api:1');
});

test('context errors name the key and the fix', () => {
  expect(() => readReferenceContext(new App({ context: { containerPort: 'http' } }))).toThrow(/Context `containerPort` must be a whole number, got 'http'/);
  expect(() => readReferenceContext(new App({ context: { egress: 'cheap' } }))).toThrow(/Unknown egress strategy 'cheap'/);
});

test('context availabilityZones and healthCheckPath reach the network and the target group', () => {
  const app = new App({ context: { availabilityZones: 'us-east-1a,us-east-1b', healthCheckPath: '/healthz' } });
  const t = Template.fromStack(new FargateAlbApiStack(app, 'Ctx2', readReferenceContext(app)));
  const azs = Object.values<any>(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
  expect([...new Set(azs)].sort()).toEqual(['us-east-1a', 'us-east-1b']);
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/healthz' });
  const off = new App({ context: { healthCheckPath: 'none' } });
  expect(() => new FargateAlbApiStack(off, 'Off', readReferenceContext(off))).toThrow(/an ALB always health-checks its targets/);
});

test('context egress none: a private ECR image is required (the default is on ECR Public); with one, no NAT', () => {
  expect(() => readReferenceContext(new App({ context: { egress: 'none' } }))).toThrow(/Context `egress=none` needs `image`.*default public\.ecr\.aws/);
  expect(() => readReferenceContext(new App({ context: { egress: 'none', image: 'public.ecr.aws/docker/library/nginx:latest' } }))).toThrow(/got `image` 'public\.ecr\.aws/);
  const app = new App({ context: { egress: 'none', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library/nginx:latest' } });
  Template.fromStack(new FargateAlbApiStack(app, 'Isolated', readReferenceContext(app))).resourceCountIs('AWS::EC2::NatGateway', 0);
});

test('the acknowledgement "access logs are one prop away (accessLogs: true)" holds on this environment-agnostic stack', () => {
  const s = new FargateAlbApiStack(new App(), 'Logs');
  expect(s.region).toMatch(/^\$\{Token/); // no region: what made accessLogs throw before
  const logged = new AlbIngress(s, 'Logged', { network: s.network, service: s.service, accessLogs: true });
  const t = Template.fromStack(s);
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
    LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
  });
  expect(logged.accessLogsBucket).toBeDefined();
});

describe('every egress strategy the README lists synthesizes with no unacknowledged policy finding', () => {
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1'; // egress=none pulls from private ECR only
  test.each(['natGatewayPerAz', 'singleNatGateway', 'natInstance', 'none'])('egress=%s', (egress) => {
    const app = new App({ context: { egress, image } });
    const s = new FargateAlbApiStack(app, 'FargateAlbApi', readReferenceContext(app));
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
    const s = new FargateAlbApiStack(app, 'FargateAlbApi', readReferenceContext(app));
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
  const s = new FargateAlbApiStack(app, 'Lean', readReferenceContext(app));
  const t = Template.fromStack(s);

  test('Fargate Spot on arm64, tasks private with no public IP', () => {
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;
    expect(svc.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 }]);
    expect(svc.LaunchType).toBeUndefined();
    expect(svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
  });

  test('dual-stack network and an ALB without public IPv4; the IPv6 egress block is an output', () => {
    t.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', IpAddressType: 'dualstack-without-public-ipv4' });
    expect(Object.keys(t.toJSON().Outputs)).toContain('EgressIpv6Cidr');
  });

  test('no unacknowledged policy finding', () => {
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });

  test('each key alone: capacity=mixed, architecture=x86_64, ipv6=false', () => {
    const a = new App({ context: { capacity: 'mixed', architecture: 'x86_64', ipv6: 'false' } });
    const m = Template.fromStack(new FargateAlbApiStack(a, 'Mixed', readReferenceContext(a)));
    expect(Object.values<any>(m.findResources('AWS::ECS::Service'))[0].Properties.CapacityProviderStrategy).toHaveLength(2);
    m.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
    expect(Object.values<any>(m.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0].Properties.IpAddressType).toBeUndefined();
  });

  test.each([
    [{ capacity: 'cheap' }, /Context `capacity` must be one of onDemand, spot, mixed, got 'cheap'/],
    [{ architecture: 'arm' }, /Context `architecture` must be one of x86_64, arm64, got 'arm'/],
    [{ ipv6: 'yes' }, /Context `ipv6` must be one of true, false, got 'yes'/],
  ])('bad value %j: an error naming the context key', (context, message) => {
    expect(() => readReferenceContext(new App({ context }))).toThrow(message);
  });
});

const subject: AppUnderTest<FargateAlbApiStack> = {
  create: (app, id, props) => new FargateAlbApiStack(app, id, props),
  ingressName: 'the ALB',
  rollbackAlarms: (s) => s.ingress.rollbackAlarmsFor(s.service),
  monitoringAlarms: { count: 12, what: 'CPU, memory, running tasks, target 5xx rate, unhealthy targets, no healthy target, load-balancer 5xx rate, p99; 2 per NAT gateway' },
};
describeAlbDeployments(subject);
describeMonitoring(subject);
describeLeanPreset(subject, { targetUsd: 40, leanUsd: 37.66, defaultUsd: 139.07, estimate: (synthesized) => CostEstimator.estimateTemplate(synthesized) }); // issue 23: the lean ALB floor, every line priced
