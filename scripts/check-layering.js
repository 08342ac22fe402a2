#!/usr/bin/env node
// The package graph keeps the layering of DESIGN.md ("How the pieces fit"): npm test runs this.
//
// The layers are LAYERS in .projenrc.ts, written to scripts/layers.json (bottom first). For every
// workspace (packages/*, apps/*) it reads the workspace dependencies its package.json declares
// (dependencies, peerDependencies, devDependencies, optionalDependencies) and the workspace
// packages its src/ and test/ TypeScript files import (import/export ... from, import(), require(),
// found with TypeScript's own pre-processor), and fails when:
//   - a workspace depends on or imports one of a higher layer (upward) or of its own layer (a
//     sibling: two packages of a layer never depend on each other, e.g. one ingress on another);
//   - a published package (no "private": true) has a private workspace among its dependencies or
//     peer dependencies (a user could not install it: the guard aws-cdk-cli's monorepo keeps);
//   - a file imports a workspace package its package.json does not declare (in src/: not as a
//     dependency or peer dependency, so users would not get it; in test/: not at all, it only
//     resolves through the hoisted node_modules and nx would not see the edge);
//   - a workspace is in no layer, in two, or a layer names a workspace that does not exist.
// Usage: node scripts/check-layering.js   (exit 1 with one line per problem)
'use strict';
const fs = require('fs');
const path = require('path');

const DEP_KINDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
/** What a user installs with a published package: a private workspace may not be among them. */
const PUBLISHED_KINDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** The npm package name of an import specifier (`@scope/name/sub/path` -> `@scope/name`). */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Imports of the TypeScript files under `dir`: [{ specifier, file, line }] (file relative to `base`). */
function importsOf(dir, base = dir) {
  const ts = require('typescript');
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.endsWith('.snapshot') && !entry.name.startsWith('cdk.out')) out.push(...importsOf(file, base));
      continue;
    }
    if (!/\.tsx?$/.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      const line = text.slice(0, imported.pos).split('\n').length;
      out.push({ specifier: imported.fileName, file: path.relative(base, file), line });
    }
  }
  return out;
}

/** The workspaces of the repository at `root`, with their manifests and their src/ and test/ imports. */
function readWorkspaces(root) {
  const patterns = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces ?? [];
  const workspaces = [];
  for (const pattern of patterns) {
    const parent = path.join(root, pattern.replace(/\/\*$/, ''));
    const dirs = pattern.endsWith('/*') ? fs.readdirSync(parent).map((d) => path.join(parent, d)) : [parent];
    for (const dir of dirs.sort()) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      const rel = path.relative(root, dir);
      workspaces.push({
        name: manifest.name,
        dir: rel,
        manifest,
        imports: [
          ...importsOf(path.join(dir, 'src'), root).map((i) => ({ ...i, where: 'src' })),
          ...importsOf(path.join(dir, 'test'), root).map((i) => ({ ...i, where: 'test' })),
        ],
      });
    }
  }
  return workspaces;
}

/**
 * The problems of a graph against the layers (pure: the tests call it with made-up graphs).
 * layers: [{ name, members: [package name] }], bottom first; workspaces: as readWorkspaces returns.
 */
function check(layers, workspaces) {
  const problems = [];
  const layerOf = new Map();
  layers.forEach((layer, index) => {
    for (const member of layer.members) {
      if (layerOf.has(member)) problems.push(`${member} is in two layers ("${layers[layerOf.get(member)].name}" and "${layer.name}"): place it in one (LAYERS in .projenrc.ts)`);
      else layerOf.set(member, index);
    }
  });
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  for (const member of layerOf.keys()) {
    if (!byName.has(member)) problems.push(`layer "${layers[layerOf.get(member)].name}" names ${member}, which is no workspace: remove it from LAYERS in .projenrc.ts`);
  }
  for (const w of workspaces) {
    if (!layerOf.has(w.name)) problems.push(`${w.name} (${w.dir}) is in no layer: place it in LAYERS in .projenrc.ts (a package may depend only on lower layers)`);
  }

  for (const w of workspaces) {
    // Every workspace this one reaches, with the evidence: declared kinds and import sites.
    const edges = new Map();
    const edge = (name) => {
      if (!edges.has(name)) edges.set(name, { kinds: [], imports: [] });
      return edges.get(name);
    };
    for (const kind of DEP_KINDS) {
      for (const name of Object.keys(w.manifest[kind] ?? {})) if (byName.has(name) && name !== w.name) edge(name).kinds.push(kind);
    }
    for (const i of w.imports ?? []) {
      const name = packageOf(i.specifier);
      if (name && byName.has(name) && name !== w.name) edge(name).imports.push(i);
    }

    for (const [name, e] of edges) {
      const target = byName.get(name);
      const evidence = [...e.kinds, ...(e.imports.length ? [`import in ${e.imports[0].file}:${e.imports[0].line}${e.imports.length > 1 ? ` and ${e.imports.length - 1} more` : ''}`] : [])].join(', ');
      const from = layerOf.get(w.name);
      const to = layerOf.get(name);
      if (from !== undefined && to !== undefined && to >= from) {
        const how = to === from
          ? `a sibling in layer "${layers[from].name}": packages of one layer never depend on each other`
          : `upward: layer "${layers[to].name}" is above "${layers[from].name}"`;
        problems.push(`${w.name} -> ${name} (${evidence}): ${how}; a package depends only on lower layers (DESIGN.md; LAYERS in .projenrc.ts)`);
      }
      const published = e.kinds.filter((k) => PUBLISHED_KINDS.includes(k));
      if (!w.manifest.private && target.manifest.private && published.length) {
        problems.push(`${w.name} -> ${name} (${published.join(', ')}): the published package ${w.name} depends on the private workspace ${name}, which users cannot install`);
      }
      const declaredForSrc = e.kinds.some((k) => PUBLISHED_KINDS.includes(k));
      const srcImport = e.imports.find((i) => i.where === 'src');
      if (srcImport && !declaredForSrc) {
        problems.push(`${w.name} imports ${name} in ${srcImport.file}:${srcImport.line} but does not declare it as a dependency or peer dependency${e.kinds.length ? ` (only ${e.kinds.join(', ')})` : ''}: users would not get it`);
      }
      const testImport = e.imports.find((i) => i.where === 'test');
      if (testImport && e.kinds.length === 0) {
        problems.push(`${w.name} imports ${name} in ${testImport.file}:${testImport.line} but does not declare it (a devDependency at least): it resolves only through the hoisted node_modules, and nx does not see the edge from package.json`);
      }
    }
  }
  return problems;
}

function main() {
  const root = path.resolve(__dirname, '..');
  const { layers } = JSON.parse(fs.readFileSync(path.join(__dirname, 'layers.json'), 'utf8'));
  const workspaces = readWorkspaces(root);
  const problems = check(layers, workspaces);
  for (const p of problems) console.log(`FAILED  ${p}`);
  const edges = workspaces.reduce((n, w) => n + DEP_KINDS.reduce((m, k) => m + Object.keys(w.manifest[k] ?? {}).filter((d) => workspaces.some((x) => x.name === d)).length, 0), 0);
  console.log(`layering: ${workspaces.length} workspaces in ${layers.length} layers (${layers.map((l) => l.name).join(' < ')}), ${edges} declared workspace dependencies and ${workspaces.reduce((n, w) => n + w.imports.length, 0)} imports read; ${problems.length} problem(s)`);
  if (problems.length) process.exitCode = 1;
}

module.exports = { check, importsOf, packageOf, readWorkspaces };
if (require.main === module) main();
