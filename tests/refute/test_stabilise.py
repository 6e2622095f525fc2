"""``refute``: words found for every non-star-free zoo language, and every way it declines."""

import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof import examples
from ssmproof.errors import SsmproofError
from ssmproof.lang import monoid, zoo
from ssmproof.lang.automaton import DFA
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.refute.report import Status
from ssmproof.refute.stabilise import FINITE_FORMATS, refute
from ssmproof.refute.sweep import non_star_free_zoo
from ssmproof.refute.wraparound import parity_wraparound
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok
from ssmproof.testing import ssms
from ssmproof.testing.random_ssm import random_ssm
from ssmproof.verify.api import verify

from tests.refute.models import counter_copied_above

NON_STAR_FREE = non_star_free_zoo()


def test_the_non_star_free_zoo_languages_are_the_papers():
    # PAPER §5: PARITY, (aa)*, (aaaa)*, (abab)*, Tomita 3, 5, 6 are not star-free
    assert set(NON_STAR_FREE) == {"parity", "aa_star", "aaaa_star", "abab_star",
                                  "tomita:3", "tomita:5", "tomita:6"}


def seen_one() -> SSM:
    """A latch: has a 1 occurred? (gates in {0, 1}, so exact orbits arrive)."""
    latch = Layer("L1", ("L1.seen",), gate={"L1.seen": {ONE: 1, tok("1"): -1}},
                  input={"L1.seen": {tok("1"): 1}}, export=("L1.seen",))
    return SSM("seen_one", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (latch,),
               accept={ONE: 1, "L1.seen": -1})


def last_symbol(alphabet) -> SSM:
    """One-hot of the last symbol (gate 0 everywhere); accept iff it is the first symbol."""
    dims = tuple(f"L1.last_{i}" for i in range(len(alphabet)))
    layer = Layer("L1", dims, gate={d: {} for d in dims},
                  input={d: {tok(s): 1} for d, s in zip(dims, alphabet)}, export=dims)
    return SSM("last_symbol", Mode.RECOGNIZE, alphabet, default_embedding(alphabet), (layer,),
               accept={dims[0]: 1})


def test_a_latch_is_refuted_on_parity_in_exact_arithmetic_at_n_2():
    for scan in (0, 64):  # the stabilisation argument and the direct scan find the same word
        r = refute(seen_one(), "parity", scan=scan)
        assert (r.status, r.n, r.input, r.ssm_accepts, r.in_language) == \
            (Status.FOUND, 2, ("1", "1"), False, True)
        assert r.recheck == "run_word and the DFA agree" and r.exit_code == 0
    assert r.stabilised_at is None and "n = 0…2 directly" in r.notes[0]
    r = refute(seen_one(), "parity", scan=0)
    assert r.stabilised_at == 1 and r.layers[0].stable_from == 1


@pytest.mark.parametrize("name", NON_STAR_FREE)
def test_every_non_star_free_language_refutes_a_reset_ssm_exactly(name):
    lang = zoo.language(name)
    r = refute(last_symbol(lang.alphabet), lang)
    assert r.found and r.recheck.endswith("agree")
    word = r.u + r.w * r.n + r.v
    assert r.input == word and lang.accepts(word) == r.in_language != r.ssm_accepts
    assert Machine(last_symbol(lang.alphabet)).accepts(word) == r.ssm_accepts


@pytest.mark.parametrize("name", NON_STAR_FREE)
@pytest.mark.parametrize("fmt", ["bfloat16", "fixed:8.4"])
def test_every_non_star_free_language_refutes_random_ssms(name, fmt):
    lang = zoo.language(name)
    for seed in range(3):
        ssm = random_ssm(np.random.default_rng([11, seed]), lang.alphabet, layers=(1, 3))
        r = refute(ssm, lang, fmt=fmt, block_budget=20_000)
        assert r.found, r.summary()
        assert r.recheck.endswith("agree")


def test_contains_aa_with_a_lag_view_is_refuted_on_abab_star():
    # the shortest error is ε itself (in (abab)*, and no aa seen); the argument picks n = 2
    r = refute(examples.contains_aa(), "abab_star")
    assert (r.found, r.input, r.n, r.ssm_accepts, r.in_language) == (True, (), 0, False, True)
    r = refute(examples.contains_aa(), "abab_star", scan=0)
    assert (r.found, r.w, r.n, r.ssm_accepts, r.in_language) == (True, ("a", "b"), 2, False, True)


# --- where the argument does not apply --------------------------------------------------------
def test_signed_parity_is_declined_for_its_negative_gate_while_prove_shows_it_correct():
    r = refute(examples.parity_signed(), "parity")
    assert r.status is Status.NOT_APPLICABLE and r.exit_code == 1
    assert r.reason.startswith("gate of L1.odd is -1 < 0")
    cert = verify(examples.parity_signed(), zoo.parity(), prove=True)
    assert cert.holds and cert.all_lengths


def test_wraparound_parity_proves_under_int8_and_refute_declines_it():
    cert = verify(parity_wraparound(8), zoo.parity(), fmt="int:8", prove=True)
    assert cert.holds and cert.all_lengths and cert.configurations == 2
    r = refute(parity_wraparound(8), "parity", fmt="int:8")
    assert r.status is Status.NOT_APPLICABLE
    assert r.reason == "format int:8 wraps around: rounding is not monotone"


def test_wraparound_parity_is_refuted_in_a_monotone_format():
    # bfloat16: h = 128·n is exact up to 2^15, where + 128 ties back to the even 2^15
    r = refute(parity_wraparound(8), "parity", fmt="bfloat16", scan=0, enclose=False)
    assert (r.found, r.stabilised_at, r.n, r.ssm_accepts) == (True, 256, 257, True)
    assert r.layers[0].how == "jumped"


@pytest.mark.parametrize("spec, why", [("tomita:1", "is star-free"), ("flipflop", "is star-free"),
                                       ("dyck1", "is not regular")])
def test_star_free_and_non_regular_specs_are_declined(spec, why):
    lang = zoo.language(spec)
    ssm = last_symbol(lang.alphabet)
    r = refute(ssm, spec)
    assert r.status is Status.NOT_APPLICABLE and why in r.reason


def test_an_exact_counter_is_inconclusive_and_names_finite_formats():
    r = refute(parity_wraparound(8), "parity", scan=0)
    assert r.status is Status.NOT_STABILISED and r.exit_code == 3
    assert "grows by 128 every block" in r.reason
    assert r.suggest_formats == FINITE_FORMATS


def test_an_exact_decay_converges_without_arriving():
    decay = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: Fraction(1, 2)}},
                  input={"L1.h": {tok("1"): 1}}, export=("L1.h",))
    ssm = SSM("decay", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (decay,),
              accept={"L1.h": 1, ONE: -1})
    r = refute(ssm, "parity", scan=0)
    assert r.status is Status.NOT_STABILISED
    assert "converges to 2 without arriving" in r.reason
    assert refute(ssm, "parity", fmt="float16").found


def test_a_budget_stops_the_run_with_the_furthest_block():
    r = refute(counter_copied_above(), "parity", fmt="float32", block_budget=50, scan=0,
               enclose=False)
    assert r.status is Status.NOT_STABILISED and r.blocks_run == 50
    assert [t.stable_from for t in r.layers] == [None, None]
    assert "layer L1 was still moving" in r.reason


def test_a_float64_counter_is_jumped_to_two_to_the_53_and_rechecked_by_an_exact_straight_run():
    # float64, h = 128·n: at 2^60 the spacing is 256 and + 128 ties back to the even 2^60; the
    # word of 2^53 + 1 blocks is re-run by the block replay, which jumps 128·n as a straight
    # line only while every rounding on it is exact (below 2^60) and steps the rest; the DFA's
    # side goes through its own cycle of the block map, not 2^53 steps
    r = refute(parity_wraparound(8), "parity", fmt="float64", scan=0, enclose=False)
    assert (r.found, r.exit_code, r.stabilised_at, r.n) == (True, 0, 2**53, 2**53 + 1)
    assert r.length == 2**53 + 1
    assert r.recheck.startswith("block replay (") and "exact straight run" in r.recheck
    assert r.recheck.endswith("and the DFA agree")


def test_a_long_word_is_rechecked_by_block_replay():
    r = refute(parity_wraparound(8), "parity", fmt="float16", replay_limit=10**6, scan=0)
    assert r.found and r.non_finite and r.n == 512  # 128·512 = 65536 overflows float16
    assert r.ssm_accepts is None and r.recheck == "run_word (overflow reproduced) and the DFA agree"


def test_jumps_agree_with_plain_stepping():
    for seed in range(6):
        lang = zoo.language(NON_STAR_FREE[seed % len(NON_STAR_FREE)])
        ssm = random_ssm(np.random.default_rng([5, seed]), lang.alphabet, layers=(2, 3))
        a = refute(ssm, lang, fmt="bfloat16")
        b = refute(ssm, lang, fmt="bfloat16", jump=False)
        assert (a.n, a.stabilised_at, [t.stable_from for t in a.layers]) == \
            (b.n, b.stabilised_at, [t.stable_from for t in b.layers])


# --- predictive constructions -----------------------------------------------------------------
def aa_star_then_b() -> DFA:
    """(aa)*b: an even number of a's, then one b."""
    return DFA(("a", "b"), ("even", "odd", "done", "sink"), 0, frozenset({2}),
               ((1, 2), (0, 3), (3, 3), (3, 3)), "aa_star_b")


def test_a_predictor_is_judged_on_a_symbol_when_eos_is_never_wrong_on_a_valid_prefix():
    # right after a^n·b for every even n (odd n: a dead prefix, not judged); after a^n it
    # always allows b, which is right only for even n
    emb = default_embedding(("a", "b"))
    last = Layer("L1", ("L1.b",), gate={"L1.b": {}}, input={"L1.b": {tok("b"): 1}},
                 export=("L1.b",))
    ssm = SSM("predict", Mode.PREDICT, ("a", "b"), emb, (last,),
              next={"a": {ONE: 1, "L1.b": -1}, "b": {ONE: 1, "L1.b": -1}, "EOS": {"L1.b": 1}})
    r = refute(ssm, aa_star_then_b())
    assert r.found and r.wrong_symbol == "b" and r.ssm_allows is True
    assert r.v == () and r.n % 2 == 1 and r.recheck.endswith("agree")


def test_a_random_predictor_is_refuted_on_a_valid_prefix():
    dfa = aa_star_then_b()
    for seed in range(4):
        ssm = random_ssm(np.random.default_rng([3, seed]), ("a", "b"), mode="predict")
        r = refute(ssm, dfa, fmt="fixed:8.4")
        assert r.found and r.recheck.endswith("agree")
        assert dfa.run(r.input) in dfa.live


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("witness, message", [
    (((), ("1",), (), 3), "least period 2, not 3"),
    (((), ("0",), (), 2), "least period 1, not 2"),
    (((), (), (), 2), "w is empty"),
    (((), ("x",), (), 2), "symbol 'x' is not in"),
    ("u w v", "is not (u, w, v, period)"),
])
def test_a_bad_witness_is_bad_input(witness, message):
    with pytest.raises(SsmproofError, match=re.escape(message)):
        refute(seen_one(), "parity", witness=witness)


def test_an_alphabet_mismatch_is_bad_input():
    with pytest.raises(SsmproofError, match="alphabet"):
        refute(seen_one(), "aa_star")


def test_predict_mode_on_a_recognizer_is_bad_input():
    with pytest.raises(SsmproofError, match="judge it with mode recognize"):
        refute(seen_one(), "parity", mode="predict")


def test_a_negative_gate_met_before_an_overflow_is_reported_as_not_applicable():
    # BOS sets h = 60000; the first 1 computes −60000 − 10000, which overflows float16 in the
    # recurrence — after its gate −1 was met
    flip = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: 1, tok("1"): -2}},
                 input={"L1.h": {tok("BOS"): 60000, tok("1"): -10000}}, export=("L1.h",))
    ssm = SSM("flip", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (flip,),
              accept={"L1.h": 1})
    m = Machine(ssm, parse("float16"), observe_gates=True)
    with pytest.raises(NonFiniteValue):
        m.step(m.step(m.start(), 0)[0], 2)
    assert -1 in m.gate_values[0]
    r = refute(ssm, "parity", fmt="float16")
    assert r.status is Status.NOT_APPLICABLE and "< 0" in r.reason


# --- the shortest error first -------------------------------------------------------------------
def _judged_wrong(m, dfa, word, predict):
    """Brute force, from the Machine's decisions and the DFA: is the SSM wrong after ``word``?"""
    q = dfa.run(word)
    decision = m.decisions(word)[-1]
    if not predict:
        return decision[-1] != (q in dfa.accepting)
    if q not in dfa.live:
        return False
    labels = [dfa.delta[q][dfa.alphabet.index(s)] in dfa.live for s in m.ssm.alphabet]
    return list(decision) != labels + [q in dfa.accepting]


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(["parity", "aa_star", "tomita:3", "tomita:5"]),
       fmt=st.sampled_from(["exact", "bfloat16", "fixed:8.4"]), predict=st.booleans(),
       ssm_data=st.data())
def test_a_word_found_by_the_scan_is_the_shortest_wrong_prefix_of_u_w_n_v(name, fmt, predict,
                                                                          ssm_data):
    dfa = zoo.language(name)
    ssm = ssm_data.draw(ssms(dfa.alphabet, mode="predict" if predict else "recognize"))
    r = refute(ssm, dfa, fmt=fmt)
    if not (r.found and r.stabilised_at is None and not r.non_finite):
        return
    m = Machine(ssm, parse(fmt))
    full_v = tuple(monoid.classify(dfa).witness.v)
    shorter = [r.u + r.w * n + full_v[:j] for n in range(r.n + 1) for j in range(len(full_v) + 1)
               if len(r.u) + n * len(r.w) + j < r.length and (predict or j == len(full_v))]
    assert _judged_wrong(m, dfa, list(r.input), predict)
    assert not any(_judged_wrong(m, dfa, list(w), predict) for w in shorter)

