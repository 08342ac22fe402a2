import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LEAN_PRESET_CONTEXT, readReferenceContext } from '@portcullis-apps/reference-kit';
import { AppUnderTest, describeAlbDeployments, describeLeanPreset, describeMonitoring } from '@portcullis-apps/reference-kit/lib/testing';
import { CostEstimator, ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { CloudFrontIngress } from '@portcullis/cloudfront-ingress';
import { FargateCloudFrontApiStack } from '../src/stack';

const stack = new FargateCloudFrontApiStack(new App(), 'FargateCloudFrontApi');
const template = Template.fromStack(stack);
const json = template.toJSON();

describe('defaults (the seed network and service, behind CloudFront)', () => {
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

  test('internal ALB: private subnets, idle 60 s, HTTP 80, ip target group on 80, / every 6 s, 5 s, 2/10, deregistration 0', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip', Port: 80, Protocol: 'HTTP', HealthCheckPath: '/', HealthCheckIntervalSeconds: 6, HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2, UnhealthyThresholdCount: 10,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }]),
    });
  });

  test('CloudFront: VPC origin of the internal ALB, redirect to HTTPS, caching off, PriceClass_100, HTTP/2 and 3', () => {
    template.resourceCountIs('AWS::CloudFront::VpcOrigin', 1);
    const config = Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior).toEqual(expect.objectContaining({
      ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', Compress: true,
    }));
    expect(config.PriceClass).toBe('PriceClass_100');
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.Origins[0].VpcOriginConfig).toBeDefined();
  });

  test('the load balancer accepts CloudFront\'s VPC-origin group only: no CIDR rule into any group', () => {
    const inline = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup')).flatMap((g) => g.Properties.SecurityGroupIngress ?? []);
    const standalone = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect([...inline, ...standalone].filter((r) => r.CidrIp !== undefined || r.CidrIpv6 !== undefined)).toEqual([]);
    expect(standalone.filter((r) => JSON.stringify(r.SourceSecurityGroupId).includes('VpcOriginsSecurityGroup'))).toHaveLength(1);
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

test('outputs: URL (https, the distribution), egress IPs, cluster, service, log group, dashboard', () => {
  expect(Object.keys(json.Outputs).sort()).toEqual(['ClusterName', 'Dashboard', 'EgressIps', 'LogGroup', 'ServiceName', 'Url']);
  expect(json.Outputs.Url.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^IngressDistribution/), 'DomainName'] }]] });
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
  const app = new App({ context: {
    image: 'example/api:1', containerPort: '8080', desiredCount: '3', egress: 'singleNatGateway', domainName: 'api.example.com', hostedZoneId: 'Z123',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  } });
  const t = Template.fromStack(new FargateCloudFrontApiStack(app, 'Ctx', readReferenceContext(app)));
  t.resourceCountIs('AWS::EC2::NatGateway', 1);
  t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  // the tasks listen on 8080; the internal ALB's target groups keep port 80 (a changed containerPort keeps them)
  t.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [Match.objectLike({ ContainerPort: 8080 })] });
  t.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 80 });
  const config = Object.values<any>(t.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
  expect(config.Aliases).toEqual(['api.example.com']);
  expect(config.ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.2_2021');
  t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', HostedZoneId: 'Z123', Type: 'A' });
  t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', HostedZoneId: 'Z123', Type: 'AAAA' });
  const td = Object.values<any>(t.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
  expect(td.ContainerDefinitions[0].Image).toBe('example/api:1');
});

test('a domain without a us-east-1 certificate is refused', () => {
  const noCert = new App({ context: { domainName: 'api.example.com', hostedZoneId: 'Z123' } });
  expect(() => new FargateCloudFrontApiStack(noCert, 'NoCert', readReferenceContext(noCert))).toThrow(/`domainName` 'api.example.com' needs `certificate`/);
  const eu = new App({ context: { domainName: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' } });
  expect(() => new FargateCloudFrontApiStack(eu, 'Eu', readReferenceContext(eu))).toThrow(/got one in eu-west-1/);
});

test('context errors name the key and the fix', () => {
  expect(() => readReferenceContext(new App({ context: { containerPort: 'http' } }))).toThrow(/Context `containerPort` must be a whole number, got 'http'/);
  expect(() => readReferenceContext(new App({ context: { egress: 'cheap' } }))).toThrow(/Unknown egress strategy 'cheap'/);
});

test('context availabilityZones and healthCheckPath reach the network and the target group', () => {
  const app = new App({ context: { availabilityZones: 'us-east-1a,us-east-1b', healthCheckPath: '/healthz' } });
  const t = Template.fromStack(new FargateCloudFrontApiStack(app, 'Ctx2', readReferenceContext(app)));
  const azs = Object.values<any>(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
  expect([...new Set(azs)].sort()).toEqual(['us-east-1a', 'us-east-1b']);
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/healthz' });
  const off = new App({ context: { healthCheckPath: 'none' } });
  expect(() => new FargateCloudFrontApiStack(off, 'Off', readReferenceContext(off))).toThrow(/an ALB always health-checks its targets/);
});

test('context egress none: a private ECR image is required (the default is on ECR Public); with one, no NAT', () => {
  expect(() => readReferenceContext(new App({ context: { egress: 'none' } }))).toThrow(/Context `egress=none` needs `image`.*default public\.ecr\.aws/);
  expect(() => readReferenceContext(new App({ context: { egress: 'none', image: 'public.ecr.aws/docker/library/nginx:latest' } }))).toThrow(/got `image` 'public\.ecr\.aws/);
  const app = new App({ context: { egress: 'none', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library/nginx:latest' } });
  Template.fromStack(new FargateCloudFrontApiStack(app, 'Isolated', readReferenceContext(app))).resourceCountIs('AWS::EC2::NatGateway', 0);
});

test('the acknowledgement "access logs are one prop away (accessLogs: true)" holds on this environment-agnostic stack', () => {
  const s = new FargateCloudFrontApiStack(new App(), 'Logs');
  expect(s.region).toMatch(/^\$\{Token/);
  const logged = new CloudFrontIngress(s, 'Logged', { network: s.network, service: s.service, accessLogs: true });
  const configs = Object.values<any>(Template.fromStack(s).findResources('AWS::CloudFront::Distribution')).map((d) => d.Properties.DistributionConfig);
  expect(configs.filter((c) => c.Logging !== undefined)).toHaveLength(1);
  expect(logged.accessLogsBucket).toBeDefined();
});

test('egress=none: no NAT, no Elastic IP, no internet-facing load balancer: zero public IPv4 addresses', () => {
  const app = new App({ context: { egress: 'none', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1' } });
  const t = Template.fromStack(new FargateCloudFrontApiStack(app, 'Private', readReferenceContext(app)));
  t.resourceCountIs('AWS::EC2::NatGateway', 0);
  t.resourceCountIs('AWS::EC2::EIP', 0);
  t.resourceCountIs('AWS::EC2::InternetGateway', 1); // required by VPC origins; unused, free
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  const estimate = CostEstimator.estimateTemplate(t.toJSON());
  expect(estimate.publicIpv4Count).toBe(0);
  expect(estimate.natGatewayCount).toBe(0);
});

describe('every egress strategy the README lists synthesizes with no unacknowledged policy finding', () => {
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1'; // egress=none pulls from private ECR only
  test.each(['natGatewayPerAz', 'singleNatGateway', 'natInstance', 'none'])('egress=%s', (egress) => {
    const app = new App({ context: { egress, image } });
    const s = new FargateCloudFrontApiStack(app, 'FargateCloudFrontApi', readReferenceContext(app));
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });
});

describe('lean preset: -c capacity=spot -c architecture=arm64 -c ipv6=true', () => {
  const app = new App({ context: { ...LEAN_PRESET_CONTEXT } });
  const s = new FargateCloudFrontApiStack(app, 'Lean', readReferenceContext(app));
  const t = Template.fromStack(s);

  test('Fargate Spot on arm64, tasks private with no public IP', () => {
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;
    expect(svc.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 }]);
    expect(svc.LaunchType).toBeUndefined();
    expect(svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
  });

  test('ipv6: a dual-stack network with an egress-only gateway (output EgressIpv6Cidr); the ALB stays internal and IPv4; viewers get IPv6 at the edge', () => {
    t.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    expect(Object.keys(t.toJSON().Outputs)).toContain('EgressIpv6Cidr');
    const alb = Object.values<any>(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0].Properties;
    expect(alb.Scheme).toBe('internal');
    expect(alb.IpAddressType).toBeUndefined();
    const config = Object.values<any>(t.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    expect(config.IPV6Enabled).toBe(true);
    // ipv6 alone changes no idle cost here: the internal ALB holds no public IPv4 to give up (the preset's missing dashboard
    // and Container Insights are compared out).
    const ipv4Only = new App({ context: { egress: 'natInstance', capacity: 'spot', architecture: 'arm64', dashboard: 'false', containerInsights: 'disabled' } });
    const without = CostEstimator.estimateTemplate(Template.fromStack(new FargateCloudFrontApiStack(ipv4Only, 'V4', readReferenceContext(ipv4Only))).toJSON());
    expect(CostEstimator.estimateTemplate(t.toJSON()).totalMonthlyUsd).toBeCloseTo(without.totalMonthlyUsd, 2);
  });

  test('no unacknowledged policy finding', () => {
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });

  test('capacity=mixed: one task on-demand, the rest on Spot', () => {
    const a = new App({ context: { capacity: 'mixed' } });
    const m = Template.fromStack(new FargateCloudFrontApiStack(a, 'Mixed', readReferenceContext(a)));
    expect(Object.values<any>(m.findResources('AWS::ECS::Service'))[0].Properties.CapacityProviderStrategy).toHaveLength(2);
  });

  test.each([
    [{ capacity: 'cheap' }, /Context `capacity` must be one of onDemand, spot, mixed, got 'cheap'/],
    [{ architecture: 'arm' }, /Context `architecture` must be one of x86_64, arm64, got 'arm'/],
    [{ ipv6: 'yes' }, /Context `ipv6` must be one of true, false, got 'yes'/],
  ])('bad value %j: an error naming the context key', (context, message) => {
    expect(() => readReferenceContext(new App({ context }))).toThrow(message);
  });
});

const subject: AppUnderTest<FargateCloudFrontApiStack> = {
  create: (app, id, props) => new FargateCloudFrontApiStack(app, id, props),
  ingressName: 'the internal ALB',
  rollbackAlarms: (s) => s.ingress.alb.rollbackAlarmsFor(s.service),
  monitoringAlarms: { count: 13, what: 'CPU, memory, running tasks, target 5xx rate, unhealthy targets, no healthy target, load-balancer 5xx rate, CloudFront 5xx rate, p99; 2 per NAT gateway' },
};
describeAlbDeployments(subject);
describeMonitoring(subject);
describeLeanPreset(subject, { targetUsd: 38, leanUsd: 37.76, defaultUsd: 131.87, estimate: (synthesized) => CostEstimator.estimateTemplate(synthesized) }); // issue 23: a lean CloudFront app reachable by IPv4 clients over HTTPS within $38
