import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, DependencyGroup, IDependable } from 'constructs';

/** What {@link addDualStack} created. */
export interface DualStack {
  /** The VPC's Amazon-provided IPv6 block (/56), a token. */
  readonly ipv6Cidr: string;
  /** The IPv6 block of the VPC and of every subnet: what a dual-stack load balancer waits for. */
  readonly established: IDependable;
}

/** /64s in a /56: the count Fn::Cidr splits the VPC block into. */
const SUBNETS_PER_BLOCK = 256;
/** The private subnets' /64s start half-way, so adding AZs never renumbers a subnet. */
const PRIVATE_OFFSET = 128;

/**
 * Makes an IPv4 `ec2.Vpc` dual-stack with resources that are only *added* to a deployed
 * network: an Amazon-provided /56 (AWS::EC2::VPCCidrBlock), a /64 for every subnet
 * (AWS::EC2::SubnetCidrBlock: the subnet itself is not modified, whereas setting
 * AWS::EC2::Subnet's Ipv6CidrBlock is a conditional replacement in the CloudFormation
 * resource specification), `::/0` to the internet gateway from the public subnets and to an
 * egress-only internet gateway from the private subnets with egress. Isolated subnets get
 * a block but no IPv6 route. No DNS64: the private subnets keep IPv4 egress through NAT.
 *
 * Subnet /64s: the public subnet of AZ i gets /64 number i, the private one 128 + i.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnetcidrblock.html
 */
export function addDualStack(scope: Construct, vpc: ec2.Vpc): DualStack {
  const block = new ec2.CfnVPCCidrBlock(scope, 'Ipv6Block', { vpcId: vpc.vpcId, amazonProvidedIpv6CidrBlock: true });
  const ipv6Cidr = Fn.select(0, vpc.vpcIpv6CidrBlocks);
  const slices = Fn.cidr(ipv6Cidr, SUBNETS_PER_BLOCK, '64');
  const established = new DependencyGroup(block);
  const withBlock = (subnets: ec2.ISubnet[], offset: number) => subnets.forEach((subnet, i) => {
    const association = new ec2.CfnSubnetCidrBlock(subnet, 'Ipv6Block', {
      subnetId: subnet.subnetId,
      ipv6CidrBlock: Fn.select(offset + i, slices),
    });
    association.node.addDependency(block);
    established.add(association);
  });
  withBlock(vpc.publicSubnets, 0);
  withBlock([...vpc.privateSubnets, ...vpc.isolatedSubnets], PRIVATE_OFFSET);

  const attachment = vpc.node.children.find((c): c is ec2.CfnVPCGatewayAttachment => c instanceof ec2.CfnVPCGatewayAttachment);
  if (vpc.internetGatewayId && attachment) {
    for (const subnet of vpc.publicSubnets) {
      (subnet as ec2.PublicSubnet).addIpv6DefaultInternetRoute(vpc.internetGatewayId, attachment);
      subnet.node.findChild('DefaultRoute6').node.addDependency(block);
    }
  }
  if (vpc.privateSubnets.length > 0) {
    const gateway = new ec2.CfnEgressOnlyInternetGateway(scope, 'EgressOnlyInternetGateway', { vpcId: vpc.vpcId });
    for (const subnet of vpc.privateSubnets) {
      (subnet as ec2.PrivateSubnet).addIpv6DefaultEgressOnlyInternetRoute(gateway.ref);
      subnet.node.findChild('DefaultRoute6').node.addDependency(block);
    }
  }
  return { ipv6Cidr, established };
}
