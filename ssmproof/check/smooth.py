"""The smooth activations of ``ssmproof-ssm/3`` (imported Mamba), correctly rounded by integers.

docs/ssm-format.md fixes the rule: the activation is applied to the *rounded* pre-activation x (a
rational) and its exact real value is rounded once. The checker brackets f(x) between two
rationals from series with explicit remainders — exp by Taylor after halving the argument, log by
the atanh series after taking out powers of 2 — and doubles the precision until both ends round
to the same value. That ends because f(x) is irrational wherever it is not computed exactly
(exp(0), silu(0), rsqrt of a rational square), so never a rounding boundary. No floats, no
mpmath: the toolkit uses mpmath intervals, and the two must agree value by value. Exact
arithmetic holds rationals only, so an irrational value there is reported, never approximated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from ssmproof.check.numbers import Num, Overflow

__all__ = ["SMOOTH", "apply", "Irrational"]

SMOOTH = ("softplus", "exp", "silu", "rsqrt")
Bounds = tuple[Fraction, Fraction]


class Irrational(ValueError):
    """Exact arithmetic met an irrational activation value."""


def _down(x: Fraction, bits: int) -> Fraction:
    """x rounded down to ``bits`` significant bits (a short dyadic)."""
    if x == 0:
        return x
    shift = bits - (x.numerator.bit_length() - x.denominator.bit_length())
    return Fraction(math.floor(x * Fraction(2) ** shift)) / Fraction(2) ** shift


def _up(x: Fraction, bits: int) -> Fraction:
    return -_down(-x, bits)


def _exp(x: Fraction, bits: int) -> Bounds:
    """exp(x) = exp(y)^(2^s) with |y| = |x|/2^s ≤ 1/2, where Σ_{k<n} y^k/k! misses by at most
    2|y|^n/n! (the tail is dominated by a geometric series of ratio 1/2)."""
    s = max(0, abs(x).numerator.bit_length() - abs(x).denominator.bit_length() + 2)
    y, term, total, k = x / 2 ** s, Fraction(1), Fraction(0), 0
    while True:
        total += term
        k += 1
        term = term * y / k
        if abs(term) * 2 < Fraction(1, 2 ** (bits + s + 8)):
            break
    lo, hi = _down(total - 2 * abs(term), bits + s + 8), _up(total + 2 * abs(term), bits + s + 8)
    for _ in range(s):
        lo, hi = _down(lo * lo, bits + s + 8), _up(hi * hi, bits + s + 8)
    return lo, hi


def _log(z: Fraction, bits: int, upper: bool) -> Fraction:
    """A lower (or upper) bound on log z, z > 0: k·ln 2 + 2·atanh(u), u = (m − 1)/(m + 1) for
    z = 2^k·m, 1 ≤ m < 2, so 0 ≤ u < 1/3; the atanh tail after the last term t is < (9/8)·t."""
    k = z.numerator.bit_length() - z.denominator.bit_length()
    m = z / Fraction(2) ** k
    if m < 1:
        k, m = k - 1, m * 2
    ln2 = _atanh(Fraction(1, 3), bits + k.bit_length() + 4, upper == (k >= 0)) * 2
    return k * ln2 + 2 * _atanh((m - 1) / (m + 1), bits + 4, upper)


def _atanh(u: Fraction, bits: int, upper: bool) -> Fraction:
    total, power, j = Fraction(0), u, 0
    while power / (2 * j + 1) >= Fraction(1, 2 ** (bits + 4)):
        total += power / (2 * j + 1)
        power, j = power * u * u, j + 1
    return _up(total + Fraction(9, 8) * power / (2 * j + 1), bits + 8) if upper else \
        _down(total, bits + 8)


def _softplus(x: Fraction, bits: int) -> Bounds:
    lo, hi = _exp(x, bits + 8)
    return _log(1 + lo, bits, False), _log(1 + hi, bits, True)


def _silu(x: Fraction, bits: int) -> Bounds:
    lo, hi = _exp(-x, bits + 8)
    ends = (x / (1 + lo), x / (1 + hi))
    return min(ends), max(ends)


def _rsqrt(x: Fraction, bits: int) -> Bounds:
    scale = 4 ** (bits + x.denominator.bit_length())
    root = math.isqrt(x.numerator * scale // x.denominator)
    if root == 0:
        return _rsqrt(x, 2 * bits)
    return Fraction(math.isqrt(scale), root + 1), Fraction(math.isqrt(scale), root)


_BOUNDS: dict[str, Callable[[Fraction, int], Bounds]] = {
    "exp": _exp, "softplus": _softplus, "silu": _silu, "rsqrt": _rsqrt}


def _exact(act: str, x: Fraction) -> Num | None:
    """f(x) when it is rational: exp(0), silu(0), rsqrt of a rational square."""
    if x == 0 and act in ("exp", "silu"):
        return 1 if act == "exp" else 0
    if act == "rsqrt" and x > 0:
        p, q = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if p * p == x.numerator and q * q == x.denominator:
            return Fraction(q, p)
    return None


def apply(act: str, x: Num, rnd: Callable[[Num], Num], exact: bool) -> Num:
    """``rnd(act(x))``, correctly rounded; Overflow for rsqrt of x ≤ 0 or a value too large."""
    x = Fraction(x)
    if act == "rsqrt" and x <= 0:
        raise Overflow(f"rsqrt({x}) is not finite")
    value = _exact(act, x)
    if value is not None:
        return rnd(value)
    if exact:
        raise Irrational(f"{act}({x}) is irrational, so exact arithmetic cannot hold it; run "
                         "this model under a finite format (--format float32 or bfloat16)")
    bits = 64
    while True:
        lo, hi = _BOUNDS[act](x, bits)
        ends = []
        for end in (lo, hi):
            try:
                ends.append(rnd(end))
            except Overflow:
                ends.append(None)
        if ends[0] == ends[1]:
            if ends[0] is None:
                raise Overflow(f"{act}({x}) overflows")
            return ends[0]
        if bits > 1 << 16:  # never met: the value would have to be a rounding boundary
            raise Overflow(f"{act}({x}) could not be rounded")
        bits *= 2
