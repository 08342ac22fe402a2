import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { ApiMonitoring } from '../src';
import { FakeIngress } from './support/fake-ingress';

function stackWith(ingressKind: 'alb' | 'httpApi', topic: boolean) {
  const stack = new Stack(new App(), 'Nag');
  const network = new Network(stack, 'Network', { egress: Egress.singleNatGateway(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27') });
  const ingress = new FakeIngress(stack, 'Ingress', { network, services: [service], kind: ingressKind });
  const alarmTopic = topic ? new sns.Topic(stack, 'Alarms', { masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }), enforceSSL: true }) : undefined;
  // enforceSSL writes a topic policy, which replaces SNS's default one: admit CloudWatch's alarms (Portcullis-ALARM1)
  alarmTopic?.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [alarmTopic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` } },
  }));
  const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress, alarmTopic });
  return { stack, monitoring };
}

/*
 * cdk-nag on ApiMonitoring's own resources, behind test doubles of the ingress contract. The
 * exposure rules and the cost estimate of @portcullis/audit over ApiMonitoring behind the real
 * ingresses are in apps/fargate-alb-api/test/monitoring-policy.test.ts and
 * apps/fargate-apigw-api/test/monitoring-policy.test.ts (this package's tests do not depend
 * on the audit: a change to it would otherwise affect every package).
 */

/** Findings on ApiMonitoring's own resources (the network, cluster and ingresses have their own nag tests). */
const own = (violations: Array<{ ruleName: string; violatingResources: Array<{ constructPath?: string }> }>) => violations
  .flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('Nag/Monitoring/')).map((r) => `${v.ruleName} ${r.constructPath}`));

describe.each(['alb', 'httpApi'] as const)('cdk-nag behind a fake %s ingress', (kind) => {
  test('with an alarm topic: no AwsSolutions or NIST 800-53 R5 finding on the alarms and the dashboard', () => {
    const { stack } = stackWith(kind, true);
    expect(own(new AwsSolutionsChecks().validateScope(stack).violations)).toEqual([]);
    expect(own(new NIST80053R5Checks().validateScope(stack).violations)).toEqual([]);
  });

  test('without a topic, NIST 800-53 R5 CloudWatchAlarmAction flags every alarm (the pack is live; give `alarmTopic`)', () => {
    const { stack, monitoring } = stackWith(kind, false);
    expect(own(new AwsSolutionsChecks().validateScope(stack).violations)).toEqual([]);
    const flagged = own(new NIST80053R5Checks().validateScope(stack).violations);
    expect(flagged.filter((f) => f.startsWith('NIST.800.53.R5-CloudWatchAlarmAction'))).toHaveLength(monitoring.alarms.length);
  });
});
