import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Removes the inline ingress rules from `cidr` of a security group created by aws-cdk-lib,
 * keeping every other inline rule (also rules added later). `AlbIngress.allowedCidrs` cannot
 * be empty, so the CloudFront ingress gives it a never-routed placeholder and removes its
 * rule here: the internal load balancer's group ends with no CIDR rule at all.
 */
export function removeIngressCidr(group: ec2.ISecurityGroup, cidr: string): void {
  const cfn = group.node.defaultChild;
  if (!(cfn instanceof ec2.CfnSecurityGroup)) {
    throw new Error(`Security group ${group.node.path} has no CfnSecurityGroup to edit`);
  }
  const rendered = cfn.securityGroupIngress;
  const stack = Stack.of(group);
  cfn.securityGroupIngress = Lazy.any({
    produce: () => {
      const rules = stack.resolve(rendered) as Array<{ cidrIp?: string; CidrIp?: string }> | undefined;
      if (!Array.isArray(rules)) return rules;
      const kept = rules.filter((r) => (r.cidrIp ?? r.CidrIp) !== cidr);
      return kept.length > 0 ? kept : undefined;
    },
  }, { omitEmptyArray: true });
}
