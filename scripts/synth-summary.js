#!/usr/bin/env node
// One compact table over every synthesized app (apps/*/cdk.out): stack, resources, template
// size, NAT gateways, public IPv4 addresses, open Portcullis exposure findings and the
// estimated idle monthly cost (us-east-1 list prices, from @portcullis/audit).
// cdk-nag (AwsSolutions, NIST 800-53 R5) and the exposure rules already ran during each
// synth, which fails on an unacknowledged finding. Exits 1 if an app has no cdk.out or a
// finding is open.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
let audit;
try {
  audit = require(path.join(root, 'packages/audit/lib'));
} catch {
  console.error('synth-summary: @portcullis/audit is not built (packages/audit/lib): run `npx nx run-many -t build` first');
  process.exit(1);
}
const appsDir = path.join(root, 'apps');
const rows = [];
let problems = 0;
for (const app of fs.readdirSync(appsDir).sort()) {
  if (!fs.existsSync(path.join(appsDir, app, 'cdk.json'))) continue;
  const out = path.join(appsDir, app, 'cdk.out');
  const manifestFile = path.join(out, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    console.error(`synth-summary: ${path.relative(root, out)} has no manifest.json: synth did not run for ${app}`);
    problems++;
    continue;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const file = path.join(out, artifact.properties.templateFile);
    const body = fs.readFileSync(file, 'utf8');
    const template = JSON.parse(body);
    const findings = new audit.ExposureChecks().checkTemplate(template).filter((f) => !f.acknowledged);
    const cost = audit.CostEstimator.estimateTemplate(template, { natDataGbPerMonth: 1 });
    problems += findings.length;
    rows.push([
      app, id, String(Object.keys(template.Resources ?? {}).length), `${Buffer.byteLength(body)} B`,
      String(cost.natGatewayCount), String(cost.publicIpv4Count), String(findings.length),
      `$${cost.totalMonthlyUsd.toFixed(2)}${cost.notPriced.length ? ` + not priced: ${cost.notPriced.join(', ')}` : ''}`,
      path.relative(root, file),
    ]);
    for (const f of findings) console.error(`  ${app}: ${f.ruleId} ${f.resourceLogicalId}: ${f.description}`);
  }
}

// Variants an app asks to be shown too (apps/<app>/synth-variants.json: [{ "name", "context" }]),
// e.g. fargate-cloudfront-api with egress=none, the VPC with no public IPv4 address. Synthesized
// here, in process, from the app's own stack class (src/stack.ts) with the context read as
// src/main.ts reads it; the policy packs run on each variant in the app's jest tests.
for (const app of fs.readdirSync(appsDir).sort()) {
  const variantsFile = path.join(appsDir, app, 'synth-variants.json');
  if (!fs.existsSync(variantsFile)) continue;
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'bench/tsconfig.json') });
  const os = require('os');
  const cdk = require('aws-cdk-lib');
  const { readReferenceContext } = require(path.join(root, 'apps/reference-kit'));
  const mod = require(path.join(appsDir, app, 'src', 'stack.ts'));
  const StackClass = Object.values(mod).find((v) => typeof v === 'function' && v.prototype instanceof cdk.Stack);
  const stackId = Object.keys(JSON.parse(fs.readFileSync(path.join(appsDir, app, 'cdk.out', 'manifest.json'), 'utf8')).artifacts ?? {})
    .find((id) => rows.some((r) => r[0] === app && r[1] === id));
  for (const variant of JSON.parse(fs.readFileSync(variantsFile, 'utf8'))) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-variant-'));
    const a = new cdk.App({ outdir, context: variant.context });
    const stack = new StackClass(a, stackId ?? app, readReferenceContext(a));
    const artifact = a.synth().getStackArtifact(stack.artifactId);
    const body = JSON.stringify(artifact.template, undefined, 1);
    const template = artifact.template;
    const findings = new audit.ExposureChecks().checkTemplate(template).filter((f) => !f.acknowledged);
    const cost = audit.CostEstimator.estimateTemplate(template, { natDataGbPerMonth: 1 });
    problems += findings.length;
    rows.push([
      app, `${stack.stackName} (${variant.name})`, String(Object.keys(template.Resources ?? {}).length), `${Buffer.byteLength(body)} B`,
      String(cost.natGatewayCount), String(cost.publicIpv4Count), String(findings.length),
      `$${cost.totalMonthlyUsd.toFixed(2)}${cost.notPriced.length ? ` + not priced: ${cost.notPriced.join(', ')}` : ''}`,
      `(in-process synth, -c ${Object.entries(variant.context).map(([k, v]) => `${k}=${v}`).join(' -c ')})`,
    ]);
    for (const f of findings) console.error(`  ${app} (${variant.name}): ${f.ruleId} ${f.resourceLogicalId}: ${f.description}`);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
const header = ['app', 'stack', 'resources', 'template', 'NAT', 'IPv4', 'findings', 'idle $/month', 'file'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));
console.log('idle = no traffic, 1 GB/month through NAT, ALB billed at least 1 LCU; us-east-1 list prices (packages/audit README: what the numbers are not)');
if (problems > 0 || rows.length === 0) process.exit(1);
