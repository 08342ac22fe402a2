import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { ApiMonitoring, ApiMonitoringProps } from '@portcullis/monitoring';
import { Egress, Network } from '@portcullis/network';

/**
 * "What a change replaces" of @portcullis/monitoring: for each change, synthesize a service
 * behind an ALB with its ApiMonitoring before and after, and ask UpdateSafety what an update
 * would replace or remove. packages/monitoring/README.md publishes the same table; the last
 * test checks it. (Here, not in packages/monitoring: the package's tests depend on neither an
 * ingress nor the audit; this app composes the network, cluster, ALB, monitoring and audit.)
 */
interface Case {
  readonly change: string;
  readonly props?: (stack: Stack) => Partial<ApiMonitoringProps>;
  readonly monitoring?: boolean;
  readonly egress?: Egress;
  /** Count only the monitoring's resources (the change is the network's: its README has its own table). */
  readonly monitoringOnly?: boolean;
  readonly replaces: string[];
}

function synth(c: Partial<Case> = {}): any {
  const stack = new Stack(new App(), 'Api');
  const network = new Network(stack, 'Network', { egress: c.egress ?? Egress.singleNatGateway() });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', { cluster });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service });
  if (c.monitoring ?? true) new ApiMonitoring(stack, 'Monitoring', { service, ingress, ...c.props?.(stack) });
  return Template.fromStack(stack).toJSON();
}

const CASES: Case[] = [
  { change: '`ApiMonitoring` added to a deployed API', monitoring: false, replaces: [] },
  { change: '`alarmTopic` added', props: (s) => ({ alarmTopic: new sns.Topic(s, 'Alarms') }), replaces: [] },
  { change: '`cpuUtilizationPercent` 85 → 70', props: () => ({ cpuUtilizationPercent: 70 }), replaces: [] },
  { change: '`target5xxRatePercent` 5 → 1', props: () => ({ target5xxRatePercent: 1 }), replaces: [] },
  { change: '`p99ResponseTime` 2 s → 500 ms', props: () => ({ p99ResponseTime: Duration.millis(500) }), replaces: [] },
  { change: '`loadBalancer5xxRatePercent` 5 → 1', props: () => ({ loadBalancer5xxRatePercent: 1 }), replaces: [] },
  // The dashboard is deleted; every alarm stays as it is.
  { change: '`createDashboard` true → false', props: () => ({ createDashboard: false }), replaces: ['AWS::CloudWatch::Dashboard REMOVE'] },
  // The second NAT gateway's alarms are added; the first gateway and its alarms stay.
  { change: 'network egress singleNatGateway → natGatewayPerAz', egress: Egress.natGatewayPerAz(), monitoringOnly: true, replaces: [] },
  // The NAT gateway's two alarms go; the NAT instance's status-check alarm is added.
  { change: 'network egress singleNatGateway → natInstance', egress: Egress.natInstance(), monitoringOnly: true, replaces: ['AWS::CloudWatch::Alarm REMOVE', 'AWS::CloudWatch::Alarm REMOVE'] },
];

const baseline = synth();

function rows(c: Case): string[] {
  const [before, after] = c.monitoring === false ? [synth(c), baseline] : [baseline, synth(c)];
  return UpdateSafety.compare(before, after).findings
    .filter((f) => !c.monitoringOnly || f.logicalId.startsWith('Monitoring'))
    .map((f) => `${f.resourceType} ${f.change}`).sort();
}

test.each(CASES.map((c) => [c.change, c]))('%s', (_, c) => {
  expect(rows(c)).toEqual([...c.replaces].sort());
});

test('the README of @portcullis/monitoring publishes this table', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'packages', 'monitoring', 'README.md'), 'utf8');
  for (const c of CASES) {
    const cell = c.replaces.length === 0 ? 'nothing (updated in place)' : [...c.replaces].sort().map((r) => `\`${r}\``).join(', ');
    expect(readme).toContain(`| ${c.change} | ${cell} |`);
  }
});
