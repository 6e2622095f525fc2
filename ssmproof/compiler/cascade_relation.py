"""The simulation relation a star-free cascade construction carries (``verify --invariant``).

A ``starfree-cascade`` SSM (:mod:`ssmproof.compiler.starfree`) holds, after every prefix, the
codes of its cascade's configuration and the lagged indicators of those codes: a function of the
cascade configuration, which itself determines the DFA state. So its relation is one row per
reachable cascade configuration c: the language state reached by a word w that leads the cascade
to c, and the SSM's configuration after w (for a table finer than the minimal DFA, one row per
table state met together with c). The cascade is rebuilt from the language's minimal
DFA, as the compiler built it, and explored breadth first (cheap reset steps); the SSM is
stepped once per configuration, on its first word only, so this costs one SSM step per row
where ``prove`` takes one per row and symbol.

Nothing here is trusted: the rows are a *claim* that the invariant method checks (initiation,
consecution, readout). If the SSM's configuration were not a function of the cascade's — a wrong
construction, a decaying channel in exact arithmetic, a format that rounds a code — or the
cascade rebuilt here were not the one compiled, the relation is not inductive and the check
says so with a word.
"""

from __future__ import annotations

from collections import deque

from ssmproof.algebra import holonomy
from ssmproof.compiler.starfree import RECIPE
from ssmproof.errors import CompileError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang.automaton import DFA
from ssmproof.numerics.formats import Format
from ssmproof.sim import affine
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM
from ssmproof.ssm.relation import Group, Relation

__all__ = ["relation", "MAX_ROWS", "RECIPE"]

MAX_ROWS = 200_000
"""Reachable cascade configurations beyond which no relation is emitted (CompileError)."""


def relation(ssm: SSM, dfa: DFA, fmt: Format) -> Relation:
    """One group over ``q`` and every configuration coordinate, one row per reachable pair
    (cascade configuration, state of ``dfa``) — one per cascade configuration when ``dfa`` is
    minimal — with ``q`` named by a word reaching it (``ssmproof-relation/2``).

    Coordinates are named as :func:`ssmproof.sim.affine.coordinates` names them; a name that
    several layers' lag buffers share (always equal values) is listed once.

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.compiler.starfree import compile_dfa
    >>> from ssmproof.numerics.formats import parse
    >>> rel = relation(compile_dfa(contains_aa()), contains_aa(), parse("exact"))
    >>> rel.groups[0].dims
    ('L1.lvl[1].is[2]', 'L2.lvl[2].is[2]', 'prev:L1.lvl[1].is[2]')
    >>> sorted(rel.groups[0].tuples)[:2]  # the language state by a word, then the values
    [((), 0, 0, 0), (('a',), 1, 0, 1)]
    """
    minimal = dfa_.minimize(dfa)
    try:
        cascade = holonomy.decompose(minimal, max_configurations=MAX_ROWS)
    except ValueError as err:
        raise CompileError(f"{minimal.name}: the cascade is too large for a relation: "
                           f"{err}") from None
    m = Machine(ssm, fmt)
    coordinates = affine.coordinates(m)
    tokens = [m.token_ids([s])[0] for s in cascade.alphabet]
    first = m.step(m.start(), 0)[0]
    if len(coordinates) != len(first):
        raise CompileError(f"internal: {len(coordinates)} coordinate names for a configuration "
                           f"of {len(first)} values")
    where = {name: i for i, name in enumerate(coordinates)}
    configs = {cascade.initial: first}  # the SSM's configuration, once per cascade configuration
    start = (cascade.initial, dfa.start)
    rows = {((), *(first[i] for i in where.values()))}
    seen, queue = {start}, deque([(start, ())])
    while queue:  # pairs (cascade configuration, state of ``dfa``): a table may be finer
        (coords, q), word = queue.popleft()
        for a, symbol in enumerate(cascade.alphabet):
            pair = (cascade.step(coords, a), dfa.delta[q][a])
            if pair in seen:
                continue
            if len(seen) >= MAX_ROWS:
                raise CompileError(f"{minimal.name}: more than {MAX_ROWS} reachable cascade "
                                   "configurations; no relation is emitted")
            seen.add(pair)
            if pair[0] not in configs:
                configs[pair[0]] = m.step(configs[coords], tokens[a])[0]
            after = configs[pair[0]]
            rows.add(((*word, symbol), *(after[i] for i in where.values())))
            queue.append((pair, (*word, symbol)))
    group = Group(("q",), tuple(where), frozenset(rows))
    return Relation(f"starfree-cascade:{ssm.name}", (group,), named=True)
