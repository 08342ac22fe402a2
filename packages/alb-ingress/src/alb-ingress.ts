import { Aspects, Duration, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ApiService, IApiIngress, IngressMonitoring, IPlatform } from '@portcullis/cluster';
import { INetwork, PlatformParameters } from '@portcullis/network';
import { arn, domainInZone, domainName as checkDomainName, duration, wholeNumber } from '@portcullis/network/lib/private/validate';
import { Construct, IConstruct } from 'constructs';
import { LoadBalancerSecurityGroup } from './load-balancer-security-group';
import { logAccessLogs } from './private/access-logs';
import { ALB_KEYS, albShape, ImportedAlbIngress } from './private/imported-alb-ingress';
import { albMonitoring } from './private/monitoring';
import {
  checkServiceFor, checkTargetGroupQuota, createTargetGroup, DEFAULT_RULES_PER_LOAD_BALANCER, DEFAULT_RULES_PER_SECURITY_GROUP, ServiceAttacher, ServicePlacement,
  TARGET_GROUP_PORT, validateTargetGroupSettings,
} from './private/service-attacher';
import { DEFAULT_SERVICE_RULE_PRIORITY, loadBalancerRollbackAlarm, openTestListener, TrafficShift, validateTestListener } from './private/traffic-shift';
import { validateAddressFamilies, validateIpAddressType } from './private/ip-address-type';
import { validateAllowedCidrs } from './private/validation';

/** Health check of a service's target group. Seed values by default. */
export interface AlbHealthCheck {
  /**
   * Path requested: a leading '/', no spaces, at most 1024 characters.
   *
   * @default '/'
   */
  readonly path?: string;
  /**
   * Time between checks, a whole number of seconds from 5 to 300.
   *
   * @default Duration.seconds(6)
   */
  readonly interval?: Duration;
  /**
   * Time to wait for a response, a whole number of seconds from 2 to 120, less than `interval`.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive successes before a target is healthy, 2 to 10.
   *
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before a target is unhealthy, 2 to 10.
   *
   * @default 10
   */
  readonly unhealthyThreshold?: number;
  /**
   * HTTP codes that mean healthy, from 200 to 499: one ('200'), a list ('200,302') or a
   * range ('200-299').
   *
   * @default '200'
   */
  readonly healthyHttpCodes?: string;
}

/** Options of {@link AlbIngress.addService}. */
export interface AlbServiceOptions {
  /**
   * Rule priority on the listener, a whole number from 1 to 50000, unique per load balancer.
   * A token (e.g. a `CfnParameter`) is accepted; its uniqueness is then checked by ALB at
   * deploy time, except that the same token twice is refused.
   */
  readonly priority: number;
  /**
   * Path patterns routed to the service, e.g. `['/orders', '/orders/*']`: up to 128
   * characters each, with the wildcards `*` and `?` (ALB has no `{id}` path parameters).
   * At most 5 values in `pathPatterns` and `hostHeaders` together (ALB's limit per rule).
   *
   * @default - none (give `pathPatterns`, `hostHeaders` or both)
   */
  readonly pathPatterns?: string[];
  /**
   * Host headers routed to the service, e.g. `['orders.example.com', '*.example.org']`.
   *
   * @default - none
   */
  readonly hostHeaders?: string[];
  /**
   * The service's health check.
   *
   * @default - the seed's: `/` every 6 s, timeout 5 s, healthy 2, unhealthy 10
   */
  readonly healthCheck?: AlbHealthCheck;
  /**
   * Time the load balancer waits before deregistering a draining task.
   *
   * @default - the ingress's `deregistrationDelay`
   */
  readonly deregistrationDelay?: Duration;
  /**
   * The `Port` of the service's target groups: see {@link AlbIngressProps.targetGroupPort}.
   *
   * @default - the service's `containerPort`
   */
  readonly targetGroupPort?: number;
}

/**
 * An ALB ingress services can be added to: an {@link AlbIngress}, or one a platform published
 * and a service's app imported with {@link AlbIngress.fromParameters}.
 */
export interface IAlbIngress extends IApiIngress {
  /**
   * Routes requests matching `pathPatterns` and/or `hostHeaders` to `service`, with its own
   * target group(s) and health check; opens only its container port from the load balancer.
   * What belongs to the service is created in the service's stack.
   */
  addService(service: ApiService, options: AlbServiceOptions): elbv2.ApplicationTargetGroup;
  /** Every production target group of `service`, one per attachment. Throws if it is not attached. */
  targetGroupsFor(service: ApiService): elbv2.ApplicationTargetGroup[];
  /** Every alternate target group of `service` (traffic-shifting deployments). Throws if it is not attached. */
  alternateTargetGroupsFor(service: ApiService): elbv2.ApplicationTargetGroup[];
  /** The rollback alarms this ingress created for `service`. Throws if it is not attached. */
  rollbackAlarmsFor(service: ApiService): cloudwatch.IAlarm[];
}

/** Properties of {@link AlbIngress.fromParameters}: which published ingress, and its shape, known at synth. */
export interface AlbIngressFromParametersProps {
  /** The platform (from `Platform.fromParameters`). */
  readonly platform: IPlatform;
  /**
   * The name the ingress was published under (`publish(platformName, ingressName)`).
   *
   * @default 'alb'
   */
  readonly ingressName?: string;
  /**
   * Whether the published load balancer has a test listener (`testListenerPort`).
   *
   * @default false
   */
  readonly testListener?: boolean;
  /**
   * The published ingress's `vpcEgressPorts`.
   *
   * @default - none: one egress rule per service
   */
  readonly vpcEgressPorts?: number[];
  /**
   * This account's value of the ELB quota "Rules per Application Load Balancer", if raised.
   * Only the rules of this app are counted; ELB refuses the others at deploy time.
   *
   * @default 100
   */
  readonly rulesPerLoadBalancerQuota?: number;
}

/** Properties of an {@link AlbIngress}. */
export interface AlbIngressProps {
  /** The network: the load balancer goes in its public subnets (private ones if internal). */
  readonly network: INetwork;
  /** The default service: everything no rule of `addService` matches goes to it. */
  readonly service: ApiService;
  /**
   * Internet-facing (public subnets) or internal (private subnets).
   *
   * @default true
   */
  readonly internetFacing?: boolean;
  /**
   * Who may reach the listeners: IPv4 or IPv6 CIDR blocks on their boundary
   * (`'203.0.113.0/24'`, `'2001:db8::/32'`). An internal load balancer may take an empty list:
   * no CIDR rule at all, only the security groups admitted through `connections` (e.g.
   * CloudFront's VPC origin). An internet-facing one may not.
   *
   * @default ['0.0.0.0/0', '::/0'] - anyone (a public API)
   */
  readonly allowedCidrs?: string[];
  /**
   * Idle timeout of connections, a whole number of seconds from 1 to 4000.
   *
   * @default Duration.seconds(30) - seed
   */
  readonly idleTimeout?: Duration;
  /**
   * An ACM certificate: adds an HTTPS listener on 443 and turns 80 into a permanent redirect to it.
   *
   * @default - HTTP on 80 only, unless `domainName` is given
   */
  readonly certificate?: acm.ICertificate;
  /**
   * A domain name for the API, in `hostedZone`. With `hostedZone`, a DNS-validated
   * certificate and an alias record are created (unless `certificate` is given, then only
   * the record). A token (e.g. a `CfnParameter`) must resolve to the full name, without a
   * trailing dot; it cannot be checked against the zone.
   *
   * @default - the load balancer's DNS name
   */
  readonly domainName?: string;
  /**
   * The Route 53 hosted zone of `domainName`.
   *
   * @default - none
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * TLS policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * The default service's health check.
   *
   * @default - the seed's: `/` every 6 s, timeout 5 s, healthy 2, unhealthy 10
   */
  readonly healthCheck?: AlbHealthCheck;
  /**
   * The `Port` of the default service's target groups, a whole number from 1 to 65535. ECS
   * registers every task with its container port, and the health check uses the port a target
   * was registered with, so this number only names the group; but `Port` is create-only, so a
   * new number replaces the target groups. Set it to the old `containerPort` before you change
   * `containerPort` on a deployed stack: the groups stay, and with a traffic-shifting
   * deployment the tasks serving production traffic keep it while ECS deploys the new port.
   *
   * @default - the service's `containerPort`
   */
  readonly targetGroupPort?: number;
  /**
   * How long a draining task keeps receiving in-flight requests. The seed's 0 s makes
   * deployments fast but cuts requests still running when a task stops; raise it (e.g. to
   * your longest request) if clients see 502s during deployments. A whole number of seconds
   * from 0 to 3600.
   *
   * @default Duration.seconds(0) - seed
   */
  readonly deregistrationDelay?: Duration;
  /**
   * Write access logs to S3 (`accessLogsBucket`, or a new encrypted, SSL-only bucket).
   * Works on environment-agnostic stacks too: the bucket policy then picks ELB's log
   * writer (the Region's ELB account, or the log-delivery service principal) at deploy time.
   *
   * @default false - about $0.023/GB-month stored
   */
  readonly accessLogs?: boolean;
  /**
   * Bucket for access logs (implies `accessLogs`). It must use SSE-S3 encryption.
   *
   * @default - a new bucket when `accessLogs` is true
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * ARN of a WAFv2 web ACL of scope REGIONAL, in the stack's Region, to associate with the
   * load balancer: `arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`.
   *
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Deletion protection of the load balancer.
   *
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Port of a test listener, for services with a traffic-shifting `deployment` (canary,
   * linear, blue/green): during a deployment ECS routes it to the new tasks before they get
   * production traffic, so you can try them (same protocol and certificate as `listener`).
   * Must differ from the production listener ports (80, 443). Closed to everyone unless
   * `testListenerCidrs` is given.
   *
   * @default - no test listener
   */
  readonly testListenerPort?: number;
  /**
   * Who may reach the test listener: IPv4 or IPv6 CIDR blocks on their boundary. Needs
   * `testListenerPort`.
   *
   * @default - nobody: the security group has no rule for the test port
   */
  readonly testListenerCidrs?: string[];
  /**
   * The addresses the load balancer answers on: `IPV4`, `DUAL_STACK` (IPv4 and IPv6), or
   * `DUAL_STACK_WITHOUT_PUBLIC_IPV4` (internet-facing only: IPv6 from the internet, no public
   * IPv4 address, so none of the $3.65/month per AZ; IPv4-only clients cannot reach it).
   * Dual-stack needs a network with `ipv6`. With `domainName`, an AAAA alias record is added.
   *
   * @default elbv2.IpAddressType.IPV4
   */
  readonly ipAddressType?: elbv2.IpAddressType;
  /**
   * Container ports the load balancer's security group reaches in the whole VPC (one egress
   * rule to the VPC's IPv4 block per port, created with the load balancer), instead of one
   * egress rule per service to the service's group. For a platform that many services join:
   * per-service rules stop at the security group's quota (60 outbound rules), and services
   * of other CDK apps cannot be counted. Each service's group still admits only the load
   * balancer's group, on its container port; a service whose container port is not listed is
   * refused at synth.
   *
   * @default - one egress rule per service, to its group, on its container port
   */
  readonly vpcEgressPorts?: number[];
  /**
   * This account's value of the ELB quota "Rules per Application Load Balancer", if raised
   * (Service Quotas): `addService` refuses a rule past it, at synth.
   *
   * @default 100
   */
  readonly rulesPerLoadBalancerQuota?: number;
  /**
   * This account's value of the VPC quota "Inbound or outbound rules per security group", if
   * raised: `addService` refuses an egress rule of the load balancer's group past it, at synth.
   *
   * @default 60
   */
  readonly rulesPerSecurityGroupQuota?: number;
}

/**
 * An Application Load Balancer in the public subnets in front of {@link ApiService}s in the
 * private subnets: the seed's settings (idle timeout 30 s, HTTP 80, `ip` target group on the
 * container port, health check `/` every 6 s, deregistration delay 0 s, service created after
 * the listener), with least-privilege security groups (listener ports in, container port
 * out), `drop_invalid_header_fields`, and HTTPS one prop away.
 */
export class AlbIngress extends Construct implements ec2.IConnectable, IAlbIngress {
  /**
   * The AlbIngress a platform published with {@link publish}, read at deploy time in this
   * stack from SSM parameters (no CloudFormation export): services of this stack (and app)
   * join it with `addService`, which creates what belongs to them in their own stacks. Its
   * shape (`testListener`, `vpcEgressPorts`) is checked at deploy time against the published one.
   */
  public static fromParameters(scope: Construct, id: string, props: AlbIngressFromParametersProps): IAlbIngress {
    return new ImportedAlbIngress(scope, id, props);
  }

  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener serving traffic: HTTPS when there is a certificate, else HTTP. */
  public readonly listener: elbv2.ApplicationListener;
  /** The HTTP listener on 80 (a redirect when HTTPS is on). */
  public readonly httpListener: elbv2.ApplicationListener;
  /** The default service's target group. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The load balancer's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly connections: ec2.Connections;
  /** The API's base URL, with its scheme and host. */
  public readonly url: string;
  /** The load balancer's DNS name. */
  public readonly dnsName: string;
  /** The certificate of the HTTPS listener, when there is one. */
  public readonly certificate?: acm.ICertificate;
  /** The access-log bucket, when access logs are on. */
  public readonly accessLogsBucket?: s3.IBucket;
  /** The test listener, with `testListenerPort`. */
  public readonly testListener?: elbv2.ApplicationListener;

  private readonly lbGroup: LoadBalancerSecurityGroup;
  private readonly defaultDeregistrationDelay: Duration;
  private readonly trafficShift: TrafficShift;
  private readonly attacher: ServiceAttacher;
  private readonly vpcEgressPorts?: number[];
  private loadBalancerRollbackAlarm?: cloudwatch.Alarm;
  /** Where the services of other stacks get what belongs to them (see placementFor). */
  private readonly placements = new Map<Construct, ServicePlacement>();

  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id);
    const internetFacing = props.internetFacing ?? true;

    const domain = this.validate(props);
    const ipAddressType = validateIpAddressType(props.ipAddressType, internetFacing, props.network);
    validateAddressFamilies(ipAddressType, internetFacing, props.allowedCidrs);
    const idleTimeout = props.idleTimeout ?? Duration.seconds(30);

    const subnets = internetFacing ? props.network.publicSubnets : props.network.privateSubnets;
    const subnetList = subnets.subnets ?? [];
    if (subnetList.length === 0) {
      throw new Error(internetFacing
        ? 'The network has no public subnets (`publicSubnets: false`): an internet-facing ALB needs them. Use a network with public subnets, `internetFacing: false`, or the API Gateway ingress'
        : 'The network has no private subnets for an internal ALB: use a network with private subnets');
    }
    if (subnetList.length < 2) {
      throw new Error(`An Application Load Balancer needs subnets in at least two AZs, got ${subnetList.length} ${internetFacing ? 'public' : 'private'} subnet(s): give the Network \`maxAzs: 2\` or more`);
    }
    wholeNumber('rulesPerSecurityGroupQuota', props.rulesPerSecurityGroupQuota, { min: 1, fix: 'give this account\'s value of the quota "Inbound or outbound rules per security group" (60 unless raised)' });
    this.vpcEgressPorts = validateVpcEgressPorts(props.vpcEgressPorts, props.rulesPerSecurityGroupQuota);
    checkServiceFor(this, props.network, props.service, this.vpcEgressPorts);
    checkTargetGroupQuota(props.service);

    // ---- HTTPS
    let certificate = props.certificate;
    if (!certificate && domain !== undefined && props.hostedZone) {
      certificate = new acm.Certificate(this, 'Certificate', {
        domainName: domain,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });
    }
    this.certificate = certificate;
    const https = certificate !== undefined;

    // ---- load balancer and its least-privilege group
    this.lbGroup = new LoadBalancerSecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      listenerPorts: https ? [80, 443] : [80],
      allowedCidrs: props.allowedCidrs,
    });
    this.securityGroup = this.lbGroup.securityGroup;
    this.connections = this.lbGroup.connections;
    for (const port of this.vpcEgressPorts ?? []) {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.network.vpc.vpcCidrBlock), ec2.Port.tcp(port), `To the services' tasks in the VPC on port ${port}`);
    }
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.network.vpc,
      vpcSubnets: subnets,
      internetFacing,
      securityGroup: this.securityGroup,
      idleTimeout,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
      // Left out for IPv4 (ELB's default), so existing templates stay unchanged.
      ...(ipAddressType !== elbv2.IpAddressType.IPV4 ? { ipAddressType } : {}),
    });
    // Dual-stack: only once the subnets have their IPv6 blocks.
    if (ipAddressType !== elbv2.IpAddressType.IPV4 && props.network.ipv6Established) this.loadBalancer.node.addDependency(props.network.ipv6Established);
    this.dnsName = this.loadBalancer.loadBalancerDnsName;

    if (props.accessLogs || props.accessLogsBucket) {
      const bucket = props.accessLogsBucket ?? new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED, // ALB access logs only support SSE-S3
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        lifecycleRules: [{ expiration: Duration.days(90) }],
      });
      logAccessLogs(this.loadBalancer, bucket); // also on environment-agnostic stacks
      this.accessLogsBucket = bucket;
    }
    if (props.webAclArn !== undefined) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', { resourceArn: this.loadBalancer.loadBalancerArn, webAclArn: props.webAclArn });
    }

    // ---- listeners
    this.defaultDeregistrationDelay = props.deregistrationDelay ?? Duration.seconds(0);
    this.targetGroup = createTargetGroup(this, 'TargetGroup', props.network.vpc, props.service, props.healthCheck, this.defaultDeregistrationDelay, props.targetGroupPort);
    if (https) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate!)],
        sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS,
        open: false,
        defaultAction: elbv2.ListenerAction.forward([this.targetGroup]),
      });
      this.httpListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
    } else {
      this.httpListener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.forward([this.targetGroup]),
      });
      this.listener = this.httpListener;
    }
    if (props.testListenerPort !== undefined) {
      this.testListener = this.loadBalancer.addListener('TestListener', {
        port: props.testListenerPort,
        protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
        certificates: https ? [elbv2.ListenerCertificate.fromCertificateManager(certificate!)] : undefined,
        sslPolicy: https ? props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS : undefined,
        open: false,
        defaultAction: elbv2.ListenerAction.forward([this.targetGroup]),
      });
      openTestListener(this.securityGroup, props.testListenerPort, props.testListenerCidrs);
    }
    this.trafficShift = new TrafficShift(this, this.loadBalancer.loadBalancerFullName, this.listener, this.testListener);
    wholeNumber('rulesPerLoadBalancerQuota', props.rulesPerLoadBalancerQuota, { min: 1, fix: 'give this account\'s value of the quota "Rules per Application Load Balancer" (100 unless raised)' });
    this.attacher = new ServiceAttacher({
      owner: this,
      network: props.network,
      trafficShift: this.trafficShift,
      defaultDeregistrationDelay: this.defaultDeregistrationDelay,
      placementFor: (service) => this.placementFor(service),
      allowToTarget: (service) => this.lbGroup.allowToTarget(service, service.containerPort),
      hasTestListener: this.testListener !== undefined,
      rulesQuota: props.rulesPerLoadBalancerQuota ?? DEFAULT_RULES_PER_LOAD_BALANCER,
      securityGroupRulesQuota: props.rulesPerSecurityGroupQuota ?? DEFAULT_RULES_PER_SECURITY_GROUP,
      vpcEgressPorts: this.vpcEgressPorts,
    });
    this.attacher.countDefaultService(props.service, DEFAULT_SERVICE_RULE_PRIORITY);
    this.trafficShift.attach({
      id: '', service: props.service, targetGroup: this.targetGroup, priority: DEFAULT_SERVICE_RULE_PRIORITY,
      makeAlternate: (tgId) => createTargetGroup(this, tgId, props.network.vpc, props.service, props.healthCheck, this.defaultDeregistrationDelay, props.targetGroupPort),
    });
    this.lbGroup.allowToTarget(props.service, props.service.containerPort);
    Aspects.of(this).add(new SingleServiceRollbackAlarm(this));

    if (domain !== undefined && props.hostedZone) {
      new route53.ARecord(this, 'AliasRecord', {
        zone: props.hostedZone,
        // Fully qualified (a trailing dot), so aws-cdk-lib never appends the zone: it would to
        // a token (it cannot see that the name already ends in the zone). For a literal name
        // in the zone the record is the same either way.
        recordName: `${domain}.`,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      });
      if (ipAddressType !== elbv2.IpAddressType.IPV4) {
        new route53.AaaaRecord(this, 'AliasRecordIpv6', {
          zone: props.hostedZone,
          recordName: `${domain}.`,
          target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
        });
      }
    }
    const host = domain ?? this.dnsName;
    this.url = `${https ? 'https' : 'http'}://${host}`;
  }

  /**
   * Routes requests matching `pathPatterns` and/or `hostHeaders` to another service, with
   * its own target group and health check; opens only its container port from this load
   * balancer.
   */
  public addService(service: ApiService, options: AlbServiceOptions): elbv2.ApplicationTargetGroup {
    return this.attacher.addService(service, options);
  }

  /**
   * Publishes what services of other CDK apps need to join this ingress in SSM parameters under
   * `/portcullis/<platformName>/ingress/<ingressName>/`: the listener (and test listener), the
   * load balancer's security group, ARN, full name and DNS name, and its shape. A service's
   * app reads them with {@link AlbIngress.fromParameters}.
   *
   * @param platformName the platform's name (as given to `Platform`)
   * @param ingressName this ingress's name in the platform, unique among its ingresses
   */
  public publish(platformName: string, ingressName: string = 'alb'): void {
    const parameters = new Construct(this, `Parameters-${ingressName}`);
    const put = (key: string, value: string, what: string) =>
      PlatformParameters.publish(parameters, platformName, `ingress/${ingressName}/${key}`, value, `Portcullis platform '${platformName}', ingress '${ingressName}': ${what}`);
    put(ALB_KEYS.listenerArn, this.listener.listenerArn, 'the listener services add their rules to');
    if (this.testListener) put(ALB_KEYS.testListenerArn, this.testListener.listenerArn, 'the test listener');
    put(ALB_KEYS.securityGroupId, this.securityGroup.securityGroupId, 'the load balancer\'s security group');
    put(ALB_KEYS.loadBalancerArn, this.loadBalancer.loadBalancerArn, 'the load balancer');
    put(ALB_KEYS.loadBalancerFullName, this.loadBalancer.loadBalancerFullName, 'the load balancer\'s full name (metrics, rule permissions)');
    put(ALB_KEYS.dnsName, this.loadBalancer.loadBalancerDnsName, 'the load balancer\'s DNS name');
    put(ALB_KEYS.shape, albShape(this.testListener !== undefined, this.vpcEgressPorts), 'the ingress\'s shape: what services synthesize for (checked at deploy time)');
  }

  /**
   * The production target group of `service` (the one it is registered in; with a
   * traffic-shifting deployment ECS alternates the tasks between it and
   * {@link alternateTargetGroupFor}). Throws if the service is not attached to this ingress,
   * or is attached more than once (then use {@link targetGroupsFor}).
   */
  public targetGroupFor(service: ApiService): elbv2.ApplicationTargetGroup {
    return this.onlyAttachmentOf(service, 'targetGroupFor').targetGroup;
  }

  /**
   * Every production target group of `service` on this ingress, one per attachment (its
   * `service` prop and each `addService` of it), in that order. Throws if the service is not
   * attached to this ingress.
   */
  public targetGroupsFor(service: ApiService): elbv2.ApplicationTargetGroup[] {
    return this.attachmentsOf(service).map((a) => a.targetGroup);
  }

  /**
   * The alternate target group of `service`, when its deployment shifts traffic (canary,
   * linear, blue/green, or rolling that keeps the traffic-shift resources); `undefined`
   * otherwise. Throws if the service is not attached to this ingress, or is attached more
   * than once (then use {@link alternateTargetGroupsFor}).
   */
  public alternateTargetGroupFor(service: ApiService): elbv2.ApplicationTargetGroup | undefined {
    return this.onlyAttachmentOf(service, 'alternateTargetGroupFor').alternateTargetGroup;
  }

  /**
   * Every alternate target group of `service` on this ingress, one per attachment that has one.
   * Throws if the service is not attached to this ingress.
   */
  public alternateTargetGroupsFor(service: ApiService): elbv2.ApplicationTargetGroup[] {
    return this.attachmentsOf(service).flatMap((a) => (a.alternateTargetGroup ? [a.alternateTargetGroup] : []));
  }

  /**
   * The rollback alarms this ingress created for `service` (none with `rollbackAlarms: false`):
   * a target 5xx-rate alarm per target group (of every attachment) and, on an ingress with a
   * single service, the load balancer's own 5xx-rate alarm, which is created when the app is
   * synthesized (only then is it known that no `addService` follows). Throws if the service is
   * not attached to this ingress.
   */
  public rollbackAlarmsFor(service: ApiService): cloudwatch.IAlarm[] {
    const alarms = this.attachmentsOf(service).flatMap((a) => a.alarms);
    return this.loadBalancerRollbackAlarm ? [...alarms, this.loadBalancerRollbackAlarm] : alarms;
  }

  /**
   * What a monitoring construct (`ApiMonitoring` of `@portcullis/monitoring`) watches of this
   * load balancer in front of `service` (the {@link IApiIngress} contract): the target 5xx
   * rate (`target5xxRatePercent`), unhealthy targets and p99 target response time
   * (`p99ResponseTime`) of every target group of the service (each attachment's, and its
   * alternate when the deployment shifts traffic), the load balancer's own 5xx rate
   * (`loadBalancer5xxRatePercent`), no healthy target in those groups (not for a service with
   * `desiredCount: 0` and no autoscaling), and the 5xx error rate of each CloudFront
   * distribution in front of the load balancer (`cloudFront5xxErrorRatePercent`: an alarm
   * when `scope`'s stack is in us-east-1, under a condition when it is environment-agnostic,
   * a graph and a warning elsewhere). Throws if the service is not attached to this ingress.
   */
  public monitoringFor(scope: Construct, service: ApiService): IngressMonitoring {
    const groups = this.attachmentsOf(service).flatMap((a) => (a.alternateTargetGroup ? [a.targetGroup, a.alternateTargetGroup] : [a.targetGroup]));
    return albMonitoring(scope, this.loadBalancer, service, groups);
  }

  /**
   * Adds the load balancer's own 5xx-rate alarm (502/503/504 the load balancer answers itself)
   * to the rollback alarms of this ingress's service, when it has only one service with
   * `rollbackAlarms` on; called at synth (the metric has no per-service dimension, so with
   * several services it would roll back one service's deployment on another's errors).
   * @internal
   */
  public _addLoadBalancerRollbackAlarm(): void {
    // Only the services of this ingress's stack count: whether services of other stacks come
    // or go must not change this stack (see the README's "Services in stacks of their own" for
    // what it means for the default service of a platform). A service of another stack never
    // gets this alarm.
    const services = this.trafficShift.services().filter((s) => Stack.of(s) === Stack.of(this));
    if (this.loadBalancerRollbackAlarm || services.length !== 1 || !services[0].rollbackAlarms) return;
    this.loadBalancerRollbackAlarm = loadBalancerRollbackAlarm(this, 'LoadBalancerRollbackAlarm', this.loadBalancer, services[0]);
    services[0].addRollbackAlarm(this.loadBalancerRollbackAlarm);
  }

  private attachmentsOf(service: ApiService) {
    const attachments = this.trafficShift.attachmentsOf(service);
    if (attachments.length === 0) {
      throw new Error(`\`service\` '${service.node.path}' is not attached to the AlbIngress '${this.node.path}': pass it as the ingress's \`service\` or with \`addService\` first`);
    }
    return attachments;
  }

  private onlyAttachmentOf(service: ApiService, method: string) {
    const attachments = this.attachmentsOf(service);
    if (attachments.length > 1) {
      throw new Error(`\`service\` '${service.node.path}' is attached ${attachments.length} times to the AlbIngress '${this.node.path}' (its own target groups each time): ` +
        `\`${method}\` cannot pick one; use \`${method.replace('GroupFor', 'GroupsFor')}(service)\`, which returns them all in the order they were attached`);
    }
    return attachments[0];
  }

  /**
   * Checks the props before anything is created; returns the domain name to serve (without
   * a trailing dot), if any.
   */
  private validate(props: AlbIngressProps): string | undefined {
    if (props.hostedZone && props.domainName === undefined) {
      throw new Error('`hostedZone` was given without `domainName`: give the domain name to serve, e.g. api.example.com');
    }
    checkDomainName('domainName', props.domainName);
    if (props.domainName !== undefined && !props.hostedZone && !props.certificate) {
      throw new Error(`\`domainName\` '${props.domainName}' needs \`hostedZone\` (to validate a certificate and create the alias record), or a \`certificate\` of your own`);
    }
    if (props.hostedZone) domainInZone('domainName', props.domainName, zoneNameOf(props.hostedZone));
    duration('idleTimeout', props.idleTimeout, { minSeconds: 1, maxSeconds: 4000 });
    if (props.allowedCidrs !== undefined) validateAllowedCidrs('allowedCidrs', props.allowedCidrs, { allowEmpty: props.internetFacing === false });
    validateTargetGroupSettings(props.healthCheck, props.deregistrationDelay);
    wholeNumber('targetGroupPort', props.targetGroupPort, TARGET_GROUP_PORT);
    validateTestListener(props.testListenerPort, props.testListenerCidrs, [80, 443]);
    arn('webAclArn', props.webAclArn, { service: 'wafv2', resourcePrefix: 'regional/webacl/', description: 'the ARN of a WAFv2 web ACL of scope REGIONAL' });
    if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn)) {
      const aclRegion = props.webAclArn.split(':')[3];
      const region = Stack.of(this).region;
      if (!Token.isUnresolved(region) && !Token.isUnresolved(aclRegion) && aclRegion !== region) {
        throw new Error(`\`webAclArn\` must be a web ACL in the stack's Region (${region}), got '${props.webAclArn}' in ${aclRegion}: a load balancer can only be associated with a regional web ACL of its own Region; create the web ACL in ${region}`);
      }
    }
    const domain = props.domainName;
    if (domain === undefined || Token.isUnresolved(domain)) return domain;
    return domain.endsWith('.') ? domain.slice(0, -1) : domain;
  }

  /** The id of this ingress's construct under `service`: its own id, numbered if taken. */
  private childIdIn(service: ApiService): string {
    let id = this.node.id;
    for (let n = 2; service.node.tryFindChild(id); n++) id = `${this.node.id}${n}`;
    return id;
  }

  /**
   * Where what belongs to `service` is created: nothing special (this ingress) when the service
   * is in this ingress's stack, as always; else a construct `<ingress id>` under the service,
   * in the service's stack, with stand-ins of this load balancer's security group and
   * listeners. Through them, the rules aws-cdk-lib's target groups and listener rules add (the
   * load balancer's egress to the service's group and the service's ingress from it) land in
   * the service's stack too: this ingress's stack never references a service's stack, and does
   * not change when a service comes or goes. (Created from this ingress's objects directly,
   * both rules would be put in this ingress's stack, pointing at the service's group: a
   * dependency cycle, since the service's stack already depends on this one.)
   */
  private placementFor(service: ApiService): ServicePlacement | undefined {
    const sameStack = Stack.of(service) === Stack.of(this);
    // With vpcEgressPorts the services of this stack go through stand-ins too (in this
    // ingress): aws-cdk-lib's listener would otherwise add the per-service egress rule.
    if (sameStack && !this.vpcEgressPorts) return undefined;
    const existing = this.placements.get(sameStack ? this : service);
    if (existing) return existing;
    const scope = sameStack ? this : new Construct(service, this.childIdIn(service));
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(scope, sameStack ? 'ServicesView' : 'LoadBalancerSecurityGroup', this.securityGroup.securityGroupId,
      { allowAllOutbound: this.vpcEgressPorts !== undefined });
    const prefix = sameStack ? 'ServicesView' : '';
    const standIn = (listenerId: string, listener: elbv2.ApplicationListener) =>
      elbv2.ApplicationListener.fromApplicationListenerAttributes(scope, `${prefix}${listenerId}`, { listenerArn: listener.listenerArn, securityGroup });
    const placement: ServicePlacement = {
      scope,
      securityGroup,
      listener: standIn('Listener', this.listener),
      testListener: this.testListener ? standIn('TestListener', this.testListener) : undefined,
    };
    this.placements.set(sameStack ? this : service, placement);
    return placement;
  }

}

/** At synth: the load balancer's 5xx-rate rollback alarm of a single-service ingress. */
class SingleServiceRollbackAlarm implements IAspect {
  constructor(private readonly ingress: AlbIngress) {}

  public visit(node: IConstruct): void {
    if (node === this.ingress) this.ingress._addLoadBalancerRollbackAlarm();
  }
}

/** The zone's name, or undefined when it cannot be known (`HostedZone.fromHostedZoneId`). */
function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}

/**
 * `vpcEgressPorts`: 1 or more distinct TCP ports, each one rule of the load balancer's group (so
 * at most the security-group rules quota).
 */
function validateVpcEgressPorts(ports: number[] | undefined, quota: number | undefined): number[] | undefined {
  if (ports === undefined) return undefined;
  if (ports.length === 0) {
    throw new Error('`vpcEgressPorts` is empty: give the container ports of the services (e.g. [80, 8080]), or leave it out for one egress rule per service');
  }
  ports.forEach((port, i) => wholeNumber(`vpcEgressPorts[${i}]`, port, { min: 1, max: 65535, fix: 'use a TCP port from 1 to 65535, a container port of the services' }));
  const duplicate = ports.find((port, i) => !Token.isUnresolved(port) && ports.indexOf(port) !== i);
  if (duplicate !== undefined) throw new Error(`\`vpcEgressPorts\` lists ${duplicate} twice, got ${JSON.stringify(ports)}: list each port once`);
  const max = quota ?? DEFAULT_RULES_PER_SECURITY_GROUP;
  if (ports.length > max) {
    throw new Error(`\`vpcEgressPorts\` has ${ports.length} ports, one outbound rule each: the quota "Inbound or outbound rules per security group" is ${max}: use fewer container ports across the services`);
  }
  return ports;
}
