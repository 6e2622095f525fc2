"""What compile_dfa refuses, and how: non-star-free languages with a witness, bad requests."""

from __future__ import annotations

import pytest

from ssmproof.algebra.examples import contains_aa, parity
from ssmproof.compiler.starfree import compile_dfa
from ssmproof.errors import CompileError, NotStarFreeError
from ssmproof.lang import counters, spec
from ssmproof.lang.automaton import DFA
from tests.cases import NOT_STAR_FREE, Case, case_id


@pytest.mark.parametrize("mode", ["recognize", "predict"])
@pytest.mark.parametrize("case", NOT_STAR_FREE, ids=case_id)
def test_non_star_free_specs_are_refused_with_a_replayable_witness(case: Case, mode: str) -> None:
    lang = spec.to_language(spec.resolve(case.address))
    with pytest.raises(NotStarFreeError, match="not star-free") as info:
        compile_dfa(lang, mode=mode)
    w = info.value.witness
    assert w.period >= 2
    assert f"period {w.period}" in str(info.value)
    # Membership of u·wⁿ·v, judged by the definition, repeats with the witness's least period.
    pattern = [case.member(w.u + w.w * n + w.v) for n in range(4 * w.period)]
    assert pattern == pattern[: w.period] * 4
    assert len(set(pattern[: w.period])) == 2
    if case.witness is not None:
        assert w.period == case.witness[3]


def test_no_lag_does_not_change_the_refusal() -> None:
    with pytest.raises(NotStarFreeError):
        compile_dfa(parity(), lag=False, fmt="bfloat16")


def test_a_counter_language_is_not_a_dfa() -> None:
    with pytest.raises(CompileError, match="not a regular language"):
        compile_dfa(counters.dyck1())


def test_no_lag_under_wrapping_integers_is_refused() -> None:
    with pytest.raises(CompileError, match="int:8.*integer weights"):
        compile_dfa(contains_aa(), lag=False, fmt="int:8")


def test_no_lag_in_a_format_too_small_for_any_decay_is_refused() -> None:
    # fixed:4.2: λ ≥ 1/4 is the least positive value, and λ² would not round away.
    with pytest.raises(CompileError, match="no decay"):
        compile_dfa(contains_aa(), lag=False, fmt="fixed:4.2")


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(CompileError, match="encoding 'gray': choose one of"):
        compile_dfa(contains_aa(), encoding="gray")


def test_group_on_equivalent_states_is_found_after_minimising() -> None:
    # "contains aa" with b swapping two equivalent copies of q0: not aperiodic as given, but its
    # language is star-free, so compile_dfa minimises first and succeeds.
    dfa = DFA(("a", "b"), ("q0", "q0'", "q1", "q2"), 0, frozenset({3}),
              ((2, 1), (2, 0), (3, 1), (3, 3)))
    ssm = compile_dfa(dfa)
    assert ssm.metadata["starfree"]["dfa_states"] == 3


def test_a_cascade_that_does_not_cover_the_dfa_is_caught_before_any_ssm(monkeypatch) -> None:
    import dataclasses

    from ssmproof.algebra import holonomy

    real = holonomy.decompose

    def broken(dfa, **kwargs):
        cascade = real(dfa, **kwargs)
        return dataclasses.replace(cascade, rules=cascade.rules[1:])  # drop one reset

    monkeypatch.setattr(holonomy, "decompose", broken)
    with pytest.raises(CompileError, match="does not cover the DFA: cover fails after"):
        compile_dfa(contains_aa())
