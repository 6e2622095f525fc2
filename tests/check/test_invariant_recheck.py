"""The checker re-runs invariant certificates: initiation, consecution over the cone, readout.

Certificates come from the real ``verify --invariant`` on the Dyck recipes and their relations;
the lies are made by hand (a weight changed with the hash restamped, a relation that is not
inductive, a claim flipped), and each is rejected naming a word.
"""

from __future__ import annotations

import copy
import json

import pytest

from ssmproof.check import CONFIRMED, DISAGREES, NOT_RECHECKED, check_data
from ssmproof.check.model import content_hash
from ssmproof.cli import main
from ssmproof.lang.factored import bounded_dyck
from ssmproof.recipes import dyck
from ssmproof.ssm import jsonio, relation
from ssmproof.ssm.relation import Group, Relation
from ssmproof.verify import invariant

from .helpers import ROOT

RECIPES = {"clearing": dyck.clearing, "two-layer": dyck.predictive}


def _run(data: dict, rel: Relation, k: int, h: int, fmt: str = "exact"):
    """(certificate, verdict) for ``data`` against dyck:k,h with ``rel``."""
    ssm = jsonio.from_json(json.dumps(data))
    cert = json.loads(invariant.check(ssm, bounded_dyck(k, h, dyck.alphabet(k)), rel,
                                      fmt=fmt).to_json())
    return cert, _check(cert, data, rel, k, h)


def _check(cert: dict, data: dict, rel: Relation, k: int, h: int):
    return check_data(cert, data, f"dyck:{k},{h}", relation=json.loads(relation.to_json(rel)))


def _dyck(recipe: str, k: int, h: int) -> dict:
    return json.loads(jsonio.to_json(RECIPES[recipe](k, h)))


@pytest.mark.parametrize("recipe", sorted(RECIPES))
@pytest.mark.parametrize("k,h", [(2, 1), (3, 4), (5, 2)])
@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
def test_invariant_certificates_of_both_dyck_recipes_are_confirmed(recipe, k, h, fmt):
    data = _dyck(recipe, k, h)
    cert, v = _run(data, dyck.relation(k, h, clear=recipe == "clearing"), k, h, fmt)
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason
    assert f"consecution of {h + 1} groups on each of {2 * k} symbols" in v.checked


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
def test_dyck_8_10_predict_is_confirmed_by_the_checker(fmt):
    data = _dyck("clearing", 8, 10)
    cert, v = _run(data, dyck.relation(8, 10), 8, 10, fmt)
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason


def _mutated(k: int, h: int) -> tuple[dict, dict]:
    """Dyck(k,h) with one input weight of L2.reg[4].bit1 doubled; (mutated file, original)."""
    data = _dyck("clearing", k, h)
    bad = copy.deepcopy(data)
    row = bad["layers"][1]["input"]["L2.reg[4].bit1"]
    row[next(d for d, w in row.items() if w == "1")] = "2"
    return bad, data


@pytest.mark.parametrize("k,h,word", [
    (4, 5, "after [( ( ( {] the SSM wrong for >"),
    pytest.param(8, 10, "after [(1 (1 (1 (3] the SSM wrong for )4", marks=pytest.mark.slow)])
def test_a_mutated_dyck_is_refuted_and_a_lie_about_it_is_rejected_with_a_word(k, h, word):
    bad, _ = _mutated(k, h)
    cert, v = _run(bad, dyck.relation(k, h), k, h)
    assert cert["holds"] is False and v.status == CONFIRMED, v.reason
    lie = dict(cert, holds=True, all_lengths=True, counterexample=None, wrong_symbol=None)
    v = _check(lie, bad, dyck.relation(k, h), k, h)
    assert v.status == DISAGREES and "not inductive" in v.reason
    # three opens of the first type, then the third type at depth 4, where the doubled weight
    # writes a wrong code: the fourth type's closing bracket is predicted allowed (as `verify
    # --invariant` finds too)
    assert word in v.reason, v.reason


def test_the_clearing_relation_on_the_stale_construction_is_not_inductive_after_a_word():
    data, rel = _dyck("two-layer", 3, 4), dyck.relation(3, 4, clear=True)
    cert, v = _run(data, rel, 3, 4)
    assert cert["holds"] is None and v.status == CONFIRMED  # inconclusive, as claimed
    lie = dict(cert, holds=True, all_lengths=True)
    v = _check(lie, data, rel, 3, 4)
    assert v.status == DISAGREES and "after [[ ]] the SSM leaves the relation" in v.reason


def test_a_relation_missing_one_reachable_tuple_is_rejected_with_the_word_reaching_it():
    rel = dyck.relation(3, 4)
    g = rel.groups[2]
    gone = next(t for t in sorted(g.tuples, key=repr) if t[0] == 4 and t[1] == 2)
    broken = Relation(rel.name, tuple(Group(x.components, x.dims, x.tuples - {gone})
                                      if x is g else x for x in rel.groups))
    data = _dyck("clearing", 3, 4)
    cert, _ = _run(data, rel, 3, 4)
    broken_sizes = dict(cert, invariant=dict(cert["invariant"],
                                              group_sizes=[len(x.tuples) for x in broken.groups]))
    v = _check(broken_sizes, data, broken, 3, 4)
    assert v.status == DISAGREES and "leaves the relation" in v.reason
    # the removed tuple is depth 4 with "{" open at level 2: the shortest word reaching it
    assert "top[2]" in v.reason and "after [( { ( (] the SSM leaves the relation" in v.reason


def test_a_certificate_about_another_relation_is_rejected():
    data = _dyck("clearing", 3, 4)
    cert, _ = _run(data, dyck.relation(3, 4), 3, 4)
    v = _check(cert, data, dyck.relation(3, 4, clear=False), 3, 4)
    assert v.status == DISAGREES and "is not the relation given" in v.reason


def test_a_changed_weight_with_the_old_hash_is_a_hash_mismatch():
    bad, data = _mutated(3, 4)
    cert, _ = _run(data, dyck.relation(3, 4), 3, 4)
    v = _check(cert, bad, dyck.relation(3, 4), 3, 4)
    assert v.status == DISAGREES and "hash mismatch" in v.reason
    v = _check(dict(cert, construction=content_hash(bad)), bad, dyck.relation(3, 4), 3, 4)
    # with K = 3 the doubled bit still predicts right, but the register leaves the relation
    assert v.status == DISAGREES and "not inductive" in v.reason
    assert "after [( ( ( {] the SSM leaves the relation" in v.reason


def _parity(tmp_path, swap: bool = False) -> str:
    """A relation for the gallery's signed parity recognizer: q = 0 (even) ↔ flip = 0."""
    rows = [[0, "0"], [1, "1"]] if not swap else [[1, "0"], [0, "1"]]
    path = tmp_path / "parity.rel.json"
    path.write_text(json.dumps({"format": "ssmproof-relation/1", "name": "parity_flip",
                                "groups": [{"components": ["q"], "dims": ["L1.flip[0]"],
                                            "tuples": rows}]}))
    return str(path)


PARITY = ["constructions/parity/recognize-signed.json", "--against", "automata/parity.toml"]


def test_verify_invariant_recheck_confirms_a_dfa_relation(tmp_path, capsys):
    rel = _parity(tmp_path)
    assert main(["verify", *PARITY, "--invariant", rel, "--recheck", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "invariant" and out["recheck"]["status"] == CONFIRMED


def test_verify_invariant_recheck_on_a_swapped_relation_confirms_it_is_inconclusive(tmp_path,
                                                                                    capsys):
    assert main(["verify", *PARITY, "--invariant", _parity(tmp_path, swap=True),
                 "--recheck"]) == 3
    out = capsys.readouterr().out
    assert "recheck: confirmed: inconclusive as claimed: initiation" in out


def test_verify_invariant_recheck_uses_the_recipes_relation(tmp_path, capsys):
    path = tmp_path / "d.json"
    assert main(["compile", "dyck:3,4", "--mode", "predict", "-o", str(path)]) == 0
    assert main(["verify", str(path), "--against", "dyck:3,4", "--invariant", "--recheck"]) == 0
    assert "recheck: confirmed: holds for all lengths by the relation" in capsys.readouterr().out


def test_check_cli_needs_the_relation_of_an_invariant_certificate(tmp_path, capsys):
    rel = _parity(tmp_path)
    assert main(["verify", *PARITY, "--invariant", rel, "--json"]) == 0
    cert = tmp_path / "c.json"
    cert.write_text(capsys.readouterr().out)
    args = ["check", str(cert), PARITY[0], PARITY[2]]
    assert main([*args, "--relation", rel]) == 0
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--relation" in err


def test_an_invariant_certificate_of_a_complex_model_is_not_rechecked(tmp_path, capsys):
    # count_a_mod3's rotation state takes 1, ζ, ζ²; a relation can only write rationals
    ssm = str(ROOT / "constructions/count_a_mod3/recognize-complex.json")
    rel = tmp_path / "r.json"
    rel.write_text(json.dumps({"format": "ssmproof-relation/2", "name": "zp is 1", "groups": [
        {"components": ["q"], "dims": ["L1.zp[2]"],
         "tuples": [[[], "1"], [["a"], "1"], [["a", "a"], "1"]]}]}))
    spec = str(ROOT / "automata/count_a_mod3.json")
    assert main(["verify", ssm, "--against", spec, "--invariant", str(rel), "--json"]) == 3
    cert = json.loads(capsys.readouterr().out)
    v = check_data(cert, json.load(open(ssm)), spec,
                   relation=json.loads(rel.read_text()))
    assert v.status == NOT_RECHECKED and v.reason.startswith(
        "invariant certificates of complex models (ssmproof-ssm/2) are not re-checked")


@pytest.mark.parametrize("mode", ["recognize", "predict"])
def test_flipflop_relations_per_table_state_are_confirmed(tmp_path, capsys, mode):
    path = tmp_path / "ff.json"
    assert main(["compile", "flipflop", "--mode", mode, "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["verify", str(path), "--against", "automata/flipflop.json", "--invariant",
                 "--recheck"]) == 0
    assert "recheck: confirmed: holds for all lengths by the relation" in capsys.readouterr().out


@pytest.mark.parametrize("mode", ["recognize", "predict"])
def test_a_relation_against_a_zoo_name_is_handed_over_by_state_words_and_confirmed(
        tmp_path, capsys, mode):
    # the zoo's DFA numbers its states its own way; the hand-over names them by words
    # (ssmproof-relation/2), which the checker resolves in its own DFA of the zoo name
    path = tmp_path / "ff.json"
    assert main(["compile", "flipflop", "--mode", mode, "-o", str(path)]) == 0
    capsys.readouterr()
    assert main(["verify", str(path), "--against", "flipflop", "--invariant", "--recheck"]) == 0
    assert "recheck: confirmed: holds for all lengths by the relation" in capsys.readouterr().out
