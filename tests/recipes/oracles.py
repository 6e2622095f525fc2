"""Prefix oracles for the recipe tests, written from the DESIGN §1 definitions.

Each oracle answers "is this word a prefix of some word of L?" and "is it in L?" with its own small
incremental state (a stack, a counter list, a phase record). Nothing here imports ``ssmproof``:
the tests compare the constructions' decisions with these, and the membership halves are further
cross-checked against the independent functions of ``tests/cases.py``.

A state is ``None`` once the prefix cannot be completed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

Word = tuple[str, ...]
State = Hashable


@dataclass(frozen=True)
class Oracle:
    """``start``, ``step(state, symbol) -> state | None``, ``accepting(state)``."""

    alphabet: tuple[str, ...]
    start: State
    step: Callable[[State, str], State | None]
    accepting: Callable[[State], bool]

    def run(self, word: Sequence[str]) -> State | None:
        state: State | None = self.start
        for s in word:
            if state is None:
                return None
            state = self.step(state, s)
        return state

    def member(self, word: Sequence[str]) -> bool:
        state = self.run(word)
        return state is not None and self.accepting(state)

    def labels(self, word: Sequence[str]) -> list[tuple[bool, ...]]:
        """Predictive labels after BOS and after each symbol: one per symbol, then EOS."""
        out, state = [], self.start
        for t in range(len(word) + 1):
            if t:
                state = self.step(state, word[t - 1])
                assert state is not None, f"{word[:t]} is not a prefix"
            nxt = tuple(self.step(state, s) is not None for s in self.alphabet)
            out.append(nxt + (self.accepting(state),))
        return out


# ------------------------------------------------------------------------------ flip-flop
def _ff_step(state: State, s: str) -> State | None:
    expecting_bit, last_instr, written = state  # type: ignore[misc]
    if not expecting_bit:
        if s not in ("w", "r", "i") or (written is None and s != "w"):
            return None
        return True, s, written
    if s not in ("0", "1") or (last_instr == "r" and s != written):
        return None
    return False, last_instr, s if last_instr == "w" else written


FLIPFLOP = Oracle(("w", "r", "i", "0", "1"), (False, None, None), _ff_step,
                  lambda st: st[1] is not None and not st[0])  # type: ignore[index]


# ------------------------------------------------------------------------------ bounded Dyck
def dyck_symbols(k: int) -> list[tuple[str, str]]:
    if k <= 4:
        return [tuple(p) for p in ("()", "[]", "{}", "<>")[:k]]  # type: ignore[misc]
    return [(f"({t}", f"){t}") for t in range(1, k + 1)]


def dyck(k: int, h: int) -> Oracle:
    pairs = dyck_symbols(k)
    opening = {o: t for t, (o, _) in enumerate(pairs)}
    closing = {c: t for t, (_, c) in enumerate(pairs)}

    def step(stack: State, s: str) -> State | None:
        st: tuple[int, ...] = stack  # type: ignore[assignment]
        if s in opening:
            return st + (opening[s],) if len(st) < h else None
        return st[:-1] if st and st[-1] == closing[s] else None

    return Oracle(tuple(x for p in pairs for x in p), (), step, lambda st: st == ())


# ------------------------------------------------------------------------------ counters
def brackets(pairs: Sequence[str]) -> Oracle:
    """Shuffle of Dyck-1 over ``pairs`` (Dyck-1 for one pair)."""

    def step(depths: State, s: str) -> State | None:
        d = list(depths)  # type: ignore[call-overload]
        for i, p in enumerate(pairs):
            if s == p[0]:
                d[i] += 1
            elif s == p[1]:
                if d[i] == 0:
                    return None
                d[i] -= 1
        return tuple(d)

    return Oracle(tuple(x for p in pairs for x in p), (0,) * len(pairs), step,
                  lambda d: not any(d))  # type: ignore[call-overload]


def boolean(n: int) -> Oracle:
    arity = {"0": 0, "1": 0, **{op: a + 1 for a, op in enumerate("~+>*^"[:n])}}

    def step(pending: State, s: str) -> State | None:
        if pending == 0:
            return None
        return pending - 1 + arity[s]  # type: ignore[operator]

    return Oracle(tuple(arity), 1, step, lambda p: p == 0)


def counting(letters: str) -> Oracle:
    """``x₀ⁿ … x_{m−1}ⁿ``; state = (index of the current letter, n, count of the current)."""
    m = len(letters)

    def step(state: State, s: str) -> State | None:
        cur, n, count = state  # type: ignore[misc]
        j = letters.index(s)
        if j == cur and cur == 0:
            return 0, n + 1, count + 1
        if j == cur and count < n:
            return cur, n, count + 1
        if j == cur + 1 and n >= 1 and (cur == 0 or count == n):
            return j, n, 1
        return None

    return Oracle(tuple(letters), (0, 0, 0), step,
                  lambda st: st[0] == m - 1 and st[2] == st[1])  # type: ignore[index]

