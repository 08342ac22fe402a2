import { Annotations, Duration, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AlbHealthCheck, AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, IApiIngress, IngressMonitoring } from '@portcullis/cluster';
import { INetwork } from '@portcullis/network';
import { arn, domainInZone, domainName as checkDomainName, duration } from '@portcullis/network/lib/private/validate';
import { Construct } from 'constructs';
import { CloudFrontErrorRateAlarm } from './cloudfront-error-rate-alarm';
import { VpcOriginsGroupLookup } from './private/vpc-origins-group-lookup';

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
  /**
   * The `Port` of the internal load balancer's target groups (`AlbIngressProps.targetGroupPort`):
   * keep it at the old `containerPort` when you change `containerPort` on a deployed stack, so
   * the groups that carry the live traffic stay.
   *
   * @default - the service's `containerPort`
   */
  readonly targetGroupPort?: number;
}

/** See {@link CloudFrontIngress.VPC_ORIGINS_SERVICE_SECURITY_GROUP}. */
const VPC_ORIGINS_SERVICE_SECURITY_GROUP = 'CloudFront-VPCOrigins-Service-SG';

/** CloudFront's origin response timeout: 1-60 s by default quota, up to 180 s with a quota increase. */
const READ_TIMEOUT = { min: 1, max: 180, defaultQuota: 60, default: 30 };

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
export class CloudFrontIngress extends Construct implements IApiIngress {
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
      targetGroupPort: props.targetGroupPort,
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
    // VPC origins need an internet gateway attached to the VPC: create the origin after the
    // attachment, and delete it before the gateway is detached (F11).
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
    // Not vpc.internetConnectivityEstablished: in aws-cdk-lib 2.275 it holds the gateway, not its attachment.
    const attachment = props.network.vpc.node.children.find((c): c is ec2.CfnVPCGatewayAttachment =>
      c instanceof ec2.CfnVPCGatewayAttachment && c.internetGatewayId !== undefined);
    if (attachment) this.vpcOrigin.node.addDependency(attachment);
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
   * The distribution's 5xx error rate as CloudFront publishes it (dimensions `DistributionId`
   * and `Region` = `Global`, read in us-east-1, Average over one minute): for a dashboard in any
   * Region. To alarm on it, see {@link CloudFrontErrorRateAlarm} (an alarm must be in us-east-1).
   */
  public metric5xxErrorRate(): cloudwatch.Metric {
    return CloudFrontErrorRateAlarm.metric5xxErrorRate(this.distribution.distributionId);
  }

  /**
   * What a monitoring construct (`ApiMonitoring` of `@portcullis/monitoring`) watches of this
   * ingress in front of `service` (the `IApiIngress` contract): what its {@link alb} gives
   * (`AlbIngress.monitoringFor`, which also sees this distribution in front of the load
   * balancer: its 5xx error rate, `cloudFront5xxErrorRatePercent`), named as this ingress in
   * messages. Passing the ingress or its `alb` to `ApiMonitoring` watches the same. Throws if
   * the service is not attached to the load balancer.
   */
  public monitoringFor(scope: Construct, service: ApiService): IngressMonitoring {
    return { ...this.alb.monitoringFor(scope, service), name: 'a CloudFrontIngress' };
  }

  /**
   * Adds the load balancer's only inbound rule: TCP 80 from the security group CloudFront
   * creates for its VPC-origin network interfaces. CloudFormation cannot name that group
   * (CloudFront creates it with the first VPC origin of the VPC), so a small custom resource
   * reads its id with `ec2:DescribeSecurityGroups` (filtered by VPC and name) at deploy time,
   * after the distribution exists; it waits up to two minutes for the group and otherwise
   * fails saying what is missing. The VPC origin's id is one of its properties, so a new VPC
   * origin reads the group again. No environment lookup: the stack stays environment-agnostic.
   */
  private allowVpcOriginsOnly(network: INetwork): void {
    const lookup = new VpcOriginsGroupLookup(this, 'VpcOriginsSecurityGroup', {
      vpcId: network.vpc.vpcId,
      groupName: VPC_ORIGINS_SERVICE_SECURITY_GROUP,
      vpcOriginId: this.vpcOrigin.vpcOriginId,
      logGroup: customResourceLogGroup(Stack.of(this)),
      // CloudFront creates the group with the VPC origin; read it once the distribution is deployed.
      after: this.distribution,
    });
    new ec2.CfnSecurityGroupIngress(this, 'FromVpcOrigins', {
      groupId: this.alb.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      sourceSecurityGroupId: lookup.groupId,
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
      const region = certificateRegion(props.certificate);
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
    if (props.originReadTimeout?.isUnresolved()) {
      // aws-cdk-lib's range check does arithmetic on it ("Must be an int 1 seconds or greater;
      // received -1.88e+289"), and the load balancer's idle timeout is derived from it.
      throw new Error(`\`originReadTimeout\` must be known at synth time (aws-cdk-lib checks the origin timeout's range, and the internal load balancer's idle timeout is derived from it), ` +
        `got a token (Duration.${props.originReadTimeout.unitLabel()}(<token>)): give a literal, e.g. Duration.seconds(30), or leave it out for CloudFront's default of 30 s`);
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

/**
 * The Region of a certificate when it can be known at synth: the Region field of a literal ARN,
 * or the Region of the stack that creates the certificate (an `acm.Certificate` made in this
 * app, e.g. in a us-east-1 stack with `crossRegionReferences`). An imported certificate whose
 * ARN is a token (a parameter, an import) has no known Region: its `env.region` is the stack's
 * it was imported into, not its own, so it is not used (that refused valid input).
 */
function certificateRegion(certificate: acm.ICertificate): string | undefined {
  const certArn = certificate.certificateArn;
  if (!Token.isUnresolved(certArn)) return certArn.split(':')[3];
  const fields = certArn.split(':');
  if (fields.length >= 6 && !Token.isUnresolved(fields[3])) return fields[3]; // arn:${Partition}:acm:us-east-1:...
  return Resource.isOwnedResource(certificate) ? Stack.of(certificate).region : undefined;
}

/** The zone's name, or undefined when it cannot be known (`HostedZone.fromHostedZoneId`). */
function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  try {
    return zone.zoneName;
  } catch {
    return undefined;
  }
}

/** A stack-level log group (1 month, deleted with the stack) for the deploy-time lookup Lambdas of the stack. */
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
