import { CfnResource, CustomResource, Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IDependable } from 'constructs';

/** The CloudFormation type of the lookup. */
export const VPC_ORIGINS_GROUP_LOOKUP_TYPE = 'Custom::PortcullisVpcOriginsSecurityGroup';

/** How long the handler waits for CloudFront's group to appear: 12 reads, 10 s apart. */
export const LOOKUP_ATTEMPTS = 12;
export const LOOKUP_INTERVAL_SECONDS = 10;

/**
 * The handler, inline (ZipFile: no asset, at most 4096 characters). On Create and Update it
 * reads the id of the security group named `GroupName` in `VpcId` with
 * ec2:DescribeSecurityGroups, retrying for up to LOOKUP_ATTEMPTS * LOOKUP_INTERVAL_SECONDS
 * seconds, and fails with a message that says what is missing and what to check (instead of
 * succeeding with an empty list, which left CloudFormation's "Vendor response doesn't contain
 * SecurityGroups.0.GroupId" to the rule that reads it). The physical id is the group id: a
 * different group (CloudFront recreated it) is a replacement, and the rule that reads
 * `GroupId` follows. Delete does nothing (the group is CloudFront's).
 */
export const HANDLER_CODE = `
const { EC2Client, DescribeSecurityGroupsCommand } = require('@aws-sdk/client-ec2');
const https = require('https');
const ec2 = new EC2Client({});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function find(p) {
  for (let i = 1; ; i++) {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [p.VpcId] }, { Name: 'group-name', Values: [p.GroupName] }] }));
    const id = out.SecurityGroups && out.SecurityGroups[0] && out.SecurityGroups[0].GroupId;
    if (id) return id;
    if (i >= ${LOOKUP_ATTEMPTS}) break;
    await sleep(${LOOKUP_INTERVAL_SECONDS * 1000});
  }
  throw new Error('CloudFront security group ' + p.GroupName + ' not found in ' + p.VpcId + ' after ${LOOKUP_ATTEMPTS * LOOKUP_INTERVAL_SECONDS} s. ' +
    'CloudFront creates it with the first VPC origin of a VPC (here ' + p.VpcOriginId + '): check in the CloudFront console that the VPC origin is Deployed, ' +
    'that the VPC has an internet gateway attached, and that nobody deleted the group; then deploy again.');
}
function respond(event, context, status, reason, id, data) {
  const body = JSON.stringify({ Status: status, Reason: reason, PhysicalResourceId: id, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: data });
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: url.hostname, path: url.pathname + url.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}
exports.handler = async (event, context) => {
  let id = event.PhysicalResourceId || context.logStreamName;
  try {
    if (event.RequestType === 'Delete') return await respond(event, context, 'SUCCESS', 'nothing to delete: the group is CloudFront\\'s', id, {});
    id = await find(event.ResourceProperties);
    await respond(event, context, 'SUCCESS', 'found ' + id, id, { GroupId: id });
  } catch (e) {
    console.log(e);
    await respond(event, context, 'FAILED', String(e.message || e).slice(0, 1000), id, {});
  }
};
`;

/** Props of a {@link VpcOriginsGroupLookup}. */
export interface VpcOriginsGroupLookupProps {
  readonly vpcId: string;
  readonly groupName: string;
  /** The VPC origin whose group to read: a new origin re-runs the lookup. */
  readonly vpcOriginId: string;
  /** The log group of the handler (finite retention, deleted with the stack). */
  readonly logGroup: logs.ILogGroup;
  /** What the lookup waits for (the distribution, which references the VPC origin). */
  readonly after: IDependable;
}

/**
 * The deploy-time lookup of the security group CloudFront creates for its VPC origins: a
 * Lambda-backed custom resource (one small function, its role and the lookup) whose
 * `groupId` is the group's id.
 */
export class VpcOriginsGroupLookup extends Construct {
  /** The id of CloudFront's VPC-origins security group, read at deploy time. */
  public readonly groupId: string;

  constructor(scope: Construct, id: string, props: VpcOriginsGroupLookupProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Portcullis: reads the id of CloudFront\'s VPC-origins security group at deploy time',
    });
    // ec2:DescribeSecurityGroups has no resource-level permissions: '*' is the only resource
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeSecurityGroups'], resources: ['*'] }));
    props.logGroup.grantWrite(role);
    const handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(HANDLER_CODE),
      timeout: Duration.seconds(LOOKUP_ATTEMPTS * LOOKUP_INTERVAL_SECONDS + 60),
      role,
      logGroup: props.logGroup,
      description: 'Portcullis: reads the id of CloudFront\'s VPC-origins security group (CloudFormation cannot name it)',
    });
    const lookup = new CustomResource(this, 'Lookup', {
      serviceToken: handler.functionArn,
      resourceType: VPC_ORIGINS_GROUP_LOOKUP_TYPE,
      properties: { VpcId: props.vpcId, GroupName: props.groupName, VpcOriginId: props.vpcOriginId },
    });
    // the role's policy must exist before the handler runs
    lookup.node.addDependency(role);
    lookup.node.addDependency(props.after);
    this.groupId = lookup.getAttString('GroupId');
    acknowledge(this, handler);
  }
}

/** The policy-pack findings of the lookup's function and role, acknowledged here with their reasons. */
function acknowledge(scope: Construct, handler: lambda.Function): void {
  const once = 'Runs only when CloudFormation creates or updates the CloudFront ingress, to read the id of CloudFront\'s VPC-origins security group';
  const acks: Array<[string, string]> = [
    ['AwsSolutions-IAM5[Resource::*]', 'ec2:DescribeSecurityGroups has no resource-level permissions (Service Authorization Reference): * is the only resource it takes'],
    ['NIST.800.53.R5-IAMNoInlinePolicy', 'The lookup\'s role has one inline policy with exactly what it calls (ec2:DescribeSecurityGroups) and writes (its log streams)'],
    ['NIST.800.53.R5-LambdaConcurrency', once],
    ['NIST.800.53.R5-LambdaDLQ', `${once}; CloudFormation reports its failure`],
    ['NIST.800.53.R5-LambdaInsideVPC', `${once}; it calls only the EC2 API`],
  ];
  for (const [id, reason] of acks) Validations.of(scope).acknowledge({ id, reason });
  const cfn = handler.node.defaultChild as CfnResource;
  cfn.addMetadata('checkov', {
    skip: [
      { id: 'CKV_AWS_115', comment: once },
      { id: 'CKV_AWS_116', comment: `${once}; CloudFormation reports its failure` },
      { id: 'CKV_AWS_117', comment: `${once}; it calls only the EC2 API` },
    ],
  });
}
