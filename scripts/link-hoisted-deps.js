#!/usr/bin/env node
// jsii-docgen >= 10.11.15 looks for dependency assemblies only below the package folder.
// npm workspaces hoist them to the repository root, so link each dependency of the
// package in the current directory into its own node_modules before docgen runs.
const fs = require('fs');
const path = require('path');

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const names = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
]);
for (const name of names) {
  const local = path.join('node_modules', name);
  if (fs.existsSync(local)) continue;
  let resolved;
  try {
    resolved = path.dirname(require.resolve(`${name}/package.json`, { paths: [process.cwd()] }));
  } catch {
    console.error(`link-hoisted-deps: cannot resolve ${name} from ${process.cwd()}; run npm ci at the repository root`);
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(local), { recursive: true });
  fs.symlinkSync(resolved, local, 'dir');
}
