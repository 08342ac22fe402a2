#!/usr/bin/env node
/* eslint-disable no-console */
// portcullis-audit <cdk.out> [--json] [--requests N] [--response-kb N] [--nat-gb N] [--region R]
// Prints, per stack of a cloud assembly: the exposure findings, then the cost lines and total.
// Exits 1 when a finding is not acknowledged, 2 on bad usage.
import * as fs from 'fs';
import * as path from 'path';
import { CostEstimate, CostEstimator, UsageProfile } from './cost-estimator';
import { ExposureChecks, ExposureFinding } from './exposure-checks';

interface StackReport {
  readonly stack: string;
  readonly template: string;
  readonly findings: ExposureFinding[];
  readonly cost: CostEstimate;
}

const USAGE = 'usage: portcullis-audit <cdk.out directory or template.json> [--json] [--requests N] [--response-kb N] [--nat-gb N] [--region R]';

function fail(message: string): never {
  console.error(`portcullis-audit: ${message}\n${USAGE}`);
  process.exit(2);
}

function parse(argv: string[]): { target: string; json: boolean; profile: UsageProfile } {
  let target: string | undefined;
  let json = false;
  const profile: Record<string, number | string> = {};
  const numeric: Record<string, string> = { '--requests': 'requestsPerMonth', '--response-kb': 'averageResponseKb', '--nat-gb': 'natDataGbPerMonth' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') { console.log(USAGE); process.exit(0); } else if (numeric[arg]) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) fail(`${arg} needs a number >= 0, got '${argv[i]}'`);
      profile[numeric[arg]] = value;
    } else if (arg === '--region') {
      profile.region = argv[++i] ?? fail('--region needs a value');
    } else if (arg.startsWith('--')) fail(`unknown option ${arg}`);
    else if (target === undefined) target = arg;
    else fail(`unexpected argument ${arg}`);
  }
  if (!target) fail('give the cdk.out directory (or a template file) to audit');
  return { target, json, profile: profile as UsageProfile };
}

/** Stack name -> template file of a cloud assembly directory, or the single template given. */
function templates(target: string): Array<[string, string]> {
  if (!fs.existsSync(target)) fail(`${target} does not exist`);
  if (fs.statSync(target).isFile()) return [[path.basename(target).replace(/\.template\.json$|\.json$/, ''), target]];
  const manifestFile = path.join(target, 'manifest.json');
  if (!fs.existsSync(manifestFile)) fail(`${target} has no manifest.json: is it a cdk.out directory? Run cdk synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => [id, path.join(target, a.properties.templateFile)]);
}

export function audit(target: string, profile: UsageProfile = {}): StackReport[] {
  const checks = new ExposureChecks();
  return templates(target).map(([stack, file]) => {
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    return { stack, template: file, findings: checks.checkTemplate(template), cost: CostEstimator.estimateTemplate(template, profile) };
  });
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

function print(reports: StackReport[]) {
  for (const r of reports) {
    console.log(`\n== ${r.stack} (${r.template})`);
    const open = r.findings.filter((f) => !f.acknowledged);
    if (r.findings.length === 0) {
      console.log('findings: none');
    } else {
      console.log(`findings: ${open.length} open, ${r.findings.length - open.length} acknowledged`);
      console.log(table([['rule', 'resource', 'status', 'what / fix'],
        ...r.findings.map((f) => [f.ruleId, f.resourceLogicalId, f.acknowledged ? `acknowledged: ${f.reason}` : 'OPEN', `${f.description} Fix: ${f.fix}`])]));
    }
    console.log(`\ncost (${r.cost.region}, list prices of ${r.cost.priceDate}):`);
    console.log(table([['item', 'quantity', 'unit', '$/month', 'note'],
      ...r.cost.lines.map((l) => [l.item, String(l.quantity), l.unit, l.priced ? l.monthlyUsd!.toFixed(2) : 'not priced', l.note ?? ''])]));
    console.log(`total: $${r.cost.totalMonthlyUsd.toFixed(2)}/month${r.cost.notPriced.length ? ` (+ not priced: ${r.cost.notPriced.join(', ')})` : ''}`);
  }
}

if (require.main === module) {
  const { target, json, profile } = parse(process.argv.slice(2));
  let reports: StackReport[];
  try {
    reports = audit(target, profile);
  } catch (e) {
    fail((e as Error).message);
  }
  if (json) console.log(JSON.stringify(reports, undefined, 2));
  else print(reports);
  const open = reports.reduce((n, r) => n + r.findings.filter((f) => !f.acknowledged).length, 0);
  process.exit(open > 0 ? 1 : 0);
}
