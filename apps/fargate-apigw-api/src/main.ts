import { App, Validations } from 'aws-cdk-lib';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FargateApigwApiStack } from './stack';

const app = new App();
new FargateApigwApiStack(app, 'FargateApigwApi', {
  description: 'Portcullis reference environment: public API on Fargate in private subnets behind an API Gateway HTTP API',
});
// Policy packs run on every synth: a finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ExposureChecks());
app.synth();
