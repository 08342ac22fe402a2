"""The network package from Python: the jsii-built wheel synthesizes the same VPC as TypeScript."""
import aws_cdk as cdk
from aws_cdk import assertions
from aws_cdk import aws_logs as logs
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


def test_never_expiring_flow_logs_are_rejected_naming_the_prop():
    # RetentionDays.INFINITE would keep the flow logs forever (the audit's LOG1 rule flags it)
    with pytest.raises(Exception, match="`flowLogRetention` must be a finite retention, got RetentionDays.INFINITE"):
        synth(flow_log_retention=logs.RetentionDays.INFINITE)


def test_longest_finite_retention_and_a_slash_24_over_two_azs_synthesize():
    network, template = synth(cidr="192.168.10.0/24", max_azs=2, flow_log_retention=logs.RetentionDays.TEN_YEARS)
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 3653})
    template.resource_count_is("AWS::EC2::Subnet", 4)
    template.has_resource_properties("AWS::EC2::Subnet", {"CidrBlock": "192.168.10.192/26"})
    assert len(network.egress_ips) == 2


def test_unknown_strategy_names_are_rejected_even_object_keys():
    for name in ("constructor", "__proto__", "toString"):
        with pytest.raises(Exception, match=f"Unknown egress strategy '{name}'"):
            Egress.from_name(name)
