// Deploy evidence (root README, "Deploy evidence"): integ-runner deploys the platform with its
// default context, asserts through the internet and on its parameters, then destroys it.
//   npm run integ           (repository root) deploy, assert, destroy, in your account
//   npm run integ:update    rewrite the committed snapshot next to this file, without deploying
// `npm test` only compares a fresh synth with test/integ.platform.ts.snapshot/.
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { PlatformStack } from '../src/stack';

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

// integ-runner 2.197.10 reads cloud assembly schema 53; aws-cdk-lib 2.275.0 writes 55 (see the
// fargate-alb-api integ test): the assembly declares 53 until an integ-runner release reads 55.
const INTEG_RUNNER_SCHEMA = 53;
const outdir = app.synth().directory;
for (const file of fs.readdirSync(outdir).filter((f) => /^(manifest\.json|integ\.json|cdk\.out|.*\.assets\.json)$/.test(f))) {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf-8'));
  if (Number(String(json.version).split('.')[0]) > INTEG_RUNNER_SCHEMA) {
    fs.writeFileSync(path.join(outdir, file), JSON.stringify({ ...json, version: `${INTEG_RUNNER_SCHEMA}.0.0` }, undefined, 2));
  }
}
