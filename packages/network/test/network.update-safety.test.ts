import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Egress, Network, NetworkProps } from '../src';

// The fixtures were synthesized from the code released before availabilityZones, the NAT
// instance EIP dependency and endpoint dedupe (commit 4185374): a stack deployed with it must
// see no change (or only the intended one) after upgrading.
const ENV = { account: '123456789012', region: 'us-east-1' };

function synth(props?: NetworkProps, env?: { account: string; region: string }) {
  const stack = new Stack(new App(), 'Test', { env });
  const network = new Network(stack, 'Network', props);
  return { stack, network, json: Template.fromStack(stack).toJSON() };
}

function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.template.json`), 'utf8'));
}

/** Every path where two JSON values differ, e.g. `Resources.X.Properties.ImageId`. */
function differences(a: any, b: any, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return [at];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
}

describe('an upgrade changes nothing that was not meant to change', () => {
  test.each([
    ['default.us-east-1', undefined, ENV],
    ['default.env-agnostic', undefined, undefined],
    ['none.us-east-1', { egress: Egress.none() }, ENV],
  ] as Array<[string, NetworkProps | undefined, typeof ENV | undefined]>)('%s: the template is identical to the one synthesized before', (name, props, env) => {
    expect(synth(props, env).json).toEqual(fixture(name));
  });

  test.each([
    ['nat-instance.us-east-1', ENV],
    ['nat-instance.env-agnostic', undefined],
  ] as Array<[string, typeof ENV | undefined]>)('%s: only DependsOn changes: the EIP waits for the gateway attachment, the instance for its public route', (name, env) => {
    const before = fixture(name);
    const after = synth({ egress: Egress.natInstance() }, env).json;
    const eipId = Object.keys(before.Resources).find((id) => before.Resources[id].Type === 'AWS::EC2::EIP')!;
    const idOf = (type: string) => Object.keys(before.Resources).find((id) => before.Resources[id].Type === type)!;
    const instanceId = idOf('AWS::EC2::Instance');
    expect([...new Set(differences(before, after).map((d) => d.replace(/\.\d+$/, '')))].sort()).toEqual([`Resources.${eipId}.DependsOn`, `Resources.${instanceId}.DependsOn`].sort());
    const publicRoute = Object.keys(after.Resources).find((id) => /PublicSubnet1DefaultRoute/.test(id))!;
    expect(after.Resources[instanceId].DependsOn).toEqual(expect.arrayContaining([publicRoute]));
    expect(before.Resources[eipId].DependsOn).toBeUndefined();
    // the attachment itself (the IGW alone is not enough: it may not be attached yet)
    expect(after.Resources[eipId].DependsOn).toEqual([idOf('AWS::EC2::VPCGatewayAttachment')]);
  });
});

describe('NAT instance image', () => {
  const image = (ami: string) => ec2.MachineImage.genericLinux({ 'us-east-1': ami });

  test('machineImage: the instance uses the given image, no SSM parameter', () => {
    const { json } = synth({ egress: Egress.natInstance({ machineImage: image('ami-11111111') }) }, ENV);
    const instance = Object.values(json.Resources).find((r: any) => r.Type === 'AWS::EC2::Instance') as any;
    expect(instance.Properties.ImageId).toBe('ami-11111111');
    expect(JSON.stringify(json.Parameters ?? {})).not.toMatch(/ami-amazon-linux-latest/);
  });

  test('a new AMI replaces only the instance: same EIP resource, same egress IP, route and EIP follow the instance', () => {
    const before = synth({ egress: Egress.natInstance({ machineImage: image('ami-11111111') }) }, ENV);
    const after = synth({ egress: Egress.natInstance({ machineImage: image('ami-22222222') }) }, ENV);
    const ids = (json: any, type: string) => Object.keys(json.Resources).filter((id) => json.Resources[id].Type === type);
    const [instanceId] = ids(before.json, 'AWS::EC2::Instance');
    // ImageId is create-only on AWS::EC2::Instance: this is the one replacement.
    expect(differences(before.json, after.json)).toEqual([`Resources.${instanceId}.Properties.ImageId`]);
    // the EIP is one CfnEIP whose (mutable) InstanceId points at the instance: it is
    // re-associated to the replacement, never replaced, so the allow-listed address stays.
    const [eipId] = ids(after.json, 'AWS::EC2::EIP');
    expect(ids(before.json, 'AWS::EC2::EIP')).toEqual([eipId]);
    expect(after.json.Resources[eipId].Properties).toEqual({ Domain: 'vpc', InstanceId: { Ref: instanceId } });
    expect(after.network.egressIps.map((ip) => after.stack.resolve(ip))).toEqual([{ 'Fn::GetAtt': [eipId, 'PublicIp'] }]);
    expect(before.network.egressIps.map((ip) => before.stack.resolve(ip))).toEqual([{ 'Fn::GetAtt': [eipId, 'PublicIp'] }]);
  });

  test('default image: read from the public SSM parameter at deploy time, no context lookup (env-agnostic stacks synthesize)', () => {
    const { stack, json } = synth({ egress: Egress.natInstance() });
    const instance = Object.values(json.Resources).find((r: any) => r.Type === 'AWS::EC2::Instance') as any;
    const param = json.Parameters[instance.Properties.ImageId.Ref];
    expect(param).toEqual({ Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64' });
    expect((stack.node.root as App).synth().manifest.missing).toBeUndefined();
  });
});
