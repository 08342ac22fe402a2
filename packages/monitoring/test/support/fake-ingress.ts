import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ApiService, IApiIngress, IngressAlarm, IngressMonitoring } from '@portcullis/cluster';
import { INetwork } from '@portcullis/network';
import { Construct } from 'constructs';

/**
 * A test double of the ingress contract (`IApiIngress` of @portcullis/cluster): what
 * ApiMonitoring is tested against in this package, which depends on the contract and not on
 * any ingress package. The real ingresses' answers are tested where they are in scope (each
 * ingress's `monitoringFor` through ApiMonitoring in the reference apps that compose both).
 *
 * - `alb`: an internet-facing aws-cdk-lib ApplicationLoadBalancer whose listener forwards to
 *   a target group the service is registered in; its spec gives the dashboard hints for the
 *   load balancer and target group, and three alarms on the target group and load balancer
 *   that take ApiMonitoring's ALB thresholds.
 * - `httpApi`: an aws-cdk-lib HttpApi; its spec gives the HTTP API hint and two alarms that
 *   take ApiMonitoring's HTTP API thresholds.
 * - `plain`: no resource, no alarm: an ingress that watches nothing of its own.
 *
 * `spec` replaces or adds fields of the answer; every call is recorded in `calls`.
 */
export type FakeKind = 'alb' | 'httpApi' | 'plain';

export interface FakeIngressProps {
  readonly network: INetwork;
  /** The services it routes to (monitoringFor refuses any other, naming `service`). */
  readonly services: ApiService[];
  /** @default 'alb' */
  readonly kind?: FakeKind;
  /** Fields of the answer to replace or add, after the kind's own. */
  readonly spec?: (scope: Construct, service: ApiService) => Partial<IngressMonitoring>;
}

export class FakeIngress extends Construct implements IApiIngress {
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup?: elbv2.ApplicationTargetGroup;
  public readonly api?: apigwv2.HttpApi;
  /** What monitoringFor was called with. */
  public readonly calls: Array<{ readonly scope: Construct; readonly service: ApiService }> = [];
  private readonly kind: FakeKind;

  constructor(scope: Construct, id: string, private readonly props: FakeIngressProps) {
    super(scope, id);
    this.kind = props.kind ?? 'alb';
    if (this.kind === 'alb') {
      this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', { vpc: props.network.vpc, internetFacing: true });
      const listener = this.loadBalancer.addListener('Http', { port: 80, open: false });
      this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
        vpc: props.network.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
      });
      listener.addTargetGroups('Default', { targetGroups: [this.targetGroup] });
      for (const s of props.services) s.attachToTargetGroup(this.targetGroup, listener);
    } else if (this.kind === 'httpApi') {
      this.api = new apigwv2.HttpApi(this, 'Api');
    }
  }

  public monitoringFor(scope: Construct, service: ApiService): IngressMonitoring {
    this.calls.push({ scope, service });
    if (!this.props.services.includes(service)) {
      throw new Error(`\`service\` '${service.node.path}' is not routed by the FakeIngress '${this.node.path}'`);
    }
    return { ...this.ownSpec(), ...this.props.spec?.(scope, service) };
  }

  private ownSpec(): IngressMonitoring {
    const period = Duration.minutes(1);
    const mostly = { evaluationPeriods: 5, datapointsToAlarm: 3 };
    if (this.kind === 'alb') {
      const tg = this.targetGroup!;
      const lb = this.loadBalancer!;
      const alarms: IngressAlarm[] = [
        {
          id: 'Target5xxRate', threshold: 5, thresholdProp: 'target5xxRatePercent', ...mostly,
          metric: new cloudwatch.MathExpression({
            expression: '100 * FILL(errors, 0) / requests',
            usingMetrics: {
              errors: tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
              requests: tg.metrics.requestCount({ period, statistic: 'Sum' }),
            },
            period,
          }),
          description: 'Targets answer more than {threshold} % of requests with a 5xx.',
        },
        {
          id: 'TargetResponseTimeP99', threshold: 2, thresholdProp: 'p99ResponseTime', ...mostly,
          metric: tg.metrics.targetResponseTime({ period, statistic: 'p99' }),
          description: 'p99 target response time above {threshold}.',
        },
        {
          id: 'LoadBalancer5xxRate', threshold: 5, thresholdProp: 'loadBalancer5xxRatePercent', ...mostly,
          metric: lb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
          description: 'The load balancer answers more than {threshold} 5xx a minute.',
        },
      ];
      return { name: 'a FakeIngress', title: 'a fake load balancer', alarms, applicationLoadBalancer: lb, applicationTargetGroup: tg };
    }
    if (this.kind === 'httpApi') {
      const api = this.api!;
      const alarms: IngressAlarm[] = [
        {
          id: 'HttpApi5xxRate', threshold: 5, thresholdProp: 'httpApi5xxRatePercent', ...mostly,
          metric: api.metricServerError({ period, statistic: 'Sum' }),
          description: 'More than {threshold} 5xx a minute.',
        },
        {
          id: 'IntegrationLatencyP99', threshold: 2000, thresholdProp: 'p99IntegrationLatency', ...mostly,
          metric: api.metricIntegrationLatency({ period, statistic: 'p99' }),
          description: 'p99 integration latency above {threshold}.',
        },
      ];
      return { name: 'a FakeIngress', title: 'a fake HTTP API', alarms, httpApi: api };
    }
    return { name: 'a FakeIngress', title: 'a fake ingress', alarms: [] };
  }
}
