// The README's ingress of your own ("Any ingress: the IApiIngress contract"), verbatim but for
// the imports and the name of the ApiMonitoring: what the README says it gets.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ApiService, FargateCluster, IApiIngress, IngressMonitoring } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ApiMonitoring } from '../src';

class NlbIngress extends Construct implements IApiIngress {
  public readonly targetGroup: elbv2.NetworkTargetGroup;

  constructor(scope: Construct, id: string, service: ApiService) {
    super(scope, id);
    const vpc = service.cluster.vpc;
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc });
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    const nlb = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', { vpc, internetFacing: true, securityGroups: [group] });
    this.targetGroup = nlb.addListener('Tcp', { port: 80 }).addTargets('Service', {
      port: service.containerPort,
      targets: [service.loadBalancerTarget()],
    });
    service.allowFrom(nlb);
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
        description: `Targets of ${service.node.path} fail the health check in 3 of 5 minutes (above {threshold}).`,
      }],
    };
  }
}

const stack = new Stack(new App(), 'Api');
const network = new Network(stack, 'Network');
const service = new ApiService(stack, 'Service', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress: new NlbIngress(stack, 'Ingress', service) });

const template = Template.fromStack(stack);

test('the service\'s and the NAT\'s alarms, and the NLB\'s own, in that order', () => {
  expect(monitoring.alarms.map((a) => a.node.id)).toEqual([
    'CpuUtilization', 'MemoryUtilization', 'RunningTasks', 'UnhealthyTargets',
    'Nat1ErrorPortAllocation', 'Nat1PacketsDropRate', 'Nat2ErrorPortAllocation', 'Nat2PacketsDropRate',
  ]);
  const nlbAlarm = Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).find(([id]) => /^MonitoringUnhealthyTargets[0-9A-F]{8}$/.test(id))![1].Properties;
  expect(nlbAlarm).toMatchObject({
    Namespace: 'AWS/NetworkELB', MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', Period: 60, Threshold: 0,
    EvaluationPeriods: 5, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    AlarmDescription: 'Targets of Api/Service fail the health check in 3 of 5 minutes (above 0).',
  });
});

test('the dashboard: headed "behind a Network Load Balancer", the service\'s widgets, no load balancer widgets, every alarm graphed', () => {
  const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(body).toContain('API Api/Service behind a Network Load Balancer');
  expect(body).toContain('CPU Utilization');
  expect(body).not.toContain('AWS/ApplicationELB');
  for (const a of monitoring.alarms) expect([a.node.id, body.includes(`\\"title\\":\\"${a.node.id}\\"`)]).toEqual([a.node.id, true]);
});

test('the monitoring\'s own warnings, as with any ingress (no alarm topic here)', () => {
  Annotations.fromStack(stack).hasWarning('/Api/Monitoring', Match.stringLikeRegexp('No `alarmTopic`'));
});
