"""Every command on an imported-Mamba-style model (``ssmproof-ssm/3``): handled right, or refused
with one line naming the file, the field and the fix (exit 2) — never hours, never a traceback.

The model is ``tiny_mamba`` (softplus Δ, exp gate, a product input, an rsqrt/silu readout); the
expected answers come from ``_by_hand`` there, which computes the formulas with mpmath and
rounds each value once, without the Machine.
"""

import itertools
import json

import pytest

from ssmproof import cli
from ssmproof.ssm import jsonio
from tests.ssm.test_smooth_maps import _by_hand, tiny_mamba


def parity(word):
    """PARITY: an even number of 1s."""
    return word.count("1") % 2 == 0


def by_hand_accepts(word, fmt):
    return _by_hand(list(word), fmt)[-1][1]


def shortest_wrong(fmt, longest):
    """The shortest word (ties in the alphabet's order) the model answers wrongly, by hand."""
    for n in range(longest + 1):
        for word in itertools.product("01", repeat=n):
            if by_hand_accepts(word, fmt) != parity(word):
                return list(word)
    return None


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    path = tmp_path_factory.mktemp("v3") / "mamba.json"
    path.write_text(jsonio.to_json(tiny_mamba()))
    assert json.loads(path.read_text())["format"] == "ssmproof-ssm/3"
    return str(path)


def run(capsys, argv):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(capsys, argv, model, *fix):
    code, out, err = run(capsys, argv)
    assert code == 2 and out == ""
    line = err.strip()
    assert len(line.splitlines()) == 1
    assert line.startswith(f"ssmproof: {model}: format: ssmproof-ssm/3")
    for text in fix:
        assert text in line
    return line


def test_verify_without_a_method_is_refused_naming_the_methods_that_work(capsys, model):
    refused(capsys, ["verify", model, "--against", "parity", "--format", "float32"], model,
            "--exhaustive N", "--random K", "--prove --max-configurations M")


def test_verify_invariant_is_refused_before_looking_for_a_relation(capsys, model):
    refused(capsys, ["verify", model, "--against", "parity", "--format", "float32",
                     "--invariant"], model, "drop --invariant")


def test_verify_prove_recheck_runs_the_checker_which_reads_the_format(capsys, model):
    # the checker reads ssmproof-ssm/3 (its own smooth activations, tests/check/test_smooth_models)
    code, out, _ = run(capsys, ["verify", model, "--against", "parity", "--format", "float32",
                                "--prove", "--max-configurations", "2000", "--recheck"])
    assert code == 1 and "recheck: confirmed: fails on [1 0]" in out


@pytest.mark.parametrize("method", [["--exhaustive", "3"], ["--prove"]], ids=["exhaustive", "prove"])
def test_verify_with_a_method_finds_the_shortest_error_computed_by_hand(capsys, model, method):
    expected = shortest_wrong("bfloat16", 3)
    assert expected is not None  # the tiny model is no PARITY recognizer
    code, out, _ = run(capsys, ["verify", model, "--against", "parity", "--format", "bfloat16",
                                "--json", *method])
    cert = json.loads(out)
    assert code == 1 and cert["holds"] is False
    assert cert["counterexample"] == expected


def test_verify_in_exact_arithmetic_says_the_value_is_irrational_and_names_a_format(capsys, model):
    code, _, err = run(capsys, ["verify", model, "--against", "parity", "--exhaustive", "2"])
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "irrational" in err and "--format float32" in err


def test_refute_finds_a_word_the_formulas_also_get_wrong(capsys, model):
    code, out, _ = run(capsys, ["refute", model, "--against", "parity", "--format", "float32",
                                "--json"])
    r = json.loads(out)
    assert code == 0 and r["found"] is True
    assert r["recheck"].endswith("agree")
    assert by_hand_accepts(r["input"], "float32") == r["ssm_accepts"] != parity(r["input"])


def test_run_gives_the_decisions_computed_by_hand(capsys, model):
    words = ["", "1", "0 1", "1 1 0 1"]
    for word in words:
        code, out, _ = run(capsys, ["run", model, "--input", word, "--format", "float32",
                                    "--json"])
        tokens = word.split()
        assert code == 0
        assert json.loads(out)["accepts"] == by_hand_accepts(tokens, "float32")


@pytest.mark.parametrize("argv,fix", [
    (["latex", "{m}", "-o", "{d}/m.tex"], "refute take it"),
    (["draw", "{m}", "-o", "{d}/m.dot"], "draw the language"),
    (["export", "{m}", "--torch", "-o", "{d}/m.pt"], "the checkpoint it was imported from"),
], ids=["latex", "draw", "export-torch"])
def test_renderers_and_export_refuse_naming_the_file(capsys, model, tmp_path, argv, fix):
    argv = [a.format(m=model, d=tmp_path) for a in argv]
    refused(capsys, argv, model, fix)
    assert list(tmp_path.iterdir()) == []  # nothing written
