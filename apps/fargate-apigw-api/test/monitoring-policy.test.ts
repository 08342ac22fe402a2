import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ExposureChecks } from '@portcullis/audit';
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
  const ingress = new ApiGatewayIngress(stack, 'Ingress', { network, service });
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
 * ApiMonitoring behind a real ApiGatewayIngress under the policy packs and the exposure rules
 * of @portcullis/audit (moved from packages/monitoring, whose tests depend on neither an
 * ingress nor the audit; the ALB case is in apps/fargate-alb-api).
 */

/** Findings on ApiMonitoring's own resources (the network, cluster and ingresses have their own nag tests). */
const own = (violations: Array<{ ruleName: string; violatingResources: Array<{ constructPath?: string }> }>) => violations
  .flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('Nag/Monitoring/')).map((r) => `${v.ruleName} ${r.constructPath}`));

describe('cdk-nag behind an ApiGatewayIngress', () => {
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
