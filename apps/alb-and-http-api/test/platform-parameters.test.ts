import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlbIngress } from '@portcullis/alb-ingress';
import { ApiGatewayIngress } from '@portcullis/apigw-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, Deployment, FargateCluster, Platform } from '@portcullis/cluster';
import { Network } from '@portcullis/network';

/**
 * A platform that services join through its published parameters (issue 25, items 1 and 2),
 * here because it needs both ingresses and the audit: a platform stack (network, cluster, an ALB
 * and an HTTP API with a fallback service behind both, published) and 0 to 3 team stacks that
 * join it with `fromParameters` (a canary service behind the ALB, a service behind the HTTP API
 * in each). No export: the platform's template does not change at all, even from 0 to 1 service
 * stack, and `portcullis-audit diff` (what a pipeline runs before `cdk deploy --all`) passes.
 */
function synth(teams: number): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-platform-'));
  const app = new App({ outdir });
  const platform = new Stack(app, 'Platform');
  const network = new Network(platform, 'Network', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new FargateCluster(platform, 'Cluster', { network });
  const fallback = new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 });
  const alb = new AlbIngress(platform, 'Alb', { network, service: fallback, vpcEgressPorts: [80] });
  const httpApi = new ApiGatewayIngress(platform, 'HttpApi', { network, service: fallback });
  new Platform(platform, 'Platform', { platformName: 'shop', network, cluster, alarmTopic: new sns.Topic(platform, 'Alarms') });
  alb.publish('shop');
  httpApi.publish('shop');
  for (let i = 1; i <= teams; i++) {
    const stack = new Stack(app, `Team${i}`);
    const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop' });
    AlbIngress.fromParameters(stack, 'Alb', { platform: shop, vpcEgressPorts: [80] })
      .addService(new ApiService(stack, 'Orders', { cluster: shop.cluster, deployment: Deployment.canary() }), { priority: i, pathPatterns: [`/team${i}/orders/*`] });
    ApiGatewayIngress.fromParameters(stack, 'HttpApi', { platform: shop })
      .addService(new ApiService(stack, 'Catalog', { cluster: shop.cluster }), { path: `/team${i}/catalog` });
  }
  app.synth();
  return outdir;
}

const dirs = [0, 1, 2, 3].map(synth);
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const platformTemplate = (dir: string) => fs.readFileSync(path.join(dir, 'Platform.template.json'), 'utf8');

test('the platform template is byte-identical with 0, 1, 2 or 3 team stacks', () => {
  for (const dir of dirs.slice(1)) expect(platformTemplate(dir)).toBe(platformTemplate(dirs[0]));
});

test('no team stack imports an export or depends on the platform stack: they read its parameters at deploy time', () => {
  for (let i = 1; i <= 3; i++) expect(fs.readFileSync(path.join(dirs[3], `Team${i}.template.json`), 'utf8')).not.toContain('Fn::ImportValue');
  const manifest = JSON.parse(fs.readFileSync(path.join(dirs[3], 'manifest.json'), 'utf8'));
  for (let i = 1; i <= 3; i++) expect(manifest.artifacts[`Team${i}`].dependencies ?? []).not.toContain('Platform');
});

test('portcullis-audit diff: adding team stacks exits 0 and lists only them; removing one removes that stack only', () => {
  const cli = path.join(path.dirname(require.resolve('@portcullis/audit/package.json')), 'lib', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'diff', dirs[0], dirs[3]], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout).not.toMatch(/REPLACE|REMOVE/);
  expect(UpdateSafety.compareAssemblies(dirs[1], dirs[3]).findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Team2 ADD_STACK', 'Team3 ADD_STACK']);
  expect(UpdateSafety.compareAssemblies(dirs[3], dirs[2]).findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Team3 REMOVE']);
});
