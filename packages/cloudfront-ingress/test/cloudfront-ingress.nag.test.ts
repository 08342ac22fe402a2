import { App, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { CloudFrontIngress, CloudFrontIngressProps } from '../src';

/** The AwsSolutions rules that fire on the ingress's own resources (the network and cluster are tested in their packages). */
function findings(props: (stack: Stack) => Partial<CloudFrontIngressProps> = () => ({})) {
  const stack = new Stack(new App(), 'Nag');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  const ingress = new CloudFrontIngress(stack, 'Ingress', { network, service, ...props(stack) });
  Validations.of(cluster.executionRole).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]', reason: 'tested in @portcullis/cluster' });
  const rules = () => new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName).sort();
  return { stack, ingress, rules };
}

test('defaults: only the findings a user answers with one prop; the lookup Lambda\'s are acknowledged by the package, with reasons', () => {
  const { stack, ingress, rules } = findings();
  expect(rules()).toEqual([
    'AwsSolutions-CFR1', // geo restriction: `geoRestriction`
    'AwsSolutions-CFR2', // WAF: `webAclArn`
    'AwsSolutions-CFR3', // access logs: `accessLogs`
    'AwsSolutions-CFR4', // the default *.cloudfront.net certificate (TLSv1 fixed by CloudFront): `domainName` + `certificate`
    'AwsSolutions-ELB2', // the internal ALB's access logs
  ]);
  const ack = (scope: Parameters<typeof Validations.of>[0], id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
  ack(ingress.distribution, 'AwsSolutions-CFR1', 'A public API for every country; geoRestriction is one prop away');
  ack(ingress.distribution, 'AwsSolutions-CFR2', 'No web ACL in the test; webAclArn is one prop away');
  ack(ingress.distribution, 'AwsSolutions-CFR3', 'Access logs are one prop away (accessLogs: true); off by default to avoid a log bucket per environment');
  ack(ingress.distribution, 'AwsSolutions-CFR4', 'No domain: the *.cloudfront.net certificate, whose TLS policy CloudFront fixes; domainName + certificate give TLSv1.2_2021');
  ack(ingress.alb.loadBalancer, 'AwsSolutions-ELB2', 'CloudFront access logs record every request (accessLogs); the internal ALB adds nothing a viewer sent');
  expect(rules()).toEqual([]);
  // the lookup's function and role: no AwsSolutions (IAM4, IAM5, L1) or NIST 800-53 R5 finding left to the user
  const lookupPath = 'Nag/Ingress/VpcOriginsSecurityGroup/';
  const nist = new NIST80053R5Checks().validateScope(stack).violations
    .flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith(lookupPath)).map((r) => `${v.ruleName} ${r.constructPath}`));
  expect(nist).toEqual([]);
  const acknowledged = JSON.stringify(ingress.node.findChild('VpcOriginsSecurityGroup').node.metadata);
  for (const id of ['AwsSolutions-IAM5[Resource::*]', 'NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ', 'NIST.800.53.R5-LambdaInsideVPC', 'NIST.800.53.R5-IAMNoInlinePolicy']) {
    expect(acknowledged).toContain(id);
  }
});

test('a custom domain with a us-east-1 certificate, WAF, geo restriction and access logs answer every CloudFront rule', () => {
  const { rules } = findings((stack) => ({
    accessLogs: true,
    domainName: 'api.example.com',
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555'),
    webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/api/abcd1234',
    geoRestriction: cloudfront.GeoRestriction.allowlist('US'),
  }));
  expect(rules().filter((r) => r.startsWith('AwsSolutions-CFR'))).toEqual([]);
});

test('accessLogs: the log bucket is SSL-only and encrypted; only S1 (its own access logs) remains', () => {
  const { rules } = findings(() => ({ accessLogs: true }));
  expect(rules().filter((r) => /^AwsSolutions-S/.test(r))).toEqual(['AwsSolutions-S1']);
});
