// Hand-made templates and cloud assemblies for the update-safety tests (shared with the CLI tests).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function template(resources: Record<string, any>): any {
  return { Resources: resources };
}

/** A service whose desired count is the only thing that changes between versions. */
export function service(desiredCount: number): any {
  return template({
    Cluster: { Type: 'AWS::ECS::Cluster' },
    TaskDef: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'api', Cpu: '256', Memory: '512' } },
    Service: {
      Type: 'AWS::ECS::Service',
      Properties: { Cluster: { Ref: 'Cluster' }, TaskDefinition: { Ref: 'TaskDef' }, DesiredCount: desiredCount, LaunchType: 'FARGATE' },
    },
  });
}

/** A VPC with one or two NAT gateways, each with its Elastic IP. */
export function natVpc(natGateways: 1 | 2): any {
  const resources: Record<string, any> = {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    PublicSubnet1: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a' } },
    PublicSubnet2: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1b' } },
    PrivateRouteTable2: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
  };
  for (let i = 1; i <= natGateways; i++) {
    resources[`NatEip${i}`] = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
    resources[`NatGateway${i}`] = {
      Type: 'AWS::EC2::NatGateway',
      Properties: { AllocationId: { 'Fn::GetAtt': [`NatEip${i}`, 'AllocationId'] }, SubnetId: { Ref: `PublicSubnet${i}` } },
    };
  }
  resources.PrivateDefaultRoute2 = {
    Type: 'AWS::EC2::Route',
    Properties: { RouteTableId: { Ref: 'PrivateRouteTable2' }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: { Ref: `NatGateway${natGateways}` } },
  };
  return template(resources);
}

/** An ALB (scheme given) with a listener; `albMetadata` goes on the load balancer. */
export function alb(scheme: 'internet-facing' | 'internal', albMetadata?: any): any {
  return template({
    Alb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: scheme, Type: 'application', Subnets: ['subnet-1', 'subnet-2'] },
      ...(albMetadata ? { Metadata: albMetadata } : {}),
    },
    Listener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: 'Alb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] },
    },
  });
}

/** A cloud assembly directory with one stack per entry (artifact id -> template). */
export function handAssembly(stacks: Record<string, any>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'update-safety-'));
  const artifacts: Record<string, any> = {};
  for (const [id, tpl] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `${id}.template.json`), JSON.stringify(tpl));
    artifacts[id] = { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: `${id}.template.json` }, displayName: id };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts }));
  return dir;
}

/** What a traffic-shifting stack looks like, in the shape `trafficShift` builds. */
export interface TrafficShiftOptions {
  /** The container port (and the target groups' port, create-only). @default 80 */
  readonly containerPort?: number;
  /** The listener the production rule is on. @default 'Http' */
  readonly listener?: 'Http' | 'Https';
  /** Fargate launch type (on-demand) or a Spot capacity-provider strategy (LaunchType is create-only). @default 'onDemand' */
  readonly capacity?: 'onDemand' | 'spot';
  /**
   * canary: AdvancedConfiguration + weighted rule + alternate group + role; rolling: none of them;
   * rollingKeepingResources: Strategy ROLLING, no AdvancedConfiguration, the rule and groups kept;
   * rollingKeepingConfig: Strategy ROLLING with the AdvancedConfiguration kept (AWS's documented switch).
   * @default 'canary'
   */
  readonly deployment?: 'canary' | 'rolling' | 'rollingKeepingResources' | 'rollingKeepingConfig';
  /** The production rule's path patterns. @default ['/*'] */
  readonly paths?: string[];
  /** The production rule as Custom::PortcullisProductionListenerRule (the lead's design) instead of a ListenerRule. */
  readonly customRule?: boolean;
  /** The production rule's logical id. @default 'ProdRule' */
  readonly ruleId?: string;
  /** A test listener rule on a test listener. */
  readonly testRule?: boolean;
  /** Metadata on the production rule. */
  readonly ruleMetadata?: any;
}

/**
 * A canary ECS service behind an ALB, as Portcullis's AlbIngress + ApiService synthesize it
 * (small): two target groups, a weighted production rule (100/0), the ECS infrastructure role,
 * and the service's `LoadBalancers[0].AdvancedConfiguration` naming them.
 */
export function trafficShift(opts: TrafficShiftOptions = {}): any {
  const port = opts.containerPort ?? 80;
  const deployment = opts.deployment ?? 'canary';
  const keep = deployment !== 'rolling';
  const listener = opts.listener ?? 'Http';
  const group = () => ({
    Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    Properties: { Port: port, Protocol: 'HTTP', TargetType: 'ip', VpcId: 'vpc-12345678', HealthCheckPath: '/' },
  });
  const resources: Record<string, any> = {
    Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: 'internet-facing', Type: 'application', Subnets: ['subnet-1', 'subnet-2'] } },
    Http: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: listener === 'Http'
        ? { LoadBalancerArn: { Ref: 'Alb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] }
        : { LoadBalancerArn: { Ref: 'Alb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }] },
    },
    ...(listener === 'Https' ? {
      Https: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: { Ref: 'Alb' }, Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' }],
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
        },
      },
    } : {}),
    Blue: group(),
    Cluster: { Type: 'AWS::ECS::Cluster' },
    TaskDef: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: { Family: 'api', Cpu: '256', Memory: '512', RequiresCompatibilities: ['FARGATE'], ContainerDefinitions: [{ Name: 'api', Image: 'nginx', PortMappings: [{ ContainerPort: port }] }] },
    },
  };
  if (keep) {
    resources.Green = group();
    resources.ShiftRole = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } };
    const listenerRef = { Ref: listener };
    const conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: opts.paths ?? ['/*'] } }];
    const ruleId = opts.ruleId ?? 'ProdRule';
    resources[ruleId] = opts.customRule
      ? {
        Type: 'Custom::PortcullisProductionListenerRule',
        Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:rule-handler', ListenerArn: listenerRef, Priority: 50000, Conditions: conditions, TargetGroupArns: [{ Ref: 'Blue' }, { Ref: 'Green' }] },
      }
      : {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
        Properties: {
          ListenerArn: listenerRef, Priority: 50000, Conditions: conditions,
          Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'Blue' }, Weight: 100 }, { TargetGroupArn: { Ref: 'Green' }, Weight: 0 }] } }],
        },
      };
    if (opts.ruleMetadata) resources[ruleId].Metadata = opts.ruleMetadata;
    if (opts.testRule) {
      resources.TestListener = {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: { LoadBalancerArn: { Ref: 'Alb' }, Port: 9000, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] },
      };
      resources.TestRule = {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
        Properties: {
          ListenerArn: { Ref: 'TestListener' }, Priority: 1, Conditions: conditions,
          Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'Blue' }, Weight: 100 }, { TargetGroupArn: { Ref: 'Green' }, Weight: 0 }] } }],
        },
      };
    }
  }
  const ruleId = opts.ruleId ?? 'ProdRule';
  const advanced = deployment === 'canary' || deployment === 'rollingKeepingConfig';
  const canary = deployment === 'canary';
  resources.ApiService = {
    Type: 'AWS::ECS::Service',
    DependsOn: keep ? [ruleId] : [],
    Properties: {
      Cluster: { Ref: 'Cluster' },
      TaskDefinition: { Ref: 'TaskDef' },
      DesiredCount: 2,
      ...(opts.capacity === 'spot' ? { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] } : { LaunchType: 'FARGATE' }),
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: canary
        ? { Strategy: 'CANARY', BakeTimeInMinutes: 3, CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 3 }, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }
        : { Strategy: 'ROLLING', DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
      LoadBalancers: [{
        ContainerName: 'api',
        ContainerPort: port,
        TargetGroupArn: { Ref: 'Blue' },
        ...(advanced ? {
          AdvancedConfiguration: {
            AlternateTargetGroupArn: { Ref: 'Green' },
            ProductionListenerRule: opts.customRule ? { 'Fn::GetAtt': [ruleId, 'RuleArn'] } : { Ref: ruleId },
            ...(opts.testRule ? { TestListenerRule: { Ref: 'TestRule' } } : {}),
            RoleArn: { 'Fn::GetAtt': ['ShiftRole', 'Arn'] },
          },
        } : {}),
      }],
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-1'] } },
    },
  };
  return template(resources);
}
