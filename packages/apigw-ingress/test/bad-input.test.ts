import { App, Aws, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import * as fc from 'fast-check';
import { ApiGatewayIngress, ApiGatewayIngressProps, HttpApiAccessLog } from '../src';

/**
 * Issue 17, bad input: every prop of ApiGatewayIngress and HttpApiAccessLog is checked in the
 * constructor; each error names the prop, the value received and the fix. Each rejection has
 * its valid neighbours, which must still synthesize.
 */

const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

function setup(env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'Test', { env });
  const network = new Network(stack, 'Network', { flowLogs: false });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster });
  return { stack, network, cluster, service };
}

/** Props that need constructs of the stack (certificates, zones, parameters) are built by a function. */
type PropsOf = (stack: Stack) => Partial<ApiGatewayIngressProps>;

function build(props: PropsOf | Partial<ApiGatewayIngressProps> = {}, env?: { account: string; region: string }) {
  const s = setup(env);
  const extra = typeof props === 'function' ? props(s.stack) : props;
  const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service, ...extra });
  return { ...s, ingress, get template() { return Template.fromStack(s.stack); } };
}

const cert = (stack: Stack, arn = CERT_ARN) => acm.Certificate.fromCertificateArn(stack, 'Cert', arn);
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });

function stageSettings(template: Template) {
  return Object.values<any>(template.findResources('AWS::ApiGatewayV2::Stage'))[0].Properties.DefaultRouteSettings;
}

describe('namespaceName: the Cloud Map private DNS namespace, a DNS name', () => {
  test.each([
    ['', /`namespaceName` must be a domain name .*got '': give the full name/],
    ['my namespace', /`namespaceName` must be a domain name .*got 'my namespace': fix the label 'my namespace' has characters other than/],
    ['api..internal', /`namespaceName` must be .*got 'api..internal': fix an empty label/],
    ['-internal', /`namespaceName` must be .*got '-internal'/],
    ['svc_internal', /`namespaceName` must be .*got 'svc_internal'/],
    ['a'.repeat(64), /`namespaceName` must be .*the label 'aaaaaaaaaaaaaaaaaaaa...' has 64 characters/],
    [Array(64).fill('abc').join('.'), /`namespaceName` must be .*shorten it: it has 255 characters/],
  ])('%j is rejected', (namespaceName, message) => {
    expect(() => build({ namespaceName })).toThrow(message);
  });

  test('with `namespace` too: rejected (the name would be ignored)', () => {
    expect(() => build((stack) => ({
      namespaceName: 'api.internal',
      namespace: new servicediscovery.PrivateDnsNamespace(stack, 'Ns', { name: 'svc.local', vpc: (stack.node.findChild('Network') as Network).vpc }),
    }))).toThrow(/`namespaceName` 'api.internal' names the namespace the ingress creates, but `namespace` is given too.*remove one of them/);
  });

  test.each(['internal', 'api.internal', 'Svc-1.corp.example.com', Array(63).fill('abc').join('.')])('neighbour %j synthesizes', (namespaceName) => {
    build({ namespaceName }).template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: namespaceName });
  });

  test('a token (a CfnParameter) is accepted and passed through', () => {
    const { template } = build((stack) => ({ namespaceName: new CfnParameter(stack, 'Ns', { default: 'internal' }).valueAsString }));
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: { Ref: 'Ns' } });
  });
});

describe('domainName: a DNS name in the hosted zone, with an ACM certificate of the region', () => {
  test.each([
    ['', /`domainName` must be a domain name like 'api.example.com'.*got '': give the full name/],
    ['api example.com', /`domainName` must be .*got 'api example.com': fix the label 'api example' has characters/],
    ['api..example.com', /`domainName` must be .*got 'api..example.com': fix an empty label/],
    ['api_v1.example.com', /`domainName` must be .*got 'api_v1.example.com'/],
    ['-api.example.com', /`domainName` must be .*got '-api.example.com'/],
    ['api.example.com.', /`domainName` must be a domain name without a trailing dot, got 'api.example.com.': use 'api.example.com'/],
    ['api.*.example.com', /`domainName` must be .*got 'api.\*.example.com'/],
  ])('%j is rejected', (domainName, message) => {
    expect(() => build((stack) => ({ domainName, certificate: cert(stack) }))).toThrow(message);
  });

  test('outside its hosted zone: rejected (aws-cdk-lib would write api.other.com.example.com)', () => {
    expect(() => build((stack) => ({ domainName: 'api.other.com', certificate: cert(stack), hostedZone: zone(stack) })))
      .toThrow(/`domainName` must be in the hosted zone 'example.com'.*got 'api.other.com': use a name like 'api.example.com'/);
  });

  test.each([
    ['api.example.com', 'api.example.com.'],
    ['example.com', 'example.com.'], // the zone apex
    ['API.Example.COM', 'API.Example.COM.'],
    ['*.example.com', '*.example.com.'], // API Gateway takes wildcard custom domain names
  ])('neighbour %j synthesizes with its alias record %j', (domainName, recordName) => {
    const { template } = build((stack) => ({ domainName, certificate: cert(stack), hostedZone: zone(stack) }));
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: domainName });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: recordName, Type: 'A' });
  });

  test('a token domain name: accepted, and the alias record is the name itself (no zone appended)', () => {
    const { template, ingress, stack } = build((s) => ({
      domainName: new CfnParameter(s, 'Domain', { default: 'api.example.com' }).valueAsString, certificate: cert(s), hostedZone: zone(s),
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: { Ref: 'Domain' } });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: { 'Fn::Join': ['', [{ Ref: 'Domain' }, '.']] } });
    expect(stack.resolve(ingress.url)).toEqual({ 'Fn::Join': ['', ['https://', { Ref: 'Domain' }, '/']] });
  });

  test('a zone imported by id only (its name unknown): the record is written, nothing to compare', () => {
    const { template } = build((stack) => ({
      domainName: 'api.example.com', certificate: cert(stack), hostedZone: route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z1'),
    }));
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', HostedZoneId: 'Z1' });
  });
});

describe('certificate: an ACM certificate ARN of the API\'s region', () => {
  test.each([
    ['abc', /`certificate` must be an ACM certificate ARN like 'arn:aws:acm:<region>:<account>:certificate\/<resource>', got 'abc': it needs six colon-separated fields/],
    ['arn:aws:iam::123456789012:role/x', /`certificate` must be an ACM certificate ARN .*the service is 'iam', not 'acm'/],
    ['arn:aws:acm:us-east-1:1234:certificate/abc', /`certificate` must be .*'1234' is not a 12-digit account/],
    ['arn:aws:acm:us-east-1:123456789012:cert/abc', /`certificate` must be .*the resource must start with 'certificate\/'/],
  ])('%j is rejected', (arn, message) => {
    expect(() => build((stack) => ({ domainName: 'api.example.com', certificate: cert(stack, arn) }))).toThrow(message);
  });

  test('a certificate of another region than the stack\'s: rejected', () => {
    expect(() => build((stack) => ({ domainName: 'api.example.com', certificate: cert(stack, 'arn:aws:acm:eu-west-1:123456789012:certificate/abc') }),
      { account: '123456789012', region: 'us-east-1' }))
      .toThrow(/`certificate` must be an ACM certificate in the API's region \(us-east-1\), got one in eu-west-1.*request or import the certificate in us-east-1/);
  });

  test.each<[string, (stack: Stack) => acm.ICertificate]>([
    ['the same region', (stack) => cert(stack)],
    ['a partition token', (stack) => cert(stack, `arn:${Aws.PARTITION}:acm:us-east-1:123456789012:certificate/abc`)],
    ['a whole token (a CfnParameter)', (stack) => cert(stack, new CfnParameter(stack, 'CertArn').valueAsString)],
    ['a certificate created in the stack', (stack) => new acm.Certificate(stack, 'NewCert', { domainName: 'api.example.com' })],
  ])('neighbour: %s synthesizes', (_, certificate) => {
    const { template } = build((stack) => ({ domainName: 'api.example.com', certificate: certificate(stack) }), { account: '123456789012', region: 'us-east-1' });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: Match.anyValue(), EndpointType: 'REGIONAL' })],
    });
  });
});

describe('throttling: rate a finite double >= 0, burst a whole 32-bit number >= rate', () => {
  test.each([
    [{ throttlingRateLimit: NaN }, /`throttlingRateLimit` must be a finite number >= 0, got NaN/],
    [{ throttlingRateLimit: Infinity }, /`throttlingRateLimit` must be a finite number >= 0, got Infinity/],
    [{ throttlingRateLimit: -Infinity }, /`throttlingRateLimit` must be a finite number >= 0, got -Infinity/],
    [{ throttlingRateLimit: -0.5 }, /`throttlingRateLimit` must be a finite number >= 0, got -0.5: use a number of requests per second/],
    [{ throttlingBurstLimit: NaN }, /`throttlingBurstLimit` must be a whole number from 0 to 2147483647, got NaN/],
    [{ throttlingBurstLimit: Infinity }, /`throttlingBurstLimit` must be a whole number from 0 to 2147483647, got Infinity/],
    [{ throttlingBurstLimit: 1.5 }, /`throttlingBurstLimit` must be a whole number .*got 1.5/],
    [{ throttlingBurstLimit: 2 ** 31 }, /`throttlingBurstLimit` must be a whole number from 0 to 2147483647, got 2147483648: .*32-bit integer/],
    [{ throttlingBurstLimit: 2 ** 53 }, /`throttlingBurstLimit` must be a whole number .*got 9007199254740992/],
    [{ throttlingRateLimit: 10.5, throttlingBurstLimit: 10 }, /`throttlingBurstLimit` \(10\) must be >= `throttlingRateLimit` \(10.5\).*raise the burst to at least 11/],
  ])('%j is rejected', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test.each([
    [{ throttlingRateLimit: 0, throttlingBurstLimit: 0 }, { ThrottlingRateLimit: 0, ThrottlingBurstLimit: 0 }],
    [{ throttlingRateLimit: 0.5, throttlingBurstLimit: 1 }, { ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 1 }],
    [{ throttlingRateLimit: 10000, throttlingBurstLimit: 2 ** 31 - 1 }, { ThrottlingRateLimit: 10000, ThrottlingBurstLimit: 2147483647 }],
    [{ throttlingRateLimit: 1e9 }, { ThrottlingRateLimit: 1e9 }],
  ])('neighbour %j synthesizes', (props, rendered) => {
    expect(stageSettings(build(props).template)).toEqual(expect.objectContaining(rendered));
  });

  test('tokens (CfnParameters) are accepted and passed through', () => {
    const { template } = build((stack) => ({
      throttlingRateLimit: new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber,
      throttlingBurstLimit: new CfnParameter(stack, 'Burst', { type: 'Number' }).valueAsNumber,
    }));
    expect(stageSettings(template)).toEqual(expect.objectContaining({ ThrottlingRateLimit: { Ref: 'Rate' }, ThrottlingBurstLimit: { Ref: 'Burst' } }));
  });
});

describe('access-log retention: finite, a RetentionDays value', () => {
  test.each([
    [logs.RetentionDays.INFINITE, /`accessLogRetention` must be a finite retention, got RetentionDays.INFINITE \(9999\).*use e.g. RetentionDays.ONE_YEAR/],
    [Infinity, /`accessLogRetention` must be one of the RetentionDays values .*got Infinity: use a RetentionDays member/],
    [NaN, /`accessLogRetention` must be one of the RetentionDays values .*got NaN/],
    [2, /`accessLogRetention` must be one of the RetentionDays values .*got 2/],
  ])('ApiGatewayIngress accessLogRetention %j is rejected', (accessLogRetention, message) => {
    expect(() => build({ accessLogRetention })).toThrow(message);
  });

  test.each([Infinity, NaN, logs.RetentionDays.INFINITE])('HttpApiAccessLog retention %j is rejected, naming `retention`', (retention) => {
    expect(() => new HttpApiAccessLog(new Stack(), 'Log', { retention })).toThrow(/^`retention` must be /);
  });

  test.each([[logs.RetentionDays.ONE_DAY, 1], [logs.RetentionDays.TEN_YEARS, 3653]])('neighbour %j synthesizes', (accessLogRetention, days) => {
    build({ accessLogRetention }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: days });
  });
});

describe('cors.maxAge: whole seconds, at most 86400', () => {
  test.each([
    [Duration.millis(1500), /`cors.maxAge` must be a whole number of seconds from 0 to 86400 seconds, got Duration.millis\(1500\)/],
    [Duration.days(2), /`cors.maxAge` must be a whole number of seconds from 0 to 86400 seconds, got Duration.days\(2\)/],
  ])('%s is rejected', (maxAge, message) => {
    expect(() => build({ cors: { allowOrigins: ['*'], maxAge } })).toThrow(message);
  });

  test('neighbour: one day synthesizes', () => {
    build({ cors: { allowOrigins: ['*'], maxAge: Duration.days(1) } }).template
      .hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ MaxAge: 86400 }) });
  });

  test('a token in seconds (the unit CloudFormation takes) is passed through', () => {
    build((stack) => ({ cors: { allowOrigins: ['*'], maxAge: Duration.seconds(new CfnParameter(stack, 'MaxAge', { type: 'Number' }).valueAsNumber) } })).template
      .hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ MaxAge: { Ref: 'MaxAge' } }) });
  });

  test.each(['millis', 'minutes', 'hours', 'days'] as const)('a token in Duration.%s: refused naming `cors.maxAge` (aws-cdk-lib\'s conversion error named no prop)', (unit) => {
    expect(() => build((stack) => ({ cors: { allowOrigins: ['*'], maxAge: Duration[unit](new CfnParameter(stack, 'MaxAge', { type: 'Number' }).valueAsNumber) } })))
      .toThrow(new RegExp(`^\`cors.maxAge\` must be written as Duration.seconds\\(...\\) when its value is a token, got Duration.${unit}\\(<token>\\): CloudFormation takes seconds`));
  });
});

describe('addService path: a prefix like /orders', () => {
  function withSecondService() {
    const { stack, cluster, ingress } = build();
    const orders = new ApiService(stack, 'Orders', { cluster, containerPort: 9000 });
    return { stack, ingress, orders };
  }

  test.each([
    ['/', /`path` must look like '\/orders' .*got '\/': '\/' is the `\$default` route/],
    ['/orders/', /`path` must look like '\/orders' .*got '\/orders\/'/],
    ['/{id}', /`path` must look like '\/orders' .*got '\/\{id\}': the ingress adds `\{proxy\+\}` itself/],
    ['', /`path` must look like '\/orders' .*got ''/],
    ['orders', /`path` must look like '\/orders' .*got 'orders'/],
    ['/a b', /`path` must look like '\/orders' .*got '\/a b'/],
  ])('%j is rejected', (path, message) => {
    const { ingress, orders } = withSecondService();
    expect(() => ingress.addService(orders, { path })).toThrow(message);
  });

  test('a path with a token: rejected, it must be known at synth (aws-cdk-lib names route constructs after the route key)', () => {
    const { ingress, orders, stack } = withSecondService();
    const stage = new CfnParameter(stack, 'Stage', { default: 'v1' }).valueAsString;
    expect(() => ingress.addService(orders, { path: `/${stage}/orders` }))
      .toThrow(/`path` must be known at synth time \(aws-cdk-lib names the routes' constructs after it.*got a token.*write the prefix as a literal string/);
  });

  test('neighbour /v1/orders-2.x_~ synthesizes', () => {
    const { ingress, orders, stack } = withSecondService();
    ingress.addService(orders, { path: '/v1/orders-2.x_~' });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /v1/orders-2.x_~/{proxy+}' });
  });
});

describe('routeFor: the route of a service, the contract ApiMonitoring checks (as AlbIngress.targetGroupFor)', () => {
  test('$default for the ingress\'s service, the prefix for one added with addService', () => {
    const { ingress, service, cluster, stack } = build();
    const orders = new ApiService(stack, 'Orders', { cluster });
    ingress.addService(orders, { path: '/orders' });
    expect(ingress.routeFor(service)).toBe('$default');
    expect(ingress.routeFor(orders)).toBe('/orders');
  });

  test('a service the ingress does not route: an error naming `service`, the ingress and the fix', () => {
    const { ingress, cluster, stack } = build();
    expect(() => ingress.routeFor(new ApiService(stack, 'Other', { cluster })))
      .toThrow(/^`service` 'Test\/Other' is not routed by the ApiGatewayIngress 'Test\/Ingress': pass it as the ingress's `service` or with `addService` first/);
  });
});

describe('a service wired twice', () => {
  test('into the same gateway, as the default service: rejected, the fix is to drop the call ($default already routes it)', () => {
    const { ingress, service } = build();
    expect(() => ingress.addService(service, { path: '/orders' }))
      .toThrow(/`service` 'Test\/Api' is already behind this ingress on the `\$default` route.*requests to '\/orders' reach it today\): remove this addService call/);
  });

  test('into the same gateway on two paths: rejected, naming the first path', () => {
    const { ingress, cluster, stack } = build();
    const orders = new ApiService(stack, 'Orders', { cluster });
    ingress.addService(orders, { path: '/orders' });
    expect(() => ingress.addService(orders, { path: '/v2/orders' }))
      .toThrow(/`service` 'Test\/Orders' is already behind this ingress on '\/orders'.*serve it under '\/orders' only, or put a second ApiGatewayIngress in front of it/);
  });

  test('into two gateways: works (one Cloud Map registration, ECS allows one; both integrations use it; each link reaches the container port)', () => {
    const { stack, network, service } = setup();
    const a = new ApiGatewayIngress(stack, 'A', { network, service });
    const b = new ApiGatewayIngress(stack, 'B', { network, service });
    const template = Template.fromStack(stack);
    expect(b.cloudMapService).toBe(a.cloudMapService);
    expect(b.namespace).toBe(a.namespace); // one private DNS namespace per name per VPC
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    template.resourceCountIs('AWS::ServiceDiscovery::Service', 1);
    template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
    const [ecsService] = Object.values<any>(template.findResources('AWS::ECS::Service'));
    expect(ecsService.Properties.ServiceRegistries).toHaveLength(1);
    const cloudMapId = stack.getLogicalId(a.cloudMapService.node.defaultChild as servicediscovery.CfnService);
    const integrations = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Integration')).map((i) => i.Properties);
    expect(integrations.map((i) => i.IntegrationUri)).toEqual([{ 'Fn::GetAtt': [cloudMapId, 'Arn'] }, { 'Fn::GetAtt': [cloudMapId, 'Arn'] }]);
    expect(integrations.map((i) => i.ConnectionId.Ref).sort()).toEqual([
      stack.getLogicalId(a.vpcLink.node.defaultChild as any), stack.getLogicalId(b.vpcLink.node.defaultChild as any),
    ].sort());
    const ingress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(ingress.map((r) => [r.FromPort, r.SourceSecurityGroupId['Fn::GetAtt'][0]]).sort()).toEqual([
      [80, stack.getLogicalId(a.securityGroup.node.defaultChild as any)], [80, stack.getLogicalId(b.securityGroup.node.defaultChild as any)],
    ].sort());
  });

  test('two gateways for two services in one VPC share the namespace of that name (Route 53: one private zone of a name per VPC)', () => {
    const { stack, network, cluster, service } = setup();
    const other = new ApiService(stack, 'Other', { cluster });
    const a = new ApiGatewayIngress(stack, 'A', { network, service });
    const b = new ApiGatewayIngress(stack, 'B', { network, service: other });
    const c = new ApiGatewayIngress(stack, 'C', { network, service: new ApiService(stack, 'Third', { cluster }), namespaceName: 'api.internal' });
    expect(b.namespace).toBe(a.namespace);
    expect(c.namespace).not.toBe(a.namespace);
    const template = Template.fromStack(stack);
    expect(Object.values<any>(template.findResources('AWS::ServiceDiscovery::PrivateDnsNamespace')).map((n) => n.Properties.Name).sort()).toEqual(['api.internal', 'internal']);
    template.resourceCountIs('AWS::ServiceDiscovery::Service', 3);
  });

  test('a service registered in Cloud Map by something else: rejected (ECS allows one registry per service)', () => {
    const { stack, network, service } = setup();
    const ns = new servicediscovery.PrivateDnsNamespace(stack, 'Ns', { name: 'own.local', vpc: network.vpc });
    service.registerInCloudMap(ns.createService('Own', { dnsRecordType: servicediscovery.DnsRecordType.SRV }));
    expect(() => new ApiGatewayIngress(stack, 'Ingress', { network, service }))
      .toThrow(/`service` 'Test\/Api' is already registered in a Cloud Map service no ApiGatewayIngress created \(\{"Fn::GetAtt":\["NsOwn.*remove that registration/);
  });
});

/**
 * Invalid props: a valid ingress with one invalid prop. Every one must be rejected at synth
 * with a message naming that prop; none may reach CloudFormation.
 */
interface Invalid {
  readonly prop: string;
  readonly props: PropsOf;
}

const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);
const fraction = fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x));
const badLabel = fc.oneof(
  fc.constant(''),
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => /[^A-Za-z0-9-]/.test(s) && !s.includes('.') && s !== '*'),
  fc.constantFrom('-a', 'a-', 'a b', 'é', 'a_b'),
  fc.integer({ min: 64, max: 80 }).map((n) => 'a'.repeat(n)),
);
/** A DNS name with one bad label (not the last: an empty last label is a valid trailing dot). */
const badDnsName = fc.tuple(badLabel, fc.integer({ min: 0, max: 1 })).map(([bad, at]) => {
  const labels = ['api', 'example', 'com'];
  labels[at] = bad;
  return labels.join('.');
});
const badArn = fc.constantFrom('abc', '', 'arn:aws:iam::123456789012:role/x', 'arn:aws:acm:us-east-1:1234:certificate/x',
  'arn:aws:acm:us-east-1:123456789012:cert/x', 'arn:aws:acm:us-east-1:123456789012:certificate/a b', 'arn:aws:acm:us-east-1:123456789012');

const INVALID: fc.Arbitrary<Invalid> = fc.oneof(
  badDnsName.map((namespaceName) => ({ prop: 'namespaceName', props: () => ({ namespaceName }) })),
  fc.constantFrom('', 'my namespace', 'svc..local').map((namespaceName) => ({ prop: 'namespaceName', props: () => ({ namespaceName }) })),
  fc.oneof(badDnsName, fc.constantFrom('', 'api.example.com.', 'api.*.example.com'))
    .map((domainName) => ({ prop: 'domainName', props: (stack: Stack) => ({ domainName, certificate: cert(stack) }) })),
  fc.constantFrom('api.other.com', 'example.org', 'badexample.com')
    .map((domainName) => ({ prop: 'domainName', props: (stack: Stack) => ({ domainName, certificate: cert(stack), hostedZone: zone(stack) }) })),
  badArn.map((arn) => ({ prop: 'certificate', props: (stack: Stack) => ({ domainName: 'api.example.com', certificate: cert(stack, arn) }) })),
  fc.oneof(nonFinite, fc.double({ max: -0.001, noNaN: true, noDefaultInfinity: true }))
    .map((throttlingRateLimit) => ({ prop: 'throttlingRateLimit', props: () => ({ throttlingRateLimit }) })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: -1 }), fc.double({ min: 2 ** 31, max: 1e300, noNaN: true }))
    .map((throttlingBurstLimit) => ({ prop: 'throttlingBurstLimit', props: () => ({ throttlingBurstLimit }) })),
  fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }))
    .map(([burst, less]) => ({ prop: 'throttlingBurstLimit', props: () => ({ throttlingRateLimit: burst + less, throttlingBurstLimit: burst }) })),
  fc.oneof(nonFinite, fc.constantFrom(logs.RetentionDays.INFINITE, 0, 2, -1, 4000))
    .map((r) => ({ prop: 'accessLogRetention', props: () => ({ accessLogRetention: r }) })),
  fc.oneof(
    fc.integer({ min: 1, max: 1e6 }).filter((ms) => ms % 1000 !== 0).map((ms) => Duration.millis(ms)),
    fc.integer({ min: 86401, max: 1e7 }).map((s) => Duration.seconds(s)),
  ).map((maxAge) => ({ prop: 'cors.maxAge', props: () => ({ cors: { allowOrigins: ['*'], maxAge } }) })),
);

test('property: random invalid ApiGatewayIngress props are rejected at synth, naming the prop', () => {
  const seen = new Set<string>();
  fc.assert(fc.property(
    INVALID,
    fc.record({ namespaceName: fc.constantFrom(undefined, 'internal', 'api.internal') }),
    (invalid, base) => {
      const s = setup();
      let error: Error | undefined;
      try {
        new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service, ...base, ...invalid.props(s.stack) });
        Template.fromStack(s.stack); // synth: must not get here
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(new RegExp(`^\`${invalid.prop.replace('.', '\\.')}\``));
      seen.add(invalid.prop);
    },
  ), { numRuns: 150 });
  // every kind of invalid prop was generated
  expect([...seen].sort()).toEqual([
    'accessLogRetention', 'certificate', 'cors.maxAge', 'domainName', 'namespaceName', 'throttlingBurstLimit', 'throttlingRateLimit',
  ]);
});

/**
 * Issue 22, item 8: the categories of bad input found around the newest API, each a property
 * over random inputs of that category.
 */
describe('invalid props by category', () => {
  test('a contract checked for both ingresses: routeFor answers for the services it routes and throws naming `service` for any other', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 }), (added, strays) => {
      const { stack, ingress, service, cluster } = build();
      const routed = Array.from({ length: added }, (_, i) => new ApiService(stack, `Routed${i}`, { cluster }));
      routed.forEach((svc, i) => ingress.addService(svc, { path: `/r${i}` }));
      expect(ingress.routeFor(service)).toBe('$default');
      routed.forEach((svc, i) => expect(ingress.routeFor(svc)).toBe(`/r${i}`));
      for (let i = 0; i < strays; i++) {
        const stray = new ApiService(stack, `Stray${i}`, { cluster });
        expect(() => ingress.routeFor(stray)).toThrow(new RegExp(`^\`service\` 'Test/Stray${i}' is not routed by the ApiGatewayIngress`));
      }
    }), { numRuns: 6 });
  });

  test('repeated attachments: the same service added again, on any path, is refused naming `service` (no second route silently kept or dropped)', () => {
    fc.assert(fc.property(fc.constantFrom('/a', '/b/c', '/v2'), fc.boolean(), (path, isDefault) => {
      const { stack, ingress, service, cluster } = build();
      const target = isDefault ? service : new ApiService(stack, 'Orders', { cluster });
      if (!isDefault) ingress.addService(target, { path: '/orders' });
      expect(() => ingress.addService(target, { path })).toThrow(/^`service` 'Test\/(Api|Orders)' is already behind this ingress/);
      expect(ingress.routeFor(target)).toBe(isDefault ? '$default' : '/orders');
    }), { numRuns: 6 });
  });

  test('token durations: cors.maxAge as a token passes in seconds and is refused naming `cors.maxAge` in any other unit', () => {
    fc.assert(fc.property(fc.constantFrom<'millis' | 'seconds' | 'minutes' | 'hours' | 'days'>('millis', 'seconds', 'minutes', 'hours', 'days'), (unit) => {
      const make = () => build((stack) => ({ cors: { allowOrigins: ['*'], maxAge: Duration[unit](new CfnParameter(stack, 'MaxAge', { type: 'Number' }).valueAsNumber) } })).ingress;
      if (unit === 'seconds') expect(make).not.toThrow();
      else expect(make).toThrow(/^`cors\.maxAge` must be written as Duration\.seconds/);
    }), { numRuns: 10 });
  });

  test('tokens where aws-cdk-lib needs a literal: an addService path token is refused naming `path`; value tokens (throttling, names, retention) pass through', () => {
    fc.assert(fc.property(fc.constantFrom('path', 'throttlingRateLimit', 'throttlingBurstLimit', 'namespaceName', 'accessLogRetention'), (prop) => {
      if (prop === 'path') {
        const { stack, ingress, cluster } = build();
        const stage = new CfnParameter(stack, 'Stage').valueAsString;
        expect(() => ingress.addService(new ApiService(stack, 'Orders', { cluster }), { path: `/${stage}` })).toThrow(/^`path` must be known at synth time/);
        return;
      }
      const b = build((stack) => ({ [prop]: prop === 'namespaceName' ? new CfnParameter(stack, 'P').valueAsString : new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber }));
      expect(JSON.stringify(b.template.toJSON().Resources)).toContain('{"Ref":"P"}');
    }), { numRuns: 6 });
  });

  test('an imported certificate whose ARN is a token is accepted whatever the stack\'s Region (its Region is not the stack\'s); a literal ARN of another Region is refused', () => {
    fc.assert(fc.property(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'), fc.boolean(), (region, token) => {
      const env = { account: '123456789012', region };
      const props = (stack: Stack) => ({
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', token ? new CfnParameter(stack, 'CertArn').valueAsString : 'arn:aws:acm:us-east-1:123456789012:certificate/abc'),
      });
      if (token || region === 'us-east-1') expect(() => build(props, env)).not.toThrow();
      else expect(() => build(props, env)).toThrow(/^`certificate` must be an ACM certificate in the API's region/);
    }), { numRuns: 8 });
  });

  test('an alarm that depends on the resource it protects: the stage rollback alarm references no resource of the services it rolls back', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), (extra) => {
      const { stack, ingress, service, cluster } = build();
      const services = [service, ...Array.from({ length: extra }, (_, i) => new ApiService(stack, `S${i}`, { cluster }))];
      services.slice(1).forEach((svc, i) => ingress.addService(svc, { path: `/s${i}` }));
      const alarm = JSON.stringify(stack.resolve((ingress.rollbackAlarm!.node.defaultChild as any)._toCloudFormation()));
      for (const svc of services) expect(alarm).not.toContain(stack.getLogicalId(svc.service.node.defaultChild as any));
      expect(() => Template.fromStack(stack)).not.toThrow();
    }), { numRuns: 4 });
  });
});
