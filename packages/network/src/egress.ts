import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { parseInstanceType } from './private/instance-type';

/** Which egress strategy a {@link Egress} is. */
export enum EgressKind {
  /** One NAT gateway with its own Elastic IP in every AZ (the seed patterns). */
  NAT_GATEWAY_PER_AZ = 'NAT_GATEWAY_PER_AZ',
  /** One NAT gateway shared by every AZ. */
  SINGLE_NAT_GATEWAY = 'SINGLE_NAT_GATEWAY',
  /** One small NAT instance with an Elastic IP. */
  NAT_INSTANCE = 'NAT_INSTANCE',
  /** No route to the internet from the private subnets; VPC endpoints instead. */
  NONE = 'NONE',
  /** Public subnets only, no private subnets and no NAT (the seeds' low-cost VPC). */
  PUBLIC_SUBNETS_ONLY = 'PUBLIC_SUBNETS_ONLY',
}

/** Options of {@link Egress.natInstance}. */
export interface NatInstanceOptions {
  /**
   * EC2 instance type of the NAT instance, e.g. `t4g.nano` or `t3.micro`.
   * Graviton types (`t4g`, `c7g`, `a1`, ...) get an arm64 Amazon Linux 2023 image, others x86_64.
   * A type of a burstable, general purpose or compute family Portcullis knows (t2, t3, t3a,
   * t4g, a1, m5 to m8g, c5 to c8g) must exist (`m5.nano` and `t4g.metal` are rejected); a type
   * of another family synthesizes with a warning, as its size and architecture are not checked.
   *
   * @default 't4g.nano' - the cheapest current-generation type (about $3/month)
   */
  readonly instanceType?: string;

  /**
   * The image of the NAT instance. Give one to decide yourself when the instance changes:
   * `ImageId` is create-only on `AWS::EC2::Instance`, so a different image replaces the
   * instance (same Elastic IP, a short egress interruption). For example
   * `MachineImage.genericLinux({ 'us-east-1': 'ami-...' })` (pinned: replaced only when you
   * change the id) or `MachineImage.resolveSsmParameterAtLaunch(...)` (the template never
   * changes: the instance keeps the image it was launched with until it is replaced).
   * The image must match the instance type's architecture: a Windows image, or an image whose
   * class or SSM parameter names another architecture than the type's, is refused at synth
   * (a pinned AMI id says nothing about its architecture and is not checked).
   *
   * @default - the latest Amazon Linux 2023 for the instance type's architecture, read from
   * the public SSM parameter at every deployment: a deployment after an AMI release replaces
   * the NAT instance (patching by replacement; the Elastic IP, and so `egressIps`, stay the same)
   */
  readonly machineImage?: ec2.IMachineImage;
}

/** Options of {@link Egress.none}. */
export interface NoEgressOptions {
  /**
   * Also add the interface endpoints that EC2 container instances need
   * (ECS, ECS agent, ECS telemetry), on top of those every ECS task needs.
   *
   * @default false - endpoints for Fargate tasks only
   */
  readonly ec2Capacity?: boolean;
}

/**
 * How traffic from the private subnets reaches the internet, and from which addresses.
 *
 * An enum-like class: pick one of the static factories.
 */
export class Egress {
  /**
   * One NAT gateway with its own Elastic IP in each public subnet, and one private route
   * table per AZ routing `0.0.0.0/0` to the NAT gateway of the same AZ (seed parity).
   * Survives the loss of an AZ; costs one NAT gateway and one IPv4 address per AZ.
   */
  public static natGatewayPerAz(): Egress {
    return new Egress(EgressKind.NAT_GATEWAY_PER_AZ);
  }

  /**
   * One NAT gateway, with one Elastic IP, shared by every AZ: one allow-listed address,
   * about half the idle cost of two gateways, but egress stops if its AZ fails.
   */
  public static singleNatGateway(): Egress {
    return new Egress(EgressKind.SINGLE_NAT_GATEWAY);
  }

  /**
   * One small NAT instance (current generation, IMDSv2 required, encrypted root volume)
   * with an Elastic IP: the lowest idle cost with a fixed egress address, but a single
   * instance you patch and that limits bandwidth.
   */
  public static natInstance(options: NatInstanceOptions = {}): Egress {
    const instanceType = options.instanceType ?? 't4g.nano';
    if (!Token.isUnresolved(instanceType)) {
      parseInstanceType(instanceType, 'Egress.natInstance({ instanceType })');
    }
    return new Egress(EgressKind.NAT_INSTANCE, instanceType, false, options.machineImage);
  }

  /**
   * Private subnets with no route to the internet. The VPC endpoints ECS needs are added
   * (S3 gateway; ECR api, ECR dkr and CloudWatch Logs interface endpoints; ECS, ECS agent
   * and ECS telemetry too with `ec2Capacity`). With `publicSubnets: false` the VPC has no
   * internet gateway at all.
   */
  public static none(options: NoEgressOptions = {}): Egress {
    return new Egress(EgressKind.NONE, undefined, options.ec2Capacity ?? false);
  }

  /**
   * The seeds' low-cost VPC: public subnets only, no private subnets, no NAT. Tasks placed
   * here need public IPs (billed per address since 2024) and must opt into them explicitly.
   */
  public static publicSubnetsOnly(): Egress {
    return new Egress(EgressKind.PUBLIC_SUBNETS_ONLY);
  }

  /**
   * The strategy named `name`, as written in configuration (CDK context, environment):
   * `natGatewayPerAz`, `singleNatGateway`, `natInstance`, `none` or `publicSubnetsOnly`,
   * with each factory's defaults.
   */
  public static fromName(name: string): Egress {
    // A Map, not an object: names like 'constructor', 'toString' or '__proto__' are unknown
    // names too, never an inherited member of Object.prototype.
    const factories = new Map<string, () => Egress>([
      ['natGatewayPerAz', () => Egress.natGatewayPerAz()],
      ['singleNatGateway', () => Egress.singleNatGateway()],
      ['natInstance', () => Egress.natInstance()],
      ['none', () => Egress.none()],
      ['publicSubnetsOnly', () => Egress.publicSubnetsOnly()],
    ]);
    const factory = factories.get(name);
    if (!factory) {
      throw new Error(`Unknown egress strategy '${name}': use one of ${[...factories.keys()].join(', ')}`);
    }
    return factory();
  }

  /** Which strategy this is. */
  public readonly kind: EgressKind;

  /** The NAT instance type, for {@link EgressKind.NAT_INSTANCE}. */
  public readonly natInstanceType?: string;

  /**
   * The NAT instance image given to {@link Egress.natInstance}, for {@link EgressKind.NAT_INSTANCE}.
   *
   * @default - the latest Amazon Linux 2023 from the public SSM parameter
   */
  public readonly natInstanceMachineImage?: ec2.IMachineImage;

  /** Whether the EC2-capacity endpoints are added, for {@link EgressKind.NONE}. */
  public readonly ec2Capacity: boolean;

  private constructor(kind: EgressKind, natInstanceType?: string, ec2Capacity = false, natInstanceMachineImage?: ec2.IMachineImage) {
    this.kind = kind;
    this.natInstanceType = natInstanceType;
    this.ec2Capacity = ec2Capacity;
    this.natInstanceMachineImage = natInstanceMachineImage;
  }

  /** Whether this strategy uses NAT (a gateway or an instance) and so needs public subnets. */
  public get usesNat(): boolean {
    return this.kind === EgressKind.NAT_GATEWAY_PER_AZ
      || this.kind === EgressKind.SINGLE_NAT_GATEWAY
      || this.kind === EgressKind.NAT_INSTANCE;
  }

  /** Whether this strategy creates private subnets. */
  public get hasPrivateSubnets(): boolean {
    return this.kind !== EgressKind.PUBLIC_SUBNETS_ONLY;
  }
}
