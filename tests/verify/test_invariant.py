"""The invariant method: Dyck at the paper's size, relations broken on purpose, soundness.

Every claim is checked against something the method does not use: ``prove``'s enumeration on
sizes it can finish, the zoo's stack-stepping ``BoundedDyck`` (for the factored language and
for counterexamples), and ``run_word`` replays of every word the method reports.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof import cli, examples
from ssmproof.errors import SsmproofError
from ssmproof.lang import factored, zoo
from ssmproof.lang.automaton import allowed_next
from ssmproof.numerics.formats import parse
from ssmproof.recipes import dyck
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_word
from ssmproof.ssm import jsonio, relation
from ssmproof.ssm.relation import Group, Relation
from ssmproof.verify.api import verify
from ssmproof.verify.invariant import check
from tests.recipes.probe import states_after


def dyck_lang(k, h):
    return factored.bounded_dyck(k, h, dyck.alphabet(k))


def build(k, h, clear):
    return dyck.clearing(k, h) if clear else dyck.predictive(k, h)


def wrong_after(ssm, k, h, word, fmt="exact"):
    """Replay ``word`` with ``run_word`` and judge its last decision with the zoo's stack oracle."""
    lang = zoo.dyck(k=k, h=h)
    index = {s: i for i, s in enumerate(lang.alphabet)}
    state = lang.initial()
    for s in word:
        state = lang.step(state, index[s])
    result = run_word(Machine(ssm, parse(fmt)), word)
    want = [s for s, ok in zip(lang.alphabet, allowed_next(lang, state)) if ok]
    want += ["EOS"] if lang.accepts_state(state) else []
    return sorted(result.allowed_next[-1]) != sorted(want)


# --- the factored language is the zoo's Dyck ----------------------------------------------------
@pytest.mark.parametrize("k,h", [(1, 2), (2, 3), (3, 2)])
def test_factored_dyck_steps_and_labels_like_the_zoo_stack_on_every_stack(k, h):
    zl, fl = zoo.dyck(k=k, h=h), dyck_lang(k, h)
    stacks = [s for d in range(h + 1) for s in itertools.product(range(k), repeat=d)]
    for stack in stacks:
        state = (len(stack), *stack, *["-"] * (h - len(stack)))
        get = dict(zip(fl.components, state)).__getitem__
        assert fl.accepting(get) == zl.accepts_state(stack)
        for a in range(2 * k):
            nxt = zl.step(stack, a)
            got = fl.step(state, a)
            if not zl.is_live(nxt):
                assert got is None
            else:
                assert got == (len(nxt), *nxt, *["-"] * (h - len(nxt)))
                assert fl.access(got) is not None


# --- proofs -------------------------------------------------------------------------------------
CI_GRID = [(2, 1), (2, 3), (3, 4), (5, 2), pytest.param(8, 3, marks=pytest.mark.slow)]
# dyck:8,3 (30 s of the non-slow suite on 2 cores) runs the same code as dyck:3,4 and dyck:5,2


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("clear", [True, False], ids=["clearing", "two-layer"])
@pytest.mark.parametrize("k,h", CI_GRID, ids=["dyck:2,1", "dyck:2,3", "dyck:3,4", "dyck:5,2",
                                              "dyck:8,3"])
def test_invariant_proves_dyck_and_agrees_with_prove(k, h, clear, fmt):
    ssm = build(k, h, clear)
    cert = check(ssm, dyck_lang(k, h), dyck.relation(k, h, clear=clear), fmt=fmt)
    assert (cert.holds, cert.all_lengths, cert.method) == (True, True, "invariant")
    assert cert.gate_class == "nonnegative" and cert.extra["invariant"]["local_checks"] > 0
    proved = verify(ssm, zoo.dyck(k=k, h=h), fmt=fmt, prove=True)
    assert proved.holds and proved.all_lengths


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("clear", [True, False], ids=["clearing", "two-layer"])
@pytest.mark.parametrize("h", [1, 3, 5])
def test_one_bracket_type_has_a_relation_too(h, clear, fmt):
    # K = 1 has no register bits: each level's group relates it to the depth alone (it was
    # missing, and verify --invariant exited 2 blaming the relation)
    ssm = build(1, h, clear)
    rel = dyck.relation(1, h, clear=clear)
    assert [grp.components for grp in rel.groups[1:]] == [("depth", f"top[{lv}]")
                                                          for lv in range(1, h + 1)]
    cert = check(ssm, dyck_lang(1, h), rel, fmt=fmt)
    assert (cert.holds, cert.all_lengths) == (True, True)
    proved = verify(ssm, zoo.dyck(k=1, h=h), fmt=fmt, prove=True)
    assert proved.holds and proved.all_lengths and proved.configurations == h + 1


@pytest.mark.slow
def test_invariant_proves_every_dyck_up_to_eight_types_and_depth_twelve():
    for k, h in itertools.product(range(2, 9), range(1, 13)):
        for clear in (True, False):
            cert = check(build(k, h, clear), dyck_lang(k, h), dyck.relation(k, h, clear=clear))
            assert cert.holds and cert.all_lengths, (k, h, clear, cert.notes)


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
def test_dyck_8_10_is_proved_for_all_lengths_in_under_a_minute(fmt):
    # the paper's experiment: 1 + 8 + ... + 8^10 = 1,227,133,513 stacks, none of them listed
    t0 = time.process_time()
    cert = check(dyck.clearing(8, 10), dyck_lang(8, 10), dyck.relation(8, 10), fmt=fmt)
    assert cert.holds and cert.all_lengths and cert.gate_class == "nonnegative"
    assert cert.extra["invariant"]["group_sizes"] == [11] + [8 * (11 - lv) + lv
                                                             for lv in range(1, 11)]
    assert time.process_time() - t0 < 60


def test_a_mutated_dyck_8_10_is_refuted_with_a_word_run_replays():
    ssm = dyck.clearing(8, 10)
    l2 = ssm.layers[1]
    inp = {**l2.input, "L2.reg[4].bit1": {"L1.set_at[4].bit1": 2}}  # one weight: 1 -> 2
    mutated = dataclasses.replace(ssm, layers=(ssm.layers[0], dataclasses.replace(l2, input=inp)))
    cert = check(mutated, dyck_lang(8, 10), dyck.relation(8, 10))
    assert cert.holds is False and not cert.all_lengths
    # four openings, the last of a type with bit 1 set (3 = binary 010): group 4 holds a 2
    assert cert.counterexample == ("(1", "(1", "(1", "(3") and cert.wrong_symbol == ")4"
    assert wrong_after(mutated, 8, 10, list(cert.counterexample))
    assert not wrong_after(ssm, 8, 10, list(cert.counterexample))


# --- relations broken on purpose --------------------------------------------------------------------
def test_the_clearing_relation_is_rejected_for_the_stale_construction_with_a_word():
    cert = check(dyck.predictive(2, 3), dyck_lang(2, 3), dyck.relation(2, 3))
    assert cert.holds is None and not cert.all_lengths
    assert "the relation does not hold after the word [[ ]]" in cert.notes[-1]
    # replayed: after "[ ]" the stale construction keeps "[" (code 1) in group 1; the relation
    # (clearing) says a level above the depth holds 0
    assert states_after(dyck.predictive(2, 3), ["[", "]"])["L2.reg[1].bit0"] == 1


def test_a_relation_missing_one_reachable_tuple_is_rejected_with_the_word_reaching_it():
    rel = dyck.relation(3, 4)
    group = rel.groups[2]  # level 2: (depth, top[2], bits)
    drop = (4, 2, 0, 1)  # depth 4 with a "{" open at level 2
    assert drop in group.tuples
    broken = Relation("broken", (*rel.groups[:2],
                                 Group(group.components, group.dims, group.tuples - {drop}),
                                 *rel.groups[3:]))
    cert = check(dyck.clearing(3, 4), dyck_lang(3, 4), broken)
    assert cert.holds is None
    word = cert.notes[-1].split("[")[1].split("]")[0].split()
    after = states_after(dyck.clearing(3, 4), word)
    assert after["L1.depth"] == 4 and (after["L2.reg[2].bit0"], after["L2.reg[2].bit1"]) == (0, 1)


def test_a_relation_per_dfa_state_proves_signed_parity_and_a_swapped_one_is_refuted():
    ssm = examples.parity_signed()
    lang = factored.from_dfa(zoo.parity(), complete=True)
    good = Relation("parity", (Group(("q",), ("L1.odd",), frozenset({(0, 0), (1, 1)})),))
    cert = check(ssm, lang, good, mode="recognize")
    assert cert.holds and cert.all_lengths and cert.gate_class == "signed"
    swapped = Relation("swapped", (Group(("q",), ("L1.odd",), frozenset({(0, 1), (1, 0)})),))
    cert = check(ssm, lang, swapped, mode="recognize")
    assert cert.holds is None and "initiation" in cert.notes[0]


def test_a_relation_that_leaves_a_dim_out_is_bad_input():
    rel = dyck.relation(2, 2)
    with pytest.raises(SsmproofError, match="'L2.reg\\[2\\].bit0' is in no group"):
        check(dyck.clearing(2, 2), dyck_lang(2, 2), Relation("short", rel.groups[:2]))


# --- soundness against enumeration on random mutations --------------------------------------------
@settings(max_examples=40, deadline=None)
@given(k=st.sampled_from([1, 2, 3]), h=st.sampled_from([2, 3]), clear=st.booleans(),
       data=st.data())
def test_the_invariant_never_claims_what_prove_refutes(k, h, clear, data):
    ssm = build(k, h, clear)
    layer = data.draw(st.sampled_from(range(len(ssm.layers))))
    l = ssm.layers[layer]
    part = data.draw(st.sampled_from(["gate", "input"]))
    rows = getattr(l, part)
    dim = data.draw(st.sampled_from(sorted(rows)))
    src = data.draw(st.sampled_from(sorted(rows[dim]) or ["one"]))
    value = data.draw(st.sampled_from([Fraction(0), Fraction(1), Fraction(2), Fraction(-1),
                                       Fraction(1, 2)]))
    rows = {**rows, dim: {**rows[dim], src: value}}
    layers = list(ssm.layers)
    layers[layer] = dataclasses.replace(l, **{part: rows})
    mutated = dataclasses.replace(ssm, layers=tuple(layers))
    cert = check(mutated, dyck_lang(k, h), dyck.relation(k, h, clear=clear))
    proved = verify(mutated, zoo.dyck(k=k, h=h), prove=True)
    if cert.holds:
        assert proved.holds and proved.all_lengths
    if cert.holds is False:
        assert wrong_after(mutated, k, h, list(cert.counterexample))
        assert proved.holds is False and len(proved.counterexample) <= len(cert.counterexample)


# --- files and the command line ---------------------------------------------------------------------
def test_a_relation_round_trips_through_its_file_format():
    rel = dyck.relation(3, 2)
    back = relation.from_json(relation.to_json(rel))
    assert back == rel and json.loads(relation.to_json(rel))["format"] == "ssmproof-relation/1"


@pytest.mark.parametrize("text, says", [
    ("[]", "format"),
    ('{"format": "ssmproof-relation/1", "groups": []}', "groups: empty"),
    ('{"format": "ssmproof-relation/1", "groups": [{"components": ["q"], "dims": ["x"], '
     '"tuples": [[0]]}]}', "tuples[0]: needs 2 values"),
    ('{"format": "ssmproof-relation/1", "groups": [{"components": [], "dims": ["x"], '
     '"tuples": [["one half"]]}]}', "is not a rational"),
])
def test_a_bad_relation_file_names_the_field(text, says):
    with pytest.raises(SsmproofError, match=re.escape(says)):
        relation.from_json(text, "r.json")


def test_verify_invariant_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "d.json"
    assert cli.main(["compile", "dyck:3,3", "--mode", "predict", "-o", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(out), "--against", "dyck:3,3", "--invariant", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["method"], data["holds"], data["all_lengths"]) == ("invariant", True, True)
    broken = tmp_path / "r.json"
    rel = dyck.relation(3, 3, clear=False)  # stale types above the depth: not this construction's
    ok = Relation("clearing", rel.groups)
    broken.write_text(relation.to_json(ok))
    assert cli.main(["verify", str(out), "--against", "dyck:3,3", "--invariant", str(broken)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text(relation.to_json(Relation("b", rel.groups[:1] + tuple(
        Group(g.components, g.dims, frozenset(t for t in g.tuples if t[0] != 2))
        for g in rel.groups[1:]))))
    assert cli.main(["verify", str(out), "--against", "dyck:3,3", "--invariant", str(bad)]) == 3
    assert "relation does not hold after the word" in capsys.readouterr().out
    assert cli.main(["verify", str(out), "--against", "dyck:3,3", "--invariant",
                     str(tmp_path / "missing.json")]) == 2


def test_a_construction_without_a_built_in_relation_asks_for_a_file(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(jsonio.to_json(examples.parity_signed()))
    assert cli.main(["verify", str(path), "--against", "parity", "--invariant"]) == 2
    assert "pass one with --invariant FILE" in capsys.readouterr().err


def test_the_independent_checker_rechecks_an_invariant_certificate(tmp_path, capsys):
    out = tmp_path / "d.json"
    assert cli.main(["compile", "dyck:2,3", "--mode", "predict", "-o", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(out), "--against", "dyck:2,3", "--invariant", "--recheck"]) == 0
    assert "recheck: confirmed: holds for all lengths by the relation" in \
        capsys.readouterr().out
