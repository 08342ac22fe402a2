// Synthesizes one stack with every Portcullis package (and monitoring's third-party peer), as a user outside the monorepo would
// after `npm install @portcullis/...` (run by verify-artifacts.sh in a temporary directory).
const assert = require('assert');
const { App, Stack } = require('aws-cdk-lib');
const { Egress, Network } = require('@portcullis/network');
const { ApiService, FargateCluster } = require('@portcullis/cluster');
const { AlbIngress } = require('@portcullis/alb-ingress');
const { ApiGatewayIngress } = require('@portcullis/apigw-ingress');
const { CloudFrontIngress } = require('@portcullis/cloudfront-ingress');
const { CostEstimator, ExposureChecks } = require('@portcullis/audit');
const { ApiMonitoring } = require('@portcullis/monitoring');

process.env.CDK_VALIDATION = 'false';
const app = new App();
const stack = new Stack(app, 'Consumer');
const network = new Network(stack, 'Network', { egress: Egress.singleNatGateway() });
const cluster = new FargateCluster(stack, 'Cluster', { network });
const service = new ApiService(stack, 'Api', { cluster });
const alb = new AlbIngress(stack, 'Alb', { network, service });
const httpApi = new ApiGatewayIngress(stack, 'HttpApi', { network, service });
// the peer dependency cdk-monitoring-constructs draws the dashboards
const albMonitoring = new ApiMonitoring(stack, 'AlbMonitoring', { service, ingress: alb });
const httpApiMonitoring = new ApiMonitoring(stack, 'HttpApiMonitoring', { service, ingress: httpApi });
// a second service behind CloudFront: its own internal ALB, reached through a VPC origin
const edge = new CloudFrontIngress(stack, 'Edge', { network, service: new ApiService(stack, 'EdgeApi', { cluster }) });
const template = app.synth().getStackArtifact(stack.artifactId).template;
const count = (type) => Object.values(template.Resources).filter((r) => r.Type === type).length;
assert.strictEqual(count('AWS::EC2::NatGateway'), 1);
assert.strictEqual(count('AWS::ElasticLoadBalancingV2::LoadBalancer'), 2); // the public ALB and CloudFront's internal one
assert.strictEqual(count('AWS::CloudFront::VpcOrigin'), 1);
const schemes = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer').map((r) => r.Properties.Scheme).sort();
assert.deepStrictEqual(schemes, ['internal', 'internet-facing']);
assert.ok(String(stack.resolve(edge.url)['Fn::Join'][1][0]) === 'https://');
assert.strictEqual(count('AWS::ApiGatewayV2::VpcLink'), 1);
assert.strictEqual(count('AWS::CloudWatch::Dashboard'), 2);
assert.strictEqual(count('AWS::CloudWatch::Alarm'), albMonitoring.alarms.length + httpApiMonitoring.alarms.length);
assert.ok(albMonitoring.alarms.length === 8 && httpApiMonitoring.alarms.length === 7);
assert.deepStrictEqual(new ExposureChecks().checkTemplate(template), []);
const cost = CostEstimator.estimateTemplate(template);
assert.ok(cost.totalMonthlyUsd > 0);
console.log(`npm consumer: synthesized ${Object.keys(template.Resources).length} resources, 0 exposure findings, idle $${cost.totalMonthlyUsd.toFixed(2)}/month`);
