"""The alb-ingress package from Python: Network + FargateCluster + ApiService + AlbIngress."""
import aws_cdk as cdk
import pytest
from aws_cdk import assertions, aws_ec2 as ec2

from portcullis.alb_ingress import AlbIngress, LoadBalancerSecurityGroup
from portcullis.cluster import ApiService, Deployment, FargateCluster
from portcullis.network import Network


def test_full_chain_from_python():
    stack = cdk.Stack(cdk.App(), "Py")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, container_port=8080)
    ingress = AlbIngress(stack, "Ingress", network=network, service=service)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::LoadBalancer", {"Scheme": "internet-facing"})
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::TargetGroup", {
        "TargetType": "ip", "Port": 8080, "HealthCheckIntervalSeconds": 6,
    })
    template.has_resource_properties("AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080})
    url = stack.resolve(ingress.url)["Fn::Join"]
    assert url[1][0] == "http://"
    assert url[1][1]["Fn::GetAtt"][1] == "DNSName"


def test_load_balancer_group_from_python():
    stack = cdk.Stack(cdk.App(), "PyGroup")
    network = Network(stack, "Network")
    lb = LoadBalancerSecurityGroup(stack, "Lb", vpc=network.vpc, listener_ports=[80, 443])
    target = ec2.SecurityGroup(stack, "Target", vpc=network.vpc)
    lb.allow_to_target(target, 8080)
    groups = assertions.Template.from_stack(stack).find_resources("AWS::EC2::SecurityGroup")
    ingress = [r for g in groups.values() for r in g["Properties"].get("SecurityGroupIngress", [])]
    assert {(r["FromPort"], r.get("CidrIp", r.get("CidrIpv6"))) for r in ingress} == {
        (80, "0.0.0.0/0"), (80, "::/0"), (443, "0.0.0.0/0"), (443, "::/0"),
    }


def _chain(name):
    stack = cdk.Stack(cdk.App(), name)
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster)
    return stack, network, cluster, service


def test_bad_input_is_rejected_naming_the_prop_and_the_fix():
    stack, network, cluster, service = _chain("PyBad")
    with pytest.raises(Exception, match=r"`allowedCidrs\[0\]` must be an IPv4 CIDR block like '10.0.0.0/16', got '10.0.0.0/33'"):
        AlbIngress(stack, "Bad", network=network, service=service, allowed_cidrs=["10.0.0.0/33"])
    ingress = AlbIngress(stack, "Ingress", network=network, service=service)
    orders = ApiService(stack, "Orders", cluster=cluster)
    with pytest.raises(Exception, match=r"`pathPatterns\[0\]` must be an ALB path pattern .*got '/orders/\{id\}'.*use '/orders/\*'"):
        ingress.add_service(orders, priority=10, path_patterns=["/orders/{id}"])


def test_internal_alb_with_ipv6_ranges_and_wildcard_patterns_synthesizes():
    stack, network, cluster, service = _chain("PyNeighbour")
    ingress = AlbIngress(stack, "Ingress", network=network, service=service,
                         internet_facing=False, allowed_cidrs=["10.0.0.0/8", "2001:db8::/32"])
    ingress.add_service(ApiService(stack, "Orders", cluster=cluster), priority=10, path_patterns=["/orders", "/orders/*"])
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::LoadBalancer", {"Scheme": "internal"})
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::ListenerRule", {
        "Priority": 10,
        "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/orders", "/orders/*"]}}],
    })
    groups = template.find_resources("AWS::EC2::SecurityGroup")
    ranges = {r.get("CidrIp", r.get("CidrIpv6")) for g in groups.values() for r in g["Properties"].get("SecurityGroupIngress", [])}
    assert {"10.0.0.0/8", "2001:db8::/32"} <= ranges


def test_canary_service_behind_an_alb_from_python():
    """A canary deployment: the README's Python example, checked."""
    stack = cdk.Stack(cdk.App(), "PyCanary")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster,
                         deployment=Deployment.canary(percent=5, step_bake_time=cdk.Duration.minutes(3), bake_time=cdk.Duration.minutes(3)))
    assert service.deployment.needs_traffic_shift
    assert service.deployment.percent == 5
    ingress = AlbIngress(stack, "Ingress", network=network, service=service,
                         test_listener_port=8080, test_listener_cidrs=["203.0.113.0/24"])
    production = ingress.target_group_for(service)
    alternate = ingress.alternate_target_group_for(service)
    assert alternate is not None
    assert len(ingress.rollback_alarms_for(service)) == 2
    template = assertions.Template.from_stack(stack)
    services = list(template.find_resources("AWS::ECS::Service").values())
    assert len(services) == 1
    props = services[0]["Properties"]
    config = props["DeploymentConfiguration"]
    assert config["Strategy"] == "CANARY"
    assert config["CanaryConfiguration"] == {"CanaryPercent": 5, "CanaryBakeTimeInMinutes": 3}
    assert config["BakeTimeInMinutes"] == 3
    assert config["Alarms"]["Enable"] is True and config["Alarms"]["Rollback"] is True
    alarms = template.find_resources("AWS::CloudWatch::Alarm")
    assert sorted(n["Ref"] for n in config["Alarms"]["AlarmNames"]) == sorted(alarms.keys())
    assert props["DeploymentController"] == {"Type": "ECS"}
    advanced = props["LoadBalancers"][0]["AdvancedConfiguration"]
    assert advanced["AlternateTargetGroupArn"] == stack.resolve(alternate.target_group_arn)
    assert props["LoadBalancers"][0]["TargetGroupArn"] == stack.resolve(production.target_group_arn)
    assert set(advanced) == {"AlternateTargetGroupArn", "ProductionListenerRule", "TestListenerRule", "RoleArn"}


def test_deployment_bad_input_from_python():
    with pytest.raises(Exception, match=r"`deployment`: Deployment.canary\(\{ percent \}\) must be a multiple of 0.1 from 0.1 to 100"):
        Deployment.canary(percent=150)
    stack, network, cluster, service = _chain("PyBadTest")
    with pytest.raises(Exception, match=r"`testListenerPort` 80 is the port of a production listener"):
        AlbIngress(stack, "Bad", network=network, service=service, test_listener_port=80)


def test_day_two_from_python():
    """The production rule is a custom resource; rolling can keep it; targetGroupPort keeps the groups."""
    stack = cdk.Stack(cdk.App(), "PyDayTwo")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, container_port=8080,
                         deployment=Deployment.rolling(keep_traffic_shift_resources=True))
    assert service.deployment.uses_traffic_shift_resources and not service.deployment.needs_traffic_shift
    ingress = AlbIngress(stack, "Ingress", network=network, service=service, target_group_port=80)
    assert ingress.alternate_target_group_for(service) is not None
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::ElasticLoadBalancingV2::ListenerRule", 0)
    rules = list(template.find_resources("Custom::PortcullisProductionListenerRule").values())
    assert len(rules) == 1 and rules[0]["Properties"]["Priority"] == 50000
    props = list(template.find_resources("AWS::ECS::Service").values())[0]["Properties"]
    assert props["DeploymentConfiguration"]["Strategy"] == "ROLLING"
    assert "AdvancedConfiguration" in props["LoadBalancers"][0]
    assert props["LoadBalancers"][0]["ContainerPort"] == 8080
    ports = {g["Properties"]["Port"] for g in template.find_resources("AWS::ElasticLoadBalancingV2::TargetGroup").values()}
    assert ports == {80}
    with pytest.raises(Exception, match=r"`targetGroupPort` must be a whole number from 1 to 65535, got 0"):
        AlbIngress(stack, "Bad", network=network, service=service, target_group_port=0)
