#!/usr/bin/env node
// Makes the package in the current directory's `bundledDependencies` packable.
//
// npm workspaces hoist every dependency to the repository root, and `npm pack` (which
// jsii-pacmak runs) only bundles dependencies found in the package's own node_modules as
// real folders (a symlink is not followed). This copies each bundled dependency and its
// production dependencies, resolved exactly as Node resolves them from the root install,
// into ./node_modules, keeping the root install's layout (a nested copy stays nested), so
// the packed package loads the same versions as the tests did.
//
// A package without bundledDependencies is left untouched.
const fs = require('fs');
const path = require('path');

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const bundled = pkg.bundledDependencies ?? pkg.bundleDependencies ?? [];
if (bundled.length === 0) process.exit(0);

const rootModules = fs.realpathSync(path.join(__dirname, '..', 'node_modules'));
/** Real folders of every package to copy. */
const picked = new Set();

function resolveFrom(name, fromDir) {
  try {
    return fs.realpathSync(path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] })));
  } catch {
    // Packages whose `exports` hide package.json: walk up node_modules folders instead.
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name, 'package.json');
      if (fs.existsSync(candidate)) return fs.realpathSync(path.dirname(candidate));
      if (path.dirname(dir) === dir) break;
    }
    console.error(`bundle-deps: cannot resolve ${name} from ${fromDir}; run npm ci at the repository root`);
    process.exit(1);
  }
}

function visit(name, fromDir) {
  const dir = resolveFrom(name, fromDir);
  if (!dir.startsWith(rootModules + path.sep)) {
    console.error(`bundle-deps: ${name} resolves to ${dir}, outside the root node_modules (a workspace package?); only registry packages can be bundled`);
    process.exit(1);
  }
  if (picked.has(dir)) return;
  picked.add(dir);
  const { dependencies = {} } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(dependencies)) visit(dep, dir);
}

// Old copies (a previous build) and symlinks first, so every name resolves from the root install.
fs.rmSync(path.join('node_modules'), { recursive: true, force: true });
for (const name of bundled) visit(name, process.cwd());
for (const dir of picked) {
  const target = path.join('node_modules', path.relative(rootModules, dir));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(dir, target, {
    recursive: true,
    dereference: true,
    // nested dependencies are visited (and copied) on their own
    filter: (src) => !src.slice(dir.length).split(path.sep).includes('node_modules'),
  });
}
console.log(`bundle-deps: ${picked.size} packages copied into node_modules for bundling (${bundled.join(', ')} and their dependencies)`);
