import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct, IDependable } from 'constructs';
import { addDualStack } from './private/dual-stack';
import { imageFacts } from './private/machine-image';
import { Egress, EgressKind } from './egress';
import { CHECKED_NAT_FAMILIES, parseInstanceType } from './private/instance-type';
import { cidrV4, retention, show, synthTimeValue, wholeNumber } from './private/validate';

/**
 * A VPC as the other Portcullis packages see it: where the ingress goes (public subnets),
 * where the tasks go (private subnets), and which addresses their outbound traffic leaves from.
 */
export interface INetwork extends IConstruct {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The public subnets (ingress, NAT); an empty selection when there are none. */
  readonly publicSubnets: ec2.SubnetSelection;
  /** The private subnets (tasks, VPC links, endpoints); an empty selection when there are none. */
  readonly privateSubnets: ec2.SubnetSelection;
  /**
   * The fixed public addresses every outbound connection from the private subnets leaves
   * from (the NAT Elastic IPs), for partners to allow-list. Empty when there is no NAT, or
   * when they are unknown (see `egressIpsKnown`).
   */
  readonly egressIps: string[];
  /** False for a network imported with {@link Network.fromVpc}: its egress addresses are not known here. */
  readonly egressIpsKnown: boolean;
  /**
   * True when the subnets' availability zones were chosen on purpose: given as
   * `availabilityZones`, or already placed (a VPC imported with {@link Network.fromVpc}).
   * False when they are simply the first ones the region lists, which map to different
   * AZ IDs in every account (some services, e.g. HTTP API VPC links, are missing in some AZ IDs).
   *
   * @default - unknown, treat as false
   */
  readonly availabilityZonesExplicit?: boolean;
  /**
   * The egress strategy of the network.
   *
   * @default - unknown (e.g. a VPC imported with {@link Network.fromVpc})
   */
  readonly egress?: Egress;
  /**
   * True when the VPC is dual-stack (an IPv6 block, a /64 per subnet): what an
   * internet-facing ALB needs for `dualstack` and `dualstack-without-public-ipv4`.
   *
   * @default - unknown, treat as false (e.g. a VPC imported with {@link Network.fromVpc})
   */
  readonly ipv6Enabled?: boolean;
  /**
   * With IPv6: the IPv6 blocks of the VPC and its subnets. A dual-stack load balancer
   * depends on it, so that it is created (or switched) only once its subnets have IPv6; so
   * does an ApiService, so that its tasks start with IPv6 and, on delete, drain before the
   * blocks are disassociated.
   *
   * @default - nothing to wait for
   */
  readonly ipv6Established?: IDependable;
}

/** Properties of a {@link Network}. All optional: the default is the seed patterns' large VPC. */
export interface NetworkProps {
  /**
   * IPv4 CIDR block of the VPC, a /16 to a /24. It is split evenly into one public and one
   * private subnet per AZ (a /16 over 2 AZs gives four /18 subnets, as in the seed).
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * How many availability zones to use (the first ones the region lists). An
   * Application Load Balancer needs at least two. Cannot be combined with `availabilityZones`.
   *
   * @default 2 - unless `availabilityZones` is given
   */
  readonly maxAzs?: number;

  /**
   * The availability zones to put the subnets in, by name, e.g. `['us-east-1a', 'us-east-1b']`,
   * all in the stack's region. One public and one private subnet is created in each, and
   * `cidr` is split over them. Use it when the AZs matter: an AZ *name* maps to a different
   * AZ *ID* in every account, and some services are missing in some AZ IDs (API Gateway
   * HTTP API VPC links are not available in use1-az3, and only in usw1-az1 and usw1-az3 in
   * us-west-1: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html).
   * Cannot be combined with `maxAzs`.
   *
   * @default - the first `maxAzs` AZs the region lists
   */
  readonly availabilityZones?: string[];

  /**
   * How traffic from the private subnets reaches the internet.
   *
   * @default Egress.natGatewayPerAz() - seed parity: one NAT gateway and Elastic IP per AZ
   */
  readonly egress?: Egress;

  /**
   * Whether the VPC has public subnets (and an internet gateway). Only `Egress.none()`
   * works without them: a fully isolated VPC, reachable through an API Gateway VPC link.
   *
   * @default true
   */
  readonly publicSubnets?: boolean;

  /**
   * Add a (free) S3 gateway endpoint to the private subnets: image layers pulled from
   * ECR come from S3 and stop paying NAT data charges. Required with `Egress.none()`.
   *
   * @default true whenever there are private subnets
   */
  readonly s3GatewayEndpoint?: boolean;

  /**
   * Extra interface endpoints (PrivateLink) to add in the private subnets, e.g.
   * `InterfaceVpcEndpointAwsService.SECRETS_MANAGER`. Each costs about $7.30/month per AZ.
   *
   * @default - none beyond those `Egress.none()` adds
   */
  readonly interfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * Record VPC flow logs to a CloudWatch Logs group.
   *
   * @default true
   */
  readonly flowLogs?: boolean;

  /**
   * Which traffic the flow logs record.
   *
   * @default ec2.FlowLogTrafficType.REJECT - rejected connections only: what a security
   * review needs, at a fraction of the ingestion cost of ALL
   */
  readonly flowLogTrafficType?: ec2.FlowLogTrafficType;

  /**
   * How long flow-log records are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * Dual-stack VPC: an Amazon-provided IPv6 block (/56), a /64 in every subnet, `::/0` to the internet gateway from the public subnets
   * and `::/0` to an egress-only internet gateway (free) from the private subnets only, so
   * nothing on the internet can open a connection to a task's IPv6 address. The IPv4 side,
   * NAT and `egressIps`, does not change; IPv6 egress leaves from the tasks' own addresses
   * (inside {@link Network.ipv6Cidr}), not from the NAT. No DNS64/NAT64: the private subnets keep
   * IPv4 egress through the NAT. Not with `Egress.publicSubnetsOnly()` (tasks there would get
   * internet-routable IPv6 addresses).
   *
   * Turning it on for a deployed network updates the VPC and subnets in place (see the
   * README's "What a change replaces").
   *
   * @default false
   */
  readonly ipv6?: boolean;
}

const DEFAULT_CIDR = '10.0.0.0/16';
/** An AZ name: a region (`us-east-1`, `us-gov-west-1`) plus one letter. Local and Wavelength Zones do not match. */
const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
const SMALLEST_SUBNET_PREFIX = 28; // AWS's smallest subnet
const FLOW_LOG_TRAFFIC_TYPES: string[] = Object.values(ec2.FlowLogTrafficType);
/**
 * Elastic IP addresses per Region per account, by default (a quota you can raise):
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
 */
const DEFAULT_EIP_QUOTA = 5;

/** What {@link Network} works out from its props before it creates anything. */
interface Layout {
  readonly cidr: string;
  readonly maxAzs: number;
  readonly explicitAzs?: string[];
  readonly hasPublic: boolean;
  readonly hasPrivate: boolean;
  /** How many AZs the subnets are in. */
  readonly azCount: number;
  /** The prefix of every subnet. */
  readonly cidrMask: number;
  /** NAT gateways (or NAT instances) per aws-cdk-lib's count. */
  readonly natCount: number;
  readonly natInstanceProvider?: ec2.NatInstanceProviderV2;
  readonly ipv6: boolean;
}

/**
 * The VPC of the seed patterns: public subnets for the ingress and NAT, private subnets for
 * the containers, and a cost-aware, allow-listable egress strategy.
 *
 * @example
 * const network = new Network(this, 'Network', { egress: Egress.singleNatGateway() });
 * new CfnOutput(this, 'EgressIps', { value: Fn.join(',', network.egressIps) });
 */
export class Network extends Construct implements INetwork {
  /**
   * Use an existing VPC with the other Portcullis packages. Its private subnets are those
   * with egress, or else the isolated ones. Its egress addresses are not known here:
   * `egressIps` is empty and `egressIpsKnown` is false.
   */
  public static fromVpc(scope: Construct, id: string, vpc: ec2.IVpc): INetwork {
    return new ImportedNetwork(scope, id, { vpc });
  }

  public readonly vpc: ec2.IVpc;
  /**
   * The egress strategy. Always set on a `Network` (to `props.egress` or the default); the
   * type is optional only because `INetwork.egress` is, and jsii keeps optionality on implementations.
   */
  public readonly egress?: Egress;
  public readonly publicSubnets: ec2.SubnetSelection;
  public readonly privateSubnets: ec2.SubnetSelection;
  public readonly egressIps: string[];
  public readonly egressIpsKnown: boolean = true;
  /** The availability zones the subnets are in. */
  public readonly availabilityZones: string[];
  /**
   * True when the availability zones were given as `availabilityZones`, false when they are
   * the first `maxAzs` the region lists. Always set on a `Network`; optional in type only, as on `INetwork`.
   */
  public readonly availabilityZonesExplicit?: boolean;
  /** How many NAT gateways the VPC has (0 for a NAT instance or no NAT). */
  public readonly natGatewayCount: number;
  /** The NAT instance, with `Egress.natInstance()`. */
  public readonly natInstance?: ec2.Instance;
  /** The S3 gateway endpoint, when there is one. */
  public readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  /** The flow log, when `flowLogs` is on. */
  public readonly flowLog?: ec2.FlowLog;
  /** Whether the VPC is dual-stack (`ipv6`). Always set on a `Network`; optional in type only, as on `INetwork`. */
  public readonly ipv6Enabled?: boolean;
  /**
   * The VPC's IPv6 block (a token, /56), with `ipv6`: IPv6 connections from the private
   * subnets leave from addresses inside it, so it is what partners allow-list for IPv6.
   */
  public readonly ipv6Cidr?: string;
  /** With `ipv6`: the IPv6 blocks of the VPC and of every subnet, for what needs them to exist first. */
  public readonly ipv6Established?: IDependable;

  private readonly endpointSubnets: ec2.SubnetSelection;
  /** The VPC's own address range, as a literal (policy checks can read it). */
  private readonly vpcPeer: ec2.IPeer;
  private endpointSecurityGroup?: ec2.SecurityGroup;
  /** The interface endpoints created so far, by resolved service name: one per service. */
  private readonly interfaceEndpointsByService = new Map<string, ec2.InterfaceVpcEndpoint>();

  constructor(scope: Construct, id: string, props?: NetworkProps) {
    super(scope, id);
    props = props ?? {};
    const egress = props.egress ?? Egress.natGatewayPerAz();
    this.egress = egress;
    this.availabilityZonesExplicit = props.availabilityZones !== undefined;

    const layout = this.validate(props, egress);

    const vpc = this.createVpc(layout, egress);
    this.vpc = vpc;
    this.ipv6Enabled = layout.ipv6;
    // Not ec2.Vpc's ipProtocol DUAL_STACK: it sets the subnets' Ipv6CidrBlock, which may
    // replace the subnets of a deployed network; addDualStack only adds resources.
    const dualStack = layout.ipv6 ? addDualStack(this, vpc) : undefined;
    this.ipv6Cidr = dualStack?.ipv6Cidr;
    this.ipv6Established = dualStack?.established;
    this.availabilityZones = vpc.availabilityZones;
    this.natGatewayCount = layout.natInstanceProvider ? 0 : layout.natCount;
    this.publicSubnets = { subnets: vpc.publicSubnets };
    this.privateSubnets = { subnets: [...vpc.privateSubnets, ...vpc.isolatedSubnets] };
    this.endpointSubnets = this.privateSubnets;
    this.vpcPeer = ec2.Peer.ipv4(layout.cidr);

    const addresses = this.createEgressAddresses(vpc, layout.natInstanceProvider);
    this.egressIps = addresses.egressIps;
    this.natInstance = addresses.natInstance;

    this.s3Endpoint = this.createEndpoints(props, egress, layout.hasPrivate);
    this.flowLog = this.createFlowLog(props, vpc);
  }

  /**
   * Adds an interface endpoint (PrivateLink) for an AWS service in the private subnets,
   * with private DNS. Every endpoint shares one security group that accepts only HTTPS (443)
   * from the VPC's address range.
   *
   * Idempotent per service: when this network already has an endpoint for `service` (same
   * service name), that endpoint is returned and nothing is added, whatever `id` is. A VPC
   * cannot hold two endpoints with private DNS for one service (their DNS names conflict).
   */
  public addInterfaceEndpoint(id: string, service: ec2.InterfaceVpcEndpointAwsService): ec2.InterfaceVpcEndpoint {
    const key = JSON.stringify(Stack.of(this).resolve(service.name));
    const existing = this.interfaceEndpointsByService.get(key);
    if (existing) {
      return existing;
    }
    if ((this.endpointSubnets.subnets ?? []).length === 0) {
      throw new Error(`Cannot add interface endpoint '${id}': this network has no private subnets (egress is ${describe(this.egress!)})`);
    }
    if (!this.endpointSecurityGroup) {
      this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface VPC endpoints: HTTPS from inside the VPC only',
        allowAllOutbound: false,
      });
      this.endpointSecurityGroup.addIngressRule(this.vpcPeer, ec2.Port.tcp(443), 'HTTPS from the VPC');
    }
    const endpoint = this.vpc.addInterfaceEndpoint(id, {
      service,
      subnets: this.endpointSubnets,
      privateDnsEnabled: true,
      open: false,
      securityGroups: [this.endpointSecurityGroup],
    });
    this.interfaceEndpointsByService.set(key, endpoint);
    return endpoint;
  }

  /**
   * Step 1: checks every prop (errors name the prop, the value and the fix; warnings for
   * what works but needs care) and works out the subnet layout.
   */
  private validate(props: NetworkProps, egress: Egress): Layout {
    const hasPublic = props.publicSubnets ?? true;
    const hasPrivate = egress.hasPrivateSubnets;
    const maxAzs = props.maxAzs ?? 2;
    const cidr = props.cidr ?? DEFAULT_CIDR;
    const explicitAzs = props.availabilityZones;

    if (explicitAzs !== undefined) {
      if (props.maxAzs !== undefined) {
        throw new Error(
          `\`maxAzs\` and \`availabilityZones\` cannot both be given, got maxAzs ${props.maxAzs} and availabilityZones ${JSON.stringify(explicitAzs)}: ` +
          'remove `maxAzs` (the number of AZs is the length of `availabilityZones`)',
        );
      }
      this.validateAvailabilityZones(explicitAzs);
    }
    // Both decide the template's shape (how many subnets, route tables and NAT gateways; the
    // subnet blocks), so neither can wait for deploy time.
    synthTimeValue('cidr', cidr, 'it is split into the subnets at synth', "write the block, e.g. '10.0.0.0/16'");
    if (explicitAzs === undefined) {
      synthTimeValue('maxAzs', maxAzs, 'it decides how many subnets, route tables and NAT gateways the template has',
        'give a number, or list the AZ names in `availabilityZones`');
      wholeNumber('maxAzs', maxAzs, { min: 1, fix: 'use 2 or more (an ALB needs two AZs)' });
      if (maxAzs === 1) {
        Annotations.of(this).addWarningV2('@portcullis/network:singleAz',
          '`maxAzs` is 1: an Application Load Balancer needs subnets in at least two AZs, and one AZ has no redundancy. Use 2 or more unless this network only serves an API Gateway ingress.');
      }
    }
    if (!hasPublic && egress.usesNat) {
      throw new Error(
        `\`publicSubnets: false\` cannot be used with \`egress: ${describe(egress)}\`: NAT lives in public subnets. ` +
        'Keep the public subnets, or use Egress.none() for a fully isolated VPC',
      );
    }
    if (!hasPublic && egress.kind === EgressKind.PUBLIC_SUBNETS_ONLY) {
      throw new Error('`publicSubnets: false` cannot be used with `egress: Egress.publicSubnetsOnly()`: the VPC would have no subnets. Use Egress.none() for a private-only VPC');
    }
    if (props.s3GatewayEndpoint === false && egress.kind === EgressKind.NONE) {
      throw new Error('`s3GatewayEndpoint: false` cannot be used with `egress: Egress.none()`: without NAT, tasks pull image layers from S3 through that endpoint. Remove `s3GatewayEndpoint: false`');
    }
    if ((props.interfaceEndpoints ?? []).length > 0 && !hasPrivate) {
      throw new Error('`interfaceEndpoints` needs private subnets, but `egress` is Egress.publicSubnetsOnly(): pick another egress strategy or remove `interfaceEndpoints`');
    }
    const ipv6 = props.ipv6 ?? false;
    if (Token.isUnresolved(ipv6)) {
      throw new Error('`ipv6` must be true or false at synth (it decides the subnets\' IPv6 blocks and routes), got a token: write true or false');
    }
    if (typeof ipv6 !== 'boolean') {
      // e.g. 'false' from a context value or a JSON file: truthy, so it would turn IPv6 on
      throw new Error(`\`ipv6\` must be true or false, got ${show(ipv6)}: write true or false (a context value is a string: compare it, e.g. \`ipv6: app.node.tryGetContext('ipv6') === 'true'\`)`);
    }
    if (ipv6 && egress.kind === EgressKind.PUBLIC_SUBNETS_ONLY) {
      throw new Error('`ipv6: true` cannot be used with `egress: Egress.publicSubnetsOnly()`: the tasks would run in public subnets with internet-routable IPv6 addresses. ' +
        'Use an egress with private subnets (e.g. Egress.natInstance()), or remove `ipv6`');
    }
    retention('flowLogRetention', props.flowLogRetention);
    if (props.flowLogTrafficType !== undefined && !FLOW_LOG_TRAFFIC_TYPES.includes(props.flowLogTrafficType)) {
      throw new Error(`\`flowLogTrafficType\` must be one of ${FLOW_LOG_TRAFFIC_TYPES.join(', ')}, got ${show(props.flowLogTrafficType)}: use ec2.FlowLogTrafficType.REJECT, ACCEPT or ALL`);
    }

    const azCount = explicitAzs !== undefined
      ? explicitAzs.length
      : Math.min(maxAzs, Stack.of(this).availabilityZones.length);
    const cidrMask = subnetPrefix(cidr, azCount, explicitAzs !== undefined);
    if (explicitAzs === undefined && maxAzs > azCount) {
      // An environment-agnostic stack knows two AZs (Fn::GetAZs picks them at deploy time);
      // a stack with an env knows the region's AZs from context (cdk.context.json).
      Annotations.of(this).addWarningV2('@portcullis/network:fewerAzs',
        `\`maxAzs\` is ${maxAzs} but this stack knows only ${azCount} availability zones, so the network uses ${azCount}. ` +
        'Give the stack an `env` (account and region) so the region\'s AZs are known, or list them in `availabilityZones`.');
    }

    const natInstanceProvider = egress.kind === EgressKind.NAT_INSTANCE
      ? natInstanceProviderFor(egress.natInstanceType!, egress.natInstanceMachineImage)
      : undefined;
    const natCount = natCountFor(egress, azCount);
    if (natInstanceProvider) {
      checkNatInstanceImage(egress.natInstanceType!, egress.natInstanceMachineImage);
      this.warnOnUncheckedNatInstanceType(egress.natInstanceType!, egress.natInstanceMachineImage);
    }
    const eipCount = natInstanceProvider ? 1 : natCount;
    if (eipCount > DEFAULT_EIP_QUOTA) {
      Annotations.of(this).addWarningV2('@portcullis/network:elasticIpQuota',
        `This network allocates ${eipCount} Elastic IPs (one per NAT gateway in each of ${azCount} AZs), more than the default quota of ${DEFAULT_EIP_QUOTA} per Region per account, ` +
        'which every other Elastic IP of the account in that Region shares: request an increase of "EC2-VPC Elastic IPs" in Service Quotas before deploying, ' +
        'or use fewer AZs or Egress.singleNatGateway() (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).');
    }
    return { cidr, maxAzs, explicitAzs, hasPublic, hasPrivate, azCount, cidrMask, natCount, natInstanceProvider, ipv6 };
  }

  /**
   * Step 2: the VPC, one public and one private subnet per AZ, in two equal halves. A tier the
   * strategy does not use is reserved, so switching strategy never renumbers the other one.
   */
  private createVpc(layout: Layout, egress: Egress): ec2.Vpc {
    const { cidr, maxAzs, explicitAzs, hasPublic, hasPrivate, cidrMask, natCount, natInstanceProvider } = layout;
    return new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      // aws-cdk-lib accepts one or the other; it checks explicit names against the stack's
      // AZs only when they are known (env with context), so the checks of `validate` do the rest.
      ...(explicitAzs !== undefined ? { availabilityZones: explicitAzs } : { maxAzs }),
      enableDnsHostnames: true,
      enableDnsSupport: true,
      natGateways: natInstanceProvider ? 1 : natCount,
      natGatewayProvider: natInstanceProvider,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask, mapPublicIpOnLaunch: true, reserved: !hasPublic },
        {
          name: 'Private',
          subnetType: egress.usesNat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask,
          reserved: !hasPrivate,
        },
      ],
    });
  }

  /**
   * Step 3: the egress addresses: the NAT gateways' Elastic IPs, or the NAT instance (hardened,
   * open to the VPC only) and its Elastic IP.
   */
  private createEgressAddresses(vpc: ec2.Vpc, natInstanceProvider?: ec2.NatInstanceProviderV2): { egressIps: string[]; natInstance?: ec2.Instance } {
    if (!natInstanceProvider) {
      return {
        egressIps: vpc.publicSubnets
          .map((s) => s.node.tryFindChild('EIP'))
          .filter((c): c is ec2.CfnEIP => c instanceof ec2.CfnEIP)
          .map((eip) => eip.attrPublicIp),
      };
    }
    const instance = natInstanceProvider.gatewayInstances[0];
    hardenNatInstance(instance);
    // The private subnets may send anything through the NAT instance; nothing else may reach it.
    natInstanceProvider.securityGroup.addIngressRule(this.vpcPeer, ec2.Port.allTraffic(), 'Traffic from the VPC to be translated');
    const eip = new ec2.CfnEIP(this, 'NatInstanceEip', { domain: 'vpc', instanceId: instance.instanceId });
    // An EIP associated with an instance in the same template must wait for the internet
    // gateway attachment, or the association can fail:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-eip.html (Domain)
    // InstanceId is mutable on AWS::EC2::EIP (re-association, no replacement), so when the
    // instance is replaced (new AMI) this same address moves to the new instance.
    // Not vpc.internetConnectivityEstablished: in aws-cdk-lib 2.275 it holds the IGW only.
    const attachment = vpc.node.children.find((c): c is ec2.CfnVPCGatewayAttachment =>
      c instanceof ec2.CfnVPCGatewayAttachment && c.internetGatewayId !== undefined);
    if (!attachment) {
      throw new Error('Egress.natInstance(): the VPC has no internet gateway attachment to make the NAT instance Elastic IP depend on');
    }
    eip.node.addDependency(attachment);
    // Its user data installs iptables from the package repositories at first boot: start it
    // only once its public subnet routes to the internet, or the install (run once) can fail
    // and the instance never translates.
    const cfnInstance = instance.node.defaultChild as ec2.CfnInstance;
    const home = vpc.publicSubnets.find((s) => s.node.findAll().includes(cfnInstance)) ?? vpc.publicSubnets[0];
    cfnInstance.node.addDependency(home.internetConnectivityEstablished);
    return { egressIps: [eip.attrPublicIp], natInstance: instance };
  }

  /**
   * Step 4: the endpoints: the S3 gateway endpoint, those `Egress.none()` needs, and
   * `interfaceEndpoints` (one per service). Returns the S3 endpoint, when there is one.
   */
  private createEndpoints(props: NetworkProps, egress: Egress, hasPrivate: boolean): ec2.GatewayVpcEndpoint | undefined {
    const s3Endpoint = hasPrivate && (props.s3GatewayEndpoint ?? true)
      ? this.vpc.addGatewayEndpoint('S3Endpoint', {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [this.privateSubnets],
      })
      : undefined;
    const interfaceServices: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [];
    if (egress.kind === EgressKind.NONE) {
      interfaceServices.push(
        ['EcrApiEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR],
        ['EcrDockerEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
        ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      );
      if (egress.ec2Capacity) {
        interfaceServices.push(
          ['EcsEndpoint', ec2.InterfaceVpcEndpointAwsService.ECS],
          ['EcsAgentEndpoint', ec2.InterfaceVpcEndpointAwsService.ECS_AGENT],
          ['EcsTelemetryEndpoint', ec2.InterfaceVpcEndpointAwsService.ECS_TELEMETRY],
        );
      }
    }
    for (const service of props.interfaceEndpoints ?? []) {
      interfaceServices.push([`${endpointIdFor(service)}Endpoint`, service]);
    }
    // addInterfaceEndpoint returns the existing endpoint for a service already added, so a
    // service listed twice (or one Egress.none() already adds) gets one endpoint.
    for (const [endpointId, service] of interfaceServices) {
      this.addInterfaceEndpoint(endpointId, service);
    }
    return s3Endpoint;
  }

  /** Step 5: the flow log and its log group, when `flowLogs` is on. */
  private createFlowLog(props: NetworkProps, vpc: ec2.Vpc): ec2.FlowLog | undefined {
    if (!(props.flowLogs ?? true)) {
      return undefined;
    }
    const logGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (logGroup.node.defaultChild as logs.CfnLogGroup).addMetadata('checkov', {
      skip: [{
        id: 'CKV_AWS_158',
        comment: 'CloudWatch Logs encrypts flow-log records at rest with AWS-owned keys; a customer-managed KMS key adds cost and key policy, not protection this log needs',
      }],
    });
    return vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup),
      trafficType: props.flowLogTrafficType ?? ec2.FlowLogTrafficType.REJECT,
    });
  }

  /** Warns when the NAT instance type could not be checked against the table of known families. */
  private warnOnUncheckedNatInstanceType(instanceType: string, machineImage?: ec2.IMachineImage) {
    const prop = 'Egress.natInstance({ instanceType })';
    if (Token.isUnresolved(instanceType)) {
      if (!machineImage) {
        Annotations.of(this).addWarningV2('@portcullis/network:natInstanceTypeUnchecked',
          `\`${prop}\` is a token: its existence is not checked, and the default image is x86_64 Amazon Linux 2023. ` +
          'An arm64 (Graviton) type needs `machineImage` with an arm64 image.');
      }
      return;
    }
    const parsed = parseInstanceType(instanceType, prop);
    if (!parsed.known) {
      Annotations.of(this).addWarningV2('@portcullis/network:natInstanceTypeUnchecked',
        `\`${prop}\` '${instanceType}' is not of a family Portcullis checks (${CHECKED_NAT_FAMILIES.join(', ')}): whether that size exists is not checked` +
        (machineImage ? '' : `, and the default image is ${parsed.arm64 ? 'arm64' : 'x86_64'} as guessed from the name`) +
        `. Check it with \`aws ec2 describe-instance-types --instance-types ${instanceType}\`${machineImage ? '' : ', or pass `machineImage`'}, or use a checked family (e.g. 't4g.nano').`);
    }
  }

  private validateAvailabilityZones(azs: string[]) {
    if (Token.isUnresolved(azs)) {
      throw new Error('`availabilityZones` must be a list written at synth time (one subnet pair is created per entry), got a list token: list the AZ names, e.g. [\'us-east-1a\', \'us-east-1b\']');
    }
    if (azs.length === 0) {
      throw new Error('`availabilityZones` must not be empty, got []: list at least one AZ name (two for an ALB), e.g. [\'us-east-1a\', \'us-east-1b\'], or remove it to use `maxAzs`');
    }
    const literal = azs.filter((az) => !Token.isUnresolved(az));
    for (const az of literal) {
      if (!AZ_NAME.test(az)) {
        throw new Error(`\`availabilityZones\` must hold AZ names like 'us-east-1a' (region plus a letter; not AZ IDs like 'use1-az1'), got '${az}' in ${JSON.stringify(azs)}: use the names \`aws ec2 describe-availability-zones\` lists`);
      }
    }
    const duplicates = literal.filter((az, i) => literal.indexOf(az) !== i);
    if (duplicates.length > 0) {
      throw new Error(`\`availabilityZones\` must not repeat an AZ, got '${duplicates[0]}' twice in ${JSON.stringify(azs)}: list each AZ once`);
    }
    const regions = [...new Set(literal.map(regionOfAz))];
    if (regions.length > 1) {
      throw new Error(`\`availabilityZones\` must all be in one region (a VPC is regional), got ${JSON.stringify(azs)} (regions ${regions.join(', ')}): use AZs of the stack's region only`);
    }
    const stackRegion = Stack.of(this).region;
    if (!Token.isUnresolved(stackRegion)) {
      const outside = literal.find((az) => regionOfAz(az) !== stackRegion);
      if (outside) {
        throw new Error(`\`availabilityZones\` must be in the stack's region ${stackRegion}, got '${outside}' in ${JSON.stringify(azs)}: use AZs of ${stackRegion} (e.g. '${stackRegion}a'), or deploy the stack to ${regionOfAz(outside)}`);
      }
    } else if (regions.length === 1) {
      Annotations.of(this).addWarningV2('@portcullis/network:availabilityZonesRegion',
        `\`availabilityZones\` ${JSON.stringify(azs)} are written into the template of this environment-agnostic stack: it deploys only in ${regions[0]}. ` +
        `Set the stack's \`env.region\` to '${regions[0]}' so the names are checked at synth.`);
    }
    if (azs.length === 1) {
      Annotations.of(this).addWarningV2('@portcullis/network:singleAz',
        '`availabilityZones` has one AZ: an Application Load Balancer needs subnets in at least two AZs, and one AZ has no redundancy. List 2 or more unless this network only serves an API Gateway ingress.');
    }
  }
}

class ImportedNetwork extends Construct implements INetwork {
  public readonly vpc: ec2.IVpc;
  public readonly publicSubnets: ec2.SubnetSelection;
  public readonly privateSubnets: ec2.SubnetSelection;
  public readonly egressIps: string[] = [];
  public readonly egressIpsKnown: boolean = false;
  /** The subnets already exist: their AZs were chosen by whoever created them. */
  public readonly availabilityZonesExplicit: boolean = true;
  /** Unknown: Portcullis did not create this VPC's egress. */
  public readonly egress?: Egress = undefined;

  constructor(scope: Construct, id: string, props: { readonly vpc: ec2.IVpc }) {
    super(scope, id);
    const vpc = props.vpc;
    this.vpc = vpc;
    this.publicSubnets = { subnets: vpc.publicSubnets };
    this.privateSubnets = { subnets: vpc.privateSubnets.length > 0 ? vpc.privateSubnets : vpc.isolatedSubnets };
    Annotations.of(this).addInfo('The egress IPs of an imported VPC are unknown to Portcullis: look up its NAT gateways\' Elastic IPs to give partners an allow-list.');
  }
}

/** The prefix of every subnet when `cidr` is split into a public and a private subnet per AZ. */
function subnetPrefix(cidr: string, azCount: number, explicitAzs: boolean): number {
  const { prefix } = cidrV4('cidr', cidr)!;
  if (prefix < 16 || prefix > 24) {
    throw new Error(`\`cidr\` must be a /16 to /24 block (VPCs allow /16 to /28; Portcullis needs room for 2 subnets per AZ), got '${cidr}' (/${prefix}): use e.g. '10.0.0.0/16'`);
  }
  const subnets = 2 * azCount;
  const result = prefix + Math.ceil(Math.log2(subnets));
  if (result > SMALLEST_SUBNET_PREFIX) {
    throw new Error(
      `\`cidr\` '${cidr}' is too small for ${subnets} subnets (a public and a private one in each of ${azCount} AZs): ` +
      `each would be a /${result}, and AWS's smallest subnet is a /${SMALLEST_SUBNET_PREFIX}. Use a larger block or ${explicitAzs ? 'fewer `availabilityZones`' : 'a smaller `maxAzs`'}`,
    );
  }
  return result;
}

function natCountFor(egress: Egress, azCount: number): number {
  switch (egress.kind) {
    case EgressKind.NAT_GATEWAY_PER_AZ: return azCount;
    case EgressKind.SINGLE_NAT_GATEWAY: return 1;
    default: return 0;
  }
}

/**
 * Throws when the NAT instance's `machineImage` cannot do the job: a Windows image (the NAT
 * is configured by Linux user data with iptables), or an image of another CPU architecture
 * than the instance type (an instance cannot boot it:
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami.html). The image's OS
 * and architecture are read from what it was made of (see imageFacts); an image that says
 * nothing (a pinned AMI id) is not checked.
 */
function checkNatInstanceImage(instanceType: string, machineImage: ec2.IMachineImage | undefined): void {
  if (!machineImage) return;
  const facts = imageFacts(machineImage);
  const prop = 'Egress.natInstance({ machineImage })';
  if (facts.os === 'windows') {
    throw new Error(`\`${prop}\` is a Windows image (${facts.source}): the NAT instance translates with iptables set up by Linux user data. ` +
      'Use a Linux image, e.g. MachineImage.latestAmazonLinux2023({ cpuType }), or leave `machineImage` out for the latest Amazon Linux 2023');
  }
  if (facts.arch === undefined || Token.isUnresolved(instanceType)) return;
  const parsed = parseInstanceType(instanceType, 'Egress.natInstance({ instanceType })');
  const typeArch = parsed.arm64 ? 'arm64' : 'x86_64';
  if (!parsed.known || facts.arch === typeArch) return;
  const cpuType = typeArch === 'arm64' ? 'AmazonLinuxCpuType.ARM_64' : 'AmazonLinuxCpuType.X86_64';
  throw new Error(`\`${prop}\` is an ${facts.arch} image (${facts.source}) but \`instanceType\` '${instanceType}' is ${typeArch}: an instance cannot boot an image of another architecture. ` +
    `Use an ${typeArch} image (e.g. MachineImage.latestAmazonLinux2023({ cpuType: ${cpuType} })), or an ${facts.arch} instance type (e.g. '${facts.arch === 'arm64' ? 't4g.nano' : 't3.nano'}')`);
}

function natInstanceProviderFor(instanceType: string, machineImage?: ec2.IMachineImage): ec2.NatInstanceProviderV2 {
  const arm64 = !Token.isUnresolved(instanceType) && parseInstanceType(instanceType, 'Egress.natInstance({ instanceType })').arm64;
  return ec2.NatProvider.instanceV2({
    instanceType: new ec2.InstanceType(instanceType),
    // The default is read from the public SSM parameter at every deployment (a template
    // parameter, no context lookup, so env-agnostic stacks keep working): after an AMI
    // release the next deployment replaces the instance, as ImageId is create-only on
    // AWS::EC2::Instance; the CfnEIP is re-associated, not replaced (see NatInstanceEip).
    machineImage: machineImage ?? ec2.MachineImage.latestAmazonLinux2023({
      cpuType: arm64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
    }),
    // Only outbound by default; the VPC's own traffic is allowed in explicitly.
    defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
  });
}

/** IMDSv2 required and an encrypted gp3 root volume on the NAT instance. */
function hardenNatInstance(instance: ec2.Instance) {
  const cfn = instance.node.defaultChild as ec2.CfnInstance;
  cfn.blockDeviceMappings = [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeType: 'gp3', deleteOnTermination: true } }];
  const template = new ec2.LaunchTemplate(instance, 'LaunchTemplate', { requireImdsv2: true });
  cfn.launchTemplate = { launchTemplateId: template.launchTemplateId, version: template.latestVersionNumber };
}

/** The region of an AZ name: the name without its letter. */
function regionOfAz(az: string): string {
  return az.slice(0, -1);
}

function endpointIdFor(service: ec2.InterfaceVpcEndpointAwsService): string {
  const name = Token.isUnresolved(service.shortName) ? 'Custom' : service.shortName;
  return name.split(/[^a-zA-Z0-9]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

function describe(egress: Egress): string {
  switch (egress.kind) {
    case EgressKind.NAT_GATEWAY_PER_AZ: return 'Egress.natGatewayPerAz()';
    case EgressKind.SINGLE_NAT_GATEWAY: return 'Egress.singleNatGateway()';
    case EgressKind.NAT_INSTANCE: return 'Egress.natInstance()';
    case EgressKind.NONE: return 'Egress.none()';
    default: return 'Egress.publicSubnetsOnly()';
  }
}

