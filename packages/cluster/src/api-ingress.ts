import { CfnCondition } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct, IConstruct } from 'constructs';
import { ApiService } from './api-service';

/**
 * An ingress in front of {@link ApiService}s, as a monitoring construct sees it: for a
 * service it routes to, the alarms that watch the ingress's side of the API, the thresholds
 * it takes and what to draw on a dashboard. `AlbIngress`, `ApiGatewayIngress` and
 * `CloudFrontIngress` implement it; `ApiMonitoring` (`@portcullis/monitoring`) takes any
 * implementation, so an ingress of your own plugs in by implementing
 * {@link IApiIngress.monitoringFor}.
 *
 * It is defined here, below the ingresses, so that the monitoring depends on this contract
 * and not on each ingress package.
 */
export interface IApiIngress extends IConstruct {
  /**
   * What to watch of this ingress in front of `service`. Called once by each monitoring
   * construct, which creates the alarms in `scope` (with its own alarm actions) and draws the
   * dashboard: build metrics, not alarms. What an alarm needs in its stack (e.g. a
   * `CfnCondition`) goes in the stack of `scope`, which may not be this ingress's stack;
   * create it idempotently (several monitoring constructs may share it).
   *
   * Throws, naming `service`, when this ingress does not route to `service`.
   *
   * @param scope the monitoring construct: its stack is where the alarms go
   * @param service the service behind this ingress to watch
   */
  monitoringFor(scope: Construct, service: ApiService): IngressMonitoring;
}

/** What {@link IApiIngress.monitoringFor} returns: the ingress's alarms and dashboard parts for one service. */
export interface IngressMonitoring {
  /**
   * How messages name the ingress, with its article: `an AlbIngress`.
   */
  readonly name: string;
  /**
   * What the API is behind, for the dashboard's header ("API ... behind <title>"):
   * `an Application Load Balancer`.
   */
  readonly title: string;
  /** The alarms to create for the service, in this order (empty: none). */
  readonly alarms: IngressAlarm[];
  /**
   * The thresholds of the monitoring construct's props this ingress takes, by prop name (for
   * `ApiMonitoring`: `target5xxRatePercent`, `p99ResponseTime`, `loadBalancer5xxRatePercent`,
   * `cloudFront5xxErrorRatePercent`, `httpApi5xxRatePercent`, `p99IntegrationLatency`). A
   * threshold prop given that is not listed is refused, naming the prop and its counterpart in
   * this list. List a prop here without an alarm when the alarm cannot exist in this setup
   * (e.g. a metric of another Region) but the prop still applies.
   *
   * @default - the `thresholdProp` of each alarm
   */
  readonly thresholdProps?: string[];
  /**
   * Widgets drawn after the alarm graphs (e.g. a metric graphed without an alarm).
   *
   * @default - none
   */
  readonly widgets?: cloudwatch.IWidget[];
  /**
   * The load balancer in front of the service, for a dashboard's ready-made load balancer
   * widgets (with {@link applicationTargetGroup}).
   *
   * @default - none
   */
  readonly applicationLoadBalancer?: elbv2.IApplicationLoadBalancer;
  /**
   * The service's (first) target group on {@link applicationLoadBalancer}.
   *
   * @default - none
   */
  readonly applicationTargetGroup?: elbv2.IApplicationTargetGroup;
  /**
   * The HTTP API in front of the service, for a dashboard's ready-made HTTP API widgets.
   *
   * @default - none
   */
  readonly httpApi?: apigwv2.IHttpApi;
  /**
   * Warnings the monitoring construct adds to itself (e.g. an alarm left out, and why).
   *
   * @default - none
   */
  readonly warnings?: IngressWarning[];
  /**
   * Informational messages the monitoring construct adds to itself.
   *
   * @default - none
   */
  readonly notes?: string[];
}

/** One alarm of an ingress, as {@link IngressMonitoring.alarms} describes it. */
export interface IngressAlarm {
  /** The alarm's construct id in the monitoring construct, unique there: `Target5xxRate`. */
  readonly id: string;
  /** The metric or math expression the alarm evaluates, one datapoint per period. */
  readonly metric: cloudwatch.IMetric;
  /**
   * The default threshold, in the metric's unit (seconds for `TargetResponseTime`,
   * milliseconds for `IntegrationLatency`, percent for a rate).
   */
  readonly threshold: number;
  /**
   * The threshold prop of the monitoring construct that overrides {@link threshold} (for
   * `ApiMonitoring`: `target5xxRatePercent`, ...; a duration prop is converted to the unit the
   * monitoring construct documents for it).
   *
   * @default - the threshold is fixed
   */
  readonly thresholdProp?: string;
  /** How many of the latest periods the alarm evaluates. */
  readonly evaluationPeriods: number;
  /** How many of those must breach (at most `evaluationPeriods`). */
  readonly datapointsToAlarm: number;
  /** @default cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /** @default cloudwatch.TreatMissingData.NOT_BREACHING (no traffic is not a failure) */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /**
   * The alarm's description: what it means and what to do. `{threshold}` stands for the
   * threshold in use (a number, or a duration as `2 seconds`).
   */
  readonly description: string;
  /**
   * A CloudFormation condition the alarm is created under (e.g. "deployed in us-east-1" in an
   * environment-agnostic stack). A dashboard cannot list such an alarm in an alarm status
   * widget (an unconditional reference would fail the deploy).
   *
   * @default - none
   */
  readonly condition?: CfnCondition;
  /**
   * How a dashboard names the alarm when it leaves it out of its alarm status widget for its
   * condition: `the CloudFront alarm, us-east-1 only`.
   *
   * @default - the alarm's id
   */
  readonly conditionNote?: string;
}

/** A warning about what an ingress cannot watch, for the monitoring construct to show. */
export interface IngressWarning {
  /**
   * The warning's id, unique to its cause (`noTasks`); the monitoring construct prefixes it
   * with its package (`@portcullis/monitoring:noTasks`), which is what an acknowledgement names.
   */
  readonly id: string;
  /** The message: what is not watched, why, and what to do. */
  readonly message: string;
}
