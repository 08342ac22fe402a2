import { App, Validations } from 'aws-cdk-lib';
import { ExposureChecks } from '@portcullis/audit';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Ec2AlbApiStack } from './stack';

const app = new App();
new Ec2AlbApiStack(app, 'Ec2AlbApi', {
  description: 'Portcullis reference environment: public API on EC2 capacity in private subnets behind an ALB',
});
// Policy packs run on every synth: a finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ExposureChecks());
app.synth();
