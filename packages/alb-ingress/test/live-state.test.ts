import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { ApiService, Capacity, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { AlbIngress } from '../src';
import { LiveState } from './live-state';

// Day 2 of a traffic-shifting service: the stack is deployed, ECS has finished one canary
// deployment (the production rules now forward 0/100: the tasks are in the alternate group),
// and then the stack is updated. Every change the issue lists must leave each production rule
// forwarding only to a target group that has the tasks; a change that cannot must fail
// `portcullis-audit diff` (UpdateSafety) naming the rule or group: those diff assertions are in
// apps/fargate-alb-api/test/alb-live-state-diff.test.ts (this package's tests do not depend on
// @portcullis/audit); here, what the simulated load balancer shows.

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

/** Deploys `before`, lets ECS shift the traffic once, then deploys `after`. */
async function dayTwo(before: Shape, after: Shape) {
  const live = new LiveState();
  const first = template(before);
  await live.deploy(first);
  expect(live.rulesWithoutTasks()).toEqual([]);
  live.ecsDeployment();
  expect(live.rulesWithoutTasks()).toEqual([]); // the swap itself is fine: the tasks moved with the traffic
  const second = template(after);
  live.elb.calls.length = 0;
  await live.deploy(second);
  return { live };
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
])('from a swapped (0/100) stack, %s: every production rule still forwards only to the group with the tasks', async (_, before, after) => {
  const { live } = await dayTwo(before, after);
  expect(live.rulesWithoutTasks()).toEqual([]);
  expect(live.elb.rules.length).toBeGreaterThan(0);
});

test('adding HTTPS writes no weights: the new rules copy the live ones (0/100) and the old rules are deleted after the update', async () => {
  const { live } = await dayTwo({}, { https: true });
  const creates = live.elb.calls.filter((c) => c.startsWith('CreateRule'));
  expect(creates).toHaveLength(1);
  expect(creates[0]).toMatch(/=0,.*=100$/);
  expect(live.elb.calls.filter((c) => c.startsWith('DeleteRule'))).toHaveLength(1);
  expect(live.elb.calls.filter((c) => c.startsWith('ModifyRule'))).toEqual([]);
});

test('changing an addService rule\'s paths modifies its conditions only, never its forward action', async () => {
  const { live } = await dayTwo({ orders: ORDERS }, { orders: { pathPatterns: ['/v2/orders/*'] } });
  expect(live.elb.calls.filter((c) => c.startsWith('ModifyRule'))).toEqual([expect.stringMatching(/\(conditions only\)$/)]);
  expect(live.elb.calls.filter((c) => c.startsWith('CreateRule') || c.startsWith('DeleteRule'))).toEqual([]);
});

test.each<[string, Shape, Shape]>([
  ['changing containerPort without targetGroupPort: both target groups are replaced (Port is create-only)', {}, { containerPort: 8080 }],
  ['changing an addService rule\'s priority: its target groups and rule carry the priority in their ids, so new ones replace them', { orders: ORDERS }, { orders: { ...ORDERS, priority: 20 } }],
  ['canary -> rolling that drops the traffic-shift resources: the listener\'s default action goes back to the first group', {}, { deployment: Deployment.rolling() }],
])('from a swapped (0/100) stack, %s: deployed, then swapped by ECS, every production rule forwards to the group with the tasks until the change (the diff fails on the change: apps/fargate-alb-api)', async (_, before, after) => {
  expect.assertions(2); // dayTwo's: no rule without tasks after the first deploy, nor after ECS's swap
  await dayTwo(before, after);
});

test('changing containerPort without targetGroupPort: the production rule follows the new, empty groups (the reason the diff fails)', async () => {
  const { live } = await dayTwo({}, { containerPort: 8080 });
  expect(live.rulesWithoutTasks()).toHaveLength(1);
});

test('upgrade from the CloudFormation ListenerRule of an earlier version, after ECS swapped it: the new rule adopts 0/100 (the diff passes: apps/fargate-alb-api)', async () => {
  const current = template({});

  // live: the old rule at 50000 forwards 0/100 (ECS swapped it); the tasks are in the alternate group
  const live = new LiveState();
  const listener = live.elb.addRule.bind(live.elb);
  const [tg, alternate] = ['IngressTargetGroup', 'IngressAlternateTargetGroup'].map((prefix) =>
    Object.keys(current.Resources).find((id) => id.startsWith(prefix) && current.Resources[id].Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')!);
  await live.deploy({ Resources: Object.fromEntries(Object.entries<any>(current.Resources).filter(([, r]) => r.Type !== 'Custom::PortcullisProductionListenerRule')) });
  const http = Object.keys(current.Resources).find((id) => current.Resources[id].Type === 'AWS::ElasticLoadBalancingV2::Listener')!;
  const legacy = listener(live.arn(http), 50000, { [live.arn(tg)]: 0, [live.arn(alternate)]: 100 });
  live.elb.groupsWithTasks.clear();
  live.elb.groupsWithTasks.add(live.arn(alternate));
  await live.deploy(current);
  await live.elb.deleteRule(legacy.ruleArn); // CloudFormation's clean-up of the removed ListenerRule
  expect(live.rulesWithoutTasks()).toEqual([]);
  expect(live.elb.rules).toHaveLength(1);
  expect(live.elb.rules[0]).toMatchObject({ priority: '49999', weights: { [live.arn(tg)]: 0, [live.arn(alternate)]: 100 } });
});
