import * as ecs from 'aws-cdk-lib/aws-ecs';

const MODES: string[] = Object.values(ecs.ContainerInsights);

/**
 * The Container Insights mode of a cluster from its props: `containerInsightsMode` if given,
 * else `containerInsights` (true: `ENABLED`, false: `DISABLED`), else `ENABLED` (standard, as in
 * the seed patterns). Both given and disagreeing is an error naming both.
 */
export function containerInsightsMode(className: string, enabled: boolean | undefined, mode: ecs.ContainerInsights | undefined): ecs.ContainerInsights {
  if (mode !== undefined && !MODES.includes(mode)) {
    throw new Error(`\`containerInsightsMode\` must be one of ${MODES.join(', ')} (ecs.ContainerInsights), got ${JSON.stringify(mode)}`);
  }
  if (mode !== undefined && enabled !== undefined && (mode !== ecs.ContainerInsights.DISABLED) !== enabled) {
    throw new Error(`${className}: \`containerInsights\` is ${enabled} but \`containerInsightsMode\` is ${mode}: give only \`containerInsightsMode\` `
      + '(ecs.ContainerInsights.ENABLED, ENHANCED or DISABLED)');
  }
  return mode ?? (enabled === false ? ecs.ContainerInsights.DISABLED : ecs.ContainerInsights.ENABLED);
}
