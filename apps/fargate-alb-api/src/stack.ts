import { Stack, StackProps } from 'aws-cdk-lib';
import {
  ALB_TARGET_GROUP_PORT, acknowledgeAlb, acknowledgeCluster, acknowledgeNetwork, acknowledgeService,
  addReferenceOutputs, clusterContext, albAddressContext, albHealthCheckContext, domainContext, fargateCapacityContext, monitoringContext, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Construct } from 'constructs';

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
  /** Alarms and the dashboard (`-c alarmEmail=` subscribes an address to their topic). */
  public readonly monitoring: ApiMonitoring;

  constructor(scope: Construct, id: string, props: FargateAlbApiProps = {}) {
    super(scope, id, props);
    this.network = new Network(this, 'Network', { egress: props.egress, availabilityZones: props.availabilityZones, ipv6: props.ipv6 });
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network, ...clusterContext(this, props) });
    this.service = new ApiService(this, 'Api', {
      cluster: this.cluster, ...serviceContext(props, { deployment: Deployment.canary() }), ...fargateCapacityContext(props),
    });
    this.ingress = new AlbIngress(this, 'Ingress', {
      network: this.network, service: this.service, healthCheck: albHealthCheckContext(props), targetGroupPort: ALB_TARGET_GROUP_PORT, ...domainContext(this, props), ...albAddressContext(props),
    });

    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      service: this.service, ingress: this.ingress, network: this.network, ...monitoringContext(this, props),
    });

    acknowledgeNetwork(this.network);
    acknowledgeCluster(this.cluster);
    acknowledgeService(this.service);
    acknowledgeAlb(this.ingress);
    addReferenceOutputs(this, {
      url: this.ingress.url, network: this.network, cluster: this.cluster, service: this.service, dashboard: this.monitoring.dashboard,
    });
  }
}
