import { App, Validations } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { OrdersServiceStack } from './stack';

const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) as string | undefined;
const priority = context('priority');
new OrdersServiceStack(app, 'OrdersService', {
  description: 'Portcullis reference service: a canary-deployed service joining the platform\'s ALB from its own CDK app',
  platformName: context('platformName'),
  priority: priority === undefined ? undefined : Number(priority),
  path: context('path'),
  ...readReferenceContext(app),
});
// Policy packs run on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new ExposureChecks());
app.synth();
