import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiService, Capacity, FargateCluster } from '@portcullis/cluster';
import { Egress, Network } from '@portcullis/network';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AlbIngress, AlbIngressProps } from '../src';

function build(ipv6: boolean, props: Partial<AlbIngressProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network', { ipv6, egress: Egress.natInstance() });
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const service = new ApiService(stack, 'Api', { cluster, capacity: Capacity.spot() });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service, ...props });
  return { stack, network, service, ingress, get template() { return Template.fromStack(stack); } };
}

function lbProps(template: Template): any {
  return Object.values<any>(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
}

function listenerRules(template: Template): Array<{ family: string; cidr: string; port: number }> {
  const [lbGroupId] = Object.keys(template.findResources('AWS::EC2::SecurityGroup', {
    Properties: { GroupDescription: Match.stringLikeRegexp('^Load balancer') },
  }));
  const group = template.toJSON().Resources[lbGroupId];
  return (group.Properties.SecurityGroupIngress ?? []).map((r: any) => ({
    family: r.CidrIpv6 ? 'ipv6' : 'ipv4', cidr: r.CidrIpv6 ?? r.CidrIp, port: r.FromPort,
  }));
}

describe('ipAddressType', () => {
  test('default: IPv4 (no IpAddressType written, so existing templates do not change)', () => {
    expect(lbProps(build(false).template).Properties.IpAddressType).toBeUndefined();
  });

  test.each([
    [elbv2.IpAddressType.DUAL_STACK, 'dualstack'],
    [elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4, 'dualstack-without-public-ipv4'],
  ])('%s on a dual-stack network: written on the ALB, which waits for the subnets\' IPv6 blocks', (type, written) => {
    const t = build(true, { ipAddressType: type }).template;
    const lb = lbProps(t);
    expect(lb.Properties.IpAddressType).toBe(written);
    expect(lb.Properties.Scheme).toBe('internet-facing');
    const blocks = [...Object.keys(t.findResources('AWS::EC2::SubnetCidrBlock')), ...Object.keys(t.findResources('AWS::EC2::VPCCidrBlock'))];
    expect(lb.DependsOn).toEqual(expect.arrayContaining(blocks));
  });

  test('IPv6 security-group rules: ::/0 on the listener ports next to 0.0.0.0/0 (default allowedCidrs)', () => {
    const t = build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 }).template;
    expect(listenerRules(t)).toEqual(expect.arrayContaining([
      { family: 'ipv4', cidr: '0.0.0.0/0', port: 80 },
      { family: 'ipv6', cidr: '::/0', port: 80 },
    ]));
    expect(listenerRules(t)).toHaveLength(2);
  });

  test('IPv6 allowedCidrs become CidrIpv6 rules on every listener port', () => {
    const t = build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK, allowedCidrs: ['2001:db8::/32'] }).template;
    expect(listenerRules(t)).toEqual([{ family: 'ipv6', cidr: '2001:db8::/32', port: 80 }]);
  });

  test('with a domain: an AAAA alias next to the A alias', () => {
    const stack = new Stack(new App(), 'Test');
    const network = new Network(stack, 'Network', { ipv6: true });
    const service = new ApiService(stack, 'Api', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    new AlbIngress(stack, 'Ingress', { network, service, domainName: 'api.example.com', hostedZone, ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', Name: 'api.example.com.' });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', Name: 'api.example.com.' });
  });

  test('tasks keep no public address; cdk-nag AwsSolutions finds nothing new on the dual-stack ALB', () => {
    const built = build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 });
    const svc = Object.values<any>(built.template.findResources('AWS::ECS::Service'))[0];
    expect(svc.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    const ipv4Only = build(false);
    const ids = (b: ReturnType<typeof build>) => new AwsSolutionsChecks().validateScope(b.stack).violations.map((v) => v.ruleName).sort();
    expect(ids(built)).toEqual(ids(ipv4Only));
  });
});

describe('bad input', () => {
  test('dualstack-without-public-ipv4 on an internal ALB: names the value and the fix', () => {
    expect(() => build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4, internetFacing: false }))
      .toThrow(/`ipAddressType` 'dualstack-without-public-ipv4' is only for internet-facing load balancers.*DUAL_STACK/);
  });

  test.each([elbv2.IpAddressType.DUAL_STACK, elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4])('%s on a network without IPv6: names `ipv6: true`', (type) => {
    expect(() => build(false, { ipAddressType: type })).toThrow(new RegExp(`\`ipAddressType\` '${type}' needs a network with IPv6.*has no IPv6.*\`ipv6: true\``));
  });

  test('dualstack on an imported network (IPv6 unknown) is refused', () => {
    const stack = new Stack(new App(), 'Test');
    const own = new Network(stack, 'Own', { ipv6: true });
    const network = Network.fromVpc(stack, 'Network', own.vpc);
    const service = new ApiService(stack, 'Api', { cluster: new FargateCluster(stack, 'Cluster', { network }) });
    expect(() => new AlbIngress(stack, 'Ingress', { network, service, ipAddressType: elbv2.IpAddressType.DUAL_STACK })).toThrow(/not known to have IPv6/);
  });

  test('an unknown value is refused', () => {
    expect(() => build(true, { ipAddressType: 'ipv6' as elbv2.IpAddressType })).toThrow(/`ipAddressType` must be one of ipv4, dualstack, dualstack-without-public-ipv4, got 'ipv6'/);
  });

  test('allowedCidrs of the other address family only: nobody could reach the load balancer', () => {
    expect(() => build(true, { allowedCidrs: ['2001:db8::/32'] }))
      .toThrow("`allowedCidrs` has only IPv6 ranges (2001:db8::/32), but `ipAddressType` is 'ipv4': the load balancer has no IPv6 address, so nobody could reach it. Use elbv2.IpAddressType.DUAL_STACK");
    expect(() => build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4, allowedCidrs: ['203.0.113.0/24', '198.51.100.0/24'] }))
      .toThrow("`allowedCidrs` has only IPv4 ranges (203.0.113.0/24, 198.51.100.0/24), but `ipAddressType` is 'dualstack-without-public-ipv4': the load balancer has no public IPv4 address");
  });

  test('valid neighbours: either family on dual-stack, a mix, and an internal dual-stack ALB with IPv4 ranges', () => {
    expect(() => build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK, allowedCidrs: ['2001:db8::/32'] })).not.toThrow();
    expect(() => build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK, allowedCidrs: ['203.0.113.0/24'] })).not.toThrow();
    expect(() => build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4, allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] })).not.toThrow();
    expect(() => build(true, { ipAddressType: elbv2.IpAddressType.DUAL_STACK, internetFacing: false, allowedCidrs: ['10.0.0.0/8'] })).not.toThrow();
  });
});
