"""Relations that name states (``ssmproof-relation/2``) are re-checked against any regular spec.

A ``/1`` relation numbers DFA states the toolkit's way, so the checker re-checks it only against
a table spec. In ``/2`` a state is a word (or a table's own state name) and a bracket type its
opening symbol; the checker resolves them in *its own* DFA, so zoo names, regexes and spec files
naming ``dyck:K,H`` are re-checked. The toolkit's certificates are made with its ``/1`` relations;
the ``/2`` files are either written here by hand (parity) or translated from ``/1`` through the
toolkit's access words and the alphabet (flip-flop, Dyck), which the checker then resolves again.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from ssmproof.check import CONFIRMED, DISAGREES, check_data
from ssmproof.check.inputs import BadInput
from ssmproof.cli import main
from ssmproof.lang import spec as specs
from ssmproof.lang.factored import bounded_dyck
from ssmproof.ssm.vocabulary import Mode
from ssmproof.numerics.formats import parse
from ssmproof.recipes import dyck
from ssmproof.ssm import jsonio, relation
from ssmproof.verify import invariant
from tests.check.helpers import ROOT

V2 = "ssmproof-relation/2"
PARITY_SSM = ROOT / "constructions/parity/recognize-signed.json"


def _cert(data: dict, fac, rel, fmt: str = "exact") -> dict:
    ssm = jsonio.from_json(json.dumps(data))
    return json.loads(invariant.check(ssm, fac, rel, fmt=fmt).to_json())


def _by_words(rel, fac) -> dict:
    """``rel`` as /2: each q index replaced by the toolkit's shortest word for that state."""
    out = json.loads(relation.to_json(rel))
    out["format"] = V2
    for g in out["groups"]:
        assert g["components"] == ["q"]
        g["tuples"] = [[[fac.alphabet[a] for a in fac.access((t[0],))], *t[1:]]
                       for t in g["tuples"]]
    return out


def _flipflop(tmp_path, mode: str) -> tuple[dict, object, object]:
    path = tmp_path / "ff.json"
    assert main(["compile", "flipflop", "--mode", mode, "-o", str(path)]) == 0
    data = json.loads(path.read_text())
    lang = specs.to_language(specs.resolve("flipflop"))
    fac = invariant.factored_for(lang, Mode(mode))
    return data, fac, invariant.relation_for(jsonio.from_json(path.read_text()), fac)


@pytest.mark.parametrize("mode", ["recognize", "predict"])
def test_flipflop_relations_by_words_are_confirmed_against_the_zoo_name(tmp_path, capsys, mode):
    data, fac, rel = _flipflop(tmp_path, mode)
    cert = _cert(data, fac, rel)
    v = check_data(cert, data, "flipflop", relation=_by_words(rel, fac))
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason
    # the same certificate with the index form is not re-checked against a zoo name
    v = check_data(cert, data, "flipflop", relation=json.loads(relation.to_json(rel)))
    assert v.status == "not re-checked" and "ssmproof-relation/2" in v.reason


def test_a_flipflop_relation_with_two_states_swapped_is_rejected_with_a_word(tmp_path):
    data, fac, rel = _flipflop(tmp_path, "recognize")
    cert = _cert(data, fac, rel)
    named = _by_words(rel, fac)
    swap = {("w", "0"): ["w", "1"], ("w", "1"): ["w", "0"]}  # stored0 <-> stored1
    for g in named["groups"]:
        g["tuples"] = [[swap.get(tuple(t[0]), t[0]), *t[1:]] for t in g["tuples"]]
    v = check_data(cert, data, "flipflop", relation=named)
    assert v.status == DISAGREES and "not inductive" in v.reason
    # one write and its bit: the stored state after it is now related to the other bit
    assert re.search(r"after \[w [01]\] the SSM leaves the relation", v.reason), v.reason


def _parity_spec(tmp_path) -> str:
    path = tmp_path / "parity_re.json"  # PARITY by a regex: any 0s, and 1s in pairs
    path.write_text(json.dumps({"name": "parity_re", "regex": "(0|10*1)*",
                                "alphabet": ["0", "1"]}))
    return str(path)


def _parity_cert(spec: str) -> dict:
    """The toolkit's certificate for the signed parity recognizer, with its own /1 relation."""
    data = json.loads(PARITY_SSM.read_text())
    lang = specs.to_language(specs.resolve(spec))
    fac = invariant.factored_for(lang, Mode.RECOGNIZE)
    rows = [[q, str(sum(fac.access((q,))) % 2)] for q in range(2)]  # 1s read: symbol index 1
    rel = relation.from_json(json.dumps({"format": "ssmproof-relation/1", "name": "parity_flip",
                                         "groups": [{"components": ["q"], "dims": ["L1.flip[0]"],
                                                     "tuples": rows}]}))
    return _cert(data, fac, rel)


def _parity_rel(rows: list) -> dict:
    return {"format": V2, "name": "parity_flip",
            "groups": [{"components": ["q"], "dims": ["L1.flip[0]"], "tuples": rows}]}


@pytest.mark.parametrize("spec", ["regex", "parity", "table"])
def test_a_hand_written_parity_relation_by_words_is_confirmed_for_every_kind_of_spec(tmp_path,
                                                                                     spec):
    spec = {"regex": _parity_spec(tmp_path), "parity": "parity",
            "table": str(ROOT / "automata/parity.toml")}[spec]
    cert = _parity_cert(spec)
    data = json.loads(PARITY_SSM.read_text())
    # ["1", "1"] names the even state again: rows are a set of states, so it adds nothing
    rows = [[[], "0"], [["1"], "1"], [["1", "1"], "0"]]
    v = check_data(cert, data, spec, relation=_parity_rel(rows))
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason
    swapped = [[[], "1"], [["1"], "0"]]
    v = check_data(cert, data, spec, relation=_parity_rel(swapped))
    assert v.status == DISAGREES and "initiation" in v.reason


def test_a_table_spec_state_may_be_named_by_its_name(tmp_path):
    spec = str(ROOT / "automata/parity.toml")
    cert = _parity_cert(spec)
    data = json.loads(PARITY_SSM.read_text())
    v = check_data(cert, data, spec, relation=_parity_rel([["even", "0"], ["odd", "1"]]))
    assert v.status == CONFIRMED, v.reason


@pytest.mark.parametrize("rows,field,says", [
    ([["even", "0"], [["1"], "1"]], "groups[0].tuples[0]", "name the state by a word"),
    ([[[], "0"], [["1", "2"], "1"]], "groups[0].tuples[1]", "symbol '2' is not in the alphabet"),
    ([[0, "0"], [["1"], "1"]], "groups[0].tuples[0]", "neither a word nor a state name"),
])
def test_a_bad_state_value_is_bad_input_naming_the_row(rows, field, says):
    cert = _parity_cert("parity")
    data = json.loads(PARITY_SSM.read_text())
    with pytest.raises(BadInput) as err:
        check_data(cert, data, "parity", relation=_parity_rel(rows))
    assert field in str(err.value) and says in str(err.value)


def _by_symbols(rel, k: int) -> dict:
    """A Dyck relation as /2: each bracket type index replaced by its opening symbol."""
    out = json.loads(relation.to_json(rel))
    out["format"] = V2
    opening = dyck.alphabet(k)[0::2]
    for g in out["groups"]:
        tops = [i for i, c in enumerate(g["components"]) if c.startswith("top[")]
        for t in g["tuples"]:
            for i in tops:
                t[i] = t[i] if t[i] == "-" else opening[t[i]]
    return out


@pytest.mark.parametrize("mode", ["predict", "recognize"])
def test_a_dyck_relation_by_opening_symbols_is_confirmed_against_a_spec_file(tmp_path, mode):
    k, h = 3, 3
    spec = tmp_path / "d.json"
    spec.write_text(json.dumps({"name": "dyck_3_3", "language": "dyck:3,3"}))
    recognize = mode == "recognize"
    ssm = dyck.recognizer(k, h) if recognize else dyck.clearing(k, h)
    rel = dyck.recognizer_relation(k, h, parse("bfloat16")) if recognize else \
        dyck.relation(k, h)
    data = json.loads(jsonio.to_json(ssm))
    fac = bounded_dyck(k, h, dyck.alphabet(k), complete=recognize)
    cert = _cert(data, fac, rel, "bfloat16")
    v = check_data(cert, data, str(spec), relation=_by_symbols(rel, k))
    assert cert["holds"] is True and v.status == CONFIRMED, v.reason
    bad = copy.deepcopy(_by_symbols(rel, k))
    bad["groups"][1]["tuples"][0][2 if recognize else 1] = ")"  # the top[1] column
    with pytest.raises(BadInput, match="is not an opening bracket"):
        check_data(cert, data, str(spec), relation=bad)


def test_level_components_against_a_spec_that_is_not_dyck_are_bad_input():
    cert = _parity_cert("parity")
    data = json.loads(PARITY_SSM.read_text())
    rel = {"format": V2, "name": "x", "groups": [{"components": ["depth"], "dims": [],
                                                  "tuples": [[0]]}]}
    with pytest.raises(BadInput, match="not dyck:K,H"):
        check_data(cert, data, "parity", relation=rel)
