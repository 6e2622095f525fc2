"""The checker recomputes a certificate's float32_accumulation on its own walk (issue 15, 2)."""

from __future__ import annotations

import json

import pytest

from ssmproof.check import CONFIRMED, DISAGREES, check_data
from ssmproof.check.float32 import exact_in_float32
from ssmproof.cli import main
from ssmproof.verify import accumulation

from ..verify.test_accumulation import EPS

SPEC = {"name": "ends_in_b", "alphabet": ["a", "b"], "regex": "(a|b)*b"}


@pytest.fixture
def eps(tmp_path, capsys):
    (tmp_path / "m.json").write_text(json.dumps(EPS))
    (tmp_path / "s.json").write_text(json.dumps(SPEC))
    assert main(["verify", str(tmp_path / "m.json"), "--against", str(tmp_path / "s.json"),
                 "--prove", "--format", "float32", "--json"]) == 0
    return json.loads(capsys.readouterr().out), str(tmp_path / "s.json")


def test_the_checker_finds_the_same_first_inexact_dot_product(eps):
    cert, spec = eps
    v = check_data(cert, EPS, spec)
    assert v.status == CONFIRMED and "float32 accumulation recomputed: first inexact on [b]" \
        in v.checked


@pytest.mark.parametrize("lie,words", [
    (lambda b: b.update(exact=True), "exact=True"),
    (lambda b: b["first_inexact"].update(word=["a", "b"]), "['a', 'b']"),
])
def test_a_lie_about_float32_accumulation_is_rejected(eps, lie, words):
    cert, spec = eps
    lie(cert["float32_accumulation"])
    v = check_data(cert, EPS, spec)
    assert v.status == DISAGREES and "float32_accumulation mismatch" in v.reason
    assert words in v.reason and "computed on [b]" in v.reason


def test_a_proof_exact_in_float32_is_confirmed_and_a_false_inexact_claim_rejected(capsys):
    args = ["constructions/flipflop/predict-nonnegative.json", "--against",
            "automata/flipflop.json"]
    assert main(["verify", *args, "--prove", "--format", "bfloat16", "--json"]) == 0
    cert = json.loads(capsys.readouterr().out)
    ssm = json.loads(open(args[0]).read())
    v = check_data(cert, ssm, args[2])
    assert v.status == CONFIRMED and "every dot product exact" in " ".join(v.checked)
    cert["float32_accumulation"]["exact"] = False
    assert check_data(cert, ssm, args[2]).status == DISAGREES


@pytest.mark.parametrize("terms", [[1, 2**-30, -1], [1, 2**-23], [2**24, 1], [2**23, 1],
                                   [0.5, 0.25, -0.75], [3 * 2**-149, 2**-149],
                                   [2.0**127, 2.0**127]])
def test_the_checkers_float32_test_agrees_with_the_toolkits(terms):
    from fractions import Fraction

    fr = [Fraction(t) for t in terms]
    assert exact_in_float32(fr) is accumulation.exact_in_float32(fr)


def test_a_sum_past_the_largest_float32_is_not_exact():
    from fractions import Fraction

    big = Fraction(2) ** 127  # a float32 value; twice it overflows to inf
    assert not exact_in_float32([big, big]) and not accumulation.exact_in_float32([big, big])
    assert exact_in_float32([big, -big]) is False  # the bound is on Σ|terms|: sufficient only
