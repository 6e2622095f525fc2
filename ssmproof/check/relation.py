"""Relation files as the checker reads them: ``ssmproof-relation/1`` and ``/2``.

A relation is a conjunction of groups, each a set of value tuples over some language components
and configuration coordinates (docs/verification.md, "Relation files"). The two versions differ
only in how a *language* value is written, and the checker turns both into its own values:

- ``/1``: ``q`` is a DFA state index (meaningful to the checker only for a table spec, whose states
  it numbers as written, sink last) and ``top[ℓ]`` a bracket type index;
- ``/2``: ``q`` is a **word** naming the state it reaches in the language's DFA (a table as written,
  completed with a sink; otherwise the minimal complete DFA, which is what the checker builds for
  zoo names and regexes) or, for a table spec only, one of the spec's own state names; ``top[ℓ]``
  is the bracket type's **opening symbol** or ``-``.

So a ``/2`` relation names states the same way whatever program numbers them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from ssmproof.check.automaton import Dfa
from ssmproof.check.inputs import BadInput, need, rational

__all__ = ["Relation", "read_relation", "version", "components", "levels_value", "state_value"]

FORMATS = {"ssmproof-relation/1": 1, "ssmproof-relation/2": 2}
Value = Callable[[str, Any, str], Hashable]  # (component, value as written, field) -> value


@dataclass(frozen=True)
class Relation:
    name: str
    coords: tuple[tuple[str, ...], ...]  # per group: lang:<component>…, then dim names
    tuples: tuple[frozenset[tuple[Hashable, ...]], ...]
    ncomponents: tuple[int, ...]


def version(data: dict[str, Any], path: str) -> int:
    if data.get("format") not in FORMATS:
        raise BadInput(path, "format", "is not ssmproof-relation/1 or /2", "give a relation file")
    return FORMATS[data["format"]]


def components(data: dict[str, Any], path: str) -> set[str]:
    """Every language component the relation's groups name."""
    groups = need(data, "groups", list, path)
    return {c for i, g in enumerate(groups)
            for c in need(g, "components", list, path, f"groups[{i}]") if isinstance(c, str)}


def read_relation(data: dict[str, Any], path: str, value: Value) -> Relation:
    """The groups with language values through ``value`` and dim values as rationals."""
    version(data, path)
    coords, tuples, ncomp = [], [], []
    for i, g in enumerate(need(data, "groups", list, path) or [None]):
        f = f"groups[{i}]"
        comps, dims = need(g, "components", list, path, f), need(g, "dims", list, path, f)
        names = (*(f"lang:{c}" for c in comps), *dims)
        if not names or not all(isinstance(c, str) for c in (*comps, *dims)):
            raise BadInput(path, f, "names no coordinate, or a name is not a string",
                           "give components and dims")
        rows = set()
        for j, row in enumerate(need(g, "tuples", list, path, f)):
            where = f"{f}.tuples[{j}]"
            if not isinstance(row, list) or len(row) != len(names):
                raise BadInput(path, where, f"needs {len(names)} values",
                               "one value per component and dim")
            dims_v = [rational(str(v) if type(v) is int else v, path, where)
                      for v in row[len(comps):]]
            rows.add((*(value(c, v, where) for c, v in zip(comps, row)),
                      *(d.numerator if d.denominator == 1 else d for d in dims_v)))
        coords.append(names)
        tuples.append(frozenset(rows))
        ncomp.append(len(comps))
    return Relation(str(data.get("name", "")), tuple(coords), tuple(tuples), tuple(ncomp))


def as_written(component: str, v: Any, where: str) -> Hashable:
    """``/1``: language values are indices, kept as they are."""
    return tuple(v) if isinstance(v, list) else v


def levels_value(alphabet: tuple[str, ...], path: str) -> Value:
    """``/2`` by Dyck levels: ``top[ℓ]`` from an opening symbol to its type index."""
    types = {alphabet[2 * t]: t for t in range(len(alphabet) // 2)}

    def value(component: str, v: Any, where: str) -> Hashable:
        if not component.startswith("top["):
            if type(v) is not int:
                raise BadInput(path, where, f"{component} = {v!r} is not an integer",
                               "write depth and failed as JSON integers")
            return v
        if v != "-" and v not in types:
            raise BadInput(path, where, f"{component} = {v!r} is not an opening bracket or '-'",
                           f"use one of {sorted(types)} or '-'")
        return types.get(v, "-")
    return value


def state_value(dfa: Dfa, names: tuple[str, ...] | None, path: str) -> Value:
    """``/2`` as one component ``q``: a word run from the start, or (a table) a state's name."""
    index = {s: i for i, s in enumerate(dfa.alphabet)}

    def value(component: str, v: Any, where: str) -> Hashable:
        if isinstance(v, str):
            if names is None or v not in names:
                fix = "name the state by a word" if names is None else \
                    "use a name from the spec's states, or a word"
                raise BadInput(path, where, f"state {v!r} is not a state of the spec", fix)
            return names.index(v)
        if not isinstance(v, list):
            raise BadInput(path, where, f"q = {v!r} is neither a word nor a state name",
                           "write a list of symbols")
        q = dfa.start
        for s in v:
            if s not in index:
                raise BadInput(path, where, f"symbol {s!r} is not in the alphabet",
                               f"use symbols of {list(dfa.alphabet)}")
            q = dfa.delta[q][index[s]]
        return q
    return value
