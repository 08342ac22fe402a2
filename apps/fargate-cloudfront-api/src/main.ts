import { App, Validations } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { FargateCloudFrontApiStack } from './stack';

const app = new App();
new FargateCloudFrontApiStack(app, 'FargateCloudFrontApi', {
  description: 'Portcullis reference environment: public HTTPS API on Fargate in private subnets behind CloudFront (VPC origin) and an internal ALB',
  ...readReferenceContext(app),
});
// Policy packs run on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new ExposureChecks());
app.synth();
