import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { CatalogServiceStack } from '../src/stack';

/**
 * A service behind the platform's HTTP API in a CDK app of its own (issue 25, items 2 and 4): it
 * synthesizes against the published platform with no Fn::ImportValue and holds everything of its own.
 */
const stack = new CatalogServiceStack(new App(), 'CatalogService');
const template = Template.fromStack(stack);
const json = template.toJSON();
const ssmParameters = Object.values<any>(json.Parameters).map((p) => p.Default).filter((d) => typeof d === 'string' && d.startsWith('/portcullis/')).sort();

test('no Fn::ImportValue: the platform is read from its SSM parameters at deploy time', () => {
  expect(JSON.stringify(json)).not.toContain('Fn::ImportValue');
  expect(ssmParameters).toEqual([
    '/portcullis/portcullis/alarm-topic-arn', '/portcullis/portcullis/cluster/name', '/portcullis/portcullis/cluster/shape',
    '/portcullis/portcullis/ingress/http-api/api-id', '/portcullis/portcullis/ingress/http-api/namespace-id', '/portcullis/portcullis/ingress/http-api/security-group-id',
    '/portcullis/portcullis/ingress/http-api/shape', '/portcullis/portcullis/ingress/http-api/vpc-link-id',
    '/portcullis/portcullis/network/private-subnet-ids', '/portcullis/portcullis/network/shape', '/portcullis/portcullis/network/vpc-id',
  ]);
});

test('everything of the service is in this stack: rolling service, Cloud Map service, both routes and their integration, the port opened from the VPC link, the stage rollback alarm', () => {
  template.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: { Strategy: 'ROLLING' } });
  template.resourceCountIs('AWS::ServiceDiscovery::Service', 1);
  const routes = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort();
  expect(routes).toEqual(['ANY /catalog', 'ANY /catalog/{proxy+}']);
  template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
  template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 1);
  template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
  const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
  expect(svc.Properties.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(1);
  expect(stack.httpApi.routeFor(stack.service)).toBe('/catalog');
});

test('its own monitoring (HTTP API alarms, dashboard), notifying the platform\'s topic; no NAT alarm', () => {
  expect(stack.monitoring.alarms.map((a) => a.node.id)).toEqual(expect.arrayContaining(['HttpApi5xxRate', 'IntegrationLatencyP99']));
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('AWS/NATGateway');
});

test('policy packs: no unacknowledged cdk-nag finding (AwsSolutions, NIST 800-53 R5); no Portcullis finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  expect(new ExposureChecks().checkTemplate(json)).toEqual([]);
});

test('context: platformName and path; a traffic-shifting deployment is refused (an HTTP API cannot shift traffic)', () => {
  const app = new App({ context: { platformName: 'shop' } });
  const t = Template.fromStack(new CatalogServiceStack(app, 'Other', { platformName: 'shop', path: '/search', ...readReferenceContext(app) }));
  expect(JSON.stringify(t.toJSON().Parameters)).toContain('/portcullis/shop/ingress/http-api/api-id');
  t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /search' });
  const canary = new App({ context: { deployment: 'canary' } });
  expect(() => new CatalogServiceStack(canary, 'Canary', readReferenceContext(canary))).toThrow(/cannot shift traffic behind API Gateway/);
});

test('context: capacity and architecture of the tasks, and the lean preset without the dashboard (alarms kept)', () => {
  const app = new App({ context: { capacity: 'spot', architecture: 'arm64', ipv6: 'true' } });
  const t = Template.fromStack(new CatalogServiceStack(app, 'Lean', readReferenceContext(app)));
  t.hasResourceProperties('AWS::ECS::Service', { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] });
  t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
  t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  expect(Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length).toBe(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length);
});
