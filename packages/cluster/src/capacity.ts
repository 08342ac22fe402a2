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
 * 70% cheaper, interruptible with a two-minute warning), or a mix. Spot and mixed capacity
 * are written as the service's capacity-provider strategy over the cluster's `FARGATE` and
 * `FARGATE_SPOT` providers (no launch type); on-demand keeps the service's `FARGATE` launch
 * type, as before `capacity` existed.
 *
 * Fargate Spot runs Linux tasks on X86_64 (platform 1.3.0+) and ARM64 (platform 1.4.0+):
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
 *
 * @example
 * const cluster = new FargateCluster(this, 'Cluster', { network: new Network(this, 'Network') });
 * new ApiService(this, 'Api', { cluster, capacity: Capacity.mixed({ onDemandBase: 1, spotWeight: 3 }) });
 */
export class Capacity {
  /** Every task on on-demand Fargate (the default): the `FARGATE` launch type. */
  public static onDemand(): Capacity {
    return new Capacity(CapacityKind.ON_DEMAND, 0, 0);
  }

  /**
   * Every task on Fargate Spot. A task can be stopped at any time with a two-minute
   * warning; when Spot has no capacity, tasks wait (there is no fallback to on-demand).
   */
  public static spot(): Capacity {
    return new Capacity(CapacityKind.SPOT, 0, 1);
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
    return new Capacity(CapacityKind.MIXED, onDemandBase, spotWeight);
  }

  /** Which kind of capacity this is. */
  public readonly kind: CapacityKind;
  /** Tasks always on on-demand Fargate (0 unless mixed). */
  public readonly onDemandBase: number;
  /** Weight of Fargate Spot (0 for on-demand; the on-demand weight of a mix is 1). */
  public readonly spotWeight: number;

  private constructor(kind: CapacityKind, onDemandBase: number, spotWeight: number) {
    this.kind = kind;
    this.onDemandBase = onDemandBase;
    this.spotWeight = spotWeight;
  }

  /** Whether some tasks may run on Fargate Spot. */
  public get usesSpot(): boolean {
    return this.kind !== CapacityKind.ON_DEMAND;
  }

  /**
   * The service's capacity-provider strategy; empty for on-demand (the `FARGATE` launch type).
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
        return [];
    }
  }
}
