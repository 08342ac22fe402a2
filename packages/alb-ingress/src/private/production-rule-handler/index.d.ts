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
/** The resource properties (CloudFormation passes every value as a string). */
export interface RuleProperties {
    readonly ListenerArn: string;
    readonly Priority: string;
    readonly PathPatterns?: string[];
    readonly HostHeaders?: string[];
    /** [production target group, alternate target group]. */
    readonly TargetGroupArns: string[];
}
/** A rule as the load balancer has it. */
export interface LiveRule {
    readonly ruleArn: string;
    /** A number from 1 to 50000, or 'default' (the listener's default action). */
    readonly priority: string;
    /** Forward weights by target group ARN (a plain forward to one group counts as weight 1). */
    readonly weights: Record<string, number>;
}
/** A listener rule condition in the ELB API's shape. */
export interface RuleCondition {
    readonly Field: string;
    readonly PathPatternConfig?: {
        readonly Values: string[];
    };
    readonly HostHeaderConfig?: {
        readonly Values: string[];
    };
}
/** A forward weight in the ELB API's shape. */
export interface WeightedGroup {
    readonly TargetGroupArn: string;
    readonly Weight: number;
}
/** The ELB calls the handler makes. */
export interface RuleApi {
    /** The rule, or undefined when it does not exist. */
    describeRule(ruleArn: string): Promise<LiveRule | undefined>;
    /** Every rule of the listener (all pages). */
    listRules(listenerArn: string): Promise<LiveRule[]>;
    /** Creates a rule that forwards with `groups`; returns its ARN. */
    createRule(listenerArn: string, priority: number, conditions: RuleCondition[], groups: WeightedGroup[]): Promise<string>;
    /** Changes the conditions, and the forward action only when `groups` is given. */
    modifyRule(ruleArn: string, conditions: RuleCondition[], groups?: WeightedGroup[]): Promise<void>;
    /** Sets the priorities of rules of one listener in one call (a swap is allowed). */
    setPriorities(priorities: Array<{
        RuleArn: string;
        Priority: number;
    }>): Promise<void>;
    /** Deletes the rule; a rule that is already gone is not an error. */
    deleteRule(ruleArn: string): Promise<void>;
}
/** The custom-resource event fields the handler reads. */
export interface RuleEvent {
    readonly RequestType: 'Create' | 'Update' | 'Delete';
    readonly PhysicalResourceId?: string;
    readonly ResourceProperties: RuleProperties;
    readonly OldResourceProperties?: RuleProperties;
}
/** What the handler returns to CloudFormation (the physical id is the rule's ARN). */
export interface RuleResponse {
    readonly PhysicalResourceId: string;
    readonly Data: {
        readonly RuleArn: string;
    };
}
/** Decides and makes the ELB calls for one event. */
export declare function onEvent(event: RuleEvent, api: RuleApi): Promise<RuleResponse>;
/** The weights of `groups` carried over from the live rule: by ARN, else by role (the group a new one replaces). */
export declare function carryWeights(live: Record<string, number>, oldGroups: string[], newGroups: string[]): WeightedGroup[];
/** The conditions of a rule, in the ELB API's shape. */
export declare function conditionsOf(props: RuleProperties): RuleCondition[];
/** The nearest free priority to `desired` with no rule between them (so that routing is the same). */
export declare function neighbourPriority(rules: LiveRule[], desired: number): number;
interface ElbRule {
    readonly RuleArn: string;
    readonly Priority: string;
    readonly Actions?: Array<{
        readonly Type: string;
        readonly TargetGroupArn?: string;
        readonly ForwardConfig?: {
            readonly TargetGroups?: Array<{
                readonly TargetGroupArn: string;
                readonly Weight?: number;
            }>;
        };
    }>;
}
/** A rule as the API returns it, reduced to what the handler needs. */
export declare function liveRule(rule: ElbRule): LiveRule;
/** The AWS SDK v3 module's parts the handler uses (`@aws-sdk/client-elastic-load-balancing-v2`). */
export interface ElbModule {
    readonly ElasticLoadBalancingV2Client: new (config: object) => { send(command: unknown): Promise<any> };
    readonly DescribeRulesCommand: new (input: object) => unknown;
    readonly CreateRuleCommand: new (input: object) => unknown;
    readonly ModifyRuleCommand: new (input: object) => unknown;
    readonly SetRulePrioritiesCommand: new (input: object) => unknown;
    readonly DeleteRuleCommand: new (input: object) => unknown;
}
/** The ELB calls, made with the SDK module. */
export declare function sdkApi(sdk: ElbModule): RuleApi;
/** The Lambda entry point (aws-cdk-lib's custom-resource provider answers CloudFormation). */
export declare function handler(event: RuleEvent): Promise<RuleResponse>;
export {};
