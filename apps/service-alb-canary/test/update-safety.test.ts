import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { describeReplacementTable, UpdateSafetyCase } from '@portcullis-apps/reference-kit/lib/testing';
import { UpdateSafety } from '@portcullis/audit';
import { OrdersServiceStack } from '../src/stack';

/**
 * "What a change replaces" for the service app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed service
 * stack would replace or remove (the platform is another app: none of these touch it). The
 * README publishes the table; the last test checks it.
 */
const number = (app: App, key: string) => (app.node.tryGetContext(key) === undefined ? undefined : Number(app.node.tryGetContext(key)));
const build = (app: App) => new OrdersServiceStack(app, 'OrdersService', {
  platformName: app.node.tryGetContext('platformName'), priority: number(app, 'priority'), path: app.node.tryGetContext('path'), ...readReferenceContext(app),
});
const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
const CASES: UpdateSafetyCase[] = [
  { change: '`desiredCount` 2 → 3', context: { desiredCount: '3' }, replaces: [] },
  { change: '`image`', context: { image: 'public.ecr.aws/docker/library/httpd:2.4' }, replaces: [TASK_DEFINITION] },
  { change: '`deployment` canary → linear', context: { deployment: 'linear' }, replaces: [] },
  { change: '`path` `/orders` → `/billing` (the production rule keeps its live weights)', context: { path: '/billing' }, replaces: ['Custom::PortcullisProductionListenerRule UPDATE'] },
  {
    change: '`platformName` (breaking: moving to another platform is another VPC, so a new service, group and target groups)',
    context: { platformName: 'shop' },
    replaces: ['AWS::EC2::SecurityGroup REPLACE', 'AWS::EC2::SecurityGroupIngress REPLACE', 'AWS::ECS::Service REPLACE', 'AWS::ElasticLoadBalancingV2::TargetGroup REPLACE',
      'AWS::ElasticLoadBalancingV2::TargetGroup REPLACE', 'Custom::PortcullisProductionListenerRule UPDATE'],
    breaks: true,
  },
  {
    change: '`containerPort` 80 → 8080 (the target groups keep port 80; the rule opening the port has it in its id)',
    context: { containerPort: '8080' },
    replaces: [TASK_DEFINITION, 'AWS::EC2::SecurityGroupIngress REMOVE'],
  },
];

describeReplacementTable({
  build,
  cases: CASES,
  readme: path.join(__dirname, '..', 'README.md'),
  compare: (_, baseline, after) => UpdateSafety.compareAssemblies(baseline, after),
});
