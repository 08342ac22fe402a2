// Deploy evidence (root README, "Deploy evidence"): integ-runner deploys the platform with its
// default context, asserts through the internet and on its parameters, then destroys it.
//   npm run integ           (repository root) deploy, assert, destroy, in your account
//   npm run integ:update    rewrite the committed snapshot next to this file, without deploying
// `npm test` only compares a fresh synth with test/integ.platform.ts.snapshot/.
import { App, Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { PlatformStack } from '../src/stack';
import { synthesizeForIntegRunner } from '@portcullis-apps/reference-kit/lib/deploy-evidence';

/** Its own platform name, so the test never meets a deployed platform's parameters. */
export const INTEG_PLATFORM_NAME = 'portcullis-integ';

const app = new App({ builtinCloudFormationValidation: false });
const stack = new PlatformStack(app, 'PortcullisIntegPlatform', {
  description: 'Portcullis integ test (deployed and destroyed by integ-runner): the reference platform',
  platformName: INTEG_PLATFORM_NAME,
  ...readReferenceContext(app),
});
const integ = new IntegTest(app, 'Platform', { testCases: [stack], stackUpdateWorkflow: false });

// The fallback service answers through the ALB and through the HTTP API (tasks take minutes to pass health checks).
for (const url of [stack.alb.url, stack.httpApi.url]) {
  integ.assertions
    .httpApiCall(url)
    .expect(ExpectedResult.objectLike({ status: 200 }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20), backoffRate: 1 });
}

// What services read: the published parameters exist, e.g. the ALB's listener and the network's shape.
for (const key of ['ingress/alb/listener-arn', 'network/shape']) {
  integ.assertions
    .awsApiCall('SSM', 'getParameter', { Name: `/portcullis/${INTEG_PLATFORM_NAME}/${key}` })
    .expect(ExpectedResult.objectLike({ Parameter: Match.objectLike({ Name: `/portcullis/${INTEG_PLATFORM_NAME}/${key}` }) }));
}

// Synthesized for integ-runner's cloud assembly schema (reference-kit's INTEG_RUNNER_SCHEMA).
synthesizeForIntegRunner(app);
