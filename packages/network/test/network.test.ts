import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Egress, EgressKind, INetwork, Network, NetworkProps } from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' }; // dummy AZs, no credentials needed

function build(props?: NetworkProps, env: { account: string; region: string } | undefined = ENV) {
  const stack = new Stack(new App(), 'Test', { env });
  const network = new Network(stack, 'Network', props);
  return { stack, network, template: Template.fromStack(stack) };
}

/** The logical id of an L2's primary resource. */
function stackIdOf(construct: ec2.Instance): string {
  return Stack.of(construct).getLogicalId(construct.instance);
}

function subnetCidrs(template: Template, isPublic: boolean): string[] {
  return Object.values(template.findResources('AWS::EC2::Subnet', {
    Properties: { MapPublicIpOnLaunch: isPublic },
  })).map((r: any) => r.Properties.CidrBlock).sort();
}

/** A stack with no env (account and region are tokens), synthesized after the test adds to it. */
function agnosticStack() {
  return new Stack(new App(), 'Test');
}

function interfaceServiceNames(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
    .map((e: any) => JSON.stringify(e.Properties.ServiceName));
}

describe('default network: the seed large VPC', () => {
  const { network, template } = build();

  test('VPC 10.0.0.0/16 with DNS support and hostnames', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.0.0.0/16',
      EnableDnsSupport: true,
      EnableDnsHostnames: true,
    });
  });

  test('two public /18 subnets mapping public IPs, two private /18 subnets', () => {
    expect(subnetCidrs(template, true)).toEqual(['10.0.0.0/18', '10.0.64.0/18']);
    expect(subnetCidrs(template, false)).toEqual(['10.0.128.0/18', '10.0.192.0/18']);
    template.resourceCountIs('AWS::EC2::Subnet', 4);
  });

  test('one internet gateway, one NAT gateway with its own EIP per AZ', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::EIP', 2);
    expect(network.natGatewayCount).toBe(2);
    expect(network.egressIps).toHaveLength(2);
    expect(network.egressIpsKnown).toBe(true);
    expect(network.egress?.kind).toBe(EgressKind.NAT_GATEWAY_PER_AZ);
    expect(network.availabilityZonesExplicit).toBe(false);
  });

  test('each private route table sends 0.0.0.0/0 to the NAT gateway of its own AZ', () => {
    const subnets = template.findResources('AWS::EC2::Subnet');
    const nats = template.findResources('AWS::EC2::NatGateway');
    const assocs = Object.values(template.findResources('AWS::EC2::SubnetRouteTableAssociation'));
    const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '0.0.0.0/0' } }));
    const privateSubnetIds = Object.keys(subnets).filter((id) => subnets[id].Properties.MapPublicIpOnLaunch === false);
    expect(privateSubnetIds).toHaveLength(2);
    const azs = new Set<string>();
    for (const subnetId of privateSubnetIds) {
      const table = assocs.find((a: any) => a.Properties.SubnetId.Ref === subnetId)!.Properties.RouteTableId.Ref;
      const route = routes.find((r: any) => r.Properties.RouteTableId.Ref === table)!;
      expect(route.Properties.GatewayId).toBeUndefined();
      const nat = nats[route.Properties.NatGatewayId.Ref];
      const natSubnet = subnets[nat.Properties.SubnetId.Ref];
      expect(natSubnet.Properties.AvailabilityZone).toEqual(subnets[subnetId].Properties.AvailabilityZone);
      azs.add(subnets[subnetId].Properties.AvailabilityZone);
    }
    expect(azs.size).toBe(2); // one route table per AZ
  });

  test('egressIps are the NAT Elastic IPs', () => {
    const eipIds = Object.keys(template.findResources('AWS::EC2::EIP'));
    const resolved = network.egressIps.map((ip) => Stack.of(network).resolve(ip));
    expect(resolved).toEqual(expect.arrayContaining(eipIds.map((id) => ({ 'Fn::GetAtt': [id, 'PublicIp'] }))));
  });

  test('a free S3 gateway endpoint on the private route tables', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      RouteTableIds: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('PrivateSubnet') })]),
    });
  });

  test('flow logs of rejected traffic to a log group kept one month', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', ResourceType: 'VPC' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('the flow-log group tells checkov, with a reason, why it has no customer-managed KMS key', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Metadata: { checkov: { skip: [{ id: 'CKV_AWS_158', comment: Match.stringLikeRegexp('encrypts .* at rest') }] } },
    });
  });

  test('public and private subnet selections', () => {
    expect(network.publicSubnets.subnets).toHaveLength(2);
    expect(network.privateSubnets.subnets).toHaveLength(2);
    expect(network.availabilityZones).toHaveLength(2);
  });
});

test('environment-agnostic stack: two AZs from Fn::GetAZs, no credentials needed', () => {
  const stack = new Stack(new App(), 'Agnostic');
  new Network(stack, 'Network');
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::EC2::NatGateway', 2);
  template.hasResourceProperties('AWS::EC2::Subnet', {
    AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
  });
});

describe('egress strategies', () => {
  test('singleNatGateway: one NAT gateway and one EIP serve every AZ', () => {
    const { network, template } = build({ egress: Egress.singleNatGateway(), maxAzs: 3 });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::EIP', 1);
    expect(network.egressIps).toHaveLength(1);
    const nat = Object.keys(template.findResources('AWS::EC2::NatGateway'))[0];
    const natRoutes = template.findResources('AWS::EC2::Route', { Properties: { NatGatewayId: { Ref: nat } } });
    expect(Object.keys(natRoutes)).toHaveLength(3);
  });

  test('natInstance: a t4g.nano on arm64 AL2023, IMDSv2, encrypted gp3, with an EIP', () => {
    const { network, template } = build({ egress: Egress.natInstance() });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Instance', 1);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', DeleteOnTermination: true } }],
      LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
    });
    const params = template.toJSON().Parameters;
    expect(Object.values(params).map((p: any) => p.Default)).toContain('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64');
    template.resourceCountIs('AWS::EC2::EIP', 1);
    template.hasResourceProperties('AWS::EC2::EIP', { Domain: 'vpc', InstanceId: { Ref: Match.stringLikeRegexp('NatInstance') } });
    expect(network.egressIps).toHaveLength(1);
    expect(network.natInstance).toBeInstanceOf(ec2.Instance);
    expect(template.toJSON().Resources[stackIdOf(network.natInstance!)].Type).toBe('AWS::EC2::Instance');
    expect(network.natInstance!.instance.instanceType).toBe('t4g.nano');
    expect(network.natGatewayCount).toBe(0);
    // every private route goes to the instance
    const routes = template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '0.0.0.0/0', InstanceId: Match.anyValue() } });
    expect(Object.keys(routes)).toHaveLength(2);
  });

  test('natInstance: the EIP waits for the internet gateway attachment (an EIP associated before it fails)', () => {
    const { template } = build({ egress: Egress.natInstance() });
    const [attachment] = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'));
    template.hasResource('AWS::EC2::EIP', { Properties: { InstanceId: Match.anyValue() }, DependsOn: [attachment] });
  });

  test('natInstance machineImage: kept on the strategy and used for the instance', () => {
    const machineImage = ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' });
    const egress = Egress.natInstance({ machineImage });
    expect(egress.natInstanceMachineImage).toBe(machineImage);
    expect(Egress.natInstance().natInstanceMachineImage).toBeUndefined();
    build({ egress }).template.hasResourceProperties('AWS::EC2::Instance', { ImageId: 'ami-0123456789abcdef0', InstanceType: 't4g.nano' });
  });

  test('natInstance security group: only the VPC may send traffic in, never 0.0.0.0/0', () => {
    const { template } = build({ egress: Egress.natInstance() });
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup')) as any[];
    const natGroup = groups.find((g) => /NAT/i.test(g.Properties.GroupDescription))!;
    expect(natGroup.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ IpProtocol: '-1', CidrIp: '10.0.0.0/16' }),
    ]);
  });

  test('natInstance with an x86 type uses the x86_64 image', () => {
    const { template } = build({ egress: Egress.natInstance({ instanceType: 't3.micro' }) });
    template.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 't3.micro' });
    const params = template.toJSON().Parameters;
    expect(Object.values(params).map((p: any) => p.Default)).toContain('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64');
  });

  test('none: isolated private subnets, no NAT, ECS endpoints for Fargate', () => {
    const { network, template } = build({ egress: Egress.none() });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    expect(network.egressIps).toEqual([]);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1); // public subnets still there by default
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
      .map((e: any) => JSON.stringify(e.Properties.ServiceName));
    expect(services).toHaveLength(3);
    for (const s of ['ecr.api', 'ecr.dkr', 'logs']) expect(services.some((n) => n.includes(`.${s}`))).toBe(true);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 4); // + S3 gateway
    // one shared endpoint group: HTTPS from the VPC range only, no egress rules
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16', Description: 'HTTPS from the VPC' }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    for (const e of Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } })) as any[]) {
      expect(e.Properties.PrivateDnsEnabled).toBe(true);
      expect(e.Properties.SecurityGroupIds).toHaveLength(1);
      expect(e.Properties.SubnetIds.map((s: any) => s.Ref).every((r: string) => /PrivateSubnet/.test(r))).toBe(true);
    }
    // private subnets keep their seed addresses
    expect(subnetCidrs(template, false)).toEqual(['10.0.128.0/18', '10.0.192.0/18']);
  });

  test('none with ec2Capacity adds the ECS, ECS agent and ECS telemetry endpoints', () => {
    const { template } = build({ egress: Egress.none({ ec2Capacity: true }) });
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
      .map((e: any) => JSON.stringify(e.Properties.ServiceName));
    expect(services).toHaveLength(6);
    for (const s of ['ecs"', 'ecs-agent', 'ecs-telemetry']) expect(services.some((n) => n.includes(`.${s}`))).toBe(true);
  });

  test('none without public subnets: fully isolated, no internet gateway at all', () => {
    const { network, template } = build({ egress: Egress.none(), publicSubnets: false });
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    expect(subnetCidrs(template, false)).toEqual(['10.0.128.0/18', '10.0.192.0/18']);
    expect(network.publicSubnets.subnets).toEqual([]);
    const routes = template.findResources('AWS::EC2::Route');
    expect(Object.keys(routes)).toHaveLength(0);
  });

  test('publicSubnetsOnly: the seed low-cost VPC, two public /18 subnets, no NAT, no private subnets', () => {
    const { network, template } = build({ egress: Egress.publicSubnetsOnly() });
    expect(subnetCidrs(template, true)).toEqual(['10.0.0.0/18', '10.0.64.0/18']);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0); // no private subnets, no S3 endpoint
    expect(network.privateSubnets.subnets).toEqual([]);
    expect(network.egressIps).toEqual([]);
    expect(network.egress?.hasPrivateSubnets).toBe(false);
  });
});

test('Egress.fromName: the strategy named in configuration, or an error listing the names', () => {
  expect(Egress.fromName('natGatewayPerAz').kind).toBe(EgressKind.NAT_GATEWAY_PER_AZ);
  expect(Egress.fromName('singleNatGateway').kind).toBe(EgressKind.SINGLE_NAT_GATEWAY);
  expect(Egress.fromName('natInstance').natInstanceType).toBe('t4g.nano');
  expect(Egress.fromName('none').kind).toBe(EgressKind.NONE);
  expect(Egress.fromName('publicSubnetsOnly').kind).toBe(EgressKind.PUBLIC_SUBNETS_ONLY);
  expect(() => Egress.fromName('nat')).toThrow(/Unknown egress strategy 'nat': use one of natGatewayPerAz, singleNatGateway, natInstance, none, publicSubnetsOnly/);
});

describe('props', () => {
  test('cidr and maxAzs: the block is split evenly, never overlapping', () => {
    const { template } = build({ cidr: '172.16.0.0/20', maxAzs: 3 });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '172.16.0.0/20' });
    // 6 subnets -> 8 slots of /23
    expect(subnetCidrs(template, true)).toEqual(['172.16.0.0/23', '172.16.2.0/23', '172.16.4.0/23']);
    expect(subnetCidrs(template, false)).toEqual(['172.16.10.0/23', '172.16.6.0/23', '172.16.8.0/23']);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('s3GatewayEndpoint: false removes the endpoint', () => {
    build({ s3GatewayEndpoint: false }).template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('interfaceEndpoints and addInterfaceEndpoint add PrivateLink endpoints in the private subnets', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const network = new Network(stack, 'Network', { interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER] });
    const endpoint = network.addInterfaceEndpoint('Ssm', ec2.InterfaceVpcEndpointAwsService.SSM);
    expect(endpoint).toBeInstanceOf(ec2.InterfaceVpcEndpoint);
    const t = Template.fromStack(stack);
    const services = Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
      .map((e: any) => JSON.stringify(e.Properties.ServiceName));
    expect(services).toHaveLength(2);
    expect(services.some((n) => n.includes('secretsmanager'))).toBe(true);
    expect(services.some((n) => n.includes('.ssm'))).toBe(true);
  });

  test('interfaceEndpoints: a service Egress.none() already adds gets one endpoint (two with private DNS conflict)', () => {
    const { network, template } = build({
      egress: Egress.none(),
      interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
    });
    const services = interfaceServiceNames(template);
    expect(services).toHaveLength(4); // ecr.api, ecr.dkr, logs + secretsmanager, once each
    expect(new Set(services).size).toBe(4);
    expect(services.filter((n) => n.includes('.ecr.api'))).toHaveLength(1);
    // the endpoint Egress.none() creates keeps its id
    expect(network.node.findChild('Vpc').node.tryFindChild('EcrApiEndpoint')).toBe(network.addInterfaceEndpoint('Any', ec2.InterfaceVpcEndpointAwsService.ECR));
    expect(network.node.findChild('Vpc').node.tryFindChild('EcrEndpoint')).toBeUndefined();
  });

  test('addInterfaceEndpoint is idempotent per service: the existing endpoint is returned (ECS Exec under Egress.none())', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const network = new Network(stack, 'Network', { egress: Egress.none() });
    const first = network.addInterfaceEndpoint('SsmMessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES);
    expect(network.addInterfaceEndpoint('SsmMessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES)).toBe(first);
    expect(network.addInterfaceEndpoint('OtherId', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES)).toBe(first);
    // an equal service built separately (its name is a different token) is the same service
    expect(network.addInterfaceEndpoint('Again', new ec2.InterfaceVpcEndpointAwsService('ssmmessages'))).toBe(first);
    // and one the constructor added is returned too
    const ecr = network.addInterfaceEndpoint('Ecr', ec2.InterfaceVpcEndpointAwsService.ECR);
    expect(ecr.node.id).toBe('EcrApiEndpoint');
    const services = interfaceServiceNames(Template.fromStack(stack));
    expect(services).toHaveLength(4);
    expect(services.filter((n) => n.includes('.ssmmessages'))).toHaveLength(1);
  });

  test('addInterfaceEndpoint dedupes on env-agnostic stacks too (service names are tokens there)', () => {
    const stack = agnosticStack();
    const network = new Network(stack, 'Network', { egress: Egress.none() });
    const first = network.addInterfaceEndpoint('SsmMessagesEndpoint', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES);
    expect(network.addInterfaceEndpoint('X', new ec2.InterfaceVpcEndpointAwsService('ssmmessages'))).toBe(first);
    expect(network.addInterfaceEndpoint('Y', ec2.InterfaceVpcEndpointAwsService.SSM)).not.toBe(first);
    expect(interfaceServiceNames(Template.fromStack(stack))).toHaveLength(5);
  });

  test('flowLogs: false, or other traffic type and retention', () => {
    build({ flowLogs: false }).template.resourceCountIs('AWS::EC2::FlowLog', 0);
    const { template } = build({ flowLogTrafficType: ec2.FlowLogTrafficType.ALL, flowLogRetention: logs.RetentionDays.ONE_WEEK });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('maxAzs: 1 synthesizes with a warning that an ALB needs two AZs', () => {
    const { stack, template } = build({ maxAzs: 1 });
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    Annotations.fromStack(stack).hasWarning('/Test/Network', Match.stringLikeRegexp('ALB|Application Load Balancer'));
  });
});

describe('availabilityZones: explicit AZ names', () => {
  test('subnets in exactly the given AZs, cidr split over them; the members say so', () => {
    const { network, template } = build({ availabilityZones: ['us-east-1b', 'us-east-1d'] });
    const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map((r: any) => r.Properties.AvailabilityZone).sort();
    expect(azs).toEqual(['us-east-1b', 'us-east-1b', 'us-east-1d', 'us-east-1d']);
    expect(subnetCidrs(template, true)).toEqual(['10.0.0.0/18', '10.0.64.0/18']);
    expect(network.availabilityZones).toEqual(['us-east-1b', 'us-east-1d']);
    expect(network.availabilityZonesExplicit).toBe(true);
    const asInterface: INetwork = network;
    expect(asInterface.availabilityZonesExplicit).toBe(true);
    expect(asInterface.egress?.kind).toBe(EgressKind.NAT_GATEWAY_PER_AZ);
  });

  test('the cidr split and NAT count use the explicit count, not the stack\'s AZs (3 in tests)', () => {
    const { template } = build({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d'] });
    template.resourceCountIs('AWS::EC2::Subnet', 8);
    expect(subnetCidrs(template, true)).toEqual(['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19', '10.0.96.0/19']);
    template.resourceCountIs('AWS::EC2::NatGateway', 4);
  });

  test('GovCloud names', () => {
    const { network } = build({ availabilityZones: ['us-gov-west-1a', 'us-gov-west-1b'] }, { account: '123456789012', region: 'us-gov-west-1' });
    expect(network.availabilityZones).toEqual(['us-gov-west-1a', 'us-gov-west-1b']);
  });

  test('env-agnostic stack: aws-cdk-lib needs no region, the names are written as given, with a warning that the template is pinned to their region', () => {
    const stack = agnosticStack();
    new Network(stack, 'Network', { availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-1a' });
    Annotations.fromStack(stack).hasWarning('/Test/Network', Match.stringLikeRegexp("deploys only in eu-west-1.*env.region.*'eu-west-1'"));
  });

  test('no region warning when the stack has a literal region', () => {
    const { stack } = build({ availabilityZones: ['us-east-1a', 'us-east-1b'] });
    Annotations.fromStack(stack).hasNoWarning('/Test/Network', Match.stringLikeRegexp('deploys only in'));
  });

  test('one AZ synthesizes with the single-AZ warning', () => {
    const { stack, template } = build({ availabilityZones: ['us-east-1a'] });
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    Annotations.fromStack(stack).hasWarning('/Test/Network', Match.stringLikeRegexp('one AZ.*Application Load Balancer'));
  });

  test('with the stack\'s AZs known from context, aws-cdk-lib also checks the names against them', () => {
    const app = new App({ context: { 'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b'] } });
    const stack = new Stack(app, 'Test', { env: ENV });
    expect(() => new Network(stack, 'Network', { availabilityZones: ['us-east-1a', 'us-east-1f'] })).toThrow(/must be a subset of the stack's availability zones/);
  });

  describe('bad input names the prop, the value and the fix', () => {
    test('both maxAzs and availabilityZones', () => {
      expect(() => build({ maxAzs: 2, availabilityZones: ['us-east-1a', 'us-east-1b'] }))
        .toThrow(/`maxAzs` and `availabilityZones` cannot both be given, got maxAzs 2 and availabilityZones \["us-east-1a","us-east-1b"\]: remove `maxAzs`/);
    });

    test('empty', () => {
      expect(() => build({ availabilityZones: [] })).toThrow(/`availabilityZones` must not be empty, got \[\]: list at least one/);
    });

    test.each(['use1-az1', 'us-east-1', 'US-EAST-1A', 'us-east-1ab', 'useast1a', 'us-west-2-lax-1a', ''])('not an AZ name: %p', (az) => {
      expect(() => build({ availabilityZones: ['us-east-1a', az] }))
        .toThrow(new RegExp(`\`availabilityZones\` must hold AZ names like 'us-east-1a'.*got '${az}'`));
    });

    test('duplicates', () => {
      expect(() => build({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1a'] }))
        .toThrow(/`availabilityZones` must not repeat an AZ, got 'us-east-1a' twice/);
    });

    test('more than one region', () => {
      expect(() => new Network(agnosticStack(), 'Network', { availabilityZones: ['eu-west-1a', 'us-east-1b'] }))
        .toThrow(/`availabilityZones` must all be in one region.*regions eu-west-1, us-east-1/);
    });

    test('not in the stack\'s region', () => {
      expect(() => build({ availabilityZones: ['us-west-2a', 'us-west-2b'] }))
        .toThrow(/`availabilityZones` must be in the stack's region us-east-1, got 'us-west-2a'.*use AZs of us-east-1/);
      // a prefix is not enough: us-east-1 is not us-east-11
      expect(() => build({ availabilityZones: ['us-east-11a'] })).toThrow(/got 'us-east-11a'/);
    });

    test('a list token', () => {
      expect(() => build({ availabilityZones: Fn.getAzs() })).toThrow(/`availabilityZones` must be a list written at synth time.*got a list token/);
    });

    test('too small a block for the AZs names the fix with availabilityZones', () => {
      expect(() => build({ cidr: '10.0.0.0/24', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f', 'us-east-1g', 'us-east-1h', 'us-east-1i'] }))
        .toThrow(/too small for 18 subnets.*fewer `availabilityZones`/);
    });
  });
});

describe('bring your own VPC', () => {
  test('Network.fromVpc: subnets from the VPC, egress IPs unknown and said so', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Existing', { maxAzs: 2, natGateways: 1 });
    const network = Network.fromVpc(stack, 'Network', vpc);
    expect(network.vpc).toBe(vpc);
    expect(network.privateSubnets.subnets).toEqual(vpc.privateSubnets);
    expect(network.publicSubnets.subnets).toEqual(vpc.publicSubnets);
    expect(network.egressIps).toEqual([]);
    expect(network.egressIpsKnown).toBe(false);
    expect(network.availabilityZonesExplicit).toBe(true); // its subnets are already placed
    expect(network.egress).toBeUndefined(); // not created here: unknown
    Annotations.fromStack(stack).hasInfo('/Test/Network', Match.stringLikeRegexp('egress IPs'));
  });

  test('Network.fromVpc with isolated subnets only uses them as private subnets', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Existing', {
      maxAzs: 2, natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    expect(Network.fromVpc(stack, 'Network', vpc).privateSubnets.subnets).toEqual(vpc.isolatedSubnets);
  });
});

describe('bad input fails at synth with the prop, the value and the fix', () => {
  test.each([
    ['10.0.0/16', /`cidr` must be an IPv4 CIDR block like '10.0.0.0\/16', got '10.0.0\/16'/],
    ['10.0.0.0', /`cidr` must be an IPv4 CIDR block.*got '10.0.0.0'/],
    ['300.0.0.0/16', /`cidr` must be an IPv4 CIDR block.*got '300.0.0.0\/16'/],
    ['10.0.0.1/16', /`cidr` has host bits set: '10.0.0.1\/16'.*use '10.0.0.0\/16'/],
    ['10.0.0.0/12', /`cidr` must be a \/16 to \/24 block.*got '10.0.0.0\/12'/],
    ['10.0.0.0/26', /`cidr` must be a \/16 to \/24 block.*got '10.0.0.0\/26'/],
  ])('cidr %s', (cidr, message) => {
    expect(() => build({ cidr })).toThrow(message);
  });

  test('a block too small for the subnets', () => {
    expect(() => build({ cidr: '10.0.0.0/24', maxAzs: 6 }, { account: '123456789012', region: 'us-east-1' }))
      .not.toThrow(); // only 3 dummy AZs in tests: 6 subnets of /27
    const stack = new Stack(new App(), 'Big', { env: ENV });
    jest.spyOn(stack, 'availabilityZones', 'get').mockReturnValue(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(() => new Network(stack, 'Network', { cidr: '10.0.0.0/24', maxAzs: 9 }))
      .toThrow(/`cidr` '10.0.0.0\/24' is too small for 18 subnets.*\/29.*smaller `maxAzs`/);
  });

  test.each([0, -1, 1.5])('maxAzs %s', (maxAzs) => {
    expect(() => build({ maxAzs })).toThrow(new RegExp(`\`maxAzs\` must be a whole number >= 1, got ${maxAzs}`));
  });

  test.each([
    [Egress.natGatewayPerAz(), 'natGatewayPerAz'],
    [Egress.singleNatGateway(), 'singleNatGateway'],
    [Egress.natInstance(), 'natInstance'],
  ])('publicSubnets: false with a NAT strategy (%#)', (egress, name) => {
    expect(() => build({ egress, publicSubnets: false }))
      .toThrow(new RegExp(`\`publicSubnets: false\` cannot be used with \`egress: Egress.${name}\\(\\)\`.*Egress.none\\(\\)`));
  });

  test('publicSubnets: false with publicSubnetsOnly', () => {
    expect(() => build({ egress: Egress.publicSubnetsOnly(), publicSubnets: false })).toThrow(/no subnets/);
  });

  test.each(['t4g', 'nano', 'foo1.nano', 't4g.gigantic', 't4g.nano.x', ''])('natInstance with unknown instance type %p', (instanceType) => {
    expect(() => Egress.natInstance({ instanceType }))
      .toThrow(/`Egress.natInstance\(\{ instanceType \}\)` must be an EC2 instance type like 't4g.nano'/);
  });

  test('s3GatewayEndpoint: false with Egress.none()', () => {
    expect(() => build({ egress: Egress.none(), s3GatewayEndpoint: false })).toThrow(/`s3GatewayEndpoint: false`.*Egress.none\(\)/);
  });

  test('interface endpoints without private subnets', () => {
    expect(() => build({ egress: Egress.publicSubnetsOnly(), interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SSM] }))
      .toThrow(/`interfaceEndpoints` needs private subnets/);
    const { network } = build({ egress: Egress.publicSubnetsOnly() });
    expect(() => network.addInterfaceEndpoint('Ssm', ec2.InterfaceVpcEndpointAwsService.SSM)).toThrow(/no private subnets/);
  });
});

test('maxAzs beyond the AZs the stack knows (environment-agnostic: two) warns and uses what it knows', () => {
  const stack = new Stack(new App(), 'Agnostic');
  const network = new Network(stack, 'Network', { maxAzs: 3 });
  expect(network.vpc.availabilityZones).toHaveLength(2);
  Annotations.fromStack(stack).hasWarning('/Agnostic/Network', Match.stringLikeRegexp('`maxAzs` is 3 but this stack knows only 2 availability zones'));
  const quiet = new Stack(new App(), 'Quiet');
  new Network(quiet, 'Network', { maxAzs: 2 });
  expect(Annotations.fromStack(quiet).findWarning('*', Match.stringLikeRegexp('fewerAzs|knows only'))).toEqual([]);
});

describe('bad input (issue 17): every prop checked before CloudFormation sees it', () => {
  const warnings = (stack: Stack, id: string) => Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(id)).map((w) => w.entry.data as string); // a warning's data is its message

  test('flowLogRetention: INFINITE is rejected (the LOG1 rule flags never-expiring logs), and so are Infinity and NaN', () => {
    expect(() => build({ flowLogRetention: logs.RetentionDays.INFINITE }))
      .toThrow(/`flowLogRetention` must be a finite retention, got RetentionDays.INFINITE \(9999\).*use e.g. RetentionDays.ONE_YEAR/);
    for (const value of [Infinity, NaN, 45]) {
      expect(() => build({ flowLogRetention: value as logs.RetentionDays }))
        .toThrow(new RegExp(`\`flowLogRetention\` must be one of the RetentionDays values .*, got ${value}: use a RetentionDays member`));
    }
  });

  test('flowLogRetention: the longest finite retention synthesizes', () => {
    build({ flowLogRetention: logs.RetentionDays.TEN_YEARS }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 3653 });
  });

  test('flowLogTrafficType outside the enum (e.g. from untyped configuration)', () => {
    expect(() => build({ flowLogTrafficType: 'REJECTED' as ec2.FlowLogTrafficType }))
      .toThrow("`flowLogTrafficType` must be one of ACCEPT, ALL, REJECT, got 'REJECTED': use ec2.FlowLogTrafficType.REJECT, ACCEPT or ALL");
  });

  test.each([NaN, Infinity, -Infinity, 2.5])('maxAzs %s', (maxAzs) => {
    expect(() => build({ maxAzs })).toThrow(new RegExp(`\`maxAzs\` must be a whole number >= 1, got ${maxAzs}: use 2 or more`));
  });

  test('a token maxAzs (with or without the S3 endpoint) is a clear error: it decides the subnets at synth', () => {
    for (const s3GatewayEndpoint of [undefined, false]) {
      const stack = new Stack(new App(), 'Test', { env: ENV });
      const maxAzs = new CfnParameter(stack, 'AzCount', { type: 'Number' }).valueAsNumber;
      expect(() => new Network(stack, 'Network', { maxAzs, s3GatewayEndpoint }))
        .toThrow(/`maxAzs` must be known at synth time \(it decides how many subnets, route tables and NAT gateways the template has\), got a token .*: give a number, or list the AZ names in `availabilityZones`/);
    }
  });

  test('a token cidr is a clear error naming the prop (aws-cdk-lib splits it at synth)', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const cidr = new CfnParameter(stack, 'Cidr').valueAsString;
    expect(() => new Network(stack, 'Network', { cidr })).toThrow(/`cidr` must be known at synth time \(it is split into the subnets at synth\).*'10.0.0.0\/16'/);
  });

  test.each(['10.0.0.0/33', '300.1.1.1/16', '2001:db8::/56', '010.0.0.0/16'])('cidr %s', (cidr) => {
    expect(() => build({ cidr })).toThrow(new RegExp(`\`cidr\` must be an IPv4 CIDR block like '10.0.0.0/16', got '${cidr.replace(/[./]/g, '\\$&')}'`));
  });

  test('valid neighbour: a /24 VPC over two AZs gives four /26 subnets', () => {
    const { template } = build({ cidr: '192.168.10.0/24', maxAzs: 2 });
    expect(subnetCidrs(template, true)).toEqual(['192.168.10.0/26', '192.168.10.64/26']);
    expect(subnetCidrs(template, false)).toEqual(['192.168.10.128/26', '192.168.10.192/26']);
  });

  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', ''])('Egress.fromName(%p) is an unknown name like any other', (name) => {
    expect(() => Egress.fromName(name)).toThrow(new RegExp(`Unknown egress strategy '${name}': use one of natGatewayPerAz, singleNatGateway, natInstance, none, publicSubnetsOnly`));
  });

  describe('NAT instance types: checked against a table of the families and sizes that exist', () => {
    test.each([
      ['m5.nano', /must be an instance type that exists, got 'm5.nano': m5 comes in large, xlarge, 2xlarge, .*, metal. Use e.g. 'm5.large', or a burstable type for a small NAT \('t4g.nano', 't3.nano'\)/],
      ['t4g.metal', /got 't4g.metal': t4g comes in nano, micro, small, medium, large, xlarge, 2xlarge. Use e.g. 't4g.nano'/],
      ['t3.metal', /got 't3.metal': t3 comes in nano/],
      ['m7i.metal', /got 'm7i.metal': m7i comes in .*metal-24xl, metal-48xl/],
      ['c7g.24xlarge', /got 'c7g.24xlarge'/],
      ['a1.nano', /got 'a1.nano': a1 comes in medium, large, xlarge, 2xlarge, 4xlarge, metal/],
      ['m5a.metal', /got 'm5a.metal'/],
    ])('%s does not exist', (instanceType, message) => {
      expect(() => Egress.natInstance({ instanceType })).toThrow(message);
    });

    const imageOf = (template: Template) => Object.values(template.toJSON().Parameters ?? {}).map((p: any) => p.Default)
      .filter((d) => /ami-amazon-linux-latest/.test(d));

    test.each([
      ['a1.medium', 'arm64'], // Graviton although its name has no 'g': it used to get the x86_64 image, which cannot boot on it
      ['t4g.nano', 'arm64'], ['c7gn.medium', 'arm64'], ['m8g.metal-24xl', 'arm64'], ['c5.metal', 'x86_64'],
      ['t2.micro', 'x86_64'], ['t3a.nano', 'x86_64'], ['m7i.metal-24xl', 'x86_64'], ['c5n.9xlarge', 'x86_64'],
    ])('%s exists: the default image is %s, no warning', (instanceType, arch) => {
      const { stack, template } = build({ egress: Egress.natInstance({ instanceType }) });
      template.hasResourceProperties('AWS::EC2::Instance', { InstanceType: instanceType });
      expect(imageOf(template)).toEqual([`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-${arch}`]);
      expect(warnings(stack, 'natInstanceTypeUnchecked|not of a family')).toEqual([]);
    });

    test('a family outside the table synthesizes with a warning: size not checked, architecture guessed from the name', () => {
      const { stack, template } = build({ egress: Egress.natInstance({ instanceType: 'r6g.large' }) });
      expect(imageOf(template)).toEqual(['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64']);
      const [warning] = warnings(stack, 'is not of a family Portcullis checks');
      expect(warning).toMatch(/`Egress.natInstance\(\{ instanceType \}\)` 'r6g.large' is not of a family Portcullis checks \(t2, t3, t3a, t4g, a1, .*\): whether that size exists is not checked, and the default image is arm64 as guessed from the name. Check it with `aws ec2 describe-instance-types --instance-types r6g.large`, or pass `machineImage`/);
      const x86 = build({ egress: Egress.natInstance({ instanceType: 'r5.large', machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' }) }) });
      expect(warnings(x86.stack, 'is not of a family')[0]).toMatch(/'r5.large' is not of a family Portcullis checks .*: whether that size exists is not checked. Check it with .*, or use a checked family/);
    });

    test('a token instance type is accepted (CloudFormation takes one), with a warning about the image architecture', () => {
      const stack = new Stack(new App(), 'Test', { env: ENV });
      const instanceType = new CfnParameter(stack, 'NatType').valueAsString;
      new Network(stack, 'Network', { egress: Egress.natInstance({ instanceType }) });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', { InstanceType: { Ref: 'NatType' } });
      expect(warnings(stack, 'is a token')).toEqual([expect.stringMatching(/the default image is x86_64 Amazon Linux 2023. An arm64 \(Graviton\) type needs `machineImage`/)]);
    });
  });

  describe('NAT instance machineImage: an image whose OS or architecture cannot do the job is refused', () => {
    test.each<[string, () => ec2.IMachineImage, string, RegExp]>([
      ['a Windows image', () => ec2.MachineImage.latestWindows(ec2.WindowsVersion.WINDOWS_SERVER_2022_ENGLISH_FULL_BASE), 't3.nano',
        /^`Egress.natInstance\(\{ machineImage \}\)` is a Windows image \(SSM parameter '\/aws\/service\/ami-windows-latest\/Windows_Server-2022-English-Full-Base'\): the NAT instance translates with iptables set up by Linux user data. Use a Linux image/],
      ['a generic Windows AMI', () => ec2.MachineImage.genericWindows({ 'us-east-1': 'ami-12345678' }), 't4g.nano', /is a Windows image \(GenericWindowsImage\)/],
      ['an arm64 Amazon Linux on t3.nano', () => ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }), 't3.nano',
        /`Egress.natInstance\(\{ machineImage \}\)` is an arm64 image \(SSM parameter '.*al2023-ami-kernel-6.1-arm64'\) but `instanceType` 't3.nano' is x86_64: an instance cannot boot an image of another architecture. Use an x86_64 image \(e.g. MachineImage.latestAmazonLinux2023\(\{ cpuType: AmazonLinuxCpuType.X86_64 \}\)\), or an arm64 instance type \(e.g. 't4g.nano'\)/],
      ['an x86_64 Amazon Linux on the default t4g.nano', () => ec2.MachineImage.latestAmazonLinux2023(), 't4g.nano', /is an x86_64 image .* but `instanceType` 't4g.nano' is arm64.*or an x86_64 instance type \(e.g. 't3.nano'\)/],
      ['an arm64 SSM parameter at launch on c5.large', () => ec2.MachineImage.resolveSsmParameterAtLaunch('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'), 'c5.large', /is an arm64 image .* but `instanceType` 'c5.large' is x86_64/],
    ])('%s', (_, image, instanceType, message) => {
      const stack = new Stack(new App(), 'Test', { env: ENV });
      expect(() => new Network(stack, 'Network', { egress: Egress.natInstance({ instanceType, machineImage: image() }) })).toThrow(message);
    });

    test.each<[string, () => ec2.IMachineImage, string]>([
      ['arm64 Amazon Linux on t4g.nano', () => ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }), 't4g.nano'],
      ['x86_64 SSM parameter on t3.micro', () => ec2.MachineImage.fromSsmParameter('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'), 't3.micro'],
      ['a pinned AMI id (architecture unknown: not checked)', () => ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-12345678' }), 't4g.nano'],
    ])('neighbour: %s synthesizes', (_, image, instanceType) => {
      const { template } = build({ egress: Egress.natInstance({ instanceType, machineImage: image() }) });
      template.hasResourceProperties('AWS::EC2::Instance', { InstanceType: instanceType });
    });
  });

  test('a token flowLogRetention is accepted and reaches the template as is (never compared or converted as a number)', () => {
    const stack = new Stack(new App(), 'Test', { env: ENV });
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    new Network(stack, 'Network', { flowLogRetention: days });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: { Ref: 'Days' } });
  });

  describe('more than 5 Elastic IPs needs a quota increase: a warning', () => {
    const sixAzs = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];
    const agnostic = (props: NetworkProps) => {
      const stack = new Stack(new App(), 'Test');
      const network = new Network(stack, 'Network', props);
      return { stack, network };
    };

    test('a NAT gateway per AZ over 6 AZs: 6 Elastic IPs, warned with the quota, the fix and the doc', () => {
      const { stack, network } = agnostic({ availabilityZones: sixAzs });
      expect(network.egressIps).toHaveLength(6);
      expect(warnings(stack, 'Elastic IPs')).toEqual([
        'This network allocates 6 Elastic IPs (one per NAT gateway in each of 6 AZs), more than the default quota of 5 per Region per account, ' +
        'which every other Elastic IP of the account in that Region shares: request an increase of "EC2-VPC Elastic IPs" in Service Quotas before deploying, ' +
        'or use fewer AZs or Egress.singleNatGateway() (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). [ack: @portcullis/network:elasticIpQuota]',
      ]);
    });

    test.each([
      ['5 AZs with a NAT gateway each', { availabilityZones: sixAzs.slice(0, 5) }],
      ['6 AZs with one NAT gateway', { availabilityZones: sixAzs, egress: Egress.singleNatGateway() }],
      ['6 AZs with a NAT instance', { availabilityZones: sixAzs, egress: Egress.natInstance() }],
    ] as Array<[string, NetworkProps]>)('no warning for %s', (_, props) => {
      expect(warnings(agnostic(props).stack, 'Elastic IPs')).toEqual([]);
    });
  });
});

test('natInstance: the instance starts only once its public subnet routes to the internet (its user data installs iptables at first boot)', () => {
  const stack = new Stack(new App(), 'Nat', { env: { account: '123456789012', region: 'us-east-1' } });
  new Network(stack, 'Network', { egress: Egress.natInstance() });
  const template = Template.fromStack(stack);
  const [instance] = Object.values<any>(template.findResources('AWS::EC2::Instance'));
  const publicRoute = Object.keys(template.findResources('AWS::EC2::Route')).find((id) => /PublicSubnet1DefaultRoute/.test(id));
  expect(publicRoute).toMatch(/PublicSubnet1DefaultRoute/);
  expect(instance.DependsOn).toEqual(expect.arrayContaining([publicRoute]));
});
