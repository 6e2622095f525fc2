"""``first_failure``: the per-word check shared by random checks and ``testing.asserts``."""

from __future__ import annotations

import itertools

import pytest

from ssmproof import examples
from ssmproof.lang.automaton import DFA
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.verify.api import first_failure
from tests.verify import dfas


def _ends_in_a_listing_b_first() -> DFA:
    # words over {a, b} whose last symbol is a; the alphabet lists b first (index 0 is "b")
    return DFA(("b", "a"), ("no", "yes"), 0, frozenset({1}), ((0, 1), (0, 1)), "ends_a_ba")


WORDS = [w for n in range(5) for w in itertools.product("ab", repeat=n)]


@pytest.mark.parametrize("word", WORDS, ids=lambda w: "".join(w) or "eps")
def test_symbols_reach_the_construction_by_name_whatever_the_languages_order(word):
    machine = Machine(examples.last_is_a())  # its alphabet is ("a", "b")
    assert first_failure(machine, _ends_in_a_listing_b_first(), Mode.RECOGNIZE, word) is None


def test_the_failing_prefix_is_the_shortest_and_the_mismatch_is_named():
    machine = Machine(examples.last_is_a())
    out = first_failure(machine, dfas.contains_aa(), Mode.RECOGNIZE, ("b", "a", "b", "a", "a"))
    assert out is not None and out.holds is False
    assert out.counterexample == ("b", "a")  # ends in a, yet contains no aa
    assert out.mismatch is not None and out.mismatch.expected == (False,)
    assert out.mismatch.got == (True,)
