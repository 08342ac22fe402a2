import { carryWeights, ElbModule, liveRule, neighbourPriority, onEvent, RuleProperties, sdkApi } from '../src/private/production-rule-handler';
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
  expect(elb.calls).toEqual([`DescribeRules ${ruleArn}`, `DescribeRules listener ${HTTP}`, `SetRulePriorities ${ruleArn}=20`]);
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

test('upgrade from the CloudFormation ListenerRule of an older Portcullis: the new rule adopts its live weights just below it (evaluated first), and traffic never moves', async () => {
  const elb = new SimulatedLoadBalancer();
  elb.groupsWithTasks.add(GREEN);
  elb.groupsWithTasks.add(`${LB}:targetgroup/other/1`);
  elb.addRule(HTTP, 10, { [`${LB}:targetgroup/other/1`]: 1 }, []); // another service's rule
  const catchAll = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }];
  const legacy = elb.addRule(HTTP, 50000, { [BLUE]: 0, [GREEN]: 100 }, catchAll);
  const out = await onEvent({ RequestType: 'Create', ResourceProperties: props() }, elb);
  const adopted = elb.rule(out.PhysicalResourceId);
  expect(elb.calls.filter((c) => !c.startsWith('DescribeRules'))).toEqual([`CreateRule ${HTTP} 49999 blue=0,green=100`]);
  expect(adopted).toEqual(expect.objectContaining({ priority: '49999', weights: { [BLUE]: 0, [GREEN]: 100 } }));
  // the rule ALB evaluates first for these requests is the new one (ECS shifts its weights from now on)
  expect(elb.servingRule(HTTP, catchAll)!.ruleArn).toEqual(out.PhysicalResourceId);
  expectTrafficOnlyToTasks(elb);
  await elb.deleteRule(legacy.ruleArn); // CloudFormation's clean-up of the removed ListenerRule
  expectTrafficOnlyToTasks(elb);
  // the next update of the resource moves it back to its own priority
  await onEvent({ RequestType: 'Update', PhysicalResourceId: out.PhysicalResourceId, OldResourceProperties: props(), ResourceProperties: props({ PathPatterns: ['/*', '/'] }) }, elb);
  expect(adopted.priority).toEqual('50000');
  expect(adopted.weights).toEqual({ [BLUE]: 0, [GREEN]: 100 });
});

test('upgrade when the priority below is taken: the new rule is created above, then one SetRulePriorities swap puts it first', async () => {
  const elb = new SimulatedLoadBalancer();
  elb.groupsWithTasks.add(GREEN);
  const conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders/*'] } }];
  elb.addRule(HTTP, 9, { [`${LB}:targetgroup/other/1`]: 1 }, []);
  const legacy = elb.addRule(HTTP, 10, { [BLUE]: 0, [GREEN]: 100 }, conditions);
  const out = await onEvent({ RequestType: 'Create', ResourceProperties: props({ Priority: '10', PathPatterns: ['/orders/*'] }) }, elb);
  expect(elb.rule(out.PhysicalResourceId).priority).toEqual('10');
  expect(elb.rule(legacy.ruleArn).priority).toEqual('11');
  expect(elb.servingRule(HTTP, conditions)!.ruleArn).toEqual(out.PhysicalResourceId);
});

test('a failed update that moved the rule to a new listener rolls back: the old rule is taken back with the weights of now, no priority clash', async () => {
  const { elb, ruleArn } = await swapped();
  // the update: HTTPS added, the rule moves to 443 (the old one stays until clean-up)
  const moved = await onEvent({ RequestType: 'Update', PhysicalResourceId: ruleArn, OldResourceProperties: props(), ResourceProperties: props({ ListenerArn: HTTPS }) }, elb);
  elb.ecsShift(moved.PhysicalResourceId); // ECS deployed meanwhile: the traffic went back to BLUE
  // another resource fails; CloudFormation rolls back: the reverse update, then deletes the 443 rule
  const back = await onEvent({ RequestType: 'Update', PhysicalResourceId: moved.PhysicalResourceId, OldResourceProperties: props({ ListenerArn: HTTPS }), ResourceProperties: props() }, elb);
  expect(back.PhysicalResourceId).toEqual(ruleArn);
  expect(elb.rule(ruleArn).weights).toEqual({ [BLUE]: 100, [GREEN]: 0 }); // the weights of now, not of before the update
  await onEvent({ RequestType: 'Delete', PhysicalResourceId: moved.PhysicalResourceId, ResourceProperties: props({ ListenerArn: HTTPS }) }, elb);
  expect(elb.rules.map((r) => r.ruleArn)).toEqual([ruleArn]);
  expectTrafficOnlyToTasks(elb);
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
  expect(elb.servingRule(HTTP, plain.conditions)!.ruleArn).toEqual(out.PhysicalResourceId);
  await elb.deleteRule(plain.ruleArn); // CloudFormation's clean-up
  expectTrafficOnlyToTasks(elb);
});

describe('the AWS SDK calls (a stand-in for @aws-sdk/client-elastic-load-balancing-v2)', () => {
  function fakeSdk(answers: Record<string, (input: any) => any>) {
    const sent: Array<[string, any]> = [];
    const command = (name: string) => class { constructor(public readonly input: any) { sent.push([name, input]); } };
    const sdk: ElbModule = {
      ElasticLoadBalancingV2Client: class {
        public send(cmd: any) {
          const name = sent.find(([, input]) => input === cmd.input)![0];
          try {
            return Promise.resolve(answers[name]?.(cmd.input) ?? {});
          } catch (e) {
            return Promise.reject(e instanceof Error ? e : new Error(String(e)));
          }
        }
      },
      DescribeRulesCommand: command('DescribeRules'),
      CreateRuleCommand: command('CreateRule'),
      ModifyRuleCommand: command('ModifyRule'),
      SetRulePrioritiesCommand: command('SetRulePriorities'),
      DeleteRuleCommand: command('DeleteRule'),
    };
    return { sdk, sent };
  }
  const notFound = () => { throw Object.assign(new Error('not found'), { name: 'RuleNotFoundException' }); };

  test('ModifyRule without groups sends no Actions key (ELB keeps the forward action and its weights)', async () => {
    const { sdk, sent } = fakeSdk({});
    await sdkApi(sdk).modifyRule('r1', [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a'] } }]);
    expect(sent).toEqual([['ModifyRule', { RuleArn: 'r1', Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a'] } }] }]]);
    await sdkApi(sdk).modifyRule('r1', [], [{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }]);
    expect(sent[1][1].Actions).toEqual([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 0 }, { TargetGroupArn: GREEN, Weight: 100 }] } }]);
  });

  test('DescribeRules of a listener follows NextMarker; a rule not found is undefined; DeleteRule of a rule gone is fine; other errors fail', async () => {
    let page = 0;
    const { sdk, sent } = fakeSdk({
      DescribeRules: (input) => (input.RuleArns ? notFound() : page++ === 0
        ? { Rules: [{ RuleArn: 'a', Priority: '1', Actions: [] }], NextMarker: 'm' }
        : { Rules: [{ RuleArn: 'b', Priority: '2', Actions: [] }] }),
      DeleteRule: notFound,
      SetRulePriorities: () => { throw Object.assign(new Error('denied'), { name: 'AccessDenied' }); },
      CreateRule: () => ({ Rules: [{ RuleArn: 'new' }] }),
    });
    const api = sdkApi(sdk);
    expect((await api.listRules(HTTP)).map((r) => r.ruleArn)).toEqual(['a', 'b']);
    expect(sent.filter(([n]) => n === 'DescribeRules').map(([, i]) => i.Marker)).toEqual([undefined, 'm']);
    await expect(api.describeRule('x')).resolves.toBeUndefined();
    await expect(api.deleteRule('x')).resolves.toBeUndefined();
    await expect(api.setPriorities([{ RuleArn: 'a', Priority: 3 }])).rejects.toThrow('denied');
    await expect(api.createRule(HTTP, 5, [], [{ TargetGroupArn: BLUE, Weight: 100 }])).resolves.toEqual('new');
    expect(sent.find(([n]) => n === 'CreateRule')![1]).toEqual({ ListenerArn: HTTP, Priority: 5, Conditions: [], Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 100 }] } }] });
  });
});

