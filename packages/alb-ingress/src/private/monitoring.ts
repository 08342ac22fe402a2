import { Aws, CfnCondition, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ApiService, IngressAlarm, IngressMonitoring, IngressWarning } from '@portcullis/cluster';
import { IConstruct } from 'constructs';

/** One minute: every alarm evaluates one-minute datapoints. */
const PERIOD = Duration.minutes(1);
/** Most of 5 minutes: 3 of 5 one-minute datapoints (a single bad minute does not page). */
const MOSTLY = { evaluationPeriods: 5, datapointsToAlarm: 3 };

/**
 * What `ApiMonitoring` (any monitoring construct taking an `IApiIngress`) watches of an ALB in
 * front of `service`, whose target groups on it are `targetGroups` (every attachment's
 * production group, each followed by its alternate when its deployment shifts traffic: ECS
 * moves the production traffic to the alternate group at each deployment, and back at the
 * next, so watching one group would go quiet after the first deployment):
 * - target 5xx rate, unhealthy targets and p99 target response time of those groups;
 * - the load balancer's own 5xx rate, and no healthy target in those groups;
 * - the 5xx error rate of each CloudFront distribution in front of the load balancer (what a
 *   `CloudFrontIngress` builds in front of its `alb`).
 * `scope` is the monitoring construct: the Region of its stack decides the CloudFront alarm.
 */
export function albMonitoring(scope: IConstruct, loadBalancer: elbv2.IApplicationLoadBalancer, service: ApiService, targetGroups: elbv2.ApplicationTargetGroup[]): IngressMonitoring {
  const distributions = distributionsInFrontOf(loadBalancer);
  const warnings: IngressWarning[] = [];
  const notes: string[] = [];
  const widgets: cloudwatch.IWidget[] = [];
  const alarms: IngressAlarm[] = [...targetGroupAlarms(targetGroups), loadBalancer5xxRate(loadBalancer)];
  if (noTasksOnPurpose(service)) {
    warnings.push({
      id: 'noTasks',
      message: 'The service has `desiredCount: 0` and no autoscaling: there is no no-healthy-targets alarm (it would be in ALARM for good). Give the service tasks to get it.',
    });
  } else {
    alarms.push(noHealthyTargets(targetGroups));
  }
  distributions.forEach((d, i) => {
    const edge = cloudFrontAlarm(scope, distributions.length > 1 ? `CloudFront${i + 1}` : 'CloudFront', d.ref);
    if (edge.alarm) alarms.push(edge.alarm);
    if (edge.widget) widgets.push(edge.widget);
    if (edge.warning) warnings.push(edge.warning);
    if (edge.note) notes.push(edge.note);
  });
  const cloudFront = distributions.length > 0;
  return {
    name: 'an AlbIngress',
    title: `${cloudFront ? 'CloudFront and ' : ''}an Application Load Balancer`,
    alarms,
    thresholdProps: ['target5xxRatePercent', 'p99ResponseTime', 'loadBalancer5xxRatePercent', ...(cloudFront ? ['cloudFront5xxErrorRatePercent'] : [])],
    applicationLoadBalancer: loadBalancer,
    applicationTargetGroup: targetGroups[0],
    widgets,
    warnings,
    notes,
  };
}

/** Target 5xx rate (percent of `RequestCount`), unhealthy targets and p99 target response time, summed or maxed over the groups. */
function targetGroupAlarms(targetGroups: elbv2.ApplicationTargetGroup[]): IngressAlarm[] {
  const each = <M extends cloudwatch.IMetric>(name: string, metric: (tg: elbv2.ApplicationTargetGroup) => M) =>
    Object.fromEntries(targetGroups.map((tg, i) => [`${name}${targetGroups.length > 1 ? i : ''}`, metric(tg)]));
  const errors = each('errors', (tg) => tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: PERIOD, statistic: 'Sum' }));
  const requests = each('requests', (tg) => tg.metrics.requestCount({ period: PERIOD, statistic: 'Sum' }));
  const errorRate = new cloudwatch.MathExpression({
    expression: targetGroups.length === 1
      ? '100 * FILL(errors, 0) / requests'
      : `100 * (${sumFilled(Object.keys(errors))}) / (${sumFilled(Object.keys(requests))})`,
    usingMetrics: { ...errors, ...requests },
    label: 'Target 5xx rate (% of requests)',
    period: PERIOD,
  });
  const unhealthy = each('unhealthy', (tg) => tg.metrics.unhealthyHostCount({ period: PERIOD, statistic: 'Maximum' }));
  const latency = each('p99', (tg) => tg.metrics.targetResponseTime({ period: PERIOD, statistic: 'p99' }));
  return [
    {
      id: 'Target5xxRate', metric: errorRate, threshold: 5, thresholdProp: 'target5xxRatePercent', ...MOSTLY,
      description: 'Targets answer more than {threshold} % of requests with a 5xx in 3 of 5 minutes. Read the service\'s logs.',
    },
    {
      id: 'UnhealthyTargets',
      metric: targetGroups.length === 1 ? unhealthy.unhealthy : new cloudwatch.MathExpression({
        expression: sumFilled(Object.keys(unhealthy)), usingMetrics: unhealthy, label: `Unhealthy targets (${targetGroups.length} target groups)`, period: PERIOD,
      }),
      threshold: 0, ...MOSTLY,
      description: 'Targets fail the load balancer\'s health check in 3 of 5 minutes. Read the service\'s logs and the target group\'s health reasons.',
    },
    {
      id: 'TargetResponseTimeP99',
      metric: targetGroups.length === 1 ? latency.p99 : new cloudwatch.MathExpression({
        expression: `MAX([${Object.keys(latency).join(', ')}])`, usingMetrics: latency, label: 'p99 target response time (the slowest target group)', period: PERIOD,
      }),
      // TargetResponseTime is in seconds
      threshold: 2, thresholdProp: 'p99ResponseTime', ...MOSTLY,
      description: 'p99 target response time above {threshold} in 3 of 5 minutes.',
    },
  ];
}

/**
 * What the target-group alarms cannot see: the load balancer answering by itself. With no
 * target to choose (an empty or all-unhealthy target group, e.g. traffic forwarded to the
 * group without tasks), it answers 503 and counts the request in neither the target group's
 * metrics nor its own `RequestCount`; with targets that crash or time out, 502/504.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
function loadBalancer5xxRate(loadBalancer: elbv2.IApplicationLoadBalancer): IngressAlarm {
  const lb = loadBalancer.metrics;
  // `RequestCount` "is only incremented for requests where the load balancer node was able to
  // choose a target": a request answered 503 for want of a target is in HTTPCode_ELB_5XX_Count
  // only. Dividing by RequestCount alone would divide by zero (or by nothing) in exactly that
  // outage; dividing by RequestCount + HTTPCode_ELB_5XX_Count never does when there are errors
  // (it counts a 502/504 after a target was chosen twice, so the rate is a lower bound: at
  // least half the true rate, 100 % when no request reaches a target).
  const rate = new cloudwatch.MathExpression({
    expression: '100 * FILL(elb5xx, 0) / (FILL(requests, 0) + FILL(elb5xx, 0))',
    usingMetrics: {
      elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: PERIOD, statistic: 'Sum' }),
      requests: lb.requestCount({ period: PERIOD, statistic: 'Sum' }),
    },
    label: 'Load balancer 5xx rate (% of requests)',
    period: PERIOD,
  });
  return {
    id: 'LoadBalancer5xxRate', metric: rate, threshold: 5, thresholdProp: 'loadBalancer5xxRatePercent', ...MOSTLY,
    description: 'The load balancer itself answers more than {threshold} % of requests with a 5xx (502, 503, 504) in 3 of 5 minutes: no healthy target to send them to ' +
      '(an empty target group, tasks crashing or not passing health checks) or targets that reset or time out. It watches the whole load balancer (every service behind it).',
  };
}

/**
 * No healthy target in the service's groups. `HealthyHostCount` is "reported if there are
 * registered targets": a target group without targets has no datapoint at all, hence missing
 * data is breaching here. < 1 rather than < desired: the desired count is ECS's (autoscaling)
 * and the running-tasks alarm already says "fewer than desired"; this one says "nothing can
 * answer".
 */
function noHealthyTargets(targetGroups: elbv2.ApplicationTargetGroup[]): IngressAlarm {
  const healthy = Object.fromEntries(targetGroups.map((tg, i) => [`healthy${targetGroups.length > 1 ? i : ''}`, tg.metrics.healthyHostCount({ period: PERIOD, statistic: 'Maximum' })]));
  return {
    id: 'NoHealthyTargets',
    metric: targetGroups.length === 1 ? healthy.healthy : new cloudwatch.MathExpression({
      expression: sumFilled(Object.keys(healthy)), usingMetrics: healthy, label: `Healthy targets (${targetGroups.length} target groups)`, period: PERIOD,
    }),
    threshold: 1, ...MOSTLY,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    description: `No healthy target in the service's target group${targetGroups.length > 1 ? 's (production and alternate, or every route to it)' : ''} in 3 of 5 minutes: the load balancer answers every request with 503. ` +
      'Look at the service\'s events and stopped tasks. Expect it in ALARM on the first deploy until the first tasks pass their health checks.',
  };
}

/** A service with `desiredCount: 0` and no autoscaling runs no task on purpose: a no-healthy-targets alarm would stay in ALARM. */
function noTasksOnPurpose(service: ApiService): boolean {
  const cfn = service.service.node.defaultChild;
  const desired: unknown = cfn instanceof ecs.CfnService ? Stack.of(service).resolve(cfn.desiredCount) : undefined;
  return desired === 0 && !service.scalableTaskCount;
}

/**
 * CloudFront's 5xx error rate of a distribution in front of the load balancer. CloudFront
 * publishes its metrics in us-east-1 only, with the dimensions DistributionId and Region =
 * Global, and an alarm reads the metrics of its own Region: the alarm exists in a us-east-1
 * stack, under a condition in an environment-agnostic stack, and not at all elsewhere (a
 * warning names the way; a widget still graphs the metric, read from us-east-1).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
 */
function cloudFrontAlarm(scope: IConstruct, id: string, distributionId: string):
{ alarm?: IngressAlarm; widget?: cloudwatch.IWidget; warning?: IngressWarning; note?: string } {
  const metric = new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName: '5xxErrorRate',
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    statistic: 'Average',
    period: PERIOD,
    region: 'us-east-1',
  });
  const alarm: IngressAlarm = {
    id: `${id}5xxErrorRate`, metric, threshold: 5, thresholdProp: 'cloudFront5xxErrorRatePercent', ...MOSTLY,
    description: 'CloudFront answers more than {threshold} % of viewer requests with a 5xx in 3 of 5 minutes: the origin (the internal load balancer) is unreachable (502, 504) or answers 5xx itself.',
  };
  const stack = Stack.of(scope);
  const region = stack.region;
  if (Token.isUnresolved(region)) {
    return {
      alarm: { ...alarm, condition: usEast1Condition(stack), conditionNote: 'the CloudFront alarm, us-east-1 only' },
      note: 'The CloudFront 5xx error-rate alarm is created only when this environment-agnostic stack is deployed in us-east-1 (a condition on AWS::Region): CloudFront publishes its metrics there only. Elsewhere, create a CloudFrontErrorRateAlarm (@portcullis/cloudfront-ingress) in a us-east-1 stack.',
    };
  }
  if (region === 'us-east-1') return { alarm };
  return {
    widget: new cloudwatch.GraphWidget({ title: `${alarm.id} (us-east-1, no alarm here)`, left: [metric], width: 8, height: 6 }),
    warning: {
      id: 'cloudFrontAlarmRegion',
      message: `No CloudFront 5xx error-rate alarm: CloudFront publishes its metrics in us-east-1 only, and an alarm in ${region} cannot read them. ` +
        'Create one in a stack in us-east-1: `new CloudFrontErrorRateAlarm(usEast1Stack, \'Edge\', { distributionId })` of @portcullis/cloudfront-ingress ' +
        '(pass the id with crossRegionReferences: true on both stacks, or as a literal). The dashboard still graphs the metric.',
    },
  };
}

/** The stack's condition "deployed in us-east-1" (one per stack, shared by every alarm that needs it). */
function usEast1Condition(stack: Stack): CfnCondition {
  const id = 'PortcullisDeployedInUsEast1';
  return (stack.node.tryFindChild(id) as CfnCondition | undefined)
    ?? new CfnCondition(stack, id, { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
}

/**
 * The CloudFront distributions of `loadBalancer`'s stack whose origin is a VPC origin of that
 * load balancer (what a `CloudFrontIngress` builds in front of its `alb`), in tree order:
 * each `AWS::CloudFront::Distribution` with an origin whose `VpcOriginConfig.VpcOriginId`
 * is the `Id` of an `AWS::CloudFront::VpcOrigin` whose endpoint is the load balancer's ARN.
 */
function distributionsInFrontOf(loadBalancer: elbv2.IApplicationLoadBalancer): cloudfront.CfnDistribution[] {
  const stack = Stack.of(loadBalancer);
  const key = (v: unknown) => JSON.stringify(stack.resolve(v));
  const lbArn = key(loadBalancer.loadBalancerArn);
  const all = stack.node.findAll();
  const originIds = new Set(all
    .filter((c): c is cloudfront.CfnVpcOrigin => c instanceof cloudfront.CfnVpcOrigin)
    .filter((o) => key((stack.resolve(o.vpcOriginEndpointConfig) as { arn?: unknown } | undefined)?.arn) === lbArn)
    .map((o) => key(o.attrId)));
  if (originIds.size === 0) return [];
  return all
    .filter((c): c is cloudfront.CfnDistribution => c instanceof cloudfront.CfnDistribution)
    .filter((d) => {
      const config = stack.resolve(d.distributionConfig) as { origins?: Array<{ vpcOriginConfig?: { vpcOriginId?: unknown } }> } | undefined;
      return (config?.origins ?? []).some((o) => o.vpcOriginConfig !== undefined && originIds.has(JSON.stringify(o.vpcOriginConfig.vpcOriginId)));
    });
}

/** `FILL(a, 0) + FILL(b, 0) + ...`: a sum where a metric without data counts 0. */
function sumFilled(names: string[]): string {
  return names.map((n) => `FILL(${n}, 0)`).join(' + ');
}
