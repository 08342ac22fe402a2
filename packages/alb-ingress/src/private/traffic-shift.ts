import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApiService } from '@portcullis/cluster';
import { wholeNumber } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';
import { ProductionRule, RuleAlternateTarget } from './production-rule';
import { validateAllowedCidrs } from './validation';

/**
 * Everything an AlbIngress creates per service for ECS deployments: with a traffic-shifting
 * `deployment` (canary, linear, blue/green), the alternate target group, the production
 * listener rule forwarding to both target groups (weights 100/0, which ECS then changes), a
 * test listener rule when there is a test listener, and the role ECS assumes to change them;
 * with `rollbackAlarms`, the 5xx-rate alarms ECS watches during the deployment.
 *
 * ECS native blue/green, linear and canary deployments with an ALB shift traffic by changing
 * the weights of a listener RULE's forward action (not a listener's default action), between
 * the service's target group and an alternate one, and need a role to do it:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html
 * Listeners with non-forward actions (redirect, fixed response) next to the forward rules make
 * the deployment fail (same page), so every rule and default action here forwards.
 */

/** Priority of the catch-all rule of the default service when it shifts traffic. */
export const DEFAULT_SERVICE_RULE_PRIORITY = 50000;

/** Rollback alarm: target 5xx above 1 % of requests in 2 of 3 one-minute periods. */
export const ROLLBACK_ALARM = { thresholdPercent: 1, datapointsToAlarm: 2, evaluationPeriods: 3, period: Duration.minutes(1) };

/** What the ingress created for one service. */
export interface ServiceAttachment {
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** The production rule: a {@link ProductionRule} with traffic-shift resources, else a plain forward rule (none for the default service). */
  readonly rule?: Construct;
  readonly testRule?: ProductionRule;
  readonly alarms: cloudwatch.IAlarm[];
}

/** How to attach one service. */
export interface AttachOptions {
  /** Construct-id prefix of what is created for the service ('' for the default service). */
  readonly id: string;
  readonly service: ApiService;
  /** The service's (production) target group. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Makes a second target group like the first, with this construct id. */
  readonly makeAlternate: (id: string) => elbv2.ApplicationTargetGroup;
  readonly priority: number;
  /** The rule's path patterns and host headers; neither: the default service (its listener's default action). */
  readonly pathPatterns?: string[];
  readonly hostHeaders?: string[];
  /**
   * Where the service's rules, alarms and role go, and the listeners they use there: for a
   * service in another stack than the load balancer, a construct in the service's stack with
   * stand-ins of the listeners (see AlbIngress.addService).
   * @default - the ingress and its own listeners
   */
  readonly placement?: AttachPlacement;
}

/** Where what belongs to a service is created, and the listeners it sees from there. */
export interface AttachPlacement {
  readonly scope: Construct;
  readonly listener: elbv2.IApplicationListener;
  readonly testListener?: elbv2.IApplicationListener;
}

/** Validates `testListenerPort` / `testListenerCidrs`. */
export function validateTestListener(port: number | undefined, cidrs: string[] | undefined, listenerPorts: number[]): void {
  if (cidrs !== undefined && port === undefined) {
    throw new Error('`testListenerCidrs` was given without `testListenerPort`: give the port of the test listener (e.g. 8080), or leave `testListenerCidrs` out');
  }
  if (port === undefined) return;
  wholeNumber('testListenerPort', port, { min: 1, max: 65535, fix: 'use a TCP port from 1 to 65535 that no listener uses, e.g. 8080' });
  if (listenerPorts.includes(port)) {
    throw new Error(`\`testListenerPort\` ${port} is the port of a production listener (${listenerPorts.join(', ')}): test traffic needs its own port; use another one, e.g. 8080`);
  }
  if (cidrs !== undefined) validateAllowedCidrs('testListenerCidrs', cidrs);
}

/** The ECS wiring of the services of one AlbIngress. */
export class TrafficShift {
  private role?: iam.Role;
  /** The ECS roles of the other stacks' services: one per stack, at its root. */
  private static readonly stackRoles = new WeakMap<Stack, iam.Role>();
  private readonly attachments = new Map<ApiService, ServiceAttachment[]>();

  constructor(
    private readonly scope: Construct,
    /** The load balancer's full name (`app/<name>/<id>`): the rules the production-rule handler may write. */
    private readonly loadBalancerFullName: string,
    private readonly listener: elbv2.IApplicationListener,
    private readonly testListener: elbv2.IApplicationListener | undefined,
  ) {}

  /**
   * Attaches a service: target group(s), rule(s), role, alarms. With traffic-shift resources
   * (a canary, linear or blue/green deployment, or a rolling one that keeps them), the
   * production and test rules are {@link ProductionRule}s, whose weights CloudFormation never
   * writes after creation; otherwise a plain forward rule (none for the default service).
   */
  public attach(options: AttachOptions): void {
    const { id, service, targetGroup } = options;
    const scope = options.placement?.scope ?? this.scope;
    const listener = options.placement?.listener ?? this.listener;
    const testListener = options.placement ? options.placement.testListener : this.testListener;
    const shift = service.deployment.usesTrafficShiftResources;
    const byRule = options.pathPatterns !== undefined || options.hostHeaders !== undefined;
    const name = id || 'DefaultService';
    let rule: Construct | undefined;
    let testRule: ProductionRule | undefined;
    let alternateTargetGroup: elbv2.ApplicationTargetGroup | undefined;
    let alternateTarget: ecs.IAlternateTarget | undefined;
    if (shift) {
      alternateTargetGroup = options.makeAlternate(`${id}AlternateTargetGroup`);
      // The default service is the listener's default action; ECS needs a rule, so a
      // traffic-shifting default service also gets a catch-all rule at the last priority.
      const conditions = byRule ? { pathPatterns: options.pathPatterns, hostHeaders: options.hostHeaders } : { pathPatterns: ['/*'] };
      const rules = { loadBalancerFullName: this.loadBalancerFullName, priority: options.priority, targetGroup, alternateTargetGroup, ...conditions };
      // Ids of their own: CloudFormation cannot change the type of a logical id, so the rules
      // that replace the AWS::ElasticLoadBalancingV2::ListenerRule of earlier versions (ids
      // `<name>Rule`, `<name>TestRule`) must have other ones; the handler adopts their weights.
      const production = new ProductionRule(scope, `${name}ProductionRule`, { ...rules, listener });
      if (testListener) testRule = new ProductionRule(scope, `${name}TestListenerRule`, { ...rules, listener: testListener });
      alternateTarget = new RuleAlternateTarget(alternateTargetGroup, options.placement ? this.stackRole(Stack.of(scope)) : this.ecsRole(), production, testRule);
      rule = production;
    } else if (byRule) {
      const conditions: elbv2.ListenerCondition[] = [];
      if (options.pathPatterns?.length) conditions.push(elbv2.ListenerCondition.pathPatterns(options.pathPatterns));
      if (options.hostHeaders?.length) conditions.push(elbv2.ListenerCondition.hostHeaders(options.hostHeaders));
      rule = new elbv2.ApplicationListenerRule(scope, `${name}Rule`, {
        listener, priority: options.priority, conditions, action: elbv2.ListenerAction.forward([targetGroup]),
      });
    }
    service.attachToTargetGroup(targetGroup, rule ?? listener, alternateTarget);
    if (rule && !byRule) service.service.node.addDependency(listener);

    const alarms: cloudwatch.IAlarm[] = [];
    if (service.rollbackAlarms) {
      alarms.push(rollbackAlarm(scope, `${id || 'DefaultService'}RollbackAlarm`, targetGroup, service));
      if (alternateTargetGroup) alarms.push(rollbackAlarm(scope, `${id || 'DefaultService'}AlternateRollbackAlarm`, alternateTargetGroup, service));
      alarms.forEach((alarm) => service.addRollbackAlarm(alarm));
    }
    this.attachments.set(service, [...(this.attachments.get(service) ?? []), { targetGroup, alternateTargetGroup, rule, testRule, alarms }]);
  }

  /** The services attached so far. */
  public services(): ApiService[] {
    return [...this.attachments.keys()];
  }

  /** What was created for `service`, once per attachment (a service may be routed by several rules); [] if it is not attached. */
  public attachmentsOf(service: ApiService): ServiceAttachment[] {
    return this.attachments.get(service) ?? [];
  }

  /**
   * The role ECS assumes to register tasks in the target groups and change the listener
   * rules' weights: one per ingress, with the AWS-managed policy the ECS documentation
   * prescribes for it (AmazonECSInfrastructureRolePolicyForLoadBalancers: describe calls,
   * which have no resource-level permissions; register and deregister targets; modify ALB
   * listeners and rules).
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html
   */
  private ecsRole(): iam.Role {
    this.role ??= ecsTrafficShiftRole(this.scope, 'EcsTrafficShiftRole');
    return this.role;
  }

  /**
   * The role of the traffic-shifting services of another stack than the load balancer's: one
   * per stack, at the stack's root, shared by every service of that stack (removing one service
   * leaves it in place for the others) and never in the load balancer's stack.
   */
  private stackRole(stack: Stack): iam.Role {
    let role = TrafficShift.stackRoles.get(stack);
    if (!role) {
      role = ecsTrafficShiftRole(stack, 'PortcullisEcsTrafficShiftRole');
      TrafficShift.stackRoles.set(stack, role);
    }
    return role;
  }
}

/** The role ECS assumes to shift traffic (see TrafficShift.ecsRole). */
function ecsTrafficShiftRole(scope: Construct, id: string): iam.Role {
  const role = new iam.Role(scope, id, {
    description: 'Assumed by ECS to shift traffic between the blue and green target groups of this load balancer (canary, linear and blue/green deployments)',
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForLoadBalancers')],
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
    reason: 'AmazonECSInfrastructureRolePolicyForLoadBalancers is the policy the ECS documentation prescribes for the load-balancer infrastructure role of blue/green, linear and canary deployments; AWS updates it as ECS needs more actions (v2 to v6 in 2025-2026), which a copied inline policy would miss and fail deployments on',
  });
  return role;
}

/** Opens the test listener's port to `cidrs` (nothing is open without them). */
export function openTestListener(securityGroup: ec2.ISecurityGroup, port: number, cidrs: string[] | undefined): void {
  if (cidrs === undefined) return;
  const blocks = validateAllowedCidrs('testListenerCidrs', cidrs);
  cidrs.forEach((cidr, i) => {
    const { family, peerCidr } = blocks[i];
    const peer = family === 'ipv6' ? ec2.Peer.ipv6(peerCidr) : ec2.Peer.ipv4(peerCidr);
    securityGroup.addIngressRule(peer, ec2.Port.tcp(port), `Test listener ${port} from ${cidr}`);
  });
}

/**
 * The target 5xx rate of one target group, in percent of its requests, above 1 % in 2 of 3
 * one-minute periods. Minutes without requests have no data and do not breach.
 * Metrics: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
function rollbackAlarm(scope: Construct, id: string, targetGroup: elbv2.ApplicationTargetGroup, service: ApiService): cloudwatch.Alarm {
  const period = ROLLBACK_ALARM.period;
  return rateRollbackAlarm(scope, id, service, 'target 5xx responses', new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: {
      errors: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
      requests: targetGroup.metrics.requestCount({ period, statistic: 'Sum' }),
    },
    label: 'Target 5xx rate (%)',
    period,
  }));
}

/**
 * The load balancer's own 5xx rate, `100 * ELB5xx / (ELB5xx + RequestCount)`, above 1 % in 2
 * of 3 one-minute periods: the 502s of tasks that crash or reset connections, the 504s of
 * tasks that time out and the 503s of a rule forwarding to a target group without healthy
 * targets, none of which reach the target 5xx count (HTTPCode_ELB_5XX_Count "does not include
 * any response codes generated by the targets"). Requests answered by the load balancer before
 * it chose a target are not in RequestCount, hence the sum in the denominator: a load balancer
 * answering every request with 503 is at 100 %, not at no data. Its only dimension is the load
 * balancer, so it can only speak for an ingress with one service.
 * Metrics: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export function loadBalancerRollbackAlarm(scope: Construct, id: string, loadBalancer: elbv2.ApplicationLoadBalancer, service: ApiService): cloudwatch.Alarm {
  const period = ROLLBACK_ALARM.period;
  return rateRollbackAlarm(scope, id, service, '5xx responses of the load balancer itself (502/503/504: tasks crashing, timing out, or no healthy target)', new cloudwatch.MathExpression({
    expression: LOAD_BALANCER_5XX_RATE,
    usingMetrics: {
      errors: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
      requests: loadBalancer.metrics.requestCount({ period, statistic: 'Sum' }),
    },
    label: 'Load balancer 5xx rate (%)',
    period,
  }));
}

/** A rollback alarm on a rate in percent: above 1 % in 2 of 3 one-minute periods, missing data not breaching, no action. */
function rateRollbackAlarm(scope: Construct, id: string, service: ApiService, what: string, rate: cloudwatch.MathExpression): cloudwatch.Alarm {
  const alarm = rate.createAlarm(scope, id, {
    alarmDescription: `Rollback alarm of the ECS service ${service.node.path}: ${what} above ${ROLLBACK_ALARM.thresholdPercent} % of requests ` +
      `in ${ROLLBACK_ALARM.datapointsToAlarm} of ${ROLLBACK_ALARM.evaluationPeriods} minutes; in ALARM during a deployment, ECS rolls the deployment back`,
    threshold: ROLLBACK_ALARM.thresholdPercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: ROLLBACK_ALARM.evaluationPeriods,
    datapointsToAlarm: ROLLBACK_ALARM.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  Validations.of(alarm).acknowledge({
    id: 'NIST.800.53.R5-CloudWatchAlarmAction',
    reason: 'A deployment rollback alarm: ECS reads its state during deployments and rolls back; it needs no alarm action (notify on it, or use @portcullis/monitoring, if you want to be told)',
  });
  return alarm;
}

/**
 * The load balancer's 5xx rate in percent: ELB-generated 5xx over all requests (those the load
 * balancer answered itself plus those it sent to a target); 0 when there were none.
 */
export const LOAD_BALANCER_5XX_RATE = 'IF(FILL(errors, 0) > 0, 100 * FILL(errors, 0) / (FILL(errors, 0) + FILL(requests, 0)), 0)';

