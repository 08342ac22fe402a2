#!/usr/bin/env node
// npm run release -- [--dry-run] [--out dist/release]
// Computes each package's next version from the conventional commits since its last tag
// (@portcullis/<name>@X.Y.Z), writes the versions and sibling ranges (^X.Y.Z) into the
// packages' package.json files, builds every artifact (npm tarball, Python wheel and sdist)
// through nx (the `package` target, after each package's `build`), collects them with a
// CHANGELOG per package into --out, and restores the package.json files. Without --dry-run
// it also tags the bumped packages; publishing is the release workflow's job
// (.github/workflows/release.yml), from --out/manifest.json.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { plan, npmRange, changelog } = require('./versions');

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const outIndex = args.indexOf('--out');
const out = path.resolve(root, outIndex >= 0 ? args[outIndex + 1] : 'dist/release');
const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();

const dirs = fs.readdirSync(path.join(root, 'packages')).filter((d) => fs.existsSync(path.join(root, 'packages', d, 'package.json')));
const manifests = Object.fromEntries(dirs.map((d) => [d, JSON.parse(fs.readFileSync(path.join(root, 'packages', d, 'package.json'), 'utf8'))]));
const siblingsOf = (m) => Object.keys(m.peerDependencies ?? {}).filter((n) => n.startsWith('@portcullis/')).map((n) => n.slice('@portcullis/'.length));

if (!dryRun && git('status', '--porcelain', '--untracked-files=no') !== '') {
  console.error('release: the working tree has uncommitted changes; commit them first (or use --dry-run)');
  process.exit(1);
}

const input = dirs.map((d) => {
  const tags = git('tag', '--list', `@portcullis/${d}@*`, '--sort=-v:refname').split('\n').filter(Boolean);
  const lastTag = tags[0];
  const range = lastTag ? [`${lastTag}..HEAD`] : ['HEAD'];
  const log = git('log', '--format=%H%x1f%s%x1f%b%x1e', ...range, '--', `packages/${d}`);
  const commits = log.split('\x1e').map((e) => e.trim()).filter(Boolean).map((e) => {
    const [hash, subject, body] = e.split('\x1f');
    return { hash, subject, body };
  });
  return { name: d, siblings: siblingsOf(manifests[d]), lastVersion: lastTag ? lastTag.split('@').pop() : null, commits };
});
const releases = plan(input);
const next = Object.fromEntries(releases.map((r) => [r.name, r.nextVersion]));

console.log('package                    last      next      reason');
for (const r of releases) {
  console.log(`${`@portcullis/${r.name}`.padEnd(26)} ${String(r.lastVersion ?? '-').padEnd(9)} ${r.nextVersion.padEnd(9)} ${r.reason}`);
}

// Write versions and sibling ranges, build, collect; always restore package.json.
const files = dirs.map((d) => path.join(root, 'packages', d, 'package.json'));
const originals = files.map((f) => fs.readFileSync(f, 'utf8'));
try {
  for (const d of dirs) {
    const m = JSON.parse(JSON.stringify(manifests[d]));
    m.version = next[d];
    for (const s of siblingsOf(manifests[d])) {
      m.peerDependencies[`@portcullis/${s}`] = npmRange(next[s]);
    }
    for (const key of Object.keys(m.devDependencies ?? {})) {
      if (key.startsWith('@portcullis/')) m.devDependencies[key] = next[key.slice('@portcullis/'.length)];
    }
    fs.writeFileSync(path.join(root, 'packages', d, 'package.json'), JSON.stringify(m, undefined, 2) + '\n');
  }
  console.log(`\nbuilding and packaging ${dirs.length} packages at their release versions...`);
  // `package` (jsii-pacmak into packages/*/dist) depends on the package's `build` (jsii, examples,
  // API.md), which depends on the siblings' builds: one run builds, then packages, everything.
  // Three at a time on two cores: jsii-pacmak's Python step spends much of its time in pip (a
  // venv, the build requirements, an isolated build env per artifact), waiting on the index.
  execFileSync('npx', ['nx', 'run-many', '-t', 'package', '--projects', dirs.map((d) => `@portcullis/${d}`).join(','), '--output-style=static', '--parallel=3'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

  fs.rmSync(out, { recursive: true, force: true });
  const date = new Date().toISOString().slice(0, 10);
  const manifest = { date, dryRun, packages: [] };
  for (const r of releases) {
    const dist = path.join(root, 'packages', r.name, 'dist');
    const target = path.join(out, r.name);
    fs.mkdirSync(path.join(target, 'js'), { recursive: true });
    fs.mkdirSync(path.join(target, 'python'), { recursive: true });
    const copy = (sub) => fs.readdirSync(path.join(dist, sub)).map((f) => {
      fs.copyFileSync(path.join(dist, sub, f), path.join(target, sub, f));
      return `${r.name}/${sub}/${f}`;
    });
    const js = copy('js');
    const python = copy('python');
    const commits = input.find((p) => p.name === r.name).commits;
    fs.writeFileSync(path.join(target, 'CHANGELOG.md'), `# Changelog\n\n${changelog(`@portcullis/${r.name}`, r.nextVersion, r.bumped ? commits : [], date)}`);
    manifest.packages.push({ name: `@portcullis/${r.name}`, dir: r.name, version: r.nextVersion, bumped: r.bumped, reason: r.reason, tag: `@portcullis/${r.name}@${r.nextVersion}`, js, python });
  }
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, undefined, 2) + '\n');
  console.log(`artifacts and changelogs: ${path.relative(root, out)}/ (manifest.json lists them)`);
} finally {
  files.forEach((f, i) => fs.writeFileSync(f, originals[i]));
}

if (!dryRun) {
  // The released API becomes the baseline of the API-compatibility check (npm run api:compat):
  // written from the .jsii just built, committed, and the tags point at that commit.
  const bumped = releases.filter((x) => x.bumped).map((r) => `packages/${r.name}`);
  if (bumped.length) {
    execFileSync('node', ['scripts/api-compat.js', 'baseline', ...bumped], { cwd: root, stdio: 'inherit' });
    const baselines = bumped.map((d) => `${d}/api-baseline.json`);
    if (git('status', '--porcelain', '--', ...baselines) !== '') {
      git('add', '--', ...baselines);
      git('commit', '-m', `chore(release): API baselines of ${releases.filter((x) => x.bumped).map((r) => `@portcullis/${r.name}@${r.nextVersion}`).join(', ')}`, '--', ...baselines);
    }
  }
  for (const r of releases.filter((x) => x.bumped)) git('tag', `@portcullis/${r.name}@${r.nextVersion}`);
  console.log('committed the API baselines and tagged the bumped packages; push both (git push origin HEAD:main && git push --tags)');
} else {
  console.log('dry run: nothing tagged');
}
