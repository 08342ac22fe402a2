#!/usr/bin/env node
// node scripts/sort-rosetta-cache.js <tablet>: rewrites a jsii-rosetta tablet with its snippets in
// key order. rosetta writes them in the order its workers finish, so the same translations could
// come out in another order on another run; the committed caches (packages/*/rosetta/cache.tabl.json,
// which .ci/run compares byte for byte after the build) must not change when nothing did.
'use strict';
const fs = require('fs');

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`sort-rosetta-cache: no tablet at ${file ?? '(none given)'}: pass the path of a tablet rosetta wrote`);
  process.exit(2);
}
const tablet = JSON.parse(fs.readFileSync(file, 'utf8'));
if (tablet === null || typeof tablet !== 'object' || typeof tablet.snippets !== 'object' || tablet.snippets === null) {
  console.error(`sort-rosetta-cache: ${file} is not a rosetta tablet (no "snippets" object)`);
  process.exit(2);
}
const sorted = (value) => {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
};
const text = JSON.stringify(sorted(tablet), undefined, 2) + '\n';
if (fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
