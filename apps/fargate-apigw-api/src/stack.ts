import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  acknowledgeApiGateway, acknowledgeCluster, acknowledgeNetwork, acknowledgeService,
  addReferenceOutputs, clusterContext, checkHealthCheckPath, domainContext, fargateCapacityContext, HEALTH_CHECK_OFF, monitoringContext, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { ApiMonitoring } from '@portcullis/monitoring';
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
  /** Alarms and the dashboard (`-c alarmEmail=` subscribes an address to their topic). */
  public readonly monitoring: ApiMonitoring;

  constructor(scope: Construct, id: string, props: FargateApigwApiProps = {}) {
    super(scope, id, props);
    if (props.domainName && !props.certificateArn) {
      throw new Error('Context `domainName` needs `certificateArn` (an ACM certificate for it in this region) on the API Gateway app');
    }
    this.network = new Network(this, 'Network', { egress: props.egress, availabilityZones: props.availabilityZones, ipv6: props.ipv6 });
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network, ...clusterContext(this, props) });
    const containerPort = props.containerPort ?? 80;
    const healthCheckPath = props.healthCheckPath ?? '/';
    checkHealthCheckPath(healthCheckPath);
    this.service = new ApiService(this, 'Api', {
      cluster: this.cluster,
      ...serviceContext(props),
      ...fargateCapacityContext(props),
      healthCheck: healthCheckPath === HEALTH_CHECK_OFF ? undefined : containerHealthCheck(containerPort, healthCheckPath),
    });
    this.ingress = new ApiGatewayIngress(this, 'Ingress', { network: this.network, service: this.service, ...domainContext(this, props) });

    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      service: this.service, ingress: this.ingress, network: this.network, ...monitoringContext(this, props),
    });

    acknowledgeNetwork(this.network);
    acknowledgeCluster(this.cluster);
    acknowledgeService(this.service);
    acknowledgeApiGateway(this.ingress);
    addReferenceOutputs(this, {
      url: this.ingress.url, network: this.network, cluster: this.cluster, service: this.service, dashboard: this.monitoring.dashboard,
    });
  }
}

/**
 * The container health check. Nothing else checks task health on this path (no load
 * balancer), so ECS replaces a task that turns UNHEALTHY. Seed values (`curl -f`, every 5 s,
 * timeout 3 s, 2 retries), plus a 60 s start period: failures while the app starts do not
 * count (ECS allows 0 to 300 s). The image needs curl, and `path` must answer 2xx/3xx.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
 */
export function containerHealthCheck(containerPort: number, path: string): ecs.HealthCheck {
  return {
    command: ['CMD-SHELL', `curl -f http://localhost:${containerPort}${path} || exit 1`],
    interval: Duration.seconds(5),
    retries: 2,
    timeout: Duration.seconds(3),
    startPeriod: Duration.seconds(60),
  };
}
