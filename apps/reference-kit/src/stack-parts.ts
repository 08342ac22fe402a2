import { Annotations, ArnFormat, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiService, Capacity, Deployment, IApiCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { Construct } from 'constructs';
import { checkHealthCheckPath, checkImageReachable, HEALTH_CHECK_OFF, isLeanPreset, ReferenceContext } from './context';

/**
 * The service props every app takes from its context (image, port, count, deployment).
 * Checks, before the service exists, that the image can be pulled with the chosen egress.
 * `defaults.deployment` is the app's strategy when the context gives none.
 */
export function serviceContext(ctx: ReferenceContext, defaults: { deployment?: Deployment } = {}) {
  checkImageReachable(ctx);
  return {
    image: ctx.image ? ecs.ContainerImage.fromRegistry(ctx.image) : undefined,
    containerPort: ctx.containerPort,
    desiredCount: ctx.desiredCount,
    deployment: keepTrafficShift(ctx.deployment, defaults.deployment),
  };
}

/**
 * `-c deployment=rolling` on an app whose default shifts traffic (the ALB apps' canary) keeps
 * the traffic-shift resources (`Deployment.rolling({ keepTrafficShiftResources: true })`):
 * a deployed stack's production rule and alternate target group may carry the live traffic,
 * and ECS's switch to rolling keeps the load-balancer configuration
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-bluegreen-to-rolling.html).
 */
function keepTrafficShift(deployment: Deployment | undefined, fallback: Deployment | undefined): Deployment | undefined {
  if (deployment === undefined) return fallback;
  const rollingFromShift = deployment.strategy === ecs.DeploymentStrategy.ROLLING && !deployment.usesTrafficShiftResources && fallback?.needsTrafficShift === true;
  return rollingFromShift ? Deployment.rolling({ keepTrafficShiftResources: true }) : deployment;
}

/**
 * The ALB apps' target groups keep port 80 whatever `containerPort` says: ECS registers each
 * task with its container port and the health check uses the port a target was registered
 * with, so the groups' `Port` (create-only) only names them, and `-c containerPort=8080` on a
 * deployed stack keeps the groups that carry the live traffic (alb-ingress README, Day 2).
 */
export const ALB_TARGET_GROUP_PORT = 80;

/**
 * The lean options of a Fargate service from the context: `capacity` (Fargate Spot, or a mix)
 * and `architecture` (Graviton). Nothing for the defaults, so the default template is unchanged.
 */
export function fargateCapacityContext(ctx: ReferenceContext): { capacity?: Capacity; runtimePlatform?: ecs.RuntimePlatform } {
  const capacity = ctx.capacity === 'spot' ? Capacity.spot() : ctx.capacity === 'mixed' ? Capacity.mixed() : undefined;
  const runtimePlatform = ctx.architecture === 'arm64'
    ? { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX }
    : undefined;
  return { capacity, runtimePlatform };
}

/**
 * The lean options of an `Ec2Cluster` from the context: `capacity=spot` means Spot instances,
 * `architecture=arm64` Graviton instances (the task definition follows the cluster).
 * `capacity=mixed` is a Fargate mix: refused. The lean preset (all three lean options) runs
 * t4g.small instead of the cluster's default t4g.medium: the same 2 vCPUs, CPU credits (24 an
 * hour) and 3 network interfaces (so the same 2 awsvpc tasks per instance), 2 GiB instead of 4,
 * which holds the two reference tasks (0.5 GiB each) and the ECS agent.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-performance-instances.html
 */
export function ec2CapacityContext(ctx: ReferenceContext): { spot?: boolean; graviton?: boolean; instanceType?: ec2.InstanceType } {
  if (ctx.capacity === 'mixed') {
    throw new Error('Context `capacity` \'mixed\' is a Fargate capacity-provider mix; the EC2 app\'s tasks run on the cluster\'s instances: use -c capacity=spot (Spot instances) or onDemand');
  }
  return {
    spot: ctx.capacity === 'spot' ? true : undefined,
    graviton: ctx.architecture === 'arm64' ? true : undefined,
    instanceType: isLeanPreset(ctx) ? new ec2.InstanceType(LEAN_EC2_INSTANCE_TYPE) : undefined,
  };
}

/** The EC2 app's instance type in the lean preset. */
export const LEAN_EC2_INSTANCE_TYPE = 't4g.small';

/**
 * `ApiMonitoring`'s props from the context: the alarm topic (`alarmTopic`), and whether to draw
 * the dashboard: `-c dashboard=true|false`, by default yes except in the lean preset, where the
 * $3.00 a month of a dashboard is the largest line after compute and NAT (the alarms, their
 * topic and the rollbacks stay; CloudWatch's automatic dashboards cost nothing). The lean
 * preset says so at synth (an info message).
 */
export function monitoringContext(scope: Construct, ctx: ReferenceContext): { alarmTopic: sns.Topic; createDashboard: boolean } {
  const lean = isLeanPreset(ctx);
  if (lean && ctx.dashboard === undefined) {
    Annotations.of(scope).addInfo('Lean preset (capacity=spot, architecture=arm64, ipv6=true): no CloudWatch dashboard ($3.00/month); every alarm stays. Add -c dashboard=true to keep the dashboard.');
  }
  return { alarmTopic: alarmTopic(scope, ctx), createDashboard: ctx.dashboard ?? !lean };
}

/**
 * The cluster's Container Insights from the context: `-c containerInsights=enabled|enhanced|disabled`;
 * by default standard (`ENABLED`, as in the seeds), except in the lean preset, where it is off:
 * $11.27 a month on one Fargate service (37 metrics and their performance logs), most of the
 * lean floor. `ApiMonitoring` then watches the running tasks from free sources. The lean
 * preset says so at synth (an info message).
 */
export function clusterContext(scope: Construct, ctx: ReferenceContext): { containerInsightsMode: ecs.ContainerInsights } {
  const lean = isLeanPreset(ctx);
  if (lean && ctx.containerInsights === undefined) {
    Annotations.of(scope).addInfo('Lean preset (capacity=spot, architecture=arm64, ipv6=true): Container Insights off (about $11/month on one service); '
      + 'ApiMonitoring watches the running tasks from free sources. Add -c containerInsights=enabled to keep it.');
  }
  return { containerInsightsMode: ctx.containerInsights ?? (lean ? ecs.ContainerInsights.DISABLED : ecs.ContainerInsights.ENABLED) };
}

/**
 * The ALB's address type from the context: with `ipv6`, `dualstack-without-public-ipv4`
 * (IPv6 clients only, no public IPv4 address to pay for); otherwise the default (IPv4).
 */
export function albAddressContext(ctx: ReferenceContext): { ipAddressType?: elbv2.IpAddressType } {
  return ctx.ipv6 ? { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 } : {};
}

/**
 * The ALB target group's health check from the context: `healthCheckPath` sets the path it
 * requests (default: the ingress's `/`). `none` is refused: an ALB always checks its targets.
 */
export function albHealthCheckContext(ctx: ReferenceContext): { path: string } | undefined {
  const path = ctx.healthCheckPath;
  if (path === undefined) return undefined;
  if (path === HEALTH_CHECK_OFF) {
    throw new Error(`Context \`healthCheckPath\` '${HEALTH_CHECK_OFF}' turns off a container health check; an ALB always health-checks its targets: give the path it should request, e.g. -c healthCheckPath=/health`);
  }
  checkHealthCheckPath(path);
  return { path };
}

/** The custom-domain props of an ingress from the context: hosted zone and/or certificate. */
export function domainContext(scope: Construct, ctx: ReferenceContext) {
  const hostedZone = ctx.hostedZoneId && ctx.domainName
    ? route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', {
      hostedZoneId: ctx.hostedZoneId,
      zoneName: ctx.hostedZoneName ?? ctx.domainName.split('.').slice(1).join('.'),
    })
    : undefined;
  const certificate = ctx.certificateArn ? acm.Certificate.fromCertificateArn(scope, 'Certificate', ctx.certificateArn) : undefined;
  return { domainName: ctx.domainName, hostedZone, certificate };
}

/**
 * The outputs every app has: URL, egress IPs for allow-lists, cluster, service, log group, and
 * the CloudWatch dashboard's name when the app has one (`ApiMonitoring`'s `dashboard`).
 */
export function addReferenceOutputs(
  stack: Stack,
  parts: { url: string; network: Network; cluster: IApiCluster; service: ApiService; dashboard?: cloudwatch.Dashboard },
): void {
  new CfnOutput(stack, 'Url', { description: 'The public URL of the API', value: parts.url });
  new CfnOutput(stack, 'EgressIps', {
    description: 'Every outbound connection from the private subnets leaves from these addresses: give them to partners to allow-list',
    value: parts.network.egressIps.length > 0 ? Fn.join(',', parts.network.egressIps) : 'none (no NAT)',
  });
  if (parts.network.ipv6Cidr) {
    new CfnOutput(stack, 'EgressIpv6Cidr', {
      description: 'IPv6 connections from the tasks leave from their own addresses in this block (egress-only gateway, not the NAT): partners allow-list it for IPv6',
      value: parts.network.ipv6Cidr,
    });
  }
  new CfnOutput(stack, 'ClusterName', { value: parts.cluster.cluster.clusterName });
  new CfnOutput(stack, 'ServiceName', { value: parts.service.service.serviceName });
  new CfnOutput(stack, 'LogGroup', { value: parts.service.logGroup.logGroupName });
  if (parts.dashboard) {
    new CfnOutput(stack, 'Dashboard', {
      description: 'CloudWatch dashboard of the API (CloudWatch console > Dashboards): alarms, service, ingress and NAT metrics',
      value: parts.dashboard.dashboardName,
    });
  }
}

/**
 * The SNS topic the apps' alarms notify (`ApiMonitoring`'s `alarmTopic`): encrypted with a
 * customer managed key that rotates (CloudWatch cannot publish to a topic under the AWS
 * managed `alias/aws/sns` key), TLS-only, and an email subscription when the context gives
 * `alarmEmail`. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 *
 * CloudWatch needs both halves to deliver a notification:
 * - the key: `kms:Decrypt` and `kms:GenerateDataKey*` for `cloudwatch.amazonaws.com`
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * - the topic policy: `sns:Publish` for `cloudwatch.amazonaws.com`. A topic policy replaces the
 *   topic's default policy, and `enforceSSL` writes one (a single Deny), so without this Allow
 *   every alarm action fails ("is not authorized to perform: SNS:Publish ... because no
 *   resource-based policy allows the SNS:Publish action", visible only in the alarm's history).
 *   Scoped to this account's alarms in this Region with `aws:SourceAccount` and `aws:SourceArn`
 *   (confused deputy), as AWS documents it:
 *   https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger and
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 *
 * The key goes with the stack: `cdk destroy` schedules its deletion after 7 days, the
 * shortest pending window KMS allows (a retained key would cost $1 a month per
 * deploy/destroy cycle). https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 */
export function alarmTopic(scope: Construct, ctx: ReferenceContext): sns.Topic {
  const masterKey = new kms.Key(scope, 'AlarmTopicKey', {
    description: 'Encrypts the alarm notifications of the API (SNS topic)',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(ALARM_TOPIC_KEY_PENDING_WINDOW_DAYS),
  });
  // CloudWatch publishes to the encrypted topic with this key.
  masterKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(scope, 'AlarmTopic', { masterKey, enforceSSL: true });
  const stack = Stack.of(scope);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  if (ctx.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(ctx.alarmEmail));
  return topic;
}

/** Days KMS waits before deleting the alarm topic's key after `cdk destroy` (7, the minimum). */
export const ALARM_TOPIC_KEY_PENDING_WINDOW_DAYS = 7;
