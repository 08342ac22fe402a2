import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { duration, nonEmptyName, retention, show, wholeNumber } from '@portcullis/network/lib/private/validate';
import { instanceSize } from './instance-sizes';

/**
 * ECS service quota: at most 5,000 tasks per service (desiredCount, autoscaling capacity).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html
 */
export const MAX_TASKS_PER_SERVICE = 5000;

/**
 * ECS service, cluster and task-definition family names: 1 to 255 letters, digits, hyphens
 * and underscores.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
 */
export const ECS_NAME = {
  pattern: /^[A-Za-z0-9_-]+$/,
  maxLength: 255,
  description: '1 to 255 letters, digits, hyphens and underscores',
};

/**
 * The container health check within ECS's ranges: interval 5–300 s, timeout 2–120 s,
 * retries 1–10, startPeriod 0–300 s, all whole seconds (aws-cdk-lib cannot write
 * `Duration.millis(1500)` in seconds), and a command.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
 */
export function validateHealthCheck(healthCheck: ecs.HealthCheck | undefined): void {
  if (!healthCheck) return;
  const command = healthCheck.command;
  if (!Token.isUnresolved(command) && (!Array.isArray(command) || command.length === 0 || command.every((c) => c === 'CMD' || c === 'CMD-SHELL'))) {
    throw new Error(`\`healthCheck.command\` must be a command to run in the container, got ${show(command)}: e.g. ['CMD-SHELL', 'curl -f http://localhost/ || exit 1']`);
  }
  // aws-cdk-lib compares interval and timeout with their ranges at synth, as numbers: a token
  // there always fails with an error that names no prop, so both must be literals.
  for (const [prop, d] of [['interval', healthCheck.interval], ['timeout', healthCheck.timeout]] as const) {
    if (d?.isUnresolved()) {
      throw new Error(`\`healthCheck.${prop}\` must be known at synth, got a token (${d.toString().replace(/\(.*\)/, '(<token>)')}): aws-cdk-lib checks its range when it synthesizes ` +
        `and cannot compare a deploy-time value: write the number, e.g. Duration.seconds(${prop === 'interval' ? 30 : 5})`);
    }
  }
  duration('healthCheck.interval', healthCheck.interval, { minSeconds: 5, maxSeconds: 300 });
  duration('healthCheck.timeout', healthCheck.timeout, { minSeconds: 2, maxSeconds: 120 });
  wholeNumber('healthCheck.retries', healthCheck.retries, { min: 1, max: 10 });
  // written with toSeconds(): a token start period must already be in seconds
  duration('healthCheck.startPeriod', healthCheck.startPeriod, { minSeconds: 0, maxSeconds: 300, tokenUnit: 'seconds' });
  // ECS runs the next check only after the previous one timed out: the interval must be at
  // least the timeout (aws-cdk-lib's defaults: 30 s and 5 s).
  const interval = (healthCheck.interval ?? Duration.seconds(30)).toSeconds();
  const timeout = (healthCheck.timeout ?? Duration.seconds(5)).toSeconds();
  if (interval < timeout) {
    throw new Error(`\`healthCheck.interval\` (${interval} s${healthCheck.interval ? '' : ', the default'}) must be at least \`healthCheck.timeout\` (${timeout} s${healthCheck.timeout ? '' : ', the default'}): ` +
      `a check runs only after the previous one timed out. Raise \`healthCheck.interval\` to ${timeout} s or more, or lower \`healthCheck.timeout\` to ${interval} s or less`);
  }
}

/**
 * The grammar of an image reference (the distribution project's reference grammar, which
 * Docker, containerd and ECS's agent use): `[host[:port]/]path[:tag][@digest]`, where every
 * path component is lowercase letters and digits joined by `.`, `_`, `__` or dashes, a tag is
 * up to 128 word characters, dots and dashes not starting with one of the last two, and a
 * digest is `algorithm:hex` (32+ hex digits). The whole name is at most 255 characters.
 * A first component with a `.` or `:`, or `localhost`, is the registry host.
 * https://github.com/distribution/reference/blob/main/reference.go
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;
const IMAGE_EXAMPLE = "`image` must be an image reference like 'public.ecr.aws/docker/library/nginx:1.27' (registry/repository:tag, no spaces)";

/** Why a literal image reference is not one, or undefined when it is. */
export function imageReferenceProblem(imageName: string): string | undefined {
  let rest = imageName;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0];
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? parts.shift()! : undefined;
  const path = parts.join('/');
  if (host !== undefined && !HOST.test(host)) return `the registry host '${host}' is not a host name (letters, digits, dots and dashes, an optional :port)`;
  if (path === '' || parts.some((p) => p === '')) return `the repository path '${path}' has an empty component (a leading, trailing or doubled '/')`;
  const bad = parts.find((p) => !PATH_COMPONENT.test(p));
  if (bad !== undefined) {
    return /[A-Z]/.test(bad)
      ? `the repository path '${path}' has uppercase letters: repository names are lowercase (write '${path.toLowerCase()}')`
      : `the repository path component '${bad}' must be lowercase letters and digits joined by '.', '_', '__' or '-'`;
  }
  if (rest.length > MAX_NAME_LENGTH) return `the repository name has ${rest.length} characters, more than ${MAX_NAME_LENGTH}`;
  if (tag !== undefined && !TAG.test(tag)) return `the tag '${tag}' must be 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`;
  if (digest !== undefined && !DIGEST.test(digest)) return `the digest '${digest}' must be algorithm:hex, e.g. 'sha256:' and 64 hex digits`;
  return undefined;
}

/**
 * An image reference: not empty, no whitespace or control characters, and of the reference
 * grammar (lowercase repository path, a valid tag and digest). A reference with a token in it
 * is checked only where it is written literally: no whitespace, and a literal tag after the
 * last token must be a valid tag.
 */
export function validateImageName(imageName: string): void {
  if (Token.isUnresolved(imageName)) {
    const literal = imageName.replace(/\$\{Token\[[^\]]*\]\}/g, '');
    if (/\s/.test(literal) || hasControlCharacter(literal)) {
      throw new Error(`${IMAGE_EXAMPLE}, got ${show(imageName)}: remove the spaces and control characters`);
    }
    const tail = /:([^/:@$]*)$/.exec(imageName);
    if (tail && !imageName.slice(tail.index).includes('${Token') && !TAG.test(tail[1])) {
      throw new Error(`${IMAGE_EXAMPLE}, got ${show(imageName)}: the tag '${tail[1]}' must be 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`);
    }
    return;
  }
  if (imageName.length === 0 || /\s/.test(imageName) || hasControlCharacter(imageName)) {
    throw new Error(`${IMAGE_EXAMPLE}, got ${show(imageName)}: ` +
      'give the image name to ContainerImage.fromRegistry, or leave `image` out for the default nginx image');
  }
  const problem = imageReferenceProblem(imageName);
  if (problem !== undefined) {
    throw new Error(`${IMAGE_EXAMPLE}, got ${show(imageName)}: ${problem}`);
  }
}

/**
 * Throws when a task of `cpu` units and `memory` MiB can never be placed on one instance of
 * `instanceType`: the ECS agent registers 1024 CPU units per vCPU and the memory the OS
 * reports, which is always less than the installed memory (an m4.large with 8192 MiB
 * registers 7985). Only instance types whose sizes are known are checked.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html
 */
export function validateTaskFitsInstance(cpu: number, memory: number, instanceType: string | undefined): void {
  if (instanceType === undefined || Token.isUnresolved(instanceType)) return;
  const size = instanceSize(instanceType);
  if (!size) return;
  const units = size.vcpus * 1024;
  if (!Token.isUnresolved(cpu) && cpu > units) {
    throw new Error(`\`cpu\` ${cpu} is more than a ${instanceType} instance has (${size.vcpus} vCPU = ${units} CPU units): the task could never be placed; ` +
      `use \`cpu\` <= ${units}, or a larger \`instanceType\` on the Ec2Cluster`);
  }
  if (!Token.isUnresolved(memory) && memory >= size.memoryMiB) {
    throw new Error(`\`memory\` ${memory} MiB does not fit a ${instanceType} instance (${size.memoryMiB} MiB installed, of which the ECS agent registers only what the OS leaves, ` +
      `a few percent less): the task could never be placed; use \`memory\` well below ${size.memoryMiB}, or a larger \`instanceType\` on the Ec2Cluster`);
  }
}

/** Service names already used, per ECS cluster: the path of the ApiService that uses each. */
const SERVICE_NAMES = new WeakMap<object, Map<string, string>>();

/** Throws when `serviceName` is already used by another ApiService on the same cluster. */
export function checkUniqueServiceName(cluster: ecs.ICluster, clusterPath: string, serviceName: string | undefined, path: string): void {
  if (serviceName === undefined || Token.isUnresolved(serviceName)) return;
  const other = SERVICE_NAMES.get(cluster)?.get(serviceName);
  if (other !== undefined && other !== path) {
    throw new Error(`\`serviceName\` '${serviceName}' of ${path} is already used by ${other} on the same cluster (${clusterPath}): ` +
      'ECS service names are unique within a cluster; give one of them another `serviceName`, or leave it out for a generated name');
  }
}

/** Records `serviceName` as used on `cluster` by the ApiService at `path`. */
export function registerServiceName(cluster: ecs.ICluster, serviceName: string | undefined, path: string): void {
  if (serviceName === undefined || Token.isUnresolved(serviceName)) return;
  let names = SERVICE_NAMES.get(cluster);
  if (!names) {
    names = new Map();
    SERVICE_NAMES.set(cluster, names);
  }
  names.set(serviceName, path);
}

export { nonEmptyName, retention, wholeNumber };

/** Whether `value` holds an ASCII control character (U+0000 to U+001F, or U+007F). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
