import { CfnOutput, Fn, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';

/**
 * Reference environment "public API on Fargate behind API Gateway" (seed: API Gateway
 * ingress for AWS Fargate), with the tasks kept private. Today: the seed network and the
 * Fargate cluster; the service and the API Gateway ingress join as their packages land.
 */
export class FargateApigwApiStack extends Stack {
  public readonly network: Network;
  public readonly cluster: FargateCluster;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.network = new Network(this, 'Network');
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network });
    Validations.of(this.cluster.executionRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
      reason: 'The seed pattern\'s task execution policy; AWS keeps it current for ECR and CloudWatch Logs',
    });
    new CfnOutput(this, 'EgressIps', {
      description: 'Every outbound connection from the tasks leaves from these addresses: give them to partners to allow-list',
      value: Fn.join(',', this.network.egressIps),
    });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.cluster.clusterName });
  }
}
