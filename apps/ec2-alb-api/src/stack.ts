import { CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { acknowledgeAlb, acknowledgeCluster, acknowledgeNetwork, acknowledgeService, ReferenceContext } from '@portcullis-apps/reference-kit';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Ec2Cluster } from '@portcullis/cluster';
import { Egress, EgressKind, Network } from '@portcullis/network';
import { Construct } from 'constructs';

/** Configuration of the reference environment: the CDK context keys of the same names. */
export interface Ec2AlbApiProps extends StackProps, ReferenceContext {}

/**
 * Reference environment for the seed "Public facing API hosted on EC2 instances":
 * Network + Ec2Cluster + ApiService (awsvpc on EC2) + AlbIngress.
 */
export class Ec2AlbApiStack extends Stack {
  public readonly network: Network;
  public readonly cluster: Ec2Cluster;
  public readonly service: ApiService;
  public readonly ingress: AlbIngress;

  constructor(scope: Construct, id: string, props: Ec2AlbApiProps = {}) {
    super(scope, id, props);
    // Without NAT, container instances also need the ECS, ECS agent and telemetry endpoints.
    const egress = props.egress?.kind === EgressKind.NONE ? Egress.none({ ec2Capacity: true }) : props.egress;
    this.network = new Network(this, 'Network', { egress });
    this.cluster = new Ec2Cluster(this, 'Cluster', { network: this.network });
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
      description: 'Every outbound connection from the private subnets leaves from these addresses: give them to partners to allow-list',
      value: this.network.egressIps.length > 0 ? Fn.join(',', this.network.egressIps) : 'none (no NAT)',
    });
    new CfnOutput(this, 'ClusterName', { value: this.cluster.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'LogGroup', { value: this.service.logGroup.logGroupName });
  }
}
