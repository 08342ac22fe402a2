import { carryWeights, liveRule, neighbourPriority, onEvent, RuleProperties } from '../src/private/production-rule-handler';
import { SimulatedLoadBalancer } from './simulated-load-balancer';

// The handler of Custom::PortcullisProductionListenerRule against a simulated load balancer on
// which ECS has already shifted the traffic once (weights 0/100: the live tasks are in the
// alternate group). For each change that touches the rule, traffic must keep going to the
// group that has the tasks.

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
const HTTP = `${LB}:listener/app/api/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const HTTPS = `${LB}:listener/app/api/50dc6c495c0c9188/0467ef3c8400ae65`;
const BLUE = `${LB}:targetgroup/blue/73e2d6bc24d8a067`;
const GREEN = `${LB}:targetgroup/green/2453ed029918f21f`;

function props(overrides: Partial<RuleProperties> = {}): RuleProperties {
  return { ListenerArn: HTTP, Priority: '50000', PathPatterns: ['/*'], TargetGroupArns: [BLUE, GREEN], ...overrides };
}

/** A stack after its first deployment and one ECS deployment: the rule forwards 0/100, tasks in GREEN. */
async function swapped(initial: RuleProperties = props()) {
  const elb = new SimulatedLoadBalancer();
  elb.groupsWithTasks.add(BLUE);
  const created = await onEvent({ RequestType: 'Create', ResourceProperties: initial }, elb);
  expect(elb.trafficOf(created.PhysicalResourceId)).toEqual([BLUE]); // a new rule: all to the production group
  elb.ecsShift(created.PhysicalResourceId);
  expect(elb.trafficOf(created.PhysicalResourceId)).toEqual([GREEN]);
  expect([...elb.groupsWithTasks]).toEqual([GREEN]);
  elb.calls.length = 0;
  return { elb, ruleArn: created.PhysicalResourceId };
}

/** Every rule of the load balancer sends its traffic only to groups with tasks. */
function expectTrafficOnlyToTasks(elb: SimulatedLoadBalancer) {
  for (const rule of elb.rules) {
    for (const group of elb.trafficOf(rule.ruleArn)) expect(elb.groupsWithTasks).toContain(group);
  }
}

test('create: a new rule forwards 100/0 to the production and alternate groups, with its conditions and priority', async () => {
  const elb = new SimulatedLoadBalancer();
  const out = await onEvent({ RequestType: 'Create', ResourceProperties: props({ PathPatterns: ['/orders/*'], HostHeaders: ['api.example.com'], Priority: '10' }) }, elb);
  expect(out).toEqual({ PhysicalResourceId: out.PhysicalResourceId, Data: { RuleArn: out.PhysicalResourceId } });
  expect(elb.rule(out.PhysicalResourceId)).toEqual({
    ruleArn: out.PhysicalResourceId,
    listenerArn: HTTP,
    priority: '10',
    conditions: [
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*'] } },
      { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
    ],
    weights: { [BLUE]: 100, [GREEN]: 0 },
  });
});

test('adding HTTPS (a new listener): a new rule on it with the live weights 0/100; the old rule goes when CloudFormation deletes it', async () => {
  const { elb, ruleArn } = await swapped();
  const out = await onEvent({ RequestType: 'Update', PhysicalResourceId: ruleArn, OldResourceProperties: props(), ResourceProperties: props({ ListenerArn: HTTPS }) }, elb);
  expect(out.PhysicalResourceId).not.toEqual(ruleArn); // new physical id: CloudFormation deletes the old rule after the update
  expect(elb.rule(out.PhysicalResourceId).listenerArn).toEqual(HTTPS);
  expect(elb.rule(out.PhysicalResourceId).weights).toEqual({ [BLUE]: 0, [GREEN]: 100 });
  expectTrafficOnlyToTasks(elb);
  await onEvent({ RequestType: 'Delete', PhysicalResourceId: ruleArn, ResourceProperties: props() }, elb);
  expect(elb.rules.map((r) => r.ruleArn)).toEqual([out.PhysicalResourceId]);
  expectTrafficOnlyToTasks(elb);
});

test('changing the paths or host headers of an addService rule changes only its conditions: the forward action (ECS\'s weights) is not written', async () => {
  const { elb, ruleArn } = await swapped(props({ Priority: '10', PathPatterns: ['/orders/*'] }));
  const out = await onEvent({
    RequestType: 'Update', PhysicalResourceId: ruleArn,
    OldResourceProperties: props({ Priority: '10', PathPatterns: ['/orders/*'] }),
    ResourceProperties: props({ Priority: '10', PathPatterns: ['/orders', '/orders/*'], HostHeaders: ['api.example.com'] }),
  }, elb);
  expect(out.PhysicalResourceId).toEqual(ruleArn);
  expect(elb.calls).toEqual([`DescribeRules ${ruleArn}`, `ModifyRule ${ruleArn} (conditions only)`]);
  expect(elb.rule(ruleArn).conditions).toHaveLength(2);
  expectTrafficOnlyToTasks(elb);
});

test('changing the priority moves the rule (SetRulePriorities) without writing its action', async () => {
  const { elb, ruleArn } = await swapped(props({ Priority: '10', PathPatterns: ['/orders/*'] }));
  await onEvent({
    RequestType: 'Update', PhysicalResourceId: ruleArn,
    OldResourceProperties: props({ Priority: '10', PathPatterns: ['/orders/*'] }),
    ResourceProperties: props({ Priority: '20', PathPatterns: ['/orders/*'] }),
  }, elb);
  expect(elb.calls).toEqual([`DescribeRules ${ruleArn}`, `DescribeRules listener ${HTTP}`, `SetRulePriorities ${ruleArn} 20`]);
  expect(elb.rule(ruleArn).priority).toEqual('20');
  expectTrafficOnlyToTasks(elb);
});

test('a priority another rule holds is refused with a message naming it (CloudFormation rolls the update back; nothing was written)', async () => {
  const { elb, ruleArn } = await swapped(props({ Priority: '10', PathPatterns: ['/orders/*'] }));
  const other = elb.addRule(HTTP, 20, { [`${LB}:targetgroup/other/1`]: 1 });
  await expect(onEvent({
    RequestType: 'Update', PhysicalResourceId: ruleArn,
    OldResourceProperties: props({ Priority: '10', PathPatterns: ['/orders/*'] }),
    ResourceProperties: props({ Priority: '20', PathPatterns: ['/orders/*'] }),
  }, elb)).rejects.toThrow(`Priority 20 of listener ${HTTP} is used by another rule (${other.ruleArn}): give the service a free priority`);
  expect(elb.rule(ruleArn).priority).toEqual('10');
});

test('new target groups (replaced) inherit the weights of the groups they replace, by role', () => {
  const live = { [BLUE]: 0, [GREEN]: 100 };
  expect(carryWeights(live, [BLUE, GREEN], ['blue2', 'green2'])).toEqual([{ TargetGroupArn: 'blue2', Weight: 0 }, { TargetGroupArn: 'green2', Weight: 100 }]);
  expect(carryWeights(live, [BLUE, GREEN], [BLUE, GREEN])).toEqual([{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }]);
  // by ARN first: the same groups in the other order keep their own weights
  expect(carryWeights(live, [BLUE, GREEN], [GREEN, BLUE])).toEqual([{ TargetGroupArn: GREEN, Weight: 100 }, { TargetGroupArn: BLUE, Weight: 0 }]);
  // nothing live: a new rule's 100/0
  expect(carryWeights({}, [], ['a', 'b'])).toEqual([{ TargetGroupArn: 'a', Weight: 100 }, { TargetGroupArn: 'b', Weight: 0 }]);
});

test('upgrade from the CloudFormation ListenerRule of an older Portcullis: the new rule adopts its live weights next to it, and traffic never moves', async () => {
  const elb = new SimulatedLoadBalancer();
  elb.groupsWithTasks.add(GREEN);
  elb.groupsWithTasks.add(`${LB}:targetgroup/other/1`);
  elb.addRule(HTTP, 10, { [`${LB}:targetgroup/other/1`]: 1 }, []); // another service's rule
  const legacy = elb.addRule(HTTP, 50000, { [BLUE]: 0, [GREEN]: 100 }, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]);
  const out = await onEvent({ RequestType: 'Create', ResourceProperties: props() }, elb);
  const adopted = elb.rule(out.PhysicalResourceId);
  expect(adopted.priority).toEqual('49999'); // the old rule still holds 50000 until CloudFormation deletes it
  expect(adopted.weights).toEqual({ [BLUE]: 0, [GREEN]: 100 });
  expectTrafficOnlyToTasks(elb);
  await elb.deleteRule(legacy.ruleArn); // CloudFormation's clean-up of the removed ListenerRule
  expectTrafficOnlyToTasks(elb);
  // the next update of the resource moves it back to its own priority
  await onEvent({ RequestType: 'Update', PhysicalResourceId: out.PhysicalResourceId, OldResourceProperties: props(), ResourceProperties: props({ PathPatterns: ['/*', '/'] }) }, elb);
  expect(adopted.priority).toEqual('50000');
  expect(adopted.weights).toEqual({ [BLUE]: 0, [GREEN]: 100 });
});

test('the neighbour priority is the nearest free one with no rule in between, else a clear error', () => {
  const rule = (priority: number) => ({ ruleArn: `r${priority}`, priority: String(priority), weights: {} });
  expect(neighbourPriority([rule(50000)], 50000)).toEqual(49999);
  expect(neighbourPriority([rule(10), rule(9)], 10)).toEqual(11);
  expect(() => neighbourPriority([rule(10), rule(9), rule(11)], 10)).toThrow('Priorities 9 and 11 next to 10 are both in use on the listener');
});

test('a priority held by an unrelated rule fails the create with its ARN', async () => {
  const elb = new SimulatedLoadBalancer();
  const other = elb.addRule(HTTP, 50000, { [`${LB}:targetgroup/other/1`]: 1 });
  await expect(onEvent({ RequestType: 'Create', ResourceProperties: props() }, elb)).rejects.toThrow(`Priority 50000 of listener ${HTTP} is used by another rule (${other.ruleArn})`);
});

test('a rule deleted outside CloudFormation is made again on the next update; delete tolerates a rule already gone or a failed create', async () => {
  const { elb, ruleArn } = await swapped();
  await elb.deleteRule(ruleArn);
  const out = await onEvent({ RequestType: 'Update', PhysicalResourceId: ruleArn, OldResourceProperties: props(), ResourceProperties: props({ Priority: '49000' }) }, elb);
  expect(elb.rule(out.PhysicalResourceId).priority).toEqual('49000');
  await expect(onEvent({ RequestType: 'Delete', PhysicalResourceId: ruleArn, ResourceProperties: props() }, elb)).resolves.toEqual({ PhysicalResourceId: ruleArn, Data: { RuleArn: ruleArn } });
  const calls = elb.calls.length;
  await onEvent({ RequestType: 'Delete', PhysicalResourceId: 'resource-failed-to-create', ResourceProperties: props() }, elb);
  expect(elb.calls).toHaveLength(calls); // no ELB call for a physical id that is not a rule
});

test('a priority that is not a whole number from 1 to 50000 is refused by name', async () => {
  await expect(onEvent({ RequestType: 'Create', ResourceProperties: props({ Priority: '0' }) }, new SimulatedLoadBalancer()))
    .rejects.toThrow("Priority must be a whole number from 1 to 50000, got '0'");
});

test('the API\'s rules are read as weights: a weighted forward, a plain forward (weight 1), and other actions ignored', () => {
  expect(liveRule({
    RuleArn: 'r', Priority: '1',
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }] } }],
  })).toEqual({ ruleArn: 'r', priority: '1', weights: { [BLUE]: 0, [GREEN]: 100 } });
  expect(liveRule({ RuleArn: 'r', Priority: '2', Actions: [{ Type: 'forward', TargetGroupArn: BLUE }] }).weights).toEqual({ [BLUE]: 1 });
  expect(liveRule({ RuleArn: 'r', Priority: 'default', Actions: [{ Type: 'redirect' }] }).weights).toEqual({});
});

test('a service that rolled until now switches to canary: its plain rule (production group only) is adopted, all traffic stays on the production group', async () => {
  const elb = new SimulatedLoadBalancer();
  elb.groupsWithTasks.add(BLUE);
  const plain = elb.addRule(HTTP, 10, { [BLUE]: 1 }, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*'] } }]);
  const out = await onEvent({ RequestType: 'Create', ResourceProperties: props({ Priority: '10', PathPatterns: ['/orders/*'] }) }, elb);
  expect(elb.rule(out.PhysicalResourceId)).toEqual(expect.objectContaining({ priority: '9', weights: { [BLUE]: 1, [GREEN]: 0 } }));
  await elb.deleteRule(plain.ruleArn); // CloudFormation's clean-up
  expectTrafficOnlyToTasks(elb);
});
