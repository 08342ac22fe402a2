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
const header = ['app', 'stack', 'resources', 'template', 'NAT', 'IPv4', 'findings', 'idle $/month', 'file'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));
console.log('idle = no traffic, 1 GB/month through NAT, ALB billed at least 1 LCU; us-east-1 list prices (packages/audit README: what the numbers are not)');
if (problems > 0 || rows.length === 0) process.exit(1);
