// What an update does to ECS native traffic shifting (canary, linear, blue/green).
//
// ECS owns the weights of a traffic-shifting service's production listener rule: at every
// deployment it rewrites them (the live rule usually forwards 0/100 after one), while the
// template keeps the weights it was created with (100/0). Any CloudFormation write of that
// rule (an update of any property, or a replacement) puts the template's weights back and can
// send all traffic to a target group without tasks (aws/aws-cdk#36649; ECS guide, "Amazon ECS
// blue/green deployments": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html).
// A replaced target group is empty; a replaced service means two services claim one rule.
//
// Everything is judged from the BEFORE template: the services that shift traffic there (their
// `LoadBalancers[].AdvancedConfiguration`, or a traffic-shifting `Strategy`) and the rules and
// groups they name. Loaded lazily with replacement-analysis (it uses cloudformation-diff).
import * as cfnDiff from '@aws-cdk/cloudformation-diff';
import { Change, referencesIn, ResourceChange } from './replacement-analysis';
import { isPlainObject } from './template-shape';

export const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
export const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';
export const SERVICE = 'AWS::ECS::Service';
/** The custom resource that owns a production rule and keeps ECS's live weights on every update and replacement. */
export const PRODUCTION_RULE_RESOURCE = 'Custom::PortcullisProductionListenerRule';
/** Metadata a swapped template's rule carries: its weights are the live ones ECS set, not the deployed template's. */
export const LIVE_WEIGHTS_METADATA_KEY = 'portcullis:live-weights';
const SHIFTING_STRATEGIES = ['CANARY', 'LINEAR', 'BLUE_GREEN'];

/** A traffic-shift verdict on one resource, merged into the update-safety findings. */
export interface TrafficFinding {
  readonly logicalId: string;
  readonly resourceType: string;
  /** The change (UPDATE when only the traffic-shift analysis sees it). */
  readonly change: Change;
  readonly reasons: string[];
  readonly breaking: boolean;
  readonly impact: string;
}

type Resources = Record<string, any>;

function resourcesOf(template: any): Resources {
  return isPlainObject(template) && isPlainObject(template.Resources) ? template.Resources : {};
}

function typeOf(resources: Resources, id: string): string | undefined {
  const r = Object.prototype.hasOwnProperty.call(resources, id) ? resources[id] : undefined;
  return isPlainObject(r) && typeof r.Type === 'string' ? r.Type : undefined;
}

function propsOf(resources: Resources, id: string): Record<string, any> {
  const r = Object.prototype.hasOwnProperty.call(resources, id) ? resources[id] : undefined;
  return isPlainObject(r) && isPlainObject(r.Properties) ? r.Properties : {};
}

/** Logical ids of the given types that a value references (`Ref`, `Fn::GetAtt`, `Fn::Sub`, through any intrinsic). */
function refsOfType(resources: Resources, value: any, types: string[]): string[] {
  return [...referencesIn(value)].filter((id) => types.includes(typeOf(resources, id) ?? ''));
}

/** One `LoadBalancers[]` entry of a service that shifts traffic. */
interface ShiftEntry {
  readonly index: number;
  readonly productionRules: string[];
  readonly testRules: string[];
  readonly primaryGroups: string[];
  readonly alternateGroups: string[];
}

interface ShiftService {
  readonly id: string;
  /** The strategy as written (`CANARY`...), or undefined when absent or not a literal. */
  readonly strategy?: string;
  readonly entries: ShiftEntry[];
}

function advancedEntries(resources: Resources, serviceId: string): ShiftEntry[] {
  const lbs = propsOf(resources, serviceId).LoadBalancers;
  if (!Array.isArray(lbs)) return [];
  const rules = [LISTENER_RULE, PRODUCTION_RULE_RESOURCE];
  return lbs.flatMap((lb: any, index: number) => {
    if (!isPlainObject(lb) || !isPlainObject(lb.AdvancedConfiguration)) return [];
    const adv = lb.AdvancedConfiguration;
    return [{
      index,
      productionRules: refsOfType(resources, adv.ProductionListenerRule, rules),
      testRules: refsOfType(resources, adv.TestListenerRule, rules),
      primaryGroups: refsOfType(resources, lb.TargetGroupArn, [TARGET_GROUP]),
      alternateGroups: refsOfType(resources, adv.AlternateTargetGroupArn, [TARGET_GROUP]),
    }];
  });
}

/** The services of a template that shift traffic: an AdvancedConfiguration, or a CANARY/LINEAR/BLUE_GREEN strategy. */
export function shiftingServices(template: any): ShiftService[] {
  const resources = resourcesOf(template);
  return Object.keys(resources).filter((id) => typeOf(resources, id) === SERVICE).flatMap((id) => {
    const config = propsOf(resources, id).DeploymentConfiguration;
    const raw = isPlainObject(config) ? config.Strategy : undefined;
    const strategy = typeof raw === 'string' ? raw.toUpperCase() : undefined;
    const entries = advancedEntries(resources, id);
    return entries.length > 0 || (strategy !== undefined && SHIFTING_STRATEGIES.includes(strategy)) ? [{ id, strategy, entries }] : [];
  });
}

/** The weights a rule's forward actions write, e.g. `100/0`; undefined when not literal. */
function weightsOf(props: any): string | undefined {
  const actions = props?.Actions;
  if (!Array.isArray(actions)) return undefined;
  for (const a of actions) {
    const groups = isPlainObject(a) && isPlainObject(a.ForwardConfig) ? a.ForwardConfig.TargetGroups : undefined;
    if (Array.isArray(groups) && groups.length > 0) {
      const w = groups.map((g: any) => (isPlainObject(g) ? g.Weight : undefined));
      if (w.every((x: any) => typeof x === 'number' || (typeof x === 'string' && x.trim() !== ''))) return w.join('/');
      return undefined;
    }
  }
  return undefined;
}

/** A rule's properties without the weights of its forward actions (when the before side holds live weights). */
function withoutWeights(props: any): any {
  const copy = JSON.parse(JSON.stringify(props ?? {}));
  for (const a of Array.isArray(copy.Actions) ? copy.Actions : []) {
    const groups = isPlainObject(a) && isPlainObject(a.ForwardConfig) ? a.ForwardConfig.TargetGroups : undefined;
    for (const g of Array.isArray(groups) ? groups : []) if (isPlainObject(g)) delete g.Weight;
  }
  return copy;
}

/**
 * Why CloudFormation writes a resource in place: the top-level properties whose text changes,
 * and the references whose value changes because the referenced resource is replaced.
 * Empty when it is not written.
 */
function updateReasons(before: Resources, after: Resources, id: string, changes: Map<string, ResourceChange>, ignoreWeights: boolean): string[] {
  const raw = [propsOf(before, id), propsOf(after, id)];
  const [b, a] = ignoreWeights ? raw.map(withoutWeights) : raw;
  const reasons: string[] = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (!cfnDiff.deepEqual(b[key], a[key])) reasons.push(key);
  }
  for (const key of Object.keys(a)) {
    for (const target of referencesIn(a[key])) {
      const c = changes.get(target);
      if (c && target !== id && (c.change === 'REPLACE' || c.change === 'MAY_REPLACE')) {
        reasons.push(`${key} references ${target}, which ${c.change === 'REPLACE' ? 'is replaced' : 'may be replaced'}`);
      }
    }
  }
  return reasons;
}

/**
 * The traffic-shift findings of one stack update: rules, target groups and services of the
 * BEFORE template's traffic-shifting services, judged against the replacements and removals
 * of `changes` (from replacement-analysis) and the in-place updates found here.
 */
export function trafficShiftFindings(before: any, after: any, changes: ResourceChange[]): TrafficFinding[] {
  const B = resourcesOf(before);
  const A = resourcesOf(after);
  const changed = new Map(changes.map((c) => [c.logicalId, c]));
  const out = new Map<string, TrafficFinding>();
  const add = (f: TrafficFinding) => {
    const prev = out.get(f.logicalId);
    if (!prev) {
      out.set(f.logicalId, f);
    } else {
      out.set(f.logicalId, {
        ...prev,
        breaking: prev.breaking || f.breaking,
        reasons: [...new Set([...prev.reasons, ...f.reasons])],
        impact: prev.breaking && !f.breaking ? prev.impact : !prev.breaking && f.breaking ? f.impact : `${prev.impact}; ${f.impact}`,
      });
    }
  };
  const dropped = (id: string) => changed.get(id); // REPLACE, MAY_REPLACE or REMOVE
  const afterShifting = new Map(shiftingServices(after).map((s) => [s.id, s]));

  for (const service of shiftingServices(before)) {
    const S = service.id;
    const describedStrategy = service.strategy ? ` (${service.strategy})` : '';
    const prodRules = [...new Set(service.entries.flatMap((e) => e.productionRules))];
    const altGroups = [...new Set(service.entries.flatMap((e) => e.alternateGroups))];
    const primaryGroups = [...new Set(service.entries.flatMap((e) => e.primaryGroups))];

    // the service itself replaced: two services would claim one production rule
    const own = dropped(S);
    if (own && (own.change === 'REPLACE' || own.change === 'MAY_REPLACE')) {
      add({
        logicalId: S, resourceType: SERVICE, change: own.change, reasons: own.reasons, breaking: true,
        impact: `service ${S} shifts traffic${describedStrategy}${prodRules.length ? ` on production listener rule ${prodRules.join(', ')}` : ''}: `
          + `CloudFormation ${own.change === 'MAY_REPLACE' ? 'may create' : 'creates'} the replacement service while the old one still runs, so two services would claim one production rule `
          + 'while CloudFormation replaces it, and when the old service is deleted its tasks leave whichever target group the live weights point to',
      });
    }

    // AdvancedConfiguration removed from a service that stays (canary -> rolling)
    if (A[S] !== undefined && typeOf(A, S) === SERVICE && !(own && own.change !== 'REMOVE')) {
      const keptEntries = afterShifting.get(S)?.entries.length ?? 0;
      if (keptEntries < service.entries.length) {
        const goes = [...prodRules, ...altGroups].filter((id) => dropped(id)?.change === 'REMOVE');
        const newConfig = propsOf(A, S).DeploymentConfiguration;
        const newStrategy = isPlainObject(newConfig) && typeof newConfig.Strategy === 'string' ? newConfig.Strategy : 'none written';
        add({
          logicalId: S, resourceType: SERVICE, change: 'UPDATE',
          reasons: [`LoadBalancers[${service.entries.map((e) => e.index).join(', ')}].AdvancedConfiguration removed (Strategy ${service.strategy ?? 'not a literal'} -> ${newStrategy})`],
          breaking: true,
          impact: `service ${S} stops shifting traffic while the production rule still holds the weights ECS set: if they point to the alternate target group `
            + `${altGroups.join(', ') || '(unknown)'}, the rule keeps sending traffic there while the rolling deployment moves the tasks to the primary group`
            + (goes.length ? `, and CloudFormation deletes ${goes.join(', ')} in the same update` : '')
            + '. AWS\'s documented switch to rolling keeps the load-balancer configuration and writes Strategy ROLLING '
            + '(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-bluegreen-to-rolling.html)',
        });
      }
    }

    for (const entry of service.entries) {
      const alternate = entry.alternateGroups.join(', ') || '(unknown)';
      const rulesByRole: Array<[string, string[]]> = [['production', entry.productionRules], ['test', entry.testRules]];
      for (const [role, rules] of rulesByRole) {
        for (const R of rules) {
          const type = typeOf(B, R)!;
          const what = `${role} listener rule of service ${S}`;
          const consequence = role === 'production'
            ? `if ECS moved the live tasks to the alternate target group (${alternate}), all traffic goes to a group without tasks`
            : 'test traffic of the next deployment may go to a group without tasks, and the deployment\'s test hooks judge the wrong group';
          const c = dropped(R);
          if (type === PRODUCTION_RULE_RESOURCE) {
            customRuleFinding(B, A, R, S, c, changed, add);
            continue;
          }
          if (c?.change === 'REMOVE') {
            const successor = role === 'production' ? customSuccessor(B, A, R, S) : undefined;
            if (successor) {
              add({
                logicalId: R, resourceType: type, change: 'REMOVE', reasons: c.reasons, breaking: false,
                impact: `${what} moves to ${successor} (${PRODUCTION_RULE_RESOURCE}), which adopts the live weights on create: the rule's weights stay ECS's`,
              });
            } else {
              add({
                logicalId: R, resourceType: type, change: 'REMOVE', reasons: c.reasons, breaking: true,
                impact: `${what} is deleted while ECS shifts traffic on it: the requests it matched fall to the listener's other rules or default action, and ${consequence}`,
              });
            }
            continue;
          }
          const weights = weightsOf(propsOf(A, R));
          const written = `the template's weights${weights ? ` (${weights})` : ''}`;
          if (c) {
            add({
              logicalId: R, resourceType: type, change: c.change, reasons: c.reasons, breaking: true,
              impact: `${what}: CloudFormation ${c.change === 'MAY_REPLACE' ? 'may create' : 'creates'} the new rule with ${written}, not the weights ECS set at the last deployment; ${consequence}`,
            });
            continue;
          }
          const live = isPlainObject(B[R]?.Metadata) && B[R].Metadata[LIVE_WEIGHTS_METADATA_KEY] !== undefined;
          const reasons = updateReasons(B, A, R, changed, live);
          if (reasons.length > 0) {
            add({
              logicalId: R, resourceType: type, change: 'UPDATE', reasons, breaking: true,
              impact: `${what}: CloudFormation writes ${written} back over the weights ECS set at the last deployment; ${consequence}`,
            });
          }
        }
      }
      const groupsByRole: Array<[string, string[]]> = [['primary (TargetGroupArn)', entry.primaryGroups], ['alternate (AlternateTargetGroupArn)', entry.alternateGroups]];
      for (const [role, groups] of groupsByRole) {
        for (const G of groups) {
          const c = dropped(G);
          if (!c) continue;
          add({
            logicalId: G, resourceType: TARGET_GROUP, change: c.change, reasons: c.reasons, breaking: true,
            impact: c.change === 'REMOVE'
              ? `${role} target group of service ${S} is deleted while ECS shifts traffic between it and ${[...primaryGroups, ...altGroups].filter((g) => g !== G).join(', ') || 'its other group'}: if the live weights point to it, traffic has nowhere to go`
              : `${role} target group of service ${S} ${c.change === 'MAY_REPLACE' ? 'may be' : 'is'} recreated empty: the production rule then forwards to the new group with whatever weights it has, and the share sent there finds no tasks until ECS registers them`,
          });
        }
      }
    }
  }

  // production-rule custom resources no traffic-shifting service names (e.g. the service is gone): judged on their own
  for (const id of Object.keys(B)) {
    if (typeOf(B, id) === PRODUCTION_RULE_RESOURCE && !out.has(id)) customRuleFinding(B, A, id, undefined, changed.get(id), changed, add);
  }
  return [...out.values()];
}

/** A custom resource of the after template that takes over the production rule `R` of service `S`. */
function customSuccessor(B: Resources, A: Resources, R: string, S: string): string | undefined {
  const candidates = Object.keys(A).filter((id) => typeOf(A, id) === PRODUCTION_RULE_RESOURCE);
  const named = advancedEntries(A, S).flatMap((e) => e.productionRules).find((id) => candidates.includes(id));
  if (named) return named;
  const old = propsOf(B, R);
  return candidates.find((id) => {
    const p = propsOf(A, id);
    return old.ListenerArn !== undefined && cfnDiff.deepEqual(p.ListenerArn, old.ListenerArn) && cfnDiff.deepEqual(p.Priority, old.Priority);
  });
}

/**
 * A production rule owned by the custom resource: its handler reads the live weights and keeps
 * them on every update and replacement, so a write is a note, unless its target groups move to
 * groups that are new or recreated (then the kept weights split traffic over empty groups).
 */
function customRuleFinding(B: Resources, A: Resources, id: string, S: string | undefined, c: ResourceChange | undefined,
  changed: Map<string, ResourceChange>, add: (f: TrafficFinding) => void) {
  const of = S ? ` of service ${S}` : '';
  if (c?.change === 'REMOVE') {
    if (S) {
      add({
        logicalId: id, resourceType: PRODUCTION_RULE_RESOURCE, change: 'REMOVE', reasons: c.reasons, breaking: true,
        impact: `the production rule${of} is deleted while ECS shifts traffic on it: the requests it matched fall to the listener's other rules or default action`,
      });
    }
    return;
  }
  const reasons = c ? c.reasons : updateReasons(B, A, id, changed, false);
  if (reasons.length === 0) return;
  const change: Change = c ? c.change : 'UPDATE';
  const groups = refsOfType(A, propsOf(A, id).TargetGroupArns, [TARGET_GROUP]);
  const fresh = groups.filter((g) => typeOf(B, g) !== TARGET_GROUP || changed.get(g)?.change === 'REPLACE' || changed.get(g)?.change === 'MAY_REPLACE');
  if (fresh.length > 0) {
    add({
      logicalId: id, resourceType: PRODUCTION_RULE_RESOURCE, change, reasons, breaking: true,
      impact: `the production rule${of} keeps the weights ECS set, but its TargetGroupArns move to ${fresh.join(', ')}, which ${fresh.length === 1 ? 'is' : 'are'} new or recreated: `
        + 'the kept weights then send traffic to groups without tasks until ECS registers them',
    });
    return;
  }
  add({
    logicalId: id, resourceType: PRODUCTION_RULE_RESOURCE, change, reasons, breaking: false,
    impact: `the production rule's custom resource keeps the weights ECS set (it reads the live weights and writes them back on ${change === 'UPDATE' ? 'update' : 'replacement'})`,
  });
}

/**
 * A copy of a template in the state ECS leaves after a traffic-shifting deployment: each
 * production listener rule (an `AWS::ElasticLoadBalancingV2::ListenerRule` named by a service's
 * `AdvancedConfiguration.ProductionListenerRule`) forwards weight 0 to the service's
 * `TargetGroupArn` and 100 to its `AlternateTargetGroupArn`, and carries metadata saying its
 * weights are live ones. Custom-resource rules hold no weights in the template and are left as they are.
 */
export function swapProductionWeights(template: any, subject: string): any {
  const copy = JSON.parse(JSON.stringify(template));
  const resources = resourcesOf(copy);
  const services = shiftingServices(copy).filter((s) => s.entries.some((e) => e.productionRules.length > 0));
  if (services.length === 0) {
    throw new Error(`${subject} has no ECS service whose LoadBalancers[].AdvancedConfiguration.ProductionListenerRule names a listener rule of the template: there are no weights to swap`);
  }
  for (const service of services) {
    for (const entry of service.entries) {
      for (const R of entry.productionRules) {
        if (typeOf(resources, R) !== LISTENER_RULE) continue;
        const props = propsOf(resources, R);
        let swapped = 0;
        for (const action of Array.isArray(props.Actions) ? props.Actions : []) {
          const groups = isPlainObject(action) && isPlainObject(action.ForwardConfig) ? action.ForwardConfig.TargetGroups : undefined;
          for (const g of Array.isArray(groups) ? groups : []) {
            if (!isPlainObject(g)) continue;
            const refs = [...referencesIn(g.TargetGroupArn)];
            if (refs.some((r) => entry.primaryGroups.includes(r))) {
              g.Weight = 0;
              swapped++;
            } else if (refs.some((r) => entry.alternateGroups.includes(r))) {
              g.Weight = 100;
              swapped++;
            }
          }
        }
        if (swapped < 2) {
          throw new Error(`${subject}: production listener rule ${R} of service ${service.id} has no weighted forward (Actions[].ForwardConfig.TargetGroups) `
            + `to both ${entry.primaryGroups.join(', ') || 'its TargetGroupArn'} and ${entry.alternateGroups.join(', ') || 'its AlternateTargetGroupArn'}: cannot swap its weights`);
        }
        const rule = resources[R];
        rule.Metadata = {
          ...(isPlainObject(rule.Metadata) ? rule.Metadata : {}),
          [LIVE_WEIGHTS_METADATA_KEY]: `weights as ECS leaves them after a deployment: 0 to ${entry.primaryGroups.join(', ')}, 100 to ${entry.alternateGroups.join(', ')}`,
        };
      }
    }
  }
  return copy;
}
