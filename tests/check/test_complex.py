"""The checker re-runs prove certificates of complex models (ssmproof-ssm/2) with its own field.

Models: ``examples.count_mod_rotation(p)`` (one complex channel ζₚ^(#a), an MLP ramp on Re h)
and a hand-written file whose readout reads Im h of ζ₃ against a threshold between the
correctly rounded and the truncated bfloat16 value of √3/2 (so a verifier that rounds a complex
weight's part the wrong way gets another answer).
"""

from __future__ import annotations

import copy
import json
import math
from fractions import Fraction

import pytest

from ssmproof import examples
from ssmproof.check import CONFIRMED, DISAGREES, check_data, check_files
from ssmproof.check.model import content_hash
from ssmproof.cli import main
from ssmproof.lang import spec as specs
from ssmproof.numerics import complex_rounding
from ssmproof.numerics.cyclotomic import interval
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify

from .helpers import ROOT


def _count_spec(tmp_path, p: int, accepting: int = 0) -> str:
    """Words over {a, b} whose number of a's is ≡ ``accepting`` mod p (an explicit table)."""
    path = tmp_path / f"mod{p}_{accepting}.json"
    path.write_text(json.dumps({
        "name": f"mod{p}_{accepting}", "alphabet": ["a", "b"],
        "states": [f"q{i}" for i in range(p)], "start": "q0", "accepting": [f"q{accepting}"],
        "transitions": {f"q{i}": {"a": f"q{(i + 1) % p}", "b": f"q{i}"} for i in range(p)}}))
    return str(path)


COMPLEX_GALLERY = sorted(p.relative_to(ROOT / "constructions").as_posix()
                         for p in (ROOT / "constructions").glob("*/*-complex*.cert.json"))


@pytest.mark.parametrize("name", COMPLEX_GALLERY)
def test_every_committed_complex_certificate_is_confirmed_with_its_counts(name):
    lang, file = name.split("/")
    stem = file.split(".")[0]
    base = ROOT / "constructions" / lang
    cert = json.loads((base / file).read_text())
    data = json.loads((base / f"{stem}.json").read_text())
    spec = next(str(p) for p in (ROOT / "automata").glob(f"{lang}.*"))
    v = check_data(cert, data, spec)
    assert v.status == CONFIRMED, v.reason
    assert (v.configurations, v.edges) == (cert["configurations"], cert["edges"])


def test_the_gallery_has_complex_certificates_in_exact_and_finite_formats():
    formats = {json.loads((ROOT / "constructions" / n).read_text())["format"]
               for n in COMPLEX_GALLERY}
    assert len(COMPLEX_GALLERY) >= 20 and {"exact", "float32", "fixed:16.8"} <= formats


def _cert(data: dict, spec: str, fmt: str) -> dict:
    ssm = jsonio.from_json(json.dumps(data))
    lang = specs.to_language(specs.resolve(spec))
    return json.loads(verify(ssm, lang, fmt=fmt, prove=True).to_json(volatile=False))


def _rotation(p: int) -> dict:
    return json.loads(jsonio.to_json(examples.count_mod_rotation(p)))


# Im h > 173/200 after BOS·w, h = ζ₃^(#a): true exactly when #a ≡ 1 (mod 3); Im ζ₃ = 0.8660…,
# bfloat16 rounds it to 222/256 = 0.8671875 (nearest) and the threshold to 221/256.
IM_THRESHOLD = {
    "format": "ssmproof-ssm/2", "cyclotomic": 12, "name": "im_threshold", "mode": "recognize",
    "alphabet": ["a", "b"],
    "embedding": {t: {f"tok:{t}": "1", "one": "1"} for t in ("BOS", "a", "b")},
    "layers": [{"name": "L1", "state": ["L1.h"], "init": {"L1.h": "1"},
                "gate": {"L1.h": {"tok:a": {"zeta": {"4": "1"}}, "tok:b": "1", "tok:BOS": "1"}},
                "input": {"L1.h": {}}, "export": ["L1.h"]}],
    "readout": {"accept": {"L1.h": {"zeta": {"3": "-1"}}, "one": "-173/200"}}}


@pytest.mark.parametrize("p,fmt,configs", [(3, "exact", 3), (5, "exact", 5), (3, "float32", 11),
                                           (3, "bfloat16", 7), (5, "float16", 5),
                                           (5, "fixed:8.4", 8)])
def test_rotation_counters_are_confirmed_exactly_and_in_finite_complex_formats(
        tmp_path, p, fmt, configs):
    data, spec = _rotation(p), _count_spec(tmp_path, p)
    cert = _cert(data, spec, fmt)
    v = check_data(cert, data, spec)
    assert v.status == CONFIRMED, v.reason
    assert v.configurations == cert["configurations"] == configs
    assert v.edges == cert["edges"] and "gate_class complex" in " ".join(v.checked)


def test_a_drifting_rotation_fails_and_the_checker_confirms_the_shortest_counterexample(tmp_path):
    # fixed:16.8 shrinks |ζ₅| step by step until the ramp misreads a multiple of 5 a's
    data, spec = _rotation(5), _count_spec(tmp_path, 5)
    cert = _cert(data, spec, "fixed:16.8")
    assert cert["holds"] is False and len(cert["counterexample"]) % 5 == 0
    v = check_data(cert, data, spec)
    assert v.status == CONFIRMED and "shortest" in v.summary()
    shorter = dict(cert, counterexample=cert["counterexample"][5:])
    assert check_data(shorter, data, spec).status == DISAGREES


def _lie(cert: dict, data: dict, spec: str, *words: str) -> str:
    v = check_data(cert, data, spec)
    assert v.status == DISAGREES and v.exit_code == 1, v.summary()
    assert all(w in v.reason for w in words), v.reason
    return v.reason


def _restamped(data: dict, edit) -> tuple[dict, str]:
    """A mutated model and its hash: the certificate then lies only about what the model does."""
    out = copy.deepcopy(data)
    edit(out)
    return out, content_hash(out)


def _gate_a(p: int, value: object):
    return lambda d: d["layers"][0]["gate"]["L1.rot"].update({"tok:a": value})


@pytest.mark.parametrize("p,edit,words", [
    # ζ power changed: ζ₆² counts a's mod 3, so 'aaa' is accepted though 3 is not ≡ 0 mod 6
    (6, _gate_a(6, {"zeta": {"2": "1"}}), ("[a a a]: wrong decision",)),
    # ζ power 0: the gate is 1 and the count never moves
    (3, _gate_a(3, {"zeta": {"0": "1"}}), ("[a]: wrong decision",)),
    # one weight changed: b rotates too
    (3, lambda d: d["layers"][0]["gate"]["L1.rot"].update({"tok:b": {"zeta": {"1": "1"}}}),
     ("[b]: wrong decision",)),
    # one readout weight changed: near1 − 2·over1 is 0 at Re h = 1, so ε is rejected
    (5, lambda d: d["readout"]["accept"].update({"L1.over1": "-2"}), ("ε: wrong decision",)),
])
def test_a_mutated_complex_model_is_refuted_with_the_first_wrong_word(tmp_path, p, edit, words):
    data, spec = _rotation(p), _count_spec(tmp_path, p)
    cert = _cert(data, spec, "exact")
    mutated, digest = _restamped(data, edit)
    _lie(dict(cert, construction=digest), mutated, spec, "counterexample the certificate missed",
         *words)


def test_a_different_zeta_power_that_still_counts_mod_5_is_confirmed(tmp_path):
    # ζ₅² generates the same group: the mutated model is right, and the checker says so
    data, spec = _rotation(5), _count_spec(tmp_path, 5)
    mutated, digest = _restamped(data, _gate_a(5, {"zeta": {"2": "1"}}))
    cert = dict(_cert(data, spec, "exact"), construction=digest)
    assert check_data(cert, mutated, spec).status == CONFIRMED


@pytest.mark.parametrize("lie,words", [
    (lambda c: c.update(configurations=c["configurations"] + 1), ("configurations count",)),
    (lambda c: c.update(edges=c["edges"] + 1), ("edges count mismatch",)),
    (lambda c: c.update(format="bfloat16"), ("configurations count mismatch", "finds 7")),
    (lambda c: c.update(gate_class="signed"), ("gate_class mismatch", "'complex'")),
])
def test_a_lying_float32_certificate_is_rejected_naming_the_lie(tmp_path, lie, words):
    data, spec = _rotation(3), _count_spec(tmp_path, 3)
    cert = _cert(data, spec, "float32")
    lie(cert)
    _lie(cert, data, spec, *words)


def test_a_changed_zeta_coordinate_changes_the_hash(tmp_path):
    data, spec = _rotation(5), _count_spec(tmp_path, 5)
    cert = _cert(data, spec, "exact")
    data["layers"][0]["mlp"][0]["weights"]["L1.near1"]["L1.rot"]["zeta"]["0"] = "17/5"
    _lie(cert, data, spec, "hash mismatch")


def _truncating(fmt, x):
    """A broken verifier's weight rounding: the imaginary part truncated to 8 bits."""
    w = ORIGINAL_ROUND_WEIGHT(fmt, x)
    if isinstance(x, (int, Fraction)):
        return w
    lo, _ = interval(x, imag=True, bits=80)
    return complex_rounding.gaussian(complex_rounding.parts(w)[0], Fraction(math.floor(lo * 256),
                                                                            256))


ORIGINAL_ROUND_WEIGHT = complex_rounding.round_weight


def test_a_certificate_made_with_the_wrong_complex_rounding_is_rejected(tmp_path, monkeypatch):
    spec = _count_spec(tmp_path, 3, accepting=1)
    honest = _cert(IM_THRESHOLD, spec, "bfloat16")
    assert honest["holds"] and check_data(honest, IM_THRESHOLD, spec).status == CONFIRMED
    monkeypatch.setattr(complex_rounding, "round_weight", _truncating)
    broken = _cert(IM_THRESHOLD, spec, "bfloat16")
    assert broken["holds"] is False and broken["counterexample"] == ["a"]
    _lie(broken, IM_THRESHOLD, spec, "[a] does not replay", "right at every checked prefix")


@pytest.mark.parametrize("fmt,configs", [("exact", 3), ("float16", 7), ("float32", 11),
                                         ("fixed:8.8", 5)])
def test_the_threshold_model_is_confirmed_in_every_format_that_proves_it(tmp_path, fmt, configs):
    spec = _count_spec(tmp_path, 3, accepting=1)
    cert = _cert(IM_THRESHOLD, spec, fmt)
    assert cert["holds"] and cert["configurations"] == configs
    assert check_data(cert, IM_THRESHOLD, spec).status == CONFIRMED


def test_the_hash_reduces_zeta_exponents_like_the_toolkit():
    # ζ₁₂⁴ is written above φ(12) = 4; Φ₁₂ = x⁴ − x² + 1 makes it ζ² − 1 in the canonical file
    loaded = jsonio.from_json(json.dumps(IM_THRESHOLD))
    assert content_hash(IM_THRESHOLD) == jsonio.content_hash(loaded)
    written = json.loads(jsonio.to_json(loaded, metadata={"gate_class": "unknown"}))
    assert written["layers"][0]["gate"]["L1.h"]["tok:a"] == {"zeta": {"0": "-1", "2": "1"}}


def test_a_v2_file_whose_complex_weights_are_rational_hashes_as_v1():
    data = _rotation(3)
    data["layers"][0]["gate"]["L1.rot"]["tok:a"] = {"zeta": {"0": "1", "1": "1", "2": "1"}}
    data["layers"][0]["mlp"][0]["weights"]["L1.near1"]["L1.rot"] = {"zeta": {"0": "2"}}
    data["layers"][0]["mlp"][0]["weights"]["L1.over1"]["L1.rot"] = "2"
    loaded = jsonio.from_json(json.dumps(data))
    assert loaded.cyclotomic_order == 1
    assert content_hash(data) == jsonio.content_hash(loaded)


BAD = {
    "no_order": (lambda d: d.pop("cyclotomic"), "cyclotomic"),
    "order_in_v1": (lambda d: d.update(format="ssmproof-ssm/1"), "cyclotomic"),
    "exponent_too_big": (_gate_a(5, {"zeta": {"5": "1"}}), "exponent '5'"),
    "float_coordinate": (_gate_a(5, {"zeta": {"1": "0.5"}}), "zeta.1"),
    "not_zeta": (_gate_a(5, {"zeta": {}}), "not a complex weight"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_complex_file_is_bad_input_in_one_line(tmp_path, capsys, kind):
    data, spec = _rotation(5), _count_spec(tmp_path, 5)
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps(_cert(data, spec, "exact")))
    edit, words = BAD[kind]
    edit(data)
    ssm = tmp_path / "m.json"
    ssm.write_text(json.dumps(data))
    assert main(["check", str(cert), str(ssm), spec]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(ssm) in err and words in err, err


def test_a_complex_weight_that_cancels_leaves_the_gate_class_nonnegative(tmp_path):
    # the gate on a is ζ − ζ = 0: the state drops to 0 at the first a, so the model accepts b*
    data = _rotation(3)
    data["embedding"]["a"]["tok:x"] = "1"
    data["layers"][0]["gate"]["L1.rot"]["tok:x"] = {"zeta": {"1": "-1"}}
    spec = tmp_path / "no_a.json"
    spec.write_text(json.dumps({"name": "no_a", "alphabet": ["a", "b"], "regex": "b*"}))
    cert = _cert(data, str(spec), "exact")
    assert cert["gate_class"] == "nonnegative" and cert["holds"] is True
    assert check_data(cert, data, str(spec)).status == CONFIRMED
    _lie(dict(cert, gate_class="complex"), data, str(spec), "gate_class mismatch")


def test_check_cli_confirms_a_complex_certificate_file(tmp_path):
    data, spec = _rotation(5), _count_spec(tmp_path, 5)
    (tmp_path / "m.json").write_text(json.dumps(data))
    (tmp_path / "c.json").write_text(json.dumps(_cert(data, spec, "float16")))
    v = check_files(str(tmp_path / "c.json"), str(tmp_path / "m.json"), spec)
    assert v.status == CONFIRMED and v.configurations == 5
