import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Network } from '@portcullis/network';
import { ApiService, ApiServiceProps, Capacity, CapacityKind, Ec2Cluster, FargateCluster } from '../src';

function fargate(props: Partial<ApiServiceProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  new ApiService(stack, 'Api', { cluster, ...props });
  return Template.fromStack(stack);
}

function serviceProps(template: Template): any {
  const services = Object.values<any>(template.findResources('AWS::ECS::Service'));
  expect(services).toHaveLength(1);
  return services[0].Properties;
}

function stopTimeout(template: Template): unknown {
  const td = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))[0];
  return td.Properties.ContainerDefinitions[0].StopTimeout;
}

describe('capacity-provider strategy of each Capacity', () => {
  test('default (Capacity.onDemand()): the FARGATE capacity provider (base 0, weight 1), no launch type, ECS\'s default stop timeout', () => {
    for (const t of [fargate(), fargate({ capacity: Capacity.onDemand() })]) {
      const svc = serviceProps(t);
      expect(svc.LaunchType).toBeUndefined();
      expect(svc.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE', Base: 0, Weight: 1 }]);
      expect(stopTimeout(t)).toBeUndefined();
    }
  });

  test('Capacity.onDemandLaunchType(): the FARGATE launch type and no strategy, as Portcullis wrote on-demand before', () => {
    const t = fargate({ capacity: Capacity.onDemandLaunchType() });
    const svc = serviceProps(t);
    expect(svc.LaunchType).toBe('FARGATE');
    expect(svc.CapacityProviderStrategy).toBeUndefined();
    expect(stopTimeout(t)).toBeUndefined();
  });

  test('no Fargate capacity writes a launch type, and each names the providers the cluster associates', () => {
    for (const capacity of [Capacity.onDemand(), Capacity.spot(), Capacity.mixed()]) {
      const t = fargate({ capacity });
      const providers = serviceProps(t).CapacityProviderStrategy.map((s: any) => s.CapacityProvider);
      const [association] = Object.values<any>(t.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
      expect([String(capacity), serviceProps(t).LaunchType]).toEqual([String(capacity), undefined]);
      for (const p of providers) expect(association.Properties.CapacityProviders).toContain(p);
    }
  });

  test('EC2 capacity: the cluster\'s capacity provider strategy, never a launch type', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    new ApiService(stack, 'Api', { cluster });
    const svc = serviceProps(Template.fromStack(stack));
    expect(svc.LaunchType).toBeUndefined();
    expect(svc.CapacityProviderStrategy).toEqual([{ CapacityProvider: { Ref: expect.stringMatching(/CapacityProvider/) }, Base: 0, Weight: 1 }]);
  });

  test('Capacity.spot(): FARGATE_SPOT only, no launch type, the whole two-minute warning as stop timeout', () => {
    const t = fargate({ capacity: Capacity.spot() });
    const svc = serviceProps(t);
    expect(svc.LaunchType).toBeUndefined();
    expect(svc.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 }]);
    expect(stopTimeout(t)).toBe(120);
    // tasks stay private
    expect(svc.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
  });

  test('Capacity.mixed(): 1 task on FARGATE, then on-demand weight 1 against Spot weight 3', () => {
    const svc = serviceProps(fargate({ capacity: Capacity.mixed() }));
    expect(svc.LaunchType).toBeUndefined();
    expect(svc.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
      { CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 3 },
    ]);
  });

  test('Capacity.mixed({ onDemandBase, spotWeight })', () => {
    const svc = serviceProps(fargate({ capacity: Capacity.mixed({ onDemandBase: 0, spotWeight: 1 }) }));
    expect(svc.CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 0, Weight: 1 },
      { CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 },
    ]);
  });

  test('the Fargate cluster associates FARGATE and FARGATE_SPOT, and the service waits for the association', () => {
    const t = fargate({ capacity: Capacity.spot() });
    t.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
    });
    const [assocId] = Object.keys(t.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
    const svc = Object.values<any>(t.findResources('AWS::ECS::Service'))[0];
    expect(svc.DependsOn).toContain(assocId);
  });

  test('Spot on arm64 (Fargate Spot supports ARM64 on platform 1.4.0+)', () => {
    const t = fargate({ capacity: Capacity.spot(), runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'ARM64' } });
    expect(serviceProps(t).CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 1 }]);
  });

  test('kind, onDemandBase, spotWeight and usesSpot describe the capacity', () => {
    expect(Capacity.onDemand()).toMatchObject({ kind: CapacityKind.ON_DEMAND, usesSpot: false });
    expect(Capacity.spot()).toMatchObject({ kind: CapacityKind.SPOT, usesSpot: true });
    expect(Capacity.mixed({ onDemandBase: 2, spotWeight: 4 })).toMatchObject({ kind: CapacityKind.MIXED, onDemandBase: 2, spotWeight: 4, usesSpot: true });
    expect(Capacity.onDemand().capacityProviderStrategies()).toEqual([{ capacityProvider: 'FARGATE', base: 0, weight: 1 }]);
    expect(Capacity.onDemandLaunchType()).toMatchObject({ kind: CapacityKind.ON_DEMAND, usesSpot: false, usesLaunchType: true });
    expect(Capacity.onDemandLaunchType().capacityProviderStrategies()).toEqual([]);
    for (const c of [Capacity.onDemand(), Capacity.spot(), Capacity.mixed()]) expect(c.usesLaunchType).toBe(false);
  });

  test('toString names the factory', () => {
    expect([Capacity.onDemand(), Capacity.onDemandLaunchType(), Capacity.spot(), Capacity.mixed({ onDemandBase: 2, spotWeight: 4 })].map(String))
      .toEqual(['Capacity.onDemand()', 'Capacity.onDemandLaunchType()', 'Capacity.spot()', 'Capacity.mixed({ onDemandBase: 2, spotWeight: 4 })']);
  });
});

describe('bad input', () => {
  test.each([
    [{ spotWeight: -1 }, /spotWeight.*-1/],
    [{ onDemandBase: -1 }, /onDemandBase.*-1/],
    [{ spotWeight: 0 }, /spotWeight.*>= 1, got 0.*Capacity\.onDemand\(\)/],
    [{ onDemandBase: 0, spotWeight: 0 }, /every weight and base would be zero/],
    [{ spotWeight: 1.5 }, /spotWeight.*whole number.*1\.5/],
    [{ onDemandBase: 0.5 }, /onDemandBase.*whole number.*0\.5/],
    [{ spotWeight: 1001 }, /spotWeight.*1001/],
  ])('Capacity.mixed(%j) is refused', (options, message) => {
    expect(() => Capacity.mixed(options)).toThrow(message);
  });

  test('`capacity` on an EC2 cluster names `capacity` and the fix (Ec2Cluster `spot`)', () => {
    const stack = new Stack(new App(), 'Test');
    const cluster = new Ec2Cluster(stack, 'Cluster', { network: new Network(stack, 'Network') });
    expect(() => new ApiService(stack, 'Api', { cluster, capacity: Capacity.spot() }))
      .toThrow(/`capacity` \(SPOT\) is for Fargate clusters.*`spot: true` on the Ec2Cluster/);
    expect(() => new ApiService(stack, 'Api2', { cluster, capacity: Capacity.onDemand() })).toThrow(/`capacity`/);
  });
});
