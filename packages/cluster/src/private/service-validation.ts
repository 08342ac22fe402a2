import { Token } from 'aws-cdk-lib';
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
  duration('healthCheck.interval', healthCheck.interval, { minSeconds: 5, maxSeconds: 300 });
  duration('healthCheck.timeout', healthCheck.timeout, { minSeconds: 2, maxSeconds: 120 });
  wholeNumber('healthCheck.retries', healthCheck.retries, { min: 1, max: 10 });
  duration('healthCheck.startPeriod', healthCheck.startPeriod, { minSeconds: 0, maxSeconds: 300 });
}

/**
 * An image reference: not empty, no whitespace or control characters. A reference with a
 * token in it is accepted.
 */
export function validateImageName(imageName: string): void {
  if (Token.isUnresolved(imageName)) return;
  if (imageName.length === 0 || /\s/.test(imageName) || hasControlCharacter(imageName)) {
    throw new Error(`\`image\` must be an image reference like 'public.ecr.aws/docker/library/nginx:1.27' (registry/repository:tag, no spaces), got ${show(imageName)}: ` +
      'give the image name to ContainerImage.fromRegistry, or leave `image` out for the default nginx image');
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
