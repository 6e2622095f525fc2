"""Meta-tests: the tests that name a float format fail when that format's rounding is wrong.

Issue 11 found tests that passed with bfloat16 rounding replaced by "every nonzero value → 7",
because their models only ever held integers bfloat16 holds exactly. Each test below installs
that wrong rounding (tests/rounding.py) and asserts that the core check of those tests now
fails.
"""

from __future__ import annotations

import pytest

from ssmproof.verify.api import verify
from tests.recipes.test_flipflop import BUILDERS, zoo_flipflop
from tests.rounding import break_rounding, readouts_that_round
from tests.verify.test_verify import CORRECT, exact_and_bfloat16_decisions_agree

WORDS = [(), ("a",), ("a", "a"), ("b", "a", "a", "b"), ("a", "b", "a", "b")]


@pytest.mark.parametrize("weights", [True, False], ids=["values+weights", "values"])
def test_the_exact_vs_bfloat16_agreement_check_fails_under_a_wrong_rounding(monkeypatch,
                                                                           weights):
    for w in WORDS:
        exact_and_bfloat16_decisions_agree(w)  # right rounding: holds
    break_rounding(monkeypatch, weights=weights)
    with pytest.raises(AssertionError):
        for w in WORDS:
            exact_and_bfloat16_decisions_agree(w)


@pytest.mark.parametrize("weights", [True, False], ids=["values+weights", "values"])
@pytest.mark.parametrize("name,make_ssm,make_dfa,configs", CORRECT, ids=[c[0] for c in CORRECT])
def test_the_hand_written_proofs_fail_under_a_wrong_bfloat16_rounding(monkeypatch, name,
                                                                      make_ssm, make_dfa,
                                                                      configs, weights):
    break_rounding(monkeypatch, weights=weights)
    cert = verify(readouts_that_round(make_ssm()), make_dfa(), fmt="bfloat16", prove=True)
    assert cert.holds is False


@pytest.mark.parametrize("weights", [True, False], ids=["values+weights", "values"])
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_flipflop_proofs_fail_under_a_wrong_bfloat16_rounding(monkeypatch, name, weights):
    break_rounding(monkeypatch, weights=weights)
    cert = verify(readouts_that_round(BUILDERS[name]()), zoo_flipflop(), fmt="bfloat16",
                  prove=True)
    assert cert.holds is False
