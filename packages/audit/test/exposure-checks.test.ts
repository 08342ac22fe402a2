import { App, Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ExposureChecks } from '../src';

function appWith(retention?: logs.RetentionDays, acknowledge = false) {
  const app = new App();
  const stack = new Stack(app, 'Audited');
  const group = new logs.LogGroup(stack, 'Logs', { retention });
  if (acknowledge) {
    Validations.of(group).acknowledge({ id: 'portcullis-exposure::Portcullis-LOG1', reason: 'audit trail kept forever by policy' });
  }
  Validations.of(app).addPlugins(new ExposureChecks());
  return app;
}

test('Portcullis-LOG1: a log group that never expires fails the synth, naming the rule and the fix', () => {
  expect(() => appWith(logs.RetentionDays.INFINITE).synth())
    .toThrow(/A log group has no retention[\s\S]*Audited\/Logs[\s\S]*Suggested fix: Set RetentionInDays[\s\S]*portcullis-exposure::Portcullis-LOG1/);
});

test('an acknowledgement with a reason, the cdk-nag 3 way, lets it pass', () => {
  expect(() => appWith(logs.RetentionDays.INFINITE, true).synth()).not.toThrow();
});

test('a log group with a retention passes', () => {
  expect(() => appWith(logs.RetentionDays.ONE_MONTH).synth()).not.toThrow();
});

test('checkTemplate works on any template, e.g. a seed CloudFormation template', () => {
  const seedTemplate = {
    Resources: {
      ServiceLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      ApiAccessLogs: { Type: 'AWS::Logs::LogGroup' },
      Kept: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
      Other: { Type: 'AWS::SNS::Topic', Properties: {} },
    },
  };
  const findings = new ExposureChecks().checkTemplate(seedTemplate);
  expect(findings.map((f) => [f.ruleId, f.resourceLogicalId])).toEqual([
    ['Portcullis-LOG1', 'ServiceLogGroup'],
    ['Portcullis-LOG1', 'ApiAccessLogs'],
  ]);
  expect(findings[0].fix).toMatch(/RetentionInDays/);
  expect(new ExposureChecks().checkTemplate({})).toEqual([]);
});

test('validate reports each rule once, with every violating resource', () => {
  const checks = new ExposureChecks();
  expect(checks.ruleIds).toEqual(['Portcullis-LOG1']);
  const fs = require('fs');
  const path = require('path');
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'audit-'));
  const file = path.join(dir, 't.template.json');
  fs.writeFileSync(file, JSON.stringify({ Resources: { A: { Type: 'AWS::Logs::LogGroup' }, B: { Type: 'AWS::Logs::LogGroup' } } }));
  const report = checks.validate({ templatePaths: [file] } as any);
  expect(report.success).toBe(false);
  expect(report.violations).toHaveLength(1);
  expect(report.violations[0].violatingResources.map((r) => r.resourceLogicalId)).toEqual(['A', 'B']);
});
