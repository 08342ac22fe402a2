import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, Deployment, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring, ApiMonitoringProps } from '@portcullis/monitoring';
import { Egress, Network } from '@portcullis/network';

/**
 * ApiMonitoring behind a real ApiGatewayIngress: what `ApiGatewayIngress.monitoringFor` gives
 * it (the HTTP API's 5xx rate and p99 integration latency, their thresholds and refusals, the
 * dashboard's HTTP API widgets). Moved from packages/monitoring, which depends on the ingress
 * contract only (its own tests use a test double of it); this app composes both packages, so
 * a change to either runs these tests.
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
  const ingress = new ApiGatewayIngress(stack, 'Ingress', { network, service });
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

describe('behind an ApiGatewayIngress', () => {
  const { template, stack, ingress } = build();
  const apiId = () => [{ Name: 'ApiId', Value: stack.resolve((ingress).api.apiId) }];

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
    const custom = build({ props: { httpApi5xxRatePercent: 2.5, p99IntegrationLatency: Duration.millis(500) } });
    expect(alarm(custom.template, 'HttpApi5xxRate').Threshold).toBe(2.5);
    expect(alarm(custom.template, 'IntegrationLatencyP99').Threshold).toBe(500);
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
  ['ApiGatewayIngress', {}],
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
    new ApiGatewayIngress(before, 'Ingress', { network, service });
    const had = new Set(Object.values<any>(Template.fromStack(before).toJSON().Resources).map((r) => r.Type));
    expect([...types].filter((t) => !had.has(t)).sort()).toEqual(['AWS::CloudWatch::Dashboard']); // the ingress already has (rollback) alarms
    expect(monitoringAlarms(template).length).toBe(monitoring.alarms.length);
    expect(Object.keys(template.toJSON().Resources).length - Object.keys(Template.fromStack(before).toJSON().Resources).length).toBe(monitoring.alarms.length + 1);
  });
});

describe('bad input behind an ApiGatewayIngress: an error naming the prop, the value and the fix', () => {
  test.each<[string, Overrides, RegExp]>([
    ['ALB threshold on an HTTP API', { target5xxRatePercent: 1 }, /`target5xxRatePercent` is for an AlbIngress, got 1 with an ApiGatewayIngress: remove it, or set `httpApi5xxRatePercent`/],
    ['ALB latency on an HTTP API', { p99ResponseTime: Duration.seconds(1) }, /`p99ResponseTime` is for an AlbIngress, .* set `p99IntegrationLatency`/],
    ['load balancer 5xx on an HTTP API', { loadBalancer5xxRatePercent: 5 }, /^`loadBalancer5xxRatePercent` is for an AlbIngress, got 5 with an ApiGatewayIngress: remove it, or set `httpApi5xxRatePercent`/],
    ['CloudFront 5xx on an HTTP API', { cloudFront5xxErrorRatePercent: 5 }, /^`cloudFront5xxErrorRatePercent` is for an AlbIngress behind a CloudFront distribution .*got 5 with an ApiGatewayIngress/],
  ])('HTTP API: %s', (_, props, message) => {
    expect(() => build({ props })).toThrow(message);
  });

  test('a service the HTTP API does not route: refused as behind an ALB (it was accepted, and its API alarms watched another service)', () => {
    const { stack, cluster, ingress } = build();
    const other = new ApiService(stack, 'Other', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'M2', { service: other, ingress }))
      .toThrow(/^`service` 'Api\/Other' is not routed by the ApiGatewayIngress 'Api\/Ingress': pass it as the ingress's `service` or with `addService` first/);
  });

  test('a service the HTTP API routes with addService: accepted', () => {
    const { stack, cluster, ingress } = build();
    const orders = new ApiService(stack, 'Orders', { cluster, image: ECR_IMAGE });
    (ingress).addService(orders, { path: '/orders' });
    expect(new ApiMonitoring(stack, 'M2', { service: orders, ingress }).alarms.map((a) => a.node.id)).toContain('HttpApi5xxRate');
  });

  test('invalid props by category: a contract checked for the HTTP API as for the ALB: a service it does not route is refused, naming `service`', () => {
    const stack = new Stack(new App(), 'Categories', { env: { account: '123456789012', region: 'us-east-1' } });
    const network = new Network(stack, 'Network', { egress: Egress.none(), availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const api = new ApiGatewayIngress(stack, 'HttpApi', { network, service: new ApiService(stack, 'Routed', { cluster, image: ECR_IMAGE }) });
    const stray = new ApiService(stack, 'Stray', { cluster, image: ECR_IMAGE });
    expect(() => new ApiMonitoring(stack, 'StrayMonitoring', { service: stray, ingress: api }))
      .toThrow(/^`service` 'Categories\/Stray' is not routed by the ApiGatewayIngress/);
  });
});
