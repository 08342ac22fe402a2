"""The audit package from Python: the exposure checks judge a synthesized stack."""
import aws_cdk as cdk
from aws_cdk import aws_logs as logs
import pytest

from portcullis.audit import ExposureChecks


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
