import { Annotations, Aws, CfnCondition, Fn, Stack, Token, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService } from '@portcullis/cluster';
import { INetwork, Network } from '@portcullis/network';
import { duration, finiteNumber } from '@portcullis/network/lib/private/validate';
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { containerInsightsOf, distributionsInFrontOf, natGatewaysOf, targetGroupsOf } from './private/discovery';
import { describeDuration, thresholdIn } from './private/thresholds';
import { SingleDashboardFactory } from './private/single-dashboard';

/** Properties of an {@link ApiMonitoring}. */
export interface ApiMonitoringProps {
  /** The service to watch: CPU, memory and running tasks. */
  readonly service: ApiService;
  /**
   * The ingress in front of `service`: an `AlbIngress` (target 5xx rate, unhealthy targets,
   * p99 target response time of the service's target group; the load balancer's own 5xx rate
   * and no healthy target in the service's target groups; the 5xx error rate of a CloudFront
   * distribution in front of it, as `CloudFrontIngress.alb` has) or an `ApiGatewayIngress`
   * (5xx rate and p99 integration latency of the HTTP API). It must route to `service`.
   */
  readonly ingress: AlbIngress | ApiGatewayIngress;
  /**
   * The network whose egress to watch: `ErrorPortAllocation` and the dropped-packet rate of
   * each NAT gateway, the status check of a NAT instance (`Egress.natInstance()`).
   * `Egress.none()`, `Egress.publicSubnetsOnly()` or a network imported with `Network.fromVpc`
   * has no NAT here: no egress alarms then.
   *
   * @default - the network of the service's cluster
   */
  readonly network?: INetwork;
  /**
   * An SNS topic every alarm notifies when it goes into ALARM and when it is OK again.
   *
   * @default - no notification: the alarms show on the dashboard and in the console only
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Alarm when the service's average CPU utilization is above this percentage of its
   * reserved CPU for 5 minutes in a row. From 1 to 100.
   *
   * @default 85
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Alarm when the service's average memory utilization is above this percentage of its
   * reserved memory for 5 minutes in a row. From 1 to 100.
   *
   * @default 85
   */
  readonly memoryUtilizationPercent?: number;
  /**
   * ALB only: alarm when the service's targets answer more than this percentage of requests
   * with a 5xx (`HTTPCode_Target_5XX_Count` / `RequestCount` of its target group) in 3 of 5
   * minutes. Above 0, at most 100.
   *
   * @default 5
   */
  readonly target5xxRatePercent?: number;
  /**
   * ALB only: alarm when the load balancer itself answers more than this percentage of
   * requests with a 5xx (`HTTPCode_ELB_5XX_Count`: 502, 503 and 504 the load balancer
   * generates when no target can answer) in 3 of 5 minutes. Above 0, at most 100.
   *
   * @default 5
   */
  readonly loadBalancer5xxRatePercent?: number;
  /**
   * ALB only: alarm when the p99 `TargetResponseTime` of the service's target group is above
   * this in 3 of 5 minutes. From 1 ms to 4000 s (ALB's longest idle timeout). A token must be
   * written in seconds (`Duration.seconds(param.valueAsNumber)`): the threshold is in seconds.
   *
   * @default Duration.seconds(2)
   */
  readonly p99ResponseTime?: Duration;
  /**
   * ALB behind a CloudFront distribution only (`CloudFrontIngress.alb`): alarm when CloudFront
   * answers more than this percentage of viewer requests with a 5xx (`5xxErrorRate`, which
   * includes the 502 and 504 CloudFront returns when it cannot reach the load balancer) in 3
   * of 5 minutes. Above 0, at most 100. CloudFront publishes its metrics in us-east-1 only:
   * the alarm is created in a us-east-1 stack (with a condition in an environment-agnostic
   * stack); elsewhere use `CloudFrontErrorRateAlarm` of `@portcullis/cloudfront-ingress` in a
   * us-east-1 stack.
   *
   * @default 5
   */
  readonly cloudFront5xxErrorRatePercent?: number;
  /**
   * HTTP API only: alarm when more than this percentage of the API's requests end in a 5xx
   * (`5xx` / `Count`) in 3 of 5 minutes. Above 0, at most 100.
   *
   * @default 5
   */
  readonly httpApi5xxRatePercent?: number;
  /**
   * HTTP API only: alarm when the p99 `IntegrationLatency` (API Gateway to the service and
   * back) is above this in 3 of 5 minutes. From 1 ms to 30 s (the HTTP API integration
   * timeout: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
   * A token must be written in milliseconds (`Duration.millis(param.valueAsNumber)`): the
   * threshold is in milliseconds.
   *
   * @default Duration.seconds(2)
   */
  readonly p99IntegrationLatency?: Duration;
  /**
   * Create the CloudWatch dashboard (and the cdk-monitoring-constructs facade that draws it).
   * `false` keeps every alarm and leaves out the dashboard, which is billed $3.00 a month
   * beyond an account's first three (https://aws.amazon.com/cloudwatch/pricing/): for a
   * cost-first environment, or when a team keeps its own dashboards. CloudWatch's automatic
   * dashboards for ECS, Application Load Balancers and API Gateway stay available at no charge.
   *
   * @default true
   */
  readonly createDashboard?: boolean;
}

/** One minute: every alarm evaluates one-minute datapoints. */
const PERIOD = Duration.minutes(1);
/** Sustained for 5 minutes: 5 of 5 one-minute datapoints. */
const SUSTAINED = { evaluationPeriods: 5, datapointsToAlarm: 5 };
/** Most of 5 minutes: 3 of 5 one-minute datapoints (a single bad minute does not page). */
const MOSTLY = { evaluationPeriods: 5, datapointsToAlarm: 3 };
/** Two minutes in a row: the NAT instance's status check. */
const TWO_IN_A_ROW = { evaluationPeriods: 2, datapointsToAlarm: 2 };

/**
 * The dropped-packet rate of a NAT gateway above which AWS says "there may be an issue with
 * Amazon VPC service": 0.01 % of the packets it received.
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway-cloudwatch.html
 */
export const NAT_PACKET_DROP_RATE_PERCENT = 0.01;

/** How an alarm compares, and what missing data means for it. */
interface AlarmOptions {
  readonly evaluation: { readonly evaluationPeriods: number; readonly datapointsToAlarm: number };
  /** @default GREATER_THAN_THRESHOLD */
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** @default NOT_BREACHING (no traffic, no tasks) */
  readonly missing?: cloudwatch.TreatMissingData;
  /** A CloudFormation condition the alarm is created under (an environment-agnostic stack's us-east-1-only alarm). */
  readonly condition?: CfnCondition;
}

/**
 * The alarms a team sets up on day one for a private API, and one CloudWatch dashboard of
 * their metrics:
 *
 * - the service: average CPU and memory utilization above 85 % for 5 minutes; fewer running
 *   tasks than desired for 5 minutes (Container Insights' `RunningTaskCount` and
 *   `DesiredTaskCount`);
 * - an ALB: target 5xx rate (percent of `RequestCount`), unhealthy targets, p99 target
 *   response time of the service's target group; the load balancer's own 5xx rate (the
 *   502/503/504 it answers when no target can: an empty target group, crashing tasks) and no
 *   healthy target in the service's target groups;
 * - a CloudFront distribution in front of the ALB (`CloudFrontIngress`): its 5xx error rate;
 * - an HTTP API: 5xx rate (percent of `Count`) and p99 integration latency;
 * - egress: each NAT gateway's `ErrorPortAllocation` > 0 and dropped packets above 0.01 % of
 *   its packets; a NAT instance's EC2 status check.
 *
 * Alarms evaluate one-minute datapoints, treat missing data (no traffic) as not breaching
 * unless said otherwise, and have names CloudFormation generates. The dashboard is built with
 * cdk-monitoring-constructs (its service, load balancer and HTTP API widgets) plus one graph
 * per alarm with its threshold.
 *
 * @example
 * const monitoring = new ApiMonitoring(this, 'Monitoring', { service, ingress });
 * if (monitoring.dashboard) new CfnOutput(this, 'Dashboard', { value: monitoring.dashboard.dashboardName });
 */
export class ApiMonitoring extends Construct {
  /**
   * Every alarm created, in the order of the list above. In an environment-agnostic stack, the
   * CloudFront alarm carries a CloudFormation condition (it exists only when the stack is
   * deployed in us-east-1): reference it only from resources under the same condition.
   */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The dashboard (one; its name is generated); undefined with `createDashboard: false`. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /**
   * The cdk-monitoring-constructs facade that draws the dashboard: add your own monitoring
   * to the same dashboard with it (e.g. `monitorDynamoTable`). Undefined with
   * `createDashboard: false`.
   */
  public readonly facade?: MonitoringFacade;

  private readonly alarmTopic?: sns.ITopic;
  /** Alarms under a condition: the alarm status widget cannot name them (an unconditional reference to them would fail the deploy). */
  private readonly conditionalAlarms = new Set<cloudwatch.Alarm>();
  /** Metrics graphed without an alarm (CloudFront's, in a stack outside us-east-1). */
  private readonly graphOnly: Array<{ title: string; metric: cloudwatch.IMetric }> = [];

  constructor(scope: Construct, id: string, props: ApiMonitoringProps) {
    super(scope, id);
    const { service, ingress } = props;
    const alb = ingress instanceof AlbIngress ? ingress : undefined;
    const httpApi = ingress instanceof ApiGatewayIngress ? ingress : undefined;
    if (!alb && !httpApi) {
      throw new Error(`\`ingress\` must be an AlbIngress or an ApiGatewayIngress, got ${describe(ingress)}: pass the ingress in front of \`service\``);
    }
    // the contract of both ingresses: the service is behind it (each throws naming `service` otherwise)
    const targetGroups = alb?.targetGroupsFor(service) ?? [];
    const targetGroup = targetGroups[0];
    httpApi?.routeFor(service);
    const distributions = alb ? distributionsInFrontOf(alb.loadBalancer) : [];
    validate(props, alb !== undefined, distributions.length > 0);
    this.alarmTopic = props.alarmTopic;
    const network = props.network ?? service.cluster.network;

    // ---- alarms
    this.serviceAlarms(service, props);
    // With canary, linear or blue/green, ECS moves the production traffic to the alternate
    // target group at each deployment (and back at the next): watch both, or the alarms go
    // quiet after the first deployment.
    // Every group of the service on this load balancer: a service routed twice (two addService
    // calls) is in two groups, each with its alternate when traffic shifts.
    if (alb && targetGroup) {
      const found = targetGroupsOf(service.service, alb);
      const groups = found.length > 0 ? found : [...targetGroups, ...alb.alternateTargetGroupsFor(service)];
      this.albAlarms(groups, props);
      this.loadBalancerAlarms(alb, groups, service, props);
      distributions.forEach((d, i) => this.cloudFrontAlarm(distributions.length > 1 ? `CloudFront${i + 1}` : 'CloudFront', d.ref, props));
    }
    if (httpApi) this.httpApiAlarms(httpApi, props);
    const natGateways = natGatewaysOf(network, network.vpc);
    natGateways.forEach((nat, i) => this.natAlarms(i + 1, nat.ref));
    const natInstance = network instanceof Network ? network.natInstance : undefined;
    if (natInstance) this.natInstanceAlarm(natInstance.instanceId);
    if (!props.alarmTopic) {
      Annotations.of(this).addWarningV2('@portcullis/monitoring:noAlarmTopic',
        'No `alarmTopic`: the alarms notify no one (they show in the CloudWatch console and on the dashboard, if any). Give an SNS topic with a subscription to be told.');
    }

    // ---- the dashboard: cdk-monitoring-constructs' widgets, then one graph per alarm
    if (props.createDashboard !== false) {
      ({ dashboard: this.dashboard, facade: this.facade } = this.drawDashboard(service, alb, targetGroup, httpApi, distributions.length > 0, natGateways.length > 0 || natInstance !== undefined));
    }
  }

  /** One dashboard: cdk-monitoring-constructs' service, load balancer and HTTP API widgets, then one graph per alarm. */
  private drawDashboard(service: ApiService, alb: AlbIngress | undefined, targetGroup: elbv2.ApplicationTargetGroup | undefined,
    httpApi: ApiGatewayIngress | undefined, cloudFront: boolean, hasEgress: boolean): { dashboard: cloudwatch.Dashboard; facade: MonitoringFacade } {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const facade = new MonitoringFacade(this, 'Facade', {
      dashboardFactory: new SingleDashboardFactory(dashboard),
      alarmFactoryDefaults: { alarmNamePrefix: 'Portcullis', actionsEnabled: true },
    });
    const front = alb ? `${cloudFront ? 'CloudFront and ' : ''}an Application Load Balancer` : 'an HTTP API';
    facade.addLargeHeader(`API ${service.node.path} behind ${front}`);
    facade.addWidget(new cloudwatch.AlarmStatusWidget({
      title: this.conditionalAlarms.size > 0 ? 'Alarms (the CloudFront alarm, us-east-1 only, is not listed here)' : 'Alarms',
      alarms: this.alarms.filter((a) => !this.conditionalAlarms.has(a)),
      width: 24,
      height: 4,
    }));
    const ecsService = service.service;
    if (alb && targetGroup) {
      const lb = { applicationLoadBalancer: alb.loadBalancer, applicationTargetGroup: targetGroup, humanReadableName: 'Service and target group' };
      if (ecsService instanceof ecs.FargateService) facade.monitorFargateApplicationLoadBalancer({ fargateService: ecsService, ...lb });
      else if (ecsService instanceof ecs.Ec2Service) facade.monitorEc2ApplicationLoadBalancer({ ec2Service: ecsService, ...lb });
    } else {
      if (ecsService instanceof ecs.FargateService) facade.monitorSimpleFargateService({ fargateService: ecsService, humanReadableName: 'Service' });
      else if (ecsService instanceof ecs.Ec2Service) facade.monitorSimpleEc2Service({ ec2Service: ecsService, humanReadableName: 'Service' });
    }
    if (httpApi) facade.monitorApiGatewayV2HttpApi({ api: httpApi.api, humanReadableName: 'HTTP API' });
    facade.addMediumHeader(hasEgress ? 'Alarms (each with its threshold), NAT egress last' : 'Alarms (each with its threshold)');
    for (const alarm of this.alarms) {
      facade.addWidget(new cloudwatch.GraphWidget({
        title: alarm.node.id,
        left: [alarm.metric],
        leftAnnotations: [alarm.toAnnotation()],
        width: 8,
        height: 6,
      }));
    }
    for (const { title, metric } of this.graphOnly) {
      facade.addWidget(new cloudwatch.GraphWidget({ title, left: [metric], width: 8, height: 6 }));
    }
    return { dashboard, facade };
  }

  private serviceAlarms(service: ApiService, props: ApiMonitoringProps): void {
    const ecsService = service.service;
    const cpu = props.cpuUtilizationPercent ?? 85;
    const memory = props.memoryUtilizationPercent ?? 85;
    this.alarm('CpuUtilization', ecsService.metricCpuUtilization({ period: PERIOD, statistic: 'Average' }), cpu, { evaluation: SUSTAINED },
      `Service ${service.node.path}: average CPU above ${cpu} % of its reservation for 5 minutes. Scale out (desiredCount, autoScaling) or give tasks more CPU.`);
    this.alarm('MemoryUtilization', ecsService.metricMemoryUtilization({ period: PERIOD, statistic: 'Average' }), memory, { evaluation: SUSTAINED },
      `Service ${service.node.path}: average memory above ${memory} % of its reservation for 5 minutes. Tasks near their limit are killed (OutOfMemory): give them more memory or find the leak.`);

    const insights = containerInsightsOf(service.cluster.cluster);
    if (insights === false) {
      Annotations.of(this).addWarningV2('@portcullis/monitoring:noContainerInsights',
        'Container Insights is off on the cluster (`containerInsights: false`): there is no running-tasks alarm, since ECS publishes RunningTaskCount and DesiredTaskCount only with Container Insights.');
      return;
    }
    if (insights === undefined) {
      Annotations.of(this).addWarningV2('@portcullis/monitoring:containerInsightsUnknown',
        'The running-tasks alarm reads Container Insights metrics (RunningTaskCount, DesiredTaskCount), and whether the cluster has Container Insights is not known here: without it the alarm never has data (and stays OK).');
    }
    const dimensionsMap = { ClusterName: service.cluster.cluster.clusterName, ServiceName: ecsService.serviceName };
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
    const ci = (metricName: string, statistic: string) => new cloudwatch.Metric({ namespace: 'ECS/ContainerInsights', metricName, dimensionsMap, statistic, period: PERIOD });
    const missing = new cloudwatch.MathExpression({
      expression: 'desired - running',
      usingMetrics: { desired: ci('DesiredTaskCount', 'Minimum'), running: ci('RunningTaskCount', 'Maximum') },
      label: 'Desired tasks not running',
      period: PERIOD,
    });
    this.alarm('RunningTasks', missing, 0, { evaluation: SUSTAINED },
      `Service ${service.node.path}: fewer tasks running than desired for 5 minutes. Look at the service's events and stopped tasks (image pull, health checks, capacity).`);
  }

  private albAlarms(targetGroups: elbv2.ApplicationTargetGroup[], props: ApiMonitoringProps): void {
    const rate = props.target5xxRatePercent ?? 5;
    const p99 = props.p99ResponseTime ?? Duration.seconds(2);
    const p99Seconds = thresholdIn('p99ResponseTime', p99, 'seconds');
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
    this.alarm('Target5xxRate', errorRate, rate, { evaluation: MOSTLY },
      `Targets answer more than ${rate} % of requests with a 5xx in 3 of 5 minutes. Read the service's logs.`);
    const unhealthy = each('unhealthy', (tg) => tg.metrics.unhealthyHostCount({ period: PERIOD, statistic: 'Maximum' }));
    this.alarm('UnhealthyTargets', targetGroups.length === 1 ? unhealthy.unhealthy : new cloudwatch.MathExpression({
      expression: sumFilled(Object.keys(unhealthy)), usingMetrics: unhealthy, label: `Unhealthy targets (${targetGroups.length} target groups)`, period: PERIOD,
    }), 0, { evaluation: MOSTLY },
    'Targets fail the load balancer\'s health check in 3 of 5 minutes. Read the service\'s logs and the target group\'s health reasons.');
    const latency = each('p99', (tg) => tg.metrics.targetResponseTime({ period: PERIOD, statistic: 'p99' }));
    this.alarm('TargetResponseTimeP99', targetGroups.length === 1 ? latency.p99 : new cloudwatch.MathExpression({
      expression: `MAX([${Object.keys(latency).join(', ')}])`, usingMetrics: latency, label: 'p99 target response time (the slowest target group)', period: PERIOD,
    }), p99Seconds, { evaluation: MOSTLY },
    `p99 target response time above ${describeDuration('p99ResponseTime', p99)} in 3 of 5 minutes.`);
  }

  /**
   * What the target-group alarms cannot see: the load balancer answering by itself. With no
   * target to choose (an empty or all-unhealthy target group, e.g. traffic forwarded to the
   * group without tasks), it answers 503 and counts the request in neither the target group's
   * metrics nor its own `RequestCount`; with targets that crash or time out, 502/504.
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
   */
  private loadBalancerAlarms(alb: AlbIngress, targetGroups: elbv2.ApplicationTargetGroup[], service: ApiService, props: ApiMonitoringProps): void {
    const rate = props.loadBalancer5xxRatePercent ?? 5;
    const lb = alb.loadBalancer.metrics;
    // `RequestCount` "is only incremented for requests where the load balancer node was able to
    // choose a target": a request answered 503 for want of a target is in HTTPCode_ELB_5XX_Count
    // only. Dividing by RequestCount alone would divide by zero (or by nothing) in exactly that
    // outage; dividing by RequestCount + HTTPCode_ELB_5XX_Count never does when there are errors
    // (it counts a 502/504 after a target was chosen twice, so the rate is a lower bound: at
    // least half the true rate, 100 % when no request reaches a target).
    const rateExpression = new cloudwatch.MathExpression({
      expression: '100 * FILL(elb5xx, 0) / (FILL(requests, 0) + FILL(elb5xx, 0))',
      usingMetrics: {
        elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: PERIOD, statistic: 'Sum' }),
        requests: lb.requestCount({ period: PERIOD, statistic: 'Sum' }),
      },
      label: 'Load balancer 5xx rate (% of requests)',
      period: PERIOD,
    });
    this.alarm('LoadBalancer5xxRate', rateExpression, rate, { evaluation: MOSTLY },
      `The load balancer itself answers more than ${rate} % of requests with a 5xx (502, 503, 504) in 3 of 5 minutes: no healthy target to send them to ` +
      '(an empty target group, tasks crashing or not passing health checks) or targets that reset or time out. It watches the whole load balancer (every service behind it).');

    if (this.noTasksOnPurpose(service)) return;
    // `HealthyHostCount` is "reported if there are registered targets": a target group without
    // targets has no datapoint at all, hence missing data is breaching here. < 1 rather than
    // < desired: the desired count is ECS's (autoscaling) and the running-tasks alarm already
    // says "fewer than desired"; this one says "nothing can answer".
    const healthy = Object.fromEntries(targetGroups.map((tg, i) => [`healthy${targetGroups.length > 1 ? i : ''}`, tg.metrics.healthyHostCount({ period: PERIOD, statistic: 'Maximum' })]));
    this.alarm('NoHealthyTargets', targetGroups.length === 1 ? healthy.healthy : new cloudwatch.MathExpression({
      expression: sumFilled(Object.keys(healthy)), usingMetrics: healthy, label: `Healthy targets (${targetGroups.length} target groups)`, period: PERIOD,
    }), 1, { evaluation: MOSTLY, comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, missing: cloudwatch.TreatMissingData.BREACHING },
    `No healthy target in the service's target group${targetGroups.length > 1 ? 's (production and alternate, or every route to it)' : ''} in 3 of 5 minutes: the load balancer answers every request with 503. ` +
    'Look at the service\'s events and stopped tasks. Expect it in ALARM on the first deploy until the first tasks pass their health checks.');
  }

  /** A service with `desiredCount: 0` and no autoscaling runs no task on purpose: no healthy-targets alarm, and a warning. */
  private noTasksOnPurpose(service: ApiService): boolean {
    const cfn = service.service.node.defaultChild;
    const desired: unknown = cfn instanceof ecs.CfnService ? Stack.of(this).resolve(cfn.desiredCount) : undefined;
    if (desired !== 0 || service.scalableTaskCount) return false;
    Annotations.of(this).addWarningV2('@portcullis/monitoring:noTasks',
      'The service has `desiredCount: 0` and no autoscaling: there is no no-healthy-targets alarm (it would be in ALARM for good). Give the service tasks to get it.');
    return true;
  }

  /**
   * CloudFront's 5xx error rate of a distribution in front of the load balancer. CloudFront
   * publishes its metrics in us-east-1 only, with the dimensions DistributionId and Region =
   * Global, and an alarm reads the metrics of its own Region: the alarm exists in a us-east-1
   * stack, under a condition in an environment-agnostic stack, and not at all elsewhere (a
   * warning names the way; the dashboard still graphs the metric, read from us-east-1).
   * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
   */
  private cloudFrontAlarm(id: string, distributionId: string, props: ApiMonitoringProps): void {
    const rate = props.cloudFront5xxErrorRatePercent ?? 5;
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName: '5xxErrorRate',
      dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
      statistic: 'Average',
      period: PERIOD,
      region: 'us-east-1',
    });
    const description = `CloudFront answers more than ${rate} % of viewer requests with a 5xx in 3 of 5 minutes: the origin (the internal load balancer) is unreachable (502, 504) or answers 5xx itself.`;
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      this.alarm(`${id}5xxErrorRate`, metric, rate, { evaluation: MOSTLY, condition: usEast1Condition(Stack.of(this)) }, description);
      Annotations.of(this).addInfo(`The CloudFront 5xx error-rate alarm is created only when this environment-agnostic stack is deployed in us-east-1 (a condition on AWS::Region): CloudFront publishes its metrics there only. Elsewhere, create a CloudFrontErrorRateAlarm (@portcullis/cloudfront-ingress) in a us-east-1 stack.`);
    } else if (region === 'us-east-1') {
      this.alarm(`${id}5xxErrorRate`, metric, rate, { evaluation: MOSTLY }, description);
    } else {
      this.graphOnly.push({ title: `${id}5xxErrorRate (us-east-1, no alarm here)`, metric });
      Annotations.of(this).addWarningV2('@portcullis/monitoring:cloudFrontAlarmRegion',
        `No CloudFront 5xx error-rate alarm: CloudFront publishes its metrics in us-east-1 only, and an alarm in ${region} cannot read them. ` +
        'Create one in a stack in us-east-1: `new CloudFrontErrorRateAlarm(usEast1Stack, \'Edge\', { distributionId })` of @portcullis/cloudfront-ingress ' +
        '(pass the id with crossRegionReferences: true on both stacks, or as a literal). The dashboard still graphs the metric.');
    }
  }

  private httpApiAlarms(ingress: ApiGatewayIngress, props: ApiMonitoringProps): void {
    const rate = props.httpApi5xxRatePercent ?? 5;
    const p99 = props.p99IntegrationLatency ?? Duration.seconds(2);
    const p99Millis = thresholdIn('p99IntegrationLatency', p99, 'millis');
    const errorRate = new cloudwatch.MathExpression({
      expression: '100 * FILL(errors, 0) / requests',
      usingMetrics: {
        errors: ingress.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        requests: ingress.api.metricCount({ period: PERIOD, statistic: 'Sum' }),
      },
      label: 'HTTP API 5xx rate (% of requests)',
      period: PERIOD,
    });
    this.alarm('HttpApi5xxRate', errorRate, rate, { evaluation: MOSTLY },
      `More than ${rate} % of the HTTP API's requests end in a 5xx in 3 of 5 minutes (the service, or the VPC link and Cloud Map in between).`);
    this.alarm('IntegrationLatencyP99', ingress.api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' }), p99Millis, { evaluation: MOSTLY },
      `p99 integration latency (API Gateway to the service and back) above ${describeDuration('p99IntegrationLatency', p99)} in 3 of 5 minutes.`);
  }

  /**
   * The two egress alarms of one NAT gateway: port allocation errors, and dropped packets
   * above 0.01 % of the packets it received (AWS's formula: `PacketsDropCount /
   * (PacketsInFromSource + PacketsInFromDestination) * 100`; a count above 0 fires on a busy
   * gateway's every transient drop).
   * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway-cloudwatch.html
   */
  private natAlarms(n: number, natGatewayId: string): void {
    const nat = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/NATGateway', metricName, dimensionsMap: { NatGatewayId: natGatewayId }, statistic: 'Sum', period: PERIOD,
    });
    this.alarm(`Nat${n}ErrorPortAllocation`, nat('ErrorPortAllocation'), 0, { evaluation: MOSTLY },
      `NAT gateway ${n} could not allocate a source port in 3 of 5 minutes: too many concurrent connections to one destination (55,000 per destination IP and port). Spread the calls, reuse connections, or add addresses to the NAT gateway.`);
    const dropRate = new cloudwatch.MathExpression({
      expression: '100 * FILL(dropped, 0) / (FILL(fromSource, 0) + FILL(fromDestination, 0))',
      usingMetrics: { dropped: nat('PacketsDropCount'), fromSource: nat('PacketsInFromSource'), fromDestination: nat('PacketsInFromDestination') },
      label: 'Dropped packets (% of packets received)',
      period: PERIOD,
    });
    this.alarm(`Nat${n}PacketsDropRate`, dropRate, NAT_PACKET_DROP_RATE_PERCENT, { evaluation: MOSTLY },
      `NAT gateway ${n} dropped more than ${NAT_PACKET_DROP_RATE_PERCENT} % of its packets in 3 of 5 minutes, the rate above which AWS points to an issue with the VPC service: check the AWS Health Dashboard and the gateway's bandwidth and connection metrics.`);
  }

  /**
   * The NAT instance's EC2 status checks (system and instance), failed for 2 minutes in a row:
   * all egress of the private subnets goes through it. Status check metrics come every minute
   * at no charge, but only once a new instance has finished initializing ("within a few
   * minutes of the instance entering the running state"): missing data is not breaching, so a
   * new or replaced instance does not page; a stopped instance (no data) is not seen either.
   * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html#status-check-metrics
   */
  private natInstanceAlarm(instanceId: string): void {
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/EC2', metricName: 'StatusCheckFailed', dimensionsMap: { InstanceId: instanceId }, statistic: 'Maximum', period: PERIOD,
    });
    this.alarm('NatInstanceStatusCheck', metric, 1, { evaluation: TWO_IN_A_ROW, comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD },
      'The NAT instance failed its EC2 status checks (system or instance) for 2 minutes in a row: the private subnets have no egress. ' +
      'Look at the instance\'s status checks and system log; stop and start it (a new host), or let CloudFormation replace it.');
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, options: AlarmOptions, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      ...options.evaluation,
      comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: options.missing ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    if (options.condition) {
      (alarm.node.defaultChild as cloudwatch.CfnAlarm).cfnOptions.condition = options.condition;
      this.conditionalAlarms.add(alarm);
    }
    if (this.alarmTopic) {
      const action = new actions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }
}

/** `FILL(a, 0) + FILL(b, 0) + ...`: a sum where a metric without data counts 0. */
function sumFilled(names: string[]): string {
  return names.map((n) => `FILL(${n}, 0)`).join(' + ');
}

/** The stack's condition "deployed in us-east-1" (one per stack, shared by every ApiMonitoring in it). */
function usEast1Condition(stack: Stack): CfnCondition {
  const id = 'PortcullisDeployedInUsEast1';
  return (stack.node.tryFindChild(id) as CfnCondition | undefined)
    ?? new CfnCondition(stack, id, { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
}

/** Every threshold within its range, and only the thresholds of the ingress given. */
function validate(props: ApiMonitoringProps, alb: boolean, cloudFront: boolean): void {
  finiteNumber('cpuUtilizationPercent', props.cpuUtilizationPercent, { min: 1, max: 100, fix: 'use a percentage from 1 to 100 (e.g. 85)' });
  finiteNumber('memoryUtilizationPercent', props.memoryUtilizationPercent, { min: 1, max: 100, fix: 'use a percentage from 1 to 100 (e.g. 85)' });
  finitePercentAboveZero('target5xxRatePercent', props.target5xxRatePercent);
  finitePercentAboveZero('loadBalancer5xxRatePercent', props.loadBalancer5xxRatePercent);
  finitePercentAboveZero('cloudFront5xxErrorRatePercent', props.cloudFront5xxErrorRatePercent);
  finitePercentAboveZero('httpApi5xxRatePercent', props.httpApi5xxRatePercent);
  duration('p99ResponseTime', props.p99ResponseTime, { minSeconds: 0.001, maxSeconds: 4000, wholeSeconds: false });
  duration('p99IntegrationLatency', props.p99IntegrationLatency, { minSeconds: 0.001, maxSeconds: 30, wholeSeconds: false });
  const [own, other, ingress] = alb
    ? [['target5xxRatePercent', 'p99ResponseTime'], ['httpApi5xxRatePercent', 'p99IntegrationLatency'], 'an AlbIngress']
    : [['httpApi5xxRatePercent', 'p99IntegrationLatency'], ['target5xxRatePercent', 'p99ResponseTime'], 'an ApiGatewayIngress'];
  other.forEach((prop, i) => {
    const value: unknown = (props as unknown as Record<string, unknown>)[prop];
    if (value !== undefined) {
      throw new Error(`\`${prop}\` is for ${alb ? 'an ApiGatewayIngress' : 'an AlbIngress'}, got ${describe(value)} with ${ingress}: remove it, or set \`${own[i]}\` (its counterpart for ${ingress})`);
    }
  });
  if (!alb && props.loadBalancer5xxRatePercent !== undefined) {
    throw new Error(`\`loadBalancer5xxRatePercent\` is for an AlbIngress, got ${describe(props.loadBalancer5xxRatePercent)} with an ApiGatewayIngress: remove it, or set \`httpApi5xxRatePercent\` (the HTTP API's 5xx rate includes the errors of the VPC link)`);
  }
  if (!cloudFront && props.cloudFront5xxErrorRatePercent !== undefined) {
    throw new Error(`\`cloudFront5xxErrorRatePercent\` is for an AlbIngress behind a CloudFront distribution (\`CloudFrontIngress.alb\`), got ${describe(props.cloudFront5xxErrorRatePercent)} with ` +
      `${alb ? 'an AlbIngress no CloudFront VPC origin of its stack points to' : 'an ApiGatewayIngress'}: remove it, or pass the \`alb\` of the CloudFrontIngress as \`ingress\``);
  }
}

function finitePercentAboveZero(prop: string, value: number | undefined): void {
  finiteNumber(prop, value, { min: 0, max: 100, fix: 'use a percentage above 0, at most 100 (e.g. 5)' });
  if (value === 0) throw new Error(`\`${prop}\` must be a percentage above 0, at most 100, got 0: use e.g. 1 (a threshold of 0 would alarm on the first 5xx)`);
}

function describe(value: unknown): string {
  if (value instanceof Duration) return value.isUnresolved() ? `Duration.${value.unitLabel()}(<token>)` : value.toString();
  if (value && typeof value === 'object' && 'node' in value) return `the construct '${(value as Construct).node.path}' (${value.constructor.name})`;
  if (Token.isUnresolved(value)) return '<token>';
  return typeof value === 'string' ? `'${value}'` : String(value);
}
