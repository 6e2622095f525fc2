"""Transition monoids, aperiodicity, and the star-free classification of a language.

The transition monoid of a complete DFA is the set of maps q ↦ q·w over all words w (the
identity, for w = ε, included). For the *minimal* DFA it is the syntactic monoid of the
language, so (Schützenberger; McNaughton–Papert) the language is star-free iff this monoid is
aperiodic: every element m has some k with mᵏ = mᵏ⁺¹. When it is not, :func:`classify` returns
a :class:`Witness` (u, w, v, p): membership of u·wⁿ·v, over n ≥ 0, is periodic with least period
p ≥ 2 from n = 0 on. That is exactly the input on which the nonnegative-gate impossibility
argument (Sarrof et al., Theorem 2 and Theorem 4 ⇒) makes an SSM err.

Examples
--------
>>> from ssmproof.lang import zoo
>>> c = classify(zoo.parity())
>>> c.star_free, c.states, c.monoid_size, c.witness
(False, 2, 2, Witness(u=(), w=('1',), v=(), period=2))
>>> classify(zoo.tomita(4)).star_free
True

References
----------
M. P. Schützenberger, "On finite monoids having only trivial subgroups", 1965.
R. McNaughton, S. Papert, *Counter-Free Automata*, 1971.
Y. Sarrof, Y. Veitsman, M. Hahn, "The Expressive Capacity of State Space Models: A Formal
Language Perspective", NeurIPS 2024, arXiv 2405.17394 (v3), Theorems 2 and 4.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ssmproof.errors import SpecError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import green
from ssmproof.lang import spec as spec_
from ssmproof.lang.automaton import DFA, Language, Word
from ssmproof.lang.witness import Witness

__all__ = [
    "MONOID_BUDGET",
    "MONOID_BYTE_BUDGET",
    "element_budget",
    "TransitionMonoid",
    "Witness",
    "Classification",
    "transition_monoid",
    "transition_monoid_bfs",
    "index_and_period",
    "is_aperiodic_monoid",
    "aperiodicity_index",
    "find_witness",
    "replay",
    "classify",
    "classify_minimal",
]

MONOID_BUDGET = 1_000_000
"""Default for ``classify --max-monoid``: at most this many monoid elements are enumerated;
above it the size is reported as None, with the reason."""

MONOID_BYTE_BUDGET = 1 << 28
"""Memory guard: the enumerated elements take at most this many bytes (256 MiB; each is a row of
one byte per state up to 256 states, two up to 65,536), so 2.6·10⁷ elements of an 8-state DFA
fit but a 30,000-state DFA stops at 4,473; :func:`element_budget` applies it. Peak memory is a
small multiple of it (keys, libsemigroups' copy)."""

_BLOCK_CELLS = 1 << 24
"""Candidate maps × states formed at once while enumerating (the rest waits for the next block),
so one breadth-first round never holds more than a few hundred MB however large the DFA."""

Map = tuple[int, ...]


@dataclass(frozen=True, slots=True, eq=False)
class TransitionMonoid:
    """The transition monoid of ``dfa``: row i of ``maps`` is element i (q ↦ q·w) and its word
    is ``word(i)``, the shortest, least in alphabet order among the shortest.

    Elements are listed in that shortlex order of their words, so row 0 is the identity.
    ``parents[i]`` and ``letters[i]`` give the word of i as word(parents[i]) + letter (row 0 has
    parent −1). ``complete`` is False when the enumeration stopped at the budget; then ``size``
    is None and the arrays hold only the first elements in shortlex order.
    """

    dfa: DFA
    maps: np.ndarray
    parents: np.ndarray
    letters: np.ndarray
    lengths: np.ndarray
    complete: bool

    @property
    def size(self) -> int | None:
        """Number of elements, identity included; None when the budget cut the enumeration."""
        return len(self.maps) if self.complete else None

    @property
    def elements(self) -> tuple[Map, ...]:
        """Every element as a tuple (convenient for small monoids; use ``maps`` for large)."""
        return tuple(tuple(int(x) for x in row) for row in self.maps.tolist())

    @property
    def words(self) -> tuple[Word, ...]:
        """The shortlex-least word of every element, in order."""
        out: list[Word] = []
        for i in range(len(self.maps)):
            p = int(self.parents[i])
            out.append(() if p < 0 else out[p] + (self.dfa.alphabet[int(self.letters[i])],))
        return tuple(out)

    def word(self, i: int) -> Word:
        """The shortlex-least word of element i."""
        letters: list[str] = []
        while self.parents[i] >= 0:
            letters.append(self.dfa.alphabet[int(self.letters[i])])
            i = int(self.parents[i])
        return tuple(reversed(letters))


@dataclass(frozen=True, slots=True)
class Classification:
    """What ``ssmproof classify`` reports about a language.

    ``states`` is the size of the complete minimal DFA (its rejecting sink included when it has
    one: ``sink`` says whether it does, None when no DFA was built); ``monoid_size`` counts
    the transition monoid with its identity (None above the budget, and ``reason`` says so);
    ``witness`` is set exactly when ``star_free`` is False. For a non-regular language
    ``regular`` is False and every other field is None. ``basis`` says how the answer was
    obtained.
    """

    name: str
    regular: bool
    states: int | None
    monoid_size: int | None
    star_free: bool | None
    aperiodicity_index: int | None
    witness: Witness | None
    basis: str
    reason: str | None = None
    sink: bool | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The keys of ``classify --json`` (DESIGN §7), plus ``aperiodicity_index``, ``basis``
        and, only when the budget left ``monoid_size`` null, ``monoid_size_reason``."""
        data = {
            "name": self.name, "regular": self.regular, "states": self.states,
            "monoid_size": self.monoid_size, "star_free": self.star_free,
            "aperiodicity_index": self.aperiodicity_index, "basis": self.basis,
            "witness": None if self.witness is None else self.witness.to_json_dict(),
        }
        if self.reason is not None:
            data["monoid_size_reason"] = self.reason
        return data


# --------------------------------------------------------------------------------------------
# The monoid
# --------------------------------------------------------------------------------------------


def transition_monoid(dfa: DFA, *, budget: int = MONOID_BUDGET) -> TransitionMonoid:
    """The transition monoid of ``dfa`` (see :func:`_enumerate`), remembered for the last few
    DFAs: ``classify`` and the group analysis of one language share one enumeration.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> m = transition_monoid(zoo.tomita(2))
    >>> m.size, m.words
    (6, ((), ('0',), ('1',), ('0', '0'), ('0', '1'), ('1', '0')))
    """
    return _enumerate(dfa, budget)


def element_budget(states: int, budget: int = MONOID_BUDGET) -> int:
    """The most monoid elements enumerated for a DFA with ``states`` states: ``budget``, but
    never more than fit in ``MONOID_BYTE_BUDGET`` (a huge DFA gets a small, named cut instead of
    exhausting memory).

    >>> element_budget(40), element_budget(30_000)
    (1000000, 4473)
    """
    return max(1, min(budget, MONOID_BYTE_BUDGET // (max(1, states) * _dtype(states).itemsize)))


def _dtype(states: int) -> np.dtype:
    """The narrowest unsigned integer that holds a state index."""
    return np.dtype(np.uint8 if states <= 256 else np.uint16 if states <= 65536 else np.uint32)


@functools.lru_cache(maxsize=4)
def _enumerate(dfa: DFA, budget: int) -> TransitionMonoid:
    """Enumerate the transition monoid of a complete DFA, breadth-first, one word length at a
    time, with numpy.

    Each round extends every element of the previous length by every symbol (element-major,
    then alphabet order) and keeps the maps not seen before, in that order: so each element's
    recorded word is its shortlex-least word, exactly as a one-at-a-time BFS would find it.

    Parameters
    ----------
    dfa : DFA
        A complete DFA (pass the minimal one for the syntactic monoid).
    budget : int, optional
        Stop after this many elements (``complete`` is then False); the effective budget is
        also at most :func:`element_budget` (memory).

    Notes
    -----
    O(|M| · k · (n + log |M|)) time and O(|M| · n) bytes for |M| elements, k symbols and n
    states. The size is cross-checked against libsemigroups in :func:`classify`.
    """
    n, k = len(dfa.states), len(dfa.alphabet)
    budget = element_budget(n, budget)
    dtype = _dtype(n)
    columns = np.asarray(dfa.delta, dtype=dtype).T  # columns[a][q] = q·a
    key = _keyer(n)
    maps = [np.arange(n, dtype=dtype)[None, :]]
    parents, letters = [np.array([-1], dtype=np.int64)], [np.array([0], dtype=np.int64)]
    depths = [np.zeros(1, dtype=np.int64)]
    seen = key(maps[0])
    count, frontier, offset, depth = 1, maps[0], 0, 0
    block = max(1, _BLOCK_CELLS // (n * k))  # frontier elements extended at once
    while len(frontier) and count < budget + 1:
        depth += 1
        found = []
        for start in range(0, len(frontier), block):  # blocks in order keep shortlex order
            # candidates in (element, symbol) order: row i·k + a is element i followed by a
            cand = columns[:, frontier[start:start + block]].transpose(1, 0, 2).reshape(-1, n)
            keys = key(cand)
            uniq, first = np.unique(keys, return_index=True)
            pos = np.searchsorted(seen, uniq)
            new = first[(pos >= len(seen)) | (seen[np.minimum(pos, len(seen) - 1)] != uniq)]
            new.sort()
            new = new[: budget + 1 - count]
            found.append(cand[new])
            parents.append(offset + start + new // k)
            letters.append(new % k)
            depths.append(np.full(len(new), depth, dtype=np.int64))
            count += len(new)
            seen = np.sort(np.concatenate([seen, keys[new]]), kind="stable")
            if count >= budget + 1:
                break
        offset += len(frontier)
        frontier = np.concatenate(found)
        maps.append(frontier)
    complete = count <= budget
    cut = min(count, budget)
    arrays = [np.concatenate(a)[:cut] for a in (maps, parents, letters)]
    lengths = np.concatenate(depths)[:cut]
    for array in (*arrays, lengths):
        array.flags.writeable = False  # shared through the cache
    return TransitionMonoid(dfa, arrays[0], arrays[1], arrays[2], lengths, complete)


def _keyer(n: int) -> Callable[[np.ndarray], np.ndarray]:
    """A sortable key per row that is equal exactly when the rows are: base-n digits in an
    int64 while nⁿ fits, else the row's raw bytes."""
    if n ** n < 2 ** 63:
        weights = np.array([n ** i for i in range(n)], dtype=np.int64)
        return lambda rows: rows.astype(np.int64) @ weights
    return lambda rows: np.ascontiguousarray(rows).view(
        np.dtype((np.void, rows.dtype.itemsize * n))).ravel()


def transition_monoid_bfs(dfa: DFA, *, budget: int = MONOID_BUDGET
                          ) -> tuple[tuple[Map, ...], tuple[Word, ...], bool]:
    """The plain one-element-at-a-time BFS closure (elements, words, complete), kept as the
    independent reference the tests and ``benchmarks/monoid.py`` compare against.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> transition_monoid_bfs(zoo.tomita(2))[1]
    ((), ('0',), ('1',), ('0', '0'), ('0', '1'), ('1', '0'))
    """
    n = len(dfa.states)
    columns = [tuple(dfa.delta[q][a] for q in range(n)) for a in range(len(dfa.alphabet))]
    elements: list[Map] = [tuple(range(n))]
    words: list[Word] = [()]
    seen = {elements[0]}
    todo = deque([0])
    while todo:
        i = todo.popleft()
        for a, column in enumerate(columns):
            g = tuple(map(column.__getitem__, elements[i]))
            if g in seen:
                continue
            if len(elements) >= budget:
                return tuple(elements), tuple(words), False
            seen.add(g)
            elements.append(g)
            words.append(words[i] + (dfa.alphabet[a],))
            todo.append(len(elements) - 1)
    return tuple(elements), tuple(words), True


def index_and_period(f: Sequence[int]) -> tuple[int, int]:
    """The least k ≥ 0 and p ≥ 1 with fᵏ = fᵏ⁺ᵖ, for a map f on {0, …, n−1}.

    k is the longest tail (steps before a state enters a cycle of f) and p the least common
    multiple of f's cycle lengths. f generates an aperiodic cyclic monoid iff p = 1.

    Examples
    --------
    >>> index_and_period((1, 2, 0))      # a 3-cycle
    (0, 3)
    >>> index_and_period((1, 2, 2, 3))   # 0 → 1 → 2 ↺, 3 ↺
    (2, 1)
    """
    tail, cycle = _orbits(f)
    period = 1
    for q, t in enumerate(tail):
        if t == 0:
            period = math.lcm(period, cycle[q])
    return max(tail, default=0), period


def _orbits(f: Sequence[int]) -> tuple[list[int], list[int]]:
    """For every state: its tail length under f and the length of the cycle it falls into."""
    n = len(f)
    tail, cycle = [-1] * n, [0] * n
    for s in range(n):
        path: list[int] = []
        on_path: dict[int, int] = {}
        x = s
        while tail[x] < 0 and x not in on_path:
            on_path[x] = len(path)
            path.append(x)
            x = f[x]
        if tail[x] < 0:  # closed a new cycle at x
            loop = path[on_path[x]:]
            for y in loop:
                tail[y], cycle[y] = 0, len(loop)
            path = path[: on_path[x]]
        for y in reversed(path):
            tail[y], cycle[y] = tail[f[y]] + 1, cycle[f[y]]
    return tail, cycle


def _power_indices(monoid: TransitionMonoid) -> np.ndarray:
    """For every element m: the least k with mᵏ = mᵏ⁺¹, or −1 if there is none (m periodic).

    All elements advance together: row r of ``power`` holds mᵏ, and mᵏ⁺¹(q) = m(mᵏ(q)). An
    aperiodic map on n states is stable from k = n − 1 on, so n rounds decide every element.
    """
    n = monoid.maps.shape[1]
    rows = max(1, _BLOCK_CELLS // n)  # a block of elements at a time bounds the int copies
    return np.concatenate([_block_power_indices(monoid.maps[i:i + rows])
                           for i in range(0, len(monoid.maps), rows)])


def _block_power_indices(block: np.ndarray) -> np.ndarray:
    maps = block.astype(np.intp)
    index = np.full(len(maps), -1, dtype=np.int64)
    power = np.broadcast_to(np.arange(maps.shape[1], dtype=np.intp), maps.shape).copy()
    for k in range(maps.shape[1] + 1):
        following = np.take_along_axis(maps, power, axis=1)
        index[(index < 0) & (following == power).all(axis=1)] = k
        if (index >= 0).all():
            break
        power = following
    return index


def _require_complete(monoid: TransitionMonoid) -> None:
    if not monoid.complete:
        raise ValueError(f"the monoid of '{monoid.dfa.name}' was cut at "
                         f"{len(monoid.maps):,} elements; raise the budget")


def is_aperiodic_monoid(monoid: TransitionMonoid) -> bool:
    """Whether the (finite) monoid is aperiodic: every element m has mᵏ = mᵏ⁺¹ for some k.

    Not to be confused with aperiodicity of a *graph* (networkx's ``is_aperiodic``). For the
    minimal DFA this decides star-freeness (Schützenberger).

    Raises
    ------
    ValueError
        The monoid enumeration was cut by the budget.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> is_aperiodic_monoid(transition_monoid(zoo.tomita(7)))
    True
    >>> is_aperiodic_monoid(transition_monoid(zoo.parity()))
    False
    """
    _require_complete(monoid)
    return bool((_power_indices(monoid) >= 0).all())


def aperiodicity_index(monoid: TransitionMonoid) -> int | None:
    """The least n ≥ 0 with mⁿ = mⁿ⁺¹ for every element m, or None if the monoid is not
    aperiodic (n = 0 only for the trivial monoid).

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> aperiodicity_index(transition_monoid(zoo.tomita(4)))
    3
    """
    _require_complete(monoid)
    return _aperiodicity_index(_power_indices(monoid))


def _aperiodicity_index(indices: np.ndarray) -> int | None:
    return None if (indices < 0).any() else int(indices.max())


# --------------------------------------------------------------------------------------------
# Witnesses
# --------------------------------------------------------------------------------------------


def _access_words(dfa: DFA) -> list[Word]:
    """Shortlex-least word reaching each state (all states must be reachable)."""
    words: list[Word | None] = [None] * len(dfa.states)
    words[dfa.start] = ()
    todo = deque([dfa.start])
    while todo:
        q = todo.popleft()
        for a, t in enumerate(dfa.delta[q]):
            if words[t] is None:
                words[t] = words[q] + (dfa.alphabet[a],)  # type: ignore[operator]
                todo.append(t)
    assert all(w is not None for w in words), "access words need a trim DFA"
    return words  # type: ignore[return-value]


def _contexts(monoid: TransitionMonoid) -> list[tuple[Word, frozenset[int]]]:
    """Each distinct set {q : q·v accepted} with its shortlex-least v (the monoid is shortlex)."""
    accepting = np.zeros(len(monoid.dfa.states), dtype=bool)
    accepting[list(monoid.dfa.accepting)] = True
    good = np.packbits(accepting[monoid.maps], axis=1)
    rows = np.ascontiguousarray(good).view(np.dtype((np.void, good.shape[1]))).ravel()
    _, first = np.unique(rows, return_index=True)
    return [(monoid.word(int(i)),
             frozenset(int(q) for q in np.flatnonzero(accepting[monoid.maps[i]])))
            for i in sorted(first.tolist())]


def _by_length(items: Sequence[Any], length: Callable[[Any], int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for item in items:
        out.setdefault(length(item), []).append(item)
    return out


def _pattern_period(f: Map, q: int, good: frozenset[int]) -> int:
    """Least p with [fⁿ⁺ᵖ(q) ∈ good] = [fⁿ(q) ∈ good] for all n ≥ 0 (1 for eventually constant
    or preperiodic patterns: those are no witness)."""
    orbit, position = [q], {q: 0}
    while f[orbit[-1]] not in position:
        position[f[orbit[-1]]] = len(orbit)
        orbit.append(f[orbit[-1]])
    start = position[f[orbit[-1]]]
    bits = [x in good for x in orbit]
    loop = bits[start:]
    p = next(d for d in range(1, len(loop) + 1)
             if len(loop) % d == 0 and all(loop[i] == loop[(i + d) % len(loop)]
                                           for i in range(len(loop))))
    extended = bits + loop * (start // len(loop) + 2)
    if any(extended[i] != extended[i + p] for i in range(start + 1)):
        return 1
    return p


def _candidates(monoid: TransitionMonoid, indices: np.ndarray) -> Iterator[Witness]:
    """Witnesses in order of total length |u|+|w|+|v|, then |w|, w, |u|, u, v (shortlex)."""
    dfa = monoid.dfa
    periodic = np.flatnonzero(indices < 0)
    if not len(periodic):
        return
    by_length = {int(ln): periodic[monoid.lengths[periodic] == ln]
                 for ln in np.unique(monoid.lengths[periodic])}
    us = _by_length(list(enumerate(_access_words(dfa))), lambda item: len(item[1]))
    vs = _by_length(_contexts(monoid), lambda item: len(item[0]))
    bound = int(monoid.lengths[periodic[0]]) + max(us) + max(vs)
    for total in range(1, bound + 1):
        for lw in range(1, total + 1):
            for i in by_length.get(lw, ()):  # words made only when their length comes up
                yield from _with_w(monoid.word(int(i)), tuple(monoid.maps[i].tolist()),
                                   total - lw, us, vs)


def _with_w(w: Word, m: Map, room: int, us: dict[int, list[tuple[int, Word]]],
            vs: dict[int, list[tuple[Word, frozenset[int]]]]) -> Iterator[Witness]:
    for lu in range(room + 1):
        for q, u in us.get(lu, []):
            for v, good in vs.get(room - lu, []):
                p = _pattern_period(m, q, good)
                if p > 1:
                    yield Witness(u=u, w=w, v=v, period=p)


def find_witness(monoid: TransitionMonoid) -> Witness | None:
    """The shortest witness of non-star-freeness for the monoid's (minimal, trim) DFA.

    Shortest means least |u| + |w| + |v|; ties go to the shorter w, then to words earlier in
    alphabet order. Returns None when no enumerated element is periodic (for a complete monoid:
    the language is star-free).

    Notes
    -----
    Only the shortest word of each monoid element (for w and v) and of each state (for u) is
    tried: any other word with the same map or state behaves identically and is no shorter.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> find_witness(transition_monoid(zoo.tomita(3)))
    Witness(u=('1',), w=('0',), v=(), period=2)
    """
    return next(_candidates(monoid, _power_indices(monoid)), None)


def replay(witness: Witness, accepts: Callable[[Word], bool], *, up_to: int) -> bool:
    """Whether n ↦ accepts(u·wⁿ·v), for n = 0 … ``up_to``, is periodic with least period
    exactly ``witness.period`` (checked, not assumed: any membership function will do).

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> replay(Witness((), ("1",), (), 2), zoo.parity().accepts, up_to=10)
    True
    >>> replay(Witness((), ("1",), (), 3), zoo.parity().accepts, up_to=10)
    False
    """
    bits = [accepts(witness.word(n)) for n in range(up_to + 1)]
    p = witness.period
    if up_to < 2 * p or any(bits[i] != bits[i + p] for i in range(len(bits) - p)):
        return False
    return all(any(bits[i] != bits[i + d] for i in range(len(bits) - d))
               for d in range(1, p) if p % d == 0)


# --------------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------------


def classify(language: DFA | Language, *, budget: int = MONOID_BUDGET) -> Classification:
    """Classify a language: minimal DFA size, transition-monoid size, star-free or not (with a
    replayed witness when not).

    Parameters
    ----------
    language : DFA or Language
        A DFA, a finite-state :class:`Language` (materialised by breadth-first search), or a
        non-regular language (then only ``regular = False`` is reported).
    budget : int, optional
        Monoid elements to enumerate at most.

    Returns
    -------
    Classification
        ``basis`` is ``"transition monoid"`` when the monoid was enumerated in full,
        ``"partial monoid"`` when the budget cut it (a periodic element found before the cut
        still proves non-star-freeness; otherwise ``star_free`` is None), ``"theorem"`` for a
        family too large to materialise whose star-freeness is a theorem, and
        ``"not regular"``.

    Notes
    -----
    Exponential in the worst case (a monoid can have nⁿ elements); the budget bounds the work.
    Each witness is replayed on the DFA for n up to 2·(period + tail + states) before it is
    returned.

    Examples
    --------
    >>> from ssmproof.lang import counters, zoo
    >>> classify(zoo.language("aa_star")).witness
    Witness(u=(), w=('a',), v=(), period=2)
    >>> classify(counters.anbn()).regular
    False
    """
    language = spec_.language_of(language)  # also a spec path, a zoo name, automata-lib's DFA
    if not language.regular:
        return Classification(language.name, False, None, None, None, None, None, "not regular")
    minimal = _minimal_dfa(language)
    if minimal is None:
        return _by_theorem(language)
    return classify_minimal(minimal, transition_monoid(minimal, budget=budget), budget=budget)


def classify_minimal(minimal: DFA, monoid: TransitionMonoid, *, budget: int = MONOID_BUDGET
                     ) -> Classification:
    """:func:`classify` for a DFA that is already complete and minimal, given its transition
    monoid: a pipeline that needs the monoid again (the compiler's group analysis) enumerates
    it once and minimises once.

    ``monoid`` must be ``transition_monoid(minimal, budget=budget)``; ``budget`` also bounds
    libsemigroups' cross-check and is named in the reason when the monoid is cut.

    Examples
    --------
    >>> from ssmproof.lang import dfa as dfa_, zoo
    >>> m = dfa_.minimize(zoo.tomita(6))
    >>> classify_minimal(m, transition_monoid(m)).witness
    Witness(u=(), w=('0',), v=(), period=3)
    """
    cap = element_budget(len(minimal.states), budget)  # libsemigroups' copy too fits memory
    structure = green.green_structure(minimal, budget=cap)
    indices = _power_indices(monoid)
    witness = next(_candidates(monoid, indices), None)
    if witness is not None:
        _check_witness(witness, minimal)
    if not monoid.complete or structure.size is None:
        star_free = False if witness is not None else None
        reason = _cut_reason(len(minimal.states), budget)
        return Classification(minimal.name, True, len(minimal.states), None, star_free, None,
                              witness, "partial monoid", reason, sink=_has_sink(minimal))
    _agree(monoid, structure, witness is None)
    return Classification(minimal.name, True, len(minimal.states), monoid.size, witness is None,
                          _aperiodicity_index(indices), witness, "transition monoid",
                          sink=_has_sink(minimal))


def _cut_reason(states: int, budget: int) -> str:
    """Why the size is unknown: the budget, or the memory cap that lowered it."""
    cap = element_budget(states, budget)
    if cap == budget:
        return (f"the transition monoid has more than {budget:,} elements (the budget; "
                "raise it with --max-monoid)")
    return (f"the transition monoid has more than {cap:,} elements, the most that fit the "
            f"memory cap of {MONOID_BYTE_BUDGET >> 20:,} MiB for a DFA of {states:,} states "
            "(a smaller --max-monoid only lowers it)")


def _has_sink(minimal: DFA) -> bool:
    """A minimal complete DFA has a rejecting sink exactly when some state is not live (all
    such states are equivalent, so minimisation merged them into one)."""
    return len(minimal.live) < len(minimal.states)


def _agree(monoid: TransitionMonoid, structure: green.GreenStructure, star_free: bool) -> None:
    """Our enumeration and libsemigroups must agree on the size and on aperiodicity."""
    if monoid.size != structure.size or structure.aperiodic not in (None, star_free):
        raise RuntimeError(
            f"internal disagreement on the monoid of '{monoid.dfa.name}': enumerated "
            f"{monoid.size} elements (aperiodic: {star_free}), libsemigroups "
            f"{structure.size} (aperiodic: {structure.aperiodic}); please report this")


def _minimal_dfa(language: DFA | Language) -> DFA | None:
    if isinstance(language, DFA):
        return dfa_.minimize(language)
    try:
        built = dfa_.from_language(language, state_name=getattr(language, "state_name", None))
    except SpecError:
        if getattr(language, "known_star_free", None) is None:
            raise
        return None
    return dfa_.minimize(built)


def _by_theorem(language: DFA | Language) -> Classification:
    count = getattr(language, "state_count", None)
    return Classification(language.name, True, count() if count else None, None,
                          bool(getattr(language, "known_star_free")), None, None, "theorem")


def _check_witness(witness: Witness, minimal: DFA) -> None:
    tail, period = len(witness.u), witness.period
    up_to = 2 * (period + tail + len(minimal.states))
    assert replay(witness, minimal.accepts, up_to=up_to), f"witness {witness} failed to replay"
