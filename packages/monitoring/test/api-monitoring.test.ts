import { App, CfnCondition, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiService, Deployment, Ec2Cluster, FargateCluster, IngressAlarm } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { ApiMonitoring, ApiMonitoringProps } from '../src';
import { FakeIngress, FakeKind } from './support/fake-ingress';

/*
 * ApiMonitoring against the ingress contract (IApiIngress of @portcullis/cluster), with a
 * test double of it (./support/fake-ingress.ts): the service and egress alarms, the ingress's
 * alarms as the contract describes them, thresholds, refusals, actions and the dashboard. What
 * the real ingresses give it is tested where both are in scope: apps/fargate-alb-api
 * (AlbIngress), apps/fargate-apigw-api (ApiGatewayIngress), apps/fargate-cloudfront-api
 * (CloudFront in front of the ALB).
 */

type Overrides = Omit<Partial<ApiMonitoringProps>, 'service' | 'ingress'>;
interface Options {
  readonly egress?: Egress;
  readonly ingress?: FakeKind;
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
  const ingress = new FakeIngress(stack, 'Ingress', { network, services: [service], kind: options.ingress });
  const alarmTopic = options.topic ? new sns.Topic(stack, 'Alarms', { masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }), enforceSSL: true }) : undefined;
  const monitoring = new ApiMonitoring(stack, 'Monitoring', { service, ingress, alarmTopic, ...options.props });
  let template: Template | undefined; // synthesized on first use: tests may add to the stack first
  return {
    stack, network, cluster, service, ingress, monitoring,
    get template(): Template { return (template ??= Template.fromStack(stack)); },
  };
}

/** ApiMonitoring's alarms (a real ingress adds rollback alarms of its own). */
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

  test('without Container Insights and without a topic: no running-tasks alarm, and a warning saying why', () => {
    const off = build({ containerInsights: false });
    expect(alarmIds(off.template)).not.toContain('RunningTasks');
    expect(alarmIds(off.template)).toContain('CpuUtilization');
    expect(off.monitoring.eventRules).toEqual([]);
    off.template.resourceCountIs('AWS::Events::Rule', 0);
    Annotations.fromStack(off.stack).hasWarning('/Api/Monitoring', Match.stringLikeRegexp('Container Insights is off.*no `alarmTopic`: there is no running-tasks alarm.*Give `alarmTopic`'));
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

describe('running tasks without Container Insights: ECS service events through EventBridge to the alarm topic (free)', () => {
  const off = build({ containerInsights: false, topic: true });
  const rules = () => off.template.findResources('AWS::Events::Rule');
  const rule = (id: string) => {
    const found = Object.entries<any>(rules()).filter(([logicalId]) => new RegExp(`^Monitoring${id}[0-9A-F]{8}$`).test(logicalId));
    expect(found).toHaveLength(1);
    return { logicalId: found[0][0], props: found[0][1].Properties };
  };
  const topicId = () => Object.keys(off.template.findResources('AWS::SNS::Topic'))[0];

  test('no RunningTasks alarm (no RunningTaskCount); two rules instead, said at synth', () => {
    expect(alarmIds(off.template)).not.toContain('RunningTasks');
    expect(off.monitoring.eventRules.map((r) => r.node.id)).toEqual(['ServiceEvents', 'TaskStopped']);
    expect(Object.keys(rules())).toHaveLength(2);
    const infos = Annotations.fromStack(off.stack).findInfo('/Api/Monitoring', Match.stringLikeRegexp('Container Insights is off.*ServiceEvents and TaskStopped'));
    expect(infos).toHaveLength(1);
    expect(Annotations.fromStack(off.stack).findWarning('*', Match.stringLikeRegexp('Container Insights'))).toEqual([]);
  });

  test('ServiceEvents: the service\'s ECS Service Action and Deployment State Change events that mean fewer tasks than desired, or a failed deployment', () => {
    const { props } = rule('ServiceEvents');
    expect(props.State).toBe('ENABLED');
    expect(props.EventPattern).toEqual({
      'source': ['aws.ecs'],
      'detail-type': ['ECS Service Action', 'ECS Deployment State Change'],
      'resources': [off.stack.resolve(off.service.service.serviceArn)],
      'detail': { eventName: ['SERVICE_TASK_START_IMPAIRED', 'SERVICE_TASK_PLACEMENT_FAILURE', 'SERVICE_TASK_CONFIGURATION_FAILURE', 'SERVICE_DEPLOYMENT_FAILED'] },
    });
    expect(props.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId() } })]);
  });

  test('TaskStopped: a task of the service stopped on its own (essential container exited, failed to start)', () => {
    const { props } = rule('TaskStopped');
    expect(props.EventPattern['detail-type']).toEqual(['ECS Task State Change']);
    expect(props.EventPattern.detail).toEqual({
      clusterArn: [off.stack.resolve(off.cluster.cluster.clusterArn)],
      group: [{ 'Fn::Join': ['', ['service:', off.stack.resolve(off.service.service.serviceName)]] }],
      lastStatus: ['STOPPED'],
      stopCode: ['EssentialContainerExited', 'TaskFailedToStart'],
    });
    expect(props.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId() } })]);
  });

  test('the topic admits each rule only (aws:SourceArn), and its key lets EventBridge encrypt', () => {
    const statements = Object.values<any>(off.template.findResources('AWS::SNS::TopicPolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    for (const id of ['ServiceEvents', 'TaskStopped']) {
      expect(statements).toContainEqual(expect.objectContaining({
        Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topicId() },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule(id).logicalId, 'Arn'] } } },
      }));
    }
    const key = Object.values<any>(off.template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(key).toContainEqual(expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
  });

  test('Container Insights on: no rules (RunningTasks watches the count)', () => {
    const on = build({ topic: true });
    expect(on.monitoring.eventRules).toEqual([]);
    on.template.resourceCountIs('AWS::Events::Rule', 0);
    expect(alarmIds(on.template)).toContain('RunningTasks');
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
  ['load balancer', { ingress: 'alb', egress: Egress.natGatewayPerAz() }],
  ['HTTP API', { ingress: 'httpApi' }],
  ['ingress with nothing of its own to watch', { ingress: 'plain' }],
])('the dashboard, behind a fake %s', (_, options) => {
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
    new FakeIngress(before, 'Ingress', { network, services: [service], kind: options.ingress });
    const had = new Set(Object.values<any>(Template.fromStack(before).toJSON().Resources).map((r) => r.Type));
    expect([...types].filter((t) => !had.has(t)).sort()).toEqual(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard']); // the fake has no rollback alarms
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
  ])('behind a load balancer: %s', (_, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });

  test.each<[string, Overrides, RegExp]>([
    ['latency 31 s', { p99IntegrationLatency: Duration.seconds(31) }, /`p99IntegrationLatency` must be a finite duration from 0.001 to 30 seconds, got Duration.seconds\(31\)/],
    ['5xx 100.5', { httpApi5xxRatePercent: 100.5 }, /`httpApi5xxRatePercent` .* got 100.5/],
  ])('behind an HTTP API: %s', (_, props, message) => {
    expect(() => build({ ingress: 'httpApi', props })).toThrow(message);
  });

  test('an ingress that does not implement the contract', () => {
    const { stack, service, network } = build();
    expect(() => new ApiMonitoring(stack, 'M2', { service, ingress: network as any }))
      .toThrow(/^`ingress` must be an IApiIngress \(an AlbIngress, an ApiGatewayIngress, a CloudFrontIngress or an ingress of your own\), got the construct 'Api\/Network' \(Network\): pass the ingress in front of `service`/);
  });

  test.each<[string, Overrides, RegExp]>([
    ['load balancer 5xx 0', { loadBalancer5xxRatePercent: 0 }, /^`loadBalancer5xxRatePercent` must be a percentage above 0, at most 100, got 0/],
    ['load balancer 5xx NaN', { loadBalancer5xxRatePercent: NaN }, /^`loadBalancer5xxRatePercent` must be .*got NaN/],
  ])('behind a load balancer: %s', (_, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });
});

describe('token thresholds: passed through in their own unit, never converted or divided', () => {
  const param = (stack: Stack) => new CfnParameter(stack, 'Threshold', { type: 'Number', default: 3 }).valueAsNumber;
  function withToken(ingress: FakeKind, props: (p: number) => Overrides) {
    const stack = new Stack(new App(), 'Tok', { env: { account: '123456789012', region: 'us-east-1' } });
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const service = new ApiService(stack, 'Api', { cluster, image: ECR_IMAGE });
    const i = new FakeIngress(stack, 'Ingress', { network, services: [service], kind: ingress });
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
  ['load balancer', { ingress: 'alb' as const, egress: Egress.natGatewayPerAz() }],
  ['HTTP API', { ingress: 'httpApi' as const }],
])('createDashboard: false, behind a fake %s', (_, options) => {
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

describe('the ingress contract: what ApiMonitoring makes of an IngressMonitoring', () => {
  /** A plain fake whose answer is `spec` (its name: 'a FakeIngress'). */
  function withSpec(spec: (stack: Stack) => Record<string, unknown>, props: Overrides = {}, options: { env?: string } = {}) {
    const stack = new Stack(new App(), 'Contract', options.env ? { env: { account: '123456789012', region: options.env } } : undefined);
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: options.env ? [`${options.env}a`, `${options.env}b`] : undefined });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const service = new ApiService(stack, 'Api', { cluster, image: ECR_IMAGE });
    const ingress = new FakeIngress(stack, 'Ingress', { network, services: [service], kind: 'plain', spec: () => spec(stack) });
    return { stack, service, ingress, make: () => new ApiMonitoring(stack, 'Monitoring', { service, ingress, ...props }) };
  }
  /** A metric of nothing in particular, for alarms that only need one. */
  const metric = (name = 'Requests') => new cloudwatch.Metric({ namespace: 'Fake', metricName: name, period: Duration.minutes(1), statistic: 'Sum' });
  const anAlarm = (over: Partial<IngressAlarm> = {}): IngressAlarm => ({
    id: 'FakeRate', metric: metric(), threshold: 5, evaluationPeriods: 5, datapointsToAlarm: 3, description: 'more than {threshold} of something', ...over,
  });

  test('monitoringFor is called once, with the monitoring construct as the scope (its stack is where the alarms go) and the service', () => {
    const { service, ingress, make } = withSpec(() => ({}));
    const monitoring = make();
    expect(ingress.calls).toHaveLength(1);
    expect(ingress.calls[0].scope).toBe(monitoring);
    expect(ingress.calls[0].service).toBe(service);
  });

  test('a service the ingress does not route: its error, naming `service`, and nothing of the monitoring is created', () => {
    const { stack, cluster, ingress } = build();
    const other = new ApiService(stack, 'Other', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'M2', { service: other, ingress })).toThrow(/^`service` 'Api\/Other' is not routed by the FakeIngress 'Api\/Ingress'/);
    expect(stack.node.tryFindChild('M2')!.node.children).toEqual([]);
  });

  test('the ingress\'s alarms come after the service\'s and before the NAT\'s, in the order given, in the monitoring\'s scope', () => {
    const { stack, service, network } = build({ egress: Egress.singleNatGateway() });
    const ingress = new FakeIngress(stack, 'Other', { network, services: [service], kind: 'plain', spec: () => ({ alarms: [anAlarm({ id: 'B' }), anAlarm({ id: 'A' })] }) });
    const m = new ApiMonitoring(stack, 'M2', { service, ingress });
    expect(m.alarms.map((a) => a.node.id)).toEqual(['CpuUtilization', 'MemoryUtilization', 'RunningTasks', 'B', 'A', 'Nat1ErrorPortAllocation', 'Nat1PacketsDropRate']);
    expect(m.alarms.every((a) => a.node.scope === m)).toBe(true);
  });

  test('an alarm as described: metric, threshold, evaluation, GreaterThanThreshold and notBreaching by default, the threshold written into the description', () => {
    const { stack, make } = withSpec(() => ({ alarms: [anAlarm()] }));
    make();
    expect(alarm(Template.fromStack(stack), 'FakeRate')).toMatchObject({
      Namespace: 'Fake', MetricName: 'Requests', Statistic: 'Sum', Period: 60, Threshold: 5, ...MOSTLY, ...COMMON, AlarmDescription: 'more than 5 of something',
    });
  });

  test('comparison and missing data as given', () => {
    const { stack, make } = withSpec(() => ({
      alarms: [anAlarm({ comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.BREACHING, evaluationPeriods: 2, datapointsToAlarm: 2 })],
    }));
    make();
    expect(alarm(Template.fromStack(stack), 'FakeRate')).toMatchObject({
      ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', EvaluationPeriods: 2, DatapointsToAlarm: 2,
    });
  });

  test.each<[string, Overrides, number, string]>([
    ['a percentage prop', { target5xxRatePercent: 1.5 }, 1.5, 'above 1.5'],
    ['a duration prop in seconds (p99ResponseTime, the threshold in seconds)', { p99ResponseTime: Duration.millis(750) }, 0.75, 'above 750 millis'],
    ['a duration prop in milliseconds (p99IntegrationLatency)', { p99IntegrationLatency: Duration.seconds(1) }, 1000, 'above 1 second'],
  ])('`thresholdProp`: %s sets the threshold, in the alarm\'s unit', (_, props, threshold, description) => {
    const prop = Object.keys(props)[0];
    const { stack, make } = withSpec(() => ({ alarms: [anAlarm({ thresholdProp: prop, threshold: 7, description: 'above {threshold}' })] }), props);
    make();
    expect(alarm(Template.fromStack(stack), 'FakeRate')).toMatchObject({ Threshold: threshold, AlarmDescription: description });
  });

  test('`thresholdProp` not given: the default, a duration prop\'s default written as a duration', () => {
    const { stack, make } = withSpec(() => ({ alarms: [anAlarm({ thresholdProp: 'p99IntegrationLatency', threshold: 2000, description: 'above {threshold}' })] }));
    make();
    expect(alarm(Template.fromStack(stack), 'FakeRate')).toMatchObject({ Threshold: 2000, AlarmDescription: 'above 2 seconds' });
  });

  test('a threshold prop the ingress does not take is refused, naming the counterpart it takes', () => {
    expect(() => build({ props: { httpApi5xxRatePercent: 5 } }))
      .toThrow(/^`httpApi5xxRatePercent` is for an ApiGatewayIngress, got 5 with a FakeIngress: remove it, or set `target5xxRatePercent` \(its counterpart for a FakeIngress\)$/);
    expect(() => build({ ingress: 'httpApi', props: { loadBalancer5xxRatePercent: 2 } }))
      .toThrow(/^`loadBalancer5xxRatePercent` is for an AlbIngress, got 2 with a FakeIngress: remove it, or set `httpApi5xxRatePercent` \(the HTTP API's 5xx rate includes the errors of the VPC link\)$/);
  });

  test('a threshold prop for an ingress that takes none: refused, saying so', () => {
    expect(() => build({ ingress: 'plain', props: { target5xxRatePercent: 1 } }))
      .toThrow(/^`target5xxRatePercent` is for an AlbIngress, got 1 with a FakeIngress: remove it \(a FakeIngress takes none of the ingress thresholds\)$/);
    expect(() => build({ ingress: 'plain', props: { cloudFront5xxErrorRatePercent: 1 } }))
      .toThrow(/^`cloudFront5xxErrorRatePercent` is for an AlbIngress behind a CloudFront distribution \(`CloudFrontIngress.alb`\), got 1 with a FakeIngress no CloudFront VPC origin of its stack points to: remove it, or pass the `alb` of the CloudFrontIngress/);
  });

  test('`thresholdProps` admits a prop without an alarm (an alarm that cannot exist in this setup), still checked for its range', () => {
    const { make } = withSpec(() => ({ thresholdProps: ['cloudFront5xxErrorRatePercent'] }), { cloudFront5xxErrorRatePercent: 2 });
    expect(make().alarms.map((a) => a.node.id)).toEqual(['CpuUtilization', 'MemoryUtilization', 'RunningTasks']);
    expect(withSpec(() => ({ thresholdProps: ['cloudFront5xxErrorRatePercent'] }), { cloudFront5xxErrorRatePercent: 0 }).make).toThrow(/^`cloudFront5xxErrorRatePercent` must be a percentage above 0/);
  });

  test('warnings and notes of the ingress are the monitoring construct\'s, the warnings under @portcullis/monitoring ids', () => {
    const { stack, make } = withSpec(() => ({ warnings: [{ id: 'fakeWarning', message: 'nothing watched here' }], notes: ['a note on the monitoring'] }));
    make();
    Annotations.fromStack(stack).hasWarning('/Contract/Monitoring', Match.stringLikeRegexp('nothing watched here'));
    Annotations.fromStack(stack).hasWarning('/Contract/Monitoring', Match.stringLikeRegexp('@portcullis/monitoring:fakeWarning'));
    Annotations.fromStack(stack).hasInfo('/Contract/Monitoring', 'a note on the monitoring');
  });

  test('an alarm under a condition: created under it, left out of the alarm status widget, which says so with its `conditionNote`', () => {
    const { stack, make } = withSpec((s) => {
      const condition = new CfnCondition(s, 'OnlyInUsEast1', { expression: Fn.conditionEquals(s.region, 'us-east-1') });
      return { alarms: [anAlarm(), anAlarm({ id: 'Edge', condition, conditionNote: 'the edge alarm, us-east-1 only' })] };
    });
    const m = make();
    const template = Template.fromStack(stack);
    const edge = Object.entries<any>(template.findResources('AWS::CloudWatch::Alarm')).find(([id]) => id.startsWith('MonitoringEdge'))!;
    expect(edge[1].Condition).toBe('OnlyInUsEast1');
    const status = dashboardBody(template).widgets.find((w: any) => w.type === 'alarm');
    expect(status.properties.title).toBe('Alarms (the edge alarm, us-east-1 only, is not listed here)');
    expect(status.properties.alarms).toHaveLength(m.alarms.length - 1);
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'))).not.toContain(edge[0]);
  });

  test('the ingress\'s widgets are drawn last; its title heads the dashboard', () => {
    const { stack, make } = withSpec(() => ({
      title: 'a fake front door',
      widgets: [new cloudwatch.GraphWidget({ title: 'Graphed only', left: [metric('Elsewhere')] })],
    }));
    make();
    const widgets = dashboardBody(Template.fromStack(stack)).widgets;
    expect(widgets[widgets.length - 1].properties.title).toBe('Graphed only');
    expect(JSON.stringify(widgets[0])).toContain('behind a fake front door');
  });

  test.each<[FakeKind, string[], string[]]>([
    ['alb', ['AWS/ApplicationELB'], ['AWS/ApiGateway']],
    ['httpApi', ['AWS/ApiGateway'], ['AWS/ApplicationELB']],
    ['plain', [], ['AWS/ApplicationELB', 'AWS/ApiGateway']],
  ])('dashboard hints (%s): cdk-monitoring-constructs\' load balancer or HTTP API widgets only for the resources the ingress names', (kind, present, absent) => {
    const { template, stack } = build({ ingress: kind, props: {} });
    const graphedByFacade = dashboardBody(template).widgets
      .filter((w: any) => !/^(Nat|Cpu|Memory|RunningTasks|Target|LoadBalancer|HttpApi|IntegrationLatency)/.test(w.properties?.title ?? ''))
      .flatMap((w: any) => w.properties?.metrics ?? []).map((m: any) => m[0]);
    for (const ns of present) expect([ns, graphedByFacade.includes(ns)]).toEqual([ns, true]);
    for (const ns of absent) expect([ns, graphedByFacade.includes(ns)]).toEqual([ns, false]);
    expect(stack.node.tryFindChild('Monitoring')).toBeDefined();
  });

  test.each<[string, (s: Stack) => Record<string, unknown>, RegExp]>([
    ['not an IngressMonitoring', () => ({ name: undefined }), /^`ingress`: the ingress 'Contract\/Ingress' returned from monitoringFor .* not an IngressMonitoring/],
    ['an alarm without an id', () => ({ alarms: [anAlarm({ id: '' })] }), /alarm '' needs an `id` of its own/],
    ['two alarms with one id', () => ({ alarms: [anAlarm(), anAlarm()] }), /alarm 'FakeRate' needs an `id` of its own .*: it is used twice/],
    ['datapointsToAlarm above evaluationPeriods', () => ({ alarms: [anAlarm({ datapointsToAlarm: 6 })] }), /alarm 'FakeRate' has `datapointsToAlarm` 6: use a whole number from 1 to its `evaluationPeriods` \(5\)/],
    ['evaluationPeriods 0', () => ({ alarms: [anAlarm({ evaluationPeriods: 0 })] }), /alarm 'FakeRate' has `evaluationPeriods` 0: use a whole number of periods, at least 1/],
    ['a threshold of NaN', () => ({ alarms: [anAlarm({ threshold: NaN })] }), /alarm 'FakeRate' has `threshold` NaN: use a finite number/],
    ['an unknown thresholdProp', () => ({ alarms: [anAlarm({ thresholdProp: 'fiveXxPercent' })] }), /alarm 'FakeRate' has the `thresholdProp` 'fiveXxPercent', which ApiMonitoring does not have: use one of `target5xxRatePercent`/],
    ['an unknown prop in thresholdProps', () => ({ thresholdProps: ['latency'] }), /lists 'latency' in `thresholdProps`, which ApiMonitoring does not have/],
  ])('what an ingress returns is checked, naming the ingress and the field: %s', (_, spec, message) => {
    expect(withSpec(spec).make).toThrow(message);
  });
});
