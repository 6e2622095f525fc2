"""Arithmetic formats (DESIGN §3): what a value may be, and how one exact value is rounded into it.

A :class:`Format` is one of ``exact``, ``fixed:I.P``, ``float16``, ``bfloat16``, ``float32``,
``float64`` and ``int:P``; :func:`parse` reads those names and ``str(fmt)`` prints them back.

Values are exact Python numbers: ``int`` when integral, otherwise ``fractions.Fraction``.
:meth:`Format.rnd` rounds *one* exact value with integer arithmetic only; it is the reference
semantics. :meth:`Format.round_array` is the numpy path for batched simulation and agrees with
``rnd`` on float64 inputs that hold exact values (see :mod:`ssmproof.numerics.arrays` for which
numpy/ml_dtypes casts are single roundings and how bfloat16 is made one).

The rounding order itself is the simulator's (DESIGN §3): weights are rounded once with
:meth:`Format.weight`; each coordinate of a matrix–vector product is computed exactly from rounded
operands and rounded once with :meth:`Format.rnd`; the recurrence is ``rnd(rnd(a*h) + b)``;
ReLU is exact. Results obtained under a finite format hold for *that* order only.

References
----------
Y. Sarrof, Y. Veitsman and M. Hahn, "The Expressive Capacity of State Space Models: A Formal
Language Perspective", NeurIPS 2024, arXiv:2405.17394 (v1): the finite-precision setting, whose
two facts (a finite set of values, monotone rounding) carry the impossibility argument; our
summary is PAPER.md §1. IEEE Std 754-2019, §4.3.1 (roundTiesToEven) and §7.4 (overflow).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ssmproof.errors import FormatError
from ssmproof.numerics import arrays, rounding
from ssmproof.numerics.rounding import Value
from ssmproof.wordenum import WordEnum

__all__ = [
    "Value",
    "FormatKind",
    "Format",
    "NonFiniteValue",
    "parse",
    "EXACT",
    "FLOAT16",
    "BFLOAT16",
    "FLOAT32",
    "FLOAT64",
    "DEFAULT_FIXED_INT_BITS",
    "MAX_FIXED_INT_BITS",
    "MAX_FIXED_FRAC_BITS",
    "MAX_INT_BITS",
    "VALID_FORMS",
]

DEFAULT_FIXED_INT_BITS = 16
"""``fixed:P`` means ``fixed:16.P``."""
MAX_FIXED_INT_BITS = 64
MAX_FIXED_FRAC_BITS = 64
MAX_INT_BITS = 64

VALID_FORMS = (
    "exact | "
    f"fixed:I.P (1 <= I <= {MAX_FIXED_INT_BITS} integer bits incl. sign, "
    f"0 <= P <= {MAX_FIXED_FRAC_BITS} fractional bits) | "
    f"fixed:P (= fixed:{DEFAULT_FIXED_INT_BITS}.P) | float16 | bfloat16 | float32 | float64 | "
    f"int:P (1 <= P <= {MAX_INT_BITS}, wrap-around)"
)
"""The accepted format names, quoted by every :class:`~ssmproof.errors.FormatError` from parsing."""


class FormatKind(WordEnum):
    """The kind of a format; the value is the word used in format names."""

    EXACT = "exact"
    FIXED = "fixed"
    FLOAT16 = "float16"
    BFLOAT16 = "bfloat16"
    FLOAT32 = "float32"
    FLOAT64 = "float64"
    INT = "int"


_FLOAT_KINDS = frozenset(
    {FormatKind.FLOAT16, FormatKind.BFLOAT16, FormatKind.FLOAT32, FormatKind.FLOAT64}
)


class NonFiniteValue(Exception):
    """A rounding produced ±inf (an IEEE float overflow).

    Deliberately *not* an :class:`~ssmproof.errors.SsmproofError`: it is not bad input but an
    event of a run, which the simulator catches and reports as a finding (STYLE R5).

    Attributes
    ----------
    value : Value
        The exact value that was being rounded.
    format : Format
        The format it overflowed.
    """

    def __init__(self, value: Value, fmt: Format) -> None:
        self.value, self.format = value, fmt
        sign = "-" if value < 0 else "+"
        super().__init__(
            f"{fmt}: {value} rounds to {sign}inf (largest finite value {fmt.max_value})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class Format:
    """An arithmetic format: exact rationals, saturating fixed point, IEEE floats or wrapping ints.

    Build one with :func:`parse` (``parse("fixed:8.4")``), a named constructor
    (:meth:`fixed`, :meth:`integer`) or a constant (``EXACT``, ``FLOAT16``, ...).

    Parameters
    ----------
    kind : FormatKind
    int_bits : int
        ``fixed:I.P``: I, integer bits with the sign; ``int:P``: P, the word width. Else 0.
    frac_bits : int
        ``fixed:I.P``: P, fractional bits. Else 0.

    Raises
    ------
    FormatError
        If the bit counts are out of range or given to a kind that has none.

    Examples
    --------
    >>> fmt = parse("fixed:4.2")
    >>> str(fmt), fmt.min_value, fmt.max_value
    ('fixed:4.2', -8, Fraction(31, 4))
    >>> fmt.rnd(Fraction(3, 8)), fmt.rnd(100)
    (Fraction(1, 2), Fraction(31, 4))
    >>> parse("int:8").rnd(128)
    -128
    >>> FLOAT16.rnd(Fraction(1, 3))
    Fraction(1365, 4096)
    """

    kind: FormatKind
    int_bits: int = 0
    frac_bits: int = 0

    def __post_init__(self) -> None:
        _check_kind(self)
        _CHECKS[self.kind](self)

    # --- named constructors ----------------------------------------------------------------
    @classmethod
    def fixed(cls, int_bits: int, frac_bits: int) -> Format:
        """``fixed:I.P``: two's complement, ``int_bits`` integer bits (sign included).

        Examples
        --------
        >>> Format.fixed(8, 4)
        parse('fixed:8.4')
        """
        return cls(FormatKind.FIXED, int_bits, frac_bits)

    @classmethod
    def integer(cls, bits: int) -> Format:
        """``int:P``: ``bits``-bit integers, wrap-around modulo ``2**bits``.

        Examples
        --------
        >>> Format.integer(8).min_value, Format.integer(8).max_value
        (-128, 127)
        """
        return cls(FormatKind.INT, bits, 0)

    # --- names -----------------------------------------------------------------------------
    def __str__(self) -> str:
        if self.kind is FormatKind.FIXED:
            return f"fixed:{self.int_bits}.{self.frac_bits}"
        if self.kind is FormatKind.INT:
            return f"int:{self.int_bits}"
        return self.kind.value

    def __repr__(self) -> str:
        return f"parse({str(self)!r})"

    # --- rounding --------------------------------------------------------------------------
    def rnd(self, x: Value) -> Value:
        """Round one exact value into the format; the reference semantics (integer arithmetic).

        - ``exact``: the value itself (normalised);
        - ``fixed:I.P``: nearest multiple of ``2**-P``, ties to even, saturating at
          ``[-2**(I-1), 2**(I-1) - 2**-P]``;
        - floats: IEEE round to nearest, ties to even, with subnormals;
        - ``int:P``: an integer, wrapped modulo ``2**P`` into ``[-2**(P-1), 2**(P-1))``.

        Parameters
        ----------
        x : int or Fraction

        Returns
        -------
        Value
            ``int`` when integral, else ``Fraction``.

        Raises
        ------
        NonFiniteValue
            A float format overflowed: ``|x| >= max_value + ulp(max_value) / 2``.
        FormatError
            ``int:P`` was given a non-integer.
        TypeError
            ``x`` is not an ``int`` or ``Fraction`` (floats are never accepted).

        Examples
        --------
        >>> FLOAT16.rnd(65519), FLOAT16.rnd(Fraction(1, 2**25) + Fraction(1, 2**40))
        (65504, Fraction(1, 16777216))
        >>> FLOAT16.rnd(-65520)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ssmproof.numerics.formats.NonFiniteValue: float16: -65520 rounds to -inf (largest finite ...
        >>> EXACT.rnd(Fraction(4, 2))
        2

        Notes
        -----
        Constant time for ``exact``; otherwise a few big-integer operations on numbers of about
        the size of the operands plus the format's width.
        """
        if type(x) is not int and not isinstance(x, Fraction):
            raise TypeError(f"{self}: rnd takes an int or a Fraction, not {type(x).__name__}")
        return _ROUNDERS[self.kind](self, x)

    def weight(self, x: Value) -> Value:
        """Round a weight once, when the format is applied to a construction (DESIGN §3).

        Like :meth:`rnd`, except that a failure is a property of the construction, not an event
        of a run, so it raises :class:`~ssmproof.errors.FormatError`: ``int:P`` takes integer
        weights only (negative ones wrap like any value), a float weight must not overflow, and
        a fixed-point weight must round to a value inside the range: values computed during a
        run saturate (DESIGN §3), but a weight clamped silently would be another construction.

        Examples
        --------
        >>> parse("int:8").weight(-1), parse("int:8").weight(200)
        (-1, -56)
        >>> parse("int:8").weight(Fraction(1, 2))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ssmproof.errors.FormatError: int:8: weight 1/2 is not an integer; int:P takes integer ...
        >>> parse("fixed:8.0").weight(127), parse("fixed:8.0").weight(Fraction(509, 4))
        (127, 127)
        >>> parse("fixed:8.0").weight(300)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ssmproof.errors.FormatError: fixed:8.0: weight 300 is outside the range [-128, 127]; ...
        """
        if type(x) is not int and not isinstance(x, Fraction):
            raise TypeError(f"{self}: weight takes an int or a Fraction, not {type(x).__name__}")
        return _WEIGHTS.get(self.kind, _ROUNDERS[self.kind])(self, x)

    def saturates(self, x: Value) -> bool:
        """Whether ``x`` lies outside ``[min_value, max_value]`` before rounding.

        For ``fixed`` this means the value is clamped (an overflow finding); for ``int:P`` that
        it wraps; for floats that it exceeds the largest finite value (it rounds to that value
        or overflows to infinity). Always ``False`` for ``exact``.

        Examples
        --------
        >>> fmt = parse("fixed:4.2")
        >>> fmt.saturates(Fraction(31, 4)), fmt.saturates(Fraction(63, 8)), fmt.saturates(-8)
        (False, True, False)
        """
        lo, hi = self.min_value, self.max_value
        if lo is None or hi is None:
            return False
        return bool(x < lo or x > hi)

    def representable(self, x: Value) -> bool:
        """Whether ``x`` is exactly a finite value of the format (``rnd(x) == x``).

        Examples
        --------
        >>> BFLOAT16.representable(257), BFLOAT16.representable(256)
        (False, True)
        >>> parse("int:8").representable(128), parse("int:8").representable(-128)
        (False, True)
        """
        if self.kind is FormatKind.INT:
            return type(rounding.normalise(x)) is int and not self.saturates(x)
        try:
            return self.rnd(x) == x
        except NonFiniteValue:
            return False

    def values(self, lo: Value | None = None, hi: Value | None = None) -> Iterator[Value]:
        """Every finite value of the format in ``[lo, hi]``, increasing (lazily).

        Meant for exhaustive checks over small formats (``fixed:4.2`` has 64 values, ``int:8``
        256, ``float16`` 63,487); ``None`` leaves a side unbounded.

        Raises
        ------
        FormatError
            For ``exact``, which has infinitely many values.

        Examples
        --------
        >>> list(parse("fixed:2.1").values())
        [-2, Fraction(-3, 2), -1, Fraction(-1, 2), 0, Fraction(1, 2), 1, Fraction(3, 2)]
        >>> list(FLOAT16.values(65400, None)), list(FLOAT16.values(0, FLOAT16.min_positive))
        ([65408, 65440, 65472, 65504], [0, Fraction(1, 16777216)])
        >>> sum(1 for _ in FLOAT16.values())
        63487

        Notes
        -----
        Time proportional to the number of values yielded plus, for floats, the number of
        binades (``emax - emin``).
        """
        if self.kind is FormatKind.EXACT:
            raise FormatError("exact: has infinitely many values; values() needs a finite format")
        return rounding.grid_values(_SEGMENTS[self.kind](self), lo, hi)

    def round_array(self, a: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Round float64 values that are *exact* (the caller's guarantee) into the format.

        Agrees with :meth:`rnd` entry by entry, except that a float overflow gives ±inf instead of
        raising (test ``np.isfinite``), and zeros are always +0.0. ``exact`` and ``float64``
        return a copy. Casts: numpy for float16/float32, ml_dtypes for bfloat16 via float32
        rounded to odd (ml_dtypes ≤ 0.6 rounds float64 → bfloat16 twice); fixed and int use
        integer arithmetic on values scaled by ``2**P``.

        Raises
        ------
        FormatError
            ``fixed:I.P`` with ``I + P > 53`` or ``int:P`` with ``P > 53`` (their values are not all
            float64s), or a non-integer under ``int:P``.

        Examples
        --------
        >>> parse("fixed:4.2").round_array(np.array([0.375, 0.625, -0.125, 9.0]))
        array([0.5 , 0.5 , 0.  , 7.75])
        >>> BFLOAT16.round_array(np.array([1 + 2.0**-8 + 2.0**-30]))  # 1 + 2**-7, not 1
        array([1.0078125])
        """
        return _ARRAY_ROUNDERS[self.kind](self, a)

    # --- properties ------------------------------------------------------------------------
    @property
    def monotone(self) -> bool:
        """``x <= y`` implies ``rnd(x) <= rnd(y)``; false only for wrap-around ``int:P`` (§5)."""
        return self.kind is not FormatKind.INT

    @property
    def finite(self) -> bool:
        """Whether the format has finitely many values; false only for ``exact``."""
        return self.kind is not FormatKind.EXACT

    @property
    def is_float(self) -> bool:
        """Whether this is one of the IEEE float formats."""
        return self.kind in _FLOAT_KINDS

    @property
    def layout(self) -> rounding.FloatLayout | None:
        """Precision and exponent range of a float format; ``None`` otherwise."""
        return rounding.FLOAT_LAYOUTS.get(self.kind.value)

    @property
    def bits(self) -> int | None:
        """Storage width in bits (``I + P`` for fixed); ``None`` for ``exact``.

        Examples
        --------
        >>> parse("fixed:8").bits, BFLOAT16.bits, parse("int:4").bits, EXACT.bits is None
        (24, 16, 4, True)
        """
        if self.kind is FormatKind.EXACT:
            return None
        layout = self.layout
        return layout.bits if layout is not None else self.int_bits + self.frac_bits

    @property
    def max_value(self) -> Value | None:
        """Largest finite value; ``None`` for ``exact``.

        Examples
        --------
        >>> BFLOAT16.max_value == (2 - Fraction(1, 2**7)) * 2**127, FLOAT16.max_value
        (True, 65504)
        """
        if self.kind is FormatKind.EXACT:
            return None
        layout = self.layout
        if layout is not None:
            return layout.max_value
        return rounding.scaled((1 << (self.int_bits + self.frac_bits - 1)) - 1, -self.frac_bits)

    @property
    def min_value(self) -> Value | None:
        """Smallest (most negative) finite value; ``None`` for ``exact``."""
        if self.kind is FormatKind.EXACT:
            return None
        layout = self.layout
        if layout is not None:
            return -layout.max_value
        return rounding.scaled(-(1 << (self.int_bits + self.frac_bits - 1)), -self.frac_bits)

    @property
    def min_positive(self) -> Value | None:
        """Smallest positive value (a subnormal for floats); ``None`` for ``exact``.

        Examples
        --------
        >>> FLOAT16.min_positive, parse("fixed:4.2").min_positive, parse("int:8").min_positive
        (Fraction(1, 16777216), Fraction(1, 4), 1)
        """
        if self.kind is FormatKind.EXACT:
            return None
        layout = self.layout
        return layout.min_subnormal if layout is not None else rounding.scaled(1, -self.frac_bits)

    @property
    def fits_float64(self) -> bool:
        """Whether every value of the format is exactly a float64 (so :meth:`round_array` works).

        Examples
        --------
        >>> parse("fixed:16.16").fits_float64, parse("fixed:32.32").fits_float64, EXACT.fits_float64
        (True, False, False)
        """
        if self.kind is FormatKind.EXACT:
            return False
        return self.is_float or self.int_bits + self.frac_bits <= arrays.FLOAT64_EXACT_INT_BITS


# --- parsing ---------------------------------------------------------------------------------
_NUMBER = r"(0|[1-9][0-9]{0,8})"
_FIXED_RE = re.compile(rf"fixed:(?:{_NUMBER}\.)?{_NUMBER}", re.ASCII)
_INT_RE = re.compile(rf"int:{_NUMBER}", re.ASCII)


def parse(text: str | Format) -> Format:
    """Read a format name: ``exact``, ``fixed:I.P``, ``fixed:P``, ``float16``, ``bfloat16``,
    ``float32``, ``float64`` or ``int:P``. A :class:`Format` is returned unchanged.

    Raises
    ------
    FormatError
        Naming the text and listing the valid forms (:data:`VALID_FORMS`).

    Examples
    --------
    >>> parse("fixed:8"), parse("int:16"), parse("bfloat16")
    (parse('fixed:16.8'), parse('int:16'), parse('bfloat16'))
    >>> parse("fixed:0.4")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.FormatError: 'fixed:0.4' is not a valid format: I = 0 integer bits, but ...
    """
    if isinstance(text, Format):
        return text
    if not isinstance(text, str):
        raise FormatError(f"{text!r} is not a valid format: expected a string; {_forms()}")
    if text in _NAMED:
        return _NAMED[text]
    fixed = _FIXED_RE.fullmatch(text)
    if fixed:
        int_part = fixed.group(1)
        int_bits = DEFAULT_FIXED_INT_BITS if int_part is None else int(int_part)
        return _build(text, FormatKind.FIXED, int_bits, int(fixed.group(2)))
    integer = _INT_RE.fullmatch(text)
    if integer:
        return _build(text, FormatKind.INT, int(integer.group(1)), 0)
    raise FormatError(f"{text!r} is not a valid format: unknown name; {_forms()}")


def _forms() -> str:
    return f"valid forms: {VALID_FORMS}"


def _build(text: str, kind: FormatKind, int_bits: int, frac_bits: int) -> Format:
    try:
        return Format(kind, int_bits, frac_bits)
    except _BitsError as err:
        raise FormatError(f"{text!r} is not a valid format: {err.reason}; {_forms()}") from None


# --- validation (one named check per rule) ---------------------------------------------------
class _BitsError(FormatError):
    """A bit count is out of range; :func:`parse` re-words it with the user's text."""

    def __init__(self, fmt: Format, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{_raw_name(fmt)} is not a valid format: {reason}; {_forms()}")


def _raw_name(fmt: Format) -> str:
    """The name ``fmt`` would have, for messages about a ``Format(...)`` that failed its checks."""
    if fmt.kind is FormatKind.FIXED:
        return repr(f"fixed:{fmt.int_bits}.{fmt.frac_bits}")
    if fmt.kind is FormatKind.INT and fmt.frac_bits == 0:
        return repr(f"int:{fmt.int_bits}")
    return f"{fmt.kind.value!r} with int_bits={fmt.int_bits!r}, frac_bits={fmt.frac_bits!r}"


def _check_kind(fmt: Format) -> None:
    if not isinstance(fmt.kind, FormatKind):
        try:
            object.__setattr__(fmt, "kind", FormatKind(fmt.kind))
        except ValueError:
            raise FormatError(f"{fmt.kind!r} is not a format kind; {_forms()}") from None
    for name in ("int_bits", "frac_bits"):
        if type(getattr(fmt, name)) is not int:
            raise _BitsError(fmt, f"{name} must be an int")


def _check_fixed_bits(fmt: Format) -> None:
    if fmt.int_bits < 1:
        raise _BitsError(fmt, f"I = {fmt.int_bits} integer bits, but the sign needs at least 1")
    if fmt.int_bits > MAX_FIXED_INT_BITS:
        raise _BitsError(fmt, f"I = {fmt.int_bits} integer bits exceeds {MAX_FIXED_INT_BITS}")
    if fmt.frac_bits < 0:
        raise _BitsError(fmt, f"P = {fmt.frac_bits} fractional bits is negative")
    if fmt.frac_bits > MAX_FIXED_FRAC_BITS:
        raise _BitsError(fmt, f"P = {fmt.frac_bits} fractional bits exceeds {MAX_FIXED_FRAC_BITS}")


def _check_int_bits(fmt: Format) -> None:
    if not 1 <= fmt.int_bits <= MAX_INT_BITS:
        raise _BitsError(fmt, f"P = {fmt.int_bits} bits is outside 1..{MAX_INT_BITS}")
    if fmt.frac_bits != 0:
        raise _BitsError(fmt, "int:P has no fractional bits")


def _check_no_bits(fmt: Format) -> None:
    if fmt.int_bits or fmt.frac_bits:
        raise _BitsError(fmt, f"{fmt.kind.value} takes no bit counts")


_CHECKS: dict[FormatKind, Callable[[Format], None]] = {
    FormatKind.EXACT: _check_no_bits,
    FormatKind.FIXED: _check_fixed_bits,
    FormatKind.INT: _check_int_bits,
    **{kind: _check_no_bits for kind in _FLOAT_KINDS},
}


# --- dispatch tables: kind -> handler (STYLE R8) ---------------------------------------------
def _round_exact(fmt: Format, x: Value) -> Value:
    return rounding.normalise(x)


def _round_fixed(fmt: Format, x: Value) -> Value:
    return rounding.round_fixed(x, fmt.int_bits, fmt.frac_bits)


def _round_ieee(fmt: Format, x: Value) -> Value:
    result = rounding.round_float(x, rounding.FLOAT_LAYOUTS[fmt.kind.value])
    if result is None:
        raise NonFiniteValue(rounding.normalise(x), fmt)
    return result


def _round_int(fmt: Format, x: Value) -> Value:
    x = rounding.normalise(x)
    if type(x) is not int:
        raise FormatError(f"{fmt}: value {x} is not an integer; int:P holds integers only")
    return rounding.wrap_int(x, fmt.int_bits)


def _weight_int(fmt: Format, x: Value) -> Value:
    if rounding.normalise(x) != x or type(rounding.normalise(x)) is not int:
        raise FormatError(
            f"{fmt}: weight {x} is not an integer; int:P takes integer weights only "
            "(scale the construction, or use fixed:I.P)"
        )
    return _round_int(fmt, x)


def _weight_fixed(fmt: Format, x: Value) -> Value:
    """Round to the grid; a weight whose rounding leaves the range is an error, not a clamp."""
    x = rounding.normalise(x)
    k = x << fmt.frac_bits if type(x) is int else \
        rounding.round_half_even(x.numerator << fmt.frac_bits, x.denominator)
    top = 1 << (fmt.int_bits + fmt.frac_bits - 1)
    if not -top <= k < top:
        raise FormatError(
            f"{fmt}: weight {x} is outside the range [{fmt.min_value}, {fmt.max_value}]; use "
            "more integer bits (fixed:I.P) or rescale the construction"
        )
    return _round_fixed(fmt, x)


def _weight_ieee(fmt: Format, x: Value) -> Value:
    try:
        return _round_ieee(fmt, x)
    except NonFiniteValue:
        raise FormatError(
            f"{fmt}: weight {x} overflows to infinity (largest finite value {fmt.max_value})"
        ) from None


_ROUNDERS: dict[FormatKind, Callable[[Format, Value], Value]] = {
    FormatKind.EXACT: _round_exact,
    FormatKind.FIXED: _round_fixed,
    FormatKind.INT: _round_int,
    **{kind: _round_ieee for kind in _FLOAT_KINDS},
}

_WEIGHTS: dict[FormatKind, Callable[[Format, Value], Value]] = {
    FormatKind.INT: _weight_int,
    FormatKind.FIXED: _weight_fixed,
    **{kind: _weight_ieee for kind in _FLOAT_KINDS},
}


def _grid_segments(fmt: Format) -> list[tuple[int, int, int]]:
    top = 1 << (fmt.int_bits + fmt.frac_bits - 1)
    return [(-fmt.frac_bits, -top, top - 1)]


def _float_segments(fmt: Format) -> list[tuple[int, int, int]]:
    layout = rounding.FLOAT_LAYOUTS[fmt.kind.value]
    p = layout.precision
    # The lowest binade shares its ulp with the subnormals; each higher binade has its own.
    positive = [(layout.emin - p + 1, 1, (1 << p) - 1)] + [
        (e - p + 1, 1 << (p - 1), (1 << p) - 1) for e in range(layout.emin + 1, layout.emax + 1)
    ]
    negative = [(q, -kmax, -kmin) for q, kmin, kmax in reversed(positive)]
    return negative + [(0, 0, 0)] + positive


_SEGMENTS: dict[FormatKind, Callable[[Format], list[tuple[int, int, int]]]] = {
    FormatKind.FIXED: _grid_segments,
    FormatKind.INT: _grid_segments,
    **{kind: _float_segments for kind in _FLOAT_KINDS},
}


def _array_identity(fmt: Format, a: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(a, dtype=np.float64) + 0.0


def _array_float(fmt: Format, a: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return arrays.round_float_array(a, fmt.kind.value)


def _array_fixed(fmt: Format, a: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return arrays.round_fixed_array(a, fmt.int_bits, fmt.frac_bits)


def _array_int(fmt: Format, a: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return arrays.wrap_int_array(a, fmt.int_bits)


_ARRAY_ROUNDERS: dict[FormatKind, Callable[[Format, npt.ArrayLike], npt.NDArray[np.float64]]] = {
    FormatKind.EXACT: _array_identity,
    FormatKind.FIXED: _array_fixed,
    FormatKind.INT: _array_int,
    **{kind: _array_float for kind in _FLOAT_KINDS},
}


# --- the constant formats (built after the tables their checks use) -------------------------
EXACT = Format(FormatKind.EXACT)
FLOAT16 = Format(FormatKind.FLOAT16)
BFLOAT16 = Format(FormatKind.BFLOAT16)
FLOAT32 = Format(FormatKind.FLOAT32)
FLOAT64 = Format(FormatKind.FLOAT64)
_NAMED: dict[str, Format] = {str(fmt): fmt for fmt in (EXACT, FLOAT16, BFLOAT16, FLOAT32, FLOAT64)}
