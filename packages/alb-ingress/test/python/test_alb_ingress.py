"""The alb-ingress package from Python: Network + FargateCluster + ApiService + AlbIngress."""
import aws_cdk as cdk
from aws_cdk import assertions, aws_ec2 as ec2

from portcullis.alb_ingress import AlbIngress, LoadBalancerSecurityGroup
from portcullis.cluster import ApiService, FargateCluster
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
    assert ingress.url is not None


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
