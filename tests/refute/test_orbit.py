"""One channel's block orbit: the jumps of ``orbit.finite_orbit`` equal plain iteration."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.numerics.rounding import round_half_even
from ssmproof.refute import orbit

FORMATS = [parse(f) for f in ("float16", "bfloat16", "fixed:6.3", "fixed:8.2", "fixed:4.4")]


def brute(fmt, steps, h):
    """Iterate g one block at a time until it is constant (terminates: the orbit is monotone)."""
    t = 0
    while True:
        h2 = orbit.apply_block(fmt, steps, h)
        if h2 == h:
            return t, h
        h, t = h2, t + 1


rationals = st.builds(Fraction, st.integers(-40, 40), st.sampled_from([1, 2, 3, 4, 8]))


@settings(max_examples=150)
@given(fmt=st.sampled_from(FORMATS), inputs=st.lists(rationals, min_size=1, max_size=3),
       gates=st.lists(st.sampled_from([1, 1, 1, Fraction(1, 2), Fraction(7, 8), 0]),
                      min_size=3, max_size=3),
       start=rationals)
def test_finite_orbit_equals_plain_iteration(fmt, inputs, gates, start):
    steps = [(fmt.rnd(a), fmt.rnd(b)) for a, b in zip(gates, inputs)]
    h0 = fmt.rnd(start)
    try:
        expected = brute(fmt, steps, h0)
    except NonFiniteValue:
        with pytest.raises(NonFiniteValue):
            orbit.finite_orbit(fmt, steps, h0)
        return
    got = orbit.finite_orbit(fmt, steps, h0)
    assert got.arrives and (got.blocks, got.fixed) == expected


@pytest.mark.parametrize("fmt, blocks", [("float16", 2**11), ("bfloat16", 2**8),
                                         ("float32", 2**24), ("float64", 2**53)])
def test_a_gate_one_counter_stops_where_the_spacing_exceeds_twice_the_increment(fmt, blocks):
    # h ↦ h + 1 from 0: exact until 2^p, then h + 1 is a tie that rounds back to the even 2^p
    got = orbit.finite_orbit(parse(fmt), [(1, 1)], 0)
    assert (got.blocks, got.fixed) == (blocks, blocks)


def test_a_tie_in_every_step_still_jumps_correctly():
    # increments of 3/2 spacing units: ties alternate with the parity of h
    fmt = parse("fixed:8.0")
    steps = [(1, 1), (1, Fraction(1, 2))]
    assert orbit.finite_orbit(fmt, steps, -128) == orbit.Orbit(True, *brute(fmt, steps, -128))


def test_a_saturating_counter_stops_at_the_top_of_a_fixed_point_format():
    got = orbit.finite_orbit(parse("fixed:4.2"), [(1, Fraction(1, 4))], -8)
    assert (got.blocks, got.fixed) == (63, Fraction(31, 4))


@pytest.mark.parametrize("steps, h0, detail", [
    ([(1, 2)], 0, "h ↦ h + 2 grows by 2 every block"),
    ([(Fraction(1, 2), 1)], 0, "h ↦ 1/2·h + 1 converges to 2 without arriving"),
    ([(2, 1)], 0, "h ↦ 2·h + 1 moves away from -1 geometrically"),
])
def test_exact_orbits_that_never_arrive_say_what_they_do(steps, h0, detail):
    got = orbit.exact_orbit(steps, h0)
    assert not got.arrives and got.detail == detail


def test_exact_orbits_arrive_with_gates_in_zero_one():
    assert orbit.exact_orbit([(0, 5), (1, 0)], 1) == orbit.Orbit(True, 1, 5)
    assert orbit.exact_orbit([(1, 0)], 7) == orbit.Orbit(True, 0, 7)
    assert orbit.exact_orbit([(Fraction(1, 2), 1)], 2) == orbit.Orbit(True, 0, 2)


@settings(max_examples=200)
@given(fmt=st.sampled_from(FORMATS + [parse("float32")]), x=rationals, y=rationals)
def test_inside_an_even_segment_rounding_is_nearest_multiple_ties_to_even(fmt, x, y):
    h = fmt.rnd(x)
    lo, hi, q = orbit.even_segment(fmt, h)
    assert lo <= h <= hi
    z = lo + (hi - lo) * (y % 1)  # a point of [lo, hi]
    unit = Fraction(2) ** q
    k = Fraction(z) / unit
    assert fmt.rnd(z) == round_half_even(k.numerator, k.denominator) * unit
