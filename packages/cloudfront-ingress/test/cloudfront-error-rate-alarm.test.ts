import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { CloudFrontErrorRateAlarm, CloudFrontErrorRateAlarmProps, CloudFrontIngress } from '../src';

/**
 * CloudFront's 5xx error rate (issue 22 item 5). CloudFront publishes its metrics in us-east-1
 * only, with the dimensions DistributionId and Region = Global, and an alarm reads the
 * metrics of its own Region:
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
 */
function alarmIn(region: string | undefined, props: Partial<CloudFrontErrorRateAlarmProps> = {}) {
  const stack = new Stack(new App(), 'Edge', region ? { env: { account: '123456789012', region } } : undefined);
  const construct = new CloudFrontErrorRateAlarm(stack, 'Edge', { distributionId: 'E2QWRUHAPOMQZL', ...props });
  return { stack, construct, get template() { return Template.fromStack(stack); } };
}
const onlyAlarm = (t: Template) => {
  const alarms = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms).toHaveLength(1);
  return alarms[0];
};

test('us-east-1: AWS/CloudFront 5xxErrorRate, dimensions DistributionId and Region=Global, Average per minute, above 5 % in 3 of 5 minutes, no traffic not breaching', () => {
  const a = onlyAlarm(alarmIn('us-east-1').template);
  expect(a.Condition).toBeUndefined();
  expect(a.Properties).toEqual(expect.objectContaining({
    Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Statistic: 'Average', Period: 60,
    Dimensions: expect.arrayContaining([{ Name: 'DistributionId', Value: 'E2QWRUHAPOMQZL' }, { Name: 'Region', Value: 'Global' }]),
    Threshold: 5, EvaluationPeriods: 5, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  expect(a.Properties.Dimensions).toHaveLength(2);
});

test('thresholdPercent and alarmTopic: the threshold, and ALARM and OK notify the topic', () => {
  const stack = new Stack(new App(), 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
  const alarmTopic = new sns.Topic(stack, 'Topic');
  new CloudFrontErrorRateAlarm(stack, 'Edge', { distributionId: 'E2QWRUHAPOMQZL', thresholdPercent: 1.5, alarmTopic });
  const a = onlyAlarm(Template.fromStack(stack));
  expect(a.Properties.Threshold).toBe(1.5);
  expect(a.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(alarmTopic.node.defaultChild as any) }]);
  expect(a.Properties.OKActions).toEqual(a.Properties.AlarmActions);
});

test('another Region: refused, naming the Region and the way (a us-east-1 stack, the distribution id across Regions)', () => {
  expect(() => alarmIn('eu-west-1'))
    .toThrow(/^CloudFrontErrorRateAlarm must be in a stack in us-east-1, got the stack 'Edge' in eu-west-1: CloudFront publishes its metrics in us-east-1 only.*env: \{ region: 'us-east-1' \}.*crossRegionReferences/);
});

test('environment-agnostic: the alarm exists only when deployed in us-east-1 (a condition on AWS::Region), and an info says so', () => {
  const { template, stack } = alarmIn(undefined);
  const a = onlyAlarm(template);
  expect(template.toJSON().Conditions[a.Condition]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
  Annotations.fromStack(stack).hasInfo('/Edge/Edge', Match.stringLikeRegexp('only when this environment-agnostic stack is deployed in us-east-1'));
});

test('from a stack in another Region: the distribution id crosses Regions (crossRegionReferences), the alarm is in us-east-1', () => {
  const app = new App();
  const api = new Stack(app, 'Api', { env: { account: '123456789012', region: 'eu-west-1' }, crossRegionReferences: true });
  const network = new Network(api, 'Network', { availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
  const ingress = new CloudFrontIngress(api, 'Ingress', { network, service: new ApiService(api, 'Service', { cluster: new FargateCluster(api, 'Cluster', { network }) }) });
  const edge = new Stack(app, 'ApiEdgeAlarms', { env: { account: '123456789012', region: 'us-east-1' }, crossRegionReferences: true });
  new CloudFrontErrorRateAlarm(edge, 'Edge', { distributionId: ingress.distribution.distributionId });
  const a = onlyAlarm(Template.fromStack(edge));
  expect(JSON.stringify(a.Properties.Dimensions)).toContain('Fn::GetAtt'); // read from the exporting stack's SSM parameter
});

test('CloudFrontIngress.metric5xxErrorRate(): the same metric, read in us-east-1 (dashboards in any Region can graph it)', () => {
  const stack = new Stack(new App(), 'Api', { env: { account: '123456789012', region: 'eu-west-1' } });
  const network = new Network(stack, 'Network', { availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
  const ingress = new CloudFrontIngress(stack, 'Ingress', { network, service: new ApiService(stack, 'Service', { cluster: new FargateCluster(stack, 'Cluster', { network }) }) });
  const metric = ingress.metric5xxErrorRate();
  expect([metric.namespace, metric.metricName, metric.statistic, metric.region, metric.period.toSeconds()]).toEqual(['AWS/CloudFront', '5xxErrorRate', 'Average', 'us-east-1', 60]);
  expect(stack.resolve(metric.dimensions)).toEqual({ DistributionId: stack.resolve(ingress.distribution.distributionId), Region: 'Global' });
});

describe('bad input: an error naming the prop, the value and the fix', () => {
  test.each<[string, Partial<CloudFrontErrorRateAlarmProps>, RegExp]>([
    ['an empty id', { distributionId: '' }, /^`distributionId` must be a CloudFront distribution id like 'E2QWRUHAPOMQZL'.*got ''/],
    ['a domain name for an id', { distributionId: 'd111111abcdef8.cloudfront.net' }, /^`distributionId` must be a CloudFront distribution id .*got 'd111111abcdef8.cloudfront.net'/],
    ['threshold 0', { thresholdPercent: 0 }, /^`thresholdPercent` must be a percentage above 0, at most 100, got 0/],
    ['threshold 101', { thresholdPercent: 101 }, /^`thresholdPercent` must be a finite number from 0 to 100, got 101/],
    ['threshold NaN', { thresholdPercent: NaN }, /^`thresholdPercent` must be .*got NaN/],
  ])('%s', (_, props, message) => {
    expect(() => alarmIn('us-east-1', props)).toThrow(message);
  });

  test('tokens pass through: a parameter id and threshold', () => {
    const stack = new Stack(new App(), 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    new CloudFrontErrorRateAlarm(stack, 'Edge', {
      distributionId: new CfnParameter(stack, 'Id').valueAsString, thresholdPercent: new CfnParameter(stack, 'T', { type: 'Number' }).valueAsNumber,
    });
    const a = onlyAlarm(Template.fromStack(stack));
    expect(a.Properties.Threshold).toEqual({ Ref: 'T' });
    expect(a.Properties.Dimensions).toContainEqual({ Name: 'DistributionId', Value: { Ref: 'Id' } });
  });
});
