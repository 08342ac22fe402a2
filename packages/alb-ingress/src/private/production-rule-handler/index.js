"use strict";
// Plain CommonJS (no build step): this folder is the Lambda's code as it is, in src/ for the
// tests and copied to lib/ by the compile task. Its types are in index.d.ts beside it.
/**
 * The Lambda handler of `Custom::PortcullisProductionListenerRule`: it owns an Application Load
 * Balancer listener rule that forwards to a service's two target groups, whose weights belong
 * to ECS (native canary, linear and blue/green deployments rewrite them at every deployment).
 *
 * CloudFormation never writes those weights after the rule exists:
 * - Create: a new rule forwards 100/0 (production group / alternate group). If the listener
 *   already has the rule this one replaces (the CloudFormation-owned rule of Portcullis
 *   before this resource: at the same priority forwarding only to these groups, or anywhere
 *   forwarding to exactly both), its live weights are adopted and the new rule takes the
 *   neighbouring free priority until CloudFormation has deleted the old one.
 * - Update: the live rule is read (`DescribeRules`) first. Conditions and priority are changed
 *   in place without touching the forward action; a new listener (HTTPS added or removed) gets
 *   a new rule with the live weights (CloudFormation then deletes the old one); new target
 *   groups inherit the weights of the groups they replace, by role.
 * - Delete: the rule is deleted (a rule already gone is fine).
 *
 * Runs in Lambda's Node.js runtime, which ships the AWS SDK for JavaScript v3; this file
 * imports nothing else. The decisions are in `onEvent`, which takes the ELB calls as an
 * argument so that tests can run it against a simulated load balancer.
 * ELB API: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyRule.html
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.onEvent = onEvent;
exports.carryWeights = carryWeights;
exports.conditionsOf = conditionsOf;
exports.neighbourPriority = neighbourPriority;
exports.liveRule = liveRule;
exports.handler = handler;
exports.sdkApi = sdkApi;
/** Decides and makes the ELB calls for one event. */
async function onEvent(event, api) {
    const props = event.ResourceProperties;
    switch (event.RequestType) {
        case 'Create':
            return response(await create(props, api));
        case 'Update':
            return response(await update(event.PhysicalResourceId, event.OldResourceProperties, props, api));
        case 'Delete':
            // A failed create reports a physical id that is not a rule ARN: nothing to delete then.
            if (event.PhysicalResourceId?.includes(':listener-rule/'))
                await api.deleteRule(event.PhysicalResourceId);
            return response(event.PhysicalResourceId ?? 'none');
        default:
            throw new Error(`Unknown request type ${String(event.RequestType)}`);
    }
}
/** The weights of `groups` carried over from the live rule: by ARN, else by role (the group a new one replaces). */
function carryWeights(live, oldGroups, newGroups) {
    return newGroups.map((arn, i) => ({
        TargetGroupArn: arn,
        Weight: live[arn] ?? live[oldGroups[i]] ?? (i === 0 ? 100 : 0),
    }));
}
/** The conditions of a rule, in the ELB API's shape. */
function conditionsOf(props) {
    const conditions = [];
    if (props.PathPatterns?.length)
        conditions.push({ Field: 'path-pattern', PathPatternConfig: { Values: props.PathPatterns } });
    if (props.HostHeaders?.length)
        conditions.push({ Field: 'host-header', HostHeaderConfig: { Values: props.HostHeaders } });
    return conditions;
}
async function create(props, api) {
    const rules = await api.listRules(props.ListenerArn);
    const desired = priorityOf(props);
    const legacy = rules.find((rule) => rule.priority === String(desired) && forwardsWithin(rule, props.TargetGroupArns))
        ?? rules.find((rule) => forwardsToExactly(rule, props.TargetGroupArns));
    const groups = legacy
        ? carryWeights(legacy.weights, props.TargetGroupArns, props.TargetGroupArns)
        : carryWeights({}, props.TargetGroupArns, props.TargetGroupArns);
    const holder = rules.find((rule) => rule.priority === String(desired));
    if (!holder)
        return api.createRule(props.ListenerArn, desired, conditionsOf(props), groups);
    if (!legacy || holder.ruleArn !== legacy.ruleArn)
        throw priorityInUse(desired, props.ListenerArn, holder);
    // The rule being replaced holds the priority until CloudFormation deletes it at the end of
    // the update: create the new one at a free neighbouring priority (no rule in between). ALB
    // evaluates lower numbers first, and the new rule must be the one that answers from now on
    // (ECS shifts its weights): below the old one it already is (it moves to its own priority at
    // the next update of this resource); above, the two swap in one SetRulePriorities call.
    const neighbour = neighbourPriority(rules, desired);
    const ruleArn = await api.createRule(props.ListenerArn, neighbour, conditionsOf(props), groups);
    if (neighbour > desired)
        await api.setPriorities([{ RuleArn: ruleArn, Priority: desired }, { RuleArn: holder.ruleArn, Priority: neighbour }]);
    return ruleArn;
}
async function update(ruleArn, old, next, api) {
    const live = await api.describeRule(ruleArn);
    if (!live)
        return create(next, api); // deleted outside CloudFormation: make it again
    const desired = priorityOf(next);
    const groups = carryWeights(live.weights, old.TargetGroupArns, next.TargetGroupArns);
    if (next.ListenerArn !== old.ListenerArn) {
        // A rule cannot move to another listener: a new one with the live weights; the physical id
        // changes, so CloudFormation deletes the old rule once the update has succeeded.
        const holder = (await api.listRules(next.ListenerArn)).find((rule) => rule.priority === String(desired));
        if (!holder)
            return api.createRule(next.ListenerArn, desired, conditionsOf(next), groups);
        // The rule of this resource that is still on that listener (CloudFormation rolling back a
        // move: it deletes the rule of the failed update afterwards): take it back, with the
        // weights the traffic has now.
        if (!forwardsToExactly(holder, next.TargetGroupArns))
            throw priorityInUse(desired, next.ListenerArn, holder);
        await api.modifyRule(holder.ruleArn, conditionsOf(next), groups);
        return holder.ruleArn;
    }
    const groupsChanged = !sameList(old.TargetGroupArns, next.TargetGroupArns);
    const conditionsChanged = JSON.stringify(conditionsOf(old)) !== JSON.stringify(conditionsOf(next));
    if (groupsChanged || conditionsChanged)
        await api.modifyRule(ruleArn, conditionsOf(next), groupsChanged ? groups : undefined);
    if (live.priority !== String(desired)) {
        const holder = (await api.listRules(next.ListenerArn)).find((rule) => rule.priority === String(desired) && rule.ruleArn !== ruleArn);
        if (holder)
            throw priorityInUse(desired, next.ListenerArn, holder);
        await api.setPriorities([{ RuleArn: ruleArn, Priority: desired }]);
    }
    return ruleArn;
}
/** The nearest free priority to `desired` with no rule between them (so that routing is the same). */
function neighbourPriority(rules, desired) {
    const used = new Set(rules.map((rule) => rule.priority));
    for (const candidate of [desired - 1, desired + 1]) {
        if (candidate >= 1 && candidate <= 50000 && !used.has(String(candidate)))
            return candidate;
    }
    throw new Error(`Priorities ${desired - 1} and ${desired + 1} next to ${desired} are both in use on the listener: free one of them for the ` +
        'update that replaces the production rule, then deploy again');
}
/** A rule that forwards only to some of `groups` (e.g. the plain rule of a service that rolled until now). */
function forwardsWithin(rule, groups) {
    const forwarded = Object.keys(rule.weights);
    return forwarded.length > 0 && forwarded.every((group) => groups.includes(group));
}
function forwardsToExactly(rule, groups) {
    return sameList(Object.keys(rule.weights).sort(), [...groups].sort());
}
function sameList(a, b) {
    return a.length === b.length && a.every((value, i) => value === b[i]);
}
function priorityOf(props) {
    const priority = Number(props.Priority);
    if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
        throw new Error(`Priority must be a whole number from 1 to 50000, got '${props.Priority}'`);
    }
    return priority;
}
function priorityInUse(priority, listenerArn, holder) {
    return new Error(`Priority ${priority} of listener ${listenerArn} is used by another rule (${holder.ruleArn}): give the service a free priority`);
}
function response(ruleArn) {
    return { PhysicalResourceId: ruleArn, Data: { RuleArn: ruleArn } };
}
/** A rule as the API returns it, reduced to what the handler needs. */
function liveRule(rule) {
    const weights = {};
    for (const action of rule.Actions ?? []) {
        if (action.Type !== 'forward')
            continue;
        const groups = action.ForwardConfig?.TargetGroups;
        if (groups?.length) {
            for (const group of groups)
                weights[group.TargetGroupArn] = group.Weight ?? 1;
        }
        else if (action.TargetGroupArn) {
            weights[action.TargetGroupArn] = 1;
        }
    }
    return { ruleArn: rule.RuleArn, priority: rule.Priority, weights };
}
function forward(groups) {
    return [{ Type: 'forward', ForwardConfig: { TargetGroups: groups } }];
}
function sdkApi(sdk) {
    const client = new sdk.ElasticLoadBalancingV2Client({});
    return {
        async describeRule(ruleArn) {
            try {
                const out = await client.send(new sdk.DescribeRulesCommand({ RuleArns: [ruleArn] }));
                return out.Rules?.[0] && liveRule(out.Rules[0]);
            }
            catch (error) {
                if (error.name === 'RuleNotFoundException')
                    return undefined;
                throw error;
            }
        },
        async listRules(listenerArn) {
            const rules = [];
            let marker;
            do {
                const out = await client.send(new sdk.DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }));
                rules.push(...(out.Rules ?? []).map(liveRule));
                marker = out.NextMarker;
            } while (marker);
            return rules;
        },
        async createRule(listenerArn, priority, conditions, groups) {
            const out = await client.send(new sdk.CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: conditions, Actions: forward(groups) }));
            return out.Rules[0].RuleArn;
        },
        async modifyRule(ruleArn, conditions, groups) {
            await client.send(new sdk.ModifyRuleCommand({ RuleArn: ruleArn, Conditions: conditions, ...(groups ? { Actions: forward(groups) } : {}) }));
        },
        async setPriorities(priorities) {
            await client.send(new sdk.SetRulePrioritiesCommand({ RulePriorities: priorities }));
        },
        async deleteRule(ruleArn) {
            try {
                await client.send(new sdk.DeleteRuleCommand({ RuleArn: ruleArn }));
            }
            catch (error) {
                if (error.name !== 'RuleNotFoundException')
                    throw error;
            }
        },
    };
}
/** The Lambda entry point (aws-cdk-lib's custom-resource provider answers CloudFormation). */
async function handler(event) {
    const name = '@aws-sdk/client-elastic-load-balancing-v2';
    const sdk = require(name);
    return onEvent(event, sdkApi(sdk));
}
