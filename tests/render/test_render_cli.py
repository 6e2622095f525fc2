"""``ssmproof latex`` through the CLI driver: files, certificates, --pdf, and clear errors."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from ssmproof import cli, examples
from ssmproof.lang.automaton import DFA
from ssmproof.render import latex
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify


@pytest.fixture(autouse=True)
def latex_registered(monkeypatch):
    """Register the command for these tests only (the lead owns ssmproof/commands/__init__.py)."""
    if "latex" not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "latex"))


@pytest.fixture
def construction(tmp_path):
    path = tmp_path / "contains_aa.json"
    path.write_text(jsonio.to_json(examples.contains_aa()))
    return path


def test_latex_writes_the_fragment_and_the_standalone_document(construction, tmp_path, capsys):
    out = tmp_path / "out.tex"
    assert cli.main(["latex", str(construction), "-o", str(out)]) == 0
    assert out.read_text() == latex.to_latex(examples.contains_aa(), path=str(construction))
    assert cli.main(["latex", str(construction), "-o", str(out), "--standalone"]) == 0
    assert out.read_text() == latex.to_latex(examples.contains_aa(), standalone=True)
    assert sorted(os.listdir(tmp_path)) == ["contains_aa.json", "out.tex"]  # no temporaries
    assert f"wrote {out}" in capsys.readouterr().out


def test_latex_to_standard_output(construction, capsys):
    assert cli.main(["latex", str(construction), "-o", "-", "--width", "30"]) == 0
    assert capsys.readouterr().out == latex.to_latex(examples.contains_aa(), width=30.0)


def test_latex_appends_the_certificate_it_is_given(construction, tmp_path):
    dfa = DFA(("a", "b"), ("s", "a", "aa"), 0, frozenset({2}), ((1, 0), (2, 0), (2, 2)), "aa")
    cert = verify(examples.contains_aa(), dfa, prove=True)
    cert_path = tmp_path / "cert.json"
    cert_path.write_text(cert.to_json())
    out = tmp_path / "out.tex"
    assert cli.main(["latex", str(construction), "-o", str(out),
                     "--certificate", str(cert_path)]) == 0
    assert "\\textbf{holds} for every length" in out.read_text()


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"format": "ssmproof-ssm/1"}', "required property"),
])
def test_malformed_construction_exits_2_with_one_line_naming_the_file(
        content, message, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    out = tmp_path / "out.tex"
    assert cli.main(["latex", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ssmproof: {bad}: ") and message in err and err.count("\n") == 1
    assert not out.exists()


def test_a_certificate_for_another_construction_exits_2(construction, tmp_path, capsys):
    dfa = DFA(("a", "b"), ("n", "y"), 0, frozenset({1}), ((1, 0), (1, 0)), "last_is_a")
    cert_path = tmp_path / "cert.json"
    cert_path.write_text(verify(examples.last_is_a(), dfa, prove=True).to_json())
    out = tmp_path / "out.tex"
    assert cli.main(["latex", str(construction), "-o", str(out),
                     "--certificate", str(cert_path)]) == 2
    assert "verify this construction again" in capsys.readouterr().err
    assert not out.exists()


def test_unsafe_parameter_latex_exits_2_naming_the_field(tmp_path, capsys):
    data = json.loads(jsonio.to_json(examples.contains_aa()))
    data["parameters"] = [{"name": "lam", "value": "1/2", "latex": "\\input{x}"}]
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps(data))
    assert cli.main(["latex", str(bad), "-o", str(tmp_path / "o.tex")]) == 2
    assert f"{bad}: parameters[0].latex: command \\input is not allowed" in capsys.readouterr().err


def test_an_unwritable_output_exits_2(construction, tmp_path, capsys):
    assert cli.main(["latex", str(construction), "-o", str(tmp_path / "no" / "o.tex")]) == 2
    assert "cannot write here" in capsys.readouterr().err


def test_pdf_needs_a_file_name(construction, capsys):
    assert cli.main(["latex", str(construction), "-o", "-", "--pdf"]) == 2
    assert "--pdf needs a file name" in capsys.readouterr().err


def test_width_must_be_a_sane_number(construction, tmp_path):
    assert cli.main(["latex", str(construction), "-o", str(tmp_path / "o.tex"),
                     "--width", "3"]) == 2


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_pdf_compiles_the_standalone_document_beside_the_tex(construction, tmp_path, capsys):
    out = tmp_path / "c.tex"
    assert cli.main(["latex", str(construction), "-o", str(out), "--pdf"]) == 0
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")
    assert "\\documentclass" in out.read_text()  # --pdf implies --standalone
    assert "warning" not in capsys.readouterr().err
