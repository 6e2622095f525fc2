"""Words on both sides of a language's boundary, from the testing kit's strategies.

A recognizer test that compares the accept readout with a membership function learns little
from uniform words alone: over a bracket alphabet almost every uniform word is rejected within
a few symbols. :func:`either_side` mixes the kit's three word strategies (uniform words, members
and near-miss non-members), as ``ssmproof.testing.asserts`` does for its own hypothesis phase
(that mix is private there, so the tests build it here).
"""

from __future__ import annotations

from hypothesis import strategies as st

from ssmproof.lang.automaton import Language
from ssmproof.testing import words, words_in, words_not_in

__all__ = ["either_side"]


def either_side(language: Language, max_length: int) -> st.SearchStrategy[tuple[str, ...]]:
    """Uniform words, members and non-members of ``language``, each of length <= ``max_length``.

    Uniform words come first, so a failure shrinks towards a short uniform word when one fails.
    The membership the test asserts must come from its own oracle, not from ``language``: the
    language only steers which words are drawn.
    """
    return st.one_of(words(language.alphabet, max_size=max_length),
                     words_in(language, max_length), words_not_in(language, max_length))
