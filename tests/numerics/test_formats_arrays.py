"""The float64/numpy path: which casts are single roundings, and round_array == rnd entrywise."""

from __future__ import annotations

import math
from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.errors import FormatError
from ssmproof.numerics import arrays, formats
from ssmproof.numerics.formats import NonFiniteValue
from tests.numerics.formats_oracles import float64_values, nearest_float

F = Fraction
ARRAY_FORMATS = [
    "exact",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "fixed:4.2",
    "fixed:16.8",
    "fixed:1.0",
    "fixed:30.23",
    "int:8",
    "int:53",
]

# float64 values whose correct rounding differs from a rounding through float32 first: each sits
# just above a midpoint of the narrow format by much less than a float32 ulp.
DOUBLE_ROUNDING_PROBES = {
    "bfloat16": [
        (1 + 2.0**-8 + 2.0**-30, 1 + 2.0**-7),
        (-(1 + 2.0**-8 + 2.0**-30), -(1 + 2.0**-7)),
        (2.0**-134 + 2.0**-170, 2.0**-133),  # half the smallest subnormal, plus a little
        (256 + 1 + 2.0**-40, 258.0),
    ],
    "float16": [
        (1 + 2.0**-11 + 2.0**-30, 1 + 2.0**-10),
        (2.0**-25 + 2.0**-60, 2.0**-24),  # half the smallest subnormal, plus a little
        (2048 + 1 + 2.0**-30, 2050.0),
        (65520 - 2.0**-30, 65504.0),  # just below the overflow threshold
    ],
}


def reference(fmt: formats.Format, v: float) -> float:
    """rnd of the exact value of v, as a float64 (±inf for an overflow)."""
    try:
        return float(fmt.rnd(Fraction(v)))
    except NonFiniteValue:
        return math.inf if v > 0 else -math.inf


# --- what the casts do -----------------------------------------------------------------------


def test_ml_dtypes_cast_behaviour_is_detected_and_round_array_is_correct_either_way() -> None:
    # ml_dtypes <= 0.6 rounds float64 -> bfloat16 twice (through float32), 0.7 once. We detect
    # which, and test *our* rounding against the integer reference whatever the library does.
    x = np.array([v for v, _ in DOUBLE_ROUNDING_PROBES["bfloat16"]])
    expected = [r for _, r in DOUBLE_ROUNDING_PROBES["bfloat16"]]
    direct = x.astype(ml_dtypes.bfloat16).astype(np.float64)
    assert arrays.ml_dtypes_bfloat16_cast_rounds_once() == (direct[0] == 1 + 2.0**-7)
    assert direct[0] in (1.0, 1 + 2.0**-7)  # the probe discriminates the two behaviours
    fmt = formats.parse("bfloat16")
    assert fmt.round_array(x).tolist() == expected
    assert [reference(fmt, v) for v in x] == expected


@pytest.mark.parametrize("name", ["bfloat16", "float16"])
def test_round_array_is_correct_on_double_rounding_probes(name: str) -> None:
    x = np.array([v for v, _ in DOUBLE_ROUNDING_PROBES[name]])
    expected = [r for _, r in DOUBLE_ROUNDING_PROBES[name]]
    fmt = formats.parse(name)
    assert formats.parse(name).round_array(x).tolist() == expected
    assert [reference(fmt, v) for v in x] == expected


def test_numpy_float64_to_float16_cast_is_a_single_rounding() -> None:
    x = np.array([v for v, _ in DOUBLE_ROUNDING_PROBES["float16"]])
    expected = [r for _, r in DOUBLE_ROUNDING_PROBES["float16"]]
    assert x.astype(np.float16).astype(np.float64).tolist() == expected
    # ... whereas going through float32 would round twice: the probes do discriminate.
    with np.errstate(over="ignore"):
        via32 = x.astype(np.float32).astype(np.float16).astype(np.float64)
    assert via32[0] == 1.0 and via32[1] == 0.0


@pytest.mark.parametrize("name", ["float16", "float32"])
@given(v=float64_values())
def test_numpy_cast_from_float64_agrees_with_exact_rounding(name: str, v: float) -> None:
    with np.errstate(over="ignore"):
        cast = float(np.float64(v).astype(np.float16 if name == "float16" else np.float32))
    expected = nearest_float(Fraction(v), name)
    assert cast == (math.copysign(math.inf, v) if expected is None else float(expected))


@given(bits=st.integers(0, 2**32 - 1))
def test_ml_dtypes_float32_to_bfloat16_cast_agrees_with_exact_rounding(bits: int) -> None:
    v = np.array([bits], dtype=np.uint32).view(np.float32)
    if not np.isfinite(v[0]):
        return
    with np.errstate(over="ignore"):
        cast = float(v.astype(ml_dtypes.bfloat16)[0])
    expected = nearest_float(Fraction(float(v[0])), "bfloat16")
    assert cast == (math.copysign(math.inf, float(v[0])) if expected is None else float(expected))


def test_ml_dtypes_float32_to_bfloat16_on_a_dense_sample_of_bit_patterns() -> None:
    # Every 4099th float32 bit pattern (about a million), vectorised, against exact rounding
    # computed in integer arithmetic on the bit fields (ties to even on the low 16 bits).
    bits = np.arange(0, 2**32, 4099, dtype=np.uint64).astype(np.uint32)
    v = bits.view(np.float32)
    finite = np.isfinite(v)
    bits, v = bits[finite], v[finite]
    low, high = bits & 0xFFFF, bits >> 16
    up = (low > 0x8000) | ((low == 0x8000) & ((high & 1) == 1))
    expected = ((high + up.astype(np.uint32)) << 16).astype(np.uint32).view(np.float32)
    with np.errstate(over="ignore"):
        cast = v.astype(ml_dtypes.bfloat16).astype(np.float32)
    assert np.array_equal(cast, expected)


# --- round_array agrees with rnd -------------------------------------------------------------


def representable_inputs(name: str) -> st.SearchStrategy[list[float]]:
    if name.startswith("int:"):
        bits = int(name[4:])
        ints = st.integers(-(2 ** min(bits + 2, 53)), 2 ** min(bits + 2, 53))
        return st.lists(ints.map(float), min_size=1, max_size=40)
    return st.lists(float64_values(), min_size=1, max_size=40)


@pytest.mark.parametrize("name", ARRAY_FORMATS)
@given(data=st.data())
def test_round_array_agrees_with_rnd_entrywise(name: str, data: st.DataObject) -> None:
    fmt = formats.parse(name)
    values = data.draw(representable_inputs(name))
    got = fmt.round_array(np.array(values, dtype=np.float64))
    assert got.dtype == np.float64 and got.shape == (len(values),)
    assert got.tolist() == [reference(fmt, v) for v in values]
    assert not np.any(np.signbit(got) & (got == 0))  # zeros are +0.0


@pytest.mark.parametrize("name", ["fixed:4.2", "fixed:3.0", "int:8", "int:3"])
def test_round_array_agrees_with_rnd_on_every_value_of_a_grid(name: str) -> None:
    fmt = formats.parse(name)
    step = Fraction(1, 16) if name.startswith("fixed") else Fraction(1)
    grid = [k * step for k in range(-300, 301)]
    got = fmt.round_array(np.array([float(x) for x in grid]))
    assert got.tolist() == [float(fmt.rnd(x)) for x in grid]


def test_round_array_keeps_the_shape_and_rounds_float16_overflow_to_inf() -> None:
    a = np.array([[65519.0, 65520.0], [-65520.0, 2.0**-25]])
    got = formats.FLOAT16.round_array(a)
    assert got.shape == (2, 2)
    assert got.tolist() == [[65504.0, math.inf], [-math.inf, 0.0]]


def test_round_array_refuses_formats_wider_than_float64() -> None:
    with pytest.raises(FormatError, match="fixed:30.24"):
        formats.parse("fixed:30.24").round_array(np.array([1.0]))
    with pytest.raises(FormatError, match="int:54"):
        formats.parse("int:54").round_array(np.array([1.0]))


def test_int_round_array_refuses_a_fraction() -> None:
    with pytest.raises(FormatError, match="int:8"):
        formats.parse("int:8").round_array(np.array([0.5]))


def test_int_round_array_wraps_at_the_float64_limit() -> None:
    fmt = formats.parse("int:53")
    a = np.array([2.0**52, -(2.0**52) - 1, 2.0**53, -(2.0**53)])
    assert fmt.round_array(a).tolist() == [-(2.0**52), 2.0**52 - 1, 0.0, 0.0]


# --- exact <-> float64 helpers ---------------------------------------------------------------


@given(v=st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float64_is_exact_in_float64_and_round_trips(v: float) -> None:
    x = Fraction(v)
    assert arrays.exact_in_float64(x)
    assert arrays.from_float64_array(arrays.to_float64_array([x])) == [formats.EXACT.rnd(x)]


def test_exact_in_float64_rejects_values_float64_cannot_hold() -> None:
    assert not arrays.exact_in_float64(F(1, 3))
    assert not arrays.exact_in_float64(2**53 + 1)
    assert not arrays.exact_in_float64(2**1024)
    assert not arrays.exact_in_float64(F(1, 2**1075))
    assert arrays.exact_in_float64(F(1, 2**1074))
    with pytest.raises(FormatError, match="1/3"):
        arrays.to_float64_array([1, F(1, 3)])


def test_from_float64_array_gives_normal_form_and_refuses_infinities() -> None:
    assert arrays.from_float64_array(np.array([2.0, 0.25])) == [2, F(1, 4)]
    assert type(arrays.from_float64_array(np.array([2.0]))[0]) is int
    with pytest.raises(FormatError):
        arrays.from_float64_array(np.array([math.inf]))


@given(v=float64_values())
def test_round_to_odd_brackets_the_value_with_an_odd_last_bit(v: float) -> None:
    r = arrays.to_float32_round_to_odd(np.array([v]))[0]
    if float(r) == v:
        return
    bits = int(np.array([r]).view(np.uint32)[0])
    assert bits & 1 == 1
    with np.errstate(over="ignore"):
        lower = np.nextafter(r, np.float32(-np.inf))
        upper = np.nextafter(r, np.float32(np.inf))
    assert float(lower) < v < float(upper)  # r is one of the two float32s around v
