import { Annotations, CfnCondition, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiService, IApiIngress, IngressMonitoring } from '@portcullis/cluster';
import { INetwork, Network } from '@portcullis/network';
import { duration, finiteNumber } from '@portcullis/network/lib/private/validate';
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { containerInsightsOf, natGatewaysOf } from './private/discovery';
import { AlarmTopicTarget } from './private/alarm-topic-target';
import { describe, resolveIngressAlarms } from './private/ingress-thresholds';
import { SingleDashboardFactory } from './private/single-dashboard';

/** Properties of an {@link ApiMonitoring}. */
export interface ApiMonitoringProps {
  /** The service to watch: CPU, memory and running tasks. */
  readonly service: ApiService;
  /**
   * The ingress in front of `service`, any {@link IApiIngress} (of `@portcullis/cluster`): it
   * says what to watch of it. An `AlbIngress` (target 5xx rate, unhealthy targets, p99 target
   * response time of the service's target groups; the load balancer's own 5xx rate and no
   * healthy target in those groups; the 5xx error rate of a CloudFront distribution in front
   * of it, as `CloudFrontIngress.alb` has), a `CloudFrontIngress` (the same as its `alb`), an
   * `ApiGatewayIngress` (5xx rate and p99 integration latency of the HTTP API), or an ingress
   * of your own. It must route to `service`.
   */
  readonly ingress: IApiIngress;
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
   * Whether to create the egress alarms of `network` (NAT gateways, NAT instance). A platform
   * whose services live in stacks of their own watches its network once: by default only a
   * monitoring construct in the network's own stack creates them, and the monitoring of a
   * service in another stack does not repeat them (each copy would be another set of alarms on
   * the same NAT gateways, and a larger template).
   *
   * @default - true when this construct is in the network's stack, false otherwise
   */
  readonly networkAlarms?: boolean;
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
 * The ECS service events (`ECS Service Action`, `ECS Deployment State Change`) that mean fewer
 * tasks running than desired, or a failed deployment: the service cannot start tasks
 * consistently, cannot place them (no capacity), cannot configure them, or its deployment
 * failed (the circuit breaker rolled it back).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
 */
export const SERVICE_EVENT_NAMES = ['SERVICE_TASK_START_IMPAIRED', 'SERVICE_TASK_PLACEMENT_FAILURE', 'SERVICE_TASK_CONFIGURATION_FAILURE', 'SERVICE_DEPLOYMENT_FAILED'];

/**
 * The `stopCode`s of an `ECS Task State Change` to `STOPPED` that mean a task of the service
 * stopped on its own (so, until ECS replaces it, one fewer running than desired): its
 * essential container exited, or it failed to start. Deployments, scale-in and Spot
 * interruptions stop tasks with other codes.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
 */
export const TASK_STOP_CODES = ['EssentialContainerExited', 'TaskFailedToStart'];

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
  /** How the dashboard names the alarm it leaves out of the alarm status widget for its condition. */
  readonly conditionNote?: string;
}

/**
 * The alarms a team sets up on day one for a private API, and one CloudWatch dashboard of
 * their metrics:
 *
 * - the service: average CPU and memory utilization above 85 % for 5 minutes; fewer running
 *   tasks than desired for 5 minutes (Container Insights' `RunningTaskCount` and
 *   `DesiredTaskCount`; without Container Insights, the service's ECS events through
 *   EventBridge to `alarmTopic` instead: {@link ApiMonitoring.eventRules});
 * - the ingress, what it says to watch ({@link IApiIngress.monitoringFor}): behind an ALB,
 *   target 5xx rate (percent of `RequestCount`), unhealthy targets, p99 target response time
 *   of the service's target group; the load balancer's own 5xx rate (the 502/503/504 it
 *   answers when no target can: an empty target group, crashing tasks) and no healthy target
 *   in the service's target groups; a CloudFront distribution in front of the ALB
 *   (`CloudFrontIngress`): its 5xx error rate; behind an HTTP API, 5xx rate (percent of
 *   `Count`) and p99 integration latency;
 * - egress: each NAT gateway's `ErrorPortAllocation` > 0 and dropped packets above 0.01 % of
 *   its packets; a NAT instance's EC2 status check.
 *
 * Alarms evaluate one-minute datapoints, treat missing data (no traffic) as not breaching
 * unless said otherwise, and have names CloudFormation generates. The dashboard is built with
 * cdk-monitoring-constructs (its service, load balancer and HTTP API widgets) plus one graph
 * per alarm with its threshold, and the ingress's own widgets.
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
  /**
   * The EventBridge rules that send the service's ECS events to `alarmTopic` when its cluster
   * has no Container Insights (no `RunningTaskCount`): `ServiceEvents` (the service cannot
   * start, place or configure tasks, or a deployment failed: {@link SERVICE_EVENT_NAMES}) and
   * `TaskStopped` (a task stopped on its own: {@link TASK_STOP_CODES}). ECS sends these events
   * to the default event bus at no charge. Empty with Container Insights on, or without
   * `alarmTopic`.
   */
  public readonly eventRules: events.Rule[] = [];
  /** The dashboard (one; its name is generated); undefined with `createDashboard: false`. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /**
   * The cdk-monitoring-constructs facade that draws the dashboard: add your own monitoring
   * to the same dashboard with it (e.g. `monitorDynamoTable`). Undefined with
   * `createDashboard: false`.
   */
  public readonly facade?: MonitoringFacade;

  private readonly alarmTopic?: sns.ITopic;
  /**
   * Alarms under a condition, with how the dashboard names them: the alarm status widget
   * cannot list them (an unconditional reference to them would fail the deploy).
   */
  private readonly conditionalAlarms = new Map<cloudwatch.Alarm, string>();

  constructor(scope: Construct, id: string, props: ApiMonitoringProps) {
    super(scope, id);
    const { service, ingress } = props;
    if (!ingress || typeof (ingress as Partial<IApiIngress>).monitoringFor !== 'function') {
      throw new Error(`\`ingress\` must be an IApiIngress (an AlbIngress, an ApiGatewayIngress, a CloudFrontIngress or an ingress of your own), got ${describe(ingress)}: pass the ingress in front of \`service\``);
    }
    // the contract: the ingress throws, naming `service`, when the service is not behind it
    const watched = ingress.monitoringFor(this, service);
    validate(props);
    const ingressAlarms = resolveIngressAlarms(ingress, watched, props);
    this.alarmTopic = props.alarmTopic;
    const network = props.network ?? service.cluster.network;

    // ---- alarms
    this.serviceAlarms(service, props);
    for (const { spec, threshold, description } of ingressAlarms) {
      this.alarm(spec.id, spec.metric, threshold, {
        evaluation: { evaluationPeriods: spec.evaluationPeriods, datapointsToAlarm: spec.datapointsToAlarm },
        comparison: spec.comparisonOperator,
        missing: spec.treatMissingData,
        condition: spec.condition,
        conditionNote: spec.conditionNote ?? spec.id,
      }, description);
    }
    for (const w of watched.warnings ?? []) Annotations.of(this).addWarningV2(`@portcullis/monitoring:${w.id}`, w.message);
    for (const note of watched.notes ?? []) Annotations.of(this).addInfo(note);
    const networkAlarms = props.networkAlarms ?? Stack.of(network) === Stack.of(this);
    const natGateways = networkAlarms ? natGatewaysOf(network, network.vpc) : [];
    natGateways.forEach((nat, i) => this.natAlarms(i + 1, nat.ref));
    const natInstance = networkAlarms && network instanceof Network ? network.natInstance : undefined;
    if (natInstance) this.natInstanceAlarm(natInstance.instanceId);
    if (!props.alarmTopic) {
      Annotations.of(this).addWarningV2('@portcullis/monitoring:noAlarmTopic',
        'No `alarmTopic`: the alarms notify no one (they show in the CloudWatch console and on the dashboard, if any). Give an SNS topic with a subscription to be told.');
    }

    // ---- the dashboard: cdk-monitoring-constructs' widgets, then one graph per alarm
    if (props.createDashboard !== false) {
      ({ dashboard: this.dashboard, facade: this.facade } = this.drawDashboard(service, watched, natGateways.length > 0 || natInstance !== undefined));
    }
  }

  /** One dashboard: cdk-monitoring-constructs' service, load balancer and HTTP API widgets, then one graph per alarm, then the ingress's widgets. */
  private drawDashboard(service: ApiService, ingress: IngressMonitoring, hasEgress: boolean): { dashboard: cloudwatch.Dashboard; facade: MonitoringFacade } {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const facade = new MonitoringFacade(this, 'Facade', {
      dashboardFactory: new SingleDashboardFactory(dashboard),
      alarmFactoryDefaults: { alarmNamePrefix: 'Portcullis', actionsEnabled: true },
    });
    facade.addLargeHeader(`API ${service.node.path} behind ${ingress.title}`);
    const leftOut = [...new Set(this.conditionalAlarms.values())];
    facade.addWidget(new cloudwatch.AlarmStatusWidget({
      title: leftOut.length > 0 ? `Alarms (${leftOut.join('; ')}, ${leftOut.length > 1 ? 'are' : 'is'} not listed here)` : 'Alarms',
      alarms: this.alarms.filter((a) => !this.conditionalAlarms.has(a)),
      width: 24,
      height: 4,
    }));
    const ecsService = service.service;
    if (ingress.applicationLoadBalancer && ingress.applicationTargetGroup) {
      const lb = { applicationLoadBalancer: ingress.applicationLoadBalancer, applicationTargetGroup: ingress.applicationTargetGroup, humanReadableName: 'Service and target group' };
      if (ecsService instanceof ecs.FargateService) facade.monitorFargateApplicationLoadBalancer({ fargateService: ecsService, ...lb });
      else if (ecsService instanceof ecs.Ec2Service) facade.monitorEc2ApplicationLoadBalancer({ ec2Service: ecsService, ...lb });
    } else {
      if (ecsService instanceof ecs.FargateService) facade.monitorSimpleFargateService({ fargateService: ecsService, humanReadableName: 'Service' });
      else if (ecsService instanceof ecs.Ec2Service) facade.monitorSimpleEc2Service({ ec2Service: ecsService, humanReadableName: 'Service' });
    }
    if (ingress.httpApi) facade.monitorApiGatewayV2HttpApi({ api: ingress.httpApi, humanReadableName: 'HTTP API' });
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
    for (const widget of ingress.widgets ?? []) facade.addWidget(widget);
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
    // Without Container Insights (or not known to be on): ECS's own service and task events, free, to the alarm topic
    if (insights !== true && props.alarmTopic) this.serviceEventRules(service, props.alarmTopic);
    if (insights === false) {
      if (props.alarmTopic) {
        Annotations.of(this).addInfo('Container Insights is off on the cluster: no RunningTasks alarm (ECS publishes RunningTaskCount only with it); '
          + 'the EventBridge rules ServiceEvents and TaskStopped send the service\'s ECS events (tasks that cannot start or be placed, a failed deployment, '
          + 'a task that stopped on its own) to the alarm topic instead.');
      } else {
        Annotations.of(this).addWarningV2('@portcullis/monitoring:noContainerInsights',
          'Container Insights is off on the cluster (`containerInsights: false`) and there is no `alarmTopic`: there is no running-tasks alarm, since ECS publishes RunningTaskCount and DesiredTaskCount only with Container Insights, '
          + 'and the ECS service events that replace it need a topic to go to. Give `alarmTopic`.');
      }
      return;
    }
    if (insights === undefined) {
      Annotations.of(this).addWarningV2('@portcullis/monitoring:containerInsightsUnknown',
        'The running-tasks alarm reads Container Insights metrics (RunningTaskCount, DesiredTaskCount), and whether the cluster has Container Insights is not known here: without it the alarm never has data (and stays OK)'
        + (props.alarmTopic ? '; the ECS service events also go to the alarm topic (EventBridge rules ServiceEvents and TaskStopped).' : '.'));
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

  /**
   * Container Insights off: the service's ECS events to the alarm topic, through two rules on
   * the default event bus (AWS service events and the rules that match them cost nothing:
   * https://aws.amazon.com/eventbridge/pricing/). `ServiceEvents` matches the service's ARN in
   * the event's `resources`; `TaskStopped` the cluster and the task group `service:<name>`.
   */
  private serviceEventRules(service: ApiService, topic: sns.ITopic): void {
    const ecsService = service.service;
    const target = new AlarmTopicTarget(topic);
    const serviceEvents = new events.Rule(this, 'ServiceEvents', {
      description: `Service ${service.node.path}: ECS cannot start, place or configure its tasks, or a deployment failed (Container Insights off: no RunningTasks alarm)`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Service Action', 'ECS Deployment State Change'],
        resources: [ecsService.serviceArn],
        detail: { eventName: SERVICE_EVENT_NAMES },
      },
      targets: [target],
    });
    const taskStopped = new events.Rule(this, 'TaskStopped', {
      description: `Service ${service.node.path}: a task stopped on its own (its essential container exited, or it failed to start): one fewer running than desired until ECS replaces it`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [service.cluster.cluster.clusterArn],
          group: [`service:${ecsService.serviceName}`],
          lastStatus: ['STOPPED'],
          stopCode: TASK_STOP_CODES,
        },
      },
      targets: [target],
    });
    this.eventRules.push(serviceEvents, taskStopped);
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
      this.conditionalAlarms.set(alarm, options.conditionNote ?? id);
    }
    if (this.alarmTopic) {
      const action = new actions.SnsAction(this.alarmTopic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }
}

/** Every threshold within its range (the ingress's own are checked against the ingress by resolveIngressAlarms). */
function validate(props: ApiMonitoringProps): void {
  finiteNumber('cpuUtilizationPercent', props.cpuUtilizationPercent, { min: 1, max: 100, fix: 'use a percentage from 1 to 100 (e.g. 85)' });
  finiteNumber('memoryUtilizationPercent', props.memoryUtilizationPercent, { min: 1, max: 100, fix: 'use a percentage from 1 to 100 (e.g. 85)' });
  finitePercentAboveZero('target5xxRatePercent', props.target5xxRatePercent);
  finitePercentAboveZero('loadBalancer5xxRatePercent', props.loadBalancer5xxRatePercent);
  finitePercentAboveZero('cloudFront5xxErrorRatePercent', props.cloudFront5xxErrorRatePercent);
  finitePercentAboveZero('httpApi5xxRatePercent', props.httpApi5xxRatePercent);
  duration('p99ResponseTime', props.p99ResponseTime, { minSeconds: 0.001, maxSeconds: 4000, wholeSeconds: false });
  duration('p99IntegrationLatency', props.p99IntegrationLatency, { minSeconds: 0.001, maxSeconds: 30, wholeSeconds: false });
}

function finitePercentAboveZero(prop: string, value: number | undefined): void {
  finiteNumber(prop, value, { min: 0, max: 100, fix: 'use a percentage above 0, at most 100 (e.g. 5)' });
  if (value === 0) throw new Error(`\`${prop}\` must be a percentage above 0, at most 100, got 0: use e.g. 1 (a threshold of 0 would alarm on the first 5xx)`);
}
