"""The vectorised enumeration and libsemigroups against the plain BFS closure, and the budget.

The plain BFS (``monoid.transition_monoid_bfs``) is the reference: the numpy enumeration must
list the same maps with the same shortlex-least words in the same order, and libsemigroups'
Konieczny algorithm (``green.green_structure``) must find the same size and the same aperiodic
verdict as powers computed by brute force over the BFS elements.
"""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings

from ssmproof import cli
from ssmproof.lang import dfa, green, groups, monoid
from ssmproof.lang.automaton import DFA
from tests.lang.dfa_strategies import dfas


def _aperiodic_by_powers(elements: tuple[tuple[int, ...], ...]) -> bool:
    """Every element's powers end in a fixed point (period 1), by repeated composition."""
    for f in elements:
        powers = [f]
        while (nxt := tuple(f[q] for q in powers[-1])) not in powers:
            powers.append(nxt)
        if powers.index(nxt) != len(powers) - 1:
            return False
    return True


@given(dfas(max_states=5, max_symbols=3))
def test_numpy_enumeration_lists_the_bfs_elements_and_words_in_order(d: DFA) -> None:
    elements, words, complete = monoid.transition_monoid_bfs(d)
    m = monoid.transition_monoid(d)
    assert complete and m.complete
    assert m.elements == elements
    assert m.words == words
    assert [len(w) for w in words] == m.lengths.tolist()


@given(dfas(max_states=5, max_symbols=3))
def test_libsemigroups_size_and_aperiodicity_match_the_bfs(d: DFA) -> None:
    elements, _, _ = monoid.transition_monoid_bfs(d)
    g = green.green_structure(d, budget=10**6)
    assert g.size == len(elements)
    assert g.aperiodic == _aperiodic_by_powers(elements)
    assert sum(x.size for x in g.regular) <= g.size


@given(dfas(max_states=5, max_symbols=2))
@settings(max_examples=40)
def test_group_orders_from_libsemigroups_match_our_h_classes(d: DFA) -> None:
    m = monoid.transition_monoid(d)
    ours = {len(members) for _, members in groups.maximal_subgroups(m)}
    theirs = {x.group_order for x in green.green_structure(d, budget=10**6).regular}
    assert ours == theirs


def _random_dfa(n: int, k: int, seed: int) -> DFA:
    delta = np.random.default_rng(seed).integers(0, n, (n, k))
    return DFA(tuple("abcdefgh"[:k]), tuple(f"q{i}" for i in range(n)), 0, frozenset({0}),
               tuple(tuple(int(t) for t in row) for row in delta))


def test_seventeen_states_use_byte_keys_and_still_match_the_bfs() -> None:
    # 17¹⁷ does not fit an int64: the raw-bytes key path. A saturating counter with a reset
    # and a swap of the two lowest states keeps the monoid small (BFS-sized).
    n = 17
    delta = tuple((min(q + 1, n - 1), 0, (1, 0, *range(2, n))[q]) for q in range(n))
    d = DFA(("a", "b", "c"), tuple(f"q{i}" for i in range(n)), 0, frozenset({3}), delta)
    elements, words, _ = monoid.transition_monoid_bfs(d)
    m = monoid.transition_monoid(d)
    assert (m.elements, m.words) == (elements, words)
    assert green.green_structure(d, budget=10**6).size == len(elements)


def test_a_cut_enumeration_keeps_the_first_elements_in_shortlex_order() -> None:
    d = _random_dfa(6, 2, seed=1)
    full = monoid.transition_monoid_bfs(d)[0]
    cut = monoid.transition_monoid(d, budget=50)
    assert not cut.complete and cut.size is None
    assert cut.elements == full[:50]


def test_over_budget_classify_says_null_with_the_reason() -> None:
    d = dfa.minimize(_random_dfa(6, 2, seed=1))
    size = len(monoid.transition_monoid_bfs(d)[0])
    c = monoid.classify(d, budget=size - 1)
    assert c.monoid_size is None and c.basis == "partial monoid"
    assert f"more than {size - 1:,} elements" in (c.reason or "")
    assert monoid.classify(d, budget=size).monoid_size == size


def test_classify_max_monoid_over_budget_exits_0_with_null_and_reason(capsys) -> None:
    assert cli.main(["classify", "tomita:4", "--max-monoid", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["monoid_size"] is None and "--max-monoid" in data["monoid_size_reason"]
    assert cli.main(["classify", "tomita:4", "--max-monoid", "12", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["monoid_size"] == 12
