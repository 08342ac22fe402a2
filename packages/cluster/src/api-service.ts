import { Annotations, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { EgressKind, Network } from '@portcullis/network';
import { Construct } from 'constructs';
import { ClusterCapacity, IApiCluster } from './api-cluster';
import { Deployment } from './deployment';
import { checkDeployment, strategyProps } from './private/deployment-checks';
import { RollbackAlarmList } from './private/rollback-alarms';
import { Capacity } from './capacity';
import { SPOT_STOP_TIMEOUT_SECONDS } from './private/spot';
import { ecsTasksOfThisAccount } from './private/cluster-common';
import { validateFargateSize } from './private/fargate-sizes';
import { isWindows, validatePlatform } from './private/platform';
import {
  checkUniqueServiceName, ECS_NAME, MAX_TASKS_PER_SERVICE, nonEmptyName, registerServiceName, retention,
  validateHealthCheck, validateImageName, validateTaskFitsInstance, wholeNumber,
} from './private/service-validation';
import { checkPullableWithoutInternet } from './private/image-source';
import { scratchPaths, validateWritablePaths } from './private/writable-paths';
import { secretSource } from './private/secret-source';
import { hasInterfaceEndpoint, inAnotherStack, serviceExecutionRole } from './private/service-stack';
import { checkStackQuotas } from './private/stack-quotas';

/** Target-tracking autoscaling of an {@link ApiService}. */
export interface ApiServiceAutoScaling {
  /**
   * Fewest tasks.
   *
   * @default 2
   */
  readonly minCapacity?: number;
  /**
   * Most tasks.
   *
   * @default 10
   */
  readonly maxCapacity?: number;
  /**
   * Target average CPU utilization, in percent.
   *
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Target average memory utilization, in percent.
   *
   * @default - no memory target
   */
  readonly targetMemoryUtilization?: number;
}

/** Properties of an {@link ApiService}. */
export interface ApiServiceProps {
  /** The cluster: a {@link FargateCluster} or an {@link Ec2Cluster}. */
  readonly cluster: IApiCluster;
  /**
   * Name of the ECS service; also the task family and the log stream prefix (seed).
   *
   * @default - CloudFormation names the service; family and prefix derive from the construct path
   */
  readonly serviceName?: string;
  /**
   * The container image.
   *
   * @default - the seed's public nginx image, `public.ecr.aws/docker/library/nginx:latest`
   */
  readonly image?: ecs.ContainerImage;
  /**
   * The port the container listens on (host port = container port, awsvpc).
   *
   * @default 80
   */
  readonly containerPort?: number;
  /**
   * Task CPU units (1024 = 1 vCPU).
   *
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Task memory, MiB.
   *
   * @default 512
   */
  readonly memory?: number;
  /**
   * How many tasks run.
   *
   * @default 2
   */
  readonly desiredCount?: number;
  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Secrets injected as environment variables (the execution role is granted read). On a
   * network with `Egress.none()`, the `secretsmanager` or `ssm` interface endpoint they are
   * read through at task start is added to the network; a secret of another Region is refused.
   *
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;
  /**
   * The container health check. ECS runs its command inside the container, so the image must
   * have what the command calls (`curl` or `wget` are missing from distroless and many slim
   * images: a check that cannot run fails forever), the path must answer 2xx/3xx within
   * `timeout`, and an app that starts slowly needs a `startPeriod` (up to 300 s): failures
   * during it do not count. A task that turns UNHEALTHY is replaced, so a check that never
   * passes replaces tasks in a loop until the deployment circuit breaker rolls back.
   *
   * @default - none (the ALB's target-group health check watches the tasks; the API Gateway
   * reference app adds a container check with a 60 s start period)
   */
  readonly healthCheck?: ecs.HealthCheck;
  /**
   * How long container logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Lower limit of running tasks during a deployment, in percent of `desiredCount`.
   *
   * @default 75 - seed
   */
  readonly minHealthyPercent?: number;
  /**
   * Upper limit of running tasks during a deployment, in percent of `desiredCount`.
   *
   * @default 200 - seed
   */
  readonly maxHealthyPercent?: number;
  /**
   * Deployment circuit breaker with rollback: a deployment whose tasks keep failing is
   * stopped and rolled back. Kept with every `deployment`; AWS documents it for rolling (and,
   * in the developer guide, blue/green) deployments, and the deployment alarms
   * (`rollbackAlarms`) as the rollback of canary and linear ones: see the README's "The circuit
   * breaker with canary, linear and blue/green".
   *
   * @default true
   */
  readonly circuitBreaker?: boolean;
  /**
   * Target-tracking autoscaling.
   *
   * @default - no autoscaling: `desiredCount` tasks
   */
  readonly autoScaling?: ApiServiceAutoScaling;
  /**
   * CPU architecture and OS of the tasks, e.g. `{ cpuArchitecture: ecs.CpuArchitecture.ARM64 }`
   * for Graviton on Fargate (about 20% cheaper; the image must be arm64 or multi-arch). On EC2
   * capacity the architecture must match the cluster's instances (`graviton` on Ec2Cluster).
   *
   * @default - Linux on X86_64 (on EC2 capacity: the cluster's architecture)
   */
  readonly runtimePlatform?: ecs.RuntimePlatform;
  /**
   * Mount the container's root filesystem read-only. Most images still write somewhere at
   * run time (temp files, pid files, caches): those directories get writable, empty scratch
   * volumes, see `writablePaths`.
   *
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * Absolute paths in the container that stay writable when `readonlyRootFilesystem` is on:
   * each gets an empty task-local scratch volume (Fargate ephemeral storage, or Docker
   * volume storage on EC2), emptied when the task stops. With `enableExecuteCommand`, the
   * directories the ECS Exec agent writes (`/managed-agents`, `/var/lib/amazon/ssm`,
   * `/var/log/amazon/ssm`) are always added.
   *
   * @default - with `readonlyRootFilesystem`: `/tmp`, plus `/var/cache/nginx` and `/var/run`
   * for the default nginx image; none otherwise
   */
  readonly writablePaths?: string[];
  /**
   * ECS Exec (a shell in running tasks). On a network with `Egress.none()`, the
   * `ssmmessages` interface endpoint the exec channel needs is added to the network.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Give tasks public IPs. Only allowed, and then required, on a network without private
   * subnets (`Egress.publicSubnetsOnly()`); everywhere else tasks stay private.
   *
   * @default false
   */
  readonly assignPublicIp?: boolean;
  /**
   * How ECS deploys a new revision: `Deployment.rolling()`, or a traffic-shifting strategy
   * (`Deployment.canary()`, `Deployment.linear()`, `Deployment.blueGreen()`), which needs an
   * Application Load Balancer (`AlbIngress` creates the second target group, the production
   * listener rule and the role ECS assumes). Changing it on a deployed service is an update in
   * place: the deployment controller stays `ECS`. To move a deployed traffic-shifting service
   * to rolling, use `Deployment.rolling({ keepTrafficShiftResources: true })` first (see the
   * README's "Canary, linear or blue/green to rolling").
   *
   * @default Deployment.rolling()
   */
  readonly deployment?: Deployment;
  /**
   * ECS deployment alarms with rollback: a deployment during which one of the service's
   * rollback alarms goes into ALARM is stopped and rolled back. The ingresses create the
   * alarms (the target 5xx rate behind an ALB, the stage's 5xx rate behind an HTTP API);
   * `addRollbackAlarm()` adds your own. With `false`, the ingresses create none.
   *
   * @default true
   */
  readonly rollbackAlarms?: boolean;
  /**
   * Where the Fargate tasks run: `Capacity.onDemand()`, `Capacity.spot()` (about 70% cheaper,
   * interruptible with a two-minute warning: see the README's "Fargate Spot" section before
   * using it) or `Capacity.mixed(...)`. Each is the service's capacity-provider strategy over
   * the cluster's `FARGATE` and `FARGATE_SPOT` providers (no launch type), so switching between
   * them later is an update in place. A service deployed with an earlier Portcullis has the
   * `FARGATE` launch type, and the upgrade replaces it once unless you set
   * `Capacity.onDemandLaunchType()` (see the README). Fargate clusters only: on an
   * `Ec2Cluster` use its `spot` prop.
   *
   * @default Capacity.onDemand() - the `FARGATE` capacity provider (base 0, weight 1)
   */
  readonly capacity?: Capacity;
}

const DEFAULT_IMAGE = 'public.ecr.aws/docker/library/nginx:latest';
/** The `InterfaceVpcEndpointAwsService` member of each endpoint a service may need, by construct id. */
const INTERFACE_SERVICE_NAMES: Record<string, string> = {
  SsmMessagesEndpoint: 'SSM_MESSAGES', SecretsManagerEndpoint: 'SECRETS_MANAGER', SsmEndpoint: 'SSM',
};
const CONTAINER_NAME = 'api';

/**
 * The container workload of a public API: a task definition with one container and an ECS
 * service whose tasks run in the private subnets with no public IP. It does not know its
 * ingress: an ingress wires itself to it through {@link connections},
 * {@link loadBalancerTarget} and {@link registerInCloudMap}; both ingresses can front it.
 *
 * Its security group starts with **no inbound rules**; an ingress opens only the container
 * port, from its own group.
 */
export class ApiService extends Construct implements ec2.IConnectable {
  /** The ECS service. */
  public readonly service: ecs.BaseService;
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The (only) container. */
  public readonly container: ecs.ContainerDefinition;
  /** The port the container listens on. */
  public readonly containerPort: number;
  /** The tasks' security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly connections: ec2.Connections;
  /** The container log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The task role: empty, for you to grant to. */
  public readonly taskRole: iam.IRole;
  /**
   * The task execution role (pulls the image, writes the log group, reads the secrets): the
   * cluster's `executionRole` when the cluster created it in this service's stack, else a
   * role of this service's own, in this service's stack (see the README's "Services in
   * stacks of their own").
   */
  public readonly executionRole: iam.IRole;
  /** The cluster. */
  public readonly cluster: IApiCluster;
  /** Whether the tasks have public IPs (only on a network without private subnets). */
  public readonly assignPublicIp: boolean;
  /** The scalable task count, with `autoScaling`. */
  public readonly scalableTaskCount?: ecs.ScalableTaskCount;
  /** The container paths that have writable scratch volumes (see `writablePaths`). */
  public readonly writablePaths: string[];
  /** How ECS deploys a new revision. */
  public readonly deployment: Deployment;
  /** Whether the ingresses attach rollback alarms to this service (`rollbackAlarms`). */
  public readonly rollbackAlarms: boolean;

  private readonly rollbackAlarmList: RollbackAlarmList;
  /** Load-balancer registrations: all of them, and those with an alternate target. */
  private readonly registrations = { all: 0, trafficShift: 0 };

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.deployment = props.deployment ?? Deployment.rolling();
    this.rollbackAlarms = props.rollbackAlarms ?? true;
    const settings = this.validate(props);
    const placement = this.placement(props, settings);
    this.assignPublicIp = placement.assignPublicIp;
    this.executionRole = serviceExecutionRole(this, props.cluster.executionRole);
    const task = this.createTaskDefinition(props, settings);
    this.taskRole = task.taskRole;
    this.taskDefinition = task.taskDefinition;
    const container = this.createContainer(props, settings, task.taskDefinition);
    this.logGroup = container.logGroup;
    this.container = container.container;
    this.containerPort = settings.containerPort;
    this.writablePaths = this.addScratchVolumes(props, settings, task.taskDefinition, container.container);
    this.addIsolatedEndpoints(props, settings);
    const service = this.createService(props, settings, task.taskDefinition, placement.subnets);
    this.securityGroup = service.securityGroup;
    this.service = service.service;
    this.connections = service.service.connections;
    this.scalableTaskCount = this.addScaling(settings, service.service);
    this.rollbackAlarmList = new RollbackAlarmList(service.service);
    checkDeployment(this, this.deployment, this.rollbackAlarms, () => this.registrations, () => this.rollbackAlarmList.list.length);
    registerServiceName(props.cluster.cluster, props.serviceName, this.node.path);
    // CloudFormation's per-stack quotas (resources, outputs, parameters, template size), at synth
    checkStackQuotas(Stack.of(this));
  }

  /** Step 1: resolve the defaults and validate every prop (tokens are not validated). */
  private validate(props: ApiServiceProps): ServiceSettings {
    const fargate = props.cluster.capacity === ClusterCapacity.FARGATE;
    const containerPort = props.containerPort ?? 80;
    const cpu = props.cpu ?? 256;
    const memory = props.memory ?? 512;
    const desiredCount = props.desiredCount ?? 2;
    const minHealthyPercent = props.minHealthyPercent ?? 75;
    const maxHealthyPercent = props.maxHealthyPercent ?? 200;

    nonEmptyName('serviceName', props.serviceName, ECS_NAME);
    checkUniqueServiceName(props.cluster.cluster, props.cluster.node.path, props.serviceName, this.node.path);
    wholeNumber('containerPort', containerPort, { min: 1, max: 65535 });
    wholeNumber('desiredCount', desiredCount, { min: 0, max: MAX_TASKS_PER_SERVICE, fix: `use 0 to ${MAX_TASKS_PER_SERVICE} tasks (ECS allows at most ${MAX_TASKS_PER_SERVICE} per service)` });
    wholeNumber('minHealthyPercent', minHealthyPercent, { min: 0 });
    wholeNumber('maxHealthyPercent', maxHealthyPercent, { min: 100 });
    wholeNumber('cpu', cpu, { min: 128 });
    wholeNumber('memory', memory, { min: 128 });
    if (known(minHealthyPercent, maxHealthyPercent) && minHealthyPercent >= maxHealthyPercent) {
      // A rolling deployment either stops an old task first (below minHealthyPercent's floor) or
      // starts a new one first (up to maxHealthyPercent): with min >= max it can do neither.
      // aws-cdk-lib's Ec2Service refuses the pair ("Minimum healthy percent must be less than
      // maximum healthy percent"), naming no prop; refused here for every capacity.
      throw new Error(`\`minHealthyPercent\` (${minHealthyPercent}) must be less than \`maxHealthyPercent\` (${maxHealthyPercent}): ` +
        'with the floor at or above the ceiling a rolling deployment can neither stop an old task nor start a new one first. ' +
        `Lower \`minHealthyPercent\` to ${maxHealthyPercent - 1} or less, or raise \`maxHealthyPercent\` to ${minHealthyPercent + 1} or more (the defaults are 75 and 200)`);
    }
    if (!fargate && props.capacity !== undefined) {
      // The fix must fit the capacity asked for: Spot for Spot, nothing for on-demand.
      const fix = props.capacity.usesSpot
        ? 'remove `capacity` and set `spot: true` on the Ec2Cluster for Spot instances'
        : 'remove `capacity`: an Ec2Cluster\'s instances are on-demand unless its `spot` is true';
      throw new Error(`\`capacity\` (${props.capacity.kind}) is for Fargate clusters, got ${props.capacity.toString()}; this service runs on an Ec2Cluster, whose instances decide on-demand or Spot: ${fix}`);
    }
    validatePlatform({
      fargate, runtimePlatform: props.runtimePlatform, capacity: props.capacity, cpu, memory,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? false, writablePaths: props.writablePaths, defaultImage: props.image === undefined,
    });
    if (fargate && known(cpu, memory) && !isWindows(props.runtimePlatform)) validateFargateSize(cpu, memory);
    if (!fargate) validateTaskFitsInstance(cpu, memory, props.cluster.instanceType?.toString());
    if (props.writablePaths !== undefined) validateWritablePaths(props.writablePaths);
    validateHealthCheck(props.healthCheck);
    retention('logRetention', props.logRetention);
    const scaling = props.autoScaling;
    if (scaling) {
      const min = scaling.minCapacity ?? 2;
      const max = scaling.maxCapacity ?? 10;
      const fix = `ECS runs at most ${MAX_TASKS_PER_SERVICE} tasks per service`;
      wholeNumber('autoScaling.minCapacity', min, { min: 0, max: MAX_TASKS_PER_SERVICE, fix: `use 0 to ${MAX_TASKS_PER_SERVICE} (${fix})` });
      wholeNumber('autoScaling.maxCapacity', max, { min: 1, max: MAX_TASKS_PER_SERVICE, fix: `use 1 to ${MAX_TASKS_PER_SERVICE} (${fix})` });
      if (known(min, max) && min > max) {
        throw new Error(`\`autoScaling.minCapacity\` (${min}) must be <= \`autoScaling.maxCapacity\` (${max})`);
      }
      wholeNumber('autoScaling.targetCpuUtilization', scaling.targetCpuUtilization ?? 70, { min: 1, max: 100 });
      wholeNumber('autoScaling.targetMemoryUtilization', scaling.targetMemoryUtilization, { min: 1, max: 100 });
    }
    return {
      fargate, containerPort, cpu, memory, desiredCount, minHealthyPercent, maxHealthyPercent,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? false,
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      isolated: props.cluster.network.egress?.kind === EgressKind.NONE,
      scaling,
    };
  }

  /** Step 2: placement: private subnets and no public IP, except the explicit public-only case. */
  private placement(props: ApiServiceProps, settings: ServiceSettings): { assignPublicIp: boolean; subnets: ec2.SubnetSelection } {
    const network = props.cluster.network;
    const hasPrivate = (network.privateSubnets.subnets ?? []).length > 0;
    const assignPublicIp = props.assignPublicIp ?? false;
    if (hasPrivate && assignPublicIp) {
      throw new Error('`assignPublicIp: true` is only for networks without private subnets (Egress.publicSubnetsOnly()): this network has private subnets, where tasks run with no public IP. Remove `assignPublicIp`');
    }
    if (!hasPrivate && !assignPublicIp) {
      throw new Error('The cluster\'s network has no private subnets (Egress.publicSubnetsOnly()): tasks there need public IPs. Set `assignPublicIp: true` to accept that, or use a network with private subnets');
    }
    if (!hasPrivate && !settings.fargate) {
      throw new Error('`assignPublicIp` is not available on EC2 capacity (awsvpc tasks on EC2 cannot have public IPs): use a network with private subnets');
    }
    const chosen = (assignPublicIp ? network.publicSubnets : network.privateSubnets).subnets ?? [];
    const zones = chosen.map((subnet) => subnet.availabilityZone);
    if (zones.length > 0 && zones.every((az) => typeof az === 'string' && az !== '' && !Token.isUnresolved(az)) && new Set(zones).size === 1) {
      Annotations.of(this).addWarningV2('@portcullis/cluster:singleAz',
        `Every subnet the tasks run in is in one availability zone (${zones[0]}): an outage of that AZ stops the service, and an Application Load Balancer in front needs two AZs. ` +
        'Give the network subnets in two or more AZs (`maxAzs` / `availabilityZones` on a Network; for an imported VPC, its subnets in other AZs).');
    }
    if (assignPublicIp) {
      Annotations.of(this).addWarningV2('@portcullis/cluster:publicTasks',
        'Tasks get public IPs in public subnets: each is reachable from the internet wherever its security group allows, and billed as a public IPv4 address. Prefer a network with private subnets.');
    }
    return { assignPublicIp, subnets: assignPublicIp ? network.publicSubnets : network.privateSubnets };
  }

  /** Step 3: the task role and the task definition (Fargate, or awsvpc on EC2 matching the instances' architecture). */
  private createTaskDefinition(props: ApiServiceProps, settings: ServiceSettings): { taskRole: iam.IRole; taskDefinition: ecs.TaskDefinition } {
    const { fargate, cpu, memory } = settings;
    const family = props.serviceName ?? Names.uniqueResourceName(this, { maxLength: 255, separator: '-' });
    const taskRole = new iam.Role(this, 'TaskRole', {
      description: 'Task role of the API service: no permissions until you grant them',
      assumedBy: ecsTasksOfThisAccount(),
    });
    const requested = props.runtimePlatform?.cpuArchitecture;
    const cpuArchitecture = fargate ? requested ?? ecs.CpuArchitecture.X86_64 : props.cluster.cpuArchitecture ?? ecs.CpuArchitecture.X86_64;
    if (!fargate && requested && requested !== cpuArchitecture) {
      const fix = requested === ecs.CpuArchitecture.ARM64
        ? 'set `graviton: true` on the Ec2Cluster (arm64 instances and image), or remove `runtimePlatform.cpuArchitecture` (the tasks follow the instances)'
        : 'remove `graviton` from the Ec2Cluster (x86_64 instances and image), or remove `runtimePlatform.cpuArchitecture` (the tasks follow the instances)';
      throw new Error(`\`runtimePlatform.cpuArchitecture\` ${archName(requested)} does not match the EC2 cluster's instances (${archName(cpuArchitecture)}): ${fix}`);
    }
    const runtimePlatform = { cpuArchitecture, operatingSystemFamily: props.runtimePlatform?.operatingSystemFamily ?? ecs.OperatingSystemFamily.LINUX };
    const taskDefinition = fargate
      ? new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
        family, cpu, memoryLimitMiB: memory, executionRole: this.executionRole, taskRole, runtimePlatform,
      })
      : new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
        family, networkMode: ecs.NetworkMode.AWS_VPC, executionRole: this.executionRole, taskRole,
      });
    if (!fargate) {
      const cfn = taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
      cfn.cpu = String(cpu);
      cfn.memory = String(memory);
      cfn.runtimePlatform = { cpuArchitecture: archName(cpuArchitecture), operatingSystemFamily: 'LINUX' };
    }
    return { taskRole, taskDefinition };
  }

  /** Step 4: the log group and the one container, logging with the seed's awslogs options. */
  private createContainer(props: ApiServiceProps, settings: ServiceSettings, taskDefinition: ecs.TaskDefinition): { logGroup: logs.ILogGroup; container: ecs.ContainerDefinition } {
    const { containerPort, cpu, memory } = settings;
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (logGroup.node.defaultChild as logs.CfnLogGroup).addMetadata('checkov', {
      skip: [{ id: 'CKV_AWS_158', comment: 'CloudWatch Logs encrypts container logs at rest with AWS-owned keys; a customer-managed KMS key adds cost and key policy, not protection these logs need' }],
    });
    const image = props.image ?? ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE);
    const container = taskDefinition.addContainer('Container', {
      containerName: CONTAINER_NAME,
      image,
      cpu,
      memoryLimitMiB: memory,
      essential: true,
      environment: props.environment,
      secrets: props.secrets,
      healthCheck: props.healthCheck,
      readonlyRootFilesystem: settings.readonlyRootFilesystem,
      // On Spot, the whole two-minute warning to finish in-flight work after SIGTERM (ECS's
      // default is 30 s, its maximum on Fargate 120 s).
      stopTimeout: props.capacity?.usesSpot ? Duration.seconds(SPOT_STOP_TIMEOUT_SECONDS) : undefined,
      portMappings: [{ containerPort, hostPort: containerPort, protocol: ecs.Protocol.TCP }],
      // The seed's awslogs options, verbatim ('25m', where the awsLogs helper writes bytes).
      logging: new ecs.GenericLogDriver({
        logDriver: 'awslogs',
        options: {
          'awslogs-group': logGroup.logGroupName,
          'awslogs-stream-prefix': props.serviceName ?? taskDefinition.family,
          'awslogs-region': Stack.of(this).region,
          'mode': 'non-blocking',
          'max-buffer-size': '25m',
        },
      }),
    });
    logGroup.grantWrite(this.executionRole);
    validateImageName(container.imageName);
    if (settings.isolated) checkPullableWithoutInternet(this, image, container.imageName, props.image === undefined);
    return { logGroup, container };
  }

  /** Step 5: writable scratch directories under a read-only root filesystem. */
  private addScratchVolumes(props: ApiServiceProps, settings: ServiceSettings, taskDefinition: ecs.TaskDefinition, container: ecs.ContainerDefinition): string[] {
    const writable = scratchPaths({
      readonlyRootFilesystem: settings.readonlyRootFilesystem,
      enableExecuteCommand: settings.enableExecuteCommand,
      writablePaths: props.writablePaths,
      defaultImage: props.image === undefined,
    });
    writable.forEach((containerPath, i) => {
      const name = `scratch-${i}`;
      taskDefinition.addVolume({ name });
      container.addMountPoints({ sourceVolume: name, containerPath, readOnly: false });
    });
    return writable;
  }

  /**
   * Step 6: what the tasks reach without internet, through interface endpoints: the ECS Exec
   * channel (`ssmmessages`) and the secrets read at task start (`secretsmanager`, `ssm`).
   * Without them a task never starts (secrets) or exec never connects. Secrets in another
   * Region cannot be read through this Region's endpoints: an error.
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
   */
  private addIsolatedEndpoints(props: ApiServiceProps, settings: ServiceSettings): void {
    if (!settings.isolated) return;
    const needed = new Map<string, { id: string; service: ec2.InterfaceVpcEndpointAwsService; why: string }>();
    if (settings.enableExecuteCommand) {
      needed.set('ssmmessages', { id: 'SsmMessagesEndpoint', service: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, why: '`enableExecuteCommand`' });
    }
    const stackRegion = Stack.of(this).region;
    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      const source = secretSource(this, secret);
      if (source.region !== undefined && !Token.isUnresolved(stackRegion) && source.region !== stackRegion) {
        throw new Error(`\`secrets.${name}\` is in ${source.region}, but the network's egress is Egress.none() and its endpoints reach only ${stackRegion}, the stack's Region: ` +
          `the tasks could not read it at start. Replicate the secret (or parameter) to ${stackRegion} and use that ARN, or pick an egress with NAT`);
      }
      if (source.service === 'secretsmanager') {
        needed.set('secretsmanager', { id: 'SecretsManagerEndpoint', service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, why: `\`secrets.${name}\` (Secrets Manager)` });
      } else if (source.service === 'ssm') {
        needed.set('ssm', { id: 'SsmEndpoint', service: ec2.InterfaceVpcEndpointAwsService.SSM, why: `\`secrets.${name}\` (SSM Parameter Store)` });
      } else {
        Annotations.of(this).addWarningV2('@portcullis/cluster:secretEndpoint',
          `\`secrets.${name}\` is read at task start on a network without internet egress, and whether it is a Secrets Manager secret or an SSM parameter cannot be told at synth: ` +
          'make sure its service has an interface endpoint in the VPC (`interfaceEndpoints` on the Network: SECRETS_MANAGER or SSM), or the tasks never start.');
      }
    }
    if (needed.size === 0) return;
    const network = this.cluster.network;
    if (network instanceof Network && inAnotherStack(this, network)) {
      // A service joining a platform from its own stack never changes the platform's stack:
      // the endpoint must already be there.
      for (const [service, { id, service: endpoint, why }] of needed) {
        if (hasInterfaceEndpoint(network.vpc, endpoint)) continue;
        throw new Error(`${why} on a network without internet egress needs an \`${service}\` interface endpoint in its VPC, and the network is in another stack ` +
          `(${Stack.of(network).stackName}), which a service never changes: add \`ec2.InterfaceVpcEndpointAwsService.${INTERFACE_SERVICE_NAMES[id]}\` to the Network's ` +
          '`interfaceEndpoints` in the platform\'s stack and deploy it first');
      }
    } else if (network instanceof Network) {
      for (const { id, service } of needed.values()) network.addInterfaceEndpoint(id, service);
    } else {
      for (const [service, { why }] of needed) {
        Annotations.of(this).addWarningV2(service === 'ssmmessages' ? '@portcullis/cluster:execEndpoint' : '@portcullis/cluster:secretEndpoint',
          `${why} on a network without internet egress needs an \`${service}\` interface endpoint in its VPC; this network is not a Portcullis Network, so add it yourself.`);
      }
    }
  }

  /** Step 7: the tasks' security group (no inbound rules) and the Fargate or EC2 service. */
  private createService(props: ApiServiceProps, settings: ServiceSettings, taskDefinition: ecs.TaskDefinition, subnets: ec2.SubnetSelection): { securityGroup: ec2.ISecurityGroup; service: ecs.BaseService } {
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: 'API service tasks: no inbound rules until an ingress opens the container port from its own group',
      allowAllOutbound: true,
    });
    const common = {
      cluster: props.cluster.cluster,
      serviceName: props.serviceName,
      taskDefinition,
      desiredCount: settings.desiredCount,
      minHealthyPercent: settings.minHealthyPercent,
      maxHealthyPercent: settings.maxHealthyPercent,
      circuitBreaker: (props.circuitBreaker ?? true) ? { enable: true, rollback: true } : undefined,
      // Always explicit: aws-cdk-lib writes DeploymentController only with a circuit breaker,
      // and removing it (circuitBreaker: false) would replace the service.
      deploymentController: { type: ecs.DeploymentControllerType.ECS },
      securityGroups: [securityGroup],
      vpcSubnets: subnets,
      enableExecuteCommand: settings.enableExecuteCommand,
      ...strategyProps(this.deployment),
    };
    const service = settings.fargate
      ? new ecs.FargateService(this, 'Service', { ...common, assignPublicIp: this.assignPublicIp, ...fargateCapacity(props.capacity ?? Capacity.onDemand()) })
      : new ecs.Ec2Service(this, 'Service', {
        ...common,
        capacityProviderStrategies: [{ capacityProvider: props.cluster.capacityProviderName!, base: 0, weight: 1 }],
        placementStrategies: [ecs.PlacementStrategy.spreadAcross('attribute:ecs.availability-zone'), ecs.PlacementStrategy.packedByCpu()],
      });
    // Created after, and on stack delete deleted before, the cluster's capacity-provider
    // association and teardown helpers (see IApiCluster.serviceDependencies).
    for (const dependency of props.cluster.serviceDependencies ?? []) service.node.addDependency(dependency);
    // Tasks start only once they can pull their image and write logs: after the subnets'
    // default routes (NAT) exist or, without internet egress, after the VPC endpoints; else the
    // first tasks fail with CannotPullContainerError and the circuit breaker fails the create.
    for (const subnet of subnets.subnets ?? []) service.node.addDependency(subnet.internetConnectivityEstablished);
    // With IPv6, the subnets' /64s too: on create the first tasks start once their subnets have
    // IPv6 (a task ENI in a dual-stack subnet gets an IPv6 address when the account's ECS
    // setting dualStackIPv6 is on: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html),
    // and on delete (or when `ipv6` is turned off) the service drains before the blocks are
    // disassociated, which cannot happen while task ENIs hold addresses from them.
    const ipv6Established = props.cluster.network.ipv6Established;
    if (ipv6Established) service.node.addDependency(ipv6Established);
    if (settings.isolated) {
      for (const child of props.cluster.vpc.node.children) {
        if (child instanceof ec2.InterfaceVpcEndpoint || child instanceof ec2.GatewayVpcEndpoint) service.node.addDependency(child);
      }
    }
    return { securityGroup, service };
  }

  /** Step 8: target-tracking autoscaling on CPU (and memory), with `autoScaling`. */
  private addScaling(settings: ServiceSettings, service: ecs.BaseService): ecs.ScalableTaskCount | undefined {
    const scaling = settings.scaling;
    if (!scaling) return undefined;
    const scalable = service.autoScaleTaskCount({ minCapacity: scaling.minCapacity ?? 2, maxCapacity: scaling.maxCapacity ?? 10 });
    scalable.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scaling.targetCpuUtilization ?? 70 });
    if (scaling.targetMemoryUtilization !== undefined) {
      scalable.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: scaling.targetMemoryUtilization });
    }
    return scalable;
  }

  /**
   * The service as a load-balancer target on the container port (for an ALB target group of
   * type `ip`). With a traffic-shifting `deployment`, give the `alternateTarget` (the second
   * target group, the production listener rule and the role ECS assumes).
   */
  public loadBalancerTarget(alternateTarget?: ecs.IAlternateTarget): ecs.IEcsLoadBalancerTarget {
    this.registrations.all++;
    if (alternateTarget) this.registrations.trafficShift++;
    return this.service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: this.containerPort, alternateTarget });
  }

  /**
   * Registers the service in a target group, and makes the service wait for `dependsOn`
   * (the listener, or the listener rule) so it is never created before the target group is
   * attached. With a traffic-shifting `deployment`, give the `alternateTarget`.
   */
  public attachToTargetGroup(targetGroup: elbv2.IApplicationTargetGroup, dependsOn?: Construct, alternateTarget?: ecs.IAlternateTarget): void {
    targetGroup.addTarget(this.loadBalancerTarget(alternateTarget));
    if (dependsOn) this.service.node.addDependency(dependsOn);
  }

  /**
   * Adds an alarm to the service's ECS deployment alarms (`Enable: true, Rollback: true`): a
   * deployment during which it goes into ALARM is stopped and rolled back. The alarm's name is
   * written into the template at synth (a `Ref` to an alarm of the same stack). The alarm
   * must not watch a metric of this service's own resource (a circular dependency): use
   * metrics of the target group, load balancer or API stage. Works whatever `rollbackAlarms`
   * says (that prop only decides whether ingresses add their default alarms).
   */
  public addRollbackAlarm(alarm: cloudwatch.IAlarm): void {
    this.rollbackAlarmList.add(alarm);
  }

  /** The rollback alarms added so far (by ingresses and `addRollbackAlarm`). */
  public get attachedRollbackAlarms(): cloudwatch.IAlarm[] {
    return this.rollbackAlarmList.list;
  }

  /**
   * Registers every task in a Cloud Map service created with SRV records: the record
   * carries the task's IP and the container port, which API Gateway's VPC link needs.
   */
  public registerInCloudMap(cloudMapService: servicediscovery.IService): void {
    if (cloudMapService.dnsRecordType !== servicediscovery.DnsRecordType.SRV) {
      throw new Error(`registerInCloudMap needs a Cloud Map service with SRV records (IP and port), got ${cloudMapService.dnsRecordType}: create it with dnsRecordType: DnsRecordType.SRV`);
    }
    this.service.associateCloudMapService({ service: cloudMapService, container: this.container, containerPort: this.containerPort });
  }

  /** Lets `other` reach the container port, and nothing else. */
  public allowFrom(other: ec2.IConnectable, description?: string): void {
    this.connections.allowFrom(other, ec2.Port.tcp(this.containerPort), description ?? `Container port ${this.containerPort}`);
  }
}

/** The resolved settings of an {@link ApiService}, shared by its construction steps. */
interface ServiceSettings {
  readonly fargate: boolean;
  readonly containerPort: number;
  readonly cpu: number;
  readonly memory: number;
  readonly desiredCount: number;
  readonly minHealthyPercent: number;
  readonly maxHealthyPercent: number;
  readonly readonlyRootFilesystem: boolean;
  readonly enableExecuteCommand: boolean;
  /** The network has no internet egress (`Egress.none()`). */
  readonly isolated: boolean;
  readonly scaling?: ApiServiceAutoScaling;
}

/**
 * The Fargate service's capacity: always a capacity-provider strategy over the cluster's
 * `FARGATE` / `FARGATE_SPOT` providers (on-demand is `FARGATE` base 0 weight 1), which
 * aws-cdk-lib writes instead of a launch type, except `Capacity.onDemandLaunchType()`, which
 * returns nothing so the template keeps `LaunchType: FARGATE` (FargateService's default).
 * LaunchType is create-only on AWS::ECS::Service, CapacityProviderStrategy is not: with a
 * strategy from the first deploy, on-demand <-> Spot <-> mixed is an update in place, which
 * ECS's UpdateService supports ("You can change capacity providers for rolling deployments
 * and blue/green deployments": https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
 * A service deployed with `LaunchType: FARGATE` (Portcullis before this change wrote it for
 * on-demand) is replaced once when it moves to a strategy; `Capacity.onDemandLaunchType()`
 * keeps it. The FargateCluster associates both providers with the cluster, and every service
 * depends on that association (`serviceDependencies`).
 */
function fargateCapacity(capacity: Capacity): { capacityProviderStrategies?: ecs.CapacityProviderStrategy[] } {
  const strategies = capacity.capacityProviderStrategies();
  return strategies.length > 0 ? { capacityProviderStrategies: strategies } : {};
}

function archName(a: ecs.CpuArchitecture): string {
  return a === ecs.CpuArchitecture.ARM64 ? 'ARM64' : 'X86_64';
}

function known(...values: number[]): boolean {
  return values.every((v) => !Token.isUnresolved(v));
}
