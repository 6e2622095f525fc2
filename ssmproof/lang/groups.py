"""The groups inside a regular language's syntactic monoid, and what they demand of SSM gates.

A finite monoid's *maximal subgroups* are its H-classes that contain an idempotent e: in a
monoid of maps on the minimal DFA's states, the maps with the same image and the same kernel as
e (each acts as a permutation of e's image). They are where a language counts modulo something:

- all trivial ⇔ the monoid is aperiodic ⇔ the language is star-free (Schützenberger), and
  nonnegative gates suffice (Sarrof et al. 2024, Theorem 4);
- every group a 2-group (Z₂, Z₄, Z₂×Z₂, D₄, …): what must be tracked are sign flips, which
  real diagonal gates in [−1, 1] provide (PARITY: one channel, gate −1 on a ``1``; Grazzi et
  al. 2025), in a cascade of layers when the group is not a product of Z₂ — nonnegative gates
  cannot (Theorem 2);
- every group solvable (abelian ones included): complex diagonal gates, one layer per step of an
  abelian subnormal series, so at least the derived length in layers (Shakerinava et al. 2026);
- some group not solvable (A₅ inside, say): no diagonal SSM — real or complex, of any fixed
  depth — tracks it, unless TC⁰ = NC¹ (Merrill, Petty & Sabharwal 2024).

:func:`analyse` returns a frozen :class:`GroupReport` with those facts (``to_dict`` for
``classify --json``).

Examples
--------
>>> from ssmproof.lang import zoo
>>> r = analyse(zoo.parity())
>>> r.gates, [(g.name, g.order) for g in r.groups]
('signed', [('Z2', 2)])
>>> analyse(zoo.tomita(6)).gates
'complex'
>>> analyse(zoo.tomita(4)).gates
'nonnegative'

References
----------
M. P. Schützenberger, "On finite monoids having only trivial subgroups", 1965.
J.-É. Pin, *Mathematical Foundations of Automata Theory*, ch. V (Green's relations).
Y. Sarrof, Y. Veitsman, M. Hahn, NeurIPS 2024, arXiv 2405.17394v2, Theorems 2 and 4.
R. Grazzi et al., "Unlocking State-Tracking in Linear RNNs Through Negative Eigenvalues", ICLR 2025.
W. Merrill, J. Petty, A. Sabharwal, "The Illusion of State in State-Space Models", ICML 2024.
M. Shakerinava et al., 2026 (complex diagonal SSMs and abelian subnormal series).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sympy.combinatorics import Permutation, PermutationGroup

from ssmproof.lang import dfa as dfa_
from ssmproof.lang import green
from ssmproof.lang import monoid as monoid_
from ssmproof.lang.automaton import DFA, Language, Word

__all__ = ["GroupInfo", "GroupReport", "analyse", "analyse_monoid", "maximal_subgroups",
           "group_name", "GATE_NEEDS"]

GATE_NEEDS = ("nonnegative", "signed", "complex", "beyond diagonal", "unknown")
"""The values of :attr:`GroupReport.gates`, weakest gate class first."""

REFERENCES = {
    "nonnegative": "Sarrof, Veitsman & Hahn 2024 (arXiv 2405.17394), Theorem 4",
    "signed": "Grazzi et al. 2025 (ICLR), negative eigenvalues; Sarrof et al. 2024, Theorem 2",
    "complex": "Shakerinava et al. 2026: k-layer complex diagonal SSMs and abelian subnormal "
               "series of length k",
    "beyond diagonal": "Merrill, Petty & Sabharwal 2024 (ICML): diagonal SSMs are in TC⁰; "
                       "Shakerinava et al. 2026",
}

Map = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """One isomorphism type of maximal subgroup (identified by the invariants below).

    Attributes
    ----------
    order : int
    name : str
        ``Z2``, ``Z2×Z2``, ``Z4``, ``Z3``… for abelian groups (their invariant factors in
        prime-power form); ``S3``, ``A5`` where the order settles it; else ``non-abelian
        group of order n``.
    abelian, elementary_2, solvable : bool
        ``elementary_2``: every element squares to the identity (a product of Z₂; the trivial
        group counts).
    derived_length : int or None
        Length of the derived series down to 1 — the shortest abelian subnormal series; None
        when not solvable.
    degree : int
        Number of DFA states the group permutes (the rank of its idempotent).
    idempotents : int
        How many idempotents of the monoid have a maximal subgroup of this type.
    example : tuple of str
        A word whose map generates part of the group (the shortest non-identity element met).
    """

    order: int
    name: str
    abelian: bool
    elementary_2: bool
    solvable: bool
    derived_length: int | None
    degree: int
    idempotents: int
    example: Word

    def to_dict(self) -> dict[str, object]:
        return {"order": self.order, "name": self.name, "abelian": self.abelian,
                "elementary_2": self.elementary_2, "solvable": self.solvable,
                "derived_length": self.derived_length, "degree": self.degree,
                "idempotents": self.idempotents, "example": list(self.example)}


@dataclass(frozen=True, slots=True)
class GroupReport:
    """The groups of a language's syntactic monoid and the weakest gate class they allow.

    ``groups`` lists the non-trivial types only (empty for a star-free language). ``gates`` is
    one of :data:`GATE_NEEDS`; ``layers_for_groups`` the largest derived length (the fewest
    layers a complex diagonal SSM needs for the group part, by Shakerinava et al.), or None.
    ``monoid_size`` is None (and ``gates`` ``unknown``) when the monoid exceeded the budget.
    """

    language: str
    monoid_size: int | None
    groups: tuple[GroupInfo, ...]
    gates: str
    layers_for_groups: int | None
    explanation: str
    references: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready; meant to sit under a ``groups`` key of ``classify --json``."""
        return {"monoid_size": self.monoid_size, "groups": [g.to_dict() for g in self.groups],
                "gates": self.gates, "layers_for_groups": self.layers_for_groups,
                "explanation": self.explanation, "references": list(self.references)}


def maximal_subgroups(monoid: monoid_.TransitionMonoid
                      ) -> list[tuple[Map, list[int]]]:
    """Each idempotent with the indices of its H-class (its maximal subgroup) in ``monoid``.

    In a monoid of maps, x lies in the group of the idempotent e iff x has e's image and e's
    kernel: then x permutes the image (one point per kernel class), so some power of x is e.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> m = monoid_.transition_monoid(zoo.parity())
    >>> maximal_subgroups(m)
    [((0, 1), [0, 1])]
    """
    return [(tuple(monoid.maps[e].tolist()), members.tolist())
            for e, members in _h_classes_of_idempotents(monoid)]


def _h_classes_of_idempotents(monoid: monoid_.TransitionMonoid
                              ) -> list[tuple[int, np.ndarray]]:
    """(index of e, indices of H_e) for every idempotent e, vectorised over the whole monoid."""
    maps = monoid.maps.astype(np.intp)
    idempotent = (np.take_along_axis(maps, maps, axis=1) == maps).all(axis=1)
    _, bucket = np.unique(_image_kernel_rows(maps), return_inverse=True)
    bucket = bucket.ravel()
    order = np.argsort(bucket, kind="stable")
    starts = np.searchsorted(bucket[order], np.arange(bucket.max() + 2))
    return [(int(e), order[starts[bucket[e]]:starts[bucket[e] + 1]])
            for e in np.flatnonzero(idempotent)]


def _image_kernel_rows(maps: np.ndarray) -> np.ndarray:
    """One comparable row per element: its image (as a bit set) and its kernel (each point
    labelled by the first point with the same value)."""
    rows, n = maps.shape
    present = np.zeros((rows, n), dtype=bool)
    np.put_along_axis(present, maps, True, axis=1)
    first = np.zeros((rows, n), dtype=np.intp)
    for q in reversed(range(n)):
        first[np.arange(rows), maps[:, q]] = q
    kernel = np.take_along_axis(first, maps, axis=1).astype(np.uint32)
    joined = np.concatenate([np.packbits(present, axis=1),
                             kernel.view(np.uint8).reshape(rows, -1)], axis=1)
    return np.ascontiguousarray(joined).view(np.dtype((np.void, joined.shape[1]))).ravel()


def _as_group(e: Map, members: Sequence[Map]) -> PermutationGroup:
    image = sorted(set(e))
    pos = {q: i for i, q in enumerate(image)}
    perms = [Permutation([pos[x[q]] for q in image]) for x in members]
    gens: list[Permutation] = []
    group = PermutationGroup([Permutation(list(range(len(image))))])
    for p in perms:  # add generators until the group is all of H_e
        if group.order() == len(members):
            break
        if not group.contains(p):
            gens.append(p)
            group = PermutationGroup(gens)
    return group


_UNIQUE = {(6, True): "S3", (60, False): "A5"}
"""Orders where one non-abelian group exists (with that solvability): the name is certain."""


def group_name(group: PermutationGroup) -> str:
    """``Z2×Z3``-style names for abelian groups, ``S3``/``A5`` where the order settles it.

    Examples
    --------
    >>> from sympy.combinatorics.named_groups import AlternatingGroup, SymmetricGroup
    >>> group_name(SymmetricGroup(3)), group_name(AlternatingGroup(5))
    ('S3', 'A5')
    """
    if group.order() == 1:
        return "trivial"
    if group.is_abelian:
        return "×".join(f"Z{k}" for k in sorted(group.abelian_invariants()))
    known = _UNIQUE.get((int(group.order()), bool(group.is_solvable)))
    return known or f"non-abelian group of order {group.order()}"


def _info(group: PermutationGroup, degree: int, count: int, example: Word) -> GroupInfo:
    solvable = bool(group.is_solvable)
    series = group.derived_series()
    derived = len(series) - 1 if solvable else None
    elementary = bool(group.is_abelian) and all(k == 2 for k in group.abelian_invariants())
    return GroupInfo(int(group.order()), group_name(group), bool(group.is_abelian), elementary,
                     solvable, derived, degree, count, example)


def _types(monoid: monoid_.TransitionMonoid) -> list[GroupInfo]:
    """One sympy group per D-class (its maximal subgroups are all isomorphic), merged into
    isomorphism types; the first idempotent in shortlex order gives each type's example."""
    pending = [(e, m) for e, m in _h_classes_of_idempotents(monoid) if len(m) > 1]
    labels = green.d_class_labels(monoid.dfa, [monoid.maps[e].tolist() for e, _ in pending])
    per_class: dict[int, list[object]] = {}
    for (e, members), label in zip(pending, labels):
        per_class.setdefault(label, [e, members, 0])[2] += 1  # type: ignore[operator]
    first: dict[tuple[object, ...], tuple[PermutationGroup, int, Word]] = {}
    count: dict[tuple[object, ...], int] = {}
    for e, members, idempotents in per_class.values():
        ident = tuple(monoid.maps[e].tolist())
        group = _as_group(ident, [tuple(monoid.maps[i].tolist()) for i in members])
        key = (len(members), tuple(sorted(group.abelian_invariants())) if group.is_abelian
               else None, bool(group.is_solvable), len(group.derived_series()))
        count[key] = count.get(key, 0) + idempotents
        if key not in first:
            shortest = min(int(i) for i in members if int(i) != e)  # shortlex order = index
            first[key] = (group, len(set(ident)), monoid.word(shortest))
    infos = [_info(g, degree, count[key], ex) for key, (g, degree, ex) in first.items()]
    return sorted(infos, key=lambda g: (g.order, g.name))


def _verdict(groups: Sequence[GroupInfo]) -> tuple[str, int | None, str]:
    if not groups:
        return "nonnegative", 0, ("the syntactic monoid is aperiodic (every group trivial): the "
                                  "language is star-free and nonnegative gates suffice")
    depth = max((g.derived_length or 0) for g in groups)
    names = ", ".join(g.name for g in groups)
    if not all(g.solvable for g in groups):
        return "beyond diagonal", None, (
            f"a non-solvable group occurs ({names}): no diagonal SSM, real or complex, tracks "
            "it at any fixed depth unless TC⁰ = NC¹")
    if all(g.elementary_2 for g in groups):
        return "signed", depth, (
            f"every group is a product of Z2 ({names}): sign flips suffice, so real diagonal "
            "gates in [−1, 1] do; nonnegative gates cannot (the language is not star-free)")
    what = "abelian" if all(g.abelian for g in groups) else "solvable"
    if all(g.order & (g.order - 1) == 0 for g in groups):
        return "signed", depth, (
            f"the groups ({names}) are 2-groups but not all products of Z2: a composition series "
            "of Z2's makes them a cascade of sign-flip layers, each conditioned on the ones above "
            "(Krohn–Rhodes), so signed gates do, with more than one layer")
    text = (f"the groups ({names}) are {what} and an odd prime divides an order, so sign flips "
            "cannot track them (a real gate's orbit has period 1 or 2); complex unit-modulus "
            f"diagonal gates (rotations) do, with at least {depth} layer(s) (the longest derived "
            "series)")
    return "complex", depth, text


def analyse(language: DFA | Language, *, budget: int = monoid_.MONOID_BUDGET) -> GroupReport:
    """Maximal subgroups of the language's syntactic monoid and the gate class they call for.

    Parameters
    ----------
    language : DFA or Language
        A regular language (its minimal DFA is computed here).
    budget : int, optional
        Monoid elements to enumerate at most; above it ``gates`` is ``unknown``.

    Notes
    -----
    O(|M| · n) to bucket the |M| elements by image and kernel, plus one permutation group per
    idempotent with a non-trivial group (sympy's Schreier–Sims).

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> r = analyse(zoo.tomita(5))
    >>> [(g.name, g.elementary_2) for g in r.groups], r.gates
    ([('Z2×Z2', True)], 'signed')
    """
    if not language.regular:
        raise ValueError(f"'{language.name}' is not regular: it has no finite syntactic monoid")
    minimal = dfa_.minimize(language if isinstance(language, DFA)
                            else dfa_.from_language(language))
    return analyse_monoid(monoid_.transition_monoid(minimal, budget=budget), budget=budget,
                          name=language.name)


def analyse_monoid(monoid: monoid_.TransitionMonoid, *, budget: int = monoid_.MONOID_BUDGET,
                   name: str = "") -> GroupReport:
    """:func:`analyse` given the transition monoid of the complete minimal DFA (enumerated
    under ``budget``), so that a pipeline which classified the language already does not
    enumerate the monoid again.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> m = monoid_.transition_monoid(dfa_.minimize(zoo.tomita(6)))
    >>> analyse_monoid(m, name="tomita6").gates
    'complex'
    """
    name = name or monoid.dfa.name
    if not monoid.complete:
        return GroupReport(name, None, (), "unknown", None,
                           f"the transition monoid exceeds "
                           f"{monoid_.element_budget(len(monoid.dfa.states), budget):,} "
                           "elements; not analysed",
                           ())
    groups = tuple(_types(monoid))
    gates, depth, text = _verdict(groups)
    refs = (REFERENCES["nonnegative"],) if gates == "nonnegative" else \
        (REFERENCES["nonnegative"], REFERENCES[gates])
    return GroupReport(name, monoid.size, groups, gates, depth, text, refs)


def cheapest_gates(report: GroupReport) -> str:
    """The narrowest gate class our constructions reach for the language of ``report``.

    ``nonnegative`` (star-free), ``signed`` when every group's order is a power of 2 (a 2-group
    has a composition series of Z₂'s: a cascade of sign flips), ``complex`` when an odd prime
    divides a group's order but every group is solvable, ``beyond diagonal`` otherwise (and
    ``unknown`` above the monoid budget): :attr:`GroupReport.gates` itself.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> cheapest_gates(analyse(zoo.tomita(6))), cheapest_gates(analyse(zoo.parity()))
    ('complex', 'signed')
    """
    return report.gates


def odd_witness(dfa: DFA, *, monoid: monoid_.TransitionMonoid | None = None
                ) -> monoid_.Witness | None:
    """Words (u, w, v) whose membership u·wⁿ·v has a least period with an odd prime factor.

    Real diagonal gates cannot produce one at finite precision: each channel's map under a
    fixed word is monotone (gate ≥ 0) or antitone (gate < 0), so its orbit is eventually
    periodic with period 1 or 2, and layer by layer the answer on u·wⁿ·v is eventually periodic
    with a power-of-2 period. ``dfa`` must be complete and minimal; None when every group is a
    2-group. ``monoid``: its transition monoid, when already enumerated.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> odd_witness(dfa_.minimize(zoo.tomita(6)))
    Witness(u=(), w=('0',), v=(), period=3)
    """
    from ssmproof.algebra.images import _separating_word, _shortest_word  # keeps start-up light

    if monoid is None:
        monoid = monoid_.transition_monoid(dfa)
    for x, word in zip(monoid.elements, monoid.words):
        for q in range(len(x)):
            cycle = [q]
            while x[cycle[-1]] != q and len(cycle) <= len(x):
                cycle.append(x[cycle[-1]])
            if x[cycle[-1]] != q:
                continue  # q is not on a cycle of x
            odd = _odd_prime(len(cycle))
            if odd is None:
                continue
            v = _separating_word(dfa, q, cycle[len(cycle) // odd])
            u = _shortest_word(dfa, dfa.start, q)
            if v is None or u is None:
                continue
            pattern = [_accepts_from(dfa, c, v) for c in cycle]
            period = next(k for k in range(1, len(cycle) + 1)
                          if len(cycle) % k == 0 and pattern == pattern[k:] + pattern[:k])
            names = lambda w: tuple(dfa.alphabet[a] for a in w)  # noqa: E731
            return monoid_.Witness(names(u), tuple(word), names(v), period)
    return None


def _odd_prime(n: int) -> int | None:
    p = 3
    while n % 2 == 0:
        n //= 2
    while p * p <= n:
        if n % p == 0:
            return p
        p += 2
    return n if n > 1 else None


def _accepts_from(dfa: DFA, q: int, word: Sequence[int]) -> bool:
    for a in word:
        q = dfa.delta[q][a]
    return q in dfa.accepting


__all__ += ["cheapest_gates", "odd_witness"]
