/**
 * The idle month's CloudWatch Logs volume of a template, by log group: what writes to each
 * group (a task definition's `awslogs` driver, a VPC flow log, an HTTP API stage's access
 * logs, a Lambda function) and the stated idle volume of each writer.
 *
 * Stated idle volumes (assumptions, not measurements; override them in the profile and check
 * them against your bill with `portcullis-audit reconcile`):
 * - a service's containers log one line per health check they answer (nginx and most web
 *   servers log every request): the container health check at its `Interval`, and each load
 *   balancer target group's check at `HealthCheckIntervalSeconds` from each load balancer node
 *   (one per Availability Zone: "each load balancer node checks the health of each target",
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html);
 *   {@link LOG_LINE_BYTES} bytes a line, including the 26 bytes CloudWatch Logs counts per event
 *   (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html);
 * - a VPC flow log: {@link FLOW_LOG_REJECT_GB} GB a month for `REJECT` (internet scanning of the
 *   VPC's public addresses), {@link FLOW_LOG_ALL_GB} GB for `ACCEPT` or `ALL`;
 * - an HTTP API access log line: {@link ACCESS_LOG_LINE_BYTES} bytes a request (none idle);
 * - Lambda functions (custom-resource handlers) log at deploy time only: none idle.
 */
import { isUnknown, TemplateIndex } from './template';

/** Bytes of one access-log line of a health check, CloudWatch's 26-byte event overhead included. */
export const LOG_LINE_BYTES = 150;
/** Bytes of one HTTP API access-log line. */
export const ACCESS_LOG_LINE_BYTES = 300;
/** GB a month of a REJECT flow log at idle. */
export const FLOW_LOG_REJECT_GB = 0.05;
/** GB a month of an ACCEPT or ALL flow log at idle. */
export const FLOW_LOG_ALL_GB = 0.5;
/** Seconds in a month of 730 hours. */
const MONTH_SECONDS = 730 * 3600;
const BYTES_PER_GB = 1024 ** 3;
/** ECS health check `Interval` default, seconds (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html). */
const CONTAINER_HEALTH_CHECK_INTERVAL = 30;
/** Target group `HealthCheckIntervalSeconds` default for ip/instance targets, seconds. */
const TARGET_GROUP_HEALTH_CHECK_INTERVAL = 30;

/** What writes to a log group, and the GB a month it writes at idle. */
export interface LogGroupUse {
  readonly logGroup: string;
  readonly writer: 'service' | 'flowLog' | 'accessLog' | 'lambda' | 'unknown';
  /** GB a month (idle, or with the profile's requests for access logs). */
  readonly gbPerMonth: number;
  /** Retention in days, or undefined when the group never expires. */
  readonly retentionDays?: number;
  /** How the volume was counted. */
  readonly note: string;
}

/** The task-level facts the volume needs from the estimator's service loop. */
export interface LoggingService {
  readonly id: string;
  readonly taskDefinition?: string;
  readonly tasks: number;
}

/**
 * The log groups of a template with their writers and idle volumes. `flowLogGb` overrides the
 * stated flow-log volume (per flow log); `requests` drives access logs.
 */
export function logGroupUses(t: TemplateIndex, services: LoggingService[], opts: { flowLogGb?: number; requests: number }, warnings: string[]): LogGroupUse[] {
  const groups = new Map<string, { writer: LogGroupUse['writer']; gb: number; notes: string[] }>();
  const use = (id: string | undefined, writer: LogGroupUse['writer'], gb: number, note: string) => {
    if (!id || t.typeOf(id) !== 'AWS::Logs::LogGroup') return;
    const g = groups.get(id) ?? { writer, gb: 0, notes: [] };
    g.gb += gb;
    g.notes.push(note);
    groups.set(id, g);
  };

  // services: health-check lines of the containers that log to a group of the template
  const nodes = loadBalancerNodesByTargetGroup(t);
  for (const s of services) {
    if (!s.taskDefinition || !t.has(s.taskDefinition)) continue;
    const td = t.props(s.taskDefinition);
    const containers = t.list(td, 'ContainerDefinitions');
    if (isUnknown(containers)) continue;
    const svc = t.props(s.id);
    const lbs = t.list(svc, 'LoadBalancers');
    for (const c of containers) {
      if (!c || typeof c !== 'object') continue;
      const driver = t.scalar(c, 'LogConfiguration.LogDriver');
      if (driver !== 'awslogs') continue;
      const group = t.target(t.get(c, 'LogConfiguration.Options.awslogs-group'));
      const name = t.scalar(c, 'Name');
      let checksPerSecond = 0;
      const parts: string[] = [];
      if (c.HealthCheck !== undefined) {
        const interval = t.number(t.get(c, 'HealthCheck.Interval')) ?? CONTAINER_HEALTH_CHECK_INTERVAL;
        checksPerSecond += 1 / interval;
        parts.push(`container health check every ${interval} s`);
      }
      for (const lb of isUnknown(lbs) ? [] : lbs) {
        if (t.scalar(lb, 'ContainerName') !== name) continue;
        const tg = t.target(t.get(lb, 'TargetGroupArn'));
        if (!tg || !t.has(tg)) continue;
        const interval = t.number(t.get(t.props(tg), 'HealthCheckIntervalSeconds')) ?? TARGET_GROUP_HEALTH_CHECK_INTERVAL;
        const n = nodes.get(tg) ?? 2;
        checksPerSecond += n / interval;
        parts.push(`${n} load balancer node(s) checking every ${interval} s`);
      }
      const lines = checksPerSecond * MONTH_SECONDS * s.tasks;
      use(group, 'service', (lines * LOG_LINE_BYTES) / BYTES_PER_GB,
        `${s.id}: ${s.tasks} task(s), ${parts.length ? parts.join(' + ') : 'no health check'}: ${Math.round(lines).toLocaleString('en-US')} lines of ${LOG_LINE_BYTES} bytes`);
    }
  }

  // VPC flow logs to CloudWatch Logs
  for (const [id, fl] of t.ofType('AWS::EC2::FlowLog')) {
    const destType = String(t.scalar(fl, 'LogDestinationType') ?? 'cloud-watch-logs');
    if (destType !== 'cloud-watch-logs') continue; // S3 / Firehose: an unpriced line of the estimator
    const group = t.target(fl.LogGroupName) ?? t.target(fl.LogDestination);
    const traffic = String(t.scalar(fl, 'TrafficType') ?? 'ALL');
    const gb = opts.flowLogGb ?? (traffic === 'REJECT' ? FLOW_LOG_REJECT_GB : FLOW_LOG_ALL_GB);
    if (!group) warnings.push(`flow log ${id} writes to a log group outside the template: its ingestion (${gb} GB/month) is not counted`);
    use(group, 'flowLog', gb, `${id}: ${traffic} flow log, ${gb} GB/month${opts.flowLogGb === undefined ? ' (stated idle volume)' : ''}`);
  }

  // HTTP API access logs
  for (const [id, stage] of t.ofType('AWS::ApiGatewayV2::Stage')) {
    const group = t.target(t.get(stage, 'AccessLogSettings.DestinationArn'));
    const gb = (opts.requests * ACCESS_LOG_LINE_BYTES) / BYTES_PER_GB;
    use(group, 'accessLog', gb, `${id}: access logs, ${ACCESS_LOG_LINE_BYTES} bytes a request`);
  }

  // Lambda functions' log groups: deploy-time handlers, no idle volume
  for (const [id, fn] of t.ofType('AWS::Lambda::Function')) {
    use(t.target(t.get(fn, 'LoggingConfig.LogGroup')), 'lambda', 0, `${id}: Lambda logs, deploy-time only`);
  }

  return t.ofType('AWS::Logs::LogGroup').map(([id, lg]) => {
    const g = groups.get(id);
    const retention = t.number(lg.RetentionInDays);
    if (!g) {
      warnings.push(`log group ${id}: nothing in the template writes to it that the estimator knows (counted as 0 GB/month)`);
    }
    return {
      logGroup: id,
      writer: g ? g.writer : 'unknown',
      gbPerMonth: g?.gb ?? 0,
      retentionDays: retention,
      note: g ? g.notes.join('; ') : 'no writer in the template',
    };
  });
}

/**
 * Load balancer nodes that health-check each target group: the Availability Zones (subnets) of
 * the load balancer whose listener (or rule, or Portcullis production-rule custom resource)
 * forwards to it.
 */
function loadBalancerNodesByTargetGroup(t: TemplateIndex): Map<string, number> {
  const lbAzs = new Map<string, number>();
  for (const [id, lb] of t.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    const subnets = lb.Subnets !== undefined ? t.list(lb, 'Subnets') : t.list(lb, 'SubnetMappings');
    lbAzs.set(id, isUnknown(subnets) || subnets.length === 0 ? 2 : subnets.length);
  }
  const listenerLb = new Map<string, string>();
  for (const [id, l] of t.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
    const lb = t.target(l.LoadBalancerArn);
    if (lb) listenerLb.set(id, lb);
  }
  const out = new Map<string, number>();
  const mark = (listener: string | undefined, value: unknown) => {
    const lb = listener ? listenerLb.get(listener) : undefined;
    if (!lb) return;
    for (const tg of referencedTargetGroups(t, value)) out.set(tg, Math.max(out.get(tg) ?? 0, lbAzs.get(lb) ?? 2));
  };
  for (const [id, l] of t.ofType('AWS::ElasticLoadBalancingV2::Listener')) mark(id, l.DefaultActions);
  for (const [, r] of t.ofType('AWS::ElasticLoadBalancingV2::ListenerRule')) mark(t.target(r.ListenerArn), r.Actions);
  for (const id of Object.keys(t.resources)) {
    const type = t.typeOf(id) ?? '';
    if (!type.startsWith('Custom::')) continue;
    const props = t.props(id);
    if (props.ListenerArn !== undefined) mark(t.target(props.ListenerArn), props);
  }
  return out;
}

function referencedTargetGroups(t: TemplateIndex, value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedTargetGroups(t, v, out));
  } else if (value && typeof value === 'object') {
    const id = t.target(value);
    if (id && t.typeOf(id) === 'AWS::ElasticLoadBalancingV2::TargetGroup') out.add(id);
    else Object.values(value).forEach((v) => referencedTargetGroups(t, v, out));
  }
  return out;
}
