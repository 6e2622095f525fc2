"""dfas(): complete, sized as asked, minimal / aperiodic / non-aperiodic when asked.

Minimality and aperiodicity are checked here by brute force written independently of
ssmproof.lang (Moore refinement; closure of the transition maps), and once against monoid.
"""

from __future__ import annotations

from collections import Counter

import pytest

from ssmproof.errors import SsmproofError
from ssmproof.lang import monoid
from ssmproof.testing import strategies
from tests.testing.draw import draw_many


def _reachable(d):
    seen, todo = {d.start}, [d.start]
    while todo:
        for t in d.delta[todo.pop()]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def _moore_classes(d):
    """Number of equivalence classes among reachable states (Moore's refinement)."""
    reach = sorted(_reachable(d))
    cls = {q: int(q in d.accepting) for q in reach}
    while True:
        sig = {q: (cls[q], *(cls[t] for t in d.delta[q])) for q in reach}
        names = {s: i for i, s in enumerate(sorted(set(sig.values())))}
        new = {q: names[sig[q]] for q in reach}
        if len(set(new.values())) == len(set(cls.values())):
            return len(names), new
        cls = new


def _quotient(d):
    """The minimal DFA's transition maps, as tuples over class numbers (brute force)."""
    count, cls = _moore_classes(d)
    maps = []
    for a in range(len(d.alphabet)):
        m = [0] * count
        for q, c in cls.items():
            m[c] = cls[d.delta[q][a]]
        maps.append(tuple(m))
    return count, maps


def _aperiodic(n, maps):
    """Every element f of the closure of ``maps`` satisfies f^n = f^(n+1)."""
    identity = tuple(range(n))
    seen, todo = {identity}, [identity]
    while todo:
        f = todo.pop()
        for g in maps:
            h = tuple(g[f[i]] for i in range(n))
            if h not in seen:
                seen.add(h)
                todo.append(h)
    for f in seen:
        p = identity
        for _ in range(n):
            p = tuple(f[p[i]] for i in range(n))
        if p != tuple(f[p[i]] for i in range(n)):
            return False
    return True


def _own_maps(d):
    return [tuple(d.delta[q][a] for q in range(len(d.states))) for a in range(len(d.alphabet))]


def test_default_dfas_are_complete_and_cover_the_size_ranges():
    got = draw_many(strategies.dfas(), n=150)
    sizes = Counter(len(d.states) for d in got)
    assert set(sizes) == set(range(1, 9))
    assert {len(d.alphabet) for d in got} == {2, 3}
    for d in got:
        assert d.start == 0 and all(len(r) == len(d.alphabet) for r in d.delta)
    assert any(_moore_classes(d)[0] < len(d.states) for d in got)  # non-minimal ones appear


def test_minimal_dfas_are_minimal_by_moore_refinement():
    got = draw_many(strategies.dfas(states=(3, 6), minimal=True), n=100)
    for d in got:
        assert _reachable(d) == set(range(len(d.states)))
        assert _moore_classes(d)[0] == len(d.states)
        assert 3 <= len(d.states) <= 6
    assert {len(d.states) for d in got} >= {3, 6}


@pytest.mark.parametrize("minimal", [False, True], ids=["any", "minimal"])
def test_aperiodic_dfas_have_aperiodic_transition_monoids(minimal):
    got = draw_many(strategies.dfas(states=(1, 7), aperiodic=True, minimal=minimal), n=80)
    for d in got:
        assert _aperiodic(len(d.states), _own_maps(d)), d
    assert {len(d.states) for d in got} >= {1, 7}
    assert {len(d.alphabet) for d in got} == {2, 3}
    minimal_count = sum(_moore_classes(d)[0] == len(d.states) for d in got)
    if minimal:
        assert minimal_count == len(got)
    else:
        assert 0 < minimal_count < len(got)  # state splits produce non-minimal ones too
    assert all(_aperiodic(*_quotient(d)) for d in got)  # so the languages are star-free


def test_unary_aperiodic_dfas_are_minimal_chains():
    got = draw_many(strategies.dfas(states=(1, 5), symbols=1, aperiodic=True, minimal=True),
                    n=40)
    for d in got:
        assert _moore_classes(d)[0] == len(d.states)
        assert _aperiodic(len(d.states), _own_maps(d))
    assert {len(d.states) for d in got} == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("minimal", [False, True], ids=["any", "minimal"])
def test_non_aperiodic_dfas_have_a_group_even_after_minimization(minimal):
    got = draw_many(strategies.dfas(states=(1, 6), aperiodic=False, minimal=minimal), n=80)
    for d in got:
        assert len(d.states) >= 2
        assert not _aperiodic(*_quotient(d)), d
    assert {len(d.states) for d in got} >= {2, 6}


def test_monoid_module_agrees_on_drawn_dfas():
    for d in draw_many(strategies.dfas(states=(2, 5), aperiodic=True), n=15, seed=1):
        assert monoid.is_aperiodic_monoid(monoid.transition_monoid(d))
    for d in draw_many(strategies.dfas(states=(2, 5), aperiodic=False), n=15, seed=1):
        assert monoid.classify(d).star_free is False


@pytest.mark.parametrize("kwargs", [dict(states=0), dict(states=(4, 2)), dict(symbols=27),
                                    dict(states=1, aperiodic=False)],
                         ids=["no_states", "reversed_range", "too_many_symbols",
                              "one_state_group"])
def test_dfas_rejects_impossible_sizes(kwargs):
    with pytest.raises(SsmproofError):
        strategies.dfas(**kwargs)
