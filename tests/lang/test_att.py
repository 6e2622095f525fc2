"""AT&T acceptors: round trips, hand-written files with known languages, every kind of bad line."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.cli import main
from ssmproof.errors import SpecError
from ssmproof.lang import att, dfa, spec
from ssmproof.testing import strategies


def _words(alphabet, up_to):
    for n in range(up_to + 1):
        yield from itertools.product(alphabet, repeat=n)


def _load(tmp_path: Path, text: str, *, syms: str | None = None, name: str = "x.att"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    if syms is not None:
        Path(att.symbols_path(path)).write_text(syms, "utf-8")
    return dfa.from_spec(spec.load(str(path)))


# ------------------------------------------------------------------------------ round trips
@given(strategies.dfas(states=(1, 6), symbols=(1, 4)), st.randoms(use_true_random=False))
def test_dfa_to_att_and_back_accepts_the_same_language_with_the_same_states(d, rng):
    order = list(range(len(d.states)))
    rng.shuffle(order)
    d = dfa.reorder(d, order)  # the start need not be state 0
    text, syms = att.dumps(d)
    back = dfa.from_spec(att.loads(text, symbols=att.parse_symbols(syms), path="r.att"))
    assert dfa.equivalent(d, back) is None
    assert back.alphabet == d.alphabet  # the table keeps the alphabet's order
    assert len(back.states) == len(d.states)  # written complete: no sink added, none lost


@given(strategies.dfas(states=(2, 5), symbols=2, aperiodic=False))
def test_export_att_then_classify_from_the_file_gives_the_specs_answer(tmp_path_factory, d):
    folder = tmp_path_factory.mktemp("att")
    att.write(d, folder / "l.fst.txt")
    back = dfa.from_spec(spec.load(str(folder / "l.fst.txt")))
    assert dfa.equivalent(d, back) is None
    assert back.name == "l"


def test_export_att_command_writes_a_file_that_reads_back_as_the_zoo_language(tmp_path, capsys):
    out = tmp_path / "t3.att"
    assert main(["export-att", "tomita:3", "-o", str(out), "--minimize"]) == 0
    assert (tmp_path / "t3.syms").read_text().splitlines()[:2] == ["<eps>\t0", "0\t1"]
    back = dfa.from_spec(spec.load(str(out)))
    assert dfa.equivalent(back, spec.to_dfa(spec.load("tomita:3"))) is None
    assert len(back.states) == 5  # the minimal DFA of Tomita 3, sink included


def test_export_att_refuses_a_non_regular_language_and_a_wrong_extension(tmp_path, capsys):
    assert main(["export-att", "anbn", "-o", str(tmp_path / "a.att")]) == 2
    assert main(["export-att", "parity", "-o", str(tmp_path / "a.json")]) == 2
    err = capsys.readouterr().err
    assert "not regular" in err and "end the name in .att" in err


# ------------------------------------------------------------------ known languages by hand
def test_integer_labels_without_a_table_are_symbols_and_a_partial_automaton_gets_a_sink(tmp_path):
    # (2 | 1 1)*: state 1 has no arc on 2, so 1 2 goes to the sink
    d = _load(tmp_path, "0\t1\t1\n1\t0\t1\n0\n0\t0\t2\n")
    assert d.alphabet == ("1", "2")
    assert d.states == ("0", "1", "sink")
    for w in _words(d.alphabet, 6):
        assert d.accepts(w) == bool(re.fullmatch(r"(2|11)*", "".join(w))), w


def test_epsilon_arcs_are_closed_over_and_label_zero_is_epsilon(tmp_path):
    # (a b)* | a+  : 0 -eps-> 1 (ab loop), 0 -eps-> 3 (a+)
    text = "0 1 0\n0 3 <eps>\n1 2 a\n2 1 b\n1\n3 4 a\n4 4 a\n4\n"
    d = _load(tmp_path, text)
    assert d.alphabet == ("a", "b")
    for w in _words(d.alphabet, 7):
        assert d.accepts(w) == bool(re.fullmatch(r"(ab)*|a+", "".join(w))), w


def test_a_nondeterministic_acceptor_is_determinised(tmp_path):
    # second-to-last symbol is a: guess the position
    d = _load(tmp_path, "0 0 a\n0 0 b\n0 1 a\n1 2 a\n1 2 b\n2\n")
    assert len(dfa.minimize(d).states) == 4  # the classic 4-state minimal DFA
    for w in _words(("a", "b"), 7):
        assert d.accepts(w) == (len(w) >= 2 and w[-2] == "a"), w
    s = spec.load(str(tmp_path / "x.att"))
    assert "determinised" in s.description and "3 states" in s.description


def test_a_symbol_table_names_the_labels_orders_the_alphabet_and_adds_unused_symbols(tmp_path):
    syms = "<eps> 0\nw 1\nr 2\ni 3\n"  # `i` has no arc: it goes to the sink
    d = _load(tmp_path, "0 1 w\n1 1 r\n1\n", syms=syms)
    assert d.alphabet == ("w", "r", "i")
    assert d.accepts(("w", "r", "r")) and not d.accepts(("w", "i"))
    assert not d.accepts(())


def test_the_symbol_table_makes_zero_an_ordinary_symbol(tmp_path):
    # with a table, only id 0's symbol is epsilon: here the binary digits are real symbols
    d = _load(tmp_path, "0 0 0\n0 1 1\n1 1 0\n1 0 1\n0\n", syms="<eps> 0\n0 1\n1 2\n")
    for w in _words(("0", "1"), 6):
        assert d.accepts(w) == (w.count("1") % 2 == 0), w


def test_transducer_layout_with_equal_labels_and_zero_weights_is_an_acceptor(tmp_path):
    d = _load(tmp_path, "0 1 a a 0\n1 1 b b -0.0\n1 0\n")
    for w in _words(("a", "b"), 5):
        assert d.accepts(w) == bool(re.fullmatch(r"ab*", "".join(w))), w


def test_a_first_line_that_is_a_final_state_makes_it_the_start(tmp_path):
    d = _load(tmp_path, "3\n3 5 a\n5 3 a\n")  # start 3: (aa)*
    assert d.states[d.start] == "3"
    assert [d.accepts(("a",) * n) for n in range(5)] == [True, False, True, False, True]


# ---------------------------------------------------------------------- every bad line kind
# (id, AT&T text, symbol table or None, line named, problem fragment, fix fragment)
BAD = [
    ("too_many_fields", "0 1 a a 0 7\n", None, "line 1", "6 fields", "one arc or final"),
    ("source_not_integer", "0 1 a\nq 1 a\n", None, "line 2", "source state 'q'", "number"),
    ("dest_negative", "0 -1 a\n", None, "line 1", "destination state '-1'", "number"),
    ("final_not_integer", "0 1 a\n\nx\n", None, "line 3", "state 'x'", "number"),
    ("weight_not_number", "0 1 a a heavy\n", None, "line 1", "weight 'heavy' is not a number",
     "write 0"),
    ("arc_weight_nonzero", "0 1 a a 1.5\n", None, "line 1", "not the tropical one", "rmweight"),
    ("final_weight_nonzero", "0 1 a\n1 0.25\n", None, "line 2", "not the tropical one",
     "rmweight"),
    ("final_weight_infinite", "0 1 a\n1 Infinity\n", None, "line 2", "not the tropical one",
     "rmweight"),
    ("transducer", "0 1 a b\n", None, "line 1", "a transducer", "fstproject"),
    ("unknown_label", "0 1 a\n0 1 c\n", "<eps> 0\na 1\n", "line 2",
     "label 'c' is not in the symbol table", "add it"),
    ("reserved_label", "0 1 a\n1 2 EOS\n", None, "line 2", "'EOS' is reserved", "rename"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_att_line_error_names_file_line_and_fix(tmp_path, case):
    _, text, syms, line, problem, fix = case
    with pytest.raises(SpecError) as err:
        _load(tmp_path, text, syms=syms)
    message = str(err.value)
    assert message.startswith(f"{tmp_path / 'x.att'}: {line}: ")
    assert problem in message and fix in message
    assert "\n" not in message


# (id, symbol table text, line named, problem fragment)
BAD_SYMS = [
    ("one_field", "<eps> 0\na\n", "line 2", "1 fields"),
    ("id_not_integer", "<eps> 0\na one\n", "line 2", "symbol id 'one'"),
    ("symbol_twice", "<eps> 0\na 1\na 2\n", "line 3", "symbol 'a' listed again"),
    ("id_twice", "<eps> 0\na 1\nb 1\n", "line 3", "id 1 given to 'b' and to 'a'"),
]


@pytest.mark.parametrize("case", BAD_SYMS, ids=[c[0] for c in BAD_SYMS])
def test_bad_symbol_table_line_error_names_the_table_and_the_line(tmp_path, case):
    _, syms, line, problem = case
    with pytest.raises(SpecError) as err:
        _load(tmp_path, "0 1 a\n1\n", syms=syms)
    assert str(err.value).startswith(f"{tmp_path / 'x.syms'}: {line}: ")
    assert problem in str(err.value)


@pytest.mark.parametrize("text, problem", [
    ("", "empty file"),
    ("\n  \n", "empty file"),
    ("0 1 0\n1\n", "no symbols"),
])
def test_files_without_a_start_or_without_symbols_are_refused(tmp_path, text, problem):
    with pytest.raises(SpecError, match=problem):
        _load(tmp_path, text)


def test_bad_att_file_through_the_cli_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "bad.fst.txt"
    path.write_bytes(b"0 1 a\n1 2 b 0.5\n")  # 4 fields: 'b' in, '0.5' out
    assert main(["classify", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: line 2: " in err
    path.write_bytes(b"0 1 \xff\n")
    assert main(["classify", str(path)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_att_paths_are_files_even_when_missing(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        spec.load(str(tmp_path / "missing.att"))
    with pytest.raises(SpecError, match="no such file"):
        spec.load("missing.fst.txt")
