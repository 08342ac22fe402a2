"""The cluster package from Python: Fargate and EC2 clusters with the private API service."""
import aws_cdk as cdk
from aws_cdk import assertions
import pytest

from portcullis.cluster import ApiService, Ec2Cluster, FargateCluster
from portcullis.network import Egress, Network


def test_fargate_api_service_from_python():
    stack = cdk.Stack(cdk.App(), "Py")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, service_name="orders", desired_count=3)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::ECS::Cluster",
        {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]},
    )
    template.has_resource_properties("AWS::ECS::Service", {
        "DesiredCount": 3,
        "NetworkConfiguration": {"AwsvpcConfiguration": assertions.Match.object_like({"AssignPublicIp": "DISABLED"})},
        "DeploymentConfiguration": assertions.Match.object_like({
            "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
        }),
    })
    assert service.container_port == 80


def test_ec2_api_service_from_python():
    stack = cdk.Stack(cdk.App(), "PyEc2")
    network = Network(stack, "Network")
    cluster = Ec2Cluster(stack, "Cluster", network=network)
    ApiService(stack, "Api", cluster=cluster)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ECS::TaskDefinition", {"RequiresCompatibilities": ["EC2"], "NetworkMode": "awsvpc"})
    template.resource_count_is("AWS::AutoScaling::AutoScalingGroup", 1)


def test_public_only_network_needs_explicit_public_ips():
    stack = cdk.Stack(cdk.App(), "PyPublic")
    network = Network(stack, "Network", egress=Egress.public_subnets_only())
    cluster = FargateCluster(stack, "Cluster", network=network)
    with pytest.raises(Exception, match="assignPublicIp: true"):
        ApiService(stack, "Api", cluster=cluster)
