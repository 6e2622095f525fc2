"""Small hand-built DFAs with known decompositions, for doctests, tests and benchmarks.

Each function states the language it accepts. They are built directly with :class:`DFA`
(complete and minimal), independently of the language zoo.
"""

from __future__ import annotations

from ssmproof.lang.automaton import DFA

__all__ = ["contains_aa", "flip_flop", "last_is_a", "dyck_depth", "tomita4", "parity"]


def _dfa(
    name: str,
    alphabet: str,
    states: list[str],
    start: int,
    accepting: set[int],
    delta: list[list[int]],
) -> DFA:
    return DFA(
        tuple(alphabet),
        tuple(states),
        start,
        frozenset(accepting),
        tuple(tuple(row) for row in delta),
        name=name,
    )


def contains_aa() -> DFA:
    """Words over {a, b} containing ``aa`` (states: no progress, last a, seen aa).

    Examples
    --------
    >>> contains_aa().accepts("baab"), contains_aa().accepts("abab")
    (True, False)
    """
    return _dfa("contains-aa", "ab", ["q0", "q1", "q2"], 0, {2}, [[1, 0], [2, 0], [2, 2]])


def flip_flop() -> DFA:
    """Over {0, 1, i}: the last of 0/1 was 1 (``0`` resets, ``1`` sets, ``i`` keeps)."""
    return _dfa("flip-flop", "01i", ["s0", "s1"], 0, {1}, [[0, 1, 0], [0, 1, 1]])


def last_is_a() -> DFA:
    """Words over {a, b} whose last symbol is ``a``."""
    return _dfa("last-a", "ab", ["q0", "q1"], 0, {1}, [[1, 0], [1, 0]])


def dyck_depth(m: int) -> DFA:
    """D_m = (a D_{m-1} b)*, D_1 = (ab)*: balanced words of depth ≤ m (states 0..m and sink).

    Examples
    --------
    >>> d2 = dyck_depth(2)
    >>> d2.accepts("aabbab"), d2.accepts("aaabbb"), len(d2.states)
    (True, False, 4)
    """
    if m < 1:
        raise ValueError("dyck_depth needs m >= 1")
    sink = m + 1
    delta = [[i + 1 if i < m else sink, i - 1 if i > 0 else sink] for i in range(m + 1)]
    delta.append([sink, sink])
    return _dfa(f"D{m}", "ab", [str(i) for i in range(m + 1)] + ["sink"], 0, {0}, delta)


def tomita4() -> DFA:
    """Tomita 4: words over {0, 1} without ``000`` (states: trailing 0s = 0, 1, 2; sink)."""
    return _dfa(
        "tomita4", "01", ["q0", "q1", "q2", "sink"], 0, {0, 1, 2}, [[1, 0], [2, 0], [3, 0], [3, 3]]
    )


def parity() -> DFA:
    """PARITY: an even number of 1s over {0, 1}. Not star-free (its monoid has the group Z2)."""
    return _dfa("parity", "01", ["even", "odd"], 0, {0}, [[0, 1], [1, 0]])
