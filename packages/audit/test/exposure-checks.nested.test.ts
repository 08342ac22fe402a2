// The audit looks inside nested stacks: an open security group in a NestedStack fails the
// plugin and the CLI, as it would in the parent.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { audit, main } from '../src/cli';
import { ExposureChecks } from '../src';

/** An app whose stack `Parent` holds a NestedStack `Inner` (in a NestedStack `Deeper` when `depth` is 2) with an all-traffic group from 0.0.0.0/0. */
function nestedApp(opts: { assetMetadata?: boolean; depth?: 1 | 2; acknowledge?: boolean; plugin?: boolean } = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-nested-'));
  const app = new App({ outdir, context: opts.assetMetadata ? { 'aws:cdk:enable-asset-metadata': true } : {} });
  const parent = new Stack(app, 'Parent');
  new logs.LogGroup(parent, 'Logs', { retention: logs.RetentionDays.ONE_WEEK });
  let scope: Stack = new NestedStack(parent, 'Inner');
  if (opts.depth === 2) scope = new NestedStack(scope, 'Deeper');
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'] });
  const group = new ec2.SecurityGroup(scope, 'Open', { vpc });
  group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic(), 'everything from anywhere');
  if (opts.acknowledge) Validations.of(group).acknowledge({ id: 'portcullis-exposure::Portcullis-SG1', reason: 'a honeypot, on purpose' });
  if (opts.plugin) Validations.of(app).addPlugins(new ExposureChecks());
  return { app, outdir };
}

function synth(app: App): void {
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => {}); // CDK's own validation warns about the open group
  try {
    app.synth();
  } finally {
    quiet.mockRestore();
  }
}

function run(args: string[]): { status: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: any[]) => { out.push(a.join(' ')); });
  const error = jest.spyOn(console, 'error').mockImplementation((...a: any[]) => { err.push(a.join(' ')); });
  try {
    return { status: main(args), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('portcullis-audit reads nested stacks from the cloud assembly', () => {
  test.each([
    ['with aws:asset:path metadata (as the CDK CLI synthesizes)', true],
    ['without it (the TemplateURL\'s asset hash, through the asset manifest)', false],
  ])('%s: the open group in the nested stack is found, exit 1', (_name, assetMetadata) => {
    const { app, outdir } = nestedApp({ assetMetadata });
    synth(app);
    const reports = audit(outdir);
    expect(reports.map((r) => r.stack)).toEqual(['Parent', expect.stringMatching(/^Parent\/InnerNestedStack.*Resource/)]);
    expect(reports[0].findings).toEqual([]);
    expect(reports[1].findings.map((f) => f.ruleId)).toEqual(['Portcullis-SG1']);
    expect(reports[1].template).toMatch(/\.nested\.template\.json$/);
    const out = run([outdir]);
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/== Parent\/InnerNestedStack\w*Resource\w* \(.*\.nested\.template\.json\)/);
    expect(out.stdout).toMatch(/Portcullis-SG1\s+Open\w+\s+OPEN/);
  });

  test('a stack nested two deep is read too', () => {
    const { app, outdir } = nestedApp({ depth: 2, assetMetadata: true });
    synth(app);
    const reports = audit(outdir);
    expect(reports.map((r) => r.stack)).toEqual(['Parent', expect.stringMatching(/^Parent\/Inner\w+$/), expect.stringMatching(/^Parent\/Inner\w+\/Deeper\w+$/)]);
    expect(reports[2].findings.map((f) => f.ruleId)).toEqual(['Portcullis-SG1']);
  });

  test('a nested stack whose template is not in the assembly: exit 2 naming the parent template and the resource', () => {
    const { app, outdir } = nestedApp({ assetMetadata: true });
    synth(app);
    const nested = fs.readdirSync(outdir).find((f) => f.endsWith('.nested.template.json'))!;
    fs.rmSync(path.join(outdir, nested));
    const out = run([outdir]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`Parent\\.template\\.json: nested stack InnerNestedStack\\w+ names .*${nested.replace(/\./g, '\\.')} \\(aws:asset:path\\), which does not exist`));
    // a hand-written nested stack with only a TemplateURL cannot be seen: exit 2, not a pass
    const parentFile = path.join(outdir, 'Parent.template.json');
    const t = JSON.parse(fs.readFileSync(parentFile, 'utf8'));
    t.Resources.Remote = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example-bucket.s3.amazonaws.com/remote.json' } };
    fs.writeFileSync(parentFile, JSON.stringify(t));
    fs.writeFileSync(path.join(outdir, nested), JSON.stringify({ Resources: {} }));
    const remote = run([outdir]);
    expect(remote.status).toBe(2);
    expect(remote.stderr).toMatch(/Parent\.template\.json: nested stack Remote: its template is not in the cloud assembly .*cannot be audited/);
  });

  test('a malformed nested template: exit 2 naming it', () => {
    const { app, outdir } = nestedApp({ assetMetadata: true });
    synth(app);
    const nested = path.join(outdir, fs.readdirSync(outdir).find((f) => f.endsWith('.nested.template.json'))!);
    fs.writeFileSync(nested, '[]');
    const out = run([outdir]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`${nested} is not a CloudFormation template (a JSON object), got a list`);
  });
});

describe('the plugin (ExposureChecks as a policy-validation plugin) reads nested stacks', () => {
  test('an open group in a NestedStack fails the synth (CDK hands the plugin top-level templates only)', () => {
    const { app } = nestedApp({ plugin: true });
    expect(() => synth(app)).toThrow(/A security group allows all protocols[\s\S]*Parent\/Inner\/Open\/Resource[\s\S]*portcullis-exposure::Portcullis-SG1/);
  });

  test('a valid neighbour: acknowledged on the group, the nested finding does not fail the synth', () => {
    const { app, outdir } = nestedApp({ plugin: true, acknowledge: true });
    synth(app);
    expect(fs.readdirSync(outdir).some((f) => f.endsWith('.nested.template.json'))).toBe(true);
  });
});
