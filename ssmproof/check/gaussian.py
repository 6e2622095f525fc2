"""Complex values under a finite format, and the arithmetic of a complex model, in the checker.

A rounded complex value has rational parts, so it is a pair :class:`Gauss` (re, im), im ≠ 0 (a
value with im = 0 collapses to its rational real part). The rounding rule is the one
docs/ssm-format.md states ("Finite formats" of complex weights), followed literally:

1. a complex weight w is rounded once, per part: rnd(Re w) + i·rnd(Im w); an irrational part is
   rounded from rigorous bounds (:mod:`ssmproof.check.enclosure`) refined until both ends round
   alike (rounding is monotone and an irrational number is never a tie);
2. each coordinate of a map is summed exactly from rounded operands, then each part rounded
   once; a map into the (real) stream keeps the real part only;
3. h = rnd(rnd(a·h) + b), each rnd per part.

In exact arithmetic values are elements of Q(ζₘ) (:mod:`ssmproof.check.cyclotomic`) and nothing
is rounded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from ssmproof.check.cyclotomic import Cyc, imag_part, real_part
from ssmproof.check.enclosure import part_bounds
from ssmproof.check.inputs import BadInput
from ssmproof.check.numbers import Arithmetic, Num

__all__ = ["Gauss", "gauss", "complex_arithmetic", "round_weight", "re", "non_real"]


@dataclass(frozen=True, slots=True)
class Gauss:
    """re + i·im with rational parts and im ≠ 0."""

    re: Num
    im: Num

    def __add__(self, o: object) -> Num | Gauss:
        if isinstance(o, Gauss):
            return gauss(self.re + o.re, self.im + o.im)
        if isinstance(o, (int, Fraction)):
            return Gauss(self.re + o, self.im)
        return NotImplemented

    __radd__ = __add__

    def __mul__(self, o: object) -> Num | Gauss:
        if isinstance(o, Gauss):
            return gauss(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)
        if isinstance(o, (int, Fraction)):
            return gauss(self.re * o, self.im * o)
        return NotImplemented

    __rmul__ = __mul__


def gauss(re: Num, im: Num) -> Num | Gauss:
    return Gauss(re, im) if im else re


def re(x: object) -> object:
    """The real part of any value a model holds (a map into the stream keeps only it)."""
    if isinstance(x, Gauss):
        return x.re
    return real_part(x) if isinstance(x, Cyc) else x  # type: ignore[arg-type]


def non_real(x: object) -> bool:
    return isinstance(x, Gauss) or (isinstance(x, Cyc) and imag_part(x) != 0)


def _round_part(base: Arithmetic, x: Cyc, imag: bool, where: str) -> Num:
    """rnd(Re x) or rnd(Im x) of a weight: exact when the part is rational, else from bounds."""
    part = imag_part(x) if imag else real_part(x)
    if not isinstance(part, Cyc):
        return base.weight(Fraction(part), where)
    bits = 64
    while True:
        lo, hi = part_bounds(x.m, x.num, x.den, imag=imag, bits=bits)
        try:
            a, b = base.weight(lo, where), base.weight(hi, where)
        except BadInput:
            if bits > 1 << 12:
                raise
            a, b = 0, 1  # an end beyond the range may be an artefact of loose bounds: refine
        if a == b:
            return a
        bits *= 2


def complex_arithmetic(base: Arithmetic) -> Arithmetic:
    """``base`` with its ``rnd`` extended to complex values (per part); exact stays exact."""
    if base.exact:
        return base
    rnd = base.rnd

    def rnd_c(x: Num | Gauss) -> Num | Gauss:
        return gauss(rnd(x.re), rnd(x.im)) if isinstance(x, Gauss) else rnd(x)

    return replace(base, rnd=rnd_c)  # type: ignore[arg-type]


def round_weight(base: Arithmetic, x: Num | Cyc, where: str) -> object:
    """A weight of a complex model rounded once (rule 1); exact arithmetic keeps it as is."""
    if not isinstance(x, Cyc):
        return base.weight(Fraction(x), where)
    if base.exact:
        return x
    return gauss(_round_part(base, x, False, where), _round_part(base, x, True, where))
