"""Smooth position-wise activations, correctly rounded in every format (format ``ssmproof-ssm/3``).

A trained Mamba applies softplus (to its step size Δ), exp (its gate exp(Δ·A)), SiLU (after the
causal convolution and on the gating branch) and 1/sqrt (RMSNorm). DESIGN §3 rounds every
coordinate once from its exact value; these functions keep that rule:

**The rule.** The activation's argument is already a value of the format (the rounded
pre-activation). Its exact real image f(x) is rounded *correctly* (round to nearest, ties to even,
the format's own :meth:`~ssmproof.numerics.formats.Format.rnd`), once.

**How.** f(x) is transcendental or irrational for every argument where it is not handled exactly
(exp(x), SiLU(x) for x ≠ 0 and softplus(x) for every rational x, by Lindemann–Weierstrass; 1/√q
for q not a rational square), so it is never exactly a rounding boundary and Ziv's strategy
terminates: enclose f(x) in an interval with mpmath's interval arithmetic (``mpmath.iv``, rigorous
outward rounding) at 64 bits, and if both ends round to the same value that value is the correctly
rounded result; otherwise double the working precision. mpmath is already a dependency (the
cyclotomic enclosures use it), pure Python and well kept; nothing here trusts the platform's libm.

**Exact arithmetic** holds rationals only, so it evaluates f(x) when the value is rational
(exp(0) = 1, SiLU(0) = 0, 1/√q for a rational square q) and otherwise raises
:class:`~ssmproof.errors.FormatError` naming the value — the CLI prints it and exits 2.
``rsqrt`` of a value ≤ 0 is not finite: :class:`~ssmproof.numerics.formats.NonFiniteValue`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import mpmath

from ssmproof.errors import FormatError
from ssmproof.numerics.formats import Format, FormatKind, NonFiniteValue

__all__ = ["evaluate", "FUNCTIONS", "MAX_PRECISION"]

Value = int | Fraction
MAX_PRECISION = 4096
"""Working bits at which Ziv's loop gives up (never reached: the values are never boundaries)."""
_CACHE_LIMIT = 500_000

_Interval = Callable[[object], object]


def _softplus(x: object) -> object:
    iv = mpmath.iv
    # log(1 + e^x) = x + log(1 + e^-x) for x > 0 keeps e^x from overflowing the enclosure's size
    return iv.log(1 + iv.exp(x)) if x.b <= 0 else x + iv.log(1 + iv.exp(-x))  # type: ignore


def _silu(x: object) -> object:
    iv = mpmath.iv
    return x / (1 + iv.exp(-x))  # type: ignore[operator]


def _rsqrt(x: object) -> object:
    iv = mpmath.iv
    return 1 / iv.sqrt(x)


FUNCTIONS: dict[str, _Interval] = {
    "softplus": _softplus,
    "exp": lambda x: mpmath.iv.exp(x),
    "silu": _silu,
    "rsqrt": _rsqrt,
}
"""Interval enclosures of each smooth activation (argument and result are ``mpmath.iv`` values)."""

_cache: dict[tuple[str, str, Value], Value] = {}


def evaluate(name: str, x: Value, fmt: Format) -> Value:
    """``fmt``-rounding of the exact ``name(x)``; exact arithmetic only where it is rational.

    Examples
    --------
    >>> from ssmproof.numerics.formats import parse
    >>> evaluate("exp", Fraction(-1, 2), parse("bfloat16"))  # e^-0.5 = 0.60653…
    Fraction(155, 256)
    >>> evaluate("rsqrt", Fraction(1, 4), parse("exact"))
    2
    >>> evaluate("silu", 0, parse("exact"))
    0
    """
    key = (name, str(fmt), x)
    hit = _cache.get(key)
    if hit is None:
        hit = _exact(name, x, fmt) if fmt.kind is FormatKind.EXACT else _rounded(name, x, fmt)
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = hit
    return hit


def _exact(name: str, x: Value, fmt: Format) -> Value:
    if name in ("exp", "silu") and x == 0:
        return 1 if name == "exp" else 0
    if name == "rsqrt":
        q = Fraction(x)
        if q <= 0:
            raise NonFiniteValue(q, fmt)
        num, den = math.isqrt(q.numerator), math.isqrt(q.denominator)
        if num * num == q.numerator and den * den == q.denominator:
            r = Fraction(den, num)
            return r.numerator if r.denominator == 1 else r
    raise FormatError(f"{name}({x}) is irrational, so exact arithmetic cannot hold it; run this "
                      "model under a finite format (--format float32 or bfloat16)")


def _rounded(name: str, x: Value, fmt: Format) -> Value:
    if name == "rsqrt" and x <= 0:
        raise NonFiniteValue(Fraction(x), fmt)
    if name in ("exp", "silu") and x == 0:
        return fmt.rnd(1 if name == "exp" else 0)
    f = FUNCTIONS[name]
    q = Fraction(x)
    # 1 + e^x must be resolved for x ≪ 0 (softplus(−200) ≈ e^−200): give those bits on top
    extra = 2 * max(0, -math.floor(q)) if name == "softplus" else 0
    prec = 64
    while prec <= MAX_PRECISION:
        lo, hi = _enclose(f, q, prec + extra)
        rlo, rhi = fmt.rnd(lo), fmt.rnd(hi)
        if rlo == rhi:
            return rlo
        prec *= 2
    raise FormatError(f"{name}({x}) could not be rounded within {MAX_PRECISION} bits")


def _enclose(f: _Interval, q: Fraction, prec: int) -> tuple[Fraction, Fraction]:
    """Exact ends of an interval holding f(q), computed at ``prec`` working bits."""
    iv = mpmath.iv
    saved = iv.prec  # the interval context keeps its own precision (mpmath.workprec misses it)
    try:
        iv.prec = prec
        enclosure = f(iv.mpf(q.numerator) / q.denominator)
    finally:
        iv.prec = saved
    lo, hi = enclosure._mpi_  # type: ignore[attr-defined]
    return _fraction(lo), _fraction(hi)


def _fraction(v: object) -> Fraction:
    """The exact value of an mpmath interval end (a binary float: mantissa · 2^exponent)."""
    sign, man, exp, _ = v  # type: ignore[misc]
    if man == 0:
        if exp != 0:  # ±inf or nan from the library: no finite enclosure
            raise FormatError("an interval enclosure was not finite")
        return Fraction(0)
    value = Fraction(man << exp) if exp >= 0 else Fraction(man, 1 << -exp)
    return -value if sign else value
