// Cost figures are finite numbers or a named error: counts that are not counts (fractional or
// zero AZs) and profiles so large that a cost overflows are refused, never returned as NaN or Infinity.
import * as fc from 'fast-check';
import { CostEstimator } from '../src';

const nat = { Resources: { Nat: { Type: 'AWS::EC2::NatGateway' }, Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing', Subnets: ['a', 'b'] } } } };
const KNOWN = /must be a (whole )?number|not a finite number|No break-even|`priceClass`|PriceClass/;

describe('albAzs is a count of Availability Zones: a whole number >= 2', () => {
  test.each([0, 1, 1.5, 2.5, -2, NaN, Infinity])('albAzs %d is refused by breakEven and compareIngresses, naming it', (albAzs) => {
    const message = /`albAzs` must be a whole number >= 2 \(an ALB spans at least two Availability Zones\), got /;
    expect(() => CostEstimator.breakEven({ albAzs })).toThrow(message);
    expect(() => CostEstimator.compareIngresses({ albAzs })).toThrow(message);
  });

  test('a valid neighbour: 3 AZs cost one public IPv4 address more than 2 (730 h x $0.005)', () => {
    const two = CostEstimator.compareIngresses({ albAzs: 2 });
    const three = CostEstimator.compareIngresses({ albAzs: 3 });
    expect(three.albMonthlyUsd - two.albMonthlyUsd).toBeCloseTo(3.65, 2);
    expect(three.cloudFrontMonthlyUsd).toBe(two.cloudFrontMonthlyUsd); // the internal ALB holds no public address
    expect(Number.isFinite(CostEstimator.breakEven({ albAzs: 3 }))).toBe(true);
  });
});

describe('a profile so large that a cost overflows is refused, naming the profile, not returned as Infinity', () => {
  test.each<[string, object]>([
    ['requestsPerMonth 1e308', { requestsPerMonth: 1e308 }],
    ['averageResponseKb 1e300', { averageResponseKb: 1e300 }],
    ['albMinimumLcus 1e308', { albMinimumLcus: 1e308 }],
  ])('compareIngresses with %s', (_name, profile) => {
    expect(() => CostEstimator.compareIngresses(profile)).toThrow(/^CostEstimator\.compareIngresses: .* would be (Infinity|NaN), not a finite number: the profile \(`requestsPerMonth` .*\) is too large to price/);
  });

  test.each<[string, object]>([
    ['averageResponseKb 1e300', { averageResponseKb: 1e300 }],
    ['albMinimumLcus 1e308', { albMinimumLcus: 1e308 }],
  ])('breakEven with %s (it used to search and report "No break-even")', (_name, profile) => {
    expect(() => CostEstimator.breakEven(profile)).toThrow(/^CostEstimator\.breakEven: .* would be (Infinity|NaN), not a finite number/);
  });

  test('estimateTemplate with requestsPerMonth 1e308 or natDataGbPerMonth 1e308', () => {
    expect(() => CostEstimator.estimateTemplate(nat, { requestsPerMonth: 1e308 })).toThrow(/^CostEstimator\.estimate: .* would be Infinity, not a finite number: the profile \(`requestsPerMonth` 1e\+308/);
    expect(() => CostEstimator.estimateTemplate(nat, { natDataGbPerMonth: 1e308 })).toThrow(/^CostEstimator\.estimate: NAT gateway data would be Infinity/);
  });

  test('a priceClass that is not a string is refused, naming it', () => {
    expect(() => CostEstimator.compareIngresses({ priceClass: 100 as any })).toThrow(/`priceClass` must be PriceClass_100, PriceClass_200 or PriceClass_All, got 100/);
  });
});

describe('property: every figure is a finite number, or the call throws a named error', () => {
  const amount = fc.oneof(fc.double({ min: 0, max: 1e308, noNaN: true }), fc.constantFrom(0, 1, 2, 1e6, 1e12, 1e15, 1e300), fc.constantFrom(-1, NaN, Infinity, -0));
  const count = fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double({ noNaN: false }));
  const profile = fc.record({
    requestsPerMonth: amount, averageResponseKb: amount, albMinimumLcus: amount, requestsPerConnection: amount, albAzs: count,
    priceClass: fc.constantFrom('PriceClass_100', 'PriceClass_200', 'PriceClass_All'),
  }, { requiredKeys: [] });

  const finiteOrNamed = (f: () => unknown) => {
    let result: unknown;
    try {
      result = f();
    } catch (e) {
      expect((e as Error).message).toMatch(KNOWN);
      return;
    }
    const numbers: number[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'number') numbers.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(result);
    for (const n of numbers) expect(Number.isFinite(n)).toBe(true);
  };

  test('compareIngresses', () => {
    fc.assert(fc.property(profile, (p) => finiteOrNamed(() => CostEstimator.compareIngresses(p))), { numRuns: 300 });
  });

  test('breakEven', () => {
    fc.assert(fc.property(profile, (p) => finiteOrNamed(() => CostEstimator.breakEven(p))), { numRuns: 150 });
  });

  test('estimateTemplate', () => {
    const usage = fc.record({ requestsPerMonth: amount, averageResponseKb: amount, natDataGbPerMonth: amount, logIngestionGbPerMonth: amount, albMinimumLcus: amount, requestsPerConnection: amount }, { requiredKeys: [] });
    fc.assert(fc.property(usage, (u) => finiteOrNamed(() => CostEstimator.estimateTemplate(nat, u))), { numRuns: 300 });
  });
});
