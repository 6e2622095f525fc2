"""The vectorised rounding path: float64 arrays holding exact values, rounded with numpy.

The batched simulator keeps values in float64 arrays *only while they are exact* (every entry is
exactly the mathematical value). Under that precondition the functions here return exactly
``Format.rnd`` of every entry, which ``tests/numerics`` checks against the integer reference;
where ``Format.rnd`` would raise ``NonFiniteValue`` (a float overflow) they give ±inf. Zeros
come back as +0.0, never -0.0, so that ``a.tobytes()`` can key configurations by value.

Which casts are single roundings (checked by ``tests/numerics/test_formats_arrays.py``):

- float64 → float32 (numpy, hardware conversion): correctly rounded.
- float64 → float16 (numpy ≥ 2 converts directly, not through float32): correctly rounded,
  subnormals and overflow included.
- float64 → bfloat16 (``ml_dtypes``): correctly rounded in some versions only. ml_dtypes ≤ 0.6
  narrows to float32 first, so e.g. ``1 + 2**-8 + 2**-30`` becomes ``1`` instead of ``1 + 2**-7``;
  0.7 rounds once. :func:`ml_dtypes_bfloat16_cast_rounds_once` detects which at run time, but we
  never depend on the answer: we narrow to float32 with *round-to-odd*
  (:func:`to_float32_round_to_odd`), after which the float32 → bfloat16 rounding is exact in every
  version (Boldo & Melquiond 2008: rounding to odd at ≥ p + 2 bits, then to nearest at p bits,
  equals one rounding to nearest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ssmproof.errors import FormatError
from ssmproof.numerics import rounding

__all__ = [
    "FloatArray",
    "exact_in_float64",
    "to_float64_array",
    "from_float64_array",
    "to_float32_round_to_odd",
    "ml_dtypes_bfloat16_cast_rounds_once",
    "round_float_array",
    "round_fixed_array",
    "wrap_int_array",
    "FLOAT64_EXACT_INT_BITS",
]

FloatArray = npt.NDArray[np.float64]
"""A float64 array whose entries the caller guarantees exact (or ±inf after an overflow)."""

FLOAT64_EXACT_INT_BITS = 53
"""Every integer of at most this many bits (magnitude ``<= 2**53``) is exactly a float64."""

_F64 = rounding.FLOAT_LAYOUTS["float64"]


def exact_in_float64(x: rounding.Value) -> bool:
    """Whether the exact value ``x`` is exactly a (finite) float64.

    Examples
    --------
    >>> exact_in_float64(Fraction(1, 3)), exact_in_float64(Fraction(3, 4)), exact_in_float64(2**60)
    (False, True, True)
    >>> exact_in_float64(2**53 + 1)
    False
    """
    return rounding.round_float(x, _F64) == x


def to_float64_array(values: Iterable[rounding.Value]) -> FloatArray:
    """Exact values → a float64 array, refusing any value that float64 cannot hold exactly.

    Raises
    ------
    FormatError
        Naming the first value that is not exactly a float64.

    Examples
    --------
    >>> to_float64_array([1, Fraction(-3, 8)])
    array([ 1.   , -0.375])
    >>> to_float64_array([Fraction(1, 10)])
    Traceback (most recent call last):
    ...
    ssmproof.errors.FormatError: value 1/10 is not exactly representable in float64
    """
    out = []
    for x in values:
        if not exact_in_float64(x):
            raise FormatError(f"value {x} is not exactly representable in float64")
        out.append(float(x))
    return np.array(out, dtype=np.float64)


def from_float64_array(a: npt.ArrayLike) -> list[rounding.Value]:
    """A float64 array → exact values in normal form (``int`` when integral); finite entries only.

    Examples
    --------
    >>> from_float64_array(np.array([0.5, -2.0]))
    [Fraction(1, 2), -2]
    """
    arr = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise FormatError("a non-finite float64 has no exact value")
    return [rounding.normalise(Fraction(float(v))) for v in arr.ravel()]


def to_float32_round_to_odd(a: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Narrow float64 to float32 rounding *to odd*: exact values kept, others get an odd last bit.

    The result is the float32 neighbour of ``a`` (towards zero or away from it) whose significand
    is odd; finite values beyond float32's range become ±float32 max. A later round-to-nearest
    to any format with at most 22 significand bits and float32's exponent range (bfloat16,
    float16) is then the correctly rounded result of the original float64.

    Examples
    --------
    >>> x = np.array([1 + 2.0**-8 + 2.0**-30, 1 + 2.0**-8, 1.0])
    >>> (to_float32_round_to_odd(x).astype(np.float64) - 1) * 2**23  # in units of float32's ulp
    array([32769., 32768.,     0.])
    >>> to_float32_round_to_odd(np.array([1e300, -1e-300]))  # float32 max, smallest subnormal
    array([ 3.4028235e+38, -1.4012985e-45], dtype=float32)

    References
    ----------
    S. Boldo and G. Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms
    using rounding to odd", IEEE Transactions on Computers 57(4), 2008, Theorem 1.
    """
    wide = np.asarray(a, dtype=np.float64)
    with np.errstate(over="ignore"):
        narrow = wide.astype(np.float32)
    bits = narrow.view(np.uint32).copy()
    inexact = narrow.astype(np.float64) != wide
    fix = inexact & ((bits & 1) == 0) & ~np.isnan(wide)
    away = np.abs(narrow.astype(np.float64)) > np.abs(wide)
    bits[fix & away] -= 1  # sign-magnitude: one step towards zero
    bits[fix & ~away] += 1  # one step away from zero
    return bits.view(np.float32)


def _cast_direct(dtype: type) -> Callable[[FloatArray], FloatArray]:
    def cast(a: FloatArray) -> FloatArray:
        with np.errstate(over="ignore"):
            return a.astype(dtype).astype(np.float64) + 0.0

    return cast


def ml_dtypes_bfloat16_cast_rounds_once() -> bool:
    """Whether the installed ml_dtypes casts float64 → bfloat16 with one rounding.

    The tests call it, so that a version change is a named fact, never a silent one; the
    rounding path above is correct either way.
    """
    import ml_dtypes  # 0.3 s or more to load: only when bfloat16 is used (CLI start-up)

    probe = np.array([1 + 2.0**-8 + 2.0**-30])  # the correct answer is 1 + 2**-7
    return bool(probe.astype(ml_dtypes.bfloat16).astype(np.float64)[0] == 1 + 2.0**-7)


def _cast_bfloat16(a: FloatArray) -> FloatArray:
    import ml_dtypes  # 0.3 s or more to load: only when bfloat16 is used (CLI start-up)

    with np.errstate(over="ignore"):
        narrow = to_float32_round_to_odd(a).astype(ml_dtypes.bfloat16)
    return narrow.astype(np.float64) + 0.0


_FLOAT_CASTS: dict[str, Callable[[FloatArray], FloatArray]] = {
    "float16": _cast_direct(np.float16),
    "bfloat16": _cast_bfloat16,
    "float32": _cast_direct(np.float32),
    "float64": lambda a: a + 0.0,
}


def round_float_array(a: npt.ArrayLike, name: str) -> FloatArray:
    """Round exact float64 values to the IEEE format ``name``, overflow giving ±inf.

    Examples
    --------
    >>> round_float_array([1 + 2.0**-8 + 2.0**-30, 65520.0], "bfloat16")
    array([1.0078125e+00, 6.5536000e+04])
    >>> round_float_array([65519.0, 65520.0], "float16")
    array([65504.,    inf])
    """
    return _FLOAT_CASTS[name](np.asarray(a, dtype=np.float64))


def round_fixed_array(a: npt.ArrayLike, int_bits: int, frac_bits: int) -> FloatArray:
    """Round exact float64 values to ``fixed:I.P`` (ties to even, saturating) in float64.

    Scaling by ``2**P`` is exact, ``np.rint`` rounds to the nearest integer with ties to even
    exactly, and the clipped integers fit float64 because ``I + P <= 53`` is required.

    Examples
    --------
    >>> round_fixed_array([0.375, 0.625, 100.0, -100.0], 4, 2)
    array([ 0.5 ,  0.5 ,  7.75, -8.  ])
    """
    _require_float64_width(int_bits + frac_bits, f"fixed:{int_bits}.{frac_bits}")
    top = float((1 << (int_bits + frac_bits - 1)) - 1)
    scale = float(1 << frac_bits)
    with np.errstate(over="ignore"):  # a huge input becomes ±inf, which clips to the range
        k = np.rint(np.asarray(a, dtype=np.float64) * scale)
    return np.clip(k, -top - 1.0, top) / scale + 0.0


def wrap_int_array(a: npt.ArrayLike, bits: int) -> FloatArray:
    """Wrap exact integer float64 values modulo ``2**bits`` into two's-complement range.

    Raises
    ------
    FormatError
        If an entry is not an integer (``int:P`` holds integers only).

    Examples
    --------
    >>> wrap_int_array([127.0, 128.0, 255.0, -129.0], 8)
    array([ 127., -128.,   -1.,  127.])
    """
    _require_float64_width(bits, f"int:{bits}")
    arr = np.asarray(a, dtype=np.float64)
    if not np.all(np.floor(arr) == arr):
        raise FormatError(f"int:{bits}: an entry is not an integer (int:P holds integers only)")
    half, modulus = float(1 << (bits - 1)), float(1 << bits)
    rem = np.fmod(arr, modulus)  # exact, |rem| < modulus <= 2**53
    rem = np.where(rem >= half, rem - modulus, rem)
    return np.where(rem < -half, rem + modulus, rem) + 0.0


def _require_float64_width(width: int, name: str) -> None:
    if width > FLOAT64_EXACT_INT_BITS:
        raise FormatError(
            f"{name}: {width} bits do not fit float64's {FLOAT64_EXACT_INT_BITS}-bit significand;"
            " use the exact (Format.rnd) path for this format"
        )
