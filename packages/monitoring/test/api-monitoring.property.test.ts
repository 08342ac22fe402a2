import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { ApiMonitoring } from '../src';
import { FakeIngress } from './support/fake-ingress';

/**
 * One service behind two test doubles of the ingress contract (./support/fake-ingress.ts: one
 * taking the ALB thresholds, one the HTTP API's), built once; each run adds an ApiMonitoring
 * in a fresh scope. The real ingresses' cases are in the apps that compose them
 * (apps/fargate-alb-api/test/monitoring-alb.test.ts, apps/fargate-apigw-api/test/monitoring-http-api.test.ts).
 */
const stack = new Stack(new App(), 'Prop');
const network = new Network(stack, 'Network', { egress: Egress.singleNatGateway(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
const cluster = new FargateCluster(stack, 'Cluster', { network });
const service = new ApiService(stack, 'Api', { cluster });
const alb = new FakeIngress(stack, 'Alb', { network, services: [service], kind: 'alb' });
const httpApi = new FakeIngress(stack, 'HttpApi', { network, services: [service], kind: 'httpApi' });
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
 * property over random inputs of that category. (Repeated attachments and alarms that depend
 * on what they protect concern the ALB: apps/fargate-alb-api/test/monitoring-alb.test.ts.)
 */
describe('invalid props by category', () => {
  const tokenStack = new Stack(new App(), 'Categories', { env: { account: '123456789012', region: 'us-east-1' } });
  const tokenNetwork = new Network(tokenStack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const tokenCluster = new FargateCluster(tokenStack, 'Cluster', { network: tokenNetwork });
  const routed = new ApiService(tokenStack, 'Routed', { cluster: tokenCluster, image: ECR_IMAGE });
  const tokenAlb = new FakeIngress(tokenStack, 'Alb', { network: tokenNetwork, services: [routed], kind: 'alb' });
  const tokenApi = new FakeIngress(tokenStack, 'HttpApi', { network: tokenNetwork, services: [routed], kind: 'httpApi' });
  const param = new CfnParameter(tokenStack, 'Threshold', { type: 'Number', default: 2 }).valueAsNumber;
  let k = 0;

  test('a contract checked whatever the ingress: a service it does not route is refused with the ingress\'s error, naming `service`', () => {
    const stray = new ApiService(tokenStack, 'Stray', { cluster: tokenCluster, image: ECR_IMAGE });
    fc.assert(fc.property(fc.constantFrom<'alb' | 'httpApi'>('alb', 'httpApi'), (kind) => {
      const ingress = kind === 'alb' ? tokenAlb : tokenApi;
      expect(() => new ApiMonitoring(tokenStack, `Stray${k++}`, { service: stray, ingress }))
        .toThrow(new RegExp(`^\`service\` 'Categories/Stray' is not routed by the FakeIngress 'Categories/${kind === 'alb' ? 'Alb' : 'HttpApi'}'`));
    }), { numRuns: 10 });
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
});
