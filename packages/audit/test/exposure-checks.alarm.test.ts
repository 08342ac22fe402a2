// Portcullis-ALARM1: an alarm whose SNS topic's policy cannot admit CloudWatch tells no one.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { ExposureChecks } from '../src';

const ALARM1 = 'Portcullis-ALARM1';
/** ALARM1's findings: `<alarm>` or `<alarm>: <cannot evaluate ...>`. */
const alarm1 = (t: any) => new ExposureChecks().checkTemplate(t).filter((f) => f.ruleId === ALARM1)
  .map((f) => `${f.resourceLogicalId}${f.cannotEvaluate ? `: ${f.cannotEvaluate}` : ''}`);

/** What the apps write today: enforceSSL's single Deny (F2 of the deploy review). */
const denyInsecure = { Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: { Ref: 'Topic' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
/** What AWS documents (with the source conditions the issue asks for). */
const allowCloudWatch = {
  Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'Topic' },
  Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*' } } },
};

/** An alarm whose AlarmActions and OKActions name `Topic`, and the topic's policy (none when `statements` is undefined). */
function stack(statements?: any, alarm: (props: any) => void = () => {}, policyType = 'AWS::SNS::TopicPolicy'): any {
  const resources: Record<string, any> = {
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    Errors: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        MetricName: 'HTTPCode_ELB_5XX_Count', Namespace: 'AWS/ApplicationELB', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [{ Ref: 'Topic' }], OKActions: [{ Ref: 'Topic' }],
      },
    },
  };
  alarm(resources.Errors.Properties);
  if (statements !== undefined) {
    resources.TopicPolicy = policyType === 'AWS::SNS::TopicPolicy'
      ? { Type: policyType, Properties: { PolicyDocument: { Version: '2012-10-17', Statement: statements }, Topics: [{ Ref: 'Topic' }] } }
      : { Type: policyType, Properties: { PolicyDocument: { Version: '2012-10-17', Statement: statements }, TopicArn: { Ref: 'Topic' } } };
  }
  return { Resources: resources };
}

describe('Portcullis-ALARM1: an alarm whose topic policy cannot admit CloudWatch', () => {
  test('flagged: the topic policy of the apps today (enforceSSL\'s single Deny replaces the default policy)', () => {
    expect(alarm1(stack([denyInsecure]))).toEqual(['Errors']);
  });

  test('passes: no topic policy at all (SNS\'s default policy admits the account\'s alarms)', () => {
    expect(alarm1(stack())).toEqual([]);
  });

  test('passes: the Deny plus an Allow of sns:Publish to cloudwatch.amazonaws.com with source conditions (AWS\'s documented statement)', () => {
    expect(alarm1(stack([denyInsecure, allowCloudWatch]))).toEqual([]);
    // the same in an AWS::SNS::TopicInlinePolicy
    expect(alarm1(stack([denyInsecure, allowCloudWatch], () => {}, 'AWS::SNS::TopicInlinePolicy'))).toEqual([]);
    expect(alarm1(stack([denyInsecure], () => {}, 'AWS::SNS::TopicInlinePolicy'))).toEqual(['Errors']);
  });

  test.each<[string, any]>([
    ['Principal "*"', { ...allowCloudWatch, Principal: '*', Condition: undefined }],
    ['Principal { AWS: "*" } with AWS:SourceOwner (the shape of SNS\'s default policy)', { ...allowCloudWatch, Principal: { AWS: '*' }, Condition: { StringEquals: { 'AWS:SourceOwner': '111111111111' } } }],
    ['the service principal in a list, through Fn::Join with the URL suffix', { ...allowCloudWatch, Principal: { Service: ['events.amazonaws.com', { 'Fn::Join': ['', ['cloudwatch.', { Ref: 'AWS::URLSuffix' }]] }] } }],
    ['Action sns:*', { ...allowCloudWatch, Action: 'sns:*' }],
    ['Action SNS:Publish (IAM actions are case-insensitive), in a list', { ...allowCloudWatch, Action: ['sns:Subscribe', 'SNS:Publish'] }],
    ['NotAction that leaves sns:Publish in', { ...allowCloudWatch, Action: undefined, NotAction: ['sns:Subscribe'] }],
    ['Resource "*"', { ...allowCloudWatch, Resource: '*' }],
    ['Resource Fn::GetAtt of the topic', { ...allowCloudWatch, Resource: { 'Fn::GetAtt': ['Topic', 'TopicArn'] } }],
  ])('passes: an Allow with %s', (_name, statement) => {
    expect(alarm1(stack([denyInsecure, JSON.parse(JSON.stringify(statement))]))).toEqual([]);
  });

  test.each<[string, any[]]>([
    ['an Allow for the account root only (an account principal does not admit a service principal)',
      [{ ...allowCloudWatch, Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Condition: undefined }]],
    ['an Allow for another service', [{ ...allowCloudWatch, Principal: { Service: 'events.amazonaws.com' } }]],
    ['an Allow of sns:Subscribe only', [{ ...allowCloudWatch, Action: 'sns:Subscribe' }]],
    ['NotAction that excludes sns:Publish', [{ ...allowCloudWatch, Action: undefined, NotAction: 'sns:Pub*' }]],
    ['an Allow on another topic of the template', [{ ...allowCloudWatch, Resource: { Ref: 'Other' } }]],
    ['an unconditional Deny of sns:Publish to everyone next to the Allow', [allowCloudWatch, { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: '*' }]],
    ['an empty statement list', []],
  ])('flagged: %s', (_name, statements) => {
    const t = stack(JSON.parse(JSON.stringify(statements)));
    t.Resources.Other = { Type: 'AWS::SNS::Topic' };
    expect(alarm1(t)).toEqual(['Errors']);
  });

  test('every action list counts (OKActions, InsufficientDataActions), and composite alarms too', () => {
    expect(alarm1(stack([denyInsecure], (p) => { delete p.AlarmActions; }))).toEqual(['Errors']);
    expect(alarm1(stack([denyInsecure], (p) => { delete p.AlarmActions; delete p.OKActions; p.InsufficientDataActions = [{ Ref: 'Topic' }]; }))).toEqual(['Errors']);
    const t = stack([denyInsecure], (p) => { delete p.AlarmActions; delete p.OKActions; });
    t.Resources.Composite = { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(Errors)', AlarmActions: [{ 'Fn::GetAtt': ['Topic', 'TopicArn'] }] } };
    expect(alarm1(t)).toEqual(['Composite']);
  });

  test('a valid neighbour: alarms without actions, or whose actions point outside the template (a literal ARN, a parameter), are not judged', () => {
    expect(alarm1(stack([denyInsecure], (p) => { delete p.AlarmActions; delete p.OKActions; }))).toEqual([]);
    expect(alarm1(stack([denyInsecure], (p) => { p.AlarmActions = ['arn:aws:sns:us-east-1:111111111111:ops']; p.OKActions = [{ Ref: 'OpsTopicArn' }]; }))).toEqual([]);
    // a list parameter (no topic of the template can be in it)
    expect(alarm1(stack([denyInsecure], (p) => { p.AlarmActions = { Ref: 'OpsTopics' }; delete p.OKActions; }))).toEqual([]);
  });

  test('acknowledged with a reason in the alarm\'s metadata', () => {
    const t = stack([denyInsecure]);
    t.Resources.Errors.Metadata = { portcullis: { acknowledge: [{ id: ALARM1, reason: 'the topic is for the dashboard only' }] } };
    expect(new ExposureChecks().checkTemplate(t).find((f) => f.ruleId === ALARM1)).toMatchObject({ acknowledged: true, reason: 'the topic is for the dashboard only' });
  });
});

describe('Portcullis-ALARM1 fails closed where it cannot decide', () => {
  const ifProd = (a: any, b: any) => ({ 'Fn::If': ['IsProd', a, b] });
  test.each<[string, (t: any) => void, string]>([
    ['the alarm actions are Fn::If naming the topic', (t) => { t.Resources.Errors.Properties.AlarmActions = ifProd([{ Ref: 'Topic' }], []); delete t.Resources.Errors.Properties.OKActions; },
      'Errors: cannot evaluate AlarmActions of Errors: intrinsic Fn::If'],
    ['an action is Fn::If naming the topic', (t) => { t.Resources.Errors.Properties.AlarmActions = [ifProd({ Ref: 'Topic' }, { Ref: 'AWS::NoValue' })]; delete t.Resources.Errors.Properties.OKActions; },
      'Errors: cannot evaluate AlarmActions[0] of Errors: intrinsic Fn::If'],
    ['the policy document is Fn::If', (t) => { t.Resources.TopicPolicy.Properties.PolicyDocument = ifProd({ Statement: [allowCloudWatch] }, { Statement: [] }); },
      'Errors: cannot evaluate topic policy TopicPolicy PolicyDocument (the policy of topic Topic) of Errors: intrinsic Fn::If'],
    ['a statement is Fn::If', (t) => { t.Resources.TopicPolicy.Properties.PolicyDocument.Statement.push(ifProd(allowCloudWatch, { Ref: 'AWS::NoValue' })); },
      'Errors: cannot evaluate topic policy TopicPolicy PolicyDocument.Statement[1] (the policy of topic Topic) of Errors: intrinsic Fn::If'],
    ['the service principal is a parameter without a default', (t) => { t.Resources.TopicPolicy.Properties.PolicyDocument.Statement.push({ ...allowCloudWatch, Principal: { Service: { Ref: 'Svc' } } }); },
      'Errors: cannot evaluate topic policy TopicPolicy PolicyDocument.Statement[1].Principal.Service (the policy of topic Topic) of Errors: intrinsic Ref'],
    ['the Allow has a condition the rule does not evaluate (aws:PrincipalOrgID)', (t) => { t.Resources.TopicPolicy.Properties.PolicyDocument.Statement.push({ ...allowCloudWatch, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } }); },
      'Errors: cannot evaluate topic policy TopicPolicy PolicyDocument.Statement[1].Condition.StringEquals (the policy of topic Topic) of Errors: condition on aws:principalorgid, which the rule does not evaluate'],
    ['the policy\'s Topics is Fn::If naming the topic', (t) => { t.Resources.TopicPolicy.Properties.Topics = ifProd([{ Ref: 'Topic' }], []); },
      'Errors: cannot evaluate topic policy TopicPolicy Topics (the policy of topic Topic) of Errors: intrinsic Fn::If'],
    ['the Allow\'s Resource is a literal ARN and the topic has no literal name', (t) => { t.Resources.TopicPolicy.Properties.PolicyDocument.Statement.push({ ...allowCloudWatch, Resource: 'arn:aws:sns:us-east-1:111111111111:alarms' }); },
      'Errors: cannot evaluate topic policy TopicPolicy PolicyDocument.Statement[1].Resource (the policy of topic Topic) of Errors: an ARN, and Topic has no literal TopicName'],
  ])('%s: cannot evaluate (a finding)', (_name, mutate, expected) => {
    const t = stack([denyInsecure]);
    mutate(t);
    expect(alarm1(t)).toEqual([expected]);
  });

  test('resolved where the rule can: a literal ARN matching the topic\'s literal name, a parameter default', () => {
    const t = stack([denyInsecure, { ...allowCloudWatch, Resource: 'arn:aws:sns:us-east-1:111111111111:alarms', Principal: { Service: { Ref: 'Svc' } } }]);
    t.Resources.Topic.Properties.TopicName = 'alarms';
    t.Parameters = { Svc: { Type: 'String', Default: 'cloudwatch.amazonaws.com' } };
    expect(alarm1(t)).toEqual([]);
  });

  test('a definite Deny wins over an undecidable statement: flagged, not "cannot evaluate"', () => {
    const t = stack([ifProd(allowCloudWatch, { Ref: 'AWS::NoValue' }), { Effect: 'Deny', Principal: '*', Action: 'sns:*', Resource: { Ref: 'Topic' } }]);
    expect(alarm1(t)).toEqual(['Errors']);
  });
});

describe('Portcullis-ALARM1 on what aws-cdk-lib synthesizes', () => {
  function app(admit: boolean) {
    const s = new Stack(new App(), 'Alarms');
    const topic = new sns.Topic(s, 'Topic', { enforceSSL: true });
    if (admit) {
      topic.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')], actions: ['sns:Publish'], resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': s.account } },
      }));
    }
    const alarm = new cloudwatch.Alarm(s, 'Errors', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count' }), threshold: 1, evaluationPeriods: 1,
    });
    alarm.addAlarmAction(new actions.SnsAction(topic));
    return Template.fromStack(s).toJSON();
  }

  test('sns.Topic({ enforceSSL: true }) + an SnsAction: flagged; with addToResourcePolicy for cloudwatch.amazonaws.com: passes', () => {
    expect(alarm1(app(false))).toEqual([expect.stringMatching(/^Errors[0-9A-F]{8}$/)]);
    expect(alarm1(app(true))).toEqual([]);
  });

  test('the rule is listed with its fix', () => {
    const rule = ExposureChecks.rules().find((r) => r.id === ALARM1)!;
    expect(rule.description).toMatch(/topic policy replaces SNS's default policy/);
    expect(rule.fix).toMatch(/cloudwatch\.amazonaws\.com/);
    expect(new ExposureChecks().ruleIds).toContain(ALARM1);
  });
});

describe('property: junk anywhere in an alarm, its topic or its policy never crashes ALARM1', () => {
  test('any value (intrinsic, null, wrong type) at any path: a finding or none, never a TypeError; a "cannot evaluate" always says what', () => {
    const base = stack([denyInsecure, allowCloudWatch]);
    base.Resources.Composite = { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(Errors)', InsufficientDataActions: [{ 'Fn::GetAtt': ['Topic', 'TopicArn'] }] } };
    const paths: string[][] = [];
    const walk = (v: any, p: string[]) => {
      if (p.length > 0) paths.push(p);
      if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], [...p, k]);
    };
    walk(base.Resources, ['Resources']);
    paths.shift(); // ['Resources'] itself: junk there is a refused template (tested in exposure-checks.test.ts), not a rule input
    const junk = fc.oneof(
      fc.constant(null), fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant([]), fc.constant([null]), fc.constant({}), fc.constant('*'),
      fc.constant({ 'Fn::If': ['C', { Ref: 'Topic' }, { Ref: 'AWS::NoValue' }] }), fc.constant({ Ref: 'Topic' }), fc.constant({ Ref: 'AWS::NoValue' }),
      fc.constant({ 'Fn::Join': ['', ['a', { Ref: 'Topic' }]] }), fc.constant({ __proto__: null, constructor: 1 }), fc.constant('constructor'),
    );
    fc.assert(fc.property(fc.constantFrom(...paths), junk, (where, value) => {
      const t = JSON.parse(JSON.stringify(base));
      let o = t;
      for (const k of where.slice(0, -1)) o = o[k];
      o[where[where.length - 1]] = value;
      for (const f of new ExposureChecks().checkTemplate(t).filter((x) => x.ruleId === ALARM1)) {
        expect(['Errors', 'Composite']).toContain(f.resourceLogicalId);
        if (f.cannotEvaluate) expect(f.cannotEvaluate).toMatch(/^cannot evaluate .+ of (Errors|Composite): .+/);
      }
    }), { numRuns: 400 });
  });
});
