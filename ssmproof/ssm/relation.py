"""A simulation relation between a language's states and an SSM's configurations, by groups.

The relation is a conjunction of :class:`Group` constraints. Each group names some language
components (:mod:`ssmproof.lang.factored`) and some configuration coordinates (state dims, or
``prev:<dim>`` lag buffers) and lists the value tuples they may take together. A joint state
(language state, configuration) is *in* the relation when every group's coordinates hold one of
that group's tuples. Groups may share coordinates (every Dyck group reads the depth), which is
how a group's allowed values depend on another's.

On disk::

    {"format": "ssmproof-relation/2", "name": "...",
     "groups": [{"components": ["q"], "dims": ["L1.bit"],
                 "tuples": [[[], "0"], [["w", "1"], "1"]]}, ...]}

Dim values are exact rationals written as strings (``"1/2"``), as in SSM files. Language values
say which state they are about in terms anyone holding the language's spec can read
(``ssmproof-relation/2``, :attr:`Relation.named`): a state of ``q`` by a word that reaches it (a
list of symbols) or, for a table spec, by the spec's own state name; a Dyck level's bracket type
by its opening symbol. The older ``ssmproof-relation/1`` wrote the toolkit's internal values (the
index of a DFA state, the index of a bracket type); it is still read. Turning names into the
internal values of one language is :mod:`ssmproof.verify.relation_names`. Nothing is evaluated.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.errors import SsmproofError

__all__ = ["Group", "Relation", "to_json", "from_json", "FORMAT", "FORMAT_NAMED"]

FORMAT = "ssmproof-relation/1"
"""Language values are the toolkit's internal indices (still read; see the module docstring)."""
FORMAT_NAMED = "ssmproof-relation/2"
"""Language values name states in the spec's terms (words, state names, opening brackets)."""


@dataclass(frozen=True)
class Group:
    """Coordinates and the value tuples they may take together (components first, then dims)."""

    components: tuple[str, ...]
    dims: tuple[str, ...]
    tuples: frozenset[tuple[Hashable, ...]]

    def __post_init__(self) -> None:
        width = len(self.components) + len(self.dims)
        if width == 0:
            raise SsmproofError("relation: a group names no coordinate; give components or dims")
        bad = next((t for t in self.tuples if len(t) != width), None)
        if bad is not None:
            raise SsmproofError(f"relation: tuple {list(bad)} has {len(bad)} values for "
                                f"{width} coordinates {[*self.components, *self.dims]}")

    @property
    def coordinates(self) -> tuple[str, ...]:
        """Components as ``lang:<name>``, dims by name: one namespace for the checker."""
        return tuple(f"lang:{c}" for c in self.components) + self.dims


@dataclass(frozen=True)
class Relation:
    """Groups in conjunction; ``named``: language values are names (``/2``), not indices."""

    name: str
    groups: tuple[Group, ...]
    named: bool = False

    def sizes(self) -> list[int]:
        return [len(g.tuples) for g in self.groups]


def _value(text: object, where: str) -> Fraction | int:
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise SsmproofError(f"{where}: {text!r} is not a rational; write it as a string like \"1/2\"")
    try:
        v = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise SsmproofError(f"{where}: {text!r} is not a rational; write it like \"1/2\"") from None
    return int(v) if v.denominator == 1 else v


def _language_value(v: object, where: str, named: bool) -> Hashable:
    """A component's value as written: a word (list of symbols) becomes a tuple."""
    if isinstance(v, bool) or not isinstance(v, (str, int, list)) or (
            isinstance(v, list) and not named):
        kinds = "an int, a string or a word (a list of symbols)" if named else "an int or a string"
        raise SsmproofError(f"{where}: language value {json.dumps(v)} is not {kinds}")
    if isinstance(v, list):
        if not all(isinstance(s, str) for s in v):
            raise SsmproofError(f"{where}: word {json.dumps(v)}: every symbol is a string")
        return tuple(v)
    return v


def to_json(rel: Relation) -> str:
    """The file text: ``/2`` for a named relation, ``/1`` for one in internal values; one row a
    line, rows sorted, so that a diff of two relations reads row by row."""
    def dump(x: object) -> str:
        return json.dumps(x, ensure_ascii=False)

    groups = []
    for g in rel.groups:
        nc = len(g.components)
        rows = sorted(dump([*(list(c) if isinstance(c, tuple) else c for c in t[:nc]),
                            *(str(v) for v in t[nc:])]) for t in g.tuples)
        groups.append(f'  {{"components": {dump(list(g.components))}, "dims": '
                      f'{dump(list(g.dims))},\n   "tuples": [\n    ' + ",\n    ".join(rows)
                      + "]}")
    fmt = FORMAT_NAMED if rel.named else FORMAT
    return (f'{{"format": {dump(fmt)}, "name": {dump(rel.name)},\n "groups": [\n'
            + ",\n".join(groups) + "\n ]}\n")


def from_json(text: str, path: str = "relation") -> Relation:
    """Read a relation file; every defect is an :class:`SsmproofError` naming the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SsmproofError(f"{path}: not JSON ({err.msg} at line {err.lineno})") from None
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, FORMAT_NAMED):
        raise SsmproofError(f"{path}: format: expected \"{FORMAT_NAMED}\" (or the older "
                            f"\"{FORMAT}\")")
    named = data["format"] == FORMAT_NAMED
    groups = []
    if not isinstance(data.get("groups") or [], list):
        raise SsmproofError(f"{path}: groups: needs a list of groups")
    for i, g in enumerate(data.get("groups") or []):
        where = f"{path}: groups[{i}]"
        if not isinstance(g, dict):
            raise SsmproofError(f"{where}: needs an object with components, dims and tuples")
        comps, dims, rows = g.get("components", []), g.get("dims", []), g.get("tuples")
        if not (isinstance(rows, list) and isinstance(comps, list) and isinstance(dims, list)
                and all(isinstance(c, str) for c in [*comps, *dims])):
            raise SsmproofError(f"{where}: needs string lists components/dims and a list tuples")
        nc = len(comps)
        tuples = []
        for j, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != nc + len(dims):
                raise SsmproofError(f"{where}.tuples[{j}]: needs {nc + len(dims)} values")
            at = f"{where}.tuples[{j}]"
            tuples.append((*(_language_value(v, at, named) for v in row[:nc]),
                           *(_value(v, at) for v in row[nc:])))
        groups.append(Group(tuple(comps), tuple(dims), frozenset(tuples)))
    if not groups:
        raise SsmproofError(f"{path}: groups: empty; a relation needs at least one group")
    return Relation(str(data.get("name", "")), tuple(groups), named)
