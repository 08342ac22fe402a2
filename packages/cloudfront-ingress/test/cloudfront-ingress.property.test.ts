import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { CloudFrontErrorRateAlarm, CloudFrontIngress } from '../src';

const egresses = [() => Egress.natGatewayPerAz(), () => Egress.singleNatGateway(), () => Egress.natInstance(), () => Egress.none()];
const priceClasses = [cloudfront.PriceClass.PRICE_CLASS_100, cloudfront.PriceClass.PRICE_CLASS_200, cloudfront.PriceClass.PRICE_CLASS_ALL];

/** Random valid configurations over every prop and the networks the ingress accepts. */
const config = fc.record({
  egress: fc.integer({ min: 0, max: egresses.length - 1 }),
  maxAzs: fc.integer({ min: 2, max: 3 }),
  containerPort: fc.integer({ min: 1, max: 65535 }),
  priceClass: fc.option(fc.constantFrom(...priceClasses), { nil: undefined }),
  readTimeout: fc.option(fc.integer({ min: 1, max: 180 }), { nil: undefined }),
  geo: fc.option(fc.record({ allow: fc.boolean(), countries: fc.uniqueArray(fc.constantFrom('US', 'CA', 'DE', 'FR', 'JP', 'BR'), { minLength: 1, maxLength: 3 }) }), { nil: undefined }),
  accessLogs: fc.boolean(),
  domain: fc.constantFrom('none', 'certificate', 'certificateAndZone'),
  webAcl: fc.boolean(),
  extraServices: fc.integer({ min: 0, max: 2 }),
});

test('random valid configurations: the ALB is always internal and never open to a CIDR; only CloudFront reaches it', () => {
  fc.assert(
    fc.property(config, (c) => {
      const stack = new Stack(new App(), 'Api');
      const network = new Network(stack, 'Network', { egress: egresses[c.egress](), maxAzs: c.maxAzs });
      const cluster = new FargateCluster(stack, 'Cluster', { network });
      const image = c.egress === 3 ? ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1') : undefined;
      const service = new ApiService(stack, 'Service', { cluster, containerPort: c.containerPort, image });
      const certificate = c.domain !== 'none'
        ? acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555')
        : undefined;
      const hostedZone = c.domain === 'certificateAndZone'
        ? route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' })
        : undefined;
      const ingress = new CloudFrontIngress(stack, 'Ingress', {
        network, service, certificate, hostedZone,
        domainName: certificate ? 'api.example.com' : undefined,
        priceClass: c.priceClass,
        originReadTimeout: c.readTimeout !== undefined ? Duration.seconds(c.readTimeout) : undefined,
        geoRestriction: c.geo ? (c.geo.allow ? cloudfront.GeoRestriction.allowlist(...c.geo.countries) : cloudfront.GeoRestriction.denylist(...c.geo.countries)) : undefined,
        accessLogs: c.accessLogs,
        webAclArn: c.webAcl ? 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/api/abcd1234' : undefined,
      });
      for (let i = 0; i < c.extraServices; i++) {
        const extra = new ApiService(stack, `Extra${i}`, { cluster, image });
        ingress.alb.addService(extra, { priority: i + 1, pathPatterns: [`/extra${i}/*`] });
      }
      const t = Template.fromStack(stack).toJSON();
      const resources = Object.entries<any>(t.Resources);
      const lbs = resources.filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(lbs.map(([, r]) => r.Properties.Scheme)).toEqual(['internal']);
      const groupId = stack.resolve(ingress.alb.securityGroup.securityGroupId);
      const group = t.Resources[groupId['Fn::GetAtt'][0]];
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
      const intoAlb = resources
        .filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroupIngress' && JSON.stringify(r.Properties.GroupId) === JSON.stringify(groupId))
        .map(([, r]) => r.Properties);
      expect(intoAlb).toHaveLength(1);
      expect(intoAlb[0].CidrIp ?? intoAlb[0].CidrIpv6 ?? intoAlb[0].SourcePrefixListId).toBeUndefined();
      expect(intoAlb[0].SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IngressVpcOriginsSecurityGroupLookup/), 'GroupId'] });
      // (the exposure rules over the same configurations: apps/fargate-cloudfront-api/test/cloudfront-exposure.test.ts)
    }),
    { numRuns: 200 },
  );
});

test('random invalid originReadTimeout values fail naming the prop', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: -1000, max: 0 }), fc.integer({ min: 181, max: 100000 })), (seconds) => {
      const stack = new Stack(new App(), 'Api');
      const network = new Network(stack, 'Network');
      const cluster = new FargateCluster(stack, 'Cluster', { network });
      const service = new ApiService(stack, 'Service', { cluster });
      const attempt = () => new CloudFrontIngress(stack, 'Ingress', { network, service, originReadTimeout: seconds < 0 ? Duration.seconds(0) : Duration.seconds(seconds) });
      expect(attempt).toThrow(/`originReadTimeout` must be a whole number of seconds from 1 to 180 seconds/);
    }),
    { numRuns: 50 },
  );
});

/**
 * Issue 22, item 8: the categories of bad input found around the newest API, each a property
 * over random inputs of that category.
 */
describe('invalid props by category', () => {
  function chain(region?: string) {
    const stack = new Stack(new App(), 'Api', region ? { env: { account: '123456789012', region } } : undefined);
    const network = new Network(stack, 'Network', { availabilityZones: region ? [`${region}a`, `${region}b`] : undefined });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    return { stack, network, cluster, service: new ApiService(stack, 'Service', { cluster }) };
  }

  test('a contract checked for the sibling: a service of another VPC is refused naming `service`, as AlbIngress and ApiGatewayIngress do', () => {
    fc.assert(fc.property(fc.constantFrom('10.1.0.0/16', '10.2.0.0/16', '172.16.0.0/16'), (cidr) => {
      const { stack, network } = chain();
      const other = new Network(stack, 'Other', { cidr });
      const service = new ApiService(stack, 'Elsewhere', { cluster: new FargateCluster(stack, 'OtherCluster', { network: other }) });
      expect(() => new CloudFrontIngress(stack, 'Ingress', { network, service })).toThrow(/^`service` 'Api\/Elsewhere' runs in another VPC than `network`/);
    }), { numRuns: 3 });
  });

  test('repeated attachments: n ingresses in one VPC each read CloudFront\'s one group of that VPC with their own VPC origin (none keeps only the first)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), (n) => {
      const { stack, network, cluster, service } = chain();
      const ingresses = Array.from({ length: n }, (_, i) => new CloudFrontIngress(stack, `Ingress${i}`, {
        network, service: i === 0 ? service : new ApiService(stack, `Service${i}`, { cluster }),
      }));
      const lookups = Object.values<any>(Template.fromStack(stack).findResources('Custom::PortcullisVpcOriginsSecurityGroup')).map((r) => r.Properties);
      expect(lookups.map((l) => l.VpcOriginId)).toEqual(ingresses.map((i) => stack.resolve(i.vpcOrigin.vpcOriginId)));
      expect(new Set(lookups.map((l) => `${JSON.stringify(l.VpcId)} ${l.GroupName}`)).size).toBe(1);
    }), { numRuns: 3 });
  });

  test('token durations: originReadTimeout as a token is refused naming the prop, in any unit', () => {
    fc.assert(fc.property(fc.constantFrom<'millis' | 'seconds' | 'minutes'>('millis', 'seconds', 'minutes'), (unit) => {
      const { stack, network, service } = chain();
      const t = new CfnParameter(stack, 'T', { type: 'Number' }).valueAsNumber;
      expect(() => new CloudFrontIngress(stack, 'Ingress', { network, service, originReadTimeout: Duration[unit](t) })).toThrow(/^`originReadTimeout` must be known at synth time/);
    }), { numRuns: 6 });
  });

  test('an imported resource\'s Region: a certificate from a token ARN is accepted in a stack of any Region; a literal ARN outside us-east-1 is refused', () => {
    fc.assert(fc.property(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'), fc.boolean(), (region, token) => {
      const { stack, network, service } = chain(region);
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', token ? new CfnParameter(stack, 'CertArn').valueAsString : `arn:aws:acm:${region}:123456789012:certificate/abc`);
      const make = () => new CloudFrontIngress(stack, 'Ingress', { network, service, domainName: 'api.example.com', certificate });
      if (token || region === 'us-east-1') expect(make).not.toThrow();
      else expect(make).toThrow(new RegExp(`^\`certificate\` must be an ACM certificate in us-east-1, got one in ${region}`));
    }), { numRuns: 8 });
  });

  test('an alarm that depends on the resource it protects: the CloudFront alarm reads the distribution only, so it can roll the service back without a cycle', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), (threshold) => {
      const { stack, network, service } = chain('us-east-1');
      const ingress = new CloudFrontIngress(stack, 'Ingress', { network, service });
      const edge = new CloudFrontErrorRateAlarm(stack, 'Edge', { distributionId: ingress.distribution.distributionId, thresholdPercent: threshold });
      expect(JSON.stringify(stack.resolve((edge.alarm.node.defaultChild as any)._toCloudFormation()))).not.toContain(stack.getLogicalId(service.service.node.defaultChild as any));
      service.addRollbackAlarm(edge.alarm);
      expect(() => Template.fromStack(stack)).not.toThrow();
    }), { numRuns: 3 });
  });
});
