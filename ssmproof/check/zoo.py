"""The regular zoo names, defined again from their definitions (DESIGN §1, PAPER §5).

Each family is written here as a step function over states of its own (a stack of brackets, a
count, a phase) and materialized into a minimal DFA; the counter languages (``dyck1``, ``anbn``,
...) are not regular and have no finite product to re-explore, so they are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from ssmproof.check.automaton import Dfa, materialize, minimal
from ssmproof.check.regex import regex_dfa

__all__ = ["zoo_dfa", "dyck_alphabet", "NOT_REGULAR"]

NOT_REGULAR = ("dyck1", "shuffle", "boolean", "anbn", "anbncn", "anbncndn")
_DEAD = "dead"
Step = Callable[[Hashable, str], Hashable]


def _tomita3(q: Hashable, c: str) -> Hashable:
    """q = (symbol of the current run, its length is odd, the 1-run before it was odd)."""
    cur, odd, ones_odd = q  # type: ignore[misc]
    if c == cur:
        return (cur, not odd, ones_odd)
    if cur == "0" and ones_odd and odd:  # an odd 0-run after an odd 1-run just ended
        return _DEAD
    return (c, True, c == "0" and cur == "1" and odd)


def _tomita3_accepts(q: Hashable) -> bool:
    return q != _DEAD and not (q[0] == "0" and q[1] and q[2])  # type: ignore[index]


_TOMITA: dict[int, tuple[Hashable, Step, Callable[[Hashable], bool]]] = {
    1: ("ok", lambda q, c: q if c == "1" else _DEAD, lambda q: True),
    2: (0, lambda q, c: (1 if c == "1" else _DEAD) if q == 0 else
        (0 if c == "0" and q == 1 else _DEAD), lambda q: q == 0),
    3: ((None, False, False), _tomita3, _tomita3_accepts),
    4: (0, lambda q, c: _DEAD if c == "0" and q == 2 else (q + 1 if c == "0" else 0),  # type: ignore
        lambda q: True),
    5: ((0, 0), lambda q, c: (q[0] ^ (c == "0"), q[1] ^ (c == "1")),  # type: ignore[index]
        lambda q: q == (0, 0)),
    6: (0, lambda q, c: (q + (1 if c == "0" else -1)) % 3, lambda q: q == 0),  # type: ignore
    7: (0, lambda q, c: q if "0101"[q] == c else (q + 1 if q < 3 else _DEAD),  # type: ignore
        lambda q: True),
}


def _flipflop_step(q: Hashable, c: str) -> Hashable:
    """q = ("instr", bit stored) awaiting an instruction, ("bit", instr, stored), or dead."""
    if q == _DEAD:
        return _DEAD
    if q[0] == "instr":  # type: ignore[index]
        stored = q[1]  # type: ignore[index]
        if c not in "wri" or (stored is None and c != "w"):
            return _DEAD
        return ("bit", c, stored)
    _, instr, stored = q  # type: ignore[misc]
    if c not in "01" or (instr == "r" and c != stored):
        return _DEAD
    return ("instr", c if instr == "w" else stored, True)


def _flipflop_accepts(q: Hashable) -> bool:
    """At least one complete instruction/bit pair, and nothing went wrong."""
    return q != _DEAD and q[0] == "instr" and bool(q[2])  # type: ignore[index]


def _pairs(k: int) -> list[tuple[str, str]]:
    return [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")][:k] if k <= 4 else \
        [(f"({i}", f"){i}") for i in range(1, k + 1)]


def dyck_alphabet(k: int) -> tuple[str, ...]:
    """Opening then closing token of each pair, pair by pair (DESIGN §1)."""
    return tuple(s for p in _pairs(k) for s in p)


def _dyck(k: int, h: int) -> tuple[tuple[str, ...], Step]:
    pairs = _pairs(k)
    alphabet = dyck_alphabet(k)
    opener = {p[0]: i for i, p in enumerate(pairs)}
    closer = {p[1]: i for i, p in enumerate(pairs)}

    def step(q: Hashable, c: str) -> Hashable:
        if q == _DEAD:
            return _DEAD
        if c in opener:
            return q + (opener[c],) if len(q) < h else _DEAD  # type: ignore[operator,arg-type]
        return q[:-1] if q and q[-1] == closer[c] else _DEAD  # type: ignore[index]
    return alphabet, step


def _d_regex(n: int) -> str:
    return "()" if n == 0 else f"(a{_d_regex(n - 1)}b)*"


_REGEX = {"aa_star": ("a", "(aa)*"), "aaaa_star": ("a", "(aaaa)*"), "abab_star": ("ab", "(abab)*"),
          "aabbccddee": ("abcde", "aa*bb*cc*dd*ee*"), "abdbc": ("abcd", "(a|b)*d(b|c)*"),
          "zero_one_two_02": ("012", "(0|1|2)*02*"),
          **{f"D{n}": ("ab", _d_regex(n)) for n in (2, 3, 4, 12)}}


def zoo_dfa(text: str) -> Dfa | None:
    """The minimal DFA of a regular zoo name, None for a name the checker does not define."""
    m = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([0-9]+)\s*(?:,\s*([0-9]+)\s*)?)?",
                     text)
    if not m:
        return None
    family, args = m.group(1), [int(a) for a in m.group(2, 3) if a is not None]
    if family in _REGEX and not args:
        symbols, rx = _REGEX[family]
        return regex_dfa(family, rx, tuple(symbols), family)
    if family == "parity" and not args:
        return minimal(materialize("parity", ("0", "1"), 0, lambda q, c: q ^ (c == "1"),
                                   lambda q: q == 0))
    if family == "flipflop" and not args:
        return minimal(materialize("flipflop", tuple("wri01"), ("instr", None, False),
                                   _flipflop_step, _flipflop_accepts))
    if family == "tomita" and len(args) == 1 and 1 <= args[0] <= 7:
        start, step, acc = _TOMITA[args[0]]
        dead_safe: Step = lambda q, c: _DEAD if q == _DEAD else step(q, c)  # noqa: E731
        return minimal(materialize(f"tomita{args[0]}", ("0", "1"), start,
                                   dead_safe, lambda q: q != _DEAD and acc(q)))
    if family == "dyck" and len(args) == 2 and args[0] >= 1 and args[1] >= 1:
        alphabet, step = _dyck(*args)
        return minimal(materialize(f"dyck_{args[0]}_{args[1]}", alphabet, (), step,
                                   lambda q: q == ()))
    return None
