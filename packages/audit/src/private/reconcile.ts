/**
 * `portcullis-audit reconcile`: the estimate of a cloud assembly next to a real bill, line by
 * line, so a user can see where the estimator is right for their account and where not.
 *
 * The bill is a CSV export with one row per service and usage type (and any other columns):
 * - a Cost and Usage Report, legacy (`lineItem/ProductCode`, `lineItem/UsageType`,
 *   `lineItem/UnblendedCost`, `lineItem/UsageAmount`) or CUR 2.0 / Data Exports
 *   (`line_item_product_code`, `line_item_usage_type`, `line_item_unblended_cost`, `line_item_usage_amount`);
 * - a Cost Explorer export grouped by service and usage type (`Service`, `Usage type`,
 *   `Cost` or `Unblended cost`, optional `Usage quantity`), e.g. `aws ce get-cost-and-usage
 *   --group-by Type=DIMENSION,Key=SERVICE Type=DIMENSION,Key=USAGE_TYPE` written as CSV.
 * Usage types carry a Region prefix (`USE1-`, `EUW1-`, CloudFront's `US-`, KMS's `us-east-1-`);
 * it is removed before matching. Rows of the same bucket are added up.
 */
import type { CostEstimate } from '../cost-estimator';

/** Input that cannot be reconciled (a missing file, unknown columns, a cost that is not a number): exit code 2. */
export class ReconcileInputError extends Error {}

/** One row of a cost export. */
export interface BillRow {
  readonly service: string;
  readonly usageType: string;
  readonly costUsd: number;
  readonly usage?: number;
  /** 1-based line of the CSV file. */
  readonly line: number;
}

/** A bucket of the reconciliation: the estimate's lines and the bill's usage types that price the same thing. */
interface Bucket {
  readonly name: string;
  /** Usage type (Region prefix removed). */
  readonly usageType: RegExp;
  /** Service (product code or name), when the usage type alone is ambiguous. */
  readonly service?: RegExp;
  /** The estimate's line items in the bucket. */
  readonly lines: RegExp;
}

/**
 * The buckets, in report order. Usage types as AWS bills them (Cost Explorer's "Usage type",
 * CUR's `lineItem/UsageType`): https://docs.aws.amazon.com/cur/latest/userguide/product-columns.html
 * and each service's pricing page. A usage type no bucket knows is reported as "on the bill,
 * not in the estimate" (never dropped), so a renamed usage type shows up as a difference.
 */
const BUCKETS: Bucket[] = [
  { name: 'ALB hours', usageType: /^LoadBalancerUsage$/, lines: /^ALB hours$/ },
  { name: 'ALB LCUs', usageType: /^LCUUsage$/, lines: /^ALB LCUs$/ },
  { name: 'NAT gateway hours', usageType: /^NatGateway-Hours$/, lines: /^NAT gateway hours$/ },
  { name: 'NAT gateway data', usageType: /^NatGateway-Bytes$/, lines: /^NAT gateway data$/ },
  { name: 'Public IPv4 addresses', usageType: /^PublicIPv4:(InUseAddress|IdleAddress)$/, lines: /^Public IPv4 addresses$/ },
  { name: 'Fargate vCPU (x86)', usageType: /^Fargate-vCPU-Hours:perCPU$/, lines: /^Fargate vCPU \(x86\)$/ },
  { name: 'Fargate memory (x86)', usageType: /^Fargate-GB-Hours$/, lines: /^Fargate memory \(x86\)$/ },
  { name: 'Fargate vCPU (arm64)', usageType: /^Fargate-ARM-vCPU-Hours:perCPU$/, lines: /^Fargate vCPU \(arm64\)$/ },
  { name: 'Fargate memory (arm64)', usageType: /^Fargate-ARM-GB-Hours$/, lines: /^Fargate memory \(arm64\)$/ },
  { name: 'Fargate Spot vCPU (x86)', usageType: /^SpotUsage-Fargate-vCPU-Hours:perCPU$/, lines: /^Fargate Spot vCPU \(x86\)$/ },
  { name: 'Fargate Spot memory (x86)', usageType: /^SpotUsage-Fargate-GB-Hours$/, lines: /^Fargate Spot memory \(x86\)$/ },
  { name: 'Fargate Spot vCPU (arm64)', usageType: /^SpotUsage-Fargate-ARM-vCPU-Hours:perCPU$/, lines: /^Fargate Spot vCPU \(arm64\)$/ },
  { name: 'Fargate Spot memory (arm64)', usageType: /^SpotUsage-Fargate-ARM-GB-Hours$/, lines: /^Fargate Spot memory \(arm64\)$/ },
  { name: 'EC2 instances', usageType: /^(BoxUsage|SpotUsage):[a-z0-9]+\.[a-z0-9]+$/, lines: /^(EC2 |NAT instance )/ },
  { name: 'EBS volumes', usageType: /^EBS:VolumeUsage(\.\w+)?$/, lines: /^EBS / },
  { name: 'Interface endpoint hours', usageType: /^VpcEndpoint-Hours$/, lines: /^Interface endpoint hours$/ },
  { name: 'Interface endpoint data', usageType: /^VpcEndpoint-Bytes$/, lines: /^Interface endpoint data$/ },
  { name: 'HTTP API requests', usageType: /^ApiGatewayHttpRequest$/, lines: /^HTTP API requests$/ },
  { name: 'Route 53 hosted zones', usageType: /^HostedZone$/, lines: /hosted zones/ },
  { name: 'Cloud Map', usageType: /^(CloudMap-)?(RegisteredResource|Resource-Hours|DiscoverInstances|API-Requests)/, service: /cloud ?map|servicediscovery/i, lines: /^Cloud Map / },
  { name: 'CloudWatch alarms', usageType: /^CW:(AlarmMonitorUsage|HighResAlarmMonitorUsage|CompositeAlarmMonitorUsage)$/, lines: /^CloudWatch (alarm metrics|high-resolution alarm metrics|composite alarms|Metrics Insights alarms)$/ },
  { name: 'CloudWatch dashboards', usageType: /^DashboardsUsageHour(-Basic)?$/, lines: /^CloudWatch dashboards$/ },
  { name: 'Container Insights metrics', usageType: /^(CW:MetricMonitorUsage|MetricStorage:AWS\/Logs-EMF|MetricStorage:CI-ECS)$/, lines: /^Container Insights metrics / },
  { name: 'CloudWatch Logs ingestion', usageType: /^DataProcessing-Bytes$/, lines: /^(Service log ingestion|HTTP API access log ingestion|Container Insights performance log ingestion)/ },
  { name: 'VPC flow log ingestion', usageType: /^VendedLog-Bytes$/, lines: /^VPC flow log ingestion$/ },
  { name: 'CloudWatch Logs storage', usageType: /^TimedStorage-ByteHrs$/, service: /cloudwatch/i, lines: /^CloudWatch Logs storage$/ },
  { name: 'KMS keys', usageType: /^KMS-Keys$/, lines: /^KMS customer managed keys$/ },
  { name: 'KMS requests', usageType: /^KMS-Requests$/, lines: /^$^/ },
  { name: 'CloudFront requests', usageType: /^Requests-(Tier\d-)?HTTPS?(-Proxy)?$/, service: /cloudfront/i, lines: /^CloudFront HTTPS requests/ },
  { name: 'CloudFront data transfer out', usageType: /^DataTransfer-Out-Bytes$/, service: /cloudfront/i, lines: /^CloudFront data transfer out/ },
  { name: 'Data transfer out', usageType: /^DataTransfer-Out-Bytes$/, lines: /^Data transfer out$/ },
];

/** Region prefixes of usage types: `USE1-`, `EUW2-`, CloudFront's `US-`/`EU-`/..., KMS's `us-east-1-`. */
const REGION_PREFIX = /^((US|EU|AP|CA|SA|ME|AF|IL|MX|UG)[EWCNS]\d|APN\d|APS\d|APE\d|CAN\d|CAW\d|SAE\d|MES\d|MEC\d|AFS\d|ILC\d|MXC\d|UGW\d|UGE\d|US|EU|JP|AU|AP|IN|SA|ZA|ME|CA|KR|HK|SG|TW|AE|[a-z]{2}(-gov)?-[a-z]+-\d)-/;

/** The usage type without its Region prefix. */
export function bareUsageType(usageType: string): string {
  return usageType.replace(REGION_PREFIX, '');
}

/** Column names accepted for each field, lower-cased. */
const COLUMNS = {
  service: ['lineitem/productcode', 'line_item_product_code', 'product/productname', 'product_product_name', 'service', 'product code', 'productcode'],
  usageType: ['lineitem/usagetype', 'line_item_usage_type', 'usage type', 'usagetype', 'usage_type'],
  cost: ['lineitem/unblendedcost', 'line_item_unblended_cost', 'unblended cost', 'unblendedcost', 'cost', 'amount', 'lineitem/netunblendedcost', 'line_item_net_unblended_cost'],
  usage: ['lineitem/usageamount', 'line_item_usage_amount', 'usage quantity', 'usagequantity', 'usage amount', 'usage_quantity'],
};

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field); field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) throw new ReconcileInputError('a quoted field is not closed (unbalanced ")');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** A cost: `12.34`, `-0.5`, `$1,234.56`, `1e-3`; undefined when not a number. */
function money(text: string): number | undefined {
  const t = text.trim().replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads a cost export (CSV text). Throws {@link ReconcileInputError} naming the file and, for a
 * bad value, its line and column: no usage-type or cost column (the message lists the columns
 * found and the names accepted), a cost that is not a number, an empty export.
 */
export function parseCostExport(text: string, file: string): BillRow[] {
  let rows: string[][];
  try {
    rows = csvRows(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ReconcileInputError(`${file}: ${(e as Error).message}`);
  }
  const nonEmpty = rows.map((r, i) => ({ r, line: i + 1 })).filter(({ r }) => r.some((f) => f.trim() !== ''));
  if (nonEmpty.length === 0) throw new ReconcileInputError(`${file} is empty: export a month of the Cost and Usage Report or Cost Explorer by service and usage type (CSV)`);
  const header = nonEmpty[0].r.map((h) => h.trim().toLowerCase());
  const find = (names: string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0);
  const col = { service: find(COLUMNS.service), usageType: find(COLUMNS.usageType), cost: find(COLUMNS.cost), usage: find(COLUMNS.usage) };
  const missing = (['usageType', 'cost'] as const).filter((k) => col[k] === undefined);
  if (missing.length > 0) {
    throw new ReconcileInputError(`${file}: no ${missing.map((k) => (k === 'usageType' ? 'usage-type' : 'cost')).join(' or ')} column; `
      + `columns found: ${nonEmpty[0].r.map((h) => `'${h.trim()}'`).join(', ')}; accepted: usage type ${COLUMNS.usageType.join(' / ')}; cost ${COLUMNS.cost.join(' / ')} `
      + '(a Cost and Usage Report, or Cost Explorer grouped by service and usage type)');
  }
  const out: BillRow[] = [];
  for (const { r, line } of nonEmpty.slice(1)) {
    const get = (i: number | undefined) => (i === undefined ? '' : (r[i] ?? '').trim());
    const costText = get(col.cost);
    const cost = money(costText);
    if (cost === undefined) {
      throw new ReconcileInputError(`${file}:${line}: cost '${costText}' (column '${nonEmpty[0].r[col.cost!].trim()}') is not a number`);
    }
    const usageText = get(col.usage);
    const usage = usageText === '' ? undefined : money(usageText);
    if (usageText !== '' && usage === undefined) {
      throw new ReconcileInputError(`${file}:${line}: usage amount '${usageText}' (column '${nonEmpty[0].r[col.usage!].trim()}') is not a number`);
    }
    out.push({ service: get(col.service), usageType: get(col.usageType), costUsd: cost, usage, line });
  }
  if (out.length === 0) throw new ReconcileInputError(`${file} has a header and no rows: export a month with costs`);
  return out;
}

/** One line of the reconciliation. */
export interface ReconcileLine {
  readonly line: string;
  /** The bill's usage types in it (Region prefix removed), or the pattern when the bill has none. */
  readonly usageTypes: string[];
  readonly estimateUsd: number;
  readonly actualUsd: number;
  /** actual - estimate. */
  readonly differenceUsd: number;
  /** The estimate's line items in it. */
  readonly estimateLines: string[];
}

/** The estimate of every stack next to the bill. */
export interface Reconciliation {
  readonly lines: ReconcileLine[];
  /** The estimate's lines no bucket knows (in the estimate's total, compared with nothing). */
  readonly estimateOnly: string[];
  readonly estimateTotalUsd: number;
  readonly actualTotalUsd: number;
  readonly differenceUsd: number;
  /** Items the estimate could not price (not in its total). */
  readonly notPriced: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Puts the estimates (all stacks of an assembly: a bill is per account) next to the bill rows,
 * bucket by bucket; bill rows no bucket knows are lines of their own (`<service> <usage type>`,
 * estimate 0), estimate lines no bucket knows are listed in `estimateOnly` and compared with 0.
 */
export function reconcile(estimates: CostEstimate[], rows: BillRow[]): Reconciliation {
  const estimateLines = estimates.flatMap((e) => e.lines.filter((l) => l.priced));
  const out: ReconcileLine[] = [];
  const usedRows = new Set<BillRow>();
  const usedLines = new Set<unknown>();
  for (const b of BUCKETS) {
    const lines = estimateLines.filter((l) => b.lines.test(l.item));
    const billed = rows.filter((r) => !usedRows.has(r) && b.usageType.test(bareUsageType(r.usageType)) && (!b.service || b.service.test(r.service)));
    if (lines.length === 0 && billed.length === 0) continue;
    lines.forEach((l) => usedLines.add(l));
    billed.forEach((r) => usedRows.add(r));
    const estimate = lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0);
    const actual = billed.reduce((s, r) => s + r.costUsd, 0);
    out.push({
      line: b.name,
      usageTypes: billed.length ? [...new Set(billed.map((r) => bareUsageType(r.usageType)))] : [],
      estimateUsd: round2(estimate),
      actualUsd: round2(actual),
      differenceUsd: round2(actual - estimate),
      estimateLines: [...new Set(lines.map((l) => l.item))],
    });
  }
  const unknown = new Map<string, BillRow[]>();
  for (const r of rows.filter((x) => !usedRows.has(x))) {
    const key = `${r.service || '(no service)'} ${bareUsageType(r.usageType) || '(no usage type)'}`;
    unknown.set(key, [...(unknown.get(key) ?? []), r]);
  }
  for (const [key, billed] of [...unknown].sort(([a], [b]) => a.localeCompare(b))) {
    const actual = billed.reduce((s, r) => s + r.costUsd, 0);
    out.push({ line: `not estimated: ${key}`, usageTypes: [bareUsageType(billed[0].usageType)], estimateUsd: 0, actualUsd: round2(actual), differenceUsd: round2(actual), estimateLines: [] });
  }
  const estimateOnly = estimateLines.filter((l) => !usedLines.has(l) && (l.monthlyUsd ?? 0) !== 0);
  for (const l of estimateOnly) {
    out.push({ line: `not on the bill's usage types: ${l.item}`, usageTypes: [], estimateUsd: round2(l.monthlyUsd ?? 0), actualUsd: 0, differenceUsd: round2(-(l.monthlyUsd ?? 0)), estimateLines: [l.item] });
  }
  const estimateTotal = estimates.reduce((s, e) => s + e.totalMonthlyUsd, 0);
  const actualTotal = rows.reduce((s, r) => s + r.costUsd, 0);
  return {
    lines: out,
    estimateOnly: [...new Set(estimateOnly.map((l) => l.item))],
    estimateTotalUsd: round2(estimateTotal),
    actualTotalUsd: round2(actualTotal),
    differenceUsd: round2(actualTotal - estimateTotal),
    notPriced: [...new Set(estimates.flatMap((e) => e.notPriced))],
  };
}
