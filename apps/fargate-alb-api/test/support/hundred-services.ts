import { App, Stack } from 'aws-cdk-lib';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Network } from '@portcullis/network';

/** Canary services per load balancer: (100 target groups - the fallback's 1) / 2 per canary service. */
export const CANARY_SERVICES_PER_ALB = 49;

/**
 * A platform of `services` canary services, each in a stack of its own with its own monitoring,
 * spread over as many load balancers (shards) as their target groups need: the fallback service
 * behind every shard (one target group on each), 49 canary services per shard.
 */
export function hundredServices(services = 100, outdir?: string) {
  const app = new App(outdir ? { outdir } : {});
  const platform = new Stack(app, 'Platform');
  const network = new Network(platform, 'Network', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(platform, 'Cluster', { network });
  const fallback = new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 });
  const shards = Array.from({ length: Math.ceil(services / CANARY_SERVICES_PER_ALB) }, (_, i) =>
    new AlbIngress(platform, `Alb${i + 1}`, { network, service: fallback, vpcEgressPorts: [80] }));
  const stacks = Array.from({ length: services }, (_, i) => {
    const n = i + 1;
    const stack = new Stack(app, `Service${n}`);
    const service = new ApiService(stack, 'Api', { cluster, serviceName: `service${n}`, deployment: Deployment.canary() });
    const alb = shards[Math.floor(i / CANARY_SERVICES_PER_ALB)];
    alb.addService(service, { priority: n, pathPatterns: [`/service${n}`, `/service${n}/*`] });
    const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress: alb });
    return { stack, service, monitoring };
  });
  return { app, platform, network, cluster, fallback, shards, stacks };
}
