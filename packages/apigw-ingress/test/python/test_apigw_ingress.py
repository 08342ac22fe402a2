"""The apigw-ingress package from Python: an HTTP API stage with the Portcullis access log."""
import json

import pytest

import aws_cdk as cdk
from aws_cdk import assertions, aws_apigatewayv2 as apigwv2

from portcullis.apigw_ingress import HttpApiAccessLog


def test_access_log_from_python():
    stack = cdk.Stack(cdk.App(), "Py")
    api = apigwv2.HttpApi(stack, "Api", create_default_stage=False)
    log = HttpApiAccessLog(stack, "AccessLog")
    apigwv2.HttpStage(stack, "Stage", http_api=api, auto_deploy=True, access_log_settings=log.access_log_settings)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})
    stage = next(iter(template.find_resources("AWS::ApiGatewayV2::Stage").values()))
    fields = json.loads(stage["Properties"]["AccessLogSettings"]["Format"])
    assert fields["status"] == "$context.status"
    assert fields["integrationError"] == "$context.integrationErrorMessage"


def test_full_chain_from_python():
    from portcullis.apigw_ingress import ApiGatewayIngress
    from portcullis.cluster import ApiService, FargateCluster
    from portcullis.network import Network

    stack = cdk.Stack(cdk.App(), "PyChain")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, container_port=8080)
    ingress = ApiGatewayIngress(stack, "Ingress", network=network, service=service)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ServiceDiscovery::Service", {
        "DnsConfig": assertions.Match.object_like({"DnsRecords": [{"Type": "SRV", "TTL": 0}]}),
    })
    template.has_resource_properties("AWS::ApiGatewayV2::Integration", {
        "IntegrationType": "HTTP_PROXY", "ConnectionType": "VPC_LINK", "PayloadFormatVersion": "1.0",
    })
    template.has_resource_properties("AWS::ECS::Service", {
        "ServiceRegistries": [assertions.Match.object_like({"ContainerPort": 8080})],
    })
    # the execute-api endpoint of this API (https://<api id>.execute-api.<region>.<suffix>) plus '/'
    api_id = stack.get_logical_id(ingress.api.node.default_child)
    assert stack.resolve(ingress.url) == {"Fn::Join": ["", [{"Fn::GetAtt": [api_id, "ApiEndpoint"]}, "/"]]}


def test_bad_input_burst_beyond_32_bits_is_rejected_and_the_largest_burst_accepted():
    from portcullis.apigw_ingress import ApiGatewayIngress
    from portcullis.cluster import ApiService, FargateCluster
    from portcullis.network import Network

    stack = cdk.Stack(cdk.App(), "PyBadInput")
    network = Network(stack, "Network")
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster)
    # (a float nan or inf cannot be sent at all: the jsii kernel process dies; see the README)
    with pytest.raises(Exception, match="`throttlingBurstLimit` must be a whole number from 0 to 2147483647, got 2147483648"):
        ApiGatewayIngress(stack, "Bad", network=network, service=service, throttling_burst_limit=2**31)
    ApiGatewayIngress(stack, "Ingress", network=network, service=service,
                      throttling_rate_limit=0.5, throttling_burst_limit=2**31 - 1)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ApiGatewayV2::Stage", {
        "DefaultRouteSettings": assertions.Match.object_like({"ThrottlingRateLimit": 0.5, "ThrottlingBurstLimit": 2147483647}),
    })
