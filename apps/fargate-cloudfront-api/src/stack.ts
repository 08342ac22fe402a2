import { Stack, StackProps } from 'aws-cdk-lib';
import {
  ALB_TARGET_GROUP_PORT, acknowledgeCloudFront, acknowledgeCluster, acknowledgeNetwork, acknowledgeService,
  addReferenceOutputs, clusterContext, albHealthCheckContext, domainContext, fargateCapacityContext, monitoringContext, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { CloudFrontIngress } from '@portcullis/cloudfront-ingress';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Construct } from 'constructs';

/** Configuration of the reference environment: the CDK context keys of the same names. */
export interface FargateCloudFrontApiProps extends StackProps, ReferenceContext {}

/**
 * Beyond the seeds: a public HTTPS API with nothing public in the VPC. Network +
 * FargateCluster + ApiService + CloudFrontIngress (a CloudFront VPC origin in front of an
 * internal ALB), as a user composes them.
 */
export class FargateCloudFrontApiStack extends Stack {
  public readonly network: Network;
  public readonly cluster: FargateCluster;
  public readonly service: ApiService;
  public readonly ingress: CloudFrontIngress;
  /** Alarms and the dashboard (`-c alarmEmail=` subscribes an address to their topic). */
  public readonly monitoring: ApiMonitoring;

  constructor(scope: Construct, id: string, props: FargateCloudFrontApiProps = {}) {
    super(scope, id, props);
    // `ipv6` makes the network dual-stack: the tasks reach IPv6 destinations through the free
    // egress-only gateway. The ALB stays IPv4: it is internal (no public address to save) and
    // CloudFront reaches it over the VPC origin's private IPv4 path; viewers get IPv6 at the edge.
    this.network = new Network(this, 'Network', { egress: props.egress, availabilityZones: props.availabilityZones, ipv6: props.ipv6 });
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network, ...clusterContext(this, props) });
    this.service = new ApiService(this, 'Api', {
      cluster: this.cluster, ...serviceContext(props, { deployment: Deployment.canary() }), ...fargateCapacityContext(props),
    });
    const { domainName, hostedZone, certificate } = domainContext(this, props);
    this.ingress = new CloudFrontIngress(this, 'Ingress', {
      network: this.network, service: this.service, healthCheck: albHealthCheckContext(props), targetGroupPort: ALB_TARGET_GROUP_PORT, domainName, hostedZone, certificate,
    });

    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      service: this.service, ingress: this.ingress.alb, network: this.network, ...monitoringContext(this, props),
    });

    acknowledgeNetwork(this.network);
    acknowledgeCluster(this.cluster);
    acknowledgeService(this.service);
    acknowledgeCloudFront(this.ingress);
    addReferenceOutputs(this, {
      url: this.ingress.url, network: this.network, cluster: this.cluster, service: this.service, dashboard: this.monitoring.dashboard,
    });
  }
}
