import { Resource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { taskExecutionRole } from './cluster-common';

/**
 * The task execution role of a service: the cluster's role when the cluster created it in the
 * service's stack (the templates of a single-stack app stay what they were), else a role of the
 * service's own in the service's stack, with the same trust and managed policy.
 *
 * The grants a service needs (its log group, its secrets, a private ECR repository) go to the
 * execution role's policy, which lives in the role's stack: granting to a role of another stack
 * would put a policy in the platform stack pointing at the service stack (a dependency cycle,
 * since the service already depends on the platform). A role per service also keeps each
 * service's secrets to itself, and avoids the quota on the size of the inline policies of one
 * role (10,240 characters, which a shared role would reach with a few dozen services):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export function serviceExecutionRole(scope: Construct, clusterRole: iam.IRole): iam.IRole {
  if (Resource.isOwnedResource(clusterRole) && Stack.of(clusterRole) === Stack.of(scope)) return clusterRole;
  return taskExecutionRole(scope);
}

/** Whether `scope` is in another stack than `other` (a service joining a platform's stack from its own). */
export function inAnotherStack(scope: Construct, other: Construct): boolean {
  return Stack.of(scope) !== Stack.of(other);
}

/**
 * Whether `vpc` (a VPC of this app) already has an interface endpoint for `service`, found among
 * its constructs by the endpoint's service name.
 */
export function hasInterfaceEndpoint(vpc: ec2.IVpc, service: ec2.InterfaceVpcEndpointAwsService): boolean {
  const stack = Stack.of(vpc);
  const wanted = JSON.stringify(stack.resolve(service.name));
  return vpc.node.findAll().some((c) => c instanceof ec2.CfnVPCEndpoint
    && c.vpcEndpointType === 'Interface'
    && JSON.stringify(stack.resolve(c.serviceName)) === wanted);
}
