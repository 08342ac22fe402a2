import { PriceTable } from './price-table';
import { containerInsightsUsage, InsightsMode, InsightsService } from './private/container-insights';
import { freeReason, PRICED_TYPES } from './private/cost-coverage';
import { asgHasPublicIp, ebsVolumes, imageHint, instanceHasPublicIp } from './private/instances';
import { ACCESS_LOG_LINE_BYTES, LOG_LINE_BYTES, LogGroupUse, logGroupUses } from './private/log-volume';
import { isUnknown, own, TemplateIndex, Unknown } from './private/template';
import { checkTemplateShape } from './private/template-shape';

/** The traffic of a month. Every field optional: the default is an idle month. */
export interface UsageProfile {
  /**
   * Requests a month.
   *
   * @default 0
   */
  readonly requestsPerMonth?: number;
  /**
   * Average response size, KB.
   *
   * @default 2
   */
  readonly averageResponseKb?: number;
  /**
   * Requests per client connection (keep-alive). 1 is the worst case for ALB LCUs.
   *
   * @default 1
   */
  readonly requestsPerConnection?: number;
  /**
   * GB a month through the NAT (image pulls, calls to partners).
   *
   * @default 1
   */
  readonly natDataGbPerMonth?: number;
  /**
   * GB a month the services' containers write to CloudWatch Logs (all services together).
   *
   * @default - the idle volume of the template: one access-log line of 150 bytes per health
   * check the containers answer (container health checks, and each load balancer node's target
   * group checks), see the README's "Logs"
   */
  readonly logIngestionGbPerMonth?: number;
  /**
   * GB a month each VPC flow log (to CloudWatch Logs) ingests.
   *
   * @default - the stated idle volume: 0.05 GB for a `REJECT` flow log, 0.5 GB for `ACCEPT` or `ALL`
   */
  readonly flowLogGbPerMonth?: number;
  /**
   * The region to price (the table must be for it).
   *
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Minimum LCUs billed per ALB. AWS bills fractional LCUs with no minimum; the default of 1
   * matches the convention of the published reference figures and is conservative (an idle
   * ALB still sees health checks and scanners). Set 0 for AWS's exact rule.
   *
   * @default 1
   */
  readonly albMinimumLcus?: number;
}

/** One line of an estimate. */
export interface CostLine {
  /** What is billed, e.g. `NAT gateway hours`. */
  readonly item: string;
  /** How many units. */
  readonly quantity: number;
  /** The unit, e.g. `gateway-month`. */
  readonly unit: string;
  /** Price per unit, USD (absent when not priced). */
  readonly unitPriceUsd?: number;
  /** Monthly cost, USD (absent when not priced: never a silent zero). */
  readonly monthlyUsd?: number;
  /** Whether the line has a price. */
  readonly priced: boolean;
  /** How it was counted, or why it is not priced. */
  readonly note?: string;
}

/**
 * What one lean option saves: Fargate Spot, Graviton (arm64), or an internet-facing ALB
 * without public IPv4 (`dualstack-without-public-ipv4`).
 */
export interface LeanSaving {
  /** The option: `Fargate Spot`, `Graviton (arm64)` or `ALB dualstack-without-public-ipv4`. */
  readonly option: string;
  /** Whether the template already uses it (for every resource it applies to). */
  readonly applied: boolean;
  /** The line items it removes or makes cheaper, as named in `lines`. */
  readonly lineItems: string[];
  /**
   * USD a month it saves: when applied, against the same template with only this option
   * undone; when not, what it would save on the resources that do not use it yet. Each is
   * marginal (Spot is priced at the template's architecture, Graviton at its Spot share), so
   * the savings of several options overlap and do not add up.
   */
  readonly monthlyUsd: number;
  /** How it was counted. */
  readonly note: string;
}

/** A monthly cost estimate. */
export interface CostEstimate {
  readonly region: string;
  /** The date of the prices. */
  readonly priceDate: string;
  readonly lines: CostLine[];
  /** Sum of the priced lines, USD. */
  readonly totalMonthlyUsd: number;
  /** Items that could not be priced (they are not in the total). */
  readonly notPriced: string[];
  /** Public IPv4 addresses counted. */
  readonly publicIpv4Count: number;
  /** NAT gateways counted. */
  readonly natGatewayCount: number;
  /**
   * What the template does not determine and how it was counted, e.g.
   * `cannot evaluate DesiredCount of Service: intrinsic Fn::If` (counted as 1).
   */
  readonly warnings: string[];
  /**
   * What the lean options save (applied) or would save (not applied): Fargate Spot, Graviton,
   * and ALBs without public IPv4. Options that apply to nothing in the template are left out.
   */
  readonly leanSavings: LeanSaving[];
  /**
   * The resource types of the template that cost nothing (at idle), each with the reason. With
   * `lines` they account for every resource: a type that is neither priced nor free is an
   * unpriced line (and in `notPriced`).
   */
  readonly free: FreeResource[];
}

/** Resources of one type that have no charge of their own, and why. */
export interface FreeResource {
  /** The CloudFormation type, e.g. `AWS::IAM::Role`. */
  readonly type: string;
  /** How many the template has. */
  readonly count: number;
  /** Why they cost nothing, with a source where AWS says so. */
  readonly reason: string;
}

/** The profile of {@link CostEstimator.breakEven}. */
export interface BreakEvenProfile {
  /**
   * Average response size, KB.
   *
   * @default 2
   */
  readonly averageResponseKb?: number;
  /**
   * Availability zones (and so public IPv4 addresses) of the ALB.
   *
   * @default 2
   */
  readonly albAzs?: number;
  /**
   * Requests per connection.
   *
   * @default 1
   */
  readonly requestsPerConnection?: number;
  /**
   * Minimum LCUs billed per ALB.
   *
   * @default 1
   */
  readonly albMinimumLcus?: number;
}

/** The profile of {@link CostEstimator.compareIngresses}: a request volume on top of {@link BreakEvenProfile}. */
export interface IngressComparisonProfile extends BreakEvenProfile {
  /**
   * Requests a month.
   *
   * @default 0 - an idle month
   */
  readonly requestsPerMonth?: number;
  /**
   * CloudFront price class of the CloudFront ingress.
   *
   * @default 'PriceClass_100' - the CloudFront ingress's default
   */
  readonly priceClass?: string;
}

/**
 * The monthly cost of each ingress for one profile, USD: the ingress alone (load balancer
 * hours, LCUs and public IPv4 addresses, API requests, CloudFront requests) plus the data
 * transfer out of the responses (regional $/GB for the ALB and the HTTP API, CloudFront's
 * rate for CloudFront). Not the tasks, the NAT or the logs, which are the same for all three.
 */
export interface IngressComparison {
  /** The requests a month compared. */
  readonly requestsPerMonth: number;
  /** The average response size compared, KB. */
  readonly averageResponseKb: number;
  /** Internet-facing ALB: hours, LCUs, one public IPv4 address per AZ, data transfer out. */
  readonly albMonthlyUsd: number;
  /** API Gateway HTTP API: requests (512 KB metering), data transfer out. */
  readonly httpApiMonthlyUsd: number;
  /** CloudFront + internal ALB: ALB hours and LCUs (no public address), CloudFront HTTPS requests and data transfer out. */
  readonly cloudFrontMonthlyUsd: number;
  /** The cheapest: `alb`, `httpApi` or `cloudFront`. */
  readonly cheapest: string;
  /** Requests a month at which the HTTP API costs as much as the ALB (above it the ALB is cheaper); absent when one is cheaper at every volume. */
  readonly breakEvenAlbHttpApi?: number;
  /** Requests a month at which the HTTP API costs as much as CloudFront + internal ALB; absent when one is cheaper at every volume. */
  readonly breakEvenCloudFrontHttpApi?: number;
  /** Requests a month at which CloudFront + internal ALB costs as much as the ALB; absent when one is cheaper at every volume. */
  readonly breakEvenAlbCloudFront?: number;
}

const H = PriceTable.HOURS_PER_MONTH;
const KB_PER_GB = 1024 * 1024;
const BYTES_PER_GB = 1024 ** 3;
/**
 * Bytes of one Container Insights performance log event: a JSON event of about 30 fields plus
 * its embedded-metric-format block (stated: the examples of AWS's "Container Insights
 * performance log events for Amazon ECS" are 1-2 KB; the upper end is taken).
 */
const PERFORMANCE_EVENT_BYTES = 2048;

/**
 * Estimates the monthly cost of a synthesized CloudFormation template from a usage profile,
 * line by line: ALB hours and LCUs, NAT gateway hours and data, NAT and container
 * instances, public IPv4 addresses (ALB nodes, EIPs, task public IPs), Fargate vCPU and GB
 * hours, EBS, interface endpoints, HTTP API requests, Cloud Map, logs and data transfer.
 * List prices of one region, no free tier, no discounts.
 */
export class CostEstimator {
  /** Estimates one template with the default price table (`new CostEstimator(prices)` for another). */
  public static estimateTemplate(template: any, profile: UsageProfile = {}): CostEstimate {
    return new CostEstimator().estimate(template, profile);
  }

  /**
   * The monthly request volume at which an HTTP API ingress costs the same as an ALB
   * (hours, LCUs and the ALB's public IPv4 addresses), for a profile. Below it the HTTP API
   * is cheaper. Throws when the HTTP API is cheaper at every volume (very large responses).
   */
  public static breakEven(profile: BreakEvenProfile = {}): number {
    return new CostEstimator().breakEvenRequests(profile);
  }

  /**
   * Compares the three ingresses (internet-facing ALB, HTTP API, CloudFront + internal ALB)
   * at a request volume and response size, with their pairwise break-even volumes.
   */
  public static compareIngresses(profile: IngressComparisonProfile = {}): IngressComparison {
    return new CostEstimator().compareIngressCosts(profile);
  }

  private readonly prices: PriceTable;

  constructor(prices: PriceTable = PriceTable.usEast1()) {
    this.prices = prices;
  }

  /** {@link CostEstimator.breakEven} with this estimator's prices. */
  public breakEvenRequests(profile: BreakEvenProfile = {}): number {
    const p = this.prices.prices;
    const kb = nonNegative(profile.averageResponseKb ?? 2, 'averageResponseKb');
    const azs = albAzCount(profile.albAzs ?? 2);
    const perConnection = atLeastOne(profile.requestsPerConnection ?? 1, 'requestsPerConnection');
    const minLcu = nonNegative(profile.albMinimumLcus ?? 1, 'albMinimumLcus');
    const alb = (requests: number) => H * (p.albHour + azs * p.publicIpv4Hour)
      + H * p.albLcuHour * Math.max(minLcu, lcusPerHour(requests, kb, perConnection));
    const api = (requests: number) => httpApiCost(requests, kb, p.httpApiMillionRequests, p.httpApiMillionRequestsAbove300M);
    // the search reaches 1e15 requests a month: every cost on the way must be a number
    finiteFigures('CostEstimator.breakEven', { alb: alb(SEARCH_LIMIT), httpApi: api(SEARCH_LIMIT) }, { averageResponseKb: kb, albMinimumLcus: minLcu, requestsPerConnection: perConnection });
    let lo = 0;
    let hi = 1e6;
    while (api(hi) < alb(hi)) {
      hi *= 2;
      if (hi > SEARCH_LIMIT) throw new Error('No break-even: for this profile the HTTP API is cheaper than the ALB at every volume (large responses cost the ALB more per request in LCUs than API Gateway meters)');
    }
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (api(mid) < alb(mid)) lo = mid; else hi = mid;
    }
    return Math.round((lo + hi) / 2);
  }

  /** CloudWatch alarms (per alarm metric), composite alarms and dashboards: list prices, no free tier. */
  private cloudWatch(t: TemplateIndex, add: (item: string, quantity: number, unit: string, unitPrice: number | undefined, note?: string) => void): void {
    const p = this.prices.prices;
    const alarms = t.ofType('AWS::CloudWatch::Alarm');
    let standard = 0;
    let high = 0;
    let standardAlarms = 0;
    let highAlarms = 0;
    let unknown = 0;
    for (const [, alarm] of alarms) {
      const billed = alarmMetrics(t, alarm);
      if (billed === undefined) {
        unknown++;
      } else if (billed.highResolution) {
        high += billed.metrics;
        highAlarms++;
      } else {
        standard += billed.metrics;
        standardAlarms++;
      }
    }
    add('CloudWatch alarm metrics', standard, 'alarm-metric-month', p.cloudwatchAlarmMetricMonth,
      `${standardAlarms} alarm(s); a metric-math alarm counts each metric it evaluates; list price, without the free tier's 10 alarm metrics`);
    add('CloudWatch high-resolution alarm metrics', high, 'alarm-metric-month', p.cloudwatchHighResolutionAlarmMetricMonth, `${highAlarms} alarm(s) with a period under 60 s`);
    add('CloudWatch Metrics Insights alarms', unknown, 'alarm-month', undefined, 'billed per metric the query analyzes, which the template does not say');
    add('CloudWatch composite alarms', t.ofType('AWS::CloudWatch::CompositeAlarm').length, 'alarm-month', p.cloudwatchCompositeAlarmMonth);
    add('CloudWatch dashboards', t.ofType('AWS::CloudWatch::Dashboard').length, 'dashboard-month', p.cloudwatchDashboardMonth,
      'list price, without the free tier\'s 3 dashboards per account');
  }

  /** {@link CostEstimator.compareIngresses} with this estimator's prices. */
  public compareIngressCosts(profile: IngressComparisonProfile = {}): IngressComparison {
    const p = this.prices.prices;
    const requests = nonNegative(profile.requestsPerMonth ?? 0, 'requestsPerMonth');
    const kb = nonNegative(profile.averageResponseKb ?? 2, 'averageResponseKb');
    const azs = albAzCount(profile.albAzs ?? 2);
    const perConnection = atLeastOne(profile.requestsPerConnection ?? 1, 'requestsPerConnection');
    const minLcu = nonNegative(profile.albMinimumLcus ?? 1, 'albMinimumLcus');
    if (profile.priceClass !== undefined && typeof profile.priceClass !== 'string') {
      throw new Error(`\`priceClass\` must be PriceClass_100, PriceClass_200 or PriceClass_All, got ${String(profile.priceClass)}`);
    }
    const cf = this.prices.cloudFrontPrices(profile.priceClass ?? 'PriceClass_100');
    const gb = (n: number) => (n * kb) / KB_PER_GB;
    const albCore = (n: number) => H * p.albHour + H * p.albLcuHour * Math.max(minLcu, lcusPerHour(n, kb, perConnection));
    const costs = {
      alb: (n: number) => albCore(n) + H * azs * p.publicIpv4Hour + gb(n) * p.dataTransferOutGb,
      httpApi: (n: number) => httpApiCost(n, kb, p.httpApiMillionRequests, p.httpApiMillionRequestsAbove300M) + gb(n) * p.dataTransferOutGb,
      // the internal ALB has no public address; CloudFront's origin fetches from it are free
      cloudFront: (n: number) => albCore(n) + (n / 1e4) * cf.httpsPer10kRequests + gb(n) * cf.dataTransferOutGb,
    };
    const at = { alb: costs.alb(requests), httpApi: costs.httpApi(requests), cloudFront: costs.cloudFront(requests) };
    const used = { requestsPerMonth: requests, averageResponseKb: kb, albMinimumLcus: minLcu };
    finiteFigures('CostEstimator.compareIngresses', { albMonthlyUsd: at.alb, httpApiMonthlyUsd: at.httpApi, cloudFrontMonthlyUsd: at.cloudFront }, used);
    // the break-even searches reach 1e15 requests a month
    finiteFigures('CostEstimator.compareIngresses', {
      [`alb at ${SEARCH_LIMIT} requests`]: costs.alb(SEARCH_LIMIT), [`httpApi at ${SEARCH_LIMIT} requests`]: costs.httpApi(SEARCH_LIMIT), [`cloudFront at ${SEARCH_LIMIT} requests`]: costs.cloudFront(SEARCH_LIMIT),
    }, used);
    const cheapest = (Object.keys(at) as Array<keyof typeof at>).reduce((a, b) => (at[b] < at[a] ? b : a));
    return {
      requestsPerMonth: requests,
      averageResponseKb: kb,
      albMonthlyUsd: round(at.alb, 2),
      httpApiMonthlyUsd: round(at.httpApi, 2),
      cloudFrontMonthlyUsd: round(at.cloudFront, 2),
      cheapest,
      breakEvenAlbHttpApi: crossing(costs.httpApi, costs.alb),
      breakEvenCloudFrontHttpApi: crossing(costs.httpApi, costs.cloudFront),
      breakEvenAlbCloudFront: crossing(costs.cloudFront, costs.alb),
    };
  }

  /**
   * Estimates one template.
   *
   * @throws when `template` is not a template (null, a list, a string of unparsed JSON, an
   * object with keys that are not template sections, `Resources` that is not an object): an
   * estimate of nothing is not $0
   */
  public estimate(template: any, profile: UsageProfile = {}): CostEstimate {
    checkTemplateShape(template, 'CostEstimator.estimate: `template`', false);
    const t = new TemplateIndex(template);
    const p = this.prices.prices;
    const region = profile.region ?? 'us-east-1';
    if (typeof region !== 'string' || region.trim() === '') throw new Error(`\`region\` must be a region name such as us-east-1, got '${region}'`);
    const regionPriced = region === p.region;
    const requests = nonNegative(profile.requestsPerMonth ?? 0, 'requestsPerMonth');
    const kb = nonNegative(profile.averageResponseKb ?? 2, 'averageResponseKb');
    const perConnection = atLeastOne(profile.requestsPerConnection ?? 1, 'requestsPerConnection');
    const natGb = nonNegative(profile.natDataGbPerMonth ?? 1, 'natDataGbPerMonth');
    const minLcu = nonNegative(profile.albMinimumLcus ?? 1, 'albMinimumLcus');
    const logGb = profile.logIngestionGbPerMonth === undefined ? undefined : nonNegative(profile.logIngestionGbPerMonth, 'logIngestionGbPerMonth');
    /** What the template does not determine: said in the lines' notes and in `warnings`. */
    const warnings: string[] = [];
    const num = (obj: any, prop: string, id: string): number | undefined => {
      const v = t.numberAt(obj, prop);
      if (isUnknown(v)) {
        warnings.push(v.message(id));
        return undefined;
      }
      return v;
    };
    const instanceHour = (type: string) => {
      const price = own(p.ec2InstanceHour, type);
      return typeof price === 'number' ? H * price : undefined;
    };
    const lines: CostLine[] = [];
    const add = (item: string, quantity: number, unit: string, unitPrice: number | undefined, note?: string) => {
      if (quantity === 0) return;
      const priced = regionPriced && unitPrice !== undefined;
      lines.push({
        item, quantity: round(quantity, 4), unit,
        unitPriceUsd: priced ? unitPrice : undefined,
        monthlyUsd: priced ? round(quantity * unitPrice, 2) : undefined,
        priced,
        note: priced ? note : (regionPriced ? `not priced: ${note ?? 'no price in the table'}` : `not priced: no prices for ${region} (table is ${p.region})`),
      });
    };

    // ---- services and their tasks
    const services = t.ofType('AWS::ECS::Service');
    const desired = (svc: any, id: string) => num(svc, 'DesiredCount', id) ?? 1;
    let publicTaskIps = 0;
    const fargateTasks: Array<{ id: string; vcpu?: number; gb?: number; arm: boolean; count: number; spot: number; windows?: boolean }> = [];
    let ec2TaskCount = 0;
    /** Every service, for Container Insights and the logs. */
    const serviceFacts: Array<{ id: string; cluster?: string; taskDefinition?: string; tasks: number; fargate: boolean }> = [];
    for (const [svcId, svc] of services) {
      const count = desired(svc, svcId);
      if (String(t.scalar(svc, 'NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp') ?? '').toUpperCase() === 'ENABLED') publicTaskIps += count;
      const tdId = t.target(svc.TaskDefinition);
      const td = tdId && t.has(tdId) ? t.props(tdId) : undefined;
      const compat = td ? t.list(td, 'RequiresCompatibilities') : [];
      const strategy = t.list(svc, 'CapacityProviderStrategy');
      const launchType = t.scalar(svc, 'LaunchType');
      const fargate = launchType === 'FARGATE'
        || (!isUnknown(compat) && compat.includes('FARGATE') && (isUnknown(strategy) || strategy.length === 0) && launchType !== 'EC2')
        || (!isUnknown(strategy) && strategy.some((s: any) => String(t.scalar(s, 'CapacityProvider')).startsWith('FARGATE')));
      serviceFacts.push({ id: svcId, cluster: t.target(svc.Cluster), taskDefinition: tdId, tasks: count, fargate });
      if (fargate && td) {
        const cpu = fargateCpu(t.scalar(td, 'Cpu'));
        const mem = fargateMemory(t.scalar(td, 'Memory'));
        if (cpu === 'unknown') warnings.push(`cannot evaluate Cpu of ${tdId}: ${describeValue(td.Cpu)} (not priced)`);
        if (mem === 'unknown') warnings.push(`cannot evaluate Memory of ${tdId}: ${describeValue(td.Memory)} (not priced)`);
        // Windows tasks cannot run on Fargate Spot or arm64: the lean advice leaves them out
        const osFamily = t.scalar(td, 'RuntimePlatform.OperatingSystemFamily');
        if (isUnknown(osFamily)) warnings.push(`${osFamily.message(tdId!)} (left out of the Spot and Graviton advice)`);
        fargateTasks.push({
          id: tdId!,
          windows: isUnknown(osFamily) ? undefined : /^WINDOWS/i.test(String(osFamily ?? 'LINUX')),
          vcpu: cpu === 'unknown' ? undefined : (cpu ?? 256) / 1024,
          gb: mem === 'unknown' ? undefined : (mem ?? 512) / 1024,
          arm: t.scalar(td, 'RuntimePlatform.CpuArchitecture') === 'ARM64',
          count,
          spot: isUnknown(strategy) ? 0 : spotTasks(t, strategy, count),
        });
      } else {
        ec2TaskCount += count;
      }
    }

    // ---- ALB
    const albs = t.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, lb]) => (t.scalar(lb, 'Type') ?? 'application') === 'application');
    let albIps = 0;
    let albIpv4Free = 0;
    for (const [lbId, lb] of albs) {
      if ((t.scalar(lb, 'Scheme') ?? 'internet-facing') !== 'internet-facing') continue;
      const subnets = lb.Subnets !== undefined ? t.list(lb, 'Subnets') : t.list(lb, 'SubnetMappings');
      if (isUnknown(subnets)) warnings.push(`${subnets.message(lbId)} (counted as 2 AZs)`);
      const azs = isUnknown(subnets) || subnets.length === 0 ? 2 : subnets.length;
      // dualstack-without-public-ipv4: the nodes have IPv6 and private IPv4 addresses only.
      if (t.scalar(lb, 'IpAddressType') === 'dualstack-without-public-ipv4') albIpv4Free += azs;
      else albIps += azs;
    }
    if (albs.length > 0) {
      add('ALB hours', albs.length, 'ALB-month', H * p.albHour);
      const traffic = lcusPerHour(requests, kb, perConnection) / albs.length;
      const lcus = Math.max(minLcu, traffic) * albs.length;
      add('ALB LCUs', lcus, 'LCU-month', H * p.albLcuHour, `max(minimum ${minLcu}, traffic ${round(traffic, 3)}) per ALB`);
    }

    // ---- NAT
    const natGateways = t.ofType('AWS::EC2::NatGateway').length;
    add('NAT gateway hours', natGateways, 'gateway-month', H * p.natGatewayHour);
    if (natGateways > 0) add('NAT gateway data', natGb, 'GB', p.natGatewayGb);
    // ---- EC2 instances (NAT instances and any other): hours, root volumes, public IPv4
    const eipTargets = new Set(t.ofType('AWS::EC2::EIP').map(([, e]) => t.target(e.InstanceId)).filter((x): x is string => x !== undefined));
    for (const [, a] of t.ofType('AWS::EC2::EIPAssociation')) {
      const target = t.target(a.InstanceId);
      if (target) eipTargets.add(target);
    }
    let instanceIps = 0;
    const instanceVolumes: Array<{ gb: number; type: string; note: string }> = [];
    for (const [id, inst] of t.ofType('AWS::EC2::Instance')) {
      const check = t.scalar(inst, 'SourceDestCheck');
      const nat = check === false || check === 'false';
      const type = String(t.literal(inst.InstanceType) ?? 'unknown');
      add(`${nat ? 'NAT instance' : 'EC2 instance'} ${type}`, 1, 'instance-month', instanceHour(type), `instance type ${type}`);
      // a public IPv4 address while it runs, unless an Elastic IP (priced as such) replaces it
      if (!eipTargets.has(id) && instanceHasPublicIp(t, inst)) instanceIps++;
      instanceVolumes.push(...ebsVolumes(t, inst, t.literal(inst.ImageId) ?? imageHint(t, inst.ImageId), id, warnings));
    }

    // ---- Auto Scaling groups: instances (priced below with EC2 capacity) and their public IPv4
    const asgInstances = (asgId: string, asg: any) => {
      const min = num(asg, 'MinSize', asgId) ?? 0;
      const want = num(asg, 'DesiredCapacity', asgId) ?? min;
      // A capacity provider starts an instance when tasks need one, even with min 0.
      return { want, count: Math.max(want, ec2TaskCount > 0 ? 1 : 0) };
    };
    let asgIps = 0;
    for (const [asgId, asg] of t.ofType('AWS::AutoScaling::AutoScalingGroup')) {
      if (asgHasPublicIp(t, asg)) asgIps += asgInstances(asgId, asg).count;
    }

    // ---- public IPv4
    const eips = t.ofType('AWS::EC2::EIP').length;
    const ipv4 = albIps + eips + publicTaskIps + instanceIps + asgIps;
    add('Public IPv4 addresses', ipv4, 'address-month', H * p.publicIpv4Hour,
      `${albIps} ALB node(s), ${eips} Elastic IP(s), ${publicTaskIps} task IP(s)`
      + (instanceIps + asgIps > 0 ? `, ${instanceIps + asgIps} instance IP(s)` : '')
      + `${albIpv4Free > 0 ? `; ${albIpv4Free} ALB node(s) dualstack-without-public-ipv4: no public IPv4` : ''}`);

    // ---- egress-only internet gateways (IPv6 egress of private subnets): no charge
    const egressOnly = t.ofType('AWS::EC2::EgressOnlyInternetGateway').length;
    add('Egress-only internet gateways', egressOnly, 'gateway-month', 0, 'free: IPv6 egress has no gateway-hour or per-GB processing charge (data transfer out still applies)');

    // ---- Fargate (on-demand and Spot, x86 and arm64)
    const spotPrice = { vcpu: p.fargateSpotVcpuHour, gb: p.fargateSpotGbHour };
    for (const task of fargateTasks) {
      const factor = task.arm ? p.fargateArm64Factor : 1;
      const arch = task.arm ? 'arm64' : 'x86';
      const parts: Array<[string, number, number | undefined, number | undefined]> = [
        ['Fargate', task.count - task.spot, p.fargateVcpuHour, p.fargateGbHour],
        ['Fargate Spot', task.spot, spotPrice.vcpu, spotPrice.gb],
      ];
      for (const [kind, count, vcpuHour, gbHour] of parts) {
        if (count <= 0) continue;
        const spotNote = kind === 'Fargate Spot' && vcpuHour !== undefined ? ' (Spot price of the table\'s date, the conservative end of the observed range: it varies)' : '';
        if (task.vcpu === undefined) add(`${kind} vCPU (${arch})`, count, 'task-month', undefined, `Cpu of ${task.id} is not a literal`);
        else add(`${kind} vCPU (${arch})`, task.vcpu * count, 'vCPU-month', vcpuHour === undefined ? undefined : H * vcpuHour * factor, `${round(count, 4)} task(s) x ${task.vcpu} vCPU${spotNote}`);
        if (task.gb === undefined) add(`${kind} memory (${arch})`, count, 'task-month', undefined, `Memory of ${task.id} is not a literal`);
        else add(`${kind} memory (${arch})`, task.gb * count, 'GB-month', gbHour === undefined ? undefined : H * gbHour * factor, `${round(count, 4)} task(s) x ${task.gb} GB${spotNote}`);
      }
    }

    // ---- EC2 container instances
    const ec2Instances: Array<{ type: string; count: number; spot: boolean }> = [];
    for (const [asgId, asg] of t.ofType('AWS::AutoScaling::AutoScalingGroup')) {
      const ltId = t.target(t.get(asg, 'LaunchTemplate.LaunchTemplateId'));
      const ltData = ltId && t.has(ltId) ? t.get(t.props(ltId), 'LaunchTemplateData') : undefined;
      const data = ltData && typeof ltData === 'object' && !isUnknown(ltData) && !Array.isArray(ltData) ? ltData : {};
      const type = String(t.literal(data.InstanceType) ?? 'unknown');
      const spotInstances = String(t.scalar(data, 'InstanceMarketOptions.MarketType') ?? '').toLowerCase() === 'spot';
      const { want, count } = asgInstances(asgId, asg);
      add(`EC2 ${type}${spotInstances ? ' (Spot)' : ''}`, count, 'instance-month', instanceHour(type),
        `max(desired/min ${want}, 1 when EC2 tasks run); instance type ${type}` +
        (spotInstances ? '; Spot instances priced at the on-demand price, their upper bound (the Spot price varies by hour and AZ)' : ''));
      ec2Instances.push({ type, count, spot: spotInstances });
      const mappings = t.list(data, 'BlockDeviceMappings');
      if (isUnknown(mappings)) {
        warnings.push(`${mappings.message(ltId ?? asgId)} (EBS not counted)`);
      } else {
        const image = t.literal(data.ImageId) ?? imageHint(t, data.ImageId);
        for (const v of ebsVolumes(t, data, image, ltId ?? asgId, warnings)) instanceVolumes.push({ ...v, gb: v.gb * count });
      }
    }
    // ---- EBS volumes of the instances and container instances, by volume type
    const volumeTypes = [...new Set(instanceVolumes.map((v) => v.type))];
    for (const type of volumeTypes) {
      const vols = instanceVolumes.filter((v) => v.type === type);
      const notes = [...new Set(vols.map((v) => v.note).filter((n) => n))];
      add(`EBS ${type}`, vols.reduce((sum, v) => sum + v.gb, 0), 'GB-month', type === 'gp3' ? p.ebsGp3GbMonth : undefined,
        type === 'gp3' ? (notes.length ? notes.join('; ') : undefined) : `no ${type} price in the table`);
    }

    // ---- interface endpoints
    const endpointAzs = t.ofType('AWS::EC2::VPCEndpoint')
      .filter(([, e]) => t.scalar(e, 'VpcEndpointType') === 'Interface')
      .reduce((sum, [id, e]) => {
        const subnets = t.list(e, 'SubnetIds');
        if (isUnknown(subnets)) warnings.push(`${subnets.message(id)} (counted as 1 AZ)`);
        return sum + (isUnknown(subnets) || subnets.length === 0 ? 1 : subnets.length);
      }, 0);
    add('Interface endpoint hours', endpointAzs, 'endpoint-AZ-month', H * p.interfaceEndpointAzHour);
    // without NAT the month's egress data (image pulls, logs) goes through the endpoints
    if (endpointAzs > 0 && natGateways === 0 && t.ofType('AWS::EC2::Instance').length === 0) {
      add('Interface endpoint data', natGb, 'GB', p.interfaceEndpointGb, 'the month\'s egress data (natDataGbPerMonth) through the endpoints, without NAT');
    }

    // ---- HTTP API
    const httpApis = t.ofType('AWS::ApiGatewayV2::Api').filter(([, a]) => t.scalar(a, 'ProtocolType') === 'HTTP');
    if (httpApis.length > 0 && requests > 0) {
      const cost = httpApiCost(requests, kb, p.httpApiMillionRequests, p.httpApiMillionRequestsAbove300M);
      add('HTTP API requests', requests / 1e6, 'million requests', (cost / requests) * 1e6, `metered in 512 KB increments (${Math.max(1, Math.ceil(kb / 512))} per request)`);
    }

    // ---- Cloud Map namespaces (a DNS namespace is a Route 53 hosted zone) and hosted zones
    // https://aws.amazon.com/cloud-map/pricing/, https://aws.amazon.com/route53/pricing/ ($0.50 per hosted zone, first 25)
    const namespaces = t.ofType('AWS::ServiceDiscovery::PrivateDnsNamespace').length;
    add('Route 53 private hosted zones (Cloud Map)', namespaces, 'zone-month', p.privateHostedZoneMonth);
    add('Route 53 public hosted zones (Cloud Map)', t.ofType('AWS::ServiceDiscovery::PublicDnsNamespace').length, 'zone-month', p.privateHostedZoneMonth,
      'a public DNS namespace is a Route 53 public hosted zone, at the same $0.50 a month (first 25 zones)');
    add('Route 53 hosted zones', t.ofType('AWS::Route53::HostedZone').length, 'zone-month', p.privateHostedZoneMonth, '$0.50 a month per hosted zone, public or private (first 25 zones)');
    if (requests > 0) {
      // an HTTP API integration that names a Cloud Map service resolves it through Cloud Map's
      // DiscoverInstances API ($1.00 per million calls); how often API Gateway calls it is not published
      const discovering = t.ofType('AWS::ApiGatewayV2::Integration').filter(([, i]) => {
        const target = t.target(i.IntegrationUri);
        return target !== undefined && t.typeOf(target) === 'AWS::ServiceDiscovery::Service';
      }).length;
      add('Cloud Map discovery API calls', discovering, 'integration', undefined,
        'API Gateway resolves the Cloud Map service of a private integration with DiscoverInstances ($1.00 per million calls); how often per request is not published');
    }
    let registered = 0;
    for (const [id, svc] of services) {
      const registries = t.list(svc, 'ServiceRegistries');
      if (isUnknown(registries) || registries.length > 0) registered += desired(svc, id);
    }
    add('Cloud Map instances', registered, 'instance-month', p.cloudMapInstanceMonth);

    // ---- CloudWatch alarms and dashboards
    this.cloudWatch(t, add);
    // ---- KMS customer managed keys (e.g. of an alarm topic)
    const keys = t.ofType('AWS::KMS::Key');
    add('KMS customer managed keys', keys.length, 'key-month', p.kmsKeyMonth,
      keys.length ? 'automatic rotation adds $1/month for each of the first two yearly rotations; requests ($0.03 per 10,000): an idle month\'s alarm notifications make a few dozen, negligible' : undefined);
    // ---- CloudFront: no idle charge; requests and data transfer by price class
    const distributions = t.ofType('AWS::CloudFront::Distribution');
    for (const [id, dist] of distributions) {
      const priceClass = String(t.scalar(dist, 'DistributionConfig.PriceClass') ?? 'PriceClass_All');
      add('CloudFront distribution', 1, 'distribution-month', 0, `${id}: no idle charge`);
      if (requests > 0) {
        let cf: { httpsPer10kRequests: number; dataTransferOutGb: number } | undefined;
        try {
          cf = this.prices.cloudFrontPrices(priceClass);
        } catch {
          warnings.push(`cannot evaluate PriceClass of ${id}: ${describeValue(t.get(dist, 'DistributionConfig.PriceClass'))} (not priced)`);
        }
        const share = requests / distributions.length;
        add(`CloudFront HTTPS requests (${priceClass})`, share / 1e4, '10k requests', cf?.httpsPer10kRequests);
        add(`CloudFront data transfer out (${priceClass})`, (share * kb) / KB_PER_GB, 'GB', cf?.dataTransferOutGb, 'origin fetches from the load balancer are free');
      }
    }

    // ---- Container Insights (a cluster setting), per cluster
    const perfLogs: Array<{ gb: number }> = [];
    const freeClusters: string[] = [];
    for (const [clusterId, cluster] of t.ofType('AWS::ECS::Cluster')) {
      const mode = insightsMode(t, cluster);
      if (isUnknown(mode) || (mode !== undefined && !['enabled', 'enhanced', 'disabled'].includes(mode))) {
        add(`Container Insights (${clusterId})`, 1, 'cluster-month', undefined,
          isUnknown(mode) ? mode.message(clusterId) : `unknown containerInsights value '${mode}' (enabled, enhanced or disabled)`);
        continue;
      }
      if (mode === undefined) {
        warnings.push(`ClusterSettings of ${clusterId} do not set containerInsights: the account setting decides (AWS's default is disabled); priced as off`);
      }
      if (mode === undefined || mode === 'disabled') {
        freeClusters.push(clusterId);
        continue;
      }
      const clusterServices = serviceFacts.filter((svc) => svc.cluster === clusterId).map((svc) => insightsService(t, svc));
      const usage = containerInsightsUsage(mode as InsightsMode, clusterServices);
      const enhanced = mode === 'enhanced';
      add(`Container Insights metrics (${enhanced ? 'enhanced' : 'standard'}, ${clusterId})`, usage.metrics, 'metric-month',
        enhanced ? p.containerInsightsEnhancedMetricMonth : p.cloudwatchMetricMonth,
        `${usage.breakdown}; billed as custom metrics, prorated by the hour, only while tasks run`
        + (enhanced ? '; $0.07 a metric is the AWS Price List\'s figure (MetricStorage:CI-ECS), no AWS pricing page confirms it' : ''));
      const gb = (usage.eventsPerMinute * 60 * H * PERFORMANCE_EVENT_BYTES) / BYTES_PER_GB;
      add(`Container Insights performance log ingestion (${clusterId})`, gb, 'GB', p.logsIngestGb,
        `${usage.eventsPerMinute} performance log events a minute (cluster, services, tasks${enhanced ? ', containers' : ''}) of about ${PERFORMANCE_EVENT_BYTES / 1024} KB`);
      perfLogs.push({ gb });
    }
    for (const svc of serviceFacts) {
      if (svc.cluster === undefined || t.typeOf(svc.cluster) !== 'AWS::ECS::Cluster') {
        warnings.push(`service ${svc.id} runs in a cluster outside the template: the Container Insights of that cluster (if on) is not counted here`);
      }
    }

    // ---- logs: ingestion by writer (stated idle volumes) and storage by retention
    const flowLogGb = profile.flowLogGbPerMonth === undefined ? undefined : nonNegative(profile.flowLogGbPerMonth, 'flowLogGbPerMonth');
    const uses = logGroupUses(t, serviceFacts, { flowLogGb, requests }, warnings);
    const serviceUses = uses.filter((u) => u.writer === 'service');
    const derivedServiceGb = serviceUses.reduce((sum, u) => sum + u.gbPerMonth, 0);
    /** The services' volume of a log group: derived, or the profile's total shared in the same proportions (evenly when none is derived). */
    const serviceGb = (u: LogGroupUse) => (logGb === undefined ? u.gbPerMonth
      : derivedServiceGb > 0 ? logGb * (u.gbPerMonth / derivedServiceGb) : logGb / Math.max(1, serviceUses.length));
    const serviceTotal = logGb ?? derivedServiceGb;
    add('Service log ingestion', serviceTotal, 'GB', p.logsIngestGb, logGb !== undefined
      ? `${serviceUses.length} log group(s), as given (logIngestionGbPerMonth)`
      : `stated idle volume: one ${LOG_LINE_BYTES}-byte line per health check; ${serviceUses.map((u) => u.note).join('; ')}`);
    const flowUses = uses.filter((u) => u.writer === 'flowLog');
    add('VPC flow log ingestion', flowUses.reduce((sum, u) => sum + u.gbPerMonth, 0), 'GB', p.logsIngestGb,
      `vended logs to CloudWatch Logs ($0.50/GB, first 10 TB); ${flowUses.map((u) => u.note).join('; ')}`);
    for (const [id, fl] of t.ofType('AWS::EC2::FlowLog')) {
      const dest = String(t.scalar(fl, 'LogDestinationType') ?? 'cloud-watch-logs');
      if (dest !== 'cloud-watch-logs') add(`VPC flow log delivery to ${dest} (${id})`, 1, 'flow-log', undefined, `vended-log delivery to ${dest} and its storage are not in the price table`);
    }
    const accessUses = uses.filter((u) => u.writer === 'accessLog');
    add('HTTP API access log ingestion', accessUses.reduce((sum, u) => sum + u.gbPerMonth, 0), 'GB', p.logsIngestGb, `${ACCESS_LOG_LINE_BYTES} bytes a request`);
    // storage: what a month adds stays for the retention period (uncompressed: CloudWatch bills the
    // compressed size, so this is an upper bound); a group that never expires is counted at a year
    const stored = (gb: number, days: number | undefined) => (gb * Math.min(days ?? 365, 3653)) / (H / 24);
    const storedGb = uses.reduce((sum, u) => sum + stored(u.writer === 'service' ? serviceGb(u) : u.gbPerMonth, u.retentionDays), 0)
      + perfLogs.reduce((sum, l) => sum + stored(l.gb, 1), 0);
    const neverExpire = uses.filter((u) => u.retentionDays === undefined && u.gbPerMonth > 0).length;
    add('CloudWatch Logs storage', storedGb, 'GB-month', p.logsStoredGbMonth,
      'a month\'s ingestion kept for each group\'s retention (Container Insights performance logs: 1 day), uncompressed (an upper bound)'
      + (neverExpire ? `; ${neverExpire} group(s) without retention counted at a year` : ''));

    // ---- data transfer
    // behind CloudFront the responses leave through it (priced above), not from the region
    if (requests > 0 && distributions.length === 0) add('Data transfer out', (requests * kb) / KB_PER_GB, 'GB', p.dataTransferOutGb);

    // ---- every other resource: free with a reason, or an unpriced line
    const free: FreeResource[] = [];
    const counts = new Map<string, number>();
    for (const id of Object.keys(t.resources)) {
      const type = t.typeOf(id);
      if (type !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    if (freeClusters.length > 0) {
      free.push({ type: 'AWS::ECS::Cluster', count: freeClusters.length, reason: 'no charge for a cluster; Container Insights off (its ClusterSettings, or not set: the account default)' });
    }
    const gatewayEndpoints = t.ofType('AWS::EC2::VPCEndpoint').filter(([, e]) => String(t.scalar(e, 'VpcEndpointType') ?? 'Gateway') === 'Gateway').length;
    if (gatewayEndpoints > 0) free.push({ type: 'AWS::EC2::VPCEndpoint', count: gatewayEndpoints, reason: 'gateway endpoints (S3, DynamoDB) have no charge (https://aws.amazon.com/vpc/pricing/)' });
    const otherEndpoints = t.ofType('AWS::EC2::VPCEndpoint').filter(([, e]) => !['Gateway', 'Interface'].includes(String(t.scalar(e, 'VpcEndpointType') ?? 'Gateway'))).length;
    add('VPC endpoints (Gateway Load Balancer, resource, service network)', otherEndpoints, 'endpoint', undefined, 'not in the price table');
    const otherLbs = t.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, lb]) => (t.scalar(lb, 'Type') ?? 'application') !== 'application').length;
    add('Network and gateway load balancers', otherLbs, 'load balancer', undefined, 'not in the price table (hours, capacity units and public IPv4)');
    const otherApis = t.ofType('AWS::ApiGatewayV2::Api').filter(([, a]) => t.scalar(a, 'ProtocolType') !== 'HTTP').length;
    add('API Gateway WebSocket APIs', otherApis, 'API', undefined, 'not in the price table (messages and connection minutes)');
    for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      if (type === 'AWS::ECS::Cluster' || PRICED_TYPES.has(type)) continue;
      const why = freeReason(type);
      if (why !== undefined) free.push({ type, count: n, reason: why });
      else add(`Unpriced resource type ${type}`, n, 'resource', undefined, 'no price rule for this resource type: its cost is not in the total');
    }

    const total = round(lines.filter((l) => l.priced).reduce((s, l) => s + (l.monthlyUsd ?? 0), 0), 2);
    finiteFigures('CostEstimator.estimate', Object.fromEntries([...lines.map((l) => [l.item, l.monthlyUsd ?? l.quantity]), ['totalMonthlyUsd', total]]),
      { requestsPerMonth: requests, averageResponseKb: kb, natDataGbPerMonth: natGb, ...(logGb === undefined ? {} : { logIngestionGbPerMonth: logGb }),
        ...(flowLogGb === undefined ? {} : { flowLogGbPerMonth: flowLogGb }), albMinimumLcus: minLcu });
    return {
      region,
      priceDate: p.date,
      lines,
      totalMonthlyUsd: total,
      notPriced: lines.filter((l) => !l.priced).map((l) => l.item),
      publicIpv4Count: ipv4,
      natGatewayCount: natGateways,
      warnings: [...new Set(warnings)],
      leanSavings: regionPriced ? this.leanSavings(fargateTasks, ec2Instances, { albIps, albIpv4Free }) : [],
      free,
    };
  }

  /**
   * What Spot, Graviton and IPv4-free ALBs save (applied) or would save (not applied), for the
   * tasks that can use them: a Windows task (or one whose OS is not a literal) can run neither
   * on Fargate Spot nor on arm64, so it is left out of the "would save" advice and the note says so
   * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html:
   * "Windows containers on Fargate don't support the Fargate Spot capacity provider"; arm64 is
   * Linux only: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform).
   */
  private leanSavings(
    tasks: Array<{ vcpu?: number; gb?: number; arm: boolean; count: number; spot: number; windows?: boolean }>,
    instances: Array<{ type: string; count: number; spot: boolean }>,
    alb: { albIps: number; albIpv4Free: number },
  ): LeanSaving[] {
    const p = this.prices.prices;
    const out: LeanSaving[] = [];
    const known = tasks.filter((x) => x.vcpu !== undefined && x.gb !== undefined);
    /** A task-month of one task, on-demand or Spot, x86 or arm64. */
    const month = (x: { vcpu?: number; gb?: number }, arm: boolean, spot: boolean) => {
      const vcpuHour = spot ? p.fargateSpotVcpuHour ?? p.fargateVcpuHour : p.fargateVcpuHour;
      const gbHour = spot ? p.fargateSpotGbHour ?? p.fargateGbHour : p.fargateGbHour;
      return H * (x.vcpu! * vcpuHour + x.gb! * gbHour) * (arm ? p.fargateArm64Factor : 1);
    };
    const cost = (x: typeof tasks[number], arm: boolean, spotShare: number) =>
      (x.count - spotShare) * month(x, arm, false) + spotShare * month(x, arm, true);
    /** Why some tasks are left out of an option's advice. */
    const leftOut = (excluded: typeof known, what: string) => {
      const windows = excluded.filter((x) => x.windows === true).reduce((n, x) => n + x.count, 0);
      const unknown = excluded.filter((x) => x.windows === undefined).reduce((n, x) => n + x.count, 0);
      return [
        ...(windows > 0 ? [`${windows} Windows task(s) left out: ${what}`] : []),
        ...(unknown > 0 ? [`${unknown} task(s) whose OperatingSystemFamily is not a literal left out`] : []),
      ].map((n) => `; ${n}`).join('');
    };
    const spotEligible = known.filter((x) => x.spot > 0 || x.windows === false);
    if (spotEligible.length > 0 && p.fargateSpotVcpuHour !== undefined && p.fargateSpotGbHour !== undefined) {
      const applied = spotEligible.every((x) => x.spot > 0);
      const usd = spotEligible.reduce((sum, x) => sum + (x.spot > 0 ? cost(x, x.arm, 0) - cost(x, x.arm, x.spot) : cost(x, x.arm, 0) - cost(x, x.arm, x.count)), 0);
      const arch = [...new Set(spotEligible.map((x) => (x.arm ? 'arm64' : 'x86')))];
      const single = spotEligible.filter((x) => x.spot === 0 && x.count < 2).length;
      out.push({
        option: 'Fargate Spot', applied, monthlyUsd: round(usd, 2),
        lineItems: arch.flatMap((a) => [`Fargate vCPU (${a})`, `Fargate memory (${a})`]),
        note: (applied ? 'the Spot share of the tasks, against the same tasks on-demand' : 'every task on Spot (Capacity.spot()), against on-demand')
          + (single > 0 ? `; ${single} service(s) run fewer than 2 tasks: a Spot interruption (two-minute warning) stops the service until ECS replaces the task` : '')
          + leftOut(known.filter((x) => !spotEligible.includes(x)), 'Fargate Spot does not run Windows containers'),
      });
    }
    const armEligible = known.filter((x) => x.arm || x.windows === false);
    if (armEligible.length > 0) {
      const applied = armEligible.every((x) => x.arm);
      const usd = armEligible.reduce((sum, x) => sum + cost(x, false, x.spot) - cost(x, true, x.spot), 0);
      const kinds = [...new Set(armEligible.flatMap((x) => [...(x.count > x.spot ? ['Fargate'] : []), ...(x.spot > 0 ? ['Fargate Spot'] : [])]))];
      out.push({
        option: 'Graviton (arm64)', applied, monthlyUsd: round(usd, 2),
        lineItems: kinds.flatMap((k) => [`${k} vCPU (x86)`, `${k} memory (x86)`]),
        note: `Fargate arm64 at ${p.fargateArm64Factor} x the x86 price${applied ? ': the x86 lines are replaced by arm64 ones' : ' (the images must be built for arm64)'}`
          + leftOut(known.filter((x) => !armEligible.includes(x)), 'Windows tasks on Fargate run on x86_64 only'),
      });
    }
    const gravitonPeers = instances.map((i) => ({ ...i, peer: x86Peer(i.type) }));
    const priced = gravitonPeers.filter((i) => typeof own(p.ec2InstanceHour, i.type) === 'number' && i.peer && typeof own(p.ec2InstanceHour, i.peer) === 'number');
    if (priced.length > 0) {
      const arm = priced.filter((i) => isGraviton(i.type));
      const usd = arm.reduce((sum, i) => sum + i.count * H * (own(p.ec2InstanceHour, i.peer!) as number - (own(p.ec2InstanceHour, i.type) as number)), 0);
      if (arm.length > 0) {
        out.push({
          option: 'Graviton (arm64)', applied: arm.length === instances.length, monthlyUsd: round(usd, 2),
          lineItems: arm.map((i) => `EC2 ${i.type}${i.spot ? ' (Spot)' : ''}`),
          note: `container instances ${arm.map((i) => `${i.type} instead of ${i.peer}`).join(', ')}`,
        });
      }
    }
    if (alb.albIps + alb.albIpv4Free > 0) {
      const applied = alb.albIps === 0;
      out.push({
        option: 'ALB dualstack-without-public-ipv4', applied,
        monthlyUsd: round((applied ? alb.albIpv4Free : alb.albIps) * H * p.publicIpv4Hour, 2),
        lineItems: ['Public IPv4 addresses'],
        note: applied
          ? `${alb.albIpv4Free} ALB node(s) without a public IPv4 address (IPv6 clients only)`
          : `${alb.albIps} ALB node public IPv4 address(es) a dual-stack network and an IPv6-only public side would drop`,
      });
    }
    return out;
  }
}

/**
 * Tasks of a service on Fargate Spot from its capacity-provider strategy, as ECS places
 * them: the `Base` tasks on their provider first, the rest by weight.
 */
function spotTasks(t: TemplateIndex, strategy: any[], count: number): number {
  if (strategy.length === 0) return 0;
  const items = strategy.map((s) => ({
    spot: String(t.scalar(s, 'CapacityProvider')) === 'FARGATE_SPOT',
    base: t.number(t.get(s, 'Base')) ?? 0,
    weight: t.number(t.get(s, 'Weight')) ?? 0,
  }));
  let left = count;
  let spot = 0;
  for (const i of items) {
    const base = Math.min(left, i.base);
    left -= base;
    if (i.spot) spot += base;
  }
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  if (total > 0) spot += left * items.filter((i) => i.spot).reduce((sum, i) => sum + i.weight, 0) / total;
  return spot;
}

/** Graviton instance families: a `g` right after the generation (t4g, m7g, c7gn, r8g). */
function isGraviton(type: string): boolean {
  return /^[a-z]+\d+g/.test(type);
}

/** The x86 instance type a Graviton type replaces, for the types whose peer is clear. */
function x86Peer(type: string): string | undefined {
  const [family, size] = type.split('.');
  const peers: Record<string, string> = { t4g: 't3', m6g: 'm6i', c6g: 'c6i', r6g: 'r6i', m7g: 'm7i', c7g: 'c7i', r7g: 'r7i' };
  return peers[family] && size ? `${peers[family]}.${size}` : undefined;
}

/**
 * The alarm metrics of one AWS::CloudWatch::Alarm, as CloudWatch bills them
 * (https://aws.amazon.com/cloudwatch/pricing/): 1 for an alarm on one metric, one per metric a
 * metric-math alarm evaluates, 3 per metric for anomaly detection (the metric and the band's two
 * bounds); high resolution when a period is under 60 s; undefined for a Metrics Insights query
 * (billed per metric the query analyzes, which the template does not say).
 */
function alarmMetrics(t: TemplateIndex, alarm: any): { metrics: number; highResolution: boolean } | undefined {
  if (alarm.MetricName !== undefined) {
    const period = t.number(alarm.Period);
    return { metrics: 1, highResolution: period !== undefined && period < 60 };
  }
  const queries = t.list(alarm, 'Metrics');
  if (isUnknown(queries)) return undefined;
  const expressions = queries.map((q: any) => String(t.scalar(q, 'Expression') ?? ''));
  if (expressions.some((e: string) => /\bSELECT\b/i.test(e))) return undefined;
  const stats = queries.filter((q: any) => q && typeof q === 'object' && q.MetricStat !== undefined);
  const anomaly = expressions.some((e: string) => /ANOMALY_DETECTION_BAND/i.test(e));
  const highResolution = stats.some((q: any) => {
    const period = t.number(t.get(q, 'MetricStat.Period'));
    return period !== undefined && period < 60;
  });
  return { metrics: stats.length * (anomaly ? 3 : 1), highResolution };
}

/** LCUs an hour for a month's traffic: the largest of new connections (25/s) and processed bytes (1 GB/h). */
function lcusPerHour(requests: number, kb: number, perConnection: number): number {
  const connectionsPerSecond = requests / perConnection / (H * 3600);
  const gbPerHour = (requests * kb) / KB_PER_GB / H;
  return Math.max(connectionsPerSecond / 25, gbPerHour);
}

/**
 * The volume at which `low` (cheaper at small volumes) costs as much as `high`, found by
 * bisection up to SEARCH_LIMIT (1e15) requests; undefined when `low` is never cheaper, or never dearer.
 */
function crossing(low: (n: number) => number, high: (n: number) => number): number | undefined {
  if (!(low(0) < high(0))) return undefined;
  let lo = 0;
  let hi = 1e6;
  while (low(hi) < high(hi)) {
    hi *= 2;
    if (hi > SEARCH_LIMIT) return undefined;
  }
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (low(mid) < high(mid)) lo = mid; else hi = mid;
  }
  return Math.round((lo + hi) / 2);
}

function httpApiCost(requests: number, kb: number, first: number, above: number): number {
  const units = requests * Math.max(1, Math.ceil(kb / 512));
  const tier = 300e6;
  return (Math.min(units, tier) / 1e6) * first + (Math.max(0, units - tier) / 1e6) * above;
}

/** The largest monthly request volume the break-even searches try. */
const SEARCH_LIMIT = 1e15;

/**
 * An ALB's Availability Zones: a whole number >= 2. An ALB needs subnets in at least two
 * Availability Zones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones),
 * and holds one public IPv4 address per zone: 1.5 or 0 zones is no ALB.
 */
function albAzCount(value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) {
    throw new Error(`\`albAzs\` must be a whole number >= 2 (an ALB spans at least two Availability Zones), got ${String(value)}`);
  }
  return value;
}

/**
 * Throws when a computed figure is not a finite number (a profile value so large that a cost
 * overflows), naming the figure and the profile values that fed it, instead of returning
 * Infinity or NaN.
 */
function finiteFigures(method: string, figures: Record<string, number>, profile: Record<string, number>): void {
  const bad = Object.entries(figures).find(([, v]) => !Number.isFinite(v));
  if (!bad) return;
  throw new Error(`${method}: ${bad[0]} would be ${bad[1]}, not a finite number: the profile (${Object.entries(profile).map(([k, v]) => `\`${k}\` ${v}`).join(', ')}) `
    + 'is too large to price; give realistic monthly volumes');
}

function nonNegative(value: number, prop: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`\`${prop}\` must be a number >= 0, got ${String(value)}`);
  return value;
}

function atLeastOne(value: number, prop: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) throw new Error(`\`${prop}\` must be a number >= 1, got ${String(value)}`);
  return value;
}

/**
 * The text String() gives for a number, a string or a list (its items joined by commas);
 * '' for an object (an intrinsic function), which no size pattern matches either way.
 */
function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return Array.isArray(value) ? value.join(',') : '';
}

function describeValue(value: unknown): string {
  return value !== null && typeof value === 'object' ? `intrinsic ${Object.keys(value)[0] ?? '{}'}` : JSON.stringify(value);
}

/**
 * Fargate task CPU units from CloudFormation's `Cpu`: `256`, `'1024'`, `'1 vCPU'`, `'.25 vCPU'`;
 * undefined when absent, 'unknown' when not a literal or not a CPU size.
 */
function fargateCpu(value: unknown): number | undefined | 'unknown' {
  if (value === undefined) return undefined;
  if (isUnknown(value)) return 'unknown';
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(vcpu)?\s*$/i.exec(scalarText(value));
  if (!m) return 'unknown';
  const n = Number(m[1]) * (m[2] ? 1024 : 1);
  return Number.isFinite(n) && n > 0 ? n : 'unknown';
}

/** Fargate task memory, MiB, from CloudFormation's `Memory`: `512`, `'2048'`, `'2 GB'`, `'0.5GB'`. */
function fargateMemory(value: unknown): number | undefined | 'unknown' {
  if (value === undefined) return undefined;
  if (isUnknown(value)) return 'unknown';
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(gb|mb|mib|gib)?\s*$/i.exec(scalarText(value));
  if (!m) return 'unknown';
  const n = Number(m[1]) * (m[2] && m[2].toLowerCase().startsWith('g') ? 1024 : 1);
  return Number.isFinite(n) && n > 0 ? n : 'unknown';
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The `containerInsights` value of a cluster's `ClusterSettings` (`enabled`, `enhanced`,
 * `disabled`), undefined when not set, `Unknown` when the template does not say.
 */
function insightsMode(t: TemplateIndex, cluster: any): string | undefined | Unknown {
  const settings = t.list(cluster, 'ClusterSettings');
  if (isUnknown(settings)) return settings;
  const setting = settings.find((s: any) => t.scalar(s, 'Name') === 'containerInsights');
  if (setting === undefined) return undefined;
  const value = t.scalar(setting, 'Value');
  return isUnknown(value) ? value : String(value).toLowerCase();
}

/** A service as Container Insights counts it: family, tasks, capacity, OS, network mode, containers. */
function insightsService(t: TemplateIndex, svc: { id: string; taskDefinition?: string; tasks: number; fargate: boolean }): InsightsService {
  const td = svc.taskDefinition && t.has(svc.taskDefinition) ? t.props(svc.taskDefinition) : {};
  const family = t.literal(td.Family);
  const networkMode = String(t.literal(td.NetworkMode) ?? (svc.fargate ? 'awsvpc' : 'bridge'));
  const defs = t.list(td, 'ContainerDefinitions');
  const containers = (isUnknown(defs) ? [] : defs).filter((c: any) => c && typeof c === 'object').map((c: any, i: number) => {
    const restart = t.scalar(c, 'RestartPolicy.Enabled');
    return { name: String(t.literal(c.Name) ?? `container${i}`), healthCheck: c.HealthCheck !== undefined, restartPolicy: restart === true || restart === 'true' };
  });
  return {
    id: svc.id,
    family: typeof family === 'string' ? family : (svc.taskDefinition ?? svc.id),
    tasks: Math.ceil(svc.tasks),
    fargate: svc.fargate,
    windows: /^WINDOWS/i.test(String(t.literal(t.get(td, 'RuntimePlatform.OperatingSystemFamily')) ?? 'LINUX')),
    networkMetrics: networkMode === 'awsvpc' || networkMode === 'bridge',
    containers: containers.length > 0 ? containers : [{ name: 'container0', healthCheck: false, restartPolicy: false }],
  };
}
