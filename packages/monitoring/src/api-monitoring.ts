import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService } from '@portcullis/cluster';
import { INetwork } from '@portcullis/network';
import { duration, finiteNumber } from '@portcullis/network/lib/private/validate';
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { containerInsightsOf, natGatewaysOf } from './private/discovery';
import { SingleDashboardFactory } from './private/single-dashboard';

/** Properties of an {@link ApiMonitoring}. */
export interface ApiMonitoringProps {
  /** The service to watch: CPU, memory and running tasks. */
  readonly service: ApiService;
  /**
   * The ingress in front of `service`: an `AlbIngress` (target 5xx rate, unhealthy targets,
   * p99 target response time of the service's target group) or an `ApiGatewayIngress` (5xx
   * rate and p99 integration latency of the HTTP API).
   */
  readonly ingress: AlbIngress | ApiGatewayIngress;
  /**
   * The network whose NAT gateways to watch (`ErrorPortAllocation` and `PacketsDropCount`
   * of each). A NAT instance, `Egress.none()`, `Egress.publicSubnetsOnly()` or a network
   * imported with `Network.fromVpc` has no NAT gateway here: no NAT alarms then.
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
   * ALB only: alarm when the p99 `TargetResponseTime` of the service's target group is above
   * this in 3 of 5 minutes. From 1 ms to 4000 s (ALB's longest idle timeout).
   *
   * @default Duration.seconds(2)
   */
  readonly p99ResponseTime?: Duration;
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

/**
 * The alarms a team sets up on day one for a private API, and one CloudWatch dashboard of
 * their metrics:
 *
 * - the service: average CPU and memory utilization above 85 % for 5 minutes; fewer running
 *   tasks than desired for 5 minutes (Container Insights' `RunningTaskCount` and
 *   `DesiredTaskCount`);
 * - an ALB: target 5xx rate (percent of `RequestCount`), unhealthy targets, p99 target
 *   response time of the service's target group;
 * - an HTTP API: 5xx rate (percent of `Count`) and p99 integration latency;
 * - each NAT gateway of the network: `ErrorPortAllocation` > 0 and `PacketsDropCount` > 0
 *   (egress saturation, the failure private-subnet APIs hit first).
 *
 * Alarms evaluate one-minute datapoints, treat missing data (no traffic) as not breaching,
 * and have names CloudFormation generates. The dashboard is built with
 * cdk-monitoring-constructs (its service, load balancer and HTTP API widgets) plus one graph
 * per alarm with its threshold.
 *
 * @example
 * const monitoring = new ApiMonitoring(this, 'Monitoring', { service, ingress });
 * if (monitoring.dashboard) new CfnOutput(this, 'Dashboard', { value: monitoring.dashboard.dashboardName });
 */
export class ApiMonitoring extends Construct {
  /** Every alarm created, in the order of the list above. */
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

  constructor(scope: Construct, id: string, props: ApiMonitoringProps) {
    super(scope, id);
    const { service, ingress } = props;
    const alb = ingress instanceof AlbIngress ? ingress : undefined;
    const httpApi = ingress instanceof ApiGatewayIngress ? ingress : undefined;
    if (!alb && !httpApi) {
      throw new Error(`\`ingress\` must be an AlbIngress or an ApiGatewayIngress, got ${describe(ingress)}: pass the ingress in front of \`service\``);
    }
    validate(props, alb !== undefined);
    this.alarmTopic = props.alarmTopic;
    const network = props.network ?? service.cluster.network;
    const targetGroup = alb?.targetGroupFor(service);

    // ---- alarms
    this.serviceAlarms(service, props);
    // With canary, linear or blue/green, ECS moves the production traffic to the alternate
    // target group at each deployment (and back at the next): watch both, or the alarms go
    // quiet after the first deployment.
    const alternate = alb?.alternateTargetGroupFor(service);
    if (alb && targetGroup) this.albAlarms(alternate ? [targetGroup, alternate] : [targetGroup], props);
    if (httpApi) this.httpApiAlarms(httpApi, props);
    const natGateways = natGatewaysOf(network, network.vpc);
    natGateways.forEach((nat, i) => this.natAlarms(i + 1, nat.ref));
    if (!props.alarmTopic) {
      Annotations.of(this).addWarningV2('@portcullis/monitoring:noAlarmTopic',
        'No `alarmTopic`: the alarms notify no one (they show in the CloudWatch console and on the dashboard, if any). Give an SNS topic with a subscription to be told.');
    }

    // ---- the dashboard: cdk-monitoring-constructs' widgets, then one graph per alarm
    if (props.createDashboard !== false) {
      ({ dashboard: this.dashboard, facade: this.facade } = this.drawDashboard(service, alb, targetGroup, httpApi, natGateways.length > 0));
    }
  }

  /** One dashboard: cdk-monitoring-constructs' service, load balancer and HTTP API widgets, then one graph per alarm. */
  private drawDashboard(service: ApiService, alb: AlbIngress | undefined, targetGroup: elbv2.ApplicationTargetGroup | undefined,
    httpApi: ApiGatewayIngress | undefined, hasNatGateways: boolean): { dashboard: cloudwatch.Dashboard; facade: MonitoringFacade } {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const facade = new MonitoringFacade(this, 'Facade', {
      dashboardFactory: new SingleDashboardFactory(dashboard),
      alarmFactoryDefaults: { alarmNamePrefix: 'Portcullis', actionsEnabled: true },
    });
    facade.addLargeHeader(`API ${service.node.path} behind ${alb ? 'an Application Load Balancer' : 'an HTTP API'}`);
    facade.addWidget(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }));
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
    facade.addMediumHeader(hasNatGateways ? 'Alarms (each with its threshold), NAT gateways last' : 'Alarms (each with its threshold)');
    for (const alarm of this.alarms) {
      facade.addWidget(new cloudwatch.GraphWidget({
        title: alarm.node.id,
        left: [alarm.metric],
        leftAnnotations: [alarm.toAnnotation()],
        width: 8,
        height: 6,
      }));
    }
    return { dashboard, facade };
  }

  private serviceAlarms(service: ApiService, props: ApiMonitoringProps): void {
    const ecsService = service.service;
    const cpu = props.cpuUtilizationPercent ?? 85;
    const memory = props.memoryUtilizationPercent ?? 85;
    this.alarm('CpuUtilization', ecsService.metricCpuUtilization({ period: PERIOD, statistic: 'Average' }), cpu, SUSTAINED,
      `Service ${service.node.path}: average CPU above ${cpu} % of its reservation for 5 minutes. Scale out (desiredCount, autoScaling) or give tasks more CPU.`);
    this.alarm('MemoryUtilization', ecsService.metricMemoryUtilization({ period: PERIOD, statistic: 'Average' }), memory, SUSTAINED,
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
    this.alarm('RunningTasks', missing, 0, SUSTAINED,
      `Service ${service.node.path}: fewer tasks running than desired for 5 minutes. Look at the service's events and stopped tasks (image pull, health checks, capacity).`);
  }

  private albAlarms(targetGroups: elbv2.ApplicationTargetGroup[], props: ApiMonitoringProps): void {
    const rate = props.target5xxRatePercent ?? 5;
    const p99 = props.p99ResponseTime ?? Duration.seconds(2);
    const each = <M extends cloudwatch.IMetric>(name: string, metric: (tg: elbv2.ApplicationTargetGroup) => M) =>
      Object.fromEntries(targetGroups.map((tg, i) => [`${name}${targetGroups.length > 1 ? i : ''}`, metric(tg)]));
    const sum = (names: string[]) => names.map((n) => `FILL(${n}, 0)`).join(' + ');
    const errors = each('errors', (tg) => tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: PERIOD, statistic: 'Sum' }));
    const requests = each('requests', (tg) => tg.metrics.requestCount({ period: PERIOD, statistic: 'Sum' }));
    const errorRate = new cloudwatch.MathExpression({
      expression: targetGroups.length === 1
        ? '100 * FILL(errors, 0) / requests'
        : `100 * (${sum(Object.keys(errors))}) / (${sum(Object.keys(requests))})`,
      usingMetrics: { ...errors, ...requests },
      label: 'Target 5xx rate (% of requests)',
      period: PERIOD,
    });
    this.alarm('Target5xxRate', errorRate, rate, MOSTLY,
      `Targets answer more than ${rate} % of requests with a 5xx in 3 of 5 minutes. Read the service's logs.`);
    const unhealthy = each('unhealthy', (tg) => tg.metrics.unhealthyHostCount({ period: PERIOD, statistic: 'Maximum' }));
    this.alarm('UnhealthyTargets', targetGroups.length === 1 ? unhealthy.unhealthy : new cloudwatch.MathExpression({
      expression: sum(Object.keys(unhealthy)), usingMetrics: unhealthy, label: 'Unhealthy targets (both target groups)', period: PERIOD,
    }), 0, MOSTLY,
    'Targets fail the load balancer\'s health check in 3 of 5 minutes. Read the service\'s logs and the target group\'s health reasons.');
    const latency = each('p99', (tg) => tg.metrics.targetResponseTime({ period: PERIOD, statistic: 'p99' }));
    this.alarm('TargetResponseTimeP99', targetGroups.length === 1 ? latency.p99 : new cloudwatch.MathExpression({
      expression: `MAX([${Object.keys(latency).join(', ')}])`, usingMetrics: latency, label: 'p99 target response time (the slower target group)', period: PERIOD,
    }), p99.toMilliseconds({ integral: false }) / 1000, MOSTLY,
    `p99 target response time above ${p99.toHumanString()} in 3 of 5 minutes.`);
  }

  private httpApiAlarms(ingress: ApiGatewayIngress, props: ApiMonitoringProps): void {
    const rate = props.httpApi5xxRatePercent ?? 5;
    const p99 = props.p99IntegrationLatency ?? Duration.seconds(2);
    const errorRate = new cloudwatch.MathExpression({
      expression: '100 * FILL(errors, 0) / requests',
      usingMetrics: {
        errors: ingress.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        requests: ingress.api.metricCount({ period: PERIOD, statistic: 'Sum' }),
      },
      label: 'HTTP API 5xx rate (% of requests)',
      period: PERIOD,
    });
    this.alarm('HttpApi5xxRate', errorRate, rate, MOSTLY,
      `More than ${rate} % of the HTTP API's requests end in a 5xx in 3 of 5 minutes (the service, or the VPC link and Cloud Map in between).`);
    this.alarm('IntegrationLatencyP99', ingress.api.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' }), p99.toMilliseconds({ integral: false }), MOSTLY,
      `p99 integration latency (API Gateway to the service and back) above ${p99.toHumanString()} in 3 of 5 minutes.`);
  }

  /**
   * The two egress-saturation alarms of one NAT gateway.
   * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway-cloudwatch.html
   */
  private natAlarms(n: number, natGatewayId: string): void {
    const nat = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/NATGateway', metricName, dimensionsMap: { NatGatewayId: natGatewayId }, statistic: 'Sum', period: PERIOD,
    });
    this.alarm(`Nat${n}ErrorPortAllocation`, nat('ErrorPortAllocation'), 0, MOSTLY,
      `NAT gateway ${n} could not allocate a source port in 3 of 5 minutes: too many concurrent connections to one destination (55,000 per destination IP and port). Spread the calls, reuse connections, or add addresses to the NAT gateway.`);
    this.alarm(`Nat${n}PacketsDropCount`, nat('PacketsDropCount'), 0, MOSTLY,
      `NAT gateway ${n} dropped packets in 3 of 5 minutes: it is saturated or failing. Check its bandwidth and connection metrics and the AWS Health Dashboard.`);
  }

  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, evaluation: { evaluationPeriods: number; datapointsToAlarm: number }, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      ...evaluation,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    if (this.alarmTopic) {
      const action = new actions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }
}

/** Every threshold within its range, and only the thresholds of the ingress given. */
function validate(props: ApiMonitoringProps, alb: boolean): void {
  finiteNumber('cpuUtilizationPercent', props.cpuUtilizationPercent, { min: 1, max: 100, fix: 'use a percentage from 1 to 100 (e.g. 85)' });
  finiteNumber('memoryUtilizationPercent', props.memoryUtilizationPercent, { min: 1, max: 100, fix: 'use a percentage from 1 to 100 (e.g. 85)' });
  finitePercentAboveZero('target5xxRatePercent', props.target5xxRatePercent);
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
}

function finitePercentAboveZero(prop: string, value: number | undefined): void {
  finiteNumber(prop, value, { min: 0, max: 100, fix: 'use a percentage above 0, at most 100 (e.g. 5)' });
  if (value === 0) throw new Error(`\`${prop}\` must be a percentage above 0, at most 100, got 0: use e.g. 1 (a threshold of 0 would alarm on the first 5xx)`);
}

function describe(value: unknown): string {
  if (value instanceof Duration) return value.toString();
  if (value && typeof value === 'object' && 'node' in value) return `the construct '${(value as Construct).node.path}' (${value.constructor.name})`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}
