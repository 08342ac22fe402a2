import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiService, IngressMonitoring } from '@portcullis/cluster';
import { PlatformParameters } from '@portcullis/network';
import { Construct } from 'constructs';
import type { ApiGatewayIngressFromParametersProps, ApiGatewayServiceOptions, IApiGatewayIngress } from '../api-gateway-ingress';
import { validatePath } from './ingress-validation';
import { httpApiMonitoring } from './monitoring';
import { checkRollingDeployment, stageRollbackAlarm } from './stage-rollback-alarm';

/** The parameter keys of a published ApiGatewayIngress, under `ingress/<ingressName>/`. */
export const HTTP_API_KEYS = {
  apiId: 'api-id',
  apiEndpoint: 'api-endpoint',
  vpcLinkId: 'vpc-link-id',
  securityGroupId: 'security-group-id',
  namespaceId: 'namespace-id',
  namespaceName: 'namespace-name',
  namespaceArn: 'namespace-arn',
  authorizerId: 'authorizer-id',
  shape: 'shape',
};

/** The AuthorizationType values of an HTTP API route. */
const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'JWT', 'CUSTOM'];

/** The published form of what a service synthesizes for: `authorization=JWT`. */
export function httpApiShape(authorizationType: string): string {
  return `authorization=${authorizationType}`;
}

/**
 * An ApiGatewayIngress of a platform, read from its parameters in a service's stack (no
 * CloudFormation export): `addService` creates the service's Cloud Map service, routes,
 * integration, security-group rule pair and rollback alarm in the service's stack. Routes use
 * the published authorizer, so a service of another app is protected like the platform's.
 */
export class ImportedApiGatewayIngress extends Construct implements IApiGatewayIngress {
  private readonly api: apigwv2.IHttpApi;
  private readonly stage: apigwv2.IHttpStage;
  private readonly vpcLink: apigwv2.IVpcLink;
  private readonly namespace: servicediscovery.IPrivateDnsNamespace;
  private readonly securityGroupId: string;
  private readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
  private readonly routes = new Map<ApiService, string>();
  private readonly alarms = new Map<Stack, cloudwatch.Alarm>();
  private readonly vpcId: string;

  constructor(scope: Construct, id: string, props: ApiGatewayIngressFromParametersProps) {
    super(scope, id);
    const platform = props.platform;
    const ingressName = props.ingressName ?? 'http-api';
    const value = (key: string) => PlatformParameters.valueAtDeploy(this, platform.platformName, `ingress/${ingressName}/${key}`);
    const authorizationType = props.authorizationType ?? 'NONE';
    if (!AUTHORIZATION_TYPES.includes(authorizationType)) {
      throw new Error(`\`authorizationType\` must be one of ${AUTHORIZATION_TYPES.map((t) => `'${t}'`).join(', ')} (a route's AuthorizationType), got ${JSON.stringify(authorizationType)}: give the type of the platform ingress's \`authorizer\``);
    }
    PlatformParameters.expectValue(this, platform.platformName, `ingress/${ingressName}/${HTTP_API_KEYS.shape}`, httpApiShape(authorizationType),
      'give ApiGatewayIngress.fromParameters the `authorizationType` of the platform\'s ApiGatewayIngress, then synthesize and deploy again');
    // What addService does not use is not read (an unreferenced CloudFormation parameter is
    // template noise and counts toward a stack's 200): rendering it fails the synth, naming the
    // parameter to read instead.
    const unread = (key: string) => Lazy.string({
      produce: () => {
        throw new Error(`'ingress/${ingressName}/${key}' of the platform '${platform.platformName}' is not read by ApiGatewayIngress.fromParameters: ` +
          `read it with PlatformParameters.valueAtDeploy(scope, '${platform.platformName}', 'ingress/${ingressName}/${key}')`);
      },
    });
    this.api = apigwv2.HttpApi.fromHttpApiAttributes(this, 'Api', { httpApiId: value(HTTP_API_KEYS.apiId) });
    this.stage = apigwv2.HttpStage.fromHttpStageAttributes(this, 'Stage', { api: this.api, stageName: '$default' });
    this.vpcLink = apigwv2.VpcLink.fromVpcLinkAttributes(this, 'VpcLink', { vpcLinkId: value(HTTP_API_KEYS.vpcLinkId), vpc: platform.network.vpc });
    this.namespace = servicediscovery.PrivateDnsNamespace.fromPrivateDnsNamespaceAttributes(this, 'Namespace', {
      namespaceId: value(HTTP_API_KEYS.namespaceId),
      namespaceName: unread(HTTP_API_KEYS.namespaceName),
      namespaceArn: unread(HTTP_API_KEYS.namespaceArn),
    });
    this.securityGroupId = value(HTTP_API_KEYS.securityGroupId);
    this.vpcId = platform.network.vpc.vpcId;
    if (authorizationType !== 'NONE') {
      const authorizerId = authorizationType === 'AWS_IAM' ? undefined : value(HTTP_API_KEYS.authorizerId);
      this.authorizer = { bind: () => ({ authorizationType, authorizerId }) };
    }
  }

  public addService(service: ApiService, options: ApiGatewayServiceOptions): servicediscovery.Service {
    const path = options.path;
    validatePath(path);
    if ([...this.routes.values()].includes(path)) {
      throw new Error(`\`path\` '${path}' is already routed to another service: paths must be unique; choose another prefix`);
    }
    if (this.routes.has(service)) {
      throw new Error(`\`service\` '${service.node.path}' is already behind this ingress on '${this.routes.get(service)}': an ingress routes one path prefix to a service`);
    }
    checkRollingDeployment(service);
    if (service.taskDefinition.networkMode !== ecs.NetworkMode.AWS_VPC) {
      throw new Error(`The service '${service.node.path}' uses network mode ${service.taskDefinition.networkMode}: SRV records with task IPs need awsvpc`);
    }
    const stack = Stack.of(this);
    if (JSON.stringify(stack.resolve(service.cluster.vpc.vpcId)) !== JSON.stringify(stack.resolve(this.vpcId))) {
      throw new Error(`The service '${service.node.path}' runs in another VPC than the platform's network: use the platform's cluster`);
    }
    const registries: unknown = stack.resolve((service.service.node.defaultChild as ecs.CfnService).serviceRegistries);
    if (Array.isArray(registries) && registries.length > 0) {
      throw new Error(`\`service\` '${service.node.path}' is already registered in a Cloud Map service: ECS registers a service in at most one, and the VPC link needs SRV records this ingress manages; remove that registration`);
    }
    this.routes.set(service, path);
    let childId = this.node.id;
    for (let n = 2; service.node.tryFindChild(childId); n++) childId = `${this.node.id}${n}`;
    const scope = new Construct(service, childId);
    const cloudMapService = new servicediscovery.Service(scope, 'CloudMapService', {
      namespace: this.namespace,
      description: `SRV records (task IP and container port) of ${service.node.path}`,
      dnsRecordType: servicediscovery.DnsRecordType.SRV,
      dnsTtl: Duration.seconds(0),
      customHealthCheck: { failureThreshold: 1 },
    });
    service.registerInCloudMap(cloudMapService);
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(scope, 'VpcLinkSecurityGroup', this.securityGroupId, { allowAllOutbound: false });
    securityGroup.connections.allowTo(service, ec2.Port.tcp(service.containerPort), `VPC link to container port ${service.containerPort}`);
    const integration = new integrations.HttpServiceDiscoveryIntegration('Integration', cloudMapService, { vpcLink: this.vpcLink, method: apigwv2.HttpMethod.ANY });
    for (const [suffix, routePath] of [['', path], ['Proxy', `${path}/{proxy+}`]]) {
      new apigwv2.HttpRoute(scope, `Route${suffix}`, {
        httpApi: this.api,
        routeKey: apigwv2.HttpRouteKey.with(routePath, apigwv2.HttpMethod.ANY),
        integration,
        authorizer: this.authorizer,
      });
    }
    if (service.rollbackAlarms) {
      const serviceStack = Stack.of(service);
      let alarm = this.alarms.get(serviceStack);
      if (!alarm) {
        alarm = stageRollbackAlarm(new Construct(serviceStack, `${this.node.id}Stage`), this.stage);
        this.alarms.set(serviceStack, alarm);
      }
      service.addRollbackAlarm(alarm);
    }
    return cloudMapService;
  }

  public routeFor(service: ApiService): string {
    const route = this.routes.get(service);
    if (route === undefined) {
      throw new Error(`\`service\` '${service.node.path}' is not routed by the ApiGatewayIngress '${this.node.path}': add it with \`addService\` first`);
    }
    return route;
  }

  public monitoringFor(_scope: Construct, service: ApiService): IngressMonitoring {
    this.routeFor(service);
    return httpApiMonitoring(this.api);
  }
}
