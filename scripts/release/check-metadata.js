// Checks the dependency metadata of every artifact in a release directory against the rule:
// a sibling at version V is required as ^V on npm and as the same range on PyPI
// (>=V,<next major; for 0.x, <next minor), and no 0.0.0, *, or workspace: range leaks.
// A third-party jsii peer (aws-cdk-lib, constructs, cdk-monitoring-constructs) at ^V on npm
// must be required by the wheel as its PyPI distribution (from the assembly's dependency
// closure) with the same range.
// Also checks what the npm tarballs contain. Usage: node check-metadata.js <release dir>
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { npmRange, pythonRange } = require('./versions');

const dir = path.resolve(process.argv[2] ?? 'dist/release');
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const version = Object.fromEntries(manifest.packages.map((p) => [p.dir, p.version]));
const errors = [];
const check = (cond, message) => { if (!cond) errors.push(message); };
const BAD = /(^|[^\d.])0\.0\.0|\*|workspace:/;
/** A requirement as name + sorted specifiers: 'portcullis.x<0.2.0,>=0.1.0' equals 'portcullis.x>=0.1.0,<0.2.0'. */
function normalize(requirement) {
  const m = /^([A-Za-z0-9._-]+)(.*)$/.exec(requirement.replace(/\s+/g, ''));
  return `${m[1].toLowerCase().replace(/[._-]+/g, '.')} ${m[2].split(',').filter(Boolean).sort().join(',')}`;
}

for (const p of manifest.packages) {
  // npm tarball
  const tgz = path.join(dir, p.js.find((f) => f.endsWith('.tgz')));
  const listing = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }));
  check(pkg.version === p.version, `${p.name}: tarball version ${pkg.version}, expected ${p.version}`);
  for (const [kind, deps] of [['peerDependencies', pkg.peerDependencies], ['dependencies', pkg.dependencies], ['devDependencies', pkg.devDependencies]]) {
    for (const [name, range] of Object.entries(deps ?? {})) {
      check(!BAD.test(range), `${p.name}: ${kind} ${name}@${range} is a placeholder range`);
      if (name.startsWith('@portcullis/') && kind === 'peerDependencies') {
        const expected = npmRange(version[name.slice('@portcullis/'.length)]);
        check(range === expected, `${p.name}: peer ${name}@${range}, expected ${expected}`);
      }
    }
  }
  // Third-party peers: one copy in the user's app on npm, the same range as a wheel requirement.
  const assembly = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/.jsii'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  const thirdParty = [];
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    if (name.startsWith('@portcullis/')) continue;
    const caret = /^\^(\d+\.\d+\.\d+)$/.exec(range);
    check(caret !== null, `${p.name}: peer ${name}@${range} is not a caret range ^x.y.z (one copy must satisfy every package)`);
    const python = assembly.dependencyClosure?.[name]?.targets?.python;
    check(python?.distName !== undefined, `${p.name}: peer ${name} has no Python distribution in the assembly's dependency closure: the wheel cannot require it`);
    if (caret && python?.distName) thirdParty.push({ name, expected: `${python.distName}${pythonRange(caret[1])}` });
  }
  for (const required of ['package/.jsii', 'package/lib/index.js', 'package/lib/index.d.ts', 'package/README.md', 'package/API.md', 'package/LICENSE']) {
    check(listing.includes(required), `${p.name}: tarball lacks ${required}`);
  }
  // npm links each bin at install time: its file must be in the tarball (bin/*.js shims).
  for (const [bin, file] of Object.entries(pkg.bin ?? {})) {
    check(listing.includes(`package/${path.posix.normalize(file)}`), `${p.name}: bin ${bin} -> ${file} is not in the tarball`);
  }
  // Bundled dependencies ship as their authors published them (ajv includes its .ts sources).
  const bundled = new Set(pkg.bundledDependencies ?? pkg.bundleDependencies ?? []);
  for (const name of bundled) check(listing.some((f) => f.startsWith(`package/node_modules/${name}/`)), `${p.name}: bundled dependency ${name} is not in the tarball`);
  for (const f of listing) {
    if (bundled.size > 0 && f.startsWith('package/node_modules/')) continue;
    check(!/^package\/(src|test)\//.test(f) && !/^package\/coverage/.test(f) && !(f.endsWith('.ts') && !f.endsWith('.d.ts')),
      `${p.name}: tarball contains ${f}`);
  }
  // wheel
  const whl = path.join(dir, p.python.find((f) => f.endsWith('.whl')));
  const metaFile = execFileSync('unzip', ['-Z1', whl], { encoding: 'utf8' }).split('\n').find((f) => f.endsWith('.dist-info/METADATA'));
  const meta = execFileSync('unzip', ['-p', whl, metaFile], { encoding: 'utf8' });
  check(new RegExp(`^Version: ${p.version.replace(/\./g, '\\.')}$`, 'm').test(meta), `${p.name}: wheel version is not ${p.version}`);
  check(p.python.some((f) => f.endsWith('.tar.gz')), `${p.name}: no sdist`);
  const requires = [...meta.matchAll(/^Requires-Dist: (.+)$/gm)].map((m) => m[1].replace(/\s+/g, ''));
  for (const sib of Object.keys(pkg.peerDependencies ?? {}).filter((n) => n.startsWith('@portcullis/'))) {
    const d = sib.slice('@portcullis/'.length);
    const expected = `portcullis.${d}${pythonRange(version[d])}`;
    check(requires.some((r) => normalize(r) === normalize(expected)), `${p.name}: wheel lacks Requires-Dist ${expected} (has ${requires.filter((r) => r.startsWith('portcullis')).join(', ') || 'none'})`);
  }
  for (const { name, expected } of thirdParty) {
    check(requires.some((r) => normalize(r) === normalize(expected)), `${p.name}: peer ${name} is not required by the wheel as ${expected} (has ${requires.join(', ') || 'none'})`);
  }
  for (const r of requires) check(!/==0\.0\.0|>=0\.0\.0/.test(r), `${p.name}: wheel requires ${r}`);
  console.log(`${p.name}@${p.version}: npm peers ${JSON.stringify(Object.fromEntries(Object.entries(pkg.peerDependencies ?? {}).filter(([n]) => n.startsWith('@portcullis/'))))}; PyPI ${requires.filter((r) => r.startsWith('portcullis')).join(' ') || '(no sibling)'}; third-party ${thirdParty.map((t) => t.expected).join(' ')}`);
}
if (errors.length) {
  console.error(`check-metadata: ${errors.length} problem(s):\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-metadata: ${manifest.packages.length} packages, npm and PyPI metadata follow the sibling-range rule; third-party peers are wheel requirements with the same range`);
