import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ApiService, ApiServiceProps, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { NIST80053R5Checks } from 'cdk-nag';
import { ApiGatewayIngress } from '../src';

function setup(serviceProps: Partial<ApiServiceProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, ...serviceProps });
  return { stack, network, cluster, service };
}

const services = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::Service')).map((r) => r.Properties);

test('a rolling service gets a rollback alarm on the stage\'s 5xx rate (5xx / Count, ApiId + Stage), above 1 % in 2 of 3 minutes', () => {
  const s = setup();
  const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
  const t = Template.fromStack(s.stack);
  const alarms = t.findResources('AWS::CloudWatch::Alarm');
  expect(Object.keys(alarms)).toHaveLength(1);
  const [alarmId] = Object.keys(alarms);
  expect(s.stack.resolve((ingress.rollbackAlarm!.node.defaultChild as any).logicalId)).toBe(alarmId);
  const apiId = { Ref: s.stack.getLogicalId(ingress.api.node.defaultChild as any) };
  const dimensions = [{ Name: 'ApiId', Value: apiId }, { Name: 'Stage', Value: '$default' }];
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    ComparisonOperator: 'GreaterThanThreshold', Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching',
    Metrics: Match.arrayWith([
      Match.objectLike({ Expression: '100 * FILL(errors, 0) / requests', ReturnData: true }),
      { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: Match.arrayEquals(dimensions) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: Match.arrayEquals(dimensions) }, Period: 60, Stat: 'Sum' }, ReturnData: false },
    ]),
  });
  const [svc] = services(s.stack);
  expect(svc.DeploymentConfiguration.Alarms).toEqual({ AlarmNames: [{ Ref: alarmId }], Enable: true, Rollback: true });
  expect(svc.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
  expect(svc.DeploymentConfiguration.Strategy).toEqual('ROLLING'); // written, not left to CloudFormation's default
});

test('addService: the same stage alarm, once, for every rolling service with rollbackAlarms', () => {
  const s = setup();
  const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
  ingress.addService(new ApiService(s.stack, 'Orders', { cluster: s.cluster }), { path: '/orders' });
  ingress.addService(new ApiService(s.stack, 'Quiet', { cluster: s.cluster, rollbackAlarms: false }), { path: '/quiet' });
  Template.fromStack(s.stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
  const alarmNames = services(s.stack).map((svc) => svc.DeploymentConfiguration.Alarms.AlarmNames.length).sort();
  expect(alarmNames).toEqual([0, 1, 1]);
});

test('rollbackAlarms: false everywhere: no alarm, `rollbackAlarm` undefined', () => {
  const s = setup({ rollbackAlarms: false });
  const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
  expect(ingress.rollbackAlarm).toBeUndefined();
  Template.fromStack(s.stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  expect(services(s.stack)[0].DeploymentConfiguration.Alarms).toEqual({ AlarmNames: [], Enable: false, Rollback: false });
});

describe('bad input: canary, linear and blue/green cannot shift traffic behind API Gateway', () => {
  test.each([['canary', Deployment.canary()], ['linear', Deployment.linear()], ['blueGreen', Deployment.blueGreen()]])('%s as the default service', (name, deployment) => {
    const s = setup({ deployment });
    expect(() => new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service })).toThrow(new RegExp(
      `^\`deployment\` Deployment\\.${name}\\(\\) of the service 'Test/Api' cannot shift traffic behind API Gateway: .*Cloud Map SRV records.*` +
      'Use `deployment: Deployment.rolling\\(\\)` \\(rolled back on the stage\'s 5xx-rate alarm and the circuit breaker\\), or put the service behind an AlbIngress$'));
  });

  test('with addService: rejected before anything is created', () => {
    const s = setup();
    const ingress = new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    const canary = new ApiService(s.stack, 'Canary', { cluster: s.cluster, deployment: Deployment.canary() });
    const before = ingress.node.children.length;
    expect(() => ingress.addService(canary, { path: '/canary' })).toThrow(/`deployment` Deployment\.canary\(\) of the service 'Test\/Canary' cannot shift traffic behind API Gateway/);
    expect(ingress.node.children.length).toBe(before);
  });
});

test('cdk-nag NIST 800-53 R5 (the apps run it): the rollback alarm adds no finding (it needs no action: acknowledged with that reason)', () => {
  const nist = (rollbackAlarms: boolean) => {
    const s = setup({ rollbackAlarms });
    new ApiGatewayIngress(s.stack, 'Ingress', { network: s.network, service: s.service });
    return new NIST80053R5Checks().validateScope(s.stack).violations.map((v) => v.ruleName).sort();
  };
  expect(nist(true)).toEqual(nist(false));
});
