"""Private DFA helpers for this package: minimisation and a transition-monoid aperiodicity test.

Stand-ins until ``ssmproof.lang.dfa.minimize`` and ``ssmproof.lang.monoid`` exist; small and
written for clarity, not speed.
"""

from __future__ import annotations

from collections import deque

from ssmproof.lang.automaton import DFA

__all__ = ["minimal", "monoid_is_aperiodic", "powers_stabilise"]


def _reachable_order(dfa: DFA) -> list[int]:
    """States reachable from the start, breadth-first, symbols in alphabet order."""
    order, seen = [dfa.start], {dfa.start}
    queue = deque(order)
    while queue:
        for t in dfa.delta[queue.popleft()]:
            if t not in seen:
                seen.add(t)
                order.append(t)
                queue.append(t)
    return order


def minimal(dfa: DFA, name: str | None = None) -> DFA:
    """The minimal complete DFA (Moore refinement), states ``q0, q1, ...`` breadth-first.

    Examples
    --------
    >>> d = DFA(("a",), ("x", "y", "z"), 0, frozenset({0, 1}), ((1,), (0,), (0,)))
    >>> len(minimal(d).states)
    1
    """
    order = _reachable_order(dfa)
    block = {q: int(q in dfa.accepting) for q in order}
    while True:
        sig = {q: (block[q], *(block[t] for t in dfa.delta[q])) for q in order}
        ids: dict[tuple[int, ...], int] = {}
        new = {q: ids.setdefault(sig[q], len(ids)) for q in order}
        if len(ids) == len(set(block.values())):
            break
        block = new
    return _quotient(dfa, block, name)


def _quotient(dfa: DFA, block: dict[int, int], name: str | None) -> DFA:
    """The DFA on the blocks, numbered breadth-first from the start's block."""
    rep: dict[int, int] = {}
    for q in sorted(block):
        rep.setdefault(block[q], q)
    number = {block[dfa.start]: 0}
    queue = deque([block[dfa.start]])
    while queue:
        b = queue.popleft()
        for t in dfa.delta[rep[b]]:
            if block[t] not in number:
                number[block[t]] = len(number)
                queue.append(block[t])
    inverse = sorted(number, key=number.__getitem__)
    delta = tuple(tuple(number[block[t]] for t in dfa.delta[rep[b]]) for b in inverse)
    accepting = frozenset(number[b] for b in inverse if rep[b] in dfa.accepting)
    states = tuple(f"q{i}" for i in range(len(inverse)))
    return DFA(dfa.alphabet, states, 0, accepting, delta, name=dfa.name if name is None else name)


def monoid_is_aperiodic(dfa: DFA, budget: int = 200_000) -> bool:
    """Whether the transition monoid is aperiodic: every element f has f^k = f^(k+1) for some k.

    Builds the monoid by breadth-first closure under the letters (at most ``budget`` elements,
    else ``ValueError``) and checks each element's power sequence ends in a fixed point.
    """
    n = len(dfa.states)
    letters = [tuple(row[a] for row in dfa.delta) for a in range(len(dfa.alphabet))]
    identity = tuple(range(n))
    seen = {identity}
    queue = deque([identity])
    while queue:
        f = queue.popleft()
        for g in letters:
            h = tuple(g[x] for x in f)
            if h not in seen:
                if len(seen) >= budget:
                    raise ValueError(f"transition monoid exceeds {budget} elements")
                seen.add(h)
                queue.append(h)
    return all(powers_stabilise(f) for f in seen)


def powers_stabilise(f: tuple[int, ...]) -> bool:
    """Whether f, f², f³, ... reaches a fixed point (no cycle of period ≥ 2)."""
    powers = [f]
    while True:
        g = tuple(f[x] for x in powers[-1])
        if g == powers[-1]:
            return True
        if g in powers:
            return False
        powers.append(g)
