import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ApiService, ClusterCapacity, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { IConstruct } from 'constructs';

/**
 * The reference apps' answers to cdk-nag (AwsSolutions, NIST 800-53 rev 5): each finding that
 * is a deliberate design choice is acknowledged on the narrowest construct, with its reason.
 * Findings not listed here fail the synth.
 */
function ack(scope: IConstruct, id: string, reason: string) {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Skips a checkov check on the CloudFormation resource behind `scope`, with the reason, in its metadata. */
function skipCheckov(scope: IConstruct, id: string, comment: string) {
  const resource = scope instanceof CfnResource ? scope : scope.node.defaultChild;
  if (!(resource instanceof CfnResource)) throw new Error(`skipCheckov: ${scope.node.path} has no CloudFormation resource`);
  const existing = (resource.getMetadata('checkov') as { skip?: object[] } | undefined)?.skip ?? [];
  resource.addMetadata('checkov', { skip: [...existing, { id, comment }] });
}

/** The construct id aws-cdk-lib gives the singleton provider of every AwsCustomResource in a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const EXECUTION_POLICY = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]';
const INLINE = 'NIST.800.53.R5-IAMNoInlinePolicy';
const LOGS_KMS = 'NIST.800.53.R5-CloudWatchLogGroupEncrypted';
const LOGS_KMS_REASON = 'CloudWatch Logs encrypts at rest with AWS-owned keys; a customer-managed KMS key adds cost and key policy, not protection this log needs';
const INLINE_REASON = 'aws-cdk-lib writes grants as the role\'s default inline policy, scoped to the resources granted';

export function acknowledgeNetwork(network: Network): void {
  const vpc = network.vpc.node.defaultChild as ec2.CfnVPC;
  ack(vpc, 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
    'No Portcullis resource uses the default security group; closing it needs a custom-resource Lambda in every stack');
  for (const subnet of network.vpc.publicSubnets) {
    ack(subnet, 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled',
      'Seed parity: public subnets hold only the ALB and NAT; tasks never get public IPs (assignPublicIp disabled)');
    ack(subnet, 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'A public subnet\'s default route to the internet gateway is what makes it public (ALB, NAT); private subnets route to NAT');
  }
  if (network.flowLog) {
    ack(network.node.findChild('FlowLogGroup'), LOGS_KMS, LOGS_KMS_REASON);
    ack(network.flowLog, INLINE, INLINE_REASON);
  }
  if (network.natInstance) {
    ack(network.natInstance, 'AwsSolutions-EC28', 'NAT instance: basic monitoring is enough for stateless address translation');
    ack(network.natInstance, 'AwsSolutions-EC29', 'NAT instance: stateless and recreated by the stack, no termination protection');
    ack(network.natInstance, 'NIST.800.53.R5-EC2InstanceDetailedMonitoringEnabled', 'NAT instance: basic monitoring is enough for stateless address translation');
    ack(network.natInstance, 'NIST.800.53.R5-EC2InstanceNoPublicIp', 'A NAT instance needs a public address: it is the egress IP partners allow-list');
    ack(network.natInstance, 'NIST.800.53.R5-EC2InstanceProfileAttached', 'NAT instance: translates addresses only and calls no AWS API');
    ack(network.natInstance, INLINE, INLINE_REASON);
    // The NAT instance's group accepts every protocol, but only from the VPC's own range.
    ack(network.vpc.node.findChild('NatSecurityGroup'), 'NIST.800.53.R5-EC2RestrictedCommonPorts',
      'NAT instance: forwards every protocol the private subnets send, so it accepts all traffic from the VPC\'s own range and nothing from outside');
  }
}

export function acknowledgeCluster(cluster: FargateCluster | Ec2Cluster): void {
  ack(cluster.executionRole, EXECUTION_POLICY, 'The seed\'s task execution policy, maintained by AWS for ECR and CloudWatch Logs');
  ack(cluster.executionRole, INLINE, INLINE_REASON);
  if (cluster.containerInsightsMode === ecs.ContainerInsights.DISABLED) {
    // the lean preset (or -c containerInsights=disabled): a priced choice, README "Idle cost"
    const reason = 'Container Insights off by choice (the lean preset or -c containerInsights=disabled): about $11/month on one service, '
      + 'most of the lean floor; ApiMonitoring watches running tasks and failed deployments from free sources (AWS/ECS metrics, healthy hosts, ECS service events)';
    ack(cluster.cluster, 'AwsSolutions-ECS4', reason);
    skipCheckov(cluster.cluster, 'CKV_AWS_65', reason);
  }
  if (cluster instanceof Ec2Cluster) {
    ack(cluster.instanceRole, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      'The ECS agent\'s policy, maintained by AWS (seed)');
    ack(cluster.instanceRole, 'AwsSolutions-IAM5[Action::ecs:Submit*]', 'ECS agent permissions added by aws-cdk-lib for the capacity provider');
    ack(cluster.instanceRole, 'AwsSolutions-IAM5[Resource::*]', 'ECS agent permissions added by aws-cdk-lib; ECS scopes them to the cluster');
    ack(cluster.instanceRole, INLINE, INLINE_REASON);
    skipCheckov(cluster.instanceRole.node.findChild('DefaultPolicy'), 'CKV_AWS_111', 'ECS agent permissions added by aws-cdk-lib (ecs:Submit* and friends); ECS scopes them to the cluster');
    ack(cluster.autoScalingGroup, 'AwsSolutions-AS3', 'Scaling is managed by the ECS capacity provider; its activity is visible in ECS');
    if (Stack.of(cluster).node.findAll().some((c) => c instanceof ec2.CfnInstance)) {
      // cdk-nag 3.0 matches the group to the first launch template of the stack (the NAT instance's, without block devices).
      ack(cluster.autoScalingGroup, 'AwsSolutions-EC26',
        'The group\'s own launch template has an encrypted gp3 root volume (tested in @portcullis/cluster); cdk-nag reads the NAT instance\'s launch template instead');
    }
    // The teardown helper (force-deletes the group on stack delete) and aws-cdk-lib's provider Lambda behind it.
    const teardown = cluster.node.findChild('ForceDeleteOnTeardown');
    ack(teardown, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/<ClusterAutoScalingGroupASG8FBA5099>]',
      'The wildcard is the group ARN\'s generated UUID part; the name pins the one group the teardown may delete');
    ack(teardown, INLINE, INLINE_REASON);
    // The teardown helper's Lambda log group (finite retention), one per stack.
    const teardownLogs = Stack.of(cluster).node.tryFindChild('PortcullisTeardownLogs');
    if (teardownLogs) ack(teardownLogs, LOGS_KMS, LOGS_KMS_REASON);
    const provider = Stack.of(cluster).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      ack(provider, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'aws-cdk-lib\'s custom-resource provider writes its logs with the basic execution policy');
      const once = 'Runs once, on stack delete, to force-delete the Auto Scaling group';
      ack(provider, 'NIST.800.53.R5-LambdaConcurrency', once);
      ack(provider, 'NIST.800.53.R5-LambdaDLQ', `${once}; CloudFormation reports its failure`);
      ack(provider, 'NIST.800.53.R5-LambdaInsideVPC', `${once}; it calls only the Auto Scaling API`);
      const fn = provider.node.findChild('Resource');
      skipCheckov(fn, 'CKV_AWS_115', once);
      skipCheckov(fn, 'CKV_AWS_116', `${once}; CloudFormation reports its failure`);
      skipCheckov(fn, 'CKV_AWS_117', `${once}; it calls only the Auto Scaling API`);
    }
  }
}

export function acknowledgeService(service: ApiService): void {
  ack(service.logGroup, LOGS_KMS, LOGS_KMS_REASON);
  if (service.cluster.capacity === ClusterCapacity.EC2) {
    ack(service.taskDefinition, 'AwsSolutions-ECS2', 'The only variable is AWS_REGION, which aws-cdk-lib adds to EC2 task definitions; secrets go through `secrets`');
  }
}

/**
 * The parts of an `AlbIngress` acknowledged here. Structural, so this kit does not depend on
 * the ingress packages (a change to one affects only the app that uses it).
 */
export interface AlbIngressParts {
  readonly securityGroup: IConstruct;
  readonly loadBalancer: IConstruct;
  readonly httpListener: IConstruct;
  readonly certificate?: unknown;
}

/** The parts of an `ApiGatewayIngress` acknowledged here. */
export interface ApiGatewayIngressParts {
  readonly api: IConstruct;
  readonly accessLog: { readonly logGroup: IConstruct };
}

export function acknowledgeAlb(ingress: AlbIngressParts): void {
  const publicReason = 'A public API: the listener ports are open to the internet on purpose, nothing else is';
  ack(ingress.securityGroup, 'AwsSolutions-EC23', publicReason);
  skipCheckov(ingress.securityGroup, 'CKV_AWS_260', publicReason);
  const lb = ingress.loadBalancer;
  const logsReason = 'Access logs are one prop away (accessLogs: true); off in the reference app to avoid a log bucket per environment';
  ack(lb, 'AwsSolutions-ELB2', logsReason);
  ack(lb, 'NIST.800.53.R5-ELBLoggingEnabled', logsReason);
  skipCheckov(lb, 'CKV_AWS_91', logsReason);
  ack(lb, 'NIST.800.53.R5-ALBWAFEnabled', 'WAF is one prop away (webAclArn); the reference app has no web ACL of its own to attach');
  ack(lb, 'NIST.800.53.R5-ELBDeletionProtectionEnabled', 'A reference environment must go away with cdk destroy; set deletionProtection for production');
  if (!ingress.certificate) {
    const httpsReason = 'No domain, no certificate: HTTP as in the seed; give domainName + hostedZoneId (or certificateArn) for HTTPS with a redirect';
    ack(ingress.httpListener, 'NIST.800.53.R5-ALBHttpToHttpsRedirection', httpsReason);
    ack(ingress.httpListener, 'NIST.800.53.R5-ELBv2ACMCertificateRequired', httpsReason);
    skipCheckov(ingress.httpListener, 'CKV_AWS_2', httpsReason);
    skipCheckov(ingress.httpListener, 'CKV_AWS_103', httpsReason);
  } else {
    // With a certificate the HTTPS listener serves the API, and the port-80 listener only
    // answers 301 to https:// (NIST's redirect rule passes): it has no certificate because it
    // terminates no TLS, which is what ELBv2ACMCertificateRequired asks of every listener.
    ack(ingress.httpListener, 'NIST.800.53.R5-ELBv2ACMCertificateRequired', REDIRECT_ONLY_REASON);
  }
}

/** Why the port-80 listener of an ALB with HTTPS needs no certificate. */
export const REDIRECT_ONLY_REASON = 'port 80 only redirects to 443: the HTTP listener answers every request with a redirect to HTTPS and serves nothing';

export function acknowledgeApiGateway(ingress: ApiGatewayIngressParts): void {
  ack(ingress.api, 'AwsSolutions-APIG4', 'A public API: the service authenticates its callers; pass `authorizer` to authorize at the edge');
  ack(ingress.accessLog.logGroup, LOGS_KMS, LOGS_KMS_REASON);
}

/**
 * The parts of a `CloudFrontIngress` acknowledged here: the distribution, the internal
 * load balancer (an `AlbIngress`), and the ingress itself (its security-group lookup).
 */
export interface CloudFrontIngressParts extends IConstruct {
  readonly distribution: IConstruct;
  readonly alb: AlbIngressParts;
}

export function acknowledgeCloudFront(ingress: CloudFrontIngressParts): void {
  const d = ingress.distribution;
  const geo = 'A public API for every country; geoRestriction is one prop away';
  ack(d, 'AwsSolutions-CFR1', geo);
  skipCheckov(d, 'CKV_AWS_374', geo);
  const waf = 'WAF is one prop away (webAclArn, a CLOUDFRONT web ACL); the reference app has no web ACL of its own to attach';
  ack(d, 'AwsSolutions-CFR2', waf);
  skipCheckov(d, 'CKV_AWS_68', waf);
  const logs = 'Access logs are one prop away (accessLogs: true); off in the reference app to avoid a log bucket per environment';
  ack(d, 'AwsSolutions-CFR3', logs);
  skipCheckov(d, 'CKV_AWS_86', logs);
  if (!ingress.alb.certificate && !hasCustomCertificate(d)) {
    const tls = 'No domain: the *.cloudfront.net certificate, whose TLS policy CloudFront fixes; domainName + certificateArn (us-east-1) give TLSv1.2_2021';
    ack(d, 'AwsSolutions-CFR4', tls);
    skipCheckov(d, 'CKV_AWS_174', tls);
  }
  skipCheckov(d, 'CKV_AWS_305', 'An API, not a website: there is no root object to serve');
  skipCheckov(d, 'CKV_AWS_310', 'One origin, the internal load balancer across two AZs; there is no second origin to fail over to');

  // The internal load balancer: reachable only from CloudFront's VPC-origin network interfaces.
  const lb = ingress.alb.loadBalancer;
  const albLogs = 'CloudFront access logs record every viewer request (accessLogs); the internal ALB only sees CloudFront';
  ack(lb, 'AwsSolutions-ELB2', albLogs);
  ack(lb, 'NIST.800.53.R5-ELBLoggingEnabled', albLogs);
  skipCheckov(lb, 'CKV_AWS_91', albLogs);
  ack(lb, 'NIST.800.53.R5-ALBWAFEnabled', 'WAF belongs at the edge (webAclArn on the distribution): the internal ALB accepts CloudFront\'s VPC origin only');
  ack(lb, 'NIST.800.53.R5-ELBDeletionProtectionEnabled', 'A reference environment must go away with cdk destroy; set deletionProtection for production');
  const hop = 'The hop from CloudFront\'s VPC origin to the internal ALB stays in the VPC on AWS\'s network; an internal ALB has no public name a certificate could be validated for. Viewers always use HTTPS (redirect-to-https at the edge)';
  ack(ingress.alb.httpListener, 'NIST.800.53.R5-ALBHttpToHttpsRedirection', hop);
  ack(ingress.alb.httpListener, 'NIST.800.53.R5-ELBv2ACMCertificateRequired', hop);
  skipCheckov(ingress.alb.httpListener, 'CKV_AWS_2', hop);
  skipCheckov(ingress.alb.httpListener, 'CKV_AWS_103', hop);

  // The deploy-time lookup of CloudFront's VPC-origin security group acknowledges its own
  // findings in @portcullis/cloudfront-ingress (its Lambda, role and log group).
  const providerLogs = Stack.of(ingress).node.tryFindChild('PortcullisCustomResourceLogs');
  if (providerLogs) ack(providerLogs, LOGS_KMS, LOGS_KMS_REASON);
}

/** Whether the distribution has a custom certificate (an `AcmCertificateArn` in its viewer certificate). */
function hasCustomCertificate(distribution: IConstruct): boolean {
  const cfn = distribution.node.defaultChild as CfnResource | undefined;
  const config = cfn ? (Stack.of(distribution).resolve((cfn as unknown as { distributionConfig: unknown }).distributionConfig) as { viewerCertificate?: { acmCertificateArn?: unknown } }) : undefined;
  return config?.viewerCertificate?.acmCertificateArn !== undefined;
}
