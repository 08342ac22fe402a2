import { Duration } from 'aws-cdk-lib';

/**
 * A duration as a number of `unit` for an alarm threshold (CloudWatch compares the metric's
 * own unit: seconds for `TargetResponseTime`, milliseconds for `IntegrationLatency`).
 *
 * A literal duration is converted. A token duration (a `CfnParameter`, say) cannot be: its
 * value is known at deploy time only, and aws-cdk-lib would either throw an error that names
 * no prop or, once divided like a number, write a garbage threshold. It is accepted as it is
 * when already written in `unit`, and refused otherwise, naming the prop and the fix.
 */
export function thresholdIn(prop: string, d: Duration, unit: 'seconds' | 'millis'): number {
  if (!d.isUnresolved()) {
    const ms = d.toMilliseconds({ integral: false });
    return unit === 'seconds' ? ms / 1000 : ms;
  }
  if (d.unitLabel() !== unit) {
    const word = unit === 'seconds' ? 'seconds' : 'milliseconds';
    throw new Error(`\`${prop}\` must be written as Duration.${unit}(...) when its value is a token, got Duration.${d.unitLabel()}(<token>): ` +
      `the alarm threshold is in ${word}, and a token cannot be converted between units at synth; use Duration.${unit}(<the same parameter>) with the value in ${word}`);
  }
  return unit === 'seconds' ? d.toSeconds() : d.toMilliseconds();
}

/** How a threshold duration reads in an alarm description: `2 seconds`, or the prop's name for a token. */
export function describeDuration(prop: string, d: Duration): string {
  return d.isUnresolved() ? `\`${prop}\`` : d.toHumanString();
}
