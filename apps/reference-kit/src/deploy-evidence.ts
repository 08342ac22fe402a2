/**
 * The deploy-time checks the reference apps' integ tests share (README "Deploy evidence"):
 * what a synthesized template cannot show, asked of the AWS APIs after `integ-runner` deployed
 * the stack. Imported by the apps' integ tests only (`@portcullis-apps/reference-kit/lib/deploy-evidence`),
 * never by their CDK apps.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Construct } from 'constructs';

/** What the checks read of a reference app's stack. */
export interface DeployedApp {
  readonly clusterName: string;
  readonly serviceName: string;
}

/** The describeServices paths the checks read (integ-tests-alpha returns at most 4 KB of a response). */
const SERVICE_PATHS = {
  productionRule: 'services.0.loadBalancers.0.advancedConfiguration.productionListenerRule',
  targetGroup: 'services.0.loadBalancers.0.targetGroupArn',
  alternateTargetGroup: 'services.0.loadBalancers.0.advancedConfiguration.alternateTargetGroupArn',
};

/** The first forward action's groups in a describeRules response. */
const GROUPS = 'Rules.0.Actions.0.ForwardConfig.TargetGroups';

/** The rule's forward action, its groups matched by `groups`. */
const forwardingTo = (groups: unknown) => ExpectedResult.objectLike({
  Rules: [Match.objectLike({ Actions: Match.arrayWith([Match.objectLike({ Type: 'forward', ForwardConfig: Match.objectLike({ TargetGroups: groups }) })]) })],
});

/**
 * (a) The production listener rule after the first deployment (F1): the rule ECS shifts traffic
 * on, found the way ECS finds it (the service's `AdvancedConfiguration.ProductionListenerRule`),
 * forwards to exactly two target groups, 100 % to one and 0 % to the other. Which one is live is
 * not asserted (ECS may already have swapped them: go-to-k/cdk-real-drift#1730 saw the swap right
 * after the first deployment); the assertion stack's outputs `ProductionRuleGroup0/1`,
 * `ProductionRuleWeight0/1` and `Service*TargetGroup` record it (`integ-runner --verbose` prints them; README "Deploy evidence").
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html
 * Returns the first call (chain it after what must come first).
 */
export function expectProductionRuleWeights(integ: IntegTest, app: DeployedApp): IApiCall {
  // Flattened and cut to these paths: a whole describeServices response is over the 4 KB a custom resource returns.
  const service = integ.assertions.awsApiCall('ECS', 'describeServices', { cluster: app.clusterName, services: [app.serviceName] },
    Object.values(SERVICE_PATHS));
  service.assertAtPath(SERVICE_PATHS.productionRule, ExpectedResult.stringLikeRegexp(':listener-rule/app/'));
  const ruleArn = service.getAttString(SERVICE_PATHS.productionRule);
  const describeRule = () => {
    const call = integ.assertions.awsApiCall('ElasticLoadBalancingV2', 'describeRules', { RuleArns: [ruleArn] });
    service.next(call);
    return call;
  };
  // (`expect` reads the whole response: one rule is well under 4 KB.)
  describeRule().expect(forwardingTo([Match.objectLike({ TargetGroupArn: Match.stringLikeRegexp(':targetgroup/') }), Match.objectLike({ TargetGroupArn: Match.stringLikeRegexp(':targetgroup/') })]));
  describeRule().expect(forwardingTo(Match.arrayWith([Match.objectLike({ Weight: 100 })])));
  describeRule().expect(forwardingTo(Match.arrayWith([Match.objectLike({ Weight: 0 })])));
  // The record: which group took the traffic after the first deployment.
  const record = integ.assertions.awsApiCall('ElasticLoadBalancingV2', 'describeRules', { RuleArns: [ruleArn] }, [`${GROUPS}.0`, `${GROUPS}.1`]);
  service.next(record);
  // Separate outputs, no Fn::Join: a weight is a number in the custom resource's data.
  for (const i of [0, 1]) {
    new CfnOutput(record, `ProductionRuleGroup${i}`, {
      description: `Target group ${i} of the production rule after the first deployment (F1: which group is live; its weight is ProductionRuleWeight${i})`,
      value: record.getAttString(`${GROUPS}.${i}.TargetGroupArn`),
    });
    new CfnOutput(record, `ProductionRuleWeight${i}`, {
      description: `Weight of target group ${i} of the production rule after the first deployment`,
      value: record.getAttString(`${GROUPS}.${i}.Weight`),
    });
  }
  new CfnOutput(record, 'ServiceProductionTargetGroup', {
    description: 'The target group the service registers with (its LoadBalancers[0].TargetGroupArn)',
    value: service.getAttString(SERVICE_PATHS.targetGroup),
  });
  new CfnOutput(record, 'ServiceAlternateTargetGroup', {
    description: 'The service\'s alternate target group (AdvancedConfiguration.AlternateTargetGroupArn)',
    value: service.getAttString(SERVICE_PATHS.alternateTargetGroup),
  });
  return service;
}

/**
 * (b) An alarm notification reaches the alarm topic (F2): sets `alarm` to ALARM
 * (`cloudwatch:SetAlarmState`, which runs its actions like a real breach), then waits for the
 * alarm's newest action to be "Successfully executed action arn:...:sns:..." in its history (a
 * topic policy that does not admit CloudWatch, or a key that does not let it encrypt, writes
 * "Failed to execute action" there instead). With `probe`, a queue subscribed to the topic must
 * receive the ALARM message with this test's reason (SNS decrypted and delivered it).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
 * https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 * Returns the first call (chain it after what must come first).
 */
export function expectAlarmNotifies(integ: IntegTest, alarm: cloudwatch.IAlarm, probe?: sqs.IQueue): IApiCall {
  const wait = { totalTimeout: Duration.minutes(5), interval: Duration.seconds(15), backoffRate: 1 };
  const reason = 'Portcullis integ test: does an alarm notification reach the alarm topic?';
  const set = integ.assertions.awsApiCall('CloudWatch', 'setAlarmState', { AlarmName: alarm.alarmName, StateValue: 'ALARM', StateReason: reason });
  // The newest action only (each history item carries the whole published message: 4 KB go fast).
  const history = integ.assertions.awsApiCall('CloudWatch', 'describeAlarmHistory',
    { AlarmName: alarm.alarmName, HistoryItemType: 'Action', ScanBy: 'TimestampDescending', MaxRecords: 1 });
  history.assertAtPath('AlarmHistoryItems.0.HistorySummary', ExpectedResult.stringLikeRegexp('^Successfully executed action arn:[^:]+:sns:')).waitForAssertions(wait);
  set.next(history);
  if (probe) {
    // One message a try; a message looked at (an OK notification, say) stays hidden for a minute,
    // so the next tries see the others. The body's `Message` is the alarm's JSON, with this reason.
    const receive = integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: probe.queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 20, VisibilityTimeout: 60 });
    receive.assertAtPath('Messages.0.Body.Message', ExpectedResult.stringLikeRegexp('^(?=[\\s\\S]*"NewStateValue":\\s*"ALARM")(?=[\\s\\S]*Portcullis integ test)')).waitForAssertions(wait);
    history.next(receive);
  }
  return set;
}

/**
 * A queue subscribed to the app's alarm topic, for {@link expectAlarmNotifies}: a test-only
 * resource of the integ stack (SQS-managed encryption, TLS only, deleted with the stack).
 */
export function alarmProbeQueue(scope: Construct, topic: sns.ITopic): sqs.Queue {
  const queue = new sqs.Queue(scope, 'IntegAlarmProbe', { enforceSSL: true, retentionPeriod: Duration.hours(1) });
  topic.addSubscription(new subscriptions.SqsSubscription(queue));
  return queue;
}

/** The apps' alarm topic (`alarmTopic` of stack-parts: construct id `AlarmTopic` in the stack). */
export function alarmTopicOf(stack: Construct): sns.ITopic {
  return stack.node.findChild('AlarmTopic') as sns.ITopic;
}

/**
 * The cloud assembly schema the newest integ-runner (2.197.10) reads: its bundled toolkit reads
 * schema 53, and aws-cdk-lib 2.275.0 writes 55. 54 and 55 only added metadata types
 * (property-mutation traces, string tags) the reference apps do not emit; templates and asset
 * manifests are unchanged. Delete it, and `synthesizeForIntegRunner`'s rewrite, when an
 * integ-runner release reads 55 (then run `npm run integ:update`).
 */
export const INTEG_RUNNER_SCHEMA = 53;

/**
 * Synthesizes an integ test's app for integ-runner: the assembly's manifests declare
 * INTEG_RUNNER_SCHEMA where aws-cdk-lib wrote a newer one. Returns the assembly's directory.
 */
export function synthesizeForIntegRunner(app: App): string {
  const outdir = app.synth().directory;
  for (const file of fs.readdirSync(outdir).filter((f) => /^(manifest\.json|integ\.json|cdk\.out|.*\.assets\.json)$/.test(f))) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8')) as { readonly version?: unknown };
    if (Number(String(json.version).split('.')[0]) > INTEG_RUNNER_SCHEMA) {
      fs.writeFileSync(path.join(outdir, file), JSON.stringify({ ...json, version: `${INTEG_RUNNER_SCHEMA}.0.0` }, undefined, 2));
    }
  }
  return outdir;
}
