"""Complex values under a finite format: a pair of format values (real part, imaginary part).

The rule is DESIGN §3's, applied to each part (docs/ssm-format.md, "Complex values"):

- a complex weight w is rounded once, each part on its own: ``rnd(Re w) + i·rnd(Im w)``. Re w
  and Im w are real algebraic numbers (cos/sin of multiples of 2π/n); they are rounded exactly,
  from rigorous rational enclosures refined until both ends round to the same value (rounding
  is monotone, and an irrational part never sits on a tie);
- every coordinate of a matrix–vector product is a complex sum of products; its real part and
  its imaginary part are each computed exactly from the rounded operands and rounded once. A
  complex product a·h is such a coordinate: ``rnd(Re a·Re h − Im a·Im h) + i·rnd(Re a·Im h +
  Im a·Re h)``;
- the recurrence is ``h = rnd(rnd(a·h) + b)`` with both roundings taken per part;
- the maps that feed the (real) stream — pre-MLP, MLP, readouts — take the real part of their
  exact combination, then round it once.

A rounded complex value has rational parts, so it is held exactly as an element of Q(i) = Q(ζ₄)
(a :class:`~ssmproof.numerics.cyclotomic.Cyclotomic` with n = 4, whose coordinates *are* the
real and imaginary parts), or as a plain rational when its imaginary part is 0.

Examples
--------
>>> from ssmproof.numerics.formats import parse
>>> from ssmproof.numerics.cyclotomic import Cyclotomic
>>> w = round_weight(parse("float16"), Cyclotomic.zeta(3))  # −1/2 + i·√3/2
>>> parts(w)
(Fraction(-1, 2), Fraction(887, 1024))
>>> parts(round_value(parse("fixed:4.2"), w * w))  # ζ₃² rounded: −1/2 − i·0.866… → −0.5, −0.75
(Fraction(-1, 2), Fraction(-3, 4))
"""

from __future__ import annotations

import math
from fractions import Fraction

from ssmproof.numerics.cyclotomic import Cyclotomic, as_field, interval
from ssmproof.numerics.formats import Format

__all__ = ["gaussian", "imaginary_part", "parts", "round_value", "round_weight"]

Value = int | Fraction | Cyclotomic


def gaussian(re: int | Fraction, im: int | Fraction) -> Value:
    """re + i·im as a value (a rational when im = 0)."""
    return Cyclotomic.from_powers(4, {0: re, 1: im})


def parts(x: Value) -> tuple[Fraction, Fraction] | tuple[int | Fraction, int]:
    """(Re x, Im x) of a rational or of an element of Q(i); other fields have irrational parts."""
    if not isinstance(x, Cyclotomic):
        return x, 0
    if x.n != 4:
        raise ValueError(f"{x} is not in Q(i): its parts are not rational")
    return x.coords[0], x.coords[1]


def round_value(fmt: Format, x: Value) -> Value:
    """Round a value whose parts are rational (a rational, or an element of Q(i)) per part."""
    if not isinstance(x, Cyclotomic):
        return fmt.rnd(x)
    re, im = parts(x)
    return gaussian(fmt.rnd(re), fmt.rnd(im))


def round_weight(fmt: Format, x: Value) -> Value:
    """Round a weight of any cyclotomic field once, per part (see the module docstring)."""
    if not isinstance(x, Cyclotomic):
        return fmt.weight(x)
    if x.n == 4:
        re, im = parts(x)
        return gaussian(fmt.weight(re), fmt.weight(im))
    return gaussian(_round_part(fmt, x, imag=False), _round_part(fmt, x, imag=True))


def _round_part(fmt: Format, x: Cyclotomic, *, imag: bool) -> int | Fraction:
    """Round Re x or Im x: exactly when the part is rational, else from enclosures."""
    part = imaginary_part(x) if imag else x.real
    if not isinstance(part, Cyclotomic):
        return fmt.weight(part)
    bits = 96
    while True:
        lo, hi = interval(part, bits=bits)
        a, b = fmt.weight(lo), fmt.weight(hi)
        if a == b:
            return a
        bits *= 2
        if bits > 1 << 14:  # pragma: no cover - an irrational part is never a tie
            raise ArithmeticError(f"{fmt}: cannot round {x}")


def imaginary_part(x: Value) -> Value:
    """Im x as an exact real element: −i·(x − x̄)/2, computed in Q(ζ_lcm(n, 4)) (which holds i)."""
    if not isinstance(x, Cyclotomic):
        return 0
    m = math.lcm(x.n, 4)
    i = Cyclotomic.zeta(m, m // 4)
    return (x.lift(m) - as_field(x.conjugate(), m)) * i * Fraction(-1, 2)
