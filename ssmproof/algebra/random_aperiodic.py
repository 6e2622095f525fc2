"""Random minimal aperiodic DFAs, aperiodic by construction.

Uniformly random minimal DFAs are almost never aperiodic (about 5 in 19,000 binary 12-state
ones), so rejection sampling does not work. Two constructions that are aperiodic by design:

- ``"cascade"``: a random cascade of reset automata (each level keeps or resets, depending on
  the symbol and the levels above), a random accepting set of its reachable configurations,
  minimised. Cascades of resets have aperiodic monoids, and so do their quotients.
- ``"ordered"``: a spanning tree in the order 0 < 1 < ... of the states plus edges that go
  forward or stay (a partially ordered automaton is aperiodic), with a few back edges;
  minimised, and kept only when aperiodic (about half the draws, thanks to the few back edges).

Only the state count is sampled by retrying: a draw whose minimal DFA has another size is
discarded and the next draw of the same seeded generator is tried.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Hashable
from typing import Any

from ssmproof.algebra.images import skeleton
from ssmproof.errors import NotStarFreeError
from ssmproof.lang.automaton import DFA
from ssmproof.lang.dfa import minimize
from ssmproof.lang.monoid import index_and_period

__all__ = ["random_aperiodic_dfa"]

_METHODS = ("cascade", "ordered")


def random_aperiodic_dfa(
    seed: int,
    states: int,
    alphabet_size: int = 2,
    *,
    method: str = "mixed",
    max_tries: int = 20_000,
) -> DFA:
    """A random minimal aperiodic DFA with exactly ``states`` states (deterministic in ``seed``).

    Parameters
    ----------
    seed : int
        Seeds a private ``random.Random``; the same arguments give the same DFA.
    states : int
        Number of states of the (complete, minimal) result, ≥ 1.
    alphabet_size : int
        Symbols ``a, b, c, ...`` (at most 26).
    method : {"mixed", "cascade", "ordered"}
        Construction (see the module docstring); ``"mixed"`` picks one per draw. Over one
        symbol every minimal aperiodic DFA is a path ending in a self-loop, built directly.
    max_tries : int
        Draws before giving up with ``ValueError``.

    Notes
    -----
    Not uniform over minimal aperiodic DFAs: cascades with few, small levels and nearly ordered
    automata are favoured. The result's transition monoid is aperiodic (checked).

    Examples
    --------
    >>> d = random_aperiodic_dfa(seed=1, states=5)
    >>> len(d.states), d.alphabet
    (5, ('a', 'b'))
    >>> d == random_aperiodic_dfa(seed=1, states=5)
    True
    """
    if states < 1 or not 1 <= alphabet_size <= 26:
        raise ValueError("need states >= 1 and 1 <= alphabet_size <= 26")
    if method != "mixed" and method not in _METHODS:
        raise ValueError(f"method must be 'mixed' or one of {_METHODS}, not {method!r}")
    rng = random.Random(f"{seed}:{states}:{alphabet_size}:{method}")
    alphabet = tuple(chr(ord("a") + i) for i in range(alphabet_size))
    if alphabet_size == 1:
        return _chain(rng, states, f"random-aperiodic-{seed}-{states}-1")
    for _ in range(max_tries):
        how = rng.choice(_METHODS) if method == "mixed" else method
        draw = (
            _cascade_draw(rng, states, alphabet)
            if how == "cascade"
            else _ordered_draw(rng, states, alphabet)
        )
        dfa = minimize(draw)
        if len(dfa.states) == states and (how == "cascade" or _aperiodic(dfa)):
            return _renamed(dfa, f"random-aperiodic-{seed}-{states}-{alphabet_size}")
    raise ValueError(f"no {states}-state DFA in {max_tries} draws")


def _aperiodic(dfa: DFA) -> bool:
    """Trivial holonomy (equivalent to an aperiodic monoid), after a quick look at short words."""
    n = len(dfa.states)
    letters = [tuple(row[a] for row in dfa.delta) for a in range(len(dfa.alphabet))]
    short = letters + [tuple(g[f[x]] for x in range(n)) for f in letters for g in letters]
    if any(index_and_period(f)[1] > 1 for f in short):
        return False
    try:
        skeleton(dfa, max_images=50 * n * n)
    except (NotStarFreeError, ValueError):
        return False
    return True


def _chain(rng: random.Random, n: int, name: str) -> DFA:
    """Over one symbol the minimal aperiodic DFAs are paths ending in a self-loop."""
    flags = [rng.random() < 0.5 for _ in range(n)]
    if n >= 2:
        flags[-1] = not flags[-2]  # else the last two states would be equivalent
    delta = tuple((min(q + 1, n - 1),) for q in range(n))
    states = tuple(f"q{i}" for i in range(n))
    return DFA(("a",), states, 0, frozenset(q for q in range(n) if flags[q]), delta, name=name)


def _renamed(dfa: DFA, name: str) -> DFA:
    """States q0, q1, ... in the (breadth-first) order ``minimize`` left them in."""
    states = tuple(f"q{i}" for i in range(len(dfa.states)))
    return DFA(dfa.alphabet, states, dfa.start, dfa.accepting, dfa.delta, name=name)


def _cascade_draw(rng: random.Random, target: int, alphabet: tuple[str, ...]) -> DFA:
    """Reachable part of a random reset cascade with about 4-16x ``target`` configurations."""
    sizes: list[int] = []
    while _prod(sizes) < target * rng.uniform(4.0, 16.0):
        sizes.append(rng.choice((2, 2, 3, 4)))
    p_keep = rng.uniform(0.2, 0.6)
    actions = [
        {
            (a, upper): (None if rng.random() < p_keep else rng.randrange(size))
            for a in range(len(alphabet))
            for upper in itertools.product(*(range(s) for s in sizes[:d]))
        }
        for d, size in enumerate(sizes)
    ]
    step = lambda c, a: _cascade_step(actions, c, a)  # noqa: E731
    return _explore(tuple([0] * len(sizes)), alphabet, step, rng.uniform(0.2, 0.8), rng)


def _cascade_step(
    actions: list[dict[tuple[int, tuple[int, ...]], int | None]], coords: tuple[int, ...], a: int
) -> tuple[int, ...]:
    out = []
    for d, x in enumerate(coords):
        act = actions[d][a, coords[:d]]
        out.append(x if act is None else act)
    return tuple(out)


def _ordered_draw(rng: random.Random, target: int, alphabet: tuple[str, ...]) -> DFA:
    """A spanning tree in the order 0 < 1 < ..., other edges forward or self, few back edges."""
    n, k = target + rng.randrange(0, max(2, target // 4)), len(alphabet)
    delta: list[list[int | None]] = [[None] * k for _ in range(n)]
    for q in range(1, n):
        p, a = _free_slot(rng, delta, q)
        delta[p][a] = q
    back = rng.uniform(0.0, 0.08)
    for p, row in enumerate(delta):
        for a, t in enumerate(row):
            if t is None:
                row[a] = rng.randrange(p + 1) if rng.random() < back else rng.randrange(p, n)
    table = [[t for t in row if t is not None] for row in delta]
    return _explore(0, alphabet, lambda q, a: table[q][a], rng.uniform(0.2, 0.8), rng)


def _free_slot(rng: random.Random, delta: list[list[int | None]], q: int) -> tuple[int, int]:
    """An unused (state, symbol) slot among states < q, preferring the last four states."""
    free = [(p, a) for p in range(q) for a, t in enumerate(delta[p]) if t is None]
    recent = [(p, a) for p, a in free if p >= q - 4]
    return rng.choice(recent or free)  # q states so far have q*k slots and q-1 tree edges


def _explore(
    start: Hashable,
    alphabet: tuple[str, ...],
    step: Callable[[Any, int], Hashable],
    p_accept: float,
    rng: random.Random,
) -> DFA:
    """The reachable part of a step function as a DFA with a random accepting set."""
    index = {start: 0}
    order = [start]
    delta: list[tuple[int, ...]] = []
    for state in order:  # grows while iterating: breadth-first
        row = []
        for a in range(len(alphabet)):
            nxt = step(state, a)
            if nxt not in index:
                index[nxt] = len(order)
                order.append(nxt)
            row.append(index[nxt])
        delta.append(tuple(row))
    accepting = frozenset(i for i in range(len(order)) if rng.random() < p_accept)
    names = tuple(f"s{i}" for i in range(len(order)))
    return DFA(alphabet, names, 0, accepting, tuple(delta))


def _prod(xs: list[int]) -> int:
    out = 1
    for x in xs:
        out *= x
    return out
