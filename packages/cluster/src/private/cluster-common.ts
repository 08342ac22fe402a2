import { Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { INetwork, Network } from '@portcullis/network';
import { Construct } from 'constructs';
import { ECS_NAME, nonEmptyName } from './service-validation';

/** The network of a cluster: the one given, or one wrapping the VPC given. Exactly one of them. */
export function resolveNetwork(scope: Construct, className: string, network?: INetwork, vpc?: ec2.IVpc): INetwork {
  if (network && vpc) {
    throw new Error(`\`network\` and \`vpc\` were both given to ${className}: pass one (a Network, or a VPC of your own)`);
  }
  if (!network && !vpc) {
    throw new Error(`${className} needs \`network\` (a Portcullis Network) or \`vpc\` (an ec2.IVpc): neither was given`);
  }
  return network ?? Network.fromVpc(scope, 'Network', vpc!);
}

/** `clusterName`: 1 to 255 letters, digits, hyphens and underscores (a token is accepted). */
export function validateClusterName(name?: string) {
  nonEmptyName('clusterName', name, ECS_NAME);
}

/**
 * The seed's task execution role: trusted by ECS tasks of this account only (confused-deputy
 * conditions), with the AWS-managed execution policy.
 */
export function taskExecutionRole(scope: Construct): iam.Role {
  return new iam.Role(scope, 'ExecutionRole', {
    description: 'ECS task execution role: pull images, write logs, read task secrets',
    assumedBy: ecsTasksOfThisAccount(),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonECSTaskExecutionRolePolicy')],
  });
}

/**
 * `ecs-tasks.amazonaws.com`, only for this account's ECS resources in this region: the
 * confused-deputy conditions AWS recommends for task and task execution roles.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
 */
export function ecsTasksOfThisAccount(): iam.IPrincipal {
  return new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
  });
}
