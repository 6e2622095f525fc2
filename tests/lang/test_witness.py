"""One Witness type (u, w, v, period), checked when built, shared by classify, decompose, refute"""

from __future__ import annotations

import dataclasses
import re

import pytest

from ssmproof.algebra.holonomy import decompose
from ssmproof.errors import NotStarFreeError, SsmproofError
from ssmproof.lang import monoid, zoo
from ssmproof.lang.witness import Witness
from ssmproof.refute import stabilise
from tests.refute.test_stabilise import seen_one


@pytest.mark.parametrize("args, message", [
    (((), (), (), 2), "witness: w is empty"),
    (((), ("1",), (), 1), "witness: period 1 is not an integer ≥ 2"),
    (((), ("1",), (), True), "witness: period True is not an integer ≥ 2"),
    ((["1"], ("1",), (), 2), "witness: u = ['1'] is not a tuple of symbols"),
    (((), ("1",), (1,), 2), "witness: v = (1,) is not a tuple of symbols"),
])
def test_a_malformed_witness_is_refused_when_built_naming_the_field(args, message):
    with pytest.raises(SsmproofError, match=re.escape(message)):
        Witness(*args)


def test_a_witness_is_frozen_and_spells_its_words():
    wit = Witness(("1",), ("0", "0"), ("1",), 2)
    assert wit.word(0) == ("1", "1") and wit.word(2) == ("1", "0", "0", "0", "0", "1")
    assert wit.to_json_dict() == {"u": ["1"], "w": ["0", "0"], "v": ["1"], "period": 2}
    with pytest.raises(dataclasses.FrozenInstanceError):
        wit.period = 3  # type: ignore[misc]


def test_classify_decompose_and_refute_share_one_witness_type():
    parity = zoo.parity()
    classified = monoid.classify(parity).witness
    with pytest.raises(NotStarFreeError) as info:
        decompose(parity)
    assert type(classified) is Witness and type(info.value.witness) is Witness
    assert monoid.Witness is stabilise.Witness is Witness
    # parity: u = ε, w = 1, v = ε, period 2 (shortest witness, found by both routes)
    assert classified == info.value.witness == Witness((), ("1",), (), 2)


@pytest.mark.parametrize("given", [Witness((), ("1",), (), 2), ((), ("1",), (), 2),
                                   {"u": [], "w": ["1"], "v": [], "period": 2}])
def test_refute_takes_a_witness_a_tuple_or_a_mapping_and_reports_the_same(given):
    # a latch that only tells "no 1 yet" from "some 1": wrong on 11 (even, so in PARITY)
    r = stabilise.refute(seen_one(), zoo.parity(), witness=given)
    assert (r.found, r.u, r.w, r.v, r.period, r.input) == (True, (), ("1",), (), 2, ("1", "1"))
