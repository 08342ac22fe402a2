import { App, CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { LEAN_PRESET_CONTEXT, readReferenceContext } from '@portcullis-apps/reference-kit';
import { AppUnderTest, describeLeanPreset, describeMonitoring } from '@portcullis-apps/reference-kit/lib/testing';
import { CostEstimator, ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { FargateApigwApiStack } from '../src/stack';

const stack = new FargateApigwApiStack(new App(), 'FargateApigwApi');
const template = Template.fromStack(stack);
const json = template.toJSON();

describe('seed parity (PATTERNS.md), tasks kept private', () => {
  test('HTTP API, VPC link, HTTP_PROXY ANY payload 1.0 to Cloud Map, $default route and stage with auto-deploy and metrics', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', ConnectionType: 'VPC_LINK',
      IntegrationUri: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default', AutoDeploy: true, DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  test('Cloud Map namespace "internal", SRV records TTL 0 on the container port', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'internal' });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { DnsConfig: Match.objectLike({ DnsRecords: [{ Type: 'SRV', TTL: 0 }] }) });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceRegistries: [Match.objectLike({ ContainerPort: 80 })] });
  });

  test('container health check as in the seed (curl -f http://localhost/, every 5 s, 2 retries, 3 s timeout) plus a 60 s start period', () => {
    const c = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0];
    expect(c.HealthCheck).toEqual({ Command: ['CMD-SHELL', 'curl -f http://localhost:80/ || exit 1'], Interval: 5, Retries: 2, Timeout: 3, StartPeriod: 60 });
  });

  test('unlike the seed: VPC link in the private subnets, tasks without public IP', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', { SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }] });
    template.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
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

test('context: a fully private network (egress none) with a private ECR image still serves through API Gateway; domain needs a certificate', () => {
  const app = new App({ context: { egress: 'none', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/docker/library/nginx:latest' } });
  const t = Template.fromStack(new FargateApigwApiStack(app, 'Ctx', readReferenceContext(app)));
  t.resourceCountIs('AWS::EC2::NatGateway', 0);
  t.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
  const bad = new App({ context: { domainName: 'api.example.com' } });
  expect(() => new FargateApigwApiStack(bad, 'Bad', readReferenceContext(bad))).toThrow(/`domainName` needs `certificateArn`/);
});

describe('context egress none: the image must come from a private ECR registry', () => {
  test.each([
    [undefined, /got no `image` \(the default public\.ecr\.aws\/docker\/library\/nginx:latest is on ECR Public\)/],
    ['public.ecr.aws/docker/library/nginx:latest', /got `image` 'public\.ecr\.aws\/docker\/library\/nginx:latest'/],
    ['nginx:latest', /got `image` 'nginx:latest'/],
    ['ghcr.io/acme/api:1', /got `image` 'ghcr\.io\/acme\/api:1'/],
  ])('image %s is refused, naming `image`, private ECR and the pull-through cache rule', (image, got) => {
    const app = new App({ context: { egress: 'none', ...(image ? { image } : {}) } });
    const read = () => readReferenceContext(app);
    expect(read).toThrow(/^Context `egress=none` needs `image` in a private ECR registry/);
    expect(read).toThrow(got);
    expect(read).toThrow(/aws ecr create-pull-through-cache-rule --ecr-repository-prefix ecr-public --upstream-registry-url public\.ecr\.aws/);
    expect(read).toThrow(/ecr:BatchImportUpstreamImage, and ecr:CreateRepository until the cached repository exists/);
  });

  test('private ECR names pass (also FIPS, China, dual-stack); other egress strategies take any image', () => {
    for (const image of ['123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1', '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:1',
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:1', '123456789012.dkr-ecr.us-east-1.on.aws/api:1']) {
      expect(readReferenceContext(new App({ context: { egress: 'none', image } })).image).toBe(image);
    }
    expect(readReferenceContext(new App({ context: { egress: 'singleNatGateway', image: 'nginx:latest' } })).image).toBe('nginx:latest');
  });
});

describe('context healthCheckPath: the container health check', () => {
  const healthCheck = (context: Record<string, string>) => {
    const app = new App({ context });
    const t = Template.fromStack(new FargateApigwApiStack(app, 'Hc', readReferenceContext(app)));
    return Object.values<any>(t.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0].HealthCheck;
  };

  test('a path of your own, on your container port', () => {
    expect(healthCheck({ healthCheckPath: '/health/live', containerPort: '8080' }).Command).toEqual(['CMD-SHELL', 'curl -f http://localhost:8080/health/live || exit 1']);
  });

  test('none turns the check off (for images without curl)', () => {
    expect(healthCheck({ healthCheckPath: 'none' })).toBeUndefined();
  });

  test.each(['health', '/a b', "/x';rm -rf /", '/"', '/$(id)', '/`id`', '/a;b', '/a|b', '/a&b', '/a?b=1', '/a>b', '/*', '/a\\b'])(
    'refused: %s (it lands in a CMD-SHELL command)', (path) => {
      expect(() => readReferenceContext(new App({ context: { healthCheckPath: path } })))
        .toThrow(/Context `healthCheckPath` must be a URL path starting with '\/'.*got '.*': e\.g\. -c healthCheckPath=\/health, or -c healthCheckPath=none/);
    });

  test('programmatic props get the same check', () => {
    expect(() => new FargateApigwApiStack(new App(), 'Props', { healthCheckPath: '/a b' })).toThrow(/Context `healthCheckPath` must be a URL path/);
  });
});

describe('context availabilityZones: where the VPC link goes', () => {
  const warnings = (appStack: FargateApigwApiStack) => Annotations.fromStack(appStack).findWarning('*', Match.stringLikeRegexp('apigw-ingress:vpcLinkAzs'));

  test('default (the first two AZs the region lists): the VPC link warning', () => {
    expect(warnings(stack)).toHaveLength(1);
  });

  test('-c availabilityZones=us-east-1a,us-east-1b: the subnets and the VPC link in those AZs, no warning', () => {
    const app = new App({ context: { availabilityZones: 'us-east-1a, us-east-1b' } });
    const s = new FargateApigwApiStack(app, 'Azs', readReferenceContext(app));
    const t = Template.fromStack(s);
    const azs = Object.values<any>(t.findResources('AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
    expect([...new Set(azs)].sort()).toEqual(['us-east-1a', 'us-east-1b']);
    expect(warnings(s)).toHaveLength(0);
  });

  test.each([
    ['use1-az1,use1-az2', /takes AZ names, not AZ IDs, got 'use1-az1'/],
    ['us-east-1a,,us-east-1b', /has an empty entry, got 'us-east-1a,,us-east-1b'/],
    ['us-east-1a,us-east-1a', /lists 'us-east-1a' twice/],
    ['us-east-1', /must hold AZ names like us-east-1a, got 'us-east-1'/],
    ['us-east-1a;us-east-1b', /must hold AZ names like us-east-1a, got 'us-east-1a;us-east-1b'/],
  ])('refused: %s', (value, message) => {
    const read = () => readReferenceContext(new App({ context: { availabilityZones: value } }));
    expect(read).toThrow(message);
    expect(read).toThrow(/e\.g\. -c availabilityZones=us-east-1a,us-east-1b/);
  });

  test('AZs of two regions: the network refuses them', () => {
    const app = new App({ context: { availabilityZones: 'us-east-1a,us-west-2a' } });
    expect(() => new FargateApigwApiStack(app, 'Two', readReferenceContext(app))).toThrow(/`availabilityZones` must all be in one region/);
  });
});

describe('every egress strategy the README lists synthesizes with no unacknowledged policy finding', () => {
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1'; // egress=none pulls from private ECR only
  test.each(['natGatewayPerAz', 'singleNatGateway', 'natInstance', 'none'])('egress=%s', (egress) => {
    const app = new App({ context: { egress, image } });
    const s = new FargateApigwApiStack(app, 'FargateApigwApi', readReferenceContext(app));
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });
});

describe('lean preset: -c capacity=spot -c architecture=arm64 -c ipv6=true', () => {
  const app = new App({ context: { ...LEAN_PRESET_CONTEXT } });
  const s = new FargateApigwApiStack(app, 'Lean', readReferenceContext(app));
  const t = Template.fromStack(s);

  test('Fargate Spot on arm64, tasks private with no public IP; a dual-stack network', () => {
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;
    expect(svc.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 }]);
    expect(svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
    t.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    expect(Object.keys(t.toJSON().Outputs)).toContain('EgressIpv6Cidr');
  });

  test('no unacknowledged policy finding', () => {
    expect(new AwsSolutionsChecks().validateScope(s).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(s).violations).toEqual([]);
    expect(new ExposureChecks().validateScope(s).violations).toEqual([]);
  });

  test.each([
    [{ capacity: 'spots' }, /Context `capacity` must be one of onDemand, spot, mixed, got 'spots'/],
    [{ architecture: 'graviton' }, /Context `architecture` must be one of x86_64, arm64, got 'graviton'/],
    [{ ipv6: 'on' }, /Context `ipv6` must be one of true, false, got 'on'/],
  ])('bad value %j: an error naming the context key', (context, message) => {
    expect(() => readReferenceContext(new App({ context }))).toThrow(message);
  });
});

describe('safe deployments: rolling with rollback alarms (API Gateway cannot shift traffic)', () => {
  const serviceOf = (t: Template) => Object.values<any>(t.findResources('AWS::ECS::Service'))[0].Properties;

  test('default: rolling (no strategy step), circuit breaker and rollback on the stage\'s 5xx-rate alarm', () => {
    const config = serviceOf(template).DeploymentConfiguration;
    expect(config.Strategy ?? 'ROLLING').toBe('ROLLING');
    expect(config.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(config.Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
    const rollback = stack.ingress.rollbackAlarm!;
    expect(config.Alarms.AlarmNames).toEqual([{ Ref: stack.getLogicalId(rollback.node.defaultChild as CfnElement) }]);
    const alarm = json.Resources[config.Alarms.AlarmNames[0].Ref].Properties;
    expect(alarm).toEqual(expect.objectContaining({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 2 }));
    expect(JSON.stringify(alarm.Metrics)).toMatch(/"MetricName":"5xx".*"MetricName":"Count"/);
  });

  test('-c deployment=rolling is the default\'s template', () => {
    const app = new App({ context: { deployment: 'rolling' } });
    const t = Template.fromStack(new FargateApigwApiStack(app, 'FargateApigwApi', readReferenceContext(app)));
    expect(serviceOf(t).DeploymentConfiguration).toEqual(serviceOf(template).DeploymentConfiguration);
  });

  test.each(['canary', 'linear', 'blueGreen'])('-c deployment=%s fails at synth naming `deployment` and the fix', (deployment) => {
    const app = new App({ context: { deployment } });
    expect(() => new FargateApigwApiStack(app, 'Shift', readReferenceContext(app)))
      .toThrow(/`deployment` Deployment\.\w+\(\) of the service .* cannot shift traffic behind API Gateway.*Deployment\.rolling\(\)/);
  });

  test('a bad value names `deployment` and the choices', () => {
    expect(() => readReferenceContext(new App({ context: { deployment: 'bigBang' } })))
      .toThrow(/Context `deployment` must be one of rolling, canary, linear, blueGreen, got 'bigBang'/);
  });
});

const subject: AppUnderTest<FargateApigwApiStack> = {
  create: (app, id, props) => new FargateApigwApiStack(app, id, props),
  ingressName: 'the HTTP API stage',
  rollbackAlarms: (s) => (s.ingress.rollbackAlarm ? [s.ingress.rollbackAlarm] : []),
  monitoringAlarms: { count: 9, what: 'CPU, memory, running tasks, HTTP API 5xx rate, p99 integration latency; 2 per NAT gateway' },
};

describeMonitoring(subject);
describeLeanPreset(subject, { targetUsd: 15, leanUsd: 14.74, defaultUsd: 108.85, estimate: (synthesized) => CostEstimator.estimateTemplate(synthesized) }); // issue 23: the lean HTTP API floor, every line priced
