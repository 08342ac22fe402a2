"""Day 2 from Python (issue 22): rolling that keeps the traffic-shifting resources, on-demand
as a capacity-provider strategy (or the launch type kept), the min/max healthy percent pair."""
import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import assertions
import pytest

from portcullis.cluster import ApiService, Capacity, Deployment, Ec2Cluster, FargateCluster
from portcullis.network import Network


def test_rolling_keeps_the_traffic_shift_resources_from_python():
    kept = Deployment.rolling(keep_traffic_shift_resources=True)
    assert kept.keep_traffic_shift_resources is True
    assert kept.uses_traffic_shift_resources is True
    assert kept.needs_traffic_shift is False
    assert kept.to_string() == "Deployment.rolling({ keepTrafficShiftResources: true })"  # jsii: toString() is to_string()
    assert Deployment.rolling().uses_traffic_shift_resources is False
    assert Deployment.canary().uses_traffic_shift_resources is True

    stack = cdk.Stack(cdk.App(), "PyKeep")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    api = ApiService(stack, "Api", cluster=cluster, deployment=kept)
    vpc = network.vpc
    lb = elbv2.ApplicationLoadBalancer(stack, "Lb", vpc=vpc, internet_facing=True)
    blue = elbv2.ApplicationTargetGroup(stack, "Blue", vpc=vpc, port=80, protocol=elbv2.ApplicationProtocol.HTTP, target_type=elbv2.TargetType.IP)
    green = elbv2.ApplicationTargetGroup(stack, "Green", vpc=vpc, port=80, protocol=elbv2.ApplicationProtocol.HTTP, target_type=elbv2.TargetType.IP)
    listener = lb.add_listener("Http", port=80, open=False, default_action=elbv2.ListenerAction.forward([blue]))
    rule = elbv2.ApplicationListenerRule(stack, "Rule", listener=listener, priority=1,
                                         conditions=[elbv2.ListenerCondition.path_patterns(["/*"])],
                                         action=elbv2.ListenerAction.weighted_forward([
                                             elbv2.WeightedTargetGroup(target_group=blue, weight=100),
                                             elbv2.WeightedTargetGroup(target_group=green, weight=0)]))
    api.attach_to_target_group(blue, rule, ecs.AlternateTarget("Alt", alternate_target_group=green,
                                                               production_listener=ecs.ListenerRuleConfiguration.application_listener_rule(rule)))
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ECS::Service", {
        "DeploymentConfiguration": assertions.Match.object_like({"Strategy": "ROLLING"}),
        "LoadBalancers": [assertions.Match.object_like({"AdvancedConfiguration": assertions.Match.object_like({"ProductionListenerRule": assertions.Match.any_value()})})],
    })


def test_on_demand_is_a_capacity_provider_strategy_and_the_launch_type_can_be_kept():
    def service(capacity):
        stack = cdk.Stack(cdk.App(), "PyCapacity")
        ApiService(stack, "Api", cluster=FargateCluster(stack, "Cluster", network=Network(stack, "Network")), capacity=capacity)
        return list(assertions.Template.from_stack(stack).find_resources("AWS::ECS::Service").values())[0]["Properties"]

    default = service(None)
    assert "LaunchType" not in default
    assert default["CapacityProviderStrategy"] == [{"CapacityProvider": "FARGATE", "Base": 0, "Weight": 1}]
    legacy = service(Capacity.on_demand_launch_type())
    assert legacy["LaunchType"] == "FARGATE"
    assert "CapacityProviderStrategy" not in legacy
    assert Capacity.on_demand_launch_type().uses_launch_type is True


def test_min_healthy_percent_at_max_is_refused_naming_both_from_python():
    stack = cdk.Stack(cdk.App(), "PyPercent")
    cluster = Ec2Cluster(stack, "Cluster", network=Network(stack, "Network"))
    with pytest.raises(Exception, match="`minHealthyPercent` \\(100\\) must be less than `maxHealthyPercent` \\(100\\)"):
        ApiService(stack, "Api", cluster=cluster, min_healthy_percent=100, max_healthy_percent=100)
