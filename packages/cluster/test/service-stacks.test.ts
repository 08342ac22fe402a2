import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Egress, Network } from '@portcullis/network';
import { ApiService, Ec2Cluster, FargateCluster, IApiCluster } from '../src';

/**
 * Services in stacks of their own (issue 25, item 1): a platform stack holds the network and the
 * clusters; each service stack holds everything of its service, the platform never depends on a
 * service stack, and its template does not change when services come or go. (What
 * `portcullis-audit diff` says of adding and removing service stacks is in
 * apps/fargate-apigw-api/test/cluster-service-stacks.test.ts: this package's tests do not
 * depend on @portcullis/audit.)
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
const built = [1, 2, 3].map((n, i) => platformWith(n, dirs[i]));
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('a platform with 1, 2 or 3 service stacks', () => {
  test('the platform template is byte-identical', () => {
    expect(built[1].platformJson).toBe(built[0].platformJson);
    expect(built[2].platformJson).toBe(built[0].platformJson);
  });

  test('the platform depends on no service stack; each service stack depends on the platform only', () => {
    const { platform, stacks } = built[2];
    expect(platform.dependencies).toEqual([]);
    for (const { stack } of stacks) expect(stack.dependencies.map((s) => s.stackName)).toEqual(['Platform']);
  });

  test('the platform template has no IAM policy, service name or log group of any service', () => {
    const template = built[2].platformJson;
    expect(template).not.toMatch(/Svc\d|svc\d/);
    expect(Object.keys(Template.fromJSON(JSON.parse(template)).findResources('AWS::IAM::Policy'))).toEqual(
      Object.keys(Template.fromJSON(JSON.parse(built[0].platformJson)).findResources('AWS::IAM::Policy')));
  });
});

describe('a service in its own stack', () => {
  const { stacks, fargate, ec2: ec2Cluster } = built[0];
  const { stack, api, onEc2 } = stacks[0];
  const template = Template.fromStack(stack);

  test('gets an execution role of its own, in its stack, with the seed\'s trust and managed policy', () => {
    expect(api.executionRole).not.toBe(fargate.executionRole);
    expect(onEc2.executionRole).not.toBe(ec2Cluster.executionRole);
    expect(Stack.of(api.executionRole)).toBe(stack);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']] }] },
    });
    expect(Object.keys(roles)).toHaveLength(2);
    for (const role of Object.values<any>(roles)) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual(expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }));
    }
  });

  test('its log group, secret and image repository are granted to its own role, in its own stack', () => {
    const roleId = stack.resolve((api.executionRole.node.defaultChild as any).logicalId);
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId));
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [].concat(s.Action)));
    expect(actions).toEqual(expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents', 'ssm:GetParameters', 'ecr:BatchGetImage']));
    const td = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: 'svc1' } }))[0];
    expect(td.Properties.ExecutionRoleArn).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });

  test('the service stack references the platform\'s cluster (in one app, through the platform\'s exports)', () => {
    const service = Object.values<any>(template.findResources('AWS::ECS::Service', { Properties: { ServiceName: 'svc1' } }))[0];
    expect(service.Properties.Cluster).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Platform:ExportsOutputRefFargateCluster/) });
  });
});

describe('a service in the cluster\'s stack (single-stack apps keep their templates)', () => {
  test('uses the cluster\'s execution role, as before', () => {
    const stack = new Stack(new App(), 'One');
    const cluster = new FargateCluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    const api = new ApiService(stack, 'Api', { cluster });
    expect(api.executionRole).toBe(cluster.executionRole);
    const roles = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(roles.filter((id) => id.startsWith('Api'))).toEqual([expect.stringMatching(/^ApiTaskRole/)]);
  });

  test('an imported execution role, even in the same stack, is not granted to: the service gets its own', () => {
    const stack = new Stack(new App(), 'One');
    const network = new Network(stack, 'Network');
    const cluster = new FargateCluster(stack, 'Cluster', { network });
    // the cluster, but with an execution role imported into the same stack
    const imported: IApiCluster = Object.create(cluster, { executionRole: { value: iam.Role.fromRoleName(stack, 'Shared', 'shared-execution') } });
    const api = new ApiService(stack, 'Api', { cluster: imported });
    expect(api.executionRole).not.toBe(imported.executionRole);
    expect(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: ['shared-execution'] } })).toEqual({});
  });
});

describe('Egress.none(): the interface endpoints a service needs stay in the platform', () => {
  const image = ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1');

  test('ECS Exec with the platform\'s ssmmessages endpoint: the platform template does not change', () => {
    const alone = platformApp(undefined, Egress.none({ ec2Capacity: true }));
    const p = platformApp(undefined, Egress.none({ ec2Capacity: true }));
    const stack = new Stack(p.app, 'Svc');
    new ApiService(stack, 'Api', { cluster: p.fargate, image, enableExecuteCommand: true });
    Template.fromStack(stack);
    // the same platform, but for the exports the service stack reads
    const withoutOutputs = (t: any) => JSON.stringify({ ...t, Outputs: undefined });
    expect(withoutOutputs(Template.fromStack(p.platform).toJSON())).toBe(withoutOutputs(Template.fromStack(alone.platform).toJSON()));
  });

  test('a secret whose endpoint the platform lacks: an error naming the endpoint and the fix', () => {
    const p = platformApp(undefined, Egress.none({ ec2Capacity: true }));
    const stack = new Stack(p.app, 'Svc');
    const token = new ssm.StringParameter(stack, 'Token', { stringValue: 'x' });
    expect(() => new ApiService(stack, 'Api', { cluster: p.fargate, image, secrets: { TOKEN: ecs.Secret.fromSsmParameter(token) } }))
      .toThrow(/`secrets.TOKEN` \(SSM Parameter Store\) on a network without internet egress needs an `ssm` interface endpoint in its VPC, and the network is in another stack \(Platform\), which a service never changes: add `ec2.InterfaceVpcEndpointAwsService.SSM` to the Network's `interfaceEndpoints`/);
  });
});
