import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Network } from '@portcullis/network';
import { formatIpv4, formatIpv6 } from '@portcullis/network/lib/private/validate';
import * as fc from 'fast-check';
import { LoadBalancerSecurityGroup, LoadBalancerSecurityGroupProps } from '../src';

function build(props: Partial<LoadBalancerSecurityGroupProps> = {}) {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const lb = new LoadBalancerSecurityGroup(stack, 'Lb', { vpc: network.vpc, ...props });
  const target = new ec2.SecurityGroup(stack, 'Target', { vpc: network.vpc, allowAllOutbound: false });
  return { stack, lb, target };
}

function groupOf(stack: Stack, lb: LoadBalancerSecurityGroup) {
  const template = Template.fromStack(stack).toJSON();
  return template.Resources[stack.getLogicalId(lb.securityGroup.node.defaultChild as ec2.CfnSecurityGroup)];
}

test('default: TCP 80 from IPv4 and IPv6 anywhere, nothing else; no egress', () => {
  const { stack, lb } = build();
  const group = groupOf(stack, lb);
  expect(group.Properties.SecurityGroupIngress).toEqual([
    { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Listener 80 from 0.0.0.0/0' },
    { CidrIpv6: '::/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'Listener 80 from ::/0' },
  ]);
  expect(group.Properties.SecurityGroupEgress).toEqual([
    expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }), // CDK's "no egress" marker
  ]);
});

test('listener ports and allowed CIDRs', () => {
  const { stack, lb } = build({ listenerPorts: [80, 443], allowedCidrs: ['203.0.113.0/24'] });
  expect(groupOf(stack, lb).Properties.SecurityGroupIngress).toEqual([
    expect.objectContaining({ CidrIp: '203.0.113.0/24', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
    expect.objectContaining({ CidrIp: '203.0.113.0/24', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
  ]);
});

test('allowedCidrs empty: no CIDR rule at all (an internal load balancer admits groups through `connections`)', () => {
  const { stack, lb, target } = build({ allowedCidrs: [] });
  lb.connections.allowFrom(target, ec2.Port.tcp(80), 'from a group');
  expect(groupOf(stack, lb).Properties.SecurityGroupIngress).toBeUndefined();
  const rules = Object.values<any>(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties)
    .filter((r) => JSON.stringify(r.GroupId) === JSON.stringify(stack.resolve(lb.securityGroup.securityGroupId)));
  expect(rules).toEqual([expect.objectContaining({ FromPort: 80, ToPort: 80, SourceSecurityGroupId: stack.resolve(target.securityGroupId) })]);
});

test('the description does not depend on the ports or CIDRs (GroupDescription is create-only: adding HTTPS must not replace the group)', () => {
  const descriptions = [
    {},
    { listenerPorts: [80, 443] },
    { allowedCidrs: ['203.0.113.0/24'] },
  ].map((props) => { const { stack, lb } = build(props); return groupOf(stack, lb).Properties.GroupDescription; });
  expect(descriptions).toEqual([LoadBalancerSecurityGroup.DESCRIPTION, LoadBalancerSecurityGroup.DESCRIPTION, LoadBalancerSecurityGroup.DESCRIPTION]);
  expect(LoadBalancerSecurityGroup.DESCRIPTION).not.toMatch(/\d/); // no port, no CIDR
});

test('allowToTarget: egress to the target group on the container port, and the target accepts it from the LB group only', () => {
  const { stack, lb, target } = build();
  lb.allowToTarget(target, 8080);
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
    IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080,
    DestinationSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(target.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
  });
  template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
    IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080,
    SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(lb.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
  });
});

test.each<[string, Partial<LoadBalancerSecurityGroupProps>, RegExp]>([
  ['listenerPorts empty', { listenerPorts: [] }, /`listenerPorts` is empty/],
  ['listenerPorts 0', { listenerPorts: [0] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got 0: use a TCP port from 1 to 65535/],
  ['listenerPorts 70000', { listenerPorts: [80, 70000] }, /`listenerPorts\[1\]` must be a whole number from 1 to 65535, got 70000/],
  ['listenerPorts NaN', { listenerPorts: [NaN] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got NaN/],
  ['listenerPorts Infinity', { listenerPorts: [Infinity] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got Infinity/],
  ['listenerPorts 80.5', { listenerPorts: [80.5] }, /`listenerPorts\[0\]` must be a whole number from 1 to 65535, got 80.5/],
  ['allowedCidrs not a CIDR', { allowedCidrs: ['anywhere'] }, /`allowedCidrs\[0\]` must be a CIDR block, IPv4 like '203.0.113.0\/24' or IPv6 like '2001:db8::\/32', got 'anywhere'/],
  ['allowedCidrs prefix /33', { allowedCidrs: ['10.0.0.0/33'] }, /`allowedCidrs\[0\]` must be an IPv4 CIDR block.*got '10.0.0.0\/33'/],
  ['allowedCidrs octet 300', { allowedCidrs: ['300.1.1.1/16'] }, /`allowedCidrs\[0\]` must be an IPv4 CIDR block.*got '300.1.1.1\/16'/],
  ['allowedCidrs IPv6 prefix /129', { allowedCidrs: ['2001:db8::/129'] }, /`allowedCidrs\[0\]` must be an IPv6 CIDR block.*got '2001:db8::\/129'/],
  ['allowedCidrs IPv6 with two ::', { allowedCidrs: ['2001::db8::/32'] }, /`allowedCidrs\[0\]` must be an IPv6 CIDR block.*got '2001::db8::\/32'/],
  ['allowedCidrs without a prefix', { allowedCidrs: ['203.0.113.7'] }, /`allowedCidrs\[0\]` must be a CIDR block.*got '203.0.113.7'/],
  ['allowedCidrs with host bits', { allowedCidrs: ['2001:db8::1/64'] }, /`allowedCidrs\[0\]` has host bits set: '2001:db8::1\/64' is not the start of a \/64 block; use '2001:db8::\/64'/],
])('bad input: %s', (_, props, message) => {
  expect(() => build(props)).toThrow(message);
});

test.each<[string, number]>([['0', 0], ['65536', 65536], ['NaN', NaN], ['1.5', 1.5]])('bad input: allowToTarget port %s', (_, port) => {
  const { lb, target } = build();
  expect(() => lb.allowToTarget(target, port)).toThrow(new RegExp(`\`port\` must be a whole number from 1 to 65535, got ${port}`));
});

test('valid neighbours: ports 1 and 65535, IPv6 ranges, a token range', () => {
  const stack = new Stack(new App(), 'Test');
  const network = new Network(stack, 'Network');
  const range = new CfnParameter(stack, 'Range').valueAsString;
  const lb = new LoadBalancerSecurityGroup(stack, 'Lb', { vpc: network.vpc, listenerPorts: [1, 65535], allowedCidrs: ['2001:db8::/32', '::/0', '0.0.0.0/0', range] });
  const target = new ec2.SecurityGroup(stack, 'Target', { vpc: network.vpc, allowAllOutbound: false });
  lb.allowToTarget(target, 65535);
  const ingress = groupOf(stack, lb).Properties.SecurityGroupIngress;
  expect(ingress.map((r: any) => `${r.FromPort} ${JSON.stringify(r.CidrIp ?? r.CidrIpv6)}`).sort()).toEqual([
    '1 "0.0.0.0/0"', '1 "2001:db8::/32"', '1 "::/0"', '1 {"Ref":"Range"}',
    '65535 "0.0.0.0/0"', '65535 "2001:db8::/32"', '65535 "::/0"', '65535 {"Ref":"Range"}',
  ]);
  expect(ingress.filter((r: any) => JSON.stringify(r.CidrIp) === '{"Ref":"Range"}')).toHaveLength(2); // the token as IPv4
});

/** A random IPv4 or IPv6 block on its boundary. */
const ipv4Block = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([address, prefix]) => `${formatIpv4(prefix === 0 ? 0 : (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0)}/${prefix}`);
const ipv6Block = fc.tuple(fc.bigInt({ min: BigInt(0), max: (BigInt(1) << BigInt(128)) - BigInt(1) }), fc.integer({ min: 0, max: 128 }))
  .map(([address, prefix]) => `${formatIpv6((address >> BigInt(128 - prefix)) << BigInt(128 - prefix))}/${prefix}`);

test('property: random listener ports, ranges and targets (groups, IPv4 and IPv6 ranges): each rule is a listener port from an allowed range or a target port to its target, never all protocols', () => {
  // the README's cases, each of which must be generated: inline egress rules (range targets) and
  // standalone ones (group targets), IPv6 ranges on both sides, no target at all (the "no egress" marker)
  const hits = { inlineEgress: 0, standaloneEgress: 0, ipv6Allowed: 0, ipv6Target: 0, defaultRanges: 0, noTarget: 0, severalPorts: 0, markerWithIpv6Egress: 0 };
  fc.assert(fc.property(
    fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
    fc.option(fc.uniqueArray(fc.oneof(ipv4Block, ipv6Block), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.array(fc.record({ kind: fc.constantFrom('group', 'ipv4', 'ipv6'), port: fc.integer({ min: 1, max: 65535 }), block4: ipv4Block, block6: ipv6Block }), { maxLength: 3 }),
    (ports, allowedCidrs, targets) => {
      const stack = new Stack(new App(), 'Test');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const lb = new LoadBalancerSecurityGroup(stack, 'Lb', { vpc, listenerPorts: ports, allowedCidrs });
      const expectedEgress: string[] = [];
      targets.forEach((t, i) => {
        if (t.kind === 'group') {
          const group = new ec2.SecurityGroup(stack, `Target${i}`, { vpc, allowAllOutbound: false });
          lb.allowToTarget(group, t.port);
          expectedEgress.push(`standalone tcp ${t.port} ${JSON.stringify(stack.resolve(group.securityGroupId))}`);
          hits.standaloneEgress++;
        } else {
          const block = t.kind === 'ipv4' ? t.block4 : t.block6;
          lb.allowToTarget(t.kind === 'ipv4' ? ec2.Peer.ipv4(block) : ec2.Peer.ipv6(block), t.port);
          expectedEgress.push(`inline tcp ${t.port} ${JSON.stringify(block)}`);
          hits.inlineEgress++;
          if (t.kind === 'ipv6') hits.ipv6Target++;
        }
      });
      if (targets.length === 0) hits.noTarget++;
      if (allowedCidrs === undefined) hits.defaultRanges++;
      if (allowedCidrs?.some((c) => c.includes(':'))) hits.ipv6Allowed++;
      if (ports.length > 1) hits.severalPorts++;

      const resources = Template.fromStack(stack).toJSON().Resources;
      const groupId = stack.getLogicalId(lb.securityGroup.node.defaultChild as ec2.CfnSecurityGroup);
      const group = resources[groupId].Properties;
      const standalone = (type: string) => Object.values<any>(resources).filter((r) => r.Type === type).map((r) => r.Properties);
      const peer = (r: any) => JSON.stringify(r.CidrIp ?? r.CidrIpv6 ?? r.DestinationSecurityGroupId ?? r.SourceSecurityGroupId);
      const rule = (where: string) => (r: any) => {
        expect(r.IpProtocol).toBe('tcp'); // never '-1', all protocols
        expect(r.ToPort).toBe(r.FromPort);
        return `${where} tcp ${r.FromPort} ${peer(r)}`;
      };
      // in: exactly the listener ports from each allowed range, inline
      expect((group.SecurityGroupIngress ?? []).map(rule('inline')).sort())
        .toEqual(ports.flatMap((p) => (allowedCidrs ?? ['0.0.0.0/0', '::/0']).map((c) => `inline tcp ${p} ${JSON.stringify(c)}`)).sort());
      // out: exactly each target's port to it, inline for ranges, standalone for groups; the
      // "no egress" marker of aws-cdk-lib (ICMP type 252 code 86 to 255.255.255.255/32: matches
      // nothing) only while there is no IPv4 or group egress rule (an IPv6 rule leaves it)
      const inlineEgress = group.SecurityGroupEgress ?? [];
      const marker = inlineEgress.filter((r: any) => r.CidrIp === '255.255.255.255/32');
      const markerKept = targets.every((t) => t.kind === 'ipv6');
      if (markerKept && targets.length > 0) hits.markerWithIpv6Egress++;
      expect(marker).toEqual(markerKept ? [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }] : []);
      const egress = [
        ...inlineEgress.filter((r: any) => r.CidrIp !== '255.255.255.255/32').map(rule('inline')),
        ...standalone('AWS::EC2::SecurityGroupEgress').map(rule('standalone')),
      ];
      expect(egress.sort()).toEqual([...new Set(expectedEgress)].sort());
      // the groups targeted accept the port from the load balancer group only
      for (const r of standalone('AWS::EC2::SecurityGroupIngress')) {
        expect(r.SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [groupId, 'GroupId'] });
        expect(targets.filter((t) => t.kind === 'group').map((t) => t.port)).toContain(r.FromPort);
      }
    },
  ), { numRuns: 200 });
  for (const [branch, count] of Object.entries(hits)) expect([branch, count > 0]).toEqual([branch, true]);
});
