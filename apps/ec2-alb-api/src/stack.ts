import { CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';

/**
 * Reference environment "public API on EC2 capacity behind an ALB" (seed: Public facing API
 * hosted on EC2 instances). Today: the seed network; the EC2 cluster, the service and the
 * ALB ingress join as their packages land.
 */
export class Ec2AlbApiStack extends Stack {
  public readonly network: Network;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.network = new Network(this, 'Network');
    new CfnOutput(this, 'EgressIps', {
      description: 'Every outbound connection from the private subnets leaves from these addresses: give them to partners to allow-list',
      value: Fn.join(',', this.network.egressIps),
    });
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId });
  }
}
