"""Complex weights end to end: file format v2, exact and finite simulation, prove, refute, run."""

from __future__ import annotations

import glob
import json
from fractions import Fraction

import pytest

from ssmproof import examples
from ssmproof.cli import main
from ssmproof.errors import SSMFileError
from ssmproof.lang.automaton import DFA
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.refute.stabilise import refute
from ssmproof.sim.gates import reachable_gate_class
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify


def count_mod(p: int) -> DFA:
    """Words over {a, b} with a number of a's divisible by p (written as a table, not compiled)."""
    return DFA(("a", "b"), tuple(f"q{i}" for i in range(p)), 0, frozenset({0}),
               tuple(((i + 1) % p, i) for i in range(p)), f"mod{p}")


def test_complex_file_is_v2_with_readable_zeta_coordinates_and_round_trips() -> None:
    ssm = examples.count_mod_rotation(5)
    text = jsonio.to_json(ssm)
    data = json.loads(text)
    assert data["format"] == "ssmproof-ssm/2" and data["cyclotomic"] == 5
    assert data["layers"][0]["gate"]["L1.rot"]["tok:a"] == {"zeta": {"1": "1"}}
    again = jsonio.from_json(text)
    assert jsonio.to_json(again) == text
    assert again.layers[0].gate["L1.rot"]["tok:a"] == Cyclotomic.zeta(5)


def _construction_files() -> list[str]:
    out = []
    for path in sorted(glob.glob("constructions/*/*.json")):
        with open(path, encoding="utf-8") as fh:
            if str(json.load(fh).get("format", "")).startswith("ssmproof-ssm/"):
                out.append(path)
    return out


@pytest.mark.parametrize("path", _construction_files())
def test_every_committed_construction_still_loads_and_hashes_the_same(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    ssm = jsonio.load(path)
    assert jsonio.content_hash(ssm) == raw["metadata"]["hash"]
    if ssm.cyclotomic_order == 1:
        assert raw["format"] == "ssmproof-ssm/1"


BAD = {
    "zeta_in_a_v1_file": (lambda d: d.update(format="ssmproof-ssm/1"), "format"),
    "no_declared_order": (lambda d: d.pop("cyclotomic"), "cyclotomic"),
    "exponent_too_big": (lambda d: d["layers"][0]["gate"]["L1.rot"].update(
        {"tok:a": {"zeta": {"7": "1"}}}), "not below the declared order"),
    "float_coordinate": (lambda d: d["layers"][0]["gate"]["L1.rot"].update(
        {"tok:a": {"zeta": {"1": "0.5"}}}), "L1.rot"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_complex_files_get_one_line_naming_the_field(kind: str, tmp_path, capsys) -> None:
    data = json.loads(jsonio.to_json(examples.count_mod_rotation(5)))
    mutate, expected = BAD[kind]
    mutate(data)
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SSMFileError) as err:
        jsonio.load(str(path))
    assert str(err.value).startswith(str(path)) and expected in str(err.value)
    assert main(["run", str(path), "--input", "a"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("p", [3, 5])
def test_rotation_counter_is_proved_exactly_with_p_configurations(p: int) -> None:
    cert = verify(examples.count_mod_rotation(p), count_mod(p), prove=True)
    assert cert.holds and cert.all_lengths and cert.configurations == p


@pytest.mark.parametrize(("p", "fmt", "configs"), [(3, "float32", 11), (3, "bfloat16", 7),
                                                    (5, "float16", 5), (5, "fixed:8.4", 8)])
def test_rotation_counter_closes_under_finite_complex_formats(p: int, fmt: str,
                                                              configs: int) -> None:
    # the rounded ζₚ has modulus ≠ 1, yet per-part rounding snaps the orbit onto a short cycle
    cert = verify(examples.count_mod_rotation(p), count_mod(p), fmt=fmt, prove=True)
    assert cert.holds and cert.all_lengths and cert.configurations == configs


def test_rounding_drift_is_found_not_hidden() -> None:
    # fixed:16.8 shrinks |ζ₅| below 1 step by step: the answer goes wrong on a long word
    cert = verify(examples.count_mod_rotation(5), count_mod(5), fmt="fixed:16.8", prove=True)
    assert cert.holds is False and set(cert.counterexample) == {"a"}
    assert len(cert.counterexample) % 5 == 0  # a multiple of 5 a's, rejected by the SSM


def test_gate_class_is_complex_exactly_when_a_complex_gate_is_reached() -> None:
    assert reachable_gate_class(examples.count_mod_rotation(3)).gate_class == "complex"
    data = json.loads(jsonio.to_json(examples.count_mod_rotation(3)))
    # a second token dim cancels ζ₃ on "a": complex weights, but every gate value is 0 or 1
    data["embedding"]["a"]["tok:x"] = "1"
    data["layers"][0]["gate"]["L1.rot"]["tok:x"] = {"zeta": {"1": "-1"}}
    ssm = jsonio.from_json(json.dumps(data))
    assert ssm.cyclotomic_order == 3
    assert reachable_gate_class(ssm).gate_class == "nonnegative"


def test_refute_does_not_apply_to_a_complex_gate() -> None:
    r = refute(examples.count_mod_rotation(3), count_mod(3))
    assert r.status.value == "not_applicable" and "not real" in r.reason


def test_run_cli_answers_on_complex_constructions(tmp_path, capsys) -> None:
    path = tmp_path / "m3.json"
    path.write_text(jsonio.to_json(examples.count_mod_rotation(3)))
    words = tmp_path / "w.txt"
    words.write_text("a a a\na a\n\nb a b a b a\n")
    assert main(["run", str(path), "--inputs", str(words), "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["accepts"] for o in out] == [True, False, True, True]
    assert main(["refute", str(path), "--against", "automata/parity.toml"]) in (1, 2)
    capsys.readouterr()


def test_the_mlp_weights_of_p5_are_irrational_but_exact() -> None:
    ssm = examples.count_mod_rotation(5)
    k = ssm.layers[0].mlp[0].weights["L1.near1"]["L1.rot"]
    assert isinstance(k, Cyclotomic) and k.is_real
    assert Fraction(5) < k < Fraction(6)  # 4/(1 − cos 72°) ≈ 5.789


def test_the_complex_example_in_the_docs_is_the_written_file_trimmed() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "ssm-format.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"cyclotomic"' in b)
    shown = json.loads(block)
    written = json.loads(jsonio.to_json(examples.count_mod_rotation(5)))
    for key in shown:
        assert shown[key] == written[key], key


def test_an_exact_complex_initial_state_is_kept_as_it_is() -> None:
    # Start the mod-3 rotation at ζ₃² instead of 1 (= −1 − ζ₃, not in Q(i)): after w the state
    # is ζ₃^(2 + #a), so the readout (state = 1) accepts exactly when #a ≡ 1 (mod 3). Exact
    # simulation must not round the start value per part (it has no rational parts).
    import dataclasses
    import itertools

    from ssmproof.sim.machine import Machine

    base = examples.count_mod_rotation(3)
    shifted = dataclasses.replace(base, layers=(dataclasses.replace(
        base.layers[0], init={"L1.rot": Cyclotomic.zeta(3) * Cyclotomic.zeta(3)}),))
    m = Machine(shifted)
    for n in range(7):
        for word in itertools.product("ab", repeat=n):
            assert m.accepts(word) is (word.count("a") % 3 == 1), word
    one_mod_3 = DFA(("a", "b"), ("q0", "q1", "q2"), 0, frozenset({1}),
                    ((1, 0), (2, 1), (0, 2)), "one_mod3")
    cert = verify(shifted, one_mod_3, prove=True)
    assert (cert.holds, cert.all_lengths, cert.configurations) == (True, True, 3)
