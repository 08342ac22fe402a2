#!/usr/bin/env node
// portcullis-audit <cdk.out> [--json] [--requests N] [--response-kb N] [--nat-gb N] [--region R]
//   Prints, per stack of a cloud assembly (stacks inside Stages too, named by their path, and
//   nested stacks, named <stack>/<logical id>):
//   the exposure findings, then the cost lines and total.
//   Exits 1 when a finding is not acknowledged (a value a rule cannot evaluate is a finding),
//   2 on bad usage or when the audit cannot be done: no stack, an unreadable, malformed or
//   YAML template or manifest (the message names the directory or file).
// portcullis-audit diff <before cdk.out> <after cdk.out> [--json] [--allow LOGICAL_ID]...
//   Prints every resource the update replaces or removes, and whether that breaks clients.
//   Exits 1 when a breaking finding is not acknowledged, 2 on bad usage or input it cannot
//   compare: not a cloud assembly, no stack on a side, a malformed manifest or template.
// portcullis-audit reconcile <cdk.out> <cost-export.csv> [--json] [profile options]
//   Prints the estimate of the assembly (all stacks) next to a month's bill (a Cost and Usage
//   Report or Cost Explorer export by service and usage type): each line's estimate, actual and
//   difference. Exits 0, or 2 on bad usage or input (a missing file, no usage-type or cost
//   column, a cost that is not a number).
// Options take their value as `--opt VALUE` or `--opt=VALUE`.
// Exit codes are set with process.exitCode (never process.exit) so that large output drains.
import * as fs from 'fs';
import * as path from 'path';
import { CostEstimate, CostEstimator, UsageProfile } from './cost-estimator';
import { ExposureChecks, ExposureFinding } from './exposure-checks';
import { assemblyStacks, nestedTemplates, readTemplate } from './private/assembly';
import { parseCostExport, reconcile, Reconciliation } from './private/reconcile';
import { UpdateSafety, UpdateSafetyReport } from './update-safety';

interface StackReport {
  readonly stack: string;
  readonly template: string;
  readonly findings: ExposureFinding[];
  readonly cost: CostEstimate;
}

const USAGE = [
  'usage: portcullis-audit <cdk.out directory or template.json> [--json] [--requests N] [--response-kb N] [--nat-gb N] [--log-gb N] [--flow-log-gb N] [--region R]',
  '       portcullis-audit diff <before cdk.out> <after cdk.out> [--json] [--allow LOGICAL_ID]...',
  '       portcullis-audit reconcile <cdk.out directory or template.json> <cost-export.csv> [--json] [same profile options as the audit]',
  'options take their value as --opt VALUE or --opt=VALUE; -- ends the options',
  'exit codes: 0 nothing open; 1 an open finding (audit: a rule violated or not evaluable; diff: a breaking change);',
  '            2 bad usage, or input that cannot be audited or compared (a directory that is not a cloud assembly or has no stack,',
  '            an unreadable/malformed/YAML template or manifest): the message names the option, directory or file',
].join('\n');

/** Bad usage or unreadable input: exit code 2. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

/** The numeric options of the audit and the profile field each sets. */
const NUMERIC_OPTIONS = new Map<string, 'requestsPerMonth' | 'averageResponseKb' | 'natDataGbPerMonth' | 'logIngestionGbPerMonth' | 'flowLogGbPerMonth'>([
  ['--requests', 'requestsPerMonth'],
  ['--response-kb', 'averageResponseKb'],
  ['--nat-gb', 'natDataGbPerMonth'],
  ['--log-gb', 'logIngestionGbPerMonth'],
  ['--flow-log-gb', 'flowLogGbPerMonth'],
]);

/** A number >= 0 written as a decimal (no '', no NaN, no Infinity, no hex). */
function nonNegativeNumber(option: string, text: string | undefined): number {
  const value = text !== undefined && /^\s*(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value < 0) fail(`${option} needs a number >= 0, got '${text ?? ''}'`);
  return value;
}

/** An option of a command: a flag (`--json`) or one that takes a value (`--allow X` or `--allow=X`). */
interface OptionSpec {
  readonly takesValue: boolean;
  /** What the value is, for the error when it is missing, e.g. `a logical id`. */
  readonly value?: string;
}

/**
 * Splits a command's arguments into positionals and options. Every option that takes a value
 * accepts both `--opt value` and `--opt=value`; a flag given a value (`--json=yes`), an option
 * without its value, and an unknown option are errors naming the option. `--` ends the options
 * (a directory named `--x` is then a positional).
 */
function readArgs(argv: string[], specs: Record<string, OptionSpec>, command: string): { positionals: string[]; options: Array<[string, string | undefined]> } {
  const positionals: string[] = [];
  const options: Array<[string, string | undefined]> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec) fail(`unknown option ${name}${command ? ` for ${command}` : ''} (options: ${Object.keys(specs).join(', ')})`);
    if (!spec.takesValue) {
      if (eq > 0) fail(`${name} takes no value, got '${arg.slice(eq + 1)}'`);
      options.push([name, undefined]);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // the next argument is the value, unless it is another option (--x); '-1' is a (bad) value
      if (next !== undefined && !(next.startsWith('--') && next.length > 2)) {
        value = next;
        i++;
      }
    }
    if (value === undefined) fail(`${name} needs ${spec.value ?? 'a value'}, got '' (${name} VALUE or ${name}=VALUE)`);
    options.push([name, value]);
  }
  return { positionals, options };
}

const AUDIT_OPTIONS: Record<string, OptionSpec> = {
  '--json': { takesValue: false },
  '--requests': { takesValue: true, value: 'a number >= 0' },
  '--response-kb': { takesValue: true, value: 'a number >= 0' },
  '--nat-gb': { takesValue: true, value: 'a number >= 0' },
  '--log-gb': { takesValue: true, value: 'a number >= 0' },
  '--flow-log-gb': { takesValue: true, value: 'a number >= 0' },
  '--region': { takesValue: true, value: 'a region name' },
};

function parse(argv: string[], command = ''): { target: string; json: boolean; profile: UsageProfile; positionals: string[] } {
  const { positionals, options } = readArgs(argv, AUDIT_OPTIONS, command);
  let json = false;
  const profile: { -readonly [K in keyof UsageProfile]: UsageProfile[K] } = {};
  for (const [name, value] of options) {
    const field = NUMERIC_OPTIONS.get(name);
    if (name === '--json') {
      json = true;
    } else if (field !== undefined) {
      profile[field] = nonNegativeNumber(name, value);
    } else if (name === '--region') {
      if (value === undefined || value.trim() === '' || value.startsWith('-')) fail(`--region needs a region name, got '${value ?? ''}'`);
      profile.region = value;
    }
  }
  if (command) return { target: positionals[0], json, profile, positionals };
  if (positionals.length === 0) fail('give the cdk.out directory (or a template file) to audit');
  if (positionals.length > 1) fail(`unexpected argument ${positionals[1]}: give one cdk.out directory (or template file)`);
  return { target: positionals[0], json, profile, positionals };
}

/**
 * Stack name -> template file of a cloud assembly directory (stacks of nested assemblies,
 * i.e. Stages, included and named by their path), or the single template given.
 */
function templates(target: string): Array<[string, string]> {
  if (!fs.existsSync(target)) fail(`${target} does not exist`);
  if (fs.statSync(target).isFile()) return [[path.basename(target).replace(/\.template\.json$|\.json$/, ''), target]];
  if (!fs.existsSync(path.join(target, 'manifest.json'))) fail(`${target} has no manifest.json: is it a cdk.out directory? Run cdk synth first`);
  const stacks = [...assemblyStacks(target).values()];
  if (stacks.length === 0) fail(`${target} has no stack: nothing to audit (is it the cdk.out of an app with stacks? Run cdk synth)`);
  return stacks.map((s) => [s.displayName, s.templateFile]);
}

/**
 * Audits every stack of a cloud assembly (or one template file), and every nested stack
 * (`AWS::CloudFormation::Stack`) whose template the assembly holds, named `<stack>/<logical id>`;
 * throws naming the directory or file it cannot read.
 */
export function audit(target: string, profile: UsageProfile = {}): StackReport[] {
  const checks = new ExposureChecks();
  const check = (stack: string, file: string, template: any): StackReport => {
    let findings: ExposureFinding[];
    let cost: CostEstimate;
    try {
      findings = checks.checkTemplate(template);
      cost = CostEstimator.estimateTemplate(template, profile);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    return { stack, template: file, findings, cost };
  };
  return templates(target).flatMap(([stack, file]) => {
    const template = readTemplate(file);
    return [check(stack, file, template), ...nestedTemplates(stack, file, template).map((n) => check(n.name, n.templateFile, n.template))];
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
        ...r.findings.map((f) => [f.ruleId, f.resourceLogicalId, f.acknowledged ? `acknowledged: ${f.reason}` : 'OPEN',
          f.cannotEvaluate ? `CANNOT TELL, so it fails: ${f.cannotEvaluate}. ${f.description}` : `${f.description} Fix: ${f.fix}`])]));
    }
    console.log(`\ncost (${r.cost.region}, list prices of ${r.cost.priceDate}):`);
    console.log(table([['item', 'quantity', 'unit', '$/month', 'note'],
      ...r.cost.lines.map((l) => [l.item, String(l.quantity), l.unit, l.priced ? l.monthlyUsd!.toFixed(2) : 'not priced', l.note ?? ''])]));
    console.log(`total: $${r.cost.totalMonthlyUsd.toFixed(2)}/month${r.cost.notPriced.length ? ` (+ not priced: ${r.cost.notPriced.join(', ')})` : ''}`);
    if (r.cost.free.length) console.log(`free: ${r.cost.free.map((f) => `${f.type} x${f.count}`).join(', ')} (--json: each with its reason)`);
    for (const w of r.cost.warnings) console.log(`cost warning: ${w}`);
    for (const l of r.cost.leanSavings) {
      console.log(`lean: ${l.option} ${l.applied ? 'saves' : 'would save'} $${l.monthlyUsd.toFixed(2)}/month (${l.lineItems.join(', ')}): ${l.note}`);
    }
  }
}

interface DiffArgs { readonly before: string; readonly after: string; readonly json: boolean; readonly allow: string[] }

const DIFF_OPTIONS: Record<string, OptionSpec> = {
  '--json': { takesValue: false },
  '--allow': { takesValue: true, value: 'a logical id (or <stack>/<logical id>)' },
};

function parseDiff(argv: string[]): DiffArgs {
  const { positionals, options } = readArgs(argv, DIFF_OPTIONS, 'diff');
  const allow: string[] = [];
  let json = false;
  for (const [name, value] of options) {
    if (name === '--json') {
      json = true;
    } else if (value === undefined || value.trim() === '') {
      fail('--allow needs a logical id (or <stack>/<logical id>)');
    } else {
      allow.push(value);
    }
  }
  if (positionals.length !== 2) fail(`diff needs two cloud assembly directories (before and after), got ${positionals.length}`);
  const [before, after] = positionals;
  for (const [name, dir] of [['before', before], ['after', after]]) {
    if (!fs.existsSync(dir)) fail(`${dir} does not exist (the ${name} cloud assembly)`);
    if (!fs.statSync(dir).isDirectory()) {
      fail(`${dir} (the ${name} cloud assembly) is not a directory: diff compares two cdk.out directories (npx cdk synth -o <dir>)`);
    }
  }
  return { before, after, json, allow };
}

function printDiff(args: DiffArgs, r: UpdateSafetyReport) {
  console.log(`update safety: ${args.before} -> ${args.after}`);
  if (r.findings.length === 0) {
    console.log('nothing is replaced or removed');
  } else {
    const status = (f: UpdateSafetyReport['findings'][number]) =>
      f.acknowledged ? `acknowledged (${f.acknowledgement})` : f.breaksClients ? 'BREAKING' : 'note';
    console.log(table([['stack', 'logical id', 'type', 'change', 'cause', 'impact', 'status'],
      ...r.findings.map((f) => [f.stack ?? '-', f.logicalId, f.resourceType, f.change, f.reasons.join('; '), f.impact, status(f)])]));
  }
  for (const w of r.warnings) console.log(`warning: ${w}`);
  const acknowledged = r.findings.filter((f) => f.acknowledged).length;
  console.log(`\n${r.breaking.length} breaking, ${r.findings.length - r.breaking.length} notes (${acknowledged} acknowledged): ${r.passed ? 'PASSED' : 'FAILED'}`);
  if (!r.passed) {
    console.log('Acknowledge an intended change with --allow <logical id>, or in the template: '
      + `Metadata: { '${UpdateSafety.METADATA_KEY}': { allowReplacement: true, reason: '...' } } (UpdateSafety.allowReplacement(construct, reason))`);
  }
}

function printReconciliation(target: string, file: string, stacks: number, r: Reconciliation) {
  console.log(`reconcile: the estimate of ${target} (${stacks} stack(s)) against ${file}`);
  const usd = (n: number) => n.toFixed(2);
  const signed = (n: number) => (n > 0 ? `+${n.toFixed(2)}` : n.toFixed(2));
  console.log(table([['line', 'usage types on the bill', 'estimate $', 'actual $', 'difference $'],
    ...r.lines.map((l) => [l.line, l.usageTypes.join(', ') || '-', usd(l.estimateUsd), usd(l.actualUsd), signed(l.differenceUsd)]),
    ['total', '', usd(r.estimateTotalUsd), usd(r.actualTotalUsd), signed(r.differenceUsd)]]));
  if (r.notPriced.length) console.log(`not priced by the estimate (not in its total): ${r.notPriced.join(', ')}`);
  console.log('difference = actual - estimate; the estimate is list prices without free tier or discounts (credits and taxes are bill lines of their own)');
}

function runReconcile(argv: string[]): number {
  const { positionals, json, profile } = parse(argv, 'reconcile');
  if (positionals.length !== 2) fail(`reconcile needs a cloud assembly (cdk.out) and a cost export (CSV), got ${positionals.length} argument(s)`);
  const [target, file] = positionals;
  if (!fs.existsSync(file)) fail(`${file} does not exist (the cost export)`);
  if (!fs.statSync(file).isFile()) fail(`${file} (the cost export) is not a file: give a CSV export of the Cost and Usage Report or Cost Explorer`);
  let reports: StackReport[];
  let result: Reconciliation;
  try {
    reports = audit(target, profile);
    result = reconcile(reports.map((r) => r.cost), parseCostExport(fs.readFileSync(file, 'utf8'), file));
  } catch (e) {
    fail((e as Error).message);
  }
  if (json) console.log(JSON.stringify(result, undefined, 2));
  else printReconciliation(target, file, reports.length, result);
  return 0;
}

/** Runs the CLI; returns the exit code. */
export function main(argv: string[]): number {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    if (argv[0] === 'diff') {
      const args = parseDiff(argv.slice(1));
      let report: UpdateSafetyReport;
      try {
        report = UpdateSafety.compareAssemblies(args.before, args.after, { allow: args.allow });
      } catch (e) {
        fail((e as Error).message);
      }
      if (args.json) console.log(JSON.stringify(report, undefined, 2));
      else printDiff(args, report);
      return report.passed ? 0 : 1;
    }
    if (argv[0] === 'reconcile') return runReconcile(argv.slice(1));
    const { target, json, profile } = parse(argv);
    let reports: StackReport[];
    try {
      reports = audit(target, profile);
    } catch (e) {
      fail((e as Error).message);
    }
    if (json) console.log(JSON.stringify(reports, undefined, 2));
    else print(reports);
    const open = reports.reduce((n, r) => n + r.findings.filter((f) => !f.acknowledged).length, 0);
    return open > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`portcullis-audit: ${e.message}\n${USAGE}`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
