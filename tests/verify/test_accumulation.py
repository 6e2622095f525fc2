"""A finite-format proof says whether it transfers to float32 accumulation (issue 15, item 2)."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.cli import main
from ssmproof.verify.accumulation import exact_in_float32

# accept = one − c + 2⁻³⁰·eps: every token writes one = c = 1, and only b writes eps = 1, so the
# exact value is 2⁻³⁰ > 0 after b and 0 after anything else: "ends in b", proved in float32 and
# float64 alike. Summed in float32, 1 + 2⁻³⁰ is 1 and −1 + 2⁻³⁰ is −1: the sum is 0, so hardware
# that accumulates in float32 rejects every word ending in b.
EPS = {"format": "ssmproof-ssm/1", "name": "eps_readout", "mode": "recognize",
       "alphabet": ["a", "b"],
       "embedding": {"BOS": {"one": "1", "c": "1", "tok:BOS": "1"},
                     "a": {"one": "1", "c": "1", "tok:a": "1"},
                     "b": {"one": "1", "c": "1", "eps": "1", "tok:b": "1"}},
       "layers": [], "readout": {"accept": {"one": "1", "eps": "1/1073741824", "c": "-1"}}}


def _verify(tmp_path, capsys, args):
    assert main(["verify", *args, "--prove", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_chosen_values_really_round_in_float32():
    one, eps = np.float32(1), np.float32(2.0**-30)
    assert float(eps) == 2.0**-30  # every operand is a float32 value
    assert (one + eps) - one == 0 and (-one + eps) + one == 0  # both orders lose 2⁻³⁰


@pytest.mark.parametrize("fmt", ["float32", "float64"])
def test_a_dot_product_that_rounds_in_float32_is_named_with_its_word(tmp_path, capsys, fmt):
    (tmp_path / "m.json").write_text(json.dumps(EPS))
    (tmp_path / "s.json").write_text(json.dumps({"name": "ends_in_b", "alphabet": ["a", "b"],
                                                 "regex": "(a|b)*b"}))
    cert = _verify(tmp_path, capsys, [str(tmp_path / "m.json"), "--against",
                                      str(tmp_path / "s.json"), "--format", fmt])
    assert cert["holds"] is True and cert["all_lengths"] is True
    block = cert["float32_accumulation"]
    assert block["checked"] is True and block["exact"] is False
    # BOS and a sum 1 − 1 exactly; the first inexact sum is the readout on the word [b]
    assert block["first_inexact"] == {"layer": "readout", "register": "readout of accept",
                                      "word": ["b"], "terms": ["-1", "1/1073741824", "1"]}


def test_a_gallery_proof_whose_dot_products_are_exact_in_float32_says_so(tmp_path, capsys):
    cert = _verify(tmp_path, capsys, ["constructions/flipflop/predict-nonnegative.json",
                                      "--against", "automata/flipflop.json",
                                      "--format", "bfloat16"])
    block = cert["float32_accumulation"]
    assert cert["holds"] is True and block["checked"] and block["exact"] is True
    assert block["dot_products"] > 20 and "first_inexact" not in block


def test_exact_proofs_and_open_proofs_carry_no_float32_block(tmp_path, capsys):
    cert = _verify(tmp_path, capsys, ["constructions/flipflop/predict-nonnegative.json",
                                      "--against", "automata/flipflop.json"])
    assert "float32_accumulation" not in cert


dyadic = st.builds(lambda m, e: Fraction(m) * Fraction(2) ** e,
                   st.integers(-(2**24) + 1, 2**24 - 1), st.integers(-40, 40))


@settings(max_examples=200, deadline=None)
@given(st.lists(dyadic, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_when_the_test_says_exact_every_float32_summation_order_is_exact(terms, rnd):
    if not exact_in_float32(terms):
        return
    exact = sum(terms, Fraction(0))
    for _ in range(3):
        order = list(terms)
        rnd.shuffle(order)
        acc = np.float32(0)
        for t in order:
            acc = np.float32(acc + np.float32(float(t)))
        assert Fraction(float(acc)) == exact


@pytest.mark.parametrize("terms,exact", [
    ([Fraction(1), Fraction(1, 2**23)], True),     # 1 + ulp(1): representable
    ([Fraction(1), Fraction(1, 2**24)], False),    # a tie at 1 + ulp/2: rounds
    ([Fraction(1, 3)], False),                     # not a float32 value at all
    ([Fraction(2**24), Fraction(1)], False),       # 2²⁴ + 1 needs 25 bits
    ([Fraction(2**23), Fraction(1)], True),
])
def test_known_sums(terms, exact):
    assert exact_in_float32(terms) is exact
