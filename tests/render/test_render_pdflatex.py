"""The LaTeX really compiles: standalone documents and fragments under pdflatex, no overfull boxes.

Skipped with a reason when pdflatex is not installed; CI installs it
(``apt-get install texlive-latex-base texlive-latex-recommended``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction

import pytest

from ssmproof import atomic, examples
from ssmproof.render import latex, pdf
from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Mode, default_embedding, tok
from tests.render.render_fixtures import long_gate_ssm, nasty_ssm

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
    "long_gate": long_gate_ssm,
    **recipe_cases(),
}


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_standalone_document_compiles_without_errors_or_overfull_boxes(name, tmp_path):
    tex_path = tmp_path / f"{name}.tex"
    atomic.write_text(str(tex_path), latex.to_latex(CASES[name](), standalone=True))
    pdf_path, overfull = pdf.compile_pdf(str(tex_path))
    assert overfull == []
    with open(pdf_path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_nasty_symbols_appear_in_the_pdf_as_themselves(tmp_path):
    tex_path = tmp_path / "nasty.tex"
    atomic.write_text(str(tex_path), latex.to_latex(nasty_ssm(), standalone=True))
    pdf_path, _ = pdf.compile_pdf(str(tex_path))
    text = subprocess.run(["pdftotext", pdf_path, "-"], capture_output=True, text=True).stdout
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
    _, overfull = pdf.compile_pdf(str(tmp_path / "paper.tex"))
    assert overfull == []


def test_a_broken_document_reports_the_latex_error_and_its_line(tmp_path):
    p = tmp_path / "bad.tex"
    p.write_text("\\documentclass{article}\n\\begin{document}\n\\undefinedmacro\n"
                 "\\end{document}\n")
    with pytest.raises(pdf.LatexError, match=r"bad.tex: pdflatex failed: Undefined control "
                                               r"sequence. \(line 3"):
        pdf.compile_pdf(str(p))
    assert not (tmp_path / "bad.pdf").exists()


# (terms, name length, pad character, lagged dims): from a one-line recurrence to many terms
# over very long names, and names of characters that print eight times wider than they count
LONG_GATES = [(1, 4, "x", 0), (2, 17, "x", 1), (3, 24, "x", 2), (8, 40, "x", 3),
              (12, 90, "x", 3), (5, 20, "\u2192", 2), (12, 40, "_", 3)]


@pytest.mark.parametrize("width, columns", [(52.0, ""), (26.0, "twocolumn")],
                         ids=["page", "two-column"])
def test_long_gates_and_long_names_never_overfill_the_line(tmp_path, width, columns):
    names = []
    for k, (terms, name_len, pad, lag) in enumerate(LONG_GATES):
        ssm = long_gate_ssm(terms=terms, name_len=name_len, pad_char=pad, lag=lag)
        (tmp_path / f"g{k}.tex").write_text(latex.to_latex(ssm, width=width))
        names.append(f"g{k}")
    doc = (f"\\documentclass[{columns}]{{article}}\n\\usepackage{{"
           + ",".join(latex.PREAMBLE_PACKAGES) + "}\n\\begin{document}\n"
           + "".join(f"\\input{{{n}}}\n" for n in names) + "\\end{document}\n")
    (tmp_path / "paper.tex").write_text(doc)
    text = "".join((tmp_path / f"{n}.tex").read_text() for n in names)
    assert "\\ssmeqline{" in text  # the long ones are written as breakable lines ...
    assert ("\\begin{aligned}" in text) == (width > 40)  # ... on a page, short ones on one
    _, overfull = pdf.compile_pdf(str(tmp_path / "paper.tex"))
    assert overfull == []


def test_the_width_estimate_of_a_one_line_recurrence_is_close_and_errs_wide(tmp_path):
    # The one-line form is chosen by estimate; measure the real widths with pdflatex.
    cases = [long_gate_ssm(terms=t, name_len=n, states=1, lag=lag, pad_char=p)
             for t, n, p, lag in LONG_GATES] + [examples.contains_aa(), nasty_ssm(),
                                           examples.parity_signed()]
    lines = []
    for ssm in cases:
        for eq, est in latex._one_line_equations(ssm):
            lines.append((eq, est))
    body = "\n".join(
        f"\\sbox\\eqbox{{$\\displaystyle\\begin{{aligned}}{eq}\\end{{aligned}}$}}"
        f"\\immediate\\write\\eqout{{{k} \\the\\wd\\eqbox}}" for k, (eq, _) in enumerate(lines))
    macros = latex.to_latex(examples.contains_aa()).split("\\ssmsection{Construction")[0]
    doc = ("\\documentclass[10pt]{article}\n\\usepackage{" + ",".join(latex.PREAMBLE_PACKAGES)
           + "}\n\\newsavebox{\\eqbox}\\newwrite\\eqout\\immediate\\openout\\eqout=widths.txt\n"
           "\\begin{document}\n" + macros + body
           + "\n\\end{document}\n")
    (tmp_path / "m.tex").write_text(doc)
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", "m.tex"],
                   cwd=tmp_path, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    measured = {int(k): float(w) for k, w in re.findall(
        r"^(\d+) ([0-9.]+)pt$", (tmp_path / "widths.txt").read_text(), re.M)}
    assert len(measured) == len(lines)
    for k, (eq, est) in enumerate(lines):
        real = measured[k] / 10.0  # ems of the 10 pt font
        assert real * 0.99 <= est <= real * 1.25 + 1.0, (eq, est, real)
