"""Counter recognizers: hand facts, bounded checks vs the zoo, random words, controls."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import spec
from ssmproof.recipes import counter_recognizers as rec
from ssmproof.sim.machine import Machine
from ssmproof.ssm.validate import validate
from ssmproof.verify.api import verify
from tests import cases
from tests.either_side import either_side

# zoo name → (builder, the case table's independent membership)
CASES = {
    "dyck1": (rec.dyck1, cases.dyck1),
    "shuffle:2": (lambda: rec.shuffle(2), cases.shuffle(2)),
    "boolean:3": (lambda: rec.boolean(3), cases.boolean(3)),
    "anbn": (lambda: rec.counting("ab"), cases.counting("ab")),
    "anbncn": (lambda: rec.counting("abc"), cases.counting("abc")),
    "anbncndn": (lambda: rec.counting("abcd"), cases.counting("abcd")),
}


def zoo(name):
    return spec.to_language(spec.resolve(name))


def latch_after(ssm, word):
    m = Machine(ssm)
    config = m.start()
    for t in [0, *m.token_ids(word)]:
        config, trace = m.trace_step(config, t)
    return trace.states["L2.err"]


def test_the_latch_sets_at_the_first_error_and_stays_set():
    assert latch_after(rec.dyck1(), list("()")) == 0
    assert latch_after(rec.dyck1(), list("())")) == 1  # depth −1
    assert latch_after(rec.dyck1(), list("())((")) == 1  # stays set though depth returns to 1
    assert latch_after(rec.boolean(2), ["0", "1"]) == 1  # 1 read with no operand pending
    assert latch_after(rec.counting("abc"), list("acb")) == 1  # c before b: diff[1] < 0


def test_out_of_order_letters_fire_the_adjacent_order_test():
    m = Machine(rec.counting("abc"))
    config = m.start()
    for t in [0, *m.token_ids(list("aba"))]:
        config, trace = m.trace_step(config, t)
    assert trace.states["L1.seen[1]"] == 1 and trace.states["L2.err"] == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_recognizer_passes_the_bounded_check_against_the_zoo(name):
    ssm = CASES[name][0]()
    validate(ssm)
    cert = verify(ssm, zoo(name), exhaustive=8, random=100, max_length=200)
    assert cert.holds is True and cert.all_lengths is False and cert.gate_class == "nonnegative"


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=25)
@given(data=st.data())
def test_recognizer_agrees_with_the_case_table_on_random_words(name, data):
    build, member = CASES[name]
    ssm = build()
    word = data.draw(either_side(zoo(name), 60))
    assert Machine(ssm).accepts(word) is member(word)


@settings(max_examples=20)
@given(n=st.integers(1, 300), cut=st.integers(0, 3), extra=st.sampled_from("abc"))
def test_long_counting_words_and_near_misses(n, cut, extra):
    ssm, member = rec.counting("abc"), cases.counting("abc")
    word = tuple("a" * n + "b" * n + "c" * (n - cut) + extra * (cut > 0))
    assert Machine(ssm).accepts(word) is member(word)


def test_dyck1_without_its_latch_fails_with_the_shortest_counterexample():
    ssm = rec.dyck1()
    bad = dataclasses.replace(ssm, layers=ssm.layers[:1], accept={"L1.depth.is0": 1})
    cert = verify(bad, zoo("dyck1"), exhaustive=4)
    assert cert.holds is False and cert.counterexample == (")", "(")
