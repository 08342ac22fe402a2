// node --test: the fast-check seed of `npm test` is fixed, FC_SEED overrides it, bad values fail.
const assert = require('node:assert');
const { test } = require('node:test');
const { FIXED_SEED, fastCheckSeed } = require('./seed');

test('npm test runs on the fixed seed when FC_SEED is unset or empty', () => {
  assert.strictEqual(fastCheckSeed(undefined), FIXED_SEED);
  assert.strictEqual(fastCheckSeed(''), FIXED_SEED);
});

test('FC_SEED picks a whole-number seed, negative ones included (fast-check prints them)', () => {
  assert.strictEqual(fastCheckSeed('-760546814'), -760546814);
  assert.strictEqual(fastCheckSeed('42'), 42);
});

test('FC_SEED=random draws a 32-bit seed', () => {
  const seed = fastCheckSeed('random');
  assert.ok(Number.isInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 31, `got ${seed}`);
});

test('anything else is refused, naming the variable and the value', () => {
  for (const bad of ['x', '1.5', '12abc', '99999999999999999999']) {
    assert.throws(() => fastCheckSeed(bad), new RegExp(`FC_SEED must be a whole number or 'random', got '${bad.replace('.', '\\.')}'`));
  }
});

test('every package jest config loads the seed setup and prints it', () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const packages = path.join(__dirname, '..', '..', 'packages');
  for (const name of fs.readdirSync(packages)) {
    const file = path.join(packages, name, 'package.json');
    if (!fs.existsSync(file)) continue;
    const jest = JSON.parse(fs.readFileSync(file, 'utf8')).jest;
    // Other setup files may follow (synth-context.js); the seed's must be there.
    assert.ok(jest.setupFiles.includes('<rootDir>/../../scripts/jest/fast-check-seed.js'), `${name}: ${jest.setupFiles.join(', ')}`);
    assert.strictEqual(jest.globalSetup, '<rootDir>/../../scripts/jest/print-seed.js', name);
  }
});
