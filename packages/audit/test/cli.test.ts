import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { audit } from '../src/cli';

function assembly(retention: logs.RetentionDays = logs.RetentionDays.INFINITE): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
  const app = new App({ outdir });
  new logs.LogGroup(new Stack(app, 'Audited'), 'Logs', { retention });
  app.synth();
  return outdir;
}

const cli = (args: string[]) => spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(__dirname, '..', 'src', 'cli.ts'), ...args], { encoding: 'utf8' });

test('audit() reads every stack of a cloud assembly: findings and cost', () => {
  const reports = audit(assembly(), { natDataGbPerMonth: 0 });
  expect(reports.map((r) => r.stack)).toEqual(['Audited']);
  expect(reports[0].findings.map((f) => f.ruleId)).toEqual(['Portcullis-LOG1']);
  expect(reports[0].cost.totalMonthlyUsd).toBe(0);
});

test('the CLI prints a table per stack and exits 1 on an open finding, 0 when clean', () => {
  const bad = cli([assembly()]);
  expect(bad.status).toBe(1);
  expect(bad.stdout).toMatch(/== Audited/);
  expect(bad.stdout).toMatch(/Portcullis-LOG1\s+Logs\w+\s+OPEN/);
  expect(bad.stdout).toMatch(/total: \$0\.00\/month/);
  const good = cli([assembly(logs.RetentionDays.ONE_WEEK), '--requests', '1000']);
  expect(good.status).toBe(0);
  expect(good.stdout).toMatch(/findings: none/);
});

test('--json prints the reports; bad usage exits 2 with a message', () => {
  const out = cli([assembly(logs.RetentionDays.ONE_WEEK), '--json']);
  expect(JSON.parse(out.stdout)[0].stack).toBe('Audited');
  const noDir = cli(['/nonexistent/cdk.out']);
  expect(noDir.status).toBe(2);
  expect(noDir.stderr).toMatch(/\/nonexistent\/cdk.out does not exist/);
  const badNum = cli([assembly(), '--requests', 'many']);
  expect(badNum.status).toBe(2);
  expect(badNum.stderr).toMatch(/--requests needs a number >= 0, got 'many'/);
  expect(execFileSync).toBeDefined();
});
