"""Property: random minimal aperiodic DFAs compile and prove, in both modes, with and without lag.

DFAs come from :func:`ssmproof.algebra.random_aperiodic.random_aperiodic_dfa` (aperiodic by
construction: random reset cascades or nearly ordered automata, minimised), so no rejection from
uniform DFAs is needed.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.compiler.starfree import compile_dfa
from ssmproof.lang.automaton import DFA
from ssmproof.verify.api import verify


def aperiodic(states: tuple[int, int], symbols: tuple[int, int]) -> st.SearchStrategy[DFA]:
    """Sizes drawn uniformly (``sampled_from``; ``integers`` would favour the small end)."""
    lo, hi = states
    return st.builds(random_aperiodic_dfa, st.integers(0, 2**31),
                     st.sampled_from(range(lo, hi + 1)),
                     st.sampled_from(range(symbols[0], symbols[1] + 1)))


def proves(dfa: DFA, *, mode: str, lag: bool, fmt: str) -> None:
    ssm = compile_dfa(dfa, mode=mode, lag=lag)
    cert = verify(ssm, dfa, fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True, (dfa, cert.summary())
    assert cert.gate_class == "nonnegative"
    report = ssm.metadata["starfree"]
    assert report["dfa_states"] == len(dfa.states)
    assert report["layers"] == report["level_layers"] + report["echo_layers"]
    assert report["layers_saved_by_merging"] == report["levels"] - report["level_layers"]


@settings(max_examples=25)
@example(random_aperiodic_dfa(7, 12, 4), "recognize")
@example(random_aperiodic_dfa(7, 12, 4), "predict")
@given(aperiodic((3, 12), (2, 4)), st.sampled_from(["recognize", "predict"]))
def test_random_aperiodic_dfas_compile_and_prove_with_the_lag_view(dfa: DFA, mode: str) -> None:
    proves(dfa, mode=mode, lag=True, fmt="exact")


@settings(max_examples=10)
@given(aperiodic((3, 9), (2, 3)), st.sampled_from(["recognize", "predict"]),
       st.sampled_from(["bfloat16", "float32"]))
def test_random_aperiodic_dfas_without_lag_prove_under_finite_formats(dfa: DFA, mode: str,
                                                                       fmt: str) -> None:
    proves(dfa, mode=mode, lag=False, fmt=fmt)


@pytest.mark.slow
@settings(max_examples=150)
@given(aperiodic((3, 12), (2, 4)), st.sampled_from(["recognize", "predict"]),
       st.booleans(), st.sampled_from(["bfloat16", "float32"]))
def test_many_random_aperiodic_dfas_prove(dfa: DFA, mode: str, lag: bool, fmt: str) -> None:
    proves(dfa, mode=mode, lag=lag, fmt="exact" if lag else fmt)
