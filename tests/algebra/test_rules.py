"""cover_resets: rules realise the lifted table exactly; non-cascades are refused."""

from __future__ import annotations

import pytest
from hypothesis import given

from ssmproof.algebra import decompose
from ssmproof.algebra.holonomy import _Plan
from ssmproof.algebra.images import skeleton
from ssmproof.algebra.rules import cover_resets
from ssmproof.lang.automaton import DFA
from ssmproof.testing.strategies import dfas


@given(dfas(states=(3, 10), symbols=(2, 3), minimal=True, aperiodic=True))
def test_rules_reproduce_the_lift_configuration_by_configuration(dfa: DFA) -> None:
    plan = _Plan.build(skeleton(dfa), dfa)
    cascade = decompose(dfa)
    configs, successors = plan.explore(cascade.initial, len(dfa.alphabet), 10**6)
    for a, row in enumerate(successors):
        for i, j in enumerate(row):
            assert cascade.step(configs[i], a) == configs[j]


def test_a_level_that_swaps_is_not_a_cascade() -> None:
    # Level 2 swaps 0 and 1 on "s" while level 1 stays 0: neither a keep nor a reset.
    configs = [(0, 0), (0, 1)]
    with pytest.raises(AssertionError, match="not a function of upper levels"):
        cover_resets(configs, [[1, 0]], ["s"], 2)


def test_levels_whose_every_reachable_state_is_allowed_are_dropped() -> None:
    # On "r" level 2 resets to 0 whatever level 1 holds: the condition is empty.
    configs = [(0, 1), (1, 1), (2, 1), (0, 0), (1, 0), (2, 0)]
    rules = cover_resets(configs, [[3, 4, 5, 3, 4, 5]], ["r"], 2)
    assert [(r.level, r.condition, r.target) for r in rules] == [(2, (), 0)]


def test_states_of_one_level_merge_into_one_literal() -> None:
    # On "r" level 2 resets to 0 iff level 1 holds 0 or 1 (not 2).
    configs = [(0, 1), (1, 1), (2, 1), (0, 0), (1, 0), (2, 0)]
    rules = cover_resets(configs, [[3, 4, 2, 3, 4, 5]], ["r"], 2)
    assert [(r.level, r.condition, r.target) for r in rules] == [(2, ((1, (0, 1)),), 0)]
