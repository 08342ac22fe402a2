import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { ExposureChecks } from '../src';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const ids = (template: any) => new ExposureChecks().checkTemplate(template).map((f) => `${f.ruleId} ${f.resourceLogicalId}`).sort();

test('the seed Fargate + ALB template is flagged with the exact rule ids', () => {
  expect(ids(fixture('seed-fargate-alb.json'))).toEqual([
    'Portcullis-ECS1 Service', // no circuit breaker
    'Portcullis-LOG1 LogGroup', // never-expiring logs
    'Portcullis-SG1 PublicLoadBalancerSG', // all protocols from 0.0.0.0/0
    'Portcullis-SG2 PublicLoadBalancerSG', // open beyond the listener port
    'Portcullis-SG3 ServiceSecurityGroup', // all protocols from the ALB group, not just the container port
  ]);
});

test('the seed API Gateway pattern is flagged for public tasks, a public VPC link and never-expiring logs', () => {
  expect(ids(fixture('seed-apigw-fargate.json'))).toEqual([
    'Portcullis-API2 VpcLink',
    'Portcullis-ECS1 Service',
    'Portcullis-LOG1 ApiAccessLogs',
    'Portcullis-LOG1 LogGroup',
    'Portcullis-SG3 ServiceSecurityGroup',
    'Portcullis-TASK1 Service',
    'Portcullis-TASK2 Service',
  ]);
});

test('aws-ecs-patterns ApplicationLoadBalancedFargateService with defaults is flagged for logs and circuit breaker', () => {
  const stack = new Stack(new App(), 'Patterns');
  new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:latest') },
  });
  const rules = new ExposureChecks().checkStack(stack).map((f) => f.ruleId);
  expect(rules).toContain('Portcullis-LOG1');
  expect(rules).toContain('Portcullis-ECS1');
  expect(rules).not.toContain('Portcullis-TASK1');
});

test.each([
  ['a private route table with a default route to the IGW', (t: any) => {
    t.Resources.PrivateRouteTable = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } };
    t.Resources.PrivateRoute = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'PrivateRouteTable' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } };
    t.Resources.PrivateRta = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'PrivateSubnetOne' }, RouteTableId: { Ref: 'PrivateRouteTable' } } };
  }, ['Portcullis-RT1 PrivateRouteTable', 'Portcullis-TASK2 Service']],
  ['a launch template without IMDSv2 and with an unencrypted volume', (t: any) => {
    t.Resources.Lt = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50 } }] } } };
  }, ['Portcullis-LT1 Lt', 'Portcullis-LT2 Lt']],
  ['an HTTP API stage without access logs', (t: any) => {
    t.Resources.Api = { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } };
    t.Resources.Stage = { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default' } };
  }, ['Portcullis-API1 Stage']],
  ['a task group open to a CIDR', (t: any) => {
    t.Resources.ServiceSecurityGroup.Properties.SecurityGroupIngress = [{ CidrIp: '10.0.0.0/8', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }];
  }, []],
])('%s', (_name, mutate, expected) => {
  const base = fixture('seed-fargate-alb.json');
  const before = new Set(ids(base));
  mutate(base);
  const added = ids(base).filter((x) => !before.has(x));
  if (expected.length === 0) {
    // the CIDR rule lands on a group that was already flagged: check the group is still flagged for the CIDR alone
    base.Resources.ServiceIngressfromLoadBalancer.Properties.IpProtocol = 'tcp';
    base.Resources.ServiceIngressfromLoadBalancer.Properties.FromPort = 80;
    base.Resources.ServiceIngressfromLoadBalancer.Properties.ToPort = 80;
    expect(ids(base)).toContain('Portcullis-SG3 ServiceSecurityGroup');
    delete base.Resources.ServiceSecurityGroup.Properties.SecurityGroupIngress;
    expect(ids(base)).not.toContain('Portcullis-SG3 ServiceSecurityGroup');
  } else {
    expect(added).toEqual(expected);
  }
});

test('a compliant template has no finding (least-privilege groups, private tasks, retention, circuit breaker)', () => {
  const t = fixture('seed-fargate-alb.json');
  t.Resources.PublicLoadBalancerSG.Properties.SecurityGroupIngress = [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }];
  Object.assign(t.Resources.ServiceIngressfromLoadBalancer.Properties, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80 });
  t.Resources.LogGroup.Properties = { RetentionInDays: 30 };
  t.Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker = { Enable: true, Rollback: true };
  expect(ids(t)).toEqual([]);
});

describe('acknowledgements', () => {
  test('in template metadata, with a reason: reported as acknowledged', () => {
    const t = fixture('seed-fargate-alb.json');
    t.Resources.LogGroup.Metadata = { portcullis: { acknowledge: [{ id: 'Portcullis-LOG1', reason: 'audit log kept forever by policy' }] } };
    const log = new ExposureChecks().checkTemplate(t).find((f) => f.ruleId === 'Portcullis-LOG1')!;
    expect(log.acknowledged).toBe(true);
    expect(log.reason).toBe('audit log kept forever by policy');
  });

  test('without a reason: an error that names the rule and the fix', () => {
    const t = fixture('seed-fargate-alb.json');
    t.Resources.LogGroup.Metadata = { portcullis: { acknowledge: [{ id: 'Portcullis-LOG1' }] } };
    expect(() => new ExposureChecks().checkTemplate(t)).toThrow(/'LogGroup' acknowledges Portcullis-LOG1 without a reason/);
  });

  test('the cdk-nag 3 way: Validations.of(construct).acknowledge on the narrowest construct', () => {
    const app = new App();
    const stack = new Stack(app, 'Acked');
    const group = new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    Validations.of(group).acknowledge({ id: 'portcullis-exposure::Portcullis-LOG1', reason: 'audit trail kept forever by policy' });
    Validations.of(app).addPlugins(new ExposureChecks());
    expect(() => app.synth()).not.toThrow();
  });
});

test('validateScope, the cdk-nag 3 way: a report of every stack, without the acknowledged findings', () => {
  const app = new App();
  const stack = new Stack(app, 'Scoped');
  new logs.LogGroup(stack, 'Kept', { retention: logs.RetentionDays.INFINITE });
  const acked = new logs.LogGroup(stack, 'Acked', { retention: logs.RetentionDays.INFINITE });
  Validations.of(acked).acknowledge({ id: 'portcullis-exposure::Portcullis-LOG1', reason: 'audit trail kept forever by policy' });
  const report = new ExposureChecks().validateScope(stack);
  expect(report.success).toBe(false);
  expect(report.violations.map((v) => v.ruleName)).toEqual(['Portcullis-LOG1']);
  expect(report.violations[0].violatingResources.map((r) => r.resourceLogicalId)).toEqual([expect.stringMatching(/^Kept/)]);
  expect(new ExposureChecks().validateScope(new Stack(new App(), 'Empty')).success).toBe(true);
});

describe('as a CDK policy-validation plugin', () => {
  test('a finding fails the synth, naming the rule, the resource and the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'Audited');
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    Validations.of(app).addPlugins(new ExposureChecks());
    expect(() => app.synth()).toThrow(/A log group has no retention[\s\S]*Audited\/Logs[\s\S]*Suggested fix: Set RetentionInDays[\s\S]*portcullis-exposure::Portcullis-LOG1/);
  });

  test('CfnInclude: an included seed template is judged like any other', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
    const file = path.join(dir, 'seed.json');
    fs.writeFileSync(file, JSON.stringify(fixture('seed-fargate-alb.json')));
    const app = new App();
    const stack = new Stack(app, 'Included');
    new cfninc.CfnInclude(stack, 'Seed', { templateFile: file });
    Validations.of(app).addPlugins(new ExposureChecks());
    expect(() => app.synth()).toThrow(/Portcullis-SG1[\s\S]*Portcullis-SG2|Portcullis-SG2[\s\S]*Portcullis-SG1/);
  });

  test('a stack that follows the rules synthesizes', () => {
    const app = new App();
    const stack = new Stack(app, 'Clean');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
      cluster,
      circuitBreaker: { rollback: true },
      taskImageOptions: {
        image: ecs.ContainerImage.fromRegistry('nginx'),
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logRetention: logs.RetentionDays.ONE_MONTH }),
      },
    });
    Validations.of(app).addPlugins(new ExposureChecks());
    expect(new ExposureChecks().checkStack(stack)).toEqual([]);
  });

  test('rules() lists every rule with a one-line explanation and a fix', () => {
    const rules = ExposureChecks.rules();
    expect(rules.map((r) => r.id)).toEqual([
      'Portcullis-TASK1', 'Portcullis-TASK2', 'Portcullis-SG1', 'Portcullis-SG2', 'Portcullis-SG3', 'Portcullis-RT1',
      'Portcullis-LOG1', 'Portcullis-ECS1', 'Portcullis-LT1', 'Portcullis-LT2', 'Portcullis-API1', 'Portcullis-API2',
    ]);
    for (const r of rules) {
      expect(r.description).not.toContain('\n');
      expect(r.fix.length).toBeGreaterThan(10);
    }
    expect(new ExposureChecks().ruleIds).toEqual(rules.map((r) => r.id));
  });
});
