"""Format.rnd, the exact reference rounding: oracles, properties and hand-computed boundaries."""

from __future__ import annotations

import math
from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ssmproof.errors import FormatError
from ssmproof.numerics import formats
from ssmproof.numerics.formats import NonFiniteValue
from tests.numerics.formats_oracles import (
    IEEE,
    float64_values,
    is_float_value,
    nearest_fixed,
    nearest_float,
    values_for,
    wrap,
)

F = Fraction
FLOATS = ["float16", "bfloat16", "float32", "float64"]
FIXED = ["fixed:4.2", "fixed:1.0", "fixed:3.0", "fixed:2.5", "fixed:16.8", "fixed:8.20"]
INTS = ["int:8", "int:3", "int:1", "int:33"]
MONOTONE = ["exact", *FIXED, *FLOATS]
ALL = [*MONOTONE, *INTS]


def extended(fmt: formats.Format, x: Fraction) -> Fraction | float:
    """rnd(x), with an overflow read as ±inf so that order comparisons still make sense."""
    try:
        return fmt.rnd(x)
    except NonFiniteValue:
        return math.inf if x > 0 else -math.inf


def assert_normal_form(r: object) -> None:
    assert type(r) is int or (type(r) is Fraction and r.denominator != 1), repr(r)


# --- agreement with independent oracles ----------------------------------------------------


@pytest.mark.parametrize("name", FLOATS)
@given(data=st.data())
def test_float_rounding_agrees_with_the_exact_neighbour_oracle(
    name: str, data: st.DataObject
) -> None:
    x = data.draw(values_for(name))
    expected = nearest_float(x, name)
    fmt = formats.parse(name)
    if expected is None:
        with pytest.raises(NonFiniteValue):
            fmt.rnd(x)
    else:
        assert fmt.rnd(x) == expected


NUMPY_DTYPES = {"float16": np.float16, "float32": np.float32, "float64": np.float64}


@pytest.mark.parametrize("name", ["float16", "float32"])
@given(v=float64_values())
def test_float_rounding_agrees_with_numpy_on_float64_inputs(name: str, v: float) -> None:
    with np.errstate(over="ignore"):
        cast = float(np.float64(v).astype(NUMPY_DTYPES[name]))
    got = extended(formats.parse(name), Fraction(v))
    assert got == (cast if math.isinf(cast) else Fraction(cast))


@given(v=st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_bfloat16_rounding_agrees_with_ml_dtypes_on_float32_inputs(v: float) -> None:
    # ml_dtypes rounds float32 -> bfloat16 once; from float64 it does not (see test_formats_arrays).
    with np.errstate(over="ignore"):
        cast = float(np.float32(v).astype(ml_dtypes.bfloat16))
    got = extended(formats.BFLOAT16, Fraction(v))
    assert got == (cast if math.isinf(cast) else Fraction(cast))


@pytest.mark.parametrize("name", FIXED)
@given(data=st.data())
def test_fixed_rounding_agrees_with_brute_force_nearest_neighbour(
    name: str, data: st.DataObject
) -> None:
    x = data.draw(values_for(name))
    fmt = formats.parse(name)
    assert fmt.rnd(x) == nearest_fixed(x, fmt.int_bits, fmt.frac_bits)


def test_fixed_4_2_agrees_with_brute_force_on_every_multiple_of_one_sixty_fourth() -> None:
    fmt = formats.parse("fixed:4.2")
    for k in range(-12 * 64, 12 * 64 + 1):
        x = F(k, 64)
        assert fmt.rnd(x) == nearest_fixed(x, 4, 2), x


@pytest.mark.parametrize("name", INTS)
@given(data=st.data())
def test_int_rounding_is_wrap_around(name: str, data: st.DataObject) -> None:
    fmt = formats.parse(name)
    x = data.draw(st.integers(-(2 ** (fmt.int_bits + 3)), 2 ** (fmt.int_bits + 3)))
    assert fmt.rnd(x) == fmt.rnd(Fraction(x)) == wrap(x, fmt.int_bits)


# --- algebraic properties --------------------------------------------------------------------


@pytest.mark.parametrize("name", MONOTONE)
@given(data=st.data())
def test_rounding_is_monotone_except_for_int(name: str, data: st.DataObject) -> None:
    x, y = sorted([data.draw(values_for(name)), data.draw(values_for(name))])
    fmt = formats.parse(name)
    assert fmt.monotone
    assert extended(fmt, x) <= extended(fmt, y)


@pytest.mark.parametrize("name", MONOTONE)
@given(data=st.data())
def test_rounding_is_monotone_across_a_nudge(name: str, data: st.DataObject) -> None:
    x = data.draw(values_for(name))
    eps = data.draw(st.integers(1, 200).map(lambda j: Fraction(1, 2**j)))
    fmt = formats.parse(name)
    assert extended(fmt, x) <= extended(fmt, x + eps * max(abs(x), 1))


def test_int_rounding_is_not_monotone() -> None:
    fmt = formats.parse("int:8")
    assert not fmt.monotone
    assert fmt.rnd(127) > fmt.rnd(128)


@pytest.mark.parametrize("name", ALL)
@given(data=st.data())
def test_rounding_is_idempotent_and_gives_representable_values_in_normal_form(
    name: str, data: st.DataObject
) -> None:
    fmt = formats.parse(name)
    x = data.draw(values_for(name))
    try:
        r = fmt.rnd(x)
    except NonFiniteValue:
        assume(False)
        return
    assert_normal_form(r)
    assert fmt.rnd(r) == r and fmt.representable(r)
    if fmt.finite:
        assert fmt.min_value <= r <= fmt.max_value
    if name in IEEE:
        assert is_float_value(Fraction(r), name)
    elif name != "exact":
        assert (r * 2**fmt.frac_bits).denominator == 1


@pytest.mark.parametrize("name", MONOTONE)
@given(data=st.data())
def test_rounding_is_odd_symmetric(name: str, data: st.DataObject) -> None:
    fmt = formats.parse(name)
    x = data.draw(values_for(name))
    if name.startswith("fixed:"):  # fixed's range is lopsided: keep x within [-max, max]
        x = max(min(x, fmt.max_value), -fmt.max_value)
    assert extended(fmt, -x) == -extended(fmt, x)


def windows(fmt: formats.Format) -> list[tuple[Fraction | None, Fraction | None]]:
    """Value windows small enough to enumerate: all of a small format, else a few neighbourhoods."""
    if not fmt.is_float and fmt.bits is not None and fmt.bits <= 16:
        return [(None, None)]
    tiny = Fraction(fmt.min_positive)
    if not fmt.is_float:
        return [(-16 * tiny, 16 * tiny), (1 - 16 * tiny, 1 + 16 * tiny), (None, fmt.min_value)]
    p, emin, _ = IEEE[str(fmt)]
    normal, near_one = Fraction(2) ** emin, 16 * Fraction(1, 2**p)
    return [
        (-16 * tiny, 16 * tiny),  # zero and the smallest subnormals
        (normal - 16 * tiny, normal + 32 * tiny),  # subnormals meet normals
        (1 - near_one, 1 + 2 * near_one),  # a binade boundary
        (fmt.max_value * (1 - near_one), None),  # the top of the range
    ]


@pytest.mark.parametrize("name", [n for n in ALL if n != "exact"])
def test_enumerated_values_are_increasing_fixed_points_without_gaps(name: str) -> None:
    fmt = formats.parse(name)
    for lo, hi in windows(fmt):
        seen = list(fmt.values(lo, hi))
        assert len(seen) >= 2 or lo is None
        assert all(a < b for a, b in zip(seen, seen[1:]))
        assert all(fmt.rnd(v) == v for v in seen)
        for a, b in zip(seen, seen[1:]):  # no format value strictly between neighbours
            mid, eps = (Fraction(a) + b) / 2, Fraction(b - a) / 1024
            if name in IEEE:
                assert (nearest_float(mid - eps, name), nearest_float(mid + eps, name)) == (a, b)
            elif fmt.monotone:
                assert (fmt.rnd(mid - eps), fmt.rnd(mid + eps)) == (a, b)
            else:
                assert b - a == 1
    assert next(iter(fmt.values())) == fmt.min_value
    assert list(fmt.values(fmt.max_value, None)) == [fmt.max_value]


def test_exact_is_the_identity_in_normal_form() -> None:
    assert formats.EXACT.rnd(F(1, 3)) == F(1, 3)
    r = formats.EXACT.rnd(F(10, 5))
    assert r == 2 and type(r) is int


@pytest.mark.parametrize("value", [0.5, 1e-3, "1/2", np.float64(1.0), None])
def test_rnd_refuses_anything_but_int_and_fraction(value: object) -> None:
    for fmt in (formats.EXACT, formats.FLOAT16, formats.parse("fixed:4.2"), formats.parse("int:8")):
        with pytest.raises(TypeError):
            fmt.rnd(value)  # type: ignore[arg-type]


# --- hand-computed boundaries -------------------------------------------------------------

FLOAT16_CASES = [
    (65504, 65504),  # the largest finite float16, (2 - 2**-10) * 2**15
    (65519, 65504),
    (F("65519.99"), 65504),
    (F(65520) - F(1, 2**60), 65504),
    (-65519, -65504),
    (65472 + 16, 65472),  # a tie between 65472 and 65504: 65504 = 2047 * 32 is odd, 65472 even
    (2049, 2048),  # above 2048 the spacing is 2: a tie, to the even significand
    (2051, 2052),
    (F(1, 2**24), F(1, 2**24)),  # the smallest subnormal
    (F(1, 2**25), 0),  # half of it: a tie, to 0
    (-F(1, 2**25), 0),
    (F(1, 2**25) + F(1, 2**80), F(1, 2**24)),
    (F(3, 2**25), F(2, 2**24)),  # 1.5 subnormal ulps: tie between 1 and 2 ulps, to 2
    (F(5, 2**25), F(2, 2**24)),  # 2.5 ulps: tie, to 2
    (F(1, 2**14) - F(1, 2**25), F(1, 2**14)),  # largest subnormal + half ulp ties up to 2**-14
    (1 + F(1, 2**11), 1),  # tie at 1: to even
    (1 + F(1, 2**11) + F(1, 2**40), 1 + F(1, 2**10)),
    (1 + F(3, 2**11), 1 + F(2, 2**10)),
    (F(1, 3), F(1365, 4096)),
]


@pytest.mark.parametrize(("x", "expected"), FLOAT16_CASES)
def test_float16_boundaries_and_ties(x: Fraction, expected: Fraction) -> None:
    r = formats.FLOAT16.rnd(F(x))
    assert r == expected
    assert_normal_form(r)


@pytest.mark.parametrize(
    ("name", "x"),
    [
        ("float16", 65520),  # max + half ulp: the tie goes to the even neighbour, 2**16 = inf
        ("float16", -65520),
        ("float16", 10**6),
        ("bfloat16", (2 - F(1, 2**8)) * 2**127),
        ("bfloat16", 2**128),
        ("float32", (2 - F(1, 2**24)) * 2**127),
        ("float64", (2 - F(1, 2**53)) * 2**1023),
        ("float64", -(2**1024)),
    ],
)
def test_values_at_or_beyond_max_plus_half_ulp_overflow(name: str, x: Fraction) -> None:
    fmt = formats.parse(name)
    with pytest.raises(NonFiniteValue) as info:
        fmt.rnd(x)
    assert info.value.value == x and info.value.format == fmt
    assert ("-inf" if x < 0 else "+inf") in str(info.value)


@pytest.mark.parametrize(
    ("name", "x"),
    [
        ("float16", F(65520) - F(1, 2**70)),
        ("bfloat16", (2 - F(1, 2**8)) * 2**127 - 1),
        ("float32", (2 - F(1, 2**24)) * 2**127 - 1),
        ("float64", (2 - F(1, 2**53)) * 2**1023 - 1),
    ],
)
def test_values_just_below_max_plus_half_ulp_round_to_max(name: str, x: Fraction) -> None:
    fmt = formats.parse(name)
    assert fmt.rnd(x) == fmt.max_value
    assert fmt.rnd(-x) == fmt.min_value


def test_bfloat16_float32_and_float64_hand_values() -> None:
    assert formats.BFLOAT16.max_value == (2 - F(1, 2**7)) * 2**127
    assert formats.BFLOAT16.rnd(257) == 256  # 8 significand bits: spacing 2 above 256, tie to even
    assert formats.BFLOAT16.rnd(259) == 260
    assert formats.BFLOAT16.rnd(F(1, 2**134)) == 0  # half the smallest subnormal 2**-133
    assert formats.BFLOAT16.rnd(F(3, 2**134)) == F(1, 2**132)
    assert formats.FLOAT32.rnd(2**24 + 1) == 2**24
    assert formats.FLOAT32.rnd(2**24 + 3) == 2**24 + 4
    assert formats.FLOAT64.rnd(2**53 + 1) == 2**53
    assert formats.FLOAT64.rnd(F(1, 10)) == F(0.1)
    assert formats.FLOAT64.rnd(F(1, 2**1075)) == 0
    assert formats.FLOAT64.rnd(F(3, 2**1076)) == F(1, 2**1074)


FIXED_4_2_CASES = [
    (F(1, 8), 0),  # 0.5 quarters: tie, to the even multiple 0
    (F(3, 8), F(1, 2)),  # 1.5 quarters: to 2 quarters
    (F(5, 8), F(1, 2)),  # 2.5 quarters: to 2 quarters
    (F(7, 8), 1),
    (-F(1, 8), 0),
    (-F(3, 8), -F(1, 2)),
    (F(1, 3), F(1, 4)),
    (F(31, 4), F(31, 4)),  # the maximum 2**3 - 2**-2
    (F(63, 8), F(31, 4)),  # 31.5 quarters would tie up to 32 quarters = 8: saturates to max
    (8, F(31, 4)),
    (1000, F(31, 4)),
    (-8, -8),  # the minimum -2**3
    (-F(65, 8), -8),
    (-1000, -8),
]


@pytest.mark.parametrize(("x", "expected"), FIXED_4_2_CASES)
def test_fixed_4_2_hand_computed_roundings(x: Fraction, expected: Fraction) -> None:
    r = formats.parse("fixed:4.2").rnd(F(x))
    assert r == expected
    assert_normal_form(r)


def test_fixed_4_2_range_and_saturation_boundaries() -> None:
    fmt = formats.parse("fixed:4.2")
    assert (fmt.min_value, fmt.max_value) == (-8, F(31, 4))
    assert list(fmt.values()) == [F(k, 4) for k in range(-32, 32)]
    assert not fmt.saturates(F(31, 4)) and fmt.saturates(F(31, 4) + F(1, 1000))
    assert not fmt.saturates(-8) and fmt.saturates(-8 - F(1, 1000))
    assert list(fmt.values(F(-1, 3), F(1, 2))) == [F(-1, 4), 0, F(1, 4), F(1, 2)]


def test_fixed_with_no_fraction_bits_rounds_to_integers() -> None:
    fmt = formats.parse("fixed:3.0")
    assert [fmt.rnd(F(k, 2)) for k in range(-11, 10)] == [
        -4, -4, -4, -4, -4, -3, -2, -2, -2, -1, 0, 0, 0, 1, 2, 2, 2, 3, 3, 3, 3
    ]  # fmt: skip


def test_int_8_wraps_as_twos_complement() -> None:
    fmt = formats.parse("int:8")
    assert fmt.rnd(127 + 1) == -128
    assert fmt.rnd(255) == -1
    assert fmt.rnd(256) == 0
    assert fmt.rnd(-129) == 127
    assert fmt.rnd(F(6, 3)) == 2 and type(fmt.rnd(F(6, 3))) is int
    assert fmt.saturates(128) and not fmt.saturates(-128)
    assert list(fmt.values()) == list(range(-128, 128))


def test_int_rounding_refuses_a_fraction() -> None:
    with pytest.raises(FormatError, match="int:8: value 1/2 is not an integer"):
        formats.parse("int:8").rnd(F(1, 2))


def test_representable_matches_the_grid() -> None:
    fixed = formats.parse("fixed:4.2")
    assert fixed.representable(F(3, 4)) and not fixed.representable(F(1, 8))
    assert not fixed.representable(8)
    assert formats.FLOAT16.representable(65504) and not formats.FLOAT16.representable(65505)
    assert not formats.FLOAT16.representable(10**9)  # overflow is not representable
    assert formats.EXACT.representable(F(1, 3))
    assert not formats.parse("int:8").representable(F(1, 2))


def test_float16_has_63487_distinct_finite_values() -> None:
    seen = list(formats.FLOAT16.values())
    # 2**16 bit patterns minus 2 * 1024 infinities and NaNs, with +0 and -0 counted once
    assert len(seen) == 2**16 - 2048 - 1
    assert seen[0] == -65504 and seen[-1] == 65504 and seen[len(seen) // 2] == 0
    assert all(a < b for a, b in zip(seen, seen[1:]))
    finite = np.arange(2**16, dtype=np.uint16).view(np.float16)
    finite = np.unique(finite[np.isfinite(finite)].astype(np.float64))
    assert [Fraction(float(v)) for v in finite] == seen


def test_exact_has_no_enumeration() -> None:
    with pytest.raises(FormatError):
        formats.EXACT.values()


# --- weights ---------------------------------------------------------------------------------


def test_int_weights_wrap_and_fractional_weights_are_format_errors() -> None:
    fmt = formats.parse("int:8")
    assert fmt.weight(-1) == -1  # -1 mod 256 = 255, read as two's complement
    assert fmt.weight(300) == 44
    assert fmt.weight(F(-256, 2)) == -128
    with pytest.raises(FormatError) as info:
        fmt.weight(F(1, 3))
    assert "int:8" in str(info.value) and "1/3" in str(info.value)


def test_float_weight_overflow_is_a_format_error_not_a_finding() -> None:
    assert formats.FLOAT16.weight(65519) == 65504
    with pytest.raises(FormatError, match="float16: weight 70000 overflows"):
        formats.FLOAT16.weight(70000)


def test_fixed_and_exact_weights_round_like_values() -> None:
    fmt = formats.parse("fixed:4.2")
    assert fmt.weight(F(3, 8)) == F(1, 2) and fmt.weight(F(31, 4)) == F(31, 4)
    assert fmt.weight(F(63, 8) - F(1, 100)) == F(31, 4)  # below max + half a step: rounds to max
    assert fmt.weight(-8) == -8 and fmt.weight(F(-65, 8)) == -8  # a tie, to the even -32/4
    assert formats.EXACT.weight(F(2, 6)) == F(1, 3)


@pytest.mark.parametrize("name,weight", [("fixed:8.0", 300), ("fixed:8.0", F(255, 2) + 1),
                                         ("fixed:8.0", -129), ("fixed:4.2", F(63, 8)),
                                         ("fixed:4.2", 100), ("fixed:4.2", F(-67, 8))])
def test_fixed_weights_beyond_the_range_are_format_errors_not_silent_clamps(name, weight):
    # issue 11: 300 under fixed:8.0 became 127 with no finding; values saturate, weights don't
    with pytest.raises(FormatError, match=rf"{name}: weight {weight} is outside the range"):
        formats.parse(name).weight(weight)
