import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiService, IApiIngress, IngressMonitoring, IPlatform } from '@portcullis/cluster';
import { INetwork, PlatformParameters } from '@portcullis/network';
import { Construct } from 'constructs';
import { HttpApiAccessLog } from './http-api-access-log';
import { validateIngressValues, validatePath } from './private/ingress-validation';
import { HTTP_API_KEYS, httpApiShape, ImportedApiGatewayIngress } from './private/imported-api-gateway-ingress';
import { httpApiMonitoring } from './private/monitoring';
import { checkRollingDeployment, stageRollbackAlarm } from './private/stage-rollback-alarm';

/**
 * The Cloud Map service each ApiService was registered in by an ApiGatewayIngress. ECS
 * registers a service in at most one Cloud Map service ("ECS supports at most one service
 * registry per service": https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html,
 * `serviceRegistries`), so a second gateway in front of the same service reuses it.
 */
const CLOUD_MAP_SERVICES = new WeakMap<ApiService, servicediscovery.Service>();

/** A namespace name compared as DNS does: lower case, no trailing dot. */
function dnsKey(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/** Options of {@link ApiGatewayIngress.addService}. */
export interface ApiGatewayServiceOptions {
  /**
   * The path prefix routed to the service, e.g. `/orders`: requests to `/orders` and
   * `/orders/...` (any method) go to it.
   */
  readonly path: string;
}

/**
 * An HTTP API ingress services can be added to: an {@link ApiGatewayIngress}, or one a platform
 * published and a service's app imported with {@link ApiGatewayIngress.fromParameters}.
 */
export interface IApiGatewayIngress extends IApiIngress {
  /**
   * Routes `path` and `path/...` (any method) to `service`, registered in Cloud Map with its own
   * SRV records; opens only its container port from the VPC link. What belongs to the service
   * is created in the service's stack.
   */
  addService(service: ApiService, options: ApiGatewayServiceOptions): servicediscovery.Service;
  /** The route this ingress sends `service` on. Throws if it does not route to it. */
  routeFor(service: ApiService): string;
}

/** Properties of {@link ApiGatewayIngress.fromParameters}: which published ingress, and its shape, known at synth. */
export interface ApiGatewayIngressFromParametersProps {
  /** The platform (from `Platform.fromParameters`). */
  readonly platform: IPlatform;
  /**
   * The name the ingress was published under (`publish(platformName, ingressName)`).
   *
   * @default 'http-api'
   */
  readonly ingressName?: string;
  /**
   * How the published ingress's routes are authorized (the route `AuthorizationType` of its
   * `authorizer`): `'NONE'`, `'AWS_IAM'`, `'JWT'` or `'CUSTOM'` (a Lambda authorizer). The
   * routes of the services added here use the same authorizer, read from the parameters.
   *
   * @default 'NONE'
   */
  readonly authorizationType?: string;
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
export class ApiGatewayIngress extends Construct implements ec2.IConnectable, IApiGatewayIngress {
  /**
   * The ApiGatewayIngress a platform published with {@link publish}, read at deploy time in this
   * stack from SSM parameters (no CloudFormation export): services of this app join it with
   * `addService`, which creates what belongs to them in their own stacks. Its authorization type
   * is checked at deploy time against the published one.
   */
  public static fromParameters(scope: Construct, id: string, props: ApiGatewayIngressFromParametersProps): IApiGatewayIngress {
    return new ImportedApiGatewayIngress(scope, id, props);
  }

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
  /** The services behind this ingress and their route: `$default` or a path prefix. */
  private readonly routes = new Map<ApiService, string>();
  private readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
  private stageAlarm?: cloudwatch.Alarm;
  /** The stage's rollback alarm in each other stack with services behind this ingress. */
  private readonly otherStacksAlarms = new Map<Stack, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: ApiGatewayIngressProps) {
    super(scope, id);
    this.network = props.network;
    this.authorizer = props.authorizer;

    // ---- validation: values first (each error names the prop, the value and the fix), then combinations
    const rate = props.throttlingRateLimit;
    const burst = props.throttlingBurstLimit;
    validateIngressValues(Stack.of(this), {
      namespaceName: props.namespaceName,
      hasNamespace: props.namespace !== undefined,
      throttlingRateLimit: rate,
      throttlingBurstLimit: burst,
      domainName: props.domainName,
      certificate: props.certificate,
      hostedZone: props.hostedZone,
      corsMaxAge: props.cors?.maxAge,
      accessLogRetention: props.accessLogRetention,
    });
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
      const name = props.namespaceName ?? 'internal';
      // A VPC holds one private hosted zone of a name (Route 53 ConflictingDomainExists:
      // https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html), and
      // Cloud Map creates one per private DNS namespace: a second ingress in this VPC shares
      // the namespace of that name instead of creating one that could never be deployed.
      this.namespace = this.findNamespace(name) ?? new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
        name,
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
    const defaultTarget = this.wire('Default', props.service, '$default');
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
        // fully qualified (trailing dot): aws-cdk-lib would append the zone's name to a token
        // domain name; a literal one is checked to be in the zone and reads the same
        recordName: `${props.domainName}.`,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(this.domain.regionalDomainName, this.domain.regionalHostedZoneId)),
      });
    }
    this.url = props.domainName ? `https://${props.domainName}/` : `${this.api.apiEndpoint}/`;
    this.addRollbackAlarm(props.service);
  }

  /**
   * Publishes what services of other CDK apps need to join this ingress in SSM parameters under
   * `/portcullis/<platformName>/ingress/<ingressName>/`: the HTTP API (id and endpoint), the VPC
   * link and its security group, the Cloud Map namespace, the authorizer and the shape. A
   * service's app reads them with {@link ApiGatewayIngress.fromParameters}.
   *
   * @param platformName the platform's name (as given to `Platform`)
   * @param ingressName this ingress's name in the platform, unique among its ingresses
   */
  public publish(platformName: string, ingressName: string = 'http-api'): void {
    const parameters = new Construct(this, `Parameters-${ingressName}`);
    const put = (key: string, value: string, what: string) =>
      PlatformParameters.publish(parameters, platformName, `ingress/${ingressName}/${key}`, value, `Portcullis platform '${platformName}', ingress '${ingressName}': ${what}`);
    put(HTTP_API_KEYS.apiId, this.api.apiId, 'the HTTP API');
    put(HTTP_API_KEYS.apiEndpoint, this.api.apiEndpoint, 'the HTTP API\'s endpoint');
    put(HTTP_API_KEYS.vpcLinkId, this.vpcLink.vpcLinkId, 'the VPC link');
    put(HTTP_API_KEYS.securityGroupId, this.securityGroup.securityGroupId, 'the VPC link\'s security group');
    put(HTTP_API_KEYS.namespaceId, this.namespace.namespaceId, 'the Cloud Map namespace');
    put(HTTP_API_KEYS.namespaceName, this.namespace.namespaceName, 'the Cloud Map namespace\'s name');
    put(HTTP_API_KEYS.namespaceArn, this.namespace.namespaceArn, 'the Cloud Map namespace\'s ARN');
    let type = 'NONE';
    if (this.authorizer) {
      // the authorizer the $default route was bound to (binding again returns the same one)
      const route = this.api.node.tryFindChild('DefaultRoute') as apigwv2.HttpRoute;
      const bound = this.authorizer.bind({ route, scope: this.api });
      type = bound.authorizationType;
      if (bound.authorizerId !== undefined) put(HTTP_API_KEYS.authorizerId, bound.authorizerId, 'the authorizer of every route');
    }
    put(HTTP_API_KEYS.shape, httpApiShape(type), 'the ingress\'s shape: what services synthesize for (checked at deploy time)');
  }

  /**
   * The rollback alarm on the stage's 5xx rate, shared by the services behind this ingress
   * whose `rollbackAlarms` is on; `undefined` when none has it on.
   */
  public get rollbackAlarm(): cloudwatch.IAlarm | undefined {
    return this.stageAlarm;
  }

  /**
   * The route this ingress sends `service` on: `'$default'` for the ingress's `service`, the
   * path prefix (e.g. `'/orders'`) for one added with `addService`. Throws, naming `service`,
   * if the ingress does not route to it.
   */
  public routeFor(service: ApiService): string {
    const route = this.routes.get(service);
    if (route === undefined) {
      throw new Error(`\`service\` '${service.node.path}' is not routed by the ApiGatewayIngress '${this.node.path}': pass it as the ingress's \`service\` or with \`addService\` first, or pass the ingress that routes to it`);
    }
    return route;
  }

  /**
   * What a monitoring construct (`ApiMonitoring` of `@portcullis/monitoring`) watches of this
   * HTTP API in front of `service` (the {@link IApiIngress} contract): the 5xx rate of the
   * API's requests (`httpApi5xxRatePercent`) and its p99 integration latency
   * (`p99IntegrationLatency`). Throws, naming `service`, if the ingress does not route to it
   * (as {@link routeFor}).
   */
  public monitoringFor(_scope: Construct, service: ApiService): IngressMonitoring {
    this.routeFor(service);
    return httpApiMonitoring(this.api);
  }

  /** Adds the stage's 5xx-rate alarm (created once) to the service's ECS deployment alarms. */
  private addRollbackAlarm(service: ApiService): void {
    if (!service.rollbackAlarms) return;
    const stack = Stack.of(service);
    if (stack === Stack.of(this)) {
      this.stageAlarm ??= stageRollbackAlarm(this, this.stage);
      service.addRollbackAlarm(this.stageAlarm);
      return;
    }
    // A service of another stack: the same alarm, once per stack at the stack's root (shared by
    // that stack's services, left in place when one of them goes), never in this ingress's stack.
    let alarm = this.otherStacksAlarms.get(stack);
    if (!alarm) {
      let id = `${this.node.id}Stage`;
      for (let n = 2; stack.node.tryFindChild(id); n++) id = `${this.node.id}Stage${n}`;
      alarm = stageRollbackAlarm(new Construct(stack, id), this.stage);
      this.otherStacksAlarms.set(stack, alarm);
    }
    service.addRollbackAlarm(alarm);
  }

  /**
   * Routes `path` and `path/...` (any method) to another service, registered in Cloud Map
   * with its own SRV records; opens only its container port from the VPC link.
   */
  public addService(service: ApiService, options: ApiGatewayServiceOptions): servicediscovery.Service {
    const path = options.path;
    validatePath(path);
    if (this.paths.has(path)) {
      throw new Error(`\`path\` '${path}' is already routed to another service: paths must be unique; choose another prefix`);
    }
    const route = this.routes.get(service);
    if (route !== undefined) {
      const where = route === '$default'
        ? 'on the `$default` route, which already sends it every path no other route matches (requests to ' + `'${path}' reach it today): remove this addService call`
        : `on '${route}': an ingress routes one path prefix to a service (ECS registers it in one Cloud Map service); serve it under '${route}' only, or put a second ApiGatewayIngress in front of it`;
      throw new Error(`\`service\` '${service.node.path}' is already behind this ingress ${where}`);
    }
    this.checkService(service);
    this.paths.add(path);
    const id = `Path${this.paths.size}`;
    // A service in another stack gets its Cloud Map service, routes, integration, security-group
    // rule pair and rollback alarm in its own stack (see placementFor).
    const placement = this.placementFor(service);
    const target = this.wire(id, service, path, placement);
    if (placement) {
      for (const [suffix, routePath] of [['', path], ['Proxy', `${path}/{proxy+}`]]) {
        new apigwv2.HttpRoute(placement.scope, `${id}Route${suffix}`, {
          httpApi: this.api,
          routeKey: apigwv2.HttpRouteKey.with(routePath, apigwv2.HttpMethod.ANY),
          integration: target.integration,
          authorizer: this.authorizer,
        });
      }
    } else {
      for (const routePath of [path, `${path}/{proxy+}`]) {
        this.api.addRoutes({ path: routePath, methods: [apigwv2.HttpMethod.ANY], integration: target.integration, authorizer: this.authorizer });
      }
    }
    this.addRollbackAlarm(service);
    return target.cloudMapService;
  }

  /**
   * Where what belongs to `service` is created: this ingress when the service is in this
   * ingress's stack, as always; else a construct `<ingress id>` under the service, in the
   * service's stack, with a stand-in of the VPC link's security group. Through it, both rules
   * of the pair that opens the container port land in the service's stack (from this
   * ingress's group, the pair would be put in this ingress's stack, pointing at the service's
   * group: a dependency cycle), so this ingress's stack never references a service's stack.
   */
  private placementFor(service: ApiService): { scope: Construct; securityGroup: ec2.ISecurityGroup } | undefined {
    if (Stack.of(service) === Stack.of(this)) return undefined;
    let id = this.node.id;
    for (let n = 2; service.node.tryFindChild(id); n++) id = `${this.node.id}${n}`;
    const scope = new Construct(service, id);
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(scope, 'VpcLinkSecurityGroup', this.securityGroup.securityGroupId, { allowAllOutbound: false });
    return { scope, securityGroup };
  }

  private wire(id: string, service: ApiService, route: string, placement?: { scope: Construct; securityGroup: ec2.ISecurityGroup }) {
    const cloudMapService = this.cloudMapServiceFor(id, service, placement?.scope ?? this);
    this.routes.set(service, route);
    (placement?.securityGroup ?? this).connections.allowTo(service, ec2.Port.tcp(service.containerPort), `VPC link to container port ${service.containerPort}`);
    const integration = new integrations.HttpServiceDiscoveryIntegration(`${id}Integration`, cloudMapService, {
      vpcLink: this.vpcLink,
      method: apigwv2.HttpMethod.ANY,
    });
    return { cloudMapService, integration };
  }

  /**
   * The Cloud Map service with the SRV records of `service`: the one another ApiGatewayIngress
   * registered it in (ECS allows one per service, and the VPC link only needs its records),
   * else a new one in this ingress's namespace.
   */
  private cloudMapServiceFor(id: string, service: ApiService, scope: Construct): servicediscovery.Service {
    const existing = CLOUD_MAP_SERVICES.get(service);
    if (existing) return existing;
    // registrations made with cloudMapOptions or associateCloudMapService (the L2's
    // `cloudMapService` knows only the first kind): the ECS service's ServiceRegistries
    const stack = Stack.of(this);
    const registries: unknown = stack.resolve((service.service.node.defaultChild as ecs.CfnService).serviceRegistries);
    if (Array.isArray(registries) && registries.length > 0) {
      const first = registries[0] as { readonly registryArn?: unknown };
      throw new Error(`\`service\` '${service.node.path}' is already registered in a Cloud Map service no ApiGatewayIngress created (${JSON.stringify(first.registryArn ?? first)}): ` +
        'ECS registers a service in at most one Cloud Map service, and the VPC link needs SRV records this ingress manages; remove that registration (cloudMapOptions, associateCloudMapService) and let the ingress register the service');
    }
    const cloudMapService = new servicediscovery.Service(scope, `${id}CloudMapService`, {
      namespace: this.namespace,
      description: `SRV records (task IP and container port) of ${service.node.path}`,
      dnsRecordType: servicediscovery.DnsRecordType.SRV,
      dnsTtl: Duration.seconds(0), // seed: tasks come and go, resolve fresh
      customHealthCheck: { failureThreshold: 1 }, // ECS reports task health to Cloud Map
    });
    service.registerInCloudMap(cloudMapService);
    CLOUD_MAP_SERVICES.set(service, cloudMapService);
    return cloudMapService;
  }

  /** A private DNS namespace named `name` already in this stack, in the network's VPC. */
  private findNamespace(name: string): servicediscovery.IPrivateDnsNamespace | undefined {
    const stack = Stack.of(this);
    const vpc = JSON.stringify(stack.resolve(this.network.vpc.vpcId));
    return stack.node.findAll().find((c): c is servicediscovery.PrivateDnsNamespace => {
      if (!(c instanceof servicediscovery.PrivateDnsNamespace)) return false;
      const cfn = c.node.defaultChild as servicediscovery.CfnPrivateDnsNamespace;
      return dnsKey(c.namespaceName) === dnsKey(name) && JSON.stringify(stack.resolve(cfn.vpc)) === vpc;
    });
  }

  private checkService(service: ApiService) {
    checkRollingDeployment(service);
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
