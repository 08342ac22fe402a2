#!/usr/bin/env node
// Prints one line per synthesized stack of every app under apps/: the stack, its
// resource count, its size and where the template is. Fails if an app has no cdk.out.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const appsDir = path.join(root, 'apps');
const rows = [];
let missing = 0;
for (const app of fs.readdirSync(appsDir).sort()) {
  const out = path.join(appsDir, app, 'cdk.out');
  if (!fs.existsSync(path.join(appsDir, app, 'cdk.json'))) continue;
  const manifestFile = path.join(out, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    console.error(`synth-summary: ${path.relative(root, out)} has no manifest.json: synth did not run for ${app}`);
    missing++;
    continue;
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const file = path.join(out, artifact.properties.templateFile);
    const body = fs.readFileSync(file, 'utf8');
    const resources = Object.keys(JSON.parse(body).Resources ?? {}).length;
    rows.push([app, id, String(resources), `${(body.length / 1024).toFixed(1)} KiB`, path.relative(root, file)]);
  }
}
const header = ['app', 'stack', 'resources', 'size', 'template'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));
if (missing > 0 || rows.length === 0) process.exit(1);
