import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
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

/**
 * The CloudFront distributions of `loadBalancer`'s stack whose origin is a VPC origin of that
 * load balancer (what a `CloudFrontIngress` builds in front of its `alb`), in tree order:
 * each `AWS::CloudFront::Distribution` with an origin whose `VpcOriginConfig.VpcOriginId`
 * is the `Id` of an `AWS::CloudFront::VpcOrigin` whose endpoint is the load balancer's ARN.
 */
export function distributionsInFrontOf(loadBalancer: IConstruct & { readonly loadBalancerArn: string }): cloudfront.CfnDistribution[] {
  const stack = Stack.of(loadBalancer);
  const key = (v: unknown) => JSON.stringify(stack.resolve(v));
  const lbArn = key(loadBalancer.loadBalancerArn);
  const all = stack.node.findAll();
  const originIds = new Set(all
    .filter((c): c is cloudfront.CfnVpcOrigin => c instanceof cloudfront.CfnVpcOrigin)
    .filter((o) => key((stack.resolve(o.vpcOriginEndpointConfig) as { arn?: unknown } | undefined)?.arn) === lbArn)
    .map((o) => key(o.attrId)));
  if (originIds.size === 0) return [];
  return all
    .filter((c): c is cloudfront.CfnDistribution => c instanceof cloudfront.CfnDistribution)
    .filter((d) => {
      const config = stack.resolve(d.distributionConfig) as { origins?: Array<{ vpcOriginConfig?: { vpcOriginId?: unknown } }> } | undefined;
      return (config?.origins ?? []).some((o) => o.vpcOriginConfig !== undefined && originIds.has(JSON.stringify(o.vpcOriginConfig.vpcOriginId)));
    });
}

/**
 * Every target group of `ingress` (an AlbIngress: the groups it created) that `service` is
 * registered in, each followed by its alternate (the group ECS shifts production traffic to
 * with canary, linear or blue/green), in the order of the ECS service's `LoadBalancers`. Read
 * from the service itself, so a service routed twice by one ingress (two `addService` calls)
 * is watched on all its groups, not on the first only. Empty when the service's load
 * balancers cannot be read here.
 */
export function targetGroupsOf(service: ecs.BaseService, ingress: IConstruct): elbv2.ApplicationTargetGroup[] {
  const stack = Stack.of(service);
  const cfn = service.node.defaultChild;
  if (!(cfn instanceof ecs.CfnService)) return [];
  const entries = stack.resolve(cfn.loadBalancers) as Array<{ targetGroupArn?: unknown; advancedConfiguration?: { alternateTargetGroupArn?: unknown } }> | undefined;
  if (!Array.isArray(entries)) return [];
  const key = (v: unknown) => JSON.stringify(stack.resolve(v));
  const groups = new Map<string, elbv2.ApplicationTargetGroup>();
  for (const c of ingress.node.findAll()) {
    if (c instanceof elbv2.ApplicationTargetGroup) groups.set(key(c.targetGroupArn), c);
  }
  const found: elbv2.ApplicationTargetGroup[] = [];
  for (const entry of entries) {
    const tg = groups.get(key(entry.targetGroupArn));
    if (!tg) continue;
    found.push(tg);
    const alternate = entry.advancedConfiguration?.alternateTargetGroupArn;
    const alt = alternate !== undefined ? groups.get(key(alternate)) : undefined;
    if (alt) found.push(alt);
  }
  return [...new Set(found)];
}
