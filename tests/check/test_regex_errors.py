"""The checker's regex reader and the toolkit's reject the same regexes at the same column.

A user who meets a regex error from ``ssmproof check`` and from ``ssmproof classify`` must be
sent to the same character; both count columns from 1, one per character of the text.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.check.inputs import BadInput
from ssmproof.check.regex import regex_dfa
from ssmproof.errors import SpecError
from ssmproof.lang import regex

COLUMN = re.compile(r" at column (\d+)")


def _column(err: Exception) -> int | None:
    found = COLUMN.search(str(err))
    return int(found.group(1)) if found else None


def _both(text: str, alphabet: tuple[str, ...]) -> tuple[object, object]:
    """(main's outcome, checker's outcome): the DFA, or the column of the error (None if the
    message names no column), or the exception type when the parser raised something else."""
    try:
        main: object = regex.to_dfa(text, alphabet, path="r.json")
    except SpecError as err:
        main = ("error", _column(err))
    try:
        check: object = regex_dfa("r", text, alphabet, "r.json")
    except BadInput as err:
        check = ("error", _column(err))
    return main, check


@pytest.mark.parametrize("text, column", [
    ("(a|b))*c", 6),   # the example: the second ')' is unmatched
    ("a**|)", 5),      # the ')' ends an empty alternative
    ("(ab", 1),        # unclosed: blame the '(' it opened at
    ("a|*b", 3),       # '*' with nothing before it
    ("ab|", 4),        # the text ends inside an empty alternative: one past the end
    ("a d", 3),        # not a symbol
])
def test_both_readers_blame_the_same_column(text: str, column: int) -> None:
    main, check = _both(text, ("a", "b", "c"))
    assert main == check == ("error", column)


def _words(alphabet: tuple[str, ...], up_to: int):
    for n in range(up_to + 1):
        yield from itertools.product(alphabet, repeat=n)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([(("a", "b"), "ab()|*+?\\' "), (("ab", "c"), "abc()|*?\\' ")])
       .flatmap(lambda case: st.tuples(st.just(case[0]), st.text(alphabet=case[1], max_size=9))))
def test_random_regexes_are_refused_alike_and_read_alike(
        case: tuple[tuple[str, ...], str]) -> None:
    # one-character symbols, and a token alphabet where a run of characters is one symbol
    alphabet, text = case
    main, check = _both(text, alphabet)
    if isinstance(main, tuple) or isinstance(check, tuple):
        assert main == check  # both refuse, naming the same column (or none: the empty regex)
        return
    for word in _words(alphabet, 4):  # both read it: the same language on every short word
        q = check.start  # type: ignore[attr-defined]
        for s in word:
            q = check.delta[q][alphabet.index(s)]  # type: ignore[attr-defined]
        assert (q in check.accepting) == main.accepts(word), (text, word)  # type: ignore
