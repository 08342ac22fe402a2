// EC2 family prefixes (general purpose, compute, memory, storage, accelerated, HPC, Mac).
const FAMILY_LETTERS = new Set(['a', 'c', 'd', 'dl', 'f', 'g', 'gr', 'h', 'hpc', 'i', 'im', 'inf', 'is', 'm', 'mac', 'p', 'r', 't', 'trn', 'u', 'vt', 'x', 'z']);
const SIZE = /^(nano|micro|small|medium|large|metal|metal-\d+xl|\d*xlarge)$/;
// family letters, generation digit, attribute letters (g = Graviton, d, n, e, i, a, z, b, flex...)
const FAMILY = /^([a-z]+)(\d+)([a-z-]*)$/;

interface FamilyInfo {
  readonly arch: 'arm64' | 'x86_64';
  readonly sizes: readonly string[];
}

const BURSTABLE = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'];
const xl = (...n: number[]) => n.map((k) => (k === 1 ? 'xlarge' : `${k}xlarge`));

/**
 * The families a NAT instance is usually made of (burstable, general purpose and compute,
 * including the network-optimised `n` variants), with the sizes each one really has, from
 * the instance type pages (https://aws.amazon.com/ec2/instance-types/, the per-family pages
 * such as https://aws.amazon.com/ec2/instance-types/t4/ and /m7g/) and
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html and /co.html.
 * A type of one of these families with another size does not exist (`m5.nano`, `t4g.metal`)
 * and is rejected. A family not listed here is not checked: Network warns that it could not.
 */
const NAT_FAMILIES: ReadonlyMap<string, FamilyInfo> = new Map<string, FamilyInfo>([
  // burstable: nano to 2xlarge, no metal
  ['t2', { arch: 'x86_64', sizes: BURSTABLE }],
  ['t3', { arch: 'x86_64', sizes: BURSTABLE }],
  ['t3a', { arch: 'x86_64', sizes: BURSTABLE }],
  ['t4g', { arch: 'arm64', sizes: BURSTABLE }],
  // A1: the first Graviton (arm64) family, although its name has no 'g'
  ['a1', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4), 'metal'] }],
  // general purpose
  ['m5', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24), 'metal'] }],
  ['m5a', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24)] }],
  ['m5n', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24), 'metal'] }],
  ['m6i', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 32), 'metal'] }],
  ['m6a', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 32, 48), 'metal'] }],
  ['m6g', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16), 'metal'] }],
  ['m7g', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16), 'metal'] }],
  ['m7i', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 48), 'metal-24xl', 'metal-48xl'] }],
  ['m7a', { arch: 'x86_64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16, 24, 32, 48), 'metal-48xl'] }],
  ['m8g', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16, 24, 48), 'metal-24xl', 'metal-48xl'] }],
  // compute
  ['c5', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 9, 12, 18, 24), 'metal'] }],
  ['c5a', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24)] }],
  ['c5n', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 9, 18), 'metal'] }],
  ['c6i', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 32), 'metal'] }],
  ['c6in', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 32), 'metal'] }],
  ['c6a', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 32, 48), 'metal'] }],
  ['c6g', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16), 'metal'] }],
  ['c6gn', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16)] }],
  ['c7g', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16), 'metal'] }],
  ['c7gn', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16), 'metal'] }],
  ['c7i', { arch: 'x86_64', sizes: ['large', ...xl(1, 2, 4, 8, 12, 16, 24, 48), 'metal-24xl', 'metal-48xl'] }],
  ['c7a', { arch: 'x86_64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16, 24, 32, 48), 'metal-48xl'] }],
  ['c8g', { arch: 'arm64', sizes: ['medium', 'large', ...xl(1, 2, 4, 8, 12, 16, 24, 48), 'metal-24xl', 'metal-48xl'] }],
]);

/** The families whose sizes and architecture are checked, for messages and docs. */
export const CHECKED_NAT_FAMILIES: readonly string[] = [...NAT_FAMILIES.keys()];

/** A parsed EC2 instance type: `t4g.nano` -> { family: 't4g', arm64: true }. */
export interface ParsedInstanceType {
  readonly family: string;
  readonly size: string;
  readonly generation: number;
  readonly arm64: boolean;
  /**
   * True when the family is in the table above: the size was checked and the architecture
   * is known. False for other families: the type only has the right shape, and `arm64` is
   * guessed from the name (a `g` attribute after the generation, as in r6g, x2gd, im4gn).
   */
  readonly known: boolean;
}

/**
 * Parses an EC2 instance type string, or throws an error naming `prop`, the value and the fix.
 * A type of a family in the table must have a size that family has.
 */
export function parseInstanceType(value: string, prop: string): ParsedInstanceType {
  const [family, size, ...rest] = typeof value === 'string' ? value.split('.') : [];
  const fam = FAMILY.exec(family ?? '');
  if (!fam || !FAMILY_LETTERS.has(fam[1]) || size === undefined || rest.length > 0 || !SIZE.test(size)) {
    throw new Error(
      `\`${prop}\` must be an EC2 instance type like 't4g.nano' or 'c7g.large', got '${value}': ` +
      'use <family><generation>[attributes].<size> as listed by `aws ec2 describe-instance-types`',
    );
  }
  const known = NAT_FAMILIES.get(family);
  if (known && !known.sizes.includes(size)) {
    const cheapest = known.sizes[0];
    throw new Error(
      `\`${prop}\` must be an instance type that exists, got '${value}': ${family} comes in ${known.sizes.join(', ')}. ` +
      `Use e.g. '${family}.${cheapest}'${size === 'nano' || size === 'micro' || size === 'small' ? ', or a burstable type for a small NAT (\'t4g.nano\', \'t3.nano\')' : ''}`,
    );
  }
  const attributes = fam[3];
  return {
    family,
    size,
    generation: Number(fam[2]),
    arm64: known ? known.arch === 'arm64' : attributes.replace(/-flex$/, '').includes('g'),
    known: known !== undefined,
  };
}
