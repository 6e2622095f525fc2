"""Counter recipes (Theorem 5): hand facts, bounded checks vs the zoo, properties, formats."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import spec
from ssmproof.numerics import formats
from ssmproof.recipes import counters
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.ssm.validate import validate
from ssmproof.testing import words_in
from ssmproof.verify import explore
from ssmproof.verify.api import verify
from tests.recipes import oracles
from tests.recipes.probe import states_after

# zoo name → (builder, independent prefix oracle)
CASES = {
    "dyck1": (counters.dyck1, oracles.brackets(["()"])),
    "shuffle:2": (lambda: counters.shuffle(2), oracles.brackets(["()", "[]"])),
    "shuffle:7": (lambda: counters.shuffle(7), oracles.brackets(counters.SHUFFLE_PAIRS)),
    "boolean:3": (lambda: counters.boolean(3), oracles.boolean(3)),
    "boolean:5": (lambda: counters.boolean(5), oracles.boolean(5)),
    "anbn": (lambda: counters.counting("ab"), oracles.counting("ab")),
    "anbncn": (lambda: counters.counting("abc"), oracles.counting("abc")),
    "anbncndn": (lambda: counters.counting("abcd"), oracles.counting("abcd")),
}


def zoo(name):
    return spec.to_language(spec.resolve(name))


def test_counters_hold_the_hand_computed_values():
    assert states_after(counters.boolean(3), ["+", "0"]) == {"L1.pending": 1}  # 1 → 2 → 1
    assert states_after(counters.boolean(3), [">", "~"]) == {"L1.pending": 3}  # ~ keeps it
    assert states_after(counters.counting("abc"), list("aab")) == {
        "L1.diff[0]": 1, "L1.diff[1]": 1, "L1.seen[1]": 1, "L1.seen[2]": 0}
    assert states_after(counters.shuffle(2), list("(([)")) == {"L1.depth[0]": 1,
                                                               "L1.depth[1]": 1}


def test_anbn_uses_one_flag_for_both_roles():
    ssm = counters.counting("ab")
    assert ssm.state_dims_list == ("L1.diff[0]", "L1.seen[1]")


@pytest.mark.parametrize("name", sorted(CASES))
def test_counter_construction_matches_the_zoo_alphabet_and_is_valid(name):
    ssm = CASES[name][0]()
    validate(ssm)
    assert ssm.alphabet == zoo(name).alphabet and ssm.mode is Mode.PREDICT


@pytest.mark.parametrize("name", sorted(CASES))
def test_counter_construction_passes_the_bounded_check_against_the_zoo(name):
    cert = verify(CASES[name][0](), zoo(name), exhaustive=8, random=100, max_length=200)
    assert cert.holds is True and cert.all_lengths is False
    assert cert.gate_class == "nonnegative"


def test_prove_on_a_counter_language_never_claims_all_lengths():
    cert = verify(counters.dyck1(), zoo("dyck1"), prove=True)
    assert cert.holds is None and cert.all_lengths is False
    assert any("not regular" in n for n in cert.notes)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=20)
@given(data=st.data())
def test_predictions_match_the_prefix_oracle_on_long_prefixes(name, data):
    # members up to 300 symbols (the zoo's sampler; deep ones included), at least 50 long:
    # every prefix is checked, so their prefixes are the long prefixes of L
    build, oracle = CASES[name]
    word = data.draw(words_in(zoo(name), 300).filter(lambda w: len(w) >= 50))
    assert Machine(build()).decisions(word) == oracle.labels(word)


def test_deep_words_stay_exact_in_exact_arithmetic():
    word = ("(",) * 5000 + (")",) * 5000
    d = Machine(counters.dyck1()).decisions(word)
    assert d[5000] == (True, True, False) and d[-1] == (True, False, True)


def test_saturating_fixed_point_counter_fails_at_the_hand_derived_length():
    # fixed:4.0 holds −8..7: the 8th "(" saturates at 7, and 7 ")" later the counter reads 0
    # while one bracket is open, so ")" is wrongly forbidden after 15 symbols.
    machine = Machine(counters.dyck1(), formats.parse("fixed:4.0"))
    out = explore.prove(machine, zoo("dyck1"), Mode.PREDICT, max_configurations=10**4)
    assert out.holds is False
    assert out.counterexample == ("(",) * 8 + (")",) * 7 and out.mismatch.wrong_symbol == ")"


# ------------------------------------------------------------------------------ negative controls
def test_anbn_without_the_phase_flag_fails_with_the_shortest_counterexample():
    ssm = counters.counting("ab")
    nxt = dict(ssm.next)
    nxt["a"] = {"one": 1}  # forget that a b was read
    cert = verify(dataclasses.replace(ssm, next=nxt), zoo("anbn"), exhaustive=6)
    assert cert.holds is False and cert.counterexample == ("a", "b")
    assert cert.wrong_symbol == "a"


def test_dyck1_with_a_dropped_layer_is_refused_or_fails():
    ssm = counters.dyck1()
    bad = dataclasses.replace(ssm, layers=(), next={"(": {"one": 1}, ")": {"one": 1},
                                                    "EOS": {"one": 1}})
    cert = verify(bad, zoo("dyck1"), exhaustive=4)
    assert cert.holds is False and cert.counterexample == () and cert.wrong_symbol == ")"
