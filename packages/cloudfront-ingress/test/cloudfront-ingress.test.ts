import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network, NetworkProps } from '@portcullis/network';
import { CloudFrontIngress, CloudFrontIngressProps } from '../src';
import { HANDLER_CODE, LOOKUP_ATTEMPTS, LOOKUP_INTERVAL_SECONDS, VPC_ORIGINS_GROUP_LOOKUP_TYPE } from '../src/private/vpc-origins-group-lookup';

const VPC_ORIGINS_SERVICE_SECURITY_GROUP = CloudFrontIngress.VPC_ORIGINS_SERVICE_SECURITY_GROUP;

function parts(networkProps: NetworkProps = {}, stackProps: { env?: { account: string; region: string } } = {}) {
  const stack = new Stack(new App(), 'Api', stackProps);
  const network = new Network(stack, 'Network', networkProps);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  // without NAT only private ECR is reachable
  const image = networkProps.egress ? ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1') : undefined;
  const service = new ApiService(stack, 'Service', { cluster, image });
  return { stack, network, cluster, service };
}

function build(props: Partial<CloudFrontIngressProps> = {}, networkProps: NetworkProps = {}) {
  const p = parts(networkProps);
  const ingress = new CloudFrontIngress(p.stack, 'Ingress', { network: p.network, service: p.service, ...props });
  return { ...p, ingress, template: Template.fromStack(p.stack) };
}

const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/api/abcd1234';
const distributionConfig = (t: Template) => Object.values<any>(t.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;

describe('distribution defaults (an API, not a static site)', () => {
  const { template, ingress, stack } = build();
  const config = distributionConfig(template);
  const behavior = config.DefaultCacheBehavior;

  test('viewers are redirected to HTTPS', () => {
    expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });
  test('every HTTP method is allowed', () => {
    expect([...behavior.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  });
  test('caching is disabled with the managed CachingDisabled policy', () => {
    expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
  });
  test('every viewer header except Host, query strings and cookies reach the origin (AllViewerExceptHostHeader)', () => {
    expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
  });
  test('compression, HTTP/2 and HTTP/3, IPv6, PriceClass_100', () => {
    expect(behavior.Compress).toBe(true);
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.IPV6Enabled).toBe(true);
    expect(config.PriceClass).toBe('PriceClass_100');
  });
  test('no custom domain: the default certificate, no aliases, no logging, no WAF, no restriction', () => {
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
    expect(config.Logging).toBeUndefined();
    expect(config.WebACLId).toBeUndefined();
    expect(config.Restrictions).toBeUndefined();
  });
  test('the origin is the VPC origin, read timeout 30 s', () => {
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].VpcOriginConfig).toEqual({
      VpcOriginId: { 'Fn::GetAtt': [expect.stringMatching(/^IngressVpcOrigin/), 'Id'] },
      OriginReadTimeout: 30,
    });
    expect(config.Origins[0].CustomOriginConfig).toBeUndefined();
  });
  test('url is https:// + the distribution domain name', () => {
    expect(stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^IngressDistribution/), 'DomainName'] }]] });
  });
  test('no warning on the defaults (minimumProtocolVersion is not passed without a certificate)', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('VPC origin and internal ALB', () => {
  const { template, ingress } = build();

  test('VPC origin: the internal ALB, HTTP only on 80', () => {
    template.resourceCountIs('AWS::CloudFront::VpcOrigin', 1);
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^IngressAlbLoadBalancer') },
        HTTPPort: 80,
        OriginProtocolPolicy: 'http-only',
      }),
    });
    expect(ingress.vpcOrigin).toBeInstanceOf(cloudfront.VpcOrigin);
  });

  test('exactly one load balancer, internal, in the private subnets, idle timeout 60 s', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });

  test('alb is the composed AlbIngress; its addService adds a path route', () => {
    const p = parts();
    const i = new CloudFrontIngress(p.stack, 'Ingress', { network: p.network, service: p.service });
    const orders = new ApiService(p.stack, 'Orders', { cluster: p.cluster, containerPort: 8080 });
    i.alb.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
    const t = Template.fromStack(p.stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*'] } }],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, TargetType: 'ip' });
  });
});

describe('security groups, rule by rule', () => {
  const { template, ingress, stack, network } = build();
  const albGroupId = stack.resolve(ingress.alb.securityGroup.securityGroupId);
  const albGroupLogicalId = albGroupId['Fn::GetAtt'][0];
  const albGroup = template.toJSON().Resources[albGroupLogicalId];
  const standalone = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);

  test('the load balancer group has no inline ingress rule (the internal AlbIngress gets `allowedCidrs: []`)', () => {
    expect(albGroup.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('the only rule into the load balancer: TCP 80 from the VPC-origins service group read at deploy time', () => {
    const intoAlb = standalone.filter((r) => JSON.stringify(r.GroupId) === JSON.stringify(albGroupId));
    expect(intoAlb).toHaveLength(1);
    expect(intoAlb[0]).toEqual({
      GroupId: albGroupId,
      IpProtocol: 'tcp', FromPort: 80, ToPort: 80,
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^IngressVpcOriginsSecurityGroupLookup/), 'GroupId'] },
      Description: expect.stringContaining(VPC_ORIGINS_SERVICE_SECURITY_GROUP),
    });
  });

  test('no CIDR rule into anything: never 0.0.0.0/0, ::/0 or the VPC range', () => {
    const inline = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup'))
      .filter((g) => g !== albGroup)
      .flatMap((g) => g.Properties.SecurityGroupIngress ?? []);
    const all = [...inline, ...standalone];
    expect(all.filter((r) => r.CidrIp !== undefined || r.CidrIpv6 !== undefined || r.SourcePrefixListId !== undefined)).toEqual([]);
  });

  test('the tasks accept the container port from the load balancer group only', () => {
    const intoTasks = standalone.filter((r) => JSON.stringify(r.GroupId) !== JSON.stringify(albGroupId));
    expect(intoTasks).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: albGroupId })]);
  });

  test('the load balancer reaches only the container port', () => {
    expect(albGroup.Properties.SecurityGroupEgress).toBeUndefined();
    const egress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties);
    expect(egress).toEqual([expect.objectContaining({ GroupId: albGroupId, IpProtocol: 'tcp', FromPort: 80, ToPort: 80 })]);
  });

  test('the lookup: a custom resource with the VPC, the group name and the VPC origin (a new origin re-reads the group), after the distribution', () => {
    const [id, lookup] = Object.entries<any>(template.findResources(VPC_ORIGINS_GROUP_LOOKUP_TYPE))[0];
    expect(id).toMatch(/^IngressVpcOriginsSecurityGroupLookup/);
    expect(Object.keys(template.findResources('Custom::AWS'))).toEqual([]);
    expect(lookup.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^IngressVpcOriginsSecurityGroupHandler/), 'Arn'] },
      VpcId: stack.resolve(network.vpc.vpcId),
      GroupName: VPC_ORIGINS_SERVICE_SECURITY_GROUP,
      VpcOriginId: stack.resolve(ingress.vpcOrigin.vpcOriginId),
    });
    expect(lookup.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^IngressDistribution/), expect.stringMatching(/^IngressVpcOriginsSecurityGroupRole/)]));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'ec2:DescribeSecurityGroups', Effect: 'Allow', Resource: '*' }]) },
    });
    // its role has no managed policy (nothing beyond the call and its own log streams)
    const role = Object.entries<any>(template.findResources('AWS::IAM::Role')).find(([rid]) => rid.startsWith('IngressVpcOriginsSecurityGroupRole'))![1];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('the lookup handler: inline code (no asset, under the 4096-character ZipFile limit), the latest Node.js runtime, logs kept one month', () => {
    const fn = Object.entries<any>(template.findResources('AWS::Lambda::Function')).find(([fid]) => fid.startsWith('IngressVpcOriginsSecurityGroupHandler'))![1];
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(HANDLER_CODE.length).toBeLessThanOrEqual(4096);
    expect(fn.Properties.Code.ZipFile).toBe(HANDLER_CODE);
    expect(fn.Properties.Timeout).toBe(LOOKUP_ATTEMPTS * LOOKUP_INTERVAL_SECONDS + 60);
    expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/^PortcullisCustomResourceLogs/) });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('the VPC origin waits for the internet gateway attachment (VPC origins need it; on delete it goes first) (F11)', () => {
    const origin = Object.entries<any>(template.findResources('AWS::CloudFront::VpcOrigin'))[0][1];
    const attachment = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'));
    expect(attachment).toHaveLength(1);
    expect(origin.DependsOn).toEqual(expect.arrayContaining(attachment));
  });

  test('a rule added later by the user is written as given', () => {
    const p = parts();
    const i = new CloudFrontIngress(p.stack, 'Ingress', { network: p.network, service: p.service });
    i.alb.connections.allowFrom(ec2.Peer.ipv4('10.9.0.0/16'), ec2.Port.tcp(80), 'mine');
    const t = Template.fromStack(p.stack);
    const group = t.toJSON().Resources[albGroupLogicalId];
    expect(group.Properties.SecurityGroupIngress).toEqual([expect.objectContaining({ CidrIp: '10.9.0.0/16', Description: 'mine' })]);
  });
});

describe('options', () => {
  test('targetGroupPort names the internal ALB\'s target groups, the tasks keep their container port', () => {
    const { template } = build({ targetGroupPort: 8081 });
    template.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8081 });
    template.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [Match.objectLike({ ContainerPort: 80 })] });
    expect(() => build({ targetGroupPort: 0 })).toThrow('`targetGroupPort` must be a whole number from 1 to 65535, got 0');
  });

  test('custom domain: aliases, us-east-1 certificate with TLSv1.2_2021 and SNI, A and AAAA alias records, https URL', () => {
    const p = parts();
    const zone = route53.HostedZone.fromHostedZoneAttributes(p.stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const certificate = acm.Certificate.fromCertificateArn(p.stack, 'Cert', CERT_ARN);
    const i = new CloudFrontIngress(p.stack, 'Ingress', { network: p.network, service: p.service, domainName: 'api.example.com', certificate, hostedZone: zone });
    const t = Template.fromStack(p.stack);
    const config = distributionConfig(t);
    expect(config.Aliases).toEqual(['api.example.com']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: CERT_ARN, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngressDistribution'), 'DomainName'] } }) });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'AAAA' });
    expect(i.url).toBe('https://api.example.com');
  });

  test('domain with a certificate and no zone: aliases, no record', () => {
    const p = parts();
    const certificate = acm.Certificate.fromCertificateArn(p.stack, 'Cert', CERT_ARN);
    new CloudFrontIngress(p.stack, 'Ingress', { network: p.network, service: p.service, domainName: 'api.example.com.', certificate });
    const t = Template.fromStack(p.stack);
    expect(distributionConfig(t).Aliases).toEqual(['api.example.com']);
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  test('webAclArn, priceClass, geoRestriction, originReadTimeout (and the ALB idle timeout follows it)', () => {
    const { template } = build({
      webAclArn: ACL_ARN, priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      geoRestriction: cloudfront.GeoRestriction.allowlist('US', 'CA'), originReadTimeout: Duration.seconds(58),
    });
    const config = distributionConfig(template);
    expect(config.WebACLId).toBe(ACL_ARN);
    expect(config.PriceClass).toBe('PriceClass_All');
    expect(config.Restrictions).toEqual({ GeoRestriction: { RestrictionType: 'whitelist', Locations: ['US', 'CA'] } });
    expect(config.Origins[0].VpcOriginConfig.OriginReadTimeout).toBe(58);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '63' }]),
    });
  });

  test('originReadTimeout above 60 s: accepted with a quota warning', () => {
    const { stack } = build({ originReadTimeout: Duration.seconds(120) });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('originReadTimeout. 120 s is above CloudFront\'s default quota of 60 s'))).toHaveLength(1);
  });

  test('accessLogs: an encrypted, SSL-only, private bucket with ACLs for CloudFront log delivery', () => {
    const { template, ingress } = build({ accessLogs: true });
    expect(ingress.accessLogsBucket).toBeDefined();
    expect(distributionConfig(template).Logging).toEqual({ Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^IngressAccessLogs/), 'RegionalDomainName'] } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('Egress.none(): no NAT, no Elastic IP, no public IPv4 anywhere, and it still synthesizes', () => {
    const { template } = build({}, { egress: Egress.none() });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1); // required by VPC origins, free
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  });
});
