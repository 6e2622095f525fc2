"""A 0/1 function on reachable cascade configurations → a few cubes (ReLU conjunctions).

The readout of a compiled cascade must answer "is the DFA state accepting?" (or "is σ allowed
next?") from the levels' states. Only the *reachable* configurations matter — tile chains that
never occur may answer anything — so the function is given on an explicit list of
configurations, as a positive set, a negative set and don't-cares. A cube is a conjunction of
literals "level l holds one of S" (the :data:`~ssmproof.algebra.cascade.Condition` shape); one
ReLU unit computes it exactly on 0/1 indicators, and a readout sums the cubes of a cover.

The cover is greedy (seed on an uncovered positive, widen it while it meets no negative, then
drop cubes the others make redundant): small, not minimum. Configurations are the bits of Python
integers, so each tested literal costs a few big-integer operations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ssmproof.algebra.cascade import Condition

__all__ = ["cover", "matches"]

Bits = int


def _bits(flags: npt.NDArray[np.bool_]) -> Bits:
    """A boolean vector as the bits of an integer (entry i is bit i)."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def matches(configs: npt.NDArray[np.int64], cube: Condition) -> npt.NDArray[np.bool_]:
    """Which configurations (rows, level l in column l − 1) satisfy ``cube``.

    Examples
    --------
    >>> table = np.array([[1, 0], [1, 2], [2, 2]])
    >>> matches(table, ((1, (1,)), (2, (2,)))).tolist(), matches(table, ()).tolist()
    ([False, True, False], [True, True, True])
    """
    out = np.ones(len(configs), dtype=bool)
    for level, states in cube:
        out &= np.isin(configs[:, level - 1], np.asarray(states))
    return out


def cover(configs: npt.NDArray[np.int64], positive: npt.NDArray[np.bool_],
          negative: npt.NDArray[np.bool_]) -> tuple[Condition, ...]:
    """Cubes that together match every positive configuration and no negative one.

    Parameters
    ----------
    configs : ndarray of int, shape (R, H)
        Reachable configurations, one per row.
    positive, negative : ndarray of bool, shape (R,)
        Disjoint; rows in neither are don't-cares.

    Returns
    -------
    tuple of Condition
        Each cube lists only levels it constrains; a level whose every met state is allowed is
        left out, so ``()`` (always true) appears exactly when no configuration is negative.

    Raises
    ------
    ValueError
        If a positive configuration equals a negative one (no cube can separate them).

    Notes
    -----
    O(P·H²·m) big-integer operations for P cubes, H levels and m states per level.

    Examples
    --------
    Level 2 decides, except that level 1 = 3 is always positive:

    >>> table = np.array([[1, 1], [1, 2], [2, 1], [2, 2], [3, 1]])
    >>> cover(table, np.array([1, 0, 1, 0, 1], bool), np.array([0, 1, 0, 1, 0], bool))
    (((2, (1,)),),)
    """
    if np.any(positive & negative):
        raise ValueError("a configuration cannot be both positive and negative")
    return _Greedy(np.asarray(configs, dtype=np.int64), _bits(negative)).run(_bits(positive))


class _Greedy:
    def __init__(self, configs: npt.NDArray[np.int64], negative: Bits) -> None:
        self.configs, self.negative = configs, negative
        self.height = configs.shape[1] if configs.ndim == 2 else 0
        self.everything = (1 << len(configs)) - 1
        self.masks = [{int(v): _bits(col == v) for v in np.unique(col)} for col in configs.T]

    def run(self, positive: Bits) -> tuple[Condition, ...]:
        if not positive:
            return ()
        if not self.negative:
            return ((),)
        cubes: list[tuple[Condition, Bits]] = []
        left = positive
        while left:
            seed = (left & -left).bit_length() - 1
            point = [int(v) for v in self.configs[seed]]
            orders = (list(range(self.height)), list(range(self.height - 1, -1, -1)))
            best = max((self._widen(point, order) for order in orders),
                       key=lambda c: ((c[1] & left).bit_count(), -len(c[0])))
            if best[1] & self.negative:
                raise ValueError(f"configuration {tuple(point)} is both positive and negative")
            cubes.append(best)
            left &= ~best[1]
        return tuple(cube for cube, _ in _irredundant(cubes, positive))

    def _meet(self, sets: dict[int, Bits], skip: int = -1) -> Bits:
        out = self.everything
        for col, mask in sets.items():
            if col != skip:
                out &= mask
        return out

    def _widen(self, point: Sequence[int], order: Sequence[int]) -> tuple[Condition, Bits]:
        """Drop whole levels (in ``order``) while no negative matches, then admit states."""
        sets = {col: self.masks[col][point[col]] for col in range(self.height)}
        allowed = {col: {point[col]} for col in range(self.height)}
        for col in order:
            if not self._meet(sets, skip=col) & self.negative:
                del sets[col], allowed[col]
        for col in sorted(sets):
            bad = self._meet(sets, skip=col) & self.negative
            for v, mask in self.masks[col].items():
                if v not in allowed[col] and not mask & bad:
                    allowed[col].add(v)
                    sets[col] |= mask
            if sets[col] == self.everything:
                del sets[col], allowed[col]
        cube = tuple((col + 1, tuple(sorted(allowed[col]))) for col in sorted(allowed))
        return cube, self._meet(sets)


def _irredundant(cubes: list[tuple[Condition, Bits]], need: Bits) -> list[tuple[Condition, Bits]]:
    """Drop cubes whose positives the remaining ones cover (smallest coverage first)."""
    keep = list(cubes)
    for cube in sorted(cubes, key=lambda c: (c[1] & need).bit_count()):
        others = 0
        for other in keep:
            if other is not cube:
                others |= other[1]
        if need & ~others == 0:
            keep.remove(cube)
    return keep
