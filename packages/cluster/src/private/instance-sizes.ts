/**
 * vCPUs and installed memory of common EC2 instance types, for checking that an ApiService
 * task can ever be placed on an Ec2Cluster's instances. aws-cdk-lib's `ec2.InstanceType`
 * knows no sizes, so this knows only what follows from documented regularities; anything
 * else returns undefined and is not checked.
 *
 * - Burstable `t3`, `t3a`, `t4g`: every size from nano to 2xlarge
 *   (https://aws.amazon.com/ec2/instance-types/t3/, /t4/).
 * - General purpose `m`, compute `c` and memory `r`, generations 5 to 8, plain or with the
 *   `a` (AMD), `i` (Intel), `g` (Graviton) and `d` (local NVMe) attributes: `medium` is
 *   1 vCPU, `large` 2, `xlarge` 4, `<N>xlarge` 4N; memory is 4 GiB per vCPU for `m`, 2 for
 *   `c` and 8 for `r` (https://aws.amazon.com/ec2/instance-types/). Variants with other
 *   attributes (`n`, `z`, `b`, `e`, `-flex`) and `metal` sizes are not covered.
 */
export interface InstanceSize {
  readonly vcpus: number;
  /** Installed memory, MiB (the ECS agent registers somewhat less: what the OS reports). */
  readonly memoryMiB: number;
}

const BURSTABLE_FAMILIES = new Set(['t3', 't3a', 't4g']);
const BURSTABLE: Record<string, InstanceSize> = {
  nano: { vcpus: 2, memoryMiB: 512 },
  micro: { vcpus: 2, memoryMiB: 1024 },
  small: { vcpus: 2, memoryMiB: 2048 },
  medium: { vcpus: 2, memoryMiB: 4096 },
  large: { vcpus: 2, memoryMiB: 8192 },
  xlarge: { vcpus: 4, memoryMiB: 16384 },
  '2xlarge': { vcpus: 8, memoryMiB: 32768 },
};

const GIB_PER_VCPU: Record<string, number> = { m: 4, c: 2, r: 8 };
const MCR_FAMILY = /^([mcr])([5-8])((a|i|g)?d?)$/;

function vcpusOfSize(size: string): number | undefined {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  const xl = /^(\d*)xlarge$/.exec(size);
  if (!xl) return undefined;
  const n = xl[1] === '' ? 1 : Number(xl[1]);
  return n >= 1 ? 4 * n : undefined;
}

/** The size of an instance type like 't3.medium' or 'm7g.2xlarge', or undefined when not known. */
export function instanceSize(instanceType: string): InstanceSize | undefined {
  const [family, size, ...rest] = instanceType.split('.');
  if (family === undefined || size === undefined || rest.length > 0) return undefined;
  if (BURSTABLE_FAMILIES.has(family)) return BURSTABLE[size];
  const mcr = MCR_FAMILY.exec(family);
  if (!mcr) return undefined;
  const vcpus = vcpusOfSize(size);
  return vcpus === undefined ? undefined : { vcpus, memoryMiB: vcpus * GIB_PER_VCPU[mcr[1]] * 1024 };
}
