import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { describeUpdateSafety, UpdateSafetyCase } from '@portcullis-apps/reference-kit/lib/testing';
import { UpdateSafety } from '@portcullis/audit';
import { Ec2AlbApiStack } from '../src/stack';

/**
 * "What a change replaces" for this app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed
 * stack would replace or remove. The README publishes the table; the last test checks it.
 */
const STACK = 'Ec2AlbApi';
const build = (app: App) => new Ec2AlbApiStack(app, STACK, readReferenceContext(app));
const ZONE = { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' };
const HTTPD = 'public.ecr.aws/docker/library/httpd:2.4';

interface Case extends UpdateSafetyCase {
  /**
   * A change CloudFormation sees at deploy time, not in the code: the launch template's ImageId
   * as resolved from the public SSM parameter, a literal at the last deploy and another now.
   */
  readonly amiAtDeploy?: boolean;
}

const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
/** The per-NAT-gateway alarms of ApiMonitoring (ErrorPortAllocation, PacketsDropCount) of `n` NAT gateways. */
const natAlarms = (n: number) => Array(2 * n).fill('AWS::CloudWatch::Alarm REMOVE');
const CASES: Case[] = [
  // Safe deployments (README "Safe deployments"): canary is the default.
  // `-c deployment=rolling` keeps the traffic-shift resources (the production rule may carry
  // the live traffic): only the service's DeploymentConfiguration changes.
  { change: '`deployment` canary → rolling (keeps the traffic-shift resources; see below)', context: { deployment: 'rolling' }, replaces: [] },
  { change: '`deployment` canary → linear', context: { deployment: 'linear' }, replaces: [] },
  { change: '`deployment` canary → blueGreen', context: { deployment: 'blueGreen' }, replaces: [] },
  { change: '`alarmEmail` added', context: { alarmEmail: 'oncall@example.com' }, replaces: [] },
  // The lean options (README "Idle cost", lean row).
  // Spot instances and Graviton are a new launch-template version (in place); arm64 also makes the task definition arm64.
  { change: '`capacity` onDemand → spot (Spot instances)', context: { capacity: 'spot' }, replaces: [] },
  { change: '`architecture` x86_64 → arm64 (Graviton instances)', context: { architecture: 'arm64' }, replaces: [TASK_DEFINITION] },
  // Only added resources and the ALB's (mutable) IpAddressType; IPv4-only clients lose the ALB (see below).
  { change: '`ipv6` on (the ALB becomes IPv6-only; see below)', context: { ipv6: 'true' }, replaces: [] },
  // The dashboard is deleted (the lean preset leaves it out); the alarms stay.
  { change: '`dashboard` off (as in the lean preset)', context: { dashboard: 'false' }, replaces: ['AWS::CloudWatch::Dashboard REMOVE'] },
  { change: '`desiredCount` 2 → 3', context: { desiredCount: '3' }, replaces: [] },
  { change: '`image`', context: { image: HTTPD }, replaces: [TASK_DEFINITION] },
  {
    change: '`containerPort` 80 → 8080 (the target groups keep port 80; see below)',
    context: { containerPort: '8080', image: HTTPD },
    // The target groups keep port 80 (ALB_TARGET_GROUP_PORT): ECS registers the tasks on 8080.
    // The rule pair between the ALB's group and the tasks' group has the port in its logical
    // id, so the 80 pair is removed (an 8080 pair added).
    replaces: [TASK_DEFINITION, 'AWS::EC2::SecurityGroupEgress REMOVE', 'AWS::EC2::SecurityGroupIngress REMOVE'],
  },
  {
    change: '`egress` natGatewayPerAz → singleNatGateway (breaking)',
    context: { egress: 'singleNatGateway' },
    // The second AZ's NAT gateway and its Elastic IP go: a partner's allow-list loses an address.
    // Its two alarms go with it.
    replaces: ['AWS::EC2::EIP REMOVE', 'AWS::EC2::NatGateway REMOVE', ...natAlarms(1)],
    breaks: true,
  },
  {
    change: '`egress` natGatewayPerAz → natInstance (breaking)',
    context: { egress: 'natInstance' },
    replaces: [...Array(2).fill('AWS::EC2::EIP REMOVE'), ...Array(2).fill('AWS::EC2::NatGateway REMOVE'), ...natAlarms(2)],
    breaks: true,
  },
  {
    change: 'HTTPS added (`domainName`, `hostedZoneId`; the production rule moves to 443 with its live weights, see below)',
    context: ZONE,
    // The production rule's custom resource moves the rule to the HTTPS listener and keeps
    // the weights ECS set (a note, not breaking); HTTP then redirects to HTTPS.
    replaces: ['Custom::PortcullisProductionListenerRule UPDATE'],
  },
  // ImageId is mutable on a launch template (a new version); the Auto Scaling group takes the
  // new version in place, and the capacity provider and service stay.
  { change: 'a new ECS-optimized AMI in the public SSM parameter (at deploy time)', context: {}, amiAtDeploy: true, replaces: [] },
  { change: '`healthCheckPath` `/` → `/health`', context: { healthCheckPath: '/health' }, replaces: [] },
  {
    change: '`availabilityZones` pinned (breaking; see below)',
    context: { availabilityZones: 'us-east-1a,us-east-1b' },
    // Fn::Select/Fn::GetAZs becomes a literal: every subnet, and what references one create-only.
    replaces: [
      ...Array(4).fill('AWS::EC2::Subnet REPLACE'),
      ...Array(4).fill('AWS::EC2::SubnetRouteTableAssociation REPLACE'),
      ...Array(2).fill('AWS::EC2::NatGateway REPLACE'),
    ],
    breaks: true,
  },
];

/** The template of an assembly, with the launch template's ImageId as CloudFormation resolved it. */
function templateWithAmi(dir: string, ami: string): any {
  const template = JSON.parse(fs.readFileSync(path.join(dir, `${STACK}.template.json`), 'utf8'));
  const launchTemplates = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::EC2::LaunchTemplate');
  expect(launchTemplates).toHaveLength(1);
  for (const lt of launchTemplates) lt.Properties.LaunchTemplateData.ImageId = ami;
  return template;
}

describeUpdateSafety({
  stackName: STACK,
  build,
  cases: CASES,
  kept: { what: 'the load balancer or the EC2 capacity', types: [
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::AutoScaling::AutoScalingGroup', 'AWS::ECS::CapacityProvider', 'AWS::ECS::Cluster', 'AWS::ECS::Service', 'AWS::EC2::LaunchTemplate',
    ] },
  readme: path.join(__dirname, '..', 'README.md'),
  // What updating the deployed stack (the baseline) to this case would replace or remove.
  compare: (c, baseline, after) => (c.amiAtDeploy
    ? UpdateSafety.compare(templateWithAmi(baseline, 'ami-0fedcba9876543210'), templateWithAmi(after, 'ami-0123456789abcdef0'))
    : UpdateSafety.compareAssemblies(baseline, after)),
});
