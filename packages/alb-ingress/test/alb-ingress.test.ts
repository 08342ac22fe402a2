import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiService, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { Egress, Network, NetworkProps } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { AlbIngress, AlbIngressProps } from '../src';

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

  test('members', () => {
    expect(stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/LoadBalancer/), 'DNSName'] }]] });
    expect(ingress.listener).toBe(ingress.httpListener);
    expect(ingress.securityGroup).toBeDefined();
    expect(ingress.dnsName).toBe(ingress.loadBalancer.loadBalancerDnsName);
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
    expect(ingress.accessLogsBucket).toBeDefined();
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

describe('bad input', () => {
  test.each([
    [{ domainName: 'api.example.com' }, /`domainName` 'api.example.com' needs `hostedZone`/],
    ['zoneOnly', /`hostedZone` was given without `domainName`/],
    [{ healthCheck: { interval: Duration.seconds(4) } }, /`healthCheck.interval` must be 5 to 300 seconds.*got 4 seconds/],
    [{ healthCheck: { timeout: Duration.seconds(1) } }, /`healthCheck.timeout` must be 2 to 120 seconds.*got 1/],
    [{ healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }, /`healthCheck.timeout` \(10 s\) must be less than `healthCheck.interval` \(10 s\)/],
    [{ healthCheck: { healthyThreshold: 1 } }, /`healthCheck.healthyThreshold` must be 2 to 10.*got 1/],
    [{ healthCheck: { unhealthyThreshold: 11 } }, /`healthCheck.unhealthyThreshold` must be 2 to 10.*got 11/],
    [{ idleTimeout: Duration.seconds(5000) }, /`idleTimeout` must be 1 to 4000 seconds, got 5000/],
  ])('%#', (props, message) => {
    const s = setup();
    const p = props === 'zoneOnly'
      ? { hostedZone: route53.HostedZone.fromHostedZoneAttributes(s.stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' }) }
      : props;
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, ...(p as object) })).toThrow(message);
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

  test('a public-only network with public tasks works, and the check for public IPs is in place', () => {
    const s = setup({ egress: Egress.publicSubnetsOnly() }, { assignPublicIp: true });
    expect(() => new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service })).not.toThrow();
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

test('property: random configurations never allow all protocols nor a port other than the listeners and container ports', () => {
  fc.assert(fc.property(
    fc.record({
      containerPort: fc.integer({ min: 1, max: 65535 }),
      https: fc.boolean(),
      extra: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      cidr: fc.constantFrom(undefined, ['203.0.113.0/24'], ['0.0.0.0/0']),
    }),
    ({ containerPort, https, extra, cidr }) => {
      const s = setup({ flowLogs: false }, { containerPort });
      const certificate = https ? acm.Certificate.fromCertificateArn(s.stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc') : undefined;
      const ingress = new AlbIngress(s.stack, 'Ingress', { network: s.network, service: s.service, certificate, allowedCidrs: cidr });
      const allowed = new Set([80, containerPort, ...(https ? [443] : [])]);
      if (extra !== undefined) {
        ingress.addService(new ApiService(s.stack, 'Extra', { cluster: s.cluster, containerPort: extra }), { priority: 1, pathPatterns: ['/extra/*'] });
        allowed.add(extra);
      }
      const resources = Object.values<any>(Template.fromStack(s.stack).toJSON().Resources);
      const rules = [
        ...resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroup').flatMap((r) => [...(r.Properties.SecurityGroupIngress ?? []), ...(r.Properties.SecurityGroupEgress ?? [])]),
        ...resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' || r.Type === 'AWS::EC2::SecurityGroupEgress').map((r) => r.Properties),
      ].filter((r) => r.CidrIp !== '255.255.255.255/32'); // CDK's "no egress" placeholder
      for (const rule of rules) {
        if (rule.IpProtocol === '-1') {
          // only "all outbound" of the task group is allowed to be all-protocol (tasks call out through NAT)
          expect(rule.CidrIp).toBe('0.0.0.0/0');
          expect(rule.Description).toMatch(/Allow all outbound/);
          continue;
        }
        expect(allowed.has(rule.FromPort)).toBe(true);
        expect(rule.ToPort).toBe(rule.FromPort);
      }
      // inbound, never all protocols
      const inbound = [
        ...resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroup').flatMap((r) => r.Properties.SecurityGroupIngress ?? []),
        ...resources.filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress').map((r) => r.Properties),
      ];
      expect(inbound.every((r) => r.IpProtocol === 'tcp')).toBe(true);
    },
  ), { numRuns: 200 });
});

test('groups are never opened with ec2 defaults: connections are the load balancer group', () => {
  const { ingress } = build();
  expect(ingress.connections.securityGroups).toEqual([ingress.securityGroup]);
  expect(ingress.securityGroup).toBeInstanceOf(ec2.SecurityGroup);
});
