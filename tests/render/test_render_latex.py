"""LaTeX rendering: determinism, escaping, exact entries, symbols, tables, certificates, files."""

from __future__ import annotations

import os
import re
import unicodedata
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof import atomic, examples
from ssmproof.errors import SSMFileError, SsmproofError
from ssmproof.lang.automaton import DFA
from ssmproof.render import latex, pdf, tables, tex
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Mode, Param, default_embedding, tok
from ssmproof.verify import certificate_file
from ssmproof.verify.api import verify
from tests.render.render_fixtures import NASTY_SYMBOLS, long_gate_ssm, nasty_ssm

EXAMPLES = {
    "contains_aa": examples.contains_aa,
    "last_is_a": examples.last_is_a,
    "kth_last_is_a_4": lambda: examples.kth_last_is_a(4),
    "parity_signed": examples.parity_signed,
    "dyck1_bounded_2": lambda: examples.dyck1_bounded(2),
    "nasty": nasty_ssm,
}


def contains_aa_dfa() -> DFA:
    # words over {a, b} containing aa; states: no progress, just read a, seen aa
    return DFA(("a", "b"), ("s", "a", "aa"), 0, frozenset({2}), ((1, 0), (2, 0), (2, 2)),
               "contains_aa")


# ------------------------------------------------------------------------------ determinism
@pytest.mark.parametrize("name", sorted(EXAMPLES), ids=sorted(EXAMPLES))
def test_rendering_is_byte_for_byte_deterministic_and_survives_a_json_round_trip(name):
    ssm = EXAMPLES[name]()
    first = latex.to_latex(ssm, standalone=True)
    assert latex.to_latex(ssm, standalone=True) == first
    reloaded = jsonio.from_json(jsonio.to_json(ssm))
    assert latex.to_latex(reloaded, standalone=True) == first


def test_the_fragment_is_the_standalone_body_without_preamble():
    ssm = examples.contains_aa()
    frag, full = latex.to_latex(ssm), latex.to_latex(ssm, standalone=True)
    assert "\\documentclass" not in frag and "\\begin{document}" not in frag
    assert full.startswith("\\documentclass") and full.endswith("\\end{document}\n")
    body = frag.split("\n", 3)[3]  # after the three header comment lines of the fragment
    assert body in full


# ------------------------------------------------------------------------------- escaping
_GREEK_BACK = {v: k for k, v in tex._GREEK.items()}
_ACCENT_BACK = {v: k for k, v in tex._ACCENTS.items()}
_TOKEN = re.compile(r"\\symbol\{(\d+)\}|\\ensuremath\{\\([A-Za-z]+)\}|\\ssmuchar\{([0-9A-F]+)\}"
                    r"|\\(.)\{([A-Za-z])\}|\\ssmbreak\{\}|\\ |(.)", re.S)


def decode_tt(escaped: str) -> str:
    """Invert :func:`tex.tt` using only the constructs it may emit; fail on anything else."""
    out = []
    for m in _TOKEN.finditer(escaped):
        sym, greek, uni, accent, base, plain = m.groups()
        if sym:
            out.append(chr(int(sym)))
        elif greek:
            out.append(_GREEK_BACK[greek])
        elif uni:
            out.append(chr(int(uni, 16)))
        elif accent:
            out.append(unicodedata.normalize("NFC", base + _ACCENT_BACK[accent]))
        elif m.group(0) == "\\ ":
            out.append(" ")
        elif plain is not None:
            assert plain in tex._SAFE_TT, f"unescaped {plain!r} in {escaped!r}"
            out.append(plain)
    return "".join(out)


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=40))
def test_tt_escaping_is_lossless_and_emits_only_safe_characters(s):
    # whitespace (never in a symbol or dim, possible in a construction's name) becomes a space
    assert decode_tt(tex.tt(s)) == "".join(" " if c.isspace() else c for c in s)


@pytest.mark.parametrize("symbol", NASTY_SYMBOLS, ids=[repr(s) for s in NASTY_SYMBOLS])
def test_every_nasty_symbol_round_trips_through_the_escape(symbol):
    escaped = tex.tt(symbol)
    assert decode_tt(escaped) == symbol
    assert "%" not in escaped and "#" not in escaped and "$" not in escaped.replace(
        "\\ensuremath", "")


def test_specials_become_character_codes_not_font_dependent_commands():
    assert tex.tt("tok:(") == "tok:("
    assert tex.tt("tok:{") == "tok:\\symbol{123}"
    assert tex.tt("<>") == "\\symbol{60}\\symbol{62}"
    assert tex.tt("\\") == "\\symbol{92}"
    assert tex.tt("λ") == "\\ensuremath{\\lambda}"
    assert tex.tt("é") == "\\'{e}"
    assert tex.tt("→") == "\\ssmuchar{2192}"


def test_text_escape_handles_every_special_character():
    assert tex.text("a_b & 50% {x} #1 $2 ~^ <> | \\") == (
        "a\\_b \\& 50\\% \\{x\\} \\#1 \\$2 \\textasciitilde{}\\textasciicircum{} "
        "\\textless{}\\textgreater{} \\textbar{} \\textbackslash{}")


def test_long_names_get_break_points_and_short_ones_do_not():
    assert "\\ssmbreak" not in tex.tt("L1.seen")
    assert tex.tt("L2.reg[3].bit0.extra").count("\\ssmbreak{}") == 3


def test_nasty_construction_renders_every_symbol_escaped():
    text = latex.to_latex(nasty_ssm())
    for line in text.splitlines():
        if line.startswith("%"):
            assert line.isascii() and "\n" not in line
    body = "\n".join(line for line in text.splitlines() if not line.startswith("%"))
    assert "\\end{document}" not in body
    assert "\\ssmdim{\\symbol{92}end\\symbol{123}document\\symbol{125}}" in body
    assert "%comment" not in body
    assert "\x01" not in text and "\\ssmuchar{0001}" in text


def test_comment_lines_cannot_be_broken_by_a_newline_in_the_name():
    ssm = SSM("x\n\\end{document}", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (),
              accept={ONE: 1})
    text = latex.to_latex(ssm)
    assert "\n\\end{document}" not in text


# ------------------------------------------------------------------------- exact entries
def test_exact_entries_go_through_sympys_printer():
    assert tex.number(Fraction(-7, 2)) == "- \\frac{7}{2}"
    assert tex.number(Fraction(1, 3)) == "\\frac{1}{3}"
    text = latex.to_latex(nasty_ssm())
    assert "$- \\frac{7}{2}$" in text and "$\\frac{1}{2}$" in text and "$\\frac{1}{3}$" in text


def test_per_token_table_lists_gate_and_input_values_of_each_token():
    text = latex.to_latex(examples.parity_signed())
    # gate = one − 2·tok:1, input = tok:1
    assert "\\ssmdim{BOS} & $1$ & $0$ \\\\" in text
    assert "\\ssmdim{0} & $1$ & $0$ \\\\" in text
    assert "\\ssmdim{1} & $-1$ & $1$ \\\\" in text
    assert "Gate and input per token" in text


def test_layers_reading_more_than_the_embedding_show_weight_rows_without_zero_columns():
    text = latex.to_latex(examples.contains_aa())
    assert "Gate and input per token" not in text
    gate_table = text[text.index("Gate and input weights"):]
    gate_table = gate_table[:gate_table.index("\\end{tabular}")]
    assert " & \\ssmdim{one} & \\ssmdim{L1.both} \\\\" in gate_table
    assert "tok:a" not in gate_table  # a zero column is elided
    assert "\\ssmdim{L1.seen} & $1$ & $-1$ \\\\" in gate_table  # gate row
    assert "\\ssmdim{L1.seen} & $\\cdot$ & $1$ \\\\" in gate_table  # input row: 0 is a dot


def test_recurrence_is_written_with_the_layers_named_dims():
    text = latex.to_latex(examples.contains_aa())
    assert ("\\ssmdim{L1.seen}_t &= (1 - \\ssmdim{L1.both}_{t})\\,\\ssmdim{L1.seen}_{t-1} "
            "+ \\ssmdim{L1.both}_{t}") in text


def test_short_recurrences_are_one_aligned_display_that_cannot_overflow():
    text = latex.to_latex(examples.contains_aa())
    assert "\\[ \\ssmfit{$\\displaystyle\\begin{aligned}" in text  # shrunk if ever too wide
    assert "\\ssmeqline" not in text.split("\\ssmsection")[-1]


def test_a_long_recurrence_defines_gate_and_input_on_their_own_breakable_lines():
    ssm = long_gate_ssm(terms=12, name_len=40, states=2, lag=3)
    text = latex.to_latex(ssm)
    body = text[text.index("Layer 2"):]
    assert "\\begin{aligned}" not in body
    eqs = body[body.index("\\ssmeqlines{"):body.index("\\ssmragged{Lag view")]
    lines = [ln for ln in eqs.splitlines() if ln.startswith("\\ssmeqline{")]
    assert len(lines) == 6  # per state dim: the recurrence, a_t[j] and b_t[j]
    s0 = latex.tex.dim("L2." + "x" * 24 + ".state[0]")
    assert lines[0] == (f"\\ssmeqline{{{s0}$_t =$ $a_t[1]$\\,{s0}$_{{t-1}}$ $+$ $b_t[1]$}}")
    assert lines[1].startswith("\\ssmeqline{$a_t[1] =$ $1$ $-$~$\\frac{1}{3}$\\,\\ssmdim{L1.")
    assert "$+$~$\\lambda$\\,\\ssmdim{L1." in lines[1] and "}$_{t-1}$" in lines[1]
    assert lines[2].startswith("\\ssmeqline{$b_t[1] =$ $\\lambda$\\,\\ssmdim{tok:b}$_{t}$")
    assert lines[3].count("$a_t[2]$") == 1 and lines[4].startswith("\\ssmeqline{$a_t[2] =$")
    # names in the text lines keep their break points (text mode, where TeX can use them)
    assert all("\\ssmbreak{}" in ln for ln in lines)


def test_an_equation_without_input_has_no_input_line():
    layer = Layer("L1", ("L1." + "h" * 30,), gate={"L1." + "h" * 30: {
        tok("a"): 1, **{tok(s): -1 for s in "bcdefgh"}}}, input={}, export=("L1." + "h" * 30,))
    alphabet = tuple("abcdefgh")
    ssm = SSM("noinput", Mode.RECOGNIZE, alphabet, default_embedding(alphabet), (layer,),
              accept={"L1." + "h" * 30: 1})
    text = latex.to_latex(ssm, width=26.0)
    assert "$_{t-1}$}\n\\ssmeqline{$a_t[1] =$" in text and "b_t[1]" not in text


def test_a_layer_with_too_many_terms_gets_the_vector_form():
    text = latex.to_latex(long_gate_ssm(terms=40, states=2))
    body = text[text.index("Layer 2"):]
    assert "\\[ h_t = a_t \\odot h_{t-1} + b_t" in body and "\\ssmeqline" not in body


def test_paragraphs_listing_names_are_ragged_and_break_between_items():
    text = latex.to_latex(long_gate_ssm())
    lag = next(ln for ln in text.splitlines() if ln.startswith("\\ssmragged{Lag view: "))
    assert "}~$= u_{t-1}[$" in lag  # a name stays with its definition
    assert "\\ssmragged{State $h = ($" in text
    assert "\\ssmragged{Into the stream: " in text
    assert "\\ssmragged{Mode: " in text


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=60))
def test_no_piece_of_an_escaped_name_is_wider_than_sixteen_characters(s):
    assert "".join(tex.pieces(s)) == s
    for piece in tex.pieces(s):  # a space inside a piece is a break point too
        for word in piece.split():
            assert tex.estimate_tt(word) <= 16 * 0.525 + 1e-9
    assert tex.tt(s).count("\\ssmbreak{}") == len(tex.pieces(s)) - 1


def test_wrapped_lines_breaks_names_only_when_they_are_wider_than_the_line():
    assert tables.wrapped_lines([(2.0,)] * 4, 5.0) == 2
    assert tables.wrapped_lines([(1.0,), (3.0, 3.0)], 6.5) == 2  # the name moves down whole
    assert tables.wrapped_lines([(8.4,) * 6], 13.9) == 6  # one 16-char piece a line
    assert tables.Cell("x", 47.0).lines(13.9) == 4  # without pieces: width / column


def test_a_row_too_tall_for_a_page_continues_in_more_rows():
    names = tuple(f"L1.{'x' * 80}.unit[{i}]" for i in range(14))
    dense = Dense(("L1.out",), {"L1.out": {n: 1 for n in names}})
    first = Layer("L0", (), gate={}, input={}, mlp=(Dense(names, {n: {tok("a"): 1}
                                                                  for n in names}),))
    layer = Layer("L1", (), gate={}, input={}, mlp=(dense,))
    ssm = SSM("tall", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (first, layer),
              accept={"L1.out": 1})
    text = latex.to_latex(ssm, width=26.0)
    table = text[text.index("MLP map 1", text.index("Layer 2")):]
    rows = [ln for ln in table.splitlines() if ln.endswith("\\\\") and "nonzero" not in ln]
    assert rows[0].startswith("\\ssmdim{L1.out} & ")
    assert len(rows) > 2 and all(r.startswith(" & $+$~") for r in rows[1:])


def test_lagged_dims_are_written_at_the_previous_position():
    pre = Dense(("L1.x",), {"L1.x": {"prev:tok:a": 1}})
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"prev:tok:a": 1}}, input={},
                  lag=(tok("a"),), pre_mlp=(pre,), export=("L1.h",))
    ssm = SSM("lagged", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.h": 1})
    assert "\\ssmdim{tok:a}_{t-1}\\,\\ssmdim{L1.h}_{t-1}" in latex.to_latex(ssm)


# ------------------------------------------------------------------------ symbolic params
def decay_ssm(latex_name: str = "\\lambda", name: str = "lam") -> SSM:
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: name}}, input={"L1.h": {tok("a"): 1}},
                  export=("L1.h",))
    return SSM("decay", Mode.RECOGNIZE, ("a", "b"), default_embedding(("a", "b")), (layer,),
               accept={"L1.h": 1},
               parameters=(Param(name, Fraction(1, 3), "0 < lam <= 1/3", latex_name),))


def test_symbolic_parameters_print_as_symbols_with_value_and_constraint():
    text = latex.to_latex(decay_ssm())
    assert "\\ssmdim{BOS} & $\\lambda$ & $0$ \\\\" in text  # per-token gate is the symbol
    assert "\\ssmdim{L1.h}_t &= \\lambda\\,\\ssmdim{L1.h}_{t-1}" in text
    params = text[text.index("Parameters."):]
    assert "$\\lambda$ & \\ssmdim{lam} & $\\frac{1}{3}$ & {\\ttfamily 0\\ " in params
    assert "\\symbol{60}=\\ 1/3}" in params  # the constraint, escaped
    assert "\\frac{1}{3}\\," not in text.split("Parameters.")[1].split("Layer 1")[1]


def test_a_parameter_without_latex_prints_through_sympys_symbol_printer():
    text = latex.to_latex(decay_ssm(latex_name="", name="mu"))
    assert "\\ssmdim{BOS} & $\\mu$ & $0$ \\\\" in text


def test_parameter_products_are_computed_symbolically_in_the_token_table():
    emb = default_embedding(("a",))
    emb["a"] = {tok("a"): 2, ONE: 1}
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {tok("a"): "lam", ONE: Fraction(1, 2)}},
                  input={}, export=("L1.h",))
    ssm = SSM("sym", Mode.RECOGNIZE, ("a",), emb, (layer,), accept={"L1.h": 1},
              parameters=(Param("lam", Fraction(1, 8), "", "\\lambda"),))
    assert "\\ssmdim{a} & $2 \\lambda + \\frac{1}{2}$ & $0$ \\\\" in latex.to_latex(ssm)


@pytest.mark.parametrize("bad", ["\\input{/etc/passwd}", "\\lambda}", "{\\lambda", "^^5cinput",
                                 "\\def\\x{1}", "x_", "a$b", "\\catcode"])
def test_unsafe_or_malformed_parameter_latex_is_refused_naming_the_field(bad):
    with pytest.raises(SSMFileError) as err:
        latex.to_latex(decay_ssm(latex_name=bad), path="decay.json")
    assert str(err.value).startswith("decay.json: parameters[0].latex: ")
    assert "plain math symbol" in str(err.value)


@pytest.mark.parametrize("good", ["\\lambda", "\\lambda_1", "\\tilde{\\mu}", "\\mathrm{d}",
                                  "\\alpha^{(2)}", "x'"])
def test_plain_math_parameter_latex_is_accepted_verbatim(good):
    assert f"${good}$" in latex.to_latex(decay_ssm(latex_name=good))


# ---------------------------------------------------------------------------------- tables
def _wide_grid(ncols: int, nrows: int) -> tables.Grid:
    cols = tuple(tables.Group((tables.Column(tables.Cell(f"c{j}", 5.0)),)) for j in range(ncols))
    rows = tuple(tables.Row(tables.Cell(f"r{i}", 2.0), tuple(tables.Cell("1", 0.5)
                                                             for _ in range(ncols)))
                 for i in range(nrows))
    return tables.Grid(tables.Cell("", 0.0), cols, rows)


def test_wide_tables_split_into_balanced_parts_that_fit_the_budget():
    text = tables.render(_wide_grid(30, 3), width=52.0)
    parts = text.count("\\begin{tabular}")
    # 30 columns of 5 + 1.35 em, label 3.35 em: 7 per part fit in 52 em, so 5 parts
    assert parts == 5
    heads = [line for line in text.splitlines() if line.startswith(" & c")]
    assert sorted(h.count("&") for h in heads) == [6, 6, 6, 6, 6]
    assert all("\\\\" in h for h in heads)


def test_tall_tables_split_into_row_parts_with_repeated_headers():
    text = tables.render(_wide_grid(2, 100), width=52.0, max_rows=34)
    assert text.count("\\begin{tabular}") == 3
    assert text.count(" & c0 & c1 \\\\") == 3
    assert all(f"r{i} & 1 & 1 \\\\" in text for i in range(100))


def test_a_group_of_columns_is_never_split():
    groups = tuple(tables.Group((tables.Column(tables.Cell("a", 9.0)),
                                 tables.Column(tables.Cell("b", 9.0))), tables.Cell(f"g{j}", 2))
                   for j in range(4))
    rows = (tables.Row(tables.Cell("t", 1.0), tuple(tables.Cell("0", 0.5) for _ in range(8))),)
    text = tables.render(tables.Grid(tables.Cell("", 0.0), groups, rows), width=30.0)
    assert text.count("\\begin{tabular}") == 4
    assert text.count("\\multicolumn{2}{c}") == 4


def test_wide_sparse_maps_switch_to_one_equation_per_row():
    n = 20
    out = tuple(f"L1.o{j}" for j in range(n))
    dense = Dense(out, {f"L1.o{j}": {f"L1.s{j}": Fraction(1, 2)} for j in range(n)},
                  {"L1.o0": -1})
    layer = Layer("L1", tuple(f"L1.s{j}" for j in range(n)),
                  gate={f"L1.s{j}": {ONE: 1} for j in range(n)},
                  input={f"L1.s{j}": {tok("a"): 1} for j in range(n)}, mlp=(dense,))
    ssm = SSM("wide", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.o0": 1})
    text = latex.to_latex(ssm)
    assert "nonzero terms" in text
    assert "\\ssmdim{L1.o0} & $\\frac{1}{2}$\\,\\ssmdim{L1.s0} $-$~$1$ \\\\" in text
    assert "\\ssmdim{L1.o5} & $\\frac{1}{2}$\\,\\ssmdim{L1.s5} \\\\" in text


def test_long_column_names_are_stacked_at_dots():
    assert latex._head_pieces("L1.depth.ramp[-1]") == ["L1.depth.", "ramp[-1]"]
    assert latex._head_pieces("L2.reg[1].bit0") == ["L2.reg[1].", "bit0"]
    assert latex._head_pieces("averyveryverylongname") == ["averyveryverylongname"]


# ----------------------------------------------------------------------------- certificate
def test_certificate_summary_is_rendered_with_its_exact_counts():
    ssm = examples.contains_aa()
    cert = verify(ssm, contains_aa_dfa(), prove=True)
    assert cert.holds and cert.all_lengths
    text = latex.to_latex(ssm, certificate=cert)
    section = text[text.index("Verification certificate"):]
    assert "\\textbf{holds} for every length" in section
    assert f"configurations & ${cert.configurations}$ \\\\" in section
    assert f"edges & ${cert.edges}$ \\\\" in section
    assert "\\ssmdim{prove}" in section
    assert latex.to_latex(ssm, certificate=cert.to_dict(volatile=False)) == text


def test_a_failing_certificate_shows_the_counterexample():
    ssm = examples.last_is_a()  # checked against contains_aa: fails on "a"
    cert = verify(ssm, contains_aa_dfa(), prove=True)
    assert cert.holds is False and cert.counterexample == ("a",)
    text = latex.to_latex(ssm, certificate=cert)
    assert "\\textbf{fails}" in text and "counterexample & \\ssmdim{a} \\\\" in text


def test_a_certificate_about_another_construction_is_refused():
    cert = verify(examples.contains_aa(), contains_aa_dfa(), prove=True)
    with pytest.raises(SsmproofError, match="certificate is about sha256:.*verify this"):
        latex.to_latex(examples.last_is_a(), certificate=cert)


def test_a_malformed_certificate_names_the_missing_key(tmp_path):
    p = tmp_path / "cert.json"
    p.write_text('{"language": "x"}')
    with pytest.raises(SsmproofError, match=r"cert.json: construction: missing"):
        certificate_file.load_certificate(str(p))
    p.write_text("{not json")
    with pytest.raises(SsmproofError, match=r"cert.json: not valid JSON"):
        certificate_file.load_certificate(str(p))


# ---------------------------------------------------------------------------------- files
def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.tex"
    target.write_text("old")
    atomic.write_text(str(target), "new\n")
    assert target.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["out.tex"]


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "out.tex"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        atomic.write_text(str(target), "\ud800")  # a lone surrogate cannot be encoded
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.tex"]


def test_writing_into_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(SsmproofError, match="cannot write here"):
        atomic.write_text(str(tmp_path / "nope" / "out.tex"), "x")


def test_overfull_boxes_are_found_in_a_log():
    log = "a\nOverfull \\hbox (12.0pt too wide) in alignment at lines 3--9\nb\n"
    assert pdf.overfull_boxes(log) == [
        "Overfull \\hbox (12.0pt too wide) in alignment at lines 3--9"]
    assert pdf.overfull_boxes("Underfull \\hbox (badness 10000)") == []


def test_missing_pdflatex_is_a_clear_error(tmp_path):
    p = tmp_path / "x.tex"
    p.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    with pytest.raises(pdf.LatexError, match="not-a-pdflatex is not installed"):
        pdf.compile_pdf(str(p), pdflatex="not-a-pdflatex")


def test_a_layer_with_more_state_dims_than_tokens_lists_state_dims_as_rows():
    states = tuple(f"L1.s{j}" for j in range(5))
    layer = Layer("L1", states, gate={s: {ONE: 1, tok("a"): -1} for s in states},
                  input={s: {tok("a"): Fraction(j, 2)} for j, s in enumerate(states)},
                  export=states)
    ssm = SSM("tall", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
              accept={"L1.s0": 1})
    text = latex.to_latex(ssm)
    table = text[text.index("Gate and input per token"):]
    assert "state dim & $a$ & $b$ & $a$ & $b$ \\\\" in table
    assert "\\multicolumn{2}{c}{\\ssmdim{BOS}} & \\multicolumn{2}{c}{\\ssmdim{a}}" in table
    assert "\\ssmdim{L1.s3} & $1$ & $0$ & $0$ & $\\frac{3}{2}$ \\\\" in table
