// Pure release logic (no git, no files): conventional commits -> bumps -> next versions ->
// sibling ranges. Tested by versions.test.js with node's test runner.
'use strict';

const ORDER = { none: 0, patch: 1, minor: 2, major: 3 };

/** The bump a conventional commit asks for: 'major' | 'minor' | 'patch' | 'none'. */
function bumpOf(subject, body = '') {
  const m = /^(\w+)(\([^)]*\))?(!)?:\s/.exec(subject);
  if (!m) return 'none';
  if (m[3] === '!' || /^BREAKING[ -]CHANGE:/m.test(body)) return 'major';
  if (m[1] === 'feat') return 'minor';
  if (['fix', 'perf', 'revert'].includes(m[1])) return 'patch';
  return 'none';
}

function maxBump(bumps) {
  return bumps.reduce((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'none');
}

function parse(version) {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`not a release version: ${version}`);
  return m.slice(1).map(Number);
}

function increment(version, bump) {
  const [ma, mi, pa] = parse(version);
  if (bump === 'major') return `${ma + 1}.0.0`;
  if (bump === 'minor') return `${ma}.${mi + 1}.0`;
  if (bump === 'patch') return `${ma}.${mi}.${pa + 1}`;
  return version;
}

/**
 * Plans a release.
 * @param packages [{ name, siblings: [names it depends on], lastVersion: 'x.y.z' | null, commits: [{ subject, body }] }]
 * @returns [{ name, lastVersion, nextVersion, bumped, reason }] in dependency order
 */
function plan(packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const ordered = [];
  const visit = (p, stack = []) => {
    if (ordered.includes(p)) return;
    if (stack.includes(p.name)) throw new Error(`dependency cycle: ${[...stack, p.name].join(' -> ')}`);
    for (const s of p.siblings) {
      if (!byName.has(s)) throw new Error(`${p.name} depends on unknown package ${s}`);
      visit(byName.get(s), [...stack, p.name]);
    }
    ordered.push(p);
  };
  packages.forEach((p) => visit(p));

  const result = new Map();
  for (const p of ordered) {
    const own = maxBump(p.commits.map((c) => bumpOf(c.subject, c.body)));
    const bumpedDeps = p.siblings.filter((s) => result.get(s).bumped);
    let nextVersion = p.lastVersion;
    let reason;
    if (p.lastVersion === null) {
      nextVersion = '0.1.0';
      reason = 'first release';
    } else if (own !== 'none') {
      nextVersion = increment(p.lastVersion, own);
      reason = `${own}: ${p.commits.filter((c) => bumpOf(c.subject, c.body) !== 'none').length} releasable commit(s)`;
    } else if (bumpedDeps.length > 0) {
      nextVersion = increment(p.lastVersion, 'patch');
      reason = `patch: dependency update (${bumpedDeps.join(', ')})`;
    } else {
      reason = 'no releasable change';
    }
    result.set(p.name, { name: p.name, lastVersion: p.lastVersion, nextVersion, bumped: nextVersion !== p.lastVersion, reason });
  }
  return ordered.map((p) => result.get(p.name));
}

/** npm range for a sibling at `version`: ^x.y.z. */
function npmRange(version) {
  parse(version);
  return `^${version}`;
}

/** The PyPI range that npm's ^x.y.z means (what jsii-pacmak writes into Requires-Dist). */
function pythonRange(version) {
  const [ma, mi, pa] = parse(version);
  const upper = ma > 0 ? `${ma + 1}.0.0` : mi > 0 ? `0.${mi + 1}.0` : `0.0.${pa + 1}`;
  return `>=${version},<${upper}`;
}

/** Changelog section of one release. */
function changelog(name, version, commits, date) {
  const groups = { 'Breaking changes': [], Features: [], Fixes: [], Other: [] };
  for (const c of commits) {
    const bump = bumpOf(c.subject, c.body);
    const group = bump === 'major' ? 'Breaking changes' : bump === 'minor' ? 'Features' : bump === 'patch' ? 'Fixes' : 'Other';
    groups[group].push(`- ${c.subject}${c.hash ? ` (${c.hash.slice(0, 7)})` : ''}`);
  }
  const lines = [`## ${name} ${version} (${date})`, ''];
  for (const [title, items] of Object.entries(groups)) {
    if (items.length) lines.push(`### ${title}`, '', ...items, '');
  }
  if (lines.length === 2) lines.push('No changes of its own; released for its dependencies.', '');
  return lines.join('\n');
}

module.exports = { bumpOf, increment, plan, npmRange, pythonRange, changelog };
