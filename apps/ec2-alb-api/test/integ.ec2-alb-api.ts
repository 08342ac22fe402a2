// Deploy evidence (root README, "Deploy evidence"): integ-runner deploys this app's stack with
// its default context, asserts through the internet, then destroys it.
//   npm run integ           (repository root) deploy, assert, destroy, in your account
//   npm run integ:update    rewrite the committed snapshot next to this file, without deploying
// `npm test` only compares a fresh synth with test/integ.ec2-alb-api.ts.snapshot/.
import { App, Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { alarmProbeQueue, alarmTopicOf, expectAlarmNotifies, expectProductionRuleWeights, synthesizeForIntegRunner } from '@portcullis-apps/reference-kit/lib/deploy-evidence';
import { Ec2AlbApiStack } from '../src/stack';

const IPV4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}';

// The app's synth (`npm run synth`, part of `npm test`) already runs aws-cdk-lib's CloudFormation
// validation and the policy packs on this stack class with this context; here they would only
// slow the snapshot check (the validation is most of its synth time) and judge the assertion stack.
const app = new App({ builtinCloudFormationValidation: false });
// Same class and context as src/main.ts, under its own name so it never meets a `cdk deploy` of the app.
const stack = new Ec2AlbApiStack(app, 'PortcullisIntegEc2AlbApi', {
  description: 'Portcullis integ test (deployed and destroyed by integ-runner): public API on EC2 capacity in private subnets behind an ALB',
  ...readReferenceContext(app),
});

const integ = new IntegTest(app, 'Ec2AlbApi', {
  testCases: [stack],
  // A new environment each run: no deploy of the previous snapshot first (it would double the
  // run time), and no Lambda bundles of the stack under test in the committed snapshot. The
  // destroy that follows is evidence too: the Auto Scaling group must not block the teardown.
  stackUpdateWorkflow: false,
});

// The API answers through the ALB: 200 from the nginx tasks (awsvpc) on the container instances
// in the private subnets. Instances must join the cluster and tasks pass the target group's
// health checks, which takes minutes, hence the wait (every 20 s, 15 min at most).
// Issue 22's checks below run once the API answers.
const reachable = integ.assertions
  .httpApiCall(stack.ingress.url)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20), backoffRate: 1 });

// (a) F1: the production rule ECS shifts traffic on forwards 100 % to one of the service's two
// target groups and 0 % to the other after the first deployment; the assertion stack's outputs
// record which one (README "Deploy evidence").
reachable.next(expectProductionRuleWeights(integ, { clusterName: stack.cluster.cluster.clusterName, serviceName: stack.service.service.serviceName }));

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
        Match.objectLike({ OutputKey: 'Url', OutputValue: Match.stringLikeRegexp('^http://[^/]+\\.elb\\.amazonaws\\.com$') }),
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
