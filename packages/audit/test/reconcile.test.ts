import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CostEstimator } from '../src';
import { main } from '../src/cli';
import { bareUsageType, parseCostExport, reconcile } from '../src/private/reconcile';
import { handAssembly, natVpc, template } from './update-safety-fixtures';
import { runCli } from './run-cli';

/** The sample export: a month of a Fargate + HTTP API stack, written from the usage-type names AWS bills (not a real bill). */
const SAMPLE = path.join(__dirname, 'fixtures', 'cost-export.csv');
const cli = runCli;
const csv = (text: string) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bill-')), 'bill.csv');
  fs.writeFileSync(file, text);
  return file;
};

/** Two NAT gateways with their Elastic IPs, and a Fargate service of 2 tasks. */
const stack = () => template({
  ...natVpc(2).Resources,
  Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] } },
  Td: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'api', Cpu: '256', Memory: '512', RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', ContainerDefinitions: [{ Name: 'api' }] } },
  Svc: { Type: 'AWS::ECS::Service', Properties: { Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: 'Td' }, DesiredCount: 2, LaunchType: 'FARGATE' } },
});

describe('reading a cost export', () => {
  test('the sample Cost and Usage Report: one row per usage type, costs as numbers', () => {
    const rows = parseCostExport(fs.readFileSync(SAMPLE, 'utf8'), SAMPLE);
    expect(rows).toHaveLength(18);
    expect(rows[0]).toEqual({ service: 'AmazonEC2', usageType: 'USE1-NatGateway-Hours', costUsd: 65.7, usage: 1460, line: 2 });
  });

  test('CUR 2.0 and Cost Explorer column names; quoted fields, a BOM, CRLF, $ and thousands separators', () => {
    const cur2 = parseCostExport('line_item_product_code,line_item_usage_type,line_item_unblended_cost\r\nAmazonEC2,USE1-NatGateway-Hours,65.7\r\n', 'cur2.csv');
    expect(cur2[0]).toMatchObject({ service: 'AmazonEC2', usageType: 'USE1-NatGateway-Hours', costUsd: 65.7 });
    const ce = parseCostExport('\uFEFFService,Usage type,Cost,Usage quantity\n"EC2 - Other","USE1-NatGateway-Hours","$1,065.70","1,460"\n', 'ce.csv');
    expect(ce[0]).toMatchObject({ service: 'EC2 - Other', costUsd: 1065.7, usage: 1460 });
  });

  test('the Region prefix of a usage type is removed before matching (USE1-, CloudFront US-, KMS us-east-1-); names that only look like one keep theirs', () => {
    expect(['USE1-NatGateway-Hours', 'EUW2-LCUUsage', 'US-Requests-Tier1-HTTPS', 'us-east-1-KMS-Keys', 'BoxUsage:t3.small', 'KMS-Keys', 'CW:AlarmMonitorUsage', 'MetricStorage:AWS/Logs-EMF'].map(bareUsageType))
      .toEqual(['NatGateway-Hours', 'LCUUsage', 'Requests-Tier1-HTTPS', 'KMS-Keys', 'BoxUsage:t3.small', 'KMS-Keys', 'CW:AlarmMonitorUsage', 'MetricStorage:AWS/Logs-EMF']);
  });

  test.each([
    ['no usage-type column', 'Service,Cost\nAmazonEC2,1\n', /bill\.csv: no usage-type column; columns found: 'Service', 'Cost'; accepted: usage type lineitem\/usagetype/],
    ['no cost column', 'Service,Usage type,Usage quantity\nAmazonEC2,X,1\n', /bill\.csv: no cost column; columns found: 'Service', 'Usage type', 'Usage quantity'/],
    ['a cost that is not a number', 'Service,Usage type,Cost\nAmazonEC2,X,12.5\nAmazonEC2,Y,abc\n', /bill\.csv:3: cost 'abc' \(column 'Cost'\) is not a number/],
    ['an empty cost', 'Service,Usage type,Cost\nAmazonEC2,X,\n', /bill\.csv:2: cost '' \(column 'Cost'\) is not a number/],
    ['a usage amount that is not a number', 'Service,Usage type,Cost,Usage quantity\nAmazonEC2,X,1,lots\n', /bill\.csv:2: usage amount 'lots'/],
    ['an empty file', '', /bill\.csv is empty/],
    ['a header only', 'Service,Usage type,Cost\n', /bill\.csv has a header and no rows/],
    ['an unclosed quote', 'Service,Usage type,Cost\n"AmazonEC2,X,1\n', /bill\.csv: a quoted field is not closed/],
  ])('%s is refused, naming the file (and line)', (_name, text, message) => {
    expect(() => parseCostExport(text, 'bill.csv')).toThrow(message);
  });
});

describe('reconcile: each line\'s estimate, actual and difference', () => {
  test('the estimate of a stack next to the sample bill, bucket by bucket; bill rows it does not know are lines of their own', () => {
    const estimate = CostEstimator.estimateTemplate(stack());
    const r = reconcile([estimate], parseCostExport(fs.readFileSync(SAMPLE, 'utf8'), SAMPLE));
    const byName = (name: string) => r.lines.find((l) => l.line === name)!;
    expect(byName('NAT gateway hours')).toEqual({ line: 'NAT gateway hours', usageTypes: ['NatGateway-Hours'], estimateUsd: 65.7, actualUsd: 65.7, differenceUsd: 0, estimateLines: ['NAT gateway hours'] });
    expect(byName('NAT gateway data')).toMatchObject({ estimateUsd: 0.05, actualUsd: 0.1, differenceUsd: 0.05 });
    expect(byName('Fargate vCPU (x86)')).toMatchObject({ estimateUsd: 14.78, actualUsd: 14.83, differenceUsd: 0.05 });
    expect(byName('Container Insights metrics')).toMatchObject({ usageTypes: ['MetricStorage:AWS/Logs-EMF'], estimateUsd: 11.1, actualUsd: 10.68, differenceUsd: -0.42 });
    // on the bill, not in this stack's estimate: a line of its own, estimate 0
    expect(byName('not estimated: AmazonCloudWatch CW:Requests')).toMatchObject({ estimateUsd: 0, actualUsd: 0.02, differenceUsd: 0.02 });
    expect(byName('KMS keys')).toMatchObject({ estimateUsd: 0, actualUsd: 1 });
    // every bill row is counted once: the lines add up to the bill
    expect(r.lines.reduce((s, l) => s + l.actualUsd, 0)).toBeCloseTo(r.actualTotalUsd, 1);
    expect(r.estimateTotalUsd).toBe(estimate.totalMonthlyUsd);
    expect(r.differenceUsd).toBeCloseTo(r.actualTotalUsd - r.estimateTotalUsd, 2);
  });

  test('an estimate line no bucket knows is compared with 0 and listed', () => {
    const estimate = CostEstimator.estimateTemplate(template({ I: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.small' } } }));
    const r = reconcile([{ ...estimate, lines: [...estimate.lines, { item: 'Something new', quantity: 1, unit: 'x', unitPriceUsd: 2, monthlyUsd: 2, priced: true }] }],
      parseCostExport('Service,Usage type,Cost\nAmazonEC2,BoxUsage:t3.small,15.18\n', 'b.csv'));
    expect(r.lines.find((l) => l.line === 'EC2 instances')).toMatchObject({ estimateUsd: 15.18, actualUsd: 15.18, differenceUsd: 0 });
    expect(r.estimateOnly).toEqual(['Something new']);
    expect(r.lines.find((l) => l.line === 'not on the bill\'s usage types: Something new')).toMatchObject({ estimateUsd: 2, actualUsd: 0, differenceUsd: -2 });
  });
});

describe('portcullis-audit reconcile <cdk.out> <cost-export.csv>', () => {
  test('prints each line\'s estimate, actual and difference, and the totals; --json the same as data', () => {
    const out = cli(['reconcile', handAssembly({ Api: stack() }), SAMPLE]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^reconcile: the estimate of .* \(1 stack\(s\)\) against .*cost-export\.csv/);
    expect(out.stdout).toMatch(/line\s+usage types on the bill\s+estimate \$\s+actual \$\s+difference \$/);
    expect(out.stdout).toMatch(/NAT gateway hours\s+NatGateway-Hours\s+65\.70\s+65\.70\s+0\.00/);
    expect(out.stdout).toMatch(/Container Insights metrics\s+MetricStorage:AWS\/Logs-EMF\s+11\.10\s+10\.68\s+-0\.42/);
    expect(out.stdout).toMatch(/\ntotal\s+\d+\.\d\d\s+108\.54\s+[+-]\d+\.\d\d\n/); // the sample's rows add up to $108.54
    const json = JSON.parse(cli(['reconcile', handAssembly({ Api: stack() }), SAMPLE, '--json']).stdout);
    expect(json.lines.find((l: any) => l.line === 'NAT gateway hours')).toMatchObject({ estimateUsd: 65.7, actualUsd: 65.7 });
  });

  test.each([
    [['reconcile'], /reconcile needs a cloud assembly \(cdk\.out\) and a cost export \(CSV\), got 0 argument\(s\)/],
    [['reconcile', '/nonexistent/cdk.out', SAMPLE], /\/nonexistent\/cdk\.out does not exist/],
    [['reconcile', 'ASSEMBLY', '/nonexistent/bill.csv'], /\/nonexistent\/bill\.csv does not exist \(the cost export\)/],
    [['reconcile', 'ASSEMBLY', 'BAD_COLUMNS'], /no usage-type column; columns found: 'Service', 'Cost'/],
    [['reconcile', 'ASSEMBLY', 'BAD_COST'], /bill\.csv:2: cost 'twelve' \(column 'Cost'\) is not a number/],
    [['reconcile', 'ASSEMBLY', SAMPLE, '--bogus'], /unknown option --bogus for reconcile/],
  ])('bad usage or input exits 2 with a clear message: %j', (args, message) => {
    const files: Record<string, string> = {
      ASSEMBLY: handAssembly({ Api: stack() }),
      BAD_COLUMNS: csv('Service,Cost\nAmazonEC2,1\n'),
      BAD_COST: csv('Service,Usage type,Cost\nAmazonEC2,USE1-NatGateway-Hours,twelve\n'),
    };
    // in-process (the CLI's own main(), as the binary runs it): one spawned process above is enough
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(main(args.map((a) => files[a] ?? a))).toBe(2);
      expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(message);
      expect(logs).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
  });
});
