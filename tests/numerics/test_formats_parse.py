"""Format names: parsing, canonical printing, validation of bit counts, basic properties."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ssmproof.errors import FormatError, SsmproofError
from ssmproof.numerics import formats
from ssmproof.numerics.formats import Format, FormatKind

CANONICAL = [
    "exact",
    "fixed:4.2",
    "fixed:16.8",
    "fixed:1.0",
    "fixed:64.64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "int:1",
    "int:8",
    "int:64",
]


@pytest.mark.parametrize("name", CANONICAL)
def test_canonical_names_round_trip_through_parse_and_str(name: str) -> None:
    fmt = formats.parse(name)
    assert str(fmt) == name
    assert formats.parse(str(fmt)) == fmt
    assert eval(repr(fmt), {"parse": formats.parse}) == fmt  # repr is the parse call


def test_fixed_with_one_number_means_sixteen_integer_bits() -> None:
    assert formats.parse("fixed:8") == formats.parse("fixed:16.8") == Format.fixed(16, 8)
    assert str(formats.parse("fixed:0")) == "fixed:16.0"


def test_parse_fields_and_kinds() -> None:
    fmt = formats.parse("fixed:5.3")
    assert (fmt.kind, fmt.int_bits, fmt.frac_bits) == (FormatKind.FIXED, 5, 3)
    assert formats.parse("int:12") == Format.integer(12) == Format(FormatKind.INT, 12)
    assert formats.parse("bfloat16") is formats.BFLOAT16
    assert formats.parse(formats.FLOAT32) is formats.FLOAT32  # a Format passes through
    assert FormatKind("float16") is FormatKind.FLOAT16 and FormatKind.FIXED.value == "fixed"


def test_formats_hash_and_compare_by_value() -> None:
    assert len({formats.parse("fixed:8"), formats.parse("fixed:16.8"), Format.fixed(16, 8)}) == 1
    assert formats.parse("int:8") != formats.parse("fixed:8.0")  # same values, other rounding


BAD_NAMES = [
    "",
    "fixed",
    "fixed:",
    "fixed:4.",
    "fixed:.4",
    "fixed:4.2.1",
    "fixed:-1.2",
    "fixed:4.-2",
    "fixed:04.2",
    "fixed:4.02",
    "fixed:1_0.2",
    "fixed:\u0663.2",  # ARABIC-INDIC DIGIT THREE: int() would accept it
    "fixed:4,2",
    "FIXED:4.2",
    "int",
    "int:",
    "int:8.2",
    "int:+8",
    "int:08",
    "float8",
    "float",
    "Float16",
    " float16",
    "float16 ",
    "exact:1",
    "ints:8",
    "fixed:1234567890.2",
]


@pytest.mark.parametrize("text", BAD_NAMES)
def test_malformed_names_raise_format_error_naming_text_and_valid_forms(text: str) -> None:
    with pytest.raises(FormatError) as info:
        formats.parse(text)
    message = str(info.value)
    assert repr(text) in message
    assert formats.VALID_FORMS in message
    assert "\n" not in message


OUT_OF_RANGE = [
    ("fixed:0.4", "I = 0"),
    ("fixed:65.0", "I = 65"),
    ("fixed:4.65", "P = 65"),
    ("fixed:65", "P = 65"),
    ("int:0", "P = 0"),
    ("int:65", "P = 65"),
]


@pytest.mark.parametrize(("text", "reason"), OUT_OF_RANGE)
def test_bit_counts_out_of_range_raise_format_error_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(FormatError) as info:
        formats.parse(text)
    assert repr(text) in str(info.value) and reason in str(info.value)
    assert formats.VALID_FORMS in str(info.value)


def test_the_stated_maxima_are_accepted() -> None:
    assert formats.parse("fixed:64.64").bits == 128
    assert formats.parse("int:64").bits == 64
    assert formats.MAX_FIXED_INT_BITS == formats.MAX_FIXED_FRAC_BITS == formats.MAX_INT_BITS == 64


@pytest.mark.parametrize("value", [None, 16, 1.5, b"float16"])
def test_a_non_string_is_a_format_error(value: object) -> None:
    with pytest.raises(FormatError):
        formats.parse(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "int_bits", "frac_bits"),
    [
        (FormatKind.FIXED, 0, 4),
        (FormatKind.FIXED, 4, -1),
        (FormatKind.FIXED, True, 2),
        (FormatKind.INT, 8, 2),
        (FormatKind.INT, 0, 0),
        (FormatKind.FLOAT16, 5, 0),
        (FormatKind.EXACT, 0, 3),
        ("decimal32", 0, 0),
    ],
)
def test_direct_construction_is_validated(
    kind: object, int_bits: object, frac_bits: object
) -> None:
    with pytest.raises(FormatError):
        Format(kind, int_bits, frac_bits)  # type: ignore[arg-type]


def test_direct_construction_accepts_the_kind_word() -> None:
    fmt = Format("fixed", 4, 2)  # type: ignore[arg-type]
    assert fmt.kind is FormatKind.FIXED and fmt == formats.parse("fixed:4.2")


def test_format_error_is_an_ssmproof_error_but_non_finite_value_is_not() -> None:
    assert issubclass(FormatError, SsmproofError)
    assert issubclass(formats.NonFiniteValue, Exception)
    assert not issubclass(formats.NonFiniteValue, SsmproofError)


PROPERTIES = [
    # name, monotone, finite, bits, min_value, max_value, min_positive
    ("exact", True, False, None, None, None, None),
    ("fixed:4.2", True, True, 6, -8, Fraction(31, 4), Fraction(1, 4)),
    ("fixed:1.0", True, True, 1, -1, 0, 1),
    ("fixed:8", True, True, 24, -(2**15), 2**15 - Fraction(1, 256), Fraction(1, 256)),
    ("int:8", False, True, 8, -128, 127, 1),
    ("int:1", False, True, 1, -1, 0, 1),
    ("float16", True, True, 16, -65504, 65504, Fraction(1, 2**24)),
    (
        "bfloat16",
        True,
        True,
        16,
        -(2 - Fraction(1, 2**7)) * 2**127,
        (2 - Fraction(1, 2**7)) * 2**127,
        Fraction(1, 2**133),
    ),
    (
        "float32",
        True,
        True,
        32,
        -(2 - Fraction(1, 2**23)) * 2**127,
        (2 - Fraction(1, 2**23)) * 2**127,
        Fraction(1, 2**149),
    ),
    (
        "float64",
        True,
        True,
        64,
        -(2 - Fraction(1, 2**52)) * 2**1023,
        (2 - Fraction(1, 2**52)) * 2**1023,
        Fraction(1, 2**1074),
    ),
]


@pytest.mark.parametrize(
    ("name", "monotone", "finite", "bits", "lo", "hi", "tiny"),
    PROPERTIES,
    ids=[p[0] for p in PROPERTIES],
)
def test_format_properties_match_hand_computed_values(
    name: str, monotone: bool, finite: bool, bits: int | None, lo: object, hi: object, tiny: object
) -> None:
    fmt = formats.parse(name)
    assert (fmt.monotone, fmt.finite, fmt.bits) == (monotone, finite, bits)
    assert (fmt.min_value, fmt.max_value, fmt.min_positive) == (lo, hi, tiny)
    for value in (fmt.min_value, fmt.max_value, fmt.min_positive):
        assert value is None or type(value) is int or value.denominator != 1  # normal form


def test_float16_max_is_65504_and_bfloat16_max_is_about_3_3895e38() -> None:
    assert formats.FLOAT16.max_value == 65504
    assert f"{float(formats.BFLOAT16.max_value):.4e}" == "3.3895e+38"


def test_fits_float64_marks_the_formats_round_array_supports() -> None:
    assert formats.parse("fixed:40.13").fits_float64
    assert not formats.parse("fixed:40.14").fits_float64
    assert formats.parse("int:53").fits_float64 and not formats.parse("int:54").fits_float64
    assert all(formats.parse(n).fits_float64 for n in ("float16", "bfloat16", "float32", "float64"))
    assert not formats.EXACT.fits_float64
