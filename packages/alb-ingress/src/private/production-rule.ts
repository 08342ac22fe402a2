import * as path from 'path';
import { Aws, CfnResource, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { RuleProperties } from './production-rule-handler';

/** The CloudFormation type of the rule (`portcullis-audit diff` knows it: its updates keep the live weights). */
export const PRODUCTION_RULE_TYPE = 'Custom::PortcullisProductionListenerRule';

/** Props of a {@link ProductionRule}. */
export interface ProductionRuleProps {
  /** The load balancer's full name (`app/<name>/<id>`): the rules it may write. */
  readonly loadBalancerFullName: string;
  readonly listener: elbv2.IApplicationListener;
  readonly priority: number;
  readonly pathPatterns?: string[];
  readonly hostHeaders?: string[];
  /** The service's target group (registered) and its alternate. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly alternateTargetGroup: elbv2.ApplicationTargetGroup;
}

/**
 * A listener rule forwarding to a service's two target groups whose weights belong to ECS:
 * a custom resource (handler in ./production-rule-handler) instead of an
 * AWS::ElasticLoadBalancingV2::ListenerRule, because CloudFormation writes a ListenerRule's
 * whole action, weights included, whenever it creates, replaces or updates it, which sends
 * all traffic back to the first group after ECS moved it to the other one (aws-cdk#36649).
 */
export class ProductionRule extends Construct {
  /** The rule's ARN (the custom resource's physical id). */
  public readonly ruleArn: string;

  constructor(scope: Construct, id: string, props: ProductionRuleProps) {
    super(scope, id);
    const provider = CustomResourceProvider.getOrCreateProvider(this, PRODUCTION_RULE_TYPE, {
      codeDirectory: path.join(__dirname, 'production-rule-handler'),
      runtime: CustomResourceProviderRuntime.NODEJS_22_X,
      description: 'Portcullis: owns the ALB listener rules whose forward weights ECS shifts (canary, linear, blue/green); keeps the live weights on every update',
    });
    allowRuleWrites(provider, props.loadBalancerFullName);
    configureProvider(Stack.of(this), provider);

    const properties: RuleProperties = {
      ListenerArn: props.listener.listenerArn,
      Priority: props.priority as unknown as string, // CloudFormation hands every value to the handler as a string
      ...(props.pathPatterns?.length ? { PathPatterns: props.pathPatterns } : {}),
      ...(props.hostHeaders?.length ? { HostHeaders: props.hostHeaders } : {}),
      TargetGroupArns: [props.targetGroup.targetGroupArn, props.alternateTargetGroup.targetGroupArn],
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: PRODUCTION_RULE_TYPE,
      properties,
    });
    this.ruleArn = resource.ref;
    // Both groups are associated with the load balancer through this rule (ECS refuses a
    // target group without a load balancer), and their metrics need the load balancer.
    props.targetGroup.registerListener(props.listener, this);
    props.alternateTargetGroup.registerListener(props.listener, this);
  }
}

/** An alternate target for ECS whose production (and test) rule is a {@link ProductionRule}. */
export class RuleAlternateTarget implements ecs.IAlternateTarget {
  constructor(
    private readonly alternateTargetGroup: elbv2.ApplicationTargetGroup,
    private readonly role: { readonly roleArn: string },
    private readonly productionRule: ProductionRule,
    private readonly testRule?: ProductionRule,
  ) {}

  public bind(): ecs.AlternateTargetConfig {
    return {
      alternateTargetGroupArn: this.alternateTargetGroup.targetGroupArn,
      roleArn: this.role.roleArn,
      productionListenerRule: this.productionRule.ruleArn,
      testListenerRule: this.testRule?.ruleArn,
    };
  }
}

/** The load balancers whose rules each provider may already write. */
const ALLOWED = new WeakMap<CustomResourceProvider, Set<string>>();

/**
 * Lets the provider write the rules of `loadBalancer` (once per load balancer):
 * `elasticloadbalancing:DescribeRules` has no resource-level permissions; every write is
 * scoped to this load balancer's listeners and rules.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
 */
function allowRuleWrites(provider: CustomResourceProvider, loadBalancerFullName: string): void {
  const allowed = ALLOWED.get(provider) ?? new Set();
  ALLOWED.set(provider, allowed);
  if (allowed.size === 0) provider.addToRolePolicy({ Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules'], Resource: ['*'] });
  if (allowed.has(loadBalancerFullName)) return;
  allowed.add(loadBalancerFullName);
  const arn = (resource: string) => `arn:${Aws.PARTITION}:elasticloadbalancing:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}/${loadBalancerFullName}/*`;
  provider.addToRolePolicy({ Effect: 'Allow', Action: ['elasticloadbalancing:CreateRule'], Resource: [arn('listener'), arn('listener-rule')] });
  provider.addToRolePolicy({
    Effect: 'Allow',
    Action: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:DeleteRule'],
    Resource: [arn('listener-rule')],
  });
}

/** Providers already configured (one per stack, shared by every ingress of the stack). */
const CONFIGURED = new WeakSet<CustomResourceProvider>();

/**
 * Once per stack: the provider Lambda logs to a log group of the stack (one month, deleted
 * with the stack; without it Lambda creates `/aws/lambda/<name>`, kept forever and left behind
 * by `cdk destroy`), and its policy-pack findings are acknowledged with their reasons.
 */
function configureProvider(stack: Stack, provider: CustomResourceProvider): void {
  if (CONFIGURED.has(provider)) return;
  CONFIGURED.add(provider);
  const handler = provider.node.findChild('Handler') as CfnResource;
  const logGroup = new logs.LogGroup(stack, 'PortcullisProductionRuleLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  // Its history is the handler's own diagnostics, not the API's: removing it (the last
  // traffic-shifting service goes) is not something `portcullis-audit diff` should stop.
  (logGroup.node.defaultChild as CfnResource).addMetadata('portcullis:update-safety', {
    allowReplacement: true,
    reason: 'Logs of the production-rule Lambda only: it goes with the last production rule of the stack',
  });
  Validations.of(logGroup).acknowledge({
    id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    reason: 'Logs of the production-rule Lambda (rule ARNs and weights): CloudWatch Logs encrypts at rest with AWS-owned keys; a customer-managed key adds cost, not protection this log needs',
  });
  const once = 'Runs only when CloudFormation creates, updates or deletes a production listener rule of this stack';
  skipCheckov(logGroup.node.defaultChild as CfnResource, [['CKV_AWS_158', 'Logs of the production-rule Lambda: AWS-owned-key encryption at rest is enough']]);
  skipCheckov(handler, [
    ['CKV_AWS_115', once],
    ['CKV_AWS_116', `${once}; CloudFormation reports its failure`],
    ['CKV_AWS_117', `${once}; it calls only the Elastic Load Balancing API`],
    ['CKV_AWS_173', 'No environment variables'],
  ]);
  const acks: Array<[string, string]> = [
    ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'aws-cdk-lib\'s custom-resource provider role: CloudWatch Logs writes of its own function only'],
    ['AwsSolutions-IAM5[Resource::*]', 'elasticloadbalancing:DescribeRules has no resource-level permissions (Service Authorization Reference); every write action is scoped to the rules of this stack\'s load balancers'],
    ['NIST.800.53.R5-LambdaConcurrency', once],
    ['NIST.800.53.R5-LambdaDLQ', `${once}; CloudFormation reports its failure`],
    ['NIST.800.53.R5-LambdaInsideVPC', `${once}; it calls only the Elastic Load Balancing API`],
  ];
  for (const [id, reason] of acks) Validations.of(provider).acknowledge({ id, reason });
}

/** Adds checkov skips (with their reasons) to a resource's metadata. */
function skipCheckov(resource: CfnResource, skips: Array<[string, string]>): void {
  const existing = (resource.getMetadata('checkov') as { skip?: object[] } | undefined)?.skip ?? [];
  resource.addMetadata('checkov', { skip: [...existing, ...skips.map(([id, comment]) => ({ id, comment }))] });
}
