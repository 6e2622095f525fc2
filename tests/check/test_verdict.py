"""The checker confirms real certificates and rejects every hand-made lie about them."""

from __future__ import annotations

import copy

import pytest

from ssmproof import examples
from ssmproof.check import CONFIRMED, DISAGREES, NOT_RECHECKED, check_data
from ssmproof.compiler.compiling import compile_language
from ssmproof.lang import spec as specs

from .helpers import certificate, gallery, ssm_data

SMALL = [("flipflop", "predict-nonnegative"), ("flipflop", "recognize-nonnegative"),
         ("parity", "recognize-signed"), ("dyck_2_3", "recognize-nonnegative"),
         ("tomita5", "recognize-signed"), ("abdbc", "predict-nonnegative")]


@pytest.mark.parametrize("lang,stem", SMALL, ids=lambda x: x)
def test_committed_gallery_certificates_are_confirmed_with_their_counts(lang, stem):
    cert, ssm, spec = gallery(lang, stem)
    v = check_data(cert, ssm, spec)
    assert v.status == CONFIRMED, v.reason
    assert (v.configurations, v.edges) == (cert["configurations"], cert["edges"])


def _reject(cert, ssm, spec, *words):
    v = check_data(cert, ssm, spec)
    assert v.status == DISAGREES and v.exit_code == 1, v.summary()
    assert any(w in v.reason for w in words), v.reason
    return v


@pytest.fixture
def flipflop():
    return gallery("flipflop", "predict-nonnegative")


def test_a_changed_weight_changes_the_hash(flipflop):
    cert, ssm, spec = flipflop
    layer = ssm["layers"][0]
    row = next(iter(layer["input"].values()))
    dim = next(iter(row))
    row[dim] = "7/3"
    _reject(cert, ssm, spec, "hash mismatch")


def test_an_unchanged_file_rewritten_in_another_order_keeps_its_hash(flipflop):
    cert, ssm, spec = flipflop
    reordered = dict(reversed(list(ssm.items())))
    reordered["metadata"] = {"anything": 1}
    assert check_data(cert, reordered, spec).status == CONFIRMED


@pytest.mark.parametrize("key,delta,words", [
    ("configurations", 1, ("configurations count mismatch",)),
    ("configurations", -1, ("did not close",)),
    ("edges", 1, ("edges count mismatch",)),
    ("edges", -1, ("edges count mismatch",)),
])
def test_wrong_counts_are_named(flipflop, key, delta, words):
    cert, ssm, spec = flipflop
    cert[key] += delta
    _reject(cert, ssm, spec, *words)


@pytest.mark.parametrize("change,words", [
    ({"construction": "sha256:" + "0" * 64}, "hash mismatch"),
    ({"holds": False}, "no counterexample"),
    ({"holds": False, "counterexample": ["w", "0", "r", "0"], "wrong_symbol": "EOS"},
     "does not replay"),
    ({"language": "tomita1"}, "language mismatch"),
], ids=["wrong hash", "holds flipped", "invented counterexample", "language swapped"])
def test_a_lie_about_a_proof_is_named(flipflop, change, words):
    cert, ssm, spec = flipflop
    _reject(cert | change, ssm, spec, words)


@pytest.fixture
def failing():
    """parity_signed judged against tomita:1 (1*): [0] and [1] are both wrong; [0] comes first
    in the alphabet's order (parity accepts 0, 1* does not)."""
    ssm = examples.parity_signed()
    cert = certificate(ssm, "tomita:1")
    assert cert["holds"] is False and cert["counterexample"] == ["0"]
    return cert, ssm_data(ssm), "tomita:1"


def test_a_real_failure_is_confirmed_replayed_and_shortest(failing):
    cert, ssm, spec = failing
    v = check_data(cert, ssm, spec)
    assert v.status == CONFIRMED, v.reason
    assert "shortest" in v.checked[0]


@pytest.mark.parametrize("change,words", [
    ({"counterexample": None}, "no counterexample"),
    ({"holds": True, "all_lengths": True, "counterexample": None}, "missed: [0]"),
    ({"counterexample": ["1"]}, "not the shortest"),  # wrong too, as short, later in order
    ({"counterexample": ["0", "1"]}, "already fails at length 1"),  # extended past its error
], ids=["counterexample removed", "flipped to holds", "not first", "extended"])
def test_a_lie_about_a_failure_is_named(failing, change, words):
    cert, ssm, spec = failing
    _reject(cert | change, ssm, spec, words)


def test_a_predictive_failure_names_a_wrong_symbol_by_name():
    ssm = compile_language(specs.to_language(specs.resolve("tomita:1")), mode="predict")
    cert = certificate(ssm, "tomita:2")
    assert cert["holds"] is False
    v = check_data(cert, ssm_data(ssm), "tomita:2")
    assert v.status == CONFIRMED, v.reason
    bad = copy.deepcopy(cert)
    bad["wrong_symbol"] = "no-such-symbol"
    _reject(bad, ssm_data(ssm), "tomita:2", "wrong_symbol")


def test_an_overflow_failure_is_replayed():
    # h <- 2h + 1 overflows float16 after 16 symbols; the first overflow is the counterexample
    from ssmproof.ssm.program import SSM, Layer, Mode, default_embedding
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"one": 2}}, input={"L1.h": {"one": 1}},
                  export=("L1.h",))
    ssm = SSM("doubler", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.h": 1})
    cert = certificate(ssm, "aa_star", fmt="float16")
    assert cert["holds"] is False
    v = check_data(cert, ssm_data(ssm), "aa_star")
    assert v.status == CONFIRMED, v.reason


def test_inconclusive_certificate_is_rechecked_to_its_depth():
    ssm = examples.dyck1_bounded(2)  # an exact counter: never closes in exact arithmetic
    cert = certificate(ssm, "dyck:1,2", max_configurations=30)
    assert cert["holds"] is None
    v = check_data(cert, ssm_data(ssm), "dyck:1,2")
    assert v.status == CONFIRMED and v.depth == cert["max_length_checked"], v.reason
    cert["max_length_checked"] += 1
    _reject(cert, ssm_data(ssm), "dyck:1,2", "depth", "count mismatch")


@pytest.mark.parametrize("method", ["prove+exhaustive+random+invariant", "random+prove", "bogus",
                                    None])
def test_a_method_the_checker_does_not_rerun_is_never_confirmed(flipflop, method):
    cert, ssm, spec = flipflop
    cert["method"] = method
    v = check_data(cert, ssm, spec)
    assert v.status == NOT_RECHECKED and v.exit_code == 3
    assert "not one this checker re-runs" in v.reason


def test_more_configurations_than_the_bound_is_not_rechecked(flipflop):
    cert, ssm, spec = flipflop
    v = check_data(cert, ssm, spec, max_configurations=3)
    assert v.status == NOT_RECHECKED and "bound" in v.reason


def test_a_recognizers_gate_class_is_recomputed_from_every_reachable_gate_value():
    cert, ssm, spec = gallery("flipflop", "recognize-nonnegative")
    assert "gate_class nonnegative recomputed" in check_data(cert, ssm, spec).checked[1]
    _reject(cert | {"gate_class": "signed"}, ssm, spec, "gate_class mismatch")
    cert, ssm, spec = gallery("parity", "recognize-signed")  # gate -1 on 1
    _reject(cert | {"gate_class": "nonnegative"}, ssm, spec, "gate_class mismatch")
