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
