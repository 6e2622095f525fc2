"""Exact arithmetic in Q(ζₙ): field laws, known values, signs, and per-part rounding."""

from __future__ import annotations

import cmath
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.numerics.complex_rounding import parts, round_value, round_weight
from ssmproof.numerics.cyclotomic import Cyclotomic, interval
from ssmproof.numerics.formats import parse

ORDERS = (3, 4, 5, 7, 8, 12, 15)
rationals = st.fractions(min_value=-5, max_value=5, max_denominator=7)


@st.composite
def elements(draw: st.DrawFn, n: int | None = None) -> tuple[int, object]:
    n = draw(st.sampled_from(ORDERS)) if n is None else n
    coeffs = draw(st.dictionaries(st.integers(0, n - 1), rationals, max_size=4))
    return n, Cyclotomic.from_powers(n, coeffs)


def value(x: object) -> complex:
    """Float value, computed independently of the class (from the powers of e^{2πi/n})."""
    if isinstance(x, Cyclotomic):
        return sum(float(c) * cmath.exp(2j * math.pi * k / x.n) for k, c in x.powers().items())
    return complex(float(x))  # type: ignore[arg-type]


@given(st.sampled_from(ORDERS).flatmap(lambda n: st.tuples(*[elements(n)] * 3)))
def test_field_laws_hold_and_match_complex_floats(triple) -> None:
    (_, x), (_, y), (_, z) = triple
    assert (x * y) * z == x * (y * z)
    assert x * (y + z) == x * y + x * z
    assert abs(value(x * y) - value(x) * value(y)) < 1e-9 * (1 + abs(value(x)) * abs(value(y)))
    if x != 0:
        assert x * (1 / x) == 1
    conj = x.conjugate() if isinstance(x, Cyclotomic) else x
    assert abs(value(conj) - value(x).conjugate()) < 1e-9


@pytest.mark.parametrize("n", ORDERS)
def test_roots_of_unity_have_order_n_and_sum_to_zero(n: int) -> None:
    z = Cyclotomic.zeta(n)
    power = 1
    for k in range(1, n + 1):
        power = power * z
        assert (power == 1) == (k == n)
    assert sum((Cyclotomic.zeta(n, k) for k in range(n)), 0) == 0


def test_real_part_of_zeta5_is_the_golden_cosine_exactly() -> None:
    c = Cyclotomic.zeta(5).real  # cos 72° = (√5 − 1)/4, so (4c + 1)² = 5
    assert (4 * c + 1) * (4 * c + 1) == 5
    assert Fraction(309, 1000) < c < Fraction(31, 100)
    assert Cyclotomic.zeta(3).real == Fraction(-1, 2)  # rational results collapse


@given(elements())
def test_sign_of_a_real_element_agrees_with_its_value(item) -> None:
    _, x = item
    r = x.real if isinstance(x, Cyclotomic) else x
    v = value(r).real
    if abs(v) > 1e-6:
        assert (r > 0) == (v > 0) and (r < 0) == (v < 0)
    lo, hi = interval(r, bits=80)
    assert lo <= v + 1e-12 and v - 1e-12 <= hi


def test_a_non_real_element_has_no_sign() -> None:
    with pytest.raises(ValueError, match="not real"):
        Cyclotomic.zeta(3) > 0


def test_float16_rounds_each_part_of_zeta3_to_the_nearest_value() -> None:
    re, im = parts(round_weight(parse("float16"), Cyclotomic.zeta(3)))
    assert re == Fraction(-1, 2)
    # √3/2 ≈ 0.866 lies in [1/2, 1), where float16 steps by 2^-11: im is within half a step.
    half = Fraction(1, 2**12)
    assert im.denominator <= 2**11 and (im - half) ** 2 < Fraction(3, 4) < (im + half) ** 2
    assert im == Fraction(887, 1024)


def test_complex_product_parts_are_rounded_once_each_in_fixed_point() -> None:
    fmt = parse("fixed:8.2")  # steps of 1/4
    a = round_weight(fmt, Cyclotomic.zeta(8))  # (√2/2, √2/2) → (3/4, 3/4)
    assert parts(a) == (Fraction(3, 4), Fraction(3, 4))
    # a·a = (9/16 − 9/16) + i·(9/16 + 9/16) = 0 + i·9/8 → rounds to i·1 (9/8 is a tie: even)
    assert parts(round_value(fmt, a * a)) == (0, 1)
