import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Deployment, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring, ApiMonitoringProps } from '@portcullis/monitoring';
import { Egress, Network } from '@portcullis/network';

/**
 * ApiMonitoring behind a real AlbIngress: what `AlbIngress.monitoringFor` gives it (the
 * alarms of the service's target groups and of the load balancer, their thresholds and
 * refusals, the dashboard's load balancer widgets). Moved from packages/monitoring, which
 * depends on the ingress contract only (its own tests use a test double of it); this app
 * composes both packages, so a change to either runs these tests.
 */
type Overrides = Omit<Partial<ApiMonitoringProps>, 'service' | 'ingress'>;
interface Options {
  readonly egress?: Egress;
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
  const ingress = new AlbIngress(stack, 'Ingress', { network, service });
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
const MOSTLY = { EvaluationPeriods: 5, DatapointsToAlarm: 3 };
const COMMON = { ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' };

/** A metric of a math alarm's Metrics list, by id. */
function mathMetric(props: any, id: string): any {
  const m = props.Metrics.find((x: any) => x.Id === id);
  expect(m).toBeDefined();
  return m;
}

describe('behind an AlbIngress', () => {
  const { template, stack, ingress, monitoring } = build();
  const alb = ingress;
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
    const ingress2 = canary.ingress;
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

describe('the load balancer itself: its 5xx rate and no healthy target (F6)', () => {
  const { template, stack, ingress } = build();
  const alb = ingress;
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
    const ingress2 = canary.ingress;
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
  ['AlbIngress', { egress: Egress.natGatewayPerAz() }],
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
    new AlbIngress(before, 'Ingress', { network, service });
    const had = new Set(Object.values<any>(Template.fromStack(before).toJSON().Resources).map((r) => r.Type));
    expect([...types].filter((t) => !had.has(t)).sort()).toEqual(['AWS::CloudWatch::Dashboard']); // the ingress already has (rollback) alarms
    expect(monitoringAlarms(template).length).toBe(monitoring.alarms.length);
    expect(Object.keys(template.toJSON().Resources).length - Object.keys(Template.fromStack(before).toJSON().Resources).length).toBe(monitoring.alarms.length + 1);
  });
});

describe('bad input behind an AlbIngress: an error naming the prop, the value and the fix', () => {
  test.each<[string, Overrides, RegExp]>([
    ['HTTP API threshold on an ALB', { httpApi5xxRatePercent: 5 }, /`httpApi5xxRatePercent` is for an ApiGatewayIngress, got 5 with an AlbIngress: remove it, or set `target5xxRatePercent`/],
    ['HTTP API latency on an ALB', { p99IntegrationLatency: Duration.seconds(1) }, /`p99IntegrationLatency` is for an ApiGatewayIngress, got Duration.seconds\(1\) with an AlbIngress: remove it, or set `p99ResponseTime`/],
  ])('ALB: %s', (_, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });

  test('a service that is not behind the ALB', () => {
    const { stack, cluster, ingress } = build();
    const other = new ApiService(stack, 'Other', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'M2', { service: other, ingress })).toThrow(/`service` '.*Other' is not attached to the AlbIngress '.*Ingress'/);
  });

  test('without a distribution in front, cloudFront5xxErrorRatePercent is refused, naming it and the fix', () => {
    expect(() => build({ props: { cloudFront5xxErrorRatePercent: 5 } }))
      .toThrow(/`cloudFront5xxErrorRatePercent` is for an AlbIngress behind a CloudFront distribution \(`CloudFrontIngress.alb`\), got 5 with an AlbIngress no CloudFront VPC origin of its stack points to: remove it/);
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

/**
 * Issue 22, item 8, the categories of bad input around the monitoring API that concern the
 * ALB (moved from packages/monitoring's property tests; each domain is small, so every value
 * is tried rather than drawn).
 */
describe('invalid props by category, behind an AlbIngress', () => {
  test('a contract checked for the ALB: a service it does not route is refused, naming `service`', () => {
    const stack = new Stack(new App(), 'Categories', { env: { account: '123456789012', region: 'us-east-1' } });
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const alb = new AlbIngress(stack, 'Alb', { network, service: new ApiService(stack, 'Routed', { cluster, image: ECR_IMAGE }) });
    const stray = new ApiService(stack, 'Stray', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'StrayMonitoring', { service: stray, ingress: alb }))
      .toThrow(/^`service` 'Categories\/Stray' is not attached to the AlbIngress/);
  });

  test.each([1, 2, 3])('repeated attachments: a service routed %i time(s) by one ALB is watched on its target groups', (times) => {
    const s = new Stack(new App(), 'Repeat');
    const net = new Network(s, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cl = new FargateCluster(s, 'Cluster', { network: net });
    const alb2 = new AlbIngress(s, 'Alb', { network: net, service: new ApiService(s, 'Main', { cluster: cl, image: ECR_IMAGE }) });
    const svc = new ApiService(s, 'Orders', { cluster: cl, image: ECR_IMAGE });
    const groups = Array.from({ length: times }, (_, i) => alb2.addService(svc, { priority: i + 1, pathPatterns: [`/v${i}/*`] }));
    const m = new ApiMonitoring(s, 'Monitoring', { service: svc, ingress: alb2 });
    const watched = JSON.stringify(s.resolve((m.alarms.find((a) => a.node.id === 'UnhealthyTargets')!.node.defaultChild as any)._toCloudFormation()));
    for (const tg of groups) expect(watched).toContain(JSON.stringify(s.resolve(tg.targetGroupFullName)));
  });

  test.each(['rolling', 'canary', 'linear', 'blueGreen'] as const)('an alarm that depends on the resource it protects: the load balancer\'s alarms reference no resource of the service (%s)', (deployment) => {
    const s = new Stack(new App(), 'Protects');
    const net = new Network(s, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const svc = new ApiService(s, 'Api', { cluster: new FargateCluster(s, 'Cluster', { network: net }), deployment: Deployment[deployment](), image: ECR_IMAGE });
    const m = new ApiMonitoring(s, 'Monitoring', { service: svc, ingress: new AlbIngress(s, 'Alb', { network: net, service: svc }) });
    const serviceId = s.getLogicalId(svc.service.node.defaultChild as any);
    for (const id of ['LoadBalancer5xxRate', 'NoHealthyTargets', 'Target5xxRate', 'UnhealthyTargets', 'TargetResponseTimeP99']) {
      const rendered = JSON.stringify(s.resolve((m.alarms.find((a) => a.node.id === id)!.node.defaultChild as any)._toCloudFormation()));
      expect([id, rendered.includes(serviceId)]).toEqual([id, false]);
    }
  });
});
