"""The echo channel of --no-lag: λ per format, the threshold and its margin, finiteness."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from hypothesis import given

from ssmproof.algebra.examples import contains_aa, tomita4
from ssmproof.compiler import decay
from ssmproof.compiler.starfree import compile_dfa
from ssmproof.errors import CompileError
from ssmproof.numerics.formats import parse
from ssmproof.ssm.program import Param
from ssmproof.testing import words
from ssmproof.verify.api import verify

# the inputs x_t of the echo channel: words over {0, 1}, lengths spread up to 60
BITS = words("01", min_size=1, max_size=60).map(lambda w: [int(s) for s in w])


@pytest.mark.parametrize(("fmt", "k"), [(None, 75), ("float16", 13), ("bfloat16", 67),
                                        ("float32", 75), ("float64", 538), ("fixed:16.16", 9)])
def test_decay_is_the_largest_power_of_two_whose_square_rounds_away(fmt: str | None,
                                                                    k: int) -> None:
    lam = decay.choose_decay(fmt)
    assert lam == Fraction(1, 2**k)
    if fmt is not None:
        f = parse(fmt)
        assert f.rnd(lam * lam) == 0
        assert f.rnd((2 * lam) ** 2) != 0  # twice λ would leave λ² in the echo


def test_fixed_8_8_has_no_decay_since_its_gain_would_not_fit() -> None:
    # λ² must round to 0 (λ ≤ 2^-5 under 8 fractional bits), so κ = 4/λ ≥ 128 > 127.99..., the
    # largest fixed:8.8 value. κ used to be clamped silently (issue 11): another model.
    with pytest.raises(CompileError, match="no decay"):
        decay.choose_decay("fixed:8.8")


def test_exact_arithmetic_gets_one_eighth() -> None:
    assert decay.choose_decay("exact") == Fraction(1, 8)


@pytest.mark.parametrize("fmt", ["bfloat16", "float32"])
def test_the_default_decay_holds_three_values_with_margin_a_quarter_lambda(fmt: str) -> None:
    lam = decay.DEFAULT_DECAY
    facts = decay.check_decay(lam, fmt)
    assert facts.values == (-1, -lam, 0)
    assert facts.margin == lam / 4


def test_fixed_point_keeps_minus_one_minus_lambda_as_a_fourth_value() -> None:
    lam = decay.choose_decay("fixed:16.16")
    assert decay.check_decay(lam, "fixed:16.16").values == (-1 - lam, -1, -lam, 0)


@pytest.mark.parametrize(("lam", "fmt", "why"), [
    (Fraction(1, 3), "float32", "not a value of the format"),
    (Fraction(1, 2**10), "float32", "rnd"),
    (Fraction(1, 2**75), "float16", "overflows"),
])
def test_a_decay_that_leaves_older_terms_is_refused(lam: Fraction, fmt: str, why: str) -> None:
    with pytest.raises(CompileError, match=why):
        decay.check_decay(lam, fmt)


def test_check_decay_needs_a_finite_format() -> None:
    with pytest.raises(CompileError, match="finite format"):
        decay.check_decay(Fraction(1, 8), "exact")


def absent(n: Fraction, kappa: Fraction) -> Fraction:
    return max(kappa * n + 3, Fraction(0)) - max(kappa * n + 2, Fraction(0))


@given(BITS)
def test_exact_echo_reads_the_previous_bit_with_a_quarter_lambda_margin(xs: list[int]) -> None:
    # n_t = λ n_{t−1} − x_t in exact arithmetic, λ = 1/8: the ramp [−3λ/4, −λ/2] is never
    # approached closer than λ/4, so the threshold is right at every step.
    lam = decay.EXACT_DECAY
    kappa = 4 / lam
    n, before = Fraction(0), 0
    for x in xs:
        n = lam * n - x
        assert absent(n, kappa) == 1 - (x | before)
        assert n <= -lam or n >= -lam / 4  # ≥ λ/4 below or above the ramp [−3λ/4, −λ/2]
        assert (n <= -lam) == bool(x or before)
        before = x


@pytest.mark.parametrize("fmt", ["bfloat16", "float32"])
@given(xs=BITS)
def test_rounded_echo_only_ever_holds_zero_minus_lambda_minus_one(fmt: str, xs: list[int]) -> None:
    f = parse(fmt)
    lam = decay.DEFAULT_DECAY
    n = Fraction(0)
    for x in xs:
        n = Fraction(f.rnd(f.rnd(lam * n) - x))
        assert n in (0, -lam, -1)


def test_echo_layer_is_finite_only_under_a_finite_format() -> None:
    # The same construction: right on every short word in exact arithmetic, but the exact
    # channel never repeats, so a proof cannot close there; under bfloat16 it closes.
    ssm = compile_dfa(contains_aa(), lag=False)
    assert verify(ssm, contains_aa(), exhaustive=10).holds is True
    assert verify(ssm, contains_aa(), prove=True, max_configurations=2000).holds is None
    proof = verify(ssm, contains_aa(), fmt="bfloat16", prove=True)
    assert proof.holds is True and proof.configurations == 7


def test_a_decay_of_one_third_makes_float32_channels_explode() -> None:
    # PAPER §4: λ = 1/3 keeps older terms; the float32 proof meets thousands of configurations.
    ssm = compile_dfa(contains_aa(), lag=False)
    third = Fraction(1, 3)
    slow = dataclasses.replace(ssm, parameters=(Param("lambda", third), Param("kappa", 4 / third)))
    assert verify(slow, contains_aa(), fmt="float32", prove=True,
                  max_configurations=5000).holds is None


@pytest.mark.parametrize("fmt", ["float16", "float64", "fixed:16.16"])
def test_no_lag_compiled_for_a_format_proves_in_that_format(fmt: str) -> None:
    for mode in ("recognize", "predict"):
        ssm = compile_dfa(tomita4(), mode=mode, lag=False, fmt=fmt)
        assert ssm.param_values()["lambda"] == decay.choose_decay(fmt)
        cert = verify(ssm, tomita4(), fmt=fmt, prove=True)
        assert cert.holds is True and cert.all_lengths is True


def test_params_are_declared_with_their_symbols() -> None:
    lam, kappa = decay.decay_params(Fraction(1, 8))
    assert (lam.name, lam.latex, kappa.name, kappa.latex) == ("lambda", r"\lambda", "kappa",
                                                               r"\kappa")
    assert kappa.value == 32
