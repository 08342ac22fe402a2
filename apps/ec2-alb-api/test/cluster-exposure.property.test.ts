import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ExposureChecks } from '@portcullis/audit';
import { ApiService, Capacity, Deployment, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import * as fc from 'fast-check';

/**
 * The exposure rules of @portcullis/audit over random valid ApiServices: the assertion of
 * packages/cluster's property test "random valid services synthesize ..." that needs the audit,
 * moved here with the same generator and construction (the package's tests do not depend on
 * the audit, whose change would otherwise affect every package; that property test keeps its
 * other assertions). 25 runs: each synthesizes a whole stack (about 0.7 s here).
 */
test('property: the exposure rules over random valid services raise only what the explicit opt-outs raise', () => {
  const sizes: Array<[number, number]> = [[256, 512], [256, 1024], [512, 1024], [512, 4096], [1024, 2048], [2048, 8192], [4096, 16384], [16384, 122880]];
  // on the default t3.medium / t4g.medium instances (2 vCPU, 4 GiB)
  const ec2Sizes: Array<[number, number]> = [[256, 512], [256, 1024], [512, 1024], [1024, 2048], [2048, 3072]];
  const hits = { publicOnly: 0, noCircuitBreaker: 0, alb: 0, arm: 0, spot: 0, ipv6: 0, trafficShiftWithoutAlb: 0 };
  const strategies = { rolling: () => Deployment.rolling(), canary: () => Deployment.canary(), linear: () => Deployment.linear(), blueGreen: () => Deployment.blueGreen() };
  fc.assert(fc.property(
    fc.record({
      // 'public' = Egress.publicSubnetsOnly() with assignPublicIp: true (Fargate only: Ec2Cluster refuses it)
      placement: fc.constantFrom('fargate', 'fargate', 'ec2', 'public'),
      size: fc.nat(sizes.length - 1),
      containerPort: fc.integer({ min: 1, max: 65535 }),
      desiredCount: fc.integer({ min: 0, max: 20 }),
      // a pair ECS accepts: minHealthyPercent < maxHealthyPercent (100 / 100 was refused by
      // aws-cdk-lib on EC2 capacity: the regression test 'minHealthyPercent 100 with maxHealthyPercent 100' below)
      healthyPercents: fc.integer({ min: 100, max: 200 }).chain((max) => fc.tuple(fc.integer({ min: 0, max: Math.min(100, max - 1) }), fc.constant(max))),
      autoScale: fc.boolean(),
      circuitBreaker: fc.boolean(),
      arm: fc.boolean(),
      alb: fc.boolean(),
      cloudMap: fc.boolean(),
      deployment: fc.constantFrom<keyof typeof strategies>('rolling', 'rolling', 'canary', 'linear', 'blueGreen'),
      // the lean options: Fargate capacity (EC2: Spot instances), IPv6 (not on a public-only network)
      capacity: fc.constantFrom('default', 'onDemand', 'spot', 'mixed'),
      ipv6: fc.boolean(),
    }),
    (p) => {
      const stack = new Stack(new App(), 'Test');
      const publicOnly = p.placement === 'public';
      const onEc2 = p.placement === 'ec2';
      const ipv6 = p.ipv6 && !publicOnly;
      const network = new Network(stack, 'Network', { egress: publicOnly ? Egress.publicSubnetsOnly() : undefined, ipv6 });
      const cluster = onEc2
        ? new Ec2Cluster(stack, 'Cluster', { network, graviton: p.arm, spot: p.capacity === 'spot' })
        : new FargateCluster(stack, 'Cluster', { network });
      const capacity = onEc2 || p.capacity === 'default' ? undefined
        : p.capacity === 'spot' ? Capacity.spot() : p.capacity === 'mixed' ? Capacity.mixed() : Capacity.onDemand();
      const [cpu, memory] = onEc2 ? ec2Sizes[p.size % ec2Sizes.length] : sizes[p.size];
      const service = new ApiService(stack, 'Api', {
        cluster, cpu, memory, containerPort: p.containerPort, desiredCount: p.desiredCount,
        minHealthyPercent: p.healthyPercents[0], maxHealthyPercent: p.healthyPercents[1], circuitBreaker: p.circuitBreaker,
        autoScaling: p.autoScale ? { minCapacity: 1, maxCapacity: 5 } : undefined,
        runtimePlatform: onEc2 ? undefined : { cpuArchitecture: p.arm ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64 },
        assignPublicIp: publicOnly ? true : undefined,
        deployment: strategies[p.deployment](),
        capacity,
      });
      const shift = p.deployment !== 'rolling';
      if (p.alb) {
        // what AlbIngress does: an ip target group on the container port, opened from the ALB's group
        const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: network.vpc, internetFacing: true });
        const listener = lb.addListener('Http', { port: 80, open: true });
        const tg = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc: network.vpc, port: p.containerPort, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
        listener.addTargetGroups('Default', { targetGroups: [tg] });
        if (shift) {
          // and for a traffic-shifting deployment: a second target group and a weighted production rule
          const green = new elbv2.ApplicationTargetGroup(stack, 'Green', { vpc: network.vpc, port: p.containerPort, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
          const rule = new elbv2.ApplicationListenerRule(stack, 'Rule', {
            listener, priority: 1, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
            action: elbv2.ListenerAction.weightedForward([{ targetGroup: tg, weight: 100 }, { targetGroup: green, weight: 0 }]),
          });
          service.attachToTargetGroup(tg, rule, new ecs.AlternateTarget('Alt', { alternateTargetGroup: green, productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule) }));
        } else {
          service.attachToTargetGroup(tg, listener);
        }
        service.allowFrom(lb);
      }
      if (p.cloudMap) {
        // what ApiGatewayIngress does: SRV records in a private namespace
        const ns = new servicediscovery.PrivateDnsNamespace(stack, 'Ns', { name: 'internal', vpc: network.vpc });
        service.registerInCloudMap(ns.createService('Srv', { dnsRecordType: servicediscovery.DnsRecordType.SRV }));
      }
      if (shift && !p.alb) {
        // a traffic-shifting deployment without a load balancer never reaches CloudFormation
        expect(() => Template.fromStack(stack)).toThrow(/`deployment` Deployment\.(canary|linear|blueGreen)\(\) needs an Application Load Balancer/);
        hits.trafficShiftWithoutAlb++;
        return;
      }
      const json = Template.fromStack(stack).toJSON();
      // the exposure rules: only what the explicit opt-outs raise (public tasks, no circuit
      // breaker), and ECS2 for a service behind a load balancer that no alarm watches (this test
      // attaches it by hand, without AlbIngress's rollback alarms); Spot, Graviton and IPv6 add
      // nothing (RT1 would flag ::/0 to the internet gateway)
      const expected = [
        ...(publicOnly ? ['Portcullis-TASK1', 'Portcullis-TASK2'] : []), ...(p.circuitBreaker ? [] : ['Portcullis-ECS1']), ...(p.alb ? ['Portcullis-ECS2'] : []),
      ];
      expect(new ExposureChecks().checkTemplate(json).map((f) => f.ruleId).sort()).toEqual(expected.sort());
      hits.publicOnly += publicOnly ? 1 : 0;
      hits.noCircuitBreaker += p.circuitBreaker ? 0 : 1;
      hits.alb += p.alb ? 1 : 0;
      hits.arm += p.arm ? 1 : 0;
      hits.spot += p.capacity === 'spot' ? 1 : 0;
      hits.ipv6 += ipv6 ? 1 : 0;
    },
  ), { numRuns: 25 });
  // every branch the expectation depends on was actually generated
  for (const [branch, count] of Object.entries(hits)) expect([branch, count > 0]).toEqual([branch, true]);
});
