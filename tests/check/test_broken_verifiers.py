"""False HOLDS certificates from deliberately broken verifiers (the two bugs of issue 11).

Each fixture re-introduces one bug so that it happens whatever the state of the fix in
``sim/``/``verify/``: it monkeypatches ``verify`` with a *broken verifier* built from the real
one. A verifier with bug (1) judges file F as a correct verifier judges F with its readout rows
re-keyed by position; a verifier with bug (2) judges F as a correct verifier judges F with the
colliding stream dim read as the gate register it collides with. The broken verifier runs the
real ``verify`` on that re-interpreted file and stamps F's own hash on the certificate — exactly
the certificate the buggy code wrote. The checker must reject both, naming the disagreement.
While the real bug is still in the tree, the real ``verify`` is run too and must agree with the
fixture (so the fixture models the bug); after the fix it must fail, and the checker confirms that.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from ssmproof.check import CONFIRMED, DISAGREES, check_data
from ssmproof.compiler.compiling import compile_language
from ssmproof.lang import spec as specs
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import SSM, Layer, Mode
from ssmproof.verify import api

from .helpers import ssm_data

REAL_VERIFY = api.verify


def _lang(spec: str):  # noqa: ANN202
    return specs.to_language(specs.resolve(spec))


def _stamped(ssm: SSM, read_as: SSM, lang: object) -> dict:
    """The certificate a broken verifier writes for ``ssm``: ``read_as`` judged, ``ssm`` named."""
    cert = REAL_VERIFY(read_as, lang, prove=True)
    return json.loads(dataclasses.replace(cert, construction=jsonio.content_hash(ssm)).to_json())


def _positional(ssm: SSM, lang: object) -> SSM:
    """Bug (1): decision i (construction order) compared with the language's i-th symbol, i.e.
    the readout row at position i re-keyed to the language's i-th symbol. The alphabet is
    listed in the language's order, so that any verifier, buggy or fixed, reads it the same."""
    order = tuple(lang.alphabet)  # type: ignore[attr-defined]
    return dataclasses.replace(ssm, alphabet=order, next={
        s: ssm.next[t] for s, t in zip((*order, "EOS"), (*ssm.alphabet, "EOS"))})


@pytest.fixture
def positional_verify(monkeypatch):
    def broken(ssm: SSM, lang: object, **kw: object):  # noqa: ANN202
        return _stamped(ssm, _positional(ssm, lang), lang)
    monkeypatch.setattr(api, "verify", broken)
    return broken


def _reversed_opposite_predictor() -> SSM:
    """tomita:1 (1*) predictor, alphabet listed ["1", "0"], predicting the opposite of 1*:
    its row for "0" is the correct row for "1" and vice versa (0 allowed, 1 forbidden)."""
    good = compile_language(_lang("tomita:1"), mode="predict")
    nxt = dict(good.next)
    return dataclasses.replace(good, alphabet=("1", "0"),
                               next={"1": nxt["0"], "0": nxt["1"], "EOS": nxt["EOS"]})


def test_bug1_positional_comparison_gives_a_false_holds_that_the_checker_rejects(
        positional_verify):
    ssm, lang = _reversed_opposite_predictor(), _lang("tomita:1")
    cert = api.verify(ssm, lang)
    assert cert["holds"] is True and cert["all_lengths"] is True  # the lie
    v = check_data(cert, ssm_data(ssm), "tomita:1")
    assert v.status == DISAGREES and v.exit_code == 1
    assert v.reason.startswith("a counterexample the certificate missed: ε")
    assert "wrong prediction for 0, 1" in v.reason


def test_bug1_the_fixture_matches_the_real_verifier_while_the_bug_exists():
    ssm, lang = _reversed_opposite_predictor(), _lang("tomita:1")
    real = json.loads(REAL_VERIFY(ssm, lang, prove=True).to_json())
    if real["holds"] is True:  # the bug is in the tree: the fixture must reproduce it exactly
        assert real == _stamped(ssm, _positional(ssm, lang), lang) | {"wall_time_s":
                                                                 real["wall_time_s"]}
        assert check_data(real, ssm_data(ssm), "tomita:1").status == DISAGREES
    else:  # fixed: the real certificate fails on ε, and the checker confirms that
        assert real["holds"] is False and real["counterexample"] == []
        assert check_data(real, ssm_data(ssm), "tomita:1").status == CONFIRMED


def _colliding() -> SSM:
    """Stream dim ``gate:L1.h`` means "the token is b"; the file accepts words ending in b.
    A simulator that keeps L1.h's gate in a register named ``gate:L1.h`` overwrites it with
    the gate value [token is a], and so reads "ends in a"."""
    emb = {"BOS": {"tok:BOS": 1, "one": 1}, "a": {"tok:a": 1, "one": 1},
           "b": {"gate:L1.h": 1, "one": 1}}
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"tok:a": 1}}, input={"L1.h": {}})
    return SSM("ends_in_b", Mode.RECOGNIZE, ("a", "b"), emb, (layer,),
               accept={"gate:L1.h": 1})


def _as_collided(ssm: SSM) -> SSM:
    """Bug (2): reads of the stream dim ``gate:L1.h`` after L1 see L1.h's gate row instead.
    The colliding name is renamed away, so that a fixed validator accepts the re-reading."""
    emb = dict(ssm.embedding, b={"tok:b": 1, "one": 1})
    return dataclasses.replace(ssm, embedding=emb, accept={"tok:a": 1})


@pytest.fixture
def colliding_verify(monkeypatch):
    def broken(ssm: SSM, lang: object, **kw: object):  # noqa: ANN202
        return _stamped(ssm, _as_collided(ssm), lang)
    monkeypatch.setattr(api, "verify", broken)
    return broken


@pytest.fixture
def ends_in_a(tmp_path):
    p = tmp_path / "ends_in_a.json"
    p.write_text('{"name": "ends_in_a", "alphabet": ["a", "b"], "regex": "(a|b)*a"}')
    return str(p)


def test_bug2_register_collision_gives_a_false_holds_that_the_checker_rejects(
        colliding_verify, ends_in_a):
    ssm = _colliding()
    cert = api.verify(ssm, _lang(ends_in_a))
    assert cert["holds"] is True and cert["all_lengths"] is True  # the lie
    v = check_data(cert, ssm_data(ssm), ends_in_a)
    assert v.status == DISAGREES
    assert v.reason == "a counterexample the certificate missed: [a]: wrong decision"


def test_bug2_the_fixture_matches_the_real_verifier_while_the_bug_exists(ends_in_a):
    ssm, lang = _colliding(), _lang(ends_in_a)
    try:
        real = json.loads(REAL_VERIFY(ssm, lang, prove=True).to_json())
    except Exception:  # noqa: BLE001 - fixed by refusing the reserved prefix: no certificate
        return
    if real["holds"] is True:
        assert real == _stamped(ssm, _as_collided(ssm), lang) | {"wall_time_s":
                                                                  real["wall_time_s"]}
        assert check_data(real, ssm_data(ssm), ends_in_a).status == DISAGREES
    else:
        assert real["counterexample"] == ["a"]
        assert check_data(real, ssm_data(ssm), ends_in_a).status == CONFIRMED
