"""The verifier on hand-written SSMs and deliberately broken copies (DESIGN §4)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given

from ssmproof import examples
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM
from ssmproof.testing import words
from ssmproof.verify.api import verify
from tests.either_side import either_side
from tests.rounding import readouts_that_round
from tests.verify import dfas

CORRECT = [
    ("last_is_a", examples.last_is_a, dfas.last_is_a, 2),
    ("contains_aa", examples.contains_aa, dfas.contains_aa, 4),
    ("kth_last_5", lambda: examples.kth_last_is_a(5), lambda: dfas.kth_last_is_a(5), 16),
    ("parity_signed", examples.parity_signed, dfas.parity, 2),
    ("dyck1_predictor_3", lambda: examples.dyck1_predictor(3), lambda: dfas.dyck1_depth(3), 4),
]


@pytest.mark.parametrize("fmt", ["exact", "bfloat16", "fixed:8.4", "float32"])
@pytest.mark.parametrize("name,make_ssm,make_dfa,configs", CORRECT, ids=[c[0] for c in CORRECT])
def test_prove_closes_for_every_correct_hand_written_ssm(name, make_ssm, make_dfa, configs, fmt):
    # under a finite format the readouts are r/3 - 1/6, which round there (tests/rounding.py)
    ssm = make_ssm() if fmt == "exact" else readouts_that_round(make_ssm())
    cert = verify(ssm, make_dfa(), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths
    assert cert.configurations == configs  # counted by hand: distinct (states, lag buffers)
    assert cert.counterexample is None and cert.max_length_checked is None


def test_bounded_dyck_recognizer_needs_a_finite_format_to_close():
    ssm, dfa = examples.dyck1_bounded(2), dfas.dyck1_depth(2)
    exact = verify(ssm, dfa, prove=True, max_configurations=200)
    assert exact.holds is None and not exact.all_lengths
    # the counter reaches ±d at depth d: 2 new configurations per level, plus the latch
    assert exact.max_length_checked is not None and exact.max_length_checked >= 90
    closed = verify(ssm, dfa, fmt="bfloat16", prove=True)
    # bfloat16 holds every integer in [-256, 256]; 256 + 1 rounds back to 256
    assert closed.holds is True and closed.all_lengths
    saturating = verify(ssm, dfa, fmt="fixed:6.0", prove=True)
    assert saturating.holds is True and any("saturated" in f for f in saturating.findings)


def _brute_shortest(ssm: SSM, member, alphabet) -> tuple[str, ...] | None:
    """Length-lex first word where the recognizer disagrees with ``member`` (no merging)."""
    m = Machine(ssm)
    for n in range(0, 9):
        for word in itertools.product(alphabet, repeat=n):
            if m.accepts(word) != member(word):
                return word
    return None


def _flip_gate(ssm: SSM) -> SSM:
    layer = ssm.layers[0]
    gate = {s: {d: -w for d, w in row.items()} for s, row in layer.gate.items()}
    return replace(ssm, layers=(replace(layer, gate=gate),) + ssm.layers[1:])


def _drop_lag(ssm: SSM) -> SSM:
    layer = ssm.layers[0]
    pre = tuple(replace(d, weights={o: {k: v for k, v in r.items() if not k.startswith("prev:")}
                                    for o, r in d.weights.items()}) for d in layer.pre_mlp)
    return replace(ssm, layers=(replace(layer, lag=(), pre_mlp=pre),) + ssm.layers[1:])


BROKEN = [
    ("contains_aa_without_lag", lambda: _drop_lag(examples.contains_aa()), dfas.contains_aa,
     lambda w: "aa" in "".join(w), ("a", "b")),
    ("parity_with_flipped_gate", lambda: _flip_gate(examples.parity_signed()), dfas.parity,
     lambda w: w.count("1") % 2 == 0, ("0", "1")),
    ("last_is_a_against_contains_aa", examples.last_is_a, dfas.contains_aa,
     lambda w: "aa" in "".join(w), ("a", "b")),
    ("kth_last_3_against_kth_last_4", lambda: examples.kth_last_is_a(3),
     lambda: dfas.kth_last_is_a(4), lambda w: len(w) >= 4 and w[-4] == "a", ("a", "b")),
]


@pytest.mark.parametrize("name,make_ssm,make_dfa,member,alphabet", BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_a_broken_copy_fails_with_the_shortest_counterexample(name, make_ssm, make_dfa, member,
                                                              alphabet):
    ssm, dfa = make_ssm(), make_dfa()
    expected = _brute_shortest(ssm, member, alphabet)
    assert expected is not None
    proved = verify(ssm, dfa, prove=True)
    assert proved.holds is False and proved.counterexample == expected
    exhaustive = verify(ssm, dfa, exhaustive=len(expected) + 2)
    assert exhaustive.counterexample == expected
    short = verify(ssm, dfa, exhaustive=len(expected) - 1) if expected else None
    if short is not None:
        assert short.holds is True and short.max_length_checked == len(expected) - 1
    rand = verify(ssm, dfa, random=300, max_length=12, seed=3)
    assert rand.holds is False and len(rand.counterexample) >= len(expected)
    assert Machine(ssm).accepts(rand.counterexample) != member(rand.counterexample)


def test_exhaustive_counts_every_string_it_covers():
    cert = verify(examples.kth_last_is_a(4), dfas.kth_last_is_a(4), exhaustive=12)
    assert cert.holds is True and cert.strings_checked == 2**13 - 1
    assert cert.max_length_checked == 12 and not cert.all_lengths


def test_predictive_mode_counts_only_prefixes_of_the_language():
    # prefixes of Dyck-1 depth <= 1 words are (), ()(), ... and their one-open-bracket prefixes:
    # exactly one prefix of each length
    cert = verify(examples.dyck1_predictor(1), dfas.dyck1_depth(1), exhaustive=10)
    assert cert.holds is True and cert.strings_checked == 11


def test_predictive_failure_names_the_wrong_symbol():
    # a predictor for depth <= 2 checked against depth <= 1: after "(" it allows "(" wrongly
    cert = verify(examples.dyck1_predictor(2), dfas.dyck1_depth(1), prove=True)
    assert cert.holds is False
    assert cert.counterexample == ("(",) and cert.wrong_symbol == "("


def test_budget_cut_never_claims_all_lengths():
    cert = verify(examples.dyck1_bounded(3), dfas.dyck1_depth(3), prove=True,
                  max_configurations=50)
    assert cert.holds is None and cert.all_lengths is False
    assert "budget" in " ".join(cert.notes)


def test_a_float_overflow_is_a_finding_not_a_crash():
    # an unread channel adds 40000 per b: float16 (max 65504) overflows on the second b
    ssm = examples.last_is_a()
    layer = ssm.layers[0]
    junk = replace(layer, state=("L1.last_a", "L1.junk"),
                   gate={**layer.gate, "L1.junk": {"one": 1}},
                   input={**layer.input, "L1.junk": {"tok:b": 40000}})
    ssm = replace(ssm, layers=(junk,))
    assert verify(ssm, dfas.last_is_a(), prove=True, max_configurations=100).holds is None
    cert = verify(ssm, dfas.last_is_a(), fmt="float16", prove=True)
    assert cert.holds is False and cert.counterexample == ("b", "b")
    assert any(f.startswith("non_finite: L1.junk") for f in cert.findings)


ROUNDING_MODELS = (examples.contains_aa, lambda: examples.kth_last_is_a(4))


def exact_and_bfloat16_decisions_agree(word) -> None:
    """The models' readouts are r/3 - 1/6: values that round in bfloat16 (171/512, -171/1024),
    negative on rejected words, so a wrong bfloat16 rounding changes decisions."""
    for make in ROUNDING_MODELS:
        ssm = readouts_that_round(make())
        assert Machine(ssm).decisions(word) == Machine(ssm, _fmt("bfloat16")).decisions(word)


@given(words(("a", "b"), max_size=40))
def test_exact_and_bfloat16_agree_on_models_whose_readouts_round(word):
    exact_and_bfloat16_decisions_agree(word)


def _fmt(name: str):
    from ssmproof.numerics.formats import parse

    return parse(name)


@given(either_side(dfas.dyck1_depth(3), 60))
def test_bounded_dyck_agrees_with_a_stack_on_random_words(word):
    depth, ok = 0, True
    for s in word:
        depth += 1 if s == "(" else -1
        ok = ok and 0 <= depth <= 3
    assert Machine(examples.dyck1_bounded(3)).accepts(word) == (ok and depth == 0)


def test_the_alphabet_order_of_the_ssm_and_the_language_may_differ():
    ssm = examples.contains_aa()
    swapped = replace(ssm, alphabet=("b", "a"))
    for s in (ssm, swapped):
        assert verify(s, dfas.contains_aa(), prove=True).holds is True
        assert verify(s, dfas.contains_aa(), random=50, max_length=10).holds is True
        assert verify(s, dfas.contains_aa(), exhaustive=6).holds is True
    wrong = verify(replace(examples.last_is_a(), alphabet=("b", "a")), dfas.contains_aa(),
                   prove=True)
    assert wrong.counterexample == ("a",)
