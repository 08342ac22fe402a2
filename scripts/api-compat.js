#!/usr/bin/env node
// API compatibility of the published packages (README "Releasing", "API compatibility").
//
//   node scripts/api-compat.js check [package dir...]     (npm test; `api:compat` in a package)
//   node scripts/api-compat.js baseline [package dir...]  (npm run api:baseline; `api:baseline` in a package)
//
// Each package commits `api-baseline.json`: its jsii assembly (.jsii, written by the build) as of
// the last deliberate API change or release, without the prose (README, doc summaries and
// examples) but with everything jsii-diff compares: types, members, optionality, stability.
// `check` compares the built .jsii with it through jsii-diff's own comparison (the library of
// `jsii-diff --error-on=all <baseline> <package>`; `all` because every package is still
// `experimental`, and jsii-diff's default only fails on `stable` APIs) and fails on a removal,
// rename, type change, new required input... Additions pass. It loads the dependencies (aws-cdk-lib,
// constructs, siblings) from the install, once per package and side; no registry access.
//
// It also checks the history: the last commit that refreshed a baseline over a break must say
// so (`BREAKING CHANGE:` footer or a `type!:` subject), because the release computes the major
// bump from that commit (scripts/release/versions.js).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const BASELINE = 'api-baseline.json';
const jsiiDiffDir = path.dirname(require.resolve('jsii-diff/package.json'));
const reflect = require(require.resolve('jsii-reflect', { paths: [jsiiDiffDir] }));
const { compareAssemblies } = require(path.join(jsiiDiffDir, 'lib'));
const diagnostics = require(path.join(jsiiDiffDir, 'lib', 'diagnostics'));
const spec = require(require.resolve('@jsii/spec', { paths: [path.dirname(require.resolve('jsii-reflect', { paths: [jsiiDiffDir] }))] }));
const { findDependencyDirectory } = require(path.join(path.dirname(require.resolve('jsii-reflect', { paths: [jsiiDiffDir] })), 'util'));
// The assembly features jsii 6 may write (the list the jsii-diff CLI passes).
const SUPPORTED_FEATURES = ['intersection-types', 'class-covariant-overrides'];
const BREAKING_MARKER = /^BREAKING[ -]CHANGE:|^[a-z]+(\([^)]*\))?!:/m;

/** Docs keys jsii-diff reads (stability classes, subclassability); the rest is prose. */
const KEPT_DOCS = ['stability', 'deprecated', 'subclassable'];

/** The assembly without prose, deterministic, for a small reviewable baseline. */
function compact(assembly) {
  const strip = (node) => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const out = {};
    for (const key of Object.keys(node).sort()) {
      if (key === 'docs' && typeof node.docs === 'object') {
        const docs = Object.fromEntries(KEPT_DOCS.filter((k) => node.docs[k] !== undefined).map((k) => [k, node.docs[k]]));
        if (Object.keys(docs).length) out.docs = docs;
      } else if (key === 'locationInModule' || key === 'locationInRepo') {
        continue; // line numbers: churn without meaning for compatibility
      } else {
        out[key] = strip(node[key]);
      }
    }
    return out;
  };
  // readme: prose; dependencyClosure: the dependencies' own metadata (read from the install instead).
  const rest = { ...assembly };
  delete rest.readme;
  delete rest.fingerprint;
  delete rest.dependencyClosure;
  return { ...strip(rest), fingerprint: '<api-baseline>' };
}

function readAssembly(dir) {
  const file = path.join(dir, '.jsii');
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(root, dir)}/.jsii does not exist: build the package first (npx nx run-many -t build)`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * jsii-diff's classified mismatches of the API in `originalFile` against the one in
 * `updatedFile` (both .jsii assemblies, or baselines), each resolved against the current
 * install's dependencies of the package in `dir` (aws-cdk-lib, constructs, siblings): jsii-diff
 * follows inherited members and referenced types into them.
 */
async function compare(dir, originalFile, updatedFile) {
  const dependencies = await dependencyAssemblies(dir);
  const load = (file) => {
    const system = new reflect.TypeSystem();
    const assembly = system.loadFile(file, { validate: false, supportedFeatures: SUPPORTED_FEATURES, isRoot: true });
    for (const d of dependencies) system.addAssembly(new reflect.Assembly(system, d.spec, d.dir, d.pkg), { isRoot: false });
    return assembly;
  };
  const mismatches = compareAssemblies(load(originalFile), load(updatedFile), {});
  const diags = diagnostics.classifyDiagnostics(mismatches, diagnostics.treatAsError('all'), new Set());
  return { diags, errors: diags.filter((d) => d.level === diagnostics.DiagLevel.Error) };
}

/**
 * The jsii assemblies a package depends on (dependencies and peers, transitively), parsed
 * once per process: aws-cdk-lib's is about 60 MB of JSON, most of the check's time.
 */
const parsed = new Map();
async function dependencyAssemblies(dir, seen = new Map()) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bundled = pkg.bundledDependencies ?? pkg.bundleDependencies ?? [];
  for (const name of new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])) {
    if (bundled.includes(name) || seen.has(name)) continue;
    const depDir = await findDependencyDirectory(name, dir);
    const depPkg = JSON.parse(fs.readFileSync(path.join(depDir, 'package.json'), 'utf8'));
    if (!depPkg.jsii) continue;
    if (!parsed.has(depDir)) parsed.set(depDir, spec.loadAssemblyFromFile(spec.findAssemblyFile(depDir), false, SUPPORTED_FEATURES));
    seen.set(name, { dir: depDir, pkg: depPkg, spec: parsed.get(depDir) });
    await dependencyAssemblies(depDir, seen);
  }
  return [...seen.values()];
}

function packageDirs(args) {
  if (args.length) return args.map((a) => path.resolve(a));
  const base = path.join(root, 'packages');
  return fs.readdirSync(base).map((d) => path.join(base, d))
    .filter((d) => fs.existsSync(path.join(d, 'package.json')) && JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).jsii);
}

const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/**
 * The last commit that changed the baseline must carry the breaking-change marker if it
 * refreshed the baseline over a break. Returns an error message or undefined.
 */
async function checkLastRefresh(dir) {
  const rel = path.relative(root, path.join(dir, BASELINE));
  let commit;
  try {
    commit = git('log', '-1', '--format=%H', '--', rel);
  } catch {
    return undefined; // not a git checkout (an unpacked tarball): nothing to check
  }
  if (!commit) return undefined; // not committed yet
  let previous;
  try {
    previous = git('show', `${commit}^:${rel}`);
  } catch {
    return undefined; // the baseline's first commit (or a shallow clone): nothing before it
  }
  const message = git('log', '-1', '--format=%B', commit);
  if (BREAKING_MARKER.test(message)) return undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-compat-'));
  try {
    const previousFile = path.join(tmp, 'previous.json');
    const refreshedFile = path.join(tmp, 'refreshed.json');
    fs.writeFileSync(previousFile, previous);
    fs.writeFileSync(refreshedFile, git('show', `${commit}:${rel}`));
    const { errors } = await compare(dir, previousFile, refreshedFile);
    if (errors.length === 0) return undefined;
    return [
      `commit ${commit.slice(0, 12)} refreshed ${rel} over a break of the public API, but its message has no \`BREAKING CHANGE:\` footer (nor a \`type!:\` subject):`,
      ...errors.map((d) => `  ${diagnostics.formatDiagnostic(d, false)}`),
      'The release would publish that break as a minor or patch version. Amend or revert that commit, or record the break in a commit whose message says `BREAKING CHANGE: <what broke, how to migrate>`, then refresh the baseline in it.',
    ].join('\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function check(dirs) {
  let failed = 0;
  for (const dir of dirs) {
    const started = Date.now();
    const name = readAssembly(dir).name;
    const rel = path.relative(root, path.join(dir, BASELINE));
    if (!fs.existsSync(path.join(dir, BASELINE))) {
      console.error(`api-compat: ${name} has no ${rel}: create it with \`npm run api:baseline\` and commit it`);
      failed++;
      continue;
    }
    const { diags, errors } = await compare(dir, path.join(dir, BASELINE), path.join(dir, '.jsii'));
    if (errors.length) {
      failed++;
      console.error([
        `api-compat: ${name} breaks its public API since ${rel}:`,
        ...diags.map((d) => `  ${diagnostics.formatDiagnostic(d, false)}`),
        '',
        'Users of the published package would break on upgrade. Either keep the old API (add, do not change or remove:',
        'a new optional prop or a new member is fine; deprecate what you want to remove), or, if the break is deliberate:',
        '  1. say so in the commit: a `BREAKING CHANGE: <what broke, how to migrate>` footer (or a `feat!:` / `fix!:` subject);',
        '     the release then bumps the package\'s major version (0.x: the minor);',
        '  2. accept the new API in the same commit: `npm run api:baseline` (repository root), and commit',
        `     ${rel} with it.`,
      ].join('\n'));
      continue;
    }
    const history = await checkLastRefresh(dir);
    if (history) {
      failed++;
      console.error(`api-compat: ${name}: ${history}`);
      continue;
    }
    console.log(`api-compat: ${name} is compatible with ${rel}${diags.length ? ` (${diags.length} warning(s))` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const d of diags) console.log(`  ${diagnostics.formatDiagnostic(d, false)}`);
  }
  if (failed) process.exitCode = 1;
}

function baseline(dirs) {
  for (const dir of dirs) {
    const assembly = readAssembly(dir);
    const file = path.join(dir, BASELINE);
    const body = JSON.stringify(compact(assembly), undefined, 1) + '\n';
    const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== body;
    fs.writeFileSync(file, body);
    console.log(`api-baseline: ${path.relative(root, file)} ${changed ? 'written' : 'unchanged'} (${assembly.name}, ${Object.keys(assembly.types ?? {}).length} types)`);
  }
}

module.exports = { compact, compare, BREAKING_MARKER };

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'check') {
    check(packageDirs(args)).catch((e) => { console.error(`api-compat: ${e.message}`); process.exitCode = 2; });
  } else if (command === 'baseline') {
    try {
      baseline(packageDirs(args));
    } catch (e) {
      console.error(`api-baseline: ${e.message}`);
      process.exitCode = 2;
    }
  } else {
    console.error('usage: node scripts/api-compat.js check|baseline [package dir...]');
    process.exitCode = 2;
  }
}
