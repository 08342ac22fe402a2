import { Annotations, Aws, CfnCondition, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { finiteNumber, nonEmptyName } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';

/** Properties of a {@link CloudFrontErrorRateAlarm}. */
export interface CloudFrontErrorRateAlarmProps {
  /**
   * The id of the distribution to watch, e.g. `CloudFrontIngress.distribution.distributionId`
   * (from a stack in another Region: `crossRegionReferences: true` on both stacks) or a
   * literal like `'E2QWRUHAPOMQZL'`.
   */
  readonly distributionId: string;
  /**
   * Alarm when CloudFront answers more than this percentage of viewer requests with a 5xx in
   * 3 of 5 minutes. Above 0, at most 100.
   *
   * @default 5
   */
  readonly thresholdPercent?: number;
  /**
   * An SNS topic (in this stack's Region) the alarm notifies when it goes into ALARM and when
   * it is OK again.
   *
   * @default - no notification
   */
  readonly alarmTopic?: sns.ITopic;
}

/** The stack's condition "deployed in us-east-1" (one per stack). */
function usEast1Condition(stack: Stack): CfnCondition {
  const id = 'PortcullisDeployedInUsEast1';
  return (stack.node.tryFindChild(id) as CfnCondition | undefined)
    ?? new CfnCondition(stack, id, { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
}

/**
 * The 5xx error rate of a CloudFront distribution: `AWS/CloudFront` `5xxErrorRate` (Average,
 * one-minute periods) with the dimensions `DistributionId` and `Region` = `Global`, above
 * `thresholdPercent` in 3 of 5 minutes; minutes without requests do not breach. It catches
 * what viewers get when the origin is unreachable (CloudFront answers 502 or 504) or answers
 * 5xx itself.
 *
 * CloudFront publishes its metrics in us-east-1 only, and an alarm reads the metrics of its
 * own Region (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html),
 * so this construct belongs in a stack in us-east-1: a stack with another literal Region is an
 * error; in an environment-agnostic stack the alarm is created under a condition
 * (`AWS::Region` = us-east-1) and exists only when the stack is deployed there.
 * (aws-cdk-lib's `Distribution.metric5xxErrorRate()` leaves out the `Region` dimension and
 * matches no metric CloudFront publishes: aws/aws-cdk#19245.)
 *
 * @example
 * // the API's stack is in eu-west-1 (crossRegionReferences: true); alarms on CloudFront live in us-east-1
 * declare const app: App;
 * declare const ingress: CloudFrontIngress;
 * const edge = new Stack(app, 'ApiEdgeAlarms', { env: { region: 'us-east-1' }, crossRegionReferences: true });
 * new CloudFrontErrorRateAlarm(edge, 'Edge', { distributionId: ingress.distribution.distributionId });
 */
export class CloudFrontErrorRateAlarm extends Construct {
  /**
   * CloudFront's `5xxErrorRate` of a distribution as CloudFront publishes it: dimensions
   * `DistributionId` and `Region` = `Global`, read in us-east-1 (a dashboard in any Region can
   * graph it), Average over one minute.
   */
  public static metric5xxErrorRate(distributionId: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
      statistic: 'Average',
      period: Duration.minutes(1),
      region: 'us-east-1',
    });
  }

  /** The alarm. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CloudFrontErrorRateAlarmProps) {
    super(scope, id);
    nonEmptyName('distributionId', props.distributionId, {
      pattern: /^[A-Z0-9]{1,128}$/, description: 'a CloudFront distribution id like \'E2QWRUHAPOMQZL\' (upper-case letters and digits)',
    });
    finiteNumber('thresholdPercent', props.thresholdPercent, { min: 0, max: 100, fix: 'use a percentage above 0, at most 100 (e.g. 5)' });
    if (props.thresholdPercent === 0) {
      throw new Error('`thresholdPercent` must be a percentage above 0, at most 100, got 0: use e.g. 1 (a threshold of 0 would alarm on the first 5xx)');
    }
    const stack = Stack.of(this);
    const region = stack.region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new Error(`CloudFrontErrorRateAlarm must be in a stack in us-east-1, got the stack '${stack.stackName}' in ${region}: CloudFront publishes its metrics in us-east-1 only, ` +
        'and an alarm reads only the metrics of its own Region. Create it in a stack with `env: { region: \'us-east-1\' }` and pass the distribution\'s id ' +
        '(crossRegionReferences: true on both stacks, or the id as a literal)');
    }
    const threshold = props.thresholdPercent ?? 5;
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      metric: CloudFrontErrorRateAlarm.metric5xxErrorRate(props.distributionId),
      threshold,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `CloudFront answers more than ${threshold} % of viewer requests with a 5xx in 3 of 5 minutes: the origin is unreachable (502, 504) or answers 5xx itself.`,
    });
    if (Token.isUnresolved(region)) {
      (this.alarm.node.defaultChild as cloudwatch.CfnAlarm).cfnOptions.condition = usEast1Condition(stack);
      Annotations.of(this).addInfo('The CloudFront 5xx error-rate alarm is created only when this environment-agnostic stack is deployed in us-east-1 (a condition on AWS::Region): CloudFront publishes its metrics there only.');
    }
    if (props.alarmTopic) {
      const action = new actions.SnsAction(props.alarmTopic);
      this.alarm.addAlarmAction(action);
      this.alarm.addOkAction(action);
    }
  }
}
