"""random_aperiodic_dfa: exact size, minimal, aperiodic (checked by the monoid), deterministic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.lang.dfa import is_minimal
from ssmproof.lang.monoid import is_aperiodic_monoid, transition_monoid


@given(
    st.integers(0, 10**6),
    st.integers(1, 12),
    st.integers(1, 4),
    st.sampled_from(["mixed", "cascade", "ordered"]),
)
def test_minimal_aperiodic_with_the_requested_size(seed: int, n: int, k: int, method: str) -> None:
    dfa = random_aperiodic_dfa(seed, n, k, method=method)
    assert len(dfa.states) == n and dfa.alphabet == tuple("abcd"[:k])
    assert dfa.states == tuple(f"q{i}" for i in range(n))
    assert is_minimal(dfa)
    assert is_aperiodic_monoid(transition_monoid(dfa))


def test_same_seed_same_dfa_other_seed_other_dfa() -> None:
    assert random_aperiodic_dfa(3, 9, 2) == random_aperiodic_dfa(3, 9, 2)
    assert random_aperiodic_dfa(3, 9, 2) != random_aperiodic_dfa(4, 9, 2)


def test_thirty_states_come_quickly_enough() -> None:
    dfa = random_aperiodic_dfa(0, 30, 2)
    assert len(dfa.states) == 30 and is_minimal(dfa)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"states": 0}, "states >= 1"),
        ({"states": 3, "alphabet_size": 27}, "alphabet_size"),
        ({"states": 3, "method": "uniform"}, "method"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        random_aperiodic_dfa(0, **kwargs)
