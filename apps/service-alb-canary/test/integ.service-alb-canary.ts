// Deploy evidence (root README, "Deploy evidence"): integ-runner deploys a platform (the parts of
// apps/platform this service needs, published under their own name) and this service app's stack,
// which joins it through its SSM parameters, asserts through the internet, then destroys both.
//   npm run integ           (repository root) deploy, assert, destroy, in your account
//   npm run integ:update    rewrite the committed snapshot next to this file, without deploying
// `npm test` only compares a fresh synth with test/integ.service-alb-canary.ts.snapshot/.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiService, FargateCluster, Platform } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { OrdersServiceStack, PLATFORM_SERVICE_PORTS } from '../src/stack';
import { synthesizeForIntegRunner } from '@portcullis-apps/reference-kit/lib/deploy-evidence';

const PLATFORM_NAME = 'portcullis-integ-orders';
const app = new App({ builtinCloudFormationValidation: false });

// The platform: network, cluster, a fallback service behind the ALB, published (as apps/platform does).
const platform = new Stack(app, 'PortcullisIntegOrdersPlatform', { description: 'Portcullis integ test: the platform the service app joins' });
const network = new Network(platform, 'Network');
const cluster = new FargateCluster(platform, 'Cluster', { network });
const alb = new AlbIngress(platform, 'Alb', { network, service: new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 }), vpcEgressPorts: PLATFORM_SERVICE_PORTS });
new Platform(platform, 'Platform', { platformName: PLATFORM_NAME, network, cluster, alarmTopic: new sns.Topic(platform, 'Alarms', { enforceSSL: true }) });
alb.publish(PLATFORM_NAME);

// The service app's stack, as src/main.ts creates it, joining the platform above by its name.
const service = new OrdersServiceStack(app, 'PortcullisIntegOrdersService', {
  description: 'Portcullis integ test: the canary service app joining the platform',
  platformName: PLATFORM_NAME,
  ...readReferenceContext(app),
});
// Deployed after the platform (its parameters must exist); deleted before it. A real service app
// has no such dependency: the platform is deployed first, once.
service.addDependency(platform);

const integ = new IntegTest(app, 'OrdersService', { testCases: [platform, service], stackUpdateWorkflow: false });

// The service's tasks are healthy in its own target group on the platform's load balancer (the
// default nginx image answers / only, so an HTTP call to /orders could not tell the service from
// the fallback: the target group can).
integ.assertions
  .awsApiCall('ElasticLoadBalancingV2', 'describeTargetHealth', { TargetGroupArn: service.alb.targetGroupsFor(service.service)[0].targetGroupArn })
  .expect(ExpectedResult.objectLike({ TargetHealthDescriptions: Match.arrayWith([Match.objectLike({ TargetHealth: { State: 'healthy' } })]) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20), backoffRate: 1 });

// Synthesized for integ-runner's cloud assembly schema (reference-kit's INTEG_RUNNER_SCHEMA).
synthesizeForIntegRunner(app);
