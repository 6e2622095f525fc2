"""``ssmproof check CERT SSM SPEC``: exit codes 0/1/2/3, one-line errors, ``--json`` keys."""

from __future__ import annotations

import json

import pytest

from ssmproof.cli import main

from .helpers import ROOT

BASE = ROOT / "constructions" / "flipflop"
CERT, SSM, SPEC = (str(BASE / "predict-nonnegative.cert.json"),
                   str(BASE / "predict-nonnegative.json"), str(ROOT / "automata/flipflop.json"))


def test_a_committed_certificate_is_confirmed(capsys):
    assert main(["check", CERT, SSM, SPEC]) == 0
    assert capsys.readouterr().out.startswith("confirmed: holds for all lengths")


def test_json_output_has_status_counts_and_reason(capsys):
    assert main(["check", CERT, SSM, SPEC, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "confirmed" and out["confirmed"] is True
    assert (out["configurations"], out["edges"], out["reason"]) == (4, 23, None)


def _mutated(tmp_path, **change: object) -> str:
    cert = json.loads(open(CERT).read()) | change
    p = tmp_path / "c.json"
    p.write_text(json.dumps(cert))
    return str(p)


def test_a_disagreement_exits_1_and_names_it(tmp_path, capsys):
    assert main(["check", _mutated(tmp_path, edges=22), SSM, SPEC]) == 1
    assert capsys.readouterr().out == ("disagreement: edges count mismatch: the certificate "
                                       "says 22, the re-exploration finds 23\n")


def test_an_unknown_method_exits_3(tmp_path, capsys):
    assert main(["check", _mutated(tmp_path, method="random+prove"), SSM, SPEC]) == 3
    assert capsys.readouterr().out.startswith("not re-checked: method 'random+prove'")


@pytest.mark.parametrize("args,words", [
    (["nope.json", SSM, SPEC], "nope.json: cannot read the certificate"),
    ([CERT, SPEC, SPEC], "flipflop.json: format"),              # a spec is not an SSM file
    ([CERT, SSM, "tomita:1"], "alphabet"),                      # the wrong language
    ([CERT, SSM, "no_such_language"], "not a zoo name the checker knows"),
])
def test_bad_input_exits_2_with_one_line(capsys, args, words):
    assert main(["check", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err


def test_a_malformed_certificate_is_bad_input(tmp_path, capsys):
    p = tmp_path / "c.json"
    p.write_text("{not json")
    assert main(["check", str(p), SSM, SPEC]) == 2
    assert "not valid JSON" in capsys.readouterr().err
