import { CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import {
  ALB_TARGET_GROUP_PORT, acknowledgeService, albHealthCheckContext, fargateCapacityContext, isLeanPreset, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { AlbIngress, IAlbIngress } from '@portcullis/alb-ingress';
import { ApiService, Deployment, IPlatform, Platform } from '@portcullis/cluster';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Construct } from 'constructs';

/** The platform's name when the context gives none (the platform app's default). */
export const DEFAULT_PLATFORM_NAME = 'portcullis';
/** The container ports the platform's load balancer reaches (its `vpcEgressPorts`, apps/platform). */
export const PLATFORM_SERVICE_PORTS = [80, 8080];

/** Configuration of the service app: the reference context, the platform to join and the route. */
export interface OrdersServiceProps extends StackProps, ReferenceContext {
  /** @default DEFAULT_PLATFORM_NAME */
  readonly platformName?: string;
  /**
   * The listener rule's priority on the platform's load balancer, unique among the services that
   * join it (the platform team hands them out: ELB refuses a duplicate at deploy time).
   * @default 10
   */
  readonly priority?: number;
  /**
   * The path prefix routed to the service.
   * @default '/orders'
   */
  readonly path?: string;
}

/**
 * A team's service in a CDK app of its own, joining the platform's load balancer: it reads the
 * platform (network, cluster, ALB, alarm topic) from SSM parameters at deploy time, with no
 * CloudFormation export, and holds everything of its own: the task definition and service with
 * their roles, the target groups, the production listener rule of its canary deployments and
 * their rollback alarms, the security-group rules, and its monitoring (notifying the platform's
 * alarm topic; the NAT alarms are the platform's).
 */
export class OrdersServiceStack extends Stack {
  public readonly platform: IPlatform;
  public readonly alb: IAlbIngress;
  public readonly service: ApiService;
  public readonly monitoring: ApiMonitoring;

  constructor(scope: Construct, id: string, props: OrdersServiceProps = {}) {
    super(scope, id, props);
    const platformName = props.platformName ?? DEFAULT_PLATFORM_NAME;
    const path = props.path ?? '/orders';
    this.platform = Platform.fromParameters(this, 'Platform', { platformName, alarmTopic: true });
    this.alb = AlbIngress.fromParameters(this, 'Alb', { platform: this.platform, vpcEgressPorts: PLATFORM_SERVICE_PORTS });
    this.service = new ApiService(this, 'Api', {
      cluster: this.platform.cluster, ...serviceContext(props, { deployment: Deployment.canary() }), ...fargateCapacityContext(props), desiredCount: props.desiredCount ?? 2,
    });
    // target groups on port 80 whatever containerPort says: a new port keeps them (the reference apps' rule)
    this.alb.addService(this.service, {
      priority: props.priority ?? 10, pathPatterns: [path, `${path}/*`], targetGroupPort: ALB_TARGET_GROUP_PORT, healthCheck: albHealthCheckContext(props),
    });
    // the service's own alarms and dashboard, notifying the platform's topic (the NAT alarms are the platform's)
    this.monitoring = new ApiMonitoring(this, 'Monitoring', {
      service: this.service, ingress: this.alb, alarmTopic: this.platform.alarmTopic, createDashboard: props.dashboard ?? !isLeanPreset(props),
    });

    acknowledgeService(this.service);
    acknowledgeServiceExecutionRole(this.service);
    new CfnOutput(this, 'ServiceName', { value: this.service.service.serviceName });
    new CfnOutput(this, 'Path', { description: 'The path prefix the platform\'s load balancer routes to this service', value: path });
  }
}

/**
 * The service's own task execution role (a service in a stack of its own never grants to the
 * platform cluster's role): the same AWS-managed policy as the platform's, acknowledged with the
 * same reasons.
 */
export function acknowledgeServiceExecutionRole(service: ApiService): void {
  Validations.of(service.executionRole).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]',
    reason: 'The seed\'s task execution policy, maintained by AWS for ECR and CloudWatch Logs',
  });
  Validations.of(service.executionRole).acknowledge({
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason: 'aws-cdk-lib writes grants as the role\'s default inline policy, scoped to the resources granted (the service\'s log group)',
  });
}
