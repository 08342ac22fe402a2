import { CostEstimator, PriceTable } from '../src';

/** CloudFront pricing and the three-ingress comparison (us-east-1 list prices, November 2026). */
const H = 730;
const GB = (requests: number, kb = 2) => (requests * kb) / (1024 * 1024);

describe('CostEstimator.compareIngresses', () => {
  test('idle: the HTTP API costs nothing, CloudFront + internal ALB the ALB without its two IPv4 addresses', () => {
    const c = CostEstimator.compareIngresses();
    expect(c.requestsPerMonth).toBe(0);
    expect(c.albMonthlyUsd).toBeCloseTo(H * (0.0225 + 0.008 + 2 * 0.005), 2); // 29.57
    expect(c.httpApiMonthlyUsd).toBe(0);
    expect(c.cloudFrontMonthlyUsd).toBeCloseTo(H * (0.0225 + 0.008), 2); // 22.27: CloudFront itself has no idle charge
    expect(c.cheapest).toBe('httpApi');
  });

  test('10 M requests of 2 KB: each line from the price table', () => {
    const n = 10e6;
    const c = CostEstimator.compareIngresses({ requestsPerMonth: n, averageResponseKb: 2 });
    const albCore = H * (0.0225 + 0.008); // 1 LCU minimum: 3.8 new connections/s is 0.15 LCU
    expect(c.albMonthlyUsd).toBeCloseTo(albCore + H * 2 * 0.005 + GB(n) * 0.09, 2);
    expect(c.httpApiMonthlyUsd).toBeCloseTo(10 + GB(n) * 0.09, 2);
    expect(c.cloudFrontMonthlyUsd).toBeCloseTo(albCore + (n / 1e4) * 0.012 + GB(n) * 0.085, 2);
    expect(c.cheapest).toBe('httpApi');
  });

  test('break-even volumes: HTTP API vs ALB is breakEven(); CloudFront beats the public ALB below about 6 M requests', () => {
    const c = CostEstimator.compareIngresses({ averageResponseKb: 2 });
    expect(c.breakEvenAlbHttpApi).toBeDefined();
    // breakEven() leaves data transfer out (the same rate for both) aside: the same volume
    expect(Math.abs(c.breakEvenAlbHttpApi! - CostEstimator.breakEven({ averageResponseKb: 2 })) / c.breakEvenAlbHttpApi!).toBeLessThan(0.001);
    // CloudFront saves the ALB's 2 addresses ($7.30) and pays ~$1.19 per million requests more
    const expected = (H * 2 * 0.005) / (0.012 / 1e4 - GB(1) * (0.09 - 0.085));
    expect(c.breakEvenAlbCloudFront! / expected).toBeCloseTo(1, 2);
    // 2 KB: CloudFront's $1.20 per million HTTPS requests (PriceClass_100's highest rate) never catches up with the HTTP API's $1.00
    expect(c.breakEvenCloudFrontHttpApi).toBeUndefined();
    const below = CostEstimator.compareIngresses({ requestsPerMonth: expected * 0.9 });
    expect(below.cloudFrontMonthlyUsd).toBeLessThan(below.albMonthlyUsd);
    const above = CostEstimator.compareIngresses({ requestsPerMonth: expected * 1.1 });
    expect(above.cloudFrontMonthlyUsd).toBeGreaterThan(above.albMonthlyUsd);
  });

  test('CloudFront + internal ALB vs HTTP API: no crossing at list prices (2 KB or 100 KB); one with cheaper requests', () => {
    // per GB the internal ALB's LCUs ($0.008) plus CloudFront's $0.085 exceed the HTTP API's $0.09
    expect(CostEstimator.compareIngresses({ averageResponseKb: 100 }).breakEvenCloudFrontHttpApi).toBeUndefined();
    const discounted = new CostEstimator(PriceTable.usEast1().withOverrides({ cloudFront: { PriceClass_100: { httpsPer10kRequests: 0.005, dataTransferOutGb: 0.085 } } }));
    const n = discounted.compareIngressCosts().breakEvenCloudFrontHttpApi!;
    expect(n).toBeGreaterThan(0);
    const near = (k: number) => discounted.compareIngressCosts({ requestsPerMonth: n * k });
    expect(near(0.9).httpApiMonthlyUsd).toBeLessThan(near(0.9).cloudFrontMonthlyUsd);
    expect(near(1.1).httpApiMonthlyUsd).toBeGreaterThan(near(1.1).cloudFrontMonthlyUsd);
  });

  test('at 1 B requests the ALB is cheapest; price class All costs more than 100', () => {
    const c = CostEstimator.compareIngresses({ requestsPerMonth: 1e9 });
    expect(c.cheapest).toBe('alb');
    const all = CostEstimator.compareIngresses({ requestsPerMonth: 1e9, priceClass: 'PriceClass_All' });
    expect(all.cloudFrontMonthlyUsd).toBeGreaterThan(c.cloudFrontMonthlyUsd);
    expect(all.albMonthlyUsd).toBe(c.albMonthlyUsd);
  });

  test('bad input names the field', () => {
    expect(() => CostEstimator.compareIngresses({ requestsPerMonth: -1 })).toThrow(/`requestsPerMonth` must be a number >= 0, got -1/);
    expect(() => CostEstimator.compareIngresses({ priceClass: 'PriceClass_50' })).toThrow(/`priceClass` must be one of PriceClass_100, PriceClass_200, PriceClass_All, got 'PriceClass_50'/);
  });

  test('prices are overridable per class', () => {
    const cheap = PriceTable.usEast1().withOverrides({ cloudFront: { PriceClass_100: { httpsPer10kRequests: 0.01, dataTransferOutGb: 0.085 } } });
    const c = new CostEstimator(cheap).compareIngressCosts({ requestsPerMonth: 10e6 });
    expect(c.cloudFrontMonthlyUsd).toBeLessThan(CostEstimator.compareIngresses({ requestsPerMonth: 10e6 }).cloudFrontMonthlyUsd);
    expect(cheap.cloudFrontPrices('PriceClass_All').httpsPer10kRequests).toBe(0.022);
    expect(() => PriceTable.usEast1().withOverrides({ cloudFront: { PriceClass_100: { httpsPer10kRequests: -1, dataTransferOutGb: 0 } } }))
      .toThrow(/Price `cloudFront\['PriceClass_100'\].httpsPer10kRequests` must be a number >= 0, got -1/);
  });
});

describe('estimate() of a template with a CloudFront distribution', () => {
  const template = (priceClass?: string) => ({
    Resources: {
      Dist: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: { Enabled: true, ...(priceClass ? { PriceClass: priceClass } : {}) } } },
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internal', Subnets: ['a', 'b'] } },
    },
  });

  test('idle: a zero-priced distribution line, the internal ALB without public IPv4', () => {
    const e = CostEstimator.estimateTemplate(template('PriceClass_100'));
    expect(e.lines.find((l) => l.item === 'CloudFront distribution')).toEqual(expect.objectContaining({ quantity: 1, monthlyUsd: 0, priced: true }));
    expect(e.publicIpv4Count).toBe(0);
    expect(e.totalMonthlyUsd).toBeCloseTo(H * (0.0225 + 0.008), 2);
  });

  test('with traffic: CloudFront requests and data transfer by the template\'s price class, no regional data transfer line', () => {
    const e = CostEstimator.estimateTemplate(template('PriceClass_200'), { requestsPerMonth: 10e6 });
    expect(e.lines.find((l) => l.item === 'CloudFront HTTPS requests (PriceClass_200)')).toEqual(expect.objectContaining({ quantity: 1000, unitPriceUsd: 0.022, monthlyUsd: 22 }));
    expect(e.lines.find((l) => l.item === 'CloudFront data transfer out (PriceClass_200)')?.monthlyUsd).toBeCloseTo(GB(10e6) * 0.12, 2);
    expect(e.lines.find((l) => l.item === 'Data transfer out')).toBeUndefined();
  });

  test('no PriceClass in the template is CloudFront\'s default, PriceClass_All', () => {
    const e = CostEstimator.estimateTemplate(template(), { requestsPerMonth: 1e6 });
    expect(e.lines.map((l) => l.item)).toContain('CloudFront HTTPS requests (PriceClass_All)');
  });
});
