"""The checker re-checks ``invariant`` certificates under ``int:P``, on points only.

``int:P`` wraps modulo 2^P, so rounding is not monotone: the rounded ends of an interval enclose
nothing (60·[1, 3] in int:8 has ends 60 and 180 → −76, while 120 lies between). The checker
therefore fixes every coordinate a local check reads before deciding it, as the toolkit does.
The test that would catch an enclosure: a state the relation lets take 1, 2 or 3 (only 1 is
reachable) read as 60·c; under int:8 the value 3 wraps to a wrong decision, which only points see.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.check import CONFIRMED, DISAGREES, check_data
from ssmproof.cli import main

# Σ* over {a, b} (ε included): one accepting state
SIGMA_STAR = {"name": "sigma_star", "regex": "(a|b)*", "alphabet": ["a", "b"]}

# c = 1 after BOS and for ever (gate 1, input only at BOS); accepts iff 60·c > 0
WRAPS = {"alphabet": ["a", "b"], "format": "ssmproof-ssm/1", "mode": "recognize",
         "name": "sixty_c", "metadata": {"state_dims": 1},
         "embedding": {"BOS": {"one": "1", "tok:BOS": "1"}, "a": {"one": "1", "tok:a": "1"},
                       "b": {"one": "1", "tok:b": "1"}},
         "layers": [{"name": "L1", "state": ["L1.c"], "gate": {"L1.c": {"one": "1"}},
                     "input": {"L1.c": {"tok:BOS": "1"}}, "export": ["L1.c"]}],
         "readout": {"accept": {"L1.c": "60"}}}

# an over-approximation: c ∈ {1, 2, 3}, in a group of its own (so a check that fixes the state
# leaves c a range); inductive (c' = c), and right wherever 60·c > 0
LOOSE = {"format": "ssmproof-relation/2", "name": "c in 1..3",
         "groups": [{"components": ["q"], "dims": [], "tuples": [[[]]]},
                    {"components": [], "dims": ["L1.c"], "tuples": [["1"], ["2"], ["3"]]}]}


def _files(tmp_path, **docs: dict) -> dict[str, str]:
    out = {}
    for name, doc in docs.items():
        out[name] = str(tmp_path / f"{name}.json")
        (tmp_path / f"{name}.json").write_text(json.dumps(doc))
    return out


def _verify(capsys, ssm: str, spec: str, fmt: str, *extra: str) -> tuple[int, dict]:
    code = main(["verify", ssm, "--against", spec, "--invariant", *extra, "--format", fmt,
                 "--json"])
    return code, json.loads(capsys.readouterr().out)


def _check(cert: dict, ssm: str, spec: str, relation: str):
    return check_data(cert, json.load(open(ssm)), spec, relation=json.load(open(relation)))


def test_a_wrapping_readout_inside_the_relation_is_found_on_points(tmp_path, capsys):
    f = _files(tmp_path, ssm=WRAPS, spec=SIGMA_STAR, rel=LOOSE)
    code, cert = _verify(capsys, f["ssm"], f["spec"], "int:8", f["rel"])
    assert (code, cert["holds"]) == (3, None)  # the SSM is right; the relation is too loose
    v = _check(cert, f["ssm"], f["spec"], f["rel"])
    assert v.status == CONFIRMED and v.checked[0].startswith(
        "inconclusive as claimed: readout on 'a' from {q=0}: wrong for accept"), v.reason
    lie = dict(cert, holds=True, all_lengths=True)
    v = _check(lie, f["ssm"], f["spec"], f["rel"])
    assert v.status == DISAGREES and v.reason.startswith(
        "the relation is not inductive: readout on 'a' from {q=0}: wrong for accept")


def test_the_same_relation_holds_where_rounding_saturates(tmp_path, capsys):
    # fixed:8.0 saturates 180 to 127 > 0: every decision right, proved and confirmed on boxes
    f = _files(tmp_path, ssm=WRAPS, spec=SIGMA_STAR, rel=LOOSE)
    code, cert = _verify(capsys, f["ssm"], f["spec"], "fixed:8.0", f["rel"])
    assert (code, cert["holds"]) == (0, True)
    v = _check(cert, f["ssm"], f["spec"], f["rel"])
    assert v.status == CONFIRMED, v.reason


@pytest.mark.parametrize("fmt", ["int:3", "int:8"])
def test_dyck_clearing_certificates_under_int_formats_are_confirmed(tmp_path, capsys, fmt):
    ssm, rel = str(tmp_path / "d.json"), str(tmp_path / "d.rel.json")
    assert main(["compile", "dyck:2,2", "--mode", "predict", "-o", ssm]) == 0
    capsys.readouterr()
    code, cert = _verify(capsys, ssm, "dyck:2,2", fmt, "--write-relation", rel)
    assert (code, cert["holds"]) == (0, True)
    v = _check(cert, ssm, "dyck:2,2", rel)
    assert v.status == CONFIRMED, v.reason
    assert "gate_class nonnegative recomputed from every gate value of the relation's " \
           "states" in v.checked


def test_an_int_failure_is_confirmed_and_a_lie_about_it_is_not(tmp_path, capsys):
    # int:2 holds values in [-2, 1]: a weight of 2 wraps to -2, so the very first prediction
    # (")" after BOS) comes out wrong
    ssm, rel = str(tmp_path / "d.json"), str(tmp_path / "d.rel.json")
    assert main(["compile", "dyck:2,2", "--mode", "predict", "-o", ssm]) == 0
    capsys.readouterr()
    code, cert = _verify(capsys, ssm, "dyck:2,2", "int:2", "--write-relation", rel)
    assert (code, cert["holds"], cert["counterexample"], cert["wrong_symbol"]) == (
        1, False, [], ")")
    v = _check(cert, ssm, "dyck:2,2", rel)
    assert v.status == CONFIRMED, v.reason
    lie = dict(cert, holds=True, all_lengths=True, counterexample=None, wrong_symbol=None)
    v = _check(lie, ssm, "dyck:2,2", rel)
    assert v.status == DISAGREES and v.reason.startswith(
        "the relation is not inductive: initiation: the decisions after BOS are wrong")


def test_verify_invariant_recheck_under_int_is_confirmed_on_the_command_line(tmp_path, capsys):
    ssm = str(tmp_path / "r.json")
    assert main(["compile", "dyck:2,2", "--mode", "predict", "-o", ssm]) == 0
    capsys.readouterr()
    assert main(["verify", ssm, "--against", "dyck:2,2", "--invariant", "--format", "int:8",
                 "--recheck"]) == 0
    assert "recheck: confirmed: holds for all lengths by the relation" in \
        capsys.readouterr().out



@settings(max_examples=10, deadline=None)
@given(k=st.integers(1, 3), h=st.integers(1, 3), bits=st.integers(2, 8),
       mode=st.sampled_from(["predict", "recognize"]))
def test_the_checker_agrees_with_verify_invariant_under_every_int_width(tmp_path_factory, k, h,
                                                                        bits, mode):
    """Small widths wrap the depth counter or a weight (failures), wide ones hold: the checker
    confirms each certificate the toolkit writes, whichever it is."""
    d = tmp_path_factory.mktemp("int")
    ssm, rel, out = str(d / "d.json"), str(d / "d.rel.json"), io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["compile", f"dyck:{k},{h}", "--mode", mode, "-o", ssm]) == 0
    with contextlib.redirect_stdout(out):
        main(["verify", ssm, "--against", f"dyck:{k},{h}", "--invariant", "--format",
              f"int:{bits}", "--write-relation", rel, "--json"])
    cert = json.loads(out.getvalue())
    v = _check(cert, ssm, f"dyck:{k},{h}", rel)
    assert v.status == CONFIRMED, (v.reason, cert["holds"])
