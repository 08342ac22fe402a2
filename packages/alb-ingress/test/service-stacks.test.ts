import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { AlbIngress } from '../src';
import { PRODUCTION_RULE_TYPE } from '../src/private/production-rule';

/**
 * Services joining a platform's load balancer from stacks of their own (issue 25, item 1): what
 * belongs to a service (target groups, listener rules incl. the production-rule custom resource,
 * rollback alarms, the security-group rule pair, the ECS role) is in the service's stack; the
 * platform never depends on a service stack and its template is the same with 1, 2 or 3.
 * (What `portcullis-audit diff` says of adding and removing service stacks is in
 * apps/fargate-alb-api/test/alb-service-stacks.test.ts: this package's tests do not depend on
 * @portcullis/audit.)
 */
const ENV = { account: '123456789012', region: 'us-east-1' };

function platformApp(services: number, outdir?: string) {
  const app = new App(outdir ? { outdir } : {});
  const platform = new Stack(app, 'Platform', { env: ENV });
  const network = new Network(platform, 'Network');
  const cluster = new FargateCluster(platform, 'Cluster', { network });
  const fallback = new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 });
  const ingress = new AlbIngress(platform, 'Ingress', { network, service: fallback, testListenerPort: 8080 });
  const stacks = Array.from({ length: services }, (_, i) => {
    const n = i + 1;
    const stack = new Stack(app, `Svc${n}`, { env: ENV });
    const canary = new ApiService(stack, 'Canary', { cluster, serviceName: `canary${n}`, deployment: Deployment.canary() });
    const rolling = new ApiService(stack, 'Rolling', { cluster, serviceName: `rolling${n}` });
    ingress.addService(canary, { priority: 10 * n, pathPatterns: [`/canary${n}/*`] });
    ingress.addService(rolling, { priority: 10 * n + 1, pathPatterns: [`/rolling${n}/*`] });
    return { stack, canary, rolling };
  });
  const assembly = app.synth();
  return { app, platform, ingress, stacks, platformJson: JSON.stringify(assembly.getStackByName('Platform').template) };
}

const dirs = [1, 2, 3].map((n) => fs.mkdtempSync(path.join(os.tmpdir(), `portcullis-alb-platform-${n}-`)));
const built = [1, 2, 3].map((n, i) => platformApp(n, dirs[i]));
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('an AlbIngress shared by 1, 2 or 3 service stacks', () => {
  test('the platform template is byte-identical', () => {
    expect(built[1].platformJson).toBe(built[0].platformJson);
    expect(built[2].platformJson).toBe(built[0].platformJson);
  });

  test('the platform depends on no service stack', () => {
    expect(built[2].platform.dependencies).toEqual([]);
    for (const { stack } of built[2].stacks) expect(stack.dependencies.map((s) => s.stackName)).toEqual(['Platform']);
  });

  test('the platform holds its own service\'s target group, rule and alarms only', () => {
    const platform = Template.fromJSON(JSON.parse(built[2].platformJson));
    expect(Object.keys(platform.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))).toHaveLength(1);
    expect(Object.keys(platform.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))).toHaveLength(0);
    expect(Object.keys(platform.findResources(PRODUCTION_RULE_TYPE))).toHaveLength(0);
    expect(built[2].platformJson).not.toMatch(/Svc\d|canary\d|rolling\d/);
  });
});

describe('a service stack', () => {
  const { stack, canary, rolling } = built[0].stacks[0];
  const { ingress } = built[0];
  const template = Template.fromStack(stack);

  test('holds the target groups (two for the canary), the plain rule, the production and test-listener rules and the rollback alarms', () => {
    expect(Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))).toHaveLength(3);
    expect(Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))).toHaveLength(1);
    expect(Object.keys(template.findResources(PRODUCTION_RULE_TYPE))).toHaveLength(2); // production + test listener
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(3); // 2 canary groups + 1 rolling
    for (const tg of [...ingress.targetGroupsFor(canary), ...ingress.alternateTargetGroupsFor(canary), ...ingress.targetGroupsFor(rolling)]) {
      expect(Stack.of(tg)).toBe(stack);
    }
  });

  test('the rules point at the platform\'s listeners through its exports', () => {
    const rule = Object.values<any>(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))[0];
    expect(rule.Properties.ListenerArn).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefIngressLoadBalancerHttp/) });
  });

  test('opens the container port from the load balancer\'s group with both rules in the service stack', () => {
    const egress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress'));
    const ingressRules = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(egress).toHaveLength(2); // the load balancer's group to each service's group, port 80
    expect(ingressRules).toHaveLength(2);
    for (const rule of egress) {
      expect(rule.Properties).toEqual(expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, GroupId: { 'Fn::ImportValue': expect.stringMatching(/IngressSecurityGroup/) } }));
    }
    for (const rule of ingressRules) {
      expect(rule.Properties).toEqual(expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: { 'Fn::ImportValue': expect.stringMatching(/IngressSecurityGroup/) } }));
    }
  });

  test('the canary service\'s role for ECS is in the service stack; the service waits for its production rule', () => {
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'ecs.amazonaws.com' } }] } } });
    expect(Object.keys(roles)).toEqual([expect.stringMatching(/^PortcullisEcsTrafficShiftRole/)]);
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service', { Properties: { ServiceName: 'canary1' } }))[0];
    expect(svc.DependsOn.some((d: string) => d.startsWith('CanaryIngressServiceProductionRule') || d.includes('ProductionRule'))).toBe(true);
    expect(svc.Properties.LoadBalancers[0].AdvancedConfiguration.RoleArn).toEqual({ 'Fn::GetAtt': [Object.keys(roles)[0], 'Arn'] });
  });

  test('the rollback alarms of a service are in its own stack and named in its deployment alarms', () => {
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service', { Properties: { ServiceName: 'rolling1' } }))[0];
    const names = svc.Properties.DeploymentConfiguration.Alarms.AlarmNames;
    expect(names).toEqual([{ Ref: expect.any(String) }]);
    expect(template.toJSON().Resources[names[0].Ref].Type).toBe('AWS::CloudWatch::Alarm');
  });
});

test('the load balancer\'s own 5xx rollback alarm stays with the single service of the platform stack, whatever the service stacks', () => {
  const platform = Template.fromJSON(JSON.parse(built[2].platformJson));
  const fallback = Object.values<any>(platform.findResources('AWS::ECS::Service'))[0];
  expect(fallback.Properties.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(2); // its target group's and the load balancer's
});

test('a service of the platform stack added with addService keeps everything in the platform stack, as before', () => {
  const stack = new Stack(new App(), 'One', { env: ENV });
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service: new ApiService(stack, 'Default', { cluster }) });
  const orders = new ApiService(stack, 'Orders', { cluster });
  const tg = ingress.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
  expect(tg.node.scope).toBe(ingress);
  Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
});
