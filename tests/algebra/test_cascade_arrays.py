"""Cascades on whole arrays of configurations agree with the one-configuration semantics.

``Cascade.step_many``, ``fired_many``, ``decode_many`` and ``explore`` serve the compiler (cover
check, analysis) on thousands of configurations at once; ``Cascade.step``/``decode`` and a plain
breadth-first search written here are the reference. Configurations are drawn at random (most are
not reachable, many are not tile chains), so the arrays are checked off the reachable set too.
"""

from __future__ import annotations

import dataclasses
from collections import deque

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.algebra.cascade import Cascade, check_cover, explore
from ssmproof.algebra.holonomy import decompose
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.lang.automaton import DFA
from ssmproof.testing.strategies import dfas

APERIODIC = dfas(states=(3, 10), symbols=(2, 3), minimal=True, aperiodic=True)


def _random_configs(data: st.DataObject, cascade: Cascade) -> np.ndarray:
    rows = data.draw(st.lists(st.tuples(*(st.integers(0, lv.size - 1) for lv in cascade.levels)),
                              min_size=1, max_size=20))
    return np.array(rows, dtype=np.int64).reshape(len(rows), cascade.height)


def _bfs(cascade: Cascade) -> dict[tuple[int, ...], None]:
    seen = {cascade.initial: None}
    queue = deque([cascade.initial])
    while queue:
        c = queue.popleft()
        for a in range(len(cascade.alphabet)):
            nxt = cascade.step(c, a)
            if nxt not in seen:
                seen[nxt] = None
                queue.append(nxt)
    return seen


@given(APERIODIC, st.data())
def test_fired_many_is_each_rules_condition_evaluated_directly(dfa: DFA,
                                                               data: st.DataObject) -> None:
    cascade = decompose(dfa)
    if not cascade.height:
        return
    configs = _random_configs(data, cascade)
    for a, symbol in enumerate(cascade.alphabet):
        mine = [r for r in cascade.rules if r.symbol == symbol]
        want = [[all(c[lv - 1] in xs for lv, xs in r.condition) for r in mine]
                for c in configs.tolist()]
        assert cascade.fired_many(configs, a).tolist() == want


@given(APERIODIC, st.data())
def test_step_many_and_decode_many_equal_step_and_decode_row_by_row(dfa: DFA,
                                                                   data: st.DataObject) -> None:
    cascade = decompose(dfa)
    if not cascade.height:
        return
    configs = _random_configs(data, cascade)
    for a in range(len(cascade.alphabet)):
        for row in configs:
            try:
                want = cascade.step(tuple(row.tolist()), a)
            except ValueError:
                with pytest.raises(ValueError, match="differently"):
                    cascade.step_many(row[None, :], a)
                continue
            assert tuple(cascade.step_many(row[None, :], a)[0].tolist()) == want
    decoded = cascade.decode_many(configs).tolist()
    for row, got in zip(configs.tolist(), decoded):
        try:
            assert got == cascade.decode(row)
        except ValueError:
            assert got == -1


@given(APERIODIC)
def test_explore_finds_the_breadth_first_set_and_true_successors(dfa: DFA) -> None:
    cascade = decompose(dfa)
    reach = explore(cascade)
    rows = [tuple(r) for r in reach.configs.tolist()]
    assert rows[0] == cascade.initial
    assert set(rows) == set(_bfs(cascade)) and len(rows) == len(set(rows))
    for a in range(len(cascade.alphabet)):
        for r, s in enumerate(reach.successors[a].tolist()):
            assert rows[s] == cascade.step(rows[r], a)


@given(APERIODIC, st.data())
def test_check_cover_fails_exactly_when_a_broken_cascade_misses_the_dfa(
        dfa: DFA, data: st.DataObject) -> None:
    cascade = decompose(dfa)
    if not cascade.rules:
        return
    drop = data.draw(st.integers(0, len(cascade.rules) - 1))
    broken = dataclasses.replace(cascade, rules=cascade.rules[:drop] + cascade.rules[drop + 1:])
    try:
        reachable = _bfs(broken)
    except ValueError:  # two rules now clash somewhere: refused either way, in search order
        with pytest.raises((AssertionError, ValueError)):
            check_cover(broken, dfa)
        return
    try:  # the reference: every reachable configuration decodes and steps like the DFA
        ok = all(broken.decode(broken.step(c, a)) == dfa.delta[broken.decode(c)][a]
                 for c in reachable for a in range(len(dfa.alphabet)))
    except ValueError:  # a successor off the tile chains
        ok = False
    if ok:
        assert check_cover(broken, dfa) == len(reachable)
    else:
        with pytest.raises(AssertionError, match="cover fails"):
            check_cover(broken, dfa)


def test_explore_on_a_random_30_state_dfa_counts_its_configurations() -> None:
    # the benchmark's random aperiodic DFA (k = 3, seed 2): 4,127 reachable configurations,
    # the count prove reports for the compiled SSM
    dfa = random_aperiodic_dfa(2, 30, 3)
    reach = explore(decompose(dfa))
    assert reach.configs.shape == (4127, 41) and reach.successors.shape == (3, 4127)
