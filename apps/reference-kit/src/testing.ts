/// <reference types="jest" />
/**
 * The jest suites every reference app runs on its own stack (safe deployments, monitoring,
 * what a change replaces):
 * one copy of the assertions, each app naming what differs. Imported by the apps' tests only
 * (`@portcullis-apps/reference-kit/lib/testing`), never by their CDK apps.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ApiService } from '@portcullis/cluster';
import { IConstruct } from 'constructs';
import { isLeanPreset, LEAN_PRESET_CONTEXT, readReferenceContext, ReferenceContext } from './context';
import { ALARM_TOPIC_KEY_PENDING_WINDOW_DAYS } from './stack-parts';
import { auditDiff, replacementTableRow, synthesizeApp } from './synthesize';

/** What the shared suites read of a reference app's stack. */
export interface AppStackUnderTest extends Stack {
  readonly service: ApiService;
  readonly monitoring: { readonly alarms: readonly cloudwatch.IAlarm[]; readonly eventRules: readonly IConstruct[] };
}

/** A reference app, as the shared suites exercise it. */
export interface AppUnderTest<S extends AppStackUnderTest> {
  /** Creates the app's stack (its stack class) with props read from the context. */
  readonly create: (app: App, id: string, props: ReferenceContext) => S;
  /** The ingress the rollback alarms come from, in test names: 'the ALB', 'the HTTP API stage'. */
  readonly ingressName: string;
  /** The alarms the ingress created for ECS to roll back on (e.g. `AlbIngress.rollbackAlarmsFor(service)`). */
  readonly rollbackAlarms: (stack: S) => cloudwatch.IAlarm[];
  /** How many alarms `ApiMonitoring` has on the default stack, and what they are. */
  readonly monitoringAlarms: { readonly count: number; readonly what: string };
}

/** Synthesizes the app with `context` (`-c key=value`). */
export function synthWith<S extends AppStackUnderTest>(subject: AppUnderTest<S>, context: Record<string, string>, id = 'Test') {
  const app = new App({ context });
  const stack = subject.create(app, id, readReferenceContext(app));
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() };
}

const serviceOf = (template: Template) => Object.values<any>(template.findResources('AWS::ECS::Service'))[0].Properties;

/** The logical ids of `alarms` in `stack`. */
const logicalIds = (stack: Stack, alarms: cloudwatch.IAlarm[]) => alarms.map((a) => stack.getLogicalId(a.node.defaultChild as CfnElement)).sort();

/** A principal's `Service` (string or list) names `service`. */
const admitsService = (statement: any, service: string) => [statement?.Principal?.Service].flat().includes(service);
/** A statement's `Action` (string or list) includes `action` (IAM actions are case-insensitive; `svc:*` counts). */
const allowsAction = (statement: any, action: string) => [statement?.Action].flat().filter((a) => typeof a === 'string')
  .some((a: string) => a.toLowerCase() === action.toLowerCase() || a.toLowerCase() === `${action.split(':')[0].toLowerCase()}:*`);
/** The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, ...] }` points to. */
const refOf = (value: any): string | undefined => value?.Ref ?? value?.['Fn::GetAtt']?.[0];

/**
 * Why CloudWatch could not deliver an alarm notification in `template`: for every action of
 * every alarm (`AlarmActions`, `OKActions`, `InsufficientDataActions`) that is an SNS topic of
 * the template, a topic policy of the topic must allow `cloudwatch.amazonaws.com` to
 * `sns:Publish` on it, conditioned on `aws:SourceAccount` and on `aws:SourceArn` being an alarm
 * ARN (a topic policy replaces SNS's default policy); and when a key of the template encrypts
 * the topic, its key policy must allow `cloudwatch.amazonaws.com` `kms:Decrypt` and
 * `kms:GenerateDataKey*`. https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 * Returns one line per missing grant ([] = every notification can be delivered) and how many
 * topic actions were checked (so a test can tell "all fine" from "nothing checked").
 */
export function alarmNotificationProblems(template: any): { checked: number; problems: string[] } {
  const resources: Record<string, any> = template.Resources ?? {};
  const problems: string[] = [];
  let checked = 0;
  for (const [alarmId, alarm] of Object.entries(resources)) {
    if (alarm.Type !== 'AWS::CloudWatch::Alarm') continue;
    for (const key of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
      for (const action of alarm.Properties?.[key] ?? []) {
        const topicId = refOf(action);
        if (topicId === undefined || resources[topicId]?.Type !== 'AWS::SNS::Topic') continue;
        checked++;
        const statements = Object.values(resources)
          .filter((r: any) => r.Type === 'AWS::SNS::TopicPolicy' && (r.Properties?.Topics ?? []).some((t: any) => refOf(t) === topicId))
          .flatMap((r: any) => [r.Properties?.PolicyDocument?.Statement ?? []].flat());
        const publish = statements.find((st: any) => st.Effect === 'Allow' && admitsService(st, 'cloudwatch.amazonaws.com') && allowsAction(st, 'sns:Publish')
          && [st.Resource].flat().some((r: any) => r === '*' || refOf(r) === topicId));
        if (!publish) {
          problems.push(`${alarmId}.${key} -> ${topicId}: no topic policy statement allows cloudwatch.amazonaws.com to sns:Publish on the topic`);
        } else {
          const account = publish.Condition?.StringEquals?.['aws:SourceAccount'];
          const source = JSON.stringify(publish.Condition?.ArnLike?.['aws:SourceArn'] ?? null);
          if (account === undefined) problems.push(`${alarmId}.${key} -> ${topicId}: the CloudWatch statement has no StringEquals aws:SourceAccount condition`);
          if (!/:cloudwatch:/.test(source) || !/:alarm:/.test(source)) problems.push(`${alarmId}.${key} -> ${topicId}: the CloudWatch statement has no ArnLike aws:SourceArn condition on alarm ARNs, got ${source}`);
        }
        const keyId = refOf(resources[topicId].Properties?.KmsMasterKeyId);
        if (keyId !== undefined && resources[keyId]?.Type === 'AWS::KMS::Key') {
          const keyStatements = [resources[keyId].Properties?.KeyPolicy?.Statement ?? []].flat();
          for (const kmsAction of ['kms:Decrypt', 'kms:GenerateDataKey*']) {
            if (!keyStatements.some((st: any) => st.Effect === 'Allow' && admitsService(st, 'cloudwatch.amazonaws.com') && allowsAction(st, kmsAction))) {
              problems.push(`${alarmId}.${key} -> ${topicId}: its key ${keyId} does not allow cloudwatch.amazonaws.com ${kmsAction}`);
            }
          }
        }
      }
    }
  }
  return { checked, problems };
}

/** The template without the topic-policy statements that admit CloudWatch: the apps' alarm topic before issue 22 (F2). */
export function withoutCloudWatchPublish(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  for (const r of Object.values<any>(copy.Resources)) {
    if (r.Type !== 'AWS::SNS::TopicPolicy') continue;
    r.Properties.PolicyDocument.Statement = [r.Properties.PolicyDocument.Statement].flat().filter((st: any) => !admitsService(st, 'cloudwatch.amazonaws.com'));
  }
  return copy;
}

/** The number of alarm actions (`AlarmActions` + `OKActions`) of `alarms` in `json` that name a topic. */
const topicActionCount = (json: any, ids: string[]) => ids
  .flatMap((id) => [...(json.Resources[id].Properties.AlarmActions ?? []), ...(json.Resources[id].Properties.OKActions ?? [])])
  .filter((a: any) => json.Resources[refOf(a) ?? '']?.Type === 'AWS::SNS::Topic').length;

/**
 * Safe deployments of an app behind an ALB (its own, or CloudFront's internal one): canary by
 * default, rollback on the ingress's alarms, `-c deployment=` for the other strategies.
 */
export function describeAlbDeployments<S extends AppStackUnderTest>(subject: AppUnderTest<S>): void {
  describe('safe deployments: canary by default, -c deployment=rolling|canary|linear|blueGreen', () => {
    const { stack, template, json } = synthWith(subject, {}, 'Deploy');

    test(`default: CANARY 5 % for 3 min, bake 3 min, rollback on ${subject.ingressName}'s three rollback alarms (both target groups, the load balancer's own 5xx), circuit breaker kept`, () => {
      const svc = serviceOf(template);
      expect(svc.DeploymentConfiguration).toEqual(expect.objectContaining({
        Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 3 }, BakeTimeInMinutes: 3,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }));
      const { Alarms } = svc.DeploymentConfiguration;
      expect(Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
      // Every name ECS watches is an alarm of this template: the ingress's rollback alarms.
      const names = Alarms.AlarmNames.map((n: any) => n.Ref).sort();
      expect(names).toEqual(logicalIds(stack, subject.rollbackAlarms(stack)));
      expect(names).toHaveLength(3);
      for (const id of names) expect(json.Resources[id].Type).toBe('AWS::CloudWatch::Alarm');
      // ECS shifts traffic between two target groups on the production listener rule, with a
      // role; the rule is the custom resource that keeps the weights ECS sets (alb-ingress "Day 2").
      const lb = svc.LoadBalancers[0];
      expect(lb.TargetGroupArn.Ref).not.toEqual(lb.AdvancedConfiguration.AlternateTargetGroupArn.Ref);
      expect(json.Resources[lb.AdvancedConfiguration.ProductionListenerRule.Ref].Type).toBe('Custom::PortcullisProductionListenerRule');
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
      expect(lb.AdvancedConfiguration.RoleArn['Fn::GetAtt'][1]).toBe('Arn');
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    });

    test('the rollback alarms: target 5xx (per group) and the load balancer\'s own 5xx above 1 % of requests in 2 of 3 one-minute periods', () => {
      const alarms = serviceOf(template).DeploymentConfiguration.Alarms.AlarmNames.map((n: any) => json.Resources[n.Ref].Properties);
      for (const alarm of alarms) {
        expect(alarm).toEqual(expect.objectContaining({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 2 }));
      }
      const metrics = alarms.map((a: any) => JSON.stringify(a.Metrics));
      expect(metrics.filter((m: string) => m.includes('HTTPCode_Target_5XX_Count'))).toHaveLength(2);
      expect(metrics.filter((m: string) => m.includes('HTTPCode_ELB_5XX_Count'))).toHaveLength(1);
    });

    test('rolling: Strategy ROLLING that keeps the traffic-shift resources (the production rule may carry the live traffic), rollback on the same alarms', () => {
      const t = synthWith(subject, { deployment: 'rolling' }).template;
      const svc = serviceOf(t);
      expect(svc.DeploymentConfiguration.Strategy).toBe('ROLLING');
      expect(svc.DeploymentConfiguration.CanaryConfiguration).toBeUndefined();
      expect(svc.DeploymentConfiguration.Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
      expect(svc.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(3);
      // the same load-balancer configuration as the canary default: switching writes none of it
      expect(svc.LoadBalancers).toEqual(serviceOf(template).LoadBalancers);
      for (const type of ['Custom::PortcullisProductionListenerRule', 'AWS::ElasticLoadBalancingV2::TargetGroup']) {
        expect(t.findResources(type)).toEqual(template.findResources(type));
      }
    });

    test.each([
      ['linear', 'LINEAR', { LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 2 } }],
      ['blueGreen', 'BLUE_GREEN', {}],
    ])('%s: strategy %s with rollback alarms', (deployment, strategy, extra) => {
      const svc = serviceOf(synthWith(subject, { deployment }).template);
      expect(svc.DeploymentConfiguration).toEqual(expect.objectContaining({ Strategy: strategy, BakeTimeInMinutes: 3, ...extra }));
      expect(svc.DeploymentConfiguration.Alarms).toEqual(expect.objectContaining({ Enable: true, Rollback: true }));
    });

    test('a bad value names `deployment` and the choices', () => {
      expect(() => readReferenceContext(new App({ context: { deployment: 'bigBang' } })))
        .toThrow(/Context `deployment` must be one of rolling, canary, linear, blueGreen, got 'bigBang'/);
    });
  });
}

/** `ApiMonitoring` in an app: its alarms next to the ingress's rollback alarms, the dashboard, the topic, `-c alarmEmail`. */
export function describeMonitoring<S extends AppStackUnderTest>(subject: AppUnderTest<S>): void {
  describe('monitoring: ApiMonitoring, its topic and -c alarmEmail', () => {
    const { stack, template, json } = synthWith(subject, {}, 'Monitored');

    test(`ApiMonitoring's alarms (${subject.monitoringAlarms.what}), ${subject.ingressName}'s rollback alarms, and one dashboard (an output)`, () => {
      expect(stack.monitoring.alarms).toHaveLength(subject.monitoringAlarms.count);
      template.resourceCountIs('AWS::CloudWatch::Alarm', stack.monitoring.alarms.length + subject.rollbackAlarms(stack).length);
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(json.Outputs.Dashboard.Value).toEqual({ Ref: expect.stringMatching(/^MonitoringDashboard/) });
    });

    test('every ApiMonitoring alarm notifies the KMS-encrypted topic; no subscription without alarmEmail', () => {
      const topic = Object.keys(template.findResources('AWS::SNS::Topic'));
      expect(topic).toHaveLength(1);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      const monitoringAlarms = logicalIds(stack, [...stack.monitoring.alarms]);
      expect(monitoringAlarms).toHaveLength(subject.monitoringAlarms.count);
      for (const id of monitoringAlarms) {
        expect(json.Resources[id].Properties.AlarmActions).toEqual([{ Ref: topic[0] }]);
        expect(json.Resources[id].Properties.OKActions).toEqual([{ Ref: topic[0] }]);
      }
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    test('every alarm action that is a topic can be delivered: the topic policy admits cloudwatch.amazonaws.com (sns:Publish, source account and alarm ARN), the key lets it encrypt', () => {
      const { checked, problems } = alarmNotificationProblems(json);
      expect(problems).toEqual([]);
      // every ApiMonitoring alarm's AlarmActions and OKActions were checked (nothing passed by matching nothing)
      expect(checked).toBeGreaterThanOrEqual(topicActionCount(json, logicalIds(stack, [...stack.monitoring.alarms])));
      expect(checked).toBeGreaterThanOrEqual(2 * subject.monitoringAlarms.count);
      // the statement, exactly: this account's alarms in this Region (confused deputy)
      const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topic },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
            },
          }]),
        },
      });
      // the TLS-only Deny stays next to it
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('the delivery check fails without the CloudWatch statement (the alarm topic before issue 22, F2), naming each alarm', () => {
      const { checked, problems } = alarmNotificationProblems(withoutCloudWatchPublish(json));
      expect(problems).toHaveLength(checked);
      for (const id of logicalIds(stack, [...stack.monitoring.alarms])) {
        expect(problems.join('\n')).toContain(`${id}.AlarmActions -> `);
      }
    });

    test('the alarm topic\'s key goes with the stack: DeletionPolicy Delete, deletion scheduled after 7 days (F9)', () => {
      const keys = template.findResources('AWS::KMS::Key');
      expect(Object.keys(keys)).toHaveLength(1);
      for (const key of Object.values<any>(keys)) {
        expect(key).toEqual(expect.objectContaining({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }));
        expect(key.Properties).toEqual(expect.objectContaining({ PendingWindowInDays: ALARM_TOPIC_KEY_PENDING_WINDOW_DAYS, EnableKeyRotation: true }));
      }
      expect(ALARM_TOPIC_KEY_PENDING_WINDOW_DAYS).toBe(7); // the minimum KMS allows
    });

    test('alarmEmail subscribes the address; a bad address names `alarmEmail`', () => {
      synthWith(subject, { alarmEmail: 'oncall@example.com' }).template
        .hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
      for (const bad of ['oncall at example.com', 'oncall@example', 'a@example.com,b@example.com']) {
        expect(() => readReferenceContext(new App({ context: { alarmEmail: bad } })))
          .toThrow(new RegExp(`Context \`alarmEmail\` must be one email address, got '${bad.replace(/[.]/g, '\\.')}'`));
      }
    });
  });
}

/**
 * The lean preset's cost floor (issue 15's targets) and what the preset adds on top of its three
 * options: no dashboard (every alarm stays), `-c dashboard=true|false` to choose.
 * `estimate` is `@portcullis/audit`'s `CostEstimator.estimateTemplate` (the apps depend on the audit; this kit does not).
 */
export function describeLeanPreset<S extends AppStackUnderTest>(subject: AppUnderTest<S>, lean: {
  /** The ceiling for the lean preset (issue 23: every line priced). */
  readonly targetUsd: number;
  /** The lean preset's idle estimate, to the cent (the README's lean row). */
  readonly leanUsd: number;
  /** The default stack's idle estimate, to the cent (the README's default row). */
  readonly defaultUsd: number;
  readonly estimate: (template: unknown) => { readonly totalMonthlyUsd: number; readonly notPriced: readonly string[]; readonly lines: ReadonlyArray<{ readonly item: string }> };
}): void {
  describe(`lean preset: idle cost within $${lean.targetUsd}/month, no dashboard, no Container Insights, every alarm`, () => {
    const defaults = synthWith(subject, {}, 'Default');
    const leanStack = synthWith(subject, LEAN_PRESET_CONTEXT, 'Lean');
    const insightsLines = (e: ReturnType<typeof lean.estimate>) => e.lines.map((l) => l.item).filter((i) => i.startsWith('Container Insights'));

    test(`the audit's idle estimate of the lean template is $${lean.leanUsd.toFixed(2)} (at most $${lean.targetUsd}/month), every line priced`, () => {
      const estimate = lean.estimate(leanStack.json);
      expect(estimate.notPriced).toEqual([]);
      expect(estimate.totalMonthlyUsd).toBe(lean.leanUsd);
      expect(estimate.totalMonthlyUsd).toBeLessThanOrEqual(lean.targetUsd);
    });

    test(`the default template: $${lean.defaultUsd.toFixed(2)}, every line priced, Container Insights (standard) among the lines`, () => {
      const estimate = lean.estimate(defaults.json);
      expect(estimate.notPriced).toEqual([]);
      expect(estimate.totalMonthlyUsd).toBe(lean.defaultUsd);
      expect(insightsLines(estimate)).toEqual([expect.stringMatching(/^Container Insights metrics \(standard, /), expect.stringMatching(/^Container Insights performance log ingestion/)]);
    });

    test('Container Insights: on (standard) by default, off in the lean preset (said at synth), -c containerInsights=enabled|enhanced keeps it, and the estimate follows', () => {
      const setting = (json: any) => Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::ECS::Cluster').Properties.ClusterSettings;
      expect(setting(defaults.json)).toEqual([{ Name: 'containerInsights', Value: 'enabled' }]);
      expect(setting(leanStack.json)).toEqual([{ Name: 'containerInsights', Value: 'disabled' }]);
      expect(insightsLines(lean.estimate(leanStack.json))).toEqual([]);
      const infos = leanStack.stack.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data));
      expect(infos.join('\n')).toMatch(/Lean preset .*Container Insights off.*-c containerInsights=enabled/);
      const kept = synthWith(subject, { ...LEAN_PRESET_CONTEXT, containerInsights: 'enabled' }, 'Lean');
      expect(setting(kept.json)).toEqual([{ Name: 'containerInsights', Value: 'enabled' }]);
      expect(insightsLines(lean.estimate(kept.json))).toHaveLength(2);
      expect(setting(synthWith(subject, { containerInsights: 'enhanced' }).json)).toEqual([{ Name: 'containerInsights', Value: 'enhanced' }]);
      // with it on, ApiMonitoring's RunningTasks alarm counts the tasks; off, ECS's events go to the alarm topic instead
      expect(defaults.stack.monitoring.alarms.map((a) => a.node.id)).toContain('RunningTasks');
      expect(leanStack.stack.monitoring.alarms.map((a) => a.node.id)).not.toContain('RunningTasks');
      expect(kept.stack.monitoring.eventRules).toEqual([]);
      expect(() => readReferenceContext(new App({ context: { containerInsights: 'on' } })))
        .toThrow(/Context `containerInsights` must be one of enabled, enhanced, disabled, got 'on': e\.g\. -c containerInsights=disabled/);
    });

    test('no dashboard (nor its output); ApiMonitoring keeps every alarm, each notifying the topic', () => {
      leanStack.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      expect(Object.keys(leanStack.json.Outputs)).not.toContain('Dashboard');
      expect(leanStack.stack.monitoring.alarms.length).toBeGreaterThan(0);
      const topic = Object.keys(leanStack.template.findResources('AWS::SNS::Topic'));
      for (const id of logicalIds(leanStack.stack, [...leanStack.stack.monitoring.alarms])) {
        expect(leanStack.json.Resources[id].Properties.AlarmActions).toEqual([{ Ref: topic[0] }]);
      }
      // the same alarms as -c dashboard=true: leaving out the dashboard removes nothing else
      const withDashboard = synthWith(subject, { ...LEAN_PRESET_CONTEXT, dashboard: 'true' }, 'Lean');
      expect(leanStack.stack.monitoring.alarms.map((a) => a.node.path)).toEqual(withDashboard.stack.monitoring.alarms.map((a) => a.node.path));
      withDashboard.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(withDashboard.json.Outputs.Dashboard.Value).toEqual({ Ref: expect.stringMatching(/^MonitoringDashboard/) });
    });

    test('without Container Insights, fewer tasks running than desired and failed deployments reach the alarm topic: EventBridge rules ServiceEvents and TaskStopped (ECS events, free), admitted by the topic and its key', () => {
      expect(leanStack.stack.monitoring.eventRules.map((r) => r.node.id)).toEqual(['ServiceEvents', 'TaskStopped']);
      const topic = Object.keys(leanStack.template.findResources('AWS::SNS::Topic'))[0];
      const rules = Object.entries<any>(leanStack.template.findResources('AWS::Events::Rule'));
      expect(rules).toHaveLength(2);
      const serviceEvents = rules.find(([id]) => id.startsWith('MonitoringServiceEvents'))![1].Properties;
      expect(serviceEvents.EventPattern.detail.eventName).toEqual(['SERVICE_TASK_START_IMPAIRED', 'SERVICE_TASK_PLACEMENT_FAILURE', 'SERVICE_TASK_CONFIGURATION_FAILURE', 'SERVICE_DEPLOYMENT_FAILED']);
      const statements = Object.values<any>(leanStack.template.findResources('AWS::SNS::TopicPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
      for (const [id, rule] of rules) {
        expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topic } })]);
        expect(statements).toContainEqual(expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [id, 'Arn'] } } } }));
      }
      const keyStatements = Object.values<any>(leanStack.template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
      expect(keyStatements).toContainEqual(expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
      defaults.template.resourceCountIs('AWS::Events::Rule', 0);
    });

    test('every alarm action that is a topic can be delivered: the topic policy admits cloudwatch.amazonaws.com, the key lets it encrypt (F2)', () => {
      const { checked, problems } = alarmNotificationProblems(leanStack.json);
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(topicActionCount(leanStack.json, logicalIds(leanStack.stack, [...leanStack.stack.monitoring.alarms])));
      expect(checked).toBeGreaterThan(0);
    });

    test('the preset says so at synth (an info message naming -c dashboard=true)', () => {
      const infos = leanStack.stack.node.metadata.filter((m) => m.type === 'aws:cdk:info').map((m) => String(m.data));
      expect(infos.join('\n')).toMatch(/Lean preset .*no CloudWatch dashboard.*-c dashboard=true/);
      expect(defaults.stack.node.metadata.filter((m) => m.type === 'aws:cdk:info')).toEqual([]);
    });

    test('-c dashboard=false leaves the dashboard out of any stack; the three lean options alone make the preset', () => {
      synthWith(subject, { dashboard: 'false' }).template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      defaults.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(isLeanPreset(readReferenceContext(new App({ context: { capacity: 'spot', architecture: 'arm64', ipv6: 'true' } })))).toBe(true);
      for (const partial of [{ capacity: 'spot', architecture: 'arm64' }, { capacity: 'spot', ipv6: 'true' }, { architecture: 'arm64', ipv6: 'true' }]) {
        expect(isLeanPreset(readReferenceContext(new App({ context: partial })))).toBe(false);
      }
      expect(() => readReferenceContext(new App({ context: { dashboard: 'no' } }))).toThrow(/Context `dashboard` must be one of true, false, got 'no': e\.g\. -c dashboard=true/);
    });
  });
}

/**
 * The HTTPS rows of the ALB apps' context tables with the values of the review's commands
 * (`cdk synth -c certificateArn=...`, `-c domainName=... -c hostedZoneId=...`; F3).
 */
export const HTTPS_CONTEXTS: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> = [
  ['certificateArn', { certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000' }],
  ['domainName + hostedZoneId', { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
];

/**
 * Why a template's port-80 listener is not redirect-only ([] = it is): its default action must
 * be a permanent redirect to HTTPS 443 and no listener rule may forward from it. This is what the
 * acknowledgement of NIST.800.53.R5-ELBv2ACMCertificateRequired on it says.
 */
export function redirectOnlyProblems(template: any): string[] {
  const resources: Record<string, any> = template.Resources ?? {};
  const http = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener' && r.Properties?.Port === 80);
  if (http.length !== 1) return [`expected one port-80 listener, found ${http.length}`];
  const [id, listener] = http[0];
  const problems: string[] = [];
  const actions = listener.Properties.DefaultActions ?? [];
  if (actions.length !== 1 || actions[0].Type !== 'redirect' || actions[0].RedirectConfig?.Protocol !== 'HTTPS'
    || actions[0].RedirectConfig?.Port !== '443' || actions[0].RedirectConfig?.StatusCode !== 'HTTP_301') {
    problems.push(`${id}: the default action is not one permanent redirect to HTTPS 443: ${JSON.stringify(actions)}`);
  }
  for (const [ruleId, rule] of Object.entries(resources)) {
    if (rule.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule' && refOf(rule.Properties?.ListenerArn) === id) problems.push(`${ruleId}: a listener rule on the port-80 listener`);
    // a custom resource that manages a rule names the listener in its properties
    if (/^(Custom::|AWS::CloudFormation::CustomResource$)/.test(rule.Type) && JSON.stringify(rule.Properties ?? {}).includes(`{"Ref":"${id}"}`)) {
      problems.push(`${ruleId}: a custom resource (${rule.Type}) on the port-80 listener`);
    }
  }
  return problems;
}

/**
 * The "What a change replaces" row every app publishes for updating a stack deployed before
 * issue 22's alarm fixes: the topic policy admits CloudWatch (F2), the key goes with the stack (F9).
 */
export const ALARM_FIXES_UPGRADE = 'upgrade from a release before the alarm fixes (the alarm topic\'s policy admits CloudWatch; its key is deleted with the stack)';

/** One row of an app's "What a change replaces" table. */
export interface UpdateSafetyCase {
  readonly change: string;
  readonly context: Record<string, string>;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
  /** The change breaks clients (the report does not pass, `portcullis-audit diff` exits 1). */
  readonly breaks?: boolean;
}

/** What the suite reads of an `UpdateSafety` report (`@portcullis/audit`). */
export interface UpdateSafetyReportLike {
  readonly findings: ReadonlyArray<{ readonly resourceType: string; readonly change: string }>;
  readonly passed: boolean;
}

/** An app's "What a change replaces" table, as {@link describeReplacementTable} checks it. */
export interface ReplacementTable<C extends UpdateSafetyCase> {
  readonly build: (app: App) => Stack;
  readonly cases: C[];
  /** The app's README.md, which publishes the table. */
  readonly readme: string;
  /** What updating the deployed stack (assembly `baseline`) to the case's assembly replaces. */
  readonly compare: (c: C, baseline: string, after: string) => UpdateSafetyReportLike;
  /** Resource types no row may replace or remove, and how the test names them (none: not checked). */
  readonly kept?: { readonly what: string; readonly types: string[] };
}

/** What {@link describeReplacementTable} synthesized, for the tests an app adds to its table. */
export interface ReplacementTableRun<C extends UpdateSafetyCase> {
  /** The cloud assembly of the app with the default context. */
  readonly baseline: string;
  /** The cloud assembly of the app with this context, synthesized once. */
  readonly assembly: (context?: Record<string, string>) => string;
  /** What updating the baseline to the case's assembly replaces. */
  readonly report: (c: C) => UpdateSafetyReportLike;
  /** A report's findings as sorted `<type> <change>` rows. */
  readonly rows: (r: UpdateSafetyReportLike) => string[];
}

/**
 * An app's "What a change replaces" table: each row synthesizes the app with the default
 * context and with one context change, asks UpdateSafety what updating the deployed stack would
 * replace or remove, and the README must publish the table; with `kept`, no row may replace or
 * remove those resource types.
 */
export function describeReplacementTable<C extends UpdateSafetyCase>(table: ReplacementTable<C>): ReplacementTableRun<C> {
  const assemblies = new Map<string, string>();
  const assembly = (context: Record<string, string> = {}): string => {
    const key = JSON.stringify(context);
    if (!assemblies.has(key)) assemblies.set(key, synthesizeApp(table.build, context));
    return assemblies.get(key)!;
  };
  const baseline = assembly();
  afterAll(() => assemblies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const report = (c: C) => table.compare(c, baseline, assembly(c.context));
  const rows = (r: UpdateSafetyReportLike) => r.findings.map((f) => `${f.resourceType} ${f.change}`).sort();

  test.each(table.cases.map((c) => [c.change, c] as const))('%s', (_, c) => {
    const r = report(c);
    expect(rows(r)).toEqual([...c.replaces].sort());
    expect(r.passed).toBe(!c.breaks);
  });

  const kept = table.kept;
  if (kept) {
    test(`no change of the table replaces ${kept.what}`, () => {
      for (const c of table.cases) {
        expect([c.change, rows(report(c)).filter((r) => kept.types.some((k) => r.startsWith(`${k} `)))]).toEqual([c.change, []]);
      }
    });
  }

  test('the README publishes this table', () => {
    const readme = fs.readFileSync(table.readme, 'utf8');
    for (const c of table.cases) {
      expect(readme).toContain(replacementTableRow(c.change, c.replaces));
    }
  });
  return { baseline, assembly, report, rows };
}

/** An app's update-safety table, as {@link describeUpdateSafety} checks it. */
export interface UpdateSafetySuite<C extends UpdateSafetyCase> extends ReplacementTable<C> {
  /** The stack's name (its template is `<stackName>.template.json`). */
  readonly stackName: string;
  /** Resource types no row may replace or remove, and how the test names them. */
  readonly kept: { readonly what: string; readonly types: string[] };
}

/**
 * "What a change replaces" for an app with its own network (the seed apps): the table of
 * {@link describeReplacementTable}, and: only `egress` and `availabilityZones` rows touch an
 * Elastic IP or NAT gateway, `portcullis-audit diff`'s exit codes on two synths, and the upgrade
 * from a release before the alarm fixes.
 */
export function describeUpdateSafety<C extends UpdateSafetyCase>(suite: UpdateSafetySuite<C>): void {
  const { baseline, assembly, report, rows } = describeReplacementTable({ ...suite, kept: undefined });

  test(`no change of the table replaces ${suite.kept.what}, and only egress and availabilityZones touch an Elastic IP or NAT gateway`, () => {
    for (const c of suite.cases) {
      const found = rows(report(c));
      expect([c.change, found.filter((r) => suite.kept.types.some((k) => r.startsWith(`${k} `)))]).toEqual([c.change, []]);
      if (!/egress|availabilityZones/.test(c.change)) {
        expect([c.change, found.filter((r) => /AWS::EC2::(EIP|NatGateway) /.test(r))]).toEqual([c.change, []]);
      }
    }
  });

  describe('portcullis-audit diff on two synths of this app', () => {
    const diff = (context: Record<string, string>) => auditDiff(baseline, assembly(context));

    test('only desiredCount differs: exit 0, nothing replaced', () => {
      const { status, output } = diff({ desiredCount: '3' });
      expect(status).toBe(0);
      expect(output).not.toMatch(/REPLACE|REMOVE/);
    });

    test('natGatewayPerAz → singleNatGateway: exit 1, naming the removed Elastic IP', () => {
      const template = JSON.parse(fs.readFileSync(path.join(baseline, `${suite.stackName}.template.json`), 'utf8'));
      const eips = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::EC2::EIP').sort();
      expect(eips).toHaveLength(2);
      const { status, output } = diff({ egress: 'singleNatGateway' });
      expect(status).toBe(1);
      expect(output).toContain(eips[1]); // the second AZ's Elastic IP goes
      expect(output).not.toContain(eips[0]); // the first one stays
    });
  });

  test(`${ALARM_FIXES_UPGRADE}: nothing replaced, the README row says so`, () => {
    // The stack as the release before issue 22 deployed it: the key retained on delete, no
    // pending window, a topic policy with only the TLS Deny. The upgrade writes the key's
    // DeletionPolicy (template metadata, the key itself is not updated), its PendingWindowInDays
    // (no interruption) and the topic policy's new statement (in place).
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-before-alarm-fixes-'));
    fs.cpSync(baseline, before, { recursive: true });
    const file = path.join(before, `${suite.stackName}.template.json`);
    const template = withoutCloudWatchPublish(JSON.parse(fs.readFileSync(file, 'utf8')));
    const keys = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    for (const key of keys) {
      key.DeletionPolicy = 'Retain';
      key.UpdateReplacePolicy = 'Retain';
      delete key.Properties.PendingWindowInDays;
    }
    fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
    expect(alarmNotificationProblems(template).problems).not.toEqual([]); // the old stack could not notify
    const upgrade = { change: ALARM_FIXES_UPGRADE, context: {}, replaces: [] } as unknown as C;
    const r = suite.compare(upgrade, before, baseline);
    expect(rows(r)).toEqual([]);
    expect(r.passed).toBe(true);
    expect(fs.readFileSync(suite.readme, 'utf8')).toContain(replacementTableRow(ALARM_FIXES_UPGRADE, []));
  });

}
