"""Invariant boxes (refute/enclosure.py, refute/affine.py): a slow counter read by the layers
above it is refuted long before it settles, and every word reported is really answered wrongly."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import dfa as dfas
from ssmproof.lang import zoo
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.refute.affine import affine_block
from ssmproof.refute.enclosure import invariant_box
from ssmproof.refute.report import MAX_SPELLED
from ssmproof.refute.report import Status
from ssmproof.refute.stabilise import refute
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_word
from ssmproof.testing import ssms, words
from ssmproof.testing.random_ssm import random_ssm
from ssmproof.testing.slow_counter import random_slow_counter, right_on_short_words, \
    sawtooth_counter
from tests.cases import CASES
from tests.refute.models import configurations_after, counter_copied_above, run_each

MEMBER = {c.address: c.member for c in CASES}  # membership written from the definitions
PARITY = dfas.from_language(zoo.language("parity"))
ONES = ((), ("1",), (), 2)  # u·wⁿ·v = 1ⁿ, membership period 2


def test_a_counter_copied_above_it_is_refuted_by_a_box_where_waiting_runs_out_of_budget():
    ssm = counter_copied_above()
    waited = refute(ssm, "parity", fmt="float32", block_budget=500, scan=0, enclose=False)
    assert waited.status is Status.NOT_STABILISED  # the float32 counter runs 2^24 blocks
    r = refute(ssm, "parity", fmt="float32", block_budget=500, scan=0)
    # the box [0, max] × [0, max] is invariant and forces "accept" after one 1: n = 1 is odd
    assert (r.found, r.n, r.ssm_accepts, r.in_language) == (True, 1, True, False)
    assert r.recheck == "run_word and the DFA agree" and "invariant box" in r.notes[0]


def test_a_float32_counter_that_stalls_at_two_to_the_24_errs_first_where_numpy_says():
    # the counter starts 40 below 2^24 and counts 1 per 1; the sawtooth answers "1^n ∈ PARITY"
    # right at every value the counter takes while it is exact; 2^24 + 1 rounds back to 2^24
    start = 2**24 - 40
    ssm = sawtooth_counter(PARITY, ONES, steps={"1": Fraction(1)}, start=Fraction(start))
    x, counts = np.float32(start), []  # the counter's values, by numpy's IEEE float32
    for _ in range(64):
        counts.append(int(x) - start)
        x = np.float32(x + np.float32(1))
    shortest = next(n for n, k in enumerate(counts) if (k % 2 == 0) != (n % 2 == 0))
    assert shortest == 41 and counts[41] == counts[40] == 40  # float32 really rounds here
    assert right_on_short_words(ssm, PARITY, ONES, "exact")  # exact arithmetic: no error < 64
    assert refute(ssm, "parity", fmt="float32").n == shortest  # the direct scan, shortest first
    r = refute(ssm, "parity", fmt="float32", scan=0)  # the argument alone
    assert r.found and r.n >= shortest and r.recheck == "run_word and the DFA agree"
    assert MEMBER["parity"](r.input) != r.ssm_accepts


def test_a_slow_counter_read_by_a_stateful_layer_is_refuted_long_before_it_stops():
    # counter + 1/4 per 1 (float32 only stops it at 2^22, after 2^24 blocks), a sawtooth right
    # for n < 64 that continues with slope 1: o(X_n) = −1 + (n − 63)/4 from n = 63 on
    ssm = sawtooth_counter(PARITY, ONES, steps={"1": Fraction(1, 4)}, tail=Fraction(1),
                           accumulator=True)
    saw = [Fraction(1 if n % 2 == 0 else -1) if n < 64 else -1 + Fraction(n - 63, 4)
           for n in range(200)]
    shortest = next(n for n, o in enumerate(saw) if (o > 0) != (n % 2 == 0))
    assert shortest == 64
    stall = np.float32(2**22)
    assert np.float32(stall + np.float32(0.25)) == stall  # where float32 stops the counter
    assert right_on_short_words(ssm, PARITY, ONES, "float32")
    assert refute(ssm, "parity", fmt="float32", scan=65).n == shortest
    waited = refute(ssm, "parity", fmt="float32", scan=0, block_budget=300, enclose=False)
    assert waited.status is Status.NOT_STABILISED
    r = refute(ssm, "parity", fmt="float32", scan=0, block_budget=300)
    assert r.found and shortest <= r.n < 300 and r.recheck == "run_word and the DFA agree"
    assert MEMBER["parity"](r.input) != r.ssm_accepts and "invariant box" in r.notes[0]


def test_an_invariant_box_contains_every_later_block_boundary():
    # the copy SSM from 0: its box after BOS is [0, max]²; 300 stepped blocks stay inside it
    m = Machine(counter_copied_above(), parse("bfloat16"))
    c = m.step(m.start(), 0)[0]
    box = invariant_box(m, c, [2]).box
    assert box[0][0] == 0 and box[0][1] == m.fmt.max_value
    for _ in range(300):
        c = m.step(c, 2)[0]
        assert all(lo <= x <= hi for x, (lo, hi) in zip(c, box))


@settings(max_examples=30, deadline=None)
@given(ssm=ssms(("a", "b"), layers=(1, 3), mlp=True),
       word=words(("a", "b"), min_size=3, max_size=3),
       fmt=st.sampled_from(["fixed:8.4", "float16", "bfloat16", "float32"]))
def test_on_point_boxes_the_affine_block_is_the_machine_block(ssm, word, fmt):
    m = Machine(ssm, parse(fmt))
    try:
        c = m.step(m.start(), 0)[0]
        for token in m.token_ids(word):
            c = m.step(c, token)[0]
        out, _, _ = affine_block(m, [(x, x) for x in c], [1, 2, 1])
        for t in (1, 2, 1):
            c = m.step(c, t)[0]
    except NonFiniteValue:
        return
    assert list(out) == [(x, x) for x in c]


NON_STAR_FREE = ("parity", "aa_star", "aaaa_star", "abab_star", "tomita:3", "tomita:5",
                 "tomita:6")


def _check_replayed(ssm, name, fmt):
    r = refute(ssm, name, fmt=fmt, scan=0, block_budget=400)
    if not r.found:
        return
    assert r.recheck.endswith("agree")
    if r.input is None:  # too long to spell out: re-run by the jumping block replay
        assert r.length > MAX_SPELLED and r.recheck.startswith("block replay (")
        return
    replay = run_word(Machine(ssm, parse(fmt)), r.input)  # a fresh machine, from scratch
    member = MEMBER[name](r.input)
    assert member == r.in_language
    if r.non_finite:
        assert replay.error
    else:
        assert replay.accepts == r.ssm_accepts != member


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), name=st.sampled_from(NON_STAR_FREE),
       fmt=st.sampled_from(["fixed:8.4", "float16", "bfloat16", "float32"]))
def test_every_refutation_of_a_random_ssm_is_a_word_it_gets_wrong_when_replayed(seed, name,
                                                                                fmt):
    rng = np.random.default_rng(seed)
    lang = zoo.language(name)
    _check_replayed(random_ssm(rng, lang.alphabet, layers=(1, 3),
                               lag=bool(rng.random() < 0.5)), name, fmt)


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10**6), name=st.sampled_from(NON_STAR_FREE),
       fmt=st.sampled_from(["bfloat16", "float32"]))
def test_every_refutation_of_a_slow_counter_is_a_word_it_gets_wrong_when_replayed(seed, name,
                                                                                  fmt):
    from ssmproof.lang import monoid

    dfa = dfas.from_language(zoo.language(name))
    wit = monoid.classify(dfa).witness
    ssm = random_slow_counter(np.random.default_rng(seed), dfa,
                              (wit.u, wit.w, wit.v, wit.period))
    _check_replayed(ssm, name, fmt)


@settings(max_examples=30, deadline=None)
@given(ssm=ssms(("a", "b"), layers=(1, 3), lag=True, mlp=True),
       corner_words=st.lists(words(("a", "b"), max_size=7), min_size=3, max_size=3,
                             unique=True),  # distinct words: boxes of non-zero width
       fmt=st.sampled_from(["fixed:8.4", "float16", "bfloat16", "float32"]))
def test_an_affine_box_encloses_every_configuration_run_from_inside_it(ssm, corner_words, fmt):
    m = Machine(ssm, parse(fmt))
    tokens = [1, 2, 2]
    try:
        corners = configurations_after(m, corner_words)
        box = [(min(v), max(v)) for v in zip(*corners)]
        out, _, _ = affine_block(m, box, tokens)
        ends = run_each(m, corners, tokens)
    except NonFiniteValue:
        return
    for c in ends:
        assert all(lo <= x <= hi for x, (lo, hi) in zip(c, out))
