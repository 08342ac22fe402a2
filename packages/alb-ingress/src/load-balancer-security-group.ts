import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { wholeNumber } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';
import { validateAllowedCidrs } from './private/validation';

/** Properties of a {@link LoadBalancerSecurityGroup}. */
export interface LoadBalancerSecurityGroupProps {
  /** The VPC of the load balancer. */
  readonly vpc: ec2.IVpc;
  /**
   * The listener ports: the only ports clients may reach.
   *
   * @default [80]
   */
  readonly listenerPorts?: number[];
  /**
   * The IPv4 and IPv6 ranges allowed to reach the listeners: CIDR blocks on their boundary
   * (`'203.0.113.0/24'`, `'2001:db8::/32'`). An empty list writes no CIDR rule at all: then
   * only the security groups you admit through `connections` reach the listeners.
   *
   * @default ['0.0.0.0/0', '::/0'] - anyone (a public API)
   */
  readonly allowedCidrs?: string[];
}

/**
 * The security group of an internet-facing load balancer, least privilege both ways: TCP on
 * the listener ports only, from `allowedCidrs` only (the seed allowed every protocol and
 * port from anywhere); no egress until {@link allowToTarget} opens a target's port.
 */
export class LoadBalancerSecurityGroup extends Construct implements ec2.IConnectable {
  /**
   * The group's description. It never changes with the props: CloudFormation replaces a
   * security group whose description changes, so adding a listener port (HTTPS) or changing
   * `allowedCidrs` only updates the group's rules in place.
   */
  public static readonly DESCRIPTION = 'Load balancer: TCP on the listener ports only, from the allowed ranges only (see the inbound rules)';

  /** The security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: LoadBalancerSecurityGroupProps) {
    super(scope, id);
    const ports = props.listenerPorts ?? [80];
    const cidrs = props.allowedCidrs ?? ['0.0.0.0/0', '::/0'];
    if (ports.length === 0) {
      throw new Error('`listenerPorts` is empty: give at least one listener port, e.g. [80] or [80, 443]');
    }
    ports.forEach((port, i) => validatePort(`listenerPorts[${i}]`, port));
    const blocks = validateAllowedCidrs('allowedCidrs', cidrs, { allowEmpty: true });

    const group = new ec2.SecurityGroup(this, 'Resource', {
      vpc: props.vpc,
      // GroupDescription is create-only: text built from the ports or CIDRs would replace the
      // group when HTTPS is added or `allowedCidrs` changes. The rules say what is open.
      description: LoadBalancerSecurityGroup.DESCRIPTION,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    cidrs.forEach((cidr, i) => {
      const { family, peerCidr } = blocks[i];
      const peer = family === 'ipv6' ? ec2.Peer.ipv6(peerCidr) : ec2.Peer.ipv4(peerCidr);
      for (const port of ports) group.addIngressRule(peer, ec2.Port.tcp(port), `Listener ${port} from ${cidr}`);
    });
    this.securityGroup = group;
    this.connections = group.connections;
  }

  /**
   * Lets the load balancer reach `target` on `port` (TCP), and `target` accept it from the
   * load balancer's group only: the rule pair an ingress adds for each service.
   */
  public allowToTarget(target: ec2.IConnectable, port: number): void {
    validatePort('port', port);
    this.connections.allowTo(target, ec2.Port.tcp(port), `Load balancer to target port ${port}`);
  }
}

function validatePort(prop: string, port: number) {
  wholeNumber(prop, port, { min: 1, max: 65535, fix: 'use a TCP port from 1 to 65535' });
}
