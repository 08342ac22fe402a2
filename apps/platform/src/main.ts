import { App, Validations } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { PlatformStack } from './stack';

const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key) as string | undefined;
new PlatformStack(app, 'Platform', {
  description: 'Portcullis reference platform: network, cluster, ALB and HTTP API that service apps of their own join',
  platformName: context('platformName'),
  ...readReferenceContext(app),
});
// Policy packs run on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new ExposureChecks());
app.synth();
