import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiService } from '@portcullis/cluster';
import { INetwork } from '@portcullis/network';
import { Construct } from 'constructs';
import { HttpApiAccessLog } from './http-api-access-log';

/** Options of {@link ApiGatewayIngress.addService}. */
export interface ApiGatewayServiceOptions {
  /**
   * The path prefix routed to the service, e.g. `/orders`: requests to `/orders` and
   * `/orders/...` (any method) go to it.
   */
  readonly path: string;
}

/** Properties of an {@link ApiGatewayIngress}. */
export interface ApiGatewayIngressProps {
  /**
   * The network: the VPC link goes in its private subnets. HTTP API VPC links are not
   * available in every AZ ID: give the network explicit `availabilityZones` (else a warning).
   */
  readonly network: INetwork;
  /** The service the `$default` route proxies every method and path to. */
  readonly service: ApiService;
  /**
   * An existing Cloud Map private DNS namespace in the network's VPC.
   *
   * @default - a new private DNS namespace named `namespaceName`
   */
  readonly namespace?: servicediscovery.IPrivateDnsNamespace;
  /**
   * Name of the private DNS namespace created when `namespace` is not given.
   *
   * @default 'internal' - seed
   */
  readonly namespaceName?: string;
  /**
   * Steady-state requests per second of the stage.
   *
   * @default - the account's regional limit
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests of the stage (at least `throttlingRateLimit`).
   *
   * @default - the account's regional limit
   */
  readonly throttlingBurstLimit?: number;
  /**
   * CORS preflight settings of the API.
   *
   * @default - no CORS
   */
  readonly cors?: apigwv2.CorsPreflightOptions;
  /**
   * A custom domain name for the API (needs `certificate`).
   *
   * @default - the execute-api endpoint only
   */
  readonly domainName?: string;
  /**
   * ACM certificate of `domainName` (in the API's region).
   *
   * @default - none
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Route 53 zone in which to create an alias record for `domainName`.
   *
   * @default - no record: create it yourself
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * Turn off the default `execute-api` endpoint, so clients can only use `domainName`.
   *
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
  /**
   * Authorizer of the routes (JWT, Lambda or IAM, from aws-apigatewayv2-authorizers).
   *
   * @default - none: the API is public; authenticate in the service
   */
  readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
  /**
   * How long access logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
}

/**
 * An API Gateway HTTP API whose `$default` route proxies every method and path to an
 * {@link ApiService} in the private subnets, through a VPC link and Cloud Map SRV records:
 * the seed's integration (`HTTP_PROXY`, `ANY`, payload 1.0, `VPC_LINK`, URI = Cloud Map
 * service), stage `$default` with auto-deploy, detailed metrics and JSON access logs; but the
 * VPC link in the **private** subnets, tasks without public IPs, and security groups open on
 * the container port only.
 */
export class ApiGatewayIngress extends Construct implements ec2.IConnectable {
  /** The HTTP API. */
  public readonly api: apigwv2.HttpApi;
  /** The `$default` stage. */
  public readonly stage: apigwv2.HttpStage;
  /** The API's base URL (custom domain when given, else the execute-api endpoint). */
  public readonly url: string;
  /** The VPC link. */
  public readonly vpcLink: apigwv2.VpcLink;
  /** The VPC link's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly connections: ec2.Connections;
  /** The Cloud Map namespace. */
  public readonly namespace: servicediscovery.IPrivateDnsNamespace;
  /** The default service's Cloud Map service (SRV records). */
  public readonly cloudMapService: servicediscovery.Service;
  /** The access log. */
  public readonly accessLog: HttpApiAccessLog;
  /** The custom domain, when `domainName` is given. */
  public readonly domain?: apigwv2.DomainName;

  private readonly network: INetwork;
  private readonly paths = new Set<string>();
  private readonly authorizer?: apigwv2.IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: ApiGatewayIngressProps) {
    super(scope, id);
    this.network = props.network;
    this.authorizer = props.authorizer;

    // ---- validation
    const rate = props.throttlingRateLimit;
    const burst = props.throttlingBurstLimit;
    if (rate !== undefined && !Token.isUnresolved(rate) && rate < 0) {
      throw new Error(`\`throttlingRateLimit\` must be >= 0, got ${rate}`);
    }
    if (burst !== undefined && !Token.isUnresolved(burst) && (burst < 0 || !Number.isInteger(burst))) {
      throw new Error(`\`throttlingBurstLimit\` must be a whole number >= 0, got ${burst}`);
    }
    if (rate !== undefined && burst !== undefined && !Token.isUnresolved(rate) && !Token.isUnresolved(burst) && burst < rate) {
      throw new Error(`\`throttlingBurstLimit\` (${burst}) must be >= \`throttlingRateLimit\` (${rate}): a burst below the steady rate would throttle steady traffic`);
    }
    if (props.domainName !== undefined && !props.certificate) {
      throw new Error(`\`domainName\` '${props.domainName}' needs \`certificate\` (an ACM certificate for it in this region)`);
    }
    if (props.domainName === undefined && (props.certificate || props.hostedZone)) {
      throw new Error('`certificate` and `hostedZone` are for a custom domain: give `domainName` too, or remove them');
    }
    if (props.disableExecuteApiEndpoint && props.domainName === undefined) {
      throw new Error('`disableExecuteApiEndpoint: true` without `domainName` would leave the API unreachable: give a custom domain');
    }

    // ---- where the VPC link goes: private subnets; public only for public-only networks
    const privateSubnets = props.network.privateSubnets.subnets ?? [];
    let linkSubnets = props.network.privateSubnets;
    if (privateSubnets.length === 0) {
      if (!props.service.assignPublicIp) {
        throw new Error('The network has no private subnets for the VPC link: use a network with private subnets (any Egress but publicSubnetsOnly)');
      }
      Annotations.of(this).addWarningV2('@portcullis/apigw-ingress:publicVpcLink',
        'The network has no private subnets: the VPC link and the tasks are in public subnets, as in the original pattern. Prefer a network with private subnets.');
      linkSubnets = props.network.publicSubnets;
    }
    this.checkService(props.service);
    if (props.network.availabilityZonesExplicit !== true) {
      // HTTP API VPC links exist only in some AZ IDs, and AZ names map to different AZ IDs in
      // every account: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html
      Annotations.of(this).addWarningV2('@portcullis/apigw-ingress:vpcLinkAzs',
        'The VPC link goes in the network\'s subnets, whose availability zones were not chosen explicitly (the first ones the region lists, or unknown). ' +
        'HTTP API VPC links are not available in every AZ ID (e.g. use1-az3 in us-east-1; in us-west-1 only usw1-az1 and usw1-az3), so creating the link can fail. ' +
        'Give the Network `availabilityZones` whose AZ IDs support VPC links: see your account\'s name-to-ID mapping with ' +
        '`aws ec2 describe-availability-zones --query "AvailabilityZones[].[ZoneName,ZoneId]"`.');
    }

    // ---- Cloud Map
    if (props.namespace) {
      this.checkNamespace(props.namespace);
      this.namespace = props.namespace;
    } else {
      this.namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
        name: props.namespaceName ?? 'internal',
        vpc: props.network.vpc,
        description: 'Portcullis: private services behind the API Gateway VPC link',
      });
    }

    // ---- VPC link and its group: egress only to the services, on their container ports
    this.securityGroup = new ec2.SecurityGroup(this, 'VpcLinkSecurityGroup', {
      vpc: props.network.vpc,
      description: 'API Gateway VPC link: egress to the API services on their container ports only',
      allowAllOutbound: false,
    });
    this.connections = this.securityGroup.connections;
    this.vpcLink = new apigwv2.VpcLink(this, 'VpcLink', {
      vpc: props.network.vpc,
      subnets: linkSubnets,
      securityGroups: [this.securityGroup],
    });

    // ---- API, $default route and stage
    const defaultTarget = this.wire('Default', props.service);
    this.cloudMapService = defaultTarget.cloudMapService;
    if (props.domainName) {
      this.domain = new apigwv2.DomainName(this, 'DomainName', { domainName: props.domainName, certificate: props.certificate! });
    }
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Portcullis: public HTTP API in front of private ECS services',
      createDefaultStage: false,
      defaultIntegration: defaultTarget.integration,
      defaultAuthorizer: props.authorizer,
      corsPreflight: props.cors,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? false,
    });
    this.accessLog = new HttpApiAccessLog(this, 'AccessLog', { retention: props.accessLogRetention });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      accessLogSettings: this.accessLog.accessLogSettings,
      throttle: rate !== undefined || burst !== undefined ? { rateLimit: rate, burstLimit: burst } : undefined,
      domainMapping: this.domain ? { domainName: this.domain } : undefined,
    });
    if (this.domain && props.hostedZone) {
      new route53.ARecord(this, 'AliasRecord', {
        zone: props.hostedZone,
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(this.domain.regionalDomainName, this.domain.regionalHostedZoneId)),
      });
    }
    this.url = props.domainName ? `https://${props.domainName}/` : `${this.api.apiEndpoint}/`;
  }

  /**
   * Routes `path` and `path/...` (any method) to another service, registered in Cloud Map
   * with its own SRV records; opens only its container port from the VPC link.
   */
  public addService(service: ApiService, options: ApiGatewayServiceOptions): servicediscovery.Service {
    const path = options.path;
    if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(path)) {
      throw new Error(`\`path\` must look like '/orders' or '/v1/orders' (no trailing slash, no parameters), got '${path}'`);
    }
    if (this.paths.has(path)) {
      throw new Error(`\`path\` '${path}' is already routed to another service: paths must be unique`);
    }
    this.paths.add(path);
    this.checkService(service);
    const target = this.wire(`Path${this.paths.size}`, service);
    for (const routePath of [path, `${path}/{proxy+}`]) {
      this.api.addRoutes({ path: routePath, methods: [apigwv2.HttpMethod.ANY], integration: target.integration, authorizer: this.authorizer });
    }
    return target.cloudMapService;
  }

  private wire(id: string, service: ApiService) {
    const cloudMapService = new servicediscovery.Service(this, `${id}CloudMapService`, {
      namespace: this.namespace,
      description: `SRV records (task IP and container port) of ${service.node.path}`,
      dnsRecordType: servicediscovery.DnsRecordType.SRV,
      dnsTtl: Duration.seconds(0), // seed: tasks come and go, resolve fresh
      customHealthCheck: { failureThreshold: 1 }, // ECS reports task health to Cloud Map
    });
    service.registerInCloudMap(cloudMapService);
    this.connections.allowTo(service, ec2.Port.tcp(service.containerPort), `VPC link to container port ${service.containerPort}`);
    const integration = new integrations.HttpServiceDiscoveryIntegration(`${id}Integration`, cloudMapService, {
      vpcLink: this.vpcLink,
      method: apigwv2.HttpMethod.ANY,
    });
    return { cloudMapService, integration };
  }

  private checkService(service: ApiService) {
    const mode = service.taskDefinition.networkMode;
    if (mode !== ecs.NetworkMode.AWS_VPC) {
      throw new Error(`The service '${service.node.path}' uses network mode ${mode}: SRV records with task IPs need awsvpc`);
    }
    const stack = Stack.of(this);
    if (JSON.stringify(stack.resolve(service.cluster.vpc.vpcId)) !== JSON.stringify(stack.resolve(this.network.vpc.vpcId))) {
      throw new Error(`The service '${service.node.path}' runs in another VPC than the ingress's network: use the same network for the cluster and the ingress`);
    }
  }

  private checkNamespace(namespace: servicediscovery.IPrivateDnsNamespace) {
    const cfn = namespace.node.defaultChild;
    if (cfn instanceof servicediscovery.CfnPrivateDnsNamespace) {
      const stack = Stack.of(this);
      if (JSON.stringify(stack.resolve(cfn.vpc)) !== JSON.stringify(stack.resolve(this.network.vpc.vpcId))) {
        throw new Error(`The namespace '${namespace.node.path}' belongs to another VPC than the ingress's network: private DNS only resolves in its own VPC`);
      }
    }
  }
}
