"""A dual-stack network from Python: the README's IPv6 example."""
import aws_cdk as cdk
from aws_cdk import assertions
import pytest

from portcullis.network import Egress, Network


def test_dual_stack_network_from_python():
    stack = cdk.Stack(cdk.App(), "PyIpv6")
    network = Network(stack, "Network", egress=Egress.nat_instance(), ipv6=True)
    cdk.CfnOutput(stack, "EgressIpv6Cidr", value=network.ipv6_cidr)
    assert network.ipv6_enabled is True
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::EC2::VPCCidrBlock", {"AmazonProvidedIpv6CidrBlock": True})
    template.resource_count_is("AWS::EC2::SubnetCidrBlock", 4)
    template.resource_count_is("AWS::EC2::EgressOnlyInternetGateway", 1)
    # IPv4 egress unchanged: one NAT instance Elastic IP
    assert len(network.egress_ips) == 1


def test_ipv6_with_public_subnets_only_is_refused():
    stack = cdk.Stack(cdk.App(), "PyIpv6Public")
    with pytest.raises(Exception, match="remove `ipv6`"):
        Network(stack, "Network", egress=Egress.public_subnets_only(), ipv6=True)
