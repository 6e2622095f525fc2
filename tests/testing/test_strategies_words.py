"""words / words_in / words_not_in: right side of the language, and the lengths asked for."""

from __future__ import annotations

import pytest

from ssmproof.errors import SsmproofError
from ssmproof.lang import counters
from ssmproof.testing import strategies
from tests.testing import langs
from tests.testing.draw import draw_many


def _run(lang, word):
    index = {s: i for i, s in enumerate(lang.alphabet)}
    q = lang.initial()
    for s in word:
        q = lang.step(q, index[s])
    return q


def _depth(word, openers="([{<"):
    d = best = 0
    for s in word:
        d += 1 if s in openers else -1
        best = max(best, d)
    return best


def test_words_lengths_span_min_to_max_size():
    got = draw_many(strategies.words(("a", "b", "c"), min_size=2, max_size=30), n=150)
    lengths = [len(w) for w in got]
    assert min(lengths) == 2 and max(lengths) == 30
    assert sum(n >= 20 for n in lengths) >= 0.2 * len(got)  # not clustered near small sizes
    assert {s for w in got for s in w} == {"a", "b", "c"}


@pytest.mark.parametrize("kwargs", [dict(alphabet=()), dict(alphabet=("a", "a")),
                                    dict(alphabet=("a",), min_size=3, max_size=2)],
                         ids=["empty", "repeated", "min_above_max"])
def test_words_rejects_bad_arguments(kwargs):
    with pytest.raises(SsmproofError):
        strategies.words(**kwargs)


def test_words_in_dyck_are_members_long_and_deep():
    dyck = langs.dyck(2, 3)
    got = draw_many(strategies.words_in(dyck, 30), n=200)
    assert all(dyck.accepts(w) and len(w) <= 30 for w in got)
    lengths = [len(w) for w in got]
    assert max(lengths) >= 26
    assert sum(n > 15 for n in lengths) >= 0.25 * len(got)
    assert sum(_depth(w) == 3 for w in got) >= 0.1 * len(got)  # the depth bound is reached
    assert {"(", "["} <= {s for w in got for s in w}


def test_words_not_in_dyck_are_long_rejected_near_misses_and_dead_words():
    dyck = langs.dyck(2, 3)
    got = draw_many(strategies.words_not_in(dyck, 30), n=200)
    assert all(not dyck.accepts(w) and len(w) <= 30 for w in got)
    lengths = [len(w) for w in got]
    assert max(lengths) >= 26
    assert sum(n > 15 for n in lengths) >= 0.25 * len(got)
    unfinished = [w for w in got if _run(dyck, w) in dyck.live]  # e.g. "(()": could still close
    assert len(unfinished) >= 0.05 * len(got)  # measured: 11% (seed 0)
    dead_late = [w for w in got if _run(dyck, w) not in dyck.live and len(w) > 10
                 and _run(dyck, w[:-1]) in dyck.live]  # one symbol from a member's prefix
    assert len(dead_late) >= 0.03 * len(got)  # measured: 7% (seed 0)


def test_words_not_in_without_a_dead_state_still_finds_rejected_words():
    even = langs.even_a()
    got = draw_many(strategies.words_not_in(even, 20), n=120)
    assert all(w.count("a") % 2 == 1 for w in got)
    assert max(len(w) for w in got) >= 17


def test_words_around_a_single_word_language():
    aba = langs.exactly(("a", "b", "a"))
    assert set(draw_many(strategies.words_in(aba, 10), n=50)) == {("a", "b", "a")}
    out = draw_many(strategies.words_not_in(aba, 10), n=200)
    assert ("a", "b", "a") not in out
    one_edit = {("b", "b", "a"), ("a", "a", "a"), ("a", "b", "b"), ("b", "a"), ("a", "a"),
                ("a", "b"), ("a", "a", "b", "a"), ("a", "b", "a", "a"), ("b", "a", "b", "a")}
    assert len(one_edit & set(out)) >= 3  # mutations of the member appear


@pytest.mark.parametrize("make", [counters.dyck1, lambda: counters.shuffle(2), counters.anbn,
                                  lambda: counters.boolean(3)],
                         ids=["dyck1", "shuffle_2", "anbn", "boolean_3"])
def test_counter_languages_both_sides_up_to_the_length_asked(make):
    lang = make()
    members = draw_many(strategies.words_in(lang, 40), n=100)
    others = draw_many(strategies.words_not_in(lang, 40), n=100)
    assert all(lang.accepts(w) and len(w) <= 40 for w in members)
    assert all(not lang.accepts(w) and len(w) <= 40 for w in others)
    assert max(len(w) for w in members) >= 30
    assert max(len(w) for w in others) >= 30


def test_impossible_requests_are_errors_naming_the_language():
    with pytest.raises(SsmproofError, match="'nothing' has no word of length <= 5"):
        strategies.words_in(langs.nothing(), 5)
    with pytest.raises(SsmproofError, match="no word of length <= 2"):
        strategies.words_in(langs.exactly(("a", "b", "a")), 2)
    with pytest.raises(SsmproofError, match="'everything' accepts every word"):
        strategies.words_not_in(langs.everything(), 5)
    with pytest.raises(SsmproofError, match="max_length"):
        strategies.words_in(langs.even_a(), -1)


ZOO = ["parity", "flipflop", "dyck:2,3", "tomita:2", "tomita:3", "tomita:5", "dyck1",
       "boolean:3", "anbncn"]


@pytest.mark.parametrize("name", ZOO, ids=ZOO)
def test_every_zoo_language_gets_both_sides_at_long_lengths(name):
    from ssmproof.lang import spec

    lang = spec.to_language(spec.resolve(name))
    members = draw_many(strategies.words_in(name, 30), n=40)
    others = draw_many(strategies.words_not_in(name, 30), n=40)
    assert all(_run(lang, w) is not None and lang.accepts_state(_run(lang, w)) for w in members)
    assert not any(lang.accepts_state(_run(lang, w)) for w in others)
    assert max(len(w) for w in members) >= 24
    assert max(len(w) for w in others) >= 24
