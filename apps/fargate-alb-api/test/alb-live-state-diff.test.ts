import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { AlbIngress } from '@portcullis/alb-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, Capacity, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';

// Day 2 of a traffic-shifting service, as `portcullis-audit diff` (UpdateSafety) sees it: the
// diff assertions of packages/alb-ingress/test/live-state.test.ts, moved here with the same
// stacks (the package's tests do not depend on @portcullis/audit, whose change would otherwise
// affect every package). The package keeps what the simulated load balancer shows of the same
// changes (every production rule still forwards only to the group with the tasks, or not).

interface Shape {
  readonly deployment?: Deployment;
  readonly https?: boolean;
  readonly containerPort?: number;
  readonly targetGroupPort?: number;
  readonly capacity?: Capacity;
  /** An addService service (canary) with these paths and host headers. */
  readonly orders?: { readonly pathPatterns?: string[]; readonly hostHeaders?: string[]; readonly priority?: number };
}

function template(shape: Shape): any {
  const stack = new Stack(new App(), 'Api', { env: { account: '123456789012', region: 'us-east-1' } });
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Service', {
    cluster, deployment: shape.deployment ?? Deployment.canary(), containerPort: shape.containerPort, capacity: shape.capacity,
  });
  const certificate = shape.https ? acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc') : undefined;
  const ingress = new AlbIngress(stack, 'Ingress', { network, service, certificate, targetGroupPort: shape.targetGroupPort });
  if (shape.orders) {
    const orders = new ApiService(stack, 'Orders', { cluster, deployment: Deployment.canary() });
    ingress.addService(orders, { priority: shape.orders.priority ?? 10, pathPatterns: shape.orders.pathPatterns, hostHeaders: shape.orders.hostHeaders });
  }
  return Template.fromStack(stack).toJSON();
}

const ORDERS = { pathPatterns: ['/orders/*'] };

test.each<[string, Shape, Shape]>([
  ['adding HTTPS (the production rules move to the new 443 listener with their live weights)', { orders: ORDERS }, { orders: ORDERS, https: true }],
  ['changing containerPort with targetGroupPort kept at the old port (the target groups stay)', { orders: ORDERS }, { orders: ORDERS, containerPort: 8080, targetGroupPort: 80 }],
  ['switching capacity on-demand -> Spot', { orders: ORDERS }, { orders: ORDERS, capacity: Capacity.spot() }],
  ['switching capacity Spot -> on-demand', { orders: ORDERS, capacity: Capacity.spot() }, { orders: ORDERS, capacity: Capacity.onDemand() }],
  ['changing an addService rule\'s paths and host headers', { orders: ORDERS }, { orders: { pathPatterns: ['/orders', '/orders/*'], hostHeaders: ['api.example.com'] } }],
  ['canary -> rolling that keeps the traffic-shift resources', { orders: ORDERS }, { orders: ORDERS, deployment: Deployment.rolling({ keepTrafficShiftResources: true }) }],
  ['rolling (kept resources) -> blue/green', { orders: ORDERS, deployment: Deployment.rolling({ keepTrafficShiftResources: true }) }, { orders: ORDERS, deployment: Deployment.blueGreen() }],
  ['canary -> linear', { orders: ORDERS }, { orders: ORDERS, deployment: Deployment.linear() }],
])('from a swapped (0/100) stack, %s: the diff passes', (_, before, after) => {
  const report = UpdateSafety.compare(template(before), template(after));
  expect(report.breaking.map((f) => `${f.logicalId} ${f.change}: ${f.reasons.join('; ')}`)).toEqual([]);
});

test.each<[string, Shape, Shape, Array<[string, string]>]>([
  ['changing containerPort without targetGroupPort: both target groups are replaced (Port is create-only)',
    {}, { containerPort: 8080 },
    [['AWS::ElasticLoadBalancingV2::TargetGroup', 'REPLACE'], ['AWS::ElasticLoadBalancingV2::TargetGroup', 'REPLACE'], ['Custom::PortcullisProductionListenerRule', 'UPDATE']]],
  ['changing an addService rule\'s priority: its target groups and rule carry the priority in their ids, so new ones replace them',
    { orders: ORDERS }, { orders: { ...ORDERS, priority: 20 } },
    [['AWS::ElasticLoadBalancingV2::TargetGroup', 'REMOVE'], ['AWS::ElasticLoadBalancingV2::TargetGroup', 'REMOVE'], ['Custom::PortcullisProductionListenerRule', 'REMOVE']]],
  ['canary -> rolling that drops the traffic-shift resources: the listener\'s default action goes back to the first group',
    {}, { deployment: Deployment.rolling() },
    [['AWS::ECS::Service', 'UPDATE'], ['AWS::ElasticLoadBalancingV2::TargetGroup', 'REMOVE'], ['Custom::PortcullisProductionListenerRule', 'REMOVE']]],
])('from a swapped (0/100) stack, %s: the diff fails on what carries the live traffic', (_, before, after, expected) => {
  const report = UpdateSafety.compare(template(before), template(after));
  const breaking = report.breaking
    .filter((f) => !['AWS::CloudWatch::Alarm', 'AWS::IAM::Role', 'AWS::Lambda::Function'].includes(f.resourceType))
    .map((f) => [f.resourceType, f.change]);
  expect(breaking.sort()).toEqual([...expected].sort());
});

/**
 * The template an earlier Portcullis wrote for the same stack: each production rule an
 * AWS::ElasticLoadBalancingV2::ListenerRule (id `<name>Rule`) forwarding 100/0.
 */
function legacyTemplate(current: any): any {
  const old = JSON.parse(JSON.stringify(current));
  for (const [id, resource] of Object.entries<any>(current.Resources)) {
    if (resource.Type !== 'Custom::PortcullisProductionListenerRule') continue;
    const p = resource.Properties;
    const legacyId = id.replace(/ProductionRule([0-9A-F]{8})$/, 'Rule$1').replace(/TestListenerRule([0-9A-F]{8})$/, 'TestRule$1');
    delete old.Resources[id];
    old.Resources[legacyId] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: p.ListenerArn, Priority: p.Priority,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: p.PathPatterns } }],
        Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: p.TargetGroupArns[0], Weight: 100 }, { TargetGroupArn: p.TargetGroupArns[1], Weight: 0 }] } }],
      },
    };
    const text = JSON.stringify(old).split(`{"Ref":"${id}"}`).join(`{"Ref":"${legacyId}"}`);
    Object.assign(old, JSON.parse(text));
  }
  for (const type of ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::Logs::LogGroup']) {
    for (const [id, r] of Object.entries<any>(old.Resources)) if (r.Type === type && /Production|CustomPortcullis/.test(id)) delete old.Resources[id];
  }
  return old;
}

test('upgrade from the CloudFormation ListenerRule of an earlier version: the diff passes (the old rule\'s removal breaks no client)', () => {
  const current = template({});
  const old = legacyTemplate(current);
  expect(Object.values<any>(old.Resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')).toHaveLength(1);
  const report = UpdateSafety.compare(old, current);
  const rule = report.findings.find((f) => f.resourceType === 'AWS::ElasticLoadBalancingV2::ListenerRule')!;
  expect(rule).toMatchObject({ change: 'REMOVE', breaksClients: false });
  expect(report.breaking).toEqual([]);
});
