"""A DFA checks itself when built: one named check per rule, a SpecError naming the field, and
no ``assert`` (which ``python -O`` drops)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from ssmproof.errors import SpecError
from ssmproof.lang.automaton import DFA
from tests.optimized import error_under_python_o

# Each case: (alphabet, states, start, accepting, delta), the message's field and problem.
BAD = [
    ((), ("q",), 0, frozenset(), ((),), "alphabet: empty alphabet"),
    (("a",), (), 0, frozenset(), (), "states: no states"),
    (("a",), ("q",), 1, frozenset(), ((0,),), "start: 1 is not a state index"),
    (("a",), ("q",), True, frozenset(), ((0,),), "start: True is not a state index"),
    (("a",), ("q", "r"), 0, frozenset(), ((0,),), "delta: 1 rows for 2 states"),
    (("a", "b"), ("q",), 0, frozenset(), ((0,),), "delta[0]: 1 successors for 2 symbols"),
    (("a",), ("q",), 0, frozenset(), ((-1,),), "delta[0]: successor -1 is not a state index"),
    (("a",), ("q",), 0, frozenset({"q"}), ((0,),), "accepting: 'q' is not a state index"),
]


@pytest.mark.parametrize("alphabet, states, start, accepting, delta, message", BAD,
                         ids=[b[-1].split(":")[0] + ":" + str(i) for i, b in enumerate(BAD)])
def test_a_bad_dfa_is_refused_when_built_naming_the_field(alphabet, states, start, accepting,
                                                          delta, message):
    with pytest.raises(SpecError, match=re.escape(f"DFA 'bad': {message}; give")):
        DFA(alphabet, states, start, accepting, delta, "bad")


def test_numpy_indices_are_state_indices():
    dfa = DFA(("a",), ("q", "r"), np.int64(0), frozenset({np.int64(1)}),
              ((np.int64(1),), (np.int64(1),)))
    assert dfa.accepts(("a",)) and not dfa.accepts(())


def test_python_dash_o_still_rejects_a_bad_dfa():
    message = error_under_python_o("DFA(('a',), ('q',), 0, frozenset(), ((5,),), 'bad')",
                                   "SpecError", "from ssmproof.lang.automaton import DFA")
    assert message == "DFA 'bad': delta[0]: successor 5 is not a state index; give indices in 0..0"
