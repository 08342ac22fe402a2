import { ArnFormat, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ALB_TARGET_GROUP_PORT, acknowledgeAlb, albAddressContext, albHealthCheckContext, fargateCapacityContext, acknowledgeApiGateway, acknowledgeCluster, acknowledgeNetwork, acknowledgeService,
  addReferenceOutputs, clusterContext, monitoringContext, ReferenceContext, serviceContext,
} from '@portcullis-apps/reference-kit';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, FargateCluster, Platform } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { ApiMonitoring } from '@portcullis/monitoring';
import { Construct } from 'constructs';

/** The platform's name when the context gives none (`-c platformName=`). */
export const DEFAULT_PLATFORM_NAME = 'portcullis';

/**
 * The container ports the platform's load balancer reaches in the VPC (`vpcEgressPorts`): one
 * outbound rule per port, none per service, so a hundred services fit in the security group's
 * quota of 60 rules. A service app whose container port is not listed is refused at its synth.
 */
export const SERVICE_PORTS = [80, 8080];

/** Configuration of the platform: the reference context, and the platform's name. */
export interface PlatformProps extends StackProps, ReferenceContext {
  /**
   * The platform's name: its SSM parameters are under `/portcullis/<platformName>/`.
   * @default DEFAULT_PLATFORM_NAME
   */
  readonly platformName?: string;
}

/**
 * A platform services join from CDK apps of their own: one network, one Fargate cluster, an
 * internet-facing ALB and an HTTP API with its VPC link, and the topic their alarms notify,
 * all published in SSM parameters (`Platform`, `alb.publish`, `httpApi.publish`). The ALB and
 * the HTTP API need a default service (the ALB's listener may only forward, for ECS canary
 * deployments): one small fallback service answers what no service's rule matches, behind both.
 * Its monitoring is the platform's own, with the NAT alarms, once for every service.
 */
export class PlatformStack extends Stack {
  public readonly platformName: string;
  public readonly network: Network;
  public readonly cluster: FargateCluster;
  public readonly fallback: ApiService;
  public readonly alb: AlbIngress;
  public readonly httpApi: ApiGatewayIngress;
  public readonly monitoring: ApiMonitoring;
  public readonly platform: Platform;

  constructor(scope: Construct, id: string, props: PlatformProps = {}) {
    super(scope, id, props);
    this.platformName = props.platformName ?? DEFAULT_PLATFORM_NAME;
    this.network = new Network(this, 'Network', { egress: props.egress, availabilityZones: props.availabilityZones, ipv6: props.ipv6 });
    this.cluster = new FargateCluster(this, 'Cluster', { network: this.network, ...clusterContext(this, props) });
    this.fallback = new ApiService(this, 'Fallback', { cluster: this.cluster, ...serviceContext(props), ...fargateCapacityContext(props), desiredCount: props.desiredCount ?? 1 });
    this.alb = new AlbIngress(this, 'Alb', {
      network: this.network, service: this.fallback, targetGroupPort: ALB_TARGET_GROUP_PORT, vpcEgressPorts: SERVICE_PORTS,
      healthCheck: albHealthCheckContext(props), ...albAddressContext(props),
    });
    this.httpApi = new ApiGatewayIngress(this, 'HttpApi', { network: this.network, service: this.fallback });
    const monitoring = monitoringContext(this, props);
    this.monitoring = new ApiMonitoring(this, 'Monitoring', { service: this.fallback, ingress: this.alb, network: this.network, ...monitoring });

    allowServiceEventRules(monitoring.alarmTopic);
    this.platform = new Platform(this, 'Platform', {
      platformName: this.platformName, network: this.network, cluster: this.cluster, alarmTopic: monitoring.alarmTopic,
    });
    this.alb.publish(this.platformName);
    this.httpApi.publish(this.platformName);

    acknowledgeNetwork(this.network);
    acknowledgeCluster(this.cluster);
    acknowledgeService(this.fallback);
    acknowledgeAlb(this.alb);
    acknowledgeApiGateway(this.httpApi);
    addReferenceOutputs(this, { url: this.alb.url, network: this.network, cluster: this.cluster, service: this.fallback, dashboard: this.monitoring.dashboard });
    new CfnOutput(this, 'HttpApiUrl', { description: 'The HTTP API the service apps of the HTTP API join', value: this.httpApi.url });
    new CfnOutput(this, 'PlatformName', { description: 'Service apps join with -c platformName=<this>; the parameters are under /portcullis/<this>/', value: this.platformName });
  }
}

/**
 * The services' monitoring (in their own stacks and apps) sends ECS service events to the
 * platform's topic through EventBridge rules when it cannot tell that the cluster has Container
 * Insights (an imported cluster). Their stacks cannot change this topic's policy, so the
 * platform admits the rules of its account and Region: `sns:Publish` for `events.amazonaws.com`
 * from `arn:aws:events:<region>:<account>:rule/*`, and the key for it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
function allowServiceEventRules(topic: sns.Topic): void {
  const stack = Stack.of(topic);
  const principal = new iam.ServicePrincipal('events.amazonaws.com');
  const conditions = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
  };
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowServiceEventRulesToPublish', principals: [principal], actions: ['sns:Publish'], resources: [topic.topicArn], conditions,
  }));
  topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowServiceEventRulesToEncrypt', principals: [principal], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions,
  }));
}
