import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Egress, Network } from '@portcullis/network';
import { alarmState, alarmValues, Datapoints, evaluateExpression, MetricRef, Series } from './support/metric-math';

/**
 * Issue 22, "Done when": an outage of load-balancer-generated 503s puts ApiMonitoring alarms
 * into ALARM. Each scenario gives every metric the alarms read a synthetic series of one-minute
 * datapoints, as the Application Load Balancer publishes them
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html):
 * - `HTTPCode_ELB_5XX_Count` counts the 5xx the load balancer generates; it is published only
 *   when non-zero;
 * - `RequestCount` "is only incremented for requests where the load balancer node was able to
 *   choose a target": a request answered 503 for want of a target is not in it;
 * - `HealthyHostCount` and `UnHealthyHostCount` are "reported if there are registered targets":
 *   a target group without targets has no datapoint at all; so are the target-group metrics.
 * The synthesized alarms are then evaluated (./support/metric-math.ts) and their state asserted.
 * (Moved from packages/monitoring, whose tests use a double of the ingress contract: the
 * alarms evaluated here are what a real AlbIngress gives ApiMonitoring.)
 */

const ECR_IMAGE = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');
const MINUTES = 5;
const every = (v: number | undefined): Series => Array(MINUTES).fill(v);

function synth(deployment?: Deployment) {
  const stack = new Stack(new App(), 'Outage', { env: { account: '123456789012', region: 'us-east-1' } });
  const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, image: ECR_IMAGE, deployment });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service });
  const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress });
  const template = Template.fromStack(stack).toJSON();
  const alarms = Object.fromEntries(monitoring.alarms.map((a) => [a.node.id, template.Resources[stack.getLogicalId(a.node.defaultChild as any)].Properties]));
  const groups = [ingress.targetGroupFor(service), ingress.alternateTargetGroupFor(service)].filter((g): g is elbv2.ApplicationTargetGroup => g !== undefined);
  const groupOf = (m: MetricRef) => groups.findIndex((g) => JSON.stringify(m.dimensions.TargetGroup) === JSON.stringify(stack.resolve(g.targetGroupFullName)));
  return { alarms, groups, groupOf };
}

/** What the load balancer publishes, per metric name; per target group (by index) for the target-group metrics. */
interface Scenario {
  readonly elb5xx: Series;
  readonly lbRequests: Series;
  readonly perGroup: ReadonlyArray<{ readonly requests: Series; readonly target5xx: Series; readonly healthy: Series; readonly unhealthy: Series; readonly p99: Series }>;
}

function datapoints(s: Scenario, groupOf: (m: MetricRef) => number): Datapoints {
  return (m) => {
    if (m.namespace !== 'AWS/ApplicationELB') return every(undefined); // the service's CPU and memory: not part of the outage
    if (m.dimensions.TargetGroup === undefined) {
      if (m.metricName === 'HTTPCode_ELB_5XX_Count') return s.elb5xx;
      if (m.metricName === 'RequestCount') return s.lbRequests;
      throw new Error(`no series for the load balancer's ${m.metricName}`);
    }
    const g = s.perGroup[groupOf(m)];
    const byName: Record<string, Series> = {
      RequestCount: g.requests, HTTPCode_Target_5XX_Count: g.target5xx, HealthyHostCount: g.healthy, UnHealthyHostCount: g.unhealthy, TargetResponseTime: g.p99,
    };
    if (!byName[m.metricName]) throw new Error(`no series for the target group's ${m.metricName}`);
    return byName[m.metricName];
  };
}

/** A target group without registered targets: it publishes nothing. */
const EMPTY_GROUP = { requests: every(undefined), target5xx: every(undefined), healthy: every(undefined), unhealthy: every(undefined), p99: every(undefined) };
/** A target group with two healthy tasks and no traffic (the load balancer sends it none). */
const IDLE_HEALTHY_GROUP = { requests: every(undefined), target5xx: every(undefined), healthy: every(2), unhealthy: every(0), p99: every(undefined) };

const states = (alarms: Record<string, any>, data: Datapoints, ids: string[]) => Object.fromEntries(ids.map((id) => [id, alarmState(alarms[id], data)]));

describe('canary service after ECS swapped the groups, production traffic forwarded back to the group without tasks (F1): 100 requests a minute, all answered 503 by the load balancer', () => {
  const { alarms, groupOf, groups } = synth(Deployment.canary());
  test('the service has two target groups', () => expect(groups).toHaveLength(2));
  // The live tasks are in the alternate group (healthy); the production group has none.
  for (const lbRequests of [every(undefined), every(0)]) {
    const label = lbRequests[0] === undefined ? 'RequestCount not published' : 'RequestCount published as 0';
    const data = datapoints({ elb5xx: every(100), lbRequests, perGroup: [EMPTY_GROUP, IDLE_HEALTHY_GROUP] }, groupOf);

    test(`${label}: LoadBalancer5xxRate is 100 % every minute and goes into ALARM (threshold 5 %, 3 of 5 minutes)`, () => {
      expect(alarmValues(alarms.LoadBalancer5xxRate, data)).toEqual(every(100));
      expect(alarms.LoadBalancer5xxRate).toMatchObject({ Threshold: 5, DatapointsToAlarm: 3, EvaluationPeriods: 5 });
      expect(alarmState(alarms.LoadBalancer5xxRate, data)).toBe('ALARM');
    });

    test(`${label}: the target-group alarms stay quiet (why the load balancer's own alarm is needed); NoHealthyTargets too, the tasks are healthy in the other group`, () => {
      expect(states(alarms, data, ['Target5xxRate', 'UnhealthyTargets', 'TargetResponseTimeP99', 'NoHealthyTargets'])).toEqual({
        Target5xxRate: 'OK', UnhealthyTargets: 'OK', TargetResponseTimeP99: 'OK', NoHealthyTargets: 'OK',
      });
    });

    test(`${label}: dividing by RequestCount alone, as F6 first suggested, gives no datapoint (or a division by zero) and would stay OK`, () => {
      const expression = alarms.LoadBalancer5xxRate.Metrics.find((m: any) => m.Expression).Expression;
      const naive = { ...alarms.LoadBalancer5xxRate, Metrics: alarms.LoadBalancer5xxRate.Metrics.map((m: any) => (m.Expression ? { ...m, Expression: '100 * FILL(elb5xx, 0) / requests' } : m)) };
      expect(expression).not.toBe('100 * FILL(elb5xx, 0) / requests');
      expect(alarmValues(naive, data)).toEqual(every(undefined));
      expect(alarmState(naive, data)).toBe('OK');
    });
  }
});

describe('rolling service whose tasks are all gone (crash loop, scaled in, never started): 100 requests a minute, all answered 503', () => {
  const { alarms, groupOf } = synth();
  const data = datapoints({ elb5xx: every(100), lbRequests: every(undefined), perGroup: [EMPTY_GROUP] }, groupOf);

  test('LoadBalancer5xxRate and NoHealthyTargets (no datapoint: missing data breaching) go into ALARM', () => {
    expect(alarmValues(alarms.NoHealthyTargets, data)).toEqual(every(undefined));
    expect(alarms.NoHealthyTargets).toMatchObject({ TreatMissingData: 'breaching', ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
    expect(states(alarms, data, ['LoadBalancer5xxRate', 'NoHealthyTargets'])).toEqual({ LoadBalancer5xxRate: 'ALARM', NoHealthyTargets: 'ALARM' });
  });

  test('the target-group alarms stay quiet: no request reached a target, no target is unhealthy', () => {
    expect(states(alarms, data, ['Target5xxRate', 'UnhealthyTargets', 'TargetResponseTimeP99'])).toEqual({ Target5xxRate: 'OK', UnhealthyTargets: 'OK', TargetResponseTimeP99: 'OK' });
  });

  test('registered but with HealthyHostCount 0 (all tasks failing health checks, ALB still reports): NoHealthyTargets goes into ALARM', () => {
    const failing = datapoints({ elb5xx: every(100), lbRequests: every(undefined), perGroup: [{ ...EMPTY_GROUP, healthy: every(0), unhealthy: every(2) }] }, groupOf);
    expect(alarmState(alarms.NoHealthyTargets, failing)).toBe('ALARM');
  });
});

describe('the thresholds are not crossed by normal operation', () => {
  const canary = synth(Deployment.canary());
  const ids = ['LoadBalancer5xxRate', 'NoHealthyTargets', 'Target5xxRate', 'UnhealthyTargets', 'TargetResponseTimeP99'];

  test('1,000 requests a minute served by healthy tasks, 2 load-balancer 502s a minute (0.2 %): every alarm OK', () => {
    const serving = { requests: every(1000), target5xx: every(undefined), healthy: every(2), unhealthy: every(0), p99: every(0.2) };
    const data = datapoints({ elb5xx: every(2), lbRequests: every(1000), perGroup: [serving, EMPTY_GROUP] }, canary.groupOf);
    expect(alarmValues(canary.alarms.LoadBalancer5xxRate, data).map((v) => Math.round(v! * 1000) / 1000)).toEqual(every(0.2));
    expect(states(canary.alarms, data, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'OK'])));
  });

  test('no traffic at all, tasks healthy: every alarm OK (no division by zero decides anything)', () => {
    const data = datapoints({ elb5xx: every(undefined), lbRequests: every(undefined), perGroup: [IDLE_HEALTHY_GROUP, EMPTY_GROUP] }, canary.groupOf);
    expect(states(canary.alarms, data, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'OK'])));
  });

  test('an outage of 2 minutes out of 5 stays OK: 3 datapoints are needed (DatapointsToAlarm 3)', () => {
    const data = datapoints({ elb5xx: [undefined, undefined, undefined, 100, 100], lbRequests: [1000, 1000, 1000, undefined, undefined], perGroup: [EMPTY_GROUP, IDLE_HEALTHY_GROUP] }, canary.groupOf);
    expect(alarmValues(canary.alarms.LoadBalancer5xxRate, data)).toEqual([0, 0, 0, 100, 100]);
    expect(alarmState(canary.alarms.LoadBalancer5xxRate, data)).toBe('OK');
    const three = datapoints({ elb5xx: [undefined, undefined, 100, 100, 100], lbRequests: [1000, 1000, undefined, undefined, undefined], perGroup: [EMPTY_GROUP, IDLE_HEALTHY_GROUP] }, canary.groupOf);
    expect(alarmState(canary.alarms.LoadBalancer5xxRate, three)).toBe('ALARM');
  });
});

describe('the evaluator itself', () => {
  const s = (entries: Record<string, Series>) => new Map(Object.entries(entries));
  test('FILL, + - * /, parentheses, MAX; missing and division by zero give no value', () => {
    expect(evaluateExpression('100 * FILL(a, 0) / (FILL(b, 0) + FILL(a, 0))', s({ a: [1, undefined, 3, undefined], b: [3, 4, undefined, undefined] }))).toEqual([25, 0, 100, undefined]);
    expect(evaluateExpression('a - b', s({ a: [5, undefined], b: [2, 1] }))).toEqual([3, undefined]);
    expect(evaluateExpression('MAX([a, b])', s({ a: [1, undefined, undefined], b: [2, 3, undefined] }))).toEqual([2, 3, undefined]);
  });

  test('an unknown function or metric id is an error, not a silent value', () => {
    expect(() => evaluateExpression('SUM(a)', s({ a: [1] }))).toThrow(/unexpected 'SUM'/);
    expect(() => evaluateExpression('a + c', s({ a: [1] }))).toThrow(/unknown metric id 'c'/);
  });
});
