import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Egress, Network } from '@portcullis/network';
import { ApiService, ApiServiceProps, Capacity, Ec2Cluster, FargateCluster } from '../src';

/**
 * Refactoring guard: representative stacks synthesize byte-identical to the JSON fixtures in
 * test/fixtures/. A refactor (e.g. splitting a constructor into steps) must not change them.
 * When a change is *meant* to change the templates, regenerate with
 * `UPDATE_FIXTURES=1 npx jest test/no-template-change.test.ts` and review the diff.
 */
const FIXTURES = path.join(__dirname, 'fixtures');

type Build = (stack: Stack) => void;

function fargateService(egress: Egress | undefined, props: (stack: Stack) => Partial<ApiServiceProps>): Build {
  return (stack) => {
    const network = new Network(stack, 'Network', { egress });
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    new ApiService(stack, 'Api', { cluster, ...props(stack) });
  };
}

const STACKS: Record<string, Build> = {
  'fargate-defaults': fargateService(undefined, () => ({})),
  // on-demand as Portcullis wrote it before capacity-provider strategies: the upgrade path
  'fargate-launch-type': fargateService(undefined, () => ({ capacity: Capacity.onDemandLaunchType() })),
  'fargate-every-prop': fargateService(undefined, (stack) => ({
    serviceName: 'orders',
    image: ecs.ContainerImage.fromRegistry('example/api:1'),
    containerPort: 8080,
    cpu: 1024,
    memory: 4096,
    desiredCount: 3,
    environment: { STAGE: 'prod', LOG_LEVEL: 'info' },
    secrets: { TOKEN: ecs.Secret.fromSsmParameter(new ssm.StringParameter(stack, 'Token', { stringValue: 'x' })) },
    healthCheck: {
      command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
      interval: Duration.seconds(15), timeout: Duration.seconds(5), retries: 4, startPeriod: Duration.seconds(60),
    },
    logRetention: logs.RetentionDays.ONE_WEEK,
    minHealthyPercent: 100,
    maxHealthyPercent: 150,
    circuitBreaker: false,
    autoScaling: { minCapacity: 3, maxCapacity: 12, targetCpuUtilization: 60, targetMemoryUtilization: 75 },
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    readonlyRootFilesystem: true,
    writablePaths: ['/tmp', '/app/cache'],
    enableExecuteCommand: true,
    assignPublicIp: false,
  })),
  'ec2': (stack) => {
    const network = new Network(stack, 'Network');
    const cluster = new Ec2Cluster(stack, 'Cluster', { network, instanceType: new ec2.InstanceType('m7i.large'), maxCapacity: 4 });
    new ApiService(stack, 'Api', { cluster, serviceName: 'orders', cpu: 512, memory: 1024 });
  },
  'egress-none-exec-readonly': fargateService(Egress.none(), () => ({
    image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1'),
    enableExecuteCommand: true,
    readonlyRootFilesystem: true,
  })),
  'public-subnets-only': fargateService(Egress.publicSubnetsOnly(), () => ({ assignPublicIp: true })),
  'autoscaling': fargateService(undefined, () => ({ desiredCount: 0, autoScaling: { minCapacity: 1, maxCapacity: 50 } })),
};

function synth(build: Build): string {
  const stack = new Stack(new App(), 'Fixture');
  build(stack);
  return JSON.stringify(Template.fromStack(stack).toJSON(), null, 2) + '\n';
}

test.each(Object.keys(STACKS))('%s synthesizes byte-identical to its fixture', (name) => {
  const file = path.join(FIXTURES, `${name}.template.json`);
  const actual = synth(STACKS[name]);
  if (process.env.UPDATE_FIXTURES) fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
});

test('Capacity.onDemandLaunchType() differs from the default only in LaunchType: FARGATE instead of the FARGATE strategy', () => {
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.template.json`), 'utf8'));
  const legacy = read('fargate-launch-type');
  const current = read('fargate-defaults');
  const [id] = Object.keys(current.Resources).filter((k) => current.Resources[k].Type === 'AWS::ECS::Service');
  const { LaunchType, ...legacyRest } = legacy.Resources[id].Properties;
  const { CapacityProviderStrategy, ...currentRest } = current.Resources[id].Properties;
  expect(LaunchType).toBe('FARGATE');
  expect(CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Base: 0, Weight: 1 }]);
  expect(legacyRest).toEqual(currentRest);
  expect({ ...legacy.Resources, [id]: undefined }).toEqual({ ...current.Resources, [id]: undefined });
});
