import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { INetwork } from '@portcullis/network';
import { IConstruct, IDependable } from 'constructs';

/** What runs the tasks of a cluster. */
export enum ClusterCapacity {
  /** AWS Fargate. */
  FARGATE = 'FARGATE',
  /** EC2 container instances of an Auto Scaling group capacity provider. */
  EC2 = 'EC2',
}

/**
 * A Portcullis cluster, as an {@link ApiService} sees it: {@link FargateCluster} or
 * {@link Ec2Cluster}.
 */
export interface IApiCluster extends IConstruct {
  /** The ECS cluster. */
  readonly cluster: ecs.ICluster;
  /** The VPC its services run in. */
  readonly vpc: ec2.IVpc;
  /** The network its services run in. */
  readonly network: INetwork;
  /** The task execution role its services use. */
  readonly executionRole: iam.IRole;
  /** What runs the tasks. */
  readonly capacity: ClusterCapacity;
  /**
   * The capacity provider services use, for EC2 capacity.
   *
   * @default - none (Fargate)
   */
  readonly capacityProviderName?: string;
  /**
   * The CPU architecture of the capacity, for EC2 capacity (task definitions must match).
   *
   * @default - none (Fargate: chosen per task definition)
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
  /**
   * The instance type of the capacity, for EC2 capacity: services check that their tasks fit
   * on one instance (for the instance types whose sizes they know).
   *
   * @default - none (Fargate, or not known)
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * What every service on the cluster must depend on: created before the service and, since
   * CloudFormation deletes in reverse dependency order, deleted only after the service is
   * gone (e.g. the capacity-provider association, which cannot drop a provider a service
   * still uses, and a teardown helper that force-deletes the instances).
   *
   * @default - nothing beyond the cluster itself
   */
  readonly serviceDependencies?: IDependable[];
}
