"""Flip-flop recipes: hand-computed facts, proofs against the zoo language, properties, controls."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import spec
from ssmproof.recipes import flipflop
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import ONE
from ssmproof.ssm.validate import validate
from ssmproof.testing import words_in
from ssmproof.verify.api import verify
from tests import cases
from tests.either_side import either_side
from tests.recipes import oracles
from tests.recipes.probe import states_after
from tests.rounding import readouts_that_round

BUILDERS = {"two_layer": flipflop.two_layer, "one_layer_lag": flipflop.one_layer_lag,
            "recognizer": flipflop.recognizer}
PREDICTIVE = ("two_layer", "one_layer_lag")


def zoo_flipflop():
    return spec.to_language(spec.resolve("flipflop"))


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_flipflop_construction_is_structurally_valid(name):
    validate(BUILDERS[name]())


def test_two_layer_holds_the_latest_w_flag_and_the_written_bit():
    # "w 1 i 0": the i-bit 0 must not overwrite the written bit 1; the latest instruction is i.
    assert states_after(flipflop.two_layer(), "w 1 i 0".split()) == {"L1.last_w": 0, "L2.bit": 1}
    assert states_after(flipflop.two_layer(), "w 1 i 0 w 0".split()) == {"L1.last_w": 1,
                                                                        "L2.bit": 0}


def test_after_r_only_the_stored_bit_is_allowed_and_eos_only_after_a_bit():
    m = Machine(flipflop.two_layer())  # decisions: w r i 0 1 EOS
    d = m.decisions("w 0 i 1 r".split())
    assert d[0] == (True, False, False, False, False, False)  # first token must be w
    assert d[1] == (False, False, False, True, True, False)  # after w: both bits
    assert d[2] == (True, True, True, False, False, True)  # after a bit: instructions, EOS
    assert d[5] == (False, False, False, True, False, False)  # after r: the stored 0 only


def test_one_layer_gate_is_zero_exactly_on_a_bit_after_w():
    m = Machine(flipflop.one_layer_lag())
    config = m.start()
    gates = []
    for t in [0, *m.token_ids("w 1 r 1 i 0 w 0".split())]:
        config, trace = m.trace_step(config, t)
        gates.append(trace.gates["L1.bit"])
    assert gates == [1, 1, 0, 1, 1, 1, 1, 1, 0]


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_flipflop_construction_proves_for_all_lengths(name, fmt):
    # bfloat16: readouts r/3 - 1/6, which round there (tests/rounding.py); exact: as built
    ssm = BUILDERS[name]() if fmt == "exact" else readouts_that_round(BUILDERS[name]())
    cert = verify(ssm, zoo_flipflop(), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True
    assert cert.gate_class == "nonnegative"


def test_recognizer_configuration_count_is_pinned():
    # bit x latch x the lagged one-hot of the previous token, as reached by all strings
    assert verify(flipflop.recognizer(), zoo_flipflop(), prove=True).configurations == 21


@pytest.mark.parametrize("word,member", [
    ("w 1 r 1", True), ("w 1 r 0", False), ("w w 0", False), ("w", False), ("", False),
    ("r 0", False), ("0", False), ("w 0 0", False), ("w 0 i 1 r 0", True), ("w 0 w 1 r 0", False),
])
def test_recognizer_on_hand_picked_words(word, member):
    assert Machine(flipflop.recognizer()).accepts(word.split()) is member


@settings(max_examples=40)
@given(either_side(zoo_flipflop(), 60))
def test_recognizer_agrees_with_membership_on_random_words(word):
    assert Machine(flipflop.recognizer()).accepts(word) is cases.flipflop(word)


@settings(max_examples=40)
@given(words_in(zoo_flipflop(), 400))
def test_recognizer_accepts_long_valid_words(word):
    assert Machine(flipflop.recognizer()).accepts(word) is oracles.FLIPFLOP.member(word)


@pytest.mark.parametrize("name", PREDICTIVE)
@settings(max_examples=30)
@given(data=st.data())
def test_predictions_match_the_prefix_oracle_on_long_prefixes(name, data):
    # members up to 400 symbols, at least 100 long (every prefix is checked)
    word = data.draw(words_in(zoo_flipflop(), 400).filter(lambda w: len(w) >= 100))
    assert Machine(BUILDERS[name]()).decisions(word) == oracles.FLIPFLOP.labels(word)


def test_prefix_oracle_membership_agrees_with_the_case_table():
    for n in range(7):
        for word in cases.words(flipflop.ALPHABET, n):
            assert oracles.FLIPFLOP.member(word) is cases.flipflop(word), word


# ------------------------------------------------------------------------------ negative controls
def test_flipped_bit_register_gate_fails_with_the_shortest_counterexample():
    ssm = flipflop.two_layer()
    l2 = ssm.layers[1]
    flipped = {"L2.bit": {ONE: 1, "L1.w_then_0": 1, "L1.w_then_1": 1}}  # keep·2 instead of reset
    bad = dataclasses.replace(ssm, layers=(ssm.layers[0], dataclasses.replace(l2, gate=flipped)))
    cert = verify(bad, zoo_flipflop(), prove=True)
    # "w 1 w 0" stores 2·1 + 0 = 2 instead of 0; then r_then_1 = relu(tok:r + 2 − 1) = 1 fires
    # even without an r, so "1" is predicted after a bit. Shorter prefixes store 0 or 1 only.
    assert cert.holds is False
    assert cert.counterexample == ("w", "1", "w", "0") and cert.wrong_symbol == "1"


def test_recognizer_without_its_error_latch_fails_with_the_shortest_counterexample():
    ssm = flipflop.recognizer()
    bad = dataclasses.replace(ssm, layers=ssm.layers[:1], accept={"tok:0": 1, "tok:1": 1})
    cert = verify(bad, zoo_flipflop(), prove=True)
    assert cert.holds is False and cert.counterexample == ("0",)
