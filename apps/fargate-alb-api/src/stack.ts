import { CfnOutput, Fn, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';

/**
 * Reference environment "public API on Fargate behind an ALB" (seed: Serverless public
 * facing API hosted on AWS Fargate). Today: the seed network and the Fargate cluster; the
 * service and the ALB ingress join as their packages land.
 */
export class FargateAlbApiStack extends Stack {
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
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId });
  }
}
