import { Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { INetwork, PlatformParameters } from '@portcullis/network';
import { Construct, IConstruct } from 'constructs';
import { ClusterCapacity, IApiCluster } from './api-cluster';
import { checkStackQuotas } from './private/stack-quotas';

/**
 * A platform as a service sees it: the shared network and cluster (and alarm topic), in this
 * app or published by another one. The ingresses join it with their own `fromParameters`
 * (`AlbIngress.fromParameters`, `ApiGatewayIngress.fromParameters`).
 */
export interface IPlatform extends IConstruct {
  /** The platform's name: its parameters are under `/portcullis/<platformName>/`. */
  readonly platformName: string;
  /** The shared network. */
  readonly network: INetwork;
  /** The shared cluster. */
  readonly cluster: IApiCluster;
  /**
   * The topic the services' alarms notify.
   *
   * @default - none
   */
  readonly alarmTopic?: sns.ITopic;
}

/** Properties of a {@link Platform}. */
export interface PlatformProps {
  /**
   * The platform's name: 1 to 64 letters, digits, `-`, `_` and `.`, unique in the account and
   * Region (its parameters are `/portcullis/<platformName>/...`).
   */
  readonly platformName: string;
  /** The network to publish. */
  readonly network: INetwork;
  /** The cluster to publish (a `FargateCluster` or an `Ec2Cluster`). */
  readonly cluster: IApiCluster;
  /**
   * A topic for the services' alarms, published too.
   *
   * @default - none
   */
  readonly alarmTopic?: sns.ITopic;
}

/** Properties of {@link Platform.fromParameters}: the platform's name and the shape it was published with, known at synth. */
export interface PlatformFromParametersProps {
  /** The platform's name, as it was published. */
  readonly platformName: string;
  /**
   * How many availability zones the platform's network has.
   *
   * @default 2
   */
  readonly availabilityZoneCount?: number;
  /**
   * Whether the network has private subnets (false for `Egress.publicSubnetsOnly()`).
   *
   * @default true
   */
  readonly privateSubnets?: boolean;
  /**
   * Whether the network has public subnets.
   *
   * @default true
   */
  readonly publicSubnets?: boolean;
  /**
   * Whether the private subnets reach the internet (false for `Egress.none()`).
   *
   * @default true
   */
  readonly internetEgress?: boolean;
  /**
   * Whether the network is dual-stack.
   *
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * What runs the cluster's tasks.
   *
   * @default ClusterCapacity.FARGATE
   */
  readonly capacity?: ClusterCapacity;
  /**
   * The CPU architecture of an EC2 cluster's instances (task definitions must match).
   *
   * @default ecs.CpuArchitecture.X86_64 on EC2 capacity; none on Fargate
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
  /**
   * The instance type of an EC2 cluster, for the check that a task fits on one instance.
   *
   * @default - not checked
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Whether the platform published an alarm topic.
   *
   * @default false
   */
  readonly alarmTopic?: boolean;
}

/**
 * A platform: one network and one cluster (and an alarm topic) that services in stacks of their
 * own, **in this CDK app or in others**, share. Creating it publishes what they need in SSM
 * parameters under `/portcullis/<platformName>/` (no CloudFormation export); a service stack
 * joins with {@link Platform.fromParameters}, which reads them at deploy time, and the
 * ingresses publish and import their own piece (`alb.publish(...)`, `AlbIngress.fromParameters(...)`).
 *
 * It lives in `@portcullis/cluster` because it composes only the network and the cluster: a
 * facade over the ingresses too would depend on every package and make every change affect it.
 *
 * @example
 * // in the platform's app
 * const network = new Network(this, 'Network');
 * const cluster = new FargateCluster(this, 'Cluster', { network });
 * new Platform(this, 'Platform', { platformName: 'shop', network, cluster });
 *
 * // in a service's app
 * const shop = Platform.fromParameters(this, 'Shop', { platformName: 'shop' });
 * new ApiService(this, 'Api', { cluster: shop.cluster });
 */
export class Platform extends Construct implements IPlatform {
  /**
   * The platform `platformName`, as published by another stack or app: its network and
   * cluster read at deploy time in this stack (SSM-typed CloudFormation parameters, no
   * CloudFormation export). The shape given here is checked at deploy time against the
   * published one: a mismatch fails the deployment before it changes anything.
   */
  public static fromParameters(scope: Construct, id: string, props: PlatformFromParametersProps): IPlatform {
    return new ImportedPlatform(scope, id, props);
  }

  public readonly platformName: string;
  public readonly network: INetwork;
  public readonly cluster: IApiCluster;
  public readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    this.platformName = props.platformName;
    this.network = props.network;
    this.cluster = props.cluster;
    this.alarmTopic = props.alarmTopic;
    const name = props.platformName;
    PlatformParameters.publishNetwork(this, name, props.network);
    const clusterParameters = new Construct(this, 'ClusterParameters');
    const put = (key: string, value: string, what: string) => PlatformParameters.publish(clusterParameters, name, `cluster/${key}`, value, `Portcullis platform '${name}': ${what}`);
    put('name', props.cluster.cluster.clusterName, 'the ECS cluster\'s name');
    put('execution-role-arn', props.cluster.executionRole.roleArn, 'the cluster\'s task execution role (services in other stacks use a role of their own)');
    if (props.cluster.capacityProviderName !== undefined) put('capacity-provider-name', props.cluster.capacityProviderName, 'the capacity provider of the EC2 cluster');
    put('shape', clusterShape(props.cluster.capacity, props.cluster.cpuArchitecture), 'the cluster\'s shape: what services synthesize for (checked by each service stack at deploy time)');
    checkStackQuotas(Stack.of(this));
    if (props.alarmTopic) PlatformParameters.publish(this, name, 'alarm-topic-arn', props.alarmTopic.topicArn, `Portcullis platform '${name}': the topic the services' alarms notify`);
  }
}

function clusterShape(capacity: ClusterCapacity, architecture?: ecs.CpuArchitecture): string {
  return capacity === ClusterCapacity.EC2
    ? `capacity=EC2,architecture=${architecture === ecs.CpuArchitecture.ARM64 ? 'ARM64' : 'X86_64'}`
    : 'capacity=FARGATE';
}

class ImportedPlatform extends Construct implements IPlatform {
  public readonly platformName: string;
  public readonly network: INetwork;
  public readonly cluster: IApiCluster;
  public readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: PlatformFromParametersProps) {
    super(scope, id);
    const name = props.platformName;
    this.platformName = name;
    this.network = PlatformParameters.importNetwork(this, 'Network', props);
    const capacity = props.capacity ?? ClusterCapacity.FARGATE;
    if (capacity === ClusterCapacity.FARGATE && (props.cpuArchitecture !== undefined || props.instanceType !== undefined)) {
      throw new Error('`cpuArchitecture` and `instanceType` describe an EC2 cluster\'s instances, but `capacity` is FARGATE (the default): ' +
        'give `capacity: ClusterCapacity.EC2` for a platform with an Ec2Cluster, or remove them (Fargate tasks choose their architecture per service)');
    }
    const architecture = capacity === ClusterCapacity.EC2 ? props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64 : undefined;
    const value = (key: string) => PlatformParameters.valueAtDeploy(this, name, key);
    PlatformParameters.expectValue(this, name, 'cluster/shape', clusterShape(capacity, architecture),
      'give Platform.fromParameters the `capacity` (and, on EC2, the `cpuArchitecture`) of the platform\'s cluster, then synthesize and deploy again');
    this.cluster = new ImportedCluster(this, 'Cluster', {
      network: this.network,
      clusterName: value('cluster/name'),
      // never granted to (a service of another stack uses a role of its own): not read, so no
      // unused parameter; rendering it fails the synth, naming the parameter to read instead
      executionRoleArn: Lazy.string({
        produce: () => {
          throw new Error(`The execution role of the cluster of the platform '${name}' imported with Platform.fromParameters is not read at deploy time (services use roles of their own): ` +
            `read it with PlatformParameters.valueAtDeploy(scope, '${name}', 'cluster/execution-role-arn')`);
        },
      }),
      capacity,
      capacityProviderName: capacity === ClusterCapacity.EC2 ? value('cluster/capacity-provider-name') : undefined,
      cpuArchitecture: architecture,
      instanceType: props.instanceType,
    });
    this.alarmTopic = props.alarmTopic ? sns.Topic.fromTopicArn(this, 'AlarmTopic', value('alarm-topic-arn')) : undefined;
  }
}

/** A platform's cluster read from its parameters: what an ApiService needs of it. */
class ImportedCluster extends Construct implements IApiCluster {
  public readonly cluster: ecs.ICluster;
  public readonly vpc: ec2.IVpc;
  public readonly network: INetwork;
  /** The platform cluster's role, never granted to: a service in another stack uses a role of its own. */
  public readonly executionRole: iam.IRole;
  public readonly capacity: ClusterCapacity;
  public readonly capacityProviderName?: string;
  public readonly cpuArchitecture?: ecs.CpuArchitecture;
  public readonly instanceType?: ec2.InstanceType;

  constructor(scope: Construct, id: string, props: {
    network: INetwork; clusterName: string; executionRoleArn: string; capacity: ClusterCapacity;
    capacityProviderName?: string; cpuArchitecture?: ecs.CpuArchitecture; instanceType?: ec2.InstanceType;
  }) {
    super(scope, id);
    this.network = props.network;
    this.vpc = props.network.vpc;
    this.cluster = ecs.Cluster.fromClusterAttributes(this, 'Resource', { clusterName: props.clusterName, vpc: this.vpc, securityGroups: [] });
    this.executionRole = iam.Role.fromRoleArn(this, 'ExecutionRole', props.executionRoleArn, { mutable: false });
    this.capacity = props.capacity;
    this.capacityProviderName = props.capacityProviderName;
    this.cpuArchitecture = props.cpuArchitecture;
    this.instanceType = props.instanceType;
  }
}
