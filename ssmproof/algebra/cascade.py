"""Cascades of reset automata: the value :func:`~ssmproof.algebra.holonomy.decompose` returns.

A cascade has levels 1..H (level 1 on top). A *configuration* is a tuple of H level states, one per
level, each an index into that level's states (index 0 is the "don't care" state ``*``). On a
symbol, every level acts at once, and level d's action may read only the states of levels 1..d-1
*before* the symbol (cascade semantics). Every action is either KEEP (the identity) or a reset to
a constant state, so a level is a reset automaton; only the resets are stored, as
:class:`ResetRule` values whose conditions are conjunctions over upper levels.

Configurations are decoded into DFA states through a *chain graph*: a node is a set of DFA states
(the root is the whole state set) and reads one level; the state found there names the child
(a smaller set) or, at the bottom, a single DFA state. The levels read along the way form the
configuration's *chain*; :meth:`Cascade.decode` ignores the others. In the cascades
:func:`~ssmproof.algebra.holonomy.decompose` builds, every reachable configuration holds ``*``
off its chain, and the rules are exact on reachable configurations only.

Examples
--------
>>> from ssmproof.algebra.examples import dyck_depth
>>> from ssmproof.algebra.holonomy import decompose
>>> c = decompose(dyck_depth(1))  # (ab)*: states 0, 1 and the sink
>>> [lv.names for lv in c.levels]
[('*', '{0,sink}', '{1,sink}'), ('*', '{1}', '{sink}')]
>>> c.initial, c.chain_of(c.initial), c.decode(c.initial)  # {0,sink}, then {0} (as {1})
((1, 1), ((1, 1), (2, 1)), 0)
>>> c.run("a"), c.decode(c.run("a")), c.run("aa"), c.decode(c.run("aa"))
((2, 1), 1, (2, 2), 2)
>>> for rule in c.resets():
...     print(rule.level, rule.symbol, rule.condition, rule.target)
1 a () 2
1 b () 1
2 a ((1, (2,)),) 2
2 b ((1, (1,)),) 2
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Union

import numpy as np
import numpy.typing as npt

from ssmproof.lang.automaton import DFA

__all__ = [
    "Coords",
    "Condition",
    "Keep",
    "KEEP",
    "Reset",
    "Action",
    "ResetRule",
    "Level",
    "ChainNode",
    "Cascade",
    "CascadeSize",
    "Reachable",
    "explore",
    "check_cover",
    "reachable_configurations",
    "count_tile_chains",
    "dependencies",
    "layer_schedule",
    "cascade_size",
]

Coords = tuple[int, ...]
"""A configuration: one state index per level, level 1 first."""

Configs = npt.NDArray[np.int64]
"""Configurations as rows of an array (level l in column l − 1)."""

Condition = tuple[tuple[int, tuple[int, ...]], ...]
"""A conjunction over upper levels: ``((level, states), ...)``, levels increasing, each literal
meaning "that level holds one of ``states``" (sorted). ``()`` always holds."""


class Keep(Enum):
    """The identity action of a level (the SSM's gate 1, input 0)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class Reset:
    """The constant action: the level moves to state ``target`` (gate 0, input ``target``)."""

    target: int


Action = Union[Reset, Keep]


@dataclass(frozen=True, slots=True)
class ResetRule:
    """On ``symbol``, if the upper levels match ``condition``, level ``level`` resets to ``target``.

    ``condition`` is a conjunction ``((level, states), ...)`` over levels strictly above
    ``level``, in increasing order: level ``l`` must hold one of ``states``. Rules with the same
    ``(level, symbol, target)`` form a disjunction. Where no rule matches, the level keeps its
    state. With one-hot levels each rule is one ReLU feature:
    ``[symbol] + Σ_literals Σ_{s ∈ states} [level l = s] − len(condition) > 0``.
    """

    level: int
    symbol: str
    condition: Condition
    target: int


@dataclass(frozen=True, slots=True)
class Level:
    """One reset component: its states are ``*`` and the tiles of its class representatives.

    ``tiles[k]`` is the tile (a set of DFA state indices) that state k stands for, inside the
    representative ``reps[k]``; for ``*`` (k = 0) both are empty.
    """

    number: int
    names: tuple[str, ...]
    tiles: tuple[frozenset[int], ...]
    reps: tuple[frozenset[int], ...]

    def __post_init__(self) -> None:
        if not (len(self.names) == len(self.tiles) == len(self.reps) >= 1):
            raise ValueError(f"level {self.number}: names, tiles and reps must have one entry each")
        if self.names[0] != "*":
            raise ValueError(f"level {self.number}: state 0 must be the don't-care state '*'")

    @property
    def size(self) -> int:
        """Number of states, ``*`` included."""
        return len(self.names)

    @property
    def bits(self) -> int:
        """Bits of a binary encoding of the states, ⌈log₂ size⌉."""
        return math.ceil(math.log2(self.size)) if self.size > 1 else 0


@dataclass(frozen=True, slots=True)
class ChainNode:
    """A set of DFA states that decoding can pass through; it reads level ``level``.

    ``nodes`` maps a state of that level to a child node (by index in ``Cascade.chain``),
    ``leaves`` maps a state to a DFA state index (a singleton tile). Other states are invalid here.
    """

    level: int
    members: frozenset[int]
    nodes: tuple[tuple[int, int], ...]
    leaves: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Cascade:
    """A cascade of reset automata covering a DFA.

    Attributes
    ----------
    alphabet : tuple of str
        The DFA's symbols, in order.
    dfa_states : tuple of str
        Names of the DFA states that :meth:`decode` returns indices of.
    levels : tuple of Level
        Level 1 first (it acts on the coarsest tiles).
    chain : tuple of ChainNode
        The chain graph; node 0 is the root (all DFA states) and reads level 1.
    encoding : tuple of Coords
        ``encoding[q]`` is a configuration that decodes to q.
    initial : Coords
        The configuration of the DFA's start state.
    rules : tuple of ResetRule
        Every reset, sorted by level, symbol, target and condition.
    images : int
        Size of the image set the cascade was built from (a size fact; 0 if unknown).
    name : str
        The DFA's name.

    Everything is checked on construction (``ValueError``): level numbering and sizes, the
    chain graph, that ``encoding[q]`` decodes to q, and every rule's level, symbol, target and
    condition (strictly upper levels, increasing, states sorted and existing).
    """

    alphabet: tuple[str, ...]
    dfa_states: tuple[str, ...]
    levels: tuple[Level, ...]
    chain: tuple[ChainNode, ...]
    encoding: tuple[Coords, ...]
    initial: Coords
    rules: tuple[ResetRule, ...]
    images: int = 0
    name: str = ""
    _index: tuple[_SymbolRules, ...] = field(init=False, compare=False, repr=False)
    _walk: tuple[dict[int, tuple[bool, int]], ...] = field(init=False, compare=False, repr=False)
    _tables: dict[int, _SymbolTables] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        _check_levels(self)
        walk = tuple(_node_table(node) for node in self.chain)
        object.__setattr__(self, "_walk", walk)
        object.__setattr__(self, "_tables", {})  # per symbol index, built on first use
        _check_chain(self)
        object.__setattr__(self, "_index", tuple(_index_rules(self, a) for a in self.alphabet))
        for q, coords in enumerate(self.encoding):
            if self.decode(coords) != q:
                raise ValueError(f"encoding of state {self.dfa_states[q]!r} does not decode to it")
        self.decode(self.initial)

    # --- reading a configuration -------------------------------------------------------------
    @property
    def height(self) -> int:
        """Number of levels H."""
        return len(self.levels)

    def symbol_index(self, symbol: str | int) -> int:
        """Index of ``symbol`` (a name, or already an index) in the alphabet."""
        if isinstance(symbol, int):
            if not 0 <= symbol < len(self.alphabet):
                raise ValueError(f"symbol index {symbol} out of range")
            return symbol
        try:
            return self.alphabet.index(symbol)
        except ValueError:
            raise ValueError(
                f"symbol {symbol!r} is not in alphabet {list(self.alphabet)}"
            ) from None

    def chain_of(self, coords: Sequence[int]) -> tuple[tuple[int, int], ...]:
        """The chain read from ``coords``: ``((level, state), ...)``, top first."""
        return tuple((level, x) for level, x, _ in self._walk_chain(coords))

    def decode(self, coords: Sequence[int]) -> int:
        """The DFA state (index) a configuration stands for: the covering map.

        Raises ``ValueError`` if a level on the chain holds a state that is no tile there.

        Examples
        --------
        >>> from ssmproof.algebra.examples import flip_flop
        >>> from ssmproof.algebra.holonomy import decompose
        >>> c = decompose(flip_flop())
        >>> [c.decode(c.encode(q)) for q in range(2)]
        [0, 1]
        """
        q = 0  # a one-state DFA has no levels
        for _, _, q in self._walk_chain(coords):
            pass
        return q

    def _walk_chain(self, coords: Sequence[int]) -> Iterator[tuple[int, int, int]]:
        """(level, state, next node or, last, the DFA state) along the chain of ``coords``."""
        node, at_leaf = 0, not self.chain
        while not at_leaf:
            level = self.chain[node].level
            x = coords[level - 1]
            step = self._walk[node].get(x)
            if step is None:
                raise ValueError(f"level {level} holds {x}, not a tile of {self._set_name(node)}")
            at_leaf, node = step
            yield level, x, node

    def encode(self, q: int) -> Coords:
        """A configuration (tile chain transported to representatives) that decodes to ``q``."""
        return self.encoding[q]

    # --- acting ------------------------------------------------------------------------------
    def action(self, level: int, upper: Sequence[int], symbol: str | int) -> Action:
        """Level ``level``'s action on ``symbol`` given the upper levels' states.

        ``upper`` holds at least the states of levels 1..level-1 (more entries are ignored).
        """
        table = self._index[self.symbol_index(symbol)]
        if not 1 <= level <= self.height or len(upper) < level - 1:
            raise ValueError(f"level {level} needs the states of {level - 1} upper levels")
        padded = tuple(upper[: level - 1]) + (0,) * (self.height - level + 1)
        targets = {
            t for i in _bits(table.fired(padded)) for lv, t in [table.resets[i]] if lv == level
        }
        if len(targets) > 1:
            raise ValueError(f"two rules reset level {level} differently at {tuple(upper)}")
        return Reset(targets.pop()) if targets else KEEP

    def step(self, coords: Sequence[int], symbol: str | int) -> Coords:
        """The configuration after ``symbol``: every level acts on the old upper states.

        Raises ``ValueError`` if two rules that fire reset one level to different states.

        Examples
        --------
        >>> from ssmproof.algebra.examples import contains_aa
        >>> from ssmproof.algebra.holonomy import decompose
        >>> dfa = contains_aa()
        >>> c = decompose(dfa)
        >>> c.decode(c.step(c.step(c.initial, "a"), "a")) == dfa.run("aa")
        True
        """
        table = self._index[self.symbol_index(symbol)]
        new = list(coords)
        done: dict[int, int] = {}
        for i in _bits(table.fired(coords)):
            level, target = table.resets[i]
            if done.setdefault(level, target) != target:
                raise ValueError(f"two rules reset level {level} differently at {tuple(coords)}")
            new[level - 1] = target
        return tuple(new)

    def run(self, word: Sequence[str | int], start: Coords | None = None) -> Coords:
        """The configuration reached from ``start`` (default: ``initial``) on ``word``."""
        coords = self.initial if start is None else start
        for symbol in word:
            coords = self.step(coords, symbol)
        return coords

    def fired_many(self, configs: Configs, symbol: str | int) -> npt.NDArray[np.bool_]:
        """Which of ``symbol``'s rules fire on each row of ``configs``: ``(rows, rules)``.

        The rules are ``symbol``'s in :attr:`rules` order; what :meth:`step` does one
        configuration at a time, as bit sets (8 rules per byte) over the whole array.
        """
        a = self.symbol_index(symbol)
        tables = self._tables.get(a)
        if tables is None:
            tables = self._tables[a] = _symbol_tables(self, a)
        return tables.fired(configs)

    def step_many(self, configs: Configs, symbol: str | int) -> Configs:
        """:meth:`step` on every row of ``configs`` at once (same ``ValueError`` on a conflict).

        Examples
        --------
        >>> from ssmproof.algebra.examples import contains_aa
        >>> from ssmproof.algebra.holonomy import decompose
        >>> c = decompose(contains_aa())
        >>> rows = np.array([c.initial, c.run("a")])
        >>> c.step_many(rows, "a").tolist() == [list(c.run("a")), list(c.run("aa"))]
        True
        """
        fired = self.fired_many(configs, symbol)
        tables = self._tables[self.symbol_index(symbol)]
        rows, rules = np.nonzero(fired)
        levels, targets = tables.level[rules], tables.target[rules]
        new = configs.copy()
        new[rows, levels] = targets  # where two rules disagree, one of them reads back wrong
        clash = np.flatnonzero(new[rows, levels] != targets)
        if clash.size:
            r, lv = int(rows[clash[0]]), int(levels[clash[0]]) + 1
            where = tuple(int(v) for v in configs[r])
            raise ValueError(f"two rules reset level {lv} differently at {where}")
        return new

    def decode_many(self, configs: Configs) -> npt.NDArray[np.int64]:
        """:meth:`decode` of every row; -1 where a level on the chain holds no tile there."""
        out = np.zeros(len(configs), dtype=np.int64)
        if not self.chain:
            return out
        level, nxt = _chain_arrays(self)
        node = np.zeros(len(configs), dtype=np.int64)  # >= 0: a chain node; < 0: done
        live = np.arange(len(configs))
        while live.size:
            n = node[live]
            x = configs[live, level[n] - 1]
            step = np.where(x < nxt.shape[1], nxt[n, np.minimum(x, nxt.shape[1] - 1)], -1)
            leaf = step < 0
            out[live[leaf]] = np.where(step[leaf] == -1, -1, -step[leaf] - 2)
            node[live[~leaf]] = step[~leaf]
            live = live[~leaf]
        return out

    def resets(self) -> Iterator[ResetRule]:
        """Iterate over the reset rules (level, symbol, condition, target), sorted by level."""
        return iter(self.rules)

    # --- helpers -----------------------------------------------------------------------------
    def _set_name(self, node: int) -> str:
        return "{" + ",".join(self.dfa_states[q] for q in sorted(self.chain[node].members)) + "}"


# --- construction checks (one per rule, STYLE R4) ----------------------------------------------
def _node_table(node: ChainNode) -> dict[int, tuple[bool, int]]:
    table: dict[int, tuple[bool, int]] = {x: (False, child) for x, child in node.nodes}
    table.update({x: (True, q) for x, q in node.leaves})
    return table


def _check_levels(c: Cascade) -> None:
    for d, level in enumerate(c.levels, start=1):
        if level.number != d:
            raise ValueError(f"level {d} is numbered {level.number}")
    for coords in (c.initial, *c.encoding):
        if len(coords) != c.height:
            raise ValueError(f"configuration {coords} does not have {c.height} levels")
        for d, x in enumerate(coords, start=1):
            if not 0 <= x < c.levels[d - 1].size:
                raise ValueError(f"level {d} has no state {x}")


def _check_chain(c: Cascade) -> None:
    if not c.chain:
        if c.height != 0 or len(c.dfa_states) != 1:
            raise ValueError("only a cascade of a one-state DFA may have no chain graph")
        return
    if c.chain[0].level != 1:
        raise ValueError("the chain graph needs a root that reads level 1")
    for node in c.chain:
        if not 1 <= node.level <= c.height:
            raise ValueError(f"chain node reads level {node.level}, outside 1..{c.height}")
        for x, child in node.nodes:
            if not 0 <= child < len(c.chain) or c.chain[child].level <= node.level:
                raise ValueError(f"chain node at level {node.level}: bad child {child} for {x}")
        for _, q in node.leaves:
            if not 0 <= q < len(c.dfa_states):
                raise ValueError(f"chain leaf names no DFA state: {q}")


@dataclass(frozen=True, slots=True)
class _SymbolRules:
    """One symbol's rules as bit sets: rule i fires iff every level's state keeps it alive.

    ``alive[l]`` maps a state v to the rules with v in their literal on level l+1, ``free[l]``
    is the set of rules without a literal there; the rules that fire on c are the AND over l of
    ``free[l] | alive[l][c[l]]``: O(H) big-integer operations.
    """

    resets: tuple[tuple[int, int], ...]  # rule i: (level, target)
    free: tuple[int, ...]
    alive: tuple[dict[int, int], ...]

    def fired(self, coords: Sequence[int]) -> int:
        out = -1
        for free, alive, v in zip(self.free, self.alive, coords):
            out &= free | alive.get(v, 0)
        return out & ((1 << len(self.resets)) - 1)


@dataclass(frozen=True, slots=True)
class _SymbolTables:
    """One symbol's rules over an array of configurations, 8 rules per byte (little bit order).

    ``reads[j]`` is a level index (0-based) that some rule reads and ``ok[j][v]`` the rules that
    state v of that level keeps alive (those without a literal there, or whose literal holds
    v); a rule fires iff its bit survives the AND over j.
    """

    count: int
    reads: tuple[int, ...]
    ok: tuple[npt.NDArray[np.uint8], ...]  # per read level: (states, bytes)
    level: npt.NDArray[np.int64]  # rule -> level index (0-based)
    target: npt.NDArray[np.int64]  # rule -> target state

    def fired(self, configs: Configs) -> npt.NDArray[np.bool_]:
        out = np.full((len(configs), (self.count + 7) // 8), 0xFF, dtype=np.uint8)
        for lv, ok in zip(self.reads, self.ok):
            out &= ok[configs[:, lv]]
        bits = np.unpackbits(out, axis=1, count=self.count, bitorder="little")
        return bits.view(bool)


def _symbol_tables(c: Cascade, a: int) -> _SymbolTables:
    """The tables of :meth:`Cascade.fired_many` for symbol ``a`` (rules in ``_index`` order)."""
    rules = [r for r in c.rules if r.symbol == c.alphabet[a]]
    reads = sorted({lv - 1 for r in rules for lv, _ in r.condition})
    tables = {lv: np.ones((c.levels[lv].size, len(rules)), dtype=bool) for lv in reads}
    for i, rule in enumerate(rules):
        for lv, xs in rule.condition:
            tables[lv - 1][:, i] = False
            tables[lv - 1][list(xs), i] = True
    ok = [np.packbits(tables[lv], axis=1, bitorder="little") for lv in reads]
    level = np.array([r.level - 1 for r in rules], dtype=np.int64)
    target = np.array([r.target for r in rules], dtype=np.int64)
    return _SymbolTables(len(rules), tuple(reads), tuple(ok), level, target)


def _chain_arrays(c: Cascade) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The chain graph as arrays: each node's level, and ``nxt[node, state]``: a child node
    (>= 0), a leaf ``-(q + 2)`` for DFA state q, or -1 (no tile there)."""
    level = np.array([node.level for node in c.chain], dtype=np.int64)
    nxt = np.full((len(c.chain), max(lv.size for lv in c.levels)), -1, dtype=np.int64)
    for i, node in enumerate(c.chain):
        for x, child in node.nodes:
            nxt[i, x] = child
        for x, q in node.leaves:
            nxt[i, x] = -q - 2
    return level, nxt


def _bits(bits: int) -> Iterator[int]:
    """Indices of the set bits, increasing."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def _check_rule(c: Cascade, rule: ResetRule) -> None:
    if not 1 <= rule.level <= c.height or not 0 <= rule.target < c.levels[rule.level - 1].size:
        raise ValueError(f"{rule}: no such level or target state")
    levels = [lv for lv, _ in rule.condition]
    if levels != sorted(set(levels)) or any(not 1 <= lv < rule.level for lv in levels):
        raise ValueError(f"{rule}: a condition reads strictly upper levels, each once, in order")
    for lv, xs in rule.condition:
        if (
            not xs
            or list(xs) != sorted(set(xs))
            or not 0 <= xs[0] <= xs[-1] < c.levels[lv - 1].size
        ):
            raise ValueError(f"{rule}: level {lv}: states must be sorted, distinct and exist")


def _index_rules(c: Cascade, symbol: str) -> _SymbolRules:
    """Check ``symbol``'s rules and index them for :meth:`Cascade.step`."""
    for rule in c.rules:
        if rule.symbol not in c.alphabet:
            raise ValueError(f"{rule}: symbol not in alphabet {list(c.alphabet)}")
    rules = [r for r in c.rules if r.symbol == symbol]
    everything = (1 << len(rules)) - 1
    free = [everything] * c.height
    alive: list[dict[int, int]] = [{} for _ in c.levels]
    for i, rule in enumerate(rules):
        _check_rule(c, rule)
        for lv, xs in rule.condition:
            free[lv - 1] &= ~(1 << i)
            for v in xs:
                alive[lv - 1][v] = alive[lv - 1].get(v, 0) | (1 << i)
    resets = tuple((r.level, r.target) for r in rules)
    return _SymbolRules(resets, tuple(free), tuple(alive))


# --- checks and size facts ---------------------------------------------------------------------
@dataclass(frozen=True)
class Reachable:
    """The configurations reachable from a cascade's ``initial``, and the successor table.

    ``configs`` holds one configuration per row (row 0 the initial one, then breadth-first, a
    layer's new configurations in order of symbol, then parent); ``successors[a, r]`` is the row
    of the configuration row r steps to on symbol a.
    """

    configs: Configs
    successors: npt.NDArray[np.int64]


def explore(cascade: Cascade, max_configurations: int | None = None) -> Reachable:
    """Every configuration reachable from ``cascade.initial``: breadth-first, one
    :meth:`Cascade.step_many` per layer and symbol.

    Raises ``ValueError`` if there are more than ``max_configurations``, or if two rules reset
    one level differently on a reachable configuration.

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.algebra.holonomy import decompose
    >>> r = explore(decompose(contains_aa()))
    >>> r.configs.tolist(), r.successors.tolist()
    ([[1, 1], [2, 1], [2, 2], [1, 2]], [[1, 2, 2, 2], [0, 0, 3, 3]])
    """
    k, h = len(cascade.alphabet), cascade.height
    start = np.array([cascade.initial], dtype=np.int64).reshape(1, h)
    if h == 0:  # a one-state DFA: the empty configuration steps to itself
        return Reachable(start, np.zeros((k, 1), dtype=np.int64))
    index: dict[bytes, int] = {start.tobytes(): 0}
    layers, succ = [start], []
    frontier = start
    while len(frontier):
        found, ids = [], np.empty((k, len(frontier)), dtype=np.int64)
        for a in range(k):
            nxt = cascade.step_many(frontier, a)
            fresh = []
            for j, key in enumerate(np.ascontiguousarray(nxt).view(f"V{8 * h}").ravel().tolist()):
                i = index.get(key)
                if i is None:
                    i = index[key] = len(index)
                    fresh.append(j)
                ids[a, j] = i
            found.append(nxt[fresh])
        succ.append(ids)
        frontier = np.concatenate(found)
        layers.append(frontier)
        if max_configurations is not None and len(index) > max_configurations:
            raise ValueError(f"more than {max_configurations} reachable configurations")
    return Reachable(np.concatenate(layers), np.concatenate(succ, axis=1))


def reachable_configurations(
    cascade: Cascade, max_configurations: int | None = None
) -> frozenset[Coords]:
    """The configurations reachable from ``cascade.initial`` (see :func:`explore`).

    Raises ``ValueError`` if there are more than ``max_configurations``.
    """
    found = explore(cascade, max_configurations).configs.tolist()
    return frozenset(tuple(c) for c in found)


def check_cover(cascade: Cascade, dfa: DFA, max_configurations: int | None = None, *,
                reach: Reachable | None = None) -> int:
    """Check that ``cascade`` covers ``dfa`` on every reachable configuration; count them.

    Explores the configurations reachable from ``cascade.initial`` breadth-first (not all tile
    chains, whose number can be exponential) and checks ``decode(step(c, a)) ==
    dfa.delta[decode(c)][a]`` for each configuration c and symbol a, and that ``initial``
    decodes to the start state.

    Parameters
    ----------
    cascade : Cascade
    dfa : DFA
        Must have the cascade's alphabet and states.
    max_configurations : int, optional
        Give up (``ValueError``) beyond this many configurations.
    reach : Reachable, optional
        ``explore(cascade)``, when the caller has it already (the compiler analyses the same
        configurations next).

    Returns
    -------
    int
        The number of reachable configurations.

    Raises
    ------
    AssertionError
        When the cover fails, naming a shortest word that shows it, the configuration, the
        symbol and the states (also when a successor is not a tile chain).

    Notes
    -----
    O(R·|Σ|·H) for R reachable configurations and H levels, as whole arrays
    (:func:`explore`, :meth:`Cascade.decode_many`). Only when something fails is the search
    run again one configuration at a time, to name the shortest word. Every word's run is
    covered, so the cascade followed by ``decode`` recognises the DFA's language at every
    length.

    Examples
    --------
    >>> from ssmproof.algebra.examples import last_is_a
    >>> from ssmproof.algebra.holonomy import decompose
    >>> check_cover(decompose(last_is_a()), last_is_a())
    2
    """
    if tuple(dfa.alphabet) != cascade.alphabet or cascade.dfa_states != dfa.states:
        raise ValueError("the cascade was built for a DFA with another alphabet or states")
    if reach is None:
        try:
            reach = explore(cascade, max_configurations)
        except ValueError:
            return _check_cover_one_by_one(cascade, dfa, max_configurations)
    q = cascade.decode_many(reach.configs)
    delta = np.array(dfa.delta, dtype=np.int64).reshape(len(dfa.states), len(dfa.alphabet))
    if (q < 0).any() or q[0] != dfa.start or (
            q[reach.successors] != delta[q].T).any():
        return _check_cover_one_by_one(cascade, dfa, max_configurations)
    return len(reach.configs)


def _check_cover_one_by_one(cascade: Cascade, dfa: DFA, max_configurations: int | None) -> int:
    """:func:`check_cover` one configuration at a time, for the shortest failing word."""
    if _decoded(cascade, cascade.initial, ()) != dfa.start:
        raise AssertionError("the initial configuration does not decode to the start state")
    words: dict[Coords, tuple[str, ...]] = {cascade.initial: ()}
    queue = deque([cascade.initial])
    while queue:
        coords = queue.popleft()
        q = cascade.decode(coords)
        for a, sym in enumerate(dfa.alphabet):
            nxt, word = cascade.step(coords, a), words[coords] + (sym,)
            got = _decoded(cascade, nxt, word)
            if got != dfa.delta[q][a]:
                raise AssertionError(
                    f"cover fails after {' '.join(word)!r}: {coords} (state "
                    f"{cascade.dfa_states[q]!r}) steps on {sym!r} to {nxt}, which decodes to "
                    f"{cascade.dfa_states[got]!r}; the DFA goes to "
                    f"{cascade.dfa_states[dfa.delta[q][a]]!r}"
                )
            if nxt not in words:
                words[nxt] = word
                queue.append(nxt)
                if max_configurations is not None and len(words) > max_configurations:
                    raise ValueError(f"more than {max_configurations} reachable configurations")
    return len(words)


def _decoded(cascade: Cascade, coords: Coords, word: tuple[str, ...]) -> int:
    try:
        return cascade.decode(coords)
    except ValueError as err:
        raise AssertionError(f"cover fails after {' '.join(word)!r}: {err}") from None


def count_tile_chains(cascade: Cascade) -> int:
    """Number of tile chains (root-to-leaf paths of the chain graph), without listing them."""
    if not cascade.chain:
        return 1
    paths = [0] * len(cascade.chain)
    for i in sorted(range(len(cascade.chain)), key=lambda i: -cascade.chain[i].level):
        node = cascade.chain[i]
        paths[i] = len(node.leaves) + sum(paths[child] for _, child in node.nodes)
    return paths[0]


def dependencies(cascade: Cascade) -> tuple[frozenset[int], ...]:
    """For each level (level 1 first), the upper levels its reset rules read.

    Two levels can share an SSM layer when neither reads the other (see :func:`layer_schedule`).
    """
    deps: list[set[int]] = [set() for _ in cascade.levels]
    for rule in cascade.rules:
        deps[rule.level - 1].update(lv for lv, _ in rule.condition)
    return tuple(frozenset(d) for d in deps)


def layer_schedule(cascade: Cascade) -> tuple[tuple[int, ...], ...]:
    """Group levels into layers so that each level reads only levels of earlier layers.

    A level goes into layer 1 + (the latest layer among the levels it reads); this is the
    fewest layers any grouping can have, the longest chain of :func:`dependencies`.

    Examples
    --------
    >>> from ssmproof.algebra.examples import dyck_depth
    >>> from ssmproof.algebra.holonomy import decompose
    >>> layer_schedule(decompose(dyck_depth(2)))
    ((1,), (2,), (3,))
    """
    layer: list[int] = []
    for deps in dependencies(cascade):
        layer.append(1 + max((layer[d - 1] for d in deps), default=0))
    count = max(layer, default=0)
    return tuple(
        tuple(d for d, ly in enumerate(layer, start=1) if ly == k) for k in range(1, count + 1)
    )


@dataclass(frozen=True, slots=True)
class CascadeSize:
    """Size facts of a cascade (see :func:`cascade_size`)."""

    images: int
    levels: int
    states: tuple[int, ...]
    tile_states: int
    bits: tuple[int, ...]
    total_bits: int
    reset_rules: int
    rule_literals: int
    tile_chains: int
    reachable: int | None
    layers: int


def cascade_size(cascade: Cascade, reachable: bool = True) -> CascadeSize:
    """Images, levels, states and bits per level, rules, tile chains, reachable configurations.

    ``states`` counts each level's states with ``*``; ``tile_states`` is their sum; ``bits`` is
    ⌈log₂ states⌉ per level; ``rule_literals`` sums the condition lengths of the reset rules;
    ``layers`` is the length of :func:`layer_schedule`. ``reachable`` runs a breadth-first search
    (pass ``reachable=False`` to skip it; the field is then None).

    Examples
    --------
    >>> from ssmproof.algebra.examples import flip_flop
    >>> from ssmproof.algebra.holonomy import decompose
    >>> s = cascade_size(decompose(flip_flop()))
    >>> s.levels, s.states, s.reset_rules, s.reachable
    (1, (3,), 2, 2)
    """
    return CascadeSize(
        images=cascade.images,
        levels=cascade.height,
        states=tuple(lv.size for lv in cascade.levels),
        tile_states=sum(lv.size for lv in cascade.levels),
        bits=tuple(lv.bits for lv in cascade.levels),
        total_bits=sum(lv.bits for lv in cascade.levels),
        reset_rules=len(cascade.rules),
        rule_literals=sum(len(r.condition) for r in cascade.rules),
        tile_chains=count_tile_chains(cascade),
        reachable=len(reachable_configurations(cascade)) if reachable else None,
        layers=len(layer_schedule(cascade)),
    )
