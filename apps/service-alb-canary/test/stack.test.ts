import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { OrdersServiceStack } from '../src/stack';

/**
 * A canary service in a CDK app of its own (issue 25, items 2 and 4): it synthesizes against the
 * published platform with no Fn::ImportValue and holds everything of its own.
 */
const stack = new OrdersServiceStack(new App(), 'OrdersService');
const template = Template.fromStack(stack);
const json = template.toJSON();
const ssmParameters = Object.values<any>(json.Parameters).map((p) => p.Default).filter((d) => typeof d === 'string' && d.startsWith('/portcullis/')).sort();

test('no Fn::ImportValue: the platform is read from its SSM parameters at deploy time', () => {
  expect(JSON.stringify(json)).not.toContain('Fn::ImportValue');
  expect(ssmParameters).toEqual([
    '/portcullis/portcullis/alarm-topic-arn', '/portcullis/portcullis/cluster/name', '/portcullis/portcullis/cluster/shape',
    '/portcullis/portcullis/ingress/alb/listener-arn', '/portcullis/portcullis/ingress/alb/load-balancer-arn', '/portcullis/portcullis/ingress/alb/load-balancer-full-name',
    '/portcullis/portcullis/ingress/alb/security-group-id', '/portcullis/portcullis/ingress/alb/shape',
    '/portcullis/portcullis/network/private-subnet-ids', '/portcullis/portcullis/network/shape', '/portcullis/portcullis/network/vpc-id',
  ]);
});

test('the deployment checks the platform\'s shapes first (network, cluster, ALB), naming the fix', () => {
  const expected = Object.values<any>(json.Rules).map((r) => r.Assertions[0].Assert['Fn::Equals']?.[1]).filter(Boolean).sort();
  expect(expected).toEqual(['availabilityZones=2,privateSubnets=true,publicSubnets=true,internetEgress=true,ipv6=false', 'capacity=FARGATE', 'testListener=false,vpcEgressPorts=80;8080']);
});

test('everything of the service is in this stack: canary service, two target groups, the production rule, rollback alarms, its own roles, the port opened from the ALB', () => {
  template.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: { Strategy: 'CANARY' } });
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
  template.resourceCountIs('Custom::PortcullisProductionListenerRule', 1);
  const rule = Object.values<any>(template.findResources('Custom::PortcullisProductionListenerRule'))[0].Properties;
  expect(rule).toEqual(expect.objectContaining({ Priority: 10, PathPatterns: ['/orders', '/orders/*'] }));
  expect(stack.alb.rollbackAlarmsFor(stack.service)).toHaveLength(2);
  expect(stack.service.executionRole.node.scope).toBe(stack.service);
  template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0); // the platform's ALB reaches the VPC on 80 and 8080 already
  template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
});

test('its own monitoring: alarms and a dashboard, notifying the platform\'s topic; no NAT alarm (the platform watches its network)', () => {
  expect(stack.monitoring.alarms.length).toBeGreaterThan(0);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const topicParameter = Object.entries<any>(json.Parameters).find(([, p]) => p.Default === '/portcullis/portcullis/alarm-topic-arn')![0];
  const actions = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.AlarmActions).map((a) => a.Properties.AlarmActions);
  expect(actions.length).toBeGreaterThan(0);
  for (const a of actions) expect(a).toEqual([{ Ref: topicParameter }]);
  expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('AWS/NATGateway');
});

test('policy packs: no unacknowledged cdk-nag finding (AwsSolutions, NIST 800-53 R5); no Portcullis finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  expect(new ExposureChecks().checkTemplate(json)).toEqual([]);
});

test('context: platformName, priority, path; a container port the platform\'s ALB does not reach is refused at synth', () => {
  const app = new App({ context: { platformName: 'shop', containerPort: '8080' } });
  const other = new OrdersServiceStack(app, 'Other', { platformName: 'shop', priority: 20, path: '/billing', ...readReferenceContext(app) });
  const t = Template.fromStack(other);
  expect(JSON.stringify(t.toJSON().Parameters)).toContain('/portcullis/shop/cluster/name');
  t.hasResourceProperties('Custom::PortcullisProductionListenerRule', { Priority: 20, PathPatterns: ['/billing', '/billing/*'] });
  const bad = new App({ context: { containerPort: '9000' } });
  expect(() => new OrdersServiceStack(bad, 'Bad', readReferenceContext(bad))).toThrow(/listens on 9000, a port the load balancer's security group does not reach/);
});

test('context: capacity and architecture of the tasks, the ALB health check path, and the lean preset without the dashboard (alarms kept)', () => {
  const app = new App({ context: { capacity: 'spot', architecture: 'arm64', ipv6: 'true', healthCheckPath: '/health' } });
  const t = Template.fromStack(new OrdersServiceStack(app, 'Lean', readReferenceContext(app)));
  t.hasResourceProperties('AWS::ECS::Service', { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] });
  t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
  expect(Object.values<any>(t.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')).map((g) => g.Properties.HealthCheckPath)).toEqual(['/health', '/health']);
  t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  expect(Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length).toBe(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length);
  const kept = new App({ context: { capacity: 'spot', architecture: 'arm64', ipv6: 'true', dashboard: 'true' } });
  Template.fromStack(new OrdersServiceStack(kept, 'Kept', readReferenceContext(kept))).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
});
