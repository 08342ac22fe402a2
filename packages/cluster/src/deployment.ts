import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { show } from '@portcullis/network/lib/private/validate';
import { validateBakeTime, validatePercent, validateTotalDuration } from './private/deployment-limits';

/** Options of {@link Deployment.rolling}. */
export interface RollingDeploymentOptions {
  /**
   * Keep the load-balancer configuration of a traffic-shifting strategy (canary, linear,
   * blue/green) on a rolling service: the alternate target group, the weighted production
   * listener rule, the role ECS assumes and the service's `AdvancedConfiguration` stay in the
   * template, and only the strategy becomes `ROLLING`. This is how ECS moves a service from
   * blue/green to rolling: it "keeps the existing load balancer configuration"
   * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-bluegreen-to-rolling.html),
   * whereas removing the rule and the alternate group in the same update can leave production
   * traffic on a group without tasks (the live weights belong to ECS). Set it when a deployed
   * canary, linear or blue/green service moves to rolling; remove it in a later release once
   * a rolling deployment has completed (the README's "Canary to rolling" says how).
   *
   * @default false
   */
  readonly keepTrafficShiftResources?: boolean;
}

/** Options of {@link Deployment.canary}. */
export interface CanaryDeploymentOptions {
  /**
   * Percent of production traffic the new tasks get first: a multiple of 0.1 from 0.1 to 100.
   *
   * @default 5 - as ECS Express Mode
   */
  readonly percent?: number;
  /**
   * How long the canary share runs before the rest of the traffic shifts: whole minutes,
   * 0 to 1440.
   *
   * @default Duration.minutes(3)
   */
  readonly stepBakeTime?: Duration;
  /**
   * How long the old tasks are kept after all traffic has shifted (a rollback in that time is
   * instant): whole minutes, 0 to 1440.
   *
   * @default Duration.minutes(3)
   */
  readonly bakeTime?: Duration;
}

/** Options of {@link Deployment.linear}. */
export interface LinearDeploymentOptions {
  /**
   * Percent of production traffic shifted at each step: a multiple of 0.1 from 3 to 100.
   *
   * @default 20 - five steps
   */
  readonly percent?: number;
  /**
   * Time between two steps: whole minutes, 0 to 1440.
   *
   * @default Duration.minutes(2)
   */
  readonly stepBakeTime?: Duration;
  /**
   * How long the old tasks are kept after all traffic has shifted: whole minutes, 0 to 1440.
   *
   * @default Duration.minutes(3)
   */
  readonly bakeTime?: Duration;
}

/** Options of {@link Deployment.blueGreen}. */
export interface BlueGreenDeploymentOptions {
  /**
   * How long the old tasks are kept after all traffic has shifted at once: whole minutes,
   * 0 to 1440.
   *
   * @default Duration.minutes(3)
   */
  readonly bakeTime?: Duration;
}

/**
 * How ECS deploys a new revision of an {@link ApiService}: a rolling update (the default), or
 * one of ECS's native traffic-shifting strategies behind an Application Load Balancer
 * (canary, linear, blue/green), which start the new tasks next to the old ones in a second
 * target group, shift production traffic to them, and roll back when a rollback alarm goes
 * into ALARM during the shift or the bake time.
 *
 * Limits: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
 */
export class Deployment {
  /**
   * Rolling update: ECS replaces tasks in place within `minHealthyPercent` /
   * `maxHealthyPercent`, with the circuit breaker and the rollback alarms. Works with every
   * ingress. Written as `Strategy: ROLLING`. With `keepTrafficShiftResources`, the
   * load-balancer configuration of a traffic-shifting strategy is kept (the way from canary,
   * linear or blue/green to rolling on a deployed service).
   */
  public static rolling(options: RollingDeploymentOptions = {}): Deployment {
    const keep = options.keepTrafficShiftResources ?? false;
    if (typeof keep !== 'boolean') {
      throw new Error(`\`deployment\`: Deployment.rolling({ keepTrafficShiftResources }) must be true or false at synth (it decides whether the alternate target group, ` +
        `the production listener rule and the role stay in the template), got ${show(keep)}: write true or false`);
    }
    return new Deployment(ecs.DeploymentStrategy.ROLLING, undefined, undefined, undefined, keep);
  }

  /**
   * Canary: `percent` of the traffic goes to the new tasks for `stepBakeTime`, then all of it;
   * the old tasks are kept for `bakeTime`. Needs an Application Load Balancer.
   */
  public static canary(options: CanaryDeploymentOptions = {}): Deployment {
    return Deployment.stepped(ecs.DeploymentStrategy.CANARY, 'Deployment.canary', options, { percent: 5, stepBakeMinutes: 3, minPercent: 0.1 });
  }

  /**
   * Linear: the traffic shifts `percent` at a time, every `stepBakeTime`; the old tasks are
   * kept for `bakeTime`. Needs an Application Load Balancer.
   */
  public static linear(options: LinearDeploymentOptions = {}): Deployment {
    return Deployment.stepped(ecs.DeploymentStrategy.LINEAR, 'Deployment.linear', options, { percent: 20, stepBakeMinutes: 2, minPercent: 3 });
  }

  /** Canary and linear: a percent of the traffic per step, a bake time per step and after the last. */
  private static stepped(
    strategy: ecs.DeploymentStrategy, name: string,
    options: { readonly percent?: number; readonly stepBakeTime?: Duration; readonly bakeTime?: Duration },
    defaults: { readonly percent: number; readonly stepBakeMinutes: number; readonly minPercent: number },
  ): Deployment {
    const percent = options.percent ?? defaults.percent;
    const stepBakeTime = options.stepBakeTime ?? Duration.minutes(defaults.stepBakeMinutes);
    const bakeTime = options.bakeTime ?? Duration.minutes(3);
    validatePercent(name, percent, defaults.minPercent);
    validateBakeTime(name, 'stepBakeTime', stepBakeTime);
    validateBakeTime(name, 'bakeTime', bakeTime);
    validateTotalDuration(name, strategy, percent, stepBakeTime, bakeTime);
    return new Deployment(strategy, percent, stepBakeTime, bakeTime);
  }

  /**
   * Blue/green: the new tasks start next to the old ones and get all the traffic at once; the
   * old tasks are kept for `bakeTime`. Needs an Application Load Balancer.
   */
  public static blueGreen(options: BlueGreenDeploymentOptions = {}): Deployment {
    const bakeTime = options.bakeTime ?? Duration.minutes(3);
    validateBakeTime('Deployment.blueGreen', 'bakeTime', bakeTime);
    return new Deployment(ecs.DeploymentStrategy.BLUE_GREEN, undefined, undefined, bakeTime);
  }

  /** The ECS deployment strategy. */
  public readonly strategy: ecs.DeploymentStrategy;
  /**
   * Percent of production traffic of the canary, or of each linear step.
   *
   * @default - none (rolling, blue/green)
   */
  public readonly percent?: number;
  /**
   * Wait after the canary step, or between two linear steps.
   *
   * @default - none (rolling, blue/green)
   */
  public readonly stepBakeTime?: Duration;
  /**
   * How long the old tasks are kept once all traffic has shifted.
   *
   * @default - none (rolling)
   */
  public readonly bakeTime?: Duration;
  /**
   * Whether ECS shifts traffic between two target groups (canary, linear, blue/green): the
   * service then needs an Application Load Balancer with an alternate target group, a
   * production listener rule and a role ECS assumes (`AlbIngress` creates them).
   */
  public readonly needsTrafficShift: boolean;
  /**
   * Whether a rolling deployment keeps the load-balancer configuration of a traffic-shifting
   * strategy (`Deployment.rolling({ keepTrafficShiftResources: true })`); false for every
   * other deployment.
   */
  public readonly keepTrafficShiftResources: boolean;
  /**
   * Whether the service's load balancer has the resources of a traffic-shifting strategy: an
   * alternate target group, a weighted production listener rule, the role ECS assumes, and
   * the service's `AdvancedConfiguration` naming them. True when the strategy shifts traffic
   * (`needsTrafficShift`) or a rolling deployment keeps them (`keepTrafficShiftResources`).
   * An ingress creates them, and attaches the service with an alternate target, when it is true.
   */
  public readonly usesTrafficShiftResources: boolean;

  private constructor(strategy: ecs.DeploymentStrategy, percent?: number, stepBakeTime?: Duration, bakeTime?: Duration, keepTrafficShiftResources = false) {
    this.strategy = strategy;
    this.percent = percent;
    this.stepBakeTime = stepBakeTime;
    this.bakeTime = bakeTime;
    this.needsTrafficShift = strategy !== ecs.DeploymentStrategy.ROLLING;
    this.keepTrafficShiftResources = keepTrafficShiftResources;
    this.usesTrafficShiftResources = this.needsTrafficShift || keepTrafficShiftResources;
  }

  /**
   * The factory that made this deployment, as a user writes it: `Deployment.canary()`, or
   * `Deployment.rolling({ keepTrafficShiftResources: true })` when the traffic-shifting
   * resources are kept.
   */
  public toString(): string {
    switch (this.strategy) {
      case ecs.DeploymentStrategy.CANARY: return 'Deployment.canary()';
      case ecs.DeploymentStrategy.LINEAR: return 'Deployment.linear()';
      case ecs.DeploymentStrategy.BLUE_GREEN: return 'Deployment.blueGreen()';
      default: return this.keepTrafficShiftResources ? 'Deployment.rolling({ keepTrafficShiftResources: true })' : 'Deployment.rolling()';
    }
  }
}
