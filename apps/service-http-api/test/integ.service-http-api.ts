// Deploy evidence (root README, "Deploy evidence"): integ-runner deploys a platform (the parts of
// apps/platform this service needs, published under their own name) and this service app's stack,
// which joins it through its SSM parameters, asserts, then destroys both.
//   npm run integ           (repository root) deploy, assert, destroy, in your account
//   npm run integ:update    rewrite the committed snapshot next to this file, without deploying
// `npm test` only compares a fresh synth with test/integ.service-http-api.ts.snapshot/.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { ApiService, FargateCluster, Platform } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { CatalogServiceStack } from '../src/stack';
import { synthesizeForIntegRunner } from '@portcullis-apps/reference-kit/lib/deploy-evidence';

const PLATFORM_NAME = 'portcullis-integ-catalog';
const app = new App({ builtinCloudFormationValidation: false });

// The platform: network, cluster, a fallback service behind the HTTP API, published (as apps/platform does).
const platform = new Stack(app, 'PortcullisIntegCatalogPlatform', { description: 'Portcullis integ test: the platform the service app joins' });
const network = new Network(platform, 'Network');
const cluster = new FargateCluster(platform, 'Cluster', { network });
const httpApi = new ApiGatewayIngress(platform, 'HttpApi', { network, service: new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 }) });
new Platform(platform, 'Platform', { platformName: PLATFORM_NAME, network, cluster, alarmTopic: new sns.Topic(platform, 'Alarms', { enforceSSL: true }) });
httpApi.publish(PLATFORM_NAME);

// The service app's stack, as src/main.ts creates it, joining the platform above by its name.
const service = new CatalogServiceStack(app, 'PortcullisIntegCatalogService', {
  description: 'Portcullis integ test: the service app joining the platform\'s HTTP API',
  platformName: PLATFORM_NAME,
  ...readReferenceContext(app),
});
// Deployed after the platform (its parameters must exist); deleted before it.
service.addDependency(platform);

const integ = new IntegTest(app, 'CatalogService', { testCases: [platform, service], stackUpdateWorkflow: false });

// The service's tasks are registered in its own Cloud Map service (what the VPC link resolves for
// its route; the default nginx image answers / only, so an HTTP call could not tell it from the fallback).
integ.assertions
  .awsApiCall('ServiceDiscovery', 'listInstances', { ServiceId: service.cloudMapService.serviceId })
  .expect(ExpectedResult.objectLike({ Instances: Match.arrayWith([Match.objectLike({ Attributes: Match.objectLike({ AWS_INSTANCE_PORT: '80' }) })]) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20), backoffRate: 1 });

// Synthesized for integ-runner's cloud assembly schema (reference-kit's INTEG_RUNNER_SCHEMA).
synthesizeForIntegRunner(app);
