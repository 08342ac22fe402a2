"""The same stack as consumer.js, from Python, with the wheels installed from the artifacts."""
import os

import aws_cdk as cdk

from portcullis.alb_ingress import AlbIngress
from portcullis.apigw_ingress import ApiGatewayIngress
from portcullis.audit import CostEstimator, ExposureChecks
from portcullis.cluster import ApiService, FargateCluster
from portcullis.network import Egress, Network

os.environ["CDK_VALIDATION"] = "false"
app = cdk.App()
stack = cdk.Stack(app, "Consumer")
network = Network(stack, "Network", egress=Egress.single_nat_gateway())
cluster = FargateCluster(stack, "Cluster", network=network)
service = ApiService(stack, "Api", cluster=cluster)
AlbIngress(stack, "Alb", network=network, service=service)
ApiGatewayIngress(stack, "HttpApi", network=network, service=service)
template = app.synth().get_stack_by_name("Consumer").template
types = [r["Type"] for r in template["Resources"].values()]
assert types.count("AWS::EC2::NatGateway") == 1
assert types.count("AWS::ElasticLoadBalancingV2::LoadBalancer") == 1
assert types.count("AWS::ApiGatewayV2::VpcLink") == 1
assert ExposureChecks().check_template(template) == []
cost = CostEstimator.estimate_template(template)
print(f"python consumer: synthesized {len(types)} resources, 0 exposure findings, idle ${cost.total_monthly_usd:.2f}/month")
