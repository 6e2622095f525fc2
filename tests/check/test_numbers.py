"""The checker's rounding against numpy's and ml_dtypes' casts, and known values."""

from __future__ import annotations

from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.check.numbers import Overflow, arithmetic

finite64 = st.floats(allow_nan=False, allow_infinity=False, width=64)
finite32 = st.floats(allow_nan=False, allow_infinity=False, width=32)


def _cast(value: float, dtype: object) -> float:
    with np.errstate(over="ignore"):  # an overflow to inf is the answer we compare with
        return float(np.array([value], dtype=np.float64).astype(dtype)[0])


@given(finite64)
def test_float16_and_float32_match_numpys_single_rounding_casts(x):
    for name, dtype in (("float16", np.float16), ("float32", np.float32)):
        ref = _cast(x, dtype)
        rnd = arithmetic(name).rnd
        if np.isinf(ref):
            with pytest.raises(Overflow):
                rnd(Fraction(x))
        else:
            assert rnd(Fraction(x)) == Fraction(ref), (name, x)


@given(finite32)
def test_bfloat16_matches_ml_dtypes_from_float32(x):
    with np.errstate(over="ignore"):
        ref = float(np.array([x], dtype=np.float32).astype(ml_dtypes.bfloat16)[0])
    rnd = arithmetic("bfloat16").rnd
    if np.isinf(ref):
        with pytest.raises(Overflow):
            rnd(Fraction(x))
    else:
        assert rnd(Fraction(x)) == Fraction(ref)


@pytest.mark.parametrize("fmt,x,want", [
    ("float16", Fraction(1, 3), Fraction(1365, 4096)),
    ("float16", 65519, 65504),                       # largest finite, not yet overflow
    ("float16", Fraction(1, 2**25) + Fraction(1, 2**40), Fraction(1, 2**24)),  # subnormal
    ("bfloat16", 257, 256),                          # tie to even
    ("bfloat16", 259, 260),
    ("fixed:4.2", Fraction(3, 8), Fraction(1, 2)),  # tie to even (1/2, not 1/4)
    ("fixed:4.2", 100, Fraction(31, 4)),             # saturates
    ("fixed:4.2", -100, -8),
    ("fixed:8", Fraction(1, 3), Fraction(85, 256)),  # fixed:P is fixed:16.P
    ("int:8", 128, -128),                            # wraps
    ("int:8", -129, 127),
    ("exact", Fraction(2, 4), Fraction(1, 2)),
])
def test_known_roundings(fmt, x, want):
    assert arithmetic(fmt).rnd(x) == want


def test_float16_overflow_at_the_halfway_point():
    with pytest.raises(Overflow):
        arithmetic("float16").rnd(65520)


@given(st.fractions(min_value=-300, max_value=300, max_denominator=1000))
def test_fixed_rounding_is_the_nearest_grid_point(x):
    got = arithmetic("fixed:10.3").rnd(x)
    assert got * 8 == int(got * 8)
    assert abs(got - x) <= Fraction(1, 16)


def test_a_fixed_point_weight_outside_the_range_is_bad_input_not_a_clamp():
    from ssmproof.check.inputs import BadInput

    fmt = arithmetic("fixed:8.0")
    assert fmt.weight(Fraction(127), "m.json") == 127 and fmt.weight(Fraction(-128), "m") == -128
    with pytest.raises(BadInput, match="m.json: weight 300 rounds outside the range of fixed:8.0"):
        fmt.weight(Fraction(300), "m.json")
    assert fmt.rnd(300) == 127  # a value met in a run still saturates
