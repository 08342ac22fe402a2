import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { CostEstimator, ExposureChecks } from '@portcullis/audit';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Egress, Network } from '@portcullis/network';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Template } from 'aws-cdk-lib/assertions';

function stackWith(topic: boolean) {
  const stack = new Stack(new App(), 'Nag');
  const network = new Network(stack, 'Network', { egress: Egress.singleNatGateway(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27') });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service });
  const alarmTopic = topic ? new sns.Topic(stack, 'Alarms', { masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }), enforceSSL: true }) : undefined;
  // enforceSSL writes a topic policy, which replaces SNS's default one: admit CloudWatch's alarms (Portcullis-ALARM1)
  alarmTopic?.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [alarmTopic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` } },
  }));
  const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress, alarmTopic });
  return { stack, monitoring };
}

/**
 * ApiMonitoring behind a real AlbIngress under the policy packs, the exposure rules and the
 * cost estimate of @portcullis/audit (moved from packages/monitoring, whose tests depend on
 * neither an ingress nor the audit; the HTTP API case is in apps/fargate-apigw-api).
 */

/** Findings on ApiMonitoring's own resources (the network, cluster and ingresses have their own nag tests). */
const own = (violations: Array<{ ruleName: string; violatingResources: Array<{ constructPath?: string }> }>) => violations
  .flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('Nag/Monitoring/')).map((r) => `${v.ruleName} ${r.constructPath}`));

describe('cdk-nag behind an AlbIngress', () => {
  test('with an alarm topic: no AwsSolutions or NIST 800-53 R5 finding on the alarms and the dashboard', () => {
    const { stack } = stackWith(true);
    expect(own(new AwsSolutionsChecks().validateScope(stack).violations)).toEqual([]);
    expect(own(new NIST80053R5Checks().validateScope(stack).violations)).toEqual([]);
  });

  test('without a topic, NIST 800-53 R5 CloudWatchAlarmAction flags every alarm (the pack is live; give `alarmTopic`)', () => {
    const { stack, monitoring } = stackWith(false);
    expect(own(new AwsSolutionsChecks().validateScope(stack).violations)).toEqual([]);
    const flagged = own(new NIST80053R5Checks().validateScope(stack).violations);
    expect(flagged.filter((f) => f.startsWith('NIST.800.53.R5-CloudWatchAlarmAction'))).toHaveLength(monitoring.alarms.length);
  });

  test('the exposure rules see nothing new', () => {
    const { stack } = stackWith(true);
    expect(new ExposureChecks().checkTemplate(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

test('what the monitoring costs, by @portcullis/audit: 15 alarm metrics ($1.50) and one dashboard ($3.00) behind an ALB with one NAT gateway', () => {
  const { stack } = stackWith(false);
  const estimate = CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON());
  // CPU 1, memory 1, running tasks 2 (desired, running), target 5xx rate 2 (errors, requests), unhealthy 1, p99 1,
  // load balancer 5xx rate 2 (ELB 5xx, requests), healthy targets 1, NAT 4 (port allocation 1; drop rate 3: dropped,
  // in from source, in from destination); plus the ingress's own rollback alarms (target 5xx rate: errors, requests;
  // the load balancer's 5xx rate of a single-service ingress: ELB 5xx, requests)
  expect(estimate.lines.find((l) => l.item === 'CloudWatch alarm metrics')).toMatchObject({ quantity: 15 + 4, monthlyUsd: 1.9 });
  expect(estimate.lines.find((l) => l.item === 'CloudWatch dashboards')).toMatchObject({ quantity: 1, monthlyUsd: 3 });
});
