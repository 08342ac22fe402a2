"""The same stack as consumer.js, from Python, with the wheels installed from the artifacts."""
import os

import aws_cdk as cdk

from portcullis.alb_ingress import AlbIngress
from portcullis.apigw_ingress import ApiGatewayIngress
from portcullis.audit import CostEstimator, ExposureChecks
from portcullis.cloudfront_ingress import CloudFrontIngress
from portcullis.cluster import ApiService, FargateCluster
from portcullis.monitoring import ApiMonitoring
from portcullis.network import Egress, Network

os.environ["CDK_VALIDATION"] = "false"
app = cdk.App()
stack = cdk.Stack(app, "Consumer")
network = Network(stack, "Network", egress=Egress.single_nat_gateway())
cluster = FargateCluster(stack, "Cluster", network=network)
service = ApiService(stack, "Api", cluster=cluster)
alb = AlbIngress(stack, "Alb", network=network, service=service)
http_api = ApiGatewayIngress(stack, "HttpApi", network=network, service=service)
# the wheel's requirement cdk-monitoring-constructs draws the dashboards
alb_monitoring = ApiMonitoring(stack, "AlbMonitoring", service=service, ingress=alb)
http_api_monitoring = ApiMonitoring(stack, "HttpApiMonitoring", service=service, ingress=http_api)
# a second service behind CloudFront: its own internal ALB, reached through a VPC origin
CloudFrontIngress(stack, "Edge", network=network, service=ApiService(stack, "EdgeApi", cluster=cluster))
template = app.synth().get_stack_by_name("Consumer").template
types = [r["Type"] for r in template["Resources"].values()]
assert types.count("AWS::EC2::NatGateway") == 1
assert types.count("AWS::ElasticLoadBalancingV2::LoadBalancer") == 2  # the public ALB and CloudFront's internal one
assert types.count("AWS::CloudFront::VpcOrigin") == 1
assert [r["Properties"]["Scheme"] for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"].count("internal") == 1
assert types.count("AWS::ApiGatewayV2::VpcLink") == 1
assert types.count("AWS::CloudWatch::Dashboard") == 2
assert len(alb_monitoring.alarms) == 8 and len(http_api_monitoring.alarms) == 7
assert types.count("AWS::CloudWatch::Alarm") == 15
assert ExposureChecks().check_template(template) == []
cost = CostEstimator.estimate_template(template)
print(f"python consumer: synthesized {len(types)} resources, 0 exposure findings, idle ${cost.total_monthly_usd:.2f}/month")
