import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';

/**
 * One service behind both ingresses at once (DESIGN.md: "Both ingresses can front one
 * service"). Neither ingress package depends on the other, so the test lives here, in the
 * platform app, which composes both (moved from packages/apigw-ingress, which depended on
 * alb-ingress for it).
 */
function setup() {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', {});
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster });
  return { stack, network, cluster, service };
}

/** The rules of the security group whose description matches, inline and standalone. */
function groupRules(template: Template, descriptionPattern: RegExp) {
  const [id, group] = Object.entries<any>(template.findResources('AWS::EC2::SecurityGroup'))
    .find(([, g]) => descriptionPattern.test(g.Properties.GroupDescription))!;
  const standalone = (type: string) => Object.values<any>(template.findResources(type))
    .map((r) => r.Properties).filter((p) => JSON.stringify(p.GroupId).includes(id));
  return {
    id,
    ingress: [...(group.Properties.SecurityGroupIngress ?? []), ...standalone('AWS::EC2::SecurityGroupIngress')],
    egress: [...(group.Properties.SecurityGroupEgress ?? []), ...standalone('AWS::EC2::SecurityGroupEgress')]
      .filter((r) => r.CidrIp !== '255.255.255.255/32'),
  };
}

test('one service behind both an ALB and API Gateway at once', () => {
  const s = setup();
  new AlbIngress(s.stack, 'Alb', { network: s.network, service: s.service });
  new ApiGatewayIngress(s.stack, 'HttpApi', { network: s.network, service: s.service });
  const template = Template.fromStack(s.stack);
  template.hasResourceProperties('AWS::ECS::Service', {
    LoadBalancers: [Match.objectLike({ ContainerPort: 80 })],
    ServiceRegistries: [Match.objectLike({ ContainerPort: 80 })],
  });
  const svc = groupRules(template, /^API service tasks/);
  expect(svc.ingress).toHaveLength(2);
  expect(svc.ingress.every((r) => r.IpProtocol === 'tcp' && r.FromPort === 80 && r.SourceSecurityGroupId)).toBe(true);
});
