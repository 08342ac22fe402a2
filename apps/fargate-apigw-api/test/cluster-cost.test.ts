import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CostEstimator } from '@portcullis/audit';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';

/**
 * What Container Insights costs on a FargateCluster, by @portcullis/audit's CostEstimator, as
 * packages/cluster/README.md publishes it (moved from packages/cluster/test/fargate-cluster.test.ts:
 * the package's tests do not depend on the audit; this app composes the cluster and the audit).
 */
test('the README of @portcullis/cluster: its Container Insights price table is the audit\'s: standard $11.27, enhanced $12.50, off $0 for one service of two 0.25 vCPU tasks', () => {
  const cost = (mode: ecs.ContainerInsights) => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network', { egress: Egress.natInstance() }), containerInsightsMode: mode });
    new ApiService(stack, 'Api', { cluster });
    const lines = CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON()).lines.filter((l) => l.item.startsWith('Container Insights'));
    return { metrics: lines.find((l) => l.unit === 'metric-month')?.quantity ?? 0, usd: lines.reduce((sum, l) => sum + l.monthlyUsd!, 0).toFixed(2) };
  };
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'cluster', 'README.md'), 'utf8');
  for (const [mode, name] of [[ecs.ContainerInsights.DISABLED, 'DISABLED'], [ecs.ContainerInsights.ENABLED, 'ENABLED'], [ecs.ContainerInsights.ENHANCED, 'ENHANCED']] as const) {
    const { metrics, usd } = cost(mode);
    expect(readme).toMatch(new RegExp(`\\| \`${name}\`[^|]*\\| ${metrics} \\| \\$${usd.replace('.', '\\.')} \\|`));
  }
});
