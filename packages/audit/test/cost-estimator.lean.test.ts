import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CostEstimator, PriceTable } from '../src';

const H = 730;
const OD = { vcpu: 0.04048, gb: 0.004445 };
/** The table's Fargate Spot prices: the conservative (top) end of the observed range. */
const SPOT = { vcpu: 0.0134, gb: 0.00147 };
/** Monthly price of one 0.25 vCPU / 0.5 GB task. */
const task = (p: { vcpu: number; gb: number }, factor = 1) => H * (0.25 * p.vcpu + 0.5 * p.gb) * factor;

/** A dual-stack VPC (aws-cdk-lib's own DUAL_STACK) + an ALB + 2 Fargate tasks of 0.25 vCPU / 0.5 GB. */
function lean(opts: { strategy?: ecs.CapacityProviderStrategy[]; arm?: boolean; ipAddressType?: elbv2.IpAddressType } = {}) {
  const stack = new Stack(new App(), 'Lean');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, ipProtocol: ec2.IpProtocol.DUAL_STACK });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, enableFargateCapacityProviders: true });
  const td = new ecs.FargateTaskDefinition(stack, 'Td', {
    cpu: 256, memoryLimitMiB: 512,
    runtimePlatform: opts.arm ? { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } : undefined,
  });
  td.addContainer('c', { image: ecs.ContainerImage.fromRegistry('nginx'), portMappings: [{ containerPort: 80 }] });
  const service = new ecs.FargateService(stack, 'Svc', { cluster, taskDefinition: td, desiredCount: 2, capacityProviderStrategies: opts.strategy });
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true, ipAddressType: opts.ipAddressType });
  lb.addListener('Http', { port: 80 }).addTargets('T', { port: 80, targets: [service] });
  return Template.fromStack(stack).toJSON();
}

const line = (e: ReturnType<typeof CostEstimator.estimateTemplate>, item: string) => e.lines.find((l) => l.item === item);
const saving = (e: ReturnType<typeof CostEstimator.estimateTemplate>, option: string) => e.leanSavings.find((s) => s.option === option);

describe('cost lines of the lean options', () => {
  test('Fargate Spot: FARGATE_SPOT tasks at the dated Spot price, no on-demand line', () => {
    const e = CostEstimator.estimateTemplate(lean({ strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }));
    expect(line(e, 'Fargate vCPU (x86)')).toBeUndefined();
    expect(line(e, 'Fargate Spot vCPU (x86)')!.monthlyUsd).toBeCloseTo(2 * 0.25 * H * SPOT.vcpu, 2);
    expect(line(e, 'Fargate Spot memory (x86)')!.monthlyUsd).toBeCloseTo(2 * 0.5 * H * SPOT.gb, 2);
    expect(line(e, 'Fargate Spot vCPU (x86)')!.note).toMatch(/Spot price of the table's date/);
  });

  test('Fargate Spot on arm64: the arm64 factor applies to Spot too', () => {
    const e = CostEstimator.estimateTemplate(lean({ strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], arm: true }));
    const total = line(e, 'Fargate Spot vCPU (arm64)')!.monthlyUsd! + line(e, 'Fargate Spot memory (arm64)')!.monthlyUsd!;
    expect(total).toBeCloseTo(2 * task(SPOT, 0.8), 1);
  });

  test('mixed: the base on FARGATE first, the rest by weight (base 1, 1:3 over 2 tasks = 1.25 on-demand, 0.75 Spot)', () => {
    const e = CostEstimator.estimateTemplate(lean({ strategy: [
      { capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 },
    ] }));
    expect(line(e, 'Fargate vCPU (x86)')!.quantity).toBeCloseTo(1.25 * 0.25, 4);
    expect(line(e, 'Fargate Spot vCPU (x86)')!.quantity).toBeCloseTo(0.75 * 0.25, 4);
  });

  test('IPv6: egress-only gateway is a free line; a dualstack ALB still holds a public IPv4 per AZ', () => {
    const e = CostEstimator.estimateTemplate(lean({ ipAddressType: elbv2.IpAddressType.DUAL_STACK }));
    expect(line(e, 'Egress-only internet gateways')).toMatchObject({ quantity: 1, monthlyUsd: 0, priced: true });
    expect(e.publicIpv4Count).toBe(3); // 2 ALB nodes + the NAT EIP
  });

  test('dualstack-without-public-ipv4: the ALB holds no public IPv4 (only the NAT EIP is counted)', () => {
    const e = CostEstimator.estimateTemplate(lean({ ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 }));
    expect(e.publicIpv4Count).toBe(1);
    expect(line(e, 'Public IPv4 addresses')!.note).toMatch(/0 ALB node\(s\), 1 Elastic IP.*2 ALB node\(s\) dualstack-without-public-ipv4/);
  });

  test('a price table without Spot prices says the Spot lines are not priced', () => {
    const withoutSpot = { ...PriceTable.usEast1().prices, fargateSpotVcpuHour: undefined, fargateSpotGbHour: undefined };
    const e = new CostEstimator(PriceTable.fromPrices(withoutSpot)).estimate(lean({ strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }));
    expect(line(e, 'Fargate Spot vCPU (x86)')!.priced).toBe(false);
    expect(e.notPriced).toContain('Fargate Spot vCPU (x86)');
  });

  test('Spot prices are overridable and validated', () => {
    const e = new CostEstimator(PriceTable.usEast1().withOverrides({ fargateSpotVcpuHour: 0.02 })).estimate(lean({ strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }));
    expect(line(e, 'Fargate Spot vCPU (x86)')!.unitPriceUsd).toBeCloseTo(0.02 * H, 4);
    expect(() => PriceTable.usEast1().withOverrides({ fargateSpotGbHour: -1 })).toThrow(/`fargateSpotGbHour` must be a number >= 0, got -1/);
  });
});

describe('leanSavings: which line items each lean option removes, and how much', () => {
  test('nothing lean applied: each option says what it would save', () => {
    const e = CostEstimator.estimateTemplate(lean());
    expect(saving(e, 'Fargate Spot')).toMatchObject({ applied: false, lineItems: ['Fargate vCPU (x86)', 'Fargate memory (x86)'] });
    expect(saving(e, 'Fargate Spot')!.monthlyUsd).toBeCloseTo(2 * (task(OD) - task(SPOT)), 1);
    expect(saving(e, 'Graviton (arm64)')).toMatchObject({ applied: false, lineItems: ['Fargate vCPU (x86)', 'Fargate memory (x86)'] });
    expect(saving(e, 'Graviton (arm64)')!.monthlyUsd).toBeCloseTo(2 * task(OD) * 0.2, 1);
    expect(saving(e, 'ALB dualstack-without-public-ipv4')).toMatchObject({ applied: false, lineItems: ['Public IPv4 addresses'], monthlyUsd: 7.3 });
  });

  test('every lean option applied: each says what it saved, and the total is that much lower', () => {
    const full = CostEstimator.estimateTemplate(lean());
    const e = CostEstimator.estimateTemplate(lean({
      strategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }], arm: true, ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4,
    }));
    for (const s of e.leanSavings) expect(s.applied).toBe(true);
    expect(saving(e, 'ALB dualstack-without-public-ipv4')!.monthlyUsd).toBe(7.3);
    expect(saving(e, 'Fargate Spot')!.monthlyUsd).toBeCloseTo(2 * (task(OD, 0.8) - task(SPOT, 0.8)), 1);
    expect(saving(e, 'Graviton (arm64)')!.lineItems).toEqual(['Fargate Spot vCPU (x86)', 'Fargate Spot memory (x86)']);
    // each saving is marginal (only that option undone): Spot at arm64 prices, Graviton at Spot prices
    expect(saving(e, 'Graviton (arm64)')!.monthlyUsd).toBeCloseTo(2 * task(SPOT) * 0.2, 1);
    // the lean template's total: the tasks on arm64 Spot instead of x86 on-demand, two IPv4 addresses fewer
    expect(full.totalMonthlyUsd - e.totalMonthlyUsd).toBeCloseTo(2 * (task(OD) - task(SPOT, 0.8)) + 7.3, 1);
  });

  // On-demand us-east-1 list prices (https://aws.amazon.com/ec2/pricing/on-demand/): the x86 peer first.
  test.each([
    ['t4g.medium', 0.0336, 0.0416],
    ['t4g.small', 0.0168, 0.0208], // the reference EC2 app's lean preset
  ])('EC2: Graviton container instances (%s) save against their x86 peer; Spot instances are priced at on-demand (upper bound)', (type, hourly, x86Hourly) => {
    const stack = new Stack(new App(), 'Ec2');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const lt = new ec2.LaunchTemplate(stack, 'Lt', {
      instanceType: new ec2.InstanceType(type), machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      spotOptions: { requestType: ec2.SpotRequestType.ONE_TIME },
    });
    new autoscaling.AutoScalingGroup(stack, 'Asg', { vpc, launchTemplate: lt, minCapacity: 1, maxCapacity: 2 });
    const e = CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON());
    const ec2Line = e.lines.find((l) => l.item === `EC2 ${type} (Spot)`)!;
    expect(ec2Line.monthlyUsd).toBeCloseTo(hourly * H, 2);
    expect(ec2Line.note).toMatch(/Spot instances priced at the on-demand price, their upper bound/);
    expect(saving(e, 'Graviton (arm64)')).toMatchObject({ applied: true, lineItems: [`EC2 ${type} (Spot)`] });
    expect(saving(e, 'Graviton (arm64)')!.monthlyUsd).toBeCloseTo((x86Hourly - hourly) * H, 2);
  });
});

describe('leanSavings respects what a workload can run on', () => {
  /** Two Fargate services of 2 tasks each: a Linux one and one whose OperatingSystemFamily is given (raw template value). */
  function mixed(os: unknown, linuxCount = 2) {
    const stack = new Stack(new App(), 'Mixed');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const service = (id: string, count: number) => {
      const td = new ecs.FargateTaskDefinition(stack, `${id}Td`, { cpu: 1024, memoryLimitMiB: 2048 });
      td.addContainer('c', { image: ecs.ContainerImage.fromRegistry('nginx') });
      new ecs.FargateService(stack, id, { cluster, taskDefinition: td, desiredCount: count });
      return td;
    };
    service('Linux', linuxCount);
    const other = service('Other', 2);
    (other.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('RuntimePlatform', { OperatingSystemFamily: os, CpuArchitecture: 'X86_64' });
    return Template.fromStack(stack).toJSON();
  }
  const TASK = (p: { vcpu: number; gb: number }) => H * (1 * p.vcpu + 2 * p.gb);

  test('a Windows service is left out of the Fargate Spot and Graviton advice (neither runs Windows), and the notes say so', () => {
    const e = CostEstimator.estimateTemplate(mixed('WINDOWS_SERVER_2022_CORE'));
    const spot = saving(e, 'Fargate Spot')!;
    expect(spot.applied).toBe(false);
    expect(spot.monthlyUsd).toBeCloseTo(2 * (TASK(OD) - TASK(SPOT)), 1); // the Linux service's 2 tasks only, not 4
    expect(spot.note).toMatch(/2 Windows task\(s\) left out: Fargate Spot does not run Windows containers/);
    const arm = saving(e, 'Graviton (arm64)')!;
    expect(arm.monthlyUsd).toBeCloseTo(2 * TASK(OD) * 0.2, 1);
    expect(arm.note).toMatch(/2 Windows task\(s\) left out: Windows tasks on Fargate run on x86_64 only/);
    // the same template with the other service on Linux: the advice counts all 4 tasks
    const linux = CostEstimator.estimateTemplate(mixed('LINUX'));
    expect(saving(linux, 'Fargate Spot')!.monthlyUsd).toBeCloseTo(4 * (TASK(OD) - TASK(SPOT)), 1);
    expect(saving(linux, 'Fargate Spot')!.note).not.toMatch(/left out/);
  });

  test('only Windows tasks: no Spot or Graviton advice at all', () => {
    const stack = new Stack(new App(), 'Windows');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const td = new ecs.FargateTaskDefinition(stack, 'Td', {
      cpu: 1024, memoryLimitMiB: 2048, runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.WINDOWS_SERVER_2019_CORE, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    td.addContainer('c', { image: ecs.ContainerImage.fromRegistry('mcr.microsoft.com/windows/servercore/iis') });
    new ecs.FargateService(stack, 'Svc', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: td, desiredCount: 2 });
    const e = CostEstimator.estimateTemplate(Template.fromStack(stack).toJSON());
    expect(e.leanSavings.map((s) => s.option)).toEqual([]);
    expect(line(e, 'Fargate vCPU (x86)')!.quantity).toBe(2); // still priced, on-demand
  });

  test('an OperatingSystemFamily that is not a literal: left out of the advice, with a warning', () => {
    const e = CostEstimator.estimateTemplate(mixed({ 'Fn::If': ['Win', 'WINDOWS_SERVER_2022_CORE', 'LINUX'] }));
    expect(e.warnings).toContainEqual(expect.stringMatching(/^cannot evaluate RuntimePlatform\.OperatingSystemFamily of OtherTd\w+: intrinsic Fn::If \(left out of the Spot and Graviton advice\)$/));
    expect(saving(e, 'Fargate Spot')!.note).toMatch(/2 task\(s\) whose OperatingSystemFamily is not a literal left out/);
  });

  test('a service of a single task: the Spot advice says an interruption stops it', () => {
    const e = CostEstimator.estimateTemplate(mixed('LINUX', 1));
    expect(saving(e, 'Fargate Spot')!.note).toMatch(/1 service\(s\) run fewer than 2 tasks: a Spot interruption \(two-minute warning\) stops the service until ECS replaces the task/);
  });
});
