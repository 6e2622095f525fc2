"""Star-free cascades proved by invariant: the relation they emit, checked and never trusted.

``starfree-cascade`` constructions emit one row per reachable cascade configuration
(:mod:`ssmproof.compiler.cascade_relation`). Each claim is compared with something the method
does not use: ``prove``'s enumeration (configurations, verdicts), the case table's membership
functions written from the definitions, and ``run_word`` replays of every reported word.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssmproof import cli
from ssmproof.algebra.examples import contains_aa
from ssmproof.compiler import starfree
from ssmproof.compiler.compiling import compile_language
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import zoo
from ssmproof.numerics.formats import parse
from ssmproof.sim import affine
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_word
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import Mode
from ssmproof.ssm.relation import Group, Relation
from ssmproof.testing import strategies
from ssmproof.verify.api import verify
from ssmproof.verify.invariant import check, factored_for, relation_for
from tests.cases import STAR_FREE, case_id

SMALL = [c for c in STAR_FREE if c.name not in ("D12", "dyck_3_4", "dyck_5_2")]
"""Every star-free zoo case whose cascade compiles and proves in well under a second."""


def cascade(address: str, mode: str):
    return compile_language(zoo.language(address), mode=mode, recipe="starfree")


def invariant(ssm, lang, fmt="exact", *, mode=None, table=None, budget=200_000):
    f = factored_for(lang, Mode(mode or ssm.mode), ssm=ssm, table_states=table)
    return check(ssm, f, relation_for(ssm, f, fmt), fmt=fmt, search_budget=budget), f


def wrong_on(ssm, member, word, fmt="exact") -> bool:
    """Replay ``word`` with ``run_word`` and judge its decision by the case's membership."""
    return run_word(Machine(ssm, parse(fmt)), word).accepts != member(tuple(word))


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("mode", ["recognize", "predict"])
@pytest.mark.parametrize("case", SMALL, ids=case_id)
def test_every_small_star_free_cascade_is_proved_by_its_relation_and_prove_agrees(case, mode,
                                                                                   fmt):
    ssm = cascade(case.address, mode)
    cert, lang = invariant(ssm, zoo.language(case.address), fmt)
    assert (cert.holds, cert.all_lengths, cert.method.value) == (True, True, "invariant")
    proved = verify(ssm, zoo.language(case.address), fmt=fmt, prove=True)
    assert proved.holds and proved.all_lengths
    # one row per reachable configuration (the cascade's configurations are the SSM's)
    assert cert.extra["invariant"]["group_sizes"] == [proved.configurations]


def test_the_relation_of_contains_aa_lists_its_cascade_configurations_by_words():
    ssm = starfree.compile_dfa(contains_aa())
    lang = factored_for(contains_aa(), Mode.RECOGNIZE, ssm=ssm)
    rel = relation_for(ssm, lang)
    (group,) = rel.groups
    assert group.dims == ("L1.lvl[1].is[2]", "L2.lvl[2].is[2]", "prev:L1.lvl[1].is[2]")
    # 4 cascade configurations: ε, a, aa (the latch), b-after-a... each with its state
    assert len(group.tuples) == 4
    assert check(ssm, lang, rel).holds is True


def test_a_relation_missing_a_reachable_row_is_rejected_with_the_word_that_reaches_it():
    ssm = cascade("D3", "recognize")
    cert, lang = invariant(ssm, zoo.language("D3"))
    rel = relation_for(ssm, lang)
    m = Machine(ssm, parse("exact"))
    aab = m.step(m.step(m.step(m.step(m.start(), 0)[0], m.token_ids(["a"])[0])[0],
                        m.token_ids(["a"])[0])[0], m.token_ids(["b"])[0])[0]
    dims = rel.groups[0].dims
    names = affine.coordinates(m)
    row_of_aab = tuple(aab[names.index(d)] for d in dims)
    broken = Relation("missing a b", (Group(("q",), dims, frozenset(
        t for t in rel.groups[0].tuples if t[1:] != row_of_aab)),))
    cert = check(ssm, lang, broken)
    assert cert.holds is None and not cert.all_lengths  # the SSM is right: no false verdict
    note = " ".join(cert.notes)
    assert "local check failed" in note
    # the word named is one after which the SSM's configuration is the row taken out
    word = note.split("the relation does not hold after the word [")[1].split("]")[0].split()
    config = m.step(m.start(), 0)[0]
    for s in word:
        config = m.step(config, m.token_ids([s])[0])[0]
    assert tuple(config[names.index(d)] for d in dims) == row_of_aab
    assert word == ["a", "a", "b"]  # the shortest such word


def test_a_mutated_cascade_is_refuted_with_a_word_that_run_replays_and_the_definition_judges():
    case = next(c for c in STAR_FREE if c.name == "D3")
    ssm = cascade("D3", "recognize")
    layer = ssm.layers[1]
    dim = layer.state[0]
    inputs = {**layer.input, dim: {k: v * 2 for k, v in layer.input[dim].items()}}
    mutated = dataclasses.replace(ssm, layers=(ssm.layers[0], dataclasses.replace(
        layer, input=inputs), *ssm.layers[2:]))
    cert, _ = invariant(mutated, zoo.language("D3"))
    assert cert.holds is False and cert.counterexample is not None
    assert wrong_on(mutated, case.member, cert.counterexample)
    assert not wrong_on(ssm, case.member, cert.counterexample)
    assert verify(mutated, zoo.language("D3"), prove=True).holds is False


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dfa=strategies.dfas(states=(2, 5), symbols=(2, 3), aperiodic=True),
       mode=st.sampled_from(["recognize", "predict"]),
       fmt=st.sampled_from(["exact", "bfloat16"]))
def test_random_aperiodic_dfas_are_proved_by_invariant_whenever_prove_holds(dfa, mode, fmt):
    ssm = starfree.compile_dfa(dfa, mode=mode)
    cert, _ = invariant(ssm, dfa, fmt)
    proved = verify(ssm, dfa, fmt=fmt, prove=True)
    assert proved.holds is True  # the compiler's claim, checked by enumeration
    assert cert.holds is True and cert.extra["invariant"]["group_sizes"] == [
        proved.configurations]
    # the same construction against the DFA as a table (not minimised: states may be split)
    table, _ = invariant(ssm, dfa, fmt, table=dfa.states)
    assert table.holds is True


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dfa=strategies.dfas(states=(2, 4), symbols=(2, 3), aperiodic=True), data=st.data())
def test_no_false_holds_a_cascade_with_one_weight_changed_is_proved_only_if_prove_agrees(dfa,
                                                                                        data):
    ssm = starfree.compile_dfa(dfa)
    weights = [(i, kind, dim, src) for i, layer in enumerate(ssm.layers)
               for kind in ("gate", "input") for dim, row in getattr(layer, kind).items()
               for src in row]
    if not weights:
        return
    i, kind, dim, src = data.draw(st.sampled_from(weights))
    new = data.draw(st.sampled_from([Fraction(0), Fraction(1), Fraction(-1), Fraction(2)]))
    layer = ssm.layers[i]
    rows = {**getattr(layer, kind), dim: {**getattr(layer, kind)[dim], src: new}}
    mutated = dataclasses.replace(ssm, layers=(*ssm.layers[:i], dataclasses.replace(
        layer, **{kind: rows}), *ssm.layers[i + 1:]))
    cert, _ = invariant(mutated, dfa, budget=2_000)
    proved = verify(mutated, dfa, prove=True, max_configurations=2_000)
    if cert.holds:
        assert proved.holds is True  # never a false HOLDS
    if cert.holds is False:
        word = cert.counterexample
        assert run_word(Machine(mutated, parse("exact")), word).accepts != dfa.accepts(word)
    if proved.holds is False:
        assert cert.holds is not True


def test_verify_invariant_proves_a_cascade_against_a_regex_and_a_table_spec(tmp_path, capsys):
    regex = tmp_path / "ab.json"
    regex.write_text(json.dumps({"name": "ab", "alphabet": ["a", "b"], "regex": "(a|b)*abb(a|b)*"}))
    table = Path(__file__).parents[2] / "automata" / "flipflop.json"
    for spec, out in ((str(regex), "ab.ssm.json"), (str(table), "ff.ssm.json")):
        path = tmp_path / out
        assert cli.main(["compile", spec, "--recipe", "starfree", "-o", str(path)]) == 0
        rel = tmp_path / (out + ".rel.json")
        assert cli.main(["verify", str(path), "--against", spec, "--invariant",
                         "--write-relation", str(rel)]) == 0
        assert json.loads(rel.read_text())["format"] == "ssmproof-relation/2"
        assert cli.main(["verify", str(path), "--against", spec, "--invariant", str(rel)]) == 0
    out = capsys.readouterr().out
    assert out.count("HOLDS for all lengths (inductive invariant") == 4
    ff = jsonio.from_json((tmp_path / "ff.ssm.json").read_text())
    assert ff.metadata["recipe"] == "starfree-cascade"
