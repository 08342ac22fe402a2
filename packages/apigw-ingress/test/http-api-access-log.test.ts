import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HttpApiAccessLog } from '../src';

function stageWith(props?: ConstructorParameters<typeof HttpApiAccessLog>[2]) {
  const stack = new Stack(new App(), 'Test');
  const api = new apigwv2.HttpApi(stack, 'Api', { createDefaultStage: false });
  const log = new HttpApiAccessLog(stack, 'AccessLog', props);
  new apigwv2.HttpStage(stack, 'Stage', { httpApi: api, autoDeploy: true, accessLogSettings: log.accessLogSettings });
  return { stack, log, template: Template.fromStack(stack) };
}

test('a one-month log group receives JSON records with the seed fields plus integration error and latency', () => {
  const { log, template } = stageWith();
  template.hasResource('AWS::Logs::LogGroup', {
    Properties: { RetentionInDays: 30 },
    Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: Match.stringLikeRegexp('AWS-owned keys') }] } },
  });
  const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as any;
  const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
  expect(format).toEqual(expect.objectContaining({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    caller: '$context.identity.caller',
    user: '$context.identity.user',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    integrationError: '$context.integrationErrorMessage',
    integrationLatency: '$context.integrationLatency',
  }));
  expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/AccessLogLogGroup/), 'Arn'] });
  expect(JSON.parse(log.format)).toEqual(HttpApiAccessLog.FIELDS);
});

test('retention is a prop; infinite retention is refused', () => {
  stageWith({ retention: logs.RetentionDays.ONE_YEAR }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  expect(() => stageWith({ retention: logs.RetentionDays.INFINITE })).toThrow(/`retention` must be a finite retention, got RetentionDays.INFINITE/);
});

test('cdk-nag AwsSolutions: the stage has its access log (APIG1 is satisfied)', () => {
  const { stack } = stageWith();
  const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
  expect(rules).not.toContain('AwsSolutions-APIG1');
  // without the access log, the same stage is flagged: the check is live
  const bare = new Stack(new App(), 'Bare');
  new apigwv2.HttpStage(bare, 'Stage', { httpApi: new apigwv2.HttpApi(bare, 'Api', { createDefaultStage: false }) });
  expect(new AwsSolutionsChecks().validateScope(bare).violations.map((v) => v.ruleName)).toContain('AwsSolutions-APIG1');
});
