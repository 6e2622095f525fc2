"""Replay u·wⁿ·v for a huge n exactly, jumping only where the replay itself proves the jump.

Why: a refutation can point at n ≈ 2²⁴ (a float32 counter that must stall first) or more, and
re-checking it step by step costs one simulator step per symbol. The re-check must not trust
the refuter (its orbits, jumps or boxes), so this module starts a fresh machine and takes two
kinds of shortcut, each justified on the spot from the machine's own steps:

- **a repeat**: the configuration at block boundary j equals the one at an earlier boundary i.
  A step is a function of the configuration and the token, so from i on the boundaries repeat
  with period j − i, and block n has the configuration of the block with the same residue.
- **a straight run**: two consecutive blocks moved the configuration by the same vector d. The
  replay then evaluates one block on the whole segment {c + s·d : s = 0 … T − 1} at once, every
  register a line a + b·s, and accepts the jump c ↦ c + T·d only if the block maps the segment
  onto itself shifted by d *exactly*: every rounding is proved exact on the whole segment (both
  coefficients on the format's grid at the larger end's magnitude — a + b·s for integer s then
  stays on it — and nothing past the range, so no overflow or saturation), every ReLU keeps one
  sign on it, every product has a constant factor. By induction c_{j+t} = c_j + t·d for
  t ≤ T. The largest such T (never past block n − 1) is found by doubling and bisection.

The last block and v are always stepped, so the decisions compared with the DFA come from real
steps. Smooth-map and complex-weight machines take repeats only (the line walk covers
ReLU/linear real models).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from ssmproof.numerics.formats import FormatKind, NonFiniteValue
from ssmproof.numerics.rounding import Value
from ssmproof.refute.affine import quantum_of
from ssmproof.refute.orbit import even_segment
from ssmproof.sim.abstract_walk import walk
from ssmproof.sim.machine import Config, Decision, Machine

__all__ = ["Replay", "replay_blocks"]

Line = tuple[Value, Value]
"""a + b·s for the integers s of a segment [0, T − 1]."""
Reg = Union[Line, None]
"""A line, or None: a register that is not proved to be one (a rounding tie that alternates,
a ReLU kink, a product of two moving values). Whatever reads it is None too; the jump fails
only if a value of the next configuration is None (a readout-only register may be)."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The end of a replay: the decision after its last symbol, and what it cost."""

    decision: Decision
    stepped: int  # symbols stepped one by one
    repeats: int  # jumps over a repeated configuration
    straight: int  # jumps along a straight run
    blocks_jumped: int


class _NotExact(Exception):
    """A line operation that is not proved exact on the segment: no jump of this length."""


class _Lines:
    """Lines a + b·s as a :class:`~ssmproof.sim.abstract_walk.Domain` on s ∈ [0, last]."""

    def __init__(self, machine: Machine, last: int) -> None:
        self.fmt, self.last = machine.fmt, last
        self.exact = machine.fmt.kind is FormatKind.EXACT

    def ends(self, x: Line) -> tuple[Value, Value]:
        return x[0], x[0] + x[1] * self.last

    def rnd(self, x: Line) -> Line:
        """rnd(a + b·s) as a line, or :class:`_NotExact`. Two ways to know it: a and b on the
        grid of the spacing at the larger end (every value is representable: rnd is the
        identity), or both ends in one evenly spaced stretch of spacing 2^q with b on its grid
        (rnd(a + b·s) = rnd(a) + b·s, a tie at a staying a tie of the same parity only when
        b/2^q is even)."""
        if self.exact:
            return x
        a, b = x
        if b == 0:
            return (self.fmt.rnd(a), 0)
        lo, hi = sorted(self.ends(x))
        if lo < self.fmt.min_value or hi > self.fmt.max_value:  # type: ignore[operator]
            raise _NotExact  # it may overflow or saturate
        seg_lo, seg_hi, q = even_segment(self.fmt, hi if abs(hi) >= abs(lo) else lo)
        if min(quantum_of(a), quantum_of(b)) >= q:
            return x  # on the grid of the largest spacing: every value is representable
        if not (seg_lo <= lo and hi <= seg_hi) or quantum_of(b) < q:
            raise _NotExact
        unit = Fraction(2) ** q
        t, k = Fraction(a) / unit, Fraction(b) / unit
        if t.denominator == 2 and k.numerator % 2:
            raise _NotExact  # a tie whose even neighbour alternates along the run
        return (round(t) * unit, b)  # round: nearest integer, ties to even

    def const(self, c: Value) -> Line:
        return (c, 0)

    def affine(self, regs: list[Reg], op: tuple, relu: bool) -> None:
        for out, pairs, bias in op:
            if any(regs[i] is None for i, c in pairs if c != 0):
                regs[out] = None
                continue
            a = bias + sum((c * regs[i][0] for i, c in pairs), Fraction(0))  # type: ignore[index]
            b = sum((c * regs[i][1] for i, c in pairs), Fraction(0))  # type: ignore[index]
            if relu and max(self.ends((a, b))) <= 0:
                regs[out] = (0, 0)  # rnd is monotone and keeps 0: ≤ 0 stays ≤ 0, ReLU gives 0
                continue
            regs[out] = self.relu_rnd((a, b), relu)

    def relu_rnd(self, x: Line, relu: bool) -> Reg:
        try:
            x = self.rnd(x)
            return self.relu(x) if relu else x
        except _NotExact:
            return None

    def relu(self, x: Line) -> Line:
        lo, hi = sorted(self.ends(x))
        if lo >= 0:
            return x
        if hi <= 0:
            return (0, 0)
        raise _NotExact  # a kink inside the segment

    def update(self, a: Reg, h: Reg, b: Reg) -> Reg:
        if a is None or h is None or b is None or (a[1] != 0 and h[1] != 0):
            return None  # a product of two moving values is not a line
        ah = self.relu_rnd((a[0] * h[0], a[0] * h[1] + a[1] * h[0]), False)
        return None if ah is None else self.relu_rnd((ah[0] + b[0], ah[1] + b[1]), False)

    def low(self, a: Reg) -> Value:
        return 0 if a is None else min(self.ends(a))  # the replay checks no gates


def _straight(machine: Machine, c: Config, d: Sequence[Value], w: Sequence[int],
              length: int) -> bool:
    """Whether one block maps c + s·d to c + (s + 1)·d exactly for every s < ``length``."""
    dom = _Lines(machine, length - 1)
    lines: list[Reg] = [(x, dx) for x, dx in zip(c, d)]
    try:
        for t in w:
            lines = walk(machine, lines, t, dom)[0]
    except (_NotExact, NonFiniteValue):  # a constant that overflows: left to a real step
        return False
    return all(line == (x + dx, dx) for line, x, dx in zip(lines, c, d))


def _longest(machine: Machine, c: Config, d: Sequence[Value], w: Sequence[int],
             most: int) -> int:
    """The largest T ≤ ``most`` with :func:`_straight` (0 when not even 2 is proved)."""
    if most < 2 or not _straight(machine, c, d, w, 2):
        return 0
    good, bad = 2, None
    while bad is None and good < most:
        t = min(2 * good, most)
        good, bad = (t, None) if _straight(machine, c, d, w, t) else (good, t)
    while bad is not None and bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if _straight(machine, c, d, w, mid) else (good, mid)
    return good


def replay_blocks(machine: Machine, u: Sequence[int], w: Sequence[int], n: int,
                  v: Sequence[int], *, step_budget: int) -> Replay | None:
    """Run BOS·u·wⁿ·v on ``machine`` from its start, with the jumps of the module docstring.

    None when more than ``step_budget`` symbols had to be stepped one by one. May raise
    :class:`~ssmproof.numerics.formats.NonFiniteValue` from a stepped symbol.

    Examples
    --------
    A float16 counter stops at 2048 (2048 + 1 rounds back): 10⁹ blocks of "1" cost a few
    straight runs, one repeat and a handful of steps.

    >>> from ssmproof.ssm.program import SSM, Layer, Mode, ONE, default_embedding, tok
    >>> from ssmproof.numerics.formats import parse
    >>> count = Layer("L1", ("L1.c",), gate={"L1.c": {ONE: 1}}, input={"L1.c": {tok("1"): 1}},
    ...               export=("L1.c",))
    >>> ssm = SSM("count", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (count,),
    ...           accept={"L1.c": 1})
    >>> r = replay_blocks(Machine(ssm, parse("float16")), [], [2], 10**9, [], step_budget=100)
    >>> r.decision, r.repeats, r.stepped < 100
    ((True,), 1, True)
    """
    lines = not (machine.smooth or machine.complex or machine.fmt.kind is FormatKind.INT)
    stepped = repeats = straight = jumped = 0
    d: Decision = ()
    c = machine.start()
    for t in [0, *u]:
        c, d = machine.step(c, t)
    stepped += 1 + len(u)
    seen: dict[Config, int] = {c: 0}
    j, prev_move = 0, None
    while j < n:
        if j < n - 1:
            target = _jump(machine, c, prev_move, w, seen, j, n - 1, lines)
            if target is not None:
                c, j2, kind = target
                jumped += j2 - j
                repeats += kind == "repeat"
                straight += kind == "straight"
                j = j2
                seen = {c: j} if kind == "repeat" else seen
                continue
        if stepped + len(w) > step_budget:
            return None
        before = c
        for t in w:
            c, d = machine.step(c, t)
        stepped += len(w)
        j += 1
        move = tuple(x - y for x, y in zip(c, before))
        prev_move = (move, move == prev_move[0]) if prev_move else (move, False)
        seen.setdefault(c, j)
    for t in v:
        c, d = machine.step(c, t)
    return Replay(d, stepped + len(v), repeats, straight, jumped)


def _jump(machine: Machine, c: Config, prev_move: tuple[tuple, bool] | None, w: Sequence[int],
          seen: dict[Config, int], j: int, end: int, lines: bool
          ) -> tuple[Config, int, str] | None:
    """(configuration, block reached, kind) for a proved jump from block j toward ``end``."""
    first = seen.get(c)
    if first is not None and first < j:
        period = j - first
        return c, j + (end - j) // period * period, "repeat"
    if lines and prev_move is not None and prev_move[1] and any(prev_move[0]):
        move = prev_move[0]
        length = _longest(machine, c, move, w, end - j)
        if length >= 2:
            return tuple(x + length * dx for x, dx in zip(c, move)), j + length, "straight"
    return None
