import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { CloudFrontIngress } from '../src';

/**
 * Services joining a platform's CloudFront ingress (its internal ALB) from stacks of their own
 * (issue 25, item 1): `alb.addService` from another stack puts what belongs to the service in
 * that stack; the platform never depends on a service stack and does not change with them.
 */
function platformApp(services: number) {
  const app = new App();
  const platform = new Stack(app, 'Platform');
  const network = new Network(platform, 'Network');
  const cluster = new FargateCluster(platform, 'Cluster', { network });
  const ingress = new CloudFrontIngress(platform, 'Ingress', { network, service: new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 }) });
  const stacks = Array.from({ length: services }, (_, i) => {
    const stack = new Stack(app, `Svc${i + 1}`);
    const service = new ApiService(stack, 'Api', { cluster, serviceName: `svc${i + 1}`, deployment: Deployment.canary() });
    ingress.alb.addService(service, { priority: i + 1, pathPatterns: [`/svc${i + 1}/*`] });
    return stack;
  });
  const assembly = app.synth();
  return { platform, stacks, platformJson: JSON.stringify(assembly.getStackByName('Platform').template) };
}

const built = [1, 2, 3].map(platformApp);

test('the platform template is byte-identical with 1, 2 or 3 service stacks, and depends on none', () => {
  expect(built[1].platformJson).toBe(built[0].platformJson);
  expect(built[2].platformJson).toBe(built[0].platformJson);
  expect(built[2].platform.dependencies).toEqual([]);
  expect(built[2].platformJson).not.toMatch(/Svc\d|svc\d/);
});

test('a service stack holds its two target groups, its production rule and its rollback alarms', () => {
  const template = Template.fromStack(built[0].stacks[0]);
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
  template.resourceCountIs('Custom::PortcullisProductionListenerRule', 1);
  template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
});
