// Deploy evidence (root README, "Deploy evidence"): integ-runner deploys this app's stack with
// its default context, asserts through the internet, then destroys it.
//   npm run integ           (repository root) deploy, assert, destroy, in your account
//   npm run integ:update    rewrite the committed snapshot next to this file, without deploying
// `npm test` only compares a fresh synth with test/integ.fargate-apigw-api.ts.snapshot/.
import { App, Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { alarmProbeQueue, alarmTopicOf, expectAlarmNotifies, synthesizeForIntegRunner } from '@portcullis-apps/reference-kit/lib/deploy-evidence';
import { FargateApigwApiStack } from '../src/stack';

const IPV4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}';

// The app's synth (`npm run synth`, part of `npm test`) already runs aws-cdk-lib's CloudFormation
// validation and the policy packs on this stack class with this context; here they would only
// slow the snapshot check (the validation is most of its synth time) and judge the assertion stack.
const app = new App({ builtinCloudFormationValidation: false });
// Same class and context as src/main.ts, under its own name so it never meets a `cdk deploy` of the app.
const stack = new FargateApigwApiStack(app, 'PortcullisIntegFargateApigwApi', {
  description: 'Portcullis integ test (deployed and destroyed by integ-runner): public API on Fargate in private subnets behind an API Gateway HTTP API',
  ...readReferenceContext(app),
});

const integ = new IntegTest(app, 'FargateApigwApi', {
  testCases: [stack],
  // A new environment each run: no deploy of the previous snapshot first (it would double the
  // run time), and no Lambda bundles of the stack under test in the committed snapshot.
  stackUpdateWorkflow: false,
});

// The API answers through the HTTP API, its VPC link and the Cloud Map SRV records: 200 from the
// nginx tasks in the private subnets. Tasks take minutes to start, pass their container health
// check and register in Cloud Map, hence the wait (every 20 s, 15 min at most).
// Issue 22's checks below run once the API answers.
const reachable = integ.assertions
  .httpApiCall(stack.ingress.url)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20), backoffRate: 1 });

// (b) F2: an alarm notification reaches the alarm topic and a subscriber. ApiMonitoring's alarms
// share the topic; the first one stands for all (set to ALARM by the test, it returns to its real
// state at its next evaluation). The probe queue is a test-only subscriber of the integ stack.
reachable.next(expectAlarmNotifies(integ, stack.monitoring.alarms[0], alarmProbeQueue(stack, alarmTopicOf(stack))));

// The outputs users read: the URL, and the egress IPs partners allow-list (one per NAT gateway,
// comma-separated).
integ.assertions
  .awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
  .expect(ExpectedResult.objectLike({
    Stacks: Match.arrayWith([Match.objectLike({
      Outputs: Match.arrayWith([
        Match.objectLike({ OutputKey: 'EgressIps', OutputValue: Match.stringLikeRegexp(`^${IPV4}(,${IPV4})*$`) }),
        Match.objectLike({ OutputKey: 'Url', OutputValue: Match.stringLikeRegexp('^https://[a-z0-9]+\\.execute-api\\.[a-z0-9-]+\\.amazonaws\\.com/$') }),
      ]),
    })]),
  }));

// The egress IPs are Elastic IPs attached to a network interface (the NAT gateways'), not just text.
integ.assertions
  .awsApiCall('EC2', 'describeAddresses', { PublicIps: stack.network.egressIps })
  .expect(ExpectedResult.objectLike({
    Addresses: Match.arrayWith([
      Match.objectLike({ Domain: 'vpc', AssociationId: Match.stringLikeRegexp('^eipassoc-'), NetworkInterfaceId: Match.stringLikeRegexp('^eni-') }),
    ]),
  }));

// Synthesized for integ-runner's cloud assembly schema (reference-kit's INTEG_RUNNER_SCHEMA).
synthesizeForIntegRunner(app);
