import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { CloudFrontIngress, CloudFrontIngressProps } from '@portcullis/cloudfront-ingress';

/**
 * "What a change replaces": for each change of props, synthesize before and after and ask
 * UpdateSafety what an update of a deployed stack would replace or remove. The README
 * publishes the table; the last test checks it.
 *
 * (Moved from packages/cloudfront-ingress/test: the package's tests do not depend on
 * @portcullis/audit, whose change would otherwise affect every package; this app composes the
 * package and the audit, and checks the package's README table.)
 */
interface Case {
  readonly change: string;
  readonly props: (stack: Stack) => Partial<CloudFrontIngressProps>;
  readonly replaces: string[];
}

function synth(props: (stack: Stack) => Partial<CloudFrontIngressProps> = () => ({})): any {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  new CloudFrontIngress(stack, 'Ingress', { network, service, ...props(stack) });
  return Template.fromStack(stack).toJSON();
}

const CASES: Case[] = [
  {
    change: '`priceClass`, `originReadTimeout`, `geoRestriction`, `webAclArn`',
    props: () => ({
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL, originReadTimeout: Duration.seconds(45),
      geoRestriction: cloudfront.GeoRestriction.denylist('RU'), webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/api/abcd1234',
    }),
    replaces: [],
  },
  {
    change: '`domainName` + `certificate` added',
    props: (stack) => ({
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555'),
    }),
    replaces: [],
  },
  { change: '`accessLogs` turned on', props: () => ({ accessLogs: true }), replaces: [] },
];

const baseline = synth();

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  const report = UpdateSafety.compare(baseline, synth(c.props));
  expect(report.findings.map((f) => `${f.resourceType} ${f.change}`).sort()).toEqual([...c.replaces].sort());
  expect(report.passed).toBe(true);
});

test('the README of @portcullis/cloudfront-ingress publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'cloudfront-ingress', 'README.md'), 'utf8');
  for (const c of CASES) {
    const cell = c.replaces.length === 0 ? 'nothing (updated in place)' : [...c.replaces].sort().map((r) => `\`${r}\``).join(', ');
    expect(readme).toContain(`| ${c.change} | ${cell} |`);
  }
});
