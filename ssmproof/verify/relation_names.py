"""Relations between names and the toolkit's internal values (``ssmproof-relation/2`` ↔ ``/1``).

A relation file should mean something to anyone holding the language's spec, whatever the
toolkit's numbering of its states: ``ssmproof-relation/2`` names a DFA state by a word reaching
it (or a table spec's state name) and a Dyck bracket type by its opening symbol
(docs/verification.md, "Relation files"). The invariant method works on internal values
(:mod:`ssmproof.lang.factored`); :func:`resolve` turns names into them for one language and
:func:`named` turns them back, so that the toolkit writes what it proved in the spec's terms.

Which DFA a word is read in: a table spec's table as written (completed with one sink); the
minimal DFA for anything else (:func:`ssmproof.verify.invariant.factored_for` sees to it).
"""

from __future__ import annotations

from collections.abc import Hashable

from ssmproof.errors import SsmproofError
from ssmproof.lang.factored import Factored
from ssmproof.ssm.relation import Group, Relation

__all__ = ["resolve", "named"]


def resolve(rel: Relation, lang: Factored, path: str = "relation") -> Relation:
    """The relation in ``lang``'s internal values (a ``/1`` relation is returned unchanged).

    A row naming a state that is not explored (a dead state in predict mode) is dropped: it
    constrains nothing the proof meets. Rows naming the same state with the same values become
    one. A name that names nothing is an :class:`SsmproofError` naming the group and the fix.

    Examples
    --------
    >>> from ssmproof.lang import factored, zoo
    >>> f = factored.from_dfa(zoo.parity(), complete=True)
    >>> rel = Relation("p", (Group(("q",), ("x",), frozenset({((), 0), (("1",), 1),
    ...                                                         (("1", "1"), 0)})),), named=True)
    >>> sorted(resolve(rel, f).groups[0].tuples)
    [(0, 0), (1, 1)]
    """
    if not rel.named:
        return rel
    groups = []
    for i, g in enumerate(rel.groups):
        for c in g.components:
            if c not in lang.domains:
                raise SsmproofError(f"{path}: groups[{i}]: component '{c}' is not one of "
                                    f"{list(lang.components)} of {lang.name}")
        rows = set()
        for row in g.tuples:
            values = [_internal(lang, c, v, f"{path}: groups[{i}]")
                      for c, v in zip(g.components, row)]
            if all(v is not None for v in values):
                rows.add((*values, *row[len(g.components):]))
        groups.append(Group(g.components, g.dims, frozenset(rows)))
    return Relation(rel.name, tuple(groups), named=False)


def named(rel: Relation, lang: Factored) -> Relation:
    """The relation with every language value named in the spec's terms (``/2``)."""
    if rel.named:
        return rel
    to_name = lang.to_name
    if to_name is None:
        raise SsmproofError(f"{lang.name}: this language cannot name its states")
    groups = []
    for g in rel.groups:
        nc = len(g.components)
        try:
            rows = frozenset((*(to_name(c, v) for c, v in zip(g.components, row)), *row[nc:])
                             for row in g.tuples)
        except ValueError as err:
            raise SsmproofError(f"relation {rel.name}: {err}") from None
        groups.append(Group(g.components, g.dims, rows))
    return Relation(rel.name, tuple(groups), named=True)


def _internal(lang: Factored, component: str, value: Hashable, where: str) -> Hashable | None:
    if lang.from_name is None:
        raise SsmproofError(f"{where}: the language {lang.name} cannot read named values; "
                            "give the relation in ssmproof-relation/1")
    try:
        return lang.from_name(component, value)
    except ValueError as err:
        raise SsmproofError(f"{where}: {err}") from None
