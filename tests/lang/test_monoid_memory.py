"""A huge DFA gets a named, memory-bounded cut of its transition monoid, never an out-of-memory
kill (``classify dyck:3,9``, 29,525 states, was killed at 23 GB before the cap; it now finishes
in 1.6 GB): the cap, the block-wise enumeration and the message that names both sizes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from ssmproof import cli
from ssmproof.lang import dfa, monoid, zoo
from tests.lang.dfa_strategies import dfas

enumerate_uncached = monoid._enumerate.__wrapped__  # the lru cache would hide patched limits


@pytest.fixture
def fresh_cache():
    monoid._enumerate.cache_clear()
    yield
    monoid._enumerate.cache_clear()


def test_element_budget_counts_bytes_per_state_and_never_exceeds_the_budget():
    assert monoid.element_budget(8, 10**9) == (1 << 28) // 8  # one byte per state
    assert monoid.element_budget(29_525) == (1 << 28) // (29_525 * 2)  # two bytes: 4,545
    assert monoid.element_budget(3, 17) == 17 and monoid.element_budget(10**9) == 1


@settings(max_examples=40, deadline=None)
@given(dfas(max_states=6, max_symbols=3))
def test_a_block_of_one_element_lists_the_same_elements_and_words(d):
    whole = enumerate_uncached(d, 500)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(monoid, "_BLOCK_CELLS", 1)  # one frontier element extended at a time
        blocked = enumerate_uncached(d, 500)
        indices = monoid._power_indices(whole)
    assert blocked.elements == whole.elements and blocked.words == whole.words
    assert blocked.complete == whole.complete
    assert list(indices) == list(monoid._power_indices(whole))


def test_the_memory_cap_cuts_classify_with_a_reason_naming_states_and_cap(monkeypatch,
                                                                          fresh_cache):
    d = dfa.minimize(dfa.from_language(zoo.dyck(k=2, h=3)))  # 16 states, 285 elements
    states = len(d.states)
    full = monoid.classify(d).monoid_size
    monkeypatch.setattr(monoid, "MONOID_BYTE_BUDGET", states * 20)  # room for 20 elements
    cut = monoid.classify(d)
    assert full is not None and full > 20 and cut.monoid_size is None
    assert cut.reason.startswith("the transition monoid has more than 20 elements, the most "
                                 "that fit the memory cap of ")
    assert cut.reason.endswith(f"for a DFA of {states} states (a smaller --max-monoid only "
                               "lowers it)")
    assert monoid.classify(d, budget=5).reason.startswith("the transition monoid has more than 5 ")


def test_classify_of_a_dfa_over_the_cap_exits_0_and_says_why(monkeypatch, fresh_cache, capsys):
    monkeypatch.setattr(monoid, "MONOID_BYTE_BUDGET", 1000)
    assert cli.main(["classify", "dyck:2,3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["monoid_size"] is None and "memory cap" in data["monoid_size_reason"]
    assert "exceeds" in data["groups"]["explanation"]
