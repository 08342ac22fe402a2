import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CostEstimator, PriceTable } from '../src';
import { FREE_TYPES } from '../src/private/cost-coverage';

const H = 730;
const MONTH_S = H * 3600;
const GIB = 1024 ** 3;
type Estimate = ReturnType<typeof CostEstimator.estimateTemplate>;
const line = (e: Estimate, prefix: string) => e.lines.find((l) => l.item.startsWith(prefix));

/**
 * A cluster with `services` Fargate (or EC2) services, each `tasks` tasks of its own family
 * unless `sharedFamily`; Container Insights as `mode` (undefined: no ClusterSettings).
 */
function cluster(mode: string | undefined | object, opts: { services?: number; tasks?: number; ec2?: boolean; sharedFamily?: boolean; networkMode?: string; healthCheck?: boolean } = {}) {
  const resources: Record<string, any> = {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: mode === undefined ? {} : { ClusterSettings: [{ Name: 'containerInsights', Value: mode }] } },
  };
  for (let i = 0; i < (opts.services ?? 1); i++) {
    const td = opts.sharedFamily ? 'Td0' : `Td${i}`;
    resources[td] = {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: `family-${td}`, Cpu: '256', Memory: '512', NetworkMode: opts.networkMode ?? 'awsvpc',
        RequiresCompatibilities: [opts.ec2 ? 'EC2' : 'FARGATE'],
        ContainerDefinitions: [{ Name: 'api', Image: 'nginx', ...(opts.healthCheck ? { HealthCheck: { Command: ['CMD', 'true'], Interval: 5 } } : {}) }],
      },
    };
    resources[`Svc${i}`] = {
      Type: 'AWS::ECS::Service',
      Properties: { Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: td }, DesiredCount: opts.tasks ?? 2, LaunchType: opts.ec2 ? 'EC2' : 'FARGATE' },
    };
  }
  return { Resources: resources };
}

describe('Container Insights: a cluster setting, priced from the services in the template', () => {
  test('standard on a Fargate cluster with one service: 37 metrics (12 by cluster, 15 by service, 10 by family) at $0.30 = $11.10', () => {
    const e = CostEstimator.estimateTemplate(cluster('enabled'));
    const metrics = line(e, 'Container Insights metrics (standard, Cluster)')!;
    // by cluster: 8 task metrics + 2 ephemeral-storage (Fargate) + TaskCount, ServiceCount; by service: the 10 + 5 service
    // metrics (DeploymentCount, DesiredTaskCount, PendingTaskCount, RunningTaskCount, TaskSetCount); by family: the 10
    expect(metrics).toMatchObject({ quantity: (10 + 2) + (10 + 5) + 10, unit: 'metric-month', unitPriceUsd: 0.3, monthlyUsd: 11.1, priced: true });
    expect(metrics.note).toMatch(/^12 by cluster, 15 by service \(1\), 10 by task family \(1\); billed as custom metrics, prorated by the hour, only while tasks run/);
    // performance log events: one a minute for the cluster, the service and each of the 2 tasks, ~2 KB each
    const perf = line(e, 'Container Insights performance log ingestion (Cluster)')!;
    expect(perf.quantity).toBeCloseTo((4 * 60 * H * 2048) / GIB, 4);
    expect(perf.monthlyUsd).toBeCloseTo(perf.quantity * 0.5, 2);
    expect(e.notPriced).toEqual([]);
  });

  test('each further service with its own family adds 25 metrics on Fargate; one sharing the family adds 15', () => {
    expect(line(CostEstimator.estimateTemplate(cluster('enabled', { services: 2 })), 'Container Insights metrics')!.quantity).toBe(37 + 25);
    expect(line(CostEstimator.estimateTemplate(cluster('enabled', { services: 3 })), 'Container Insights metrics')!.quantity).toBe(37 + 2 * 25);
    expect(line(CostEstimator.estimateTemplate(cluster('enabled', { services: 2, sharedFamily: true })), 'Container Insights metrics')!.quantity).toBe(37 + 15);
  });

  test('EC2 capacity: no ephemeral-storage metrics, ContainerInstanceCount: 32; host network mode has no network metrics: 26', () => {
    expect(line(CostEstimator.estimateTemplate(cluster('enabled', { ec2: true, networkMode: 'awsvpc' })), 'Container Insights metrics')!.quantity).toBe((8 + 3) + (8 + 5) + 8);
    expect(line(CostEstimator.estimateTemplate(cluster('enabled', { ec2: true, networkMode: 'host' })), 'Container Insights metrics')!.quantity).toBe((6 + 3) + (6 + 5) + 6);
  });

  test('a service with no running task publishes nothing: no line', () => {
    const e = CostEstimator.estimateTemplate(cluster('enabled', { tasks: 0 }));
    expect(line(e, 'Container Insights')).toBeUndefined();
  });

  test('enhanced observability: per task and per container too, at $0.07 (the Price List figure, said so)', () => {
    const e = CostEstimator.estimateTemplate(cluster('enhanced', { tasks: 2, healthCheck: true }));
    const metrics = line(e, 'Container Insights metrics (enhanced, Cluster)')!;
    // 16 task-level metrics (8 + 2 ephemeral + TaskCpu/TaskMemory/ContainerCpuUtilization + 2 container network
    // + TaskEphemeralStorageUtilization) by cluster, service, family and, per task, with service and with family;
    // 8 container metrics (7 + UnHealthyContainerHealthStatus: a health check) by cluster, service+container,
    // family+container and per task with each; 5 service metrics; TaskCount, ServiceCount
    const expected = 16 * (3 + 2 * 2) + 8 * (3 + 2 * 2) + 5 + 2;
    expect(metrics).toMatchObject({ quantity: expected, unitPriceUsd: 0.07 });
    expect(metrics.monthlyUsd).toBeCloseTo(expected * 0.07, 2);
    expect(metrics.note).toMatch(/AWS Price List's figure \(MetricStorage:CI-ECS\), no AWS pricing page confirms it/);
    // one performance log event a minute more per container of each task
    expect(line(e, 'Container Insights performance log ingestion')!.quantity).toBeCloseTo((6 * 60 * H * 2048) / GIB, 4);
  });

  test('off (disabled) or not set: no line, the cluster is free with the reason; not set also warns (the account setting decides)', () => {
    const off = CostEstimator.estimateTemplate(cluster('disabled'));
    expect(line(off, 'Container Insights')).toBeUndefined();
    expect(off.free).toContainEqual(expect.objectContaining({ type: 'AWS::ECS::Cluster', count: 1, reason: expect.stringMatching(/Container Insights off/) }));
    expect(off.warnings.join('\n')).not.toMatch(/containerInsights/);
    const unset = CostEstimator.estimateTemplate(cluster(undefined));
    expect(line(unset, 'Container Insights')).toBeUndefined();
    expect(unset.warnings).toContain('ClusterSettings of Cluster do not set containerInsights: the account setting decides (AWS\'s default is disabled); priced as off');
  });

  test('a setting the template does not determine is an unpriced line, never a silent zero', () => {
    const e = CostEstimator.estimateTemplate(cluster({ 'Fn::If': ['Prod', 'enabled', 'disabled'] }));
    expect(e.notPriced).toEqual(['Container Insights (Cluster)']);
    expect(line(e, 'Container Insights (Cluster)')!.note).toMatch(/cannot evaluate Value of Cluster: intrinsic Fn::If/);
  });

  test('CDK\'s own cluster setting (containerInsightsV2) is read: ENABLED priced, DISABLED free', () => {
    const synth = (insights: ecs.ContainerInsights) => {
      const stack = new Stack(new App(), 'Ci');
      const c = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }), containerInsightsV2: insights });
      const td = new ecs.FargateTaskDefinition(stack, 'Td');
      td.addContainer('api', { image: ecs.ContainerImage.fromRegistry('nginx') });
      new ecs.FargateService(stack, 'Svc', { cluster: c, taskDefinition: td, desiredCount: 2 });
      return CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON());
    };
    expect(line(synth(ecs.ContainerInsights.ENABLED), 'Container Insights metrics (standard')!.quantity).toBe(37);
    expect(line(synth(ecs.ContainerInsights.DISABLED), 'Container Insights')).toBeUndefined();
  });
});

describe('logs: the services\' own logs, flow logs and storage at stated idle volumes', () => {
  function logged(opts: { retention?: number; flowLog?: Record<string, unknown> } = {}) {
    const t: any = cluster('disabled', { healthCheck: true });
    t.Resources.Logs = { Type: 'AWS::Logs::LogGroup', Properties: opts.retention ? { RetentionInDays: opts.retention } : {} };
    t.Resources.Td0.Properties.ContainerDefinitions[0].LogConfiguration = { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' } } };
    if (opts.flowLog) {
      t.Resources.FlowLogs = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } };
      t.Resources.FlowLog = { Type: 'AWS::EC2::FlowLog', Properties: { ResourceType: 'VPC', ResourceId: 'vpc-1', LogGroupName: { Ref: 'FlowLogs' }, ...opts.flowLog } };
    }
    return t;
  }

  test('a container that answers its health check every 5 s logs one 150-byte line per check: 2 tasks', () => {
    const e = CostEstimator.estimateTemplate(logged({ retention: 30 }));
    const gb = (2 * (MONTH_S / 5) * 150) / GIB;
    expect(line(e, 'Service log ingestion')!.quantity).toBeCloseTo(gb, 4);
    expect(line(e, 'Service log ingestion')!.note).toMatch(/Svc0: 2 task\(s\), container health check every 5 s: 1,051,200 lines of 150 bytes/);
    // stored for the group's 30 days: a month's ingestion x 30 / 30.4 days
    expect(line(e, 'CloudWatch Logs storage')!.quantity).toBeCloseTo((gb * 30) / (H / 24), 4);
  });

  test('load balancer health checks: each ALB node (one per AZ) checks each target at the group\'s interval', () => {
    const t: any = logged({ retention: 7 });
    delete t.Resources.Td0.Properties.ContainerDefinitions[0].HealthCheck;
    t.Resources.Alb = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['a', 'b', 'c'] } };
    t.Resources.Tg = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { HealthCheckIntervalSeconds: 6, TargetType: 'ip' } };
    t.Resources.Listener = { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Alb' }, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }] } };
    t.Resources.Svc0.Properties.LoadBalancers = [{ ContainerName: 'api', ContainerPort: 80, TargetGroupArn: { Ref: 'Tg' } }];
    const e = CostEstimator.estimateTemplate(t);
    expect(line(e, 'Service log ingestion')!.quantity).toBeCloseTo((2 * 3 * (MONTH_S / 6) * 150) / GIB, 4);
    expect(line(e, 'Service log ingestion')!.note).toMatch(/3 load balancer node\(s\) checking every 6 s/);
  });

  test('logIngestionGbPerMonth replaces the derived volume; a group without retention is stored for a year', () => {
    const e = CostEstimator.estimateTemplate(logged(), { logIngestionGbPerMonth: 2 });
    expect(line(e, 'Service log ingestion')).toMatchObject({ quantity: 2, monthlyUsd: 1 });
    expect(line(e, 'CloudWatch Logs storage')!.quantity).toBeCloseTo((2 * 365) / (H / 24), 3);
    expect(line(e, 'CloudWatch Logs storage')!.note).toMatch(/1 group\(s\) without retention counted at a year/);
  });

  test('a VPC flow log: 0.05 GB a month for REJECT, 0.5 GB for ALL (stated), flowLogGbPerMonth to change it; to S3 an unpriced line', () => {
    expect(line(CostEstimator.estimateTemplate(logged({ retention: 1, flowLog: { TrafficType: 'REJECT' } })), 'VPC flow log ingestion')).toMatchObject({ quantity: 0.05, monthlyUsd: 0.03 });
    expect(line(CostEstimator.estimateTemplate(logged({ retention: 1, flowLog: { TrafficType: 'ALL' } })), 'VPC flow log ingestion')).toMatchObject({ quantity: 0.5, monthlyUsd: 0.25 });
    expect(line(CostEstimator.estimateTemplate(logged({ retention: 1, flowLog: { TrafficType: 'ALL' } }), { flowLogGbPerMonth: 3 }), 'VPC flow log ingestion')).toMatchObject({ quantity: 3, monthlyUsd: 1.5 });
    const s3 = CostEstimator.estimateTemplate(logged({ retention: 1, flowLog: { TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::bucket' } }));
    expect(s3.notPriced).toEqual(['VPC flow log delivery to s3 (FlowLog)']);
    expect(() => CostEstimator.estimateTemplate(logged(), { flowLogGbPerMonth: -1 })).toThrow(/`flowLogGbPerMonth` must be a number >= 0, got -1/);
  });

  test('a log group nothing in the template writes to is said in the warnings (counted as 0 GB)', () => {
    const stack = new Stack(new App(), 'L');
    new logs.LogGroup(stack, 'Orphan', { retention: logs.RetentionDays.ONE_WEEK });
    const e = CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON());
    expect(e.warnings).toContainEqual(expect.stringMatching(/^log group Orphan\w+: nothing in the template writes to it that the estimator knows \(counted as 0 GB\/month\)$/));
    expect(e.totalMonthlyUsd).toBe(0);
  });
});

describe('every resource is priced, free with a reason, or an unpriced line', () => {
  test('a type the estimator does not know is an unpriced line (in notPriced), never a silent zero', () => {
    const e = CostEstimator.estimateTemplate({ Resources: {
      Db: { Type: 'AWS::RDS::DBInstance', Properties: {} },
      Db2: { Type: 'AWS::RDS::DBInstance', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
    } });
    expect(e.notPriced).toEqual(['Unpriced resource type AWS::RDS::DBInstance']);
    expect(line(e, 'Unpriced resource type')).toMatchObject({ quantity: 2, priced: false, monthlyUsd: undefined });
    expect(e.free).toEqual([{ type: 'AWS::IAM::Role', count: 1, reason: expect.stringMatching(/IAM has no charge/) }]);
  });

  test('a network load balancer and a WebSocket API are unpriced lines; a gateway endpoint and a custom resource are free', () => {
    const e = CostEstimator.estimateTemplate({ Resources: {
      Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network' } },
      Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
      S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } },
      Cr: { Type: 'Custom::Anything', Properties: {} },
    } });
    expect(e.notPriced).toEqual(['Network and gateway load balancers', 'API Gateway WebSocket APIs']);
    expect(e.free.map((f) => f.type).sort()).toEqual(['AWS::EC2::VPCEndpoint', 'Custom::Anything']);
  });

  test('every free type has a reason', () => {
    for (const [type, reason] of Object.entries(FREE_TYPES)) expect(`${type}: ${reason}`).toMatch(/: \w.{5,}/);
  });
});

describe('public IPv4 of every kind', () => {
  const subnet = (map: boolean) => ({ Type: 'AWS::EC2::Subnet', Properties: { MapPublicIpOnLaunch: map } });

  test('an instance in a subnet that maps public IPs holds one; with an Elastic IP only the Elastic IP counts', () => {
    const alone = CostEstimator.estimateTemplate({ Resources: { Pub: subnet(true), I: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.small', SubnetId: { Ref: 'Pub' } } } } });
    expect(alone.publicIpv4Count).toBe(1);
    expect(line(alone, 'Public IPv4')!.note).toMatch(/1 instance IP\(s\)/);
    const withEip = CostEstimator.estimateTemplate({ Resources: {
      Pub: subnet(true), I: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.small', SubnetId: { Ref: 'Pub' } } },
      Eip: { Type: 'AWS::EC2::EIP', Properties: { InstanceId: { Ref: 'I' } } },
    } });
    expect(withEip.publicIpv4Count).toBe(1);
    const privateOne = CostEstimator.estimateTemplate({ Resources: { Priv: subnet(false), I: { Type: 'AWS::EC2::Instance', Properties: { InstanceType: 't3.small', SubnetId: { Ref: 'Priv' } } } } });
    expect(privateOne.publicIpv4Count).toBe(0);
    expect(line(privateOne, 'EC2 instance t3.small')).toMatchObject({ priced: true, monthlyUsd: 15.18 });
  });

  test('an Auto Scaling group in public subnets, or whose launch template asks for a public IP, holds one per instance', () => {
    const lt = (nic: boolean) => ({ Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: 't3.small', ...(nic ? { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }] } : {}) } } });
    const asg = (subnetId: string) => ({ Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '2', MaxSize: '2', VPCZoneIdentifier: [{ Ref: subnetId }], LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' } } } });
    expect(CostEstimator.estimateTemplate({ Resources: { Pub: subnet(true), Lt: lt(false), Asg: asg('Pub') } }).publicIpv4Count).toBe(2);
    expect(CostEstimator.estimateTemplate({ Resources: { Priv: subnet(false), Lt: lt(true), Asg: asg('Priv') } }).publicIpv4Count).toBe(2);
    expect(CostEstimator.estimateTemplate({ Resources: { Priv: subnet(false), Lt: lt(false), Asg: asg('Priv') } }).publicIpv4Count).toBe(0);
  });
});

test('Fargate Spot is priced at the conservative end of the observed range ($0.0134/vCPU-hour, $0.00147/GB-hour), and the line says so', () => {
  const p = PriceTable.usEast1().prices;
  expect([p.fargateSpotVcpuHour, p.fargateSpotGbHour]).toEqual([0.0134, 0.00147]);
  const t: any = cluster('disabled');
  t.Resources.Svc0.Properties.LaunchType = undefined;
  t.Resources.Svc0.Properties.CapacityProviderStrategy = [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }];
  expect(line(CostEstimator.estimateTemplate(t), 'Fargate Spot vCPU')!.note).toMatch(/the conservative end of the observed range/);
});
