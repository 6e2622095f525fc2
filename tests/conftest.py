"""Hypothesis profiles: `ci` (derandomised; the default) and `dev` (random, fewer examples).

Pick one with SSMPROOF_HYPOTHESIS_PROFILE=dev.
"""

import os

import pytest

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("SSMPROOF_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def small_gate_budget():
    """Saving a random rational SSM explores up to 2,000 configurations in exact arithmetic to
    compute ``metadata.gate_class`` (13 s for a 3×3 lag SSM: denominators grow with depth). Tests
    about *files* (schema, round trip, sizes) need the computation to run, not to run deep: 100
    configurations, and the content-hash cache is emptied before and after so that no other test
    reads metadata computed under this budget."""
    from ssmproof.ssm import jsonio

    with pytest.MonkeyPatch.context() as mp:
        jsonio._GATE_META.clear()
        mp.setattr(jsonio, "_GATE_BUDGET", 100)
        yield
        jsonio._GATE_META.clear()
