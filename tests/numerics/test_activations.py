"""Smooth activations are rounded correctly, once, and exact arithmetic refuses irrational values."""

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.errors import FormatError
from ssmproof.numerics import activations
from ssmproof.numerics.formats import NonFiniteValue, parse


def _reference(name: str, x: Fraction, fmt: str) -> Fraction:
    """Rounding of a (300 + 2|x|)-bit value from mpmath's ordinary (non-interval) functions.

    The bits grow with |x|: silu(363) = 363 − 363·e^−363/(1 + e^−363) lies 2^−516 below a
    bfloat16 midpoint, and a 400-bit value rounds it the wrong way (see the test below).
    """
    bits = 300 + 2 * abs(int(x))
    with mpmath.workprec(bits):
        v = mpmath.mpf(x.numerator) / x.denominator
        y = {"exp": lambda: mpmath.exp(v), "softplus": lambda: mpmath.log(1 + mpmath.exp(v)),
             "silu": lambda: v / (1 + mpmath.exp(-v)), "rsqrt": lambda: 1 / mpmath.sqrt(v)}[name]()
        man, exp = mpmath.frexp(y)
        scaled = Fraction(int(mpmath.nint(man * mpmath.mpf(2) ** (bits - 20))), 2**(bits - 20))
    return parse(fmt).rnd(scaled * Fraction(2) ** int(exp))


# Arguments that are values of the format (the activation's input is a rounded pre-activation).
_args = st.builds(lambda m, e: Fraction(m, 2**e), st.integers(-2**12, 2**12), st.integers(0, 14))


@pytest.mark.parametrize("fmt", ["float32", "bfloat16", "fixed:8.8"])
@pytest.mark.parametrize("name", ["exp", "softplus", "silu", "rsqrt"])
@given(x=_args)
def test_each_activation_is_the_rounding_of_a_far_more_precise_value(name, fmt, x):
    if name == "rsqrt" and x <= 0:
        return
    if name == "exp" and x > 80:  # e^80 overflows fixed:8.8 and is checked below
        return
    try:
        want = _reference(name, x, fmt)
    except NonFiniteValue:
        with pytest.raises(NonFiniteValue):
            activations.evaluate(name, x, parse(fmt))
        return
    assert activations.evaluate(name, x, parse(fmt)) == want


def test_known_values_agree_with_numpy_where_libm_is_far_from_a_midpoint():
    # e^-0.5 = 0.6065306597…: float64's value is within 1 ulp and far from a float32 midpoint
    assert activations.evaluate("exp", Fraction(-1, 2), parse("float32")) == \
        Fraction(float(np.float32(math.exp(-0.5))))
    assert activations.evaluate("exp", Fraction(-1, 2), parse("bfloat16")) == Fraction(155, 256)
    # softplus(-200) = e^-200 (1 - ...): far below float32's least subnormal, so 0; float64 holds it
    assert activations.evaluate("softplus", Fraction(-200), parse("float32")) == 0
    got = activations.evaluate("softplus", Fraction(-200), parse("float64"))
    assert got == Fraction(math.exp(-200))  # softplus(-200) = e^-200 (1 - e^-200/2 + …)


def test_a_value_just_below_a_midpoint_rounds_down():
    # silu(363) = 363 − ε with ε ≈ 2^−516; 363 is the bfloat16 midpoint of 362 and 364, so the
    # correct rounding is 362, while any value computed to fewer than ~520 bits says 363 → 364
    assert activations.evaluate("silu", Fraction(363), parse("bfloat16")) == 362


def test_exact_arithmetic_keeps_rational_values_and_refuses_the_rest():
    exact = parse("exact")
    assert activations.evaluate("rsqrt", Fraction(9, 4), exact) == Fraction(2, 3)
    assert activations.evaluate("exp", 0, exact) == 1
    assert activations.evaluate("silu", 0, exact) == 0
    for name, x in (("exp", Fraction(1, 3)), ("softplus", 0), ("rsqrt", 2), ("silu", 1)):
        with pytest.raises(FormatError, match="irrational"):
            activations.evaluate(name, x, exact)


def test_values_outside_the_format_are_not_finite():
    with pytest.raises(NonFiniteValue):
        activations.evaluate("exp", Fraction(100), parse("bfloat16"))  # e^100 > 3.4e38
    with pytest.raises(NonFiniteValue):
        activations.evaluate("rsqrt", 0, parse("float32"))
