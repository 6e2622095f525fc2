"""decompose on hand-built DFAs whose cascades are known, and its refusal of non-aperiodic ones."""

from __future__ import annotations

import pytest

from ssmproof.algebra import (
    KEEP,
    Reset,
    ResetRule,
    cascade_size,
    check_cover,
    decompose,
    layer_schedule,
)
from ssmproof.algebra.examples import (
    contains_aa,
    dyck_depth,
    flip_flop,
    last_is_a,
    parity,
    tomita4,
)
from ssmproof.errors import NotStarFreeError
from ssmproof.lang.automaton import DFA


def rules_of(cascade):
    return [(r.level, r.symbol, r.condition, r.target) for r in cascade.rules]


def test_flip_flop_is_one_reset_level() -> None:
    # Over {0, 1, i}: 0 resets to s0, 1 to s1, i keeps. One level {*, {s0}, {s1}}.
    dfa = flip_flop()
    c = decompose(dfa)
    assert [lv.names for lv in c.levels] == [("*", "{s0}", "{s1}")]
    assert rules_of(c) == [(1, "0", (), 1), (1, "1", (), 2)]
    assert c.action(1, (), "i") is KEEP
    assert c.action(1, (), "1") == Reset(2)
    assert c.initial == (1,)
    assert check_cover(c, dfa) == 2


def test_last_symbol_is_a() -> None:
    # Words over {a, b} ending in a: the same one-level reset automaton.
    c = decompose(last_is_a())
    assert [lv.size for lv in c.levels] == [3]
    assert rules_of(c) == [(1, "a", (), 2), (1, "b", (), 1)]


def test_contains_aa() -> None:
    # Level 1: the tiles {q0,q2}, {q1,q2} of Q; level 2: tiles {q1}, {q2} of the class
    # {{q1,q2}, {q0,q2}}. a sets level 1 to {q1,q2}, b to {q0,q2}; aa reaches {q2} at level 2.
    dfa = contains_aa()
    c = decompose(dfa)
    assert [lv.names for lv in c.levels] == [("*", "{q0,q2}", "{q1,q2}"), ("*", "{q1}", "{q2}")]
    assert rules_of(c) == [(1, "a", (), 2), (1, "b", (), 1), (2, "a", ((1, (2,)),), 2)]
    assert check_cover(c, dfa) == 4  # q2 is coded twice: ({q1,q2},{q2}) and ({q0,q2},{q2})


def test_tomita4() -> None:
    # No 000: level 1 splits Q into {q1,q2,sink} / {q0,sink}, level 2 {q1,sink} / {q2,sink},
    # level 3 a state versus the sink.
    dfa = tomita4()
    c = decompose(dfa)
    assert [lv.size for lv in c.levels] == [3, 3, 3]
    assert len(c.rules) == 6
    assert check_cover(c, dfa) == 6


@pytest.mark.parametrize("m", [1, 2, 3, 6, 12])
def test_dyck_depth_family(m: int) -> None:
    # D_m: m+1 levels of two tiles each ("drop the low end" / "drop the high end");
    # one reset rule per level and symbol, 2(m+1) in all (26 for D_12), and every one of
    # the 2^(m+1) tile chains is reachable.
    dfa = dyck_depth(m)
    c = decompose(dfa)
    size = cascade_size(c)
    assert size.levels == m + 1 and size.states == (3,) * (m + 1)
    assert size.reset_rules == 2 * (m + 1)
    assert size.tile_chains == 2 ** (m + 1)
    assert layer_schedule(c) == tuple((d,) for d in range(1, m + 2))
    assert check_cover(c, dfa) == 2 ** (m + 1)


def test_dyck_rules_read_all_upper_levels_on_one_side() -> None:
    # D_3 on a: level d resets to "high end" iff every upper level holds "high end".
    c = decompose(dyck_depth(3))
    on_a = [r for r in c.rules if r.symbol == "a"]
    assert on_a == [
        ResetRule(d, "a", tuple((lv, (2,)) for lv in range(1, d)), 2) for d in range(1, 5)
    ]


def test_parity_is_refused_with_a_witness() -> None:
    with pytest.raises(NotStarFreeError, match="not aperiodic") as info:
        decompose(parity())
    wit = info.value.witness
    u, w, v = wit.u, wit.w, wit.v
    assert (w, wit.period) == (("1",), 2)
    dfa = parity()
    pattern = [dfa.accepts(u + w * n + v) for n in range(6)]
    assert pattern == [pattern[0], not pattern[0]] * 3


def test_mod_three_counter_is_refused_with_period_three() -> None:
    # a counts mod 3, b is the identity; accept count 0.
    dfa = DFA(("a", "b"), ("0", "1", "2"), 0, frozenset({0}), ((1, 0), (2, 1), (0, 2)))
    with pytest.raises(NotStarFreeError) as info:
        decompose(dfa)
    wit = info.value.witness
    u, w, v = wit.u, wit.w, wit.v
    assert wit.period == 3
    assert [dfa.accepts(u + w * n + v) for n in range(6)] == [True, False, False] * 2


def test_group_hidden_below_the_top_is_found() -> None:
    # (aa)* inside a reset: b resets to p0, a swaps p0/p1 and leaves the sink r alone; c
    # resets to r. The swap acts on the image {p0, p1}, not on Q.
    dfa = DFA(
        ("a", "b", "c"), ("p0", "p1", "r"), 0, frozenset({0}), ((1, 0, 2), (0, 0, 2), (2, 0, 2))
    )
    with pytest.raises(NotStarFreeError):
        decompose(dfa)


def test_one_state_dfa_has_no_levels() -> None:
    dfa = DFA(("a",), ("only",), 0, frozenset({0}), ((0,),))
    c = decompose(dfa)
    assert c.height == 0 and c.rules == () and c.initial == ()
    assert c.decode(c.step((), "a")) == 0
    assert check_cover(c, dfa) == 1


def test_non_minimal_aperiodic_dfa_is_covered_too() -> None:
    # contains aa with q0 split into q0 (start) and q0' (after b), equivalent states.
    dfa = DFA(
        ("a", "b"), ("q0", "q0'", "q1", "q2"), 0, frozenset({3}), ((2, 1), (2, 1), (3, 1), (3, 3))
    )
    assert check_cover(decompose(dfa), dfa) >= 4


def test_non_minimal_dfa_with_a_group_is_refused() -> None:
    # The same language, but b swaps two equivalent copies of q0: the monoid has Z2.
    dfa = DFA(
        ("a", "b"), ("q0", "q0'", "q1", "q2"), 0, frozenset({3}), ((2, 1), (2, 0), (3, 1), (3, 3))
    )
    with pytest.raises(NotStarFreeError, match="minimise first") as info:
        decompose(dfa)
    assert info.value.witness is None  # no word separates the swapped copies: no witness
