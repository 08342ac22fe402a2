import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { UpdateChange, UpdateSafety, UpdateSafetyFinding } from '../src';
import { alb, natVpc, service, template } from './update-safety-fixtures';

const byId = (findings: UpdateSafetyFinding[], id: string) => findings.find((f) => f.logicalId === id);

describe('direct replacements and removals (cloudformation-diff)', () => {
  test('a desiredCount-only change replaces nothing: no findings, passed', () => {
    const report = UpdateSafety.compare(service(1), service(3));
    expect(report.findings).toEqual([]);
    expect(report.breaking).toEqual([]);
    expect(report.passed).toBe(true);
  });

  test('removing a NAT gateway and its Elastic IP is breaking, and names the EIP', () => {
    const report = UpdateSafety.compare(natVpc(2), natVpc(1));
    expect(report.passed).toBe(false);
    const eip = byId(report.findings, 'NatEip2')!;
    expect(eip).toMatchObject({ resourceType: 'AWS::EC2::EIP', change: UpdateChange.REMOVE, breaksClients: true, acknowledged: false });
    expect(eip.impact).toMatch(/allow-list/);
    expect(report.breaking.map((f) => f.logicalId).sort()).toEqual(['NatEip2', 'NatGateway2']);
    // the route that moves to NAT gateway 1 is an in-place update: not a finding
    expect(byId(report.findings, 'PrivateDefaultRoute2')).toBeUndefined();
    expect(byId(report.findings, 'NatEip1')).toBeUndefined();
  });

  test('a create-only property change on an ALB (Scheme) replaces it: breaking, cause and impact given', () => {
    const report = UpdateSafety.compare(alb('internet-facing'), alb('internal'));
    const lb = byId(report.findings, 'Alb')!;
    expect(lb).toMatchObject({ change: UpdateChange.REPLACE, reasons: ['Scheme'], breaksClients: true });
    expect(lb.impact).toMatch(/DNS name changes/);
    expect(report.breaking.map((f) => f.logicalId)).toEqual(['Alb']);
    // the listener's create-only LoadBalancerArn references the ALB: replaced too, but a note
    expect(byId(report.findings, 'Listener')).toMatchObject({
      change: UpdateChange.REPLACE, breaksClients: false, reasons: ['LoadBalancerArn references Alb, which is replaced'],
    });
    expect(report.findings[0].logicalId).toBe('Alb'); // breaking first
  });

  test('a replaced resource that is not client-facing is a note (task definition revision)', () => {
    const after = service(1);
    after.Resources.TaskDef.Properties.Family = 'api-v2';
    const report = UpdateSafety.compare(service(1), after);
    expect(byId(report.findings, 'TaskDef')).toMatchObject({ change: UpdateChange.REPLACE, reasons: ['Family'], breaksClients: false });
    expect(byId(report.findings, 'TaskDef')!.impact).toMatch(/task definition revision/);
    expect(report.passed).toBe(true);
  });

  test('a log group removed with DeletionPolicy Retain keeps its history (note); removed without it is breaking', () => {
    const before = template({ Kept: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain' }, Lost: { Type: 'AWS::Logs::LogGroup' } });
    const report = UpdateSafety.compare(before, template({}));
    expect(byId(report.findings, 'Kept')).toMatchObject({ change: UpdateChange.REMOVE, breaksClients: false });
    expect(byId(report.findings, 'Lost')).toMatchObject({ change: UpdateChange.REMOVE, breaksClients: true });
    expect(byId(report.findings, 'Lost')!.impact).toMatch(/history is lost/);
  });
});

describe('cascade through create-only references', () => {
  const capacity = (asgName: string) => template({
    Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { AutoScalingGroupName: asgName, MinSize: '0', MaxSize: '2' } },
    CapacityProvider: {
      Type: 'AWS::ECS::CapacityProvider',
      Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: { Ref: 'Asg' }, ManagedTerminationProtection: 'DISABLED' } },
    },
    // create-only Name, referencing the capacity provider through Fn::Sub: replaced transitively
    ProviderParam: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Sub': '/api/${CapacityProvider}' }, Type: 'String', Value: 'x' } },
    // mutable Value referencing the ASG: updated in place, not a finding
    AsgParam: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/api/asg', Type: 'String', Value: { Ref: 'Asg' } } },
    // Fn::Sub with a literal ${!Asg} and a variable named like the ASG: no reference to it
    LiteralParam: { Type: 'AWS::SSM::Parameter', Properties: { Name: { 'Fn::Sub': ['/api/${!Asg}/${Asg}', { Asg: 'fixed' }] }, Type: 'String', Value: 'x' } },
  });

  test('an ASG replaced => the capacity provider (nested create-only AutoScalingGroupArn) and what references it', () => {
    const report = UpdateSafety.compare(capacity('asg-a'), capacity('asg-b'));
    expect(byId(report.findings, 'Asg')).toMatchObject({ change: UpdateChange.REPLACE, reasons: ['AutoScalingGroupName'] });
    expect(byId(report.findings, 'CapacityProvider')).toMatchObject({
      change: UpdateChange.REPLACE,
      reasons: ['AutoScalingGroupProvider.AutoScalingGroupArn references Asg, which is replaced'],
      resourceType: 'AWS::ECS::CapacityProvider',
    });
    expect(byId(report.findings, 'ProviderParam')).toMatchObject({
      change: UpdateChange.REPLACE, reasons: ['Name references CapacityProvider, which is replaced'],
    });
    expect(byId(report.findings, 'AsgParam')).toBeUndefined();
    expect(byId(report.findings, 'LiteralParam')).toBeUndefined();
    expect(report.findings.map((f) => f.logicalId).sort()).toEqual(['Asg', 'CapacityProvider', 'ProviderParam']);
  });

  test('a literal change of a nested create-only property replaces the resource (cfn-diff sees only top-level ones)', () => {
    const before = capacity('asg-a');
    const after = capacity('asg-a');
    after.Resources.CapacityProvider.Properties.AutoScalingGroupProvider.AutoScalingGroupArn = 'arn:aws:autoscaling:other';
    const report = UpdateSafety.compare(before, after);
    expect(byId(report.findings, 'CapacityProvider')).toMatchObject({ change: UpdateChange.REPLACE, reasons: ['AutoScalingGroupProvider.AutoScalingGroupArn'] });
  });

  test('a replaced subnet replaces the NAT gateway in it, whose replacement is breaking', () => {
    const before = natVpc(1);
    const after = natVpc(1);
    after.Resources.PublicSubnet1.Properties.CidrBlock = '10.0.8.0/24';
    const report = UpdateSafety.compare(before, after);
    expect(report.breaking.map((f) => `${f.logicalId}:${f.change}`).sort()).toEqual(['NatGateway1:REPLACE', 'PublicSubnet1:REPLACE']);
    expect(byId(report.findings, 'NatGateway1')!.reasons).toEqual(['SubnetId references PublicSubnet1, which is replaced']);
    expect(byId(report.findings, 'NatEip1')).toBeUndefined();
  });
});

describe('acknowledgements', () => {
  test('--allow (the allow option) by logical id turns a breaking finding into an acknowledged note', () => {
    const report = UpdateSafety.compare(natVpc(2), natVpc(1), { allow: ['NatEip2', 'NatGateway2'] });
    expect(report.passed).toBe(true);
    expect(byId(report.findings, 'NatEip2')).toMatchObject({ breaksClients: true, acknowledged: true, acknowledgement: '--allow NatEip2' });
    expect(UpdateSafety.compare(natVpc(2), natVpc(1), { allow: ['NatEip2'] }).breaking.map((f) => f.logicalId)).toEqual(['NatGateway2']);
  });

  test('template metadata with a reason acknowledges; without a reason it does not count and a warning says so', () => {
    const reason = 'moving to an internal ALB behind CloudFront, clients already use the CloudFront URL';
    const ok = UpdateSafety.compare(alb('internet-facing'), alb('internal', { 'portcullis:update-safety': { allowReplacement: true, reason } }));
    expect(ok.passed).toBe(true);
    expect(byId(ok.findings, 'Alb')).toMatchObject({ acknowledged: true, acknowledgement: `metadata: ${reason}` });
    expect(ok.warnings).toEqual([]);

    const noReason = UpdateSafety.compare(alb('internet-facing'), alb('internal', { 'portcullis:update-safety': { allowReplacement: true } }));
    expect(noReason.passed).toBe(false);
    expect(byId(noReason.findings, 'Alb')!.acknowledged).toBe(false);
    expect(noReason.warnings).toEqual([expect.stringMatching(/^Alb: portcullis:update-safety metadata allows replacement without a reason, so it does not count/)]);
  });

  test('a removed resource is acknowledged by the metadata it was deployed with (the before template), not by the new template', () => {
    const reason = 'the helper Lambda\'s own logs: they go with the last rule';
    const withLogs = (metadata?: object) => ({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 }, ...(metadata ? { Metadata: metadata } : {}) } } });
    const removed = UpdateSafety.compare(withLogs({ 'portcullis:update-safety': { allowReplacement: true, reason } }), { Resources: {} });
    expect(byId(removed.findings, 'Logs')).toMatchObject({ change: 'REMOVE', breaksClients: true, acknowledged: true, acknowledgement: `metadata: ${reason}` });
    expect(removed.passed).toBe(true);
    // without that metadata in the deployed template, the removal of a log group (its history) stays breaking
    expect(UpdateSafety.compare(withLogs(), { Resources: {} }).passed).toBe(false);
  });

  test('UpdateSafety.allowReplacement writes the metadata on an L2\'s default child, and rejects bad input', () => {
    const stack = new Stack();
    const group = new logs.LogGroup(stack, 'Logs');
    UpdateSafety.allowReplacement(group, 'renamed on purpose');
    const cfn = group.node.defaultChild as CfnResource;
    expect(cfn.cfnOptions.metadata).toEqual({ 'portcullis:update-safety': { allowReplacement: true, reason: 'renamed on purpose' } });
    expect(() => UpdateSafety.allowReplacement(group, ' ')).toThrow(/`reason` must say why/);
    expect(() => UpdateSafety.allowReplacement(new Construct(stack, 'Plain'), 'x')).toThrow(/Default\/Plain is not a CfnResource and has no CfnResource default child/);
  });
});

describe('compareAssemblies on synthesized apps', () => {
  const synth = (build: (app: App) => void): string => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'update-safety-cdkout-'));
    const app = new App({ outdir });
    build(app);
    app.synth();
    return outdir;
  };

  test('an ec2.Vpc going from 2 NAT gateways to 1 removes an Elastic IP: breaking, named', () => {
    const vpc = (natGateways: number) => synth((app) => new ec2.Vpc(new Stack(app, 'Network'), 'Vpc', { maxAzs: 2, natGateways }));
    const report = UpdateSafety.compareAssemblies(vpc(2), vpc(1));
    expect(report.passed).toBe(false);
    const eips = report.breaking.filter((f) => f.resourceType === 'AWS::EC2::EIP');
    expect(eips.map((f) => [f.stack, f.logicalId, f.change])).toEqual([['Network', expect.stringMatching(/^VpcPublicSubnet2EIP/), UpdateChange.REMOVE]]);
    expect(report.breaking.some((f) => f.resourceType === 'AWS::EC2::NatGateway' && f.change === UpdateChange.REMOVE)).toBe(true);
    expect(report.breaking.every((f) => /PublicSubnet2/.test(f.logicalId))).toBe(true);
  }, 60_000);

  test('stacks in Stages (nested assemblies) are compared; a removed stack is breaking, an added one a note', () => {
    const build = (name: string, stackName: string) => (app: App) => {
      new logs.LogGroup(new Stack(new Stage(app, 'Prod'), 'Api'), 'Logs', { logGroupName: name, retention: logs.RetentionDays.ONE_WEEK });
      new sns.Topic(new Stack(app, stackName), 'Topic');
    };
    const report = UpdateSafety.compareAssemblies(synth(build('/api/v1', 'Old')), synth(build('/api/v2', 'New')));
    const logGroup = report.findings.find((f) => f.resourceType === 'AWS::Logs::LogGroup')!;
    expect(logGroup).toMatchObject({ stack: 'Prod/Api', change: UpdateChange.REPLACE, reasons: ['LogGroupName'], breaksClients: true });
    expect(byId(report.findings, 'Old')).toMatchObject({ resourceType: 'AWS::CloudFormation::Stack', change: UpdateChange.REMOVE, breaksClients: true });
    expect(byId(report.findings, 'New')).toMatchObject({ change: UpdateChange.ADD_STACK, breaksClients: false });
    expect(report.breaking.map((f) => f.logicalId).sort()).toEqual([logGroup.logicalId, 'Old'].sort());
    // --allow by stack path and logical id, and by artifact id
    const allowed = UpdateSafety.compareAssemblies(synth(build('/api/v1', 'Old')), synth(build('/api/v2', 'New')), { allow: [`Prod/Api/${logGroup.logicalId}`, 'Old'] });
    expect(allowed.passed).toBe(true);
  }, 60_000);

  test('unreadable input names the file', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'not-cdkout-'));
    expect(() => UpdateSafety.compareAssemblies(empty, empty)).toThrow(new RegExp(`${empty}/manifest.json does not exist`));
    expect(() => UpdateSafety.compareAssemblies('/nonexistent/cdk.out', empty)).toThrow(/\/nonexistent\/cdk.out does not exist/);
    fs.writeFileSync(path.join(empty, 'manifest.json'), '{ not json');
    expect(() => UpdateSafety.compareAssemblies(empty, empty)).toThrow(new RegExp(`${empty}/manifest.json is not valid JSON`));
  });
});
