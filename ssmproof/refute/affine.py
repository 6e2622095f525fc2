"""Affine-form evaluation of one Machine step: interval bounds that remember where they came from.

Why: plain intervals (:mod:`ssmproof.sim.interval`) forget that two registers depend on the same
value. A layer-1 MLP that reads a counter x through 64 ReLUs with alternating signs computes a
line in x past its last kink, yet interval arithmetic adds up 64 wide intervals and gets a range
thousands of times too wide — wide enough that no readout sign is ever forced. Here a register
holds an affine form c₀ + Σᵢ aᵢ·εᵢ ± e: one noise symbol εᵢ ∈ [−1, 1] per value of the input box
that is an interval (shared, so differences cancel), plus an unshared radius e collecting
everything nonlinear. Every operation encloses its exact result (Stolfi & de Figueiredo):

- an affine map is exact on forms; a product with a point is exact; other products fall back to
  their interval hull;
- ReLU is exact on a form wholly ≥ 0 or ≤ 0, else its hull [0, hi];
- rounding to a float format moves a value by at most half the spacing at the largest magnitude
  the form reaches, added to e; a form that reaches past the largest finite value (or, in fixed
  point, outside the range, where it would saturate) becomes :data:`UNKNOWN` — unbounded, never
  clipped. Overflow itself is for the interval evaluation to find: the caller intersects the two.

This mirrors ``Machine._step`` operation for operation, like :mod:`ssmproof.sim.interval`, and
a property test checks that on point boxes the two give Machine's values exactly.

References
----------
J. Stolfi and L. H. de Figueiredo, *Self-Validated Numerical Methods and Applications*, IMPA
1997 (affine arithmetic).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.numerics.formats import Format, FormatKind
from ssmproof.numerics.rounding import Value
from ssmproof.refute.orbit import even_segment
from ssmproof.sim.abstract_walk import walk
from ssmproof.sim.interval import Interval
from ssmproof.sim.machine import Machine

__all__ = ["Form", "UNKNOWN", "affine_block", "affine_decisions"]


@dataclass(frozen=True, slots=True)
class Form:
    """c₀ + Σᵢ aᵢ·εᵢ ± e with every εᵢ ∈ [−1, 1]; ``terms`` maps a symbol to its aᵢ ≠ 0."""

    c0: Value
    terms: tuple[tuple[int, Value], ...] = ()
    err: Value = 0

    @property
    def point(self) -> bool:
        return not self.terms and self.err == 0

    @property
    def bounds(self) -> Interval:
        r = sum((abs(a) for _, a in self.terms), Fraction(0)) + self.err
        return self.c0 - r, self.c0 + r


UNKNOWN = Form(0, (), math.inf)
"""A register whose value this evaluation does not bound (it may saturate or overflow there):
the interval evaluation, intersected with this one by the caller, decides those."""


def _hull(lo: Value, hi: Value) -> Form:
    return Form(Fraction(lo + hi) / 2, (), Fraction(hi - lo) / 2) if lo != hi else Form(lo)


def _combine(pairs: Sequence[tuple[Value, Form]], bias: Value) -> Form:
    c0, err, terms = Fraction(bias), Fraction(0), {}
    for c, f in pairs:
        if c == 0:
            continue
        if f.err == math.inf:
            return UNKNOWN
        c0 += c * f.c0
        err += abs(c) * f.err
        for i, a in f.terms:
            terms[i] = terms.get(i, 0) + c * a
    return Form(c0, tuple((i, a) for i, a in sorted(terms.items()) if a != 0), err)


class _Rounder:
    """Rounding of forms to one format (see the module docstring)."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.exact = fmt.kind is FormatKind.EXACT

    def __call__(self, f: Form) -> Form:
        if self.exact:
            return f
        if f.point:
            return Form(self.fmt.rnd(f.c0))
        lo, hi = f.bounds
        top = max(abs(lo), abs(hi))
        if self.fmt.kind is FormatKind.FIXED:
            if lo < self.fmt.min_value or hi > self.fmt.max_value:  # type: ignore[operator]
                return UNKNOWN  # it may saturate: not affine
            return Form(f.c0, f.terms, f.err + Fraction(1, 2 ** (self.fmt.frac_bits + 1)))
        if top > self.fmt.max_value:  # type: ignore[operator]
            return UNKNOWN  # it may overflow: the interval evaluation decides that
        if top == 0:
            return Form(0)
        q = even_segment(self.fmt, top)[2]
        return Form(f.c0, f.terms, f.err + Fraction(2) ** q / 2)


def _affine(regs: list[Form], op: tuple, rnd: _Rounder, relu: bool) -> None:
    for out, pairs, bias in op:
        f = rnd(_combine([(c, regs[i]) for i, c in pairs], bias))
        regs[out] = _relu(f) if relu else f


def _relu(f: Form) -> Form:
    if f.err == math.inf:
        return UNKNOWN
    lo, hi = f.bounds
    if lo >= 0:
        return f
    if hi <= 0:
        return Form(0)
    return _hull(0, hi)


def _product(a: Form, h: Form) -> Form:
    if math.inf in (a.err, h.err):
        return Form(0) if (a.point and a.c0 == 0) or (h.point and h.c0 == 0) else UNKNOWN
    if a.point:
        return _combine([(a.c0, h)], 0)
    if h.point:
        return _combine([(h.c0, a)], 0)
    (alo, ahi), (hlo, hhi) = a.bounds, h.bounds
    corners = (alo * hlo, alo * hhi, ahi * hlo, ahi * hhi)
    return _hull(min(corners), max(corners))


class _Forms:
    """Affine forms as a :class:`~ssmproof.sim.abstract_walk.Domain`."""

    def __init__(self, fmt: Format) -> None:
        self.rnd = _Rounder(fmt)

    def const(self, c: Value) -> Form:
        return Form(c)

    def affine(self, regs: list[Form], op: tuple, relu: bool) -> None:
        _affine(regs, op, self.rnd, relu)

    def update(self, a: Form, h: Form, b: Form) -> Form:
        return self.rnd(_combine([(1, self.rnd(_product(a, h))), (1, b)], 0))

    def low(self, a: Form) -> Value:
        return a.bounds[0]


def _step(machine: Machine, config: Sequence[Form], token: int
          ) -> tuple[list[Form], Value | None, list[Form]]:
    return walk(machine, config, token, _Forms(machine.fmt))


def _forms(box: Sequence[Interval]) -> list[Form]:
    """One shared noise symbol per value of the box that is an interval."""
    out = []
    for i, (lo, hi) in enumerate(box):
        out.append(Form(lo) if lo == hi else
                   Form(Fraction(lo + hi) / 2, ((i, Fraction(hi - lo) / 2),)))
    return out


def affine_block(machine: Machine, box: Sequence[Interval], tokens: Sequence[int]
                 ) -> tuple[tuple[Interval, ...], Value | None]:
    """Like :func:`ssmproof.sim.interval.interval_block`: the block's image of ``box``, enclosed,
    and the least gate met — evaluated on affine forms over the whole block.

    Never raises for overflow (see :data:`UNKNOWN`).

    Examples
    --------
    >>> from ssmproof.examples import parity_signed
    >>> m = Machine(parity_signed())
    >>> out, least = affine_block(m, [(0, 1)], [2, 2])  # h ↦ 1 − h twice: the identity
    >>> [(int(lo), int(hi)) for lo, hi in out], least
    ([(0, 1)], Fraction(-1, 1))
    """
    current = _forms(box)
    least: Value | None = None
    for t in tokens:
        current, g, _ = _step(machine, current, t)
        if g is not None:
            least = g if least is None else min(least, g)
    return tuple(f.bounds for f in current), least


def affine_decisions(machine: Machine, box: Sequence[Interval], w: Sequence[int],
                     v: Sequence[int]) -> list[tuple[bool | None, ...]]:
    """:func:`ssmproof.refute.enclosure.box_decisions` on affine forms (same layout)."""
    rnd = _Rounder(machine.fmt)
    current = _forms(box)
    for t in w[:-1]:
        current = _step(machine, current, t)[0]
    out = [_decide(machine, _step(machine, current, w[-1])[2], rnd)]
    current = _forms(box)
    for t in v:
        current, _, regs = _step(machine, current, t)
        out.append(_decide(machine, regs, rnd))
    return out


def _decide(machine: Machine, regs: list[Form], rnd: _Rounder) -> tuple[bool | None, ...]:
    _affine(regs, machine.readouts, rnd, False)
    out: list[bool | None] = []
    for reg, _, _ in machine.readouts:
        lo, hi = regs[reg].bounds
        out.append(True if lo > 0 else False if hi <= 0 else None)
    return tuple(out)
