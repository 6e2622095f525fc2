"""Counter languages and bounded Dyck: samplers draw members, liveness is exact."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from ssmproof.lang import counters, zoo
from ssmproof.lang.automaton import Language, allowed_next
from ssmproof.lang.counters import DEAD
from tests.cases import CASES, Case, case_id, dyck

SAMPLED = [c for c in CASES if not c.regular] + [c for c in CASES if c.address.startswith("dyck:")]

# (prefix length, extension length): every live prefix this short can be completed by an
# extension this short, so the brute-force search below is conclusive.
LIVENESS = {"dyck1": (5, 6), "shuffle_1": (5, 6), "shuffle_2": (4, 5), "boolean_1": (5, 6),
            "boolean_2": (4, 5), "boolean_3": (2, 5), "anbn": (4, 4), "anbncn": (3, 6),
            "anbncndn": (2, 6), "dyck_1_3": (5, 6), "dyck_2_3": (4, 4)}


@pytest.mark.parametrize("case", SAMPLED, ids=case_id)
def test_sampler_draws_members_of_bounded_length(case: Case) -> None:
    lang = zoo.language(case.address)
    rng = np.random.default_rng(7)
    drawn = [lang.sample_member(rng, 60) for _ in range(300)]
    assert all(case.member(w) for w in drawn), next(w for w in drawn if not case.member(w))
    assert all(len(w) <= 60 for w in drawn)
    assert max(len(w) for w in drawn) >= 40  # long words, not only short ones
    assert len(set(drawn)) >= min(20, 60 // len(case.alphabet))  # anbncndn has only 15


def test_dyck1_sampler_also_draws_deep_words() -> None:
    rng = np.random.default_rng(1)
    depths = []
    for _ in range(200):
        level = deepest = 0
        for s in counters.dyck1().sample_member(rng, 200):
            level += 1 if s == "(" else -1
            deepest = max(deepest, level)
        depths.append(deepest)
    assert max(depths) >= 50


def test_bounded_dyck_sampler_reaches_the_depth_bound() -> None:
    lang, rng = zoo.dyck(k=3, h=6), np.random.default_rng(2)
    depth = 0
    for _ in range(100):
        level = 0
        for s in lang.sample_member(rng, 40):
            level += 1 if s in "([{" else -1
            depth = max(depth, level)
    assert depth == 6


def test_samplers_accept_a_stdlib_random_generator() -> None:
    w = counters.shuffle(3).sample_member(random.Random(0), 30)
    assert counters.shuffle(3).accepts(w)


@pytest.mark.parametrize("lang", [counters.anbn(), counters.boolean(2)], ids=lambda x: x.name)
def test_sampler_refuses_a_length_too_short_for_any_member(lang) -> None:
    with pytest.raises(ValueError, match="has no word of length"):
        lang.sample_member(np.random.default_rng(0), 1 if lang.name == "anbn" else 0)


@pytest.mark.parametrize("case", [c for c in SAMPLED if c.name in LIVENESS], ids=case_id)
def test_is_live_exactly_when_some_extension_is_in_the_language(case: Case) -> None:
    lang = zoo.language(case.address)
    prefix_length, extension_length = LIVENESS[case.name]
    extensions = [e for n in range(extension_length + 1)
                  for e in itertools.product(case.alphabet, repeat=n)]
    for n in range(prefix_length + 1):
        for prefix in itertools.product(case.alphabet, repeat=n):
            live = lang.is_live(_state(lang, prefix))
            assert live == any(case.member(prefix + e) for e in extensions), prefix


def _state(lang: Language, word: tuple[str, ...]):  # noqa: ANN202
    q = lang.initial()
    for s in word:
        q = lang.step(q, lang.alphabet.index(s))
    return q


@pytest.mark.parametrize("case", [c for c in CASES if not c.regular], ids=case_id)
def test_counter_languages_follow_the_language_protocol(case: Case) -> None:
    lang = zoo.language(case.address)
    assert isinstance(lang, Language) and lang.regular is False
    assert all(lang.step(DEAD, a) is DEAD for a in range(len(lang.alphabet)))
    assert not lang.accepts_state(DEAD) and not lang.is_live(DEAD)
    assert lang.accepts_state(lang.initial()) == case.member(())


def test_allowed_next_after_a_prefix_of_dyck1() -> None:
    lang = counters.dyck1()
    assert allowed_next(lang, _state(lang, ("(",))) == (True, True, False)
    assert allowed_next(lang, lang.initial()) == (True, False, True)


def test_counter_states_merge_equal_prefixes() -> None:
    lang = counters.anbncn()
    assert _state(lang, tuple("aab")) == _state(lang, tuple("aab"))
    assert _state(lang, tuple("ab")) != _state(lang, tuple("aab"))
    assert lang.accepts("abc") and not lang.accepts("abcc")


def test_shuffle_pairs_and_boolean_operators_follow_the_papers_data() -> None:
    assert counters.shuffle(7).alphabet == tuple("()[]{}<>+-abxo")
    assert counters.boolean(5).alphabet == ("0", "1", "~", "+", ">", "*", "^")
    assert [counters.boolean(5).arity(i) for i in range(7)] == [0, 0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(("make", "bad"), [(lambda: counters.shuffle(0), "1 <= K <= 7"),
                                          (lambda: counters.shuffle(8), "1 <= K <= 7"),
                                          (lambda: counters.boolean(6), "1 <= N <= 5")])
def test_out_of_range_parameters_are_refused(make, bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        make()


def test_bounded_dyck_membership_matches_the_stack_definition_for_k_five() -> None:
    lang, member = zoo.dyck(k=5, h=2), dyck(5, 2)
    rng = np.random.default_rng(3)
    for _ in range(300):
        word = lang.sample_member(rng, 20)
        assert member(word) and lang.accepts(word)
        mutated = word[:-1] if word else ("(1",)
        assert lang.accepts(mutated) == member(mutated)
