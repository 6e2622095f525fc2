"""An SSM construction as LaTeX: recurrence, gate/input tables, weights, MLPs, readouts, proof.

:func:`to_latex` returns either a *fragment* for ``\\input`` into a paper (it needs
``\\usepackage{amsmath,array,booktabs,graphicx}``) or, with ``standalone=True``, a whole document
that compiles with pdflatex. The fragment defines its few macros with ``\\providecommand``, so a
paper can restyle them before the ``\\input``:

- ``\\ssmsection``, ``\\ssmsubsection``: headings (default ``\\subsection*``, ``\\subsubsection*``);
- ``\\ssmdim{...}``: a dim or symbol name (typewriter; valid in text and math);
- ``\\ssmtablefont``: the table font (default ``\\small``);
- ``\\ssmuchar{HEX}``: a non-ASCII character of a name (default ⟨U+HEX⟩);
- ``\\ssmfit{...}``: shrinks a table to the line width if it would overflow;
- ``\\ssmtable{...}``: one table part, centred, in ``\\ssmtablefont``, through ``\\ssmfit``;
- ``\\ssmbreak``: a break point inside a long name (a small penalty, so a line breaks between
  names when it can);
- ``\\ssmragged{...}``: a paragraph set ragged-right (every paragraph that lists names);
- ``\\ssmeqlines{...}``, ``\\ssmeqline{...}``: a block of long equations set as text, one
  ragged-right paragraph each with a hanging indent, so TeX breaks them between terms and
  inside long names.

Nothing is ever wider than the line, whatever the names or the number of terms: paragraphs that
list names are ragged-right (a justified line of typewriter names has almost no stretchable
space, so TeX would rather overfill it), every name longer than 12 characters has a break point
at least every 16 characters (:func:`~ssmproof.render.tex.tt`), a recurrence too long for one
line is written as text lines that TeX breaks, and the displays that cannot break (short
recurrences, the accept readout, tables) go through ``\\ssmfit``. ``\\ssmdim`` in math mode
is a box (amsmath's ``\\text``), which cannot break; names in math therefore appear only in
such guarded displays.

Per layer it shows the recurrence, the gate and input values per token when the layer's ``G`` and
``B`` read only embedding dims (what a reader wants to see), and otherwise the weight rows of
``G`` and ``B``; then the pre-MLP and MLP weights, with named rows and columns. Zero columns are
elided and zero entries print as ``·``; wide sparse maps switch to one equation per row; wide
tables are split into parts (see :mod:`ssmproof.render.tables`). Every entry is exact, printed by
sympy's LaTeX printer; a weight naming a parameter prints as the parameter's symbol.

The output is a pure function of the SSM and the certificate (same input, same bytes): no dates,
versions or hosts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.render import tables, tex
from ssmproof.render.tables import Cell, Column, Grid, Group, Row, render
from ssmproof.ssm.jsonio import content_hash
from ssmproof.ssm.program import (
    BOS,
    EOS,
    LAG_PREFIX,
    ONE,
    SSM,
    Activation,
    Dense,
    Layer,
    Mode,
    Weight,
    default_embedding,
)
from ssmproof.ssm.program import Row as WRow
from ssmproof.ssm.program import refuse_smooth
from ssmproof.ssm.validate import validate
from ssmproof.verify import certificate_file
from ssmproof.verify.certificate import Certificate

__all__ = ["to_latex", "PREAMBLE_PACKAGES", "DEFAULT_WIDTH"]

PREAMBLE_PACKAGES = ("amsmath", "array", "booktabs", "graphicx")
DEFAULT_WIDTH = 52.0  # ems of the 9pt table font: an A4 page with 2 cm margins (468 pt)
_LIST_COLUMNS = 12  # more nonzero columns than this, and sparse: one equation per row
_LIST_DENSITY = 0.25
_LIST_ROWS = 4  # ... or this few rows: equations beat a table split into many narrow parts

_MACROS = r"""\providecommand{\ssmsection}[1]{\subsection*{#1}}
\providecommand{\ssmsubsection}[1]{\subsubsection*{#1}}
\providecommand{\ssmneed}[1]{\par\begingroup\dimen0=\pagegoal\advance\dimen0-\pagetotal
  \ifdim\dimen0<#1\relax\ifdim\dimen0>0pt\vfil\penalty-10000\fi\fi\endgroup}
\providecommand{\ssmparagraph}[1]{\ssmneed{8\baselineskip}\medskip\noindent\textbf{#1}\quad}
\providecommand{\ssmdim}[1]{\textnormal{\ttfamily #1}}
\providecommand{\ssmuchar}[1]{\ensuremath{\langle}U+#1\ensuremath{\rangle}}
\providecommand{\ssmtablefont}{\small}
\ifdefined\ssmfitbox\else\newsavebox{\ssmfitbox}\fi
\providecommand{\ssmfit}[1]{\sbox{\ssmfitbox}{#1}%
  \ifdim\wd\ssmfitbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\ssmfitbox}}%
  \else\usebox{\ssmfitbox}\fi}
\providecommand{\ssmtable}[1]{\par\smallskip{\centering\ssmfit{\ssmtablefont #1}\par}\smallskip}
\providecommand{\ssmbreak}{\penalty30\relax}
\providecommand{\ssmragged}[1]{{\raggedright #1\par}}
\providecommand{\ssmeqlines}[1]{\par\smallskip{\raggedright\parskip=0pt #1}\smallskip}
\providecommand{\ssmeqline}[1]{{\leftskip=2em\hangindent=2em\hangafter=1\noindent #1\par}}"""

_STANDALONE_HEAD = r"""\documentclass[10pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{%s}
\newcommand{\ssmsection}[1]{\section*{#1}}
\newcommand{\ssmsubsection}[1]{\subsection*{#1}}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex plus 0.5ex}
\begin{document}
"""


# ----------------------------------------------------------------------------------- context
@dataclass(frozen=True)
class _Ctx:
    ssm: SSM
    syms: Mapping[str, sympy.Symbol]
    names: Mapping[sympy.Symbol, str]
    width: float
    embedding_dims: frozenset[str]

    def w(self, weight: Weight) -> str:
        return tex.weight(weight, self.syms, self.names)

    def expr(self, e: sympy.Expr) -> str:
        return tex.expression(e, self.names)


def _embedding_order(ssm: SSM) -> list[str]:
    """``one`` first, then ``tok:σ`` in token order, then other embedding dims as they appear."""
    seen = {d for row in ssm.embedding.values() for d in row}
    order = [ONE] if ONE in seen else []
    order += [f"tok:{s}" for s in (BOS, *ssm.alphabet) if f"tok:{s}" in seen]
    rest = [d for t in (BOS, *ssm.alphabet) for d in sorted(ssm.embedding.get(t, {}))]
    for d in rest:
        if d not in order:
            order.append(d)
    return order


def _stream_orders(ssm: SSM) -> list[list[str]]:
    """The stream dims available to each layer (its input), in creation order; then the final."""
    stream = _embedding_order(ssm)
    out = [list(stream)]
    for layer in ssm.layers:
        new = [d for dense in layer.mlp[-1:] for d in dense.out] + list(layer.export)
        stream = stream + [d for d in new if d not in stream]
        out.append(list(stream))
    return out


def _rank(order: Sequence[str]) -> dict[str, int]:
    return {d: i for i, d in enumerate(order)}


def _sorted_dims(dims: Iterable[str], rank: Mapping[str, int]) -> list[str]:
    return sorted(set(dims), key=lambda d: (rank.get(d, len(rank)), d))


# ------------------------------------------------------------------------------- the entry
def to_latex(ssm: SSM, *, certificate: Certificate | Mapping[str, Any] | None = None,
             standalone: bool = False, width: float = DEFAULT_WIDTH, path: str = "<ssm>") -> str:
    r"""Render a construction as LaTeX (a fragment, or a standalone document).

    Parameters
    ----------
    ssm : SSM
        The construction; it is validated first (a broken one raises
        :class:`~ssmproof.errors.SSMFileError` naming ``path``).
    certificate : Certificate or mapping, optional
        A verification certificate (the object, or its JSON as a dict); its summary is appended.
        It must be about this construction (same content hash), otherwise
        :class:`~ssmproof.errors.SsmproofError`.
    standalone : bool
        A whole ``article`` document instead of a fragment.
    width : float
        Table width budget in ems of the 9 pt table font: 52 fits the standalone page; use about
        38 for a standard ``article`` and 26 for a two-column paper.
        Tables that still overflow are shrunk by ``\ssmfit``, never cut.
    path : str
        Where the SSM came from, for error messages.

    Returns
    -------
    str
        LaTeX text ending in a newline; the same input always gives the same bytes.

    Examples
    --------
    >>> from ssmproof import examples
    >>> text = to_latex(examples.contains_aa())
    >>> r"\ssmdim{L1.seen}" in text and text == to_latex(examples.contains_aa())
    True
    """
    validate(ssm, path)
    refuse_smooth(ssm, "LaTeX rendering")
    syms, names = tex.param_symbols(ssm, path)
    emb_dims = frozenset(d for row in ssm.embedding.values() for d in row)
    ctx = _Ctx(ssm, syms, names, float(width), emb_dims)
    cert = certificate_file.certificate_dict(certificate, ssm) if certificate is not None else None
    parts = [_header_comment(ssm, standalone), _MACROS, _overview(ctx), _gates_note(ssm),
             _parameters(ctx), _embedding(ctx)]
    orders = _stream_orders(ssm)
    parts += [_layer(ctx, i, layer, orders[i]) for i, layer in enumerate(ssm.layers)]
    parts.append(_readouts(ctx, orders[-1]))
    if cert is not None:
        parts.append(_certificate(ctx, cert))
    body = "\n\n".join(p for p in parts if p) + "\n"
    if not standalone:
        return body
    return _STANDALONE_HEAD % ",".join(PREAMBLE_PACKAGES) + body + "\\end{document}\n"


def _header_comment(ssm: SSM, standalone: bool) -> str:
    kind = "standalone document" if standalone else "fragment for \\input"
    lines = [f"% ssmproof construction '{tex.comment_safe(ssm.name)}' ({kind}), generated: "
             "do not edit by hand.",
             f"% construction hash {content_hash(ssm)}"]
    if not standalone:
        lines.append("% Needs \\usepackage{" + ",".join(PREAMBLE_PACKAGES) + "}; redefine "
                     "\\ssmsection, \\ssmsubsection, \\ssmdim, \\ssmtablefont before \\input "
                     "to restyle.")
    return "\n".join(lines)


# -------------------------------------------------------------------------------- overview
def _gates_note(ssm: SSM) -> str:
    """Why a group-cascade construction has the gate class it has (from its metadata), and how
    complex weights are read; empty for a model with rational weights and no group report."""
    out = []
    n = ssm.cyclotomic_order
    if n > 1:
        out.append(rf"Complex weights lie in $\mathbf{{Q}}(\zeta_{{{n}}})$, "
                   rf"$\zeta_{{{n}}} = e^{{2\pi i/{n}}}$, and are exact; every map into the "
                   r"stream (pre-MLP, MLP, readout) takes the real part of its sum. ")
    report = (ssm.metadata or {}).get("groups")
    if isinstance(report, dict) and report.get("groups"):
        groups = "; ".join(
            rf"level {g['level']}: {tex.dim(str(g['group']))} (order {g['order']}, factors "
            + ", ".join(tex.dim(f) for f in g["composition_factors"]) + ")"
            for g in report["groups"])
        why = {"complex": "an odd prime divides a group's order, so a factor "
                          r"$\mathbf{Z}_p$ with $p \geq 3$ needs a rotation by $\zeta_p$",
               "signed": r"every group is a 2-group: each factor $\mathbf{Z}_2$ is a sign flip "
                         "(gate $-1$)"}.get(str(report.get("gates_needed")), "")
        out.append(f"Holonomy groups: {groups}. Gates needed: "
                   rf"\emph{{{tex.text(str(report.get('gates_needed')))}}}"
                   + (f" ({why})." if why else "."))
    return _ragged("".join(out)) if out else ""


def _overview(ctx: _Ctx) -> str:
    ssm = ctx.ssm
    mode = Mode(ssm.mode).value
    symbols = ", ".join(tex.dim(s) for s in ssm.alphabet)
    lines = [
        rf"\ssmsection{{Construction {tex.dim(ssm.name)}}}",
        _ragged(
            rf"Mode: \emph{{{mode}}}. Alphabet ($|\Sigma| = {len(ssm.alphabet)}$): {symbols}; "
            rf"the input is read as {tex.dim(BOS)}~$w_1 \cdots w_n$. "
            rf"{len(ssm.layers)} layer{'s' if len(ssm.layers) != 1 else ''}, "
            rf"{ssm.state_dims} state dim{'s' if ssm.state_dims != 1 else ''} in total. "
            rf"Content hash: {tex.dim(content_hash(ssm))}."),
        "",
        r"\emph{Conventions.} $u_t$ is the residual stream at position $t$ (named dims); "
        r"layer $\ell$ reads its view $v_t$ (the stream written before it, lagged dims "
        r"\ssmdim{prev:}$d = u_{t-1}[d]$, zero at {\ttfamily BOS}, and its pre-MLP outputs) "
        r"and keeps $h_t = a_t \odot h_{t-1} + b_t$ with $a_t = G\,v_t$, $b_t = B\,v_t$. "
        r"A decision is $r \cdot u_t > 0$. In weight tables, rows are outputs and columns are "
        r"inputs; a dot ($\cdot$) is a zero entry, and inputs with no nonzero weight are left "
        r"out.",
    ]
    if ssm.layers:
        lines.append(render(_layers_grid(ctx), width=ctx.width))
    return "\n".join(lines)


def _units(stack: Sequence[Dense]) -> str:
    return r"$\to$".join(str(len(d.out)) for d in stack) if stack else "--"


def _layers_grid(ctx: _Ctx) -> Grid:
    heads = ["$d$", "lag", "pre-MLP", "MLP", "writes"]
    rows = []
    for layer in ctx.ssm.layers:
        writes = len(layer.mlp[-1].out) if layer.mlp else 0
        cells = [str(len(layer.state)), str(len(layer.lag)), _units(layer.pre_mlp),
                 _units(layer.mlp), str(writes + len(layer.export))]
        rows.append(Row(_name_cell(layer.name), tuple(Cell(c, 0.6 * len(c)) for c in cells)))
    cols = tuple(Column(Cell(h, 4.0), align="r" if h in ("$d$", "lag", "writes") else "c")
                 for h in heads)
    return Grid(Cell("layer", 3.0), (Group(cols),), tuple(rows))


def _name_cell(name: str) -> Cell:
    return Cell(tex.dim(name), tex.estimate_tt(name), (tex.piece_widths(name),))


_HEAD_CHARS = 10


def _head_pieces(name: str) -> list[str]:
    """A long column name cut after ``.``/``:`` into lines of about ``_HEAD_CHARS`` characters.

    >>> _head_pieces("L1.depth.ramp[-1]"), _head_pieces("tok:a")
    (['L1.depth.', 'ramp[-1]'], ['tok:a'])
    """
    if len(name) <= _HEAD_CHARS:
        return [name]
    cuts = [i + 1 for i, ch in enumerate(name[:-1]) if ch in ".:"]
    pieces, start = [], 0
    for k, cut in enumerate(cuts):
        nxt = cuts[k + 1] if k + 1 < len(cuts) else len(name)
        if nxt - start > _HEAD_CHARS and cut - start > 1:
            pieces.append(name[start:cut])
            start = cut
    pieces.append(name[start:])
    return [p for p in pieces if p]


def _head_cell(name: str) -> Cell:
    """A column header: the name, stacked on several lines when long."""
    pieces = _head_pieces(name)
    width = max(tex.estimate_tt(p) for p in pieces)
    if len(pieces) == 1:
        return Cell(tex.dim(name), width)
    lines = r"\\".join(rf"\ssmdim{{{tex.tt(p, breakable=False)}}}" for p in pieces)
    return Cell(rf"{{\renewcommand{{\arraystretch}}{{1}}\begin{{tabular}}[b]{{@{{}}c@{{}}}}{lines}"
                r"\end{tabular}}", width)


# ------------------------------------------------------------------------------ parameters
def _parameters(ctx: _Ctx) -> str:
    params = ctx.ssm.parameters
    if not params:
        return ""
    cons = max([tex.estimate_tt(p.constraint) for p in params] + [6.0])
    para = min(cons, 0.45 * ctx.width)
    cols = (Column(Cell("name", 3.0)), Column(Cell("value", 3.0)),
            Column(Cell("constraint", 6.0), para=para))
    rows = []
    for p in params:
        sym = "$" + ctx.w(p.name) + "$"
        value = tex.number(p.value)
        constraint = (rf"{{\ttfamily {tex.tt_words(p.constraint)}}}" if p.constraint
                      else "--")
        rows.append(Row(Cell(sym, 1.5), (_name_cell(p.name),
                                          Cell(f"${value}$", tex.estimate_math(value)),
                                          Cell(constraint, tex.estimate_tt(p.constraint)))))
    intro = (r"\ssmparagraph{Parameters.} Symbolic weights print as symbols; simulation and "
             "verification use the exact values below.")
    return intro + "\n" + render(Grid(Cell("symbol", 3.0), (Group(cols),), tuple(rows)),
                                 width=ctx.width)


# ------------------------------------------------------------------------------- embedding
def _is_default_embedding(ssm: SSM) -> bool:
    want = default_embedding(ssm.alphabet)
    have = {t: {d: w for d, w in row.items() if isinstance(w, str) or w != 0}
            for t, row in ssm.embedding.items()}
    return have == {t: {d: w for d, w in row.items()} for t, row in want.items()}


def _embedding(ctx: _Ctx) -> str:
    ssm = ctx.ssm
    head = r"\ssmparagraph{Embedding.}"
    if _is_default_embedding(ssm):
        return (head + r" One-hot: token $\sigma$ sets \ssmdim{tok:}$\sigma = 1$ "
                r"(for $\sigma \in \{$" + tex.dim(BOS) + r"$\} \cup \Sigma$), and "
                + tex.dim(ONE) + r" $= 1$ at every position.")
    order = _embedding_order(ssm)
    rows = [(t, ssm.embedding[t]) for t in (BOS, *ssm.alphabet)]
    grid = _matrix_grid(ctx, Cell("token", 3.0), rows, _rank(order), bias=None, zero="0")
    return head + " Token $\\sigma$ writes the row below into $u_t$.\n" + _grid_or_note(
        ctx, grid, "every token embeds as the zero vector.")


# ---------------------------------------------------------------------------------- layers
def _layer_rank(layer: Layer, stream: list[str]) -> dict[str, int]:
    """The order dims are listed in within a layer: its view, its state, its MLP outputs."""
    view = stream + [LAG_PREFIX + d for d in layer.lag] + [
        d for dense in layer.pre_mlp for d in dense.out]
    return _rank(view + list(layer.state) + [d for dense in layer.mlp for d in dense.out])


def _layer(ctx: _Ctx, index: int, layer: Layer, stream: list[str]) -> str:
    rank = _layer_rank(layer, stream)
    parts = [rf"\ssmsubsection{{Layer {index + 1}: {tex.dim(layer.name)}}}",
             _layer_intro(ctx, layer, rank)]
    for k, dense in enumerate(layer.pre_mlp):
        parts.append(_dense(ctx, dense, rank, f"Pre-MLP map {k + 1}"))
    if layer.state:
        parts.append(_gate_input(ctx, layer, rank))
    for k, dense in enumerate(layer.mlp):
        parts.append(_dense(ctx, dense, rank, f"MLP map {k + 1}"))
    parts.append(_layer_writes(layer))
    return "\n".join(p for p in parts if p)


def _dims_list(dims: Sequence[str]) -> str:
    return ", ".join(tex.dim(d) for d in dims)


def _layer_intro(ctx: _Ctx, layer: Layer, rank: Mapping[str, int]) -> str:
    out = []
    if layer.state:
        d = len(layer.state)
        init = {s: w for s, w in layer.init.items() if isinstance(w, str) or w != 0}
        start = r"$h_{-1} = 0$" if not init else "$h_{-1}$: " + ", ".join(
            f"{tex.dim(s)} $= {ctx.w(init[s])}$" for s in layer.state if s in init
        ) + " (others 0)"
        out.append(_ragged(r"State $h = ($" + _dims_list(layer.state) + rf"$)$, $d = {d}$; "
                           rf"{start}."))
        out.append(_recurrence(ctx, layer, rank))
    else:
        out.append(r"Position-wise layer (no state): only its MLP runs.")
    if layer.lag:
        out.append(_ragged(r"Lag view: " + ", ".join(
            rf"{tex.dim(LAG_PREFIX + d)}~$= u_{{t-1}}[${tex.dim(d)}$]$" for d in layer.lag)
            + r" (zero at {\ttfamily BOS})."))
    return "\n".join(out)


_MAX_EQUATIONS = 8  # more state dims than this: the vector form (the tables carry the detail)
_MAX_TERMS = 64  # ... or more gate and input terms than this in the layer
_EQ_EM = 0.9  # ems of the 10 pt text font per em of the 9 pt table font (the width budget's unit)
_EQ_FILL = 0.95  # a one-line recurrence may fill this much of the line, by its estimate
# (the estimate runs 1-5% above the measured width; \ssmfit absorbs any error)
# estimated widths, in ems of the 10 pt math font
_W_SUB, _W_SUB_PREV = 0.45, 1.25  # _t and _{t-1}
_W_BIN, _W_REL = 1.25, 1.35  # a binary + or − and a relation =, with their spaces
_W_THIN, _W_PAREN = 0.17, 0.39


@dataclass(frozen=True)
class _Term:
    """One signed term of ``G_s·v_t`` or ``B_s·v_t``: a coefficient times a dim at ``t`` or
    ``t−1``, or (``dim`` None) the constant ``one``."""

    sign: str  # "+" or "-"
    coef: str  # math LaTeX of the magnitude; "" for a unit coefficient
    dim: str | None
    time: str = "t"

    def math(self) -> str:
        if self.dim is None:
            return self.coef or "1"
        gap = "" if self.dim[-1:].isalnum() else r"\,"
        return (self.coef + r"\," if self.coef else "") + tex.dim(self.dim) + \
            f"{gap}_{{{self.time}}}"

    def text(self) -> str:
        """The term in text mode, where TeX may break inside the name."""
        if self.dim is None:
            return f"${self.coef or '1'}$"
        coef = f"${self.coef}$\\," if self.coef else ""
        return coef + tex.dim(self.dim) + f"$_{{{self.time}}}$"

    def width(self) -> float:
        if self.dim is None:
            return _math_width(self.coef or "1")
        coef = _math_width(self.coef) + _W_THIN if self.coef else 0.0
        return coef + tex.estimate_tt(self.dim) + _W_THIN + (
            _W_SUB if self.time == "t" else _W_SUB_PREV)


def _math_width(latex: str) -> float:
    """:func:`~ssmproof.render.tex.estimate_math`, allowing for display-style fractions."""
    return tex.estimate_math(latex) * (1.4 if "frac" in latex else 1.0)


def _recurrence(ctx: _Ctx, layer: Layer, rank: Mapping[str, int]) -> str:
    r"""Per state dim ``s_t = (G_s·v_t) s_{t−1} + B_s·v_t`` with named dims.

    When every equation fits on a line (by estimate) they are one aligned display, guarded by
    ``\ssmfit``; otherwise each is written as text lines ``s_t = a_t[j] s_{t−1} + b_t[j]``,
    ``a_t[j] = …``, ``b_t[j] = …`` that TeX breaks between terms and inside names, so no
    equation is ever wider than the line. Layers with many state dims or terms get the vector
    form; the tables below carry the detail.
    """
    generic = (r"\[ h_t = a_t \odot h_{t-1} + b_t, \qquad a_t = G\,v_t, \qquad "
               r"b_t = B\,v_t. \]")
    if len(layer.state) > _MAX_EQUATIONS:
        return generic
    eqs = [(s, _math_linear(ctx, layer.gate.get(s, {}), rank),
            _math_linear(ctx, layer.input.get(s, {}), rank)) for s in layer.state]
    if sum(len(a) + len(b) for _, a, b in eqs) > _MAX_TERMS:
        return generic
    head = r"In named dims ($x_t$ is dim $x$ at position $t$)"
    budget = _EQ_FILL * _EQ_EM * ctx.width
    one_line = [_state_equation(s, a, b) for s, a, b in eqs]
    if all(width <= budget for _, width in one_line):
        return (head + ":\n" + r"\[ \ssmfit{$\displaystyle\begin{aligned}" + "\n"
                + " \\\\\n".join(eq for eq, _ in one_line) + "\n" + r"\end{aligned}$} \]")
    lines = []
    for j, (s, a, b) in enumerate(eqs, start=1):
        lines += _state_lines(j, s, a, b)
    return (head + r", with $a_t[j]$ and $b_t[j]$ the gate and input of the $j$-th state dim:"
            + "\n" + r"\ssmeqlines{%" + "\n"
            + "\n".join(rf"\ssmeqline{{{line}}}" for line in lines) + "}")


def _one_line_equations(ssm: SSM) -> list[tuple[str, float]]:
    """Every state dim's one-line recurrence (an ``aligned`` row) and its estimated width in
    ems of the 10 pt font: what the layout decision sees, for measuring it against pdflatex."""
    syms, names = tex.param_symbols(ssm)
    ctx = _Ctx(ssm, syms, names, DEFAULT_WIDTH,
               frozenset(d for row in ssm.embedding.values() for d in row))
    out = []
    for layer, stream in zip(ssm.layers, _stream_orders(ssm)):
        rank = _layer_rank(layer, stream)
        out += [_state_equation(s, _math_linear(ctx, layer.gate.get(s, {}), rank),
                                _math_linear(ctx, layer.input.get(s, {}), rank))
                for s in layer.state]
    return out


def _constant_one(ctx: _Ctx) -> bool:
    return all(row.get(ONE) == 1 for row in ctx.ssm.embedding.values())


def _math_linear(ctx: _Ctx, row: WRow, rank: Mapping[str, int]) -> list[_Term]:
    """The signed terms of ``G_s·v_t`` (or ``B_s·v_t``), lagged dims at ``t−1``."""
    one = _constant_one(ctx)
    terms = []
    for d in _sorted_dims((d for d, w in row.items() if _nonzero(w)), rank):
        sign, coef = _signed(ctx, row[d])
        if d == ONE and one:
            terms.append(_Term(sign, coef, None))
        elif d.startswith(LAG_PREFIX):
            terms.append(_Term(sign, coef, d[len(LAG_PREFIX):], "t-1"))
        else:
            terms.append(_Term(sign, coef, d))
    return terms


def _join_terms(terms: Sequence[_Term]) -> str:
    return _join_pairs([(t.sign, t.math()) for t in terms])


def _join_pairs(pairs: Sequence[tuple[str, str]]) -> str:
    if not pairs:
        return "0"
    text = ("-" if pairs[0][0] == "-" else "") + pairs[0][1]
    return text + "".join(f" {sign} {body}" for sign, body in pairs[1:])


def _join_text(terms: Sequence[_Term]) -> str:
    """Terms in text mode; a line may break before a sign, never just after it."""
    if not terms:
        return "$0$"
    text = ("$-$" if terms[0].sign == "-" else "") + terms[0].text()
    return text + "".join(f" ${t.sign}$~{t.text()}" for t in terms[1:])


def _terms_width(terms: Sequence[_Term]) -> float:
    return sum(t.width() + _W_BIN for t in terms)


def _state_equation(s: str, a_terms: Sequence[_Term], b_terms: Sequence[_Term]
                    ) -> tuple[str, float]:
    r"""One aligned line ``s_t &= (…)\,s_{t-1} + …`` and its estimated width (10 pt ems)."""
    prev = tex.dim(s) + "_{t-1}"
    prev_w = tex.estimate_tt(s) + _W_SUB_PREV
    rhs: list[tuple[str, str]] = []
    width = tex.estimate_tt(s) + _W_SUB + _W_REL + _terms_width(b_terms)
    if len(a_terms) == 1 and a_terms[0].dim is None and not a_terms[0].coef:
        rhs.append((a_terms[0].sign, prev))
        width += prev_w + _W_BIN
    elif len(a_terms) == 1:
        rhs.append((a_terms[0].sign, a_terms[0].math() + r"\," + prev))
        width += a_terms[0].width() + _W_THIN + prev_w + _W_BIN
    elif a_terms:
        rhs.append(("+", "(" + _join_terms(a_terms) + r")\," + prev))
        width += _terms_width(a_terms) + 2 * _W_PAREN + _W_THIN + prev_w
    rhs += [(t.sign, t.math()) for t in b_terms]
    return tex.dim(s) + "_t &= " + _join_pairs(rhs), width


def _state_lines(j: int, s: str, a_terms: Sequence[_Term], b_terms: Sequence[_Term]
                 ) -> list[str]:
    """``s_t = a_t[j] s_{t−1} + b_t[j]`` and the definitions of ``a_t[j]``, ``b_t[j]``, as text
    lines (no input line when the input is 0)."""
    first = (tex.dim(s) + rf"$_t =$ $a_t[{j}]$\," + tex.dim(s) + "$_{t-1}$"
             + (rf" $+$ $b_t[{j}]$" if b_terms else ""))
    lines = [first, rf"$a_t[{j}] =$ " + _join_text(a_terms)]
    if b_terms:
        lines.append(rf"$b_t[{j}] =$ " + _join_text(b_terms))
    return lines


def _ragged(text: str) -> str:
    """A paragraph listing names, set ragged-right: a justified line of typewriter names has
    almost no stretchable space, so TeX would overfill it rather than break it."""
    return r"\ssmragged{" + text + "}"


def _layer_writes(layer: Layer) -> str:
    parts = []
    if layer.mlp:
        parts.append("its MLP writes " + _dims_list(layer.mlp[-1].out))
    if layer.export:
        parts.append("it exports its state dims " + _dims_list(layer.export))
    if not parts:
        return r"This layer writes nothing into the stream."
    return _ragged("Into the stream: " + "; ".join(parts) + ".")


def _reads_embedding_only(ctx: _Ctx, layer: Layer) -> bool:
    return all(d in ctx.embedding_dims for m in (layer.gate, layer.input)
               for row in m.values() for d in row)


def _gate_input(ctx: _Ctx, layer: Layer, rank: Mapping[str, int]) -> str:
    if _reads_embedding_only(ctx, layer):
        return _per_token(ctx, layer)
    rows: list[tuple[str, WRow] | str] = [r"gate $a_t = G\,v_t$"]
    rows += [(s, layer.gate.get(s, {})) for s in layer.state]
    rows.append(r"input $b_t = B\,v_t$")
    rows += [(s, layer.input.get(s, {})) for s in layer.state]
    grid = _matrix_grid(ctx, Cell("", 0.0), rows, rank, bias=None)
    head = r"\ssmparagraph{Gate and input weights.} Rows of $G$ and $B$ over the view dims " \
           r"they read."
    return head + "\n" + _grid_or_note(ctx, grid, "every gate and every input is $0$.")


def _per_token(ctx: _Ctx, layer: Layer) -> str:
    """Gate and input value of every (token, state dim): tokens as rows, or, when the layer has
    more state dims than there are tokens, state dims as rows (the compact orientation)."""
    tokens = (BOS, *ctx.ssm.alphabet)
    values = {(t, s): tuple(_value_cell(ctx, m.get(s, {}), ctx.ssm.embedding[t])
                            for m in (layer.gate, layer.input))
              for t in tokens for s in layer.state}
    by_token = len(layer.state) <= len(tokens)
    outer, inner = (tokens, layer.state) if by_token else (layer.state, tokens)
    groups = tuple(Group((Column(Cell("$a$", 1.0)), Column(Cell("$b$", 1.0))), _head_cell(x))
                   for x in inner)
    rows = tuple(Row(_name_cell(o), tuple(c for i in inner for c in
                                          values[(o, i) if by_token else (i, o)]))
                 for o in outer)
    corner = Cell("token" if by_token else "state dim", 4.0)
    head = (r"\ssmparagraph{Gate and input per token.} $G$ and $B$ read only embedding dims, so "
            r"$a_t$, $b_t$ depend on the token alone.")
    return head + "\n" + render(Grid(corner, groups, rows), width=ctx.width)


def _value_cell(ctx: _Ctx, row: WRow, emb: WRow) -> Cell:
    value = ctx.expr(_apply(ctx, row, emb))
    return Cell(f"${value}$", tex.estimate_math(value))


def _apply(ctx: _Ctx, row: WRow, emb: WRow) -> sympy.Expr:
    total = sympy.Integer(0)
    for d, w in row.items():
        if d in emb:
            total += tex.to_sympy(w, ctx.syms) * tex.to_sympy(emb[d], ctx.syms)
    return sympy.expand(total)


def _dense(ctx: _Ctx, dense: Dense, rank: Mapping[str, int], title: str) -> str:
    act = Activation(dense.activation)
    form = r"$z = \mathrm{ReLU}(W x + c)$" if act is Activation.RELU else r"$z = W x + c$"
    rows = [(o, dense.weights.get(o, {})) for o in dense.out]
    grid = _matrix_grid(ctx, Cell("", 0.0), rows, rank, bias=dense.bias)
    head = rf"\ssmparagraph{{{title}}} {form} ({'ReLU' if act is Activation.RELU else 'linear'}," \
           rf" {len(dense.out)} unit{'s' if len(dense.out) != 1 else ''})."
    zero = r"every output is $\mathrm{ReLU}(0) = 0$." if act is Activation.RELU else \
        "every output is $0$."
    return head + "\n" + _grid_or_note(ctx, grid, zero)


# ------------------------------------------------------------------------- weight matrices
def _nonzero(w: Weight) -> bool:
    return isinstance(w, str) or w != 0


def _matrix_grid(ctx: _Ctx, corner: Cell, rows: Sequence[tuple[str, WRow] | str],
                 rank: Mapping[str, int], *, bias: WRow | None, zero: str = r"$\cdot$"
                 ) -> Grid | None:
    """Rows (output name, weights) and section titles as a table, or list form if wide+sparse."""
    real = [r for r in rows if not isinstance(r, str)]
    cols = _sorted_dims((d for _, row in real for d, w in row.items() if _nonzero(w)), rank)
    has_bias = bias is not None and any(_nonzero(bias.get(o, 0)) for o, _ in real)
    if not cols and not has_bias:
        return None
    nnz = sum(1 for _, row in real for w in row.values() if _nonzero(w))
    sparse = nnz < _LIST_DENSITY * len(cols) * max(len(real), 1)
    if len(cols) > _LIST_COLUMNS and (sparse or len(real) <= _LIST_ROWS):
        return _list_grid(ctx, corner, rows, rank, bias)
    columns = [Column(_head_cell(d)) for d in cols]
    if has_bias:
        columns.append(Column(Cell(r"$c$", 1.0)))
    out_rows = []
    for r in rows:
        if isinstance(r, str):
            out_rows.append(Row(Cell(r, 0.0), section=True))
            continue
        o, row = r
        cells = [_weight_cell(ctx, row.get(d, 0), zero) for d in cols]
        if has_bias:
            cells.append(_weight_cell(ctx, bias.get(o, 0) if bias else 0, zero))
        out_rows.append(Row(_name_cell(o), tuple(cells)))
    return Grid(corner, tuple(Group((c,)) for c in columns), tuple(out_rows))


def _weight_cell(ctx: _Ctx, w: Weight, zero: str) -> Cell:
    if not _nonzero(w):
        return Cell(zero, 0.5)
    s = ctx.w(w)
    return Cell(f"${s}$", tex.estimate_math(s))


_CELL_LINES = 6  # a list-form row longer than about this many lines continues in another row


def _list_grid(ctx: _Ctx, corner: Cell, rows: Sequence[tuple[str, WRow] | str],
               rank: Mapping[str, int], bias: WRow | None) -> Grid:
    """One row per output: its nonzero terms as wrapping text. A row longer than
    ``_CELL_LINES`` lines continues in rows with an empty label, so that the table can be split
    between them (a single table row taller than a page could not be)."""
    labels = [tex.estimate_tt(r[0]) for r in rows if not isinstance(r, str)]
    label_w = min(max(labels + [corner.width]), 0.35 * ctx.width)
    para = max(ctx.width - label_w - 3.0, 10.0)
    out_rows = []
    for r in rows:
        if isinstance(r, str):
            out_rows.append(Row(Cell(r, 0.0), section=True))
            continue
        o, row = r
        label = _name_cell(o)
        for cell in _pieces(_linear_terms(ctx, row, rank, (bias or {}).get(o, 0)), para):
            out_rows.append(Row(label, (cell,)))
            label = Cell("", 0.0)
    col = Column(Cell("nonzero terms", 6.0), para=para)
    return Grid(corner, (Group((col,)),), tuple(out_rows))


def _pieces(terms: Sequence[Cell], para: float) -> list[Cell]:
    """Consecutive terms joined into cells of at most ``_CELL_LINES`` lines in a column
    ``para`` ems wide (each at least one term).

    >>> [c.tex for c in _pieces([Cell("a", 4.0, ((4.0,),))] * 15, 9.0)]
    ['a a a a a a a a a a a a', 'a a a']
    """
    out: list[list[Cell]] = []
    for term in terms:
        if out and tables.wrapped_lines([w for t in out[-1] + [term] for w in t.words],
                                        para) <= _CELL_LINES:
            out[-1].append(term)
        else:
            out.append([term])
    return [Cell(" ".join(t.tex for t in cell), sum(t.width for t in cell),
                 tuple(w for t in cell for w in t.words)) for cell in out]


def _linear_terms(ctx: _Ctx, row: WRow, rank: Mapping[str, int], bias: Weight) -> list[Cell]:
    """The terms of ``2 x − ½ y + 1`` in text mode with inline math, each with its sign (none
    on a positive first term), estimated width and unbreakable pieces; joined by spaces, a line
    wraps between terms, and a sign stays with its term."""
    terms: list[tuple[str, str, float, tuple[float, ...]]] = []  # sign, body, width, pieces
    for d in _sorted_dims((d for d, w in row.items() if _nonzero(w)), rank):
        sign, coef = _signed(ctx, row[d])
        body = (f"${coef}$\\," if coef else "") + tex.dim(d)
        lead = tex.estimate_math(coef) + 0.2 if coef else 0.0
        names = tex.piece_widths(d)
        terms.append((sign, body, tex.estimate_tt(d) + tex.estimate_math(coef) + 1.5,
                      (lead + names[0],) + names[1:]))
    if _nonzero(bias):
        sign, coef = _signed(ctx, bias)
        w = tex.estimate_math(coef or "1")
        terms.append((sign, f"${coef or '1'}$", w + 1.5, (w,)))
    if not terms:
        return [Cell("$0$", 1.0, ((0.5,),))]
    out = []
    for k, (sign, body, width, pieces) in enumerate(terms):
        if k == 0:
            text = ("$-$" if sign == "-" else "") + body
            lead = 0.8 if sign == "-" else 0.0
        else:
            text, lead = f"${sign}$~{body}", 1.15
        out.append(Cell(text, width, ((lead + pieces[0],) + pieces[1:],)))
    return out


def _linear_text(ctx: _Ctx, row: WRow, rank: Mapping[str, int], bias: Weight
                 ) -> tuple[str, float]:
    """``2 x − ½ y + 1`` in text mode with inline math, so a long row can wrap between terms."""
    terms = _linear_terms(ctx, row, rank, bias)
    return " ".join(t.tex for t in terms), sum(t.width for t in terms)


def _signed(ctx: _Ctx, w: Weight) -> tuple[str, str]:
    """(sign, magnitude without a unit coefficient) of a weight; parameters keep their sign."""
    if isinstance(w, str) or isinstance(w, Cyclotomic):
        return "+", ctx.w(w)
    f = Fraction(w)
    mag = abs(f)
    return ("-" if f < 0 else "+"), ("" if mag == 1 else tex.number(mag))


def _grid_or_note(ctx: _Ctx, grid: Grid | None, note: str) -> str:
    return render(grid, width=ctx.width) if grid is not None else note


# -------------------------------------------------------------------------------- readouts
def _readouts(ctx: _Ctx, stream: list[str]) -> str:
    ssm, rank = ctx.ssm, _rank(stream)
    parts = [r"\ssmsubsection{Readout}"]
    if ssm.accept is not None:
        text, w = _linear_text(ctx, ssm.accept, rank, 0)
        where = r"at the last position (the {\ttfamily BOS} position for $w = \varepsilon$)"
        if w < 0.6 * ctx.width:
            parts.append(rf"Accept $w$ if and only if $r \cdot u_n > 0$ {where}, where"
                         + "\n" + rf"\[ \ssmfit{{$r \cdot u = {{}}$ {text}.}} \]")
        else:
            parts.append(_ragged(rf"Accept $w$ if and only if $r \cdot u_n > 0$ {where}, where "
                                 + rf"$r \cdot u = {{}}$ {text}."))
    if ssm.next is not None:
        keys = [*ssm.alphabet, EOS]
        rows = [(k, ssm.next.get(k, {})) for k in keys]
        grid = _matrix_grid(ctx, Cell(r"next", 2.0), rows, rank, bias=None)
        parts.append(r"Predictive readout: after each prefix, symbol $\sigma$ (or "
                     + tex.dim(EOS) + r") is predicted allowed iff $r_\sigma \cdot u_t > 0$.")
        parts.append(_grid_or_note(ctx, grid, "every readout row is $0$: nothing is ever "
                                   "predicted."))
    return "\n".join(parts)


def _verdict(c: Mapping[str, Any]) -> str:
    if c["holds"] is False:
        return r"\textbf{fails}"
    if c["holds"] is None:
        return r"\textbf{inconclusive}"
    return r"\textbf{holds}" + (" for every length" if c["all_lengths"] else
                                " on the strings checked (no claim beyond them)")


def _int(c: Mapping[str, Any], key: str) -> int | None:
    v = c.get(key)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _certificate_rows(c: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = [("language", tex.dim(c["language"])), ("mode", tex.text(c["mode"])),
            ("format", tex.dim(c["format"])), ("method", tex.dim(c["method"])),
            ("result", _verdict(c))]
    counts = [("configurations", "configurations"), ("edges", "edges"),
              ("max_length_checked", "every string up to length"),
              ("strings_checked", "strings checked"), ("random_words", "random words"),
              ("random_max_length", "random words up to length"), ("seed", "seed")]
    rows += [(label, f"${_int(c, k):,}$".replace(",", "{,}")) for k, label in counts
             if _int(c, k) is not None]
    if c.get("counterexample") is not None and isinstance(c["counterexample"], list):
        rows.append(("counterexample", tex.join_words([str(s) for s in c["counterexample"]])))
    if isinstance(c.get("wrong_symbol"), str):
        rows.append(("wrong prediction for", tex.dim(c["wrong_symbol"])))
    if isinstance(c.get("gate_class"), str):
        cov = c.get("gate_class_coverage")
        rows.append(("gate class", tex.text(c["gate_class"])
                     + (f" ({tex.text(cov)})" if isinstance(cov, str) else "")))
    for key in ("findings", "notes"):
        items = c.get(key)
        if isinstance(items, list) and items:
            rows.append((key, "; ".join(tex.text(str(x)) for x in items)))
    return rows


def _certificate(ctx: _Ctx, c: Mapping[str, Any]) -> str:
    rows = _certificate_rows(c)
    cap = 13.0
    grid = Grid(Cell("", 0.0), (Group((Column(Cell("", 0.0), para=ctx.width - cap - 3.0),)),),
                tuple(Row(Cell(k, cap), (Cell(v, 60.0),)) for k, v in rows), header=False)
    head = r"\ssmsubsection{Verification certificate}"
    claim = _ragged(r"The verifier checked this construction (hash "
                    + tex.dim(c["construction"]) + r") against the language's own definition.")
    return head + "\n" + claim + "\n" + render(grid, width=ctx.width)
