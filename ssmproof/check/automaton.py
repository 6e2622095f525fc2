"""The checker's DFA: a complete table over symbol indices, built from a step function or a
table, and Moore's partition refinement to minimize it (no import from :mod:`ssmproof.lang`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

__all__ = ["Dfa", "materialize", "minimal"]


@dataclass(frozen=True)
class Dfa:
    """``delta[q][a]``: successor of state ``q`` on ``alphabet[a]``; ``live``: states from which
    some word is accepted (predict mode checks only prefixes that end in a live state)."""

    name: str
    alphabet: tuple[str, ...]
    start: int
    accepting: frozenset[int]
    delta: tuple[tuple[int, ...], ...]

    @property
    def live(self) -> frozenset[int]:
        live, grew = set(self.accepting), True
        while grew:
            grew = False
            for q, row in enumerate(self.delta):
                if q not in live and any(t in live for t in row):
                    live.add(q)
                    grew = True
        return frozenset(live)

    def allowed(self, q: int, live: frozenset[int]) -> tuple[bool, ...]:
        """Predictive labels after a prefix in ``q``: each symbol (stays live), then EOS."""
        return tuple(t in live for t in self.delta[q]) + (q in self.accepting,)


def materialize(name: str, alphabet: tuple[str, ...], start: Hashable,
                step: Callable[[Hashable, str], Hashable], accepts: Callable[[Hashable], bool],
                limit: int = 200_000) -> Dfa:
    """The reachable part of a step-function language as a table (breadth first)."""
    index, order = {start: 0}, [start]
    rows: list[tuple[int, ...]] = []
    while len(rows) < len(order):
        q = order[len(rows)]
        row = []
        for a in alphabet:
            t = step(q, a)
            if t not in index:
                if len(order) >= limit:
                    raise ValueError(f"{name}: more than {limit} states")
                index[t] = len(order)
                order.append(t)
            row.append(index[t])
        rows.append(tuple(row))
    return Dfa(name, alphabet, 0, frozenset(i for i, q in enumerate(order) if accepts(q)),
               tuple(rows))


def minimal(dfa: Dfa) -> Dfa:
    """The minimal complete DFA of the reachable part (Moore: refine by successor blocks)."""
    reach = materialize(dfa.name, tuple(range(len(dfa.alphabet))), dfa.start,  # type: ignore
                        lambda q, a: dfa.delta[q][a], lambda q: q in dfa.accepting)
    block = [int(q in reach.accepting) for q in range(len(reach.delta))]
    while True:
        sig = [(block[q], tuple(block[t] for t in row)) for q, row in enumerate(reach.delta)]
        ids: dict[tuple, int] = {}
        new = [ids.setdefault(s, len(ids)) for s in sig]
        done = len(ids) == len(set(block))
        block = new
        if done:
            break
    table: dict[int, tuple[int, ...]] = {}
    for q, row in enumerate(reach.delta):
        table.setdefault(block[q], tuple(block[t] for t in row))
    return Dfa(dfa.name, dfa.alphabet, block[0],
               frozenset(block[q] for q in reach.accepting), tuple(table[b] for b in
                                                                    range(len(table))))
