"""Bounded Dyck recipes: hand-computed facts, proofs against the zoo, properties, controls."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import spec
from ssmproof.numerics import formats
from ssmproof.recipes import dyck
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import ONE
from ssmproof.ssm.validate import validate
from ssmproof.testing import words_in
from ssmproof.verify.api import verify
from tests import cases
from tests.either_side import either_side
from tests.recipes import oracles
from tests.recipes.probe import states_after

FAST = [(1, 1), (2, 2), (2, 3), (3, 4)]
SLOW = [(4, 6), (2, 10)]


def zoo_dyck(k, h):
    return spec.to_language(spec.resolve(f"dyck:{k},{h}"))


# ------------------------------------------------------------------------------ hand facts
@pytest.mark.parametrize("k,h,dims", [(1, 1, 1), (2, 2, 3), (2, 3, 4), (3, 4, 9), (4, 6, 13),
                                      (2, 10, 11), (5, 2, 7), (8, 10, 31)])
def test_state_dims_are_one_plus_h_times_bits_per_type(k, h, dims):
    ssm = dyck.predictive(k, h)
    validate(ssm)
    assert ssm.state_dims == dims


def test_registers_hold_the_open_types_after_a_prefix():
    # "( [ (": depth 3; group 1 = type 0, group 2 = type 1, group 3 = type 0
    assert states_after(dyck.predictive(2, 3), list("([(")) == {
        "L1.depth": 3, "L2.reg[1].bit0": 0, "L2.reg[2].bit0": 1, "L2.reg[3].bit0": 0}


def test_groups_above_the_depth_keep_stale_types():
    # "( [ ] )" returns to depth 0; group 2 still says "[" (never read again until rewritten)
    assert states_after(dyck.predictive(2, 3), list("([])")) == {
        "L1.depth": 0, "L2.reg[1].bit0": 0, "L2.reg[2].bit0": 1, "L2.reg[3].bit0": 0}


def test_three_types_are_coded_in_two_bits_and_five_types_use_numbered_tokens():
    assert states_after(dyck.predictive(3, 1), ["{"]) == {
        "L1.depth": 1, "L2.reg[1].bit0": 0, "L2.reg[1].bit1": 1}  # type 2 = binary 10
    after = states_after(dyck.predictive(5, 2), ["(1", "(5"])
    assert [after[f"L2.reg[2].bit{j}"] for j in range(3)] == [0, 0, 1]  # type 4 = binary 100


def test_register_at_depth_d_gets_gate_zero_on_an_opening_at_depth_d():
    m = Machine(dyck.predictive(2, 3))
    config, gates = m.start(), []
    for t in [0, *m.token_ids(list("([)"))]:
        config, trace = m.trace_step(config, t)
        gates.append({lv: trace.gates[f"L2.reg[{lv}].bit0"] for lv in (1, 2, 3)})
    assert gates == [{1: 1, 2: 1, 3: 1}, {1: 0, 2: 1, 3: 1}, {1: 1, 2: 0, 3: 1},
                     {1: 1, 2: 1, 3: 1}]


def test_at_depth_h_only_the_matching_closing_bracket_is_allowed():
    m = Machine(dyck.predictive(2, 2))  # decisions: ( ) [ ] EOS
    assert m.decisions(list("(["))[-1] == (False, False, False, True, False)
    assert m.decisions([])[-1] == (True, False, True, False, True)


# ------------------------------------------------------------------------------ proofs
def _prove_predictive(k, h, fmt):
    cert = verify(dyck.predictive(k, h), zoo_dyck(k, h), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True
    assert cert.gate_class == "nonnegative"
    # depth 0..H, and every group holds any of the K codes (stale ones above the depth too)
    assert cert.configurations == (h + 1) * k**h


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("k,h", FAST, ids=[f"dyck:{k},{h}" for k, h in FAST])
def test_predictive_dyck_proves_for_all_lengths(k, h, fmt):
    _prove_predictive(k, h, fmt)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("k,h", SLOW, ids=[f"dyck:{k},{h}" for k, h in SLOW])
def test_predictive_dyck_proves_for_all_lengths_large(k, h, fmt):
    _prove_predictive(k, h, fmt)


@pytest.mark.parametrize("k,h", FAST[:3], ids=[f"dyck:{k},{h}" for k, h in FAST[:3]])
def test_recognizer_proves_under_bfloat16(k, h):
    cert = verify(dyck.recognizer(k, h), zoo_dyck(k, h), fmt="bfloat16", prove=True)
    assert cert.holds is True and cert.all_lengths is True and cert.gate_class == "nonnegative"


@pytest.mark.slow
def test_recognizer_proves_under_bfloat16_for_three_types_depth_four():
    cert = verify(dyck.recognizer(3, 4), zoo_dyck(3, 4), fmt="bfloat16", prove=True)
    assert cert.holds is True and cert.all_lengths is True


def test_recognizer_in_exact_arithmetic_claims_only_the_depth_it_checked():
    cert = verify(dyck.recognizer(2, 2), zoo_dyck(2, 2), prove=True, max_configurations=500)
    assert cert.holds is None and cert.all_lengths is False
    assert isinstance(cert.max_length_checked, int) and cert.max_length_checked > 4
    assert "checked up to" in cert.summary() or "every string up to length" in cert.summary()


def test_bfloat16_saturates_the_depth_counter_at_256():
    m = Machine(dyck.recognizer(1, 1), formats.parse("bfloat16"))
    config = m.start()
    for t in [0] + [1] * 300:
        config, _ = m.step(config, t)
    assert config[0] == 256


# ------------------------------------------------------------------------------ properties
@pytest.mark.parametrize("k,h", [(2, 2), (3, 2), (5, 2)])
@settings(max_examples=30)
@given(data=st.data())
def test_recognizer_agrees_with_membership_on_random_words(k, h, data):
    word = data.draw(either_side(zoo_dyck(k, h), 40))
    assert Machine(dyck.recognizer(k, h)).accepts(word) is cases.dyck(k, h)(word)


@pytest.mark.parametrize("k,h", [(2, 3), (3, 4), (5, 2)])
@settings(max_examples=25)
@given(data=st.data())
def test_predictions_match_the_prefix_oracle_on_long_prefixes(k, h, data):
    # members up to 400 symbols, at least 100 long (every prefix is checked)
    oracle = oracles.dyck(k, h)
    word = data.draw(words_in(zoo_dyck(k, h), 400).filter(lambda w: len(w) >= 100))
    assert Machine(dyck.predictive(k, h)).decisions(word) == oracle.labels(word)


@settings(max_examples=25)
@given(word=words_in(zoo_dyck(2, 3), 400), flip=st.integers(0, 399))
def test_recognizer_on_long_valid_words_and_one_symbol_corruptions(word, flip):
    oracle, ssm = oracles.dyck(2, 3), dyck.recognizer(2, 3)
    assert Machine(ssm).accepts(word) is oracle.member(word)
    if word:
        i = flip % len(word)
        alphabet = dyck.alphabet(2)
        bad = word[:i] + (alphabet[(alphabet.index(word[i]) + 1) % 4],) + word[i + 1:]
        assert Machine(ssm).accepts(bad) is cases.dyck(2, 3)(bad)


def test_prefix_oracle_membership_agrees_with_the_case_table():
    member = cases.dyck(2, 2)
    for n in range(7):
        for word in cases.words(dyck.alphabet(2), n):
            assert oracles.dyck(2, 2).member(word) is member(word), word


# ------------------------------------------------------------------------------ negative controls
def test_flipped_register_gate_fails_with_the_shortest_counterexample():
    ssm = dyck.predictive(2, 2)
    l2 = ssm.layers[1]
    flipped = {d: {ONE: 1, f"L1.open_at[{d[7]}]": 1} for d in l2.state}  # 1 + open_at
    bad = dataclasses.replace(ssm, layers=(ssm.layers[0], dataclasses.replace(l2, gate=flipped)))
    cert = verify(bad, zoo_dyck(2, 2), prove=True)
    # "[ ] (" writes 2·1 + 0 = 2 into group 1, so the match test for ")" sees 1 − 2 < 0.
    assert cert.holds is False
    assert cert.counterexample == ("[", "]", "(") and cert.wrong_symbol == ")"


def test_recognizer_without_its_error_latch_fails_with_the_shortest_counterexample():
    ssm = dyck.recognizer(2, 2)
    bad = dataclasses.replace(ssm, layers=ssm.layers[:2], accept={"L1.at[0]": 1})
    cert = verify(bad, zoo_dyck(2, 2), fmt="bfloat16", prove=True)
    assert cert.holds is False and cert.counterexample == ("(", "]")


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="K"):
        dyck.predictive(0, 2)
    with pytest.raises(ValueError, match="H"):
        dyck.recognizer(2, 0)


# ------------------------------------------------------------------------------ the clearing variant
def test_clearing_empties_a_group_when_its_bracket_closes():
    # "( [ ] )" returns to depth 0 with both groups zero again (dyck-two-layer keeps "[" in 2)
    assert states_after(dyck.clearing(2, 3), list("([])")) == {
        "L1.depth": 0, "L2.reg[1].bit0": 0, "L2.reg[2].bit0": 0, "L2.reg[3].bit0": 0}
    assert states_after(dyck.clearing(3, 2), list("{[]")) == {
        "L1.depth": 1, "L2.reg[1].bit0": 0, "L2.reg[1].bit1": 1,
        "L2.reg[2].bit0": 0, "L2.reg[2].bit1": 0}


CLEARING = [(1, 1), (2, 2), (2, 3), (3, 4), (5, 3), (8, 3)]


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("k,h", CLEARING, ids=[f"dyck:{k},{h}" for k, h in CLEARING])
def test_clearing_reaches_exactly_one_configuration_per_live_state(k, h, fmt):
    cert = verify(dyck.clearing(k, h), zoo_dyck(k, h), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True and cert.gate_class == "nonnegative"
    # the live states of dyck:K,H are the stacks of height <= H: 1 + K + ... + K^H
    assert cert.configurations == sum(k**d for d in range(h + 1))


def test_clearing_with_a_group_that_is_never_cleared_is_caught():
    # negative control: drop the clearing term of group 1's gate; after "( )" group 1 keeps the
    # stale code, still right for predictions, but prove must then count more configurations
    ssm = dyck.clearing(2, 2)
    l2 = ssm.layers[1]
    gate = {d: {s: c for s, c in row.items() if s != "L1.close_at[1]"} for d, row in l2.gate.items()}
    broken = dataclasses.replace(ssm, layers=(ssm.layers[0], dataclasses.replace(l2, gate=gate)))
    cert = verify(broken, zoo_dyck(2, 2), prove=True)
    assert cert.holds is True and cert.configurations > 7


def test_a_stateless_ssm_predicts_dyck_2_1_below_the_design_memory_bound():
    # docs/dyck-memory.md: predictions are constrained only on prefixes of words of L, and the
    # decision reads the current token, so "(" and "[" (and every stack of depth H beside a
    # shallower one) may share a configuration. Dyck(2,1) needs none at all: the allowed set is
    # a function of the current token. DESIGN §4's bound log2(live) - 1 = log2(3) - 1 > 0.
    from ssmproof.lang import dfa as dfa_
    from ssmproof.ssm.program import BOS, EOS, SSM, Mode, default_embedding, tok

    alphabet = dyck.alphabet(2)
    after_close = {tok(BOS): 1, tok(")"): 1, tok("]"): 1}
    nxt = {"(": after_close, "[": after_close, ")": {tok("("): 1}, "]": {tok("["): 1},
           EOS: after_close}
    ssm = SSM("stateless", Mode.PREDICT, alphabet, default_embedding(alphabet), (), next=nxt)
    cert = verify(ssm, zoo_dyck(2, 1), prove=True)
    assert cert.holds and cert.all_lengths and cert.configurations == 1
    assert len(dfa_.minimize(dfa_.from_language(zoo_dyck(2, 1))).live) == 3
    # and it is no trick of the checker: a wrong readout is caught
    broken = dataclasses.replace(ssm, next={**nxt, ")": {tok("["): 1}})
    assert verify(broken, zoo_dyck(2, 1), prove=True).counterexample == ("(",)
