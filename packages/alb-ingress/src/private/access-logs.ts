import { Aws, CfnCondition, CfnResource, Fn, ICfnConditionExpression, IResolvable, Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** The service principal ELB writes access logs with in the Regions that have no ELB account. */
export const ELB_LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/**
 * Turns on the load balancer's access logs to `bucket`.
 *
 * With a concrete region this is aws-cdk-lib's `logAccessLogs` (it picks the principal at
 * synth). On an environment-agnostic stack aws-cdk-lib throws "Region is required", so the
 * same bucket policy is written with the principal chosen at deploy time: ELB's account in
 * the Regions that have one (aws-cdk-lib's RegionInfo `FactName.ELBV2_ACCOUNT`, the Regions
 * available before August 2022), else the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal (the Regions available since, and any Region newer than this aws-cdk-lib).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 *
 * The choice is made with one `Fn::Equals` condition per ELB-account Region: a `Fn::FindInMap`
 * over a Region-keyed mapping would fail the deployment in any Region the mapping does not list.
 */
export function logAccessLogs(lb: elbv2.ApplicationLoadBalancer, bucket: s3.IBucket): void {
  const stack = Stack.of(lb);
  if (!Token.isUnresolved(stack.region)) {
    lb.logAccessLogs(bucket);
    return;
  }
  if (bucket.encryptionKey) {
    // same check as aws-cdk-lib's logAccessLogs: ELB writes with SSE-S3 only
    throw new Error('`accessLogsBucket` is encrypted with a KMS key: ALB access logs support SSE-S3 only (s3.BucketEncryption.S3_MANAGED)');
  }
  lb.setAttribute('access_logs.s3.enabled', 'true');
  lb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  lb.setAttribute('access_logs.s3.prefix', '');

  const objects = bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/*`);
  // Principal chosen at deploy time: a literal principal JSON (the Fn::If chain) in the statement.
  bucket.addToResourcePolicy(iam.PolicyStatement.fromJson({
    Effect: 'Allow',
    Action: 's3:PutObject',
    Principal: Token.asString(elbLogWriterPrincipal(stack)),
    Resource: objects,
  }));
  // The two statements aws-cdk-lib's logAccessLogs adds in every Region.
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['s3:PutObject'],
    principals: [delivery],
    resources: [objects],
    conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
  }));
  bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], principals: [delivery], resources: [bucket.bucketArn] }));

  // ELB checks that it may write when the attribute is set: the policy goes first.
  const cfnLb = lb.node.defaultChild;
  const cfnPolicy = bucket.policy?.node.defaultChild;
  if (CfnResource.isCfnResource(cfnLb) && cfnPolicy && CfnResource.isCfnResource(cfnPolicy)) {
    cfnLb.addResourceDependency(cfnPolicy);
  }
}

/** The Regions with an ELB account, from aws-cdk-lib's RegionInfo, sorted by name. */
export function elbAccountRegions(): { region: string; account: string }[] {
  return RegionInfo.regions
    .filter((r) => r.elbv2Account !== undefined)
    .map((r) => ({ region: r.name, account: r.elbv2Account! }))
    .sort((a, b) => a.region.localeCompare(b.region));
}

/**
 * `{ AWS: arn:<partition>:iam::<ELB account>:root }` in the Regions with an ELB account,
 * else `{ Service: logdelivery.elasticloadbalancing.amazonaws.com }`. The conditions are
 * created once per stack.
 *
 * Flat on purpose: one `Fn::If` per Region inside one `Fn::Join` (exactly one of them yields
 * the account, the others ''), under one `Fn::If` on "any of them". A chain of 30 nested
 * `Fn::If`s is valid CloudFormation too, but tools that explore both branches of every
 * `Fn::If` (aws-cdk-lib's own template assertions) take 2^30 steps on it.
 */
function elbLogWriterPrincipal(stack: Stack): IResolvable {
  const regions = elbAccountRegions().map(({ region, account }) => ({
    account,
    condition: singletonCondition(stack, `PortcullisElbAccountIn${pascal(region)}`, Fn.conditionEquals(Aws.REGION, region)),
  }));
  const hasAccount = singletonCondition(stack, 'PortcullisElbAccountRegion', anyOf(regions.map((r) => r.condition)));
  const account = Fn.join('', regions.map((r) => Token.asString(Fn.conditionIf(r.condition.logicalId, r.account, ''))));
  return Fn.conditionIf(hasAccount.logicalId,
    { AWS: Fn.join('', ['arn:', Aws.PARTITION, ':iam::', account, ':root']) },
    { Service: ELB_LOG_DELIVERY_SERVICE });
}

function singletonCondition(stack: Stack, id: string, expression: ICfnConditionExpression): CfnCondition {
  return (stack.node.tryFindChild(id) as CfnCondition | undefined) ?? new CfnCondition(stack, id, { expression });
}

/** `Fn::Or` takes 2 to 10 conditions: group them by ten, as deep as needed. */
function anyOf(conditions: ICfnConditionExpression[]): ICfnConditionExpression {
  if (conditions.length <= 10) return Fn.conditionOr(...conditions);
  const groups: ICfnConditionExpression[] = [];
  for (let i = 0; i < conditions.length; i += 10) groups.push(anyOf(conditions.slice(i, i + 10)));
  return anyOf(groups);
}

function pascal(region: string): string {
  return region.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
