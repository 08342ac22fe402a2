/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  readonly network: number; // as an unsigned 32-bit number
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`, or throws an error naming `prop`, the value and the fix. */
export function parseCidr(value: string, prop: string): Ipv4Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || prefix > 32) {
    throw new Error(`\`${prop}\` must be an IPv4 CIDR block like '10.0.0.0/16', got '${value}'`);
  }
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (address & mask) >>> 0;
  if (network !== address) {
    throw new Error(
      `\`${prop}\` has host bits set: '${value}' is not the start of a /${prefix} block; use '${formatIpv4(network)}/${prefix}'`,
    );
  }
  return { network, prefix };
}

/** Dotted-quad form of an unsigned 32-bit address. */
export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}
