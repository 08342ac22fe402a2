import { App, CfnParameter, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiService, Deployment, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { Egress, INetwork, Network, NetworkProps } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { AlbIngress, AlbIngressProps, AlbServiceOptions } from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** An image the tasks can pull without internet access (Egress.none()): private ECR in the stack's account and region. */
const PRIVATE_ECR_IMAGE = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');

function setup(networkProps: NetworkProps = {}, serviceProps: { containerPort?: number; assignPublicIp?: boolean; image?: ecs.ContainerImage } = {}) {
  const stack = new Stack(new App(), 'Test', { env: ENV });
  const network = new Network(stack, 'Network', networkProps);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, ...serviceProps });
  return { stack, network, cluster, service };
}

function build(props: Partial<AlbIngressProps> = {}, serviceProps: { containerPort?: number } = {}) {
  const s = setup({}, serviceProps);
  const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, ...props });
  return { ...s, ingress, get template() { return Template.fromStack(s.stack); } };
}

function groupRules(template: Template, descriptionPattern: RegExp) {
  const [id, group] = Object.entries<any>(template.findResources('AWS::EC2::SecurityGroup'))
    .find(([, g]) => descriptionPattern.test(g.Properties.GroupDescription))!;
  const standalone = (type: string, key: string) => Object.values<any>(template.findResources(type))
    .map((r) => r.Properties).filter((p) => JSON.stringify(p[key]).includes(id));
  return {
    id,
    ingress: [...(group.Properties.SecurityGroupIngress ?? []), ...standalone('AWS::EC2::SecurityGroupIngress', 'GroupId')],
    egress: [...(group.Properties.SecurityGroupEgress ?? []), ...standalone('AWS::EC2::SecurityGroupEgress', 'GroupId')],
  };
}

describe('seed defaults', () => {
  const { ingress, template, stack } = build();

  test('internet-facing ALB in the public subnets, idle timeout 30 s, drop invalid header fields', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Subnets: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }],
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'false' },
        { Key: 'idle_timeout.timeout_seconds', Value: '30' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
  });

  test('HTTP listener on 80 forwarding to one target group', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('IngressTargetGroup') } }],
    });
  });

  test('target group: ip, HTTP, container port, health check / every 6 s, timeout 5 s, 2/10, deregistration 0 s', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip', Protocol: 'HTTP', Port: 80,
      HealthCheckPath: '/', HealthCheckIntervalSeconds: 6, HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2, UnhealthyThresholdCount: 10,
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }]),
    });
  });

  test('the ECS service is registered on the container port and created after the listener', () => {
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.Properties.LoadBalancers).toEqual([{ ContainerName: 'api', ContainerPort: 80, TargetGroupArn: { Ref: expect.stringMatching(/^IngressTargetGroup/) } }]);
    const listenerId = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0];
    expect(svc.DependsOn).toEqual(expect.arrayContaining([listenerId]));
  });

  test('load balancer group, rule by rule: TCP 80 from 0.0.0.0/0 and ::/0 in; TCP 80 to the service group out; nothing else', () => {
    const lb = groupRules(template, /^Load balancer/);
    const svc = groupRules(template, /^API service tasks/);
    expect(lb.ingress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }),
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv6: '::/0' }),
    ]);
    expect(lb.egress.filter((r) => r.CidrIp !== '255.255.255.255/32')).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, DestinationSecurityGroupId: { 'Fn::GetAtt': [svc.id, 'GroupId'] } }),
    ]);
    expect(svc.ingress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: { 'Fn::GetAtt': [lb.id, 'GroupId'] } }),
    ]);
  });

  test('members: url and dnsName are the load balancer\'s DNS name, listener is the HTTP one, securityGroup is the load balancer\'s group', () => {
    const lbId = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    expect(stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [lbId, 'DNSName'] }]] });
    expect(ingress.listener).toBe(ingress.httpListener);
    expect(stack.resolve(ingress.listener.listenerArn)).toEqual({ Ref: Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0] });
    const lbGroup = groupRules(template, /^Load balancer/);
    expect(stack.resolve(ingress.securityGroup.securityGroupId)).toEqual({ 'Fn::GetAtt': [lbGroup.id, 'GroupId'] });
    expect(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer')[lbId].Properties.SecurityGroups).toEqual([{ 'Fn::GetAtt': [lbGroup.id, 'GroupId'] }]);
    expect(stack.resolve(ingress.dnsName)).toEqual({ 'Fn::GetAtt': [lbId, 'DNSName'] });
    expect(stack.resolve(ingress.targetGroup.targetGroupArn)).toEqual({ Ref: Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0] });
    expect(ingress.certificate).toBeUndefined();
    expect(ingress.accessLogsBucket).toBeUndefined();
  });
});

describe('HTTPS', () => {
  test('certificate: HTTPS 443 with the recommended TLS policy, and 80 redirects permanently', () => {
    const s = setup();
    const cert = acm.Certificate.fromCertificateArn(s.stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, certificate: cert });
    const template = Template.fromStack(s.stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    const lb = groupRules(template, /^Load balancer/);
    expect(lb.ingress.map((r) => r.FromPort).sort()).toEqual([443, 443, 80, 80]);
    expect(ingress.listener).not.toBe(ingress.httpListener);
    expect(s.stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', ['https://', expect.anything()]] });
  });

  test('domainName + hostedZone: DNS-validated certificate and an alias record; url uses the domain', () => {
    const s = setup();
    const zone = route53.HostedZone.fromHostedZoneAttributes(s.stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, domainName: 'api.example.com', hostedZone: zone });
    const template = Template.fromStack(s.stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com', ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z123' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z123', AliasTarget: Match.anyValue() });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    expect(ingress.url).toBe('https://api.example.com');
  });
});

describe('several services', () => {
  test('addService: own target group, health check and rule; duplicate priority refused', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const orders = new ApiService(s.stack, 'Orders', { cluster: s.cluster, containerPort: 8080 });
    ingress.addService(orders, { priority: 10, pathPatterns: ['/orders', '/orders/*'], healthCheck: { path: '/health', interval: Duration.seconds(10) } });
    expect(() => ingress.addService(orders, { priority: 10, pathPatterns: ['/x'] })).toThrow(/`priority` 10 is already used/);
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/health', HealthCheckIntervalSeconds: 10 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders', '/orders/*'] } }],
    });
    const ordersGroup = groupRules(template, /^API service tasks/);
    expect(ordersGroup.ingress.length).toBeGreaterThan(0);
    const lb = groupRules(template, /^Load balancer/);
    expect(lb.egress.filter((r) => r.IpProtocol === 'tcp').map((r) => r.FromPort).sort()).toEqual([80, 8080]);
    const ordersSvc = Object.values<any>(template.findResources('AWS::ECS::Service')).find((x) => x.Properties.LoadBalancers[0].ContainerPort === 8080);
    expect(ordersSvc.DependsOn.some((d: string) => d.startsWith('IngressService10Rule'))).toBe(true);
  });

  test('addService with host headers; without any condition it is refused', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const other = new ApiService(s.stack, 'Other', { cluster: s.cluster });
    ingress.addService(other, { priority: 5, hostHeaders: ['other.example.com'] });
    expect(() => ingress.addService(other, { priority: 6 })).toThrow(/needs `pathPatterns` or `hostHeaders`/);
    expect(() => ingress.addService(other, { priority: 0, pathPatterns: ['/a'] })).toThrow(/`priority` must be a whole number from 1 to 50000, got 0/);
    Template.fromStack(s.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['other.example.com'] } }],
    });
  });
});

describe('options', () => {
  test('an internal load balancer with `allowedCidrs: []` has no CIDR rule: only the groups admitted through `connections` reach it', () => {
    const bare = build({ internetFacing: false, allowedCidrs: [] });
    expect(groupRules(bare.template, /^Load balancer/).ingress).toEqual([]);
    bare.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    const { stack, ingress } = build({ internetFacing: false, allowedCidrs: [] });
    const peer = new ec2.SecurityGroup(stack, 'Peer', { vpc: ingress.loadBalancer.vpc! });
    ingress.connections.allowFrom(peer, ec2.Port.tcp(80), 'from the peer');
    const rules = groupRules(Template.fromStack(stack), /^Load balancer/).ingress;
    expect(rules).toEqual([expect.objectContaining({ FromPort: 80, ToPort: 80, SourceSecurityGroupId: stack.resolve(peer.securityGroupId) })]);
  });

  test('allowedCidrs, deregistration delay, deletion protection, WAF, access logs, internal', () => {
    const { template } = build({
      allowedCidrs: ['203.0.113.0/24'], deregistrationDelay: Duration.seconds(30), deletionProtection: true,
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/abc', accessLogs: true,
    });
    const lb = groupRules(template, /^Load balancer/);
    expect(lb.ingress).toEqual([expect.objectContaining({ CidrIp: '203.0.113.0/24', FromPort: 80 })]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/abc' });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('internetFacing: false puts an internal ALB in the private subnets', () => {
    const { template } = build({ internetFacing: false, allowedCidrs: ['10.0.0.0/16'] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
    });
  });

  test('accessLogs: true on an environment-agnostic stack (no region): logs on, the ELB log writer chosen at deploy time; AwsSolutions-ELB2 satisfied', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const network = new Network(stack, 'Network');
    const service = new ApiService(stack, 'Api', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
    const ingress = new AlbIngress(stack, 'Ingress', { network, service, accessLogs: true });
    const json = Template.fromStack(stack).toJSON();
    const lb = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(lb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'access_logs.s3.enabled', Value: 'true' }]));
    expect(lb.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/IngressAccessLogsPolicy/)]));
    expect(json.Conditions.PortcullisElbAccountInUsEast1).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    const policy = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::S3::BucketPolicy').Properties.PolicyDocument;
    expect(policy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Action: 's3:PutObject',
      Principal: { 'Fn::If': ['PortcullisElbAccountRegion', { AWS: expect.anything() }, { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }] },
    })]));
    // the member is the bucket the load balancer writes to
    const [bucketId] = Object.keys(Template.fromStack(stack).findResources('AWS::S3::Bucket'));
    expect(stack.resolve(ingress.accessLogsBucket!.bucketName)).toEqual({ Ref: bucketId });
    expect(lb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'access_logs.s3.bucket', Value: { Ref: bucketId } }]));
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).not.toContain('AwsSolutions-ELB2');
  });

  test('EC2 capacity works the same', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const network = new Network(stack, 'Network');
    const service = new ApiService(stack, 'Api', { cluster: new Ec2Cluster(stack, 'Cluster', { network }) });
    new AlbIngress(stack, 'Ingress', { network, service });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [Match.objectLike({ ContainerPort: 80 })] });
  });
});

/** A view of a network that hides its private subnets: an ingress whose network has none, with a service that has no public IP. */
class PublicOnlyView extends Construct implements INetwork {
  public readonly vpc: ec2.IVpc;
  public readonly publicSubnets: ec2.SubnetSelection;
  public readonly privateSubnets: ec2.SubnetSelection = { subnets: [] };
  public readonly egressIps: string[] = [];
  public readonly egressIpsKnown = false;
  constructor(scope: Construct, id: string, network: Network) {
    super(scope, id);
    this.vpc = network.vpc;
    this.publicSubnets = network.publicSubnets;
  }
}

const zoneOf = (scope: Construct, zoneName = 'example.com') => route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z1', zoneName });
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/11111111-2222-3333-4444-555555555555';

describe('bad input: rejected at synth, the error names the prop, the value and the fix', () => {
  const cases: Array<[string, (stack: Stack) => Partial<AlbIngressProps>, RegExp]> = [
    ['domainName without hostedZone', () => ({ domainName: 'api.example.com' }), /`domainName` 'api.example.com' needs `hostedZone`/],
    ['hostedZone without domainName', (st) => ({ hostedZone: zoneOf(st) }), /`hostedZone` was given without `domainName`: give the domain name/],
    // domain names: the ALB url used to become 'http://'
    ['domainName empty', (st) => ({ domainName: '', hostedZone: zoneOf(st) }), /`domainName` must be a domain name like 'api.example.com'.*got '': give the full name/],
    ['domainName outside its hosted zone', (st) => ({ domainName: 'api.example.org', hostedZone: zoneOf(st) }),
      /`domainName` must be in the hosted zone 'example.com'.*got 'api.example.org': use a name like 'api.example.com', or the hosted zone that holds 'api.example.org'/],
    ['domainName ending like its zone without a dot', (st) => ({ domainName: 'myexample.com', hostedZone: zoneOf(st) }), /`domainName` must be in the hosted zone 'example.com'.*got 'myexample.com'/],
    ['domainName with an empty label', (st) => ({ domainName: 'api..example.com', hostedZone: zoneOf(st) }), /`domainName` must be a domain name.*got 'api..example.com': fix an empty label/],
    ['domainName with an underscore', (st) => ({ domainName: 'my_api.example.com', hostedZone: zoneOf(st) }), /`domainName` .*got 'my_api.example.com': fix the label 'my_api'/],
    ['domainName with a space', (st) => ({ domainName: 'my api.example.com', hostedZone: zoneOf(st) }), /`domainName` .*got 'my api.example.com': fix the label 'my api'/],
    ['domainName with a leading hyphen', (st) => ({ domainName: '-api.example.com', hostedZone: zoneOf(st) }), /`domainName` .*got '-api.example.com': fix the label '-api'/],
    ['domainName a wildcard', (st) => ({ domainName: '*.example.com', hostedZone: zoneOf(st) }), /`domainName` .*got '\*.example.com': a wildcard is not allowed here/],
    // health check
    ['healthCheck.path without a leading slash', () => ({ healthCheck: { path: 'health' } }), /`healthCheck.path` must be a URL path like '\/health'.*got 'health': start it with '\/', e.g. '\/health'/],
    ['healthCheck.path with a space', () => ({ healthCheck: { path: '/he alth' } }), /`healthCheck.path` must be a URL path.*got '\/he alth': remove the spaces/],
    ['healthCheck.path over 1024 characters', () => ({ healthCheck: { path: `/${'a'.repeat(1024)}` } }), /`healthCheck.path` must be a URL path.*at most 1024 characters.*shorten it: it has 1025 characters/],
    ['healthCheck.healthyHttpCodes 999', () => ({ healthCheck: { healthyHttpCodes: '999' } }), /`healthCheck.healthyHttpCodes` must be HTTP codes from 200 to 499.*got '999': '999' is outside 200 to 499/],
    ['healthCheck.healthyHttpCodes ok', () => ({ healthCheck: { healthyHttpCodes: 'ok' } }), /`healthCheck.healthyHttpCodes` must be HTTP codes .*got 'ok': 'ok' is not a 3-digit code/],
    ['healthCheck.healthyHttpCodes 100', () => ({ healthCheck: { healthyHttpCodes: '100' } }), /`healthCheck.healthyHttpCodes` .*got '100': '100' is outside 200 to 499/],
    ['healthCheck.healthyHttpCodes with a space', () => ({ healthCheck: { healthyHttpCodes: '200, 302' } }), /`healthCheck.healthyHttpCodes` .*got '200, 302': ' 302' is not a 3-digit code or a range of two \(no spaces\)/],
    ['healthCheck.healthyHttpCodes backwards range', () => ({ healthCheck: { healthyHttpCodes: '299-200' } }), /`healthCheck.healthyHttpCodes` .*got '299-200': the range '299-200' runs backwards: write '200-299'/],
    ['healthCheck.healthyHttpCodes empty', () => ({ healthCheck: { healthyHttpCodes: '' } }), /`healthCheck.healthyHttpCodes` .*got '': give a code such as '200'/],
    ['healthCheck.interval below 5 s', () => ({ healthCheck: { interval: Duration.seconds(4) } }), /`healthCheck.interval` must be a whole number of seconds from 5 to 300 seconds, got Duration.seconds\(4\)/],
    ['healthCheck.interval in milliseconds', () => ({ healthCheck: { interval: Duration.millis(5500) } }), /`healthCheck.interval` must be a whole number of seconds.*got Duration.millis\(5500\): use Duration.seconds\(6\): CloudFormation takes whole seconds/],
    ['healthCheck.interval Infinity', () => ({ healthCheck: { interval: Duration.seconds(Infinity) } }), /`healthCheck.interval` must be a whole number of seconds.*got Duration.seconds\(Infinity\): use a finite duration/],
    ['healthCheck.timeout below 2 s', () => ({ healthCheck: { timeout: Duration.seconds(1) } }), /`healthCheck.timeout` must be a whole number of seconds from 2 to 120 seconds, got Duration.seconds\(1\)/],
    ['healthCheck.timeout NaN', () => ({ healthCheck: { timeout: Duration.seconds(NaN) } }), /`healthCheck.timeout` must be a whole number of seconds.*got Duration.seconds\(NaN\)/],
    ['healthCheck.timeout not below the interval', () => ({ healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }), /`healthCheck.timeout` \(10 s\) must be less than `healthCheck.interval` \(10 s\)/],
    ['healthCheck.healthyThreshold 1', () => ({ healthCheck: { healthyThreshold: 1 } }), /`healthCheck.healthyThreshold` must be a whole number from 2 to 10, got 1/],
    ['healthCheck.healthyThreshold NaN', () => ({ healthCheck: { healthyThreshold: NaN } }), /`healthCheck.healthyThreshold` must be a whole number from 2 to 10, got NaN/],
    ['healthCheck.unhealthyThreshold 11', () => ({ healthCheck: { unhealthyThreshold: 11 } }), /`healthCheck.unhealthyThreshold` must be a whole number from 2 to 10, got 11/],
    ['healthCheck.unhealthyThreshold 2.5', () => ({ healthCheck: { unhealthyThreshold: 2.5 } }), /`healthCheck.unhealthyThreshold` must be a whole number from 2 to 10, got 2.5/],
    // numbers and durations
    ['idleTimeout above 4000 s', () => ({ idleTimeout: Duration.seconds(5000) }), /`idleTimeout` must be a whole number of seconds from 1 to 4000 seconds, got Duration.seconds\(5000\)/],
    ['idleTimeout NaN', () => ({ idleTimeout: Duration.seconds(NaN) }), /`idleTimeout` must be .*got Duration.seconds\(NaN\)/],
    ['idleTimeout Infinity', () => ({ idleTimeout: Duration.minutes(Infinity) }), /`idleTimeout` must be .*got Duration.minutes\(Infinity\)/],
    ['idleTimeout in milliseconds', () => ({ idleTimeout: Duration.millis(1500) }), /`idleTimeout` must be a whole number of seconds.*got Duration.millis\(1500\): use Duration.seconds\(2\)/],
    ['deregistrationDelay above 3600 s', () => ({ deregistrationDelay: Duration.seconds(3601) }), /`deregistrationDelay` must be a whole number of seconds from 0 to 3600 seconds, got Duration.seconds\(3601\)/],
    ['deregistrationDelay NaN', () => ({ deregistrationDelay: Duration.seconds(NaN) }), /`deregistrationDelay` must be .*got Duration.seconds\(NaN\)/],
    ['deregistrationDelay in milliseconds', () => ({ deregistrationDelay: Duration.millis(500) }), /`deregistrationDelay` must be a whole number of seconds.*got Duration.millis\(500\)/],
    // allowedCidrs
    ['allowedCidrs prefix /33', () => ({ allowedCidrs: ['10.0.0.0/33'] }), /`allowedCidrs\[0\]` must be an IPv4 CIDR block like '10.0.0.0\/16', got '10.0.0.0\/33': .*a prefix 0 to 32/],
    ['allowedCidrs octet 300', () => ({ allowedCidrs: ['300.1.1.1/16'] }), /`allowedCidrs\[0\]` must be an IPv4 CIDR block.*got '300.1.1.1\/16': write a.b.c.d\/n: four numbers 0 to 255/],
    ['allowedCidrs IPv6 prefix /129', () => ({ allowedCidrs: ['::/0', '2001:db8::/129'] }), /`allowedCidrs\[1\]` must be an IPv6 CIDR block like '2001:db8::\/32', got '2001:db8::\/129': .*a prefix 0 to 128/],
    ['allowedCidrs not a CIDR', () => ({ allowedCidrs: ['anywhere'] }), /`allowedCidrs\[0\]` must be a CIDR block.*got 'anywhere'/],
    ['allowedCidrs with host bits', () => ({ allowedCidrs: ['203.0.113.7/24'] }), /`allowedCidrs\[0\]` has host bits set: '203.0.113.7\/24' is not the start of a \/24 block; use '203.0.113.0\/24'/],
    ['allowedCidrs empty', () => ({ allowedCidrs: [] }), /`allowedCidrs` is empty: nobody could reach the load balancer/],
    // webAclArn
    ['webAclArn not an ARN', () => ({ webAclArn: 'my-web-acl' }), /`webAclArn` must be the ARN of a WAFv2 web ACL of scope REGIONAL like 'arn:aws:wafv2:<region>:<account>:regional\/webacl\/<resource>', got 'my-web-acl': it needs six colon-separated fields/],
    ['webAclArn empty', () => ({ webAclArn: '' }), /`webAclArn` must be the ARN of a WAFv2 web ACL.*got ''/],
    ['webAclArn of scope CLOUDFRONT', () => ({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/api/abc' }), /`webAclArn` .*the resource must start with 'regional\/webacl\/'/],
    ['webAclArn of WAF Classic', () => ({ webAclArn: 'arn:aws:waf-regional:us-east-1:123456789012:webacl/abc' }), /`webAclArn` .*the service is 'waf-regional', not 'wafv2'/],
    ['webAclArn of a rule group', () => ({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/rulegroup/r/abc' }), /`webAclArn` .*the resource must start with 'regional\/webacl\/'/],
    ['webAclArn in another Region', () => ({ webAclArn: WEB_ACL.replace('us-east-1', 'eu-west-1') }), /`webAclArn` must be a web ACL in the stack's Region \(us-east-1\), got '.*' in eu-west-1: .*create the web ACL in us-east-1/],
  ];
  test.each(cases)('%s', (_, props, message) => {
    const s = setup();
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, ...props(s.stack) })).toThrow(message);
  });

  test('one AZ: an ALB needs two', () => {
    const s = setup({ maxAzs: 1 });
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service })).toThrow(/needs subnets in at least two AZs, got 1 public subnet/);
  });

  test('a network without public subnets', () => {
    const s = setup({ egress: Egress.none(), publicSubnets: false }, { image: PRIVATE_ECR_IMAGE });
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service })).toThrow(/no public subnets/);
  });

  test('a service from another VPC', () => {
    const s = setup();
    const other = new Network(s.stack, 'Other', { cidr: '10.1.0.0/16' });
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: other, service: s.service })).toThrow(/runs in another VPC than the ingress's network/);
  });

  test('a public-only network with public tasks works', () => {
    const s = setup({ egress: Egress.publicSubnetsOnly() }, { assignPublicIp: true });
    new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    Template.fromStack(s.stack).hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      LoadBalancers: [Match.objectLike({ ContainerPort: 80 })],
    });
  });

  test('an ingress network without private subnets and a service without public IPs is refused', () => {
    const s = setup();
    const view = new PublicOnlyView(s.stack, 'View', s.network);
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: view, service: s.service }))
      .toThrow(/The network has no private subnets, so the service 'Test\/Api' needs `assignPublicIp: true`/);
  });
});

describe('bad input to addService: rejected, the error names the option, the value and the fix', () => {
  const cases: Array<[string, Partial<AlbServiceOptions>, RegExp]> = [
    ['priority 0', { priority: 0 }, /`priority` must be a whole number from 1 to 50000, got 0: use a whole number from 1 to 50000, unique/],
    ['priority 50001', { priority: 50001 }, /`priority` must be a whole number from 1 to 50000, got 50001/],
    ['priority NaN', { priority: NaN }, /`priority` must be a whole number from 1 to 50000, got NaN/],
    ['priority Infinity', { priority: Infinity }, /`priority` must be a whole number from 1 to 50000, got Infinity/],
    ['priority 1.5', { priority: 1.5 }, /`priority` must be a whole number from 1 to 50000, got 1.5/],
    ['no condition', { pathPatterns: undefined }, /addService for priority 7 needs `pathPatterns` or `hostHeaders`/],
    ['pathPatterns with {id}', { pathPatterns: ['/orders/{id}'] }, /`pathPatterns\[0\]` must be an ALB path pattern like '\/orders\/\*'.*got '\/orders\/\{id\}': remove '\{', '\}': ALB has no path parameters; use '\/orders\/\*'/],
    ['pathPatterns with a space', { pathPatterns: ['/a', '/my orders'] }, /`pathPatterns\[1\]` must be an ALB path pattern.*got '\/my orders': remove ' '/],
    ['pathPatterns an empty pattern', { pathPatterns: [''] }, /`pathPatterns\[0\]` must be an ALB path pattern.*got '': give a pattern such as '\/orders\/\*'/],
    ['pathPatterns an empty list', { pathPatterns: [] }, /`pathPatterns` must hold at least one value, got \[\]: give a value, or leave `pathPatterns` out/],
    ['pathPatterns over 128 characters', { pathPatterns: [`/${'a'.repeat(128)}`] }, /`pathPatterns\[0\]` must be an ALB path pattern like '\/orders\/\*' \(1 to 128 characters.*\(129 characters\): shorten it/],
    ['hostHeaders with a space', { pathPatterns: undefined, hostHeaders: ['orders example.com'] }, /`hostHeaders\[0\]` must be a host name like 'orders.example.com'.*got 'orders example.com': remove the spaces/],
    ['hostHeaders without a dot', { pathPatterns: undefined, hostHeaders: ['orders'] }, /`hostHeaders\[0\]` .*got 'orders': give the full name/],
    ['hostHeaders with a port', { pathPatterns: undefined, hostHeaders: ['orders.example.com:8080'] }, /`hostHeaders\[0\]` .*got 'orders.example.com:8080': remove the port/],
    ['hostHeaders ending in digits', { pathPatterns: undefined, hostHeaders: ['orders.example.123'] }, /`hostHeaders\[0\]` .*only letters after the last.*got 'orders.example.123'/],
    ['hostHeaders an empty list', { hostHeaders: [] }, /`hostHeaders` must hold at least one value, got \[\]/],
    ['six condition values', { pathPatterns: ['/a', '/b', '/c', '/d'], hostHeaders: ['a.example.com', 'b.example.com'] },
      /`pathPatterns` and `hostHeaders` must hold at most 5 values together \(ALB's limit of condition values per rule, not adjustable\), got 4 \+ 2 = 6: use wildcards/],
    ['six path patterns', { pathPatterns: ['/a', '/b', '/c', '/d', '/e', '/f'] }, /must hold at most 5 values together.*got 6 \+ 0 = 6/],
    ['healthCheck.path without a leading slash', { healthCheck: { path: 'health' } }, /`healthCheck.path` must be a URL path.*got 'health'/],
    ['healthCheck.healthyHttpCodes 999', { healthCheck: { healthyHttpCodes: '999' } }, /`healthCheck.healthyHttpCodes` .*got '999'/],
    ['healthCheck.interval in milliseconds', { healthCheck: { interval: Duration.millis(7250) } }, /`healthCheck.interval` must be a whole number of seconds.*got Duration.millis\(7250\)/],
    ['deregistrationDelay NaN', { deregistrationDelay: Duration.seconds(NaN) }, /`deregistrationDelay` must be .*got Duration.seconds\(NaN\)/],
  ];
  test.each(cases)('%s', (_, options, message) => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const orders = new ApiService(s.stack, 'Orders', { cluster: s.cluster, containerPort: 8080 });
    expect(() => ingress.addService(orders, { priority: 7, pathPatterns: ['/orders/*'], ...options })).toThrow(message);
    // nothing was created, and the priority is still free
    const created = () => ingress.node.children.map((c) => c.node.id).filter((id) => /^Service/.test(id));
    expect(created()).toEqual([]);
    ingress.addService(orders, { priority: 7, pathPatterns: ['/orders/*'] });
    expect(created()).toEqual(['Service7TargetGroup', 'Service7Rule', 'Service7RollbackAlarm']);
    Template.fromStack(s.stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
  });

  test('a sixth target group for one service: ECS allows five per service (the default target group counts)', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    for (let i = 1; i <= 4; i++) ingress.addService(s.service, { priority: i, pathPatterns: [`/v${i}/*`] });
    expect(() => ingress.addService(s.service, { priority: 5, pathPatterns: ['/v5/*'] }))
      .toThrow(/`service` 'Test\/Api' would be registered in 6 target groups: ECS allows at most 5 per service \(not adjustable\); give one addService call several `pathPatterns`/);
    const template = Template.fromStack(s.stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 5);
    expect(Object.values<any>(template.findResources('AWS::ECS::Service'))[0].Properties.LoadBalancers).toHaveLength(5);
  });

  test('the quota counts target groups of every load balancer in front of the service', () => {
    const s = setup();
    const first = new AlbIngress(s.stack, 'First', { network: s.network, service: s.service });
    const second = new AlbIngress(s.stack, 'Second', { network: s.network, service: s.service });
    first.addService(s.service, { priority: 1, pathPatterns: ['/a'] });
    second.addService(s.service, { priority: 1, pathPatterns: ['/a'] });
    first.addService(s.service, { priority: 2, pathPatterns: ['/b'] });
    expect(() => second.addService(s.service, { priority: 2, pathPatterns: ['/b'] })).toThrow(/would be registered in 6 target groups/);
  });

  test('the same token priority twice is refused; two token priorities work', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const priority = new CfnParameter(s.stack, 'Priority', { type: 'Number' }).valueAsNumber;
    ingress.addService(new ApiService(s.stack, 'Orders', { cluster: s.cluster }), { priority, pathPatterns: ['/orders/*'] });
    expect(() => ingress.addService(new ApiService(s.stack, 'Users', { cluster: s.cluster }), { priority, pathPatterns: ['/users/*'] }))
      .toThrow(/`priority` .* is the same token as another service's on this load balancer: priorities must be unique/);
  });
});

describe('valid neighbours of the rejections still synthesize', () => {
  test('an internal ALB with IPv4 and IPv6 ranges (internetFacing: false)', () => {
    const { template } = build({ internetFacing: false, allowedCidrs: ['10.0.0.0/8', 'fd00::/8', '2001:db8::/32', '::/0'] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    const lb = groupRules(template, /^Load balancer/);
    expect(lb.ingress).toEqual([
      expect.objectContaining({ CidrIp: '10.0.0.0/8', FromPort: 80 }),
      expect.objectContaining({ CidrIpv6: 'fd00::/8', FromPort: 80 }),
      expect.objectContaining({ CidrIpv6: '2001:db8::/32', FromPort: 80 }),
      expect.objectContaining({ CidrIpv6: '::/0', FromPort: 80 }),
    ]);
  });

  test('IPv6 written in full, in upper case or with a dotted-quad tail (aws-cdk-lib\'s Peer.ipv6 takes neither of the last two: handed over compressed), and a single host /32', () => {
    const { template } = build({ allowedCidrs: ['2001:0db8:0000:0000:0000:0000:0000:0000/32', '2001:DB8:1::/48', '::ffff:203.0.113.0/120', '198.51.100.7/32'] });
    const lb = groupRules(template, /^Load balancer/);
    expect(lb.ingress.map((r) => [r.CidrIp ?? r.CidrIpv6, r.Description])).toEqual([
      ['2001:0db8:0000:0000:0000:0000:0000:0000/32', 'Listener 80 from 2001:0db8:0000:0000:0000:0000:0000:0000/32'],
      ['2001:db8:1::/48', 'Listener 80 from 2001:DB8:1::/48'],
      ['::ffff:cb00:7100/120', 'Listener 80 from ::ffff:203.0.113.0/120'],
      ['198.51.100.7/32', 'Listener 80 from 198.51.100.7/32'],
    ]);
  });

  test('domainName: the zone apex, upper case and a trailing dot, and a zone written with a trailing dot', () => {
    for (const [domainName, zoneName, record, certificate] of [
      ['example.com', 'example.com', 'example.com.', 'example.com'],
      ['API.Example.com.', 'example.com', 'API.Example.com.', 'API.Example.com'],
      ['api.example.com', 'example.com.', 'api.example.com.', 'api.example.com'],
    ]) {
      const s = setup();
      const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, domainName, hostedZone: zoneOf(s.stack, zoneName) });
      const template = Template.fromStack(s.stack);
      template.hasResourceProperties('AWS::Route53::RecordSet', { Name: record, Type: 'A' });
      template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: certificate });
      expect(ingress.url).toBe(`https://${certificate}`);
    }
  });

  test('a token domainName: the record is the name itself (the zone is not appended), the certificate and url use it', () => {
    const s = setup();
    const domainName = new CfnParameter(s.stack, 'DomainName').valueAsString;
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, domainName, hostedZone: zoneOf(s.stack) });
    const template = Template.fromStack(s.stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: { 'Fn::Join': ['', [{ Ref: 'DomainName' }, '.']] }, HostedZoneId: 'Z1' });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: { Ref: 'DomainName' } });
    expect(s.stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', ['https://', { Ref: 'DomainName' }]] });
    expect(JSON.stringify(template.toJSON())).not.toContain('example.com.');
  });

  test('a zone imported by id only (its name unknown): the record is the full domain name', () => {
    const s = setup();
    const hostedZone = route53.HostedZone.fromHostedZoneId(s.stack, 'Zone', 'Z9');
    new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, domainName: 'api.example.com', hostedZone });
    Template.fromStack(s.stack).hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', HostedZoneId: 'Z9' });
  });

  test('health checks at the edges: codes 200, 499, lists and ranges; path with a query; intervals 5 and 300 s; thresholds 2 and 10', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', {
      network: s.network, service: s.service,
      healthCheck: { path: '/health?deep=1', healthyHttpCodes: '200,302', interval: Duration.seconds(300), timeout: Duration.seconds(120), healthyThreshold: 10, unhealthyThreshold: 2 },
      idleTimeout: Duration.seconds(4000), deregistrationDelay: Duration.seconds(3600),
    });
    ingress.addService(new ApiService(s.stack, 'A', { cluster: s.cluster }), { priority: 1, pathPatterns: ['/a*'], healthCheck: { healthyHttpCodes: '200-299', interval: Duration.seconds(5), timeout: Duration.seconds(2) } });
    ingress.addService(new ApiService(s.stack, 'B', { cluster: s.cluster }), { priority: 50000, pathPatterns: ['/b*'], healthCheck: { healthyHttpCodes: '200-299,302,499', path: '/' } });
    const template = Template.fromStack(s.stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health?deep=1', Matcher: { HttpCode: '200,302' }, HealthCheckIntervalSeconds: 300, HealthCheckTimeoutSeconds: 120, HealthyThresholdCount: 10, UnhealthyThresholdCount: 2,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '3600' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Matcher: { HttpCode: '200-299' }, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Matcher: { HttpCode: '200-299,302,499' } });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 50000 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '4000' }]),
    });
  });

  test('idleTimeout 1 s and deregistrationDelay in whole milliseconds (Duration.millis(2000))', () => {
    const { template } = build({ idleTimeout: Duration.seconds(1), deregistrationDelay: Duration.millis(2000) });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '1' }]) });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '2' }]) });
  });

  test('five condition values (3 paths + 2 hosts) with * and ? wildcards, a 128-character pattern, wildcard hosts', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const long = `/${'a'.repeat(126)}*`;
    ingress.addService(new ApiService(s.stack, 'Orders', { cluster: s.cluster }), {
      priority: 3, pathPatterns: ['/orders/*', '/v?/orders', long], hostHeaders: ['*.example.com', 'API-2.Example.org'],
    });
    expect(long).toHaveLength(128);
    Template.fromStack(s.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*', '/v?/orders', long] } },
        { Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com', 'API-2.Example.org'] } },
      ],
    });
  });

  test('five target groups for one service (the default one and four rules)', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    for (let i = 1; i <= 4; i++) ingress.addService(s.service, { priority: i, pathPatterns: [`/v${i}/*`] });
    expect(Object.values<any>(Template.fromStack(s.stack).findResources('AWS::ECS::Service'))[0].Properties.LoadBalancers).toHaveLength(5);
  });

  test('webAclArn: a regional web ACL in the stack\'s Region, in another partition, or a token', () => {
    build({ webAclArn: WEB_ACL }).template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL });
    const agnostic = new Stack(new App(), 'Agnostic');
    const network = new Network(agnostic, 'Network');
    const service = new ApiService(agnostic, 'Api', { cluster: new FargateCluster(agnostic, 'Cluster', { network }) });
    const govAcl = 'arn:aws-us-gov:wafv2:us-gov-west-1:123456789012:regional/webacl/api/abc';
    new AlbIngress(agnostic, 'Ingress', { network, service, webAclArn: govAcl });
    const tokenAcl = new CfnParameter(agnostic, 'WebAcl').valueAsString;
    new AlbIngress(agnostic, 'Ingress2', { network, service, webAclArn: tokenAcl });
    const template = Template.fromStack(agnostic);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: govAcl });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { Ref: 'WebAcl' } });
  });

  test('token priorities: construct ids come from the services, not from the token text, so they never collide and stay stable', () => {
    const ruleIds = (unrelatedTokensFirst: number) => {
      const s = setup();
      const unrelated: number[] = [];
      for (let i = 0; i < unrelatedTokensFirst; i++) unrelated.push(new CfnParameter(s.stack, `Unrelated${i}`, { type: 'Number' }).valueAsNumber);
      const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
      const orders = new ApiService(s.stack, 'Orders', { cluster: s.cluster });
      for (const [name, service] of [['OrdersPriority', orders], ['UsersPriority', new ApiService(s.stack, 'Users', { cluster: s.cluster })], ['Orders2Priority', orders]] as const) {
        ingress.addService(service, { priority: new CfnParameter(s.stack, name, { type: 'Number' }).valueAsNumber, pathPatterns: [`/${name}/*`] });
      }
      ingress.addService(orders, { priority: 4, pathPatterns: ['/literal/*'] });
      const rules = Template.fromStack(s.stack).findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
      return Object.entries<any>(rules).map(([id, r]) => [id, r.Properties.Priority]).sort();
    };
    const ids = ruleIds(0);
    expect(ids).toEqual([
      [expect.stringMatching(/^IngressService4Rule/), 4],
      [expect.stringMatching(/^IngressServiceOrders2Rule/), { Ref: 'Orders2Priority' }],
      [expect.stringMatching(/^IngressServiceOrdersRule/), { Ref: 'OrdersPriority' }],
      [expect.stringMatching(/^IngressServiceUsersRule/), { Ref: 'UsersPriority' }],
    ]);
    expect(ruleIds(7)).toEqual(ids);
  });

  test('a list token of path patterns (a CommaDelimitedList parameter) is passed to CloudFormation', () => {
    const s = setup();
    const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const paths = new CfnParameter(s.stack, 'Paths', { type: 'CommaDelimitedList' }).valueAsList;
    ingress.addService(new ApiService(s.stack, 'Orders', { cluster: s.cluster }), { priority: 2, pathPatterns: paths });
    Template.fromStack(s.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: { Ref: 'Paths' } } }],
    });
  });
});

test('cdk-nag AwsSolutions: only reasoned acknowledgements (the intentionally public listener, no access logs by default)', () => {
  const { stack, ingress, cluster } = build();
  const findings = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual([
    'AwsSolutions-EC23',
    'AwsSolutions-ELB2',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
  ]);
  Validations.of(ingress.securityGroup).acknowledge({ id: 'AwsSolutions-EC23', reason: 'A public API: the listener ports are open to the internet on purpose, nothing else is' });
  Validations.of(ingress.loadBalancer).acknowledge({ id: 'AwsSolutions-ELB2', reason: 'Access logs are one prop away (accessLogs: true); off by default for cost' });
  Validations.of(cluster.executionRole).acknowledge({ id: findings[2], reason: 'The seed\'s execution policy, maintained by AWS' });
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
});

/** Every security group rule of a template, by the logical id of its group (inline and standalone rules). */
function rulesByGroup(template: Template) {
  const json = template.toJSON();
  const groups = new Map<string, { ingress: any[]; egress: any[] }>();
  for (const [id, r] of Object.entries<any>(json.Resources)) {
    if (r.Type === 'AWS::EC2::SecurityGroup') groups.set(id, { ingress: [...(r.Properties.SecurityGroupIngress ?? [])], egress: [...(r.Properties.SecurityGroupEgress ?? [])] });
  }
  for (const r of Object.values<any>(json.Resources)) {
    const direction = r.Type === 'AWS::EC2::SecurityGroupIngress' ? 'ingress' : r.Type === 'AWS::EC2::SecurityGroupEgress' ? 'egress' : undefined;
    if (!direction) continue;
    const group = groups.get(r.Properties.GroupId['Fn::GetAtt'][0]);
    if (!group) throw new Error(`a rule of a group outside the template: ${JSON.stringify(r.Properties)}`);
    group[direction].push(r.Properties);
  }
  return groups;
}

const groupIdOf = (stack: Stack, connectable: ec2.IConnectable) => (stack.resolve(connectable.connections.securityGroups[0].securityGroupId))['Fn::GetAtt'][0] as string;

test('property: every open port has its source, and only it: listener ports from allowedCidrs, container ports from the load balancer group; never all protocols inbound', () => {
  // the cases the README cites must all be generated (checked at the end)
  const hits = { https: 0, httpOnly: 0, extraService: 0, extraOnSamePort: 0, containerOnListenerPort: 0, defaultRanges: 0, restrictedRanges: 0, ipv6Range: 0, trafficShift: 0, testListenerOpen: 0, testListenerClosed: 0 };
  const strategies = { rolling: () => Deployment.rolling(), canary: () => Deployment.canary(), linear: () => Deployment.linear(), blueGreen: () => Deployment.blueGreen() };
  const strategy = fc.constantFrom<keyof typeof strategies>('rolling', 'canary', 'linear', 'blueGreen');
  fc.assert(fc.property(
    fc.record({
      containerPort: fc.oneof(fc.constantFrom(80, 443), fc.integer({ min: 1, max: 65535 })),
      https: fc.boolean(),
      extra: fc.option(fc.oneof(fc.constant<'same'>('same'), fc.integer({ min: 1, max: 65535 })), { nil: undefined }),
      cidrs: fc.constantFrom<Array<string[] | undefined>>(undefined, ['203.0.113.0/24'], ['0.0.0.0/0'], ['0.0.0.0/0', '2001:db8::/32'], ['198.51.100.0/24', '2001:db8:1::/48']),
      deployment: strategy,
      extraDeployment: strategy,
      test: fc.option(fc.record({ port: fc.constantFrom(8080, 8443, 9000), cidrs: fc.constantFrom<Array<string[] | undefined>>(undefined, ['192.0.2.0/24'], ['2001:db8:2::/48']) }), { nil: undefined }),
    }),
    ({ containerPort, https, extra, cidrs, deployment, extraDeployment, test: testListener }) => {
      const stack = new Stack(new App(), 'Test', { env: ENV });
      const network = new Network(stack, 'Network', { flowLogs: false });
      const cluster = new FargateCluster(stack, 'Cluster', { network });
      const s = { stack, network, cluster, service: new ApiService(stack, 'Api', { cluster, containerPort, deployment: strategies[deployment]() }) };
      const certificate = https ? acm.Certificate.fromCertificateArn(s.stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc') : undefined;
      const ingress = new AlbIngress(s.stack, 'Ingress', {
        network: s.network, service: s.service, certificate, allowedCidrs: cidrs, testListenerPort: testListener?.port, testListenerCidrs: testListener?.cidrs,
      });
      const listenerPorts = https ? [80, 443] : [80];
      const services: Array<[ApiService, number]> = [[s.service, containerPort]];
      if (extra !== undefined) {
        const extraPort = extra === 'same' ? containerPort : extra;
        const other = new ApiService(s.stack, 'Extra', { cluster: s.cluster, containerPort: extraPort, deployment: strategies[extraDeployment]() });
        ingress.addService(other, { priority: 1, pathPatterns: ['/extra/*'] });
        services.push([other, extraPort]);
      }
      const ranges = cidrs ?? ['0.0.0.0/0', '::/0'];
      hits[https ? 'https' : 'httpOnly']++;
      if (extra !== undefined) hits.extraService++;
      if (extra === 'same') hits.extraOnSamePort++;
      if (listenerPorts.includes(containerPort)) hits.containerOnListenerPort++;
      if (cidrs === undefined) hits.defaultRanges++; else hits.restrictedRanges++;
      if (cidrs?.some((c) => c.includes(':'))) hits.ipv6Range++;

      const template = Template.fromStack(s.stack);
      const groups = rulesByGroup(template);
      const lbId = groupIdOf(s.stack, ingress);
      const lb = groups.get(lbId)!;
      const key = (r: any) => `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIp ?? r.CidrIpv6 ?? JSON.stringify(r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId)}`;
      const sorted = (rules: any[]) => rules.map(key).sort();
      // load balancer: in, the listener ports from each allowed range; out, each service's container port to its group
      const testRules = testListener?.cidrs?.map((c) => `tcp ${testListener.port}-${testListener.port} ${c}`) ?? [];
      expect(sorted(lb.ingress)).toEqual([...listenerPorts.flatMap((p) => ranges.map((c) => `tcp ${p}-${p} ${c}`)), ...testRules].sort());
      if (testListener) hits[testListener.cidrs ? 'testListenerOpen' : 'testListenerClosed']++;
      // every traffic-shifting service: an alternate target group, a production rule, the role, two rollback alarms
      const shifting = services.filter(([svc]) => svc.deployment.needsTrafficShift);
      hits.trafficShift += shifting.length;
      for (const [svc] of services) {
        expect(ingress.alternateTargetGroupFor(svc) !== undefined).toBe(svc.deployment.needsTrafficShift);
        // one per target group, and the load balancer's own on a single-service ingress
        expect(ingress.rollbackAlarmsFor(svc)).toHaveLength((svc.deployment.needsTrafficShift ? 2 : 1) + (services.length === 1 ? 1 : 0));
      }
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', services.length + shifting.length);
      const ecsServices = Object.values<any>(template.findResources('AWS::ECS::Service')).map((r) => r.Properties);
      for (const svc of ecsServices) {
        expect(svc.DeploymentController).toEqual({ Type: 'ECS' });
        expect(svc.DeploymentConfiguration.Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
        const advanced = svc.LoadBalancers[0].AdvancedConfiguration;
        expect(advanced !== undefined).toBe(svc.DeploymentConfiguration.Strategy !== 'ROLLING');
        if (advanced) expect(advanced.TestListenerRule !== undefined).toBe(testListener !== undefined);
      }
      expect(sorted(lb.egress.filter((r) => r.CidrIp !== '255.255.255.255/32')))
        .toEqual([...new Set(services.map(([svc, p]) => `tcp ${p}-${p} ${JSON.stringify({ 'Fn::GetAtt': [groupIdOf(s.stack, svc), 'GroupId'] })}`))].sort());
      // each service: in, its container port from the load balancer group only; out, all (tasks call out through NAT)
      for (const [svc, port] of services) {
        const g = groups.get(groupIdOf(s.stack, svc))!;
        expect(sorted(g.ingress)).toEqual([`tcp ${port}-${port} ${JSON.stringify({ 'Fn::GetAtt': [lbId, 'GroupId'] })}`]);
        expect(g.egress).toEqual([expect.objectContaining({ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: expect.stringMatching(/Allow all outbound/) })]);
      }
      // and no other group has a rule
      expect([...groups.keys()].sort()).toEqual([lbId, ...services.map(([svc]) => groupIdOf(s.stack, svc))].sort());
    },
  ), { numRuns: 200 });
  for (const [branch, count] of Object.entries(hits)) expect([branch, count > 0]).toEqual([branch, true]);
});

/** One invalid input: the prop the error must name, and the ingress props or addService options that carry it. */
interface Invalid {
  readonly prop: string;
  /** Given a fresh scope for the constructs the props need (a hosted zone). */
  readonly ingress?: (scope: Construct) => Partial<AlbIngressProps>;
  readonly rule?: Partial<AlbServiceOptions>;
}

const badNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((x) => !Number.isInteger(x)),
);
/** A duration that is not a whole number of seconds within [min, max]. */
const badDuration = (min: number, max: number) => fc.oneof(
  fc.constantFrom(NaN, Infinity).map((x) => Duration.seconds(x)),
  fc.integer({ min: min * 1000, max: max * 1000 }).filter((ms) => ms % 1000 !== 0).map((ms) => Duration.millis(ms)),
  (min > 0 ? fc.oneof(fc.integer({ min: 0, max: min - 1 }), fc.integer({ min: max + 1, max: 1e7 })) : fc.integer({ min: max + 1, max: 1e7 })).map((x) => Duration.seconds(x)),
);
const octet = fc.integer({ min: 0, max: 255 });
const badChar = (allowed: RegExp) => fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !allowed.test(c));
const pathChars = /^[A-Za-z0-9_\-.$/~"'@:+&*?]$/;
const hostChars = /^[A-Za-z0-9\-.*?]$/;
const validPath = fc.stringMatching(/^\/[a-z0-9/*?-]{0,20}$/);

const invalidProps: fc.Arbitrary<Invalid> = fc.oneof(
  // numbers
  fc.oneof(badNumber, fc.integer({ max: 0 }), fc.integer({ min: 50001 })).map((priority) => ({ prop: 'priority', rule: { priority } })),
  fc.constantFrom('healthyThreshold', 'unhealthyThreshold').chain((name) => fc.oneof(badNumber, fc.integer({ max: 1 }), fc.integer({ min: 11 }))
    .map((v) => ({ prop: `healthCheck.${name}`, ingress: () => ({ healthCheck: { [name]: v } }) }))),
  // durations, including milliseconds CloudFormation cannot take
  badDuration(1, 4000).map((idleTimeout) => ({ prop: 'idleTimeout', ingress: () => ({ idleTimeout }) })),
  badDuration(0, 3600).map((deregistrationDelay) => ({ prop: 'deregistrationDelay', rule: { deregistrationDelay } })),
  badDuration(5, 300).map((interval) => ({ prop: 'healthCheck.interval', ingress: () => ({ healthCheck: { interval } }) })),
  badDuration(2, 120).map((timeout) => ({ prop: 'healthCheck.timeout', rule: { healthCheck: { timeout } } })),
  // strings
  fc.oneof(
    fc.constant(''),
    fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), badChar(/^[A-Za-z0-9.-]$/)).map(([label, c]) => `${label}${c}x.example.com`),
    fc.domain().filter((d) => !/(^|\.)example\.com$/i.test(d)),
  ).map((domainName) => ({ prop: 'domainName', ingress: (scope: Construct) => ({ domainName, hostedZone: zoneOf(scope) }) })),
  fc.oneof(
    fc.tuple(validPath, badChar(pathChars), validPath).map(([a, c, b]) => [`${a}${c}${b}`]),
    fc.stringMatching(/^\/[a-z]{1,20}$/).map((id) => [`${id}/{id}`]),
    fc.constantFrom<string[][]>([''], []),
    fc.integer({ min: 128, max: 300 }).map((n) => [`/${'a'.repeat(n)}`]),
    fc.array(validPath, { minLength: 6, maxLength: 10 }),
  ).map((pathPatterns) => ({ prop: 'pathPatterns', rule: { pathPatterns } })),
  fc.oneof(
    fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), badChar(hostChars)).map(([a, c]) => `${a}${c}b.example.com`),
    fc.stringMatching(/^[a-z]{1,20}$/),
    fc.integer({ min: 0, max: 65535 }).map((port) => `api.example.com:${port}`),
    fc.integer({ min: 0, max: 999 }).map((n) => `api.example.${n}`),
  ).map((host) => ({ prop: 'hostHeaders', rule: { pathPatterns: undefined, hostHeaders: [host] } })),
  fc.oneof(fc.string({ maxLength: 20 }).filter((p) => !p.startsWith('/')), fc.tuple(validPath, fc.constantFrom(' ', '\t', '\n', '\x7f')).map(([p, c]) => `${p}${c}x`))
    .map((path) => ({ prop: 'healthCheck.path', ingress: () => ({ healthCheck: { path } }) })),
  fc.oneof(
    fc.oneof(fc.integer({ min: 0, max: 199 }), fc.integer({ min: 500, max: 999 })).map(String),
    fc.string({ maxLength: 12 }).filter((c) => !/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(c)),
  ).map((healthyHttpCodes) => ({ prop: 'healthCheck.healthyHttpCodes', rule: { healthCheck: { healthyHttpCodes } } })),
  fc.oneof(
    fc.tuple(octet, octet, octet, fc.integer({ min: 256, max: 999 }), fc.integer({ min: 0, max: 32 })).map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`),
    fc.tuple(octet, octet, fc.integer({ min: 33, max: 999 })).map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
    fc.tuple(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 129, max: 999 })).map(([g, p]) => `2001:${g.toString(16)}::/${p}`),
    fc.tuple(octet.filter((o) => o > 0), fc.integer({ min: 8, max: 31 })).map(([host, p]) => `10.0.0.${host}/${p}`).filter((c) => Number(c.split('.')[3].split('/')[0]) % 2 ** (32 - Number(c.split('/')[1])) !== 0),
  ).map((c) => ({ prop: 'allowedCidrs', ingress: () => ({ allowedCidrs: ['0.0.0.0/0', c] }) })),
  fc.oneof(
    fc.string({ maxLength: 30 }).filter((a) => !a.startsWith('arn:')),
    fc.constantFrom('s3', 'waf', 'waf-regional', 'elasticloadbalancing').map((svc) => `arn:aws:${svc}:us-east-1:123456789012:regional/webacl/a/b`),
    fc.constantFrom('global/webacl/a/b', 'regional/ipset/a/b', 'webacl/a/b').map((res) => `arn:aws:wafv2:us-east-1:123456789012:${res}`),
  ).map((webAclArn) => ({ prop: 'webAclArn', ingress: () => ({ webAclArn }) })),
  fc.oneof(fc.constantFrom(80, 443, 0, 65536), badNumber).map((testListenerPort) => ({ prop: 'testListenerPort', ingress: () => ({ testListenerPort }) })),
  fc.constantFrom<string[]>([], ['anywhere'], ['10.0.0.1/8'], ['2001:db8::/129']).map((testListenerCidrs) => ({ prop: 'testListenerCidrs', ingress: () => ({ testListenerPort: 8080, testListenerCidrs }) })),
  // target group ports, on the ingress and on addService
  fc.tuple(fc.oneof(fc.constantFrom(0, 65536, -80), badNumber), fc.boolean()).map(([targetGroupPort, onIngress]) => (onIngress
    ? { prop: 'targetGroupPort', ingress: () => ({ targetGroupPort }) }
    : { prop: 'targetGroupPort', rule: { targetGroupPort } })),
  // address families the load balancer cannot serve (an IPv4 load balancer, IPv6 ranges only)
  fc.array(fc.tuple(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 16, max: 64 })).map(([g, p]) => `2001:${g.toString(16)}::/${p}`), { minLength: 1, maxLength: 3 })
    .map((allowedCidrs) => ({ prop: 'allowedCidrs', ingress: () => ({ allowedCidrs }) })),
);

test('property: random invalid props and addService options are rejected at synth, the error naming the prop; none reaches the template', () => {
  const s = setup({ flowLogs: false });
  const valid = new AlbIngress(s.stack, 'Valid', { network: s.network, service: s.service });
  const orders = new ApiService(s.stack, 'Orders', { cluster: s.cluster });
  const hits = new Map<string, number>();
  let n = 0;
  fc.assert(fc.property(invalidProps, ({ prop, ingress, rule }) => {
    hits.set(prop, (hits.get(prop) ?? 0) + 1);
    const attempt = ingress
      ? () => new AlbIngress(s.stack, `Invalid${n}`, { network: s.network, service: s.service, ...ingress(new Construct(s.stack, `Scope${n++}`)) })
      : () => valid.addService(orders, { priority: 9, pathPatterns: ['/orders/*'], ...rule });
    let message = '';
    try {
      attempt();
    } catch (e) {
      message = (e as Error).message;
    }
    expect([prop, message]).toEqual([prop, expect.stringContaining(`\`${prop}`)]);
  }), { numRuns: 600 });
  // every generator branch ran, and nothing invalid reached the template: one load balancer, no rule
  expect([...hits.keys()].sort()).toEqual(['allowedCidrs', 'deregistrationDelay', 'domainName', 'healthCheck.healthyHttpCodes', 'healthCheck.healthyThreshold', 'healthCheck.interval',
    'healthCheck.path', 'healthCheck.timeout', 'healthCheck.unhealthyThreshold', 'hostHeaders', 'idleTimeout', 'pathPatterns', 'priority', 'targetGroupPort', 'testListenerCidrs', 'testListenerPort', 'webAclArn'].sort());
  const template = Template.fromStack(s.stack);
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
});

test('groups are never opened with ec2 defaults: connections are the load balancer group', () => {
  const { ingress } = build();
  expect(ingress.connections.securityGroups).toEqual([ingress.securityGroup]);
  expect(ingress.securityGroup).toBeInstanceOf(ec2.SecurityGroup);
});
