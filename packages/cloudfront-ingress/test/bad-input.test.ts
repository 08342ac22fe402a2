import { App, Aws, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, EgressKind, Network, NetworkProps } from '@portcullis/network';
import { CloudFrontIngress, CloudFrontIngressProps } from '../src';

function attempt(props: (stack: Stack) => Partial<CloudFrontIngressProps> = () => ({}), networkProps: NetworkProps = {}) {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network', networkProps);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', {
    cluster,
    assignPublicIp: networkProps.egress?.kind === EgressKind.PUBLIC_SUBNETS_ONLY ? true : undefined,
    image: networkProps.egress?.kind === EgressKind.NONE ? ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1') : undefined,
  });
  return () => new CloudFrontIngress(stack, 'Ingress', { network, service, ...props(stack) });
}

const cert = (stack: Stack, region = 'us-east-1') => acm.Certificate.fromCertificateArn(stack, 'Cert',
  `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`);
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

test('a certificate outside us-east-1 is refused, naming its Region and the fix', () => {
  expect(attempt((s) => ({ domainName: 'api.example.com', certificate: cert(s, 'eu-west-1') })))
    .toThrow(/`certificate` must be an ACM certificate in us-east-1, got one in eu-west-1 .*request or import the certificate in us-east-1/);
});

test('domainName without certificate', () => {
  expect(attempt(() => ({ domainName: 'api.example.com' }))).toThrow(/`domainName` 'api.example.com' needs `certificate`: an ACM certificate in us-east-1/);
  expect(attempt((s) => ({ domainName: 'api.example.com', hostedZone: zone(s) }))).toThrow(/`domainName` 'api.example.com' needs `certificate`/);
});

test('hostedZone without domainName', () => {
  expect(attempt((s) => ({ hostedZone: zone(s), certificate: cert(s) }))).toThrow(/`hostedZone` was given without `domainName`: give the domain name to serve/);
});

test('domainName outside the zone, or not a domain name', () => {
  expect(attempt((s) => ({ domainName: 'api.example.org', certificate: cert(s), hostedZone: zone(s) }))).toThrow(/`domainName`.*example\.com/);
  expect(attempt((s) => ({ domainName: 'not a domain', certificate: cert(s) }))).toThrow(/`domainName`/);
});

test('a network without private subnets', () => {
  expect(attempt(() => ({}), { egress: Egress.publicSubnetsOnly() }))
    .toThrow(/`network` has no private subnets .*the internal load balancer and CloudFront's VPC origin need private subnets/);
});

test('a network without an internet gateway (VPC origins require one attached)', () => {
  expect(attempt(() => ({}), { egress: Egress.none(), publicSubnets: false }))
    .toThrow(/`network` has no internet gateway \(`publicSubnets: false`\): CloudFront VPC origins need an internet gateway attached/);
});

test.each([0, 181, 600])('originReadTimeout %d s is outside 1-180 s', (seconds) => {
  expect(attempt(() => ({ originReadTimeout: Duration.seconds(seconds) }))).toThrow(/`originReadTimeout` must be a whole number of seconds from 1 to 180 seconds/);
});

test('originReadTimeout in milliseconds', () => {
  expect(attempt(() => ({ originReadTimeout: Duration.millis(1500) }))).toThrow(/`originReadTimeout`.*CloudFormation takes whole seconds/);
});

test('webAclArn: scope REGIONAL, another Region, not an ARN', () => {
  expect(attempt(() => ({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/abcd' }))).toThrow(/`webAclArn`.*must start with 'global\/webacl\/'/);
  expect(attempt(() => ({ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:global/webacl/api/abcd' }))).toThrow(/`webAclArn` must be a web ACL of scope CLOUDFRONT, which lives in us-east-1, got .* in eu-west-1/);
  expect(attempt(() => ({ webAclArn: 'my-acl' }))).toThrow(/`webAclArn`/);
});

test('a service from another VPC', () => {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network');
  const other = new Network(stack, 'Other', { cidr: '10.1.0.0/16' });
  const cluster = new FargateCluster(stack, 'Cluster', { network: other });
  const service = new ApiService(stack, 'Service', { cluster });
  expect(() => new CloudFrontIngress(stack, 'Ingress', { network, service }))
    .toThrow(/`service` 'Api\/Service' runs in another VPC than `network`.*use the same network/);
});

test('an imported VPC without public subnets: a warning to check its internet gateway', () => {
  const stack = new Stack(new App(), 'Api', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'],
  });
  const network = Network.fromVpc(stack, 'Network', vpc);
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  new CloudFrontIngress(stack, 'Ingress', { network, service });
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => JSON.stringify(w.entry.data));
  expect(warnings.filter((w) => w.includes('CloudFront VPC origins need an internet gateway attached'))).toHaveLength(1);
});

test('a Region of another partition: a warning to check the supported Regions', () => {
  const stack = new Stack(new App(), 'Api', { env: { account: '123456789012', region: 'cn-north-1' } });
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  new CloudFrontIngress(stack, 'Ingress', { network, service });
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Supported AWS Regions for VPC origins'))).toHaveLength(1);
});

describe('tokens (issue 22 item 8)', () => {
  const param = (stack: Stack, id = 'P', type = 'String') => new CfnParameter(stack, id, { type }).valueAsString;

  test('a certificate imported from a token ARN is accepted in a stack of any Region (its env.region is the stack\'s, not its own; that refused valid input)', () => {
    for (const region of ['eu-west-1', 'us-east-1', undefined]) {
      const stack = new Stack(new App(), 'Api', region ? { env: { account: '123456789012', region } } : undefined);
      const network = new Network(stack, 'Network', { availabilityZones: region ? [`${region}a`, `${region}b`] : undefined });
      const service = new ApiService(stack, 'Service', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', param(stack, 'CertArn'));
      expect(() => new CloudFrontIngress(stack, 'Ingress', { network, service, domainName: 'api.example.com', certificate })).not.toThrow();
    }
  });

  test('a token ARN whose Region field is literal is still checked: arn:${Partition}:acm:eu-west-1:... is refused', () => {
    expect(attempt((s) => ({ domainName: 'api.example.com', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', `arn:${Aws.PARTITION}:acm:eu-west-1:123456789012:certificate/abc`) })))
      .toThrow(/^`certificate` must be an ACM certificate in us-east-1, got one in eu-west-1/);
  });

  test('a certificate this app creates in a stack of another Region is refused (its Region is known: its stack\'s)', () => {
    const stack = new Stack(new App(), 'Api', { env: { account: '123456789012', region: 'eu-west-1' } });
    const network = new Network(stack, 'Network', { availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    const service = new ApiService(stack, 'Service', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
    const certificate = new acm.Certificate(stack, 'Cert', { domainName: 'api.example.com' });
    expect(() => new CloudFrontIngress(stack, 'Ingress', { network, service, domainName: 'api.example.com', certificate }))
      .toThrow(/^`certificate` must be an ACM certificate in us-east-1, got one in eu-west-1/);
  });

  test.each(['seconds', 'minutes', 'millis'] as const)('originReadTimeout: Duration.%s(token) is refused naming the prop (aws-cdk-lib did arithmetic on it: "received -1.88e+289")', (unit) => {
    expect(attempt((s) => ({ originReadTimeout: Duration[unit](new CfnParameter(s, 'T', { type: 'Number' }).valueAsNumber) })))
      .toThrow(new RegExp(`^\`originReadTimeout\` must be known at synth time .*got a token \\(Duration.${unit}\\(<token>\\)\\): give a literal, e.g. Duration.seconds\\(30\\)`));
  });

  test('domainName, webAclArn and priceClass tokens pass through to the distribution', () => {
    const stack = new Stack(new App(), 'Api');
    const network = new Network(stack, 'Network');
    const service = new ApiService(stack, 'Service', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
    new CloudFrontIngress(stack, 'Ingress', {
      network, service, domainName: param(stack, 'Domain'), certificate: cert(stack), webAclArn: param(stack, 'Acl'), priceClass: param(stack, 'Price') as cloudfront.PriceClass,
    });
    const config = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
    expect([config.Aliases, config.WebACLId, config.PriceClass]).toEqual([[{ Ref: 'Domain' }], { Ref: 'Acl' }, { Ref: 'Price' }]);
  });
});
