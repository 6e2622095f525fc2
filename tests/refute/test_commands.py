"""``ssmproof refute`` and ``ssmproof lemmas`` through the CLI: exit codes and JSON keys."""

import json
from fractions import Fraction

import pytest

from ssmproof import cli, examples
from ssmproof.refute.wraparound import parity_wraparound
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok

DESIGN_KEYS = {"found", "u", "w", "v", "n", "input", "ssm_accepts", "in_language", "reason"}


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """Register the two commands for these tests (the lead owns ssmproof/commands/__init__.py)."""
    extra = tuple(c for c in ("refute", "lemmas") if c not in cli.COMMANDS)
    monkeypatch.setattr(cli, "COMMANDS", cli.COMMANDS + extra)


@pytest.fixture
def files(tmp_path):
    out = {}
    for name, ssm in [("wrap", parity_wraparound(8)), ("signed", examples.parity_signed()),
                      ("latch", examples.last_is_a())]:
        path = tmp_path / f"{name}.json"
        path.write_text(jsonio.to_json(ssm))
        out[name] = str(path)
    return out


def run(capsys, argv):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_found_exits_0_with_the_design_keys(capsys, files):
    # --scan 0 --no-enclose: straight to the stabilisation argument, waiting for the
    # configuration to repeat (the counter settles at 2^15 = 128·256)
    code, out, _ = run(capsys, ["refute", files["wrap"], "--against", "parity", "--format",
                                "bfloat16", "--scan", "0", "--no-enclose", "--json"])
    data = json.loads(out)
    assert code == 0 and DESIGN_KEYS <= set(data)
    assert (data["found"], data["n"], data["w"], data["ssm_accepts"], data["in_language"]) == \
        (True, 257, ["1"], True, False)
    assert data["input"] == ["1"] * 257 and data["reason"] is None


@pytest.mark.parametrize("fmt", ["exact", "bfloat16", "float32", "fixed:16.8"])
def test_an_ssm_already_wrong_at_a_short_word_exits_0_with_that_word_in_every_format(
        capsys, tmp_path, fmt):
    # h ← h/2 + [1]: never arrives in exact arithmetic (the argument alone says "inconclusive"),
    # and its readout 1/2 − h accepts ε, rejects 1 and 11 — and 11 has an even number of 1s
    decay = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: Fraction(1, 2)}},
                  input={"L1.h": {tok("1"): 1}}, export=("L1.h",))
    ssm = SSM("decay", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (decay,),
              accept={ONE: Fraction(1, 2), "L1.h": -1})
    path = tmp_path / "decay.json"
    path.write_text(jsonio.to_json(ssm))
    code, out, _ = run(capsys, ["refute", str(path), "--against", "parity", "--format", fmt,
                                "--json"])
    data = json.loads(out)
    assert code == 0 and (data["n"], data["input"], data["ssm_accepts"], data["in_language"]) \
        == (2, ["1", "1"], False, True)
    assert data["recheck"] == "run_word and the DFA agree"


def test_int8_wraparound_exits_1_with_the_reason(capsys, files):
    code, out, _ = run(capsys, ["refute", files["wrap"], "--against", "parity", "--format",
                                "int:8", "--json"])
    data = json.loads(out)
    assert code == 1 and data["found"] is False
    assert data["reason"] == "format int:8 wraps around: rounding is not monotone"


def test_a_negative_gate_exits_1_and_verify_prove_exits_0(capsys, files):
    code, out, _ = run(capsys, ["refute", files["signed"], "--against", "parity"])
    assert code == 1 and "argument does not apply" in out and "-1 < 0" in out
    code, out, _ = run(capsys, ["verify", files["signed"], "--against", "parity", "--prove"])
    assert code == 0 and "HOLDS for all lengths" in out


def test_wraparound_proves_under_int8(capsys, files):
    code, out, _ = run(capsys, ["verify", files["wrap"], "--against", "parity", "--prove",
                                "--format", "int:8"])
    assert code == 0 and "HOLDS for all lengths" in out


def test_a_star_free_spec_exits_1(capsys, files):
    code, out, _ = run(capsys, ["refute", files["latch"], "--against", "D2", "--json"])
    assert code == 1 and "star-free" in json.loads(out)["reason"]


def test_exact_arithmetic_that_does_not_settle_exits_3_naming_formats(capsys, files):
    code, out, _ = run(capsys, ["refute", files["wrap"], "--against", "parity", "--scan", "0"])
    assert code == 3 and "--format bfloat16" in out and "grows by 128" in out


def test_the_block_budget_exits_3_with_the_furthest_block(capsys, files):
    code, out, _ = run(capsys, ["refute", files["wrap"], "--against", "parity", "--format",
                                "float32", "--block-budget", "1", "--scan", "0", "--no-enclose",
                                "--json"])
    data = json.loads(out)
    assert code == 3 and data["found"] is False and data["blocks_run"] == 1


@pytest.mark.parametrize("argv, says", [
    (["refute", "missing.json", "--against", "parity"], "missing.json"),
    (["refute", "{wrap}", "--against", "no_such_language"], "no_such_language"),
    (["refute", "{wrap}", "--against", "parity", "--format", "fixed:0.3"], "fixed:0.3"),
    (["refute", "{wrap}", "--against", "aa_star"], "alphabet"),  # {0, 1} against {a}
])
def test_bad_input_exits_2_with_one_line_naming_the_problem(capsys, files, argv, says):
    code, out, err = run(capsys, [a.format(**files) for a in argv])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err


def test_a_bad_option_value_exits_2(capsys, files):
    code, _, err = run(capsys, ["refute", files["wrap"], "--against", "parity",
                                "--block-budget", "0"])
    assert code == 2 and "not positive" in err


def test_lemmas_prints_the_report_and_json(capsys):
    code, out, _ = run(capsys, ["lemmas", "--max-bits", "3"])
    assert code == 0 and "Lemma (a)" in out and "fixed:2.1" in out
    code, out, _ = run(capsys, ["lemmas", "--max-bits", "2", "--json"])
    data = json.loads(out)
    assert code == 0 and data["holds"] is True and len(data["formats"]) == 3
