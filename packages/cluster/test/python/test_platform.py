"""A platform other CDK apps join, from Python: publish the network and the cluster, join from another app."""
import json

import aws_cdk as cdk
from aws_cdk import assertions
import pytest

from portcullis.cluster import ApiService, ClusterCapacity, FargateCluster, Platform
from portcullis.network import Network


def test_platform_publishes_its_network_and_cluster():
    stack = cdk.Stack(cdk.App(), "Platform")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    Platform(stack, "Platform", platform_name="shop", network=network, cluster=cluster)
    names = [p["Properties"]["Name"] for p in assertions.Template.from_stack(stack).find_resources("AWS::SSM::Parameter").values()]
    assert "/portcullis/shop/cluster/name" in names
    assert "/portcullis/shop/network/private-subnet-ids" in names


def test_a_service_of_another_app_joins_without_exports():
    stack = cdk.Stack(cdk.App(), "Orders")
    shop = Platform.from_parameters(stack, "Shop", platform_name="shop")
    service = ApiService(stack, "Api", cluster=shop.cluster, service_name="orders")
    template = assertions.Template.from_stack(stack).to_json()
    assert "Fn::ImportValue" not in json.dumps(template)
    defaults = [p.get("Default") for p in template["Parameters"].values()]
    assert "/portcullis/shop/cluster/name" in defaults
    assert service.execution_role is not shop.cluster.execution_role
    assert shop.cluster.capacity == ClusterCapacity.FARGATE


def test_bad_input_names_the_prop():
    stack = cdk.Stack(cdk.App(), "Bad")
    with pytest.raises(Exception, match="platformName"):
        Platform.from_parameters(stack, "Shop", platform_name="my shop")
