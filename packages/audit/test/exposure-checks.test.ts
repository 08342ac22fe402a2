import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, PolicyValidationPluginReport, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import * as fc from 'fast-check';
import { CostEstimator, ExposureChecks } from '../src';

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
  expect(rules).toContain('Portcullis-ECS2'); // behind its ALB without deployment alarms
  expect(rules).not.toContain('Portcullis-TASK1');
});

describe('Portcullis-ECS2: an ECS service behind a load balancer without deployment alarms with rollback', () => {
  const ifProd = (a: any, b: any) => ({ 'Fn::If': ['IsProd', a, b] });
  /** The seed Fargate + ALB template, with its service registered in a target group and a circuit breaker (ECS1 passes). */
  function behindAlb(alarms?: unknown, more: (service: any) => void = () => {}) {
    const t = fixture('seed-fargate-alb.json');
    t.Resources.TargetGroup = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'ip', VpcId: { Ref: 'Vpc' } } };
    t.Resources.Errors = { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'HTTPCode_Target_5XX_Count', Namespace: 'AWS/ApplicationELB', Threshold: 1, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold' } };
    const service = t.Resources.Service.Properties;
    service.LoadBalancers = [{ ContainerName: 'app', ContainerPort: 80, TargetGroupArn: { Ref: 'TargetGroup' } }];
    service.DeploymentConfiguration = { MaximumPercent: 200, MinimumHealthyPercent: 75, DeploymentCircuitBreaker: { Enable: true, Rollback: true } };
    if (alarms !== undefined) service.DeploymentConfiguration.Alarms = alarms;
    more(service);
    return new ExposureChecks().checkTemplate(t).filter((f) => f.ruleId === 'Portcullis-ECS2')
      .map((f) => `${f.resourceLogicalId}${f.cannotEvaluate ? `: ${f.cannotEvaluate}` : ''}`);
  }

  test.each<[string, unknown]>([
    ['no Alarms at all', undefined],
    ['aws-cdk-lib\'s default: disabled, no names', { AlarmNames: [], Enable: false, Rollback: false }],
    ['enabled without rollback', { AlarmNames: [{ Ref: 'Errors' }], Enable: true, Rollback: false }],
    ['rollback but not enabled', { AlarmNames: [{ Ref: 'Errors' }], Enable: false, Rollback: true }],
    ['enabled, rollback, but no alarm names', { AlarmNames: [], Enable: true, Rollback: true }],
    ['enabled and rollback as strings "false"', { AlarmNames: ['errors'], Enable: 'false', Rollback: 'true' }],
  ])('flagged: %s', (_, alarms) => {
    expect(behindAlb(alarms)).toEqual(['Service']);
  });

  test.each<[string, unknown, (service: any) => void]>([
    ['alarms enabled with rollback, names Refs to alarms of the template', { AlarmNames: [{ Ref: 'Errors' }], Enable: true, Rollback: true }, () => {}],
    ['alarm names as literals, booleans as strings', { AlarmNames: ['api-5xx'], Enable: 'true', Rollback: 'true' }, () => {}],
    ['no load balancer (e.g. behind API Gateway: ECS1 covers it)', undefined, (s) => { delete s.LoadBalancers; }],
    ['an empty LoadBalancers list', undefined, (s) => { s.LoadBalancers = []; }],
    ['the CodeDeploy controller (its own alarms)', undefined, (s) => { s.DeploymentController = { Type: 'CODE_DEPLOY' }; }],
  ])('not flagged: %s', (_, alarms, more) => {
    expect(behindAlb(alarms, more)).toEqual([]);
  });

  test.each<[string, unknown, (service: any) => void, string]>([
    ['Alarms is Fn::If', ifProd({ AlarmNames: ['a'], Enable: true, Rollback: true }, { Ref: 'AWS::NoValue' }), () => {}, 'cannot evaluate DeploymentConfiguration.Alarms of Service: intrinsic Fn::If'],
    ['Enable is a Ref to a parameter without a default', { AlarmNames: ['a'], Enable: { Ref: 'On' }, Rollback: true }, () => {}, 'cannot evaluate DeploymentConfiguration.Alarms.Enable of Service: Ref to On'],
    ['AlarmNames is Fn::Split', { AlarmNames: { 'Fn::Split': [',', 'a,b'] }, Enable: true, Rollback: true }, () => {}, 'cannot evaluate DeploymentConfiguration.Alarms.AlarmNames of Service: intrinsic Fn::Split'],
    ['LoadBalancers is Fn::If', { AlarmNames: [], Enable: false, Rollback: false }, (s) => { s.LoadBalancers = ifProd(s.LoadBalancers, []); }, 'cannot evaluate LoadBalancers of Service: intrinsic Fn::If'],
    ['the deployment controller is Fn::If', undefined, (s) => { s.DeploymentController = ifProd({ Type: 'ECS' }, { Type: 'CODE_DEPLOY' }); }, 'cannot evaluate DeploymentController of Service: intrinsic Fn::If'],
  ])('fails closed: %s', (_, alarms, more, why) => {
    const [hit] = behindAlb(alarms, more);
    expect(hit).toMatch(new RegExp(`^Service: ${why.replace(/[.()]/g, '\\$&')}`));
  });
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
    const api = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
      cluster,
      circuitBreaker: { rollback: true },
      taskImageOptions: {
        image: ecs.ContainerImage.fromRegistry('nginx'),
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'api', logRetention: logs.RetentionDays.ONE_MONTH }),
      },
    });
    // a rollback alarm on the target group's 5xx (Portcullis-ECS2)
    const errors = api.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT).createAlarm(stack, 'Errors', { threshold: 5, evaluationPeriods: 2 });
    (api.service.node.defaultChild as ecs.CfnService).addPropertyOverride('DeploymentConfiguration.Alarms', { AlarmNames: [errors.alarmName], Enable: true, Rollback: true });
    Validations.of(app).addPlugins(new ExposureChecks());
    expect(new ExposureChecks().checkStack(stack)).toEqual([]);
    const assembly = app.synth(); // the plugin runs here and would throw on a finding
    expect(assembly.getStackByName('Clean').template.Resources).toBeTruthy();
    expect(Object.keys(assembly.getStackByName('Clean').template.Resources).length).toBeGreaterThan(20);
  });

  test('rules() lists every rule with a one-line explanation and a fix', () => {
    const rules = ExposureChecks.rules();
    expect(rules.map((r) => r.id)).toEqual([
      'Portcullis-TASK1', 'Portcullis-TASK2', 'Portcullis-SG1', 'Portcullis-SG2', 'Portcullis-SG3', 'Portcullis-RT1',
      'Portcullis-LOG1', 'Portcullis-ECS1', 'Portcullis-ECS2', 'Portcullis-LT1', 'Portcullis-LT2', 'Portcullis-API1', 'Portcullis-API2', 'Portcullis-ALARM1',
    ]);
    for (const r of rules) {
      expect(r.description).not.toContain('\n');
      expect(r.fix.length).toBeGreaterThan(10);
    }
    expect(new ExposureChecks().ruleIds).toEqual(rules.map((r) => r.id));
  });
});

describe('fails closed: intrinsics, conditions and nulls', () => {
  const IF = (a: any, b: any) => ({ 'Fn::If': ['IsProd', a, b] });
  const checked = (template: any) => {
    template.Conditions = { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } };
    return new ExposureChecks().checkTemplate(template);
  };
  const cannot = (template: any) => checked(template).filter((f) => f.cannotEvaluate).map((f) => `${f.ruleId} ${f.resourceLogicalId}: ${f.cannotEvaluate}`).sort();

  // For each rule, a value where a list or a literal is expected is an intrinsic: the rule says it cannot tell.
  test.each<[string, (t: any) => void, string[]]>([
    ['TASK1: AssignPublicIp is Fn::If', (t) => { t.Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = IF('ENABLED', 'DISABLED'); },
      ['Portcullis-TASK1 Service: cannot evaluate NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp of Service: intrinsic Fn::If']],
    ['TASK2 + SG3: Subnets and SecurityGroups are Fn::If', (t) => {
      const cfg = t.Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration;
      cfg.Subnets = IF([{ Ref: 'PublicSubnetOne' }], [{ Ref: 'PrivateSubnetOne' }]);
      cfg.SecurityGroups = IF([{ Ref: 'ServiceSecurityGroup' }], []);
    }, [
      'Portcullis-SG3 Service: cannot evaluate NetworkConfiguration.AwsvpcConfiguration.SecurityGroups of Service: intrinsic Fn::If',
      'Portcullis-TASK2 Service: cannot evaluate NetworkConfiguration.AwsvpcConfiguration.Subnets of Service: intrinsic Fn::If',
    ]],
    ['TASK2: a subnet list from Fn::Split of a parameter', (t) => {
      t.Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets = { 'Fn::Split': [',', { Ref: 'Subnets' }] };
    }, ['Portcullis-TASK2 Service: cannot evaluate NetworkConfiguration.AwsvpcConfiguration.Subnets of Service: intrinsic Fn::Split']],
    ['SG1: inline ingress is Fn::If, another group has a null rule', (t) => {
      t.Resources.PublicLoadBalancerSG.Properties.SecurityGroupIngress = IF([{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }], []);
      t.Resources.Other = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'o', SecurityGroupIngress: [null] } };
    }, [
      'Portcullis-SG1 Other: cannot evaluate SecurityGroupIngress[0] of Other: null',
      'Portcullis-SG1 PublicLoadBalancerSG: cannot evaluate SecurityGroupIngress of PublicLoadBalancerSG: intrinsic Fn::If',
      'Portcullis-SG2 PublicLoadBalancerSG: cannot evaluate SecurityGroupIngress of PublicLoadBalancerSG: intrinsic Fn::If',
    ]],
    ['SG1: an all-protocol rule whose CIDR is a Ref to a parameter without a default', (t) => {
      t.Parameters = { Cidr: { Type: 'String' } };
      t.Resources.Other = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'o', SecurityGroupIngress: [{ IpProtocol: -1, CidrIp: { Ref: 'Cidr' } }] } };
    }, ['Portcullis-SG1 Other: cannot evaluate SecurityGroupIngress[0].CidrIp of Other: Ref to Cidr (a parameter without a default)']],
    ['SG2: a listener port and the load balancer groups are intrinsics', (t) => {
      t.Resources.PublicLoadBalancerSG.Properties.SecurityGroupIngress = [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }];
      t.Resources.PublicLoadBalancerListener.Properties.Port = IF(80, 8080);
    }, ['Portcullis-SG2 PublicLoadBalancerSG: cannot evaluate Port of listener PublicLoadBalancerListener of PublicLoadBalancerSG: intrinsic Fn::If']],
    ['SG2: the load balancer security groups are Fn::Select', (t) => {
      t.Resources.PublicLoadBalancer.Properties.SecurityGroups = { 'Fn::Select': [0, [[{ Ref: 'PublicLoadBalancerSG' }]]] };
    }, ['Portcullis-SG2 PublicLoadBalancer: cannot evaluate SecurityGroups of PublicLoadBalancer: intrinsic Fn::Select']],
    ['LOG1: RetentionInDays is Fn::If', (t) => { t.Resources.LogGroup.Properties = { RetentionInDays: IF(30, { Ref: 'AWS::NoValue' }) }; },
      ['Portcullis-LOG1 LogGroup: cannot evaluate RetentionInDays of LogGroup: intrinsic Fn::If']],
    ['ECS1: the circuit breaker is Fn::If', (t) => { t.Resources.Service.Properties.DeploymentConfiguration.DeploymentCircuitBreaker = IF({ Enable: true, Rollback: true }, { Ref: 'AWS::NoValue' }); },
      ['Portcullis-ECS1 Service: cannot evaluate DeploymentConfiguration.DeploymentCircuitBreaker of Service: intrinsic Fn::If']],
    ['LT1 + LT2: MetadataOptions and BlockDeviceMappings are Fn::If', (t) => {
      t.Resources.Lt = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: IF({ HttpTokens: 'required' }, {}), BlockDeviceMappings: IF([], []) } } };
    }, [
      'Portcullis-LT1 Lt: cannot evaluate LaunchTemplateData.MetadataOptions of Lt: intrinsic Fn::If',
      'Portcullis-LT2 Lt: cannot evaluate LaunchTemplateData.BlockDeviceMappings of Lt: intrinsic Fn::If',
    ]],
    ['LT2: Encrypted is a Ref to a parameter without a default', (t) => {
      t.Parameters = { Enc: { Type: 'String' } };
      t.Resources.Lt = { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' }, BlockDeviceMappings: [{ Ebs: { Encrypted: { Ref: 'Enc' } } }] } } };
    }, ['Portcullis-LT2 Lt: cannot evaluate LaunchTemplateData.BlockDeviceMappings[0].Ebs.Encrypted of Lt: Ref to Enc (a parameter without a default)']],
    ['API1: AccessLogSettings is Fn::If', (t) => {
      t.Resources.Api = { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } };
      t.Resources.Stage = { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, AccessLogSettings: IF({ DestinationArn: 'arn:x', Format: '$context.requestId' }, { Ref: 'AWS::NoValue' }) } };
    }, ['Portcullis-API1 Stage: cannot evaluate AccessLogSettings of Stage: intrinsic Fn::If']],
    ['API2: SubnetIds is Fn::If; RT1: the subnet tags are Fn::If', (t) => {
      t.Resources.VpcLink = { Type: 'AWS::ApiGatewayV2::VpcLink', Properties: { Name: 'l', SubnetIds: IF([{ Ref: 'PublicSubnetOne' }], []) } };
      t.Resources.PublicSubnetOne.Properties.Tags = IF([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }], []);
    }, [
      'Portcullis-API2 VpcLink: cannot evaluate SubnetIds of VpcLink: intrinsic Fn::If',
      'Portcullis-RT1 PublicRouteTable: cannot evaluate Tags of subnet PublicSubnetOne of PublicRouteTable: intrinsic Fn::If',
    ]],
  ])('%s: reported as cannot evaluate, not passed', (_name, mutate, expected) => {
    const t = fixture('seed-fargate-alb.json');
    mutate(t);
    expect(cannot(t)).toEqual(expected);
  });

  test('null resources, Properties and properties do not crash the rules or the estimate', () => {
    const t = fixture('seed-fargate-alb.json');
    t.Resources.Nothing = null;
    t.Resources.NoProps = { Type: 'AWS::ECS::Service', Properties: null };
    t.Resources.Service.Properties.NetworkConfiguration = null;
    t.Resources.TaskDefinition.Properties.ContainerDefinitions = null;
    t.Resources.LogGroup.Properties = { RetentionInDays: null };
    const findings = checked(t);
    expect(findings.find((f) => f.ruleId === 'Portcullis-LOG1')?.cannotEvaluate).toBe('cannot evaluate RetentionInDays of LogGroup: null');
    expect(findings.find((f) => f.ruleId === 'Portcullis-TASK1' && f.resourceLogicalId === 'Service')?.cannotEvaluate)
      .toBe('cannot evaluate NetworkConfiguration of Service: null');
    expect(() => CostEstimator.estimateTemplate(t)).not.toThrow();
  });

  test('a valid neighbour: the same rules on literal values still judge them (no cannot-evaluate)', () => {
    const t = fixture('seed-fargate-alb.json');
    t.Parameters = { Retention: { Type: 'Number', Default: 30 } };
    t.Resources.LogGroup.Properties = { RetentionInDays: { Ref: 'Retention' } };
    t.Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = { Ref: 'AWS::NoValue' };
    expect(cannot(t)).toEqual([]);
    expect(ids(t)).not.toContain('Portcullis-LOG1 LogGroup');
  });

  test('property: any value (intrinsic, null, wrong type) at any property of the seed templates never crashes the rules or the estimate', () => {
    const junk = fc.oneof(
      fc.constant(null), fc.string(), fc.integer(), fc.boolean(), fc.constant([]), fc.constant([null]), fc.constant({}),
      fc.constant({ 'Fn::If': ['C', [{ Ref: 'X' }], { Ref: 'AWS::NoValue' }] }), fc.constant({ 'Fn::Select': [0, { Ref: 'L' }] }),
      fc.constant({ Ref: 'Param' }), fc.constant({ 'Fn::GetAtt': ['Service', 'Name'] }), fc.constant({ Ref: 'AWS::NoValue' }),
      fc.constant('constructor'), fc.constant({ constructor: 1, __proto__: null }),
    );
    for (const name of ['seed-fargate-alb.json', 'seed-apigw-fargate.json']) {
      const base = fixture(name);
      const paths: string[][] = [];
      const walk = (v: any, p: string[]) => {
        paths.push(p);
        if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], [...p, k]);
      };
      walk(base, []);
      fc.assert(fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), junk, (where, value) => {
        const t = JSON.parse(JSON.stringify(base));
        let o = t;
        for (const k of where.slice(0, -1)) o = o[k];
        o[where[where.length - 1]] = value;
        // either judged, or refused with an error naming the argument (junk in place of a
        // template section: nothing checked is not "nothing found"); never a TypeError
        const refused = (f: () => unknown, subject: RegExp) => {
          try {
            f();
            return false;
          } catch (e) {
            expect((e as Error).message).toMatch(subject);
            return true;
          }
        };
        const a = refused(() => new ExposureChecks().checkTemplate(t), /^ExposureChecks\.checkTemplate: `template`/);
        const b = refused(() => CostEstimator.estimateTemplate(t), /^CostEstimator\.estimate: `template`/);
        expect(a).toBe(b);
        // only a top-level section may be refused; junk deeper in is judged, failing closed per resource
        if (a) expect(where.length).toBe(1);
      }), { numRuns: 400 });
    }
  });

  test.each<[string, unknown]>([['null', null], ['a list', []], ['unparsed JSON text', '{"Resources": {}}'], ['Resources that is a list', { Resources: [] }], ['a resource instead of a template', { Type: 'AWS::EC2::SecurityGroup' }]])(
    'checkTemplate and estimateTemplate refuse %s, naming the argument (it used to be "no finding" and $0)', (_name, bad) => {
      expect(() => new ExposureChecks().checkTemplate(bad)).toThrow(/^ExposureChecks\.checkTemplate: `template`( is not a CloudFormation template|: Resources must be an object)/);
      expect(() => CostEstimator.estimateTemplate(bad)).toThrow(/^CostEstimator\.estimate: `template`( is not a CloudFormation template|: Resources must be an object)/);
    });
});

describe('validateScope walks every stack under the scope', () => {
  function stagedApp() {
    const app = new App();
    new logs.LogGroup(new Stack(app, 'Top'), 'TopLogs', { retention: logs.RetentionDays.INFINITE });
    const prod = new Stage(app, 'Prod');
    const staged = new Stack(prod, 'Api');
    new logs.LogGroup(staged, 'StagedLogs', { retention: logs.RetentionDays.INFINITE });
    const nested = new NestedStack(staged, 'Inner');
    new logs.LogGroup(nested, 'NestedLogs', { retention: logs.RetentionDays.INFINITE });
    return { app, prod, staged };
  }
  const flagged = (report: PolicyValidationPluginReport) =>
    report.violations.flatMap((v) => v.violatingResources.map((r) => `${String(r.resourceLogicalId).replace(/[0-9A-F]{8}$/, '')} ${path.basename(String(r.templatePath))}`)).sort();

  test('on an App: top-level stacks, stacks inside a Stage and nested stacks', () => {
    const { app } = stagedApp();
    const report = new ExposureChecks().validateScope(app);
    expect(report.success).toBe(false);
    expect(flagged(report)).toEqual([
      expect.stringMatching(/^NestedLogs ProdApiInner\w*\.nested\.template\.json$/),
      expect.stringMatching(/^StagedLogs ProdApi\w*\.template\.json$/),
      'TopLogs Top.template.json',
    ]);
  });

  test('on a Stage: only the stacks under it', () => {
    const { prod } = stagedApp();
    expect(flagged(new ExposureChecks().validateScope(prod))).toEqual([
      expect.stringMatching(/^NestedLogs ProdApiInner\w*\.nested\.template\.json$/),
      expect.stringMatching(/^StagedLogs ProdApi\w*\.template\.json$/),
    ]);
  });
});
