import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { describeUpdateSafety, UpdateSafetyCase } from '@portcullis-apps/reference-kit/lib/testing';
import { UpdateSafety } from '@portcullis/audit';
import { FargateCloudFrontApiStack } from '../src/stack';

/**
 * "What a change replaces" for this app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed
 * stack would replace or remove. The README publishes the table; the last test checks it.
 */
const STACK = 'FargateCloudFrontApi';
const build = (app: App) => new FargateCloudFrontApiStack(app, STACK, readReferenceContext(app));
const DOMAIN = {
  domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
};
const HTTPD = 'public.ecr.aws/docker/library/httpd:2.4';


const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
/** The per-NAT-gateway alarms of ApiMonitoring (ErrorPortAllocation, PacketsDropCount) of `n` NAT gateways. */
const natAlarms = (n: number) => Array(2 * n).fill('AWS::CloudWatch::Alarm REMOVE');
const CASES: UpdateSafetyCase[] = [
  // Safe deployments (README "Safe deployments"): canary is the default.
  // `-c deployment=rolling` keeps the traffic-shift resources (the production rule may carry
  // the live traffic): only the service's DeploymentConfiguration changes.
  { change: '`deployment` canary → rolling (keeps the traffic-shift resources; see below)', context: { deployment: 'rolling' }, replaces: [] },
  { change: '`deployment` canary → linear', context: { deployment: 'linear' }, replaces: [] },
  { change: '`deployment` canary → blueGreen', context: { deployment: 'blueGreen' }, replaces: [] },
  { change: '`alarmEmail` added', context: { alarmEmail: 'oncall@example.com' }, replaces: [] },
  // The lean options (README "Idle cost", lean row).
  // On-demand is a FARGATE capacity-provider strategy too: Spot changes the strategy in place.
  { change: '`capacity` onDemand → spot', context: { capacity: 'spot' }, replaces: [TASK_DEFINITION] },
  { change: '`architecture` x86_64 → arm64', context: { architecture: 'arm64' }, replaces: [TASK_DEFINITION] },
  // Only added resources (the network's IPv6 blocks, routes, egress-only gateway); the ALB stays IPv4.
  { change: '`ipv6` on', context: { ipv6: 'true' }, replaces: [] },
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
  { change: 'custom domain added (`domainName`, `certificateArn`, `hostedZoneId`)', context: DOMAIN, replaces: [] },
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

describeUpdateSafety({
  stackName: STACK,
  build,
  cases: CASES,
  kept: { what: 'the distribution, the VPC origin or the load balancer', types: ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::CloudFront::Distribution', 'AWS::CloudFront::VpcOrigin'] },
  readme: path.join(__dirname, '..', 'README.md'),
  compare: (_, baseline, after) => UpdateSafety.compareAssemblies(baseline, after),
});
