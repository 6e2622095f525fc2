"""The LaTeX really compiles: standalone documents and fragments under pdflatex, no overfull boxes.

Skipped with a reason when pdflatex is not installed; CI installs it
(``apt-get install texlive-latex-base texlive-latex-recommended``).
"""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction

import pytest

from ssmproof import examples
from ssmproof.render import latex
from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Mode, default_embedding, tok
from tests.render.render_fixtures import nasty_ssm

pytestmark = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (apt-get install texlive-latex-base "
           "texlive-latex-recommended); CI installs it")


def wide_ssm(n: int = 24) -> SSM:
    """Many long-named state dims, a dense MLP and a wide sparse one: splitting and list form."""
    states = tuple(f"L1.register[{j}].bit_with_a_long_name" for j in range(n))
    hidden = tuple(f"L1.hidden_unit[{j}]" for j in range(n))
    dense = Dense(hidden, {h: {s: Fraction(j + 1, 3) for s in states[:10]}
                           for j, h in enumerate(hidden)}, {h: -1 for h in hidden})
    sparse = Dense(("L1.out",), {"L1.out": {h: 1 for h in hidden}})
    layer = Layer("L1", states, gate={s: {ONE: 1, tok("r"): -1} for s in states},
                  input={s: {tok("w"): Fraction(1, 7)} for s in states}, mlp=(dense, sparse))
    alphabet = ("w", "r", "i")
    return SSM("wide_construction", Mode.RECOGNIZE, alphabet, default_embedding(alphabet),
               (layer,), accept={"L1.out": 1})


def recipe_cases() -> dict:
    cases = {}
    try:
        from ssmproof.recipes import dyck, flipflop
    except ImportError:  # recipes are another engineer's; render what exists
        return cases
    cases["flipflop_two_layer"] = flipflop.two_layer
    cases["dyck_2_3_predictive"] = lambda: dyck.predictive(2, 3)
    return cases


CASES = {
    "contains_aa": examples.contains_aa,
    "dyck1_bounded_2": lambda: examples.dyck1_bounded(2),
    "parity_signed": examples.parity_signed,
    "nasty": nasty_ssm,
    "wide": wide_ssm,
    **recipe_cases(),
}


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_standalone_document_compiles_without_errors_or_overfull_boxes(name, tmp_path):
    tex_path = tmp_path / f"{name}.tex"
    latex.write_atomic(str(tex_path), latex.to_latex(CASES[name](), standalone=True))
    pdf, overfull = latex.compile_pdf(str(tex_path))
    assert overfull == []
    with open(pdf, "rb") as fh:
        assert fh.read(5) == b"%PDF-"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_nasty_symbols_appear_in_the_pdf_as_themselves(tmp_path):
    tex_path = tmp_path / "nasty.tex"
    latex.write_atomic(str(tex_path), latex.to_latex(nasty_ssm(), standalone=True))
    pdf, _ = latex.compile_pdf(str(tex_path))
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    for s in ("\\end{document}", "%comment", "nasty {name} $%#&~^_\\<>", "a_b[1]", "tok:(",
              "L1&{\\x}", "⟨U+2192⟩", "⟨U+0001⟩", "α"):  # é is an accent over e in OT1
        assert s in text, s


def test_fragments_compile_inside_a_two_column_paper(tmp_path):
    for name in ("contains_aa", "wide", "nasty"):
        (tmp_path / f"{name}.tex").write_text(latex.to_latex(CASES[name](), width=26.0))
    doc = ("\\documentclass[twocolumn]{article}\n\\usepackage{"
           + ",".join(latex.PREAMBLE_PACKAGES) + "}\n\\begin{document}\n"
           "\\input{contains_aa}\n\\input{wide}\n\\input{nasty}\n\\end{document}\n")
    (tmp_path / "paper.tex").write_text(doc)
    _, overfull = latex.compile_pdf(str(tmp_path / "paper.tex"))
    assert overfull == []


def test_a_broken_document_reports_the_latex_error_and_its_line(tmp_path):
    p = tmp_path / "bad.tex"
    p.write_text("\\documentclass{article}\n\\begin{document}\n\\undefinedmacro\n"
                 "\\end{document}\n")
    with pytest.raises(latex.LatexError, match=r"bad.tex: pdflatex failed: Undefined control "
                                               r"sequence. \(line 3"):
        latex.compile_pdf(str(p))
    assert not (tmp_path / "bad.pdf").exists()
