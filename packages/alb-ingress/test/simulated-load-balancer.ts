import { LiveRule, RuleApi, RuleCondition, WeightedGroup } from '../src/private/production-rule-handler';

/** One rule of the simulated load balancer. */
export interface SimulatedRule {
  readonly ruleArn: string;
  readonly listenerArn: string;
  priority: string;
  conditions: RuleCondition[];
  weights: Record<string, number>;
}

/**
 * An Application Load Balancer's rules in memory, with the calls the production-rule handler
 * makes (and a log of them), and what ECS does to them: `ecsShift` moves the live tasks to
 * the other group and rewrites the weights, as a canary/linear/blue-green deployment ends.
 */
export class SimulatedLoadBalancer implements RuleApi {
  public readonly rules: SimulatedRule[] = [];
  public readonly calls: string[] = [];
  /** The target groups that have registered, healthy tasks. */
  public readonly groupsWithTasks = new Set<string>();
  private next = 1;

  /** A rule written by someone else (e.g. the CloudFormation ListenerRule of an older Portcullis). */
  public addRule(listenerArn: string, priority: number, weights: Record<string, number>, conditions: RuleCondition[] = []): SimulatedRule {
    const rule: SimulatedRule = { ruleArn: this.newArn(listenerArn), listenerArn, priority: String(priority), conditions, weights: { ...weights } };
    this.rules.push(rule);
    return rule;
  }

  /**
   * ECS ends a deployment of the service whose production rule is `ruleArn`: the new tasks
   * run in the group that had weight 0, which now gets all the traffic; the old group's tasks
   * are stopped.
   */
  public ecsShift(ruleArn: string): void {
    const rule = this.rule(ruleArn);
    const groups = Object.keys(rule.weights);
    const live = groups.find((g) => rule.weights[g] > 0)!;
    const idle = groups.find((g) => g !== live)!;
    rule.weights = { [live]: 0, [idle]: 100 };
    this.groupsWithTasks.delete(live);
    this.groupsWithTasks.add(idle);
  }

  /** The groups a rule sends traffic to (weight above 0). */
  public trafficOf(ruleArn: string): string[] {
    const rule = this.rule(ruleArn);
    return Object.keys(rule.weights).filter((g) => rule.weights[g] > 0);
  }

  /** The rule, which must exist. */
  public rule(ruleArn: string): SimulatedRule {
    const rule = this.rules.find((r) => r.ruleArn === ruleArn);
    if (!rule) throw new Error(`no rule ${ruleArn}`);
    return rule;
  }

  public describeRule(ruleArn: string): Promise<LiveRule | undefined> {
    this.calls.push(`DescribeRules ${ruleArn}`);
    const rule = this.rules.find((r) => r.ruleArn === ruleArn);
    return Promise.resolve(rule && toLive(rule));
  }

  public listRules(listenerArn: string): Promise<LiveRule[]> {
    this.calls.push(`DescribeRules listener ${listenerArn}`);
    return Promise.resolve(this.rules.filter((r) => r.listenerArn === listenerArn).map(toLive));
  }

  public createRule(listenerArn: string, priority: number, conditions: RuleCondition[], groups: WeightedGroup[]): Promise<string> {
    this.calls.push(`CreateRule ${listenerArn} ${priority} ${weightsText(groups)}`);
    if (this.rules.some((r) => r.listenerArn === listenerArn && r.priority === String(priority))) return Promise.reject(Object.assign(new Error('PriorityInUse'), { name: 'PriorityInUseException' }));
    const rule: SimulatedRule = { ruleArn: this.newArn(listenerArn), listenerArn, priority: String(priority), conditions, weights: toWeights(groups) };
    this.rules.push(rule);
    return Promise.resolve(rule.ruleArn);
  }

  public modifyRule(ruleArn: string, conditions: RuleCondition[], groups?: WeightedGroup[]): Promise<void> {
    this.calls.push(`ModifyRule ${ruleArn}${groups ? ` ${weightsText(groups)}` : ' (conditions only)'}`);
    const rule = this.rule(ruleArn);
    rule.conditions = conditions;
    if (groups) rule.weights = toWeights(groups);
    return Promise.resolve();
  }

  public setPriorities(priorities: Array<{ RuleArn: string; Priority: number }>): Promise<void> {
    this.calls.push(`SetRulePriorities ${priorities.map((p) => `${p.RuleArn}=${p.Priority}`).join(' ')}`);
    const moved = new Map(priorities.map((p) => [p.RuleArn, String(p.Priority)]));
    const after = this.rules.map((r) => ({ listenerArn: r.listenerArn, priority: moved.get(r.ruleArn) ?? r.priority }));
    const seen = new Set<string>();
    for (const r of after) {
      const key = `${r.listenerArn} ${r.priority}`;
      if (seen.has(key)) return Promise.reject(Object.assign(new Error(`PriorityInUse ${r.priority}`), { name: 'PriorityInUseException' }));
      seen.add(key);
    }
    for (const [arn, priority] of moved) this.rule(arn).priority = priority;
    return Promise.resolve();
  }

  /**
   * The rule that answers a request on `listenerArn` among the rules with these conditions:
   * the one with the lowest priority number, as ALB evaluates them.
   */
  public servingRule(listenerArn: string, conditions: RuleCondition[]): SimulatedRule | undefined {
    return this.rules
      .filter((r) => r.listenerArn === listenerArn && JSON.stringify(r.conditions) === JSON.stringify(conditions))
      .sort((a, b) => Number(a.priority) - Number(b.priority))[0];
  }

  public deleteRule(ruleArn: string): Promise<void> {
    this.calls.push(`DeleteRule ${ruleArn}`);
    const i = this.rules.findIndex((r) => r.ruleArn === ruleArn);
    if (i >= 0) this.rules.splice(i, 1);
    return Promise.resolve();
  }

  private newArn(listenerArn: string): string {
    return `${listenerArn.replace(':listener/', ':listener-rule/')}/rule${this.next++}`;
  }
}

function toLive(rule: SimulatedRule): LiveRule {
  return { ruleArn: rule.ruleArn, priority: rule.priority, weights: { ...rule.weights } };
}

function toWeights(groups: WeightedGroup[]): Record<string, number> {
  return Object.fromEntries(groups.map((g) => [g.TargetGroupArn, g.Weight]));
}

function weightsText(groups: WeightedGroup[]): string {
  return groups.map((g) => `${g.TargetGroupArn.split('/').slice(-2, -1)[0] ?? g.TargetGroupArn}=${g.Weight}`).join(',');
}
