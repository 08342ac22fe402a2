"""The monitoring package from Python: a canary service behind an ALB (and a rolling one behind an HTTP API) with ApiMonitoring,
and an ingress of one's own written in Python (the IApiIngress contract of portcullis.cluster)."""
import json

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import assertions, aws_cloudwatch as cloudwatch, aws_kms as kms, aws_sns as sns
from constructs import Construct

from portcullis.alb_ingress import AlbIngress
from portcullis.apigw_ingress import ApiGatewayIngress
from portcullis.cluster import ApiService, Deployment, FargateCluster, IApiIngress, IngressAlarm, IngressMonitoring
from portcullis.monitoring import ApiMonitoring
from portcullis.network import Egress, Network


def _chain(name, egress=None, deployment=None):
    stack = cdk.Stack(cdk.App(), name)
    network = Network(stack, "Network", egress=egress or Egress.single_nat_gateway(),
                      availability_zones=["us-east-1a", "us-east-1b"])
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, deployment=deployment)
    return stack, network, service


def _alarm_ids(template):
    return sorted(
        logical_id[len("Monitoring"):-8]
        for logical_id in template.find_resources("AWS::CloudWatch::Alarm")
        if logical_id.startswith("Monitoring")  # the ingresses add rollback alarms of their own
    )


def test_canary_service_behind_an_alb_with_a_topic():
    stack, network, service = _chain("PyAlb", deployment=Deployment.canary(percent=10))
    ingress = AlbIngress(stack, "Ingress", network=network, service=service)
    topic = sns.Topic(stack, "Alarms", master_key=kms.Key(stack, "Key", enable_key_rotation=True), enforce_ssl=True)
    monitoring = ApiMonitoring(stack, "Monitoring", service=service, ingress=ingress, alarm_topic=topic,
                               target5xx_rate_percent=1, p99_response_time=cdk.Duration.millis(500))
    template = assertions.Template.from_stack(stack)
    assert _alarm_ids(template) == [
        "CpuUtilization", "LoadBalancer5xxRate", "MemoryUtilization", "Nat1ErrorPortAllocation", "Nat1PacketsDropRate",
        "NoHealthyTargets", "RunningTasks", "Target5xxRate", "TargetResponseTimeP99", "UnhealthyTargets",
    ]
    assert len(monitoring.alarms) == 10
    # the load balancer's own 5xx (an empty target group answers 503 and counts no request) and
    # no healthy target across both groups (missing data breaching: an empty group reports nothing)
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Threshold": 5, "Metrics": assertions.Match.array_with([
            assertions.Match.object_like({"Expression": "100 * FILL(elb5xx, 0) / (FILL(requests, 0) + FILL(elb5xx, 0))"}),
        ]),
    })
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Threshold": 1, "ComparisonOperator": "LessThanThreshold", "TreatMissingData": "breaching",
        "Metrics": assertions.Match.array_with([
            assertions.Match.object_like({"Expression": "FILL(healthy0, 0) + FILL(healthy1, 0)"}),
        ]),
    })
    # the slower of the two target groups' p99 (canary: ECS moves traffic between them)
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Threshold": 0.5, "EvaluationPeriods": 5, "DatapointsToAlarm": 3, "TreatMissingData": "notBreaching",
        "Metrics": assertions.Match.array_with([
            assertions.Match.object_like({"Expression": "MAX([p990, p991])"}),
            assertions.Match.object_like({"Id": "p990", "MetricStat": assertions.Match.object_like({
                "Stat": "p99", "Metric": assertions.Match.object_like({"MetricName": "TargetResponseTime"}),
            })}),
        ]),
    })
    # canary: ECS shifts production traffic between two target groups; the alarm sums both
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Threshold": 1, "Metrics": assertions.Match.array_with([
            assertions.Match.object_like({"Expression": "100 * (FILL(errors0, 0) + FILL(errors1, 0)) / (FILL(requests0, 0) + FILL(requests1, 0))"}),
        ]),
    })
    template.has_resource_properties("AWS::ECS::Service", {
        "DeploymentConfiguration": assertions.Match.object_like({
            "Strategy": "CANARY",
            "Alarms": assertions.Match.object_like({"Enable": True, "Rollback": True}),
        }),
    })
    assert ingress.alternate_target_group_for(service) is not None
    topic_ref = {"Ref": stack.get_logical_id(topic.node.default_child)}
    for logical_id, alarm in template.find_resources("AWS::CloudWatch::Alarm").items():
        if not logical_id.startswith("Monitoring"):
            continue
        assert alarm["Properties"]["AlarmActions"] == [topic_ref]
        assert alarm["Properties"]["OKActions"] == [topic_ref]
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    assert stack.resolve(monitoring.dashboard.dashboard_name) == {
        "Ref": stack.get_logical_id(monitoring.dashboard.node.default_child)
    }
    body = json.dumps(stack.resolve(template.find_resources("AWS::CloudWatch::Dashboard")))
    for metric in ["CPUUtilization", "RunningTaskCount", "HTTPCode_Target_5XX_Count", "UnHealthyHostCount", "ErrorPortAllocation"]:
        assert metric in body


def test_service_behind_an_http_api_and_two_nat_gateways():
    stack, network, service = _chain("PyHttpApi", Egress.nat_gateway_per_az())
    ingress = ApiGatewayIngress(stack, "Ingress", network=network, service=service)
    ApiMonitoring(stack, "Monitoring", service=service, ingress=ingress, http_api5xx_rate_percent=2)
    template = assertions.Template.from_stack(stack)
    assert _alarm_ids(template) == [
        "CpuUtilization", "HttpApi5xxRate", "IntegrationLatencyP99", "MemoryUtilization",
        "Nat1ErrorPortAllocation", "Nat1PacketsDropRate", "Nat2ErrorPortAllocation", "Nat2PacketsDropRate", "RunningTasks",
    ]
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/ApiGateway", "MetricName": "IntegrationLatency", "Threshold": 2000,
    })


def test_bad_input_is_rejected_naming_the_prop_and_the_fix():
    stack, network, service = _chain("PyBad")
    ingress = AlbIngress(stack, "Ingress", network=network, service=service)
    with pytest.raises(Exception, match=r"`cpuUtilizationPercent` must be a finite number from 1 to 100, got 150"):
        ApiMonitoring(stack, "Cpu", service=service, ingress=ingress, cpu_utilization_percent=150)
    with pytest.raises(Exception, match=r"`httpApi5xxRatePercent` is for an ApiGatewayIngress, got 5 with an AlbIngress"):
        ApiMonitoring(stack, "Wrong", service=service, ingress=ingress, http_api5xx_rate_percent=5)
    with pytest.raises(Exception, match=r"`p99ResponseTime` must be written as Duration.seconds\(...\) when its value is a token"):
        millis = cdk.Duration.millis(cdk.CfnParameter(stack, "P99", type="Number", default=500).value_as_number)
        ApiMonitoring(stack, "Tok", service=service, ingress=ingress, p99_response_time=millis)


def test_no_dashboard_keeps_every_alarm():
    stack, network, service = _chain("PyNoDashboard")
    ingress = ApiGatewayIngress(stack, "Ingress", network=network, service=service)
    monitoring = ApiMonitoring(stack, "Monitoring", service=service, ingress=ingress, create_dashboard=False)
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::CloudWatch::Dashboard", 0)
    assert monitoring.dashboard is None
    assert monitoring.facade is None
    assert _alarm_ids(template) == [
        "CpuUtilization", "HttpApi5xxRate", "IntegrationLatencyP99", "MemoryUtilization",
        "Nat1ErrorPortAllocation", "Nat1PacketsDropRate", "RunningTasks",
    ]
    assert len(monitoring.alarms) == 7


@jsii.implements(IApiIngress)
class StaticIngress(Construct):
    """An ingress of one's own, in Python: one alarm on a metric of its own, for the one service it fronts."""

    def __init__(self, scope, id, service):
        super().__init__(scope, id)
        self._path = service.node.path

    def monitoring_for(self, scope, service):
        if service.node.path != self._path:
            raise ValueError(f"`service` '{service.node.path}' is not behind the StaticIngress '{self.node.path}'")
        metric = cloudwatch.Metric(namespace="Custom", metric_name="Errors", statistic="Sum", period=cdk.Duration.minutes(1))
        return IngressMonitoring(
            name="a StaticIngress",
            title="a static ingress",
            alarms=[IngressAlarm(id="Errors", metric=metric, threshold=10, evaluation_periods=5, datapoints_to_alarm=3,
                                 description="more than {threshold} errors a minute")],
        )


def test_an_ingress_of_your_own_written_in_python():
    stack, network, service = _chain("PyOwn")
    monitoring = ApiMonitoring(stack, "Monitoring", service=service, ingress=StaticIngress(stack, "Ingress", service))
    assert [a.node.id for a in monitoring.alarms][:4] == ["CpuUtilization", "MemoryUtilization", "RunningTasks", "Errors"]
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "Custom", "MetricName": "Errors", "Threshold": 10, "EvaluationPeriods": 5, "DatapointsToAlarm": 3,
        "AlarmDescription": "more than 10 errors a minute",
    })
    assert "behind a static ingress" in json.dumps(stack.resolve(template.find_resources("AWS::CloudWatch::Dashboard")))
    with pytest.raises(Exception, match=r"`target5xxRatePercent` is for an AlbIngress, got 1 with a StaticIngress: remove it"):
        ApiMonitoring(stack, "Refused", service=service, ingress=StaticIngress(stack, "Other", service), target5xx_rate_percent=1)
