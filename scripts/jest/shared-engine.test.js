// node --test: the jest set-up every package and app uses (synth-context.js, and
// cloudformation-validate.js sharing one validation engine per worker) still fails a test file
// whose template has an error, in the first file of a worker and in the files after it.
const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

test('every test file of one jest worker validates its templates with the shared engine', () => {
  const config = path.join(__dirname, 'fixtures', 'shared-engine', 'jest.config.js');
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shared-engine-')), 'engines.log');
  const jest = path.join(path.dirname(require.resolve('jest/package.json')), 'bin', 'jest.js');
  const run = spawnSync(process.execPath, [jest, '--ci', '--coverage=false', '--maxWorkers=1', '--config', config, '--json'], {
    encoding: 'utf8', env: { ...process.env, PORTCULLIS_JEST_ENGINE_LOG: log }, cwd: path.dirname(config),
  });
  assert.ok(run.stdout, `jest printed nothing: ${run.stderr}`);
  const report = JSON.parse(run.stdout);
  const files = report.testResults.map((r) => [path.basename(r.name), r.status, r.assertionResults.map((a) => a.status)]);
  assert.strictEqual(report.numTotalTestSuites, 3, JSON.stringify(files));
  assert.strictEqual(report.numFailedTests, 0, JSON.stringify(files, undefined, 1) + run.stderr.slice(-3000));
  assert.strictEqual(report.numPassedTests, 9);
  // three files, one worker, one engine built
  assert.deepStrictEqual(fs.readFileSync(log, 'utf8').trim().split('\n').length, 1);
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
});
