import { CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { acknowledgeService, fargateCapacityContext, isLeanPreset, ReferenceContext, serviceContext } from '@portcullis-apps/reference-kit';
import { ApiGatewayIngress, IApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, IPlatform, Platform } from '@portcullis/cluster';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Construct } from 'constructs';

/** The platform's name when the context gives none (the platform app's default). */
export const DEFAULT_PLATFORM_NAME = 'portcullis';

/** Configuration of the service app: the reference context, the platform to join and the route. */
export interface CatalogServiceProps extends StackProps, ReferenceContext {
  /** @default DEFAULT_PLATFORM_NAME */
  readonly platformName?: string;
  /**
   * The path prefix the platform's HTTP API routes to the service (`<path>` and `<path>/...`),
   * unique among the services that join it.
   * @default '/catalog'
   */
  readonly path?: string;
}

/**
 * A team's service in a CDK app of its own, joining the platform's HTTP API: it reads the
 * platform (network, cluster, HTTP API, VPC link, Cloud Map namespace, alarm topic) from SSM
 * parameters at deploy time, with no CloudFormation export, and holds everything of its own:
 * the task definition and service with their roles, its Cloud Map service (SRV records), its
 * routes and their integration, the security-group rules, its rollback alarm and its monitoring.
 * Rolling deployments: behind an HTTP API, ECS cannot shift traffic (see the apigw-ingress README).
 */
export class CatalogServiceStack extends Stack {
  public readonly platform: IPlatform;
  public readonly httpApi: IApiGatewayIngress;
  public readonly service: ApiService;
  public readonly monitoring: ApiMonitoring;
  /** The service's Cloud Map service (its SRV records, which the platform's VPC link resolves). */
  public readonly cloudMapService: servicediscovery.Service;

  constructor(scope: Construct, id: string, props: CatalogServiceProps = {}) {
    super(scope, id, props);
    const platformName = props.platformName ?? DEFAULT_PLATFORM_NAME;
    const path = props.path ?? '/catalog';
    this.platform = Platform.fromParameters(this, 'Platform', { platformName, alarmTopic: true });
    this.httpApi = ApiGatewayIngress.fromParameters(this, 'HttpApi', { platform: this.platform });
    this.service = new ApiService(this, 'Api', { cluster: this.platform.cluster, ...serviceContext(props), ...fargateCapacityContext(props), desiredCount: props.desiredCount ?? 2 });
    this.cloudMapService = this.httpApi.addService(this.service, { path });
    // the service's own alarms and dashboard, notifying the platform's topic (the NAT alarms are the platform's)
    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      service: this.service, ingress: this.httpApi, alarmTopic: this.platform.alarmTopic, createDashboard: props.dashboard ?? !isLeanPreset(props),
    });

    acknowledgeService(this.service);
    // the service's routes on the platform's API: authorized as the platform's routes are
    Validations.of(this.service.node.findChild('HttpApi')).acknowledge({
      id: 'AwsSolutions-APIG4', reason: 'A public API: the service authenticates its callers, as the platform\'s routes do (its ingress has no `authorizer`); with one, give `authorizationType` and the routes use it',
    });
    for (const [finding, reason] of [
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]', 'The seed\'s task execution policy, maintained by AWS for ECR and CloudWatch Logs'],
      ['NIST.800.53.R5-IAMNoInlinePolicy', 'aws-cdk-lib writes grants as the role\'s default inline policy, scoped to the resources granted (the service\'s log group)'],
    ]) Validations.of(this.service.executionRole).acknowledge({ id: finding, reason });
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'Path', { description: 'The path prefix the platform\'s HTTP API routes to this service', value: path });
  }
}
