import { App, Validations } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { FargateAlbApiStack } from './stack';

const app = new App();
new FargateAlbApiStack(app, 'FargateAlbApi', {
  description: 'Portcullis reference environment: public API on Fargate in private subnets behind an ALB',
  ...readReferenceContext(app),
});
// Policy packs run on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new ExposureChecks());
app.synth();
