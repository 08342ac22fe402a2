import { Annotations, Aspects, IAspect } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct, IConstruct } from 'constructs';
import { Deployment } from '../deployment';

/** The strategy props of an ECS service (nothing for rolling: CloudFormation's default). */
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
      return {};
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
 * - a traffic-shifting strategy without a load balancer that shifts traffic: an error at
 *   synth (the ingress attaches after the service is constructed);
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
      if (!deployment.needsTrafficShift) return [];
      const { all, trafficShift } = registrations();
      if (all === 0) {
        return [`\`deployment\` ${deployment.toString()} needs an Application Load Balancer to shift traffic, but the service '${scope.node.path}' is attached to none: ` +
          'put it behind an AlbIngress (as its `service` or with `addService`), which creates the alternate target group, the production listener rule and the role ECS assumes; ' +
          'or use `deployment: Deployment.rolling()` (with rollback alarms) for a service without a load balancer or behind API Gateway'];
      }
      if (trafficShift < all) {
        return [`\`deployment\` ${deployment.toString()}: ${all - trafficShift} of the ${all} load-balancer registrations of '${scope.node.path}' have no alternate target: ` +
          'ECS needs one for every target group of a traffic-shifting service; attach it with `loadBalancerTarget(alternateTarget)` / `attachToTargetGroup(targetGroup, dependsOn, alternateTarget)` ' +
          '(AlbIngress does), or use `deployment: Deployment.rolling()`'];
      }
      return [];
    },
  });
  if (rollbackAlarms) Aspects.of(scope).add(new NoAlarmWarning(scope, alarmCount));
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
