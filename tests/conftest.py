"""Hypothesis profiles: `ci` (derandomised; the default) and `dev` (random, fewer examples).

Pick one with SSMPROOF_HYPOTHESIS_PROFILE=dev.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("SSMPROOF_HYPOTHESIS_PROFILE", "ci"))
