import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { describeReplacementTable, UpdateSafetyCase } from '@portcullis-apps/reference-kit/lib/testing';
import { UpdateSafety } from '@portcullis/audit';
import { CatalogServiceStack } from '../src/stack';

/**
 * "What a change replaces" for the service app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed service
 * stack would replace or remove (the platform is another app: none of these touch it). The
 * README publishes the table; the last test checks it.
 */
const build = (app: App) => new CatalogServiceStack(app, 'CatalogService', {
  platformName: app.node.tryGetContext('platformName'), path: app.node.tryGetContext('path'), ...readReferenceContext(app),
});
const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
const CASES: UpdateSafetyCase[] = [
  { change: '`desiredCount` 2 → 3', context: { desiredCount: '3' }, replaces: [] },
  { change: '`image`', context: { image: 'public.ecr.aws/docker/library/httpd:2.4' }, replaces: [TASK_DEFINITION] },
  { change: '`path` `/catalog` → `/search`', context: { path: '/search' }, replaces: [] },
];

describeReplacementTable({
  build,
  cases: CASES,
  readme: path.join(__dirname, '..', 'README.md'),
  compare: (_, baseline, after) => UpdateSafety.compareAssemblies(baseline, after),
});
