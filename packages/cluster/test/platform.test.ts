import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Network } from '@portcullis/network';
import { ApiService, ClusterCapacity, Ec2Cluster, FargateCluster, Platform } from '../src';

/**
 * A platform that separate CDK apps join (issue 25, item 2): `new Platform(...)` publishes the
 * network and the cluster in SSM parameters; `Platform.fromParameters` reads them at deploy time
 * in a service's own app, with no CloudFormation export.
 */
const parameters = (t: Template) => Object.fromEntries(Object.values<any>(t.findResources('AWS::SSM::Parameter')).map((p) => [p.Properties.Name, p.Properties.Value]));

describe('publishing', () => {
  const stack = new Stack(new App(), 'Platform');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const topic = new sns.Topic(stack, 'Alarms');
  new Platform(stack, 'Platform', { platformName: 'shop', network, cluster, alarmTopic: topic });
  const values = parameters(Template.fromStack(stack));

  test('the network, the cluster (name, execution role, shape) and the alarm topic under /portcullis/shop/', () => {
    expect(Object.keys(values).filter((k) => !k.startsWith('/portcullis/shop/network/')).sort()).toEqual([
      '/portcullis/shop/alarm-topic-arn', '/portcullis/shop/cluster/execution-role-arn', '/portcullis/shop/cluster/name', '/portcullis/shop/cluster/shape',
    ]);
    expect(values['/portcullis/shop/cluster/shape']).toBe('capacity=FARGATE');
    expect(values['/portcullis/shop/cluster/name']).toEqual({ Ref: expect.stringMatching(/^ClusterC/) });
    expect(values['/portcullis/shop/network/shape']).toBe('availabilityZones=2,privateSubnets=true,publicSubnets=true,internetEgress=true,ipv6=false');
  });

  test('an Ec2Cluster publishes its capacity provider and its architecture', () => {
    const ec2Stack = new Stack(new App(), 'Platform');
    const ec2Network = new Network(ec2Stack, 'Network');
    const ec2Cluster = new Ec2Cluster(ec2Stack, 'Cluster', { network: ec2Network, graviton: true });
    new Platform(ec2Stack, 'Platform', { platformName: 'shop', network: ec2Network, cluster: ec2Cluster });
    const ec2Values = parameters(Template.fromStack(ec2Stack));
    expect(ec2Values['/portcullis/shop/cluster/shape']).toBe('capacity=EC2,architecture=ARM64');
    expect(ec2Values['/portcullis/shop/cluster/capacity-provider-name']).toEqual({ Ref: expect.stringMatching(/^ClusterCapacityProvider/) });
  });
});

describe('a service in another CDK app', () => {
  const stack = new Stack(new App(), 'Orders');
  const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop', alarmTopic: true });
  const api = new ApiService(stack, 'Api', { cluster: shop.cluster, serviceName: 'orders' });
  const template = Template.fromStack(stack).toJSON();
  const ssmParameter = (name: string) => Object.entries<any>(template.Parameters).find(([, p]) => p.Default === name)?.[0];

  test('synthesizes with no Fn::ImportValue: every platform value is an SSM-typed CloudFormation parameter', () => {
    expect(JSON.stringify(template)).not.toContain('Fn::ImportValue');
    const service = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::Service');
    expect(service.Properties.Cluster).toEqual({ Ref: ssmParameter('/portcullis/shop/cluster/name') });
    expect(template.Parameters[ssmParameter('/portcullis/shop/cluster/name')!].Type).toBe('AWS::SSM::Parameter::Value<String>');
    expect(JSON.stringify(service.Properties.NetworkConfiguration)).toContain(ssmParameter('/portcullis/shop/network/private-subnet-ids'));
  });

  test('reads only the parameters it uses (no unreferenced CloudFormation parameter)', () => {
    const names = Object.values<any>(template.Parameters).map((p) => p.Default).filter((n) => typeof n === 'string' && n.startsWith('/portcullis/')).sort();
    expect(names).toEqual(['/portcullis/shop/alarm-topic-arn', '/portcullis/shop/cluster/name', '/portcullis/shop/cluster/shape',
      '/portcullis/shop/network/private-subnet-ids', '/portcullis/shop/network/shape', '/portcullis/shop/network/vpc-id']);
  });

  test('the service uses an execution role of its own (the platform\'s role is imported read-only)', () => {
    expect(api.executionRole).not.toBe(shop.cluster.executionRole);
    expect(Stack.of(api.executionRole)).toBe(stack);
  });

  test('the deployment checks the published network and cluster shapes before changing anything', () => {
    const rules = Object.values<any>(template.Rules).map((r) => r.Assertions[0]).filter((a) => /portcullis/.test(a.AssertDescription));
    expect(rules.map((a) => a.Assert['Fn::Equals'][1]).sort()).toEqual([
      'availabilityZones=2,privateSubnets=true,publicSubnets=true,internetEgress=true,ipv6=false', 'capacity=FARGATE',
    ]);
  });

  test('the alarm topic is read from its parameter', () => {
    expect(stack.resolve(shop.alarmTopic!.topicArn)).toEqual({ Ref: ssmParameter('/portcullis/shop/alarm-topic-arn') });
  });
});

test('an EC2 platform: the service uses the published capacity provider, on the given architecture', () => {
  const stack = new Stack(new App(), 'Orders');
  const shop = Platform.fromParameters(stack, 'Shop', { platformName: 'shop', capacity: ClusterCapacity.EC2, cpuArchitecture: ecs.CpuArchitecture.ARM64, instanceType: new ec2.InstanceType('m7g.large') });
  new ApiService(stack, 'Api', { cluster: shop.cluster, cpu: 512, memory: 1024 });
  const template = Template.fromStack(stack).toJSON();
  const service = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::Service');
  expect(JSON.stringify(service.Properties.CapacityProviderStrategy)).toContain('Ref');
  const td = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
  expect(td.Properties.RuntimePlatform.CpuArchitecture).toBe('ARM64');
  expect(JSON.stringify(template.Rules)).toContain('capacity=EC2,architecture=ARM64');
});

test('bad input: an EC2 instance type on a Fargate platform', () => {
  expect(() => Platform.fromParameters(new Stack(new App(), 'S'), 'Shop', { platformName: 'shop', instanceType: new ec2.InstanceType('m7i.large') }))
    .toThrow(/`cpuArchitecture` and `instanceType` describe an EC2 cluster's instances, but `capacity` is FARGATE \(the default\)/);
});
