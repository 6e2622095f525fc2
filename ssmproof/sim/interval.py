"""Interval evaluation of a :class:`~ssmproof.sim.machine.Machine` step: is a jump sound?

When the lowest still-moving layer's channels are jumped to their fixed points
(:mod:`ssmproof.refute.orbit`), the layers above are skipped too — which is sound only if they
would not have changed in any of the skipped blocks. Each channel's orbit is monotone, so every
value it takes lies between its current value and its fixed point. Running one block with those
channels as intervals (every other coordinate a point) and every operation evaluated on interval
end points gives an enclosure of everything the skipped blocks can compute: rounding is monotone,
ReLU is monotone, an affine map's extremes are at the end points matching its coefficients' signs,
and a product's at the four corners. If the layers above come out as the very points they went in
as, they are constant through the whole jump; if every gate interval is ≥ 0, no negative gate
was skipped.

This mirrors ``Machine._step`` operation for operation (DESIGN §3's rounding order); a property
test checks that on point intervals the two agree exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from ssmproof.numerics.rounding import Value
from ssmproof.sim.abstract_walk import walk
from ssmproof.sim.machine import Machine

__all__ = ["Interval", "interval_step", "interval_block", "interval_decisions"]

Interval = tuple[Value, Value]


def _affine(regs: list[Interval], op: tuple, rnd: object, relu: bool) -> None:
    for out, pairs, bias in op:
        lo = hi = bias
        for i, c in pairs:
            a, b = regs[i]
            if c >= 0:
                lo, hi = lo + c * a, hi + c * b
            else:
                lo, hi = lo + c * b, hi + c * a
        lo, hi = rnd(lo), rnd(hi)  # type: ignore[operator]
        regs[out] = (max(lo, 0), max(hi, 0)) if relu else (lo, hi)


def _product(a: Interval, h: Interval) -> Interval:
    corners = (a[0] * h[0], a[0] * h[1], a[1] * h[0], a[1] * h[1])
    return min(corners), max(corners)


def interval_step(machine: Machine, config: Sequence[Interval], token: int
                  ) -> tuple[tuple[Interval, ...], Value | None]:
    """One position on interval configurations: (enclosure of the next config, least gate met).

    May raise :class:`~ssmproof.numerics.formats.NonFiniteValue` like the machine itself.

    Examples
    --------
    >>> from ssmproof.examples import parity_signed
    >>> m = Machine(parity_signed())
    >>> interval_step(m, [(0, 1)], 2)  # read a 1: h ↦ 1 − h, gate −1
    (((0, 1),), -1)
    """
    states, least, _ = _interval_regs(machine, config, token)
    return states, least


def interval_decisions(machine: Machine, config: Sequence[Interval], token: int
                       ) -> tuple[tuple[Interval, ...], tuple[bool | None, ...]]:
    """One position on intervals: (enclosure of the next config, each decision or None).

    A decision is ``True``/``False`` when its readout's enclosure lies wholly above 0 / at or
    below 0 — then every configuration inside the box makes that decision — and ``None`` when
    the enclosure straddles 0.

    >>> from ssmproof.examples import parity_signed
    >>> m = Machine(parity_signed())
    >>> interval_decisions(m, [(0, 0)], 2)[1], interval_decisions(m, [(0, 1)], 2)[1]
    ((False,), (None,))
    """
    states, _, regs = _interval_regs(machine, config, token)
    rnd = (lambda x: x) if machine.exact else machine.fmt.rnd
    _affine(regs, machine.readouts, rnd, False)
    out: list[bool | None] = []
    for reg, _, _ in machine.readouts:
        lo, hi = regs[reg]
        out.append(True if lo > 0 else False if hi <= 0 else None)
    return states, tuple(out)


class _Intervals:
    """Intervals as a :class:`~ssmproof.sim.abstract_walk.Domain`: ends rounded one by one."""

    def __init__(self, machine: Machine) -> None:
        self.rnd = (lambda x: x) if machine.exact else machine.fmt.rnd

    def const(self, c: Value) -> Interval:
        return (c, c)

    def affine(self, regs: list[Interval], op: tuple, relu: bool) -> None:
        _affine(regs, op, self.rnd, relu)

    def update(self, a: Interval, h: Interval, b: Interval) -> Interval:
        rnd = self.rnd
        p = _product(a, h)
        p = (rnd(p[0]), rnd(p[1]))
        return (rnd(p[0] + b[0]), rnd(p[1] + b[1]))

    def low(self, a: Interval) -> Value:
        return a[0]


def _interval_regs(machine: Machine, config: Sequence[Interval], token: int
                   ) -> tuple[tuple[Interval, ...], Value | None, list[Interval]]:
    states, least, regs = walk(machine, config, token, _Intervals(machine))
    return tuple(states), least, regs


def interval_block(machine: Machine, config: Sequence[Interval], tokens: Sequence[int]
                   ) -> tuple[tuple[Interval, ...], Value | None]:
    """:func:`interval_step` over a sequence of tokens; the least gate over all of them."""
    least: Value | None = None
    current = tuple(config)
    for t in tokens:
        current, g = interval_step(machine, current, t)
        if g is not None:
            least = g if least is None else min(least, g)
    return current, least
