import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AlbIngress, AlbIngressProps } from '../src';
import { PRODUCTION_RULE_TYPE } from '../src/private/production-rule';
import { LOAD_BALANCER_5XX_RATE } from '../src/private/traffic-shift';
import { alarmState, evaluate } from './metric-math';

const ENV = { account: '123456789012', region: 'us-east-1' };

function build(deployment: Deployment | undefined, props: Partial<AlbIngressProps> = {}, rollbackAlarms?: boolean) {
  const stack = new Stack(new App(), 'Test', { env: ENV });
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, deployment, rollbackAlarms });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service, ...props });
  return { stack, network, cluster, service, ingress, get template() { return Template.fromStack(stack); } };
}

/** The logical id of a construct's CloudFormation resource. */
const logicalId = (stack: Stack, construct: { node: any }) => stack.getLogicalId(construct.node.defaultChild);

function serviceOf(template: Template) {
  const services = Object.values<any>(template.findResources('AWS::ECS::Service'));
  expect(services).toHaveLength(1);
  return services[0].Properties;
}

test.each([
  ['canary', Deployment.canary(), 'CANARY', { CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 3 } }],
  ['linear', Deployment.linear(), 'LINEAR', { LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 2 } }],
  ['blue/green', Deployment.blueGreen(), 'BLUE_GREEN', {}],
])('%s: DeploymentConfiguration (strategy, steps, bake time, rollback alarms of the template) and AdvancedConfiguration (alternate target group, production rule, role)', (_, deployment, strategy, steps) => {
  const b = build(deployment);
  const t = b.template;
  const svc = serviceOf(t);
  const tg = logicalId(b.stack, b.ingress.targetGroupFor(b.service));
  const alternate = logicalId(b.stack, b.ingress.alternateTargetGroupFor(b.service)!);
  expect(alternate).not.toEqual(tg);
  expect(svc.DeploymentController).toEqual({ Type: 'ECS' });
  expect(svc.DeploymentConfiguration).toEqual({
    Strategy: strategy,
    BakeTimeInMinutes: 3,
    ...steps,
    MaximumPercent: 200,
    MinimumHealthyPercent: 75,
    DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    Alarms: { Enable: true, Rollback: true, AlarmNames: [{ Ref: expect.any(String) }, { Ref: expect.any(String) }, { Ref: expect.any(String) }] },
  });
  // the names are Refs to the three alarms of the template: one per target group, and the load balancer's
  const alarms = t.findResources('AWS::CloudWatch::Alarm');
  expect(svc.DeploymentConfiguration.Alarms.AlarmNames.map((n: any) => n.Ref).sort()).toEqual(Object.keys(alarms).sort());
  const watched = Object.values<any>(alarms).map((a) => JSON.stringify(a.Properties.Metrics));
  expect(watched.filter((m) => m.includes(tg) && !m.includes(alternate))).toHaveLength(1);
  expect(watched.filter((m) => m.includes(alternate))).toHaveLength(1);
  expect(watched.filter((m) => m.includes('HTTPCode_ELB_5XX_Count'))).toHaveLength(1);

  t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0); // CloudFormation never owns the weights
  const rules = t.findResources(PRODUCTION_RULE_TYPE);
  expect(Object.keys(rules)).toHaveLength(1);
  const [ruleId, rule] = Object.entries<any>(rules)[0];
  expect(svc.LoadBalancers).toEqual([{
    ContainerName: 'api',
    ContainerPort: 80,
    TargetGroupArn: { Ref: tg },
    AdvancedConfiguration: {
      AlternateTargetGroupArn: { Ref: alternate },
      ProductionListenerRule: { Ref: ruleId },
      RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^IngressEcsTrafficShiftRole/), 'Arn'] },
    },
  }]);
  // the production rule: a catch-all at the last priority on the serving listener, forwarding
  // to both groups; its handler writes 100/0 at creation only, then keeps ECS's weights
  expect(rule.Properties).toEqual({
    ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^CustomPortcullisProductionListenerRuleCustomResourceProviderHandler/), 'Arn'] },
    ListenerArn: { Ref: logicalId(b.stack, b.ingress.listener) },
    Priority: 50000,
    PathPatterns: ['/*'],
    TargetGroupArns: [{ Ref: tg }, { Ref: alternate }],
  });
  // the role ECS assumes, with the policy the ECS documentation prescribes
  t.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } }] },
    ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers']] }],
  });
  // the service waits for the rule and the listener
  const service = Object.values<any>(t.findResources('AWS::ECS::Service'))[0];
  expect(service.DependsOn).toEqual(expect.arrayContaining([ruleId]));
});

test('custom steps reach the template: canary 10 % / 5 min / 15 min, linear 25 % / 1 min / 0 min, blue/green 30 min', () => {
  expect(serviceOf(build(Deployment.canary({ percent: 10, stepBakeTime: Duration.minutes(5), bakeTime: Duration.minutes(15) })).template).DeploymentConfiguration)
    .toEqual(expect.objectContaining({ Strategy: 'CANARY', BakeTimeInMinutes: 15, CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 } }));
  expect(serviceOf(build(Deployment.linear({ percent: 25, stepBakeTime: Duration.minutes(1), bakeTime: Duration.minutes(0) })).template).DeploymentConfiguration)
    .toEqual(expect.objectContaining({ Strategy: 'LINEAR', BakeTimeInMinutes: 0, LinearConfiguration: { StepPercent: 25, StepBakeTimeInMinutes: 1 } }));
  expect(serviceOf(build(Deployment.blueGreen({ bakeTime: Duration.minutes(30) })).template).DeploymentConfiguration)
    .toEqual(expect.objectContaining({ Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 30 }));
});

test('rolling (the default): Strategy ROLLING written, the circuit breaker kept, the target group\'s and the load balancer\'s rollback alarms', () => {
  const b = build(undefined);
  const t = b.template;
  const svc = serviceOf(t);
  const tg = logicalId(b.stack, b.ingress.targetGroupFor(b.service));
  expect(b.ingress.alternateTargetGroupFor(b.service)).toBeUndefined();
  expect(svc.DeploymentConfiguration.Strategy).toEqual('ROLLING');
  expect(svc.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
  const alarms = t.findResources('AWS::CloudWatch::Alarm');
  expect(Object.keys(alarms)).toHaveLength(2);
  expect(svc.DeploymentConfiguration.Alarms.AlarmNames.map((n: any) => n.Ref).sort()).toEqual(Object.keys(alarms).sort());
  expect(svc.LoadBalancers).toEqual([{ ContainerName: 'api', ContainerPort: 80, TargetGroupArn: { Ref: tg } }]);
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  t.resourceCountIs(PRODUCTION_RULE_TYPE, 0);
  t.resourceCountIs('AWS::IAM::Role', 3); // task role, execution role, and no traffic-shift role
});

test('Deployment.rolling({ keepTrafficShiftResources: true }): Strategy ROLLING with the alternate group, the production rule, the role and AdvancedConfiguration kept', () => {
  const canary = build(Deployment.canary());
  const kept = build(Deployment.rolling({ keepTrafficShiftResources: true }));
  const svc = serviceOf(kept.template);
  expect(svc.DeploymentConfiguration.Strategy).toEqual('ROLLING');
  expect(svc.DeploymentConfiguration.CanaryConfiguration).toBeUndefined();
  expect(svc.LoadBalancers).toEqual(serviceOf(canary.template).LoadBalancers);
  // the rule, groups and role are the canary's, property for property: switching between them writes none of them
  for (const type of [PRODUCTION_RULE_TYPE, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::IAM::Role']) {
    expect(kept.template.findResources(type)).toEqual(canary.template.findResources(type));
  }
});

/** What every rollback alarm of the ingress shares: above 1 % in 2 of 3 periods, missing data not breaching. */
const ROLLBACK_ALARM_SHAPE = { ComparisonOperator: 'GreaterThanThreshold', Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' };

test('the rollback alarm: target 5xx over requests of the target group, above 1 % in 2 of 3 one-minute periods, missing data not breaching', () => {
  const b = build(undefined);
  const tg = b.ingress.targetGroupFor(b.service);
  const tgFullName = { 'Fn::GetAtt': [logicalId(b.stack, tg), 'TargetGroupFullName'] };
  const dimensions = [{ Name: 'LoadBalancer', Value: Match.anyValue() }, { Name: 'TargetGroup', Value: tgFullName }];
  b.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    ...ROLLBACK_ALARM_SHAPE,
    AlarmDescription: Match.stringLikeRegexp('Rollback alarm of the ECS service Test/Api'),
    Metrics: Match.arrayWith([
      Match.objectLike({ Expression: '100 * FILL(errors, 0) / requests', Label: 'Target 5xx rate (%)', ReturnData: true }),
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: Match.arrayEquals(dimensions) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: Match.arrayEquals(dimensions) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
    ]),
  });
  expect(b.ingress.rollbackAlarmsFor(b.service)).toHaveLength(2); // with the load balancer's, added at synth
  expect(b.service.attachedRollbackAlarms).toEqual(b.ingress.rollbackAlarmsFor(b.service));
});

test('a single-service ingress: the load balancer\'s own 5xx rate (ELB 502/503/504 over all requests) rolls deployments back, on the LoadBalancer dimension', () => {
  const b = build(Deployment.canary());
  const lb = { 'Fn::GetAtt': [logicalId(b.stack, b.ingress.loadBalancer), 'LoadBalancerFullName'] };
  const dimensions = [{ Name: 'LoadBalancer', Value: lb }];
  b.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    ...ROLLBACK_ALARM_SHAPE,
    AlarmDescription: Match.stringLikeRegexp('5xx responses of the load balancer itself'),
    Metrics: [
      Match.objectLike({ Expression: LOAD_BALANCER_5XX_RATE, Label: 'Load balancer 5xx rate (%)', ReturnData: true }),
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_ELB_5XX_Count', Dimensions: dimensions }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: dimensions }, Period: 60, Stat: 'Sum' }, ReturnData: false },
    ],
  });
  const svc = serviceOf(b.template);
  expect(svc.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(3); // two target groups and the load balancer
  expect(b.ingress.rollbackAlarmsFor(b.service)).toHaveLength(3);
});

test('an ingress with several services has no load-balancer rollback alarm (it would roll one service back for another\'s errors)', () => {
  const b = build(Deployment.canary());
  b.ingress.addService(new ApiService(b.stack, 'Orders', { cluster: b.cluster }), { priority: 10, pathPatterns: ['/orders/*'] });
  const alarms = Object.values<any>(b.template.findResources('AWS::CloudWatch::Alarm'));
  expect(alarms.filter((a) => JSON.stringify(a).includes('HTTPCode_ELB_5XX_Count'))).toEqual([]);
  expect(alarms).toHaveLength(3); // canary: two target groups; orders (rolling): one
});

test('rollbackAlarms: false: no alarm, ECS deployment alarms stay off (and a warning with a traffic-shifting strategy)', () => {
  const b = build(Deployment.canary(), {}, false);
  b.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  expect(serviceOf(b.template).DeploymentConfiguration.Alarms).toEqual({ AlarmNames: [], Enable: false, Rollback: false });
  expect(b.ingress.rollbackAlarmsFor(b.service)).toEqual([]);
  Annotations.fromStack(b.stack).hasWarning('/Test/Api', Match.stringLikeRegexp('`rollbackAlarms: false` with `deployment` Deployment.canary\\(\\)'));
});

test('addService with a linear service: its own production rule (a custom resource), alternate target group, alarms; the rolling default service is unchanged', () => {
  const b = build(undefined);
  const orders = new ApiService(b.stack, 'Orders', { cluster: b.cluster, containerPort: 8080, deployment: Deployment.linear() });
  const tg = b.ingress.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
  expect(b.ingress.targetGroupFor(orders)).toBe(tg);
  const alternate = b.ingress.alternateTargetGroupFor(orders)!;
  const t = b.template;
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  const rules = Object.entries<any>(t.findResources(PRODUCTION_RULE_TYPE));
  expect(rules).toHaveLength(1);
  const [ruleId, rule] = rules[0];
  expect(rule.Properties.Priority).toBe(10);
  expect(rule.Properties.PathPatterns).toEqual(['/orders/*']);
  expect(rule.Properties.TargetGroupArns).toEqual([{ Ref: logicalId(b.stack, tg) }, { Ref: logicalId(b.stack, alternate) }]);
  const services = Object.values<any>(t.findResources('AWS::ECS::Service')).map((s) => s.Properties);
  const linear = services.find((s) => s.DeploymentConfiguration.Strategy === 'LINEAR');
  expect(linear.LoadBalancers[0].AdvancedConfiguration).toEqual(expect.objectContaining({
    AlternateTargetGroupArn: { Ref: logicalId(b.stack, alternate) }, ProductionListenerRule: { Ref: ruleId },
  }));
  expect(linear.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(2);
  t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 3);
});

describe('test listener', () => {
  test('testListenerPort: a listener on it, a test rule per traffic-shifting service in AdvancedConfiguration, closed without testListenerCidrs', () => {
    const b = build(Deployment.blueGreen(), { testListenerPort: 8080 });
    const t = b.template;
    expect(b.ingress.testListener).toBeDefined();
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 8080, Protocol: 'HTTP' });
    const rules = Object.entries<any>(t.findResources(PRODUCTION_RULE_TYPE));
    expect(rules).toHaveLength(2);
    const testRule = rules.find(([, r]) => JSON.stringify(r.Properties.ListenerArn).includes('TestListener'))!;
    expect(testRule).toBeDefined();
    expect(serviceOf(t).LoadBalancers[0].AdvancedConfiguration.TestListenerRule).toEqual({ Ref: testRule[0] });
    const ingressRules = JSON.stringify(Object.values<any>(t.findResources('AWS::EC2::SecurityGroup')).map((g) => g.Properties.SecurityGroupIngress ?? []));
    expect(ingressRules).not.toContain('8080');
  });

  test('testListenerCidrs open the test port to those ranges only; HTTPS like the production listener', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const network = new Network(stack, 'Network');
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const service = new ApiService(stack, 'Api', { cluster, deployment: Deployment.canary() });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    new AlbIngress(stack, 'Ingress', { network, service, certificate, testListenerPort: 8443, testListenerCidrs: ['203.0.113.0/24'] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 8443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: Match.anyValue() }] });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([{ CidrIp: '203.0.113.0/24', Description: 'Test listener 8443 from 203.0.113.0/24', FromPort: 8443, IpProtocol: 'tcp', ToPort: 8443 }]),
    });
    const ingress = Object.values<any>(t.findResources('AWS::EC2::SecurityGroup')).flatMap((g) => g.Properties.SecurityGroupIngress ?? []);
    expect(ingress.filter((r: any) => r.FromPort === 8443)).toHaveLength(1);
  });
});

describe('bad input', () => {
  test.each([
    [{ testListenerPort: 80 }, /`testListenerPort` 80 is the port of a production listener \(80, 443\): test traffic needs its own port; use another one, e\.g\. 8080/],
    [{ testListenerPort: 443 }, /`testListenerPort` 443 is the port of a production listener/],
    [{ testListenerPort: 0 }, /`testListenerPort` must be a whole number from 1 to 65535, got 0/],
    [{ testListenerPort: 70000 }, /`testListenerPort` must be a whole number from 1 to 65535, got 70000/],
    [{ testListenerPort: 8080.5 }, /`testListenerPort` must be a whole number from 1 to 65535, got 8080.5/],
    [{ testListenerCidrs: ['10.0.0.0/8'] }, /`testListenerCidrs` was given without `testListenerPort`/],
    [{ testListenerPort: 8080, testListenerCidrs: ['10.0.0.1/8'] }, /`testListenerCidrs\[0\]`/],
    [{ testListenerPort: 8080, testListenerCidrs: [] }, /`testListenerCidrs` is empty/],
  ])('%j', (props, message) => {
    expect(() => build(Deployment.canary(), props)).toThrow(message);
  });

  test('priority 50000 is taken by the catch-all rule of a traffic-shifting default service', () => {
    const b = build(Deployment.canary());
    const orders = new ApiService(b.stack, 'Orders', { cluster: b.cluster });
    expect(() => b.ingress.addService(orders, { priority: 50000, pathPatterns: ['/o'] })).toThrow(/`priority` 50000 is already used/);
  });

  test('targetGroupFor / alternateTargetGroupFor / rollbackAlarmsFor of a service not attached: an error naming it', () => {
    const b = build(undefined);
    const other = new ApiService(b.stack, 'Other', { cluster: b.cluster });
    for (const call of [() => b.ingress.targetGroupFor(other), () => b.ingress.alternateTargetGroupFor(other), () => b.ingress.rollbackAlarmsFor(other)]) {
      expect(call).toThrow(/`service` 'Test\/Other' is not attached to the AlbIngress 'Test\/Ingress': pass it as the ingress's `service` or with `addService` first/);
    }
  });
});

test('cdk-nag AwsSolutions with a canary service: the ECS traffic-shift role\'s managed policy is acknowledged with its reason, nothing else new', () => {
  const b = build(Deployment.canary(), { testListenerPort: 8080 });
  const findings = new AwsSolutionsChecks().validateScope(b.stack).violations.map((v) => v.ruleName).sort();
  expect(findings).toEqual([
    'AwsSolutions-EC23',
    'AwsSolutions-ELB2',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
  ]);
  Validations.of(b.ingress.securityGroup).acknowledge({ id: 'AwsSolutions-EC23', reason: 'A public API' });
  Validations.of(b.ingress.loadBalancer).acknowledge({ id: 'AwsSolutions-ELB2', reason: 'Access logs one prop away' });
  Validations.of(b.cluster.executionRole).acknowledge({ id: findings[2], reason: 'The seed\'s execution policy, maintained by AWS' });
  expect(new AwsSolutionsChecks().validateScope(b.stack).violations).toEqual([]);
});

test('cdk-nag NIST 800-53 R5 (the apps run it): the rollback alarms, alternate target group, rules and role add no finding', () => {
  const nist = (b: ReturnType<typeof build>) => new NIST80053R5Checks().validateScope(b.stack).violations.map((v) => v.ruleName).sort();
  const plain = nist(build(undefined, {}, false));
  expect(nist(build(Deployment.canary()))).toEqual(plain);
  expect(nist(build(undefined))).toEqual(plain); // rolling, with its alarm
});

describe('an outage of load-balancer 503s (a production rule forwarding to a group without tasks)', () => {
  // Three minutes of 100 requests a minute answered with 503 by the load balancer: no target
  // was chosen, so RequestCount (requests sent to targets) and the target 5xx count have no
  // datapoints, and HTTPCode_ELB_5XX_Count is 100 a minute.
  const outage: Array<Record<string, number | undefined>> = Array.from({ length: 3 }, () => ({ errors: 100, requests: undefined }));
  const alarmOf = (b: ReturnType<typeof build>, metric: string) => {
    const alarm = Object.values<any>(b.template.findResources('AWS::CloudWatch::Alarm')).find((a) => JSON.stringify(a).includes(metric))!.Properties;
    const expression = alarm.Metrics.find((m: any) => m.Expression).Expression;
    const config = { threshold: alarm.Threshold, evaluationPeriods: alarm.EvaluationPeriods, datapointsToAlarm: alarm.DatapointsToAlarm };
    return (series: Array<Record<string, number | undefined>>) => alarmState(series.map((point) => evaluate(expression, point)), config);
  };

  test('puts the load balancer\'s rollback alarm into ALARM (its metric math over the series), where the target 5xx alarms stay OK', () => {
    const b = build(Deployment.canary());
    expect(alarmOf(b, 'HTTPCode_ELB_5XX_Count')(outage)).toEqual('ALARM');
    expect(alarmOf(b, 'HTTPCode_Target_5XX_Count')(outage.map(() => ({ errors: undefined, requests: undefined })))).toEqual('OK');
  });

  test('and is quiet when the load balancer answers nothing itself, or almost nothing (1 of 1000)', () => {
    const lb = alarmOf(build(Deployment.canary()), 'HTTPCode_ELB_5XX_Count');
    expect(lb([{ errors: undefined, requests: 100 }, { errors: 0, requests: 100 }, { errors: undefined, requests: undefined }])).toEqual('OK');
    expect(lb(Array.from({ length: 3 }, () => ({ errors: 1, requests: 999 })))).toEqual('OK');
    expect(lb([{ errors: 5, requests: 95 }, { errors: 5, requests: 95 }, { errors: 0, requests: 100 }])).toEqual('ALARM'); // a canary's 5 % crashing
  });
});

test('the production rules\' Lambda: one per stack, nodejs22.x, logs for a month to a group deleted with the stack, writes only the rules of the stack\'s load balancers', () => {
  const b = build(Deployment.canary(), { testListenerPort: 8080 });
  b.ingress.addService(new ApiService(b.stack, 'Orders', { cluster: b.cluster, deployment: Deployment.linear() }), { priority: 10, pathPatterns: ['/orders/*'] });
  const t = b.template;
  t.resourceCountIs(PRODUCTION_RULE_TYPE, 4); // two services, each with a production and a test rule
  const functions = Object.entries<any>(t.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  const [, fn] = functions[0];
  expect(fn.Properties.Runtime).toEqual('nodejs22.x');
  const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
  expect(t.toJSON().Resources[logGroupId]).toEqual(expect.objectContaining({
    Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete',
  }));
  expect(fn.Metadata.checkov.skip.map((s: any) => s.id)).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173']);
  const role = t.toJSON().Resources[fn.Properties.Role['Fn::GetAtt'][0]];
  const statements = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
  const lbName = { 'Fn::GetAtt': [logicalId(b.stack, b.ingress.loadBalancer), 'LoadBalancerFullName'] };
  const arn = (kind: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticloadbalancing:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${kind}/`, lbName, '/*']] });
  expect(statements).toEqual([
    { Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules'], Resource: ['*'] },
    { Effect: 'Allow', Action: ['elasticloadbalancing:CreateRule'], Resource: [arn('listener'), arn('listener-rule')] },
    { Effect: 'Allow', Action: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:DeleteRule'], Resource: [arn('listener-rule')] },
  ]); // once, however many rules the load balancer has
  // every write action is scoped to the load balancer's listeners and rules
  const writes = statements.filter((s: any) => s.Action.some((a: string) => !a.includes('Describe')));
  expect(writes.every((s: any) => s.Resource.every((r: any) => JSON.stringify(r).includes('LoadBalancerFullName')))).toBe(true);
});

test('a service attached twice (two addService rules): every target group, alternate group and alarm is returned, and the one-group lookups refuse to pick', () => {
  const b = build(undefined);
  const orders = new ApiService(b.stack, 'Orders', { cluster: b.cluster, deployment: Deployment.canary() });
  const first = b.ingress.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
  const second = b.ingress.addService(orders, { priority: 20, hostHeaders: ['orders.example.com'] });
  expect(b.ingress.targetGroupsFor(orders)).toEqual([first, second]);
  expect(b.ingress.alternateTargetGroupsFor(orders)).toHaveLength(2);
  expect(b.ingress.rollbackAlarmsFor(orders)).toHaveLength(4); // two groups per attachment
  expect(() => b.ingress.targetGroupFor(orders)).toThrow(
    "`service` 'Test/Orders' is attached 2 times to the AlbIngress 'Test/Ingress' (its own target groups each time): `targetGroupFor` cannot pick one; use `targetGroupsFor(service)`");
  expect(() => b.ingress.alternateTargetGroupFor(orders)).toThrow('use `alternateTargetGroupsFor(service)`');
  // a service attached once keeps the one-group lookups
  expect(b.ingress.targetGroupsFor(b.service)).toEqual([b.ingress.targetGroupFor(b.service)]);
  expect(b.ingress.alternateTargetGroupsFor(b.service)).toEqual([]);
  // ECS has both registrations, each with its own alternate target and production rule
  const svc = Object.values<any>(b.template.findResources('AWS::ECS::Service')).find((s) => s.Properties.LoadBalancers.length === 2)!.Properties;
  expect(svc.LoadBalancers.map((lb: any) => lb.AdvancedConfiguration.ProductionListenerRule.Ref)).toHaveLength(2);
  b.template.resourceCountIs(PRODUCTION_RULE_TYPE, 2);
});
