import { App } from 'aws-cdk-lib';
import { Egress } from '@portcullis/network';

/** The configuration every reference app reads from CDK context (`cdk synth -c key=value`). */
export interface ReferenceContext {
  readonly image?: string;
  readonly containerPort?: number;
  readonly desiredCount?: number;
  readonly egress?: Egress;
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
  readonly certificateArn?: string;
}

/** Context keys, as documented in each app's README. */
export const CONTEXT_KEYS = ['image', 'containerPort', 'desiredCount', 'egress', 'domainName', 'hostedZoneId', 'hostedZoneName', 'certificateArn'];

/** Reads the apps' context; numbers must be whole numbers, `egress` a strategy name. */
export function readReferenceContext(app: App): ReferenceContext {
  const get = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const whole = (key: string): number | undefined => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new Error(`Context \`${key}\` must be a whole number, got '${raw}' (e.g. -c ${key}=8080)`);
    return Number(raw);
  };
  const egress = get('egress');
  return {
    image: get('image'),
    containerPort: whole('containerPort'),
    desiredCount: whole('desiredCount'),
    egress: egress === undefined ? undefined : Egress.fromName(egress),
    domainName: get('domainName'),
    hostedZoneId: get('hostedZoneId'),
    hostedZoneName: get('hostedZoneName'),
    certificateArn: get('certificateArn'),
  };
}
