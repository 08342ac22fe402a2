import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { INetwork } from '@portcullis/network';

const TYPES: string[] = Object.values(elbv2.IpAddressType);

/**
 * Checks `ipAddressType` against the scheme and the network:
 * - `dualstack` and `dualstack-without-public-ipv4` need subnets with IPv6 blocks (`ipv6` on
 *   the Network);
 * - `dualstack-without-public-ipv4` is for internet-facing load balancers only (ELB refuses
 *   it on an internal one):
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#ip-address-type
 * Returns the type, `ipv4` when not given.
 */
export function validateIpAddressType(type: elbv2.IpAddressType | undefined, internetFacing: boolean, network: INetwork): elbv2.IpAddressType {
  const resolved = type ?? elbv2.IpAddressType.IPV4;
  if (!TYPES.includes(resolved)) {
    throw new Error(`\`ipAddressType\` must be one of ${TYPES.join(', ')}, got '${String(type)}': use elbv2.IpAddressType.IPV4, DUAL_STACK or DUAL_STACK_WITHOUT_PUBLIC_IPV4`);
  }
  if (resolved === elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 && !internetFacing) {
    throw new Error('`ipAddressType` \'dualstack-without-public-ipv4\' is only for internet-facing load balancers, got `internetFacing: false`: ' +
      'an internal load balancer has no public IPv4 address to drop. Use elbv2.IpAddressType.DUAL_STACK (or IPV4), or `internetFacing: true`');
  }
  if (resolved !== elbv2.IpAddressType.IPV4 && network.ipv6Enabled !== true) {
    throw new Error(`\`ipAddressType\` '${resolved}' needs a network with IPv6 (a /64 in every subnet), but this network ${network.ipv6Enabled === false ? 'has no IPv6' : 'is not known to have IPv6 (imported)'}: ` +
      'create the Network with `ipv6: true`, or use elbv2.IpAddressType.IPV4');
  }
  return resolved;
}

/**
 * Refuses `allowedCidrs` that only the other address family could use: IPv6 ranges alone on
 * an IPv4 load balancer (it has no IPv6 address), IPv4 ranges alone on an internet-facing
 * `dualstack-without-public-ipv4` one (it has no public IPv4 address). Either admits nobody.
 * Token entries are not judged.
 */
export function validateAddressFamilies(type: elbv2.IpAddressType, internetFacing: boolean, cidrs: string[] | undefined): void {
  if (!cidrs?.length || cidrs.some((c) => Token.isUnresolved(c))) return;
  const v6 = cidrs.filter((c) => c.includes(':'));
  if (type === elbv2.IpAddressType.IPV4 && v6.length === cidrs.length) {
    throw new Error(`\`allowedCidrs\` has only IPv6 ranges (${cidrs.join(', ')}), but \`ipAddressType\` is 'ipv4': the load balancer has no IPv6 address, so nobody could reach it. ` +
      'Use elbv2.IpAddressType.DUAL_STACK (with a network with `ipv6`), or add the IPv4 ranges of your clients');
  }
  if (type === elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 && internetFacing && v6.length === 0) {
    throw new Error(`\`allowedCidrs\` has only IPv4 ranges (${cidrs.join(', ')}), but \`ipAddressType\` is 'dualstack-without-public-ipv4': the load balancer has no public IPv4 address, so nobody could reach it from the internet. ` +
      'Add the IPv6 ranges of your clients, or use elbv2.IpAddressType.DUAL_STACK');
  }
}
