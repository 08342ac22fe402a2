import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, INetwork, Network, NetworkProps } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { ApiGatewayIngress, ApiGatewayIngressProps, HttpApiAccessLog } from '../src';

/** An image the tasks can pull without internet access (Egress.none()): private ECR in the stack's account and region. */
const PRIVATE_ECR_IMAGE = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');

function setup(networkProps: NetworkProps = {}, serviceProps: { containerPort?: number; assignPublicIp?: boolean; image?: ecs.ContainerImage } = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', networkProps);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, ...serviceProps });
  return { stack, network, cluster, service };
}

function build(props: Partial<ApiGatewayIngressProps> = {}, serviceProps: { containerPort?: number; image?: ecs.ContainerImage } = {}, networkProps: NetworkProps = {}) {
  const s = setup(networkProps, serviceProps);
  const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service, ...props });
  return { ...s, ingress, get template() { return Template.fromStack(s.stack); } };
}

function groupRules(template: Template, descriptionPattern: RegExp) {
  const [id, group] = Object.entries<any>(template.findResources('AWS::EC2::SecurityGroup'))
    .find(([, g]) => descriptionPattern.test(g.Properties.GroupDescription))!;
  const standalone = (type: string) => Object.values<any>(template.findResources(type))
    .map((r) => r.Properties).filter((p) => JSON.stringify(p.GroupId).includes(id));
  return {
    id,
    ingress: [...(group.Properties.SecurityGroupIngress ?? []), ...standalone('AWS::EC2::SecurityGroupIngress')],
    egress: [...(group.Properties.SecurityGroupEgress ?? []), ...standalone('AWS::EC2::SecurityGroupEgress')]
      .filter((r) => r.CidrIp !== '255.255.255.255/32'),
  };
}

describe('seed parity', () => {
  const { template, ingress, stack } = build({}, { containerPort: 8080 });

  test('HTTP API with an HTTP_PROXY ANY integration, payload 1.0, over the VPC link, to the Cloud Map service', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      PayloadFormatVersion: '1.0',
      ConnectionType: 'VPC_LINK',
      ConnectionId: { Ref: Match.stringLikeRegexp('IngressVpcLink') },
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('IngressDefaultCloudMapService'), 'Arn'] },
    });
  });

  test('route $default; stage $default with auto-deploy, detailed metrics, JSON access logs with the seed fields', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', Target: Match.anyValue() });
    const stage = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Stage'))[0].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.DefaultRouteSettings).toEqual(expect.objectContaining({ DetailedMetricsEnabled: true }));
    const fields = JSON.parse(stage.AccessLogSettings.Format);
    for (const key of ['requestId', 'ip', 'caller', 'user', 'requestTime', 'routeKey', 'status', 'integrationError', 'integrationLatency']) {
      expect(fields[key]).toBe(HttpApiAccessLog.FIELDS[key]);
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('Cloud Map: private DNS namespace "internal" in the VPC, SRV records TTL 0, health from ECS', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'internal', Vpc: { Ref: Match.stringLikeRegexp('NetworkVpc') } });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', {
      DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 0 }], NamespaceId: Match.anyValue(), RoutingPolicy: 'MULTIVALUE' },
      HealthCheckCustomConfig: { FailureThreshold: 1 },
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceRegistries: [{ RegistryArn: Match.anyValue(), ContainerName: 'api', ContainerPort: 8080 }],
    });
  });

  test('better than the seed: the VPC link in the private subnets, tasks without public IP', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', {
      SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('IngressVpcLinkSecurityGroup'), 'GroupId'] }],
    });
    template.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
  });

  test('security groups, rule by rule: link egress only to the service group on 8080; service ingress only that, from the link group', () => {
    const link = groupRules(template, /^API Gateway VPC link/);
    const svc = groupRules(template, /^API service tasks/);
    expect(link.ingress).toEqual([]);
    expect(link.egress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, DestinationSecurityGroupId: { 'Fn::GetAtt': [svc.id, 'GroupId'] } }),
    ]);
    expect(svc.ingress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': [link.id, 'GroupId'] } }),
    ]);
  });

  test('members', () => {
    // the execute-api endpoint of this API (https://<api id>.execute-api.<region>.<suffix>), with a trailing slash
    const apiId = stack.getLogicalId(ingress.api.node.defaultChild as apigwv2.CfnApi);
    expect(stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/']] });
    expect(ingress.api).toBeInstanceOf(apigwv2.HttpApi);
    expect(ingress.stage.stageName).toBe('$default');
    expect(stack.resolve(ingress.vpcLink.vpcLinkId)).toEqual({ Ref: stack.getLogicalId(ingress.vpcLink.node.defaultChild as apigwv2.CfnVpcLink) });
    expect(ingress.namespace).toBeInstanceOf(servicediscovery.PrivateDnsNamespace);
    expect(ingress.namespace.namespaceName).toBe('internal');
    const namespaceId = stack.getLogicalId(ingress.namespace.node.defaultChild as servicediscovery.CfnPrivateDnsNamespace);
    expect(stack.resolve(ingress.namespace.namespaceId)).toEqual({ 'Fn::GetAtt': [namespaceId, 'Id'] });
    // the stage writes to the access log's log group
    const logGroupId = stack.getLogicalId(ingress.accessLog.logGroup.node.defaultChild as CfnLogGroup);
    const stage = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Stage'))[0].Properties;
    expect(stage.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(ingress.domain).toBeUndefined();
    expect(ingress.cloudMapService.dnsRecordType).toBe(servicediscovery.DnsRecordType.SRV);
    expect(ingress.connections.securityGroups).toEqual([ingress.securityGroup]);
  });
});

test('fully isolated network (Egress.none(), no public subnets) works: no internet gateway, link private', () => {
  const { template } = build({}, { image: PRIVATE_ECR_IMAGE }, { egress: Egress.none(), publicSubnets: false });
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', { SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }] });
});

describe('VPC link placement (HTTP API VPC links are missing in some AZ IDs)', () => {
  const WARNING = Match.stringLikeRegexp('HTTP API VPC links are not available in every AZ ID.*`availabilityZones`.*aws ec2 describe-availability-zones');

  test('AZs the region happens to list first: a warning naming `availabilityZones` and how to check the AZ IDs', () => {
    const { stack } = build();
    Annotations.fromStack(stack).hasWarning('/Test/Ingress', WARNING);
    Annotations.fromStack(stack).hasWarning('/Test/Ingress', Match.stringLikeRegexp('@portcullis/apigw-ingress:vpcLinkAzs'));
  });

  test('explicit availabilityZones: no warning', () => {
    const { stack } = build({}, {}, { availabilityZones: ['us-east-1a', 'us-east-1b'] });
    Annotations.fromStack(stack).hasNoWarning('/Test/Ingress', WARNING);
  });

  test('an imported VPC (subnets already placed): no warning; a network that does not say: warning', () => {
    const s = setup();
    const imported = Network.fromVpc(s.stack, 'Imported', s.network.vpc);
    new ApiGatewayIngress(s.stack, 'Ingress', { network: imported, service: s.service });
    Annotations.fromStack(s.stack).hasNoWarning('/Test/Ingress', WARNING);

    const t = setup();
    // an INetwork of another implementation that does not set availabilityZonesExplicit
    const unknown: INetwork = {
      node: t.network.node, vpc: t.network.vpc, publicSubnets: t.network.publicSubnets, privateSubnets: t.network.privateSubnets,
      egressIps: [], egressIpsKnown: false, with: (...mixins) => t.network.with(...mixins),
    };
    new ApiGatewayIngress(t.stack, 'Ingress', { network: unknown, service: t.service });
    Annotations.fromStack(t.stack).hasWarning('/Test/Ingress', WARNING);
  });
});

describe('options', () => {
  test('throttling, CORS, custom domain with alias and the execute-api endpoint disabled, authorizer', () => {
    const s = setup();
    const certificate = acm.Certificate.fromCertificateArn(s.stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    const zone = route53.HostedZone.fromHostedZoneAttributes(s.stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
    const authorizer = new authorizers.HttpJwtAuthorizer('Jwt', 'https://issuer.example.com', { jwtAudience: ['api'] });
    const ingress = new ApiGatewayIngress(s.stack, 'Ingress', {
      network: s.network, service: s.service, throttlingRateLimit: 100, throttlingBurstLimit: 200,
      cors: { allowOrigins: ['https://app.example.com'], allowMethods: [apigwv2.CorsHttpMethod.GET] },
      domainName: 'api.example.com', certificate, hostedZone: zone, disableExecuteApiEndpoint: true, authorizer,
    });
    const template = Template.fromStack(s.stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }) });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      DisableExecuteApiEndpoint: true,
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET'] }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { ApiId: Match.anyValue(), Stage: Match.anyValue() });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default', AuthorizationType: 'JWT' });
    expect(ingress.url).toBe('https://api.example.com/');
  });

  test('an existing namespace and addService on paths, each with its own SRV service', () => {
    const s = setup();
    const ns = new servicediscovery.PrivateDnsNamespace(s.stack, 'Ns', { name: 'svc.local', vpc: s.network.vpc });
    const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service, namespace: ns });
    const orders = new ApiService(s.stack, 'Orders', { cluster: s.cluster, containerPort: 9000 });
    ingress.addService(orders, { path: '/orders' });
    expect(() => ingress.addService(orders, { path: '/orders' })).toThrow(/`path` '\/orders' is already routed/);
    expect(() => ingress.addService(orders, { path: 'orders/' })).toThrow(/`path` must look like '\/orders'/);
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
    template.resourceCountIs('AWS::ServiceDiscovery::Service', 2);
    const routes = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort();
    expect(routes).toEqual(['$default', 'ANY /orders', 'ANY /orders/{proxy+}']);
    const link = groupRules(template, /^API Gateway VPC link/);
    expect(link.egress.map((r) => r.FromPort).sort()).toEqual([80, 9000]);
  });

  test('a public-only network with public tasks: the link goes public, with a warning', () => {
    const s = setup({ egress: Egress.publicSubnetsOnly() }, { assignPublicIp: true });
    new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    Template.fromStack(s.stack).hasResourceProperties('AWS::ApiGatewayV2::VpcLink', { SubnetIds: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }] });
    Annotations.fromStack(s.stack).hasWarning('/Test/Ingress', Match.stringLikeRegexp('no private subnets'));
  });
});

describe('bad input', () => {
  test.each([
    [{ throttlingRateLimit: -1 }, /`throttlingRateLimit` must be a finite number >= 0, got -1/],
    [{ throttlingBurstLimit: -5 }, /`throttlingBurstLimit` must be a whole number from 0 to 2147483647, got -5/],
    [{ throttlingRateLimit: 100, throttlingBurstLimit: 50 }, /`throttlingBurstLimit` \(50\) must be >= `throttlingRateLimit` \(100\)/],
    [{ domainName: 'api.example.com' }, /`domainName` 'api.example.com' needs `certificate`/],
    [{ disableExecuteApiEndpoint: true }, /without `domainName` would leave the API unreachable/],
  ])('%#', (props, message) => {
    expect(() => build(props as Partial<ApiGatewayIngressProps>)).toThrow(message);
  });

  test('a namespace from another VPC', () => {
    const s = setup();
    const other = new Network(s.stack, 'Other', { cidr: '10.9.0.0/16' });
    const ns = new servicediscovery.PrivateDnsNamespace(s.stack, 'Ns', { name: 'x.local', vpc: other.vpc });
    expect(() => new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service, namespace: ns })).toThrow(/belongs to another VPC/);
  });

  test('a service from another VPC', () => {
    const s = setup();
    const other = new Network(s.stack, 'Other', { cidr: '10.9.0.0/16' });
    expect(() => new ApiGatewayIngress(s.stack, 'Ingress', { network: other, service: s.service })).toThrow(/runs in another VPC/);
  });

  test('a service not in awsvpc mode', () => {
    const s = setup();
    Object.defineProperty(s.service.taskDefinition, 'networkMode', { value: ecs.NetworkMode.BRIDGE });
    expect(() => new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service })).toThrow(/network mode bridge: SRV records with task IPs need awsvpc/);
  });
});

test('cdk-nag AwsSolutions: only reasoned acknowledgements (no authorizer is the user\'s decision)', () => {
  const { stack, ingress, cluster } = build();
  const findings = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual([
    'AwsSolutions-APIG4',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
  ]);
  Validations.of(ingress.api).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'A public API: the service authenticates its callers; pass `authorizer` to authorize at the edge' });
  Validations.of(cluster.executionRole).acknowledge({ id: findings[1], reason: 'The seed\'s execution policy, maintained by AWS' });
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});

test('property: random configurations synthesize and the service group accepts only the container port from the link group', () => {
  fc.assert(fc.property(
    fc.record({
      containerPort: fc.integer({ min: 1, max: 65535 }),
      rate: fc.option(fc.integer({ min: 0, max: 10000 }), { nil: undefined }),
      extraBurst: fc.integer({ min: 0, max: 1000 }),
      isolated: fc.boolean(),
    }),
    ({ containerPort, rate, extraBurst, isolated }) => {
      const s = setup(isolated ? { egress: Egress.none(), publicSubnets: false, flowLogs: false } : { flowLogs: false }, { containerPort, image: isolated ? PRIVATE_ECR_IMAGE : undefined });
      const ingress = new ApiGatewayIngress(s.stack, 'Ingress', {
        network: s.network, service: s.service,
        throttlingRateLimit: rate, throttlingBurstLimit: rate === undefined ? undefined : rate + extraBurst,
      });
      const template = Template.fromStack(s.stack);
      const svc = groupRules(template, /^API service tasks/);
      const linkId = s.stack.getLogicalId(ingress.securityGroup.node.defaultChild as any);
      expect(svc.ingress).toEqual([expect.objectContaining({
        IpProtocol: 'tcp', FromPort: containerPort, ToPort: containerPort, SourceSecurityGroupId: { 'Fn::GetAtt': [linkId, 'GroupId'] },
      })]);
    },
  ), { numRuns: 200 });
});
