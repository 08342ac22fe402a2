import { App, Validations } from 'aws-cdk-lib';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FargateAlbApiStack } from './stack';

const app = new App();
new FargateAlbApiStack(app, 'FargateAlbApi', {
  description: 'Portcullis reference environment: public API on Fargate in private subnets behind an ALB',
});
// Policy packs run on every synth: a finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ExposureChecks());
app.synth();
