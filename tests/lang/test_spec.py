"""Spec files: good ones load, and every kind of bad one fails naming file, field and fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ssmproof.errors import SpecError
from ssmproof.lang import dfa, spec
from ssmproof.lang.automaton import DFA
from ssmproof.lang.spec import SpecKind

GOOD = {"name": "t", "description": "ones", "source": "test", "alphabet": ["0", "1"],
        "states": ["p", "q"], "start": "p", "accepting": ["p"],
        "transitions": {"p": {"1": "p", "0": "q"}, "q": {"1": "q"}}}


def _with(**changes: object) -> dict:
    out = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


# (id, file name, content, field, problem fragment, fix fragment)
BAD = [
    ("not_json", "a.json", '{"name": "t", ', "", "not valid JSON (line 1", "fix the JSON syntax"),
    ("not_toml", "a.toml", 'name = \n', "", "not valid TOML", "fix the TOML syntax"),
    ("wrong_extension", "a.yaml", "name: t", "", "unknown file type '.yaml'", ".json or .toml"),
    ("top_level_list", "a.json", "[1, 2]", "", "the top level is a list, not an object",
     "write the spec as one object"),
    ("unknown_field", "a.json", _with(transitons={}), "transitons", "unknown field",
     "did you mean 'transitions'?"),
    ("missing_name", "a.json", _with(name=None), "name", "missing required field",
     'add "name"'),
    ("missing_start", "a.json", _with(start=None), "start", "missing required field",
     'add "start"'),
    ("number_symbol", "a.json", _with(alphabet=[0, 1]), "alphabet[0]",
     "expected a string, got the number 0", 'write it in quotes, e.g. "0"'),
    ("alphabet_not_list", "a.json", _with(alphabet="01"), "alphabet",
     "expected a list of strings", 'write a list'),
    ("row_not_object", "a.json", _with(transitions={"p": "q"}), "transitions.p",
     "expected an object", '{"symbol": "target"'),
    ("empty_alphabet", "a.json", _with(alphabet=[], transitions={}), "alphabet",
     "the alphabet is empty", "list at least one symbol"),
    ("duplicate_symbol", "a.json", _with(alphabet=["0", "1", "0"]), "alphabet[2]",
     "duplicate symbol '0' (also alphabet[0])", "list each symbol once"),
    ("duplicate_state", "a.json", _with(states=["p", "q", "p"]), "states[2]",
     "duplicate state 'p'", "list each state once"),
    ("whitespace_symbol", "a.json", _with(alphabet=["0", "1 "]), "alphabet[1]",
     "contains whitespace", "remove the whitespace"),
    ("reserved_symbol", "a.json", _with(alphabet=["0", "1", "EOS"]), "alphabet[2]",
     "symbol 'EOS' is reserved", "rename it"),
    ("empty_symbol", "a.json", _with(alphabet=["0", "1", ""]), "alphabet[2]",
     "the symbol is the empty string", "remove it"),
    ("unknown_symbol", "tomita3.json", _with(transitions={"q": {"2": "p"}}), "transitions.q",
     "symbol '2' is not in alphabet ['0', '1']", "add it to `alphabet` or remove the edge"),
    ("unknown_source_state", "a.json", _with(transitions={"r": {"0": "p"}}), "transitions.r",
     "state 'r' is not in states ['p', 'q']", "add it to `states` or remove its row"),
    ("unknown_target_state", "a.json", _with(transitions={"p": {"0": "r"}}), "transitions.p.0",
     "state 'r' is not in states ['p', 'q']", "point the edge at a listed state"),
    ("unknown_start", "a.json", _with(start="r"), "start", "state 'r' is not in states",
     "add it to `states` or pick one of them"),
    ("unknown_accepting", "a.json", _with(accepting=["p", "z"]), "accepting[1]",
     "state 'z' is not in states", "remove it from `accepting`"),
    ("nondeterminism", "a.json", _with(transitions={"p": {"0": ["p", "q"]}}), "transitions.p.0",
     "2 targets ['p', 'q']: a DFA has exactly one target", "write one target as a string"),
    ("both_regex_and_table", "a.json", _with(regex="1*"), "regex",
     "both 'transitions' and 'regex' define the language", "keep exactly one"),
    ("no_definition", "a.json", {"name": "t", "alphabet": ["0"]}, "transitions",
     "does not define a language", "add 'transitions'"),
    ("duplicate_json_key", "a.json",
     '{"name": "t", "alphabet": ["0"], "regex": "0*", "regex": "0"}', "regex",
     "given more than once", "keep one entry"),
    ("too_many_states", "a.json", _with(states=[f"s{i}" for i in range(100_001)]), "states",
     "100,001 entries, above the stated limit of 100,000", "use at most 100,000 states"),
    ("too_many_symbols", "a.json", _with(alphabet=[f"a{i}" for i in range(1001)]), "alphabet",
     "1,001 entries, above the stated limit of 1,000", "use at most 1,000 symbols"),
    ("unreadable_regex", "a.json", {"name": "t", "alphabet": ["0", "1"], "regex": "(01"},
     "regex", "unclosed '(' at column 1", "add ')'"),
    ("regex_unknown_symbol", "a.json", {"name": "t", "alphabet": ["0", "1"], "regex": "012"},
     "regex", "'2' is not a symbol of the alphabet ['0', '1'] at column 3", "use only alphabet"),
    ("unknown_named_language", "a.json", {"name": "t", "language": "tomita:9"}, "language",
     "'tomita:9': 9 is outside 1..7", "tomita:N"),
    ("named_language_wrong_alphabet", "a.json",
     {"name": "t", "language": "parity", "alphabet": ["1", "0"]}, "alphabet",
     "differs from the alphabet of 'parity'", "write ['0', '1'] or leave `alphabet` out"),
    ("empty_name", "a.json", _with(name=" "), "name", "the name is empty", "short identifier"),
    ("not_utf8", "a.json", b'{"name": "\xff"}', "", "not UTF-8 text", "save the file as UTF-8"),
]


@pytest.mark.parametrize(("file", "content", "field", "problem", "fix"),
                         [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_spec_error_names_file_field_and_fix(tmp_path: Path, file: str, content: object,
                                                 field: str, problem: str, fix: str) -> None:
    path = _write(tmp_path, file, content)
    with pytest.raises(SpecError) as caught:
        spec.load(path)
    err = caught.value
    assert err.path == str(path)
    assert err.field == field
    assert problem in err.problem
    assert fix in err.fix
    assert str(err).startswith(f"{path}: {field + ': ' if field else ''}{err.problem}")


def test_there_are_at_least_ten_kinds_of_bad_spec() -> None:
    assert len({b[3] for b in BAD}) >= 10 and len(BAD) >= 20


def test_missing_file_names_the_path_and_points_to_the_zoo(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        spec.load(tmp_path / "nope.json")
    assert caught.value.problem == "no such file" and "ssmproof zoo" in caught.value.fix


def test_missing_transition_goes_to_an_implicit_rejecting_sink(tmp_path: Path) -> None:
    d = dfa.from_spec(spec.load(_write(tmp_path, "t.json", GOOD)))
    assert d.states == ("p", "q", "sink")
    assert d.delta == ((1, 0), (2, 1), (2, 2))  # q on 0 → sink; sink loops
    assert d.accepting == frozenset({0})


def test_sink_name_avoids_an_existing_state_named_sink(tmp_path: Path) -> None:
    content = _with(states=["sink", "q"], start="sink", accepting=["sink"],
                    transitions={"sink": {"1": "q"}})
    assert dfa.from_spec(spec.load(_write(tmp_path, "t.json", content))).states[-1] == "sink_1"


def test_json_and_toml_specs_of_the_same_table_are_equal(tmp_path: Path) -> None:
    toml = """name = "t"
description = "ones"
source = "test"
alphabet = ["0", "1"]
states = ["p", "q"]
start = "p"
accepting = ["p"]
[transitions]
p = { "1" = "p", "0" = "q" }
q = { "1" = "q" }
"""
    a = spec.load(_write(tmp_path, "t.json", GOOD))
    b = spec.load(_write(tmp_path, "t.toml", toml))
    assert a.kind is b.kind is SpecKind.TABLE
    assert (a.name, a.alphabet, a.states, a.start, a.accepting, a.table()) == (
        b.name, b.alphabet, b.states, b.start, b.accepting, b.table())


def test_regex_spec_builds_its_minimal_dfa(tmp_path: Path) -> None:
    s = spec.load(_write(tmp_path, "r.json", {"name": "r", "alphabet": ["0", "1"],
                                              "regex": "(10)*"}))
    lang = spec.to_language(s)
    assert isinstance(lang, DFA) and len(lang.states) == 3
    assert [lang.accepts(w) for w in ["", "10", "1010", "1", "01"]] == [True, True, True,
                                                                       False, False]


def test_named_language_spec_takes_the_zoo_alphabet(tmp_path: Path) -> None:
    s = spec.load(_write(tmp_path, "n.json", {"name": "n", "language": "dyck:2,2"}))
    assert s.kind is SpecKind.NAMED and s.alphabet == ("(", ")", "[", "]")
    assert spec.to_language(s).accepts(("(", "[", "]", ")"))


def test_zoo_names_resolve_without_a_file() -> None:
    s = spec.resolve("tomita:3")
    assert (s.name, s.language, s.path) == ("tomita3", "tomita:3", "tomita:3")
    assert spec.to_language(s).name == "tomita3"


def test_a_text_with_a_suffix_is_read_as_a_file_not_a_name(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        spec.load("parity.json")


def test_specs_are_frozen_and_validate_on_construction() -> None:
    s = spec.from_dict(GOOD, path="t.json")
    with pytest.raises(AttributeError):
        s.name = "other"  # type: ignore[misc]
    with pytest.raises(SpecError, match="t.json: start: state 'zz' is not in states"):
        spec.Spec(name="t", alphabet=("0",), states=("p",), start="zz", path="t.json")


def test_transitions_repeating_an_edge_with_two_targets_are_nondeterministic() -> None:
    with pytest.raises(SpecError) as caught:
        spec.Spec(name="t", alphabet=("0",), states=("p", "q"), start="p", path="t.json",
                  transitions=(("p", "0", "p"), ("p", "0", "q")))
    assert caught.value.field == "transitions.p.0" and "two targets" in caught.value.problem


def test_spec_text_is_never_evaluated(tmp_path: Path) -> None:
    marker = tmp_path / "evaluated"
    evil = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    path = _write(tmp_path, "e.json", {"name": evil, "alphabet": ["0"], "regex": "0*",
                                       "description": evil})
    assert spec.load(path).name == evil
    assert not marker.exists()
