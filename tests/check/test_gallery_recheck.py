"""``ssmproof build`` re-checks every certificate it makes, and fails when the verifier lies."""

from __future__ import annotations

import dataclasses
import json

from ssmproof import gallery
from ssmproof.cli import main
from ssmproof.verify import api

from .helpers import ROOT

SPEC = str(ROOT / "automata" / "tomita4.json")


def test_every_certificate_of_a_language_is_rechecked_and_confirmed():
    result = gallery.build_language(SPEC)
    assert result.error is None
    assert [(c["certificate"], c["status"]) for c in result.checks] == [
        ("tomita4/recognize-nonnegative.cert.json", "confirmed"),
        ("tomita4/predict-nonnegative.cert.json", "confirmed")]
    line, bad, skipped = gallery.recheck_summary([result])
    assert line == ("independent checker: 2 of 2 certificates confirmed, 0 not re-checked, "
                    "0 disagreements") and bad == skipped == []


def test_a_lying_verifier_makes_the_build_fail(monkeypatch, tmp_path, capsys):
    real = api.verify

    def lying(*args, **kw):  # noqa: ANN002, ANN003, ANN202 - one edge too many
        cert = real(*args, **kw)
        return dataclasses.replace(cert, edges=(cert.edges or 0) + 1)
    monkeypatch.setattr(api, "verify", lying)
    automata = tmp_path / "automata"
    automata.mkdir()
    (automata / "tomita4.json").write_text(open(SPEC).read())
    code = main(["build", "--automata", str(automata), "--out", str(tmp_path / "out"),
                 "--jobs", "1", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "0 of 2 certificates confirmed, 0 not re-checked, 2 disagreements" in out
    assert "the independent checker disagrees: tomita4/recognize-nonnegative.cert.json: " \
           "edges count mismatch" in err


def test_verify_recheck_reports_the_checkers_verdict(capsys):
    ssm = str(ROOT / "constructions" / "tomita4" / "predict-nonnegative.json")
    assert main(["verify", ssm, "--against", SPEC, "--prove", "--recheck", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recheck"]["status"] == "confirmed"
    assert (out["recheck"]["configurations"], out["recheck"]["edges"]) == (3, 5)


def test_verify_recheck_fails_when_the_verifier_lies(monkeypatch, capsys):
    real = api.verify
    monkeypatch.setattr(api, "verify", lambda *a, **k: dataclasses.replace(
        real(*a, **k), configurations=2))
    ssm = str(ROOT / "constructions" / "tomita4" / "predict-nonnegative.json")
    assert main(["verify", ssm, "--against", SPEC, "--prove", "--recheck"]) == 1
    assert "recheck: disagreement:" in capsys.readouterr().out
