import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { ApiGatewayIngress } from '../src';

/**
 * Services joining a platform's HTTP API from stacks of their own (issue 25, item 1): the Cloud
 * Map service, the routes and their integration, the security-group rule pair and the rollback
 * alarm are in the service's stack; the platform never depends on a service stack and its
 * template is the same with 1, 2 or 3 of them.
 */
function platformApp(services: number) {
  const app = new App();
  const platform = new Stack(app, 'Platform');
  const network = new Network(platform, 'Network', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(platform, 'Cluster', { network });
  const fallback = new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 });
  const ingress = new ApiGatewayIngress(platform, 'Ingress', { network, service: fallback });
  const stacks = Array.from({ length: services }, (_, i) => {
    const stack = new Stack(app, `Svc${i + 1}`);
    const service = new ApiService(stack, 'Api', { cluster, serviceName: `svc${i + 1}` });
    ingress.addService(service, { path: `/svc${i + 1}` });
    return { stack, service };
  });
  const assembly = app.synth();
  return { platform, ingress, stacks, platformJson: JSON.stringify(assembly.getStackByName('Platform').template) };
}

const built = [1, 2, 3].map(platformApp);

test('the platform template is byte-identical with 1, 2 or 3 service stacks, and depends on none', () => {
  expect(built[1].platformJson).toBe(built[0].platformJson);
  expect(built[2].platformJson).toBe(built[0].platformJson);
  expect(built[2].platform.dependencies).toEqual([]);
  expect(built[2].platformJson).not.toMatch(/Svc\d|svc\d/);
});

describe('a service stack', () => {
  const { stacks, ingress } = built[0];
  const { stack, service } = stacks[0];
  const template = Template.fromStack(stack);

  test('holds the Cloud Map service (SRV) and the ECS registration', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 0 }] } });
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.Properties.ServiceRegistries).toHaveLength(1);
  });

  test('holds both routes (the prefix and its proxy) and their integration through the platform\'s VPC link', () => {
    const routes = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort();
    expect(routes).toEqual(['ANY /svc1', 'ANY /svc1/{proxy+}']);
    const integrations = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(1);
    expect(integrations[0].Properties).toEqual(expect.objectContaining({
      ApiId: { 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefIngressApi/) },
      ConnectionId: { 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefIngressVpcLink/) },
      ConnectionType: 'VPC_LINK',
    }));
    expect(ingress.routeFor(service)).toBe('/svc1');
  });

  test('opens the container port from the VPC link\'s group, both rules in the service stack', () => {
    const egress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress'));
    const ingressRules = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(egress.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([[80, 80]]);
    expect(ingressRules.map((r) => [r.Properties.FromPort, r.Properties.ToPort])).toEqual([[80, 80]]);
    expect(egress[0].Properties.GroupId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/IngressVpcLinkSecurityGroup/) });
    expect(ingressRules[0].Properties.SourceSecurityGroupId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/IngressVpcLinkSecurityGroup/) });
  });

  test('holds the stage\'s rollback alarm, named in the service\'s deployment alarms', () => {
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toEqual([expect.stringMatching(/^IngressStageRollbackAlarm/)]);
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.Properties.DeploymentConfiguration.Alarms.AlarmNames).toEqual([{ Ref: alarms[0] }]);
  });
});

test('a service of the platform stack added with addService keeps everything in the platform stack, as before', () => {
  const stack = new Stack(new App(), 'One');
  const network = new Network(stack, 'Network', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const ingress = new ApiGatewayIngress(stack, 'Ingress', { network, service: new ApiService(stack, 'Default', { cluster }) });
  const cloudMap = ingress.addService(new ApiService(stack, 'Orders', { cluster }), { path: '/orders' });
  expect(cloudMap.node.scope).toBe(ingress);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::ApiGatewayV2::Route', 3);
  template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
});
