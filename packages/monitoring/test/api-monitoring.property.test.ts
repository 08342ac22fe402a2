import { App, Duration, Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
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
