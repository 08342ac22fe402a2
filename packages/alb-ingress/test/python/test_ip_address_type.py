"""An ALB without public IPv4 in front of a Spot service, from Python (the README's IPv6 example)."""
import aws_cdk as cdk
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import assertions
import pytest

from portcullis.alb_ingress import AlbIngress
from portcullis.cluster import ApiService, Capacity, FargateCluster
from portcullis.network import Egress, Network


def _service(stack, ipv6):
    network = Network(stack, "Network", egress=Egress.nat_instance(), ipv6=ipv6)
    cluster = FargateCluster(stack, "Cluster", network=network)
    return network, ApiService(stack, "Api", cluster=cluster, capacity=Capacity.spot())


def test_dualstack_without_public_ipv4_from_python():
    stack = cdk.Stack(cdk.App(), "PyAlb6")
    network, service = _service(stack, True)
    AlbIngress(stack, "Ingress", network=network, service=service,
               ip_address_type=elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
        "Scheme": "internet-facing", "IpAddressType": "dualstack-without-public-ipv4",
    })


def test_dualstack_needs_an_ipv6_network():
    stack = cdk.Stack(cdk.App(), "PyAlb4")
    network, service = _service(stack, False)
    with pytest.raises(Exception, match="ipv6: true"):
        AlbIngress(stack, "Ingress", network=network, service=service,
                   ip_address_type=elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4)
