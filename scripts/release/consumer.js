// Synthesizes one stack with every Portcullis package (and monitoring's third-party peer), as a user outside the monorepo would
// after `npm install @portcullis/...` (run by verify-artifacts.sh in a temporary directory).
const assert = require('assert');
const { App, Stack } = require('aws-cdk-lib');
const { Egress, Network } = require('@portcullis/network');
const { ApiService, Deployment, FargateCluster } = require('@portcullis/cluster');
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
// a canary service behind the public ALB (ECS shifts traffic between two target groups, rolled
// back on the ALB's alarms), a rolling one behind the HTTP API (Cloud Map cannot shift traffic)
const service = new ApiService(stack, 'Api', { cluster, deployment: Deployment.canary() });
const alb = new AlbIngress(stack, 'Alb', { network, service });
const httpApiService = new ApiService(stack, 'HttpApiService', { cluster });
const httpApi = new ApiGatewayIngress(stack, 'HttpApi', { network, service: httpApiService });
// the peer dependency cdk-monitoring-constructs draws the dashboards
const albMonitoring = new ApiMonitoring(stack, 'AlbMonitoring', { service, ingress: alb });
const httpApiMonitoring = new ApiMonitoring(stack, 'HttpApiMonitoring', { service: httpApiService, ingress: httpApi });
// a third service behind CloudFront: its own internal ALB, reached through a VPC origin
const edgeService = new ApiService(stack, 'EdgeApi', { cluster });
const edge = new CloudFrontIngress(stack, 'Edge', { network, service: edgeService });
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
// ApiMonitoring's alarms: CPU, memory, running tasks, and per ingress target 5xx rate, unhealthy
// targets, p99, the load balancer's own 5xx rate, no healthy targets (5) or HTTP API 5xx rate,
// p99 latency (2), plus 2 for the one NAT gateway (found through the service's network); and the
// rollback alarms ECS watches: for the canary service one per target group and the load
// balancer's own 5xx rate (a single-service ingress), the stage's for the HTTP API, and for the
// rolling service behind CloudFront's internal ALB its group's and that load balancer's.
const rollback = [...alb.rollbackAlarmsFor(service), httpApi.rollbackAlarm, ...edge.alb.rollbackAlarmsFor(edgeService)];
assert.deepStrictEqual([albMonitoring.alarms.length, httpApiMonitoring.alarms.length, rollback.length], [3 + 5 + 2, 3 + 2 + 2, 3 + 1 + 2]);
assert.strictEqual(count('AWS::CloudWatch::Alarm'), albMonitoring.alarms.length + httpApiMonitoring.alarms.length + rollback.length);
const canary = template.Resources[stack.getLogicalId(service.service.node.defaultChild)].Properties;
assert.strictEqual(canary.DeploymentConfiguration.Strategy, 'CANARY');
assert.deepStrictEqual(
  canary.DeploymentConfiguration.Alarms,
  { AlarmNames: alb.rollbackAlarmsFor(service).map((a) => ({ Ref: stack.getLogicalId(a.node.defaultChild) })), Enable: true, Rollback: true },
);
assert.ok(canary.LoadBalancers[0].AdvancedConfiguration.AlternateTargetGroupArn);
const rolling = template.Resources[stack.getLogicalId(httpApiService.service.node.defaultChild)].Properties;
assert.strictEqual(rolling.DeploymentConfiguration.Strategy, 'ROLLING'); // written, not left to the default
assert.deepStrictEqual(rolling.DeploymentConfiguration.Alarms.AlarmNames, [{ Ref: stack.getLogicalId(httpApi.rollbackAlarm.node.defaultChild) }]);
assert.deepStrictEqual(new ExposureChecks().checkTemplate(template), []);
const cost = CostEstimator.estimateTemplate(template);
assert.ok(cost.totalMonthlyUsd > 0);
console.log(`npm consumer: synthesized ${Object.keys(template.Resources).length} resources, 0 exposure findings, idle $${cost.totalMonthlyUsd.toFixed(2)}/month`);
