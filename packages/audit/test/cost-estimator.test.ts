import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CostEstimator, PriceTable } from '../src';

/** 2-AZ VPC with 1 NAT + internet-facing ALB + 2 Fargate tasks of 0.25 vCPU / 0.5 GB. */
function referenceTemplate(natGateways = 1, maxAzs = 2) {
  const stack = new Stack(new App(), 'Ref');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs, natGateways });
  new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
    cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), cpu: 256, memoryLimitMiB: 512, desiredCount: 2,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('nginx') },
  });
  return Template.fromStack(stack).toJSON();
}

const within = (actual: number, expected: number, pct: number) => expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(pct / 100);

test('reference idle month: 2 AZ, 1 NAT, ALB, 2 Fargate tasks = about $84 (1-LCU minimum, 1 GB NAT data), within 5%', () => {
  const estimate = CostEstimator.estimateTemplate(referenceTemplate(), { natDataGbPerMonth: 1 });
  // hand-computed from PRICES.md: NAT 32.85 + 3 IPv4 10.95 + ALB 16.425 + 1 LCU 5.84 + Fargate 18.02 + NAT data 0.045
  within(estimate.totalMonthlyUsd, 84.15, 5);
  expect(estimate.natGatewayCount).toBe(1);
  expect(estimate.publicIpv4Count).toBe(3);
  const line = (item: string) => estimate.lines.find((l) => l.item.startsWith(item))!;
  expect(line('NAT gateway hours').monthlyUsd).toBeCloseTo(32.85, 2);
  expect(line('Public IPv4').monthlyUsd).toBeCloseTo(10.95, 2);
  expect(line('ALB hours').monthlyUsd).toBeCloseTo(16.43, 1);
  expect(line('ALB LCUs').monthlyUsd).toBeCloseTo(5.84, 2);
  expect(line('Fargate vCPU').quantity).toBe(0.5);
  expect(line('Fargate memory').quantity).toBe(1);
  expect(estimate.notPriced).toEqual([]);
  expect(estimate.priceDate).toBe('2026-11-01');
});

test('the seed shape (2 NAT gateways) = about $120.65; CDK Vpc defaults over 3 AZs = about $160.81', () => {
  within(CostEstimator.estimateTemplate(referenceTemplate(2), {}).totalMonthlyUsd, 120.65, 5);
  const stack = new Stack(new App(), 'Three', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 });
  new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Api', {
    cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), desiredCount: 2,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('nginx') },
  });
  within(CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON()).totalMonthlyUsd, 160.81, 5);
});

test('AWS\'s exact LCU rule (no minimum) is one profile field away', () => {
  const withMin = CostEstimator.estimateTemplate(referenceTemplate()).totalMonthlyUsd;
  const exact = CostEstimator.estimateTemplate(referenceTemplate(), { albMinimumLcus: 0 }).totalMonthlyUsd;
  expect(withMin - exact).toBeCloseTo(5.84, 1);
});

test('break-even ALB vs HTTP API for 2 KB responses is about 29.6 M requests/month, within 5%', () => {
  within(CostEstimator.breakEven(), 29.6e6, 5);
  within(CostEstimator.breakEven({ averageResponseKb: 2 }), 29.6e6, 5);
  // keep-alive halves the ALB's connection LCUs, but the 1-LCU minimum still dominates: same break-even
  within(CostEstimator.breakEven({ requestsPerConnection: 10 }), 29.6e6, 5);
  // 1 MB responses cost the ALB $7.8 per million requests in LCUs (1 GB/LCU-hour), API Gateway $2: no break-even
  expect(() => CostEstimator.breakEven({ averageResponseKb: 1024 })).toThrow(/No break-even: for this profile the HTTP API is cheaper than the ALB at every volume/);
});

test('ingress only at 10 M requests: the ALB about $29.57, the HTTP API $10.00', () => {
  const stack = new Stack(new App(), 'Api');
  new apigwv2.HttpApi(stack, 'Http');
  const api = CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON(), { requestsPerMonth: 10e6, natDataGbPerMonth: 0 });
  expect(api.lines.find((l) => l.item === 'HTTP API requests')!.monthlyUsd).toBeCloseTo(10, 2);
  const albStack = new Stack(new App(), 'Alb');
  new elbv2.ApplicationLoadBalancer(albStack, 'Lb', { vpc: new ec2.Vpc(albStack, 'Vpc', { natGateways: 0 }), internetFacing: true });
  const alb = CostEstimator.estimateTemplate(Template.fromStack(albStack).toJSON(), { requestsPerMonth: 10e6, natDataGbPerMonth: 0 });
  // the ALB's hours and LCUs, and the public IPv4 address it holds in each of its two AZs
  const albLines = alb.lines.filter((l) => l.item.startsWith('ALB') || l.item.startsWith('Public IPv4'));
  expect(albLines.map((l) => l.item.split(' (')[0]).sort()).toEqual(['ALB LCUs', 'ALB hours', 'Public IPv4 addresses']);
  expect(alb.publicIpv4Count).toBe(2);
  expect(albLines.reduce((sum, l) => sum + l.monthlyUsd!, 0)).toBeCloseTo(29.57, 2);
  // plus data transfer out, which the HTTP API's responses pay too
  expect(alb.lines.map((l) => l.item)).toEqual(['ALB hours', 'ALB LCUs', 'Public IPv4 addresses', 'Data transfer out']);
});

test('unknown instance types and regions are explicit "not priced" lines, never a silent zero', () => {
  const template = { Resources: {
    Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: 'x9z.huge' } } },
    Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '2', MaxSize: '4', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' } } } },
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} },
  } };
  const e = CostEstimator.estimateTemplate(template);
  const ec2Line = e.lines.find((l) => l.item === 'EC2 x9z.huge')!;
  expect(ec2Line.priced).toBe(false);
  expect(ec2Line.monthlyUsd).toBeUndefined();
  expect(ec2Line.note).toMatch(/not priced/);
  expect(e.notPriced).toEqual(['EC2 x9z.huge']);
  // NAT gateway hours and data, and the 2 instances' root volumes the template does not size (the AMI's 8 GB each)
  expect(e.lines.find((l) => l.item === 'EBS gp3')).toMatchObject({ quantity: 16, monthlyUsd: 1.28 });
  expect(e.lines.find((l) => l.item === 'EBS gp3')!.note).toMatch(/Lt: a volume the template does not size is counted at the AMI's 8 GB/);
  expect(e.totalMonthlyUsd).toBeCloseTo(32.85 + 0.05 + 1.28, 2);

  const other = CostEstimator.estimateTemplate(template, { region: 'eu-west-1' });
  expect(other.lines.every((l) => !l.priced)).toBe(true);
  expect(other.totalMonthlyUsd).toBe(0);
  expect(other.notPriced).toContain('NAT gateway hours');
  expect(other.lines[0].note).toMatch(/no prices for eu-west-1/);
});

test('EC2 capacity: launch template type x instances, EBS, one instance when tasks run on a min-0 group', () => {
  const template = { Resources: {
    Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: 'c5.xlarge', BlockDeviceMappings: [{ Ebs: { VolumeSize: 50 } }] } } },
    Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '0', MaxSize: '100', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' } } } },
    Td: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['EC2'], Cpu: '256', Memory: '512' } },
    Svc: { Type: 'AWS::ECS::Service', Properties: { DesiredCount: 2, TaskDefinition: { Ref: 'Td' }, CapacityProviderStrategy: [{ CapacityProvider: { Ref: 'Cp' } }] } },
  } };
  const e = CostEstimator.estimateTemplate(template);
  expect(e.lines.find((l) => l.item === 'EC2 c5.xlarge')).toEqual(expect.objectContaining({ quantity: 1, monthlyUsd: 124.1 }));
  expect(e.lines.find((l) => l.item === 'EBS gp3')!.monthlyUsd).toBe(4);
  expect(e.lines.some((l) => l.item.startsWith('Fargate'))).toBe(false);
});

test('interface endpoints x AZs, Cloud Map, task public IPs, arm64 Fargate, log ingestion, data transfer', () => {
  const template = { Resources: {
    E1: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'] } },
    E2: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } },
    Ns: { Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace', Properties: {} },
    Td: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], Cpu: '1024', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'ARM64' } } },
    Svc: { Type: 'AWS::ECS::Service', Properties: { LaunchType: 'FARGATE', DesiredCount: 3, TaskDefinition: { Ref: 'Td' }, ServiceRegistries: [{}],
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED' } } } },
  } };
  const e = CostEstimator.estimateTemplate(template, { logIngestionGbPerMonth: 10, requestsPerMonth: 1e6, averageResponseKb: 1024 });
  const m = (item: string) => e.lines.find((l) => l.item.startsWith(item))!.monthlyUsd;
  expect(m('Interface endpoint hours')).toBeCloseTo(14.6, 2);
  expect(m('Route 53 private hosted zones')).toBe(0.5);
  expect(m('Cloud Map instances')).toBeCloseTo(0.3, 2);
  expect(m('Public IPv4')).toBeCloseTo(3 * 3.65, 2);
  expect(m('Fargate vCPU (arm64)')).toBeCloseTo(3 * 730 * 0.04048 * 0.8, 1);
  expect(m('Service log ingestion')).toBe(5);
  expect(m('Interface endpoint data')).toBe(0.01); // the month's 1 GB of egress data through the endpoints (no NAT)
  expect(m('Data transfer out')).toBeCloseTo((1e6 * 1024) / (1024 * 1024) * 0.09, 1);
});

test('prices are overridable and validated', () => {
  const cheap = PriceTable.usEast1().withOverrides({ natGatewayHour: 0.03, date: '2027-01-01' });
  const e = new CostEstimator(cheap).estimate({ Resources: { N: { Type: 'AWS::EC2::NatGateway' } } }, { natDataGbPerMonth: 0 });
  expect(new CostEstimator(cheap.withOverrides({ httpApiMillionRequests: 2 })).breakEvenRequests()).toBeLessThan(CostEstimator.breakEven());
  expect(e.totalMonthlyUsd).toBeCloseTo(21.9, 2);
  expect(e.priceDate).toBe('2027-01-01');
  expect(() => PriceTable.usEast1().withOverrides({ albHour: -1 })).toThrow(/Price `albHour` must be a number >= 0, got -1/);
  expect(() => PriceTable.usEast1().withOverrides({ date: 'soon' })).toThrow(/`date` must be an ISO date/);
  expect(() => CostEstimator.estimateTemplate({}, { requestsPerMonth: -5 })).toThrow(/`requestsPerMonth` must be a number >= 0, got -5/);
});

describe('fails closed: bad profiles, prices and task sizes', () => {
  const fargate = (cpu: any, memory: any) => ({
    Resources: {
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] } },
      TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: cpu, Memory: memory, RequiresCompatibilities: ['FARGATE'] } },
      Service: { Type: 'AWS::ECS::Service', Properties: { Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: 'TaskDef' }, DesiredCount: 1, LaunchType: 'FARGATE' } },
    },
  });
  const line = (e: any, item: string) => e.lines.find((l: any) => l.item.startsWith(item));

  test.each([
    ['1 vCPU', '2 GB', 1, 2], ['.25 vCPU', '0.5 GB', 0.25, 0.5], ['1024', '2048', 1, 2], [512, 1024, 0.5, 1], ['4 vcpu', '8GB', 4, 8],
  ])('Cpu %j and Memory %j are %d vCPU and %d GB', (cpu, memory, vcpu, gb) => {
    const e = CostEstimator.estimateTemplate(fargate(cpu, memory));
    expect(line(e, 'Fargate vCPU').quantity).toBe(vcpu);
    expect(line(e, 'Fargate memory').quantity).toBe(gb);
    expect(e.warnings).toEqual([]);
  });

  test('an intrinsic Cpu or DesiredCount is said, not silently defaulted', () => {
    const t: any = fargate({ 'Fn::If': ['Big', '1 vCPU', '256'] }, '512');
    t.Resources.Service.Properties.DesiredCount = { 'Fn::If': ['Big', 4, 1] };
    const e = CostEstimator.estimateTemplate(t);
    expect(line(e, 'Fargate vCPU')).toMatchObject({ priced: false });
    expect(e.notPriced).toContain('Fargate vCPU (x86)');
    expect(e.warnings).toEqual([
      'cannot evaluate DesiredCount of Service: intrinsic Fn::If',
      'cannot evaluate Cpu of TaskDef: intrinsic Fn::If (not priced)',
    ]);
  });

  test.each([
    ['requestsPerMonth', NaN], ['requestsPerMonth', Infinity], ['averageResponseKb', -1], ['averageResponseKb', NaN],
    ['natDataGbPerMonth', -0.5], ['natDataGbPerMonth', Infinity], ['logIngestionGbPerMonth', NaN], ['albMinimumLcus', NaN], ['albMinimumLcus', -1],
  ])('profile %s = %d is rejected, naming it', (prop, value) => {
    expect(() => CostEstimator.estimateTemplate(referenceTemplate(), { [prop]: value })).toThrow(new RegExp(`\`${prop}\` must be a number >= 0, got ${value}`));
  });

  test('requestsPerConnection NaN or < 1, and a NaN break-even profile, are rejected', () => {
    expect(() => CostEstimator.estimateTemplate({}, { requestsPerConnection: NaN })).toThrow(/`requestsPerConnection` must be a number >= 1, got NaN/);
    expect(() => CostEstimator.estimateTemplate({}, { requestsPerConnection: 0.5 })).toThrow(/`requestsPerConnection` must be a number >= 1, got 0.5/);
    expect(() => CostEstimator.breakEven({ averageResponseKb: NaN })).toThrow(/`averageResponseKb` must be a number >= 0, got NaN/);
    expect(() => CostEstimator.breakEven({ albAzs: -1 })).toThrow(/`albAzs` must be a whole number >= 2 \(an ALB spans at least two Availability Zones\), got -1/);
    expect(() => CostEstimator.breakEven({ requestsPerConnection: Infinity })).toThrow(/`requestsPerConnection` must be a number >= 1, got Infinity/);
  });

  test.each(['2026-02-30', '2026-13-01', '2025-02-29', '2026-00-10'])('an impossible price date %s is rejected', (date) => {
    expect(() => PriceTable.usEast1().withOverrides({ date })).toThrow(new RegExp(`\`date\` must be an ISO date of a real day, like 2026-11-01, got '${date}'`));
  });

  test('a real leap day is accepted', () => {
    expect(PriceTable.usEast1().withOverrides({ date: '2028-02-29' }).prices.date).toBe('2028-02-29');
  });

  test('NaN, Infinity or negative instance prices are rejected, naming the instance type', () => {
    expect(() => PriceTable.usEast1().withOverrides({ ec2InstanceHour: { 'm5.large': NaN } })).toThrow(/Price `ec2InstanceHour\['m5.large'\]` must be a number >= 0, got NaN/);
    expect(() => PriceTable.usEast1().withOverrides({ ec2InstanceHour: { 'm5.large': -0.1 } })).toThrow(/got -0.1/);
    expect(() => PriceTable.usEast1().withOverrides({ fargateVcpuHour: Infinity })).toThrow(/Price `fargateVcpuHour` must be a number >= 0, got Infinity/);
  });

  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('an instance type named %s is "not priced", never NaN', (type) => {
    const t = {
      Resources: {
        Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: type } } },
        Asg: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '1', MaxSize: '1', LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' } } } },
        Nat: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: type, SourceDestCheck: false } },
      },
    };
    const e = CostEstimator.estimateTemplate(t);
    expect(line(e, `EC2 ${type}`)).toMatchObject({ priced: false, monthlyUsd: undefined });
    expect(line(e, `NAT instance ${type}`)).toMatchObject({ priced: false, monthlyUsd: undefined });
    expect(Number.isFinite(e.totalMonthlyUsd)).toBe(true);
    // a neighbour: a priced type is still priced
    expect(line(CostEstimator.estimateTemplate({ Resources: { ...t.Resources, Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: 't3.medium' } } } } }), 'EC2 t3.medium').priced).toBe(true);
  });
});

describe('CloudWatch alarms and dashboards (list prices of 2026-11, no free tier)', () => {
  const estimate = (resources: Record<string, any>, prices?: PriceTable) =>
    new CostEstimator(prices).estimate({ Resources: resources }, { natDataGbPerMonth: 0 });
  const line = (e: ReturnType<typeof estimate>, item: string) => e.lines.find((l) => l.item === item);
  const metricAlarm = (period = 60) => ({ Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Period: period, Threshold: 85, EvaluationPeriods: 5, ComparisonOperator: 'GreaterThanThreshold' } });
  const stat = (id: string, period = 60) => ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: id }, Period: period, Stat: 'Sum' } });
  const mathAlarm = (expression: string, ...metrics: any[]) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { Metrics: [{ Id: 'expr_1', Expression: expression }, ...metrics], Threshold: 5, EvaluationPeriods: 5, ComparisonOperator: 'GreaterThanThreshold' },
  });

  test('the price table is dated and has the CloudWatch list prices', () => {
    const p = PriceTable.usEast1().prices;
    expect(p.date).toBe('2026-11-01');
    expect([p.cloudwatchAlarmMetricMonth, p.cloudwatchHighResolutionAlarmMetricMonth, p.cloudwatchCompositeAlarmMonth, p.cloudwatchDashboardMonth]).toEqual([0.1, 0.3, 0.5, 3]);
  });

  test('a standard alarm on one metric is $0.10 a month', () => {
    const e = estimate({ A: metricAlarm() });
    expect(line(e, 'CloudWatch alarm metrics')).toMatchObject({ quantity: 1, unit: 'alarm-metric-month', unitPriceUsd: 0.1, monthlyUsd: 0.1, priced: true });
    expect(e.totalMonthlyUsd).toBeCloseTo(0.1, 2);
  });

  test('a metric-math alarm is billed for each metric it evaluates (the expression itself is free)', () => {
    const e = estimate({ Rate: mathAlarm('100 * FILL(errors, 0) / requests', stat('errors'), stat('requests')), Cpu: metricAlarm() });
    expect(line(e, 'CloudWatch alarm metrics')).toMatchObject({ quantity: 3, monthlyUsd: 0.3 });
    expect(line(e, 'CloudWatch alarm metrics')!.note).toMatch(/2 alarm\(s\).*each metric it evaluates.*without the free tier/);
  });

  test('an anomaly-detection alarm counts 3 alarm metrics (the metric and the band\'s two bounds)', () => {
    const e = estimate({ A: mathAlarm('ANOMALY_DETECTION_BAND(m1, 2)', stat('m1')) });
    expect(line(e, 'CloudWatch alarm metrics')).toMatchObject({ quantity: 3, monthlyUsd: 0.3 });
  });

  test('a period under 60 s is a high-resolution alarm, $0.30 per metric', () => {
    const e = estimate({ A: metricAlarm(10), B: mathAlarm('a + b', stat('a', 10), stat('b', 10)) });
    expect(line(e, 'CloudWatch alarm metrics')).toBeUndefined();
    expect(line(e, 'CloudWatch high-resolution alarm metrics')).toMatchObject({ quantity: 3, unitPriceUsd: 0.3, monthlyUsd: 0.9 });
  });

  test('composite alarms $0.50, dashboards $3.00 each (the free tier\'s 3 dashboards are not deducted)', () => {
    const e = estimate({ C: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: 'ALARM(a)' } }, D1: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} }, D2: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} } });
    expect(line(e, 'CloudWatch composite alarms')).toMatchObject({ quantity: 1, monthlyUsd: 0.5 });
    expect(line(e, 'CloudWatch dashboards')).toMatchObject({ quantity: 2, unitPriceUsd: 3, monthlyUsd: 6 });
    expect(line(e, 'CloudWatch dashboards')!.note).toMatch(/without the free tier's 3 dashboards/);
    expect(e.totalMonthlyUsd).toBeCloseTo(6.5, 2);
  });

  test('a KMS customer managed key (an encrypted alarm topic\'s) is priced per key-month; without the price it is an explicit "not priced" line', () => {
    const key = { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } };
    expect(line(estimate({ K: key }), 'KMS customer managed keys')).toMatchObject({ quantity: 1, priced: true, monthlyUsd: 1 });
    expect(line(estimate({ K: key, K2: key }), 'KMS customer managed keys')!.monthlyUsd).toBe(2);
    const rest: any = { ...PriceTable.usEast1().prices };
    delete rest.kmsKeyMonth;
    expect(estimate({ K: key }, PriceTable.fromPrices(rest)).notPriced).toEqual(['KMS customer managed keys']);
    expect(line(estimate({ K: key }, PriceTable.usEast1().withOverrides({ kmsKeyMonth: 0.5 })), 'KMS customer managed keys')!.monthlyUsd).toBe(0.5);
  });

  test('a Metrics Insights query alarm is an explicit "not priced" line, never a silent zero', () => {
    const e = estimate({ Q: mathAlarm('SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)') });
    expect(line(e, 'CloudWatch Metrics Insights alarms')).toMatchObject({ quantity: 1, priced: false });
    expect(e.notPriced).toContain('CloudWatch Metrics Insights alarms');
  });

  test('a table of your own without CloudWatch prices leaves the lines unpriced; overrides and validation apply', () => {
    const rest: any = { ...PriceTable.usEast1().prices };
    for (const key of ['cloudwatchAlarmMetricMonth', 'cloudwatchHighResolutionAlarmMetricMonth', 'cloudwatchCompositeAlarmMonth', 'cloudwatchDashboardMonth']) delete rest[key];
    const e = estimate({ A: metricAlarm(), D: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} } }, PriceTable.fromPrices(rest));
    expect(e.notPriced).toEqual(['CloudWatch alarm metrics', 'CloudWatch dashboards']);
    expect(e.totalMonthlyUsd).toBe(0);
    const cheaper = PriceTable.usEast1().withOverrides({ cloudwatchDashboardMonth: 2.5 });
    expect(line(estimate({ D: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} } }, cheaper), 'CloudWatch dashboards')!.monthlyUsd).toBe(2.5);
    expect(() => PriceTable.usEast1().withOverrides({ cloudwatchAlarmMetricMonth: -0.1 })).toThrow(/Price `cloudwatchAlarmMetricMonth` must be a number >= 0, got -0.1/);
  });
});
