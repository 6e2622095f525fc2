"""The checker's own Q(ζₘ) arithmetic, bounds and complex rounding, against independent answers.

Φₘ is compared with sympy's, field operations with :mod:`ssmproof.numerics.cyclotomic` (the
canonical power-basis coordinates are unique, so equal values have equal coordinates), bounds
with mpmath at 300 bits, and rounding with :mod:`ssmproof.numerics.complex_rounding`.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import ssmproof.check
from ssmproof.check import cyclotomic as mine
from ssmproof.check.enclosure import part_bounds
from ssmproof.check.gaussian import Gauss, complex_arithmetic, round_weight
from ssmproof.check.numbers import arithmetic
from ssmproof.numerics import complex_rounding
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.numerics.formats import parse

ORDERS = [12, 20, 24, 28, 36]
coefficient = st.fractions(min_value=-3, max_value=3, max_denominator=7)


@st.composite
def elements(draw, m: int | None = None):
    m = m or draw(st.sampled_from(ORDERS))
    powers = draw(st.dictionaries(st.integers(0, m - 1), coefficient, min_size=1, max_size=4))
    return m, powers


def _coords(x, m: int) -> tuple[Fraction, ...]:
    """Power-basis coordinates of either side's value in Q(ζₘ)."""
    d = len(mine.phi_poly(m)) - 1
    if isinstance(x, mine.Cyc):
        return tuple(Fraction(c, x.den) for c in x.num)
    if isinstance(x, Cyclotomic):
        return tuple(x.lift(m).coords)
    return (Fraction(x),) + (Fraction(0),) * (d - 1)


def test_cyclotomic_polynomials_equal_sympys():
    x = sympy.Symbol("x")
    for n in range(1, 81):
        want = tuple(int(c) for c in reversed(sympy.Poly(sympy.cyclotomic_poly(n, x)).all_coeffs()))
        assert mine.phi_poly(n) == want, n


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_sums_products_and_conjugates_equal_the_toolkits_field(data):
    m, p = data.draw(elements())
    _, q = data.draw(elements(m))
    a, b = mine.from_powers(m, m, p), mine.from_powers(m, m, q)
    ta, tb = Cyclotomic.from_powers(m, p), Cyclotomic.from_powers(m, q)
    assert _coords(a + b, m) == _coords(ta + tb, m)
    assert _coords(a * b, m) == _coords(ta * tb, m)
    assert _coords(a - b, m) == _coords(ta - tb, m)
    conj = a.conjugate() if isinstance(a, mine.Cyc) else a
    assert _coords(conj, m) == _coords(ta.conjugate() if isinstance(ta, Cyclotomic) else ta, m)


def test_zeta_powers_and_parts_known_values():
    z = mine.from_powers(3, 12, {1: Fraction(1)})  # ζ₃ inside Q(ζ₁₂)
    assert z * z * z == 1 and z + z * z == -1
    assert mine.real_part(z) == Fraction(-1, 2)
    im = mine.imag_part(z)
    assert isinstance(im, mine.Cyc) and im * im == Fraction(3, 4)  # (√3/2)²
    assert mine.canonical(5, {4: Fraction(1)}) == {k: Fraction(-1) for k in range(4)}
    assert mine.canonical(3, {3: Fraction(2)}) == 2


@settings(max_examples=60, deadline=None)
@given(elements(), st.sampled_from([64, 128]), st.booleans())
def test_bounds_contain_the_true_part_and_are_narrow(el, bits, imag):
    m, powers = el
    x = mine.from_powers(m, m, powers)
    if not isinstance(x, mine.Cyc):
        return
    lo, hi = part_bounds(m, x.num, x.den, imag=imag, bits=bits)
    mpmath.mp.prec = 300
    f = mpmath.sin if imag else mpmath.cos
    true = sum(mpmath.mpf(c.numerator) / c.denominator * f(2 * mpmath.pi * k / m)
               for k, c in powers.items())
    assert mpmath.mpf(lo.numerator) / lo.denominator <= true <= \
        mpmath.mpf(hi.numerator) / hi.denominator
    assert hi - lo < Fraction(1, 2 ** (bits - 20))


@settings(max_examples=60, deadline=None)
@given(elements())
def test_sign_of_a_real_element_equals_the_toolkits(el):
    m, powers = el
    x = mine.real_part(mine.from_powers(m, m, powers))
    t = Cyclotomic.from_powers(m, powers)
    t = t.real if isinstance(t, Cyclotomic) else t
    assert (x > 0, x < 0) == (t > 0, t < 0)


def test_sign_of_a_tiny_real_element_needs_refinement():
    # 2cos(2π/5) − (√5 − 1)/2 = 0 exactly; (ζ + ζ⁴) − 0.6180339887 is positive by ~5e-11
    golden = mine.from_powers(5, 20, {1: Fraction(1), 4: Fraction(1)})
    assert golden - Fraction(6180339887, 10**10) > 0
    assert golden - Fraction(6180339888, 10**10) < 0
    assert golden * golden + golden == 1  # the golden ratio's conjugate: x² + x = 1


@settings(max_examples=60, deadline=None)
@given(elements(), st.sampled_from(["float16", "bfloat16", "float32", "fixed:8.4", "fixed:6.2"]))
def test_a_complex_weight_rounds_per_part_like_the_toolkit(el, fmt):
    m, powers = el
    x = mine.from_powers(m, m, powers)
    got = round_weight(arithmetic(fmt), x, "w")
    want = complex_rounding.parts(complex_rounding.round_weight(parse(fmt),
                                                                Cyclotomic.from_powers(m, powers)))
    assert ((got.re, got.im) if isinstance(got, Gauss) else (got, 0)) == want


def test_finite_complex_values_round_each_part_once():
    arith = complex_arithmetic(arithmetic("fixed:4.2"))
    # ζ₃² ≈ −0.5 − 0.866i: the imaginary part rounds to −0.75 on the quarter grid
    w = round_weight(arith, mine.from_powers(3, 12, {2: Fraction(1)}), "w")
    assert w == Gauss(Fraction(-1, 2), Fraction(-3, 4))
    assert arith.rnd(Gauss(Fraction(1, 3), Fraction(5, 8))) == Gauss(Fraction(1, 4), Fraction(1, 2))
    assert arith.rnd(Gauss(Fraction(1, 3), Fraction(1, 16))) == Fraction(1, 4)  # im → 0


@pytest.mark.parametrize("fmt", ["int:8"])
def test_an_irrational_weight_part_under_int_is_bad_input(fmt):
    with pytest.raises(ssmproof.check.BadInput, match="integer"):
        round_weight(arithmetic(fmt), mine.from_powers(3, 12, {1: Fraction(1)}), "w")


def test_the_checkers_complex_arithmetic_uses_neither_sympy_nor_mpmath():
    # the toolkit's field takes Φₙ from sympy and bounds from mpmath; the checker's must not
    for path in Path(ssmproof.check.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert name.split(".")[0] not in ("sympy", "mpmath", "numpy"), \
                    f"{path.name} imports {name}"
