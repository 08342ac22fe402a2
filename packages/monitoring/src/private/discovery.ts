import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';

/**
 * The NAT gateways of a network: the `ec2.CfnNatGateway`s below its VPC construct or below
 * the network construct itself (a NAT provider may create them in either), in tree order and
 * without duplicates. An imported VPC has none in the tree; a NAT instance or `Egress.none()`
 * has none at all.
 */
export function natGatewaysOf(network: IConstruct, vpc: IConstruct): ec2.CfnNatGateway[] {
  const found = new Set<ec2.CfnNatGateway>();
  for (const root of [vpc, network]) {
    for (const c of root.node.findAll()) {
      if (c instanceof ec2.CfnNatGateway) found.add(c);
    }
  }
  return [...found];
}

/** Whether Container Insights is on for a cluster: true, false, or undefined when it cannot be known here. */
export function containerInsightsOf(cluster: ecs.ICluster): boolean | undefined {
  const cfn = cluster.node.defaultChild;
  if (!(cfn instanceof ecs.CfnCluster)) return undefined; // imported: the account default decides
  const settings: unknown = Stack.of(cluster).resolve(cfn.clusterSettings);
  if (!Array.isArray(settings)) return undefined; // unset: the account setting decides
  const setting = settings.find((s) => s && (s as { name?: unknown }).name === 'containerInsights') as { value?: unknown } | undefined;
  if (setting === undefined || typeof setting.value !== 'string') return undefined;
  return setting.value === 'enabled' || setting.value === 'enhanced';
}
