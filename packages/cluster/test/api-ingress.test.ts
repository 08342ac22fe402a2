// The README's example of an ingress of your own ("The ingress contract: IApiIngress"), verbatim
// but for the imports: it compiles, implements the contract and does what the README says.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';
import { ApiService, FargateCluster, IApiIngress, IngressMonitoring } from '../src';

export interface NlbIngressProps {
  readonly service: ApiService;
}

export class NlbIngress extends Construct implements IApiIngress {
  public readonly targetGroup: elbv2.NetworkTargetGroup;

  constructor(scope: Construct, id: string, props: NlbIngressProps) {
    super(scope, id);
    const vpc = props.service.cluster.vpc;
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: 'NLB: TCP 80 from anywhere' });
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    const nlb = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', { vpc, internetFacing: true, securityGroups: [group] });
    this.targetGroup = nlb.addListener('Tcp', { port: 80 }).addTargets('Service', {
      port: props.service.containerPort,
      targets: [props.service.loadBalancerTarget()],
    });
    props.service.allowFrom(nlb); // the container port, from the load balancer's group only
  }

  public monitoringFor(_scope: Construct, service: ApiService): IngressMonitoring {
    return {
      name: 'an NlbIngress',
      title: 'a Network Load Balancer',
      alarms: [{
        id: 'UnhealthyTargets',
        metric: this.targetGroup.metrics.unHealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        description: `Targets of ${service.node.path} fail the load balancer's health check in 3 of 5 minutes (above {threshold}).`,
      }],
    };
  }
}

function build() {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster, containerPort: 8080 });
  const ingress = new NlbIngress(stack, 'Ingress', { service });
  return { stack, cluster, service, ingress };
}

test('an ingress of your own answers monitoringFor with its alarms, named for the monitoring construct', () => {
  const { stack, service, ingress } = build();
  const watched = ingress.monitoringFor(stack, service);
  expect([watched.name, watched.title]).toEqual(['an NlbIngress', 'a Network Load Balancer']);
  expect(watched.alarms.map((a) => a.id)).toEqual(['UnhealthyTargets']);
  const metric = stack.resolve(watched.alarms[0].metric.toMetricConfig().metricStat);
  expect(metric).toMatchObject({ namespace: 'AWS/NetworkELB', metricName: 'UnHealthyHostCount', statistic: 'Maximum', period: { amount: 1, unit: { label: 'minutes' } } });
  expect(metric.dimensions.map((d: { name: string }) => d.name).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
  expect(watched.alarms[0]).toMatchObject({ threshold: 0, evaluationPeriods: 5, datapointsToAlarm: 3 });
  expect(watched.alarms[0].description).toBe('Targets of Api/Service fail the load balancer\'s health check in 3 of 5 minutes (above {threshold}).');
});

test('the service is registered in the NLB\'s target group, and its container port opened from the NLB\'s group only', () => {
  const { stack, service } = build();
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::ECS::Service', { LoadBalancers: [{ ContainerName: 'api', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressLoadBalancerTcpServiceGroup') } }] });
  const serviceGroup = stack.resolve(service.securityGroup.securityGroupId);
  const rules = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties)
    .filter((r) => JSON.stringify(r.GroupId) === JSON.stringify(serviceGroup));
  expect(rules).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^IngressSecurityGroup/), 'GroupId'] } })]);
});
