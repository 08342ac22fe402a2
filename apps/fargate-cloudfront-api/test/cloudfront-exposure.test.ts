import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ExposureChecks } from '@portcullis/audit';
import { CloudFrontIngress } from '@portcullis/cloudfront-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import * as fc from 'fast-check';

/**
 * The exposure rules of @portcullis/audit over random valid CloudFrontIngress configurations,
 * the assertion of packages/cloudfront-ingress's property test "random valid configurations:
 * the ALB is always internal ..." that needs the audit, moved here with the same generator and
 * construction (the package's tests do not depend on the audit, whose change would otherwise
 * affect every package; that property test keeps its other assertions). 25 runs: each
 * synthesizes a whole stack. And the exposure rules on the nag test's stack (from
 * cloudfront-ingress.nag.test.ts).
 */
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

test('random valid configurations: the exposure rules find nothing', () => {
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
      expect(new ExposureChecks().checkTemplate(Template.fromStack(stack).toJSON())).toEqual([]);
    }),
    { numRuns: 25 },
  );
});

/** The nag test's stack (packages/cloudfront-ingress/test/cloudfront-ingress.nag.test.ts), with access logs. */
function findings(props: () => { accessLogs?: boolean }) {
  const stack = new Stack(new App(), 'Nag');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  new CloudFrontIngress(stack, 'Ingress', { network, service, ...props() });
  return { stack };
}

test('the Portcullis exposure rules pass with no acknowledgement', () => {
  const { stack } = findings(() => ({ accessLogs: true }));
  expect(new ExposureChecks().validateScope(stack).violations).toEqual([]);
});
