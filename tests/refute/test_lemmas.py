"""The lemmas: sympy checks hold, and the fixed-point orbit table agrees with plain iteration."""

from fractions import Fraction

import numpy as np
import pytest

from ssmproof.numerics.formats import Format
from ssmproof.refute import lemmas


def test_every_symbolic_check_holds_and_the_induction_is_there():
    checks = lemmas.symbolic_checks()
    assert all(c.holds for c in checks)
    claims = " ".join(c.claim for c in checks)
    assert "base case" in claims and "inductive step" in claims and "linear growth" in claims


def plain_orbit(fmt, a, b, h):
    """Steps until h ↦ rnd(rnd(a·h) + b) is constant, or None if it revisits a non-fixed value."""
    seen, t = set(), 0
    while True:
        nxt = fmt.rnd(fmt.rnd(a * h) + b)
        if nxt == h:
            return t
        if h in seen:
            return None
        seen.add(h)
        h, t = nxt, t + 1


@pytest.mark.parametrize("int_bits, frac_bits", [(1, 2), (2, 1), (3, 1), (2, 2)])
def test_the_vectorised_orbit_table_equals_plain_rounding_everywhere(int_bits, frac_bits):
    fmt = Format.fixed(int_bits, frac_bits)
    values = list(fmt.values())
    grid = np.array([int(v * 2**frac_bits) for v in values], dtype=np.int64)
    for a in values:
        f = lemmas._maps(fmt, int(a * 2**frac_bits), grid)
        steps, settles = lemmas._settle(f)
        for i, b in enumerate(values):
            for j, h in enumerate(values):
                expect = plain_orbit(fmt, a, b, h)
                assert values[f[i, j]] == fmt.rnd(fmt.rnd(a * h) + b)
                assert (steps[i, j] if settles[i, j] else None) == expect


def test_small_formats_all_settle_with_the_worst_time_a_full_sweep_of_the_range():
    report = lemmas.check(max_bits=5)
    assert report.holds and len(report.formats) == 15
    for f in report.formats:
        assert f.all_constant and f.orbits == (f.values // 2) * f.values ** 2
        if not f.format.startswith("fixed:1."):  # gate 1 exists: a counter crosses everything
            assert f.worst_steps == f.values - 1 and f.worst[0] == "1"
    three_two = next(f for f in report.formats if f.format == "fixed:3.2")
    assert (three_two.worst_steps, three_two.negative_unsettled, three_two.negative_pairs) == \
        (31, 463, 512)


def test_a_negative_gate_gives_the_period_two_contrast():
    c = lemmas.check_format(Format.fixed(4, 2))
    assert c.contrast == ("1/4", "-1/4", "1/4", "-1/4")
    assert c.negative_unsettled > 0


def test_the_report_text_has_the_numbers():
    text = lemmas.check(max_bits=3).text()
    assert "fixed:3.0" in text and "all eventually constant" in text and "period 2" in text
    assert lemmas.check(max_bits=2).to_dict()["holds"] is True


def test_the_closed_form_limit_is_b_over_one_minus_a_numerically():
    # a sanity check of lemma (a) with numbers: h ↦ h/4 + 3 from 10 approaches 4
    h = Fraction(10)
    for _ in range(40):
        h = h / 4 + 3
    assert abs(h - 4) < Fraction(1, 10**20) and h != 4
