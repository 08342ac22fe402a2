import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AlbIngress } from '@portcullis/alb-ingress';
import { UpdateSafety } from '@portcullis/audit';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';

/**
 * Services joining a platform's load balancer from stacks of their own (issue 25, item 1), as
 * `portcullis-audit diff` sees them: the UpdateSafety assertion of
 * packages/alb-ingress/test/service-stacks.test.ts, moved here with the same platform and
 * service stacks (the package's tests do not depend on @portcullis/audit, whose change would
 * otherwise affect every package; this app composes the ALB ingress and the audit).
 */
const ENV = { account: '123456789012', region: 'us-east-1' };

function platformApp(services: number, outdir?: string) {
  const app = new App(outdir ? { outdir } : {});
  const platform = new Stack(app, 'Platform', { env: ENV });
  const network = new Network(platform, 'Network');
  const cluster = new FargateCluster(platform, 'Cluster', { network });
  const fallback = new ApiService(platform, 'Fallback', { cluster, desiredCount: 1 });
  const ingress = new AlbIngress(platform, 'Ingress', { network, service: fallback, testListenerPort: 8080 });
  const stacks = Array.from({ length: services }, (_, i) => {
    const n = i + 1;
    const stack = new Stack(app, `Svc${n}`, { env: ENV });
    const canary = new ApiService(stack, 'Canary', { cluster, serviceName: `canary${n}`, deployment: Deployment.canary() });
    const rolling = new ApiService(stack, 'Rolling', { cluster, serviceName: `rolling${n}` });
    ingress.addService(canary, { priority: 10 * n, pathPatterns: [`/canary${n}/*`] });
    ingress.addService(rolling, { priority: 10 * n + 1, pathPatterns: [`/rolling${n}/*`] });
    return { stack, canary, rolling };
  });
  const assembly = app.synth();
  return { app, platform, ingress, stacks, platformJson: JSON.stringify(assembly.getStackByName('Platform').template) };
}

const dirs = [1, 2, 3].map((n) => fs.mkdtempSync(path.join(os.tmpdir(), `portcullis-alb-platform-${n}-`)));
[1, 2, 3].forEach((n, i) => platformApp(n, dirs[i]));
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('an AlbIngress shared by 1, 2 or 3 service stacks', () => {
  test('portcullis-audit diff (UpdateSafety): adding two service stacks changes nothing in the platform; removing one removes that stack only', () => {
    const added = UpdateSafety.compareAssemblies(dirs[0], dirs[2]);
    expect(added.findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Svc2 ADD_STACK', 'Svc3 ADD_STACK']);
    const removed = UpdateSafety.compareAssemblies(dirs[2], dirs[1]);
    expect(removed.findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Svc3 REMOVE']);
  });
});
