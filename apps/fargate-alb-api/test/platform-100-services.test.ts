import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiService, Deployment } from '@portcullis/cluster';
import { CANARY_SERVICES_PER_ALB, hundredServices } from './support/hundred-services';

/**
 * 100 canary services on one platform (issue 25, items 3 and 4), here because this app composes
 * what it needs (network, cluster, alb-ingress, monitoring): each in a stack of its own with
 * its own monitoring, over three load balancers (49 canary services fill one: 98 target groups
 * and the fallback's one). Synthesized once (12 s of CPU; bench/platform-100.ts measures it),
 * every quota asserted on the result: CloudFormation's per stack, ELB's per load balancer, the
 * security groups' rules.
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-100-'));
const built = hundredServices(100, outdir);
const assembly = built.app.synth();
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const templates = assembly.stacks.map((s) => ({ name: s.stackName, template: s.template, bytes: fs.statSync(path.join(outdir, s.templateFile)).size }));
const resources = (type: string) => templates.flatMap((t) => Object.values<any>(t.template.Resources ?? {}).filter((r) => r.Type === type).map((r) => ({ stack: t.name, r })));
/** The export a value imports (`Fn::ImportValue`), or its Ref/GetAtt within the platform. */
const key = (value: unknown) => JSON.stringify(value);

test('101 stacks: the platform and 100 service stacks, none depending on another service', () => {
  expect(assembly.stacks).toHaveLength(101);
  expect(built.platform.dependencies).toEqual([]);
  for (const { stack } of built.stacks) expect(stack.dependencies.map((d) => d.stackName)).toEqual(['Platform']);
});

test('every stack within CloudFormation\'s quotas: 500 resources, 200 outputs, 200 parameters, 1 MB of template', () => {
  const worst = (f: (t: typeof templates[number]) => number) => Math.max(...templates.map(f));
  expect(worst((t) => Object.keys(t.template.Resources ?? {}).length)).toBeLessThanOrEqual(500);
  expect(worst((t) => Object.keys(t.template.Outputs ?? {}).length)).toBeLessThanOrEqual(200);
  expect(worst((t) => Object.keys(t.template.Parameters ?? {}).length)).toBeLessThanOrEqual(200);
  expect(worst((t) => t.bytes)).toBeLessThanOrEqual(1_000_000);
});

test('every load balancer within ELB\'s quotas: at most 100 target groups and 100 rules', () => {
  const rules = resources('Custom::PortcullisProductionListenerRule');
  expect(rules).toHaveLength(100);
  const perListener = new Map<string, number>();
  for (const { r } of rules) perListener.set(key(r.Properties.ListenerArn), (perListener.get(key(r.Properties.ListenerArn)) ?? 0) + 1);
  expect([...perListener.values()].sort((a, b) => b - a)).toEqual([CANARY_SERVICES_PER_ALB, CANARY_SERVICES_PER_ALB, 2]);
  for (const shard of built.shards) {
    const services = built.stacks.map((s) => s.service).filter((s) => { try { return shard.targetGroupsFor(s).length > 0; } catch { return false; } });
    const targetGroups = 1 + services.reduce((n, s) => n + shard.targetGroupsFor(s).length + shard.alternateTargetGroupsFor(s).length, 0);
    expect(targetGroups).toBeLessThanOrEqual(100);
    expect(services.length).toBeLessThanOrEqual(100); // one rule each
  }
  expect(resources('AWS::ElasticLoadBalancingV2::TargetGroup')).toHaveLength(3 + 200);
});

test('security groups: the load balancers\' groups get no rule per service (vpcEgressPorts), every group within 60 rules', () => {
  const egress = resources('AWS::EC2::SecurityGroupEgress');
  expect(egress.filter((e) => e.stack !== 'Platform')).toEqual([]);
  const ingress = resources('AWS::EC2::SecurityGroupIngress');
  const perGroup = new Map<string, number>();
  for (const { stack, r } of ingress) perGroup.set(`${stack}:${key(r.Properties.GroupId)}`, (perGroup.get(`${stack}:${key(r.Properties.GroupId)}`) ?? 0) + 1);
  expect(Math.max(...perGroup.values())).toBeLessThanOrEqual(60);
  for (const { r } of resources('AWS::EC2::SecurityGroup')) {
    expect((r.Properties.SecurityGroupEgress ?? []).length).toBeLessThanOrEqual(60);
    expect((r.Properties.SecurityGroupIngress ?? []).length).toBeLessThanOrEqual(60);
  }
});

test('each service has its own monitoring in its own stack; the NAT alarms are nowhere but in the platform', () => {
  for (const { stack, monitoring } of built.stacks) {
    expect(monitoring.alarms.length).toBeGreaterThan(0);
    expect(monitoring.alarms.every((a) => a.stack === stack)).toBe(true);
  }
  const nat = resources('AWS::CloudWatch::Alarm').filter(({ r }) => JSON.stringify(r.Properties).includes('AWS/NATGateway'));
  expect(nat.filter((a) => a.stack !== 'Platform')).toEqual([]);
});

test('one service too many on a full load balancer is refused at synth, naming the quota', () => {
  const extra = new ApiService(built.stacks[0].stack, 'Extra', { cluster: built.cluster, deployment: Deployment.canary() });
  expect(() => built.shards[0].addService(extra, { priority: 1000, pathPatterns: ['/extra/*'] }))
    .toThrow(/would put 101 target groups on the load balancer of 'Platform\/Alb1': ELB allows at most 100 per Application Load Balancer/);
});
