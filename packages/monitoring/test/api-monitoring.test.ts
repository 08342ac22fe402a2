import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, Deployment, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { ApiMonitoring, ApiMonitoringProps } from '../src';

type Overrides = Omit<Partial<ApiMonitoringProps>, 'service' | 'ingress'>;
interface Options {
  readonly egress?: Egress;
  readonly ingress?: 'alb' | 'httpApi';
  readonly topic?: boolean;
  readonly containerInsights?: boolean;
  readonly ec2?: boolean;
  readonly props?: Overrides;
  readonly deployment?: Deployment;
}

const ECR_IMAGE = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');

function build(options: Options = {}) {
  const stack = new Stack(new App(), 'Api', { env: { account: '123456789012', region: 'us-east-1' } });
  const egress = options.egress ?? Egress.singleNatGateway();
  const network = new Network(stack, 'Network', { egress, availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = options.ec2
    ? new Ec2Cluster(stack, 'Cluster', { network, containerInsights: options.containerInsights })
    : new FargateCluster(stack, 'Cluster', { network, containerInsights: options.containerInsights });
  const service = new ApiService(stack, 'Api', { cluster, image: ECR_IMAGE, deployment: options.deployment });
  const ingress = options.ingress === 'httpApi'
    ? new ApiGatewayIngress(stack, 'Ingress', { network, service })
    : new AlbIngress(stack, 'Ingress', { network, service });
  const alarmTopic = options.topic ? new sns.Topic(stack, 'Alarms', { masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }), enforceSSL: true }) : undefined;
  const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress, alarmTopic, ...options.props });
  let template: Template | undefined; // synthesized on first use: tests may add to the stack first
  return {
    stack, network, cluster, service, ingress, monitoring,
    get template(): Template { return (template ??= Template.fromStack(stack)); },
  };
}

/** ApiMonitoring's alarms (the ingresses add rollback alarms of their own). */
function monitoringAlarms(template: Template): any[] {
  return Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith('Monitoring')).map(([, a]) => a);
}

/** The alarm whose logical id is `Monitoring<id><hash>`. */
function alarm(template: Template, id: string): any {
  const found = Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm'))
    .filter(([logicalId]) => new RegExp(`^Monitoring${id}[0-9A-F]{8}$`).test(logicalId));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

function alarmIds(template: Template): string[] {
  // only ApiMonitoring's: the ingresses add rollback alarms of their own
  return Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('Monitoring'))
    .map((id) => id.replace(/^Monitoring/, '').replace(/[0-9A-F]{8}$/, '')).sort();
}

const ONE_MINUTE = { Period: 60 };
const SUSTAINED = { EvaluationPeriods: 5, DatapointsToAlarm: 5 };
const MOSTLY = { EvaluationPeriods: 5, DatapointsToAlarm: 3 };
const COMMON = { ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' };

/** A metric of a math alarm's Metrics list, by id. */
function mathMetric(props: any, id: string): any {
  const m = props.Metrics.find((x: any) => x.Id === id);
  expect(m).toBeDefined();
  return m;
}

describe('service alarms', () => {
  const { template, stack, service, cluster } = build();
  const dims = [{ Name: 'ClusterName', Value: stack.resolve(cluster.cluster.clusterName) }, { Name: 'ServiceName', Value: stack.resolve(service.service.serviceName) }];

  test('CPU: AWS/ECS CPUUtilization average above 85 % for 5 of 5 minutes', () => {
    expect(alarm(template, 'CpuUtilization')).toMatchObject({
      Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Statistic: 'Average', Threshold: 85, ...ONE_MINUTE, ...SUSTAINED, ...COMMON,
    });
    expect(alarm(template, 'CpuUtilization').Dimensions).toEqual(expect.arrayContaining(dims));
  });

  test('memory: AWS/ECS MemoryUtilization average above 85 % for 5 of 5 minutes', () => {
    expect(alarm(template, 'MemoryUtilization')).toMatchObject({
      Namespace: 'AWS/ECS', MetricName: 'MemoryUtilization', Statistic: 'Average', Threshold: 85, ...ONE_MINUTE, ...SUSTAINED, ...COMMON,
    });
    expect(alarm(template, 'MemoryUtilization').Dimensions).toEqual(expect.arrayContaining(dims));
  });

  test('running tasks: Container Insights desired - running > 0 for 5 of 5 minutes', () => {
    const props = alarm(template, 'RunningTasks');
    expect(props).toMatchObject({ Threshold: 0, ...SUSTAINED, ...COMMON });
    expect(mathMetric(props, 'expr_1')).toMatchObject({ Expression: 'desired - running' });
    for (const [id, name, stat] of [['desired', 'DesiredTaskCount', 'Minimum'], ['running', 'RunningTaskCount', 'Maximum']]) {
      const m = mathMetric(props, id);
      expect(m.ReturnData).toBe(false);
      expect(m.MetricStat).toMatchObject({ Stat: stat, Period: 60, Metric: { Namespace: 'ECS/ContainerInsights', MetricName: name } });
      expect(m.MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining(dims));
    }
  });

  test('the Portcullis clusters have Container Insights on: no warning about it', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Container Insights'));
    expect(warnings).toEqual([]);
  });

  test('without Container Insights: no running-tasks alarm, and a warning saying why', () => {
    const off = build({ containerInsights: false });
    expect(alarmIds(off.template)).not.toContain('RunningTasks');
    expect(alarmIds(off.template)).toContain('CpuUtilization');
    Annotations.fromStack(off.stack).hasWarning('/Api/Monitoring', Match.stringLikeRegexp('Container Insights is off.*no running-tasks alarm'));
  });

  test('thresholds are overridable', () => {
    const custom = build({ props: { cpuUtilizationPercent: 70, memoryUtilizationPercent: 90.5 } });
    expect(alarm(custom.template, 'CpuUtilization').Threshold).toBe(70);
    expect(alarm(custom.template, 'MemoryUtilization').Threshold).toBe(90.5);
  });

  test('an EC2 cluster: the same service alarms, and the dashboard is drawn with the EC2 service monitoring', () => {
    const onEc2 = build({ ec2: true });
    expect(alarmIds(onEc2.template)).toEqual(expect.arrayContaining(['CpuUtilization', 'MemoryUtilization', 'RunningTasks', 'Target5xxRate']));
    expect(Object.keys(onEc2.template.findResources('AWS::CloudWatch::Dashboard'))).toHaveLength(1);
  });
});

describe('behind an AlbIngress', () => {
  const { template, stack, ingress, monitoring } = build();
  const alb = ingress as AlbIngress;
  // the dimensions aws-cdk-lib's target-group metrics carry (LoadBalancer is derived from the listener's ARN)
  const tgDims = () => Object.entries(stack.resolve(alb.targetGroup.metrics.requestCount().dimensions))
    .map(([Name, Value]) => ({ Name, Value })).sort((a, b) => a.Name.localeCompare(b.Name));
  test('the target group\'s metrics are keyed by LoadBalancer and TargetGroup', () => {
    expect(tgDims().map((d) => d.Name)).toEqual(['LoadBalancer', 'TargetGroup']);
    expect(tgDims()[1].Value).toEqual(stack.resolve(alb.targetGroup.targetGroupFullName));
  });

  test('the alarms: service, target group, load balancer, one NAT gateway', () => {
    expect(alarmIds(template)).toEqual([
      'CpuUtilization', 'LoadBalancer5xxRate', 'MemoryUtilization', 'Nat1ErrorPortAllocation', 'Nat1PacketsDropRate', 'NoHealthyTargets', 'RunningTasks',
      'Target5xxRate', 'TargetResponseTimeP99', 'UnhealthyTargets',
    ]);
    expect(monitoring.alarms).toHaveLength(10);
  });

  test('target 5xx rate: 100 * HTTPCode_Target_5XX_Count / RequestCount of the service\'s target group above 5 % in 3 of 5 minutes', () => {
    const props = alarm(template, 'Target5xxRate');
    expect(props).toMatchObject({ Threshold: 5, ...MOSTLY, ...COMMON });
    expect(mathMetric(props, 'expr_1').Expression).toBe('100 * FILL(errors, 0) / requests');
    for (const [id, name] of [['errors', 'HTTPCode_Target_5XX_Count'], ['requests', 'RequestCount']]) {
      const m = mathMetric(props, id);
      expect(m.MetricStat).toMatchObject({ Stat: 'Sum', Period: 60, Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name } });
      expect(m.MetricStat.Metric.Dimensions).toEqual(tgDims());
    }
  });

  test('unhealthy targets: UnHealthyHostCount maximum above 0 in 3 of 5 minutes', () => {
    const props = alarm(template, 'UnhealthyTargets');
    expect(props).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', Threshold: 0, ...ONE_MINUTE, ...MOSTLY, ...COMMON });
    expect(props.Dimensions).toEqual(tgDims());
  });

  test('p99 target response time above 2 s in 3 of 5 minutes (TargetResponseTime is in seconds)', () => {
    const props = alarm(template, 'TargetResponseTimeP99');
    expect(props).toMatchObject({ Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99', Threshold: 2, ...ONE_MINUTE, ...MOSTLY, ...COMMON });
    expect(props.Dimensions).toEqual(tgDims());
  });

  test('ALB thresholds are overridable', () => {
    const custom = build({ props: { target5xxRatePercent: 1, p99ResponseTime: Duration.millis(750) } });
    expect(alarm(custom.template, 'Target5xxRate').Threshold).toBe(1);
    expect(alarm(custom.template, 'TargetResponseTimeP99').Threshold).toBe(0.75);
  });

  test('canary (and any traffic-shifting deployment): the ALB alarms watch both target groups, since ECS moves production traffic to the alternate one at each deployment', () => {
    const canary = build({ deployment: Deployment.canary() });
    const ingress2 = canary.ingress as AlbIngress;
    const groups = [ingress2.targetGroupFor(canary.service), ingress2.alternateTargetGroupFor(canary.service)!];
    expect(groups[1]).toBeDefined();
    const dims = (tg: any) => Object.entries(canary.stack.resolve(tg.metrics.requestCount().dimensions))
      .map(([Name, Value]) => ({ Name, Value })).sort((a, b) => a.Name.localeCompare(b.Name));
    const rate = alarm(canary.template, 'Target5xxRate');
    expect(rate).toMatchObject({ Threshold: 5, ...MOSTLY, ...COMMON });
    expect(mathMetric(rate, 'expr_1').Expression).toBe('100 * (FILL(errors0, 0) + FILL(errors1, 0)) / (FILL(requests0, 0) + FILL(requests1, 0))');
    groups.forEach((tg, i) => {
      expect(mathMetric(rate, `errors${i}`).MetricStat.Metric).toMatchObject({ MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: dims(tg) });
      expect(mathMetric(rate, `requests${i}`).MetricStat.Metric).toMatchObject({ MetricName: 'RequestCount', Dimensions: dims(tg) });
    });
    const unhealthy = alarm(canary.template, 'UnhealthyTargets');
    expect(unhealthy).toMatchObject({ Threshold: 0, ...MOSTLY, ...COMMON });
    expect(mathMetric(unhealthy, 'expr_1').Expression).toBe('FILL(unhealthy0, 0) + FILL(unhealthy1, 0)');
    groups.forEach((tg, i) => expect(mathMetric(unhealthy, `unhealthy${i}`).MetricStat).toMatchObject({ Stat: 'Maximum', Metric: { MetricName: 'UnHealthyHostCount', Dimensions: dims(tg) } }));
    const p99 = alarm(canary.template, 'TargetResponseTimeP99');
    expect(p99).toMatchObject({ Threshold: 2, ...MOSTLY, ...COMMON });
    expect(mathMetric(p99, 'expr_1').Expression).toBe('MAX([p990, p991])');
    groups.forEach((tg, i) => expect(mathMetric(p99, `p99${i}`).MetricStat).toMatchObject({ Stat: 'p99', Metric: { MetricName: 'TargetResponseTime', Dimensions: dims(tg) } }));
  });

  test('a service added with addService is watched on its own target group', () => {
    const stack2 = new Stack(new App(), 'Two');
    const network = new Network(stack2, 'Network', { egress: Egress.singleNatGateway() });
    const cluster = new FargateCluster(stack2, 'Cluster', { network });
    const main = new ApiService(stack2, 'Main', { cluster });
    const orders = new ApiService(stack2, 'Orders', { cluster });
    const albIngress = new AlbIngress(stack2, 'Ingress', { network, service: main });
    const ordersGroup = albIngress.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
    expect(albIngress.targetGroupFor(orders)).toBe(ordersGroup);
    expect(albIngress.targetGroupFor(main)).toBe(albIngress.targetGroup);
    new ApiMonitoring(stack2, 'Monitoring', { service: orders, ingress: albIngress });
    const props = alarm(Template.fromStack(stack2), 'UnhealthyTargets');
    expect(props.Dimensions).toEqual(expect.arrayContaining([{ Name: 'TargetGroup', Value: stack2.resolve(ordersGroup.targetGroupFullName) }]));
  });
});

describe('behind an ApiGatewayIngress', () => {
  const { template, stack, ingress } = build({ ingress: 'httpApi' });
  const apiId = () => [{ Name: 'ApiId', Value: stack.resolve((ingress as ApiGatewayIngress).api.apiId) }];

  test('the alarms: service, HTTP API, one NAT gateway (no ALB alarms)', () => {
    expect(alarmIds(template)).toEqual([
      'CpuUtilization', 'HttpApi5xxRate', 'IntegrationLatencyP99', 'MemoryUtilization', 'Nat1ErrorPortAllocation', 'Nat1PacketsDropRate', 'RunningTasks',
    ]);
  });

  test('5xx rate: 100 * 5xx / Count of the API above 5 % in 3 of 5 minutes', () => {
    const props = alarm(template, 'HttpApi5xxRate');
    expect(props).toMatchObject({ Threshold: 5, ...MOSTLY, ...COMMON });
    expect(mathMetric(props, 'expr_1').Expression).toBe('100 * FILL(errors, 0) / requests');
    for (const [id, name] of [['errors', '5xx'], ['requests', 'Count']]) {
      const m = mathMetric(props, id);
      expect(m.MetricStat).toMatchObject({ Stat: 'Sum', Period: 60, Metric: { Namespace: 'AWS/ApiGateway', MetricName: name, Dimensions: apiId() } });
    }
  });

  test('p99 integration latency above 2000 ms in 3 of 5 minutes (IntegrationLatency is in milliseconds)', () => {
    expect(alarm(template, 'IntegrationLatencyP99')).toMatchObject({
      Namespace: 'AWS/ApiGateway', MetricName: 'IntegrationLatency', ExtendedStatistic: 'p99', Dimensions: apiId(), Threshold: 2000, ...ONE_MINUTE, ...MOSTLY, ...COMMON,
    });
  });

  test('HTTP API thresholds are overridable', () => {
    const custom = build({ ingress: 'httpApi', props: { httpApi5xxRatePercent: 2.5, p99IntegrationLatency: Duration.millis(500) } });
    expect(alarm(custom.template, 'HttpApi5xxRate').Threshold).toBe(2.5);
    expect(alarm(custom.template, 'IntegrationLatencyP99').Threshold).toBe(500);
  });
});

describe('NAT gateway alarms', () => {
  const natIds = (template: Template) => Object.keys(template.findResources('AWS::EC2::NatGateway')).sort();

  test.each([
    ['singleNatGateway', Egress.singleNatGateway(), 1],
    ['natGatewayPerAz', Egress.natGatewayPerAz(), 2],
  ])('Egress.%s(): ErrorPortAllocation and the dropped-packet rate of each NAT gateway, by its Ref', (_, egress, count) => {
    const { template } = build({ egress });
    const nats = natIds(template);
    expect(nats).toHaveLength(count);
    const watched = new Set<string>();
    for (let n = 1; n <= count; n++) {
      const ports = alarm(template, `Nat${n}ErrorPortAllocation`);
      expect(ports).toMatchObject({ Namespace: 'AWS/NATGateway', MetricName: 'ErrorPortAllocation', Statistic: 'Sum', Threshold: 0, ...ONE_MINUTE, ...MOSTLY, ...COMMON });
      expect(ports.Dimensions).toHaveLength(1);
      expect(ports.Dimensions[0].Name).toBe('NatGatewayId');
      watched.add(ports.Dimensions[0].Value.Ref);
      // AWS's formula: PacketsDropCount / (PacketsInFromSource + PacketsInFromDestination) * 100, above 0.01 %
      const drops = alarm(template, `Nat${n}PacketsDropRate`);
      expect(drops).toMatchObject({ Threshold: 0.01, ...MOSTLY, ...COMMON });
      expect(mathMetric(drops, 'expr_1').Expression).toBe('100 * FILL(dropped, 0) / (FILL(fromSource, 0) + FILL(fromDestination, 0))');
      for (const [id, name] of [['dropped', 'PacketsDropCount'], ['fromSource', 'PacketsInFromSource'], ['fromDestination', 'PacketsInFromDestination']]) {
        expect(mathMetric(drops, id).MetricStat).toEqual({
          Stat: 'Sum', Period: 60, Metric: { Namespace: 'AWS/NATGateway', MetricName: name, Dimensions: [{ Name: 'NatGatewayId', Value: ports.Dimensions[0].Value }] },
        });
      }
    }
    expect([...watched].sort()).toEqual(nats);
    expect(alarmIds(template).filter((id) => id.startsWith('Nat'))).toHaveLength(2 * count);
  });

  test('dropped packets: a rate, not a count (F12: a busy gateway drops a few packets in normal operation)', () => {
    const { template } = build();
    expect(alarmIds(template)).not.toContain('Nat1PacketsDropCount');
    expect(alarm(template, 'Nat1PacketsDropRate').MetricName).toBeUndefined();
  });

  test('Egress.none(): no NAT, no egress alarms', () => {
    const { template } = build({ egress: Egress.none() });
    expect(natIds(template)).toEqual([]);
    expect(alarmIds(template).filter((id) => id.startsWith('Nat'))).toEqual([]);
    expect(alarmIds(template)).toContain('CpuUtilization');
  });

  test('Egress.natInstance(): no NAT gateway alarm; the instance\'s EC2 StatusCheckFailed (InstanceId) maximum >= 1 for 2 of 2 minutes, missing data not breaching', () => {
    const { template, network, stack } = build({ egress: Egress.natInstance() });
    expect(natIds(template)).toEqual([]);
    expect(alarmIds(template).filter((id) => id.startsWith('Nat'))).toEqual(['NatInstanceStatusCheck']);
    expect(alarm(template, 'NatInstanceStatusCheck')).toMatchObject({
      Namespace: 'AWS/EC2', MetricName: 'StatusCheckFailed', Statistic: 'Maximum', Period: 60, Threshold: 1,
      EvaluationPeriods: 2, DatapointsToAlarm: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'InstanceId', Value: stack.resolve(network.natInstance!.instanceId) }],
    });
  });

  test('`network` names the network to watch: its NAT gateways, not the cluster\'s', () => {
    const { stack, service, ingress } = build();
    const other = new Network(stack, 'Other', { egress: Egress.natGatewayPerAz(), cidr: '10.1.0.0/16' });
    const monitoring = new ApiMonitoring(stack, 'Monitoring2', { service, ingress, network: other });
    const template = Template.fromStack(stack);
    const otherNats = Object.keys(template.findResources('AWS::EC2::NatGateway')).filter((id) => id.startsWith('Other')).sort();
    expect(otherNats).toHaveLength(2);
    const watched = monitoring.alarms.filter((a) => /^Nat\dErrorPortAllocation$/.test(a.node.id))
      .map((a) => stack.resolve((a.metric as any).dimensions.NatGatewayId).Ref);
    expect(watched.sort()).toEqual(otherNats);
  });

  test('an imported network (Network.fromVpc of an imported VPC) has no NAT gateway to watch', () => {
    const { stack, service, ingress } = build();
    const imported = Network.fromVpc(stack, 'Imported', ec2.Vpc.fromVpcAttributes(stack, 'ImportedVpc', {
      vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'],
    }));
    const monitoring = new ApiMonitoring(stack, 'Monitoring2', { service, ingress, network: imported });
    expect(monitoring.alarms.map((a) => a.node.id).filter((id) => id.startsWith('Nat'))).toEqual([]);
  });
});

describe('the load balancer itself: its 5xx rate and no healthy target (F6)', () => {
  const { template, stack, ingress } = build();
  const alb = ingress as AlbIngress;
  const lbDims = () => [{ Name: 'LoadBalancer', Value: stack.resolve(alb.loadBalancer.loadBalancerFullName) }];
  const tgDims = (tg: any) => Object.entries(stack.resolve(tg.metrics.requestCount().dimensions))
    .map(([Name, Value]) => ({ Name, Value })).sort((a, b) => a.Name.localeCompare(b.Name));

  test('load balancer 5xx rate: 100 * HTTPCode_ELB_5XX_Count / (RequestCount + HTTPCode_ELB_5XX_Count), LoadBalancer dimension, Sum per minute, above 5 % in 3 of 5 minutes', () => {
    const props = alarm(template, 'LoadBalancer5xxRate');
    expect(props).toMatchObject({ Threshold: 5, ...MOSTLY, ...COMMON });
    // RequestCount counts only requests for which a target was chosen: a 503 for want of a
    // target is in HTTPCode_ELB_5XX_Count alone, so it is added to the denominator.
    expect(mathMetric(props, 'expr_1').Expression).toBe('100 * FILL(elb5xx, 0) / (FILL(requests, 0) + FILL(elb5xx, 0))');
    for (const [id, name] of [['elb5xx', 'HTTPCode_ELB_5XX_Count'], ['requests', 'RequestCount']]) {
      expect(mathMetric(props, id).MetricStat).toEqual({ Stat: 'Sum', Period: 60, Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: lbDims() } });
    }
  });

  test('no healthy targets: HealthyHostCount (TargetGroup, LoadBalancer) maximum below 1 in 3 of 5 minutes, missing data breaching (an empty group reports nothing)', () => {
    expect(alarm(template, 'NoHealthyTargets')).toMatchObject({
      Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Statistic: 'Maximum', Period: 60, Threshold: 1, ...MOSTLY,
      ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Dimensions: tgDims(alb.targetGroup),
    });
  });

  test('canary: no healthy target across both groups (FILL(healthy0, 0) + FILL(healthy1, 0) < 1)', () => {
    const canary = build({ deployment: Deployment.canary() });
    const ingress2 = canary.ingress as AlbIngress;
    const groups = [ingress2.targetGroupFor(canary.service), ingress2.alternateTargetGroupFor(canary.service)!];
    const props = alarm(canary.template, 'NoHealthyTargets');
    expect(props).toMatchObject({ Threshold: 1, ...MOSTLY, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    expect(mathMetric(props, 'expr_1').Expression).toBe('FILL(healthy0, 0) + FILL(healthy1, 0)');
    const dims = (tg: any) => Object.entries(canary.stack.resolve(tg.metrics.requestCount().dimensions))
      .map(([Name, Value]) => ({ Name, Value })).sort((a, b) => a.Name.localeCompare(b.Name));
    groups.forEach((tg, i) => expect(mathMetric(props, `healthy${i}`).MetricStat).toEqual({
      Stat: 'Maximum', Period: 60, Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HealthyHostCount', Dimensions: dims(tg) },
    }));
    // the load balancer's 5xx rate is one per load balancer, whatever the groups
    expect(alarm(canary.template, 'LoadBalancer5xxRate').Threshold).toBe(5);
  });

  test('loadBalancer5xxRatePercent sets the threshold', () => {
    expect(alarm(build({ props: { loadBalancer5xxRatePercent: 1.5 } }).template, 'LoadBalancer5xxRate').Threshold).toBe(1.5);
  });

  test('neither alarm depends on a resource of the service: both can be the service\'s rollback alarms without a circular dependency', () => {
    const b = build();
    const lbAlarms = b.monitoring.alarms.filter((a) => ['LoadBalancer5xxRate', 'NoHealthyTargets'].includes(a.node.id));
    expect(lbAlarms).toHaveLength(2);
    const serviceId = b.stack.getLogicalId(b.service.service.node.defaultChild as ecs.CfnService);
    for (const a of lbAlarms) expect(JSON.stringify(b.stack.resolve((a.node.defaultChild as any)._toCloudFormation()))).not.toContain(serviceId);
    lbAlarms.forEach((a) => b.service.addRollbackAlarm(a));
    expect(() => b.template).not.toThrow();
  });

  test('desiredCount 0 without autoscaling: no healthy-targets alarm (it would stay in ALARM), and a warning', () => {
    const stack2 = new Stack(new App(), 'Zero');
    const network = new Network(stack2, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(stack2, 'Cluster', { network });
    const service = new ApiService(stack2, 'Api', { cluster, image: ECR_IMAGE, desiredCount: 0 });
    const m = new ApiMonitoring(stack2, 'Monitoring', { service, ingress: new AlbIngress(stack2, 'Ingress', { network, service }) });
    expect(m.alarms.map((a) => a.node.id)).not.toContain('NoHealthyTargets');
    expect(m.alarms.map((a) => a.node.id)).toContain('LoadBalancer5xxRate');
    Annotations.fromStack(stack2).hasWarning('/Zero/Monitoring', Match.stringLikeRegexp('desiredCount: 0.*no no-healthy-targets alarm'));
  });
});

describe('a CloudFront distribution in front of the ALB (what CloudFrontIngress builds)', () => {
  /** An internal AlbIngress with a CloudFront VPC origin and distribution in front, in a stack of `region` (undefined: environment-agnostic). */
  function behindCloudFront(region: string | undefined, props: Overrides = {}, distributions = 1) {
    const stack = new Stack(new App(), 'Edge', region ? { env: { account: '123456789012', region } } : undefined);
    const azs = region ? [`${region}a`, `${region}b`] : undefined;
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: azs });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    // an image of the stack's own Region: without NAT, the tasks reach only its ECR endpoints
    const image = region ? ecs.ContainerImage.fromRegistry(`123456789012.dkr.ecr.${region}.amazonaws.com/api:1`) : ECR_IMAGE;
    const service = new ApiService(stack, 'Api', { cluster, image });
    const alb = new AlbIngress(stack, 'Alb', { network, service, internetFacing: false, allowedCidrs: [] });
    const origin = new cloudfront.VpcOrigin(stack, 'VpcOrigin', { endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(alb.loadBalancer) });
    const dists = Array.from({ length: distributions }, (_, i) => new cloudfront.Distribution(stack, `Distribution${i}`, {
      defaultBehavior: { origin: origins.VpcOrigin.withVpcOrigin(origin) },
    }));
    const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress: alb, ...props });
    return { stack, dists, monitoring, get template() { return Template.fromStack(stack); } };
  }
  const edgeAlarm = (template: Template, id = 'CloudFront5xxErrorRate') => Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm'))
    .filter(([logicalId]) => new RegExp(`^Monitoring${id}[0-9A-F]{8}$`).test(logicalId)).map(([, a]) => a);

  test('us-east-1: AWS/CloudFront 5xxErrorRate (DistributionId, Region=Global) average above 5 % in 3 of 5 minutes', () => {
    const { template, stack, dists } = behindCloudFront('us-east-1');
    const [a] = edgeAlarm(template);
    expect(a.Condition).toBeUndefined();
    expect(a.Properties).toMatchObject({
      Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Statistic: 'Average', Threshold: 5, ...ONE_MINUTE, ...MOSTLY, ...COMMON,
    });
    expect(a.Properties.Dimensions).toEqual(expect.arrayContaining([
      { Name: 'DistributionId', Value: stack.resolve(dists[0].distributionId) }, { Name: 'Region', Value: 'Global' },
    ]));
    expect(a.Properties.Dimensions).toHaveLength(2);
  });

  test('cloudFront5xxErrorRatePercent sets the threshold; two distributions, two alarms', () => {
    const { template } = behindCloudFront('us-east-1', { cloudFront5xxErrorRatePercent: 2 }, 2);
    expect(edgeAlarm(template, 'CloudFront15xxErrorRate')[0].Properties.Threshold).toBe(2);
    expect(edgeAlarm(template, 'CloudFront25xxErrorRate')[0].Properties.Threshold).toBe(2);
  });

  test('another Region (eu-west-1): no alarm (an alarm reads only its own Region\'s metrics), a warning naming CloudFrontErrorRateAlarm in a us-east-1 stack, and a graph of the us-east-1 metric', () => {
    const { template, stack, monitoring } = behindCloudFront('eu-west-1');
    expect(edgeAlarm(template)).toEqual([]);
    expect(monitoring.alarms.map((a) => a.node.id)).toContain('LoadBalancer5xxRate');
    Annotations.fromStack(stack).hasWarning('/Edge/Monitoring', Match.stringLikeRegexp('No CloudFront 5xx error-rate alarm: CloudFront publishes its metrics in us-east-1 only.*CloudFrontErrorRateAlarm'));
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toMatch(/AWS\/CloudFront.*5xxErrorRate.*Region.*Global.*us-east-1/);
  });

  test('environment-agnostic: the alarm exists only in us-east-1 (a condition on AWS::Region), and the alarm status widget does not reference it', () => {
    const { template, monitoring } = behindCloudFront(undefined);
    const [a] = edgeAlarm(template);
    const conditions = template.toJSON().Conditions;
    expect(conditions[a.Condition]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(monitoring.alarms.map((x) => x.node.id)).toContain('CloudFront5xxErrorRate');
    // an unconditional reference to a resource whose condition is false fails the deploy
    const logicalId = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).find((id) => id.startsWith('MonitoringCloudFront5xxErrorRate'))!;
    const referencing = Object.entries<any>(template.toJSON().Resources)
      .filter(([id, r]) => id !== logicalId && JSON.stringify(r).includes(`"${logicalId}"`) && r.Condition === undefined);
    expect(referencing.map(([id]) => id)).toEqual([]);
  });

  test('without a distribution in front, cloudFront5xxErrorRatePercent is refused, naming it and the fix', () => {
    expect(() => build({ props: { cloudFront5xxErrorRatePercent: 5 } }))
      .toThrow(/`cloudFront5xxErrorRatePercent` is for an AlbIngress behind a CloudFront distribution \(`CloudFrontIngress.alb`\), got 5 with an AlbIngress no CloudFront VPC origin of its stack points to: remove it/);
  });
});

describe('alarm actions', () => {
  test('with `alarmTopic`: every alarm notifies the topic on ALARM and on OK', () => {
    const { template, stack, monitoring } = build({ topic: true });
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    const alarms = monitoringAlarms(template);
    expect(alarms).toHaveLength(monitoring.alarms.length);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([topicRef]);
      expect(a.Properties.OKActions).toEqual([topicRef]);
    }
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('No `alarmTopic`'))).toEqual([]);
  });

  test('without `alarmTopic`: no actions, and a warning saying no one is told', () => {
    const { template, stack } = build();
    for (const a of monitoringAlarms(template)) {
      expect(a.Properties.AlarmActions).toBeUndefined();
      expect(a.Properties.OKActions).toBeUndefined();
    }
    Annotations.fromStack(stack).hasWarning('/Api/Monitoring', Match.stringLikeRegexp('No `alarmTopic`'));
  });

  test('alarm names are generated by CloudFormation (two stacks never collide)', () => {
    const { template } = build();
    for (const a of Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))) expect(a.Properties.AlarmName).toBeUndefined();
  });
});

/**
 * The dashboard body as JSON: CDK writes it as Fn::Join of strings and intrinsics (Refs,
 * GetAtts); each intrinsic becomes the string `TOKEN[<its JSON with single quotes>]`.
 */
function dashboardBody(template: Template): any {
  const dashboards = Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0].Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map(token).join('');
  return JSON.parse(text);
}
function token(v: unknown): string {
  return typeof v === 'string' ? v : `TOKEN[${JSON.stringify(v).replace(/"/g, '\'')}]`;
}

/** Every metric row of every graph of the dashboard: namespace, name and dimensions (name -> value). */
function dashboardMetrics(body: any): Array<{ namespace: string; name: string; dims: Record<string, string> }> {
  const rows: Array<{ namespace: string; name: string; dims: Record<string, string> }> = [];
  for (const w of body.widgets) {
    for (const m of w.properties?.metrics ?? []) {
      const parts = m.filter((x: unknown) => typeof x === 'string');
      if (parts.length < 2) continue; // a math expression row: { expression, ... }
      const [namespace, name, ...rest] = parts;
      const dims: Record<string, string> = {};
      for (let i = 0; i + 1 < rest.length; i += 2) dims[rest[i]] = rest[i + 1];
      rows.push({ namespace, name, dims });
    }
  }
  return rows;
}

/** Every metric an alarm evaluates: its own, or each MetricStat of its math expression. */
function alarmMetrics(props: any): Array<{ namespace: string; name: string; dims: Record<string, string> }> {
  // a dimension value the dashboard writes inline: a Fn::Join of '' is its parts, joined
  const flat = (v: any): string => (v && v['Fn::Join'] && v['Fn::Join'][0] === '' ? v['Fn::Join'][1].map(token).join('') : token(v));
  const one = (namespace: string, name: string, dims: any[] = []) => ({
    namespace, name, dims: Object.fromEntries(dims.map((d) => [d.Name, flat(d.Value)])),
  });
  if (props.MetricName) return [one(props.Namespace, props.MetricName, props.Dimensions)];
  return props.Metrics.filter((m: any) => m.MetricStat).map((m: any) => one(m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions));
}

describe.each<[string, Options]>([
  ['AlbIngress', { ingress: 'alb', egress: Egress.natGatewayPerAz() }],
  ['ApiGatewayIngress', { ingress: 'httpApi' }],
])('the dashboard, behind an %s', (_, options) => {
  const { template, monitoring, stack } = build(options);
  const body = dashboardBody(template);
  const metrics = dashboardMetrics(body);

  test('one dashboard, named by CloudFormation (no fixed name to collide across stacks)', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardName).toBeUndefined();
    expect(stack.resolve(monitoring.dashboard!.dashboardName)).toEqual({ Ref: Object.keys(template.findResources('AWS::CloudWatch::Dashboard'))[0] });
  });

  test('every alarm\'s metrics are graphed', () => {
    const alarms = monitoringAlarms(template);
    expect(alarms.length).toBe(monitoring.alarms.length);
    for (const a of alarms) {
      for (const wanted of alarmMetrics(a.Properties)) {
        expect([a.Properties.AlarmDescription, metrics.some((m) => m.namespace === wanted.namespace && m.name === wanted.name
          && Object.entries(wanted.dims).every(([k, v]) => m.dims[k] === v))]).toEqual([a.Properties.AlarmDescription, true]);
      }
    }
  });

  test('each alarm has a graph with its threshold, and the alarm status widget lists them all', () => {
    const annotated = body.widgets.filter((w: any) => w.properties?.annotations?.horizontal?.length);
    expect(annotated.length).toBeGreaterThanOrEqual(monitoring.alarms.length);
    const status = body.widgets.find((w: any) => w.type === 'alarm');
    expect(status.properties.alarms).toHaveLength(monitoring.alarms.length);
  });

  test('cdk-monitoring-constructs\' service widgets are on it (CPU and memory utilization)', () => {
    const titles = body.widgets.map((w: any) => w.properties?.title).filter(Boolean);
    expect(titles).toEqual(expect.arrayContaining(['CPU Utilization', 'Memory Utilization']));
  });

  test('nothing but alarms and the dashboard is added: no custom resource, no Lambda, no second dashboard', () => {
    const types = new Set(Object.values<any>(template.toJSON().Resources).map((r) => r.Type));
    const before = new Stack(new App(), 'Before');
    const network = new Network(before, 'Network', { egress: options.egress ?? Egress.singleNatGateway(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(before, 'Cluster', { network });
    const service = new ApiService(before, 'Api', { cluster, image: ECR_IMAGE });
    if (options.ingress === 'httpApi') new ApiGatewayIngress(before, 'Ingress', { network, service }); else new AlbIngress(before, 'Ingress', { network, service });
    const had = new Set(Object.values<any>(Template.fromStack(before).toJSON().Resources).map((r) => r.Type));
    expect([...types].filter((t) => !had.has(t)).sort()).toEqual(['AWS::CloudWatch::Dashboard']); // the ingress already has (rollback) alarms
    expect(monitoringAlarms(template).length).toBe(monitoring.alarms.length);
    expect(Object.keys(template.toJSON().Resources).length - Object.keys(Template.fromStack(before).toJSON().Resources).length).toBe(monitoring.alarms.length + 1);
  });
});

describe('bad input: an error naming the prop, the value and the fix', () => {
  test.each<[string, Overrides, RegExp]>([
    ['cpu 0', { cpuUtilizationPercent: 0 }, /`cpuUtilizationPercent` must be a finite number from 1 to 100, got 0: use a percentage from 1 to 100/],
    ['cpu 101', { cpuUtilizationPercent: 101 }, /`cpuUtilizationPercent` .* got 101/],
    ['cpu NaN', { cpuUtilizationPercent: NaN }, /`cpuUtilizationPercent` .* got NaN/],
    ['memory 150', { memoryUtilizationPercent: 150 }, /`memoryUtilizationPercent` must be a finite number from 1 to 100, got 150/],
    ['5xx 0', { target5xxRatePercent: 0 }, /`target5xxRatePercent` must be a percentage above 0, at most 100, got 0: use e.g. 1/],
    ['5xx -1', { target5xxRatePercent: -1 }, /`target5xxRatePercent` .* got -1: use a percentage above 0, at most 100/],
    ['5xx Infinity', { target5xxRatePercent: Infinity }, /`target5xxRatePercent` .* got Infinity/],
    ['p99 0 s', { p99ResponseTime: Duration.seconds(0) }, /`p99ResponseTime` must be a finite duration from 0.001 to 4000 seconds, got Duration.seconds\(0\)/],
    ['p99 2 h', { p99ResponseTime: Duration.hours(2) }, /`p99ResponseTime` .* got Duration.hours\(2\)/],
    ['HTTP API threshold on an ALB', { httpApi5xxRatePercent: 5 }, /`httpApi5xxRatePercent` is for an ApiGatewayIngress, got 5 with an AlbIngress: remove it, or set `target5xxRatePercent`/],
    ['HTTP API latency on an ALB', { p99IntegrationLatency: Duration.seconds(1) }, /`p99IntegrationLatency` is for an ApiGatewayIngress, got Duration.seconds\(1\) with an AlbIngress: remove it, or set `p99ResponseTime`/],
  ])('ALB: %s', (_, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });

  test.each<[string, Overrides, RegExp]>([
    ['latency 31 s', { p99IntegrationLatency: Duration.seconds(31) }, /`p99IntegrationLatency` must be a finite duration from 0.001 to 30 seconds, got Duration.seconds\(31\)/],
    ['5xx 100.5', { httpApi5xxRatePercent: 100.5 }, /`httpApi5xxRatePercent` .* got 100.5/],
    ['ALB threshold on an HTTP API', { target5xxRatePercent: 1 }, /`target5xxRatePercent` is for an AlbIngress, got 1 with an ApiGatewayIngress: remove it, or set `httpApi5xxRatePercent`/],
    ['ALB latency on an HTTP API', { p99ResponseTime: Duration.seconds(1) }, /`p99ResponseTime` is for an AlbIngress, .* set `p99IntegrationLatency`/],
  ])('HTTP API: %s', (_, props, message) => {
    expect(() => build({ ingress: 'httpApi', props })).toThrow(message);
  });

  test('an ingress that is neither kind', () => {
    const { stack, service, network } = build();
    expect(() => new ApiMonitoring(stack, 'M2', { service, ingress: network as any })).toThrow(/`ingress` must be an AlbIngress or an ApiGatewayIngress, got the construct 'Api\/Network' \(Network\)/);
  });

  test('a service that is not behind the ALB', () => {
    const { stack, cluster, ingress } = build();
    const other = new ApiService(stack, 'Other', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'M2', { service: other, ingress })).toThrow(/`service` '.*Other' is not attached to the AlbIngress '.*Ingress'/);
  });

  test('a service the HTTP API does not route: refused as behind an ALB (it was accepted, and its API alarms watched another service)', () => {
    const { stack, cluster, ingress } = build({ ingress: 'httpApi' });
    const other = new ApiService(stack, 'Other', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'M2', { service: other, ingress }))
      .toThrow(/^`service` 'Api\/Other' is not routed by the ApiGatewayIngress 'Api\/Ingress': pass it as the ingress's `service` or with `addService` first/);
  });

  test('a service the HTTP API routes with addService: accepted', () => {
    const { stack, cluster, ingress } = build({ ingress: 'httpApi' });
    const orders = new ApiService(stack, 'Orders', { cluster, image: ECR_IMAGE });
    (ingress as ApiGatewayIngress).addService(orders, { path: '/orders' });
    expect(new ApiMonitoring(stack, 'M2', { service: orders, ingress }).alarms.map((a) => a.node.id)).toContain('HttpApi5xxRate');
  });

  test.each<[string, Overrides, RegExp]>([
    ['load balancer 5xx on an HTTP API', { loadBalancer5xxRatePercent: 5 }, /^`loadBalancer5xxRatePercent` is for an AlbIngress, got 5 with an ApiGatewayIngress: remove it, or set `httpApi5xxRatePercent`/],
    ['CloudFront 5xx on an HTTP API', { cloudFront5xxErrorRatePercent: 5 }, /^`cloudFront5xxErrorRatePercent` is for an AlbIngress behind a CloudFront distribution .*got 5 with an ApiGatewayIngress/],
  ])('HTTP API: %s', (_, props, message) => {
    expect(() => build({ ingress: 'httpApi', props })).toThrow(message);
  });

  test.each<[string, Overrides, RegExp]>([
    ['load balancer 5xx 0', { loadBalancer5xxRatePercent: 0 }, /^`loadBalancer5xxRatePercent` must be a percentage above 0, at most 100, got 0/],
    ['load balancer 5xx NaN', { loadBalancer5xxRatePercent: NaN }, /^`loadBalancer5xxRatePercent` must be .*got NaN/],
  ])('ALB: %s', (_, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });
});

describe('token thresholds: passed through in their own unit, never converted or divided', () => {
  const param = (stack: Stack) => new CfnParameter(stack, 'Threshold', { type: 'Number', default: 3 }).valueAsNumber;
  function withToken(ingress: 'alb' | 'httpApi', props: (p: number) => Overrides) {
    const stack = new Stack(new App(), 'Tok', { env: { account: '123456789012', region: 'us-east-1' } });
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const service = new ApiService(stack, 'Api', { cluster, image: ECR_IMAGE });
    const i = ingress === 'alb' ? new AlbIngress(stack, 'Ingress', { network, service }) : new ApiGatewayIngress(stack, 'Ingress', { network, service });
    return () => { new ApiMonitoring(stack, 'Monitoring', { service, ingress: i, ...props(param(stack)) }); return Template.fromStack(stack); };
  }

  test('p99ResponseTime: Duration.seconds(token) is the threshold (seconds) as it is', () => {
    expect(alarm(withToken('alb', (p) => ({ p99ResponseTime: Duration.seconds(p) }))(), 'TargetResponseTimeP99').Threshold).toEqual({ Ref: 'Threshold' });
  });

  test('p99ResponseTime: Duration.millis(token) is refused, naming the prop and the unit (it was divided by 1000: a garbage threshold)', () => {
    expect(withToken('alb', (p) => ({ p99ResponseTime: Duration.millis(p) })))
      .toThrow(/^`p99ResponseTime` must be written as Duration.seconds\(...\) when its value is a token, got Duration.millis\(<token>\): the alarm threshold is in seconds/);
  });

  test('p99IntegrationLatency: Duration.millis(token) is the threshold (milliseconds) as it is', () => {
    expect(alarm(withToken('httpApi', (p) => ({ p99IntegrationLatency: Duration.millis(p) }))(), 'IntegrationLatencyP99').Threshold).toEqual({ Ref: 'Threshold' });
  });

  test.each(['seconds', 'minutes'] as const)('p99IntegrationLatency: Duration.%s(token) is refused, naming the prop (aws-cdk-lib\'s error named none)', (unit) => {
    expect(withToken('httpApi', (p) => ({ p99IntegrationLatency: Duration[unit](p) })))
      .toThrow(new RegExp(`^\`p99IntegrationLatency\` must be written as Duration.millis\\(...\\) when its value is a token, got Duration.${unit}\\(<token>\\)`));
  });

  test.each<[string, (p: number) => Overrides, string]>([
    ['cpuUtilizationPercent', (p) => ({ cpuUtilizationPercent: p }), 'CpuUtilization'],
    ['target5xxRatePercent', (p) => ({ target5xxRatePercent: p }), 'Target5xxRate'],
    ['loadBalancer5xxRatePercent', (p) => ({ loadBalancer5xxRatePercent: p }), 'LoadBalancer5xxRate'],
  ])('%s: a token is the threshold as it is', (_, props, id) => {
    expect(alarm(withToken('alb', props)(), id).Threshold).toEqual({ Ref: 'Threshold' });
  });
});

describe.each([
  ['AlbIngress', { ingress: 'alb' as const, egress: Egress.natGatewayPerAz() }],
  ['ApiGatewayIngress', { ingress: 'httpApi' as const }],
])('createDashboard: false, behind an %s', (_, options) => {
  const withDashboard = build(options);
  const without = build({ ...options, props: { createDashboard: false } });

  test('no dashboard and no facade; every alarm as with the dashboard', () => {
    without.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(without.monitoring.dashboard).toBeUndefined();
    expect(without.monitoring.facade).toBeUndefined();
    expect(monitoringAlarms(without.template)).toEqual(monitoringAlarms(withDashboard.template));
    expect(without.monitoring.alarms.map((a) => a.node.id)).toEqual(withDashboard.monitoring.alarms.map((a) => a.node.id));
  });

  test('nothing else in the template changes: only the dashboard goes', () => {
    const a = withDashboard.template.toJSON().Resources;
    const b = without.template.toJSON().Resources;
    const removed = Object.keys(a).filter((id) => !(id in b));
    expect(removed.map((id) => a[id].Type)).toEqual(['AWS::CloudWatch::Dashboard']);
    expect(Object.keys(b).filter((id) => !(id in a))).toEqual([]);
  });

  test('createDashboard: true is the default', () => {
    const explicit = build({ ...options, props: { createDashboard: true } });
    expect(explicit.template.toJSON()).toEqual(withDashboard.template.toJSON());
  });
});

describe('a service routed twice by one ALB (two addService calls): every group is watched, not the first only', () => {
  test('the target-group alarms and NoHealthyTargets read both groups', () => {
    const stack = new Stack(new App(), 'Twice');
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const main = new ApiService(stack, 'Main', { cluster, image: ECR_IMAGE });
    const orders = new ApiService(stack, 'Orders', { cluster, image: ECR_IMAGE });
    const alb = new AlbIngress(stack, 'Ingress', { network, service: main });
    const first = alb.addService(orders, { priority: 10, pathPatterns: ['/orders/*'] });
    const second = alb.addService(orders, { priority: 20, pathPatterns: ['/v2/orders/*'] });
    new ApiMonitoring(stack, 'Monitoring', { service: orders, ingress: alb });
    const template = Template.fromStack(stack);
    const tgDim = (tg: any) => ({ Name: 'TargetGroup', Value: stack.resolve(tg.targetGroupFullName) });
    const unhealthy = alarm(template, 'UnhealthyTargets');
    expect(mathMetric(unhealthy, 'expr_1').Expression).toBe('FILL(unhealthy0, 0) + FILL(unhealthy1, 0)');
    expect(mathMetric(unhealthy, 'unhealthy0').MetricStat.Metric.Dimensions).toContainEqual(tgDim(first));
    expect(mathMetric(unhealthy, 'unhealthy1').MetricStat.Metric.Dimensions).toContainEqual(tgDim(second));
    const healthy = alarm(template, 'NoHealthyTargets');
    expect(mathMetric(healthy, 'expr_1').Expression).toBe('FILL(healthy0, 0) + FILL(healthy1, 0)');
    expect(mathMetric(alarm(template, 'Target5xxRate'), 'expr_1').Expression)
      .toBe('100 * (FILL(errors0, 0) + FILL(errors1, 0)) / (FILL(requests0, 0) + FILL(requests1, 0))');
  });
});
