import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { audit, main } from '../src/cli';
import { alb, handAssembly, natVpc, service, template } from './update-safety-fixtures';
import { runCli } from './run-cli';

function assembly(retention: logs.RetentionDays = logs.RetentionDays.INFINITE): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
  const app = new App({ outdir });
  new logs.LogGroup(new Stack(app, 'Audited'), 'Logs', { retention });
  app.synth();
  return outdir;
}

const cli = runCli;

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

describe('portcullis-audit diff fails closed: exit 2 naming the directory or file', () => {
  const emptyApp = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-empty-'));
    new App({ outdir }).synth();
    return outdir;
  };

  test('neither side has a stack: exit 2 naming both (it used to pass with exit 0)', () => {
    const a = emptyApp();
    const b = emptyApp();
    const out = run(['diff', a, b]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`${a} and ${b} have no stack: nothing to compare`);
  });

  test('one side without a stack: exit 2 naming it', () => {
    const empty = emptyApp();
    const out = run(['diff', handAssembly({ Api: service(1) }), empty]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`${empty} has no stack`);
  });

  test('a template file or a plain directory instead of a cloud assembly: exit 2 naming it', () => {
    const good = handAssembly({ Api: service(1) });
    const file = path.join(good, 'Api.template.json');
    const asFile = run(['diff', file, good]);
    expect(asFile.status).toBe(2);
    expect(asFile.stderr).toContain(`${file} (the before cloud assembly) is not a directory: diff compares two cdk.out directories`);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-'));
    const notAssembly = run(['diff', good, plain]);
    expect(notAssembly.status).toBe(2);
    expect(notAssembly.stderr).toContain(`${path.join(plain, 'manifest.json')} does not exist`);
  });

  test.each([
    ['a template that is a list', '[]', /is not a CloudFormation template \(a JSON object\), got a list/],
    ['a template whose Resources is a string', '{"Resources": "none"}', /: Resources must be an object of logical id -> resource, got a string/],
    ['a template with a resource without Type', '{"Resources": {"X": {}}}', /: resource X needs a Type/],
    ['JSON text inside a JSON string', JSON.stringify('{"Resources": {}}'), /is not a CloudFormation template \(a JSON object\), got a string/],
  ])('%s on either side: exit 2 naming the file', (_name, text, message) => {
    const good = handAssembly({ Api: service(1) });
    const bad = handAssembly({ Api: service(1) });
    const file = path.join(bad, 'Api.template.json');
    fs.writeFileSync(file, text);
    for (const args of [['diff', bad, good], ['diff', good, bad]]) {
      const out = run(args);
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).toContain(file);
    }
  });

  test('a manifest artifact that is not an object: exit 2 naming the manifest', () => {
    const bad = handAssembly({ Api: service(1) });
    const file = editManifest(bad, (m) => { m.artifacts.Api = 'stack'; });
    const out = run(['diff', bad, handAssembly({ Api: service(1) })]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`${file}: artifact Api must be an object with a type, got a string`);
  });
});

describe('CLI options take both --opt VALUE and --opt=VALUE', () => {
  test('audit: --requests, --response-kb, --nat-gb and --region in both syntaxes give the same report', () => {
    const dir = assembly(logs.RetentionDays.ONE_WEEK);
    const spaced = run([dir, '--json', '--requests', '5000', '--response-kb', '4', '--nat-gb', '3', '--region', 'us-east-1']);
    const joined = run([dir, '--json', '--requests=5000', '--response-kb=4', '--nat-gb=3', '--region=us-east-1']);
    expect(spaced.status).toBe(0);
    expect(joined.status).toBe(0);
    expect(JSON.parse(joined.stdout)).toEqual(JSON.parse(spaced.stdout));
    const transfer = JSON.parse(joined.stdout)[0].cost.lines.find((l: any) => l.item === 'Data transfer out');
    expect(transfer.quantity).toBeCloseTo((5000 * 4) / (1024 * 1024), 4);
  });

  test('diff: --allow in both syntaxes acknowledges; a flag given a value, a missing value and an unknown option exit 2 naming the option', () => {
    const before = handAssembly({ Network: natVpc(2) });
    const after = handAssembly({ Network: natVpc(1) });
    expect(run(['diff', before, after, '--allow', 'NatEip2', '--allow=NatGateway2']).status).toBe(0);
    expect(run(['diff', '--allow=NatEip2', before, '--allow', 'NatGateway2', after]).status).toBe(0);
    const flagValue = run(['diff', before, after, '--json=yes']);
    expect(flagValue.status).toBe(2);
    expect(flagValue.stderr).toMatch(/--json takes no value, got 'yes'/);
    const missing = run(['diff', before, after, '--allow']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--allow needs a logical id \(or <stack>\/<logical id>\), got '' \(--allow VALUE or --allow=VALUE\)/);
    const empty = run(['diff', before, after, '--allow=']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--allow needs a logical id/);
    const unknown = run(['diff', before, after, '--alow=NatEip2']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --alow for diff \(options: --json, --allow\)/);
    expect(run([assembly(), '--json=1']).stderr).toMatch(/--json takes no value, got '1'/);
  });

  test('property: for every option and any value, --opt VALUE and --opt=VALUE give the same exit code and output', () => {
    const dir = assembly(logs.RetentionDays.ONE_WEEK);
    const before = handAssembly({ Network: natVpc(2) });
    const after = handAssembly({ Network: natVpc(1) });
    const value = fc.oneof(fc.constantFrom('1000', '0', '-1', 'abc', '', ' ', '1e3', '0x10', 'NaN', 'us-east-1', 'eu-west-1', 'NatEip2', 'Network/NatGateway2', 'constructor'),
      fc.string({ maxLength: 6 })).filter((v) => !(v.startsWith('--') && v.length > 2));
    fc.assert(fc.property(fc.constantFrom('--requests', '--response-kb', '--nat-gb', '--region', '--allow'), value, (option, v) => {
      const prefix = option === '--allow' ? ['diff', before, after] : [dir];
      const spaced = run([...prefix, option, v]);
      const joined = run([...prefix, `${option}=${v}`]);
      expect(joined.status).toBe(spaced.status);
      expect(joined.stdout).toBe(spaced.stdout);
      expect(joined.stderr).toBe(spaced.stderr);
    }), { numRuns: 40 });
  });

  test('-- ends the options: a cdk.out directory named like an option is the target', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'dashes-'));
    fs.renameSync(assembly(logs.RetentionDays.ONE_WEEK), path.join(parent, '--odd'));
    const cwd = process.cwd();
    process.chdir(parent);
    try {
      expect(run(['--odd']).stderr).toMatch(/unknown option --odd/);
      const out = run(['--json', '--', '--odd']);
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      expect(JSON.parse(out.stdout)[0].stack).toBe('Audited');
    } finally {
      process.chdir(cwd);
    }
  });
});

/** Runs the CLI in this process: exit code, stdout and stderr. */
function run(args: string[]): { status: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: any[]) => { out.push(a.join(' ')); });
  const error = jest.spyOn(console, 'error').mockImplementation((...a: any[]) => { err.push(a.join(' ')); });
  try {
    const status = main(args);
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** An App with a Stage `Prod` holding a stack whose security group allows everything from 0.0.0.0/0 (Portcullis-SG1). */
function stagedAssembly(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-staged-'));
  const app = new App({ outdir });
  const stack = new Stack(new Stage(app, 'Prod'), 'Exposed');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'] });
  const group = new ec2.SecurityGroup(stack, 'Open', { vpc });
  group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic(), 'everything from anywhere');
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => {}); // CDK's own validation warns about the open group
  try {
    app.synth();
  } finally {
    quiet.mockRestore();
  }
  return outdir;
}

describe('the audit fails closed', () => {
  test('an empty cdk.out (an app without stacks) exits 2 naming the directory', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-empty-'));
    new App({ outdir }).synth();
    const out = run([outdir]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`${outdir} has no stack`);
  });

  test('a stack inside a Stage is audited, named by its Stage path: the open group is found, exit 1 (real synthesized app, real CLI)', () => {
    const out = cli([stagedAssembly()]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/== Prod\/Exposed /);
    expect(out.stdout).toMatch(/Portcullis-SG1\s+Open\w+\s+OPEN/);
    // the neighbour: a flat app is still named by its stack
    expect(audit(assembly(logs.RetentionDays.ONE_WEEK)).map((r) => r.stack)).toEqual(['Audited']);
  });

  const broken: Array<[string, (dir: string) => string, RegExp]> = [
    ['malformed JSON template', (dir) => write(dir, 'Audited.template.json', '{"Resources": {'), /Audited\.template\.json is not valid JSON/],
    ['YAML template', (dir) => write(dir, 'Audited.template.json', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n'),
      /Audited\.template\.json is YAML: YAML is not supported, synthesize with cdk \(JSON\)/],
    ['template that is not an object', (dir) => write(dir, 'Audited.template.json', 'null'), /Audited\.template\.json is not a CloudFormation template/],
    ['template whose Resources is a list', (dir) => write(dir, 'Audited.template.json', '{"Resources": []}'), /Audited\.template\.json: Resources must be an object/],
    ['missing template file', (dir) => { fs.rmSync(path.join(dir, 'Audited.template.json')); return path.join(dir, 'Audited.template.json'); }, /cannot read .*Audited\.template\.json/],
    ['malformed manifest', (dir) => write(dir, 'manifest.json', '{"version": '), /manifest\.json is not valid JSON/],
    ['manifest without artifacts', (dir) => editManifest(dir, (m) => { delete m.artifacts; }), /manifest\.json has no artifacts/],
    ['stack without templateFile', (dir) => editManifest(dir, (m) => { delete m.artifacts.Audited.properties.templateFile; }), /manifest\.json: stack Audited has no properties\.templateFile/],
  ];
  test.each(broken)('a %s exits 2 naming the file', (_name, breakIt, message) => {
    const dir = assembly();
    const file = breakIt(dir);
    const out = run([dir]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toContain(file);
  });

  test('a BOM-prefixed JSON template is read (BOM stripped): the finding is reported', () => {
    const dir = assembly();
    const file = path.join(dir, 'Audited.template.json');
    fs.writeFileSync(file, '\uFEFF' + fs.readFileSync(file, 'utf8'));
    const out = run([dir]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/Portcullis-LOG1/);
    // a single BOM-prefixed template file given directly too
    expect(run([file]).status).toBe(1);
  });

  test('a template a rule cannot evaluate (Fn::If where a list is expected) is an open finding saying so, not a pass', () => {
    const dir = assembly(logs.RetentionDays.ONE_WEEK);
    const file = path.join(dir, 'Audited.template.json');
    const t = JSON.parse(fs.readFileSync(file, 'utf8'));
    t.Conditions = { Wide: { 'Fn::Equals': ['a', 'b'] } };
    t.Resources.Group = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'g', SecurityGroupIngress: { 'Fn::If': ['Wide', [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }], []] } } };
    fs.writeFileSync(file, JSON.stringify(t));
    const out = run([dir]);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/Portcullis-SG1\s+Group\s+OPEN\s+CANNOT TELL, so it fails: cannot evaluate SecurityGroupIngress of Group: intrinsic Fn::If/);
  });

  test.each([
    [['--requests', ''], /--requests needs a number >= 0, got ''/],
    [['--requests', ' '], /--requests needs a number >= 0, got ' '/],
    [['--requests', 'Infinity'], /--requests needs a number >= 0, got 'Infinity'/],
    [['--response-kb', 'NaN'], /--response-kb needs a number >= 0, got 'NaN'/],
    [['--nat-gb', '-1'], /--nat-gb needs a number >= 0, got '-1'/],
    [['--nat-gb', '0x10'], /--nat-gb needs a number >= 0, got '0x10'/],
    [['--requests'], /--requests needs a number >= 0, got ''/],
    [['--region', ''], /--region needs a region name/],
    [['--bogus'], /unknown option --bogus/],
    [['-x'], /unknown option -x/],
  ])('bad option %j exits 2 naming the option and value', (args, message) => {
    const out = run([assembly(), ...args]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  test('a good numeric option still works, also as --opt=value', () => {
    const out = run([assembly(logs.RetentionDays.ONE_WEEK), '--requests=1000', '--nat-gb', '0', '--json']);
    expect(out.status).toBe(0);
    const transfer = JSON.parse(out.stdout)[0].cost.lines.find((l: any) => l.item === 'Data transfer out');
    expect(transfer).toEqual(expect.objectContaining({ item: 'Data transfer out', priced: true }));
    expect(transfer.quantity).toBeGreaterThan(0); // 1000 requests of the default response size
  });

  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a cdk.out directory named %s is the target, not an option', (name) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'names-'));
    fs.renameSync(assembly(), path.join(parent, name));
    const cwd = process.cwd();
    process.chdir(parent);
    try {
      const out = run([name]);
      expect(out.stderr).toBe('');
      expect(out.status).toBe(1);
      expect(out.stdout).toMatch(/== Audited/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('the audit path lets large output drain: --json over 64 KiB arrives whole through a pipe', () => {
    const dir = assembly();
    const file = path.join(dir, 'Audited.template.json');
    const t = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (let i = 0; i < 300; i++) t.Resources[`Logs${i}`] = { Type: 'AWS::Logs::LogGroup', Properties: {} };
    fs.writeFileSync(file, JSON.stringify(t));
    const out = cli([dir, '--json']);
    expect(out.status).toBe(1);
    expect(out.stdout.length).toBeGreaterThan(65536);
    expect(JSON.parse(out.stdout)[0].findings).toHaveLength(301);
  });
});

function write(dir: string, file: string, text: string): string {
  fs.writeFileSync(path.join(dir, file), text);
  return path.join(dir, file);
}

function editManifest(dir: string, edit: (m: any) => void): string {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m));
  return file;
}
