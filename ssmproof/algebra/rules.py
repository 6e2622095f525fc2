"""Reset rules from an explicit transition table of a cascade: a small cover of each reset.

Given the reachable configurations of a cascade and each one's successor on each symbol, level
d must move from ``c[d]`` to ``succ(c)[d]`` using only the upper levels 1..d-1 of c. Where the
two differ, a reset to ``succ(c)[d]`` is *required*; a reset to t is *forbidden* on any c whose
successor at d is not t; elsewhere it is harmless (it resets to the state already there). The
required set of each reset target is covered by conditions ``((level, states), ...)`` ("level
is one of states", for every listed level): multiple-valued two-level minimisation in the
manner of Espresso's EXPAND and IRREDUNDANT steps, with configurations as the bits of Python
integers. Levels whose every reachable state is allowed are left out of a condition.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ssmproof.algebra.cascade import Condition, Coords, ResetRule

__all__ = ["cover_resets"]

Bits = int  # a set of configuration indices


def cover_resets(
    configs: Sequence[Coords],
    successors: Sequence[Sequence[int]],
    alphabet: Sequence[str],
    height: int,
) -> tuple[ResetRule, ...]:
    """Reset rules realising ``configs[i] → configs[successors[a][i]]`` on every symbol a.

    Parameters
    ----------
    configs : sequence of Coords
        The reachable configurations (tuples of ``height`` level states).
    successors : sequence of sequences of int
        ``successors[a][i]`` indexes the successor of ``configs[i]`` on symbol ``a``.
    alphabet : sequence of str
        Symbol names, used in the rules.
    height : int
        Number of levels.

    Returns
    -------
    tuple of ResetRule
        Sorted by level, symbol, target and condition. On every listed configuration exactly
        the required resets fire (and possibly resets to the state a level already holds).

    Raises
    ------
    AssertionError
        If some level's move is not a function of the upper levels (not a cascade).

    Notes
    -----
    Greedy, not minimum: each uncovered required configuration is expanded into a maximal
    condition (whole levels dropped first, in two orders, then states added to the levels
    left; the larger cover kept), then redundant conditions are removed. O(N·H) big-integer
    operations per tried literal, for N configurations and H levels.

    Examples
    --------
    Level 1 is set by ``s`` and cleared by ``r``; level 2 copies level 1 on ``c``:

    >>> configs = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> succ = {"s": [1, 1, 2, 2], "r": [0, 0, 3, 3], "c": [0, 2, 2, 0]}
    >>> for rule in cover_resets(configs, list(succ.values()), list(succ), 2):
    ...     print(rule.level, rule.symbol, rule.condition, rule.target)
    1 s () 1
    1 r () 0
    2 c ((1, (0,)),) 0
    2 c ((1, (1,)),) 1
    """
    table = np.asarray(configs, dtype=np.int64).reshape(len(configs), height)
    literals = _literal_masks(table)
    rules: list[ResetRule] = []
    for a, sym in enumerate(alphabet):
        nxt = table[np.asarray(successors[a], dtype=np.int64)]
        for d in range(1, height + 1):
            for target, (need, forbid) in sorted(_sets(table[:, d - 1], nxt[:, d - 1]).items()):
                conditions = _Cover(configs, literals, d, forbid).run(need)
                rules.extend(ResetRule(d, sym, cond, target) for cond in conditions)
    order = {s: i for i, s in enumerate(alphabet)}
    return tuple(sorted(rules, key=lambda r: (r.level, order[r.symbol], r.target, r.condition)))


def _bits(flags: np.ndarray) -> Bits:
    """A boolean vector as the bits of an integer (entry i is bit i)."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def _literal_masks(table: np.ndarray) -> list[dict[int, Bits]]:
    """``masks[l][v]``: the configurations whose level l+1 holds v."""
    return [{int(v): _bits(column == v) for v in np.unique(column)} for column in table.T]


def _sets(now: np.ndarray, nxt: np.ndarray) -> dict[int, tuple[Bits, Bits]]:
    """Per reset target t of one level: (configurations requiring it, those forbidding it)."""
    out = {}
    for t in np.unique(nxt[now != nxt]):
        into = nxt == t
        out[int(t)] = (_bits(into & (now != t)), _bits(~into))
    return out


class _Cover:
    """Covers of one (level, symbol, target): cubes are per-level sets of allowed states."""

    def __init__(
        self, configs: Sequence[Coords], literals: list[dict[int, Bits]], d: int, forbid: Bits
    ) -> None:
        self.configs, self.literals, self.d, self.forbid = configs, literals, d, forbid
        self.everything = (1 << len(configs)) - 1

    def run(self, need: Bits) -> list[Condition]:
        cubes: list[tuple[dict[int, set[int]], Bits]] = []
        left = need
        while left:
            i = (left & -left).bit_length() - 1
            seed = {lv: {self.configs[i][lv - 1]} for lv in range(1, self.d)}
            orders = (list(range(1, self.d)), list(range(self.d - 1, 0, -1)))
            best = max(
                (self._expand(seed, order) for order in orders),
                key=lambda cube: ((cube[1] & left).bit_count(), -len(cube[0])),
            )
            if best[1] & self.forbid or not best[1] >> i & 1:
                raise AssertionError(f"level {self.d}'s move is not a function of upper levels")
            cubes.append(best)
            left &= ~best[1]
        return [_condition(cube) for cube, _ in _irredundant(cubes, need)]

    def _expand(
        self, seed: dict[int, set[int]], order: list[int]
    ) -> tuple[dict[int, set[int]], Bits]:
        """Drop whole levels in ``order``, then add states to the levels left, while valid."""
        masks = [self.literals[lv - 1][next(iter(seed[lv]))] for lv in order]
        suffix = [self.everything] * (len(order) + 1)
        for j in range(len(order) - 1, -1, -1):
            suffix[j] = suffix[j + 1] & masks[j]
        kept, match = {}, self.everything
        for j, lv in enumerate(order):
            if match & suffix[j + 1] & self.forbid:  # level lv cannot be dropped
                kept[lv] = masks[j]
                match &= masks[j]
        cube = {lv: set(seed[lv]) for lv in kept}
        for lv in sorted(cube):  # each state's admission is independent given the others
            bad = self._meet(kept, skip=lv) & self.forbid
            for v, m in self.literals[lv - 1].items():
                if not m & bad:
                    cube[lv].add(v)
                    kept[lv] |= m
            if kept[lv] == self.everything:  # every reachable state allowed
                del cube[lv], kept[lv]
        return cube, self._meet(kept)

    def _meet(self, masks: dict[int, Bits], skip: int = 0) -> Bits:
        out = self.everything
        for lv, m in masks.items():
            if lv != skip:
                out &= m
        return out


def _condition(cube: dict[int, set[int]]) -> Condition:
    return tuple((lv, tuple(sorted(cube[lv]))) for lv in sorted(cube))


def _irredundant(
    cubes: list[tuple[dict[int, set[int]], Bits]], need: Bits
) -> list[tuple[dict[int, set[int]], Bits]]:
    """Remove conditions whose required configurations the others already cover."""
    keep = list(cubes)
    for cube in sorted(cubes, key=lambda c: (c[1] & need).bit_count()):
        others = 0
        for other in keep:
            if other is not cube:
                others |= other[1]
        if need & ~others == 0:
            keep.remove(cube)
    return keep
