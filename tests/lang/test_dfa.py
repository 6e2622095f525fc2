"""DFA functions: minimize against a naive refinement, equivalence against brute force."""

from __future__ import annotations

import itertools
from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.lang import dfa, zoo
from ssmproof.lang.automaton import DFA
from tests.lang.dfa_strategies import dfa_pairs, dfas


def _naive_classes(d: DFA) -> dict[int, int]:
    """Moore's refinement, written plainly: split by acceptance, then by the classes of the
    successors, until the number of classes stops growing (reachable states only)."""
    reach, todo = {d.start}, [d.start]
    while todo:
        for t in d.delta[todo.pop()]:
            if t not in reach:
                reach.add(t)
                todo.append(t)
    cls = {q: int(q in d.accepting) for q in reach}
    while True:
        signature = {q: (cls[q], tuple(cls[t] for t in d.delta[q])) for q in reach}
        names = {s: i for i, s in enumerate(sorted(set(signature.values())))}
        new = {q: names[signature[q]] for q in reach}
        if len(set(new.values())) == len(set(cls.values())):
            return new
        cls = new


def _access(d: DFA) -> dict[int, tuple[str, ...]]:
    words, todo = {d.start: ()}, deque([d.start])
    while todo:
        q = todo.popleft()
        for a, t in enumerate(d.delta[q]):
            if t not in words:
                words[t] = words[q] + (d.alphabet[a],)
                todo.append(t)
    return words


@given(dfas())
def test_minimize_is_the_quotient_by_the_naive_refinement(d: DFA) -> None:
    m = dfa.minimize(d)
    cls, access = _naive_classes(d), _access(d)
    assert len(m.states) == len(set(cls.values()))
    image = {q: m.run(u) for q, u in access.items()}
    for p, q in itertools.product(access, repeat=2):
        assert (cls[p] == cls[q]) == (image[p] == image[q])
    for q in access:
        assert (image[q] in m.accepting) == (q in d.accepting)
        for a, t in enumerate(d.delta[q]):
            assert m.delta[image[q]][a] == image[t]


@given(dfas())
def test_minimizing_twice_equals_minimizing_once(d: DFA) -> None:
    once = dfa.minimize(d)
    assert dfa.minimize(once) == once
    assert dfa.is_minimal(once)


@given(dfas(), st.randoms(use_true_random=False))
def test_renaming_and_reordering_states_preserves_the_language(d: DFA, rng) -> None:
    order = list(range(len(d.states)))
    rng.shuffle(order)
    renamed = dfa.rename(dfa.reorder(d, order), lambda q: f"x_{q}")
    assert dfa.equivalent(d, renamed) is None
    assert len(dfa.minimize(renamed).states) == len(dfa.minimize(d).states)


def _brute_distinguishing(a: DFA, b: DFA, limit: int) -> tuple[str, ...] | None:
    for n in range(limit + 1):
        for w in itertools.product(a.alphabet, repeat=n):
            if a.accepts(w) != b.accepts(w):
                return w
    return None


@given(dfa_pairs())
def test_equivalent_returns_the_first_distinguishing_word_in_shortlex_order(pair) -> None:
    a, b = pair
    # Two states of the disjoint union (|a| + |b| states) that differ are told apart by a word
    # of length at most |a| + |b| − 2, so this search finds every difference.
    expected = _brute_distinguishing(a, b, len(a.states) + len(b.states))
    assert dfa.equivalent(a, b) == expected


def test_equivalent_treats_a_missing_symbol_as_rejection() -> None:
    ab = dfa.complete(alphabet=("a", "b"), states=("p",), start="p", accepting=("p",),
                      transitions={"p": {"a": "p", "b": "p"}})
    a_only = dfa.complete(alphabet=("a",), states=("p",), start="p", accepting=("p",),
                          transitions={"p": {"a": "p"}})
    assert dfa.equivalent(a_only, ab) == ("b",)


def test_minimize_keeps_the_name_of_each_blocks_first_state() -> None:
    # states q1 and q3 both mean "odd number of a's"; q0 and q2 "even"
    d = dfa.complete(alphabet=("a",), states=("q0", "q1", "q2", "q3"), start="q0",
                     accepting=("q0", "q2"),
                     transitions={"q0": {"a": "q1"}, "q1": {"a": "q2"}, "q2": {"a": "q3"},
                                  "q3": {"a": "q0"}})
    assert dfa.minimize(d).states == ("q0", "q1")


def test_trim_drops_only_unreachable_states_and_keeps_the_sink() -> None:
    d = dfa.complete(alphabet=("a", "b"), states=("p", "lost", "q"), start="p",
                     accepting=("q",), transitions={"p": {"a": "q"}, "lost": {"a": "p"}})
    t = dfa.trim(d)
    assert t.states == ("p", "q", "sink")
    assert dfa.equivalent(d, t) is None


def test_complete_adds_a_sink_only_when_an_edge_is_missing() -> None:
    full = dfa.complete(alphabet=("a",), states=("p",), start="p", accepting=(),
                        transitions={"p": {"a": "p"}})
    assert full.states == ("p",)


def test_to_spec_and_back_gives_the_same_dfa() -> None:
    d = zoo.tomita(3)
    assert dfa.from_spec(dfa.to_spec(d)) == d


def test_from_language_materialises_a_step_function_in_breadth_first_order() -> None:
    d = dfa.from_language(zoo.dyck(k=1, h=2), state_name=zoo.dyck(k=1, h=2).state_name)
    assert d.states == ("empty", "(", "sink", "((")
    assert dfa.minimize(d).states == d.states


def test_from_language_refuses_more_states_than_the_limit() -> None:
    from ssmproof.errors import SpecError

    with pytest.raises(SpecError, match="more than 10 reachable states"):
        dfa.from_language(zoo.dyck(k=2, h=3), max_states=10)


def test_rename_refuses_duplicate_names() -> None:
    with pytest.raises(ValueError, match="duplicate state names"):
        dfa.rename(zoo.parity(), {"odd": "even"})


@given(st.integers(20, 120), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_minimize_matches_moore_on_larger_random_dfas_with_many_splits(n, k, seed) -> None:
    # Uniform DFAs of up to 120 states with few accepting states (about one in eight): many
    # blocks split many times, the case the bookkeeping of Hopcroft's algorithm is about.
    import numpy as np

    rng = np.random.default_rng(seed)
    delta = tuple(tuple(int(t) for t in row) for row in rng.integers(0, n, (n, k)))
    accepting = frozenset(int(q) for q in np.flatnonzero(rng.random(n) < 0.125))
    d = DFA(tuple("abcd"[:k]), tuple(f"s{i}" for i in range(n)), 0, accepting, delta)
    m = dfa.minimize(d)
    assert len(m.states) == len(set(_naive_classes(d).values()))
    assert dfa.equivalent(m, d) is None


def test_bounded_dyck_minimal_dfa_has_one_state_per_stack_plus_the_sink() -> None:
    # dyck:4,6 = well-nested words over 4 bracket pairs of depth ≤ 6: the states are the stacks
    # of at most 6 open brackets (Σ 4^d, d = 0..6 = 5,461) and the sink.
    d = dfa.from_language(zoo.language("dyck:4,6"))
    assert len(dfa.minimize(d).states) == sum(4**i for i in range(7)) + 1 == 5462
