import { Duration, Token } from 'aws-cdk-lib';
import { IngressAlarm, IngressMonitoring } from '@portcullis/cluster';
import { Construct } from 'constructs';
import { describeDuration, thresholdIn } from './thresholds';

/** What a threshold prop of ApiMonitoringProps that belongs to an ingress is. */
interface IngressThreshold {
  /** A percentage, or a duration converted to the metric's unit. */
  readonly unit: 'percent' | 'seconds' | 'millis';
  /** Whom it is for, in the refusal: `an AlbIngress`. */
  readonly for: string;
  /** What to set instead, in order of preference (the first the ingress takes), and why. */
  readonly counterparts: Array<{ readonly prop: string; readonly why?: string }>;
  /** Said of the ingress that does not take it, after its name. */
  readonly lacking?: string;
  /** The fix when no counterpart applies. */
  readonly fix?: string;
}

/**
 * The threshold props of ApiMonitoringProps that an ingress takes (IngressMonitoring's
 * `thresholdProps`, an alarm's `thresholdProp`), in the order they are checked. The props
 * are ApiMonitoring's API: this table says how each reads and how its refusal is worded.
 */
export const INGRESS_THRESHOLDS: Record<string, IngressThreshold> = {
  target5xxRatePercent: { unit: 'percent', for: 'an AlbIngress', counterparts: [{ prop: 'httpApi5xxRatePercent' }] },
  p99ResponseTime: { unit: 'seconds', for: 'an AlbIngress', counterparts: [{ prop: 'p99IntegrationLatency' }] },
  httpApi5xxRatePercent: { unit: 'percent', for: 'an ApiGatewayIngress', counterparts: [{ prop: 'target5xxRatePercent' }] },
  p99IntegrationLatency: { unit: 'millis', for: 'an ApiGatewayIngress', counterparts: [{ prop: 'p99ResponseTime' }] },
  loadBalancer5xxRatePercent: {
    unit: 'percent', for: 'an AlbIngress',
    counterparts: [{ prop: 'httpApi5xxRatePercent', why: 'the HTTP API\'s 5xx rate includes the errors of the VPC link' }],
  },
  cloudFront5xxErrorRatePercent: {
    unit: 'percent', for: 'an AlbIngress behind a CloudFront distribution (`CloudFrontIngress.alb`)', counterparts: [],
    lacking: ' no CloudFront VPC origin of its stack points to',
    fix: 'or pass the `alb` of the CloudFrontIngress (or the CloudFrontIngress) as `ingress`',
  },
};

/** An alarm of the ingress with its threshold in use and its description written out. */
export interface ResolvedIngressAlarm {
  readonly spec: IngressAlarm;
  readonly threshold: number;
  readonly description: string;
}

/**
 * Checks what an ingress's `monitoringFor` returned (it may be anyone's code: each error names
 * the ingress and the field), refuses a threshold prop the ingress does not take, and
 * resolves each alarm's threshold (its prop, else its default) and description.
 */
export function resolveIngressAlarms(ingress: Construct, spec: IngressMonitoring, props: object): ResolvedIngressAlarm[] {
  const who = `the ingress '${ingress.node.path}'`;
  if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string' || typeof spec.title !== 'string' || !Array.isArray(spec.alarms)) {
    throw new Error(`\`ingress\`: ${who} returned from monitoringFor ${describe(spec)}, not an IngressMonitoring: return an object with \`name\`, \`title\` and \`alarms\``);
  }
  const known = Object.keys(INGRESS_THRESHOLDS);
  const ids = new Set<string>();
  for (const alarm of spec.alarms) {
    const at = `${who}'s alarm ${typeof alarm?.id === 'string' && alarm.id ? `'${alarm.id}'` : describe(alarm?.id)}`;
    if (typeof alarm?.id !== 'string' || alarm.id === '' || ids.has(alarm.id)) {
      throw new Error(`\`ingress\`: ${at} needs an \`id\` of its own (a non-empty construct id, unique among the alarms): ${ids.has(alarm?.id) ? 'it is used twice' : 'give one'}`);
    }
    ids.add(alarm.id);
    if (!alarm.metric) throw new Error(`\`ingress\`: ${at} has no \`metric\`: give the metric or math expression it evaluates`);
    const whole = (n: unknown, max?: number) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && (max === undefined || n <= max);
    if (!whole(alarm.evaluationPeriods)) {
      throw new Error(`\`ingress\`: ${at} has \`evaluationPeriods\` ${describe(alarm.evaluationPeriods)}: use a whole number of periods, at least 1`);
    }
    if (!whole(alarm.datapointsToAlarm, alarm.evaluationPeriods)) {
      throw new Error(`\`ingress\`: ${at} has \`datapointsToAlarm\` ${describe(alarm.datapointsToAlarm)}: use a whole number from 1 to its \`evaluationPeriods\` (${alarm.evaluationPeriods})`);
    }
    if (typeof alarm.threshold !== 'number' || (!Token.isUnresolved(alarm.threshold) && !Number.isFinite(alarm.threshold))) {
      throw new Error(`\`ingress\`: ${at} has \`threshold\` ${describe(alarm.threshold)}: use a finite number in the metric's unit`);
    }
    if (alarm.thresholdProp !== undefined && !known.includes(alarm.thresholdProp)) {
      throw new Error(`\`ingress\`: ${at} has the \`thresholdProp\` ${describe(alarm.thresholdProp)}, which ApiMonitoring does not have: use one of ${known.map((p) => `\`${p}\``).join(', ')}, or leave it out (a fixed threshold)`);
    }
  }
  const takes = spec.thresholdProps ?? spec.alarms.flatMap((a) => (a.thresholdProp ? [a.thresholdProp] : []));
  for (const p of takes) {
    if (!known.includes(p)) {
      throw new Error(`\`ingress\`: ${who} lists ${describe(p)} in \`thresholdProps\`, which ApiMonitoring does not have: use only ${known.map((k) => `\`${k}\``).join(', ')}`);
    }
  }

  // a threshold for another ingress: refused, naming it and what to set instead
  const values = props as Record<string, unknown>;
  for (const [prop, t] of Object.entries(INGRESS_THRESHOLDS)) {
    const value = values[prop];
    if (value === undefined || takes.includes(prop)) continue;
    const counterpart = t.counterparts.find((c) => takes.includes(c.prop));
    const fix = counterpart
      ? `, or set \`${counterpart.prop}\` (${counterpart.why ?? `its counterpart for ${spec.name}`})`
      : t.fix ? `, ${t.fix}` : ` (${spec.name} takes ${takes.length > 0 ? takes.map((p) => `\`${p}\``).join(', ') : 'none of the ingress thresholds'})`;
    throw new Error(`\`${prop}\` is for ${t.for}, got ${describe(value)} with ${spec.name}${t.lacking ?? ''}: remove it${fix}`);
  }

  return spec.alarms.map((alarm) => {
    const prop = alarm.thresholdProp;
    if (prop === undefined) return { spec: alarm, threshold: alarm.threshold, description: fill(alarm.description, String(alarm.threshold)) };
    const unit = INGRESS_THRESHOLDS[prop].unit;
    if (unit === 'percent') {
      const value = (values[prop] as number | undefined) ?? alarm.threshold;
      return { spec: alarm, threshold: value, description: fill(alarm.description, `${value}`) };
    }
    const d = (values[prop] as Duration | undefined) ?? (unit === 'seconds' ? Duration.seconds(alarm.threshold) : Duration.millis(alarm.threshold));
    return { spec: alarm, threshold: thresholdIn(prop, d, unit), description: fill(alarm.description, describeDuration(prop, d)) };
  });
}

function fill(description: string | undefined, threshold: string): string {
  return typeof description === 'string' ? description.split('{threshold}').join(threshold) : '';
}

/** A value in an error: a construct by path and class, a duration as written, a token as <token>. */
export function describe(value: unknown): string {
  if (value instanceof Duration) return value.isUnresolved() ? `Duration.${value.unitLabel()}(<token>)` : value.toString();
  if (value && typeof value === 'object' && 'node' in value) return `the construct '${(value as Construct).node.path}' (${value.constructor.name})`;
  if (Token.isUnresolved(value)) return '<token>';
  return typeof value === 'string' ? `'${value}'` : String(value);
}
