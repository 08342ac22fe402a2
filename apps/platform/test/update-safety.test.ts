import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { describeReplacementTable, UpdateSafetyCase } from '@portcullis-apps/reference-kit/lib/testing';
import { UpdateSafety } from '@portcullis/audit';
import { PlatformStack } from '../src/stack';

/**
 * "What a change replaces" for the platform: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed
 * platform would replace or remove. The README publishes the table; the last test checks it.
 * Every service stack reads the platform at its next deploy; a row that changes a published
 * shape or name says what the service apps must change with it.
 */
const build = (app: App) => new PlatformStack(app, 'Platform', { platformName: app.node.tryGetContext('platformName'), ...readReferenceContext(app) });
const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
export const CASES: UpdateSafetyCase[] = [
  { change: '`desiredCount` (the fallback service) 1 → 2', context: { desiredCount: '2' }, replaces: [] },
  { change: '`image` (the fallback service)', context: { image: 'public.ecr.aws/docker/library/httpd:2.4' }, replaces: [TASK_DEFINITION] },
  { change: '`alarmEmail` added', context: { alarmEmail: 'oncall@example.com' }, replaces: [] },
  { change: '`dashboard` off', context: { dashboard: 'false' }, replaces: ['AWS::CloudWatch::Dashboard REMOVE'] },
  {
    change: '`egress` natGatewayPerAz → singleNatGateway (breaking: an egress IP goes)',
    context: { egress: 'singleNatGateway' },
    replaces: ['AWS::EC2::EIP REMOVE', 'AWS::EC2::NatGateway REMOVE', 'AWS::CloudWatch::Alarm REMOVE', 'AWS::CloudWatch::Alarm REMOVE'],
    breaks: true,
  },
  {
    change: '`platformName` renamed (every parameter is a new one: redeploy the services with the new name)',
    context: { platformName: 'shop' },
    replaces: Array(26).fill('AWS::SSM::Parameter REPLACE'),
  },
];

describeReplacementTable({
  build,
  cases: CASES,
  readme: path.join(__dirname, '..', 'README.md'),
  compare: (_, baseline, after) => UpdateSafety.compareAssemblies(baseline, after),
  kept: {
    what: 'the load balancer, the HTTP API, the VPC link or the cluster',
    types: ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::VpcLink', 'AWS::ECS::Cluster'],
  },
});
