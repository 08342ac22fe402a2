import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiService, Deployment, FargateCluster } from '@portcullis/cluster';
import { Network } from '@portcullis/network';
import { AlbIngress, AlbIngressProps } from '../src';

/**
 * The load balancer's quotas, checked by addService at synth before ELB or EC2 would refuse
 * (issue 25, item 3): target groups (100, not adjustable), rules (100 unless raised), and the
 * outbound rules of the load balancer's security group (60 unless raised), whose way out is
 * `vpcEgressPorts`.
 */
function platform(props: Partial<AlbIngressProps> = {}, deployment?: Deployment) {
  const stack = new Stack(new App(), 'Platform');
  const network = new Network(stack, 'Network');
  const cluster = new FargateCluster(stack, 'Cluster', { network });
  const ingress = new AlbIngress(stack, 'Ingress', { network, service: new ApiService(stack, 'Default', { cluster, deployment }), ...props });
  const add = (n: number, d?: Deployment, containerPort?: number) => ingress.addService(
    new ApiService(stack, `Svc${n}`, { cluster, deployment: d, containerPort }), { priority: n, pathPatterns: [`/s${n}/*`] });
  return { stack, ingress, add };
}

test('target groups: 49 canary services and a canary default service fill the 100; the next is refused naming the quota and the way out', () => {
  const p = platform({}, Deployment.canary());
  for (let n = 1; n <= 49; n++) p.add(n, Deployment.canary());
  expect(() => p.add(50)).toThrow(/Adding the service 'Platform\/Svc50' would put 101 target groups on the load balancer of 'Platform\/Ingress': ELB allows at most 100 per Application Load Balancer \("Target groups per Application Load Balancer", not adjustable; canary, linear and blue\/green services use two each\): attach it to another AlbIngress/);
});

test('rules: past rulesPerLoadBalancerQuota (a canary with a test listener counts two), refused naming the quota', () => {
  const p = platform({ rulesPerLoadBalancerQuota: 4, testListenerPort: 8080 });
  p.add(1, Deployment.canary()); // 2 rules
  p.add(2); // 3
  p.add(3); // 4
  expect(() => p.add(4)).toThrow(/would put 5 listener rules on the load balancer of 'Platform\/Ingress': the quota "Rules per Application Load Balancer" is 4 \(100 unless raised; the test listener's rules count\)/);
});

test('the load balancer\'s outbound rules: one per service group, refused past rulesPerSecurityGroupQuota, with vpcEgressPorts as the way out', () => {
  const p = platform({ rulesPerSecurityGroupQuota: 3 });
  p.add(1);
  p.add(2); // the default service's rule + 2
  expect(() => p.add(3)).toThrow(/would give the load balancer's security group of 'Platform\/Ingress' 4 outbound rules \(one per service\): the quota "Inbound or outbound rules per security group" is 3 \(60 unless raised\): give the ingress `vpcEgressPorts`/);
});

describe('vpcEgressPorts', () => {
  // more services than the (lowered) quota of outbound rules: none of them adds one
  const p = platform({ vpcEgressPorts: [80, 8080], rulesPerSecurityGroupQuota: 10 });
  for (let n = 1; n <= 20; n++) p.add(n, undefined, n % 2 ? 80 : 8080);
  const template = Template.fromStack(p.stack);
  const lbGroup = p.stack.resolve(p.ingress.securityGroup.securityGroupId);

  test('20 services past a quota of 10: the load balancer\'s group has the two VPC rules and the default service\'s only', () => {
    const egress = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupEgress')).filter((r) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(lbGroup));
    expect(egress).toHaveLength(1); // the default service's (aws-cdk-lib's listener opens it)
    const inline = Object.values<any>(template.findResources('AWS::EC2::SecurityGroup')).find((g) => g.Properties.GroupDescription.startsWith('Load balancer'));
    expect(inline.Properties.SecurityGroupEgress.map((r: any) => [r.FromPort, r.CidrIp])).toEqual([
      [80, { 'Fn::GetAtt': [expect.stringMatching(/^NetworkVpc/), 'CidrBlock'] }], [8080, { 'Fn::GetAtt': [expect.stringMatching(/^NetworkVpc/), 'CidrBlock'] }],
    ]);
  });

  test('each service\'s group still admits only the load balancer\'s group, on its container port', () => {
    const ingressRules = Object.values<any>(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) => JSON.stringify(r.Properties.SourceSecurityGroupId) === JSON.stringify(lbGroup));
    expect(ingressRules).toHaveLength(21);
    expect(new Set(ingressRules.map((r) => r.Properties.FromPort))).toEqual(new Set([80, 8080]));
  });

  test('a service on a port not listed is refused, naming the port and the fix', () => {
    expect(() => p.add(100, undefined, 9000)).toThrow(/The service 'Platform\/Svc100' listens on 9000, a port the load balancer's security group does not reach \(`vpcEgressPorts` \[80,8080\] of 'Platform\/Ingress'\): add 9000 to the ingress's `vpcEgressPorts`/);
  });
});

test.each([
  [{ vpcEgressPorts: [] }, /`vpcEgressPorts` is empty/],
  [{ vpcEgressPorts: [80, 80] }, /`vpcEgressPorts` lists 80 twice/],
  [{ vpcEgressPorts: [0] }, /`vpcEgressPorts\[0\]` must be/],
  [{ vpcEgressPorts: [80, 81, 82], rulesPerSecurityGroupQuota: 2 }, /`vpcEgressPorts` has 3 ports, one outbound rule each: the quota "Inbound or outbound rules per security group" is 2/],
  [{ rulesPerLoadBalancerQuota: 0 }, /`rulesPerLoadBalancerQuota` must be/],
  [{ rulesPerSecurityGroupQuota: 1.5 }, /`rulesPerSecurityGroupQuota` must be/],
])('bad input %j', (props, message) => {
  expect(() => platform(props)).toThrow(message);
});
