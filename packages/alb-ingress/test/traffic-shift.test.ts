import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AlbIngress, AlbIngressProps } from '../src';

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
    Alarms: { Enable: true, Rollback: true, AlarmNames: [{ Ref: expect.any(String) }, { Ref: expect.any(String) }] },
  });
  // the names are Refs to the two alarms of the template, one per target group
  const alarms = t.findResources('AWS::CloudWatch::Alarm');
  expect(svc.DeploymentConfiguration.Alarms.AlarmNames.map((n: any) => n.Ref).sort()).toEqual(Object.keys(alarms).sort());
  const watched = Object.values<any>(alarms).map((a) => JSON.stringify(a.Properties.Metrics));
  expect(watched.filter((m) => m.includes(tg) && !m.includes(alternate))).toHaveLength(1);
  expect(watched.filter((m) => m.includes(alternate))).toHaveLength(1);

  const rules = t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
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
  // the production rule: a catch-all at the last priority, forwarding to both groups (100/0)
  expect(rule.Properties).toEqual(expect.objectContaining({
    Priority: 50000,
    Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
    Actions: [{
      Type: 'forward',
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: tg }, Weight: 100 }, { TargetGroupArn: { Ref: alternate }, Weight: 0 }] },
    }],
  }));
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

test('rolling (the default): no strategy written, the circuit breaker kept, and one rollback alarm on the target group', () => {
  const b = build(undefined);
  const t = b.template;
  const svc = serviceOf(t);
  const tg = logicalId(b.stack, b.ingress.targetGroupFor(b.service));
  expect(b.ingress.alternateTargetGroupFor(b.service)).toBeUndefined();
  expect(svc.DeploymentConfiguration.Strategy).toBeUndefined();
  expect(svc.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
  const alarms = t.findResources('AWS::CloudWatch::Alarm');
  expect(Object.keys(alarms)).toHaveLength(1);
  expect(svc.DeploymentConfiguration.Alarms).toEqual({ Enable: true, Rollback: true, AlarmNames: [{ Ref: Object.keys(alarms)[0] }] });
  expect(svc.LoadBalancers).toEqual([{ ContainerName: 'api', ContainerPort: 80, TargetGroupArn: { Ref: tg } }]);
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  t.resourceCountIs('AWS::IAM::Role', 3); // task role, execution role, and no traffic-shift role
});

test('the rollback alarm: target 5xx over requests of the target group, above 1 % in 2 of 3 one-minute periods, missing data not breaching', () => {
  const b = build(undefined);
  const tg = b.ingress.targetGroupFor(b.service);
  const tgFullName = { 'Fn::GetAtt': [logicalId(b.stack, tg), 'TargetGroupFullName'] };
  const dimensions = [{ Name: 'LoadBalancer', Value: Match.anyValue() }, { Name: 'TargetGroup', Value: tgFullName }];
  b.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 1,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    TreatMissingData: 'notBreaching',
    AlarmDescription: Match.stringLikeRegexp('Rollback alarm of the ECS service Test/Api'),
    Metrics: Match.arrayWith([
      Match.objectLike({ Expression: '100 * FILL(errors, 0) / requests', Label: 'Target 5xx rate (%)', ReturnData: true }),
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: Match.arrayEquals(dimensions) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: Match.arrayEquals(dimensions) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
    ]),
  });
  expect(b.ingress.rollbackAlarmsFor(b.service)).toHaveLength(1);
  expect(b.service.attachedRollbackAlarms).toEqual(b.ingress.rollbackAlarmsFor(b.service));
});

test('rollbackAlarms: false: no alarm, ECS deployment alarms stay off (and a warning with a traffic-shifting strategy)', () => {
  const b = build(Deployment.canary(), {}, false);
  b.template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  expect(serviceOf(b.template).DeploymentConfiguration.Alarms).toEqual({ AlarmNames: [], Enable: false, Rollback: false });
  expect(b.ingress.rollbackAlarmsFor(b.service)).toEqual([]);
  Annotations.fromStack(b.stack).hasWarning('/Test/Api', Match.stringLikeRegexp('`rollbackAlarms: false` with `deployment` Deployment.canary\\(\\)'));
});

test('addService with a canary service: its own rule (weighted 100/0), alternate target group, alarms; the rolling default service is unchanged', () => {
  const b = build(undefined);
  const orders = new ApiService(b.stack, 'Orders', { cluster: b.cluster, containerPort: 8080, deployment: Deployment.linear() });
  const tg = b.ingress.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
  expect(b.ingress.targetGroupFor(orders)).toBe(tg);
  const alternate = b.ingress.alternateTargetGroupFor(orders)!;
  const t = b.template;
  const rules = Object.entries<any>(t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
  expect(rules).toHaveLength(1);
  const [ruleId, rule] = rules[0];
  expect(rule.Properties.Priority).toBe(10);
  expect(rule.Properties.Actions[0].ForwardConfig.TargetGroups).toEqual([
    { TargetGroupArn: { Ref: logicalId(b.stack, tg) }, Weight: 100 }, { TargetGroupArn: { Ref: logicalId(b.stack, alternate) }, Weight: 0 },
  ]);
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
    const rules = Object.entries<any>(t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
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
