"""A simulation relation between a language's states and an SSM's configurations, by groups.

The relation is a conjunction of :class:`Group` constraints. Each group names some language
components (:mod:`ssmproof.lang.factored`) and some configuration coordinates (state dims, or
``prev:<dim>`` lag buffers) and lists the value tuples they may take together. A joint state
(language state, configuration) is *in* the relation when every group's coordinates hold one of
that group's tuples. Groups may share coordinates (every Dyck group reads the depth), which is
how a group's allowed values depend on another's.

On disk (``ssmproof-relation/1``)::

    {"format": "ssmproof-relation/1", "name": "...",
     "groups": [{"components": ["depth"], "dims": ["L1.depth"],
                 "tuples": [[0, "0"], [1, "1"]]}, ...]}

Language values are JSON ints or strings as the language defines them; dim values are exact
rationals written as strings (``"1/2"``), as in SSM files. Nothing is evaluated.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.errors import SsmproofError

__all__ = ["Group", "Relation", "to_json", "from_json", "FORMAT"]

FORMAT = "ssmproof-relation/1"


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
    name: str
    groups: tuple[Group, ...]

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


def to_json(rel: Relation) -> str:
    groups = []
    for g in rel.groups:
        nc = len(g.components)
        rows = sorted(([*t[:nc], *(str(v) for v in t[nc:])] for t in g.tuples), key=repr)
        groups.append({"components": list(g.components), "dims": list(g.dims), "tuples": rows})
    return json.dumps({"format": FORMAT, "name": rel.name, "groups": groups}, indent=1) + "\n"


def from_json(text: str, path: str = "relation") -> Relation:
    """Read a relation file; every defect is an :class:`SsmproofError` naming the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SsmproofError(f"{path}: not JSON ({err.msg} at line {err.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SsmproofError(f"{path}: format: expected \"{FORMAT}\"")
    groups = []
    for i, g in enumerate(data.get("groups") or []):
        where = f"{path}: groups[{i}]"
        comps, dims, rows = g.get("components", []), g.get("dims", []), g.get("tuples")
        if not isinstance(rows, list) or not all(isinstance(c, str) for c in [*comps, *dims]):
            raise SsmproofError(f"{where}: needs string lists components/dims and a list tuples")
        nc = len(comps)
        tuples = []
        for j, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != nc + len(dims):
                raise SsmproofError(f"{where}.tuples[{j}]: needs {nc + len(dims)} values")
            tuples.append((*row[:nc], *(_value(v, f"{where}.tuples[{j}]") for v in row[nc:])))
        groups.append(Group(tuple(comps), tuple(dims), frozenset(tuples)))
    if not groups:
        raise SsmproofError(f"{path}: groups: empty; a relation needs at least one group")
    return Relation(str(data.get("name", "")), tuple(groups))
