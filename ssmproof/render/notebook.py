"""Notebook display: an SSM as equations (MathJax), a DFA as its picture (SVG).

Jupyter renders ``_repr_latex_`` with MathJax, which understands math but not ``tabular`` or
the macros of :mod:`ssmproof.render.latex`; :func:`ssm_latex` therefore writes the construction
as equations only (one line per recurrence, MLP unit and readout) with names in ``\\mathtt``,
escaped for MathJax. :func:`dfa_svg` lays out :func:`~ssmproof.render.dot.dfa_to_dot` with
Graphviz and returns None when Graphviz is missing, so the notebook falls back to text.

The model classes know nothing of rendering (imports go one way: render wraps the model).
:func:`register` adds :func:`ssm_latex` and :func:`dfa_svg` to IPython's display formatters;
``import ssmproof`` calls it when it runs inside IPython, so an SSM or a DFA shown in a notebook
displays itself. ``display_ssm(ssm)`` and ``display_dfa(dfa)`` wrap one value explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ssmproof.lang.automaton import DFA
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.render import dot, tex
from ssmproof.ssm.program import refuse_smooth
from ssmproof.ssm.program import (
    EOS,
    LAG_PREFIX,
    ONE,
    SSM,
    Activation,
    Dense,
    Layer,
    Mode,
    Weight,
)

__all__ = ["mathjax_name", "ssm_latex", "dfa_svg", "display_ssm", "display_dfa",
           "LatexDisplay", "SvgDisplay", "MAX_LINES", "register"]

MAX_LINES = 80  # longer constructions are cut with a ⋮ line (the full LaTeX: ssmproof latex)

_MJ_SPECIAL = {
    "_": r"\_", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
    "\\": r"\backslash{}", "^": r"\hat{}", "~": r"\sim{}", "<": r"\lt{}", ">": r"\gt{}",
    "'": r"{'}", "`": r"\grave{}", '"': r"{''}",
}


def mathjax_name(name: str) -> str:
    r"""A dim or symbol name for MathJax math mode: ``\mathtt{...}`` with every special escaped
    and punctuation braced (so ``:`` or ``+`` get no operator spacing).

    >>> mathjax_name("tok:a_b")
    '\\mathtt{tok{:}a\\_b}'
    """
    return r"\mathtt{" + _mj_escape(name) + "}"


def _mj_escape(name: str) -> str:
    out = []
    for ch in name:
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif ch in _MJ_SPECIAL:
            out.append(_MJ_SPECIAL[ch])
        elif ch.isprintable() and not ch.isspace():
            out.append("{" + ch + "}")
        else:
            out.append(rf"\mathrm{{U{{+}}{ord(ch):04X}}}")
    return "".join(out)


@dataclass(frozen=True)
class _Names:
    syms: Mapping[str, sympy.Symbol]
    latex: Mapping[sympy.Symbol, str]
    one: bool  # `one` is 1 at every position, so it prints as a constant


def _coef(n: _Names, w: Weight) -> tuple[str, str]:
    if isinstance(w, str) or isinstance(w, Cyclotomic):
        return "+", tex.weight(w, n.syms, n.latex)
    f = Fraction(w)
    return ("-" if f < 0 else "+"), ("" if abs(f) == 1 else tex.number(abs(f)))


def _term(n: _Names, d: str, t: str) -> str:
    if d.startswith(LAG_PREFIX):
        return mathjax_name(d[len(LAG_PREFIX):]) + "_{t-1}"
    return mathjax_name(d) + (f"_{{{t}}}" if t else "")


def _linear(n: _Names, row: Mapping[str, Weight], bias: Weight = 0, t: str = "t") -> str:
    parts: list[tuple[str, str]] = []
    for d in sorted((d for d, w in row.items() if isinstance(w, str) or w != 0),
                    key=lambda d: (d != ONE, d)):
        sign, c = _coef(n, row[d])
        body = (c or "1") if d == ONE and n.one else (c + r"\," if c else "") + _term(n, d, t)
        parts.append((sign, body))
    if isinstance(bias, str) or bias != 0:
        sign, c = _coef(n, bias)
        parts.append((sign, c or "1"))
    if not parts:
        return "0"
    text = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    return text + "".join(f" {s} {b}" for s, b in parts[1:])


def _single(expr: str) -> bool:
    """Whether a linear expression from :func:`_linear` is a single term (no parentheses)."""
    return " + " not in expr and " - " not in expr


def _dense_lines(n: _Names, dense: Dense) -> list[str]:
    relu = Activation(dense.activation) is Activation.RELU
    out = []
    for o in dense.out:
        body = _linear(n, dense.weights.get(o, {}), dense.bias.get(o, 0))
        out.append(rf"{mathjax_name(o)}_t &= " + (rf"\mathrm{{ReLU}}({body})" if relu else body))
    return out


def _layer_lines(n: _Names, i: int, layer: Layer) -> list[str]:
    lines = [rf"&\text{{layer {i}: }}{mathjax_name(layer.name)}"]
    for dense in layer.pre_mlp:
        lines += _dense_lines(n, dense)
    for s in layer.state:
        a = _linear(n, layer.gate.get(s, {}))
        b = _linear(n, layer.input.get(s, {}))
        a = a if _single(a) else f"({a})"
        b = b if _single(b) and not b.startswith("-") else f"({b})"
        lines.append(rf"{mathjax_name(s)}_t &= {a}\,{mathjax_name(s)}_{{t-1}} + {b}")
    for dense in layer.mlp:
        lines += _dense_lines(n, dense)
    return lines


def _readout_lines(n: _Names, ssm: SSM) -> list[str]:
    lines = []
    if ssm.accept is not None:
        lines.append(rf"\text{{accept}} &\iff {_linear(n, ssm.accept, t='')} > 0")
    for sym in (*ssm.alphabet, EOS) if ssm.next is not None else ():
        row = ssm.next.get(sym, {})  # type: ignore[union-attr]
        lines.append(rf"{mathjax_name(sym)}\ \text{{next}} &\iff {_linear(n, row, t='')} > 0")
    return lines


def ssm_latex(ssm: SSM, *, max_lines: int = MAX_LINES) -> str:
    r"""The construction as MathJax equations: ``$$\begin{aligned} … \end{aligned}$$``.

    Examples
    --------
    >>> from ssmproof import examples
    >>> print(ssm_latex(examples.last_is_a()))  # doctest: +NORMALIZE_WHITESPACE
    $$\begin{aligned}
    &\mathbf{last\_is\_a}\ \text{(recognize)} \\
    &\text{layer 1: }\mathtt{L1} \\
    \mathtt{L1{.}last\_a}_t &= 0\,\mathtt{L1{.}last\_a}_{t-1} + \mathtt{tok{:}a}_{t} \\
    \text{accept} &\iff \mathtt{L1{.}last\_a} > 0
    \end{aligned}$$
    """
    refuse_smooth(ssm, "the notebook view")
    syms, names = tex.param_symbols(ssm)
    n = _Names(syms, names, all(row.get(ONE) == 1 for row in ssm.embedding.values()))
    lines = [rf"&\mathbf{{{_mj_escape(ssm.name)}}}\ \text{{({Mode(ssm.mode).value})}}"]
    for i, layer in enumerate(ssm.layers, start=1):
        lines += _layer_lines(n, i, layer)
    lines += _readout_lines(n, ssm)
    if len(lines) > max_lines:
        cut = len(lines) - max_lines + 1
        lines = lines[:max_lines - 1] + [rf"&\vdots\ \text{{({cut} more lines: ssmproof latex)}}"]
    return "$$\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}$$"


def dfa_svg(dfa: DFA) -> str | None:
    """The DFA's picture as SVG, or None when Graphviz is not installed."""
    try:
        return dot.to_svg(dot.dfa_to_dot(dfa))
    except dot.GraphvizError:
        return None


@dataclass(frozen=True)
class LatexDisplay:
    """Displays as LaTeX in a notebook; as the LaTeX source elsewhere."""

    latex: str

    def _repr_latex_(self) -> str:
        return self.latex

    def __repr__(self) -> str:
        return self.latex


@dataclass(frozen=True)
class SvgDisplay:
    """Displays as SVG in a notebook (when Graphviz is there); as DOT text elsewhere."""

    dot_text: str

    def _repr_svg_(self) -> str | None:
        try:
            return dot.to_svg(self.dot_text)
        except dot.GraphvizError:
            return None

    def __repr__(self) -> str:
        return self.dot_text


def display_ssm(ssm: SSM, *, max_lines: int = MAX_LINES) -> LatexDisplay:
    """An object that a notebook shows as the construction's equations."""
    return LatexDisplay(ssm_latex(ssm, max_lines=max_lines))


def display_dfa(dfa: DFA, *, hide_dead: bool = False) -> SvgDisplay:
    """An object that a notebook shows as the DFA's picture."""
    return SvgDisplay(dot.dfa_to_dot(dfa, hide_dead=hide_dead))


def register(shell: Any) -> None:
    """Show every :class:`SSM` as equations and every :class:`DFA` as its picture in ``shell``
    (an IPython ``InteractiveShell``), through its display formatters.

    The formatters are IPython's own registry, so the model classes need no ``_repr_*_`` method
    that would import this module (the import would run upwards, from the model to render/).
    """
    formatters = shell.display_formatter.formatters
    formatters["text/latex"].for_type(SSM, ssm_latex)
    formatters["image/svg+xml"].for_type(DFA, dfa_svg)
