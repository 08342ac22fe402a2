#!/usr/bin/env node
// Documented commands work, documented costs are exact (npm test; README "Documented commands are tested").
//
// 1. Runs the command lines of the root README and of every app README: each line of their
//    ```sh blocks (`cd` lines move the following lines of the block; `cd X && cmd` moves one),
//    and every inline `npm ...` / `npx ...` span of their prose (`<app>` stands for each app).
//    New commands are covered without touching this file; a command this file does not know
//    is run. RULES below say which commands are not run here, and why: they need an AWS
//    account, or `npm test` already runs exactly them (named), or they rewrite files.
// 2. Asserts every idle cost quoted in those READMEs and in the audit README to the cent
//    against @portcullis/audit's CostEstimator (and that apps/<app>/cdk.out has no unpriced line and a
//    Container Insights line for each cluster with it on): the root table (default, singleNatGateway, lean)
//    and each app's per-egress table and lean paragraph ("idles at $X"); each app's per-egress
//    table (cost, NAT gateways, public IPv4) on the apps' stacks synthesized in-process with
//    that context (a row naming `key=value` pairs, like the lean row, is synthesized with exactly those) (the default is cross-checked against apps/<app>/cdk.out, the CLI's synth),
//    the audit README's reference figures on the same aws-ecs-patterns stack as its tests.
//
// 3. Synthesizes every documented option of every app with the policy packs on: each entry of
//    the last column of an app README's "Configuration" table (`-c key=value ...`; "(refused)":
//    the synth must stop with an error naming a key of the entry), and each `cdk deploy` line
//    of an app README that takes `-c` (`<account>`/`<region>` filled in). Each runs the app's
//    own entry, src/main.ts (cdk.json's app: cdk-nag AwsSolutions, NIST 800-53 R5 and the
//    Portcullis exposure rules), the way `cdk synth` runs it: context in CDK_CONTEXT_JSON with
//    the CLI's defaults, a fresh CDK_OUTDIR; and fails like the CLI on a failed validation
//    report, an error annotation or a thrown error. One Node process per app runs all of that
//    app's entries in a row (`-r sucrase/register/ts`, as cdk.json), so the process start and
//    module loading are paid once per app, not once per option.
//
// Needs the packages built and the apps synthesized (npm test runs it after `nx run-many -t
// build test synth`). Usage: node scripts/check-readme-commands.js [--list] [--no-run]
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const listOnly = args.includes('--list');
const noRun = args.includes('--no-run');
const apps = fs.readdirSync(path.join(root, 'apps')).filter((a) => fs.existsSync(path.join(root, 'apps', a, 'cdk.json'))).sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-commands-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * What happens to a command (matched on the whole line after `#` comments are removed).
 * skip: not run here, with the reason. covered: not run again here because npm test (or CI) runs
 * exactly it, named. run: rewrite before running (env: extra environment).
 */
const NPM_TEST = 'npm test';
const RULES = [
  { match: /^npx cdk deploy\b.* -c /, covered: 'needs an AWS account to deploy; its context is synthesized with the policy packs among the documented options (`<account>`, `<region>` filled in)' },
  { match: /^npx cdk (bootstrap|deploy|destroy)\b/, skip: 'needs an AWS account' },
  { match: /^aws /, skip: 'AWS CLI: needs an AWS account' },
  { match: /^(\w+=\S+ )*npm run integ( |$)/, skip: 'deploys to an AWS account (npm run integ)' },
  { match: /^npm run release$/, skip: 'tags a release (clean tree; the release workflow runs it); its dry run is covered' },
  { match: /^git /, skip: 'a git command (an example of a commit or push), never run' },
  { match: /^npm run diff:apps\b/, skip: 'synthesizes every app twice, at a base commit in a git worktree with its own npm ci (minutes); the pull-request workflow runs it, and each app\'s update-safety test runs portcullis-audit diff' },
  { match: /^npm run api:baseline$/, skip: 'rewrites the API baselines (accepting a break); npm test runs api:compat' },
  { match: /^npm run api:compat$/, covered: `${NPM_TEST} runs it (node scripts/api-compat.js check)` },
  { match: /^npx projen$/, skip: 'rewrites the generated files; .ci/run and the workflows run it and fail on a diff' },
  { match: /^(npm run integ:update|npx projen integ:update)$/, covered: 'each app\'s `test` target runs `integ:snapshot`, the check integ:update ends with (integ:update itself rewrites snapshots)' },
  { match: /^npm ci && npm run synth$/, covered: `${NPM_TEST} runs the synth task's steps (nx run-many -t build docgen test synth, node scripts/synth-summary.js); .ci/run and the workflows start with npm ci` },
  { match: /^npm run synth$/, covered: `${NPM_TEST} runs its steps: nx run-many -t synth and node scripts/synth-summary.js` },
  { match: /^npm test$/, covered: 'this check is one of its steps' },
  { match: /^npm run lint$/, covered: `${NPM_TEST} runs it (its first step: the same task, eslint --max-warnings 0 over the repository)` },
  { match: /^npx projen synth$/, covered: `${NPM_TEST}: the nx \`synth\` target of each app is this task` },
  { match: /^npx nx run-many -t package --projects='@portcullis\/\*'$/, covered: `${NPM_TEST}: verify:artifacts runs the same nx target for every package (scripts/release/release.js --dry-run, at the release versions)` },
  { match: /^npm run test:explore$/, skip: `the jest suites ${NPM_TEST} runs, again with a random fast-check seed per test file: an exploration for new counterexamples, different at every run, so never a check` },
  { match: /^FC_SEED=\S+ npx jest$/, skip: `reruns a package's jest tests with another fast-check seed (${NPM_TEST} runs them on the fixed one)` },
  { match: /^npx jest --coverage$/, skip: `the jest suites ${NPM_TEST} runs (each package's \`test\` target, without coverage), again with coverage instrumentation` },
  { match: /^npx nx run-many -t build$/, covered: `${NPM_TEST}: its first step builds every project (nx run-many -t build docgen test synth)` },
  { match: /^npm run affected\b/, covered: `${NPM_TEST} runs each of its steps for every project (lint, layering, nx build docgen test synth, API compatibility, cfn-lint and checkov, artifacts and Python tests) except the update-safety diff (npm run diff:apps); the pull-request workflow runs it` },
  { match: /^npx nx affected -t build docgen test synth api:compat$/, covered: `${NPM_TEST} runs these targets for every project (nx run-many -t build docgen test synth, then node scripts/api-compat.js check); the pull-request workflow runs this line` },
  { match: /^bash \.ci\/run$/, covered: `the CI gate itself: every CI run executes it (Node from .nvmrc, npm ci, the generated-files check, ${NPM_TEST})` },
  { match: /^npm run verify:artifacts$/, covered: `${NPM_TEST} runs it (its last step)` },
  { match: /^npm run release -- --dry-run$/, covered: `${NPM_TEST}: verify:artifacts runs scripts/release/release.js --dry-run and checks the artifacts` },
  // Run, into a temporary directory: apps/<app>/cdk.out is npm test's synth, checked by the steps after this one.
  // The default synth is npm test's apps/<app>/cdk.out (same command, same context): copied, not repeated.
  { match: /^npx cdk synth (-o|--output) \S+$/, run: (cmd) => `cp -r cdk.out ${cmd.split(/\s+/).pop()} # ${cmd}` },
  // (A command's own `-o DIR` is moved there too, and DIR in the block's later lines with it.)
  { match: /^npx cdk synth\b/, run: (cmd) => (/\s(-o|--output)\s/.test(cmd) ? cmd : `${cmd} --output ${path.join(tmp, 'cdk.out-' + Math.random().toString(36).slice(2))}`) },
  // A quick mode: one measured round instead of 15 (the numbers are not kept), and no
  // whole-process row (12 `cdk synth` runs of 8-15 s each would pass this check's 300 s limit).
  { match: /^npm run bench$/, env: { BENCH_ROUNDS: '1', WHOLE_ROUNDS: '0' } },
  // nx affected needs a base: the workflows' checkouts have origin/main, a clone has main.
  { match: /^npx nx show projects --affected$/, env: { NX_BASE: gitRef('main') ?? gitRef('origin/main') ?? 'HEAD' } },
];

function gitRef(ref) {
  try {
    execFileSync('git', ['rev-parse', '--verify', '-q', ref], { cwd: root, stdio: 'ignore' });
    return ref;
  } catch {
    return undefined;
  }
}

/** Command lines of a README: ```sh blocks and inline `npm`/`npx` spans, with their cwd and line. */
function commandsOf(readme) {
  const file = path.join(root, readme);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out = [];
  let inSh = false;
  let inOther = false;
  let cwd = root;
  let block = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```(\S*)/.exec(line.trim());
    if (fence) {
      if (inSh || inOther) { inSh = inOther = false; continue; }
      if (['sh', 'bash', 'shell', 'console'].includes(fence[1])) { inSh = true; cwd = root; block++; } else inOther = true;
      continue;
    }
    if (inOther) continue;
    if (inSh) {
      // A comment may state the expected exit code: `# exit 1: ...`.
      const expect = Number(/(?:^|\s)#\s*exit (\d+)/.exec(line)?.[1] ?? 0);
      let cmd = line.replace(/(^|\s)#.*$/, '').trim();
      while (cmd.endsWith('\\') && i + 1 < lines.length) cmd = `${cmd.slice(0, -1).trim()} ${lines[++i].replace(/(^|\s)#.*$/, '').trim()}`;
      if (!cmd) continue;
      const cd = /^cd (\S+)$/.exec(cmd);
      if (cd) { cwd = path.resolve(cwd, cd[1]); continue; }
      const cdAnd = /^cd (\S+) && (.+)$/.exec(cmd);
      const job = `${readme}#${block}`; // the lines of a block run in order, in one job
      if (cdAnd) out.push({ readme, line: i + 1, cwd: path.resolve(cwd, cdAnd[1]), command: cdAnd[2], expect, job });
      else out.push({ readme, line: i + 1, cwd, command: cmd, expect, job });
      continue;
    }
    for (const m of line.matchAll(/`((?:npm|npx) [^`]+)`/g)) out.push({ readme, line: i + 1, cwd: root, command: m[1].trim(), expect: 0, job: `${readme}:${i + 1}:${m.index}` });
  }
  // `<app>` stands for every app.
  return out.flatMap((c) => (c.command.includes('<app>') ? apps.map((a) => ({ ...c, command: c.command.replace(/<app>/g, a) })) : [c]));
}

function classify(c) {
  const rule = RULES.find((r) => r.match.test(c.command));
  if (rule?.skip) return { ...c, action: 'skip', why: rule.skip };
  if (rule?.covered) return { ...c, action: 'covered', why: rule.covered };
  if (/<[a-z-]+>/i.test(c.command)) return { ...c, action: 'fail', why: 'has a placeholder this check cannot fill: add a rule to scripts/check-readme-commands.js' };
  return { ...c, action: 'run', run: rule?.run ? rule.run(c.command) : c.command, env: rule?.env ?? {} };
}

/** Every `-o DIR` gets its own temporary directory, also when two READMEs use the same name. */
let outputCount = 0;

function runOne(c, outputs) {
  // `-o DIR` / `--output DIR` of a command: DIR goes to the temporary directory, in this line
  // and in the later lines of its block (e.g. cdk synth -o before.out, then diff before.out ...).
  for (const m of c.run.matchAll(/\s(?:-o|--output)\s+(\S+)/g)) {
    if (!path.isAbsolute(m[1]) && !outputs.has(m[1])) outputs.set(m[1], path.join(tmp, `out-${++outputCount}-${path.basename(m[1])}`));
  }
  let run = c.run;
  for (const [name, target] of outputs) run = run.replace(new RegExp(`(?<=\\s)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s|$)`, 'g'), target);
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', run], { cwd: c.cwd, env: { ...process.env, ...c.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
    child.on('error', (e) => { output += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ...c, run, code, signal, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Runs the jobs (a sh block's lines in order, stopping at the first failure), `parallel` at a time. */
async function runAll(commands, parallel) {
  const jobs = [...new Set(commands.map((c) => c.job))].map((j) => commands.filter((c) => c.job === j));
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const outputs = new Map();
      for (const c of jobs[next++]) {
        const r = await runOne(c, outputs);
        results.push(r);
        if (r.code !== r.expect) break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------
// Costs

function loadAudit() {
  try {
    return require(path.join(root, 'packages/audit/lib'));
  } catch {
    throw new Error('@portcullis/audit is not built (packages/audit/lib): run `npx nx run-many -t build` first');
  }
}

/** The app's stack class (apps/<app>/src/stack.ts), with its context read as main.ts reads it. */
function appStackFactory(app) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'bench/tsconfig.json') });
  const cdk = require('aws-cdk-lib');
  const { readReferenceContext } = require(path.join(root, 'apps/reference-kit'));
  const mod = require(path.join(root, 'apps', app, 'src', 'stack.ts'));
  const StackClass = Object.values(mod).find((v) => typeof v === 'function' && v.prototype instanceof cdk.Stack);
  if (!StackClass) throw new Error(`apps/${app}/src/stack.ts exports no Stack class`);
  return (context) => {
    const a = new cdk.App({ outdir: fs.mkdtempSync(path.join(tmp, 'app-')), context });
    const stack = new StackClass(a, 'Estimate', readReferenceContext(a));
    return a.synth().getStackArtifact(stack.artifactId).template;
  };
}

/** The stack template(s) of apps/<app>/cdk.out (npm test's synth). */
function cdkOutTemplates(app) {
  const out = path.join(root, 'apps', app, 'cdk.out');
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  return Object.values(manifest.artifacts ?? {}).filter((a) => a.type === 'aws:cloudformation:stack')
    .map((a) => JSON.parse(fs.readFileSync(path.join(out, a.properties.templateFile), 'utf8')));
}


function checkCosts() {
  process.env.CDK_VALIDATION = 'false'; // in-process synths for costs only; the policy packs ran in npm test's synth
  const { CostEstimator } = loadAudit();
  // The lean preset of issue 15, as the app READMEs' lean rows and the root README's lean column give it.
  const LEAN = { ...require(path.join(root, 'apps/reference-kit')).LEAN_PRESET_CONTEXT };
  const problems = [];
  const checks = [];
  const expectEqual = (where, what, quoted, actual) => {
    checks.push(`${where}: ${what} ${quoted}`);
    if (quoted !== actual) problems.push(`${where}: ${what} is ${quoted} in the README, the estimator says ${actual}`);
  };
  const usd = (e) => e.totalMonthlyUsd.toFixed(2);
  const idle = { natDataGbPerMonth: 1 }; // the READMEs' idle month (also the estimator's default)
  const estimates = new Map();
  /** `egress` is a strategy name (the per-egress rows), or the whole context of a row (e.g. the lean row). */
  const estimate = (app, egress) => {
    const given = typeof egress === 'string' ? (egress === 'default' ? {} : { egress }) : egress;
    const key = `${app}/${JSON.stringify(given)}`;
    if (!estimates.has(key)) {
      const factories = estimate.factories ??= {};
      const synth = factories[app] ??= appStackFactory(app);
      // egress=none refuses an image it cannot pull without NAT; the image does not change the cost.
      const context = given.egress === 'none' ? { ...given, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1' } : given;
      estimates.set(key, CostEstimator.estimateTemplate(synth(context), idle));
    }
    return estimates.get(key);
  };

  for (const app of apps) {
    // The in-process synth must be the CLI's: same default estimate as apps/<app>/cdk.out.
    const fromCdkOut = cdkOutTemplates(app).map((t) => usd(CostEstimator.estimateTemplate(t, idle))).join(' + ');
    // Issue 23: `portcullis-audit apps/<app>/cdk.out` has no unpriced line, and a Container Insights line whenever a cluster has it on.
    for (const t of cdkOutTemplates(app)) {
      const e = CostEstimator.estimateTemplate(t, idle);
      checks.push(`apps/${app}/cdk.out: every line priced`);
      if (e.notPriced.length) problems.push(`apps/${app}/cdk.out: lines the estimator cannot price: ${e.notPriced.join(', ')}`);
      const insightsOn = Object.values(t.Resources ?? {}).filter((r) => r.Type === 'AWS::ECS::Cluster')
        .filter((r) => (r.Properties?.ClusterSettings ?? []).some((x) => x.Name === 'containerInsights' && ['enabled', 'enhanced'].includes(x.Value))).length;
      const insightsLines = e.lines.filter((l) => l.item.startsWith('Container Insights metrics')).length;
      checks.push(`apps/${app}/cdk.out: a Container Insights line per cluster with it on`);
      if (insightsLines !== insightsOn) problems.push(`apps/${app}/cdk.out: ${insightsOn} cluster(s) with Container Insights on, ${insightsLines} Container Insights line(s) in the estimate`);
    }
    expectEqual(`apps/${app}/cdk.out`, 'default idle $/month (in-process synth vs cdk synth)', fromCdkOut, usd(estimate(app, 'default')));

    const readme = `apps/${app}/README.md`;
    const text = fs.readFileSync(path.join(root, readme), 'utf8');
    // A row is `| \`<egress> (note)\` | ... |`, or `| \`<name> (key=value key=value ...)\` | ... |` (e.g. the
    // lean row): then its key=value pairs are the whole context it is synthesized with.
    const rows = [...text.matchAll(/^\| `(\w+)([^`|]*)` \| (\d+) \| (\d+) \| \$([\d.]+) \|$/gm)];
    if (rows.length === 0) problems.push(`${readme}: no idle-cost table (| \`egress\` | NAT gateways | public IPv4 | $ |) found`);
    for (const [, name, rest, nat, ipv4, cost] of rows) {
      const pairs = [...rest.matchAll(/(\w+)=([\w.-]+)/g)].map((m) => [m[1], m[2]]);
      const context = pairs.length > 0 ? Object.fromEntries(pairs) : name;
      const label = pairs.length > 0 ? `${name} (${pairs.map((p) => p.join('=')).join(' ')})` : `egress=${name}`;
      const e = estimate(app, context);
      expectEqual(readme, `${label} idle $/month`, cost, usd(e));
      expectEqual(readme, `${label} NAT gateways`, nat, String(e.natGatewayCount));
      expectEqual(readme, `${label} public IPv4`, ipv4, String(e.publicIpv4Count));
      if (e.notPriced.length) problems.push(`${readme}: ${label} has lines the estimator cannot price: ${e.notPriced.join(', ')}`);
    }
    // The lean paragraph under the table: "idles at $X" is the lean preset's total.
    for (const [, quoted] of text.matchAll(/idles at \$([\d.]+)/g)) expectEqual(readme, 'lean paragraph ("idles at") $/month', quoted, usd(estimate(app, LEAN)));
  }

  // Root README: | [apps/<app>](apps/<app>) | ... | default / egress=singleNatGateway | lean (target) |
  const rootRows = [...fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/^\| \[apps\/([\w-]+)\]\([^)]*\) \|.*\| ([\d.]+) \/ ([\d.]+) \| ([\d.]+)[^|]* \|$/gm)];
  if (rootRows.length !== apps.length) problems.push(`README.md: ${rootRows.length} app rows with "default / singleNatGateway | lean" costs, expected one per app (${apps.join(', ')})`);
  for (const [, app, def, single, lean] of rootRows) {
    if (!apps.includes(app)) { problems.push(`README.md: row for unknown app ${app}`); continue; }
    expectEqual('README.md', `${app} default idle $/month`, def, usd(estimate(app, 'default')));
    expectEqual('README.md', `${app} egress=singleNatGateway idle $/month`, single, usd(estimate(app, 'singleNatGateway')));
    expectEqual('README.md', `${app} lean idle $/month`, lean, usd(estimate(app, LEAN)));
  }

  // Root README "Which ingress?": each ingress at idle and 1/10/100 M requests of 2 KB, and the break-evens.
  const rootText = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const ingressKeys = { 'internet-facing ALB': 'albMonthlyUsd', 'HTTP API': 'httpApiMonthlyUsd', 'CloudFront + internal ALB': 'cloudFrontMonthlyUsd' };
  const ingressRows = [...rootText.matchAll(/^\| (internet-facing ALB|HTTP API|CloudFront \+ internal ALB) \([^|]*\) \| \$([\d.]+) \| \$([\d.]+) \| \$([\d.]+) \| \$([\d.]+) \|$/gm)];
  if (ingressRows.length !== 3) problems.push(`README.md: "Which ingress?" has ${ingressRows.length} cost rows, expected 3 (ALB, HTTP API, CloudFront)`);
  for (const [, name, ...quoted] of ingressRows) {
    [0, 1e6, 10e6, 100e6].forEach((requestsPerMonth, i) => {
      const c = CostEstimator.compareIngresses({ requestsPerMonth, averageResponseKb: 2 });
      expectEqual('README.md', `Which ingress? ${name} at ${requestsPerMonth / 1e6} M requests $/month`, quoted[i], c[ingressKeys[name]].toFixed(2));
    });
  }
  const breakEvens = /cheaper than the ALB below ([\d.]+) M requests a month;\s+CloudFront \+ internal ALB is cheaper than the public ALB below ([\d.]+) M/.exec(rootText);
  if (!breakEvens) problems.push('README.md: the "Which ingress?" break-even sentence was not found');
  else {
    const c = CostEstimator.compareIngresses({ averageResponseKb: 2 });
    expectEqual('README.md', 'Which ingress? break-even HTTP API vs ALB, M requests/month', breakEvens[1], (c.breakEvenAlbHttpApi / 1e6).toFixed(2));
    expectEqual('README.md', 'Which ingress? break-even CloudFront vs ALB, M requests/month', breakEvens[2], (c.breakEvenAlbCloudFront / 1e6).toFixed(2));
  }

  // Audit README: the aws-ecs-patterns reference of packages/audit/test/cost-estimator.test.ts.
  const audit = fs.readFileSync(path.join(root, 'packages/audit/README.md'), 'utf8');
  const oneNat = /idles at \$([\d.]+)/.exec(audit);
  const twoNat = /two NAT gateways \$([\d.]+)/.exec(audit);
  const breakEven = /responses ([\d.]+) M requests\/month/.exec(audit);
  if (!oneNat || !twoNat || !breakEven) problems.push('packages/audit/README.md: the reference figures ("idles at $", "two NAT gateways $", "M requests/month") were not found');
  else {
    const cdk = require('aws-cdk-lib');
    const ec2 = require('aws-cdk-lib/aws-ec2');
    const ecs = require('aws-cdk-lib/aws-ecs');
    const ecsPatterns = require('aws-cdk-lib/aws-ecs-patterns');
    const reference = (natGateways) => { // 2-AZ VPC + internet-facing ALB + 2 Fargate tasks of 0.25 vCPU / 0.5 GB
      const a = new cdk.App({ outdir: fs.mkdtempSync(path.join(tmp, 'ref-')) });
      const stack = new cdk.Stack(a, 'Ref');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways });
      new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
        cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), cpu: 256, memoryLimitMiB: 512, desiredCount: 2,
        taskImageOptions: { image: ecs.ContainerImage.fromRegistry('nginx') },
      });
      return a.synth().getStackArtifact(stack.artifactId).template;
    };
    expectEqual('packages/audit/README.md', 'reference idle $/month, 1 NAT gateway', oneNat[1], usd(CostEstimator.estimateTemplate(reference(1), idle)));
    expectEqual('packages/audit/README.md', 'reference idle $/month, 2 NAT gateways', twoNat[1], usd(CostEstimator.estimateTemplate(reference(2), idle)));
    expectEqual('packages/audit/README.md', 'break-even ALB vs HTTP API, M requests/month', breakEven[1], (CostEstimator.breakEven({ averageResponseKb: 2 }) / 1e6).toFixed(2));
  }
  return { problems, checks };
}

// ---------------------------------------------------------------------------------------
// Documented options, synthesized with the policy packs

/** The header of an app README's "Configuration" table; its last column lists what is synthesized. */
const CONFIG_HEADER = '| key | default | | `npm test` synthesizes (see below) |';
/** Placeholders of the README's `cdk deploy -c` lines, filled in to synthesize them. */
const FILL = { '<account>': '123456789012', '<region>': 'us-east-1' };

/** `-c a=b -c c=d` as { a: 'b', c: 'd' }; undefined for anything else. */
function parseContextFlags(text) {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 0 || parts.length % 2 !== 0) return undefined;
  const context = {};
  for (let i = 0; i < parts.length; i += 2) {
    const m = parts[i] === '-c' ? /^([A-Za-z]\w*)=(\S+)$/.exec(parts[i + 1]) : null;
    if (!m || m[1] in context) return undefined;
    context[m[1]] = m[2];
  }
  return context;
}

/**
 * Every documented option of every app: each entry of the last column of its README's
 * "Configuration" table, and each `cdk deploy` line of its README that takes `-c`.
 * Returns the options per app and the problems of the tables themselves.
 */
function documentedOptions() {
  const kit = require(path.join(root, 'apps/reference-kit'));
  const CONTEXT_KEYS = [...kit.CONTEXT_KEYS, ...kit.PLATFORM_CONTEXT_KEYS];
  const byApp = new Map(apps.map((a) => [a, []]));
  const problems = [];
  const add = (app, option) => {
    const list = byApp.get(app);
    const key = `${JSON.stringify(option.context)} ${option.refused}`;
    if (!list.some((o) => `${JSON.stringify(o.context)} ${o.refused}` === key)) list.push(option);
  };
  for (const app of apps) {
    const readme = `apps/${app}/README.md`;
    const lines = fs.readFileSync(path.join(root, readme), 'utf8').split('\n');
    const start = lines.findIndex((l) => l.startsWith('## Configuration'));
    const header = start < 0 ? -1 : lines.findIndex((l, i) => i > start && l.startsWith('|'));
    if (header < 0 || lines[header] !== CONFIG_HEADER) {
      problems.push(`${readme}: no "## Configuration" table whose header is ${CONFIG_HEADER}`);
      continue;
    }
    let rows = 0;
    for (let i = header + 2; i < lines.length && lines[i].startsWith('|'); i++, rows++) {
      const where = `${readme}:${i + 1}`;
      const cells = lines[i].split('|').slice(1, -1).map((c) => c.trim());
      const keys = [...cells[0].matchAll(/`(\w+)`/g)].map((m) => m[1]);
      const unknown = keys.filter((k) => !CONTEXT_KEYS.includes(k));
      if (keys.length === 0 || unknown.length) problems.push(`${where}: the row's key(s) ${cells[0]} are not context keys the apps read (${CONTEXT_KEYS.join(', ')})`);
      const entries = [...(cells[3] ?? '').matchAll(/`([^`]+)`( \(refused\))?/g)];
      const rest = (cells[3] ?? '').replace(/`([^`]+)`( \(refused\))?/g, '').replace(/[,\s]/g, '');
      if (cells.length !== 4 || entries.length === 0 || rest) {
        problems.push(`${where}: the last column must list what npm test synthesizes for the row, e.g. \`-c ${keys[0] ?? 'key'}=value\`, \`-c ${keys[0] ?? 'key'}=bad\` (refused); got '${cells[3] ?? ''}'`);
        continue;
      }
      for (const [, flags, refused] of entries) {
        const context = parseContextFlags(flags);
        if (!context) { problems.push(`${where}: \`${flags}\` is not a list of -c key=value`); continue; }
        const missing = keys.filter((k) => !(k in context));
        if (missing.length) { problems.push(`${where}: \`${flags}\` does not set ${missing.join(', ')}, the row's key(s)`); continue; }
        add(app, { where, label: flags, context, refused: Boolean(refused) });
      }
    }
    if (rows === 0) problems.push(`${readme}: the "Configuration" table has no rows`);
    // The README's `cdk deploy` lines with context: deploying needs an account, synthesizing them does not.
    for (const c of commandsOf(readme).filter((x) => /^npx cdk deploy\b.* -c /.test(x.command))) {
      const flags = c.command.replace(/^npx cdk deploy\s+/, '').replace(/<account>|<region>/g, (ph) => FILL[ph]);
      const context = parseContextFlags(flags);
      if (!context) { problems.push(`${readme}:${c.line}: \`${c.command}\` has options other than -c key=value: add a rule to scripts/check-readme-commands.js`); continue; }
      add(app, { where: `${readme}:${c.line}`, label: `${flags} (from \`${c.command}\`)`, context, refused: false });
    }
  }
  return { byApp, problems };
}

/**
 * Child mode (`--synth-options`, cwd apps/<app>, options in PORTCULLIS_SYNTH_OPTIONS): runs the
 * app's src/main.ts once per option as `cdk synth` does (the CLI spawns `node ... src/main.ts`
 * with CDK_CONTEXT_JSON = the -c pairs + its defaults, and CDK_OUTDIR), then judges the cloud
 * assembly as the CLI does: a plugin report that concluded failure (cdk-nag, NIST, exposure
 * rules) or an error annotation fails the option; a thrown error fails it unless the README
 * says "(refused)", and then the error must name a key of the option.
 */
function synthOptionsChild() {
  const options = JSON.parse(process.env.PORTCULLIS_SYNTH_OPTIONS);
  const main = path.resolve('src/main.ts');
  // The defaults `cdk synth` (aws-cdk 2.1148) puts next to the -c pairs; the CLI, not the app,
  // then reads validation-report.json, hence failSynthOnValidationErrors: false.
  const CLI_CONTEXT = {
    'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:version-reporting': true,
    'aws:cdk:bundling-stacks': ['**'], '@aws-cdk/core:failSynthOnValidationErrors': false,
  };
  let failed = 0;
  for (const o of options) {
    const started = Date.now();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-option-'));
    process.env.CDK_OUTDIR = outdir;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...o.context, ...CLI_CONTEXT });
    let thrown;
    const exitHooks = process.listeners('beforeExit');
    try {
      delete require.cache[main];
      require(main);
    } catch (e) {
      thrown = e;
    }
    // An App whose CDK_OUTDIR comes from the environment also synthesizes on beforeExit (the
    // CLI's process ends after one app); main.ts already synthesized it, so drop that hook.
    for (const hook of process.listeners('beforeExit')) if (!exitHooks.includes(hook)) process.removeListener('beforeExit', hook);
    const problems = [];
    if (thrown) {
      const message = String(thrown.message ?? thrown).split('\n')[0];
      const named = Object.keys(o.context).some((k) => message.includes(`\`${k}\``) || message.includes(`\`${k}=`));
      if (!o.refused) problems.push(`synth threw: ${message}`);
      else if (!named) problems.push(`refused, but the error names none of ${Object.keys(o.context).join(', ')}: ${message}`);
    } else if (o.refused) {
      problems.push('synthesized, but the README says it is refused');
    } else {
      const reportFile = path.join(outdir, 'validation-report.json');
      const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
      for (const r of report.pluginReports ?? []) {
        if (r.conclusion !== 'failure') continue;
        for (const v of r.violations ?? []) {
          const at = (v.violatingConstructs ?? []).map((c) => c.constructPath ?? c.resourceLogicalId).join(', ');
          problems.push(`${r.pluginName}: ${v.ruleName} at ${at}`);
        }
        if (!(r.violations ?? []).length) problems.push(`${r.pluginName}: concluded failure`);
      }
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      for (const artifact of Object.values(manifest.artifacts ?? {})) {
        for (const [at, entries] of Object.entries(artifact.metadata ?? {})) {
          for (const e of entries) if (e.type === 'aws:cdk:error') problems.push(`error annotation at ${at}: ${e.data}`);
        }
      }
      for (const m of manifest.missing ?? []) problems.push(`needs a context lookup (${m.key}): cdk synth would need AWS credentials`);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    process.exitCode = undefined;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length) {
      failed++;
      console.log(`FAILED  ${o.where} ${o.label}${o.refused ? ' (refused)' : ''} (${seconds} s)`);
      for (const p of problems.slice(0, 20)) console.log(`          ${p}`);
    } else {
      console.log(`ok      ${o.where} ${o.label}${o.refused ? ' (refused as documented)' : ''} (${seconds} s)`);
    }
  }
  console.log(`${options.length - failed} of ${options.length} documented options synthesize as the README says`);
  process.exitCode = failed ? 1 : 0;
}

// ---------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const readmes = ['README.md', ...apps.map((a) => `apps/${a}/README.md`)];
  const seen = new Set();
  const all = readmes.flatMap(commandsOf).map(classify).filter((c) => {
    const key = `${c.cwd}\0${c.command}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const where = (c) => `${c.readme}:${c.line} (${path.relative(root, c.cwd) || '.'}) ${c.command}`;
  for (const c of all.filter((x) => x.action !== 'run')) console.log(`${c.action.padEnd(7)} ${where(c)}\n        ${c.why}`);
  if (listOnly) {
    for (const c of all.filter((x) => x.action === 'run')) console.log(`run     ${where(c)}${c.run !== c.command ? `\n        as: ${c.run}` : ''}${Object.keys(c.env).length ? `\n        env: ${JSON.stringify(c.env)}` : ''}`);
  }
  let failures = all.filter((c) => c.action === 'fail').length;

  // The documented options: one job per app (a Node process synthesizing each of its options).
  const options = documentedOptions();
  const optionJobs = apps.filter((a) => options.byApp.get(a).length > 0).map((app) => {
    const list = options.byApp.get(app);
    return {
      readme: `apps/${app}/README.md`, line: Number(list[0].where.split(':').pop()), cwd: path.join(root, 'apps', app),
      command: `synthesize the ${list.length} documented options (src/main.ts, policy packs on, one process)`, expect: 0, job: `options:${app}`,
      action: 'run', options: list,
      run: `node --single-threaded-gc -r sucrase/register/ts ${JSON.stringify(__filename)} --synth-options`,
      env: { PORTCULLIS_SYNTH_OPTIONS: JSON.stringify(list) },
    };
  });
  if (listOnly) {
    for (const j of optionJobs) {
      console.log(`run     ${where(j)}`);
      for (const o of j.options) console.log(`        ${o.where} ${o.label}${o.refused ? ' (refused)' : ''}`);
    }
  }
  for (const p of options.problems) console.log(`FAILED  ${p}`);
  failures += options.problems.length;
  if (listOnly) return;

  // Commands run in child processes while this one checks the costs; the option jobs, the
  // longest, start first.
  const running = noRun ? Promise.resolve([]) : runAll([...optionJobs, ...all.filter((c) => c.action === 'run')], Math.max(2, os.cpus().length));
  let costs;
  try {
    costs = checkCosts();
  } catch (e) {
    costs = { problems: [e.stack ?? String(e)], checks: [] };
  }
  const results = await running;
  for (const r of results) {
    const ok = r.code === r.expect;
    if (r.options) {
      // One line per option (the child's output), whether it passed or not.
      console.log(`${ok ? 'ok     ' : 'FAILED '} ${where(r)} (${r.seconds.toFixed(1)} s)`);
      console.log(r.output.trimEnd().split('\n').map((l) => `        ${l}`).join('\n'));
      if (!ok) failures++;
      continue;
    }
    console.log(`${ok ? 'ok     ' : 'FAILED '} ${where(r)} (${r.seconds.toFixed(1)} s)${r.run !== r.command ? `\n        as: ${r.run}` : ''}${Object.keys(r.env).length ? `\n        env: ${JSON.stringify(r.env)}` : ''}`);
    if (!ok) {
      failures++;
      console.log(`        exit ${r.code ?? r.signal}, expected ${r.expect}; last output:\n${r.output.trimEnd().split('\n').slice(-25).map((l) => `        | ${l}`).join('\n')}`);
    }
  }
  console.log(`costs: ${costs.checks.length} figures compared to the cent with the estimator`);
  for (const p of costs.problems) console.log(`FAILED  ${p}`);
  failures += costs.problems.length;
  const optionCount = optionJobs.reduce((n, j) => n + j.options.length, 0);
  console.log(noRun
    ? `documented options: ${optionCount} listed, not synthesized (--no-run)`
    : `documented options: ${optionCount} synthesized with the policy packs in ${optionJobs.length} processes (${results.filter((r) => r.options).map((r) => `${path.basename(r.cwd)} ${r.seconds.toFixed(0)} s`).join(', ')})`);
  console.log(`readme-commands: ${results.length} run, ${all.filter((c) => c.action === 'covered').length} covered by npm test, ${all.filter((c) => c.action === 'skip').length} skipped; ${failures} problem(s) (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (failures) {
    console.log('A README promises a command or a figure that does not hold: fix the README or the code (rules: scripts/check-readme-commands.js).');
    process.exitCode = 1;
  }
}

if (args.includes('--synth-options')) synthOptionsChild();
else main().catch((e) => { console.error(e); process.exitCode = 2; });
