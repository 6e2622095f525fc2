"""The regex adapter: our syntax, its errors, and agreement with Python's ``re``."""

from __future__ import annotations

import itertools
import re
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.errors import SpecError
from ssmproof.lang import regex
from ssmproof.testing import words

ABC = ("a", "b", "c")


def _language(text: str, alphabet: tuple[str, ...], length: int) -> set[tuple[str, ...]]:
    d = regex.to_dfa(text, alphabet)
    return {w for n in range(length + 1) for w in itertools.product(alphabet, repeat=n)
            if d.accepts(w)}


def _python(pattern: str, alphabet: tuple[str, ...], length: int) -> set[tuple[str, ...]]:
    compiled = re.compile(pattern)
    return {w for n in range(length + 1) for w in itertools.product(alphabet, repeat=n)
            if compiled.fullmatch("".join(w))}


@pytest.mark.parametrize(("text", "words"), [
    ("(aa)*", {(), ("a", "a")}),
    ("a|()", {(), ("a",)}),
    ("a b", {("a", "b")}),
    ("ab+", {("a", "b"), ("a", "b", "b")}),
    ("a?b", {("b",), ("a", "b")}),
    ("a**", {(), ("a",), ("a", "a"), ("a", "a", "a")}),
    ("a|b c", {("a",), ("b", "c")}),  # concatenation binds tighter than union
    ("(a|b)c", {("a", "c"), ("b", "c")}),
])
def test_compact_syntax_means_what_the_docstring_says(text: str, words: set) -> None:
    assert _language(text, ABC, 3) == words


def test_operator_characters_are_written_escaped_in_a_compact_alphabet() -> None:
    d = regex.to_dfa(r"(\(\))*", ("(", ")"))
    assert d.accepts(("(", ")", "(", ")")) and not d.accepts(("(", "(", ")", ")"))


def test_multicharacter_tokens_are_separated_by_spaces_escaped_or_quoted() -> None:
    alphabet = ("(1", ")1", "w")
    escaped = regex.to_dfa(r"(\(1 \)1)* w", alphabet)
    quoted = regex.to_dfa("('(1' ')1')*w", alphabet)
    for d in (escaped, quoted):
        assert d.accepts(("(1", ")1", "(1", ")1", "w"))
        assert not d.accepts(("(1", "w"))


def test_a_run_of_characters_that_is_not_one_token_is_an_error_not_a_split() -> None:
    with pytest.raises(SpecError) as caught:
        regex.parse("ab", ("a", "b", "bb"), path="t.json")
    assert "'ab' is not a symbol" in caught.value.problem and "column 1" in caught.value.problem
    assert "separated by spaces" in caught.value.fix


def test_a_token_equal_to_a_multicharacter_symbol_is_that_symbol() -> None:
    d = regex.to_dfa("ab a", ("a", "b", "ab"))
    assert d.accepts(("ab", "a")) and not d.accepts(("a", "b", "a"))


BAD = [
    ("", "the regex is empty", "write ()"),
    ("   ", "the regex is empty", "write ()"),
    ("(ab", "unclosed '(' at column 1", "add ')'"),
    ("ab)", "unmatched ')' at column 3", "add a matching '('"),
    ("*a", "'*' has nothing to apply to at column 1", "escape it as \\*"),
    ("a|", "empty alternative at column 3", "write () for the empty word"),
    ("|a", "empty alternative at column 1", "write () for the empty word"),
    ("(|a)", "empty alternative at column 2", "remove the '|'"),
    ("a\\", "a backslash ends the regex at column 2", "escape a character"),
    ("'a", "unterminated quote at column 1", "close the symbol"),
    ("ad", "'d' is not a symbol of the alphabet ['a', 'b', 'c'] at column 2", "use only"),
    ("(" * 101 + "a" + ")" * 101, "nested deeper than 100", "simplify"),
]


@pytest.mark.parametrize(("text", "problem", "fix"), BAD, ids=[b[1].split(" at ")[0] for b in BAD])
def test_an_unreadable_regex_is_an_error_naming_the_column(text: str, problem: str,
                                                           fix: str) -> None:
    with pytest.raises(SpecError) as caught:
        regex.to_dfa(text, ABC, path="r.json")
    err = caught.value
    assert (err.path, err.field) == ("r.json", "regex")
    assert problem in err.problem and fix in err.fix


def test_alphabets_beyond_the_ascii_pool_map_to_safe_characters() -> None:
    alphabet = tuple(f"s{i}" for i in range(100))
    d = regex.to_dfa("s0 s99* s64", alphabet)
    assert d.accepts(("s0", "s99", "s99", "s64")) and not d.accepts(("s0", "s64", "s64"))
    _, chars = regex.to_automata_lib("s0", alphabet)
    assert len(set(chars)) == 100 and not set("".join(chars)) & set("|*+?()&^.{}[] \\")


def test_the_dfa_is_over_the_whole_alphabet_even_for_unused_symbols() -> None:
    d = regex.to_dfa("a*", ABC)
    assert d.alphabet == ABC and not d.accepts(("c",))
    assert d.states == ("q0", "sink")


def test_automata_lib_is_not_shadowed_by_the_repository_folder() -> None:
    import automata

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert site in Path(automata.__file__).resolve().parents
    assert not (Path(__file__).resolve().parents[2] / "automata" / "__init__.py").exists()


# --- agreement with Python's re on random regexes ------------------------------------------

def _regexes() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["a", "b", "c", "()"])
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"({p[0]})({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}|{p[1]})"),
        st.tuples(inner, st.sampled_from("*+?")).map(lambda p: f"({p[0]}){p[1]}"),
    ), max_leaves=8)


@given(_regexes())
def test_adapter_agrees_with_python_re_on_all_short_words(pattern: str) -> None:
    assert _language(pattern, ABC, 5) == _python(pattern, ABC, 5)


@given(_regexes(), st.lists(words(ABC, max_size=12), max_size=20))
def test_adapter_agrees_with_python_re_on_random_words(pattern: str, words: list) -> None:
    d = regex.to_dfa(pattern, ABC)
    compiled = re.compile(pattern)
    for w in words:
        assert d.accepts(w) == (compiled.fullmatch("".join(w)) is not None), (pattern, w)


@given(_regexes())
def test_spaces_between_tokens_do_not_change_the_language(pattern: str) -> None:
    spaced = " ".join(pattern.replace("()", "\0")).replace("\0", "()")
    assert regex.to_dfa(spaced, ABC) == regex.to_dfa(pattern, ABC)
