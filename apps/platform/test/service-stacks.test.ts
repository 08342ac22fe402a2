import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { auditDiff, synthesizeApp } from '@portcullis-apps/reference-kit';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, Deployment, Platform } from '@portcullis/cluster';
import { PlatformStack, SERVICE_PORTS } from '../src/stack';

/**
 * Services come and go; the platform does not change (issue 25, item 1): the platform app with
 * 0, 1, 2 or 3 service stacks that join it through its parameters (a canary service behind the
 * ALB and a service behind the HTTP API in each). `portcullis-audit diff` between the synths is
 * what a pipeline runs before `cdk deploy --all`.
 */
function withServices(n: number) {
  return synthesizeApp((app: App) => {
    new PlatformStack(app, 'Platform');
    for (let i = 1; i <= n; i++) {
      const stack = new Stack(app, `Team${i}`);
      const platform = Platform.fromParameters(stack, 'Platform', { platformName: 'portcullis' });
      const alb = AlbIngress.fromParameters(stack, 'Alb', { platform, vpcEgressPorts: SERVICE_PORTS });
      alb.addService(new ApiService(stack, 'Orders', { cluster: platform.cluster, deployment: Deployment.canary() }), { priority: i, pathPatterns: [`/team${i}/orders/*`] });
      const httpApi = ApiGatewayIngress.fromParameters(stack, 'HttpApi', { platform });
      httpApi.addService(new ApiService(stack, 'Catalog', { cluster: platform.cluster }), { path: `/team${i}/catalog` });
    }
  });
}

const dirs = [0, 1, 2, 3].map(withServices);
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const platformTemplate = (dir: string) => fs.readFileSync(path.join(dir, 'Platform.template.json'), 'utf8');

test('the platform template is byte-identical with 0, 1, 2 or 3 service stacks', () => {
  for (const dir of dirs.slice(1)) expect(platformTemplate(dir)).toBe(platformTemplate(dirs[0]));
});

test('no service stack imports a CloudFormation export, and none depends on the platform stack (they read its parameters)', () => {
  for (let i = 1; i <= 3; i++) {
    const template = fs.readFileSync(path.join(dirs[3], `Team${i}.template.json`), 'utf8');
    expect(template).not.toContain('Fn::ImportValue');
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dirs[3], 'manifest.json'), 'utf8'));
  expect(manifest.artifacts.Team1.dependencies ?? []).not.toContain('Platform');
});

test('portcullis-audit diff: adding service stacks passes (exit 0) and reports only the new stacks', () => {
  const { status, output } = auditDiff(dirs[0], dirs[3]);
  expect(status).toBe(0);
  expect(output).not.toMatch(/REPLACE|REMOVE|Platform +\S+ +AWS::/);
  const report = UpdateSafety.compareAssemblies(dirs[1], dirs[3]);
  expect(report.findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Team2 ADD_STACK', 'Team3 ADD_STACK']);
});

test('portcullis-audit diff: removing a service stack removes that stack and nothing of the platform', () => {
  const report = UpdateSafety.compareAssemblies(dirs[3], dirs[2]);
  expect(report.findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Team3 REMOVE']);
});
