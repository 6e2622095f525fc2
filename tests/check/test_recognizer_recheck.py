"""The checker re-checks the Dyck *recognizer's* invariant certificates (recognize mode).

The language side is the checker's own complete ``dyck:K,H`` by levels (a ``failed`` component
and one dead state); the relation is the recipe's ``recognizer_relation`` in bfloat16, where the
depth counter of a failed word takes the 513 integers in [-256, 256]. Lies are made by hand:
relations broken on purpose, a weight changed with the hash restamped, a flipped claim, a wrong
gate class; each is rejected, naming a word where one exists.
"""

from __future__ import annotations

import copy
import itertools
import json

import pytest

from ssmproof.check import CONFIRMED, DISAGREES, check_data
from ssmproof.check.invariant import Levels
from ssmproof.check.model import content_hash
from ssmproof.check.zoo import dyck_alphabet
from ssmproof.lang.factored import bounded_dyck
from ssmproof.numerics.formats import parse
from ssmproof.recipes import dyck
from ssmproof.ssm import jsonio, relation
from ssmproof.ssm.relation import Group, Relation
from ssmproof.verify import invariant
from tests import cases

BF16 = parse("bfloat16")


def _run(data: dict, rel: Relation, k: int, h: int) -> tuple[dict, object]:
    """(certificate of ``verify --invariant`` in bfloat16, the checker's verdict on it)."""
    ssm = jsonio.from_json(json.dumps(data))
    lang = bounded_dyck(k, h, dyck.alphabet(k), complete=True)
    cert = json.loads(invariant.check(ssm, lang, rel, fmt="bfloat16").to_json())
    return cert, _check(cert, data, rel, k, h)


def _check(cert: dict, data: dict, rel: Relation, k: int, h: int):
    return check_data(cert, data, f"dyck:{k},{h}", relation=json.loads(relation.to_json(rel)))


def _recognizer(k: int, h: int) -> dict:
    return json.loads(jsonio.to_json(dyck.recognizer(k, h)))


def _without(rel: Relation, gi: int, drop) -> Relation:
    groups = list(rel.groups)
    g = groups[gi]
    groups[gi] = Group(g.components, g.dims, frozenset(t for t in g.tuples if not drop(t)))
    return Relation(rel.name, tuple(groups))


@pytest.mark.parametrize("k,h", [(1, 3), (2, 2), (3, 1)])
def test_the_checkers_complete_dyck_levels_accept_exactly_the_dyck_words(k, h):
    # every word up to length 5 against the case table's stack-based membership
    alphabet = dyck_alphabet(k)
    lang, member = Levels(k, h, alphabet, complete=True), cases.dyck(k, h)
    for n in range(6):
        for word in itertools.product(range(2 * k), repeat=n):
            state = dict(lang.start)
            for a in word:
                state = {c: lang.next(state.__getitem__, a, c) for c in lang.components}
            assert lang.accepting(state.__getitem__) == member(
                tuple(alphabet[a] for a in word)), word


@pytest.mark.parametrize("k,h", [(2, 1), (2, 3), (3, 2), (4, 2), (5, 2), (2, 5)])
def test_bfloat16_recognizer_certificates_are_confirmed_with_their_gate_class(k, h):
    cert, v = _run(_recognizer(k, h), dyck.recognizer_relation(k, h, BF16), k, h)
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason
    assert f"consecution of {h + 2} groups on each of {2 * k} symbols" in v.checked
    assert "gate_class nonnegative recomputed from every gate value of the relation's " \
           "states" in v.checked


@pytest.mark.slow
def test_the_dyck_8_10_recognizer_is_confirmed_in_bfloat16():
    cert, v = _run(_recognizer(8, 10), dyck.recognizer_relation(8, 10, BF16), 8, 10)
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason


def test_a_wrong_gate_class_on_a_recognizer_certificate_is_rejected():
    data, rel = _recognizer(2, 2), dyck.recognizer_relation(2, 2, BF16)
    cert, _ = _run(data, rel, 2, 2)
    v = _check(dict(cert, gate_class="signed"), data, rel, 2, 2)
    assert v.status == DISAGREES
    assert "gate_class mismatch: the certificate says 'signed'" in v.reason
    assert "make it 'nonnegative'" in v.reason


def test_a_relation_missing_the_dead_depth_minus_one_is_rejected_after_a_closing_bracket():
    # ")" first: the word fails, the latch is set and the counter goes to -1, which this
    # relation leaves out; the toolkit says inconclusive, the checker agrees, and a claim that
    # it holds is rejected with the one-symbol word
    data = _recognizer(2, 2)
    rel = _without(dyck.recognizer_relation(2, 2, BF16), 0, lambda t: t[0] == 1 and t[2] == -1)
    cert, v = _run(data, rel, 2, 2)
    assert cert["holds"] is None and v.status == CONFIRMED, v.reason
    v = _check(dict(cert, holds=True, all_lengths=True), data, rel, 2, 2)
    assert v.status == DISAGREES and "not inductive" in v.reason
    assert "after [)] the SSM leaves the relation" in v.reason


def test_a_relation_allowing_a_failed_word_with_the_latch_at_zero_fails_the_readout():
    # the latch group gets (failed 1, err 0): the readout accepts a failed word at depth 0
    # there, but no word reaches such a state, so the claim can only be inconclusive
    data = _recognizer(2, 2)
    good = dyck.recognizer_relation(2, 2, BF16)
    last = len(good.groups) - 1
    g = good.groups[last]
    rel = Relation(good.name, (*good.groups[:last],
                               Group(g.components, g.dims, g.tuples | {(1, 0)})))
    cert, v = _run(data, rel, 2, 2)
    assert cert["holds"] is None and v.status == CONFIRMED, v.reason
    assert "readout" in v.checked[0]
    v = _check(dict(cert, holds=True, all_lengths=True), data, rel, 2, 2)
    assert v.status == DISAGREES and "readout on" in v.reason and "wrong for accept" in v.reason


def _mutated(k: int, h: int) -> dict:
    """The recognizer with the input weight 1 of ``L2.reg[4].bit1`` doubled, hash restamped."""
    bad = _recognizer(k, h)
    row = next(layer for layer in bad["layers"] if layer["name"] == "L2")["input"]
    row = row["L2.reg[4].bit1"]
    row[next(d for d, w in row.items() if w == "1")] = "2"
    bad["metadata"]["hash"] = content_hash(bad)
    return bad


def test_a_mutated_recognizer_is_refuted_and_a_lie_about_it_is_rejected_with_a_word():
    bad, rel = _mutated(4, 5), dyck.recognizer_relation(4, 5, BF16)
    cert, v = _run(bad, rel, 4, 5)
    assert cert["holds"] is False and v.status == CONFIRMED, v.reason
    # three "(" then "{" at depth 4 writes a wrong code there; closing with "}" is judged wrong
    assert cert["counterexample"] == ["(", "(", "(", "{", "}"]
    lie = dict(cert, holds=True, all_lengths=True, counterexample=None)
    v = _check(lie, bad, rel, 4, 5)
    assert v.status == DISAGREES and "not inductive" in v.reason
    assert "L2.reg[4]" in v.reason, v.reason


def test_a_recognizer_certificate_for_the_unmutated_model_does_not_pass_for_the_mutant():
    data, rel = _recognizer(4, 5), dyck.recognizer_relation(4, 5, BF16)
    cert, _ = _run(data, rel, 4, 5)
    bad = _mutated(4, 5)
    v = _check(cert, bad, rel, 4, 5)
    assert v.status == DISAGREES and "hash mismatch" in v.reason
    v = _check(dict(cert, construction=content_hash(bad)), bad, rel, 4, 5)
    assert v.status == DISAGREES and "not inductive" in v.reason


def test_verify_invariant_recheck_on_a_recognizer_is_confirmed(tmp_path, capsys):
    from ssmproof.cli import main

    path = tmp_path / "d.json"
    assert main(["compile", "dyck:2,3", "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["verify", str(path), "--against", "dyck:2,3", "--invariant", "--format",
                 "bfloat16", "--recheck"]) == 0
    assert "recheck: confirmed: holds for all lengths by the relation" in capsys.readouterr().out


@pytest.mark.parametrize("change", [{"local_checks": 1}, {"groups": 7}, {"readout_checks": None}])
def test_an_invariant_block_that_does_not_add_up_is_rejected(change):
    data, rel = _recognizer(2, 1), dyck.recognizer_relation(2, 1, BF16)
    cert, _ = _run(data, rel, 2, 1)
    v = _check(dict(cert, invariant={**cert["invariant"], **change}), data, rel, 2, 1)
    assert v.status == DISAGREES and "does not add up" in v.reason
