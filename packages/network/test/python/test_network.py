"""The network package from Python: the jsii-built wheel synthesizes the same VPC as TypeScript."""
import aws_cdk as cdk
from aws_cdk import assertions
import pytest

from portcullis.network import Egress, EgressKind, Network


def synth(**props):
    stack = cdk.Stack(cdk.App(), "Py")
    network = Network(stack, "Network", **props)
    return network, assertions.Template.from_stack(stack)


def test_default_network_is_the_seed_vpc():
    network, template = synth()
    template.has_resource_properties("AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"})
    template.resource_count_is("AWS::EC2::NatGateway", 2)
    template.resource_count_is("AWS::EC2::EIP", 2)
    assert len(network.egress_ips) == 2
    assert network.egress.kind == EgressKind.NAT_GATEWAY_PER_AZ


def test_single_nat_gateway_from_python():
    network, template = synth(egress=Egress.single_nat_gateway(), cidr="10.1.0.0/16")
    template.resource_count_is("AWS::EC2::NatGateway", 1)
    assert len(network.egress_ips) == 1


def test_bad_cidr_names_the_prop():
    with pytest.raises(Exception, match="`cidr` must be an IPv4 CIDR block"):
        synth(cidr="10.0.0/16")
