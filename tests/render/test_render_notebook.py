"""Notebook display: MathJax-safe equations for SSMs, SVG for DFAs."""

from __future__ import annotations

import shutil
from fractions import Fraction

import pytest

from ssmproof import examples
from ssmproof.lang.automaton import DFA
from ssmproof.render import dot, latex, notebook, pdf
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, Param, default_embedding, tok
from tests.render.render_fixtures import nasty_ssm


def test_display_ssm_shows_the_equations_as_latex():
    shown = notebook.display_ssm(examples.contains_aa())
    text = shown._repr_latex_()
    assert text == notebook.ssm_latex(examples.contains_aa()) == repr(shown)
    assert text.startswith("$$\\begin{aligned}") and text.endswith("\\end{aligned}$$")
    assert ("\\mathtt{L1{.}seen}_t &= (1 - \\mathtt{L1{.}both}_{t})\\,\\mathtt{L1{.}seen}_{t-1}"
            " + \\mathtt{L1{.}both}_{t}") in text
    assert "\\mathtt{L1{.}both}_t &= \\mathrm{ReLU}(\\mathtt{tok{:}a}_{t-1} + " \
           "\\mathtt{tok{:}a}_{t} - 1)" in text


def test_mathjax_names_escape_every_special_and_keep_braces_balanced():
    for name in ["a_b", "{x}", "\\", "%#$&", "<>", "~^", "α→", "x\x01"]:
        out = notebook.mathjax_name(name)
        depth = 0
        for i, ch in enumerate(out):
            if ch in "{}" and (i == 0 or out[i - 1] != "\\"):
                depth += 1 if ch == "{" else -1
                assert depth >= 0
        assert depth == 0, out
    assert notebook.mathjax_name("<") == "\\mathtt{\\lt{}}"  # raw < would break HTML
    assert notebook.mathjax_name("x\x01") == "\\mathtt{x\\mathrm{U{+}0001}}"


def test_symbolic_parameters_show_as_symbols_in_the_notebook():
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: "lam"}}, input={"L1.h": {tok("a"): 1}},
                  export=("L1.h",))
    ssm = SSM("decay", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.h": 1}, parameters=(Param("lam", Fraction(1, 3), "", "\\lambda"),))
    assert "&= \\lambda\\,\\mathtt{L1{.}h}_{t-1}" in notebook.ssm_latex(ssm)


def test_long_constructions_are_cut_with_a_pointer_to_the_full_latex():
    text = notebook.ssm_latex(examples.kth_last_is_a(12), max_lines=5)
    assert text.count(" \\\\\n") == 4 and "more lines: ssmproof latex" in text


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_notebook_equations_are_valid_latex(tmp_path):
    body = "\n\n".join(notebook.ssm_latex(make()) for make in (
        examples.contains_aa, lambda: examples.dyck1_bounded(2), nasty_ssm))
    doc = ("\\documentclass{article}\n\\usepackage{amsmath}\n"
           "\\newcommand{\\lt}{<}\\newcommand{\\gt}{>}\n"  # MathJax's HTML-safe < and >
           "\\begin{document}\n" + body + "\n\\end{document}\n")
    (tmp_path / "nb.tex").write_text(doc)
    pdf.compile_pdf(str(tmp_path / "nb.tex"))


def ends_in_a() -> DFA:
    # words over {a, b} ending in a
    return DFA(("a", "b"), ("s", "t"), 0, frozenset({1}), ((1, 0), (1, 0)), "ends_in_a")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_display_dfa_shows_an_svg_picture():
    shown = notebook.display_dfa(ends_in_a())
    svg = shown._repr_svg_()
    assert svg is not None and "<svg" in svg and svg.count('class="node"') == 3
    assert notebook.dfa_svg(ends_in_a()) == svg
    assert repr(shown) == dot.dfa_to_dot(ends_in_a())


def test_without_graphviz_the_notebook_falls_back_to_text(monkeypatch):
    monkeypatch.setattr(dot.shutil, "which", lambda name: None)
    assert notebook.dfa_svg(ends_in_a()) is None
    assert notebook.display_dfa(ends_in_a())._repr_svg_() is None


class _Formatter:
    def __init__(self) -> None:
        self.by_type: dict[type, object] = {}

    def for_type(self, cls: type, fn: object) -> None:
        self.by_type[cls] = fn


class _Shell:  # the part of IPython's InteractiveShell that register touches
    def __init__(self) -> None:
        self.display_formatter = type("F", (), {})()
        self.display_formatter.formatters = {"text/latex": _Formatter(),
                                             "image/svg+xml": _Formatter()}


def test_register_makes_ipython_show_ssms_as_equations_and_dfas_as_pictures():
    shell = _Shell()
    notebook.register(shell)
    formatters = shell.display_formatter.formatters
    show_ssm = formatters["text/latex"].by_type[SSM]
    assert show_ssm(examples.contains_aa()) == notebook.ssm_latex(examples.contains_aa())
    assert formatters["image/svg+xml"].by_type[DFA] is notebook.dfa_svg
    assert not hasattr(SSM, "_repr_latex_") and not hasattr(DFA, "_repr_svg_")
