import { Stack, StackProps } from 'aws-cdk-lib';
import {
  ALB_TARGET_GROUP_PORT, acknowledgeAlb, acknowledgeCluster, acknowledgeNetwork, acknowledgeService,
  addReferenceOutputs, clusterContext, albAddressContext, albHealthCheckContext, domainContext, ec2CapacityContext, monitoringContext, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Deployment, Ec2Cluster } from '@portcullis/cluster';
import { Egress, EgressKind, Network } from '@portcullis/network';
import { ApiMonitoring } from '@portcullis/monitoring';
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
  /** Alarms and the dashboard (`-c alarmEmail=` subscribes an address to their topic). */
  public readonly monitoring: ApiMonitoring;

  constructor(scope: Construct, id: string, props: Ec2AlbApiProps = {}) {
    super(scope, id, props);
    // Without NAT, container instances also need the ECS, ECS agent and telemetry endpoints.
    const egress = props.egress?.kind === EgressKind.NONE ? Egress.none({ ec2Capacity: true }) : props.egress;
    this.network = new Network(this, 'Network', { egress, availabilityZones: props.availabilityZones, ipv6: props.ipv6 });
    this.cluster = new Ec2Cluster(this, 'Cluster', { network: this.network, ...ec2CapacityContext(props), ...clusterContext(this, props) });
    this.service = new ApiService(this, 'Api', { cluster: this.cluster, ...serviceContext(props, { deployment: Deployment.canary() }) });
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
