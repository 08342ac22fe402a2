import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { UpdateSafety } from '@portcullis/audit';
import { Network } from '@portcullis/network';
import { ApiService, ApiServiceProps, Capacity, Deployment, Ec2Cluster, Ec2ClusterProps, FargateCluster } from '@portcullis/cluster';

/**
 * "What a change replaces": for each change of props, synthesize before and after and ask
 * UpdateSafety (cloudformation-diff + the resource spec, with create-only cascades) what an
 * update of a deployed stack would replace or remove. The README publishes the same table;
 * the last test checks it row by row.
 *
 * (Moved from packages/cluster/test: the package's tests do not depend on @portcullis/audit,
 * whose change would otherwise affect every package; this app composes the package and the
 * audit, and checks the package's README table.)
 */
interface Case {
  readonly change: string;
  readonly ec2?: boolean;
  readonly cluster?: Partial<Ec2ClusterProps>;
  readonly service?: Partial<ApiServiceProps>;
  /**
   * Behind a load balancer: an ALB, a listener, two target groups and a weighted rule, as
   * AlbIngress makes them; the service gets the alternate target when its deployment shifts
   * traffic. `before` is then the service's props in the deployed stack.
   */
  readonly alb?: { readonly before: Partial<ApiServiceProps> };
  /** Without a load balancer: the service's props in the deployed stack (default: the default service). */
  readonly before?: Partial<ApiServiceProps>;
  /** Rewrites the after-template: a change CloudFormation sees at deploy time, not in the CDK code. */
  readonly deployTime?: (template: any) => void;
  /** `<type> <change>` of every finding, sorted; [] = updated in place. */
  readonly replaces: string[];
}

function synth(ec2Capacity: boolean, cluster: Partial<Ec2ClusterProps> = {}, service: Partial<ApiServiceProps> = {}, alb = false): any {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network');
  const apiCluster = ec2Capacity
    ? new Ec2Cluster(stack, 'Cluster', { network, ...cluster })
    : new FargateCluster(stack, 'Cluster', { network, containerInsightsMode: cluster.containerInsightsMode });
  const api = new ApiService(stack, 'Service', { cluster: apiCluster, ...service });
  if (alb) {
    const vpc = network.vpc;
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
    const targetGroup = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, { vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
    const blue = targetGroup('Blue');
    const green = targetGroup('Green');
    const listener = lb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.forward([blue]) });
    const rule = new elbv2.ApplicationListenerRule(stack, 'Rule', {
      listener, priority: 50000, conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 100 }, { targetGroup: green, weight: 0 }]),
    });
    const alternate = api.deployment.usesTrafficShiftResources
      ? new ecs.AlternateTarget('Alternate', { alternateTargetGroup: green, productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule), role: iam.Role.fromRoleArn(stack, 'EcsRole', 'arn:aws:iam::123456789012:role/ecs-lb') })
      : undefined;
    api.attachToTargetGroup(blue, rule, alternate);
    api.addRollbackAlarm(blue.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT).createAlarm(stack, 'Errors', { threshold: 1, evaluationPeriods: 3 }));
  }
  return Template.fromStack(stack).toJSON();
}

/** The launch template's ImageId as CloudFormation resolves it from the public SSM parameter. */
function resolvedAmi(ami: string) {
  return (template: any) => {
    for (const r of Object.values<any>(template.Resources)) {
      if (r.Type === 'AWS::EC2::LaunchTemplate') r.Properties.LaunchTemplateData.ImageId = ami;
    }
  };
}

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
const CASES: Case[] = [
  { change: '`desiredCount` 2 → 4', service: { desiredCount: 4 }, replaces: [] },
  { change: '`image`', service: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4') }, replaces: [TASK_DEFINITION] },
  { change: '`cpu` / `memory` 256 / 512 → 512 / 1024', service: { cpu: 512, memory: 1024 }, replaces: [TASK_DEFINITION] },
  { change: '`containerPort` 80 → 8080', service: { containerPort: 8080 }, replaces: [TASK_DEFINITION] },
  {
    change: '`healthCheck` added',
    service: { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], startPeriod: Duration.seconds(60) } },
    replaces: [TASK_DEFINITION],
  },
  { change: '`autoScaling` added', service: { autoScaling: { maxCapacity: 6 } }, replaces: [] },
  { change: '`readonlyRootFilesystem` on', service: { readonlyRootFilesystem: true }, replaces: [TASK_DEFINITION] },
  { change: '`enableExecuteCommand` on', service: { enableExecuteCommand: true }, replaces: [] },
  { change: '`circuitBreaker` off', service: { circuitBreaker: false }, replaces: [] },
  { change: '`rollbackAlarms` off', service: { rollbackAlarms: false }, replaces: [] },
  // the deployment controller stays ECS (create-only): the service is updated in place
  { change: '`deployment` rolling → canary (behind a load balancer)', alb: { before: {} }, service: { deployment: Deployment.canary() }, replaces: [] },
  {
    change: '`deployment` canary → blue/green (behind a load balancer)',
    alb: { before: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.blueGreen() },
    replaces: [],
  },
  // the way off a traffic-shifting strategy: the alternate group, the rule and the role stay
  {
    change: '`deployment` canary → `Deployment.rolling({ keepTrafficShiftResources: true })` (behind a load balancer)',
    alb: { before: { deployment: Deployment.canary() } },
    service: { deployment: Deployment.rolling({ keepTrafficShiftResources: true }) },
    replaces: [],
  },
  {
    change: '`serviceName` set (was generated)',
    service: { serviceName: 'orders' },
    replaces: ['AWS::ECS::Service REPLACE', TASK_DEFINITION],
  },
  // Every capacity is a capacity-provider strategy (on-demand: FARGATE base 0 weight 1), which
  // is updated in place; Spot also sets the container's stop timeout (a new task definition).
  { change: '`capacity` → `Capacity.spot()`', service: { capacity: Capacity.spot() }, replaces: [TASK_DEFINITION] },
  { change: '`capacity` → `Capacity.mixed()`', service: { capacity: Capacity.mixed() }, replaces: [TASK_DEFINITION] },
  { change: '`capacity` `Capacity.spot()` → `Capacity.onDemand()`', before: { capacity: Capacity.spot() }, service: { capacity: Capacity.onDemand() }, replaces: [TASK_DEFINITION] },
  {
    change: '`capacity` `Capacity.spot()` → `Capacity.mixed()` (behind a load balancer, canary)',
    alb: { before: { capacity: Capacity.spot(), deployment: Deployment.canary() } },
    service: { capacity: Capacity.mixed(), deployment: Deployment.canary() },
    replaces: [],
  },
  // LaunchType is create-only: a service deployed with `LaunchType: FARGATE` (what Portcullis
  // wrote for on-demand before) is replaced when it moves to a strategy, once.
  { change: 'upgrade: a service deployed with `LaunchType: FARGATE` → the default', before: { capacity: Capacity.onDemandLaunchType() }, service: {}, replaces: ['AWS::ECS::Service REPLACE'] },
  { change: 'upgrade with `Capacity.onDemandLaunchType()`', before: { capacity: Capacity.onDemandLaunchType() }, service: { capacity: Capacity.onDemandLaunchType() }, replaces: [] },
  {
    change: '`Capacity.onDemandLaunchType()` → `Capacity.spot()`',
    before: { capacity: Capacity.onDemandLaunchType() },
    service: { capacity: Capacity.spot() },
    replaces: ['AWS::ECS::Service REPLACE', TASK_DEFINITION],
  },
  { change: '`runtimePlatform` X86_64 → ARM64 (Graviton)', service: { runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } }, replaces: [TASK_DEFINITION] },
  // Container Insights is a ClusterSettings value, updated in place (the cluster keeps its name and ARN)
  { change: '`containerInsightsMode` `ENABLED` → `DISABLED`', cluster: { containerInsightsMode: ecs.ContainerInsights.DISABLED }, replaces: [] },
  { change: '`containerInsightsMode` `ENABLED` → `ENHANCED`', cluster: { containerInsightsMode: ecs.ContainerInsights.ENHANCED }, replaces: [] },
  { change: 'EC2: `containerInsightsMode` `ENABLED` → `DISABLED`', ec2: true, cluster: { containerInsightsMode: ecs.ContainerInsights.DISABLED }, replaces: [] },
  { change: 'EC2: a new ECS AMI in the public SSM parameter', ec2: true, deployTime: resolvedAmi('ami-0123456789abcdef0'), replaces: [] },
  { change: 'EC2: `instanceType` t3.medium → m7i.large', ec2: true, cluster: { instanceType: new ec2.InstanceType('m7i.large') }, replaces: [] },
  { change: 'EC2: `spot` on', ec2: true, cluster: { spot: true }, replaces: [] },
  { change: 'EC2: `rootVolumeSize` 50 → 80', ec2: true, cluster: { rootVolumeSize: 80 }, replaces: [] },
  { change: 'EC2: `minCapacity` / `maxCapacity` 0 / 100 → 1 / 10', ec2: true, cluster: { minCapacity: 1, maxCapacity: 10 }, replaces: [] },
  // Graviton also makes the task definition arm64.
  { change: 'EC2: `graviton` on', ec2: true, cluster: { graviton: true }, replaces: [TASK_DEFINITION] },
];

const baseline = { fargate: synth(false), ec2: synth(true) };
/** The before-template with the AMI CloudFormation resolved at the first deploy. */
const ec2Before = JSON.parse(JSON.stringify(baseline.ec2));
resolvedAmi('ami-0fedcba9876543210')(ec2Before);

function replacements(c: Case): string[] {
  const before = c.alb ? synth(false, {}, c.alb.before, true)
    : c.ec2 ? (c.deployTime ? ec2Before : baseline.ec2)
      : c.before ? synth(false, {}, c.before) : baseline.fargate;
  const after = synth(c.ec2 ?? false, c.cluster, c.service, c.alb !== undefined);
  c.deployTime?.(after);
  const report = UpdateSafety.compare(before, after);
  expect(report.passed).toBe(true); // no change of this table may break clients
  return report.findings.map((f) => `${f.resourceType} ${f.change}`).sort();
}

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  expect(replacements(c)).toEqual([...c.replaces].sort());
});

test('on EC2 no change of the table replaces the Auto Scaling group, the capacity provider, the cluster or the service', () => {
  const kept = ['AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::CapacityProvider', 'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::EC2::LaunchTemplate'];
  for (const c of CASES.filter((x) => x.ec2)) {
    expect(replacements(c).filter((r) => kept.some((k) => r.startsWith(k)))).toEqual([]);
  }
});

test('the README of @portcullis/cluster publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'cluster', 'README.md'), 'utf8');
  for (const c of CASES) {
    const cell = c.replaces.length === 0 ? 'nothing (updated in place)' : [...c.replaces].sort().map((r) => `\`${r}\``).join(', ');
    expect(readme).toContain(`| ${c.change} | ${cell} |`);
  }
});

test('why every strategy keeps the ECS deployment controller: changing it (e.g. to CodeDeploy) would replace the service', () => {
  const after = JSON.parse(JSON.stringify(baseline.fargate));
  const service = Object.values<any>(after.Resources).find((r) => r.Type === 'AWS::ECS::Service');
  expect(service.Properties.DeploymentController).toEqual({ Type: 'ECS' });
  service.Properties.DeploymentController = { Type: 'CODE_DEPLOY' };
  expect(UpdateSafety.compare(baseline.fargate, after).findings.map((f) => `${f.resourceType} ${f.change}`)).toContain('AWS::ECS::Service REPLACE');
  for (const deployment of [Deployment.canary(), Deployment.linear(), Deployment.blueGreen()]) {
    const template = synth(false, {}, { deployment }, true);
    expect(Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::Service').Properties.DeploymentController).toEqual({ Type: 'ECS' });
  }
});
