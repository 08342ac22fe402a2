import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AlbHealthCheck, AlbIngress } from '@portcullis/alb-ingress';
import { ApiService } from '@portcullis/cluster';
import { INetwork } from '@portcullis/network';
import { arn, domainInZone, domainName as checkDomainName, duration } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';

/** Properties of a {@link CloudFrontIngress}. */
export interface CloudFrontIngressProps {
  /**
   * The network. The internal load balancer goes in its private subnets (at least two AZs);
   * the VPC needs an internet gateway attached (a `Network` with public subnets, the
   * default), which CloudFront VPC origins require even though nothing public is used.
   */
  readonly network: INetwork;
  /** The default service: everything no rule of `alb.addService` matches goes to it. */
  readonly service: ApiService;
  /**
   * A domain name for the API (an alternate domain name of the distribution). Needs
   * `certificate`. A token must resolve to the full name, without a trailing dot.
   *
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly domainName?: string;
  /**
   * An ACM certificate in **us-east-1** covering `domainName` (CloudFront only uses
   * certificates from us-east-1, whatever the stack's Region).
   *
   * @default - none: CloudFront's default `*.cloudfront.net` certificate
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The Route 53 hosted zone of `domainName`: alias A and AAAA records to the distribution
   * are created in it.
   *
   * @default - no DNS record (create the CNAME or alias yourself)
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * ARN of a WAFv2 web ACL of scope CLOUDFRONT (always in us-east-1):
   * `arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>`.
   *
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * The edge locations that serve the API, and so the price per request and per GB.
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_100 - North America, Europe and Israel: the
   * lowest prices; viewers elsewhere are served from these locations, with more latency
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * How long CloudFront waits for a response from the load balancer (the origin response
   * timeout), a whole number of seconds from 1 to 180. CloudFront's default quota allows up
   * to 60 s; above 60 s, request an increase of the quota "Response timeout per origin"
   * first (synth warns). The internal load balancer's idle timeout follows it (at least
   * 60 s, and 5 s above the read timeout), so the load balancer never cuts a request
   * CloudFront still waits for.
   *
   * @default Duration.seconds(30) - CloudFront's default
   */
  readonly originReadTimeout?: Duration;
  /**
   * Countries allowed or denied (`GeoRestriction.allowlist('US', 'CA')`).
   *
   * @default - no restriction
   */
  readonly geoRestriction?: cloudfront.GeoRestriction;
  /**
   * Write CloudFront standard access logs to a new S3 bucket (SSE-S3, SSL only, public
   * access blocked, ACLs enabled for the log-delivery writer, objects expire after 90 days).
   *
   * @default false - about $0.023/GB-month stored
   */
  readonly accessLogs?: boolean;
  /**
   * The default service's health check, done by the internal load balancer.
   *
   * @default - the seed's: `/` every 6 s, timeout 5 s, healthy 2, unhealthy 10
   */
  readonly healthCheck?: AlbHealthCheck;
}

/** See {@link CloudFrontIngress.VPC_ORIGINS_SERVICE_SECURITY_GROUP}. */
const VPC_ORIGINS_SERVICE_SECURITY_GROUP = 'CloudFront-VPCOrigins-Service-SG';

/** CloudFront's origin response timeout: 1-60 s by default quota, up to 180 s with a quota increase. */
const READ_TIMEOUT = { min: 1, max: 180, defaultQuota: 60, default: 30 };

/** The construct id aws-cdk-lib gives the singleton Lambda of every AwsCustomResource in a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * A public HTTPS API with nothing public in the VPC: a CloudFront distribution whose VPC
 * origin reaches an internal Application Load Balancer (an {@link AlbIngress} with
 * `internetFacing: false`) in the private subnets, in front of {@link ApiService}s. The
 * load balancer's security group accepts only CloudFront's VPC-origin network interfaces
 * (the `CloudFront-VPCOrigins-Service-SG` group), on port 80 only.
 *
 * API defaults: redirect to HTTPS, TLS 1.2 (2021 policy) with a custom certificate, every
 * HTTP method, caching disabled (managed `CachingDisabled`), every viewer header except
 * Host, query strings and cookies forwarded (managed `AllViewerExceptHostHeader`),
 * compression, HTTP/2 and HTTP/3, IPv6.
 */
export class CloudFrontIngress extends Construct {
  /**
   * The name of the security group CloudFront creates in a VPC for the network interfaces of
   * its VPC origins: the only source the internal load balancer accepts.
   * https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_cloudfront_origins-readme.html#restrict-traffic-coming-to-the-vpc-origin
   */
  public static readonly VPC_ORIGINS_SERVICE_SECURITY_GROUP = VPC_ORIGINS_SERVICE_SECURITY_GROUP;

  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The API's base URL: `https://<domainName or *.cloudfront.net name>`. */
  public readonly url: string;
  /** The internal load balancer; its `addService` routes paths or hosts to more services. */
  public readonly alb: AlbIngress;
  /** The CloudFront VPC origin of the internal load balancer. */
  public readonly vpcOrigin: cloudfront.IVpcOrigin;
  /** The access-log bucket, when `accessLogs` is on. */
  public readonly accessLogsBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: CloudFrontIngressProps) {
    super(scope, id);
    const domain = this.validate(props);
    const readTimeout = props.originReadTimeout ?? Duration.seconds(READ_TIMEOUT.default);
    const idleSeconds = readTimeout.isUnresolved() ? 60 : Math.max(60, readTimeout.toSeconds() + 5);

    // ---- the internal load balancer: AlbIngress, not a second implementation
    this.alb = new AlbIngress(this, 'Alb', {
      network: props.network,
      service: props.service,
      internetFacing: false,
      // no CIDR rule at all: only CloudFront's VPC-origin group, admitted below
      allowedCidrs: [],
      idleTimeout: Duration.seconds(idleSeconds),
      healthCheck: props.healthCheck,
    });

    // ---- VPC origin and distribution
    // HTTP from CloudFront to the load balancer: the traffic stays on AWS's network inside the
    // VPC (CloudFront's network interfaces in the private subnets), and an internal ALB has no
    // public name a certificate could match. Viewers always get HTTPS.
    this.vpcOrigin = new cloudfront.VpcOrigin(this, 'VpcOrigin', {
      endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(this.alb.loadBalancer),
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      httpPort: 80,
    });
    if (props.accessLogs) {
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        // CloudFront standard logs (legacy) are written with an ACL by the log-delivery account
        objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
        lifecycleRules: [{ expiration: Duration.days(90) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Portcullis API ${this.node.path}`.slice(0, 128),
      defaultBehavior: {
        origin: origins.VpcOrigin.withVpcOrigin(this.vpcOrigin, { readTimeout }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      domainNames: domain !== undefined ? [domain] : undefined,
      certificate: props.certificate,
      // The minimum protocol applies to a custom certificate only: with the default
      // *.cloudfront.net certificate CloudFront's policy is fixed (aws-cdk-lib warns otherwise).
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      webAclId: props.webAclArn,
      geoRestriction: props.geoRestriction,
      enableLogging: props.accessLogs ? true : undefined,
      logBucket: this.accessLogsBucket,
    });

    // ---- least privilege: the load balancer accepts CloudFront's VPC-origin group only
    this.allowVpcOriginsOnly(props.network);

    if (domain !== undefined && props.hostedZone) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'AliasRecord', { zone: props.hostedZone, recordName: `${domain}.`, target });
      new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone: props.hostedZone, recordName: `${domain}.`, target });
    }
    this.url = `https://${domain ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Adds the load balancer's only inbound rule: TCP 80 from the security group CloudFront
   * creates for its VPC-origin network interfaces. CloudFormation cannot name that group
   * (CloudFront creates it with the first VPC origin of the VPC), so a custom resource reads
   * its id with `ec2:DescribeSecurityGroups` (filtered by VPC and name) at deploy time, after
   * the distribution exists. No environment lookup: the stack stays environment-agnostic.
   */
  private allowVpcOriginsOnly(network: INetwork): void {
    const stack = Stack.of(this);
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeSecurityGroups',
      parameters: {
        Filters: [
          { Name: 'vpc-id', Values: [network.vpc.vpcId] },
          { Name: 'group-name', Values: [VPC_ORIGINS_SERVICE_SECURITY_GROUP] },
        ],
      },
      physicalResourceId: cr.PhysicalResourceId.of(VPC_ORIGINS_SERVICE_SECURITY_GROUP),
      outputPaths: ['SecurityGroups.0.GroupId'],
    };
    const providerExists = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID) !== undefined;
    const lookup = new cr.AwsCustomResource(this, 'VpcOriginsSecurityGroup', {
      onCreate: call,
      onUpdate: call,
      // ec2:DescribeSecurityGroups has no resource-level permissions: '*' is the only resource
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
      // the provider is one Lambda per stack: give it a finite log retention when this is the first
      logGroup: providerExists ? undefined : customResourceLogGroup(stack),
    });
    // CloudFront creates the group with the VPC origin; read it once the distribution is deployed.
    lookup.node.addDependency(this.distribution);
    new ec2.CfnSecurityGroupIngress(this, 'FromVpcOrigins', {
      groupId: this.alb.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      sourceSecurityGroupId: lookup.getResponseField('SecurityGroups.0.GroupId'),
      description: `Listener 80 from CloudFront VPC origins (${VPC_ORIGINS_SERVICE_SECURITY_GROUP}) only`,
    });
  }

  /** Checks the props before anything is created; returns the domain name (no trailing dot). */
  private validate(props: CloudFrontIngressProps): string | undefined {
    if (props.hostedZone && props.domainName === undefined) {
      throw new Error('`hostedZone` was given without `domainName`: give the domain name to serve, e.g. api.example.com, or leave `hostedZone` out');
    }
    checkDomainName('domainName', props.domainName);
    if (props.domainName !== undefined && !props.certificate) {
      throw new Error(`\`domainName\` '${props.domainName}' needs \`certificate\`: an ACM certificate in us-east-1 covering it (CloudFront only uses us-east-1 certificates), e.g. acm.Certificate.fromCertificateArn(this, 'Cert', 'arn:aws:acm:us-east-1:...')`);
    }
    if (props.hostedZone) domainInZone('domainName', props.domainName, zoneNameOf(props.hostedZone));
    if (props.certificate) {
      // the Region in the ARN (an imported certificate's `env` is the stack's, not its own)
      const certArn = props.certificate.certificateArn;
      const region = Token.isUnresolved(certArn) ? props.certificate.env.region : certArn.split(':')[3];
      if (region !== undefined && !Token.isUnresolved(region) && region !== 'us-east-1') {
        throw new Error(`\`certificate\` must be an ACM certificate in us-east-1, got one in ${region} (${props.certificate.certificateArn}): CloudFront only uses us-east-1 certificates; request or import the certificate in us-east-1`);
      }
    }
    arn('webAclArn', props.webAclArn, { service: 'wafv2', resourcePrefix: 'global/webacl/', description: 'the ARN of a WAFv2 web ACL of scope CLOUDFRONT' });
    if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn)) {
      const aclRegion = props.webAclArn.split(':')[3];
      if (aclRegion !== 'us-east-1') {
        throw new Error(`\`webAclArn\` must be a web ACL of scope CLOUDFRONT, which lives in us-east-1, got '${props.webAclArn}' in ${aclRegion || 'no region'}: create the web ACL with scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/...)`);
      }
    }
    duration('originReadTimeout', props.originReadTimeout, { minSeconds: READ_TIMEOUT.min, maxSeconds: READ_TIMEOUT.max });
    const readSeconds = props.originReadTimeout && !props.originReadTimeout.isUnresolved() ? props.originReadTimeout.toSeconds() : undefined;
    if (readSeconds !== undefined && readSeconds > READ_TIMEOUT.defaultQuota) {
      Annotations.of(this).addWarningV2('@portcullis/cloudfront-ingress:originReadTimeoutQuota',
        `\`originReadTimeout\` ${readSeconds} s is above CloudFront's default quota of ${READ_TIMEOUT.defaultQuota} s: request an increase of "Response timeout per origin" in Service Quotas before deploying, or CloudFront rejects the distribution`);
    }
    this.checkNetwork(props.network);
    const stack = Stack.of(this);
    const same = JSON.stringify(stack.resolve(props.service.cluster.vpc.vpcId)) === JSON.stringify(stack.resolve(props.network.vpc.vpcId));
    if (!same) {
      throw new Error(`\`service\` '${props.service.node.path}' runs in another VPC than \`network\`: CloudFront's VPC origin and the internal load balancer live in \`network\`; use the same network for the cluster and the ingress`);
    }
    const domain = props.domainName;
    if (domain === undefined || Token.isUnresolved(domain)) return domain;
    return domain.endsWith('.') ? domain.slice(0, -1) : domain;
  }

  /**
   * CloudFront's VPC-origin prerequisites that the network shows at synth time: private
   * subnets for the internal load balancer, and an internet gateway attached to the VPC
   * (required by VPC origins even for an origin in private subnets, though no route uses it).
   * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
   */
  private checkNetwork(network: INetwork): void {
    const privateSubnets = network.privateSubnets.subnets ?? [];
    if (privateSubnets.length === 0) {
      throw new Error('`network` has no private subnets (e.g. `Egress.publicSubnetsOnly()`): the internal load balancer and CloudFront\'s VPC origin need private subnets in at least two AZs; use a Network with private subnets (any other egress, including `Egress.none()`)');
    }
    const vpc = network.vpc;
    if (vpc instanceof ec2.Vpc) {
      if (vpc.internetGatewayId === undefined) {
        throw new Error('`network` has no internet gateway (`publicSubnets: false`): CloudFront VPC origins need an internet gateway attached to the VPC, even though the load balancer stays internal and no route uses it; give the Network public subnets (the default; with `Egress.none()` they hold nothing and cost nothing)');
      }
    } else if ((network.publicSubnets.subnets ?? []).length === 0) {
      Annotations.of(this).addWarningV2('@portcullis/cloudfront-ingress:internetGateway',
        'The imported VPC shows no public subnets: CloudFront VPC origins need an internet gateway attached to the VPC (not used for routing); check that it has one before deploying');
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && /^(cn|us-gov|us-iso[a-z]*|eusc)-/.test(region)) {
      Annotations.of(this).addWarningV2('@portcullis/cloudfront-ingress:region',
        `CloudFront VPC origins are offered in the commercial AWS Regions listed in the CloudFront Developer Guide; ${region} is in another partition: check "Supported AWS Regions for VPC origins" before deploying`);
    }
  }
}

/** The zone's name, or undefined when it cannot be known (`HostedZone.fromHostedZoneId`). */
function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}

/** A stack-level log group (1 month) for aws-cdk-lib's AwsCustomResource provider Lambda. */
function customResourceLogGroup(stack: Stack): logs.ILogGroup {
  const id = 'PortcullisCustomResourceLogs';
  const existing = stack.node.tryFindChild(id) as logs.LogGroup | undefined;
  if (existing) return existing;
  const group = new logs.LogGroup(stack, id, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  (group.node.defaultChild as logs.CfnLogGroup).addMetadata('checkov', {
    skip: [{ id: 'CKV_AWS_158', comment: 'Logs of a deploy-time lookup Lambda: AWS-owned-key encryption at rest is enough' }],
  });
  return group;
}
