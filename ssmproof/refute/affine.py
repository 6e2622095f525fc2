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
  the form reaches; that error gets a noise symbol of its own (shared by everything computed from
  the rounded value, so a counter's rounding error read by 64 ReLUs whose weights add up to 0
  cancels instead of adding up 64 times), and the result is clamped to [rnd(lo), rnd(hi)]
  (rounding is monotone). A form that reaches past the largest finite value (or, in fixed point,
  outside the range, where it would saturate) becomes unbounded, never clipped. Overflow itself
  is for the interval evaluation to find: the caller intersects the two.

A form is kept together with an interval (its *clamp*: the reduced product of affine forms and
intervals), so each bound is the better of the two.

A form also carries a **quantum** k: a proof that every value it stands for is an integer
multiple of 2^k (:func:`quantum_of` for a constant; ``inf`` for the value 0, ``-inf`` when
nothing is known). Quanta follow the operations exactly — a sum is a multiple of the smallest
quantum of its terms, a product of the sum of its factors' quanta, ReLU keeps it — and rounding
keeps it too (a multiple of 2^k rounds to itself, or to a multiple of a coarser power-of-two
spacing). So when the quantum is at least the format's spacing at the largest magnitude the form
reaches, every value in it is representable and the rounding is charged nothing. Why: a gate-1
counter that steps by 1/4 and a sawtooth read off it are exact in float32 up to 2^22, yet charging
half a spacing at the counter's magnitude to each of 64 sawtooth teeth added up to an error of
hundreds against a readout margin of 1. The caller states the input box's quanta (a value of a
box is a multiple of its quantum, :func:`affine_block`), and must prove them, as
:mod:`ssmproof.refute.enclosure` does by induction.

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
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

from ssmproof.numerics.formats import Format, FormatKind
from ssmproof.numerics.rounding import Value
from ssmproof.refute.orbit import even_segment
from ssmproof.sim.abstract_walk import walk
from ssmproof.sim.interval import Interval
from ssmproof.sim.machine import Machine

__all__ = ["Form", "UNKNOWN", "Quantum", "quantum_of", "affine_block", "affine_decisions"]

Quantum = Union[int, float]
"""k when every value is a multiple of 2^k; ``math.inf`` for 0 alone; ``-math.inf``: unknown."""


def quantum_of(c: Value) -> Quantum:
    """The largest k with c a multiple of 2^k (``inf`` for 0, ``-inf`` if c is not dyadic).

    >>> quantum_of(Fraction(3, 4)), quantum_of(40), quantum_of(0), quantum_of(Fraction(1, 3))
    (-2, 3, inf, -inf)
    """
    c = Fraction(c)
    if c == 0:
        return math.inf
    den = c.denominator
    if den & (den - 1):
        return -math.inf
    num = abs(c.numerator)
    return (num & -num).bit_length() - den.bit_length()


@dataclass(frozen=True, slots=True)
class Form:
    """c₀ + Σᵢ aᵢ·εᵢ ± e with every εᵢ ∈ [−1, 1]; ``terms`` maps a symbol to its aᵢ ≠ 0 (sorted
    by symbol); every value a multiple of 2^``quantum`` (``None``: that of c₀, for a point) and
    inside ``clamp`` (when given)."""

    c0: Value
    terms: tuple[tuple[int, Value], ...] = ()
    err: Value = 0
    quantum: Quantum | None = None
    clamp: Interval | None = None

    def __post_init__(self) -> None:
        if self.quantum is None:
            object.__setattr__(self, "quantum", quantum_of(self.c0) if self.point
                               else -math.inf)

    @property
    def point(self) -> bool:
        return not self.terms and self.err == 0

    @property
    def q(self) -> Quantum:
        return self.quantum  # type: ignore[return-value]

    @property
    def bounds(self) -> Interval:
        """An interval holding every value: c₀ ± r within the clamp, narrowed to multiples of
        2^quantum."""
        r = sum((abs(a) for _, a in self.terms), Fraction(0)) + self.err
        lo, hi = self.c0 - r, self.c0 + r
        if self.clamp is not None and max(lo, self.clamp[0]) <= min(hi, self.clamp[1]):
            lo, hi = max(lo, self.clamp[0]), min(hi, self.clamp[1])
        if math.isinf(self.q) or math.isinf(lo) or math.isinf(hi):
            return lo, hi
        unit = Fraction(2) ** self.q  # type: ignore[operator]
        glo, ghi = math.ceil(lo / unit) * unit, math.floor(hi / unit) * unit
        return (glo, ghi) if glo <= ghi else (lo, hi)


UNKNOWN = Form(0, (), math.inf, -math.inf)
"""A register whose value this evaluation does not bound (it may saturate or overflow there):
the interval evaluation, intersected with this one by the caller, decides those."""


def _hull(lo: Value, hi: Value, quantum: Quantum) -> Form:
    """[lo, hi] as a form whose values are multiples of 2^quantum."""
    if lo == hi:
        return Form(lo)
    return Form(Fraction(lo + hi) / 2, (), Fraction(hi - lo) / 2, quantum)


def _combine(pairs: Sequence[tuple[Value, Form]], bias: Value) -> Form:
    """Σ c·f + bias: exact on the affine parts; the clamp is the interval sum of the bounds
    (computed only when some input has a clamp, which is when it can beat the affine bound)."""
    c0, err, terms, q = Fraction(bias), Fraction(0), {}, quantum_of(bias)
    live = [(c, f) for c, f in pairs if c != 0]
    for c, f in live:
        if f.err == math.inf:
            return UNKNOWN
        c0 += c * f.c0
        err += abs(c) * f.err
        for i, a in f.terms:
            terms[i] = terms.get(i, 0) + c * a
        if f.q != math.inf:  # c·0 adds nothing
            q = min(q, quantum_of(c) + f.q)
    kept = tuple((i, a) for i, a in sorted(terms.items()) if a != 0)
    if not (kept or err):
        return Form(c0)
    clamp = None
    if any(f.clamp is not None for _, f in live):
        lo = hi = Fraction(bias)
        for c, f in live:
            flo, fhi = f.bounds
            lo, hi = (lo + c * flo, hi + c * fhi) if c > 0 else (lo + c * fhi, hi + c * flo)
        clamp = (lo, hi)
    return Form(c0, kept, err, q, clamp)


class _Rounder:
    """Rounding of forms to one format (see the module docstring); each rounding error that is
    not proved 0 gets a fresh noise symbol from ``symbols``."""

    def __init__(self, fmt: Format, symbols: Iterator[int]) -> None:
        self.fmt, self.symbols = fmt, symbols
        self.exact = fmt.kind is FormatKind.EXACT
        self.finest: Quantum = -math.inf if self.exact else \
            quantum_of(fmt.min_positive)  # type: ignore[arg-type]
        # saturated: unbounded here, but on the fixed-point grid
        self.unknown = Form(0, (), math.inf, self.finest)

    def __call__(self, f: Form) -> Form:
        if self.exact:
            return f
        if f.point:
            return Form(self.fmt.rnd(f.c0))
        lo, hi = f.bounds
        top = max(abs(lo), abs(hi))
        if self.fmt.kind is FormatKind.FIXED:
            if lo < self.fmt.min_value or hi > self.fmt.max_value:  # type: ignore[operator]
                return self.unknown  # it may saturate: not affine
            spacing = -self.fmt.frac_bits
        elif top > self.fmt.max_value:  # type: ignore[operator]
            # it may overflow (the interval evaluation decides that); a finite result is still
            # a multiple of 2^q: at most the largest value, itself a multiple of 2^q unless
            # every multiple past it overflows
            return Form(0, (), math.inf, max(f.q, self.finest))
        elif top == 0:
            return Form(0)
        else:
            spacing = even_segment(self.fmt, top)[2]  # the widest spacing in [-top, top]
        if f.q >= spacing:
            return f  # every value is a multiple of its own spacing: representable, exact
        error = ((next(self.symbols), Fraction(2) ** spacing / 2),)
        return Form(f.c0, f.terms + error, f.err, max(f.q, self.finest),
                    (self.fmt.rnd(lo), self.fmt.rnd(hi)))  # rounding is monotone


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
    return _hull(0, hi, f.q)


def _product(a: Form, h: Form) -> Form:
    if math.inf in (a.err, h.err):
        return Form(0) if (a.point and a.c0 == 0) or (h.point and h.c0 == 0) else UNKNOWN
    if a.point:
        return _combine([(a.c0, h)], 0)
    if h.point:
        return _combine([(h.c0, a)], 0)
    if math.inf in (a.q, h.q):
        return Form(0)  # one factor is proved to be 0
    (alo, ahi), (hlo, hhi) = a.bounds, h.bounds
    corners = (alo * hlo, alo * hhi, ahi * hlo, ahi * hhi)
    return _hull(min(corners), max(corners), a.q + h.q)  # neither is 0 alone (not points)


class _Forms:
    """Affine forms as a :class:`~ssmproof.sim.abstract_walk.Domain`; noise symbols for rounding
    errors are numbered from ``first`` on (the box's own symbols are its value indices)."""

    def __init__(self, fmt: Format, first: int) -> None:
        self.rnd = _Rounder(fmt, itertools.count(first))

    def const(self, c: Value) -> Form:
        return Form(c)

    def affine(self, regs: list[Form], op: tuple, relu: bool) -> None:
        _affine(regs, op, self.rnd, relu)

    def update(self, a: Form, h: Form, b: Form) -> Form:
        return self.rnd(_combine([(1, self.rnd(_product(a, h))), (1, b)], 0))

    def low(self, a: Form) -> Value:
        return a.bounds[0]


def _step(dom: _Forms, machine: Machine, config: Sequence[Form], token: int
          ) -> tuple[list[Form], Value | None, list[Form]]:
    return walk(machine, config, token, dom)


def _forms(box: Sequence[Interval], quanta: Sequence[Quantum] | None) -> list[Form]:
    """One shared noise symbol per value of the box that is an interval."""
    out = []
    for i, (lo, hi) in enumerate(box):
        q = -math.inf if quanta is None else quanta[i]
        out.append(Form(lo) if lo == hi else
                   Form(Fraction(lo + hi) / 2, ((i, Fraction(hi - lo) / 2),), 0, q))
    return out


def affine_block(machine: Machine, box: Sequence[Interval], tokens: Sequence[int],
                 quanta: Sequence[Quantum] | None = None
                 ) -> tuple[tuple[Interval, ...], Value | None, tuple[Quantum, ...]]:
    """Like :func:`ssmproof.sim.interval.interval_block`: the block's image of ``box``, enclosed,
    and the least gate met — evaluated on affine forms over the whole block — plus the image's
    quanta.

    ``quanta`` (default: none known) restricts the box to the values that are multiples of
    2^quanta[i] in each coordinate i; the result is then an enclosure of that restricted box's
    image only. Never raises for overflow (see :data:`UNKNOWN`).

    Examples
    --------
    >>> from ssmproof.examples import parity_signed
    >>> m = Machine(parity_signed())
    >>> out, least, quanta = affine_block(m, [(0, 1)], [2, 2])  # h ↦ 1 − h twice: identity
    >>> [(int(lo), int(hi)) for lo, hi in out], least
    ([(0, 1)], Fraction(-1, 1))
    >>> affine_block(m, [(0, 1)], [2, 2], quanta=[0])[2]  # integers stay integers
    (0,)
    """
    current, dom = _forms(box, quanta), _Forms(machine.fmt, len(box))
    least: Value | None = None
    for t in tokens:
        current, g, _ = _step(dom, machine, current, t)
        if g is not None:
            least = g if least is None else min(least, g)
    return tuple(f.bounds for f in current), least, tuple(f.q for f in current)


def affine_decisions(machine: Machine, box: Sequence[Interval], w: Sequence[int],
                     v: Sequence[int], quanta: Sequence[Quantum] | None = None
                     ) -> list[tuple[bool | None, ...]]:
    """:func:`ssmproof.refute.enclosure.box_decisions` on affine forms (same layout), over the
    box restricted to ``quanta`` as in :func:`affine_block`."""
    dom = _Forms(machine.fmt, len(box))
    current = _forms(box, quanta)
    for t in w[:-1]:
        current = _step(dom, machine, current, t)[0]
    out = [_decide(machine, _step(dom, machine, current, w[-1])[2], dom.rnd)]
    current = _forms(box, quanta)
    for t in v:
        current, _, regs = _step(dom, machine, current, t)
        out.append(_decide(machine, regs, dom.rnd))
    return out


def _decide(machine: Machine, regs: list[Form], rnd: _Rounder) -> tuple[bool | None, ...]:
    _affine(regs, machine.readouts, rnd, False)
    out: list[bool | None] = []
    for reg, _, _ in machine.readouts:
        lo, hi = regs[reg].bounds
        out.append(True if lo > 0 else False if hi <= 0 else None)
    return tuple(out)
