import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { FargateApigwApiStack } from '../src/stack';

const stack = new FargateApigwApiStack(new App(), 'FargateApigwApi');
const template = Template.fromStack(stack);
const json = template.toJSON();

describe('seed parity (PATTERNS.md), tasks kept private', () => {
  test('HTTP API, VPC link, HTTP_PROXY ANY payload 1.0 to Cloud Map, $default route and stage with auto-deploy and metrics', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', PayloadFormatVersion: '1.0', ConnectionType: 'VPC_LINK',
      IntegrationUri: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default', AutoDeploy: true, DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  test('Cloud Map namespace "internal", SRV records TTL 0 on the container port', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'internal' });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { DnsConfig: Match.objectLike({ DnsRecords: [{ Type: 'SRV', TTL: 0 }] }) });
    template.hasResourceProperties('AWS::ECS::Service', { ServiceRegistries: [Match.objectLike({ ContainerPort: 80 })] });
  });

  test('container health check as in the seed: curl -f http://localhost/, every 5 s, 2 retries, 3 s timeout', () => {
    const c = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions[0];
    expect(c.HealthCheck).toEqual(expect.objectContaining({ Command: ['CMD-SHELL', 'curl -f http://localhost:80/ || exit 1'], Interval: 5, Retries: 2, Timeout: 3 }));
  });

  test('unlike the seed: VPC link in the private subnets, tasks without public IP', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', { SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }] });
    template.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
  });
});

test('outputs: URL, egress IPs, cluster, service, log group', () => {
  expect(Object.keys(json.Outputs).sort()).toEqual(['ClusterName', 'EgressIps', 'LogGroup', 'ServiceName', 'Url']);
});

test('policy packs: no unacknowledged cdk-nag finding; no Portcullis finding', () => {
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  expect(new ExposureChecks().checkTemplate(json)).toEqual([]);
});

test('template stays under 51,200 bytes', () => {
  expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThan(51200);
});

test('context: a fully private network (egress none) still serves through API Gateway; domain needs a certificate', () => {
  const app = new App({ context: { egress: 'none' } });
  const t = Template.fromStack(new FargateApigwApiStack(app, 'Ctx', readReferenceContext(app)));
  t.resourceCountIs('AWS::EC2::NatGateway', 0);
  t.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
  const bad = new App({ context: { domainName: 'api.example.com' } });
  expect(() => new FargateApigwApiStack(bad, 'Bad', readReferenceContext(bad))).toThrow(/`domainName` needs `certificateArn`/);
});
