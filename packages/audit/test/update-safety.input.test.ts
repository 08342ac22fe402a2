// The update-safety gate fails closed: anything that is not two templates (compare) or two
// cloud assemblies with stacks (compareAssemblies) is an error naming the argument, directory or file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { UpdateChange, UpdateSafety } from '../src';
import { handAssembly, natVpc, service, template, trafficShift } from './update-safety-fixtures';

const notTemplates: Array<[string, unknown, RegExp]> = [
  ['null', null, /is not a CloudFormation template \(a JSON object\), got null/],
  ['undefined', undefined, /is not a CloudFormation template \(a JSON object\), got undefined/],
  ['a list', [], /got a list/],
  ['a list of resources', [{ Type: 'AWS::EC2::VPC' }], /got a list/],
  ['unparsed JSON text', '{"Resources": {}}', /got a string \("\{\\"Resources\\": \{\}\}"\): JSON.parse the template text first/],
  ['a cdk.out path', 'cdk.out', /got a string \("cdk.out"\).*use compareAssemblies/],
  ['a number', 42, /got a number/],
  ['a boolean', true, /got a boolean/],
  ['an assertions Template (not its JSON)', 'TEMPLATE', /got an instance of Template: pass the parsed template JSON \(of an assertions Template: template.toJSON\(\)\)/],
  ['a resource instead of a template', { Type: 'AWS::EC2::VPC', Properties: {} }, /"Type", "Properties" are not template sections/],
  ['a manifest instead of a template', { version: '48.0.0', artifacts: {} }, /"version", "artifacts" are not template sections/],
  ['Resources that is a list', { Resources: [] }, /: Resources must be an object of logical id -> resource, got a list/],
  ['Resources that is null', { Resources: null }, /: Resources must be an object of logical id -> resource, got null/],
  ['Resources that is a string', { Resources: 'none' }, /: Resources must be an object of logical id -> resource, got a string/],
  ['a null resource', { Resources: { Vpc: null } }, /: resource Vpc must be an object with a Type, got null/],
  ['a resource without Type', { Resources: { Vpc: { Properties: {} } } }, /: resource Vpc needs a Type \(a string such as AWS::EC2::VPC\), got undefined/],
  ['a resource whose Type is a number', { Resources: { Vpc: { Type: 7 } } }, /: resource Vpc needs a Type .*got a number/],
  ['a resource whose Properties is a list', { Resources: { Vpc: { Type: 'AWS::EC2::VPC', Properties: [] } } }, /: resource Vpc: Properties must be an object, got a list/],
  ['Parameters that is a list', { Parameters: [], Resources: {} }, /: Parameters must be an object, got a list/],
  ['Outputs that is a string', { Outputs: 'x', Resources: {} }, /: Outputs must be an object, got a string/],
  ['Description that is an object', { Description: {}, Resources: {} }, /: Description must be a string, got a object/],
];

const asArg = (v: unknown) => (v === 'TEMPLATE' ? Template.fromJSON({ Resources: {} }) : v);

describe('UpdateSafety.compare fails closed on anything but two templates', () => {
  test.each(notTemplates)('%s as `before` or `after` throws naming the argument', (_name, bad, message) => {
    const good = service(1);
    expect(() => UpdateSafety.compare(asArg(bad), good)).toThrow(message);
    expect(() => UpdateSafety.compare(asArg(bad), good)).toThrow(/^UpdateSafety.compare: `before`/);
    expect(() => UpdateSafety.compare(good, asArg(bad))).toThrow(message);
    expect(() => UpdateSafety.compare(good, asArg(bad))).toThrow(/^UpdateSafety.compare: `after`/);
  });

  test('an empty stack is a template: {} (what CDK writes for a stack without resources) and { Resources: {} }', () => {
    expect(UpdateSafety.compare({}, {}).findings).toEqual([]);
    expect(UpdateSafety.compare({ Resources: {} }, { Description: 'empty' }).passed).toBe(true);
    // deploying the empty template deletes every resource: reported, not read as "nothing changed"
    const emptied = UpdateSafety.compare(natVpc(1), {});
    expect(emptied.passed).toBe(false);
    expect(emptied.findings.every((f) => f.change === UpdateChange.REMOVE)).toBe(true);
    expect(emptied.breaking.map((f) => f.logicalId).sort()).toEqual(['NatEip1', 'NatGateway1', 'PublicSubnet1', 'PublicSubnet2', 'Vpc']);
  });

  test('a valid neighbour: every template section, a Transform, a condition and Fn::ForEach are accepted', () => {
    const full = {
      AWSTemplateFormatVersion: '2010-09-09', Description: 'd', Metadata: {}, Parameters: { P: { Type: 'String' } }, Rules: {}, Mappings: {},
      Conditions: { C: { 'Fn::Equals': ['a', 'b'] } }, Transform: ['AWS::LanguageExtensions'], Outputs: {}, Hooks: {},
      Resources: { ...service(1).Resources, 'Fn::ForEach::Topics': ['N', ['A', 'B'], { 'Topic${N}': { Type: 'AWS::SNS::Topic' } }] },
    };
    expect(UpdateSafety.compare(full, full).passed).toBe(true);
  });

  test('regression (property counterexample): an object without a prototype inside a template is compared as JSON, not a TypeError from cloudformation-diff', () => {
    const base = service(1);
    const odd = service(1);
    odd.Resources.TaskDef.Properties.Family = { __proto__: null, constructor: 1 };
    const report = UpdateSafety.compare(base, odd);
    expect(report.findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['TaskDef REPLACE']);
  });

  test('a template JSON cannot hold (a cycle, a BigInt) throws naming the argument', () => {
    const cyclic: any = service(1);
    cyclic.Resources.TaskDef.Properties.Self = cyclic;
    expect(() => UpdateSafety.compare(service(1), cyclic)).toThrow(/^UpdateSafety\.compare: `after` is not JSON \(a CloudFormation template is JSON\): .*circular/);
    const big: any = service(1);
    big.Resources.Service.Properties.DesiredCount = BigInt(2);
    expect(() => UpdateSafety.compare(big, service(1))).toThrow(/^UpdateSafety\.compare: `before` is not JSON/);
  });

  test('property: any value that is not a plain object, as either argument, throws naming that argument', () => {
    const notObject = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.integer(), fc.double(), fc.boolean(),
      fc.array(fc.anything(), { maxLength: 3 }), fc.string().map((s) => JSON.stringify({ Resources: { [s]: {} } })));
    fc.assert(fc.property(notObject, fc.boolean(), (bad, asBefore) => {
      const args: [any, any] = asBefore ? [bad, service(1)] : [service(1), bad];
      expect(() => UpdateSafety.compare(...args)).toThrow(asBefore ? /^UpdateSafety.compare: `before` is not a CloudFormation template/ : /^UpdateSafety.compare: `after` is not a CloudFormation template/);
    }), { numRuns: 200 });
  });

  test('property: junk in place of Resources, a resource, its Type or its Properties throws naming the argument and the place', () => {
    const junk = fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.boolean(), fc.array(fc.anything(), { maxLength: 2 }));
    const where = fc.constantFrom('Resources', 'resource', 'Type', 'Properties');
    fc.assert(fc.property(junk, where, fc.boolean(), (bad, at, asBefore) => {
      const t = service(1);
      if (at === 'Resources') t.Resources = bad;
      if (at === 'resource') t.Resources.Service = bad;
      if (at === 'Type') {
        if (typeof bad === 'string' && bad.trim() !== '') return; // any non-empty string is a Type
        t.Resources.Service.Type = bad;
      }
      if (at === 'Properties') t.Resources.Service.Properties = bad;
      const args: [any, any] = asBefore ? [t, service(1)] : [service(1), t];
      const place = { Resources: /Resources must be an object/, resource: /resource Service must be an object/, Type: /resource Service needs a Type/, Properties: /resource Service: Properties must be an object/ }[at];
      let message = '';
      try {
        UpdateSafety.compare(...args);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(asBefore ? /^UpdateSafety.compare: `before`/ : /^UpdateSafety.compare: `after`/);
      expect(message).toMatch(place);
    }), { numRuns: 200 });
  });
});

describe('UpdateSafety.compareAssemblies fails closed: the message names the directory or file', () => {
  const emptyApp = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-empty-'));
    new App({ outdir }).synth();
    return outdir;
  };

  test('neither side has a stack: throws naming both directories (it used to pass)', () => {
    const a = emptyApp();
    const b = emptyApp();
    expect(() => UpdateSafety.compareAssemblies(a, b)).toThrow(`${a} and ${b} have no stack: nothing to compare`);
  });

  test('one side without a stack: throws naming that directory', () => {
    const empty = emptyApp();
    const good = handAssembly({ Api: service(1) });
    expect(() => UpdateSafety.compareAssemblies(empty, good)).toThrow(new RegExp(`^${empty} has no stack`));
    expect(() => UpdateSafety.compareAssemblies(good, empty)).toThrow(new RegExp(`^${empty} has no stack`));
  });

  test('a path that is not a cloud assembly: a file, a directory without manifest, not a string', () => {
    const good = handAssembly({ Api: service(1) });
    const file = path.join(good, 'Api.template.json');
    expect(() => UpdateSafety.compareAssemblies(file, good)).toThrow(`${file} is not a directory: give a cloud assembly (cdk.out) directory`);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-'));
    expect(() => UpdateSafety.compareAssemblies(good, plain)).toThrow(`${path.join(plain, 'manifest.json')} does not exist: is ${plain} a cdk.out directory?`);
    expect(() => UpdateSafety.compareAssemblies(null as any, good)).toThrow(/`beforeDir` must be the path of a cloud assembly \(cdk.out\) directory, got null/);
    expect(() => UpdateSafety.compareAssemblies(good, '' as any)).toThrow(/`afterDir` must be the path of a cloud assembly \(cdk.out\) directory, got ""/);
  });

  const broken: Array<[string, (dir: string) => string, RegExp]> = [
    ['a template that is a list', (dir) => write(dir, 'Api.template.json', '[]'), /Api\.template\.json is not a CloudFormation template \(a JSON object\), got a list/],
    ['a template that is JSON text in a string', (dir) => write(dir, 'Api.template.json', JSON.stringify(JSON.stringify(service(1)))), /Api\.template\.json is not a CloudFormation template \(a JSON object\), got a string/],
    ['a template that is null', (dir) => write(dir, 'Api.template.json', 'null'), /Api\.template\.json is not a CloudFormation template \(a JSON object\), got null/],
    ['a template whose Resources is a list', (dir) => write(dir, 'Api.template.json', '{"Resources": []}'), /Api\.template\.json: Resources must be an object/],
    ['a template with a resource without Type', (dir) => write(dir, 'Api.template.json', '{"Resources": {"X": {"Properties": {}}}}'), /Api\.template\.json: resource X needs a Type/],
    ['a template with an unknown section', (dir) => write(dir, 'Api.template.json', '{"Resource": {}}'), /Api\.template\.json is not a CloudFormation template: "Resource" is not a template section/],
    ['malformed JSON', (dir) => write(dir, 'Api.template.json', '{'), /Api\.template\.json is not valid JSON/],
    ['a manifest that is a list', (dir) => write(dir, 'manifest.json', '[]'), /manifest\.json is not a cloud assembly manifest \(not a JSON object\)/],
    ['a manifest artifact that is null', (dir) => editManifest(dir, (m) => { m.artifacts.Api = null; }), /manifest\.json: artifact Api must be an object with a type, got null/],
    ['a manifest artifact without type', (dir) => editManifest(dir, (m) => { delete m.artifacts.Api.type; }), /manifest\.json: artifact Api needs a type \(e\.g\. aws:cloudformation:stack\), got undefined/],
    ['a stack whose properties is a list', (dir) => editManifest(dir, (m) => { m.artifacts.Api.properties = []; }), /manifest\.json: artifact Api: properties must be an object, got a list/],
    ['a stack whose templateFile is missing', (dir) => editManifest(dir, (m) => { delete m.artifacts.Api.properties.templateFile; }), /manifest\.json: stack Api has no properties\.templateFile/],
    ['a nested assembly whose directory is missing', (dir) => editManifest(dir, (m) => { m.artifacts.Stage = { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } }; }),
      /manifest\.json: nested assembly Stage names .*assembly-Stage, which is not a directory/],
  ];
  test.each(broken)('%s (on either side) throws naming the file', (_name, breakIt, message) => {
    const good = handAssembly({ Api: service(1) });
    const dir = handAssembly({ Api: service(1) });
    const file = breakIt(dir);
    for (const args of [[dir, good], [good, dir]] as Array<[string, string]>) {
      let error = '';
      try {
        UpdateSafety.compareAssemblies(...args);
      } catch (e) {
        error = (e as Error).message;
      }
      expect(error).toMatch(message);
      expect(error).toContain(file);
    }
  });

  test('a valid neighbour: two hand-made assemblies with a stack each compare (exit-0 case)', () => {
    expect(UpdateSafety.compareAssemblies(handAssembly({ Api: service(1) }), handAssembly({ Api: service(3) })).passed).toBe(true);
    expect(UpdateSafety.compareAssemblies(handAssembly({ Api: template({}) }), handAssembly({ Api: {} })).passed).toBe(true);
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

describe('property: malformed input never crashes the gate', () => {
  const junk = fc.oneof(
    fc.constant(null), fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant([]), fc.constant([null]), fc.constant({}),
    fc.constant({ 'Fn::If': ['C', { Ref: 'Blue' }, { Ref: 'AWS::NoValue' }] }), fc.constant({ Ref: 'Green' }), fc.constant({ 'Fn::GetAtt': ['ProdRule', 'RuleArn'] }),
    fc.constant({ Ref: 'AWS::NoValue' }), fc.constant('constructor'), fc.constant({ __proto__: null, constructor: 1 }),
  );
  const paths = (v: any, p: string[] = [], out: string[][] = []) => {
    if (p.length > 0) out.push(p);
    if (v && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...p, k], out);
    return out;
  };
  const put = (t: any, where: string[], value: unknown) => {
    let o = t;
    for (const k of where.slice(0, -1)) o = o[k];
    o[where[where.length - 1]] = value;
    return t;
  };

  test('junk at any path of a traffic-shifting stack, on either side: a report or an error naming the argument, never a TypeError', () => {
    const base = trafficShift({ testRule: true });
    fc.assert(fc.property(fc.constantFrom(...paths(base)), junk, fc.boolean(), fc.constantFrom('compare', 'swap'), (where, value, asBefore, how) => {
      const t = put(JSON.parse(JSON.stringify(base)), where, value);
      const subject = how === 'swap' ? /^UpdateSafety\.swapProductionWeights: `template`/ : asBefore ? /^UpdateSafety\.compare: `before`/ : /^UpdateSafety\.compare: `after`/;
      try {
        if (how === 'swap') {
          UpdateSafety.swapProductionWeights(t);
        } else {
          const report = asBefore ? UpdateSafety.compare(t, base) : UpdateSafety.compare(base, t);
          for (const f of report.findings) expect(typeof f.impact).toBe('string');
        }
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(subject);
      }
    }), { numRuns: 300 });
  });

  test('any JSON that is not a template object, as a stack\'s template file: an error naming the file', () => {
    const good = handAssembly({ Api: service(1) });
    fc.assert(fc.property(fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), fc.boolean(), (value, asBefore) => {
      const dir = handAssembly({ Api: service(1) });
      const file = path.join(dir, 'Api.template.json');
      fs.writeFileSync(file, JSON.stringify(value));
      expect(() => (asBefore ? UpdateSafety.compareAssemblies(dir, good) : UpdateSafety.compareAssemblies(good, dir))).toThrow(`${file} is not a CloudFormation template (a JSON object)`);
    }), { numRuns: 60 });
  });
});
