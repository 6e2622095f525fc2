"""Exact rounding kernels: one exact rational in, its rounded value out, integer arithmetic only.

These are the reference semantics behind :class:`ssmproof.numerics.formats.Format`. Every kernel
takes an exact value (``int`` or :class:`fractions.Fraction`) and returns an exact value in
normal form (:func:`normalise`: ``int`` when integral). No kernel ever converts to ``float``.

The float kernel returns ``None`` when the value rounds to infinity; the caller
(:meth:`Format.rnd <ssmproof.numerics.formats.Format.rnd>`) turns that into
:class:`~ssmproof.numerics.formats.NonFiniteValue`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

__all__ = [
    "Value",
    "FloatLayout",
    "FLOAT_LAYOUTS",
    "normalise",
    "scaled",
    "round_half_even",
    "round_fixed",
    "round_float",
    "wrap_int",
    "grid_values",
]

Value = Union[int, Fraction]
"""An exact number: ``int`` when integral, otherwise a ``Fraction`` with denominator > 1."""


@dataclass(frozen=True, slots=True)
class FloatLayout:
    """The parameters of an IEEE 754 binary format (IEEE 754-2019, §3.3).

    Parameters
    ----------
    precision : int
        Significand bits, the hidden bit included (``p``).
    emin : int
        Exponent of the smallest normal number, ``2**emin``.
    emax : int
        Exponent of the largest binade; the largest finite value is ``(2 - 2**(1-p)) * 2**emax``.
    bits : int
        Storage width.

    Examples
    --------
    >>> FLOAT_LAYOUTS["float16"].max_value
    65504
    >>> FLOAT_LAYOUTS["float16"].min_subnormal
    Fraction(1, 16777216)
    """

    precision: int
    emin: int
    emax: int
    bits: int

    def __post_init__(self) -> None:
        assert self.precision >= 2 and self.emin < 0 < self.emax, "not an IEEE binary layout"

    @property
    def max_value(self) -> Value:
        """Largest finite value, ``(2**p - 1) * 2**(emax - p + 1)``."""
        return scaled((1 << self.precision) - 1, self.emax - self.precision + 1)

    @property
    def min_subnormal(self) -> Value:
        """Smallest positive value, ``2**(emin - p + 1)``."""
        return scaled(1, self.emin - self.precision + 1)

    @property
    def min_normal(self) -> Value:
        """Smallest positive normal value, ``2**emin``."""
        return scaled(1, self.emin)


FLOAT_LAYOUTS: dict[str, FloatLayout] = {
    "float16": FloatLayout(precision=11, emin=-14, emax=15, bits=16),
    "bfloat16": FloatLayout(precision=8, emin=-126, emax=127, bits=16),
    "float32": FloatLayout(precision=24, emin=-126, emax=127, bits=32),
    "float64": FloatLayout(precision=53, emin=-1022, emax=1023, bits=64),
}
"""IEEE binary16, bfloat16 (binary32's exponent with an 8-bit significand), binary32, binary64."""


def normalise(x: Value) -> Value:
    """Return ``x`` as an ``int`` when it is integral, else unchanged.

    Examples
    --------
    >>> normalise(Fraction(6, 3)), normalise(Fraction(1, 2)), normalise(7)
    (2, Fraction(1, 2), 7)
    """
    if type(x) is int:
        return x
    if x.denominator == 1:
        return x.numerator
    return x


def scaled(m: int, q: int) -> Value:
    """The exact value ``m * 2**q`` in normal form.

    Examples
    --------
    >>> scaled(3, -1), scaled(4, -1), scaled(3, 2)
    (Fraction(3, 2), 2, 12)
    """
    if q >= 0:
        return m << q
    if m == 0:
        return 0
    shift = -q
    zeros = (m & -m).bit_length() - 1  # trailing zero bits, for either sign
    if zeros >= shift:
        return m >> shift
    return Fraction(m >> zeros, 1 << (shift - zeros))


def round_half_even(num: int, den: int) -> int:
    """The integer nearest to ``num / den`` (``den > 0``), ties to the even integer.

    Examples
    --------
    >>> [round_half_even(n, 2) for n in (-3, -1, 1, 3, 5)]
    [-2, 0, 0, 2, 2]
    >>> round_half_even(7, 3), round_half_even(-7, 3)
    (2, -2)
    """
    q, r = divmod(num, den)  # floor division: 0 <= r < den
    twice = r << 1
    if twice > den or (twice == den and q & 1):
        return q + 1
    return q


def round_fixed(x: Value, int_bits: int, frac_bits: int) -> Value:
    """Round ``x`` to the nearest multiple of ``2**-frac_bits``, ties to even, then saturate.

    The range is ``[-2**(int_bits-1), 2**(int_bits-1) - 2**-frac_bits]`` (two's complement with
    ``int_bits`` integer bits, sign included). Rounding then clamping equals clamping then
    rounding because both ends are on the grid.

    Examples
    --------
    >>> round_fixed(Fraction(3, 8), 4, 2)   # a tie between 1/4 and 1/2: 1/2 has the even multiple
    Fraction(1, 2)
    >>> round_fixed(100, 4, 2), round_fixed(-100, 4, 2)
    (Fraction(31, 4), -8)
    """
    width = int_bits + frac_bits
    if type(x) is int:
        k = x << frac_bits
    else:
        k = round_half_even(x.numerator << frac_bits, x.denominator)
    top = (1 << (width - 1)) - 1
    if k > top:
        k = top
    elif k < -top - 1:
        k = -top - 1
    return scaled(k, -frac_bits)


def round_float(x: Value, layout: FloatLayout) -> Value | None:
    """Round ``x`` to the IEEE format ``layout``, round-to-nearest ties-to-even, subnormals kept.

    Returns ``None`` when the correctly rounded result is infinite, that is when
    ``|x| >= (2 - 2**-p) * 2**emax`` (the largest finite value plus half its ulp; the tie itself
    goes to the even neighbour ``2**(emax+1)``, which is infinite).

    Examples
    --------
    >>> f16 = FLOAT_LAYOUTS["float16"]
    >>> round_float(Fraction(1, 3), f16)
    Fraction(1365, 4096)
    >>> round_float(65519, f16), round_float(65520, f16) is None
    (65504, True)
    >>> round_float(Fraction(1, 2**25), f16), round_float(Fraction(3, 2**26), f16)  # subnormal ties
    (0, Fraction(1, 16777216))

    Notes
    -----
    Cost is a few big-integer shifts and one division of operands of about
    ``p + log2(numerator) + log2(denominator)`` bits.

    References
    ----------
    IEEE Std 754-2019, §4.3.1 (roundTiesToEven, including the overflow rule) and §7.4.
    """
    p = layout.precision
    if type(x) is int:
        if -(1 << p) <= x <= (1 << p):
            return x
        num, den = x, 1
    else:
        num, den = x.numerator, x.denominator
    if num == 0:
        return 0
    mag = -num if num < 0 else num
    e = mag.bit_length() - den.bit_length()  # floor(log2(mag/den)) is e or e - 1
    if (mag < den << e) if e >= 0 else (mag << -e < den):
        e -= 1
    if e > layout.emax:
        return None
    q = (e if e > layout.emin else layout.emin) - p + 1  # exponent of the ulp at |x|
    m = round_half_even(mag << -q, den) if q < 0 else round_half_even(mag, den << q)
    if e == layout.emax and m >> p:  # carried into the binade above the largest one
        return None
    return scaled(-m if num < 0 else m, q)


def wrap_int(x: int, bits: int) -> int:
    """``x`` modulo ``2**bits``, read in two's complement: in ``[-2**(bits-1), 2**(bits-1))``.

    Examples
    --------
    >>> wrap_int(128, 8), wrap_int(255, 8), wrap_int(-129, 8), wrap_int(5, 8)
    (-128, -1, 127, 5)
    """
    half = 1 << (bits - 1)
    return ((x + half) & ((1 << bits) - 1)) - half


def _ceil_div(num: int, den: int) -> int:
    return -((-num) // den)


def grid_values(
    segments: list[tuple[int, int, int]], lo: Value | None, hi: Value | None
) -> Iterator[Value]:
    """Yield ``k * 2**q`` for each ``(q, kmin, kmax)`` segment, clipped to ``[lo, hi]``.

    Segments must be listed in increasing order of value and must not overlap; ``None`` leaves
    a side unbounded.

    Examples
    --------
    >>> list(grid_values([(-1, -2, 2)], Fraction(-1, 2), None))
    [Fraction(-1, 2), 0, Fraction(1, 2), 1]
    """
    for q, kmin, kmax in segments:
        a, b = kmin, kmax
        if lo is not None:
            lo_f = Fraction(lo)
            bound = (
                _ceil_div(lo_f.numerator << -q, lo_f.denominator)
                if q < 0
                else _ceil_div(lo_f.numerator, lo_f.denominator << q)
            )
            a = max(a, bound)
        if hi is not None:
            hi_f = Fraction(hi)
            bound = (
                (hi_f.numerator << -q) // hi_f.denominator
                if q < 0
                else hi_f.numerator // (hi_f.denominator << q)
            )
            b = min(b, bound)
        for k in range(a, b + 1):
            yield scaled(k, q)
