"""The checker re-runs ``exhaustive`` and ``random`` certificates by walking every word.

An exhaustive certificate claims every word up to N; the checker walks them all (merging words
that reach the same configuration and DFA state, which decide alike from then on), recounts
them from the DFA, and wants the same shortest counterexample. A random certificate does not
list its words, so the checker walks *every* word up to its maximum length: no error there means
none among the words drawn; an error there is reported, not held against the certificate.
"""

from __future__ import annotations

import copy
import itertools
import json

import pytest

from ssmproof.check import CONFIRMED, DISAGREES, NOT_RECHECKED, check_data
from ssmproof.check.model import content_hash
from ssmproof.lang import spec as specs
from ssmproof.recipes import dyck
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify
from tests import cases


def _cert(data: dict, spec: str, **kw) -> dict:
    ssm = jsonio.from_json(json.dumps(data))
    return json.loads(verify(ssm, specs.to_language(specs.resolve(spec)), **kw).to_json())


def _recognizer() -> dict:
    return json.loads(jsonio.to_json(dyck.recognizer(2, 2)))


def _broken() -> dict:
    """The Dyck(2,2) recognizer whose counter ignores ']' (input weight -1 -> 0)."""
    bad = _recognizer()
    bad["layers"][0]["input"]["L1.depth"]["tok:]"] = "0"
    bad["metadata"]["hash"] = content_hash(bad)
    return bad


def _prefixes(k: int, h: int, n: int) -> int:
    """Words of length <= n that are prefixes of Dyck(k,h) words, by brute force."""
    member, alphabet = cases.dyck(k, h), cases.DYCK(k)
    openers = [o for o, _ in cases.dyck_pairs(k)]
    count = 0
    for m in range(n + 1):
        for w in itertools.product(alphabet, repeat=m):
            # a prefix of L iff closing its open brackets gives a word of L
            stack = []
            for s in w:
                stack = stack + [s] if s in openers else stack[:-1]
            closing = tuple(dict(cases.dyck_pairs(k))[o] for o in reversed(stack))
            count += member(w + closing)
    return count


@pytest.mark.parametrize("mode,strings", [("recognize", sum(4 ** n for n in range(7))),
                                          ("predict", None)])
def test_an_exhaustive_certificate_is_confirmed_with_its_strings_recounted(mode, strings):
    data = _recognizer() if mode == "recognize" else json.loads(
        jsonio.to_json(dyck.clearing(2, 2)))
    cert = _cert(data, "dyck:2,2", exhaustive=6)
    strings = strings or _prefixes(2, 2, 6)
    assert cert["holds"] is True and cert["strings_checked"] == strings
    v = check_data(cert, data, "dyck:2,2")
    assert v.status == CONFIRMED, v.reason
    assert f"{strings} strings up to length 6 recounted" in v.checked
    v = check_data(dict(cert, strings_checked=strings + 1), data, "dyck:2,2")
    assert v.status == DISAGREES and "strings_checked mismatch" in v.reason


def test_an_exhaustive_failure_is_confirmed_only_with_the_shortest_counterexample():
    bad = _broken()
    cert = _cert(bad, "dyck:2,2", exhaustive=5)
    assert cert["holds"] is False
    v = check_data(cert, bad, "dyck:2,2")
    assert v.status == CONFIRMED, v.reason
    first = cert["counterexample"]
    assert first == ["[", "]"]  # the counter stays at 1: "[ ]" is rejected; "( )" is fine
    v = check_data(dict(cert, counterexample=["(", "[", "]", ")"]), bad, "dyck:2,2")
    assert v.status == DISAGREES and "not the shortest" in v.reason
    v = check_data(dict(cert, max_length_checked=2), bad, "dyck:2,2")
    assert v.status == DISAGREES and "claims every word up to it right" in v.reason
    lie = dict(cert, holds=True, counterexample=None, max_length_checked=5,
               strings_checked=sum(4 ** n for n in range(6)))
    v = check_data(lie, bad, "dyck:2,2")
    assert v.status == DISAGREES and "within the exhaustive length 5: [[ ]]" in v.reason


def test_a_random_certificate_is_confirmed_by_walking_every_word_up_to_its_length():
    data = _recognizer()
    cert = _cert(data, "dyck:2,2", random=40, max_length=10)
    v = check_data(cert, data, "dyck:2,2")
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason
    assert "no wrong decision on any word up to length 10" in v.checked[0]


def test_a_random_failure_replays_and_a_random_pass_over_a_real_error_is_not_rechecked():
    bad = _broken()
    cert = _cert(bad, "dyck:2,2", random=200, max_length=8)
    assert cert["holds"] is False
    v = check_data(cert, bad, "dyck:2,2")
    assert v.status == CONFIRMED and "replayed" in v.checked[0], v.reason
    right = cert["counterexample"][:-1]  # one symbol less: right there (the first wrong)
    v = check_data(dict(cert, counterexample=right), bad, "dyck:2,2")
    assert v.status == DISAGREES and "does not replay" in v.reason
    v = check_data(dict(cert, holds=True, counterexample=None), bad, "dyck:2,2")
    assert v.status == NOT_RECHECKED and "finds [[ ]]: wrong decision" in v.reason


def test_an_exhaustive_recognizers_gate_class_is_recomputed():
    data = _recognizer()
    cert = _cert(data, "dyck:2,2", exhaustive=3)
    v = check_data(dict(cert, gate_class="signed"), data, "dyck:2,2")
    assert v.status == DISAGREES and "gate_class mismatch" in v.reason


def test_a_bounded_certificate_against_a_counter_language_is_not_rechecked():
    data = json.loads(jsonio.to_json(dyck.clearing(1, 3)))
    cert = copy.deepcopy(_cert(data, "dyck:1,3", exhaustive=4))
    cert["language"] = "dyck1"
    v = check_data(cert, data, "dyck1")
    assert v.status == NOT_RECHECKED and "not regular" in v.reason
