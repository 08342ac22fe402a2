import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { ApiService, Deployment, FargateCluster, Platform } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { ApiGatewayIngress } from '../src';

/**
 * A platform's HTTP API that services of other CDK apps join (issue 25, item 2): the platform
 * publishes it (`publish`), a service's app reads it at deploy time
 * (`ApiGatewayIngress.fromParameters`) with no CloudFormation export.
 */
const values = (stack: Stack) => Object.fromEntries(Object.values<any>(Template.fromStack(stack).findResources('AWS::SSM::Parameter')).map((p) => [p.Properties.Name, p.Properties.Value]));

function platform(authorizer?: apigwv2.IHttpRouteAuthorizer) {
  const stack = new Stack(new App(), 'Platform');
  const network = new Network(stack, 'Network', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const ingress = new ApiGatewayIngress(stack, 'Ingress', { network, service: new ApiService(stack, 'Fallback', { cluster }), authorizer });
  ingress.publish('shop');
  return values(stack);
}

test('publish: the API, its endpoint, the VPC link and its group, the namespace and the shape under ingress/http-api/', () => {
  const v = platform();
  expect(Object.keys(v).sort()).toEqual(['api-endpoint', 'api-id', 'namespace-arn', 'namespace-id', 'namespace-name', 'security-group-id', 'shape', 'vpc-link-id']
    .map((k) => `/portcullis/shop/ingress/http-api/${k}`));
  expect(v['/portcullis/shop/ingress/http-api/shape']).toBe('authorization=NONE');
});

test('publish with a JWT authorizer: its id and the route authorization type', () => {
  const v = platform(new authorizers.HttpJwtAuthorizer('Jwt', 'https://issuer.example.com', { jwtAudience: ['api'] }));
  expect(v['/portcullis/shop/ingress/http-api/shape']).toBe('authorization=JWT');
  expect(v['/portcullis/shop/ingress/http-api/authorizer-id']).toEqual({ Ref: expect.stringMatching(/^IngressApiJwt/) });
});

describe('a service of another CDK app', () => {
  const stack = new Stack(new App(), 'Orders');
  const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop' });
  const api = ApiGatewayIngress.fromParameters(stack, 'HttpApi', { platform: shop, authorizationType: 'JWT' });
  const service = new ApiService(stack, 'Api', { cluster: shop.cluster });
  api.addService(service, { path: '/orders' });
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const ssmParameter = (name: string) => Object.entries<any>(json.Parameters).find(([, p]) => p.Default === name)?.[0];

  test('synthesizes with no Fn::ImportValue, reading only the parameters it uses', () => {
    expect(JSON.stringify(json)).not.toContain('Fn::ImportValue');
    const names = Object.values<any>(json.Parameters).map((p) => p.Default).filter((n) => typeof n === 'string' && n.startsWith('/portcullis/shop/ingress/')).sort();
    expect(names).toEqual(['authorizer-id', 'api-id', 'namespace-id', 'security-group-id', 'shape', 'vpc-link-id'].map((k) => `/portcullis/shop/ingress/http-api/${k}`).sort());
  });

  test('its Cloud Map service, both routes (with the published JWT authorizer), the integration and the rollback alarm are in its stack', () => {
    template.resourceCountIs('AWS::ServiceDiscovery::Service', 1);
    const routes = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['ANY /orders', 'ANY /orders/{proxy+}']);
    for (const r of routes) {
      expect(r).toEqual(expect.objectContaining({ AuthorizationType: 'JWT', AuthorizerId: { Ref: ssmParameter('/portcullis/shop/ingress/http-api/authorizer-id') } }));
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { ConnectionId: { Ref: ssmParameter('/portcullis/shop/ingress/http-api/vpc-link-id') } });
    const svc = Object.values<any>(template.findResources('AWS::ECS::Service'))[0];
    expect(svc.Properties.DeploymentConfiguration.Alarms.AlarmNames).toHaveLength(1);
    expect(api.routeFor(service)).toBe('/orders');
  });

  test('opens the container port from the published VPC link group, both rules in its stack', () => {
    const group = { Ref: ssmParameter('/portcullis/shop/ingress/http-api/security-group-id') };
    expect(Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties.GroupId)).toEqual([group]);
    expect(Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties.SourceSecurityGroupId)).toEqual([group]);
  });

  test('the deployment checks the published authorization type', () => {
    expect(JSON.stringify(json.Rules)).toContain('authorization=JWT');
  });
});

test('bad input: an unknown authorization type; a canary service', () => {
  const stack = new Stack(new App(), 'Orders');
  const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop' });
  expect(() => ApiGatewayIngress.fromParameters(stack, 'Bad', { platform: shop, authorizationType: 'LAMBDA' })).toThrow(/`authorizationType` must be one of 'NONE', 'AWS_IAM', 'JWT', 'CUSTOM'/);
  const api = ApiGatewayIngress.fromParameters(stack, 'HttpApi', { platform: shop });
  expect(() => api.addService(new ApiService(stack, 'Canary', { cluster: shop.cluster, deployment: Deployment.canary() }), { path: '/c' })).toThrow(/cannot shift traffic behind API Gateway/);
});
