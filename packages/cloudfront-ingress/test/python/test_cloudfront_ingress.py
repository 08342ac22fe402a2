"""The cloudfront-ingress package from Python: Network + FargateCluster + ApiService + CloudFrontIngress."""
import aws_cdk as cdk
import pytest
from aws_cdk import assertions, aws_certificatemanager as acm, aws_cloudfront as cloudfront

from portcullis.cloudfront_ingress import CloudFrontIngress
from portcullis.cluster import ApiService, FargateCluster
from portcullis.network import Egress, Network


def _chain(name, **network_props):
    stack = cdk.Stack(cdk.App(), name)
    network = Network(stack, "Network", **network_props)
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, container_port=8080)
    return stack, network, cluster, service


def test_full_chain_from_python():
    stack, network, cluster, service = _chain("Py", egress=Egress.single_nat_gateway())
    ingress = CloudFrontIngress(stack, "Ingress", network=network, service=service)
    orders = ApiService(stack, "Orders", cluster=cluster)
    ingress.alb.add_service(orders, priority=10, path_patterns=["/orders/*"])
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::LoadBalancer", {"Scheme": "internal"})
    template.resource_count_is("AWS::CloudFront::VpcOrigin", 1)
    config = list(template.find_resources("AWS::CloudFront::Distribution").values())[0]["Properties"]["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    assert config["PriceClass"] == "PriceClass_100"
    assert config["HttpVersion"] == "http2and3"
    groups = template.find_resources("AWS::EC2::SecurityGroup")
    cidr_rules = [r for g in groups.values() for r in g["Properties"].get("SecurityGroupIngress", []) if "CidrIp" in r or "CidrIpv6" in r]
    assert cidr_rules == []
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::ListenerRule", {"Priority": 10})
    url = stack.resolve(ingress.url)["Fn::Join"]
    assert url[1][0] == "https://"
    assert ingress.vpc_origin is not None
    assert ingress.distribution is not None


def test_custom_domain_and_options_from_python():
    stack, network, cluster, service = _chain("PyDomain")
    certificate = acm.Certificate.from_certificate_arn(
        stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555")
    ingress = CloudFrontIngress(
        stack, "Ingress", network=network, service=service,
        domain_name="api.example.com", certificate=certificate,
        price_class=cloudfront.PriceClass.PRICE_CLASS_ALL,
        origin_read_timeout=cdk.Duration.seconds(45),
        geo_restriction=cloudfront.GeoRestriction.allowlist("US", "CA"),
    )
    assert ingress.url == "https://api.example.com"
    config = list(assertions.Template.from_stack(stack).find_resources("AWS::CloudFront::Distribution").values())[0]["Properties"]["DistributionConfig"]
    assert config["Aliases"] == ["api.example.com"]
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert config["Origins"][0]["VpcOriginConfig"]["OriginReadTimeout"] == 45


def test_bad_input_is_rejected_naming_the_prop_and_the_fix():
    stack, network, cluster, service = _chain("PyBad")
    with pytest.raises(Exception, match=r"`domainName` 'api.example.com' needs `certificate`"):
        CloudFrontIngress(stack, "NoCert", network=network, service=service, domain_name="api.example.com")
    certificate = acm.Certificate.from_certificate_arn(
        stack, "EuCert", "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555")
    with pytest.raises(Exception, match=r"`certificate` must be an ACM certificate in us-east-1, got one in eu-west-1"):
        CloudFrontIngress(stack, "EuCert2", network=network, service=service, domain_name="api.example.com", certificate=certificate)
    with pytest.raises(Exception, match=r"`originReadTimeout` must be a whole number of seconds from 1 to 180"):
        CloudFrontIngress(stack, "Slow", network=network, service=service, origin_read_timeout=cdk.Duration.seconds(181))


def test_network_without_private_subnets_is_rejected():
    stack = cdk.Stack(cdk.App(), "PyPublic")
    network = Network(stack, "Network", egress=Egress.public_subnets_only())
    cluster = FargateCluster(stack, "Cluster", network=network)
    service = ApiService(stack, "Api", cluster=cluster, assign_public_ip=True)
    with pytest.raises(Exception, match=r"`network` has no private subnets"):
        CloudFrontIngress(stack, "Ingress", network=network, service=service)
