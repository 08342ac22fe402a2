import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Capacity } from '../capacity';

/**
 * The task sizes Fargate runs Windows containers on: 1, 2 or 4 vCPU, with memory in 1 GiB
 * steps (the ranges aws-cdk-lib's FargateTaskDefinition enforces, with an error that names no
 * prop). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
// Windows on Fargate: 1, 2 or 4 vCPU with the same memory ranges as Linux at those sizes
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html: 1 vCPU 2-8 GB).
const WINDOWS_FARGATE_MEMORY: Record<number, { min: number; max: number }> = {
  1024: { min: 2048, max: 8192 },
  2048: { min: 4096, max: 16384 },
  4096: { min: 8192, max: 30720 },
};

/** What an ApiService's task asks of its capacity. */
export interface PlatformRequest {
  readonly fargate: boolean;
  readonly runtimePlatform?: ecs.RuntimePlatform;
  readonly capacity?: Capacity;
  readonly cpu: number;
  readonly memory: number;
  readonly readonlyRootFilesystem: boolean;
  readonly writablePaths?: string[];
  /** The default (Linux) nginx image is used. */
  readonly defaultImage: boolean;
}

/** The OS family as written, e.g. WINDOWS_SERVER_2022_CORE; undefined for a token or none. */
export function familyName(runtimePlatform?: ecs.RuntimePlatform): string | undefined {
  const name = runtimePlatform?.operatingSystemFamily?._operatingSystemFamily;
  return name === undefined || Token.isUnresolved(name) ? undefined : name;
}

/** Whether the task asks for Windows (a token family is not judged). */
export function isWindows(runtimePlatform?: ecs.RuntimePlatform): boolean {
  return familyName(runtimePlatform) !== undefined && runtimePlatform!.operatingSystemFamily!.isWindows();
}

/**
 * Throws when the capacity cannot run the task's OS and architecture:
 * - an Ec2Cluster runs the ECS-optimized Amazon Linux 2023 image: Linux containers only;
 * - Fargate runs Windows containers on X86_64 only, not on Fargate Spot
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html), on 1, 2
 *   or 4 vCPU, without a read-only root filesystem
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html:
 *   "This parameter is not supported for Windows containers"), and with a Windows image.
 * Fargate Spot with ARM64 is fine (Linux, platform 1.4.0+).
 */
export function validatePlatform(r: PlatformRequest): void {
  if (!isWindows(r.runtimePlatform)) return;
  const family = familyName(r.runtimePlatform)!;
  const what = `\`runtimePlatform.operatingSystemFamily\` ${family}`;
  if (!r.fargate) {
    throw new Error(`${what} cannot run on an Ec2Cluster: its instances run the ECS-optimized Amazon Linux 2023 image, which runs Linux containers only. ` +
      'Use a FargateCluster for Windows tasks, or a Linux image with `operatingSystemFamily` LINUX (or leave `runtimePlatform.operatingSystemFamily` out)');
  }
  if (r.runtimePlatform?.cpuArchitecture === ecs.CpuArchitecture.ARM64) {
    throw new Error(`${what} with \`runtimePlatform.cpuArchitecture\` ARM64: Fargate runs Windows containers on X86_64 only. ` +
      'Use `cpuArchitecture: ecs.CpuArchitecture.X86_64` (or leave it out), or a Linux image for Graviton');
  }
  if (r.capacity?.usesSpot) {
    throw new Error(`\`capacity\` ${r.capacity.toString()} puts tasks on FARGATE_SPOT, which runs Linux tasks only, and ${what} is Windows. ` +
      'Use `capacity: Capacity.onDemand()` (or leave `capacity` out) for Windows tasks, or a Linux image for Spot');
  }
  if (!Token.isUnresolved(r.cpu) && !Token.isUnresolved(r.memory)) {
    const range = WINDOWS_FARGATE_MEMORY[r.cpu];
    if (!range) {
      throw new Error(`\`cpu\` ${r.cpu} cannot run ${what} on Fargate: Windows tasks take 1024, 2048 or 4096 CPU units (1, 2 or 4 vCPU). ` +
        'Use e.g. `cpu: 1024, memory: 2048`');
    }
    if (r.memory < range.min || r.memory > range.max || r.memory % 1024 !== 0) {
      throw new Error(`\`memory\` ${r.memory} is not valid with \`cpu\` ${r.cpu} for ${what} on Fargate: use ${range.min} to ${range.max} MiB in steps of 1024`);
    }
  }
  if (r.readonlyRootFilesystem) {
    throw new Error(`\`readonlyRootFilesystem\` is not supported for Windows containers (${what}): remove it`);
  }
  if (r.writablePaths !== undefined && r.writablePaths.length > 0) {
    throw new Error(`\`writablePaths\` are Linux paths of scratch volumes under a read-only root filesystem, which Windows containers (${what}) do not have: remove \`writablePaths\``);
  }
  if (r.defaultImage) {
    throw new Error(`\`image\` is the default nginx image, a Linux image, and ${what} runs Windows containers: give a Windows image with ContainerImage.fromRegistry or fromEcrRepository`);
  }
}
