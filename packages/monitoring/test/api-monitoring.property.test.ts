import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { ApiMonitoring } from '../src';

/** One service behind both ingresses, built once; each run adds an ApiMonitoring in a fresh scope. */
const stack = new Stack(new App(), 'Prop');
const network = new Network(stack, 'Network', { egress: Egress.singleNatGateway(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
const cluster = new FargateCluster(stack, 'Cluster', { network });
const service = new ApiService(stack, 'Api', { cluster });
const alb = new AlbIngress(stack, 'Alb', { network, service });
const httpApi = new ApiGatewayIngress(stack, 'HttpApi', { network, service });
let n = 0;
const ECR_IMAGE = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');

const percent = fc.double({ min: 1, max: 100, noNaN: true });
const rate = fc.double({ min: 0.01, max: 100, noNaN: true });
const millis = (max: number) => fc.integer({ min: 1, max }).map((ms) => Duration.millis(ms));
const thresholdOf = (m: ApiMonitoring, id: string) => m.alarms.find((a) => a.node.id === id)!;
const threshold = (m: ApiMonitoring, id: string) => (stack.resolve((thresholdOf(m, id).node.defaultChild as any).threshold) as number);

test('any valid ALB thresholds become the alarms\' thresholds (latency in seconds)', () => {
  fc.assert(fc.property(percent, percent, rate, millis(4_000_000), (cpu, memory, target5xx, p99) => {
    const m = new ApiMonitoring(stack, `Alb${n++}`, {
      service, ingress: alb, cpuUtilizationPercent: cpu, memoryUtilizationPercent: memory, target5xxRatePercent: target5xx, p99ResponseTime: p99,
    });
    expect(threshold(m, 'CpuUtilization')).toBe(cpu);
    expect(threshold(m, 'MemoryUtilization')).toBe(memory);
    expect(threshold(m, 'Target5xxRate')).toBe(target5xx);
    expect(threshold(m, 'TargetResponseTimeP99')).toBeCloseTo(p99.toMilliseconds() / 1000, 6);
  }), { numRuns: 25 });
});

test('any valid HTTP API thresholds become the alarms\' thresholds (latency in milliseconds)', () => {
  fc.assert(fc.property(rate, millis(30_000), (api5xx, p99) => {
    const m = new ApiMonitoring(stack, `Api${n++}`, { service, ingress: httpApi, httpApi5xxRatePercent: api5xx, p99IntegrationLatency: p99 });
    expect(threshold(m, 'HttpApi5xxRate')).toBe(api5xx);
    expect(threshold(m, 'IntegrationLatencyP99')).toBe(p99.toMilliseconds());
  }), { numRuns: 25 });
});

test('any out-of-range percentage is refused, naming the prop and the value', () => {
  const outside = fc.oneof(fc.double({ min: -1e6, max: 0.999, noNaN: true }), fc.double({ min: 100.001, max: 1e6, noNaN: true }), fc.constant(NaN));
  fc.assert(fc.property(fc.constantFrom('cpuUtilizationPercent', 'memoryUtilizationPercent', 'target5xxRatePercent'), outside, (prop, value) => {
    if (prop === 'target5xxRatePercent' && value > 0 && value <= 100) return; // valid for a 5xx rate
    expect(() => new ApiMonitoring(stack, `Bad${n++}`, { service, ingress: alb, [prop]: value })).toThrow(new RegExp(`^\`${prop}\` must be .*, got ${String(value).replace(/[.+]/g, '\\$&')}`));
  }), { numRuns: 50 });
});

/**
 * Issue 22, item 8: the categories of bad input found around the monitoring API, each a
 * property over random inputs of that category.
 */
describe('invalid props by category', () => {
  const tokenStack = new Stack(new App(), 'Categories', { env: { account: '123456789012', region: 'us-east-1' } });
  const tokenNetwork = new Network(tokenStack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const tokenCluster = new FargateCluster(tokenStack, 'Cluster', { network: tokenNetwork });
  const routed = new ApiService(tokenStack, 'Routed', { cluster: tokenCluster, image: ECR_IMAGE });
  const tokenAlb = new AlbIngress(tokenStack, 'Alb', { network: tokenNetwork, service: routed });
  const tokenApi = new ApiGatewayIngress(tokenStack, 'HttpApi', { network: tokenNetwork, service: routed });
  const param = new CfnParameter(tokenStack, 'Threshold', { type: 'Number', default: 2 }).valueAsNumber;
  let k = 0;

  test('a contract checked for both ingresses: a service neither routes is refused, naming `service`, whichever the ingress', () => {
    const stray = new ApiService(tokenStack, 'Stray', { cluster: tokenCluster, image: ECR_IMAGE });
    fc.assert(fc.property(fc.constantFrom<'alb' | 'httpApi'>('alb', 'httpApi'), (kind) => {
      const ingress = kind === 'alb' ? tokenAlb : tokenApi;
      expect(() => new ApiMonitoring(tokenStack, `Stray${k++}`, { service: stray, ingress }))
        .toThrow(new RegExp(`^\`service\` 'Categories/Stray' is not ${kind === 'alb' ? 'attached to the AlbIngress' : 'routed by the ApiGatewayIngress'}`));
    }), { numRuns: 10 });
  });

  test('repeated attachments: a service routed n times by one ALB is watched on its n target groups', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), (times) => {
      const s = new Stack(new App(), 'Repeat');
      const net = new Network(s, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
      const cl = new FargateCluster(s, 'Cluster', { network: net });
      const alb2 = new AlbIngress(s, 'Alb', { network: net, service: new ApiService(s, 'Main', { cluster: cl, image: ECR_IMAGE }) });
      const svc = new ApiService(s, 'Orders', { cluster: cl, image: ECR_IMAGE });
      const groups = Array.from({ length: times }, (_, i) => alb2.addService(svc, { priority: i + 1, pathPatterns: [`/v${i}/*`] }));
      const m = new ApiMonitoring(s, 'Monitoring', { service: svc, ingress: alb2 });
      const watched = JSON.stringify(s.resolve((m.alarms.find((a) => a.node.id === 'UnhealthyTargets')!.node.defaultChild as any)._toCloudFormation()));
      for (const tg of groups) expect(watched).toContain(JSON.stringify(s.resolve(tg.targetGroupFullName)));
    }), { numRuns: 5 });
  });

  test('token durations: accepted as they are in the threshold\'s unit, refused naming the prop in any other (never converted or divided)', () => {
    const units = fc.constantFrom<'millis' | 'seconds' | 'minutes' | 'hours'>('millis', 'seconds', 'minutes', 'hours');
    fc.assert(fc.property(fc.constantFrom<'alb' | 'httpApi'>('alb', 'httpApi'), units, (kind, unit) => {
      const [prop, want, id] = kind === 'alb' ? ['p99ResponseTime', 'seconds', 'TargetResponseTimeP99'] : ['p99IntegrationLatency', 'millis', 'IntegrationLatencyP99'];
      const make = () => new ApiMonitoring(tokenStack, `Tok${k++}`, { service: routed, ingress: kind === 'alb' ? tokenAlb : tokenApi, [prop]: Duration[unit](param) });
      if (unit === want) {
        expect(tokenStack.resolve((make().alarms.find((a) => a.node.id === id)!.node.defaultChild as any).threshold)).toEqual({ Ref: 'Threshold' });
      } else {
        expect(make).toThrow(new RegExp(`^\`${prop}\` must be written as Duration\\.${want}\\(\\.\\.\\.\\) when its value is a token, got Duration\\.${unit}\\(<token>\\)`));
      }
    }), { numRuns: 20 });
  });

  test('token numbers: any percentage prop given as a token is the alarm\'s threshold as it is', () => {
    const props = fc.constantFrom(
      ['cpuUtilizationPercent', 'CpuUtilization'], ['memoryUtilizationPercent', 'MemoryUtilization'],
      ['target5xxRatePercent', 'Target5xxRate'], ['loadBalancer5xxRatePercent', 'LoadBalancer5xxRate'],
    );
    fc.assert(fc.property(props, ([prop, id]) => {
      const m = new ApiMonitoring(tokenStack, `Num${k++}`, { service: routed, ingress: tokenAlb, [prop]: param });
      expect(tokenStack.resolve((m.alarms.find((a) => a.node.id === id)!.node.defaultChild as any).threshold)).toEqual({ Ref: 'Threshold' });
    }), { numRuns: 12 });
  });

  test('an alarm that depends on the resource it protects: the load balancer\'s alarms reference no resource of the service, whatever the deployment', () => {
    const deployments = fc.constantFrom<'rolling' | 'canary' | 'linear' | 'blueGreen'>('rolling', 'canary', 'linear', 'blueGreen');
    fc.assert(fc.property(deployments, (deployment) => {
      const s = new Stack(new App(), 'Protects');
      const net = new Network(s, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
      const svc = new ApiService(s, 'Api', { cluster: new FargateCluster(s, 'Cluster', { network: net }), deployment: Deployment[deployment](), image: ECR_IMAGE });
      const m = new ApiMonitoring(s, 'Monitoring', { service: svc, ingress: new AlbIngress(s, 'Alb', { network: net, service: svc }) });
      const serviceId = s.getLogicalId(svc.service.node.defaultChild as any);
      for (const id of ['LoadBalancer5xxRate', 'NoHealthyTargets', 'Target5xxRate', 'UnhealthyTargets', 'TargetResponseTimeP99']) {
        const rendered = JSON.stringify(s.resolve((m.alarms.find((a) => a.node.id === id)!.node.defaultChild as any)._toCloudFormation()));
        expect([id, rendered.includes(serviceId)]).toEqual([id, false]);
      }
    }), { numRuns: 4 });
  });
});
