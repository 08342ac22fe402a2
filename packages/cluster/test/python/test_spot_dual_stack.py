"""A Fargate Spot service on a dual-stack network, from Python (issue: the cost floor)."""
import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import assertions
import pytest

from portcullis.cluster import ApiService, Capacity, CapacityKind, Ec2Cluster, FargateCluster
from portcullis.network import Egress, Network


def _template(capacity, **service_props):
    stack = cdk.Stack(cdk.App(), "PySpot")
    network = Network(stack, "Network", egress=Egress.nat_instance(), ipv6=True)
    cluster = FargateCluster(stack, "Cluster", network=network)
    ApiService(stack, "Api", cluster=cluster, capacity=capacity, **service_props)
    return network, assertions.Template.from_stack(stack)


def test_spot_service_on_a_dual_stack_network():
    network, template = _template(
        Capacity.spot(),
        runtime_platform=ecs.RuntimePlatform(cpu_architecture=ecs.CpuArchitecture.ARM64),
    )
    assert network.ipv6_enabled is True
    template.has_resource_properties("AWS::ECS::Service", {
        "CapacityProviderStrategy": [{"CapacityProvider": "FARGATE_SPOT", "Base": 0, "Weight": 1}],
        "NetworkConfiguration": {"AwsvpcConfiguration": assertions.Match.object_like({"AssignPublicIp": "DISABLED"})},
    })
    services = template.find_resources("AWS::ECS::Service")
    assert all("LaunchType" not in s["Properties"] for s in services.values())
    template.has_resource_properties("AWS::ECS::TaskDefinition", {"RuntimePlatform": assertions.Match.object_like({"CpuArchitecture": "ARM64"})})
    # dual stack: the VPC block, a /64 per subnet, an egress-only gateway for the private subnets
    template.resource_count_is("AWS::EC2::VPCCidrBlock", 1)
    template.resource_count_is("AWS::EC2::SubnetCidrBlock", 4)
    template.resource_count_is("AWS::EC2::EgressOnlyInternetGateway", 1)


def test_mixed_capacity_from_python():
    _, template = _template(Capacity.mixed(on_demand_base=2, spot_weight=1))
    template.has_resource_properties("AWS::ECS::Service", {
        "CapacityProviderStrategy": [
            {"CapacityProvider": "FARGATE", "Base": 2, "Weight": 1},
            {"CapacityProvider": "FARGATE_SPOT", "Base": 0, "Weight": 1},
        ],
    })
    assert Capacity.mixed().kind == CapacityKind.MIXED


def test_bad_capacity_from_python():
    with pytest.raises(Exception, match="spotWeight"):
        Capacity.mixed(spot_weight=-1)
    with pytest.raises(Exception, match="every weight and base would be zero"):
        Capacity.mixed(on_demand_base=0, spot_weight=0)
    stack = cdk.Stack(cdk.App(), "PyEc2Spot")
    cluster = Ec2Cluster(stack, "Cluster", network=Network(stack, "Network"))
    with pytest.raises(Exception, match="`capacity`"):
        ApiService(stack, "Api", cluster=cluster, capacity=Capacity.spot())
