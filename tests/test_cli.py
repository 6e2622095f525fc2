"""The command-line contract of DESIGN §7: forms, JSON keys, exit codes (in-process)."""

from __future__ import annotations

import json

import pytest

from ssmproof import examples
from ssmproof.cli import main
from ssmproof.ssm import jsonio


def _json(capsys) -> object:
    return json.loads(capsys.readouterr().out)


def _write(tmp_path, ssm, name="m.json") -> str:
    path = tmp_path / name
    path.write_text(jsonio.to_json(ssm))
    return str(path)


def test_zoo_json_lists_families_with_their_keys(capsys):
    assert main(["zoo", "--json"]) == 0
    entries = {e["name"]: e for e in _json(capsys)}
    assert {"parity", "flipflop", "dyck:K,H", "tomita:N", "dyck1", "shuffle:K"} <= set(entries)
    assert entries["parity"]["alphabet"] == ["0", "1"] and entries["parity"]["star_free"] is False
    assert entries["dyck:K,H"]["alphabet"] is None
    assert entries["tomita:N"]["star_free"] is None
    assert entries["dyck1"]["regular"] is False
    assert all(set(e) >= {"name", "alphabet", "regular", "star_free", "parameters"}
               for e in entries.values())


@pytest.mark.parametrize("spec,star_free,states,monoid,period", [
    ("parity", False, 2, 2, 2),          # Z2: {id, flip}
    ("tomita:1", True, 2, 2, None),      # 1*: {id, to-sink}
    ("tomita:6", False, 3, 3, 3),        # Z3 on #0 - #1 mod 3
    ("aa_star", False, 2, 2, 2),
])
def test_classify_json_has_the_design_keys(spec, star_free, states, monoid, period, capsys):
    assert main(["classify", spec, "--json"]) == 0
    data = _json(capsys)
    assert data["regular"] is True and data["star_free"] is star_free
    assert data["states"] == states and data["monoid_size"] == monoid
    if period is None:
        assert data["witness"] is None
    else:
        assert data["witness"]["period"] == period
        assert set(data["witness"]) == {"u", "w", "v", "period"}


def test_classify_of_a_counter_language_has_null_keys(capsys):
    assert main(["classify", "anbn", "--json"]) == 0
    data = _json(capsys)
    assert data["regular"] is False
    assert data["star_free"] is None and data["states"] is None and data["witness"] is None


def test_verify_exit_codes_and_json_keys(tmp_path, capsys):
    good = _write(tmp_path, examples.parity_signed(), "good.json")
    assert main(["verify", good, "--against", "parity", "--json"]) == 0
    data = _json(capsys)
    assert data["holds"] is True and data["all_lengths"] is True and data["method"] == "prove"
    assert data["configurations"] == 2 and data["counterexample"] is None
    assert data["memory_bits"] == 1.0 and data["state_dims"] == 1
    assert data["max_length_checked"] is None
    # the same model is no recognizer of "last symbol is 1"-free words (tomita 1 = 1*)
    assert main(["verify", good, "--against", "tomita:1", "--prove", "--json"]) == 1
    bad = _json(capsys)
    assert bad["holds"] is False and bad["counterexample"] == ["0"]
    # exhaustive only: never all lengths
    assert main(["verify", good, "--against", "parity", "--exhaustive", "6", "--json"]) == 0
    data = _json(capsys)
    assert data["all_lengths"] is False and data["max_length_checked"] == 6


def test_verify_inconclusive_is_exit_3(tmp_path, capsys):
    path = _write(tmp_path, examples.dyck1_bounded(2))
    code = main(["verify", path, "--against", "dyck:1,2", "--prove", "--max-configurations",
                 "40", "--json"])
    assert code == 3
    data = _json(capsys)
    assert data["holds"] is None and data["all_lengths"] is False
    assert data["max_length_checked"] >= 10


def test_verify_a_non_regular_language_with_prove_falls_back_and_says_so(tmp_path, capsys):
    path = _write(tmp_path, examples.dyck1_predictor(3))
    # the depth-3 predictor is right on every Dyck-1 prefix of depth <= 3 only
    assert main(["verify", path, "--against", "dyck1", "--prove", "--json"]) == 1
    data = _json(capsys)
    assert data["counterexample"] == ["(", "(", "("] and data["wrong_symbol"] == "("


def test_verify_bad_inputs_exit_2(tmp_path, capsys):
    good = _write(tmp_path, examples.parity_signed())
    assert main(["verify", good, "--against", "no_such_language"]) == 2
    assert main(["verify", good, "--against", "parity", "--format", "fixed:abc"]) == 2
    assert main(["verify", good, "--against", "flipflop"]) == 2  # alphabets differ
    err = capsys.readouterr().err
    assert err.count("ssmproof:") == 3 and "Traceback" not in err


def test_run_json_one_object_per_word_in_order(tmp_path, capsys):
    path = _write(tmp_path, examples.dyck1_predictor(2))
    words = tmp_path / "words.txt"
    words.write_text("( )\n\n( (\n")
    assert main(["run", path, "--inputs", str(words), "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["input"] for x in lines] == [["(", ")"], [], ["(", "("]]
    assert [x["accepts"] for x in lines] == [True, True, False]
    assert lines[2]["allowed_next"] == [["(", "EOS"], ["(", ")"], [")"]]  # depth 0, 1, 2


def test_run_inputs_with_an_unknown_symbol_names_the_line(tmp_path, capsys):
    path = _write(tmp_path, examples.contains_aa())
    words = tmp_path / "words.txt"
    words.write_text("a a\nb x\n")
    assert main(["run", path, "--inputs", str(words)]) == 2
    assert "line 2" in capsys.readouterr().err


def test_run_a_single_character_alphabet_may_omit_spaces(tmp_path, capsys):
    path = _write(tmp_path, examples.contains_aa())
    assert main(["run", path, "--input", "baab", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepts"] is True


def test_draw_writes_dot_for_a_dfa_and_refuses_what_it_cannot_draw(tmp_path, capsys):
    out = tmp_path / "t4.dot"
    assert main(["draw", "tomita:4", "-o", str(out)]) == 0
    text = out.read_text()
    # Tomita 4 (no 000): minimal DFA with 4 states incl. the sink, 2 symbols -> 8 edges + start
    assert text.count("doublecircle") >= 1 and text.startswith("digraph")
    assert main(["draw", "dyck1", "-o", str(tmp_path / "x.dot")]) == 2
    assert main(["draw", "parity", "-o", str(tmp_path / "x.png")]) == 2
    assert "not regular" in capsys.readouterr().err


def test_draw_a_construction_shows_its_layers(tmp_path):
    path = _write(tmp_path, examples.dyck1_bounded(2))
    out = tmp_path / "m.dot"
    assert main(["draw", path, "-o", str(out)]) == 0
    text = out.read_text()
    assert "L1.depth" in text and "L2.error" in text
