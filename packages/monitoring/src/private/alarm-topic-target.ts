import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * An SNS topic as an EventBridge rule's target, admitting only that rule (aws-events-targets'
 * `SnsTopic` admits `events.amazonaws.com` for any rule): the topic policy allows `sns:Publish`
 * to `events.amazonaws.com` when `aws:SourceArn` is the rule (the confused-deputy condition
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 * recommends), and a KMS-encrypted topic's key lets EventBridge use it (`kms:Decrypt`,
 * `kms:GenerateDataKey*`: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 * An imported topic or key takes no statement: give it those permissions yourself.
 */
export class AlarmTopicTarget implements events.IRuleTarget {
  constructor(private readonly topic: sns.ITopic) {}

  public bind(rule: events.IRule): events.RuleTargetConfig {
    const principal = new iam.ServicePrincipal('events.amazonaws.com');
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowEventBridgeRule${rule.node.addr}`,
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    }));
    this.topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    return { arn: this.topic.topicArn, targetResource: this.topic };
  }
}
