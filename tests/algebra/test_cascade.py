"""Running cascades: cover, agreement with the DFA, the keep-or-reset shape, validation, sizes."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.algebra import (
    KEEP,
    Cascade,
    Reset,
    ResetRule,
    cascade_size,
    check_cover,
    decompose,
    dependencies,
    layer_schedule,
    reachable_configurations,
)
from ssmproof.algebra.examples import contains_aa, dyck_depth, tomita4
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.lang.automaton import DFA
from ssmproof.testing.strategies import dfas, words

APERIODIC = dfas(states=(3, 12), symbols=(2, 4), minimal=True, aperiodic=True)


def with_rules(cascade: Cascade, rules: list[ResetRule]) -> Cascade:
    return dataclasses.replace(cascade, rules=tuple(rules))


@given(APERIODIC)
def test_cover_holds_on_every_reachable_configuration(dfa: DFA) -> None:
    cascade = decompose(dfa)
    count = check_cover(cascade, dfa)
    assert count == len(reachable_configurations(cascade))
    assert count >= len(dfa.states)  # every state is reachable, so each has a configuration


@given(dfas(states=(2, 8), symbols=(2, 3), minimal=False, aperiodic=True))
def test_cover_holds_for_non_minimal_aperiodic_dfas(dfa: DFA) -> None:
    assert check_cover(decompose(dfa), dfa) >= 1


@given(APERIODIC, st.data())
def test_runs_agree_with_the_dfa_on_random_words(dfa: DFA, data: st.DataObject) -> None:
    cascade = decompose(dfa)
    word = data.draw(words(dfa.alphabet, max_size=40))
    coords = cascade.initial
    for i, symbol in enumerate(word):
        coords = cascade.step(coords, symbol)
        assert cascade.decode(coords) == dfa.run(word[: i + 1])
    assert coords == cascade.run(word)


@given(APERIODIC)
def test_every_level_keeps_or_resets_by_the_levels_above(dfa: DFA) -> None:
    cascade = decompose(dfa)
    for coords in reachable_configurations(cascade):
        for symbol in dfa.alphabet:
            new = cascade.step(coords, symbol)
            for level in range(1, cascade.height + 1):
                act = cascade.action(level, coords[: level - 1], symbol)
                expected = coords[level - 1] if act is KEEP else act.target
                assert new[level - 1] == expected
                junk = coords[: level - 1] + tuple(reversed(coords[level - 1 :]))
                assert cascade.action(level, junk, symbol) == act  # lower levels are not read


@given(APERIODIC)
def test_encode_decode_round_trip(dfa: DFA) -> None:
    cascade = decompose(dfa)
    assert cascade.initial == cascade.encode(dfa.start)
    for q in range(len(dfa.states)):
        assert cascade.decode(cascade.encode(q)) == q
        chain = cascade.chain_of(cascade.encode(q))
        assert [lv for lv, _ in chain] == sorted({lv for lv, _ in chain})


def test_reachable_configurations_are_far_fewer_than_tile_chains() -> None:
    # A random 12-state binary DFA: 350 tile chains, 73 of them reachable.
    dfa = random_aperiodic_dfa(0, 12, 2)
    size = cascade_size(decompose(dfa))
    assert (size.tile_chains, size.reachable) == (350, 73)
    assert check_cover(decompose(dfa), dfa) == 73


def test_decode_refuses_a_configuration_off_the_chains() -> None:
    cascade = decompose(contains_aa())
    with pytest.raises(ValueError, match="level 1 holds 0"):
        cascade.decode((0, 0))


@pytest.mark.parametrize("make", [contains_aa, tomita4, lambda: dyck_depth(2)])
def test_every_rule_is_needed_and_a_wrong_target_is_caught(make) -> None:
    # Rules are exact only on canonical configurations (off-chain levels '*'), so even a
    # dropped reset to '*' breaks the cover: other rules' conditions rely on it. A reset to '*'
    # redirected to a tile, though, may leave the cover intact (decoding ignores that level).
    dfa = make()
    cascade = decompose(dfa)
    rules = list(cascade.rules)
    for i, rule in enumerate(rules):
        with pytest.raises(AssertionError, match="cover fails"):
            check_cover(with_rules(cascade, rules[:i] + rules[i + 1 :]), dfa)
        if rule.target == 0:
            continue
        wrong = (rule.target + 1) % cascade.levels[rule.level - 1].size
        with pytest.raises(AssertionError, match="cover fails"):
            check_cover(
                with_rules(
                    cascade, [*rules[:i], dataclasses.replace(rule, target=wrong), *rules[i + 1 :]]
                ),
                dfa,
            )


def test_wrong_initial_configuration_is_caught() -> None:
    dfa = contains_aa()
    cascade = decompose(dfa)
    with pytest.raises(AssertionError, match="initial"):
        check_cover(dataclasses.replace(cascade, initial=cascade.encode(2)), dfa)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (ResetRule(2, "a", ((2, (1,)),), 1), "strictly upper"),
        (ResetRule(2, "a", ((1, (2, 1)),), 1), "sorted"),
        (ResetRule(2, "a", ((1, (7,)),), 1), "exist"),
        (ResetRule(3, "a", (), 1), "no such level"),
        (ResetRule(2, "a", (), 5), "no such level"),
        (ResetRule(2, "z", (), 1), "not in alphabet"),
    ],
)
def test_malformed_rules_are_refused(rule: ResetRule, message: str) -> None:
    cascade = decompose(contains_aa())
    with pytest.raises(ValueError, match=message):
        with_rules(cascade, [*cascade.rules, rule])


def test_conflicting_rules_are_caught_when_they_fire() -> None:
    cascade = decompose(contains_aa())
    bad = with_rules(cascade, [*cascade.rules, ResetRule(1, "a", (), 1)])
    with pytest.raises(ValueError, match="differently"):
        bad.step(bad.initial, "a")


def test_unknown_symbol_is_refused() -> None:
    cascade = decompose(contains_aa())
    with pytest.raises(ValueError, match="not in alphabet"):
        cascade.step(cascade.initial, "c")


@given(APERIODIC)
def test_layer_schedule_respects_dependencies(dfa: DFA) -> None:
    cascade = decompose(dfa)
    deps = dependencies(cascade)
    layer_of = {lv: i for i, layer in enumerate(layer_schedule(cascade)) for lv in layer}
    assert sorted(layer_of) == list(range(1, cascade.height + 1))
    for level, reads in enumerate(deps, start=1):
        assert all(layer_of[r] < layer_of[level] for r in reads)
        assert all(r < level for r in reads)


def test_size_facts_of_contains_aa() -> None:
    size = cascade_size(decompose(contains_aa()))
    assert size.images == 4 and size.levels == 2
    assert size.states == (3, 3) and size.tile_states == 6 and size.bits == (2, 2)
    assert (size.reset_rules, size.rule_literals, size.tile_chains) == (3, 1, 4)
    assert size.reachable == 4 and size.layers == 2


@given(APERIODIC)
def test_size_facts_are_consistent(dfa: DFA) -> None:
    cascade = decompose(dfa)
    size = cascade_size(cascade)
    assert size.tile_states == sum(size.states)
    assert size.bits == tuple(math.ceil(math.log2(s)) for s in size.states)
    assert size.reset_rules == len(list(cascade.resets()))
    assert size.reachable <= size.tile_chains  # configurations are tile chains
    assert cascade_size(cascade, reachable=False).reachable is None


def test_action_reports_resets_and_keeps() -> None:
    cascade = decompose(dyck_depth(2))
    assert cascade.action(1, (), "a") == Reset(2)
    assert cascade.action(2, (1,), "a") is KEEP
    assert cascade.action(2, (2,), "a") == Reset(2)
