import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { wholeNumber } from '@portcullis/network/lib/private/validate';

/** Which kind of Fargate capacity a {@link Capacity} is. */
export enum CapacityKind {
  /** Every task on on-demand Fargate. */
  ON_DEMAND = 'ON_DEMAND',
  /** Every task on Fargate Spot. */
  SPOT = 'SPOT',
  /** A base of on-demand tasks, the rest split between on-demand and Spot by weight. */
  MIXED = 'MIXED',
}

/** Options of {@link Capacity.mixed}. */
export interface MixedCapacityOptions {
  /**
   * How many tasks always run on on-demand Fargate (`FARGATE` base), before the weights
   * apply: the tasks a Spot interruption never takes away. A whole number from 0 to 100000.
   *
   * @default 1
   */
  readonly onDemandBase?: number;
  /**
   * Weight of Fargate Spot (`FARGATE_SPOT`) for the tasks beyond the base, against an
   * on-demand weight of 1: 3 puts three of every four extra tasks on Spot. A whole number
   * from 1 to 1000 (0 would put no task on Spot: use `Capacity.onDemand()`).
   *
   * @default 3
   */
  readonly spotWeight?: number;
}

/** ECS's limits of a capacity provider strategy item: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html */
const MAX_BASE = 100000;
const MAX_WEIGHT = 1000;

/**
 * Where an {@link ApiService}'s Fargate tasks run: on-demand Fargate, Fargate Spot (about
 * 70% cheaper, interruptible with a two-minute warning), or a mix. Every one of them is
 * written as the service's capacity-provider strategy over the cluster's `FARGATE` and
 * `FARGATE_SPOT` providers, never as a launch type, so switching between them later is an
 * update of the strategy in place (`LaunchType` is create-only on `AWS::ECS::Service`; the
 * strategy is not, and ECS's UpdateService changes it:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
 * `Capacity.onDemandLaunchType()` keeps the `FARGATE` launch type of services deployed with an
 * earlier Portcullis, which wrote it for on-demand.
 *
 * Fargate Spot runs Linux tasks on X86_64 (platform 1.3.0+) and ARM64 (platform 1.4.0+), not
 * Windows tasks:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
 *
 * @example
 * const cluster = new FargateCluster(this, 'Cluster', { network: new Network(this, 'Network') });
 * new ApiService(this, 'Api', { cluster, capacity: Capacity.mixed({ onDemandBase: 1, spotWeight: 3 }) });
 */
export class Capacity {
  /**
   * Every task on on-demand Fargate (the default): the capacity-provider strategy `FARGATE`
   * (base 0, weight 1), no launch type, so a later switch to `spot()` or `mixed()` is an
   * update in place. A service deployed with an earlier Portcullis has `LaunchType: FARGATE`:
   * moving it to this strategy replaces it once (see `onDemandLaunchType()` to avoid that).
   */
  public static onDemand(): Capacity {
    return new Capacity(CapacityKind.ON_DEMAND, 0, 0, false);
  }

  /**
   * Every task on on-demand Fargate, written as the `FARGATE` launch type, as Portcullis wrote
   * on-demand before capacity-provider strategies became the default. For a service already
   * deployed that way: keeping the launch type avoids replacing the service on upgrade
   * (`LaunchType` is create-only). Its own later switch to `spot()` or `mixed()` (or to
   * `onDemand()`) replaces the service once; see the README's "On-demand, Spot and the launch type".
   */
  public static onDemandLaunchType(): Capacity {
    return new Capacity(CapacityKind.ON_DEMAND, 0, 0, true);
  }

  /**
   * Every task on Fargate Spot. A task can be stopped at any time with a two-minute
   * warning; when Spot has no capacity, tasks wait (there is no fallback to on-demand).
   */
  public static spot(): Capacity {
    return new Capacity(CapacityKind.SPOT, 0, 1, false);
  }

  /**
   * `onDemandBase` tasks always on on-demand Fargate; the tasks beyond it split between
   * on-demand (weight 1) and Spot (`spotWeight`).
   */
  public static mixed(options: MixedCapacityOptions = {}): Capacity {
    const onDemandBase = options.onDemandBase ?? 1;
    const spotWeight = options.spotWeight ?? 3;
    wholeNumber('Capacity.mixed onDemandBase', onDemandBase, { min: 0, max: MAX_BASE, fix: `use 0 to ${MAX_BASE} tasks` });
    if (!Token.isUnresolved(spotWeight) && spotWeight === 0) {
      throw new Error(
        `\`Capacity.mixed\` \`spotWeight\` must be >= 1, got 0${onDemandBase === 0 ? ' (with `onDemandBase` 0 every weight and base would be zero)' : ''}: ` +
        'a Spot weight of 0 puts no task on Spot. Use Capacity.onDemand() for no Spot, or a spotWeight from 1 to 1000 (against the on-demand weight of 1)',
      );
    }
    wholeNumber('Capacity.mixed spotWeight', spotWeight, { min: 1, max: MAX_WEIGHT, fix: `use 1 to ${MAX_WEIGHT} (the on-demand weight is 1)` });
    return new Capacity(CapacityKind.MIXED, onDemandBase, spotWeight, false);
  }

  /** Which kind of capacity this is. */
  public readonly kind: CapacityKind;
  /** Tasks always on on-demand Fargate (0 unless mixed). */
  public readonly onDemandBase: number;
  /** Weight of Fargate Spot (0 for on-demand; the on-demand weight of a mix is 1). */
  public readonly spotWeight: number;
  /**
   * True for `Capacity.onDemandLaunchType()`: the service is written with the `FARGATE` launch
   * type instead of a capacity-provider strategy.
   */
  public readonly usesLaunchType: boolean;

  private constructor(kind: CapacityKind, onDemandBase: number, spotWeight: number, usesLaunchType: boolean) {
    this.kind = kind;
    this.onDemandBase = onDemandBase;
    this.spotWeight = spotWeight;
    this.usesLaunchType = usesLaunchType;
  }

  /** The factory that made this capacity, as a user writes it: `Capacity.spot()`. */
  public toString(): string {
    switch (this.kind) {
      case CapacityKind.SPOT: return 'Capacity.spot()';
      case CapacityKind.MIXED: return `Capacity.mixed({ onDemandBase: ${literal(this.onDemandBase)}, spotWeight: ${literal(this.spotWeight)} })`;
      default: return this.usesLaunchType ? 'Capacity.onDemandLaunchType()' : 'Capacity.onDemand()';
    }
  }

  /** Whether some tasks may run on Fargate Spot. */
  public get usesSpot(): boolean {
    return this.kind !== CapacityKind.ON_DEMAND;
  }

  /**
   * The service's capacity-provider strategy: `FARGATE` (base 0, weight 1) for on-demand;
   * empty for `Capacity.onDemandLaunchType()` (the `FARGATE` launch type).
   */
  public capacityProviderStrategies(): ecs.CapacityProviderStrategy[] {
    switch (this.kind) {
      case CapacityKind.SPOT:
        return [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }];
      case CapacityKind.MIXED:
        return [
          { capacityProvider: 'FARGATE', base: this.onDemandBase, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', base: 0, weight: this.spotWeight },
        ];
      default:
        return this.usesLaunchType ? [] : [{ capacityProvider: 'FARGATE', base: 0, weight: 1 }];
    }
  }
}

/** A number as written, or `<token>` for a value only known at deploy time. */
function literal(n: number): string {
  return Token.isUnresolved(n) ? '<token>' : String(n);
}
