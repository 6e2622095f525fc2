"""The random SSM generator: deterministic, valid, and of the gate class it promises."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.sim.gates import reachable_gate_class
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import Mode
from ssmproof.testing.random_ssm import random_ssm


def test_the_same_seed_gives_the_same_ssm_and_a_generator_works_too():
    a = jsonio.to_json(random_ssm(42, ("a", "b"), lag=True))
    b = jsonio.to_json(random_ssm(42, ("a", "b"), lag=True))
    c = jsonio.to_json(random_ssm(np.random.default_rng(42), ("a", "b"), lag=True))
    assert a == b == c
    assert a != jsonio.to_json(random_ssm(43, ("a", "b"), lag=True))


@pytest.mark.usefixtures("small_gate_budget")
@settings(max_examples=30)
@given(seed=st.integers(0, 2**32 - 1), layers=st.integers(1, 3), width=st.integers(1, 3),
       lag=st.booleans(), mlp=st.booleans(), mode=st.sampled_from(["recognize", "predict"]))
def test_every_draw_is_a_valid_ssm_that_round_trips(seed, layers, width, lag, mlp, mode):
    ssm = random_ssm(seed, ("x", "y", "z"), layers=layers, width=width, lag=lag, mlp=mlp,
                     mode=mode)
    assert len(ssm.layers) == layers and all(len(layer.state) == width for layer in ssm.layers)
    assert ssm.mode is Mode(mode)
    text = jsonio.to_json(ssm)
    assert jsonio.to_json(jsonio.from_json(text)) == text  # from_json checks the schema


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1))
def test_nonnegative_draws_never_produce_a_negative_gate(seed):
    info = reachable_gate_class(random_ssm(seed, layers=(1, 2), lag=True), "bfloat16", budget=300)
    assert info.gate_class == "nonnegative" and info.stable


def test_signed_draws_do_produce_negative_gates():
    classes = {reachable_gate_class(random_ssm(s, gate_class="signed", layers=1), "bfloat16",
                                    budget=200).gate_class for s in range(10)}
    assert "signed" in classes


def test_an_unknown_gate_class_is_refused():
    with pytest.raises(ValueError, match="gate_class"):
        random_ssm(0, gate_class="complex")
