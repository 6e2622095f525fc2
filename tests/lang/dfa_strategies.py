"""Small random complete DFAs for the lang tests: the testing kit's, with the start anywhere.

:func:`ssmproof.testing.dfas` always starts in ``q0``. ``minimize``, ``equivalent`` and
``classify`` must not rely on that, so these strategies redraw the start uniformly. For the
kit's uniform DFAs (every transition uniform, each state accepting with probability 1/2) a
uniformly drawn start is the same distribution up to renaming states; it only adds the cases
where the start is not state 0. States may be unreachable or equivalent.
"""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from ssmproof.lang.automaton import DFA
from ssmproof.testing import dfas as kit_dfas


def _any_start(d: DFA) -> st.SearchStrategy[DFA]:
    return st.integers(0, len(d.states) - 1).map(lambda s: dataclasses.replace(d, start=s))


def dfas(max_states: int = 6, max_symbols: int = 3) -> st.SearchStrategy[DFA]:
    """The kit's uniform DFAs with 1..``max_states`` states over 1..``max_symbols`` symbols."""
    return kit_dfas(states=(1, max_states), symbols=(1, max_symbols)).flatmap(_any_start)


@st.composite
def dfa_pairs(draw: st.DrawFn, max_states: int = 4, max_symbols: int = 2) -> tuple[DFA, DFA]:
    """Two random DFAs over the same alphabet."""
    a = draw(dfas(max_states, max_symbols))
    b = draw(kit_dfas(states=(1, max_states), symbols=len(a.alphabet)).flatmap(_any_start))
    return a, b
