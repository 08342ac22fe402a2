import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiService, Deployment, FargateCluster, Platform } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { AlbIngress } from '../src';
import { PRODUCTION_RULE_TYPE } from '../src/private/production-rule';

/**
 * A platform's load balancer that services of other CDK apps join (issue 25, item 2): the
 * platform publishes it (`publish`), a service's app reads it at deploy time
 * (`AlbIngress.fromParameters`) with no CloudFormation export.
 */
describe('publishing', () => {
  const stack = new Stack(new App(), 'Platform');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service: new ApiService(stack, 'Fallback', { cluster }), testListenerPort: 8080, vpcEgressPorts: [80] });
  ingress.publish('shop');
  const values = Object.fromEntries(Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter')).map((p) => [p.Properties.Name, p.Properties.Value]));

  test('listener, test listener, security group, load balancer ARN, full name and DNS name, and shape under ingress/alb/', () => {
    expect(Object.keys(values).sort()).toEqual(['dns-name', 'listener-arn', 'load-balancer-arn', 'load-balancer-full-name', 'security-group-id', 'shape', 'test-listener-arn']
      .map((k) => `/portcullis/shop/ingress/alb/${k}`));
    expect(values['/portcullis/shop/ingress/alb/shape']).toBe('testListener=true,vpcEgressPorts=80');
    expect(values['/portcullis/shop/ingress/alb/listener-arn']).toEqual({ Ref: expect.stringMatching(/^IngressLoadBalancerHttp/) });
  });
});

describe('a canary service of another CDK app', () => {
  const stack = new Stack(new App(), 'Orders');
  const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop' });
  const alb = AlbIngress.fromParameters(stack, 'Alb', { platform: shop, testListener: true });
  const api = new ApiService(stack, 'Api', { cluster: shop.cluster, deployment: Deployment.canary() });
  alb.addService(api, { priority: 10, pathPatterns: ['/orders/*'] });
  const monitoring = alb.monitoringFor(stack, api);
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const ssmParameter = (name: string) => Object.entries<any>(json.Parameters).find(([, p]) => p.Default === name)?.[0];

  test('synthesizes with no Fn::ImportValue', () => {
    expect(JSON.stringify(json)).not.toContain('Fn::ImportValue');
  });

  test('its two target groups, production and test-listener rules (on the published listeners) and rollback alarms are in its stack', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    const rules = Object.values<any>(template.findResources(PRODUCTION_RULE_TYPE)).map((r) => r.Properties.ListenerArn);
    expect(rules).toEqual([{ Ref: ssmParameter('/portcullis/shop/ingress/alb/listener-arn') }, { Ref: ssmParameter('/portcullis/shop/ingress/alb/test-listener-arn') }]);
    expect(alb.rollbackAlarmsFor(api)).toHaveLength(2);
    expect(alb.targetGroupsFor(api)).toHaveLength(1);
    expect(alb.alternateTargetGroupsFor(api)).toHaveLength(1);
  });

  test('both security-group rules are in its stack, on the published group', () => {
    const group = { Ref: ssmParameter('/portcullis/shop/ingress/alb/security-group-id') };
    expect(Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties.GroupId)).toEqual([group]);
    expect(Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties.SourceSecurityGroupId)).toEqual([group]);
  });

  test('the deployment checks the ingress\'s published shape', () => {
    expect(JSON.stringify(json.Rules)).toContain('testListener=true,vpcEgressPorts=perService');
  });

  test('its monitoring watches the published load balancer', () => {
    expect(monitoring.alarms.map((a) => a.id)).toEqual(expect.arrayContaining(['Target5xxRate', 'LoadBalancer5xxRate']));
  });
});

test('with the platform\'s vpcEgressPorts, a service adds no egress rule to the load balancer\'s group', () => {
  const stack = new Stack(new App(), 'Orders');
  const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop' });
  const alb = AlbIngress.fromParameters(stack, 'Alb', { platform: shop, vpcEgressPorts: [80] });
  alb.addService(new ApiService(stack, 'Api', { cluster: shop.cluster }), { priority: 10, pathPatterns: ['/orders/*'] });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
  expect(() => alb.addService(new ApiService(stack, 'Other', { cluster: shop.cluster, containerPort: 9000 }), { priority: 11, pathPatterns: ['/other/*'] }))
    .toThrow(/listens on 9000, a port the load balancer's security group does not reach/);
});
