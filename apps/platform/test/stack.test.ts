import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DEFAULT_PLATFORM_NAME, PlatformStack, SERVICE_PORTS } from '../src/stack';

/** The platform app (issue 25, item 4): what it holds, what it publishes, the policy packs. */
const stack = new PlatformStack(new App(), 'Platform');
const template = Template.fromStack(stack);
const json = template.toJSON();
const parameters = Object.fromEntries(Object.values<any>(template.findResources('AWS::SSM::Parameter')).map((p) => [p.Properties.Name, p.Properties.Value]));

test('one network, one cluster, an ALB and an HTTP API, and one fallback service behind both', () => {
  template.resourceCountIs('AWS::EC2::VPC', 1);
  template.resourceCountIs('AWS::ECS::Cluster', 1);
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
  template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
  template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
  template.resourceCountIs('AWS::ECS::Service', 1);
  template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
});

test('publishes the network, the cluster, the ALB, the HTTP API and the alarm topic under /portcullis/<name>/, and no CloudFormation export', () => {
  const prefix = `/portcullis/${DEFAULT_PLATFORM_NAME}/`;
  const keys = Object.keys(parameters).map((k) => k.slice(prefix.length)).sort();
  expect(keys).toEqual([
    'alarm-topic-arn', 'cluster/execution-role-arn', 'cluster/name', 'cluster/shape',
    'ingress/alb/dns-name', 'ingress/alb/listener-arn', 'ingress/alb/load-balancer-arn', 'ingress/alb/load-balancer-full-name', 'ingress/alb/security-group-id', 'ingress/alb/shape',
    'ingress/http-api/api-endpoint', 'ingress/http-api/api-id', 'ingress/http-api/namespace-arn', 'ingress/http-api/namespace-id', 'ingress/http-api/namespace-name',
    'ingress/http-api/security-group-id', 'ingress/http-api/shape', 'ingress/http-api/vpc-link-id',
    'network/availability-zones', 'network/private-route-table-ids', 'network/private-subnet-ids', 'network/public-route-table-ids', 'network/public-subnet-ids',
    'network/shape', 'network/vpc-cidr', 'network/vpc-id',
  ]);
  expect(parameters[`${prefix}ingress/alb/shape`]).toBe(`testListener=false,vpcEgressPorts=${SERVICE_PORTS.join(';')}`);
  expect(Object.values<any>(json.Outputs).filter((o) => o.Export)).toEqual([]);
});

test('the load balancer reaches the VPC on the service ports (one rule each), not one rule per service', () => {
  const group = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup')).find((g) => g.Properties.GroupDescription.startsWith('Load balancer'));
  expect(group.Properties.SecurityGroupEgress.map((r: any) => r.FromPort)).toEqual(SERVICE_PORTS);
});

test('the network is watched once, here: NAT alarms in the platform (the services\' monitoring has none)', () => {
  expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => /^MonitoringNat\d/.test(id))).toHaveLength(4);
});

test('the alarm topic admits CloudWatch alarms and the EventBridge rules of the account\'s services (topic and key)', () => {
  const policy = Object.values<any>(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
  expect(policy.map((s: any) => s.Sid)).toEqual(expect.arrayContaining(['AllowCloudWatchAlarmsToPublish', 'AllowServiceEventRulesToPublish']));
  const events = policy.find((s: any) => s.Sid === 'AllowServiceEventRulesToPublish');
  expect(events.Principal).toEqual({ Service: 'events.amazonaws.com' });
  expect(events.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
  const key = Object.values<any>(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
  expect(key.find((s: any) => s.Sid === 'AllowServiceEventRulesToEncrypt').Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
});

test('policy packs: no unacknowledged cdk-nag finding (AwsSolutions, NIST 800-53 R5); no Portcullis finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  expect(new ExposureChecks().checkTemplate(json)).toEqual([]);
});

test('context platformName names the parameters', () => {
  const other = Template.fromStack(new PlatformStack(new App(), 'Other', { platformName: 'shop' }));
  const names = Object.values<any>(other.findResources('AWS::SSM::Parameter')).map((p) => p.Properties.Name);
  expect(names.every((n: string) => n.startsWith('/portcullis/shop/'))).toBe(true);
});

test('context: the fallback service\'s capacity, architecture and health check path; ipv6 makes the ALB dual-stack without public IPv4', () => {
  const app = new App({ context: { capacity: 'spot', architecture: 'arm64', healthCheckPath: '/health', ipv6: 'true' } });
  const t = Template.fromStack(new PlatformStack(app, 'Options', readReferenceContext(app)));
  t.hasResourceProperties('AWS::ECS::Service', { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] });
  t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' } });
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health' });
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack-without-public-ipv4' });
  const none = new App({ context: { healthCheckPath: 'none' } });
  expect(() => new PlatformStack(none, 'None', readReferenceContext(none))).toThrow(/healthCheckPath/);
});
