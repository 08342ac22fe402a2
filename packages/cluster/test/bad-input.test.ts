import { App, Aws, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Egress, Network } from '@portcullis/network';
import * as fc from 'fast-check';
import { ApiService, ApiServiceProps, Capacity, Deployment, Ec2Cluster, Ec2ClusterProps, FargateCluster } from '../src';
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

const ENV = { account: '123456789012', region: 'us-east-1' };
const WINDOWS = ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_CORE;
const windowsImage = ecs.ContainerImage.fromRegistry('mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022');

describe('platform: capacity that cannot run the task\'s OS or architecture', () => {
  test.each<[string, Partial<ApiServiceProps>, boolean, RegExp]>([
    ['Windows on an Ec2Cluster (ECS-optimized Amazon Linux 2023)', { runtimePlatform: { operatingSystemFamily: WINDOWS }, image: windowsImage }, true,
      /^`runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE cannot run on an Ec2Cluster: its instances run the ECS-optimized Amazon Linux 2023 image, which runs Linux containers only. Use a FargateCluster for Windows tasks/],
    ['Windows on Fargate ARM64', { runtimePlatform: { operatingSystemFamily: WINDOWS, cpuArchitecture: ecs.CpuArchitecture.ARM64 }, cpu: 1024, memory: 2048, image: windowsImage }, false,
      /`runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE with `runtimePlatform.cpuArchitecture` ARM64: Fargate runs Windows containers on X86_64 only/],
    ['Windows on Fargate Spot', { runtimePlatform: { operatingSystemFamily: WINDOWS }, capacity: Capacity.spot(), cpu: 1024, memory: 2048, image: windowsImage }, false,
      /^`capacity` Capacity.spot\(\) puts tasks on FARGATE_SPOT, which runs Linux tasks only, and `runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE is Windows. Use `capacity: Capacity.onDemand\(\)`/],
    ['Windows on a Spot mix', { runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2019_FULL }, capacity: Capacity.mixed(), cpu: 1024, memory: 2048, image: windowsImage }, false,
      /`capacity` Capacity.mixed\(\{ onDemandBase: 1, spotWeight: 3 \}\) puts tasks on FARGATE_SPOT/],
    ['Windows with the default 0.25 vCPU', { runtimePlatform: { operatingSystemFamily: WINDOWS }, image: windowsImage }, false,
      /^`cpu` 256 cannot run `runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE on Fargate: Windows tasks take 1024, 2048 or 4096 CPU units.*Use e.g. `cpu: 1024, memory: 2048`/],
    // found by CloudFormation Validate (E3047) once the tests failed on its errors: 1 vCPU takes 2 to 8 GiB on Windows too
    ['Windows 1 vCPU with 1 GiB', { runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu: 1024, memory: 1024, image: windowsImage }, false,
      /`memory` 1024 is not valid with `cpu` 1024 for `runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE on Fargate: use 2048 to 8192 MiB in steps of 1024/],
    ['Windows 2 vCPU with 2 GiB', { runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu: 2048, memory: 2048, image: windowsImage }, false,
      /`memory` 2048 is not valid with `cpu` 2048 for `runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE on Fargate: use 4096 to 16384 MiB in steps of 1024/],
    ['Windows with a read-only root filesystem', { runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu: 1024, memory: 2048, image: windowsImage, readonlyRootFilesystem: true }, false,
      /^`readonlyRootFilesystem` is not supported for Windows containers/],
    ['Windows with writablePaths', { runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu: 1024, memory: 2048, image: windowsImage, writablePaths: ['/tmp'] }, false,
      /^`writablePaths` are Linux paths/],
    ['Windows with the default (Linux) nginx image', { runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu: 1024, memory: 2048 }, false,
      /^`image` is the default nginx image, a Linux image, and `runtimePlatform.operatingSystemFamily` WINDOWS_SERVER_2022_CORE runs Windows containers/],
  ])('%s is refused, naming the prop and the fix', (_, props, onEc2Cluster, message) => {
    expect(() => (onEc2Cluster ? onEc2(props) : fargate(props))).toThrow(message);
  });

  test('neighbours: Windows on on-demand Fargate X86_64 (1, 2 and 4 vCPU), with the launch type too; Spot with ARM64 Linux', () => {
    for (const [cpu, memory] of [[1024, 2048], [1024, 8192], [2048, 16384], [4096, 30720]]) {
      const td = taskDefinition(fargate({ runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu, memory, image: windowsImage }).template);
      expect(td.RuntimePlatform).toEqual({ CpuArchitecture: 'X86_64', OperatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' });
      expect([td.Cpu, td.Memory]).toEqual([String(cpu), String(memory)]);
    }
    expect(ecsService(fargate({ runtimePlatform: { operatingSystemFamily: WINDOWS }, cpu: 1024, memory: 2048, image: windowsImage, capacity: Capacity.onDemandLaunchType() }).template).LaunchType).toBe('FARGATE');
    const spotArm = fargate({ capacity: Capacity.spot(), runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } }).template;
    expect(ecsService(spotArm).CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 }]);
  });

  test('a Linux family written explicitly is fine on EC2 capacity', () => {
    expect(taskDefinition(onEc2({ runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } }).template).RuntimePlatform.OperatingSystemFamily).toBe('LINUX');
  });
});

describe('writablePaths: paths the container runtime owns are refused', () => {
  test.each(['/proc', '/proc/sys', '/sys', '/sys/fs/cgroup', '/dev', '/dev/shm', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '//proc', '/./dev/', '/dev/'])('%s', (path) => {
    expect(() => fargate({ readonlyRootFilesystem: true, writablePaths: [path] }))
      .toThrow(new RegExp(`^\`writablePaths\` cannot contain '${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}': .*(provided by the container runtime|a file the container runtime writes into every container).*Remove it.*'/tmp'`));
  });
  test('neighbours: look-alikes are ordinary directories', () => {
    expect(fargate({ readonlyRootFilesystem: true, writablePaths: ['/procs', '/devices', '/system', '/etc/app', '/var/run', '/tmp/dev'] }).service.writablePaths)
      .toEqual(['/procs', '/devices', '/system', '/etc/app', '/var/run', '/tmp/dev']);
  });
});

describe('image: references that are not image references', () => {
  test.each([
    ['uppercase repository', 'MyOrg/API:1', /^`image` must be an image reference like .* got 'MyOrg\/API:1': the repository path 'MyOrg\/API' has uppercase letters: repository names are lowercase \(write 'myorg\/api'\)/],
    ['uppercase single name', 'Nginx', /got 'Nginx': the repository path 'Nginx' has uppercase letters/],
    ['a tag starting with a dash', 'nginx:-latest', /got 'nginx:-latest': the tag '-latest' must be 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'/],
    ['a tag of 129 characters', `nginx:${'v'.repeat(129)}`, /the tag 'v{129}' must be 1 to 128/],
    ['a tag with a slash-free bad character', 'nginx:1.27+build', /the tag '1.27\+build'/],
    ['a short digest', 'nginx@sha256:abc', /the digest 'sha256:abc' must be algorithm:hex/],
    ['a doubled slash', 'ghcr.io//acme/api:1', /has an empty component/],
    ['a trailing slash', 'acme/', /the repository path 'acme\/' has an empty component/],
    ['a bad path separator', 'acme/api_:1', /the repository path component 'api_' must be lowercase letters and digits joined by/],
    ['a bad registry host', 'my_registry.example.com/api:1', /the registry host 'my_registry.example.com' is not a host name/],
  ])('%s is refused at synth', (_, name, message) => {
    expect(() => fargate({ image: ecs.ContainerImage.fromRegistry(name) })).toThrow(message);
  });

  test.each([
    'nginx', 'nginx:1.27', 'library/nginx', 'public.ecr.aws/docker/library/nginx:1.27-alpine', 'localhost:5000/team/api:v1_2.3',
    'registry.example.com:8443/a/b.c/d__e-f:latest', `nginx@sha256:${'0'.repeat(64)}`, `ghcr.io/acme/api:2@sha256:${'a'.repeat(64)}`, 'MyRegistry.Example.com/api:1',
  ])('neighbour %s is accepted', (name) => {
    expect(taskDefinition(fargate({ image: ecs.ContainerImage.fromRegistry(name) }).template).ContainerDefinitions[0].Image).toBe(name);
  });

  test('tokens: accepted, but their literal parts are checked (spaces; a literal tag after the last token)', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    const repo = new CfnParameter(stack, 'Repo').valueAsString;
    new ApiService(stack, 'Ok', { cluster, image: ecs.ContainerImage.fromRegistry(`${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.amazonaws.com/${repo}:v1`) });
    expect(() => new ApiService(stack, 'Space', { cluster, image: ecs.ContainerImage.fromRegistry(`${repo} :v1`) })).toThrow(/`image` must be an image reference.*remove the spaces/);
    expect(() => new ApiService(stack, 'Tag', { cluster, image: ecs.ContainerImage.fromRegistry(`${repo}:-v1`) })).toThrow(/the tag '-v1' must be 1 to 128/);
    expect(() => new ApiService(stack, 'EcrTag', { cluster, image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'R', 'api'), 'bad tag') }))
      .toThrow(/remove the spaces/);
  });
});

describe('Egress.none(): what the tasks need must be reachable through this Region\'s endpoints', () => {
  function isolated(props: (stack: Stack) => Partial<ApiServiceProps>, agnostic = false) {
    const stack = new Stack(new App(), 'Test', { env: agnostic ? undefined : ENV });
    const network = new Network(stack, 'Network', { egress: Egress.none() });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    const service = new ApiService(stack, 'Api', { cluster, ...props(stack) });
    return { stack, service, get template() { return Template.fromStack(stack); } };
  }
  const endpointServices = (template: Template) => Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint'))
    .map((e) => JSON.stringify(e.Properties.ServiceName)).map((n) => /\.(ecr\.api|ecr\.dkr|secretsmanager|ssmmessages|ssm|logs|s3)"/.exec(n)?.[1] ?? n).sort();

  test('a private ECR image of another Region is refused, naming `image`, both Regions and the fix', () => {
    expect(() => isolated(() => ({ image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1') })))
      .toThrow(/^`image` '123456789012.dkr.ecr.eu-west-1.amazonaws.com\/api:1' is in the private ECR registry of eu-west-1, but the network's egress is Egress.none\(\) and its ECR endpoints reach only us-east-1.*Replicate the repository to us-east-1/);
    expect(() => isolated((stack) => ({ image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryArn(stack, 'R', 'arn:aws:ecr:eu-west-1:123456789012:repository/api'), '1') })))
      .toThrow(/is in the private ECR registry of eu-west-1/);
  });

  test('neighbours: the same Region, a repository of the stack, and an environment-agnostic stack (a warning naming the Region)', () => {
    expect(taskDefinition(isolated(() => ({ image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1') })).template).ContainerDefinitions[0].Image)
      .toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');
    expect(taskDefinition(isolated((stack) => ({ image: ecs.ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Repo'), '1') })).template).ContainerDefinitions[0].Image)
      .toEqual({ 'Fn::Join': ['', expect.arrayContaining([expect.stringContaining('.dkr.ecr.')])] });
    const agnostic = isolated(() => ({ image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1') }), true);
    Annotations.fromStack(agnostic.stack).hasWarning('/Test/Api', Match.stringLikeRegexp('is in the private ECR registry of eu-west-1.*can pull it only when deployed in eu-west-1'));
  });

  const image = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');
  test('secrets get their endpoint (Secrets Manager, SSM), once, and the service waits for it', () => {
    const built = isolated((stack) => ({
      image,
      secrets: {
        DB: ecs.Secret.fromSecretsManager(new sm.Secret(stack, 'Db')),
        KEY: ecs.Secret.fromSecretsManager(sm.Secret.fromSecretNameV2(stack, 'Key', 'key')),
        FLAG: ecs.Secret.fromSsmParameter(new ssm.StringParameter(stack, 'Flag', { stringValue: 'x' })),
      },
    }));
    const template = built.template;
    expect(endpointServices(template)).toEqual(['ecr.api', 'ecr.dkr', 'logs', 's3', 'secretsmanager', 'ssm']);
    const endpoints = Object.keys(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(Object.values<any>(template.findResources('AWS::ECS::Service'))[0].DependsOn).toEqual(expect.arrayContaining(endpoints));
  });

  test('a secret in another Region is refused, naming `secrets.<NAME>`, both Regions and the fix', () => {
    expect(() => isolated((stack) => ({
      image, secrets: { DB: ecs.Secret.fromSecretsManager(sm.Secret.fromSecretCompleteArn(stack, 'Db', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf')) },
    }))).toThrow(/^`secrets.DB` is in eu-west-1, but the network's egress is Egress.none\(\) and its endpoints reach only us-east-1.*Replicate the secret/);
  });

  test('neighbours: with NAT egress no endpoint is added and another Region is fine', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    new ApiService(stack, 'Api', { cluster, secrets: { DB: ecs.Secret.fromSecretsManager(sm.Secret.fromSecretCompleteArn(stack, 'Db', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf')) } });
    expect(endpointServices(Template.fromStack(stack))).toEqual(['s3']);
  });
});

describe('imported subnets all in one availability zone: a warning', () => {
  function imported(azs: string[]) {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-12345678', availabilityZones: azs,
      privateSubnetIds: azs.map((_, i) => `subnet-0000000${i}`),
    });
    const cluster = new FargateCluster(stack, 'Cluster', { vpc });
    new ApiService(stack, 'Api', { cluster });
    return stack;
  }
  test('one AZ: the warning names the AZ and the fix', () => {
    Annotations.fromStack(imported(['us-east-1a'])).hasWarning('/Test/Api', Match.stringLikeRegexp(
      '^Every subnet the tasks run in is in one availability zone \\(us-east-1a\\): an outage of that AZ stops the service.*subnets in two or more AZs'));
  });
  test('two AZs: no warning', () => {
    Annotations.fromStack(imported(['us-east-1a', 'us-east-1b'])).hasNoWarning('/Test/Api', Match.stringLikeRegexp('one availability zone'));
  });
});

describe('tokens are never compared or converted as numbers', () => {
  test('a token logRetention reaches the log group as is', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    new ApiService(stack, 'Api', { cluster, logRetention: days });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: { Ref: 'Days' } });
  });

  test('a token health-check interval or timeout is refused (aws-cdk-lib compares them as numbers at synth); a token startPeriod must be in seconds and reaches the template', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    const n = new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber;
    const command = ['CMD-SHELL', 'exit 0'];
    expect(() => new ApiService(stack, 'Interval', { cluster, healthCheck: { command, interval: Duration.seconds(n) } }))
      .toThrow(/^`healthCheck.interval` must be known at synth, got a token \(Duration.seconds\(<token>\)\): aws-cdk-lib checks its range when it synthesizes.*e.g. Duration.seconds\(30\)/);
    expect(() => new ApiService(stack, 'Timeout', { cluster, healthCheck: { command, timeout: Duration.minutes(n) } })).toThrow(/^`healthCheck.timeout` must be known at synth/);
    expect(() => new ApiService(stack, 'Start', { cluster, healthCheck: { command, startPeriod: Duration.minutes(n) } }))
      .toThrow(/^`healthCheck.startPeriod` is a token written as Duration.minutes\(...\), but it is written to the template in seconds.*Duration.seconds\(<token>\)/);
    new ApiService(stack, 'Ok', { cluster, healthCheck: { command, startPeriod: Duration.seconds(n) } });
    const tds = Object.values<any>(Template.fromStack(stack).findResources('AWS::ECS::TaskDefinition'));
    expect(tds.map((td) => td.Properties.ContainerDefinitions[0].HealthCheck.StartPeriod)).toEqual([{ Ref: 'N' }]);
  });

  test('healthCheck.interval shorter than healthCheck.timeout (also against the defaults) names both props', () => {
    const command = ['CMD-SHELL', 'exit 0'];
    expect(() => fargate({ healthCheck: { command, interval: Duration.seconds(10), timeout: Duration.seconds(20) } }))
      .toThrow(/^`healthCheck.interval` \(10 s\) must be at least `healthCheck.timeout` \(20 s\).*Raise `healthCheck.interval` to 20 s or more, or lower `healthCheck.timeout` to 10 s or less/);
    expect(() => fargate({ healthCheck: { command, timeout: Duration.seconds(60) } })).toThrow(/`healthCheck.interval` \(30 s, the default\) must be at least `healthCheck.timeout` \(60 s\)/);
    expect(taskDefinition(fargate({ healthCheck: { command, interval: Duration.seconds(20), timeout: Duration.seconds(20) } }).template).ContainerDefinitions[0].HealthCheck)
      .toEqual(expect.objectContaining({ Interval: 20, Timeout: 20 }));
  });

  test('a token bake time must be written in minutes: an error naming `deployment` and the option; in minutes it reaches the template', () => {
    const stack = new Stack(new App(), 'Test');
    const n = new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber;
    expect(() => Deployment.canary({ bakeTime: Duration.hours(n) }))
      .toThrow(/^`deployment`: Deployment.canary\(\{ bakeTime \}\) is a token written as Duration.hours\(...\), but ECS takes whole minutes.*Duration.minutes\(<token>\)/);
    expect(() => Deployment.linear({ stepBakeTime: Duration.seconds(n) })).toThrow(/Deployment.linear\(\{ stepBakeTime \}\) is a token written as Duration.seconds/);
    expect(Deployment.blueGreen({ bakeTime: Duration.minutes(n) }).bakeTime?.isUnresolved()).toBe(true);
  });
});

describe('error messages suggest only what fits the configuration', () => {
  test('`capacity` on-demand on an Ec2Cluster: remove it (not "set spot")', () => {
    expect(() => onEc2({ capacity: Capacity.onDemand() })).toThrow(/^`capacity` \(ON_DEMAND\) is for Fargate clusters, got Capacity.onDemand\(\);.*: remove `capacity`: an Ec2Cluster's instances are on-demand unless its `spot` is true$/);
    expect(() => onEc2({ capacity: Capacity.spot() })).toThrow(/got Capacity.spot\(\);.*set `spot: true` on the Ec2Cluster/);
  });
  test('`runtimePlatform.cpuArchitecture` X86_64 on a Graviton cluster: remove `graviton` (not "set graviton")', () => {
    expect(() => onEc2({ runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64 } }, { graviton: true }))
      .toThrow(/`runtimePlatform.cpuArchitecture` X86_64 does not match the EC2 cluster's instances \(ARM64\): remove `graviton` from the Ec2Cluster/);
  });
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
  /** Props that need the stack (secrets, repositories, parameters). */
  readonly stackProps?: (stack: Stack) => Partial<ApiServiceProps>;
  /** A stack with an account and a Region (us-east-1), for Region checks. */
  readonly env?: boolean;
  /** Attach the service to an ALB target group (without an alternate target). */
  readonly behindAlb?: boolean;
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
  // Deployment.rolling({ keepTrafficShiftResources }): not a boolean; nothing to keep without a load balancer; a registration without alternate target
  fc.constantFrom<unknown>('yes', 1, 0, 'false', {}).map((keep) => ({ prop: 'deployment', props: {}, lazyProps: () => ({ deployment: Deployment.rolling({ keepTrafficShiftResources: keep as boolean }) }) })),
  fc.boolean().map((behindAlb) => ({ prop: 'deployment', props: { deployment: Deployment.rolling({ keepTrafficShiftResources: true }) }, behindAlb })),
  // minHealthyPercent at or above maxHealthyPercent (the fast-check seed -760546814 counterexample is 100 / 100 on EC2)
  fc.integer({ min: 100, max: 400 }).chain((max) => fc.record({ max: fc.constant(max), min: fc.integer({ min: max, max: max + 200 }), onEc2Capacity: fc.boolean() }))
    .map(({ min, max, onEc2Capacity }) => ({ prop: 'minHealthyPercent', props: { minHealthyPercent: min, maxHealthyPercent: max }, ec2: onEc2Capacity })),
  // Capacity.mixed out of ECS's ranges
  fc.oneof(
    fc.record({ spotWeight: fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 1001 })) }),
    fc.record({ onDemandBase: fc.oneof(nonFinite, fraction, fc.integer({ max: -1 }), fc.integer({ min: 100001 })) }),
  ).map((options) => ({ prop: 'Capacity.mixed', props: {}, lazyProps: () => ({ capacity: Capacity.mixed(options) }) })),
  // OS / architecture / capacity combinations that cannot run
  fc.constantFrom(ecs.OperatingSystemFamily.WINDOWS_SERVER_2019_CORE, ecs.OperatingSystemFamily.WINDOWS_SERVER_2022_FULL, ecs.OperatingSystemFamily.WINDOWS_SERVER_2025_CORE)
    .chain((family) => fc.constantFrom<Invalid>(
      { prop: 'runtimePlatform.operatingSystemFamily', props: { runtimePlatform: { operatingSystemFamily: family }, image: windowsImage }, ec2: true },
      { prop: 'runtimePlatform.operatingSystemFamily', props: { runtimePlatform: { operatingSystemFamily: family, cpuArchitecture: ecs.CpuArchitecture.ARM64 }, cpu: 1024, memory: 2048, image: windowsImage } },
      { prop: 'capacity', props: { runtimePlatform: { operatingSystemFamily: family }, capacity: Capacity.spot(), cpu: 1024, memory: 2048, image: windowsImage } },
      { prop: 'capacity', props: { runtimePlatform: { operatingSystemFamily: family }, capacity: Capacity.mixed({ onDemandBase: 0 }), cpu: 2048, memory: 4096, image: windowsImage } },
      { prop: 'cpu', props: { runtimePlatform: { operatingSystemFamily: family }, cpu: 512, memory: 1024, image: windowsImage } },
      { prop: 'readonlyRootFilesystem', props: { runtimePlatform: { operatingSystemFamily: family }, cpu: 1024, memory: 2048, image: windowsImage, readonlyRootFilesystem: true } },
      { prop: 'image', props: { runtimePlatform: { operatingSystemFamily: family }, cpu: 1024, memory: 2048 } },
    )),
  // runtime-reserved container paths
  fc.tuple(fc.constantFrom('/proc', '/sys', '/dev', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname', '/dev/shm'), fc.constantFrom('', '/', '/x')).map(([root, tail]) => ({
    prop: 'writablePaths', props: { readonlyRootFilesystem: true, writablePaths: ['/tmp', root.startsWith('/etc') ? root : `${root}${tail}`] },
  })),
  // image references that are not references
  fc.constantFrom('MyOrg/api:1', 'Nginx', 'nginx:-1', 'nginx:.x', 'nginx:a+b', `nginx:${'t'.repeat(129)}`, 'a//b', 'api/', '/api', 'nginx@sha256:abc', 'bad_host.example.com/api', 'api_:1')
    .map((name) => ({ prop: 'image', props: { image: ecs.ContainerImage.fromRegistry(name) } })),
  // an isolated network that cannot reach what the service needs: ECR or a secret of another Region
  fc.constantFrom('eu-west-1', 'us-west-2', 'ap-southeast-2').chain((region) => fc.constantFrom<Invalid>(
    { prop: 'image', props: { image: ecs.ContainerImage.fromRegistry(`123456789012.dkr.ecr.${region}.amazonaws.com/api:1`) }, egress: Egress.none(), env: true },
    {
      prop: 'secrets.DB', props: {}, egress: Egress.none(), env: true,
      stackProps: (stack) => ({
        image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1'),
        secrets: { DB: ecs.Secret.fromSecretsManager(sm.Secret.fromSecretCompleteArn(stack, 'Db', `arn:aws:secretsmanager:${region}:123456789012:secret:db-AbCdEf`)) },
      }),
    },
  )),
  // token values handed to aws-cdk-lib APIs that need literals, or converted between units
  fc.constantFrom<Invalid>(
    { prop: 'healthCheck.interval', props: {}, stackProps: (stack) => ({ healthCheck: { command, interval: Duration.seconds(new CfnParameter(stack, 'T', { type: 'Number' }).valueAsNumber) } }) },
    { prop: 'healthCheck.timeout', props: {}, stackProps: (stack) => ({ healthCheck: { command, timeout: Duration.seconds(new CfnParameter(stack, 'T', { type: 'Number' }).valueAsNumber) } }) },
    { prop: 'healthCheck.startPeriod', props: {}, stackProps: (stack) => ({ healthCheck: { command, startPeriod: Duration.minutes(new CfnParameter(stack, 'T', { type: 'Number' }).valueAsNumber) } }) },
    { prop: 'deployment', props: {}, stackProps: (stack) => ({ deployment: Deployment.canary({ bakeTime: Duration.hours(new CfnParameter(stack, 'T', { type: 'Number' }).valueAsNumber) }) }) },
  ),
  // an interval shorter than the timeout (each within its own range)
  fc.integer({ min: 5, max: 119 }).chain((interval) => fc.integer({ min: interval + 1, max: 120 }).map((timeout) => ({
    prop: 'healthCheck.interval', props: { healthCheck: { command, interval: Duration.seconds(interval), timeout: Duration.seconds(timeout) } },
  }))),
);

test('property: random invalid ApiService props are rejected at synth, naming the prop', () => {
  const seen = new Set<string>();
  fc.assert(fc.property(
    INVALID,
    fc.record({ serviceName: fc.constantFrom(undefined, 'orders', 'api_v2'), desiredCount: fc.integer({ min: 0, max: 10 }) }),
    (invalid, base) => {
      const stack = new Stack(new App(), 'Test', { env: invalid.env ? ENV : undefined });
      const network = new Network(stack, 'Network', { egress: invalid.egress });
      const cluster = invalid.ec2 ? new Ec2Cluster(stack, 'Cluster', { network }) : new FargateCluster(stack, 'Cluster', { network });
      let error: Error | undefined;
      try {
        const service = new ApiService(stack, 'Api', { cluster, ...base, ...invalid.props, ...invalid.stackProps?.(stack), ...invalid.lazyProps?.() });
        if (invalid.behindAlb) {
          const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: network.vpc, internetFacing: true });
          const tg = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc: network.vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
          service.attachToTargetGroup(tg, lb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.forward([tg]) }));
        }
        Template.fromStack(stack); // synth: must not get here
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toContain(`\`${invalid.prop}`);
      seen.add(invalid.prop);
    },
  ), { numRuns: 400 });
  // every kind of invalid prop was generated
  expect([...seen].sort()).toEqual([
    'Capacity.mixed', 'assignPublicIp', 'autoScaling.maxCapacity', 'autoScaling.minCapacity', 'autoScaling.targetCpuUtilization', 'autoScaling.targetMemoryUtilization',
    'capacity', 'containerPort', 'cpu', 'deployment', 'desiredCount', 'healthCheck.command', 'healthCheck.interval', 'healthCheck.retries', 'healthCheck.startPeriod', 'healthCheck.timeout',
    'image', 'logRetention', 'maxHealthyPercent', 'memory', 'minHealthyPercent', 'readonlyRootFilesystem', 'runtimePlatform.cpuArchitecture', 'runtimePlatform.operatingSystemFamily',
    'secrets.DB', 'serviceName', 'writablePaths',
  ]);
});

/**
 * Invalid Ec2Cluster props, one at a time: an instance type whose architecture contradicts
 * `graviton` (the ECS image follows `graviton`, so the instances could not boot it), counts
 * outside ECS's quotas, min above max, a root volume the image does not fit.
 */
test('property: random invalid Ec2Cluster props are rejected, naming the prop', () => {
  const seen = new Set<string>();
  const arm = fc.constantFrom('t4g.medium', 'c7g.large', 'm6g.xlarge', 'r8g.large', 'a1.large');
  const x86 = fc.constantFrom('t3.medium', 'c5.large', 'm7i.large', 'r6a.xlarge', 't2.micro');
  const invalid: fc.Arbitrary<{ prop: string; props: Partial<Ec2ClusterProps> }> = fc.oneof(
    arm.map((t) => ({ prop: 'instanceType', props: { instanceType: new ec2.InstanceType(t), graviton: false } })),
    x86.map((t) => ({ prop: 'instanceType', props: { instanceType: new ec2.InstanceType(t), graviton: true } })),
    fc.oneof(nonFinite, fraction, fc.integer({ max: 0 }), fc.integer({ min: 5001 })).map((maxCapacity) => ({ prop: 'maxCapacity', props: { maxCapacity } })),
    fc.oneof(nonFinite, fraction, fc.integer({ max: -1 }), fc.integer({ min: 5001 })).map((minCapacity) => ({ prop: 'minCapacity', props: { minCapacity, maxCapacity: 5000 } })),
    fc.integer({ min: 2, max: 5000 }).chain((min) => fc.integer({ min: 1, max: min - 1 }).map((max) => ({ prop: 'minCapacity', props: { minCapacity: min, maxCapacity: max } }))),
    fc.oneof(nonFinite, fraction, fc.integer({ max: 29 }), fc.integer({ min: 16385 })).map((rootVolumeSize) => ({ prop: 'rootVolumeSize', props: { rootVolumeSize } })),
    fc.constantFrom('', 'my cluster', 'c'.repeat(256)).map((clusterName) => ({ prop: 'clusterName', props: { clusterName } })),
  );
  fc.assert(fc.property(invalid, ({ prop, props }) => {
    const stack = new Stack(new App(), 'Test');
    let error: Error | undefined;
    try {
      new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network'), ...props });
      Template.fromStack(stack);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`\`${prop}\``);
    seen.add(prop);
  }), { numRuns: 150 });
  expect([...seen].sort()).toEqual(['clusterName', 'instanceType', 'maxCapacity', 'minCapacity', 'rootVolumeSize']);
});
