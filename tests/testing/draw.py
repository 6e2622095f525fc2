"""Draw many values from a strategy with a fixed seed, for statistics over a distribution."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st


def draw_many(strategy: st.SearchStrategy, n: int = 300, seed: int = 0) -> list:
    out: list = []

    @hypothesis_seed(seed)
    @settings(max_examples=n, database=None, deadline=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: object) -> None:
        out.append(value)

    collect()
    return out
