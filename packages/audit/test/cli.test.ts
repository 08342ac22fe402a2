import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { audit } from '../src/cli';
import { alb, handAssembly, natVpc, service, template } from './update-safety-fixtures';

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

describe('portcullis-audit diff', () => {
  test('a desiredCount-only change: nothing replaced, exit 0', () => {
    const out = cli(['diff', handAssembly({ Api: service(1) }), handAssembly({ Api: service(2) })]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/nothing is replaced or removed/);
    expect(out.stdout).toMatch(/0 breaking, 0 notes \(0 acknowledged\): PASSED/);
  });

  test('removing a NAT gateway and its EIP, replacing an ALB: a table naming them, exit 1; a reasonless metadata warning; --allow all: exit 0', () => {
    const before = handAssembly({ Network: natVpc(2), Web: alb('internet-facing') });
    const after = handAssembly({ Network: natVpc(1), Web: alb('internal', { 'portcullis:update-safety': { allowReplacement: true } }) });
    const out = cli(['diff', before, after]);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/stack\s+logical id\s+type\s+change\s+cause\s+impact\s+status/);
    expect(out.stdout).toMatch(/Network\s+NatEip2\s+AWS::EC2::EIP\s+REMOVE\s+removed from the template\s+the Elastic IP address is released.*BREAKING/);
    expect(out.stdout).toMatch(/Web\s+Alb\s+AWS::ElasticLoadBalancingV2::LoadBalancer\s+REPLACE\s+Scheme\s+.*DNS name changes.*BREAKING/);
    expect(out.stdout).toMatch(/warning: Web\/Alb: portcullis:update-safety metadata allows replacement without a reason, so it does not count/);
    expect(out.stdout).toMatch(/3 breaking, 1 notes .*FAILED/);
    const allowed = cli(['diff', before, after, '--allow', 'NatEip2', '--allow=Network/NatGateway2', '--allow', 'Web/Alb']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/NatEip2 .*acknowledged \(--allow NatEip2\)/);
  });

  test('--json prints the whole report, also when it is large (> 64 KiB)', () => {
    // 400 replaced log groups: far more output than a pipe buffer holds
    const many = (name: string) => template(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`Logs${i}`, { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/${name}/${i}` } }])));
    const out = cli(['diff', handAssembly({ Api: many('a') }), handAssembly({ Api: many('b') }), '--json']);
    expect(out.status).toBe(1);
    expect(out.stdout.length).toBeGreaterThan(65536);
    const report = JSON.parse(out.stdout);
    expect(report.passed).toBe(false);
    expect(report.breaking).toHaveLength(400);
    expect(report.findings[0]).toMatchObject({ stack: 'Api', logicalId: 'Logs0', change: 'REPLACE', reasons: ['LogGroupName'], breaksClients: true });
  });

  test('bad usage or unreadable input exits 2 and names the problem', () => {
    const good = handAssembly({ Api: service(1) });
    const missing = cli(['diff', good, '/nonexistent/after.out']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/\/nonexistent\/after.out does not exist/);
    const broken = handAssembly({ Api: service(1) });
    fs.writeFileSync(path.join(broken, 'Api.template.json'), '{');
    const bad = cli(['diff', good, broken]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${path.join(broken, 'Api.template.json')} is not valid JSON`);
    const one = cli(['diff', good]);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/diff needs two cloud assembly directories \(before and after\), got 1/);
    expect(one.stderr).toMatch(/portcullis-audit diff <before cdk.out> <after cdk.out>/);
    expect(cli(['diff', good, good, '--allow']).stderr).toMatch(/--allow needs a logical id/);
  });
});
