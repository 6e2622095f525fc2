"""Hypothesis strategies for small random complete DFAs (local to the lang tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from ssmproof.lang.automaton import DFA


@st.composite
def dfas(draw: st.DrawFn, max_states: int = 6, max_symbols: int = 3) -> DFA:
    """A complete DFA with random transitions; states may be unreachable or equivalent."""
    n = draw(st.integers(1, max_states))
    k = draw(st.integers(1, max_symbols))
    delta = tuple(tuple(draw(st.integers(0, n - 1)) for _ in range(k)) for _ in range(n))
    accepting = frozenset(draw(st.sets(st.integers(0, n - 1))))
    return DFA(alphabet=tuple("abc"[:k]), states=tuple(f"s{i}" for i in range(n)),
               start=draw(st.integers(0, n - 1)), accepting=accepting, delta=delta, name="random")


@st.composite
def dfa_pairs(draw: st.DrawFn, max_states: int = 4, max_symbols: int = 2) -> tuple[DFA, DFA]:
    """Two random DFAs over the same alphabet."""
    a = draw(dfas(max_states, max_symbols))
    b = draw(dfas(max_states, len(a.alphabet)).filter(lambda d: d.alphabet == a.alphabet))
    return a, b
