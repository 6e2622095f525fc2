"""The checker reads imported-Mamba files (``ssmproof-ssm/3``): smooth activations and products.

Its activations (``check/smooth.py``: series with explicit remainders in integer arithmetic) are
compared with the toolkit's mpmath interval enclosures value by value, its whole step with the
formulas computed by hand (``tests/ssm/test_smooth_maps._by_hand``, mpmath), and certificates of
the tiny Mamba are confirmed or, lied about, rejected.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.check import CONFIRMED, DISAGREES, check_data, smooth
from ssmproof.check.inputs import BadInput
from ssmproof.check.model import load_model
from ssmproof.check.numbers import Overflow, arithmetic
from ssmproof.numerics import activations
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify
from tests.ssm.test_smooth_maps import _by_hand, tiny_mamba

FORMATS = ["bfloat16", "float16", "float32", "fixed:16.8"]


def _toolkit(act: str, x: Fraction, fmt: str):
    try:
        return activations.evaluate(act, parse(fmt).rnd(x), parse(fmt))
    except NonFiniteValue:
        return "overflow"


def _checker(act: str, x: Fraction, fmt: str):
    arith = arithmetic(fmt)
    try:
        return smooth.apply(act, arith.rnd(x), arith.rnd, False)
    except Overflow:
        return "overflow"


@settings(max_examples=150, deadline=None)
@given(act=st.sampled_from(smooth.SMOOTH), fmt=st.sampled_from(FORMATS),
       x=st.fractions(min_value=-60, max_value=60, max_denominator=2**12))
def test_each_activation_is_rounded_like_the_toolkits_mpmath_enclosure(act, fmt, x):
    x = arithmetic(fmt).rnd(x)  # the rule: the argument is a value of the format
    assert _checker(act, x, fmt) == _toolkit(act, x, fmt)


@pytest.mark.parametrize("act,x", [("exp", 88), ("exp", -104), ("softplus", -90),
                                   ("silu", -20), ("rsqrt", Fraction(1, 3)), ("rsqrt", 0),
                                   ("softplus", 0), ("silu", Fraction(1, 1024))])
@pytest.mark.parametrize("fmt", ["float32", "bfloat16"])
def test_edge_values_overflow_and_underflow_like_the_toolkit(act, x, fmt):
    # near float32's largest and smallest exponents, rsqrt of 0, irrational values at 0
    assert _checker(act, Fraction(x), fmt) == _toolkit(act, Fraction(x), fmt)


@pytest.mark.parametrize("fmt", ["bfloat16", "float32"])
def test_the_checkers_step_gives_the_decisions_computed_by_hand(fmt):
    data = json.loads(jsonio.to_json(tiny_mamba()))
    model = load_model("<mamba>", data, arithmetic(fmt), "recognize")
    for n in range(4):
        for word in itertools.product("01", repeat=n):
            config, decision = model.step(model.start(), 0)
            for s in word:
                config, decision = model.step(config, 1 + "01".index(s))
            assert decision[0] == _by_hand(list(word), fmt)[-1][1], word


def test_exact_arithmetic_on_an_irrational_value_is_bad_input_naming_a_format():
    data = json.loads(jsonio.to_json(tiny_mamba()))
    model = load_model("m.json", data, arithmetic("exact"), "recognize")
    with pytest.raises(BadInput, match="irrational.*--format float32"):
        model.step(model.start(), 0)


@pytest.mark.parametrize("fmt", ["bfloat16", "float32"])
def test_a_mamba_certificate_is_confirmed_and_a_changed_counterexample_rejected(fmt):
    ssm = tiny_mamba()
    data = json.loads(jsonio.to_json(ssm))
    assert data["format"] == "ssmproof-ssm/3"
    cert = json.loads(verify(ssm, "parity", fmt=fmt, prove=True,
                             max_configurations=2000).to_json())
    v = check_data(cert, data, "parity")
    assert cert["holds"] is False and v.status == CONFIRMED, v.reason
    assert "content hash recomputed" in v.checked
    v = check_data(dict(cert, counterexample=["0"]), data, "parity")
    assert v.status == DISAGREES and "does not replay" in v.reason
    v = check_data(dict(cert, counterexample=["1", "1"]), data, "parity")  # wrong, not first
    assert v.status == DISAGREES and "not the shortest" in v.reason
    data["layers"][0]["pre_mlp"][0]["activation"] = "exp"  # softplus -> exp: another model
    v = check_data(cert, data, "parity")
    assert v.status == DISAGREES and "hash mismatch" in v.reason


def test_smooth_maps_in_a_version_1_file_are_bad_input():
    data = json.loads(jsonio.to_json(tiny_mamba()))
    data["format"] = "ssmproof-ssm/1"
    with pytest.raises(BadInput, match="activation"):
        load_model("m.json", data, arithmetic("float32"), "recognize")
