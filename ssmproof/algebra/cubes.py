"""Greedy cube covers of a 0/1 function given on an explicit table of configurations.

A configuration is a row of level states (level l in column l − 1). A *cube* is a conjunction
of literals "level l holds one of S", written as a :data:`~ssmproof.algebra.cascade.Condition`.
The function is given as a positive and a negative set of rows; rows in neither are
don't-cares (only the configurations listed matter, so unreachable ones may answer anything).

Two stages need such covers: the reset rules of a cascade
(:func:`ssmproof.algebra.rules.cover_resets`: the configurations that require a reset to a
target against those that forbid it) and the readouts of a compiled cascade
(:mod:`ssmproof.compiler.cover_cubes`: accepting against rejecting configurations). They share
this one procedure, in the manner of Espresso's EXPAND and IRREDUNDANT steps: seed a cube on
the first uncovered positive, drop whole levels while the cube meets no negative (in two
orders, keeping the cube that covers more of what is left), then admit further states level by
level, and finally remove cubes the others make redundant. Greedy: small, not minimum. Sets of
rows are the bits of Python integers, so each tested literal costs a few big-integer
operations.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ssmproof.algebra.cascade import Condition

__all__ = ["Bits", "bits", "CubeCover"]

Bits = int
"""A set of row indices: row i is in the set iff bit i is 1."""

_Cube = tuple[Condition, Bits]  # a cube and the rows it matches


def bits(flags: npt.ArrayLike) -> Bits:
    """A boolean vector as the bits of an integer (entry i is bit i).

    Examples
    --------
    >>> bits([True, False, True]), bits([])
    (5, 0)
    """
    flags = np.asarray(flags, dtype=bool)
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


class CubeCover:
    """Cube covers of 0/1 functions on one table of configurations.

    The per-literal row masks are computed once here and reused by every :meth:`cover`: reset
    rules need one cover per (level, symbol, target) of the same table.

    Parameters
    ----------
    configs : array_like of int, shape (R, H)
        The configurations, one per row.

    Examples
    --------
    Level 2 decides, except that level 1 = 3 is always positive:

    >>> table = [[1, 1], [1, 2], [2, 1], [2, 2], [3, 1]]
    >>> CubeCover(table).cover(bits([1, 0, 1, 0, 1]), bits([0, 1, 0, 1, 0]))
    (((2, (1,)),),)

    Looking at level 1 only, no cube separates row 0 from row 1:

    >>> CubeCover(table).cover(bits([1, 0, 0, 0, 0]), bits([0, 1, 0, 0, 0]), levels=1)
    Traceback (most recent call last):
    ...
    ValueError: configuration (1,) is both positive and negative
    """

    def __init__(self, configs: npt.ArrayLike) -> None:
        self.configs = np.asarray(configs, dtype=np.int64)
        self.height = self.configs.shape[1] if self.configs.ndim == 2 else 0
        self.everything: Bits = (1 << len(self.configs)) - 1
        self.masks = [{int(v): bits(col == v) for v in np.unique(col)} for col in self.configs.T]

    def cover(
        self, positive: Bits, negative: Bits, *, levels: int | None = None
    ) -> tuple[Condition, ...]:
        """Cubes that together match every positive row and no negative one.

        Parameters
        ----------
        positive, negative : Bits
            Disjoint sets of rows (see :func:`bits`); rows in neither are don't-cares.
        levels : int or None
            Read only levels ``1..levels`` (None: every level); a reset of level d may read
            only the levels above it.

        Returns
        -------
        tuple of Condition
            Each cube lists only the levels it constrains; a level whose every state met in
            the table is allowed is left out, so ``()`` (always true) appears exactly when no
            row is negative, and no cube at all when no row is positive.

        Raises
        ------
        ValueError
            If the two sets overlap, or a positive row equals a negative one on the levels
            read (no cube can separate them).

        Notes
        -----
        O(P·H²·m) big-integer operations for P cubes, H levels and m states per level.
        """
        if positive & negative:
            raise ValueError("a configuration cannot be both positive and negative")
        if not positive:
            return ()
        if not negative:
            return ((),)
        height = self.height if levels is None else levels
        cubes: list[_Cube] = []
        left = positive
        while left:
            seed = (left & -left).bit_length() - 1
            point = [int(v) for v in self.configs[seed, :height]]
            orders = (list(range(height)), list(range(height - 1, -1, -1)))
            best = max(
                (self._widen(point, order, negative) for order in orders),
                key=lambda c: ((c[1] & left).bit_count(), -len(c[0])),
            )
            if best[1] & negative:
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

    def _widen(self, point: Sequence[int], order: Sequence[int], negative: Bits) -> _Cube:
        """Drop whole levels (in ``order``) while no negative matches, then admit states."""
        masks = [self.masks[col][point[col]] for col in order]
        later = [self.everything] * (len(order) + 1)  # later[j]: the literals from j on
        for j in range(len(order) - 1, -1, -1):
            later[j] = later[j + 1] & masks[j]
        sets: dict[int, Bits] = {}
        match = self.everything  # the literals kept so far
        for j, col in enumerate(order):
            if match & later[j + 1] & negative:  # level col cannot be dropped
                sets[col] = masks[j]
                match &= masks[j]
        cols = sorted(sets)
        after = [self.everything] * (len(cols) + 1)  # after[i]: the kept literals past cols[i]
        for i in range(len(cols) - 1, -1, -1):
            after[i] = after[i + 1] & sets[cols[i]]
        allowed = {col: {point[col]} for col in sets}
        widened = self.everything  # the literals of cols[:i], as admitted so far
        for i, col in enumerate(cols):  # each state's admission is independent given the others
            bad = widened & after[i + 1] & negative
            for v, mask in self.masks[col].items():
                if v not in allowed[col] and not mask & bad:
                    allowed[col].add(v)
                    sets[col] |= mask
            widened &= sets[col]
            if sets[col] == self.everything:  # every state met is allowed
                del allowed[col]
        cube = tuple((col + 1, tuple(sorted(allowed[col]))) for col in sorted(allowed))
        return cube, widened


def _irredundant(cubes: list[_Cube], need: Bits) -> list[_Cube]:
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
