import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Deployment } from '@portcullis/cluster';
import { Egress, EgressKind } from '@portcullis/network';

/** The configuration every reference app reads from CDK context (`cdk synth -c key=value`). */
export interface ReferenceContext {
  readonly image?: string;
  readonly containerPort?: number;
  readonly desiredCount?: number;
  readonly egress?: Egress;
  /** The AZ names of the network's subnets, e.g. `['us-east-1a', 'us-east-1b']` (default: the first two the region lists). */
  readonly availabilityZones?: string[];
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
  readonly certificateArn?: string;
  /**
   * Path of the container health check (`curl -f http://localhost:<port><path>`), or `none`
   * to turn the check off. Read by the apps without a load balancer (fargate-apigw-api).
   */
  readonly healthCheckPath?: string;
  /**
   * How ECS deploys a new task definition: `rolling`, `canary`, `linear` or `blueGreen`
   * (defaults of `Deployment`); every one rolls back on the ingress's alarms.
   */
  readonly deployment?: Deployment;
  /** An address the alarms' SNS topic sends to (an email subscription, confirmed by its owner). */
  readonly alarmEmail?: string;
  /**
   * Where the tasks run: `onDemand` (default), `spot` (Fargate Spot, or Spot instances on the
   * EC2 app) or `mixed` (Fargate only: one task on-demand, the rest 3:1 on Spot).
   */
  readonly capacity?: CapacityName;
  /** CPU architecture: `x86_64` (default) or `arm64` (Graviton Fargate tasks or instances). */
  readonly architecture?: ArchitectureName;
  /** Dual-stack network; the ALB apps then answer on IPv6 only (`dualstack-without-public-ipv4`). */
  readonly ipv6?: boolean;
  /**
   * Whether `ApiMonitoring` draws its CloudWatch dashboard ($3.00 a month): default true, and
   * false in the lean preset (see `isLeanPreset`); the alarms stay either way.
   */
  readonly dashboard?: boolean;
  /**
   * Container Insights of the cluster: `enabled` (standard, the default, as in the seeds),
   * `enhanced` or `disabled` (the lean preset's default: `ApiMonitoring` then watches the
   * running tasks from free sources). See @portcullis/cluster's "Container Insights".
   */
  readonly containerInsights?: ecs.ContainerInsights;
}

/** The values of the `capacity` context key. */
export type CapacityName = 'onDemand' | 'spot' | 'mixed';
/** The values of the `architecture` context key. */
export type ArchitectureName = 'x86_64' | 'arm64';
const CAPACITIES: CapacityName[] = ['onDemand', 'spot', 'mixed'];
/** The values of the `containerInsights` context key: `ecs.ContainerInsights`'s. */
const INSIGHTS: string[] = [ecs.ContainerInsights.ENABLED, ecs.ContainerInsights.ENHANCED, ecs.ContainerInsights.DISABLED];
const ARCHITECTURES: ArchitectureName[] = ['x86_64', 'arm64'];

/** Context keys, as documented in each app's README. */
export const CONTEXT_KEYS = [
  'image', 'containerPort', 'desiredCount', 'egress', 'availabilityZones',
  'domainName', 'hostedZoneId', 'hostedZoneName', 'certificateArn', 'healthCheckPath', 'deployment', 'alarmEmail',
  'capacity', 'architecture', 'ipv6', 'dashboard', 'containerInsights',
];

/**
 * The keys the platform app and its service apps read besides CONTEXT_KEYS (their main.ts):
 * `platformName` (the SSM parameter prefix, all three), `path` (the service's route) and
 * `priority` (its listener rule on the platform's ALB).
 */
export const PLATFORM_CONTEXT_KEYS = ['platformName', 'path', 'priority'];

/** The image the apps run when `image` is not given: the seeds' nginx, on ECR Public. */
export const DEFAULT_IMAGE = 'public.ecr.aws/docker/library/nginx:latest';

/** `healthCheckPath` value that turns the container health check off. */
export const HEALTH_CHECK_OFF = 'none';

/** An AZ name: region plus a letter (`us-east-1a`), as `@portcullis/network` accepts them. */
const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
const AZ_ID = /^[a-z]{3,5}\d+-az\d+$/;

/**
 * A registry host served by an account's private ECR, and so by the `ecr.api`/`ecr.dkr` VPC
 * endpoints of a network without NAT: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`
 * or dual-stack `<account>.dkr-ecr.<region>.on.aws`. https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
const PRIVATE_ECR_HOST = /^\d{12}\.(dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|dkr-ecr\.[a-z0-9-]+\.on\.aws)\//;

/**
 * Characters allowed in `healthCheckPath`. The path is pasted into a `CMD-SHELL` command, so
 * nothing the shell interprets: no spaces, quotes, `$`, `;`, `&`, `|`, `?`, `*`, brackets, `#`, `\`.
 */
const SAFE_PATH = /^\/[A-Za-z0-9._~%/=+,:@-]*$/;

/** Reads the apps' context; numbers must be whole numbers, `egress` a strategy name. */
export function readReferenceContext(app: App): ReferenceContext {
  const get = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    const text = String(value); // `-c key=value` gives strings; cdk.json may give numbers or booleans
    return value === undefined || value === null || value === '' ? undefined : text;
  };
  const whole = (key: string): number | undefined => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new Error(`Context \`${key}\` must be a whole number, got '${raw}' (e.g. -c ${key}=8080)`);
    return Number(raw);
  };
  const egress = get('egress');
  const healthCheckPath = get('healthCheckPath');
  if (healthCheckPath !== undefined) checkHealthCheckPath(healthCheckPath);
  const ctx: ReferenceContext = {
    image: get('image'),
    containerPort: whole('containerPort'),
    desiredCount: whole('desiredCount'),
    egress: egress === undefined ? undefined : Egress.fromName(egress),
    availabilityZones: parseAvailabilityZones(get('availabilityZones')),
    domainName: get('domainName'),
    hostedZoneId: get('hostedZoneId'),
    hostedZoneName: get('hostedZoneName'),
    certificateArn: get('certificateArn'),
    healthCheckPath,
    deployment: parseDeployment(get('deployment')),
    alarmEmail: checkAlarmEmail(get('alarmEmail')),
    capacity: oneOf('capacity', get('capacity'), CAPACITIES, 'spot'),
    architecture: oneOf('architecture', get('architecture'), ARCHITECTURES, 'arm64'),
    ipv6: flag('ipv6', get('ipv6')),
    dashboard: flag('dashboard', get('dashboard')),
    containerInsights: oneOf('containerInsights', get('containerInsights'), INSIGHTS, 'disabled') as ecs.ContainerInsights | undefined,
  };
  checkImageReachable(ctx);
  return ctx;
}

/** A `true`/`false` context value as a boolean (undefined when absent); anything else is an error naming the key. */
function flag(key: string, raw: string | undefined): boolean | undefined {
  const value = oneOf(key, raw, ['true', 'false'], 'true');
  return value === undefined ? undefined : value === 'true';
}

/**
 * The context of the READMEs' lean rows: the lean preset's three options (see `isLeanPreset`)
 * with `egress=natInstance`, the cheapest egress that keeps fixed egress IPs. One definition
 * for the apps' tests and `scripts/check-readme-commands.js`.
 */
export const LEAN_PRESET_CONTEXT: Readonly<Record<string, string>> = { egress: 'natInstance', capacity: 'spot', architecture: 'arm64', ipv6: 'true' };

/**
 * Whether the context is the lean preset: `capacity=spot`, `architecture=arm64` and
 * `ipv6=true` together (the apps' cost floor; README "Idle cost", lean row). On top of what
 * each of the three does, the preset leaves out the CloudWatch dashboard (unless
 * `-c dashboard=true`; the alarms stay), turns Container Insights off (unless
 * `-c containerInsights=enabled`) and, on the EC2 app, runs t4g.small instances.
 */
export function isLeanPreset(ctx: ReferenceContext): boolean {
  return ctx.capacity === 'spot' && ctx.architecture === 'arm64' && ctx.ipv6 === true;
}

/** `raw` if it is one of `allowed`; an error naming the context key, the value and the choices otherwise. */
function oneOf<T extends string>(key: string, raw: string | undefined, allowed: readonly T[], example: T): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`Context \`${key}\` must be one of ${allowed.join(', ')}, got '${raw}': e.g. -c ${key}=${example}`);
  }
  return raw as T;
}

/**
 * `us-east-1a,us-east-1b` (from `-c`; a JSON list in cdk.json arrives as the same string)
 * into `['us-east-1a', 'us-east-1b']`. The network checks the rest (one region, the stack's).
 */
export function parseAvailabilityZones(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const azs = raw.split(',').map((az) => az.trim());
  const fix = 'list AZ names separated by commas, e.g. -c availabilityZones=us-east-1a,us-east-1b ' +
    '(`aws ec2 describe-availability-zones --query "AvailabilityZones[].[ZoneName,ZoneId]"` shows which name is which AZ ID in your account)';
  for (const az of azs) {
    if (az === '') throw new Error(`Context \`availabilityZones\` has an empty entry, got '${raw}': ${fix}`);
    if (AZ_ID.test(az)) throw new Error(`Context \`availabilityZones\` takes AZ names, not AZ IDs, got '${az}' in '${raw}': ${fix}`);
    if (!AZ_NAME.test(az)) throw new Error(`Context \`availabilityZones\` must hold AZ names like us-east-1a, got '${az}' in '${raw}': ${fix}`);
  }
  const repeated = azs.find((az, i) => azs.indexOf(az) !== i);
  if (repeated) throw new Error(`Context \`availabilityZones\` lists '${repeated}' twice in '${raw}': ${fix}`);
  return azs;
}

/**
 * Throws unless `path` is `none` or a URL path that is safe to paste into the container
 * health check's `CMD-SHELL` command.
 */
export function checkHealthCheckPath(path: string): void {
  if (path === HEALTH_CHECK_OFF) return;
  if (!SAFE_PATH.test(path)) {
    throw new Error(
      `Context \`healthCheckPath\` must be a URL path starting with '/' made of letters, digits and . _ ~ % / = + , : @ - only ` +
      `(it runs in a shell command: no spaces, quotes, query strings or shell characters), got '${path}': ` +
      `e.g. -c healthCheckPath=/health, or -c healthCheckPath=${HEALTH_CHECK_OFF} to turn the container health check off`,
    );
  }
}

/**
 * Throws when `egress` is `none` and `image` is not in a private ECR registry: without NAT,
 * the tasks reach registries only through the ECR VPC endpoints, which do not serve ECR
 * Public (the default image), Docker Hub or any other registry.
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 */
export function checkImageReachable(ctx: ReferenceContext): void {
  if (ctx.egress?.kind !== EgressKind.NONE) return;
  if (ctx.image !== undefined && PRIVATE_ECR_HOST.test(ctx.image)) return;
  const got = ctx.image === undefined ? `no \`image\` (the default ${DEFAULT_IMAGE} is on ECR Public)` : `\`image\` '${ctx.image}'`;
  throw new Error(
    `Context \`egress=none\` needs \`image\` in a private ECR registry, got ${got}: without NAT the tasks pull only through ` +
    'the ECR VPC endpoints, which do not serve ECR Public, Docker Hub or other registries. ' +
    'Push your image to a private ECR repository in the region you deploy to and pass -c image=<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>, ' +
    'or cache ECR Public in your registry: aws ecr create-pull-through-cache-rule --ecr-repository-prefix ecr-public --upstream-registry-url public.ecr.aws, ' +
    'then -c image=<account>.dkr.ecr.<region>.amazonaws.com/ecr-public/docker/library/nginx:latest ' +
    '(the task execution role then needs ecr:BatchImportUpstreamImage, and ecr:CreateRepository until the cached repository exists: ' +
    'grant them in the registry permissions policy or an IAM policy; see the app README). Or use an egress with NAT.',
  );
}

/** An email address (one `@`, a dotted domain, no spaces or commas): the `alarmEmail` context. */
const EMAIL = /^[^@\s,;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** Returns `email` when it is an email address; throws naming `alarmEmail` otherwise. */
export function checkAlarmEmail(email: string | undefined): string | undefined {
  if (email === undefined || EMAIL.test(email)) return email;
  throw new Error(`Context \`alarmEmail\` must be one email address, got '${email}': e.g. -c alarmEmail=oncall@example.com (SNS sends a confirmation message to it first)`);
}

/** The `deployment` context values and the strategies they stand for (with `Deployment`'s defaults). */
export const DEPLOYMENTS: Record<string, () => Deployment> = {
  rolling: () => Deployment.rolling(),
  canary: () => Deployment.canary(),
  linear: () => Deployment.linear(),
  blueGreen: () => Deployment.blueGreen(),
};

/** `canary` into `Deployment.canary()`; throws naming `deployment` for any other word. */
export function parseDeployment(name: string | undefined): Deployment | undefined {
  if (name === undefined) return undefined;
  const make = Object.prototype.hasOwnProperty.call(DEPLOYMENTS, name) ? DEPLOYMENTS[name] : undefined;
  if (!make) throw new Error(`Context \`deployment\` must be one of ${Object.keys(DEPLOYMENTS).join(', ')}, got '${name}': e.g. -c deployment=canary`);
  return make();
}
