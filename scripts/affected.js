#!/usr/bin/env node
// What a pull request runs, for the projects its change affects (README "CI").
//
//   npm run affected [-- --base <ref>] [-- --head <ref>]
//       every step of the pull-request workflow, in order (the root task `affected:steps`,
//       generated from AFFECTED_STEPS in .projenrc.ts). Base: --base, else NX_BASE, else the merge
//       base of HEAD with main (origin/main in a CI checkout); head: --head, else NX_HEAD, else
//       the working tree (uncommitted changes included). nx affected reads both from NX_BASE and
//       NX_HEAD, and so does every step below.
//   node scripts/affected.js lint|validate|artifacts|diff
//       one step (the workflow calls them after setting NX_BASE and NX_HEAD):
//   lint       ESLint over the affected projects' folders, plus the files that belong to no
//              project (scripts/, projenrc/, .projenrc.ts, bench/): one process, one type-checked
//              program (a process per project would build that program once per project).
//   validate   cfn-lint and checkov over the affected apps' templates (scripts/validate-templates.sh).
//   artifacts  the affected packages' npm tarballs and Python wheels (the nx `package` target, with
//              the packages they depend on), installed OUTSIDE the monorepo: the tarballs with
//              aws-cdk-lib from the npm registry, then each affected package is loaded from Node;
//              the wheels in a fresh venv with aws-cdk-lib from PyPI, then the affected packages'
//              Python tests run there. When every package is affected, also the consumer stacks of
//              `npm run verify:artifacts` (scripts/release/consumer.js and consumer.py).
//              Artifacts are built at 0.0.0: the release dry run at the release versions, and its
//              metadata checks, run in `npm test` (pushes to main, nightly).
//   diff       update safety of the affected apps against the base (scripts/diff-apps.sh).
// A step with nothing affected says so and passes. A change to a file outside the projects that a
// step reads (STEP_INPUTS: its script, its config, its pins) runs that step for every project,
// app or package.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const STEPS = ['lint', 'validate', 'artifacts', 'diff'];
/** Paths that belong to no nx project, linted on every run. */
const REPO_FILES = ['scripts', 'projenrc', '.projenrc.ts', 'bench'];
/**
 * Files outside the projects that a step reads (nx does not know them): when the change touches
 * one, the step runs for every app (validate, diff) or every package (artifacts).
 */
const STEP_INPUTS = {
  lint: ['eslint.config.mjs', 'tsconfig.eslint.json', 'tsconfig.base.json'],
  validate: ['scripts/validate-templates.sh', '.cfnlintrc.yaml', 'python/requirements-cfn-lint.txt', 'python/requirements-checkov.txt'],
  artifacts: ['scripts/affected.js', 'python/requirements-test.txt', 'scripts/release/consumer.js', 'scripts/release/consumer.py'],
  diff: ['scripts/diff-apps.sh'],
};

/** Stops the script with exit code `code` (main reports it; `finally` blocks still clean up). */
function fail(message, code = 2) {
  throw Object.assign(new Error(message), { exitCode: code });
}

/** Runs a command with inherited output; fails with its exit code when it fails. */
function run(command, args, options = {}) {
  console.log(`affected: ${[command, ...args].map((a) => (a.length > 200 ? `${a.slice(0, 60)}...` : a)).join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) fail(`${command}: ${r.error.message}`);
  if (r.status !== 0) fail(`${command} exited with ${r.status ?? r.signal}`, r.status ?? 1);
}

function gitRef(ref) {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '-q', `${ref}^{commit}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The merge base of HEAD with main (a clone) or origin/main (a CI checkout). */
function defaultBase() {
  for (const main of ['main', 'origin/main']) {
    if (!gitRef(main)) continue;
    return execFileSync('git', ['merge-base', 'HEAD', main], { cwd: root, encoding: 'utf8' }).trim();
  }
  return fail('no main or origin/main branch to compare with: pass --base <ref>');
}

/** Folders of nx projects that are no npm workspace (a project.json, no package.json): the scripts. */
const TOOL_PROJECTS = ['scripts'];

/**
 * The nx projects by name: { dir, manifest }. The npm workspaces (packages/*, apps/*), and the
 * tool projects (TOOL_PROJECTS: their project.json's name, a manifest with no dependencies),
 * which no step but lint selects (they are neither a package nor an app).
 */
function workspaces() {
  const out = new Map();
  for (const parent of ['packages', 'apps']) {
    for (const d of fs.readdirSync(path.join(root, parent)).sort()) {
      const file = path.join(root, parent, d, 'package.json');
      if (fs.existsSync(file)) {
        const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
        out.set(manifest.name, { dir: `${parent}/${d}`, folder: d, manifest });
      }
    }
  }
  for (const d of TOOL_PROJECTS) {
    const file = path.join(root, d, 'project.json');
    if (fs.existsSync(file)) {
      const { name } = JSON.parse(fs.readFileSync(file, 'utf8'));
      out.set(name, { dir: d, folder: d, manifest: { name, private: true } });
    }
  }
  return out;
}

/** The affected projects, as nx computes them from NX_BASE / NX_HEAD. */
function affectedProjects() {
  const out = execFileSync('npx', ['nx', 'show', 'projects', '--affected', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const names = JSON.parse(out.slice(out.indexOf('[')));
  const all = workspaces();
  const unknown = names.filter((n) => !all.has(n));
  if (unknown.length) fail(`nx names projects that are no workspace under packages/ or apps/ and no tool project (${TOOL_PROJECTS.join(', ')}): ${unknown.join(', ')}`);
  return names.map((n) => ({ name: n, ...all.get(n) })).sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The files the change touches, as nx sees them: from the merge base of NX_BASE and the head to NX_HEAD, or to the working tree. */
function changedFiles() {
  const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const head = process.env.NX_HEAD;
  const base = git('merge-base', process.env.NX_BASE ?? defaultBase(), head ?? 'HEAD')[0];
  return head ? git('diff', '--name-only', base, head) : [...git('diff', '--name-only', base), ...git('ls-files', '--others', '--exclude-standard')];
}

/** The affected projects of a step: every project that `select` keeps, when the change touches one of the step's inputs. */
function forStep(step, affected, select) {
  const touched = changedFiles().filter((f) => STEP_INPUTS[step].includes(f));
  if (touched.length === 0) return affected.filter(select);
  console.log(`affected: ${touched.join(', ')} changed: ${step} runs for every ${{ artifacts: 'package', lint: 'project' }[step] ?? 'app'}`);
  return [...workspaces()].map(([name, w]) => ({ name, ...w })).filter(select);
}

const isPackage = (p) => p.dir.startsWith('packages/');
const isApp = (p) => p.dir.startsWith('apps/') && fs.existsSync(path.join(root, p.dir, 'cdk.json'));

function lint(affected) {
  const dirs = forStep('lint', affected, () => true).map((p) => p.dir);
  console.log(`affected: lint ${dirs.length ? dirs.join(' ') : '(no project affected)'} and ${REPO_FILES.join(' ')}`);
  run('npx', ['eslint', '--max-warnings', '0', ...new Set([...dirs, ...REPO_FILES])]);
}

function validate(affected) {
  const apps = forStep('validate', affected, isApp).map((p) => p.folder);
  if (apps.length === 0) return console.log('affected: no app affected: no template to validate');
  run('bash', ['scripts/validate-templates.sh', ...apps]);
}

function diff(affected) {
  const apps = forStep('diff', affected, isApp).map((p) => p.folder);
  if (apps.length === 0) return console.log('affected: no app affected: nothing to compare');
  run('bash', ['scripts/diff-apps.sh', ...(process.env.NX_BASE ? [process.env.NX_BASE] : [])], { env: { ...process.env, DIFF_APPS: apps.join(' ') } });
}

/** The affected packages and every package they depend on (their tarballs and wheels need them installed). */
function closure(packages) {
  const all = workspaces();
  const out = new Set();
  const visit = (name) => {
    if (out.has(name)) return;
    out.add(name);
    const m = all.get(name).manifest;
    for (const dep of Object.keys({ ...m.dependencies, ...m.peerDependencies })) if (all.has(dep)) visit(dep);
  };
  packages.forEach((p) => visit(p.name));
  return [...out].sort().map((n) => ({ name: n, ...all.get(n) }));
}

function artifacts(affected) {
  const packages = forStep('artifacts', affected, isPackage);
  if (packages.length === 0) return console.log('affected: no package affected: no artifact to check');
  const needed = closure(packages);
  const below = needed.filter((p) => !packages.some((q) => q.name === p.name)).map((p) => p.name);
  console.log(`affected: artifacts of ${packages.map((p) => p.name).join(', ')}${below.length ? `, installed with ${below.join(', ')}` : ''}`);
  run('npx', ['nx', 'run-many', '-t', 'package', `--projects=${needed.map((p) => p.name).join(',')}`, '--output-style=static']);
  const files = (p, sub, ext) => {
    const dir = path.join(root, p.dir, 'dist', sub);
    const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f)) : [];
    if (found.length !== 1) fail(`expected one ${ext} in ${path.relative(root, dir)}, found ${found.length}`);
    return found[0];
  };
  const everyPackage = [...workspaces().values()].filter(isPackage).length === needed.length;
  const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-affected-'));
  try {
    // npm: the tarballs and their third-party peers (at the versions the monorepo tests with), outside the workspace.
    const npmDir = path.join(tmp, 'npm');
    fs.mkdirSync(npmDir);
    const thirdParty = new Set(['aws-cdk-lib', 'constructs']);
    for (const p of needed) for (const dep of Object.keys(p.manifest.peerDependencies ?? {})) if (!dep.startsWith('@portcullis/')) thirdParty.add(dep);
    const versionOf = (dep) => rootManifest.devDependencies[dep] ?? needed.map((p) => p.manifest.devDependencies?.[dep]).find(Boolean);
    run('npm', ['init', '-y'], { cwd: npmDir, stdio: 'ignore' });
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...needed.map((p) => files(p, 'js', '.tgz')), ...[...thirdParty].map((d) => `${d}@${versionOf(d)}`)], { cwd: npmDir });
    const load = packages.map((p) => `{ const m = require(${JSON.stringify(p.name)}); if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(`${p.name} exports nothing`)}); console.log(${JSON.stringify(`npm consumer: ${p.name} loads (`)} + Object.keys(m).length + ' exports)'); }`).join('\n');
    run('node', ['-e', load], { cwd: npmDir });
    for (const p of packages) {
      for (const bin of Object.keys(p.manifest.bin ?? {})) run('npx', ['--no-install', bin, '--help'], { cwd: npmDir, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    if (everyPackage) {
      fs.copyFileSync(path.join(root, 'scripts/release/consumer.js'), path.join(npmDir, 'consumer.js'));
      run('node', ['consumer.js'], { cwd: npmDir });
    }

    // Python: the wheels in a fresh venv with aws-cdk-lib, constructs, jsii and pytest from PyPI (pinned).
    const venv = path.join(tmp, 'venv');
    run('python3', ['-m', 'venv', venv]);
    run(path.join(venv, 'bin/pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', 'python/requirements-test.txt', ...needed.map((p) => files(p, 'python', '.whl'))]);
    if (everyPackage) run(path.join(venv, 'bin/python'), [path.join(root, 'scripts/release/consumer.py')], { cwd: tmp });
    const tests = packages.map((p) => `${p.dir}/test/python`).filter((d) => fs.existsSync(path.join(root, d)));
    if (tests.length === 0) return console.log('affected: the affected packages have no Python tests');
    run(path.join(venv, 'bin/python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--import-mode=importlib', ...tests]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main() {
  const args = process.argv.slice(2);
  const step = args[0] && !args[0].startsWith('-') ? args.shift() : undefined;
  if (step) {
    if (!STEPS.includes(step)) fail(`unknown step '${step}': one of ${STEPS.join(', ')}, or none for every step`);
    if (args.length) fail(`a single step takes no options (${args.join(' ')}): set NX_BASE / NX_HEAD, or run every step with --base / --head`);
    const affected = affectedProjects();
    ({ lint, validate, artifacts, diff })[step](affected);
    return;
  }
  const env = { ...process.env };
  for (let i = 0; i < args.length; i++) {
    const m = /^--(base|head)(?:=(.*))?$/.exec(args[i]);
    if (!m) fail(`unknown option '${args[i]}': npm run affected -- [--base <ref>] [--head <ref>]`);
    const value = m[2] ?? args[++i];
    if (!value || !gitRef(value)) fail(`--${m[1]} needs a commit, got '${value ?? ''}'`);
    env[m[1] === 'base' ? 'NX_BASE' : 'NX_HEAD'] = value;
  }
  env.NX_BASE ??= defaultBase();
  console.log(`affected: base ${env.NX_BASE}, head ${env.NX_HEAD ?? 'the working tree (uncommitted changes included)'}`);
  run('npx', ['projen', 'affected:steps'], { env });
}

module.exports = { affectedProjects, artifacts, changedFiles, closure, forStep, workspaces };
if (require.main === module) {
  try {
    main();
  } catch (e) {
    if (e.exitCode === undefined) throw e;
    console.error(`affected: ${e.message}`);
    process.exitCode = e.exitCode;
  }
}
