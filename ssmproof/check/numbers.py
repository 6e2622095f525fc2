"""The checker's own arithmetic: exact rationals and every finite format, by integer arithmetic.

Written apart from :mod:`ssmproof.numerics` (which the checker never imports): a value is an
``int`` or a :class:`fractions.Fraction`, and rounding one value into a format is a few integer
operations on its numerator and denominator — round half to even, then saturate (``fixed:I.P``),
overflow to a non-finite value (the IEEE floats) or wrap modulo ``2**P`` (``int:P``). The tests
compare it with numpy's and ml_dtypes' own casts on values those casts round exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.check.inputs import BadInput

__all__ = ["Num", "Arithmetic", "Overflow", "arithmetic", "FLOATS"]

Num = int | Fraction

# precision p (hidden bit included), emin, emax of each IEEE binary format
FLOATS = {"float16": (11, -14, 15), "bfloat16": (8, -126, 127), "float32": (24, -126, 127),
          "float64": (53, -1022, 1023)}


class Overflow(Exception):
    """A float rounding reached ±infinity: the run fails at this position (not bad input)."""


def _norm(num: int, den: int) -> Num:
    f = Fraction(num, den)
    return f.numerator if f.denominator == 1 else f


def _half_even(num: int, den: int) -> int:
    """num/den (den > 0) rounded to the nearest integer, ties to even."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2):
        q += 1
    return q


def _parts(x: Num) -> tuple[int, int]:
    return (x, 1) if type(x) is int else (x.numerator, x.denominator)  # type: ignore[union-attr]


def _float_rounder(p: int, emin: int, emax: int) -> Callable[[Num], Num]:
    largest = Fraction((1 << p) - 1) * Fraction(2) ** (emax - p + 1)
    exact_ints = 1 << p  # every integer of magnitude <= 2**p is a value: rounding keeps it

    def rnd(x: Num) -> Num:
        if type(x) is int and -exact_ints <= x <= exact_ints:
            return x
        n, d = _parts(x)
        if n == 0:
            return 0
        sign, n = (-1, -n) if n < 0 else (1, n)
        e = n.bit_length() - d.bit_length()  # 2**e <= n/d < 2**(e+1) after the fix-up
        if (n << max(-e, 0)) < (d << max(e, 0)):
            e -= 1
        shift = p - 1 - max(e, emin)  # the last kept bit is worth 2**-shift
        m = _half_even(n << shift, d) if shift >= 0 else _half_even(n, d << -shift)
        value = _norm(sign * m, 1 << shift) if shift >= 0 else sign * (m << -shift)
        if abs(value) > largest:
            raise Overflow(f"{x} rounds to {'-' if sign < 0 else '+'}inf")
        return value
    return rnd


def _fixed_rounder(i_bits: int, p_bits: int) -> Callable[[Num], Num]:
    lo, hi = -(1 << (i_bits + p_bits - 1)), (1 << (i_bits + p_bits - 1)) - 1

    def rnd(x: Num) -> Num:
        if type(x) is int and lo <= x << p_bits <= hi:
            return x
        n, d = _parts(x)
        k = min(max(_half_even(n << p_bits, d), lo), hi)
        return _norm(k, 1 << p_bits)
    return rnd


def _int_rounder(bits: int) -> Callable[[Num], Num]:
    half = 1 << (bits - 1)

    def rnd(x: Num) -> Num:
        if type(x) is int and -half <= x < half:
            return x
        n, d = _parts(x)
        if d != 1:
            raise BadInput("--format", "", f"int:{bits}: {x} is not an integer",
                           "int:P takes integer weights only")
        return (n + half) % (1 << bits) - half
    return rnd


@dataclass(frozen=True)
class Arithmetic:
    """One format: ``rnd`` rounds a value met in a run; ``weight`` rounds a weight once."""

    name: str
    exact: bool
    rnd: Callable[[Num], Num]
    grid: tuple[int, int, int] | None = None  # fixed:I.P: (P, lowest, highest multiple of 2^-P)

    def weight(self, x: Fraction, where: str) -> Num:
        """A weight rounded once; one that overflows a float or rounds outside a fixed-point
        range is a property of the file, not an event of a run (DESIGN §3)."""
        if self.grid is not None:
            p_bits, lo, hi = self.grid
            if not lo <= _half_even(x.numerator << p_bits, x.denominator) <= hi:
                raise BadInput(where, "", f"weight {x} rounds outside the range of {self.name}",
                               "use a format with more integer bits")
        try:
            return self.rnd(_norm(x.numerator, x.denominator))
        except Overflow:
            raise BadInput(where, "", f"weight {x} overflows {self.name}",
                           "use a wider format") from None


_FIXED = re.compile(r"fixed:(?:([0-9]{1,9})\.)?([0-9]{1,9})")
_INT = re.compile(r"int:([0-9]{1,9})")


def arithmetic(name: str) -> Arithmetic:
    """The :class:`Arithmetic` a certificate's ``format`` names (``exact``, ``fixed:I.P``, ...)."""
    if name == "exact":
        return Arithmetic(name, True, lambda x: x)
    if name in FLOATS:
        return Arithmetic(name, False, _float_rounder(*FLOATS[name]))
    m = _FIXED.fullmatch(name)
    if m and 1 <= int(m.group(1) or 16) <= 64 and int(m.group(2)) <= 64:
        i_bits, p_bits = int(m.group(1) or 16), int(m.group(2))
        top = 1 << (i_bits + p_bits - 1)
        return Arithmetic(f"fixed:{i_bits}.{p_bits}", False, _fixed_rounder(i_bits, p_bits),
                          (p_bits, -top, top - 1))
    m = _INT.fullmatch(name)
    if m and 1 <= int(m.group(1)) <= 64:
        return Arithmetic(name, False, _int_rounder(int(m.group(1))))
    raise BadInput("certificate", "format", f"'{name}' is not a format the checker knows",
                   "exact, fixed:I.P, fixed:P, float16, bfloat16, float32, float64 or int:P")
