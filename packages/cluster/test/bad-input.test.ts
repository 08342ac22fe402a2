import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Egress, Network } from '@portcullis/network';
import * as fc from 'fast-check';
import { ApiService, ApiServiceProps, Deployment, Ec2Cluster, Ec2ClusterProps, FargateCluster } from '../src';
import { instanceSize } from '../src/private/instance-sizes';

/** Bad input (issue 17): every rejection names the prop, the value and the fix; the valid neighbours still synthesize. */

function fargate(props: Partial<ApiServiceProps> = {}, egress?: Egress) {
  const stack = new Stack(new App(), 'Test');
  const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network', { egress }) });
  const service = new ApiService(stack, 'Api', { cluster, ...props });
  // synthesized on first use, so tests can still add constructs before reading it
  return { stack, cluster, service, get template() { return Template.fromStack(stack); } };
}

function onEc2(props: Partial<ApiServiceProps> = {}, clusterProps: Partial<Ec2ClusterProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network'), ...clusterProps });
  const service = new ApiService(stack, 'Api', { cluster, ...props });
  return { stack, cluster, service, template: Template.fromStack(stack) };
}

function taskDefinition(template: Template) {
  return Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties;
}
function ecsService(template: Template) {
  return Object.values<any>(template.findResources('AWS::ECS::Service'))[0].Properties;
}

describe('serviceName: 1 to 255 letters, digits, hyphens and underscores', () => {
  test.each([
    ['empty', '', /`serviceName` must be 1 to 255 letters, digits, hyphens and underscores.*got '': give a name, or leave the prop out/],
    ['with spaces', 'my api', /`serviceName` must be 1 to 255 letters.*got 'my api': remove spaces/],
    ['non-ASCII', 'commandés', /`serviceName` must be 1 to 255 letters.*got 'commandés': remove spaces, accents/],
    ['a slash', 'team/api', /`serviceName`.*got 'team\/api'/],
    ['256 characters', 'a'.repeat(256), /`serviceName` must be 1 to 255 letters.*\(256 characters\): shorten it to 255 characters/],
  ])('%s is rejected', (_, serviceName, message) => {
    expect(() => fargate({ serviceName })).toThrow(message);
  });

  test('255 characters, digits, hyphens and underscores are accepted (and become the family)', () => {
    const name = `Api_v2-${'x'.repeat(248)}`;
    expect(name).toHaveLength(255);
    const { template } = fargate({ serviceName: name });
    expect(ecsService(template).ServiceName).toBe(name);
    expect(taskDefinition(template).Family).toBe(name);
  });

  test('a token name is accepted', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    const name = new CfnParameter(stack, 'Name').valueAsString;
    new ApiService(stack, 'Api', { cluster, serviceName: name });
    expect(ecsService(Template.fromStack(stack)).ServiceName).toEqual({ Ref: 'Name' });
  });

  test('the same name twice on one cluster is rejected, naming both services', () => {
    const { stack, cluster } = fargate({ serviceName: 'orders' });
    expect(() => new ApiService(stack, 'Api2', { cluster, serviceName: 'orders' }))
      .toThrow(/`serviceName` 'orders' of Test\/Api2 is already used by Test\/Api on the same cluster \(Test\/Cluster\): .*give one of them another `serviceName`/);
  });

  test('the same name on two clusters, and two services without names, are accepted', () => {
    const { stack, cluster } = fargate({ serviceName: 'orders' });
    const other = new FargateCluster(stack, 'Other', { network: cluster.network });
    new ApiService(stack, 'Api2', { cluster: other, serviceName: 'orders' });
    new ApiService(stack, 'Api3', { cluster });
    new ApiService(stack, 'Api4', { cluster });
    expect(Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::Service')).map((s) => s.Properties.ServiceName))
      .toEqual(['orders', 'orders', undefined, undefined]);
  });

  test('clusterName uses the same rule (shared helper)', () => {
    const stack = new Stack(new App(), 'Test');
    const network = new Network(stack, 'Network');
    expect(() => new FargateCluster(stack, 'A', { network, clusterName: '' })).toThrow(/`clusterName` must be 1 to 255 letters.*got ''/);
    expect(() => new Ec2Cluster(stack, 'B', { network, clusterName: 'c'.repeat(256) })).toThrow(/`clusterName`.*\(256 characters\)/);
    new FargateCluster(stack, 'C', { network, clusterName: 'api_cluster-1' });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'api_cluster-1' });
  });
});

describe('image', () => {
  test.each([
    ['empty', '', /`image` must be an image reference like .*, got '': give the image name to ContainerImage.fromRegistry/],
    ['with a space', 'my api:1', /`image` must be an image reference.*got 'my api:1'/],
  ])('%s is rejected', (_, name, message) => {
    expect(() => fargate({ image: ecs.ContainerImage.fromRegistry(name) })).toThrow(message);
  });

  test('Egress.none() still refuses public images, with its own message', () => {
    expect(() => fargate({ image: ecs.ContainerImage.fromRegistry('nginx:1.27') }, Egress.none())).toThrow(/`image` 'nginx:1.27' \(registry docker.io\) cannot be pulled/);
  });
});

describe('numbers: NaN, Infinity, fractions and AWS limits', () => {
  test.each<[string, Partial<ApiServiceProps>, RegExp]>([
    ['desiredCount NaN', { desiredCount: NaN }, /`desiredCount` must be a whole number from 0 to 5000, got NaN/],
    ['desiredCount Infinity', { desiredCount: Infinity }, /`desiredCount` must be a whole number from 0 to 5000, got Infinity/],
    ['desiredCount 2.5', { desiredCount: 2.5 }, /`desiredCount` must be a whole number from 0 to 5000, got 2.5/],
    ['desiredCount over the 5,000 tasks per service', { desiredCount: 5001 }, /`desiredCount` must be a whole number from 0 to 5000, got 5001: use 0 to 5000 tasks \(ECS allows at most 5000 per service\)/],
    ['containerPort NaN', { containerPort: NaN }, /`containerPort` must be a whole number from 1 to 65535, got NaN/],
    ['containerPort 80.5', { containerPort: 80.5 }, /`containerPort`.*got 80.5/],
    ['containerPort 65536', { containerPort: 65536 }, /`containerPort`.*got 65536/],
    ['cpu Infinity', { cpu: Infinity }, /`cpu` must be a whole number >= 128, got Infinity/],
    ['memory NaN', { memory: NaN }, /`memory` must be a whole number >= 128, got NaN/],
    ['minHealthyPercent NaN', { minHealthyPercent: NaN }, /`minHealthyPercent` must be a whole number >= 0, got NaN/],
    ['maxHealthyPercent Infinity', { maxHealthyPercent: Infinity }, /`maxHealthyPercent` must be a whole number >= 100, got Infinity/],
    ['autoScaling.minCapacity over 5,000', { autoScaling: { minCapacity: 5001, maxCapacity: 6000 } }, /`autoScaling.minCapacity` must be a whole number from 0 to 5000, got 5001: .*at most 5000 tasks per service/],
    ['autoScaling.maxCapacity over 5,000', { autoScaling: { maxCapacity: 5001 } }, /`autoScaling.maxCapacity` must be a whole number from 1 to 5000, got 5001/],
    ['autoScaling.maxCapacity Infinity', { autoScaling: { maxCapacity: Infinity } }, /`autoScaling.maxCapacity`.*got Infinity/],
    ['autoScaling.minCapacity NaN', { autoScaling: { minCapacity: NaN } }, /`autoScaling.minCapacity`.*got NaN/],
    ['autoScaling.targetCpuUtilization 50.5', { autoScaling: { targetCpuUtilization: 50.5 } }, /`autoScaling.targetCpuUtilization` must be a whole number from 1 to 100, got 50.5/],
    ['autoScaling.targetMemoryUtilization NaN', { autoScaling: { targetMemoryUtilization: NaN } }, /`autoScaling.targetMemoryUtilization`.*got NaN/],
    ['logRetention Infinity', { logRetention: Infinity }, /`logRetention` must be one of the RetentionDays values.*got Infinity: use a RetentionDays member/],
    ['logRetention NaN', { logRetention: NaN }, /`logRetention`.*got NaN/],
    ['logRetention 2 days (not a RetentionDays value)', { logRetention: 2 as logs.RetentionDays }, /`logRetention`.*got 2/],
    ['logRetention INFINITE', { logRetention: logs.RetentionDays.INFINITE }, /`logRetention` must be a finite retention, got RetentionDays.INFINITE/],
  ])('%s is rejected', (_, props, message) => {
    expect(() => fargate(props)).toThrow(message);
  });

  test('neighbours: ports 1 and 65535, desiredCount 0 and 5000, autoscaling up to 5000', () => {
    expect(taskDefinition(fargate({ containerPort: 1 }).template).ContainerDefinitions[0].PortMappings[0].ContainerPort).toBe(1);
    expect(taskDefinition(fargate({ containerPort: 65535 }).template).ContainerDefinitions[0].PortMappings[0].ContainerPort).toBe(65535);
    expect(ecsService(fargate({ desiredCount: 0 }).template).DesiredCount).toBe(0);
    expect(ecsService(fargate({ desiredCount: 5000 }).template).DesiredCount).toBe(5000);
    fargate({ autoScaling: { minCapacity: 0, maxCapacity: 5000 } }).template
      .hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 5000 });
  });

  test('neighbour: the largest Fargate size, 16 vCPU / 120 GB', () => {
    const td = taskDefinition(fargate({ cpu: 16384, memory: 122880 }).template);
    expect([td.Cpu, td.Memory]).toEqual(['16384', '122880']);
  });

  test('neighbour: tokens for numbers are accepted and reach the template', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    const count = new CfnParameter(stack, 'Count', { type: 'Number' }).valueAsNumber;
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    const percent = new CfnParameter(stack, 'Percent', { type: 'Number' }).valueAsNumber;
    expect(Token.isUnresolved(count)).toBe(true);
    new ApiService(stack, 'Api', { cluster, desiredCount: count, minHealthyPercent: percent, autoScaling: { minCapacity: 1, maxCapacity: max } });
    const template = Template.fromStack(stack);
    expect(ecsService(template).DesiredCount).toEqual({ Ref: 'Count' });
    expect(ecsService(template).DeploymentConfiguration.MinimumHealthyPercent).toEqual({ Ref: 'Percent' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: { Ref: 'Max' } });
  });
});

describe('health check: ECS ranges, whole seconds', () => {
  const command = ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'];
  test.each<[string, Partial<ecs.HealthCheck>, RegExp]>([
    ['interval in milliseconds', { interval: Duration.millis(1500) }, /`healthCheck.interval` must be a whole number of seconds from 5 to 300 seconds, got Duration.millis\(1500\): use Duration.seconds\(5\): CloudFormation takes whole seconds/],
    ['interval 4 s', { interval: Duration.seconds(4) }, /`healthCheck.interval` must be .* from 5 to 300 seconds, got Duration.seconds\(4\)/],
    ['interval 301 s', { interval: Duration.seconds(301) }, /`healthCheck.interval`.*got Duration.seconds\(301\)/],
    ['timeout in milliseconds', { timeout: Duration.millis(2500) }, /`healthCheck.timeout` must be a whole number of seconds from 2 to 120 seconds, got Duration.millis\(2500\)/],
    ['timeout 1 s', { timeout: Duration.seconds(1) }, /`healthCheck.timeout`.*got Duration.seconds\(1\)/],
    ['timeout 121 s', { timeout: Duration.seconds(121) }, /`healthCheck.timeout`.*got Duration.seconds\(121\)/],
    ['retries 0', { retries: 0 }, /`healthCheck.retries` must be a whole number from 1 to 10, got 0/],
    ['retries 11', { retries: 11 }, /`healthCheck.retries`.*got 11/],
    ['retries NaN', { retries: NaN }, /`healthCheck.retries`.*got NaN/],
    ['startPeriod 301 s', { startPeriod: Duration.seconds(301) }, /`healthCheck.startPeriod` must be a whole number of seconds from 0 to 300 seconds, got Duration.seconds\(301\)/],
    ['startPeriod in milliseconds', { startPeriod: Duration.millis(500) }, /`healthCheck.startPeriod`.*got Duration.millis\(500\)/],
    ['an empty command', { command: [] }, /`healthCheck.command` must be a command to run in the container, got \[\]/],
    ['a command of only CMD-SHELL', { command: ['CMD-SHELL'] }, /`healthCheck.command`.*got \["CMD-SHELL"\]/],
  ])('%s is rejected', (_, healthCheck, message) => {
    expect(() => fargate({ healthCheck: { command, ...healthCheck } })).toThrow(message);
  });

  test('neighbours: the range ends (5 s / 2 s / 1 retry / 0 s; 300 s / 120 s / 10 retries / 300 s) and 2 minutes as millis', () => {
    const check = (h: ecs.HealthCheck) => taskDefinition(fargate({ healthCheck: h }).template).ContainerDefinitions[0].HealthCheck;
    expect(check({ command, interval: Duration.seconds(5), timeout: Duration.seconds(2), retries: 1, startPeriod: Duration.seconds(0) }))
      .toEqual({ Command: command, Interval: 5, Timeout: 2, Retries: 1, StartPeriod: 0 });
    expect(check({ command, interval: Duration.minutes(5), timeout: Duration.millis(120000), retries: 10, startPeriod: Duration.seconds(300) }))
      .toEqual({ Command: command, Interval: 300, Timeout: 120, Retries: 10, StartPeriod: 300 });
  });
});

describe('EC2 capacity: instance counts and task sizes', () => {
  test.each<[string, Partial<Ec2ClusterProps>, RegExp]>([
    ['maxCapacity 0', { maxCapacity: 0 }, /`maxCapacity` must be a whole number from 1 to 5000, got 0: use 1 to 5000 instances: with 0 no instance could ever run a task/],
    ['maxCapacity over 5,000 instances per cluster', { maxCapacity: 5001 }, /`maxCapacity` must be a whole number from 1 to 5000, got 5001: .*at most 5000 per cluster/],
    ['maxCapacity NaN', { maxCapacity: NaN }, /`maxCapacity`.*got NaN/],
    ['minCapacity Infinity', { minCapacity: Infinity }, /`minCapacity` must be a whole number from 0 to 5000, got Infinity/],
    ['minCapacity 1.5', { minCapacity: 1.5 }, /`minCapacity`.*got 1.5/],
    ['rootVolumeSize NaN', { rootVolumeSize: NaN }, /`rootVolumeSize`.*got NaN/],
  ])('%s is rejected', (_, props, message) => {
    expect(() => onEc2({}, props)).toThrow(message);
  });

  test('neighbours: maxCapacity 1 and 5000', () => {
    onEc2({}, { maxCapacity: 1 }).template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MaxSize: '1' });
    onEc2({}, { maxCapacity: 5000 }).template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MaxSize: '5000' });
  });

  test.each<[string, Partial<ApiServiceProps>, Partial<Ec2ClusterProps>, RegExp]>([
    ['4 vCPU on t3.medium (2 vCPU)', { cpu: 4096, memory: 2048 }, {},
      /`cpu` 4096 is more than a t3.medium instance has \(2 vCPU = 2048 CPU units\): the task could never be placed; use `cpu` <= 2048, or a larger `instanceType`/],
    ['4096 MiB on t3.medium (4 GiB installed)', { memory: 4096 }, {},
      /`memory` 4096 MiB does not fit a t3.medium instance \(4096 MiB installed.*use `memory` well below 4096, or a larger `instanceType`/],
    ['16 GiB on c7g.2xlarge (16 GiB)', { cpu: 1024, memory: 16384 }, { instanceType: new ec2.InstanceType('c7g.2xlarge'), graviton: true }, /`memory` 16384 MiB does not fit a c7g.2xlarge/],
    ['3 vCPU on m5.large (2 vCPU)', { cpu: 3072, memory: 1024 }, { instanceType: new ec2.InstanceType('m5.large') }, /`cpu` 3072 is more than a m5.large instance has/],
  ])('a task larger than the instance: %s', (_, props, clusterProps, message) => {
    expect(() => onEc2(props, clusterProps)).toThrow(message);
  });

  test('neighbours: a task that fits, the whole CPU of the instance, and unknown instance types are not checked', () => {
    expect(taskDefinition(onEc2({ cpu: 2048, memory: 3072 }).template)).toEqual(expect.objectContaining({ Cpu: '2048', Memory: '3072' }));
    expect(taskDefinition(onEc2({ cpu: 4096, memory: 30000 }, { instanceType: new ec2.InstanceType('r6i.xlarge') }).template))
      .toEqual(expect.objectContaining({ Cpu: '4096', Memory: '30000' }));
    // c5n sizes are not in the table: not checked, even if it would not fit
    expect(taskDefinition(onEc2({ cpu: 8192, memory: 4096 }, { instanceType: new ec2.InstanceType('c5n.large') }).template).Cpu).toBe('8192');
  });
});

test('instance sizes: the table and the size-suffix rule', () => {
  expect(instanceSize('t3.nano')).toEqual({ vcpus: 2, memoryMiB: 512 });
  expect(instanceSize('t4g.2xlarge')).toEqual({ vcpus: 8, memoryMiB: 32768 });
  expect(instanceSize('m7g.medium')).toEqual({ vcpus: 1, memoryMiB: 4096 });
  expect(instanceSize('c5.9xlarge')).toEqual({ vcpus: 36, memoryMiB: 73728 });
  expect(instanceSize('r6gd.16xlarge')).toEqual({ vcpus: 64, memoryMiB: 524288 });
  expect(instanceSize('m6a.xlarge')).toEqual({ vcpus: 4, memoryMiB: 16384 });
  // not known: other attributes, metal, other families and generations
  for (const t of ['c5n.large', 'm7i-flex.large', 'r7iz.large', 'm5.metal', 'x2idn.large', 't2.micro', 'm4.large', 'g5.xlarge', 'nonsense']) {
    expect([t, instanceSize(t)]).toEqual([t, undefined]);
  }
});

test('Egress.none() with Ec2Cluster still needs ec2Capacity', () => {
  const stack = new Stack(new App(), 'Test');
  expect(() => new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network', { egress: Egress.none() }) }))
    .toThrow(/Ec2Cluster on a network with `egress: Egress.none\(\)` needs the ECS, ECS agent and ECS telemetry endpoints/);
});

/**
 * Invalid ApiService props: a random valid service with one invalid prop. Every one must be
 * rejected at synth with a message naming that prop; none may reach CloudFormation.
 */
interface Invalid {
  readonly prop: string;
  readonly props: Partial<ApiServiceProps>;
  /** Props whose making throws (a `Deployment` factory validates its options). */
  readonly lazyProps?: () => Partial<ApiServiceProps>;
  readonly ec2?: boolean;
  readonly egress?: Egress;
}

const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);
const fraction = fc.double({ min: 0.01, max: 1000, noNaN: true }).filter((x) => !Number.isInteger(x));
const badName = fc.oneof(
  fc.constant(''),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /[^A-Za-z0-9_-]/.test(s)),
  fc.integer({ min: 256, max: 400 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('my api', 'commandés', 'team/api', 'api\n'),
);
const command = ['CMD-SHELL', 'exit 0'];

const INVALID: fc.Arbitrary<Invalid> = fc.oneof(
  badName.map((serviceName) => ({ prop: 'serviceName', props: { serviceName } })),
  fc.constantFrom('', ' ', 'my api:1', 'api\t1').map((name) => ({ prop: 'image', props: { image: ecs.ContainerImage.fromRegistry(name) } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 65536 })).map((containerPort) => ({ prop: 'containerPort', props: { containerPort } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: -1 }), fc.integer({ min: 5001 })).map((desiredCount) => ({ prop: 'desiredCount', props: { desiredCount } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 127 }), fc.constantFrom(300, 3000)).map((cpu) => ({ prop: 'cpu', props: { cpu } })),
  fc.oneof(nonFinite, fraction, fc.constantFrom(1000, 4096, 100)).map((memory) => ({ prop: 'memory', props: { cpu: 256, memory } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: -1 })).map((minHealthyPercent) => ({ prop: 'minHealthyPercent', props: { minHealthyPercent } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 99 })).map((maxHealthyPercent) => ({ prop: 'maxHealthyPercent', props: { maxHealthyPercent } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: -1 }), fc.integer({ min: 5001, max: 100000 })).map((minCapacity) => ({ prop: 'autoScaling.minCapacity', props: { autoScaling: { minCapacity, maxCapacity: 5000 } } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 5001 })).map((maxCapacity) => ({ prop: 'autoScaling.maxCapacity', props: { autoScaling: { minCapacity: 0, maxCapacity } } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 101 })).map((targetCpuUtilization) => ({ prop: 'autoScaling.targetCpuUtilization', props: { autoScaling: { targetCpuUtilization } } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 101 })).map((targetMemoryUtilization) => ({ prop: 'autoScaling.targetMemoryUtilization', props: { autoScaling: { targetMemoryUtilization } } })),
  fc.oneof(
    fc.integer({ min: 1, max: 400000 }).filter((ms) => ms % 1000 !== 0).map((ms) => Duration.millis(ms)),
    fc.integer({ min: 0, max: 4 }).map((s) => Duration.seconds(s)),
    fc.integer({ min: 301, max: 100000 }).map((s) => Duration.seconds(s)),
  ).map((interval) => ({ prop: 'healthCheck.interval', props: { healthCheck: { command, interval } } })),
  fc.oneof(
    fc.integer({ min: 1, max: 200000 }).filter((ms) => ms % 1000 !== 0).map((ms) => Duration.millis(ms)),
    fc.constantFrom(0, 1, 121, 3600).map((s) => Duration.seconds(s)),
  ).map((timeout) => ({ prop: 'healthCheck.timeout', props: { healthCheck: { command, timeout } } })),
  fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 11 })).map((retries) => ({ prop: 'healthCheck.retries', props: { healthCheck: { command, retries } } })),
  fc.oneof(
    fc.integer({ min: 1, max: 400000 }).filter((ms) => ms % 1000 !== 0).map((ms) => Duration.millis(ms)),
    fc.integer({ min: 301, max: 100000 }).map((s) => Duration.seconds(s)),
  ).map((startPeriod) => ({ prop: 'healthCheck.startPeriod', props: { healthCheck: { command, startPeriod } } })),
  fc.constantFrom<string[][]>([], ['CMD'], ['CMD-SHELL']).map((c) => ({ prop: 'healthCheck.command', props: { healthCheck: { command: c } } })),
  fc.oneof(nonFinite, fc.constantFrom(logs.RetentionDays.INFINITE, 2, 0, -1, 4000)).map((r) => ({ prop: 'logRetention', props: { logRetention: r } })),
  fc.constantFrom<string[][]>(['tmp'], ['/'], ['/a b'], ['/x', '/x/']).map((writablePaths) => ({ prop: 'writablePaths', props: { readonlyRootFilesystem: true, writablePaths } })),
  fc.constant<Invalid>({ prop: 'assignPublicIp', props: { assignPublicIp: true } }),
  fc.constant<Invalid>({ prop: 'assignPublicIp', props: {}, egress: Egress.publicSubnetsOnly() }),
  fc.constant<Invalid>({ prop: 'image', props: { image: ecs.ContainerImage.fromRegistry('nginx:1.27') }, egress: Egress.none() }),
  fc.constant<Invalid>({ prop: 'runtimePlatform.cpuArchitecture', props: { runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } }, ec2: true }),
  fc.constantFrom(4096, 8192).map((cpu) => ({ prop: 'cpu', props: { cpu, memory: 1024 }, ec2: true })),
  fc.integer({ min: 4096, max: 100000 }).map((memory) => ({ prop: 'memory', props: { cpu: 1024, memory }, ec2: true })),
  fc.oneof(nonFinite, fc.constantFrom(0, 0.05, 100.1, 5.05, -1)).map((percent) => ({ prop: 'deployment', props: {}, lazyProps: () => ({ deployment: Deployment.canary({ percent }) }) })),
  fc.oneof(nonFinite, fc.constantFrom(2.9, 0, 101)).map((percent) => ({ prop: 'deployment', props: {}, lazyProps: () => ({ deployment: Deployment.linear({ percent }) }) })),
  fc.constantFrom(Duration.seconds(30), Duration.minutes(1441), Duration.minutes(NaN)).map((bakeTime) => ({ prop: 'deployment', props: {}, lazyProps: () => ({ deployment: Deployment.blueGreen({ bakeTime }) }) })),
  // no load balancer: an error at synth
  fc.constantFrom(() => Deployment.canary(), () => Deployment.linear(), () => Deployment.blueGreen()).map((make) => ({ prop: 'deployment', props: {}, lazyProps: () => ({ deployment: make() }) })),
);

test('property: random invalid ApiService props are rejected at synth, naming the prop', () => {
  const seen = new Set<string>();
  fc.assert(fc.property(
    INVALID,
    fc.record({ serviceName: fc.constantFrom(undefined, 'orders', 'api_v2'), desiredCount: fc.integer({ min: 0, max: 10 }) }),
    (invalid, base) => {
      const stack = new Stack(new App(), 'Test');
      const network = new Network(stack, 'Network', { egress: invalid.egress });
      const cluster = invalid.ec2 ? new Ec2Cluster(stack, 'Cluster', { network }) : new FargateCluster(stack, 'Cluster', { network });
      let error: Error | undefined;
      try {
        new ApiService(stack, 'Api', { cluster, ...base, ...invalid.props, ...invalid.lazyProps?.() });
        Template.fromStack(stack); // synth: must not get here
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toContain(`\`${invalid.prop}`);
      seen.add(invalid.prop);
    },
  ), { numRuns: 300 });
  // every kind of invalid prop was generated
  expect([...seen].sort()).toEqual([
    'assignPublicIp', 'autoScaling.maxCapacity', 'autoScaling.minCapacity', 'autoScaling.targetCpuUtilization', 'autoScaling.targetMemoryUtilization',
    'containerPort', 'cpu', 'deployment', 'desiredCount', 'healthCheck.command', 'healthCheck.interval', 'healthCheck.retries', 'healthCheck.startPeriod', 'healthCheck.timeout',
    'image', 'logRetention', 'maxHealthyPercent', 'memory', 'minHealthyPercent', 'runtimePlatform.cpuArchitecture', 'serviceName', 'writablePaths',
  ]);
});
