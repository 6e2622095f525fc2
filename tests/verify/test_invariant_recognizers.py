"""The invariant method on recognizers (a dead state and an error latch) and beyond Dyck.

Checked against what the method does not use: ``prove``'s enumeration where it can finish, the
zoo's stack-stepping Dyck and flip-flop DFA (membership of every reported word), and
``run_word`` replays of every word the method reports.
"""

from __future__ import annotations

import dataclasses
import itertools
import time

import pytest

from ssmproof import cli
from ssmproof.compiler.compiling import compile_language
from ssmproof.errors import SsmproofError
from ssmproof.lang import factored, zoo
from ssmproof.numerics.formats import parse
from ssmproof.recipes import dyck, flipflop
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_word
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify
from ssmproof.verify.invariant import check, factored_for, relation_for


def complete_dyck(k, h):
    return factored.bounded_dyck(k, h, dyck.alphabet(k), complete=True)


def prove_recognizer(k, h, fmt="bfloat16"):
    return check(dyck.recognizer(k, h), complete_dyck(k, h),
                 dyck.recognizer_relation(k, h, parse(fmt)), fmt=fmt)


def wrongly_decided(ssm, lang, word, fmt):
    """Replay ``word`` with ``run_word``; judge acceptance by the zoo language itself."""
    return run_word(Machine(ssm, parse(fmt)), list(word)).accepts != lang.accepts(list(word))


# --- the complete factored Dyck is the zoo's Dyck, dead state included --------------------------
@pytest.mark.parametrize("k,h", [(1, 2), (2, 2), (3, 1)])
def test_the_complete_factored_dyck_accepts_exactly_the_zoo_dyck_words(k, h):
    zl, fl = zoo.dyck(k=k, h=h), complete_dyck(k, h)
    for n in range(6):
        for word in itertools.product(range(2 * k), repeat=n):
            state = fl.initial()
            for a in word:
                state = fl.step(state, a)
            get = dict(zip(fl.components, state)).__getitem__
            assert fl.accepting(get) == zl.accepts([zl.alphabet[a] for a in word])
            if state[0]:  # failed: the one sink, reached again by its access word
                assert state == (1, 0, *["-"] * h) and fl.access(state) == (1,)


# --- the recognizer ------------------------------------------------------------------------------
RECOGNIZER_GRID = [(1, 3), (2, 1), (2, 3), (3, 2), (5, 2)]


@pytest.mark.parametrize("k,h", RECOGNIZER_GRID, ids=[f"dyck:{k},{h}" for k, h in RECOGNIZER_GRID])
def test_the_dyck_recognizer_is_proved_in_bfloat16_and_prove_agrees(k, h):
    cert = prove_recognizer(k, h)
    assert (cert.holds, cert.all_lengths, cert.method, cert.mode) == (
        True, True, "invariant", "recognize")
    # the failed sink allows every depth bfloat16 reaches: 2·256 + 1 values (and H + 1 alive)
    assert cert.extra["invariant"]["group_sizes"][0] == (h + 1) + 513
    proved = verify(dyck.recognizer(k, h), zoo.dyck(k=k, h=h), fmt="bfloat16", prove=True)
    assert proved.holds and proved.all_lengths


def test_the_dyck_8_10_recognizer_is_proved_for_all_lengths_in_bfloat16_in_under_a_minute():
    t0 = time.process_time()
    cert = prove_recognizer(8, 10)
    assert cert.holds and cert.all_lengths and cert.gate_class == "nonnegative"
    assert time.process_time() - t0 < 60


@pytest.mark.slow
def test_every_dyck_recognizer_up_to_eight_types_and_depth_twelve_is_proved_in_bfloat16():
    for k, h in itertools.product(range(2, 9), range(1, 13)):
        cert = prove_recognizer(k, h)
        assert cert.holds and cert.all_lengths, (k, h, cert.notes)


def test_in_exact_arithmetic_the_recognizer_relation_is_refused_with_the_reason():
    # on invalid words the exact depth counter takes every integer: no finite relation exists
    with pytest.raises(SsmproofError, match="every integer.*bfloat16"):
        dyck.recognizer_relation(2, 3, parse("exact"))


def test_a_mutated_dyck_8_10_recognizer_is_refuted_with_a_word_run_replays():
    ssm = dyck.recognizer(8, 10)
    l2 = ssm.layers[1]
    inp = {**l2.input, "L2.reg[4].bit1": {"L1.set_at[4].bit1": 2}}  # one weight: 1 -> 2
    mutated = dataclasses.replace(
        ssm, layers=(ssm.layers[0], dataclasses.replace(l2, input=inp), ssm.layers[2]))
    cert = check(mutated, complete_dyck(8, 10), dyck.recognizer_relation(8, 10, parse("bfloat16")),
                 fmt="bfloat16")
    assert cert.holds is False
    # the register of level 4 holds 2 after "(3"; closing it then misreads the match
    assert cert.counterexample == ("(1", "(1", "(1", "(3", ")3")
    assert wrongly_decided(mutated, zoo.dyck(k=8, h=10), cert.counterexample, "bfloat16")
    assert not wrongly_decided(ssm, zoo.dyck(k=8, h=10), cert.counterexample, "bfloat16")


def test_a_recognizer_relation_missing_a_depth_the_dead_counter_reaches_names_the_word():
    rel = dyck.recognizer_relation(2, 2, parse("bfloat16"))
    first = rel.groups[0]
    broken = dataclasses.replace(first, tuples=first.tuples - {(1, 0, -1)})
    cert = check(dyck.recognizer(2, 2), complete_dyck(2, 2),
                 dataclasses.replace(rel, groups=(broken, *rel.groups[1:])), fmt="bfloat16")
    # ")" at depth 0 fails and takes the counter to -1: the shortest word leaving the relation
    assert cert.holds is None and not cert.all_lengths
    assert any("does not hold after the word [)]" in n for n in cert.notes)


def test_a_recognizer_relation_with_a_latch_allowed_to_stay_0_after_failing_is_refuted():
    rel = dyck.recognizer_relation(2, 2, parse("bfloat16"))
    latch = rel.groups[-1]
    loose = dataclasses.replace(latch, tuples=latch.tuples | {(1, 0)})
    cert = check(dyck.recognizer(2, 2), complete_dyck(2, 2),
                 dataclasses.replace(rel, groups=(*rel.groups[:-1], loose)), fmt="bfloat16")
    # failed with the latch at 0 would accept at depth 0: the readout check fails, but no
    # reachable state is like that, so there is no counterexample and no claim either way;
    # the search covered every reachable state (prove counts the same 2,064)
    assert cert.holds is None and cert.counterexample is None
    assert cert.notes[0].startswith("local check failed: readout after ')'")
    assert "among 2064 reachable states" in cert.notes[1]
    assert verify(dyck.recognizer(2, 2), zoo.dyck(k=2, h=2), fmt="bfloat16",
                  prove=True).configurations == 2064


# --- relations beyond Dyck: flip-flop, per DFA state -------------------------------------------
FLIPFLOP = [("flipflop-two-layer", flipflop.two_layer), ("flipflop-lag", flipflop.one_layer_lag),
            ("flipflop-recognizer", flipflop.recognizer)]


def with_recipe(ssm, recipe):
    return dataclasses.replace(ssm, metadata={**dict(ssm.metadata), "recipe": recipe})


@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
@pytest.mark.parametrize("recipe,build", FLIPFLOP, ids=[r for r, _ in FLIPFLOP])
def test_each_flipflop_construction_emits_a_relation_that_proves_it(recipe, build, fmt):
    ssm = with_recipe(build(), recipe)
    lang = factored_for(zoo.flipflop(), ssm.mode)
    cert = check(ssm, lang, relation_for(ssm, lang, fmt), fmt=fmt)
    assert (cert.holds, cert.all_lengths, cert.method) == (True, True, "invariant")
    proved = verify(ssm, zoo.flipflop(), fmt=fmt, prove=True)
    assert proved.holds and proved.all_lengths


def test_an_emitted_flipflop_relation_is_checked_not_trusted_a_mutated_weight_gives_a_word():
    ssm = with_recipe(flipflop.recognizer(), "flipflop-recognizer")
    l1 = ssm.layers[0]
    inp = {**l1.input, "L1.bit": {"L1.w_then_1": 0}}  # the written bit is never stored
    mutated = dataclasses.replace(ssm, layers=(dataclasses.replace(l1, input=inp),
                                               *ssm.layers[1:]))
    lang = factored_for(zoo.flipflop(), mutated.mode)
    cert = check(mutated, lang, relation_for(mutated, lang), fmt="exact")
    assert cert.holds is False
    # "w 1 r 0" is accepted (the stored bit stays 0): prove's shortest counterexample too
    assert cert.counterexample == ("w", "1", "r", "0")
    assert wrongly_decided(mutated, zoo.flipflop(), cert.counterexample, "exact")
    assert verify(mutated, zoo.flipflop(), prove=True).counterexample == cert.counterexample


def test_a_flipflop_relation_against_another_language_is_bad_input():
    ssm = with_recipe(flipflop.two_layer(), "flipflop-two-layer")
    with pytest.raises(SsmproofError, match=r"flip-flop states by words; against parity: word "
                       r"\['w'\]: symbol 'w' is not in the alphabet"):
        relation_for(ssm, factored_for(zoo.parity(), ssm.mode))


def test_verify_invariant_proves_compiled_flipflop_and_dyck_recognizers(tmp_path, capsys):
    ff = tmp_path / "ff.json"
    ff.write_text(jsonio.to_json(compile_language(zoo.flipflop(), mode="recognize")))
    assert cli.main(["verify", str(ff), "--against", "flipflop", "--invariant"]) == 0
    assert "HOLDS for all lengths" in capsys.readouterr().out
    d = tmp_path / "d.json"
    d.write_text(jsonio.to_json(compile_language(zoo.dyck(k=3, h=2), mode="recognize")))
    assert cli.main(["verify", str(d), "--against", "dyck:3,2", "--invariant",
                     "--format", "bfloat16"]) == 0
    assert "HOLDS for all lengths" in capsys.readouterr().out
    assert cli.main(["verify", str(d), "--against", "dyck:3,2", "--invariant"]) == 2
    assert "every integer" in capsys.readouterr().err
