"""The audit package from Python: exposure checks and the cost estimate on synthesized stacks."""
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2, aws_logs as logs
import pytest

from portcullis.audit import CostEstimator, ExposureChecks, PriceTable, UpdateChange, UpdateSafety


def app_with(retention):
    app = cdk.App()
    stack = cdk.Stack(app, "Audited")
    logs.LogGroup(stack, "Logs", retention=retention)
    cdk.Validations.of(app).add_plugins(ExposureChecks())
    return app, stack


def test_never_expiring_log_group_fails_synth():
    app, _ = app_with(logs.RetentionDays.INFINITE)
    with pytest.raises(Exception, match="Portcullis-LOG1"):
        app.synth()


def test_finite_retention_passes_and_check_template_finds_nothing():
    app, stack = app_with(logs.RetentionDays.ONE_MONTH)
    assembly = app.synth()
    template = assembly.get_stack_by_name(stack.stack_name).template
    assert ExposureChecks().check_template(template) == []


def test_cost_estimate_and_break_even_from_python():
    stack = cdk.Stack(cdk.App(), "Cost")
    ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    template = cdk.assertions.Template.from_stack(stack).to_json()
    estimate = CostEstimator.estimate_template(template, nat_data_gb_per_month=0)
    nat = [line for line in estimate.lines if line.item == "NAT gateway hours"][0]
    assert nat.monthly_usd == pytest.approx(32.85, abs=0.01)
    assert estimate.public_ipv4_count == 1
    assert abs(CostEstimator.break_even() - 29.6e6) / 29.6e6 < 0.05
    assert PriceTable.us_east1().prices.region == "us-east-1"
    cheaper = CostEstimator(PriceTable.us_east1().with_overrides(nat_gateway_hour=0.03))
    assert cheaper.estimate(template, nat_data_gb_per_month=0).total_monthly_usd < estimate.total_monthly_usd


def alb_template(scheme):
    return {"Resources": {
        "Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "Properties": {"Scheme": scheme, "Type": "application", "Subnets": ["subnet-1", "subnet-2"]}},
        "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener",
                     "Properties": {"LoadBalancerArn": {"Ref": "Alb"}, "Port": 80, "Protocol": "HTTP"}},
    }}


def test_update_safety_compare_from_python():
    report = UpdateSafety.compare(alb_template("internet-facing"), alb_template("internal"))
    assert not report.passed
    [breaking] = report.breaking
    assert breaking.logical_id == "Alb"
    assert breaking.change == UpdateChange.REPLACE
    assert breaking.reasons == ["Scheme"]
    assert breaking.breaks_clients
    listener = [f for f in report.findings if f.logical_id == "Listener"][0]
    assert listener.reasons == ["LoadBalancerArn references Alb, which is replaced"]
    assert not listener.breaks_clients
    allowed = UpdateSafety.compare(alb_template("internet-facing"), alb_template("internal"), allow=["Alb"])
    assert allowed.passed


def test_check_template_with_fn_if_where_a_list_is_expected_fails_closed():
    template = {
        "Conditions": {"Wide": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}},
        "Resources": {
            "Group": {"Type": "AWS::EC2::SecurityGroup",
                      "Properties": {"GroupDescription": "g",
                                     "SecurityGroupIngress": {"Fn::If": ["Wide",
                                                                         [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
                                                                         []]}}},
        },
    }
    findings = ExposureChecks().check_template(template)  # does not raise
    [finding] = [f for f in findings if f.rule_id == "Portcullis-SG1"]
    assert finding.resource_logical_id == "Group"
    assert not finding.acknowledged
    assert finding.cannot_evaluate == "cannot evaluate SecurityGroupIngress of Group: intrinsic Fn::If"
