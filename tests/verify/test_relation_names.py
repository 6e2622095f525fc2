"""Relation files that name states (``ssmproof-relation/2``): words, table state names, brackets.

A named relation must mean the same in any DFA of the language: the tests check it against the
zoo's flip-flop DFA, its minimal DFA (another state order) and the spec file's table, and that
a relation written by the toolkit reads back to the relation it proved. Wrong names are bad
input (one line, exit 2); a wrongly *placed* name is a relation that does not hold.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ssmproof import cli
from ssmproof.compiler.compiling import compile_language
from ssmproof.errors import SsmproofError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import factored, spec, zoo
from ssmproof.numerics.formats import parse
from ssmproof.recipes import dyck, flipflop
from ssmproof.sim.machine import Machine
from ssmproof.ssm import jsonio, relation
from ssmproof.ssm.program import Mode
from ssmproof.ssm.relation import Group, Relation
from ssmproof.verify.invariant import check, factored_for, relation_for
from ssmproof.verify.relation_names import named, resolve

FLIPFLOP_TABLE = str(Path(__file__).parents[2] / "automata" / "flipflop.json")


def with_recipe(ssm, recipe):
    return dataclasses.replace(ssm, metadata={**(ssm.metadata or {}), "recipe": recipe})


def lag():
    return with_recipe(flipflop.one_layer_lag(), "flipflop-lag")


EMITTED = [
    ("dyck-clearing", lambda: dyck.clearing(2, 3), lambda m: factored.bounded_dyck(
        2, 3, dyck.alphabet(2), complete=m is Mode.RECOGNIZE), "exact"),
    ("dyck-recognizer", lambda: dyck.recognizer(2, 2), lambda m: factored.bounded_dyck(
        2, 2, dyck.alphabet(2), complete=True), "bfloat16"),
    ("flipflop-recognizer", flipflop.recognizer,
     lambda m: factored_for(zoo.flipflop(), m), "exact"),
    ("flipflop-lag", flipflop.one_layer_lag, lambda m: factored_for(zoo.flipflop(), m), "exact"),
]


@pytest.mark.parametrize("recipe,build,lang_of,fmt", EMITTED, ids=[e[0] for e in EMITTED])
def test_an_emitted_relation_written_with_names_reads_back_to_the_relation_it_proved(
        recipe, build, lang_of, fmt):
    ssm = with_recipe(build(), recipe)
    lang = lang_of(Mode(ssm.mode))
    internal = relation_for(ssm, lang, fmt)
    text = relation.to_json(named(internal, lang))
    assert json.loads(text)["format"] == "ssmproof-relation/2"
    back = relation.from_json(text)
    assert back.named and resolve(back, lang) == internal
    assert check(ssm, lang, back, fmt=fmt).holds is True


def test_the_flipflop_relation_names_states_by_words_in_the_spec_s_terms():
    rel = named(relation_for(lag(), factored_for(zoo.flipflop(), Mode.PREDICT)),
                factored_for(zoo.flipflop(), Mode.PREDICT))
    rows = {row[0]: row[1] for row in rel.groups[0].tuples}  # prev:tok:w per state
    # the shortest words, ties in alphabet order (w r i 0 1): exactly one state was entered on w
    assert rows == {(): 0, ("w",): 1, ("w", "0"): 0, ("w", "1"): 0, ("w", "0", "r"): 0,
                    ("w", "1", "r"): 0, ("w", "0", "i"): 0, ("w", "1", "i"): 0}


@pytest.mark.parametrize("mode", ["recognize", "predict"])
def test_one_named_relation_proves_against_the_zoo_dfa_its_minimal_dfa_and_the_spec_table(mode):
    ssm = compile_language(zoo.flipflop(), mode=mode)
    zoo_lang = factored_for(zoo.flipflop(), Mode(mode))
    text = relation.to_json(named(relation_for(ssm, zoo_lang), zoo_lang))
    minimal = dfa_.minimize(zoo.flipflop())
    assert minimal.states != zoo.flipflop().states  # another numbering of the same states
    table = spec.load(FLIPFLOP_TABLE)
    langs = [zoo_lang, factored.from_dfa(minimal, complete=mode == "recognize"),
             factored_for(dfa_.from_spec(table), Mode(mode), relation=relation.from_json(text),
                          table_states=table.states)]
    for lang in langs:
        cert = check(ssm, lang, relation.from_json(text))
        assert cert.holds is True and cert.all_lengths


def test_a_table_spec_s_state_names_name_its_states():
    table = spec.load(FLIPFLOP_TABLE)
    lang = factored_for(dfa_.from_spec(table), Mode.PREDICT, table_states=table.states)
    ssm = lag()
    stored = {"start": 0, "write": None, "stored0": 0, "stored1": 1, "read0": 0, "read1": 1,
              "ignore0": 0, "ignore1": 1}
    rows_w = {(q, int(q == "write")) for q in stored}
    rows_bit = {(q, b) for q, b in stored.items() if b is not None} | {("write", 0), ("write", 1)}
    rel = Relation("by names", (Group(("q",), ("prev:tok:w",), frozenset(rows_w)),
                                Group(("q",), ("L1.bit",), frozenset(rows_bit))), named=True)
    assert check(ssm, lang, rel).holds is True
    # the same relation with stored0 and stored1 swapped is not inductive, and it is said so
    swap = {"stored0": "stored1", "stored1": "stored0"}
    wrong = Relation("swapped", (rel.groups[0], Group(("q",), ("L1.bit",), frozenset(
        (swap.get(q, q), b) for q, b in rows_bit))), named=True)
    cert = check(ssm, lang, wrong)
    assert cert.holds is None and not cert.all_lengths
    assert "local check failed: group ['q', 'L1.bit'] on 'r' from {q=[w 0]}" in cert.notes[0]


def test_a_dyck_relation_over_q_names_states_by_their_stack_words():
    """The whole-state view of dyck:2,2 from the construction's own runs on every stack."""
    ssm = dyck.clearing(2, 2)
    lang = factored_for(zoo.dyck(k=2, h=2), Mode.PREDICT,
                        relation=Relation("q", (Group(("q",), ("x",), frozenset()),), named=True))
    m = Machine(ssm, parse("exact"))
    names = [n for p in m.plans for n in p.state_names]
    rows = set()
    for stack in [(), ("(",), ("[",), ("(", "("), ("(", "["), ("[", "("), ("[", "[")]:
        config = m.step(m.start(), 0)[0]
        for s in stack:
            config = m.step(config, m.token_ids([s])[0])[0]
        rows.add((stack, *config[:len(names)]))
    rel = Relation("stacks", (Group(("q",), tuple(names), frozenset(rows)),), named=True)
    assert len(resolve(rel, lang).groups[0].tuples) == 7  # the 7 live states, one row each
    assert check(ssm, lang, rel).holds is True
    short = Relation("stacks", (Group(("q",), tuple(names), frozenset(
        r for r in rows if r[0] != ("[", "("))),), named=True)
    cert = check(ssm, lang, short)  # a reachable state left out: found by its word
    assert cert.holds is None and "[ (" in " ".join(cert.notes)


def test_rows_about_a_dead_state_are_dropped_in_predict_mode_and_counted_in_recognize_mode():
    ssm = lag()
    lang = factored_for(zoo.flipflop(), Mode.PREDICT)
    rel = named(relation_for(ssm, lang), lang)
    extra = Relation(rel.name, (Group(rel.groups[0].components, rel.groups[0].dims,
                                      rel.groups[0].tuples | {(("r",), 0)}),
                                *rel.groups[1:]), named=True)
    cert = check(ssm, lang, extra)
    assert cert.holds is True
    assert cert.extra["invariant"]["group_sizes"] == relation_for(ssm, lang).sizes()
    complete = factored_for(zoo.flipflop(), Mode.RECOGNIZE)
    assert len(resolve(extra, complete).groups[0].tuples) == len(rel.groups[0].tuples) + 1


@pytest.mark.parametrize("value,message", [
    (["w", "x"], "symbol 'x' is not in the alphabet"),
    ("stored0", "not a table spec, so its states have no names"),
    (3, "an index is the older ssmproof-relation/1"),
])
def test_a_q_value_that_names_nothing_is_bad_input_naming_the_group_and_the_fix(value, message):
    lang = factored_for(zoo.flipflop(), Mode.PREDICT)
    rel = Relation("r", (Group(("q",), ("x",), frozenset({(tuple(value) if isinstance(
        value, list) else value, 0)})),), named=True)
    with pytest.raises(SsmproofError, match=rf"r.json: groups\[0\]: .*{message}"):
        resolve(rel, lang, "r.json")


def test_an_unknown_table_state_name_and_a_dyck_type_that_is_no_bracket_are_bad_input():
    table = spec.load(FLIPFLOP_TABLE)
    lang = factored_for(dfa_.from_spec(table), Mode.PREDICT, table_states=table.states)
    rel = Relation("r", (Group(("q",), ("x",), frozenset({("sink", 0)})),), named=True)
    with pytest.raises(SsmproofError, match="no state 'sink' in the spec's states"):
        resolve(rel, lang)
    levels = factored.bounded_dyck(2, 2, dyck.alphabet(2))
    for value in (1, ")", "{"):
        bad = Relation("r", (Group(("top[1]",), ("x",), frozenset({(value, 0)})),), named=True)
        with pytest.raises(SsmproofError, match=r"top\[1\] value .*write an opening bracket"):
            resolve(bad, levels)


@pytest.mark.parametrize("text,message", [
    ('{"format": "ssmproof-relation/2", "groups": [{"components": ["q"], "dims": ["x"], '
     '"tuples": [[["w", 1], "0"]]}]}', "every symbol is a string"),
    ('{"format": "ssmproof-relation/2", "groups": [{"components": ["q"], "dims": ["x"], '
     '"tuples": [[true, "0"]]}]}', "is not an int, a string or a word"),
    ('{"format": "ssmproof-relation/1", "groups": [{"components": ["q"], "dims": ["x"], '
     '"tuples": [[["w"], "0"]]}]}', "is not an int or a string"),
    ('{"format": "ssmproof-relation/2", "groups": [7]}', "needs an object"),
    ('{"format": "ssmproof-relation/3", "groups": []}', "expected \"ssmproof-relation/2\""),
])
def test_a_malformed_named_relation_file_is_one_error_naming_the_field(text, message):
    with pytest.raises(SsmproofError, match=message):
        relation.from_json(text, "r.json")


def test_verify_writes_the_relation_it_proved_and_proves_again_from_the_file(tmp_path, capsys):
    ff = tmp_path / "ff.json"
    ff.write_text(jsonio.to_json(compile_language(zoo.flipflop(), mode="recognize")))
    rel = tmp_path / "ff.rel.json"
    assert cli.main(["verify", str(ff), "--against", "flipflop", "--invariant",
                     "--write-relation", str(rel)]) == 0
    data = json.loads(rel.read_text())
    assert data["format"] == "ssmproof-relation/2"
    assert ["w", "0"] in [row[0] for g in data["groups"] for row in g["tuples"]]
    # the file names states by words: it proves against the table spec, numbered otherwise
    assert cli.main(["verify", str(ff), "--against", FLIPFLOP_TABLE, "--invariant", str(rel),
                     "--recheck"]) == 0
    out = capsys.readouterr().out
    assert "HOLDS for all lengths" in out and "recheck: confirmed" in out
    # a wrong name in the file: exit 2 and one line naming the file
    data["groups"][0]["tuples"][0][0] = ["w", "2"]
    rel.write_text(json.dumps(data))
    assert cli.main(["verify", str(ff), "--against", "flipflop", "--invariant", str(rel)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(rel) in err and "'2' is not in the alphabet" in err
    assert cli.main(["verify", str(ff), "--against", "flipflop", "--write-relation",
                     str(rel)]) == 2
    assert "add --invariant" in capsys.readouterr().err
