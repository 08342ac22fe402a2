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
