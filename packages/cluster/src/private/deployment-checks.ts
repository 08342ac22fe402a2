import { Annotations, Aspects, IAspect } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, IConstruct } from 'constructs';
import { Deployment } from '../deployment';

/**
 * The strategy props of an ECS service. Rolling is written too (`Strategy: ROLLING`): left
 * out, CloudFormation sends no strategy on an update, and a service moving from canary,
 * linear or blue/green to rolling could stay on its old strategy.
 *
 * A rolling service that keeps its traffic-shifting resources
 * (`Deployment.rolling({ keepTrafficShiftResources: true })`) is attached with an alternate
 * target: aws-cdk-lib 2.275's FargateService and Ec2Service accept `deploymentStrategy: ROLLING`
 * together with an `alternateTarget` in `loadBalancerTarget` / `attachToApplicationTargetGroup`
 * (neither `AlternateTarget.bind` nor `attachToELBv2` looks at the strategy), so no L1 override
 * is needed; test/deployment.test.ts checks the template has both.
 */
export function strategyProps(deployment: Deployment): Partial<ecs.FargateServiceProps> {
  const shift = { stepPercent: deployment.percent, stepBakeTime: deployment.stepBakeTime };
  switch (deployment.strategy) {
    case ecs.DeploymentStrategy.CANARY:
      return { deploymentStrategy: deployment.strategy, canaryConfiguration: shift, bakeTime: deployment.bakeTime };
    case ecs.DeploymentStrategy.LINEAR:
      return { deploymentStrategy: deployment.strategy, linearConfiguration: shift, bakeTime: deployment.bakeTime };
    case ecs.DeploymentStrategy.BLUE_GREEN:
      return { deploymentStrategy: deployment.strategy, bakeTime: deployment.bakeTime };
    default:
      return { deploymentStrategy: ecs.DeploymentStrategy.ROLLING };
  }
}

/** Load-balancer registrations of a service: all, and those with an alternate target. */
export interface Registrations {
  readonly all: number;
  readonly trafficShift: number;
}

/**
 * The deployment checks of an ApiService:
 * - `rollbackAlarms: false` with a traffic-shifting strategy: a warning now;
 * - a deployment that uses traffic-shifting resources (a traffic-shifting strategy, or
 *   rolling with `keepTrafficShiftResources`) without a load balancer, or with registrations
 *   that have no alternate target: an error at synth (the ingress attaches after the service
 *   is constructed);
 * - a plain rolling deployment registered with an alternate target: a warning at synth (the
 *   alternate target is written but the deployment does not say it keeps it);
 * - `rollbackAlarms` on and no alarm added by synth: a warning at synth naming the fixes.
 */
export function checkDeployment(scope: Construct, deployment: Deployment, rollbackAlarms: boolean,
  registrations: () => Registrations, alarmCount: () => number): void {
  if (!rollbackAlarms && deployment.needsTrafficShift) {
    Annotations.of(scope).addWarningV2('@portcullis/cluster:noRollbackAlarms',
      `\`rollbackAlarms: false\` with \`deployment\` ${deployment.toString()}: ECS shifts production traffic to the new tasks but nothing tells it to roll back ` +
      'when they answer with errors (only failing health checks stop it). Keep `rollbackAlarms` on, or add your own alarm with `addRollbackAlarm(alarm)`.');
  }
  scope.node.addValidation({
    validate: () => {
      if (!deployment.usesTrafficShiftResources) return [];
      const { all, trafficShift } = registrations();
      const keep = !deployment.needsTrafficShift;
      if (all === 0) {
        if (keep) {
          return [`\`deployment\` ${deployment.toString()} keeps the alternate target group, production listener rule and role of an Application Load Balancer, ` +
            `but the service '${scope.node.path}' is attached to no load balancer: there is nothing to keep. ` +
            'Use `deployment: Deployment.rolling()` (without `keepTrafficShiftResources`), or put the service behind an AlbIngress'];
        }
        return [`\`deployment\` ${deployment.toString()} needs an Application Load Balancer to shift traffic, but the service '${scope.node.path}' is attached to none: ` +
          'put it behind an AlbIngress (as its `service` or with `addService`), which creates the alternate target group, the production listener rule and the role ECS assumes; ' +
          'or use `deployment: Deployment.rolling()` (with rollback alarms) for a service without a load balancer or behind API Gateway'];
      }
      if (trafficShift < all) {
        const why = keep
          ? 'a registration without one loses its AdvancedConfiguration (alternate group, production rule, role), which is what `keepTrafficShiftResources` is there to keep'
          : 'ECS needs one for every target group of a traffic-shifting service';
        return [`\`deployment\` ${deployment.toString()}: ${all - trafficShift} of the ${all} load-balancer registrations of '${scope.node.path}' have no alternate target: ` +
          `${why}; attach it with \`loadBalancerTarget(alternateTarget)\` / \`attachToTargetGroup(targetGroup, dependsOn, alternateTarget)\` ` +
          `(AlbIngress does when \`deployment.usesTrafficShiftResources\` is true), or use \`deployment: Deployment.rolling()\`${keep ? ' without `keepTrafficShiftResources`' : ''}`];
      }
      return [];
    },
  });
  Aspects.of(scope).add(new UnusedAlternateTargetWarning(scope, deployment, registrations));
  if (rollbackAlarms) Aspects.of(scope).add(new NoAlarmWarning(scope, alarmCount));
}

/**
 * Warns at synth about a plain rolling service (no `keepTrafficShiftResources`) that was
 * attached with alternate targets: the template keeps an `AdvancedConfiguration` the
 * deployment does not account for (an ingress that reads `usesTrafficShiftResources`
 * never does this).
 */
class UnusedAlternateTargetWarning implements IAspect {
  constructor(private readonly service: Construct, private readonly deployment: Deployment, private readonly registrations: () => Registrations) {}

  public visit(node: IConstruct): void {
    if (node !== this.service || this.deployment.usesTrafficShiftResources) return;
    const { trafficShift } = this.registrations();
    if (trafficShift === 0) return;
    Annotations.of(node).addWarningV2('@portcullis/cluster:alternateTargetWithoutTrafficShift',
      `\`deployment\` ${this.deployment.toString()} of '${node.node.path}' does not shift traffic, but ${trafficShift} load-balancer registration(s) have an alternate target: ` +
      'the service keeps an AdvancedConfiguration (alternate target group, production rule, role) its deployment does not declare. ' +
      'To keep them on purpose (moving off canary, linear or blue/green), use `Deployment.rolling({ keepTrafficShiftResources: true })`; otherwise attach without the alternate target.');
  }
}

/** Warns at synth about a service with `rollbackAlarms` on that no alarm was added to. */
class NoAlarmWarning implements IAspect {
  constructor(private readonly service: Construct, private readonly alarmCount: () => number) {}

  public visit(node: IConstruct): void {
    if (node !== this.service || this.alarmCount() > 0) return;
    Annotations.of(node).addWarningV2('@portcullis/cluster:rollbackAlarmsMissing',
      `\`rollbackAlarms\` is on but no rollback alarm was added to the service '${node.node.path}': its deployments roll back only on the circuit breaker. ` +
      'Put it behind an AlbIngress or an ApiGatewayIngress (they add a 5xx-rate alarm), add your own with `addRollbackAlarm(alarm)`, or set `rollbackAlarms: false`.');
  }
}
