import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { readReferenceContext } from '@portcullis-apps/reference-kit';
import { describeUpdateSafety, UpdateSafetyCase } from '@portcullis-apps/reference-kit/lib/testing';
import { UpdateSafety } from '@portcullis/audit';
import { FargateApigwApiStack } from '../src/stack';

/**
 * "What a change replaces" for this app: each row synthesizes the app with the default
 * context and with one context change, then asks UpdateSafety what updating the deployed
 * stack would replace or remove. The README publishes the table; the last test checks it.
 */
const STACK = 'FargateApigwApi';
const build = (app: App) => new FargateApigwApiStack(app, STACK, readReferenceContext(app));
const DOMAIN = { domainName: 'api.example.com', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' };
const HTTPD = 'public.ecr.aws/docker/library/httpd:2.4';


const TASK_DEFINITION = 'AWS::ECS::TaskDefinition REPLACE';
/** The per-NAT-gateway alarms of ApiMonitoring (ErrorPortAllocation, PacketsDropCount) of `n` NAT gateways. */
const natAlarms = (n: number) => Array(2 * n).fill('AWS::CloudWatch::Alarm REMOVE');
const CASES: UpdateSafetyCase[] = [
  // No `deployment` row: rolling is the only strategy behind API Gateway (the others fail at synth).
  { change: '`alarmEmail` added', context: { alarmEmail: 'oncall@example.com' }, replaces: [] },
  // The lean options (README "Idle cost", lean row).
  // On-demand is a FARGATE capacity-provider strategy too: Spot changes the strategy in place.
  { change: '`capacity` onDemand → spot', context: { capacity: 'spot' }, replaces: [TASK_DEFINITION] },
  { change: '`architecture` x86_64 → arm64', context: { architecture: 'arm64' }, replaces: [TASK_DEFINITION] },
  { change: '`ipv6` on', context: { ipv6: 'true' }, replaces: [] },
  // The dashboard is deleted (the lean preset leaves it out); the alarms stay.
  { change: '`dashboard` off (as in the lean preset)', context: { dashboard: 'false' }, replaces: ['AWS::CloudWatch::Dashboard REMOVE'] },
  { change: '`desiredCount` 2 → 3', context: { desiredCount: '3' }, replaces: [] },
  { change: '`image`', context: { image: HTTPD }, replaces: [TASK_DEFINITION] },
  {
    change: '`containerPort` 80 → 8080',
    context: { containerPort: '8080', image: HTTPD },
    // The SRV records carry the port (Cloud Map untouched); the rule pair between the VPC
    // link's group and the tasks' group has the port in its logical id: the 80 pair is removed.
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
  { change: 'custom domain added (`domainName`, `certificateArn`)', context: DOMAIN, replaces: [] },
  // Here the path is the container health check's (no load balancer): a new task definition revision.
  { change: '`healthCheckPath` `/` → `/health`', context: { healthCheckPath: '/health' }, replaces: [TASK_DEFINITION] },
  {
    change: '`availabilityZones` pinned (breaking; see below)',
    context: { availabilityZones: 'us-east-1a,us-east-1b' },
    // Fn::Select/Fn::GetAZs becomes a literal: every subnet, and what references one create-only,
    // the VPC link (SubnetIds) included.
    replaces: [
      'AWS::ApiGatewayV2::VpcLink REPLACE',
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
  kept: { what: 'the HTTP API, its stage, custom domain or Cloud Map', types: [
      'AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::DomainName',
      'AWS::ApiGatewayV2::ApiMapping', 'AWS::ServiceDiscovery::PrivateDnsNamespace', 'AWS::ServiceDiscovery::Service',
    ] },
  readme: path.join(__dirname, '..', 'README.md'),
  compare: (_, baseline, after) => UpdateSafety.compareAssemblies(baseline, after),
});
