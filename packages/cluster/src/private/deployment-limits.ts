import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { show } from '@portcullis/network/lib/private/validate';

/**
 * ECS's limits of the native deployment strategies:
 * - canary percent: multiples of 0.1 from 0.1 to 100.0
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html
 * - linear step percent: multiples of 0.1 from 3.0 to 100.0
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html
 * - step bake time and bake time: whole minutes from 0 to 1440 (24 hours)
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
 * - CloudFormation rejects a canary or linear deployment whose computed duration exceeds
 *   33 hours: BakeTimeInMinutes + CanaryBakeTimeInMinutes, or BakeTimeInMinutes +
 *   StepBakeTimeInMinutes × steps (steps = 100 / StepPercent - 1 when it divides evenly,
 *   else floor(100 / StepPercent))
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-linearconfiguration.html
 */
export const MAX_BAKE_MINUTES = 1440;
export const MAX_CLOUDFORMATION_DEPLOYMENT_MINUTES = 33 * 60;

/** `percent` of a canary (min 0.1) or linear (min 3) deployment: a multiple of 0.1 up to 100. */
export function validatePercent(factory: string, percent: number, min: number): void {
  if (Token.isUnresolved(percent)) return;
  const tenths = percent * 10;
  const ok = typeof percent === 'number' && Number.isFinite(percent) && percent >= min && percent <= 100
    && Math.abs(tenths - Math.round(tenths)) < 1e-9;
  if (!ok) {
    throw new Error(`\`deployment\`: ${factory}({ percent }) must be a multiple of 0.1 from ${min} to 100 (ECS's range), got ${show(percent)}: ` +
      `use e.g. ${factory}({ percent: ${factory.endsWith('canary') ? 5 : 20} })`);
  }
}

/** A bake time: whole minutes from 0 to 1440. */
export function validateBakeTime(factory: string, prop: 'stepBakeTime' | 'bakeTime', d: Duration): void {
  if (d.isUnresolved()) {
    // aws-cdk-lib writes it with toMinutes(), which cannot convert a token of another unit
    // (and fails naming no prop): the token must already be minutes.
    if (d.unitLabel() !== 'minutes') {
      throw new Error(`\`deployment\`: ${factory}({ ${prop} }) is a token written as Duration.${d.unitLabel()}(...), but ECS takes whole minutes and a token cannot be converted at synth ` +
        '(its value is only known at deploy time): write it as Duration.minutes(<token>), e.g. with a parameter that holds minutes');
    }
    return;
  }
  let minutes: number;
  try {
    minutes = d.toMinutes({ integral: false });
  } catch {
    minutes = NaN;
  }
  if (!Number.isFinite(minutes) || !Number.isInteger(minutes) || minutes < 0 || minutes > MAX_BAKE_MINUTES) {
    throw new Error(`\`deployment\`: ${factory}({ ${prop} }) must be a whole number of minutes from 0 to ${MAX_BAKE_MINUTES} (ECS's range, 24 hours), got ${d.toString()}: ` +
      `use e.g. Duration.minutes(${Number.isFinite(minutes) ? Math.min(MAX_BAKE_MINUTES, Math.max(0, Math.round(minutes))) : 3})`);
  }
}

/** CloudFormation's 33-hour ceiling on a canary or linear deployment's computed duration. */
export function validateTotalDuration(factory: string, strategy: ecs.DeploymentStrategy, percent: number, stepBakeTime: Duration, bakeTime: Duration): void {
  if (Token.isUnresolved(percent) || stepBakeTime.isUnresolved() || bakeTime.isUnresolved()) return;
  const step = stepBakeTime.toMinutes();
  const bake = bakeTime.toMinutes();
  let steps = 1;
  if (strategy === ecs.DeploymentStrategy.LINEAR) {
    const ratio = Math.round((100 / percent) * 1e6) / 1e6;
    steps = Number.isInteger(ratio) ? ratio - 1 : Math.floor(ratio);
  }
  const total = bake + step * steps;
  if (total > MAX_CLOUDFORMATION_DEPLOYMENT_MINUTES) {
    throw new Error(`\`deployment\`: ${factory} would take ${total} minutes (bakeTime ${bake} + stepBakeTime ${step} × ${steps} step(s)), ` +
      `more than the ${MAX_CLOUDFORMATION_DEPLOYMENT_MINUTES} minutes (33 hours) CloudFormation accepts: shorten \`stepBakeTime\` or \`bakeTime\`${strategy === ecs.DeploymentStrategy.LINEAR ? ', or raise `percent`' : ''}`);
  }
}
