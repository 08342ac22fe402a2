import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import {
  acknowledgeApiGateway, acknowledgeCluster, acknowledgeNetwork, acknowledgeService,
  addReferenceOutputs, domainContext, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';

/** Configuration of the reference environment: the CDK context keys of the same names. */
export interface FargateApigwApiProps extends StackProps, ReferenceContext {}

/**
 * Reference environment for the seed "API Gateway ingress for AWS Fargate", with the tasks
 * kept private: Network + FargateCluster + ApiService + ApiGatewayIngress.
 */
export class FargateApigwApiStack extends Stack {
  public readonly network: Network;
  public readonly cluster: FargateCluster;
  public readonly service: ApiService;
  public readonly ingress: ApiGatewayIngress;

  constructor(scope: Construct, id: string, props: FargateApigwApiProps = {}) {
    super(scope, id, props);
    if (props.domainName && !props.certificateArn) {
      throw new Error('Context `domainName` needs `certificateArn` (an ACM certificate for it in this region) on the API Gateway app');
    }
    this.network = new Network(this, 'Network', { egress: props.egress });
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network });
    const containerPort = props.containerPort ?? 80;
    this.service = new ApiService(this, 'Api', {
      cluster: this.cluster,
      ...serviceContext(props),
      // Seed: nothing else checks task health on this path (no load balancer). The nginx image has curl.
      healthCheck: {
        command: ['CMD-SHELL', `curl -f http://localhost:${containerPort}/ || exit 1`],
        interval: Duration.seconds(5),
        retries: 2,
        timeout: Duration.seconds(3),
      },
    });
    this.ingress = new ApiGatewayIngress(this, 'Ingress', { network: this.network, service: this.service, ...domainContext(this, props) });

    acknowledgeNetwork(this.network);
    acknowledgeCluster(this.cluster);
    acknowledgeService(this.service);
    acknowledgeApiGateway(this.ingress);
    addReferenceOutputs(this, { url: this.ingress.url, network: this.network, cluster: this.cluster, service: this.service });
  }
}
