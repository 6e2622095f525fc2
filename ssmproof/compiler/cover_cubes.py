"""A 0/1 function on reachable cascade configurations → a few cubes (ReLU conjunctions).

The readout of a compiled cascade must answer "is the DFA state accepting?" (or "is σ allowed
next?") from the levels' states. Only the *reachable* configurations matter — tile chains that
never occur may answer anything — so the function is given on an explicit list of
configurations, as a positive set, a negative set and don't-cares. A cube is a conjunction of
literals "level l holds one of S" (the :data:`~ssmproof.algebra.cascade.Condition` shape); one
ReLU unit computes it exactly on 0/1 indicators, and a readout sums the cubes of a cover.

The cover is the greedy one of :class:`ssmproof.algebra.cubes.CubeCover`, which also covers
the cascade's reset rules (seed on an uncovered positive, widen it while it meets no negative,
then drop cubes the others make redundant): small, not minimum.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ssmproof.algebra.cascade import Condition
from ssmproof.algebra.cubes import CubeCover, bits

__all__ = ["cover", "matches"]


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
    return CubeCover(configs).cover(bits(positive), bits(negative))
