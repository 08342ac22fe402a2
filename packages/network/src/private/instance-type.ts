// EC2 family prefixes (general purpose, compute, memory, storage, accelerated, HPC, Mac).
const FAMILY_LETTERS = new Set(['a', 'c', 'd', 'dl', 'f', 'g', 'gr', 'h', 'hpc', 'i', 'im', 'inf', 'is', 'm', 'mac', 'p', 'r', 't', 'trn', 'u', 'vt', 'x', 'z']);
const SIZE = /^(nano|micro|small|medium|large|metal|metal-\d+xl|\d*xlarge)$/;
// family letters, generation digit, attribute letters (g = Graviton, d, n, e, i, a, z, b, flex...)
const FAMILY = /^([a-z]+)(\d+)([a-z-]*)$/;

/** A parsed EC2 instance type: `t4g.nano` -> { family: 't4g', arm64: true }. */
export interface ParsedInstanceType {
  readonly family: string;
  readonly size: string;
  readonly generation: number;
  readonly arm64: boolean;
}

/**
 * Parses an EC2 instance type string, or throws an error naming `prop`, the value and the fix.
 */
export function parseInstanceType(value: string, prop: string): ParsedInstanceType {
  const [family, size, ...rest] = value.split('.');
  const fam = FAMILY.exec(family ?? '');
  if (!fam || !FAMILY_LETTERS.has(fam[1]) || size === undefined || rest.length > 0 || !SIZE.test(size)) {
    throw new Error(
      `\`${prop}\` must be an EC2 instance type like 't4g.nano' or 'c7g.large', got '${value}': ` +
      'use <family><generation>[attributes].<size> as listed by `aws ec2 describe-instance-types`',
    );
  }
  const attributes = fam[3];
  return {
    family,
    size,
    generation: Number(fam[2]),
    arm64: attributes.replace(/-flex$/, '').includes('g'),
  };
}
