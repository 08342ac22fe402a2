"""The alb-ingress package from Python: the least-privilege load balancer security group."""
import aws_cdk as cdk
from aws_cdk import assertions, aws_ec2 as ec2

from portcullis.alb_ingress import LoadBalancerSecurityGroup
from portcullis.network import Network


def test_load_balancer_group_from_python():
    stack = cdk.Stack(cdk.App(), "Py")
    network = Network(stack, "Network")
    lb = LoadBalancerSecurityGroup(stack, "Lb", vpc=network.vpc, listener_ports=[80, 443])
    target = ec2.SecurityGroup(stack, "Target", vpc=network.vpc)
    lb.allow_to_target(target, 8080)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080},
    )
    groups = template.find_resources("AWS::EC2::SecurityGroup")
    ingress = [r for g in groups.values() for r in g["Properties"].get("SecurityGroupIngress", [])]
    assert {(r["FromPort"], r.get("CidrIp", r.get("CidrIpv6"))) for r in ingress} == {
        (80, "0.0.0.0/0"), (80, "::/0"), (443, "0.0.0.0/0"), (443, "::/0"),
    }
