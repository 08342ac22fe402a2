import { CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';
import { acknowledgeAlb, acknowledgeCluster, acknowledgeNetwork, acknowledgeService, ReferenceContext } from '@portcullis-apps/reference-kit';

/** Configuration of the reference environment: the CDK context keys of the same names. */
export interface FargateAlbApiProps extends StackProps, ReferenceContext {}

/**
 * Reference environment for the seed "Serverless public facing API hosted on AWS Fargate":
 * Network + FargateCluster + ApiService + AlbIngress, as a user composes them.
 */
export class FargateAlbApiStack extends Stack {
  public readonly network: Network;
  public readonly cluster: FargateCluster;
  public readonly service: ApiService;
  public readonly ingress: AlbIngress;

  constructor(scope: Construct, id: string, props: FargateAlbApiProps = {}) {
    super(scope, id, props);
    this.network = new Network(this, 'Network', { egress: props.egress });
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network });
    this.service = new ApiService(this, 'Api', {
      cluster: this.cluster,
      image: props.image ? ecs.ContainerImage.fromRegistry(props.image) : undefined,
      containerPort: props.containerPort,
      desiredCount: props.desiredCount,
    });
    const hostedZone = props.hostedZoneId && props.domainName
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: props.hostedZoneId,
        zoneName: props.hostedZoneName ?? props.domainName.split('.').slice(1).join('.'),
      })
      : undefined;
    this.ingress = new AlbIngress(this, 'Ingress', {
      network: this.network,
      service: this.service,
      domainName: props.domainName,
      hostedZone,
      certificate: props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined,
    });
    acknowledgeNetwork(this.network);
    acknowledgeCluster(this.cluster);
    acknowledgeService(this.service);
    acknowledgeAlb(this.ingress);

    new CfnOutput(this, 'Url', { description: 'The public URL of the API', value: this.ingress.url });
    new CfnOutput(this, 'EgressIps', {
      description: 'Every outbound connection from the tasks leaves from these addresses: give them to partners to allow-list',
      value: this.network.egressIps.length > 0 ? Fn.join(',', this.network.egressIps) : 'none (no NAT)',
    });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'LogGroup', { value: this.service.logGroup.logGroupName });
  }
}
