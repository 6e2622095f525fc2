"""The skeleton of a DFA's action: images, subduction classes, heights, tiles and transports.

These are steps 1-6 of the holonomy decomposition (PAPER §4). Sets of states are bit masks
(bit q set iff state q is in the set); the action is on the right, ``q·σ = dfa.delta[q][σ]``.

- *Images* are the sets Q·w for words w (Q itself for the empty word). The *extended image set*
  adds every singleton.
- *Subduction*: P ≤ R iff P ⊆ R·w for some word w. Its classes among the non-singleton images
  are the strongly connected components of the image graph (edges A → A·σ); each class gets a
  representative, the member found first by breadth-first search from Q.
- *Tiles* of a set A (|A| > 1) are the maximal members of the extended image set strictly inside A.
  They cover A, and they need not be images of A.
- *Height*: 0 for singletons, otherwise 1 + the largest height among the class's children (tiles
  of its members and letter images outside the class). *Depth* = H - height + 1, with H the height
  of Q; the cascade has H levels and a set of depth d is coded at level d.
- *Transports*: for a class member A, the unique bijection from its representative R onto A
  induced by words (R·u = A). It is unique because round trips R → R act as the identity on R;
  that is the aperiodicity check, and the error raised otherwise carries a witness.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from ssmproof.errors import NotStarFreeError
from ssmproof.lang.automaton import DFA, Word
from ssmproof.lang.witness import Witness

__all__ = ["Skeleton", "skeleton", "members", "apply_word"]

Mask = int


def members(mask: Mask) -> Iterator[int]:
    """The state indices in a bit mask, increasing.

    Examples
    --------
    >>> list(members(0b1011))
    [0, 1, 3]
    """
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _image(mask: Mask, table: tuple[int, ...]) -> Mask:
    out = 0
    for q in members(mask):
        out |= 1 << table[q]
    return out


def apply_word(mask: Mask, word: Word, dfa: DFA) -> Mask:
    """The image of a set of states under a word (symbols by name)."""
    index = {s: i for i, s in enumerate(dfa.alphabet)}
    for s in word:
        mask = _image(mask, tuple(row[index[s]] for row in dfa.delta))
    return mask


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Images, classes, depths, tiles and transports of a DFA's action (internal, bit masks).

    Attributes
    ----------
    n : int
        Number of DFA states; the whole set is ``(1 << n) - 1``.
    letters : tuple of tuple of int
        ``letters[a][q] = q·a``.
    images : tuple of int
        The images Q·w in breadth-first order from Q (Q first).
    parent : dict
        ``parent[A] = (B, a)`` with B·a = A, the breadth-first tree (absent for Q).
    klass : dict
        Class index of every non-singleton image.
    reps : tuple of int
        Representative of each class.
    depth : dict
        Depth of every non-singleton image; singletons have depth ``height + 1``.
    height : int
        Number of levels H (the height of Q).
    tiles : dict
        Tiles of every representative, largest first.
    transport : dict
        ``transport[A][r]`` is the image in A of the element r of A's representative.
    """

    n: int
    letters: tuple[tuple[int, ...], ...]
    images: tuple[Mask, ...]
    parent: dict[Mask, tuple[Mask, int]]
    klass: dict[Mask, int]
    reps: tuple[Mask, ...]
    depth: dict[Mask, int]
    height: int
    tiles: dict[Mask, tuple[Mask, ...]]
    transport: dict[Mask, dict[int, int]]

    @property
    def full(self) -> Mask:
        """The whole state set Q."""
        return (1 << self.n) - 1

    def image(self, mask: Mask, a: int) -> Mask:
        """A·a for a set A (bit mask) and a symbol index."""
        return _image(mask, self.letters[a])

    def depth_of(self, mask: Mask) -> int:
        """Depth of a set of the extended image set (singletons: H + 1)."""
        return self.height + 1 if mask & (mask - 1) == 0 else self.depth[mask]

    def rep(self, mask: Mask) -> Mask:
        """The representative of a non-singleton image's class."""
        return self.reps[self.klass[mask]]

    def from_rep(self, mask: Mask, target: Mask) -> Mask:
        """Transport ``mask`` (a subset of ``target``'s representative) into ``target``."""
        t = self.transport[target]
        return sum(1 << t[q] for q in members(mask))

    def to_rep(self, mask: Mask, source: Mask) -> Mask:
        """Transport ``mask`` (a subset of ``source``) back into the representative."""
        inverse = {v: k for k, v in self.transport[source].items()}
        return sum(1 << inverse[q] for q in members(mask))


def skeleton(dfa: DFA, *, max_images: int | None = None, groups: bool = False) -> Skeleton:
    """Compute the skeleton of ``dfa``'s action (holonomy steps 1-6).

    ``max_images`` bounds the image search (``ValueError`` beyond it): images can number 2ⁿ.
    With ``groups=True`` a nontrivial holonomy group is allowed: each class member's transport
    is the one along its breadth-first word from the representative (one choice among several),
    and round trips may permute the representative's tiles
    (:mod:`ssmproof.algebra.group_cascade` turns those permutations into group levels).

    Raises
    ------
    NotStarFreeError
        If some word maps an image onto itself by a non-identity permutation (a nontrivial
        holonomy group: the transition monoid is not aperiodic). ``witness`` is a
        :class:`~ssmproof.lang.witness.Witness` when the DFA is minimal (membership of u·wⁿ·v
        has least period ``period`` ≥ 2 in n), and None if the DFA has equivalent states on the
        cycle (then no word separates them: minimise first).

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> sk = skeleton(contains_aa())
    >>> sk.height, len(sk.images), [sorted(members(t)) for t in sk.tiles[sk.full]]
    (2, 4, [[0, 2], [1, 2]])
    """
    n = len(dfa.states)
    letters = tuple(tuple(row[a] for row in dfa.delta) for a in range(len(dfa.alphabet)))
    images, parent = _images(n, letters, max_images)
    extended = sorted(set(images) | {1 << q for q in range(n)}, key=lambda m: -m.bit_count())
    klass, reps = _classes(images, letters)
    tiles = {r: _tiles(r, extended) for r in reps}
    transport = _transports(dfa, images, letters, klass, reps, groups=groups)
    depth, height = _depths(images, letters, klass, reps, tiles)
    return Skeleton(n, letters, images, parent, klass, reps, depth, height, tiles, transport)


def _images(
    n: int, letters: tuple[tuple[int, ...], ...], limit: int | None
) -> tuple[tuple[Mask, ...], dict[Mask, tuple[Mask, int]]]:
    """All Q·w by breadth-first search from Q, with a parent/letter tree."""
    full = (1 << n) - 1
    order, parent = [full], {}
    queue = deque([full])
    while queue:
        mask = queue.popleft()
        for a, table in enumerate(letters):
            img = _image(mask, table)
            if img != full and img not in parent:
                parent[img] = (mask, a)
                order.append(img)
                if limit is not None and len(order) > limit:
                    raise ValueError(f"more than {limit} images")
                queue.append(img)
    return tuple(order), parent


def _classes(
    images: tuple[Mask, ...], letters: tuple[tuple[int, ...], ...]
) -> tuple[dict[Mask, int], tuple[Mask, ...]]:
    """Subduction classes of the non-singleton images: strongly connected components."""
    big = [m for m in images if m & (m - 1)]
    graph = nx.DiGraph()
    graph.add_nodes_from(big)
    for m in big:
        graph.add_edges_from((m, img) for t in letters if (img := _image(m, t)) & (img - 1))
    position = {m: i for i, m in enumerate(images)}
    comps = [sorted(c, key=position.__getitem__) for c in nx.strongly_connected_components(graph)]
    comps.sort(key=lambda c: position[c[0]])
    klass = {m: i for i, comp in enumerate(comps) for m in comp}
    return klass, tuple(comp[0] for comp in comps)


def _tiles(rep: Mask, extended: list[Mask]) -> tuple[Mask, ...]:
    """Maximal members of the extended image set strictly inside ``rep``, largest first."""
    kept: list[Mask] = []
    for m in extended:  # sorted by decreasing size
        if m != rep and m & rep == m and not any(m & t == m for t in kept):
            kept.append(m)
    return tuple(sorted(kept, key=lambda m: (-m.bit_count(), sorted(members(m)))))


def _transports(
    dfa: DFA,
    images: tuple[Mask, ...],
    letters: tuple[tuple[int, ...], ...],
    klass: dict[Mask, int],
    reps: tuple[Mask, ...],
    *,
    groups: bool = False,
) -> dict[Mask, dict[int, int]]:
    """Bijections from each representative onto its class members; checks trivial holonomy
    (unless ``groups``: then the first transport found is kept)."""
    transport: dict[Mask, dict[int, int]] = {}
    words: dict[Mask, tuple[int, ...]] = {}
    for c, rep in enumerate(reps):
        transport[rep] = {q: q for q in members(rep)}
        words[rep] = ()
        queue = deque([rep])
        while queue:
            mask = queue.popleft()
            for a, table in enumerate(letters):
                img = _image(mask, table)
                if klass.get(img) != c:
                    continue
                moved = {r: table[q] for r, q in transport[mask].items()}
                if img not in transport:
                    transport[img], words[img] = moved, words[mask] + (a,)
                    queue.append(img)
                elif moved != transport[img] and not groups:
                    _raise_not_aperiodic(dfa, rep, words, mask, a, img, klass, letters)
    return transport


def _depths(
    images: tuple[Mask, ...],
    letters: tuple[tuple[int, ...], ...],
    klass: dict[Mask, int],
    reps: tuple[Mask, ...],
    tiles: dict[Mask, tuple[Mask, ...]],
) -> tuple[dict[Mask, int], int]:
    """Heights by longest path in the class graph (tiles and letter images), then depths."""
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(reps)))
    for m, c in klass.items():
        for t in letters:
            img = _image(m, t)
            if img in klass and klass[img] != c:
                graph.add_edge(c, klass[img])
    for c, r in enumerate(reps):
        graph.add_edges_from((c, klass[t]) for t in tiles[r] if t in klass)
    height = [0] * len(reps)
    for c in reversed(list(nx.topological_sort(graph))):
        height[c] = 1 + max((height[d] for d in graph.successors(c)), default=0)
    top = height[klass[images[0]]] if images[0] in klass else 0  # Q is a singleton iff n = 1
    return {m: top - height[c] + 1 for m, c in klass.items()}, top


# --- the witness for a nontrivial holonomy group -----------------------------------------------
def _raise_not_aperiodic(
    dfa: DFA,
    rep: Mask,
    words: dict[Mask, tuple[int, ...]],
    mask: Mask,
    a: int,
    img: Mask,
    klass: dict[Mask, int],
    letters: tuple[tuple[int, ...], ...],
) -> None:
    """Two words from ``rep`` onto ``img`` act differently: build a round trip and raise."""
    back = _word_back(img, rep, klass, letters)
    candidates = (words[mask] + (a,) + back, words[img] + back)
    for w in candidates:
        perm = {q: _run(q, w, letters) for q in members(rep)}
        moved = [q for q in perm if perm[q] != q]
        if moved:
            break
    names = [dfa.states[q] for q in members(rep)]
    word = tuple(dfa.alphabet[x] for x in w)
    reached = _shortest_word(dfa, dfa.start, moved[0]) is not None
    witness = _witness(dfa, moved[0], w, letters) if reached else None  # unreachable: none
    moves = (f"the word {' '.join(word)!r} permutes the states {{{', '.join(names)}}} "
             "nontrivially (a nontrivial holonomy group)")
    raise NotStarFreeError(f"DFA {dfa.name or '<unnamed>'} is not aperiodic (not counter-free): "
                           f"{moves}; {_what_it_means(witness, reached)}", witness)


def _what_it_means(witness: Witness | None, reached: bool) -> str:
    """The language is not star-free when the permuted states are reachable and a word tells
    them apart; otherwise the DFA merely has unreachable or equivalent states, and minimising
    it may remove the group."""
    if witness is None or not reached:
        return ("the permuted states are unreachable or equivalent (no word tells them apart), "
                "so minimise first: the minimal DFA may be counter-free")
    shown = lambda x: " ".join(x) or "ε"  # noqa: E731
    return (f"the language is not star-free (membership of u·wⁿ·v with u={shown(witness.u)}, "
            f"w={shown(witness.w)}, v={shown(witness.v)} has period {witness.period}), so no "
            "cascade of resets realises it")


def _word_back(
    src: Mask, rep: Mask, klass: dict[Mask, int], letters: tuple[tuple[int, ...], ...]
) -> tuple[int, ...]:
    """A word taking ``src`` onto ``rep`` within their class (breadth-first)."""
    seen: dict[Mask, tuple[int, ...]] = {src: ()}
    queue = deque([src])
    while queue:
        m = queue.popleft()
        if m == rep:
            return seen[m]
        for a, table in enumerate(letters):
            img = _image(m, table)
            if klass.get(img) == klass[src] and img not in seen:
                seen[img] = seen[m] + (a,)
                queue.append(img)
    raise AssertionError("class is not strongly connected")  # pragma: no cover


def _run(q: int, word: tuple[int, ...], letters: tuple[tuple[int, ...], ...]) -> int:
    for a in word:
        q = letters[a][q]
    return q


def _witness(
    dfa: DFA, q: int, w: tuple[int, ...], letters: tuple[tuple[int, ...], ...]
) -> Witness | None:
    """u reaches q, w cycles q with period ≥ 2, v separates the cycle; None when no word
    separates the cycle's states (the DFA is not minimal: no witness in it)."""
    cycle = [q]
    while _run(cycle[-1], w, letters) != q:
        cycle.append(_run(cycle[-1], w, letters))
    u = _shortest_word(dfa, dfa.start, q)
    names = lambda word: tuple(dfa.alphabet[x] for x in word)  # noqa: E731
    for p in cycle[1:]:
        v = _separating_word(dfa, q, p)
        if v is not None:
            pattern = [_run(c, v, letters) in dfa.accepting for c in cycle]
            period = next(
                k
                for k in range(1, len(cycle) + 1)
                if len(cycle) % k == 0 and pattern == pattern[k:] + pattern[:k]
            )
            return Witness(names(u or ()), names(w), names(v), period)
    return None


def _shortest_word(dfa: DFA, src: int, dst: int) -> tuple[int, ...] | None:
    seen: dict[int, tuple[int, ...]] = {src: ()}
    queue = deque([src])
    while queue:
        q = queue.popleft()
        if q == dst:
            return seen[q]
        for a, t in enumerate(dfa.delta[q]):
            if t not in seen:
                seen[t] = seen[q] + (a,)
                queue.append(t)
    return None


def _separating_word(dfa: DFA, p: int, q: int) -> tuple[int, ...] | None:
    """A shortest word accepted from exactly one of p, q (None if they are equivalent)."""
    seen: dict[tuple[int, int], tuple[int, ...]] = {(p, q): ()}
    queue = deque([(p, q)])
    while queue:
        x, y = queue.popleft()
        if (x in dfa.accepting) != (y in dfa.accepting):
            return seen[(x, y)]
        for a in range(len(dfa.alphabet)):
            nxt = (dfa.delta[x][a], dfa.delta[y][a])
            if nxt not in seen:
                seen[nxt] = seen[(x, y)] + (a,)
                queue.append(nxt)
    return None
