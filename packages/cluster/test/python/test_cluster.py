"""The cluster package from Python: Fargate and EC2 clusters with the private API service."""
import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
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


def test_day2_ec2_updates_in_place_block_imds_and_delete_services_first():
    stack = cdk.Stack(cdk.App(), "PyDay2")
    network = Network(stack, "Network")
    cluster = Ec2Cluster(stack, "Cluster", network=network)
    ApiService(stack, "Api", cluster=cluster)
    template = assertions.Template.from_stack(stack).to_json()
    resources = template["Resources"]
    asg = next(r for r in resources.values() if r["Type"] == "AWS::AutoScaling::AutoScalingGroup")
    assert "AutoScalingReplacingUpdate" not in asg.get("UpdatePolicy", {})
    lt = next(r for r in resources.values() if r["Type"] == "AWS::EC2::LaunchTemplate")
    assert "ECS_AWSVPC_BLOCK_IMDS=true" in str(lt["Properties"]["LaunchTemplateData"]["UserData"])
    association = next(k for k, r in resources.items() if r["Type"] == "AWS::ECS::ClusterCapacityProviderAssociations")
    service = next(r for r in resources.values() if r["Type"] == "AWS::ECS::Service")
    assert association in service["DependsOn"]


def test_isolated_network_refuses_public_images_and_mounts_scratch_volumes():
    stack = cdk.Stack(cdk.App(), "PyIsolated")
    network = Network(stack, "Network", egress=Egress.none())
    cluster = FargateCluster(stack, "Cluster", network=network)
    with pytest.raises(Exception, match="`image`.*cannot be pulled"):
        ApiService(stack, "Api", cluster=cluster)
    image = ecs.ContainerImage.from_registry("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1")
    service = ApiService(stack, "Api2", cluster=cluster, image=image, readonly_root_filesystem=True,
                         writable_paths=["/tmp", "/app/cache"])
    assert service.writable_paths == ["/tmp", "/app/cache"]


def test_bad_service_name_is_rejected_and_a_255_character_name_accepted():
    stack = cdk.Stack(cdk.App(), "PyBadInput")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    with pytest.raises(Exception, match="`serviceName` must be 1 to 255 letters.*got 'my api'"):
        ApiService(stack, "Bad", cluster=cluster, service_name="my api")
    name = "a" * 255
    ApiService(stack, "Api", cluster=cluster, service_name=name, desired_count=0)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ECS::Service", {"ServiceName": name, "DesiredCount": 0})
