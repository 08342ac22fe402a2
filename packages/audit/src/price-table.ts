/** Prices, in USD, for one region. Hourly prices are per hour; a month is 730 hours. */
export interface Prices {
  /** Region these prices are for, e.g. `us-east-1`. */
  readonly region: string;
  /** The day the prices were gathered, ISO `YYYY-MM-DD`. */
  readonly date: string;
  readonly albHour: number;
  readonly albLcuHour: number;
  readonly natGatewayHour: number;
  readonly natGatewayGb: number;
  readonly publicIpv4Hour: number;
  readonly fargateVcpuHour: number;
  readonly fargateGbHour: number;
  /** Fargate arm64 price as a fraction of x86 (about 0.8). */
  readonly fargateArm64Factor: number;
  /**
   * Fargate Spot, Linux x86, per vCPU-hour (arm64 Spot: times `fargateArm64Factor`). Spot
   * prices move with supply and demand: this is the dated price of the table.
   *
   * @default - Fargate Spot is not priced (its lines say so)
   */
  readonly fargateSpotVcpuHour?: number;
  /**
   * Fargate Spot, Linux x86, per GB-hour.
   *
   * @default - Fargate Spot is not priced
   */
  readonly fargateSpotGbHour?: number;
  /** EC2 on-demand hourly price per instance type. */
  readonly ec2InstanceHour: Record<string, number>;
  readonly ebsGp3GbMonth: number;
  /** HTTP API, per million requests, first 300 M a month. */
  readonly httpApiMillionRequests: number;
  /** HTTP API, per million requests above 300 M a month. */
  readonly httpApiMillionRequestsAbove300M: number;
  readonly interfaceEndpointAzHour: number;
  readonly interfaceEndpointGb: number;
  readonly logsIngestGb: number;
  readonly logsStoredGbMonth: number;
  readonly dataTransferOutGb: number;
  readonly cloudMapInstanceMonth: number;
  readonly privateHostedZoneMonth: number;
  /**
   * CloudWatch standard-resolution alarm, per alarm metric-month: a metric-math alarm is
   * billed for each metric it evaluates, an anomaly-detection alarm for 3 (the metric and
   * the band's two bounds). List price, without the free tier's 10 alarm metrics.
   *
   * @default - alarms are not priced
   */
  readonly cloudwatchAlarmMetricMonth?: number;
  /**
   * CloudWatch high-resolution alarm (a period under 60 s), per alarm metric-month.
   *
   * @default - high-resolution alarms are not priced
   */
  readonly cloudwatchHighResolutionAlarmMetricMonth?: number;
  /**
   * CloudWatch composite alarm, per alarm-month.
   *
   * @default - composite alarms are not priced
   */
  readonly cloudwatchCompositeAlarmMonth?: number;
  /**
   * CloudWatch dashboard, per dashboard-month. List price, without the free tier's 3
   * dashboards per account.
   *
   * @default - dashboards are not priced
   */
  readonly cloudwatchDashboardMonth?: number;
  /**
   * CloudWatch custom metric, per metric-month (first 10,000): what standard Container Insights
   * bills its metrics as (https://aws.amazon.com/cloudwatch/pricing/; prorated by the hour).
   *
   * @default - Container Insights (standard) is not priced
   */
  readonly cloudwatchMetricMonth?: number;
  /**
   * Container Insights with enhanced observability on ECS, per metric-month
   * (`MetricStorage:CI-ECS`).
   *
   * @default - Container Insights with enhanced observability is not priced
   */
  readonly containerInsightsEnhancedMetricMonth?: number;
  /**
   * AWS KMS customer managed key, per key-month (an encrypted SNS topic that CloudWatch
   * alarms publish to needs one: the AWS managed `alias/aws/sns` key does not let CloudWatch
   * use it). Automatic rotation adds $1 a month for each of the first two rotations (a year
   * apart); an idle month of a new key is $1.
   *
   * @default - KMS keys are not priced
   */
  readonly kmsKeyMonth?: number;
  /**
   * CloudFront prices by price class (`PriceClass_100`, `PriceClass_200`, `PriceClass_All`).
   * CloudFront has no idle charge.
   *
   * @default - the list prices of November 2026, the highest rate of each class's edge regions (see `PriceTable.cloudFrontPrices`)
   */
  readonly cloudFront?: { [priceClass: string]: CloudFrontPrices };
}

/** The optional prices: absent means "not priced", never zero. */
const OPTIONAL_PRICES = new Set(['cloudwatchMetricMonth', 'containerInsightsEnhancedMetricMonth', 'cloudwatchAlarmMetricMonth', 'cloudwatchHighResolutionAlarmMetricMonth', 'cloudwatchCompositeAlarmMonth', 'cloudwatchDashboardMonth', 'kmsKeyMonth', 'fargateSpotVcpuHour', 'fargateSpotGbHour']);

/**
 * CloudFront pay-as-you-go prices of one price class. A class spans several edge regions
 * with different rates; the default table takes the highest rate among them (an upper
 * bound: an audience mostly in the United States pays $0.0100 per 10,000 HTTPS requests).
 */
export interface CloudFrontPrices {
  /** HTTPS requests, per 10,000. */
  readonly httpsPer10kRequests: number;
  /** Data transfer out to the internet, per GB (first 10 TB a month). */
  readonly dataTransferOutGb: number;
}

/**
 * CloudFront on-demand list prices, first 10 TB a month, no free tier (which covers 1 TB and
 * 10 M requests a month), https://aws.amazon.com/cloudfront/pricing/ (November 2026). Per
 * class, the highest rate of the edge regions it serves:
 * - `PriceClass_100` (North America, Europe, Israel): HTTPS $0.0120/10k (Europe; United
 *   States $0.0100), data transfer $0.085/GB;
 * - `PriceClass_200` (adds Asia, the Middle East, Africa, India, Japan) and `PriceClass_All`
 *   (adds South America, Australia and New Zealand): HTTPS $0.0220/10k (South America,
 *   Middle East and Africa), data transfer $0.120/GB (Hong Kong, Singapore, ... ).
 * Origin fetches from an AWS origin (the load balancer) are free.
 */
const CLOUDFRONT_PRICES: { [priceClass: string]: CloudFrontPrices } = {
  PriceClass_100: { httpsPer10kRequests: 0.012, dataTransferOutGb: 0.085 },
  PriceClass_200: { httpsPer10kRequests: 0.022, dataTransferOutGb: 0.12 },
  PriceClass_All: { httpsPer10kRequests: 0.022, dataTransferOutGb: 0.12 },
};

/**
 * A dated, overridable price table. The default is the project's table of us-east-1
 * on-demand list prices gathered in November 2026 (no free tier, no discounts).
 */
export class PriceTable {
  /** The project's us-east-1 list prices of November 2026. */
  public static usEast1(): PriceTable {
    return new PriceTable({
      region: 'us-east-1',
      date: '2026-11-01',
      albHour: 0.0225,
      albLcuHour: 0.008,
      natGatewayHour: 0.045,
      natGatewayGb: 0.045,
      publicIpv4Hour: 0.005,
      fargateVcpuHour: 0.04048,
      fargateGbHour: 0.004445,
      fargateArm64Factor: 0.8,
      // Fargate Spot, Linux x86, us-east-1 (https://aws.amazon.com/fargate/pricing/, "Spot" tab):
      // observed between $0.0121 and $0.0134 per vCPU-hour and $0.00133 and $0.00147 per GB-hour
      // (about 67-70% below on-demand; AWS publishes no fixed Spot price, it moves with supply
      // and demand). The table takes the conservative end, the top of the range; override
      // them with withOverrides() for the price of your month.
      fargateSpotVcpuHour: 0.0134,
      fargateSpotGbHour: 0.00147,
      ec2InstanceHour: {
        'c5.xlarge': 0.17,
        // list prices of the types Portcullis defaults to (not in the seed table)
        't3.medium': 0.0416,
        't4g.medium': 0.0336,
        't4g.nano': 0.0042,
        // the reference EC2 app's lean preset (t4g.small) and its x86 peer, for the Graviton saving
        't3.small': 0.0208,
        't4g.small': 0.0168,
      },
      ebsGp3GbMonth: 0.08,
      httpApiMillionRequests: 1.0,
      httpApiMillionRequestsAbove300M: 0.9,
      interfaceEndpointAzHour: 0.01,
      interfaceEndpointGb: 0.01,
      logsIngestGb: 0.5,
      logsStoredGbMonth: 0.03,
      dataTransferOutGb: 0.09,
      cloudMapInstanceMonth: 0.1,
      privateHostedZoneMonth: 0.5,
      // CloudWatch, https://aws.amazon.com/cloudwatch/pricing/ (us-east-1, November 2026):
      // $0.10 per standard-resolution alarm metric, $0.30 high resolution, $0.50 per composite
      // alarm, $3.00 per dashboard a month.
      cloudwatchAlarmMetricMonth: 0.1,
      cloudwatchHighResolutionAlarmMetricMonth: 0.3,
      cloudwatchCompositeAlarmMonth: 0.5,
      cloudwatchDashboardMonth: 3.0,
      // Container Insights (standard) is billed as custom metrics: $0.30 per metric-month (first
      // 10,000). Enhanced observability on ECS: $0.07 per metric-month, the AWS Price List's
      // figure (MetricStorage:CI-ECS, read twice, December 2026); no AWS pricing page confirms it.
      cloudwatchMetricMonth: 0.3,
      containerInsightsEnhancedMetricMonth: 0.07,
      // AWS KMS, https://aws.amazon.com/kms/pricing/ (November 2026): $1.00 per customer managed key a month.
      kmsKeyMonth: 1.0,
      cloudFront: CLOUDFRONT_PRICES,
    });
  }

  /** A table of your own prices (another region, a discount, a newer date). */
  public static fromPrices(prices: Prices): PriceTable {
    return new PriceTable(prices);
  }

  /** Hours in a month, as AWS bills them. */
  public static readonly HOURS_PER_MONTH = 730;

  public readonly prices: Prices;

  private constructor(prices: Prices) {
    for (const [key, value] of Object.entries(prices)) {
      if (key === 'region' || key === 'date' || key === 'ec2InstanceHour' || key === 'cloudFront') continue;
      if (value === undefined && OPTIONAL_PRICES.has(key)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(`Price \`${key}\` must be a number >= 0, got ${String(value)}`);
      }
    }
    const types = prices.ec2InstanceHour;
    if (types === null || typeof types !== 'object' || Array.isArray(types)) {
      throw new Error(`\`ec2InstanceHour\` must map instance types to hourly prices, got ${String(types)}`);
    }
    for (const [type, value] of Object.entries(types)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(`Price \`ec2InstanceHour['${type}']\` must be a number >= 0, got ${String(value)}`);
      }
    }
    for (const [priceClass, cf] of Object.entries(prices.cloudFront ?? {})) {
      for (const field of ['httpsPer10kRequests', 'dataTransferOutGb'] as const) {
        const value: unknown = cf?.[field];
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new Error(`Price \`cloudFront['${priceClass}'].${field}\` must be a number >= 0, got ${String(value)}`);
        }
      }
    }
    if (typeof prices.region !== 'string' || prices.region.trim() === '') {
      throw new Error(`\`region\` must be a region name such as us-east-1, got '${prices.region}'`);
    }
    if (!isIsoDate(prices.date)) {
      throw new Error(`\`date\` must be an ISO date of a real day, like 2026-11-01, got '${prices.date}'`);
    }
    // instance types are looked up as own keys only: `constructor` or `__proto__` is just an unknown type
    this.prices = prices;
  }

  /** The same table with some prices replaced. */
  public withOverrides(overrides: PriceOverrides): PriceTable {
    return new PriceTable({
      ...this.prices,
      ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
      ec2InstanceHour: { ...this.prices.ec2InstanceHour, ...(overrides.ec2InstanceHour ?? {}) },
      cloudFront: { ...(this.prices.cloudFront ?? CLOUDFRONT_PRICES), ...(overrides.cloudFront ?? {}) },
    });
  }

  /** The CloudFront prices of `priceClass` (`PriceClass_100`, `PriceClass_200` or `PriceClass_All`). */
  public cloudFrontPrices(priceClass: string): CloudFrontPrices {
    const table = this.prices.cloudFront ?? CLOUDFRONT_PRICES;
    const prices = Object.prototype.hasOwnProperty.call(table, priceClass) ? table[priceClass] : undefined;
    if (!prices) {
      throw new Error(`\`priceClass\` must be one of ${Object.keys(table).join(', ')}, got '${priceClass}'`);
    }
    return prices;
  }
}

/** Prices to replace in {@link PriceTable.withOverrides}; every field optional. */
export interface PriceOverrides {
  readonly date?: string;
  readonly albHour?: number;
  readonly albLcuHour?: number;
  readonly natGatewayHour?: number;
  readonly natGatewayGb?: number;
  readonly publicIpv4Hour?: number;
  readonly fargateVcpuHour?: number;
  readonly fargateGbHour?: number;
  readonly fargateSpotVcpuHour?: number;
  readonly fargateSpotGbHour?: number;
  readonly ec2InstanceHour?: Record<string, number>;
  readonly httpApiMillionRequests?: number;
  readonly interfaceEndpointAzHour?: number;
  readonly logsIngestGb?: number;
  readonly dataTransferOutGb?: number;
  readonly cloudwatchAlarmMetricMonth?: number;
  readonly cloudwatchHighResolutionAlarmMetricMonth?: number;
  readonly cloudwatchCompositeAlarmMonth?: number;
  readonly cloudwatchDashboardMonth?: number;
  readonly cloudwatchMetricMonth?: number;
  readonly containerInsightsEnhancedMetricMonth?: number;
  readonly kmsKeyMonth?: number;
  /** CloudFront prices of the price classes to replace (the others stay). */
  readonly cloudFront?: { [priceClass: string]: CloudFrontPrices };
}


/** Whether `date` is YYYY-MM-DD and a day of the calendar (not 2026-02-30). */
function isIsoDate(date: unknown): boolean {
  if (typeof date !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}
