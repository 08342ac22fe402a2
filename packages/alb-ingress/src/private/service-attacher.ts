import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ApiService } from '@portcullis/cluster';
import { INetwork } from '@portcullis/network';
import { duration, urlPath, wholeNumber } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';
import type { AlbHealthCheck, AlbServiceOptions } from '../alb-ingress';
import { AttachPlacement, TrafficShift } from './traffic-shift';
import { MAX_TARGET_GROUPS_PER_SERVICE, validateHealthyHttpCodes, validateRuleConditions } from './validation';

/** Range and fix of `targetGroupPort`. */
export const TARGET_GROUP_PORT = { min: 1, max: 65535, fix: 'use a TCP port from 1 to 65535, e.g. the `containerPort` the target groups were created with' };

const SEED_HEALTH_CHECK = { path: '/', interval: 6, timeout: 5, healthy: 2, unhealthy: 10, codes: '200' };

/**
 * ELB quota "Target groups per Application Load Balancer": 100, not adjustable. A service with
 * a traffic-shifting deployment uses two.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 */
export const MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100;
/**
 * ELB quota "Rules per Application Load Balancer (not counting default rules)": 100 by default,
 * adjustable (`rulesPerLoadBalancerQuota`). A test listener's rules count too.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 */
export const DEFAULT_RULES_PER_LOAD_BALANCER = 100;
/**
 * VPC quota "Inbound or outbound rules per security group": 60 by default (for IPv4 and IPv6
 * separately), adjustable (`rulesPerSecurityGroupQuota`).
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
 */
export const DEFAULT_RULES_PER_SECURITY_GROUP = 60;

const PAST_ONE = 'attach it to another AlbIngress (a second load balancer of the platform: see the README\'s "Past one load balancer")';

/** What belongs to a service of another stack is created in `scope`, with these stand-ins. */
export interface ServicePlacement extends AttachPlacement {
  /** The load balancer's security group, as seen from where the service's resources go. */
  readonly securityGroup: ec2.ISecurityGroup;
}

/** How a {@link ServiceAttacher} works for its load balancer. */
export interface ServiceAttacherOptions {
  /** The ingress (for messages). */
  readonly owner: Construct;
  readonly network: INetwork;
  readonly trafficShift: TrafficShift;
  readonly defaultDeregistrationDelay: Duration;
  /** Where what belongs to `service` goes; undefined: the owner, with the real listeners. */
  readonly placementFor: (service: ApiService) => ServicePlacement | undefined;
  /** Opens `service`'s container port from the load balancer, for a service without placement. */
  readonly allowToTarget: (service: ApiService) => void;
  /** Whether the load balancer has a test listener (its rules count). */
  readonly hasTestListener: boolean;
  /** The rules quota of this account (see DEFAULT_RULES_PER_LOAD_BALANCER). */
  readonly rulesQuota: number;
  /** The security-group rules quota of this account (see DEFAULT_RULES_PER_SECURITY_GROUP). */
  readonly securityGroupRulesQuota: number;
  /**
   * The ports the load balancer's group reaches the whole VPC on (`vpcEgressPorts`): services
   * add no egress rule, and a container port not listed is refused.
   */
  readonly vpcEgressPorts?: number[];
}

/**
 * The `addService` of an ALB ingress, shared by `AlbIngress` and the ingress
 * `AlbIngress.fromParameters` imports: validation, priorities, the quotas of the load
 * balancer, the target groups and the traffic-shift wiring, where the placement says.
 */
export class ServiceAttacher {
  private readonly priorities = new Set<number>();
  /** The token priorities already used (the same token twice is the same priority). */
  private readonly tokenPriorities = new Set<string>();
  /** Construct ids of the rules of token priorities. */
  private readonly tokenRuleIds = new Set<string>();
  /** Target groups and rules on the load balancer so far (what this app creates). */
  private targetGroups = 0;
  private rules = 0;
  /** The (service group, port) pairs the load balancer's group has an egress rule to. */
  private readonly egressRules = new Set<string>();

  constructor(private readonly options: ServiceAttacherOptions) {}

  /** Counts the default service's target groups and rule, and reserves its priority. */
  public countDefaultService(service: ApiService, priority: number): void {
    const shift = service.deployment.usesTrafficShiftResources;
    this.targetGroups += shift ? 2 : 1;
    if (shift) {
      this.priorities.add(priority);
      this.rules += this.options.hasTestListener ? 2 : 1;
    }
    this.countEgress(service);
  }

  public addService(service: ApiService, options: AlbServiceOptions): elbv2.ApplicationTargetGroup {
    const { priority } = options;
    // validate everything before recording the priority or creating anything
    wholeNumber('priority', priority, { min: 1, max: 50000, fix: 'use a whole number from 1 to 50000, unique on this load balancer (lower numbers are evaluated first)' });
    const tokenPriority = Token.isUnresolved(priority);
    if (!tokenPriority && this.priorities.has(priority)) {
      throw new Error(`\`priority\` ${priority} is already used by another service on this load balancer: priorities must be unique`);
    }
    if (tokenPriority && this.tokenPriorities.has(String(priority))) {
      throw new Error(`\`priority\` ${String(priority)} is the same token as another service's on this load balancer: priorities must be unique, give each service its own`);
    }
    validateRuleConditions(options.pathPatterns, options.hostHeaders);
    if (!options.pathPatterns?.length && !options.hostHeaders?.length) {
      throw new Error(`addService for priority ${priority} needs \`pathPatterns\` or \`hostHeaders\`: the default service already receives everything else`);
    }
    this.checkService(service);
    const deregistrationDelay = options.deregistrationDelay ?? this.options.defaultDeregistrationDelay;
    validateTargetGroupSettings(options.healthCheck, deregistrationDelay);
    wholeNumber('targetGroupPort', options.targetGroupPort, TARGET_GROUP_PORT);
    this.checkQuotas(service);
    checkTargetGroupQuota(service);

    let id: string;
    if (tokenPriority) {
      // A token's text (`${Token[TOKEN.123]}`) changes with the order tokens are created in:
      // name the rule after its service instead, which is stable. The hyphen keeps these ids
      // apart from the `Service<number>` ids of literal priorities.
      const base = `Service-${service.node.id}`;
      id = base;
      for (let n = 2; this.tokenRuleIds.has(id); n++) id = `${base}-${n}`;
      this.tokenRuleIds.add(id);
      this.tokenPriorities.add(String(priority));
    } else {
      id = `Service${priority}`;
      this.priorities.add(priority);
    }
    const shift = service.deployment.usesTrafficShiftResources;
    this.targetGroups += shift ? 2 : 1;
    this.rules += shift && this.options.hasTestListener ? 2 : 1;
    this.countEgress(service);

    // A service in another stack gets everything of its own in its stack (see placementFor).
    const placement = this.options.placementFor(service);
    const scope = placement?.scope ?? this.options.owner;
    const vpc = this.options.network.vpc;
    const targetGroup = createTargetGroup(scope, `${id}TargetGroup`, vpc, service, options.healthCheck, deregistrationDelay, options.targetGroupPort);
    this.options.trafficShift.attach({
      id, service, targetGroup, priority, pathPatterns: options.pathPatterns, hostHeaders: options.hostHeaders,
      makeAlternate: (tgId) => createTargetGroup(scope, tgId, vpc, service, options.healthCheck, deregistrationDelay, options.targetGroupPort),
      placement,
    });
    if (placement) {
      openFromLoadBalancer(placement.securityGroup, service);
    } else {
      this.options.allowToTarget(service);
    }
    return targetGroup;
  }

  /** The service runs in this network's VPC (see checkServiceFor). */
  public checkService(service: ApiService): void {
    checkServiceFor(this.options.owner, this.options.network, service, this.options.vpcEgressPorts);
  }

  /** The load balancer's quotas, before the service adds its target groups, rules and egress rule. */
  private checkQuotas(service: ApiService): void {
    const shift = service.deployment.usesTrafficShiftResources;
    const owner = this.options.owner.node.path;
    const targetGroups = this.targetGroups + (shift ? 2 : 1);
    if (targetGroups > MAX_TARGET_GROUPS_PER_LOAD_BALANCER) {
      throw new Error(`Adding the service '${service.node.path}' would put ${targetGroups} target groups on the load balancer of '${owner}': ELB allows at most ${MAX_TARGET_GROUPS_PER_LOAD_BALANCER} ` +
        `per Application Load Balancer ("Target groups per Application Load Balancer", not adjustable; canary, linear and blue/green services use two each): ${PAST_ONE}`);
    }
    const rules = this.rules + (shift && this.options.hasTestListener ? 2 : 1);
    if (rules > this.options.rulesQuota) {
      throw new Error(`Adding the service '${service.node.path}' would put ${rules} listener rules on the load balancer of '${owner}': the quota "Rules per Application Load Balancer" is ${this.options.rulesQuota} ` +
        `(100 unless raised; the test listener's rules count): ${PAST_ONE}, or raise the quota in Service Quotas and give its value as \`rulesPerLoadBalancerQuota\``);
    }
    if (this.options.vpcEgressPorts === undefined && !this.egressRules.has(egressKey(service))) {
      const egress = this.egressRules.size + 1;
      if (egress > this.options.securityGroupRulesQuota) {
        throw new Error(`Adding the service '${service.node.path}' would give the load balancer's security group of '${owner}' ${egress} outbound rules (one per service): ` +
          `the quota "Inbound or outbound rules per security group" is ${this.options.securityGroupRulesQuota} (60 unless raised): give the ingress \`vpcEgressPorts\` (one rule per container port to the VPC, none per service), ` +
          `${PAST_ONE}, or raise the quota and give its value as \`rulesPerSecurityGroupQuota\``);
      }
    }
  }

  private countEgress(service: ApiService): void {
    if (this.options.vpcEgressPorts === undefined) this.egressRules.add(egressKey(service));
  }
}

/**
 * Opens `service`'s container port from the load balancer's group, through a stand-in of that
 * group: both rules go where the stand-in is. A stand-in imported with `allowAllOutbound`
 * (`vpcEgressPorts`: the group already reaches the VPC on the port) writes only the service's
 * ingress rule.
 */
export function openFromLoadBalancer(securityGroup: ec2.ISecurityGroup, service: ApiService): void {
  securityGroup.connections.allowTo(service, ec2.Port.tcp(service.containerPort), `Load balancer to target port ${service.containerPort}`);
}

/**
 * The service runs in the network's VPC, with public IPs if the network has no private subnets,
 * and, with `vpcEgressPorts`, on one of those ports.
 */
export function checkServiceFor(owner: Construct, network: INetwork, service: ApiService, vpcEgressPorts?: number[]): void {
  const stack = Stack.of(owner);
  if (JSON.stringify(stack.resolve(service.cluster.vpc.vpcId)) !== JSON.stringify(stack.resolve(network.vpc.vpcId))) {
    throw new Error(`The service '${service.node.path}' runs in another VPC than the ingress's network: use the same network for the cluster and the ingress`);
  }
  const hasPrivate = (network.privateSubnets.subnets ?? []).length > 0;
  if (!hasPrivate && !service.assignPublicIp) {
    throw new Error(`The network has no private subnets, so the service '${service.node.path}' needs \`assignPublicIp: true\` to reach the internet`);
  }
  if (vpcEgressPorts && !Token.isUnresolved(service.containerPort) && !vpcEgressPorts.includes(service.containerPort)) {
    throw new Error(`The service '${service.node.path}' listens on ${service.containerPort}, a port the load balancer's security group does not reach (\`vpcEgressPorts\` ${JSON.stringify(vpcEgressPorts)} of '${owner.node.path}'): ` +
      `add ${service.containerPort} to the ingress's \`vpcEgressPorts\` (and deploy the platform first), or give the service a \`containerPort\` of the list`);
  }
}

/** One egress rule per service group and port (the service's group is its own: its path names it). */
function egressKey(service: ApiService): string {
  return `${service.node.path}:${service.containerPort}`;
}

/** Target groups per ApiService, across every ALB ingress of the app. */
const TARGET_GROUPS = new WeakMap<ApiService, number>();

/** Counts one more target group for `service`; throws past ECS's quota. */
export function checkTargetGroupQuota(service: ApiService): void {
  const count = (TARGET_GROUPS.get(service) ?? 0) + 1;
  if (count > MAX_TARGET_GROUPS_PER_SERVICE) {
    throw new Error(`\`service\` '${service.node.path}' would be registered in ${count} target groups: ECS allows at most ${MAX_TARGET_GROUPS_PER_SERVICE} per service (not adjustable); ` +
      'give one addService call several `pathPatterns` and `hostHeaders` (up to 5 values), or run another ApiService');
  }
  TARGET_GROUPS.set(service, count);
}

/** The health check and deregistration delay of a target group, within ALB's ranges. */
export function validateTargetGroupSettings(hc: AlbHealthCheck = {}, deregistrationDelay: Duration | undefined): void {
  urlPath('healthCheck.path', hc.path, { maxLength: 1024 });
  duration('healthCheck.interval', hc.interval, { minSeconds: 5, maxSeconds: 300 });
  duration('healthCheck.timeout', hc.timeout, { minSeconds: 2, maxSeconds: 120 });
  wholeNumber('healthCheck.healthyThreshold', hc.healthyThreshold, { min: 2, max: 10 });
  wholeNumber('healthCheck.unhealthyThreshold', hc.unhealthyThreshold, { min: 2, max: 10 });
  validateHealthyHttpCodes('healthCheck.healthyHttpCodes', hc.healthyHttpCodes);
  const interval = hc.interval ?? Duration.seconds(SEED_HEALTH_CHECK.interval);
  const timeout = hc.timeout ?? Duration.seconds(SEED_HEALTH_CHECK.timeout);
  if (!interval.isUnresolved() && !timeout.isUnresolved() && timeout.toSeconds() >= interval.toSeconds()) {
    throw new Error(`\`healthCheck.timeout\` (${timeout.toSeconds()} s) must be less than \`healthCheck.interval\` (${interval.toSeconds()} s)`);
  }
  duration('deregistrationDelay', deregistrationDelay, { minSeconds: 0, maxSeconds: 3600 });
}

/** A service's target group: `ip` targets on HTTP, the seed's health check unless given. */
export function createTargetGroup(scope: Construct, id: string, vpc: ec2.IVpc, service: ApiService, hc: AlbHealthCheck = {}, deregistrationDelay: Duration, port?: number): elbv2.ApplicationTargetGroup {
  const interval = hc.interval ?? Duration.seconds(SEED_HEALTH_CHECK.interval);
  const timeout = hc.timeout ?? Duration.seconds(SEED_HEALTH_CHECK.timeout);
  const healthy = hc.healthyThreshold ?? SEED_HEALTH_CHECK.healthy;
  const unhealthy = hc.unhealthyThreshold ?? SEED_HEALTH_CHECK.unhealthy;
  return new elbv2.ApplicationTargetGroup(scope, id, {
    vpc,
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: port ?? service.containerPort,
    deregistrationDelay,
    healthCheck: {
      path: hc.path ?? SEED_HEALTH_CHECK.path,
      interval,
      timeout,
      healthyThresholdCount: healthy,
      unhealthyThresholdCount: unhealthy,
      healthyHttpCodes: hc.healthyHttpCodes ?? SEED_HEALTH_CHECK.codes,
    },
  });
}
