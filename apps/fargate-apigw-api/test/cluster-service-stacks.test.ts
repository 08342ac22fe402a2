import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { UpdateChange, UpdateSafety } from '@portcullis/audit';
import { ApiService, Ec2Cluster, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';

/**
 * Services in stacks of their own (issue 25, item 1), as `portcullis-audit diff` sees them: the
 * platform's template does not change when services come or go. The UpdateSafety assertions of
 * packages/cluster/test/service-stacks.test.ts, moved here with the same platform and service
 * stacks (the package's tests do not depend on @portcullis/audit, whose change would otherwise
 * affect every package; this app composes the cluster and the audit).
 */
interface Platform {
  readonly app: App;
  readonly platform: Stack;
  readonly network: Network;
  readonly fargate: FargateCluster;
  readonly ec2: Ec2Cluster;
}

function platformApp(outdir?: string, egress?: Egress): Platform {
  const app = new App(outdir ? { outdir } : {});
  const platform = new Stack(app, 'Platform');
  const network = new Network(platform, 'Network', {
    egress,
    interfaceEndpoints: egress ? [ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES] : undefined,
  });
  const fargate = new FargateCluster(platform, 'Fargate', { network });
  const ec2Cluster = new Ec2Cluster(platform, 'Ec2', { network, instanceType: new ec2.InstanceType('m7i.large') });
  return { app, platform, network, fargate, ec2: ec2Cluster };
}

/** Service stack i: a Fargate service with a secret and a private ECR image, and an EC2 service. */
function addServiceStack(p: Platform, i: number): { stack: Stack; api: ApiService; onEc2: ApiService } {
  const stack = new Stack(p.app, `Svc${i}`);
  const token = new ssm.StringParameter(stack, 'Token', { stringValue: 'x' });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', `svc${i}`);
  const api = new ApiService(stack, 'Api', {
    cluster: p.fargate,
    serviceName: `svc${i}`,
    image: ecs.ContainerImage.fromEcrRepository(repository, '1'),
    secrets: { TOKEN: ecs.Secret.fromSsmParameter(token) },
  });
  const onEc2 = new ApiService(stack, 'OnEc2', { cluster: p.ec2, serviceName: `svc${i}-ec2`, cpu: 512, memory: 1024 });
  return { stack, api, onEc2 };
}

function platformWith(services: number, outdir?: string) {
  const p = platformApp(outdir);
  const stacks = Array.from({ length: services }, (_, i) => addServiceStack(p, i + 1));
  const assembly = p.app.synth();
  return { ...p, stacks, assembly, platformJson: JSON.stringify(assembly.getStackByName('Platform').template) };
}

/** One synth per platform size, shared by every assertion below. */
const dirs = [1, 2, 3].map((n) => fs.mkdtempSync(path.join(os.tmpdir(), `portcullis-platform-${n}-`)));
[1, 2, 3].forEach((n, i) => platformWith(n, dirs[i]));
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('a platform with 1, 2 or 3 service stacks', () => {
  test('portcullis-audit diff (UpdateSafety): adding services adds stacks and changes nothing in the platform', () => {
    const report = UpdateSafety.compareAssemblies(dirs[0], dirs[2]);
    expect(report.findings.map((f) => `${f.stack} ${f.logicalId} ${f.change}`)).toEqual(['Svc2 Svc2 ADD_STACK', 'Svc3 Svc3 ADD_STACK']);
    expect(report.passed).toBe(true);
  });

  test('portcullis-audit diff (UpdateSafety): removing a service removes its stack only', () => {
    const report = UpdateSafety.compareAssemblies(dirs[2], dirs[1]);
    expect(report.findings.map((f) => `${f.logicalId} ${f.change}`)).toEqual(['Svc3 REMOVE']);
    expect(report.findings[0].change).toBe(UpdateChange.REMOVE);
  });
});
