"""Reset rules from an explicit transition table of a cascade: a small cover of each reset.

Given the reachable configurations of a cascade and each one's successor on each symbol, level
d must move from ``c[d]`` to ``succ(c)[d]`` using only the upper levels 1..d-1 of c. Where the
two differ, a reset to ``succ(c)[d]`` is *required*; a reset to t is *forbidden* on any c whose
successor at d is not t; elsewhere it is harmless (it resets to the state already there). The
required set of each reset target is covered by conditions ``((level, states), ...)`` ("level
is one of states", for every listed level) with the greedy cube cover of
:mod:`ssmproof.algebra.cubes` (multiple-valued two-level minimisation in the manner of
Espresso's EXPAND and IRREDUNDANT steps), reading only the levels above. Levels whose every
reachable state is allowed are left out of a condition.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ssmproof.algebra.cascade import Coords, ResetRule
from ssmproof.algebra.cubes import Bits, CubeCover, bits

__all__ = ["cover_resets"]


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
    cubes = CubeCover(table)
    rules: list[ResetRule] = []
    for a, sym in enumerate(alphabet):
        nxt = table[np.asarray(successors[a], dtype=np.int64)]
        for d in range(1, height + 1):
            for target, (need, forbid) in sorted(_sets(table[:, d - 1], nxt[:, d - 1]).items()):
                try:
                    conditions = cubes.cover(need, forbid, levels=d - 1)
                except ValueError:
                    raise AssertionError(
                        f"level {d}'s move is not a function of upper levels"
                    ) from None
                rules.extend(ResetRule(d, sym, cond, target) for cond in conditions)
    order = {s: i for i, s in enumerate(alphabet)}
    return tuple(sorted(rules, key=lambda r: (r.level, order[r.symbol], r.target, r.condition)))


def _sets(now: np.ndarray, nxt: np.ndarray) -> dict[int, tuple[Bits, Bits]]:
    """Per reset target t of one level: (configurations requiring it, those forbidding it)."""
    out = {}
    for t in np.unique(nxt[now != nxt]):
        into = nxt == t
        out[int(t)] = (bits(into & (now != t)), bits(~into))
    return out
