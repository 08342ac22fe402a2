"""The same stack as consumer.js, from Python, with the wheels installed from the artifacts."""
import os

import aws_cdk as cdk

from portcullis.alb_ingress import AlbIngress
from portcullis.apigw_ingress import ApiGatewayIngress
from portcullis.audit import CostEstimator, ExposureChecks
from portcullis.cloudfront_ingress import CloudFrontIngress
from portcullis.cluster import ApiService, Deployment, FargateCluster
from portcullis.monitoring import ApiMonitoring
from portcullis.network import Egress, Network

os.environ["CDK_VALIDATION"] = "false"
app = cdk.App()
stack = cdk.Stack(app, "Consumer")
network = Network(stack, "Network", egress=Egress.single_nat_gateway())
cluster = FargateCluster(stack, "Cluster", network=network)
# a canary service behind the public ALB (ECS shifts traffic between two target groups, rolled
# back on the ALB's alarms), a rolling one behind the HTTP API (Cloud Map cannot shift traffic)
service = ApiService(stack, "Api", cluster=cluster, deployment=Deployment.canary())
alb = AlbIngress(stack, "Alb", network=network, service=service)
http_api_service = ApiService(stack, "HttpApiService", cluster=cluster)
http_api = ApiGatewayIngress(stack, "HttpApi", network=network, service=http_api_service)
# the wheel's requirement cdk-monitoring-constructs draws the dashboards
alb_monitoring = ApiMonitoring(stack, "AlbMonitoring", service=service, ingress=alb)
http_api_monitoring = ApiMonitoring(stack, "HttpApiMonitoring", service=http_api_service, ingress=http_api)
# a third service behind CloudFront: its own internal ALB, reached through a VPC origin
edge_service = ApiService(stack, "EdgeApi", cluster=cluster)
edge = CloudFrontIngress(stack, "Edge", network=network, service=edge_service)
template = app.synth().get_stack_by_name("Consumer").template
types = [r["Type"] for r in template["Resources"].values()]
assert types.count("AWS::EC2::NatGateway") == 1
assert types.count("AWS::ElasticLoadBalancingV2::LoadBalancer") == 2  # the public ALB and CloudFront's internal one
assert types.count("AWS::CloudFront::VpcOrigin") == 1
assert [r["Properties"]["Scheme"] for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"].count("internal") == 1
assert types.count("AWS::ApiGatewayV2::VpcLink") == 1
assert types.count("AWS::CloudWatch::Dashboard") == 2
# ApiMonitoring's alarms: CPU, memory, running tasks, and per ingress target 5xx rate, unhealthy
# targets, p99, the load balancer's own 5xx rate, no healthy targets (5) or HTTP API 5xx rate,
# p99 latency (2), plus 2 for the one NAT gateway (found through the service's network); and the
# rollback alarms ECS watches: for the canary service one per target group and the load
# balancer's own 5xx rate (a single-service ingress), the stage's for the HTTP API, and for the
# rolling service behind CloudFront's internal ALB its group's and that load balancer's.
rollback = [*alb.rollback_alarms_for(service), http_api.rollback_alarm, *edge.alb.rollback_alarms_for(edge_service)]
assert [len(alb_monitoring.alarms), len(http_api_monitoring.alarms), len(rollback)] == [3 + 5 + 2, 3 + 2 + 2, 3 + 1 + 2]
assert types.count("AWS::CloudWatch::Alarm") == len(alb_monitoring.alarms) + len(http_api_monitoring.alarms) + len(rollback)
canary = template["Resources"][stack.get_logical_id(service.service.node.default_child)]["Properties"]
assert canary["DeploymentConfiguration"]["Strategy"] == "CANARY"
assert canary["DeploymentConfiguration"]["Alarms"] == {
    "AlarmNames": [{"Ref": stack.get_logical_id(a.node.default_child)} for a in alb.rollback_alarms_for(service)],
    "Enable": True,
    "Rollback": True,
}
assert canary["LoadBalancers"][0]["AdvancedConfiguration"]["AlternateTargetGroupArn"]
rolling = template["Resources"][stack.get_logical_id(http_api_service.service.node.default_child)]["Properties"]
assert rolling["DeploymentConfiguration"]["Strategy"] == "ROLLING"  # written, not left to the default
assert rolling["DeploymentConfiguration"]["Alarms"]["AlarmNames"] == [{"Ref": stack.get_logical_id(http_api.rollback_alarm.node.default_child)}]
assert ExposureChecks().check_template(template) == []
cost = CostEstimator.estimate_template(template)
print(f"python consumer: synthesized {len(types)} resources, 0 exposure findings, idle ${cost.total_monthly_usd:.2f}/month")
