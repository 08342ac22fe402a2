// Deploy evidence (README "Deploy evidence", check (c); DEPLOY-REVIEW F10): a canary of a revision
// whose container exits at start rolls back, and the API keeps answering. integ-runner deploys
// this app's stack (default context: canary, circuit breaker on), waits for the API, then starts
// an ECS deployment of a crashing task definition the stack holds for the purpose, waits for
// ECS to report the deployment ROLLBACK_SUCCESSFUL (45 min at most) and checks that the service
// is back on its own revision and the API still answers; then it destroys the stack.
//   npm run integ -- fargate-alb-api/test/integ.fargate-alb-api-canary-rollback.ts   (repository root)
// An optional stage: `npm run integ` runs it after the app's main integ test (one more stack,
// about 25-40 minutes). Nothing proves yet that the circuit breaker acts on a CANARY deployment
// (the ECS API reference says it is for rolling updates; the failure-detection guide says
// rolling and blue/green): a timeout here is that evidence; the README says how to time a pass.
// `npm test` only compares a fresh synth with test/integ.fargate-alb-api-canary-rollback.ts.snapshot/.
import { App, Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { DEFAULT_IMAGE, readReferenceContext } from '@portcullis-apps/reference-kit';
import { FargateAlbApiStack } from '../src/stack';
import { synthesizeForIntegRunner } from '@portcullis-apps/reference-kit/lib/deploy-evidence';

// As the main integ test: the policy packs and aws-cdk-lib's validation already ran on this
// stack class in the app's own synth.
const app = new App({ builtinCloudFormationValidation: false });
const stack = new FargateAlbApiStack(app, 'PortcullisIntegFargateAlbApiRollback', {
  description: 'Portcullis integ test (deployed and destroyed by integ-runner): a canary of a crashing revision rolls back',
  ...readReferenceContext(app),
});

// The crashing revision, a test-only resource: the service's container name and port (so ECS can
// register it with the load balancer like the real one), the same image, a command that exits 1.
const running = stack.service.taskDefinition;
const container = running.defaultContainer!;
const crashing = new ecs.FargateTaskDefinition(stack, 'IntegCrashingRevision', {
  cpu: 256, memoryLimitMiB: 512, executionRole: stack.cluster.executionRole,
});
crashing.addContainer('Crash', {
  containerName: container.containerName,
  image: ecs.ContainerImage.fromRegistry(DEFAULT_IMAGE),
  command: ['sh', '-c', 'echo "Portcullis integ test: this revision exits at start on purpose"; exit 1'],
  portMappings: [{ containerPort: container.containerPort }],
  logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'crashing', logGroup: stack.service.logGroup }),
});

const integ = new IntegTest(app, 'FargateAlbApiCanaryRollback', {
  testCases: [stack],
  stackUpdateWorkflow: false,
});

const cluster = stack.cluster.cluster.clusterName;
const service = stack.service.service.serviceName;
const answers = { totalTimeout: Duration.minutes(15), interval: Duration.seconds(20), backoffRate: 1 };

// 1. The first deployment is up: the API answers through the ALB.
const up = integ.assertions
  .httpApiCall(stack.ingress.url)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions(answers);

// 2. Deploy the crashing revision as users do: a new task definition, so a canary deployment.
const deploy = integ.assertions.awsApiCall('ECS', 'updateService', { cluster, service, taskDefinition: crashing.taskDefinitionArn }, ['service.taskDefinition']);
up.next(deploy);

// 3. ECS rolls it back: the circuit breaker (tasks that never start), since no request reaches
// the crashed tasks for the rollback alarms to see. listServiceDeployments keeps the service's
// deployments with their status.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
const rolledBack = integ.assertions
  .awsApiCall('ECS', 'listServiceDeployments', { cluster, service, status: ['ROLLBACK_SUCCESSFUL'] })
  .assertAtPath('serviceDeployments.0.status', ExpectedResult.exact('ROLLBACK_SUCCESSFUL'))
  .waitForAssertions({ totalTimeout: Duration.minutes(45), interval: Duration.seconds(30), backoffRate: 1 });
deploy.next(rolledBack);

// 4. The service runs its own revision again, and the API answered all along and still does
// (a query string keeps this call apart from step 1's; nginx ignores it).
const back = integ.assertions
  .awsApiCall('ECS', 'describeServices', { cluster, services: [service] }, ['services.0.taskDefinition'])
  .assertAtPath('services.0.taskDefinition', ExpectedResult.exact(running.taskDefinitionArn));
rolledBack.next(back);
const stillUp = integ.assertions
  .httpApiCall(`${stack.ingress.url}/?after=rollback`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions(answers);
back.next(stillUp);

// Synthesized for integ-runner's cloud assembly schema (reference-kit's INTEG_RUNNER_SCHEMA).
synthesizeForIntegRunner(app);
