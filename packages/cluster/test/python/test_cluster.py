"""The cluster package from Python: a Fargate cluster on a Portcullis network."""
import aws_cdk as cdk
from aws_cdk import assertions

from portcullis.cluster import FargateCluster
from portcullis.network import Network


def test_fargate_cluster_from_python():
    stack = cdk.Stack(cdk.App(), "Py")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::ECS::Cluster", 1)
    template.has_resource_properties(
        "AWS::ECS::Cluster",
        {"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}]},
    )
    assert cluster.vpc is not None
    assert cluster.execution_role is not None
