"""assert_recognizes / assert_predicts / assert_proves: pass on correct constructions, and fail
with the shortest counterexample and a readable account of it."""

from __future__ import annotations

import dataclasses
import json

import pytest

from ssmproof import examples
from ssmproof.errors import SsmproofError
from ssmproof.lang import counters
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import ONE
from ssmproof.testing import assert_predicts, assert_proves, assert_recognizes, asserts
from tests.testing import langs


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        call(*args, **kwargs)
    return str(info.value)


def test_correct_recognizer_passes_and_reports_both_sides_covered():
    report = assert_recognizes(examples.contains_aa(), langs.contains_aa(), max_length=30,
                               examples=80)
    assert report.precheck.holds and report.precheck.max_length_checked == 6
    assert report.precheck.strings_checked == 127  # every word up to length 6 over {a, b}
    assert report.examples == 80
    assert 0.15 * 80 <= report.members <= 0.85 * 80  # members and non-members both drawn
    assert report.longest >= 25


def test_precheck_failure_is_the_shortest_counterexample_with_both_verdicts():
    text = _message(assert_recognizes, examples.contains_aa(), langs.ends_in_a())
    assert text == (
        "'contains_aa' does not recognize 'ends_in_a' (format exact).\n"
        "Shortest counterexample: [a] (length 1; every word up to length 6 was checked first)\n"
        "  the construction rejects it; the language accepts it.")


def test_empty_word_counterexample_is_named():
    text = _message(assert_recognizes, examples.parity_signed(), _odd_ones())
    assert "Shortest counterexample: [ε (the empty word)] (length 0;" in text
    assert "the construction accepts it; the language rejects it." in text


def _odd_ones():
    from ssmproof.lang.automaton import DFA

    # words over {0, 1} with an odd number of 1s
    return DFA(("0", "1"), ("even", "odd"), 0, frozenset({1}), ((0, 1), (1, 0)), "odd_ones")


def test_hypothesis_phase_finds_a_long_failure_and_refines_it_to_the_shortest():
    # dyck1_bounded(2) rejects depth 3; the shortest word of dyck:1,3 it gets wrong is ((()))
    text = _message(assert_recognizes, examples.dyck1_bounded(2), langs.dyck(1, 3),
                    exhaustive_upto=3, max_length=16)
    assert text.startswith("'dyck1_depth2' does not recognize 'dyck:1,3' (format exact).\n"
                           "Shortest counterexample: [( ( ( ) ) )] (length 6; found by "
                           "hypothesis, then every word up to length 6 was checked)")
    assert text.endswith("the construction rejects it; the language accepts it.")


def test_without_refinement_the_message_says_shorter_ones_may_exist(monkeypatch):
    monkeypatch.setattr(asserts, "REFINE_BUDGET", 0)
    text = _message(assert_recognizes, examples.dyck1_bounded(2), langs.dyck(1, 3),
                    exhaustive_upto=3, max_length=16)
    assert "\nCounterexample: [" in text
    assert "found by hypothesis and shrunk; no counterexample of length <= 3 exists" in text
    word = text.split("[")[1].split("]")[0].split()
    assert len(word) >= 6 and langs.dyck(1, 3).accepts(word) and max(
        sum(1 if s == "(" else -1 for s in word[:i]) for i in range(len(word) + 1)) == 3


def test_predictive_failure_shows_each_position():
    good = examples.dyck1_predictor(2)
    bad = dataclasses.replace(good, next={**good.next, "(": {ONE: 1}})  # always allows "("
    text = _message(assert_predicts, bad, langs.dyck(1, 2))
    assert text == (
        "'dyck1_depth2_predictor' does not predictively model 'dyck:1,2' (format exact).\n"
        "Shortest counterexample (a prefix of L): [( (] (length 2; every word up to length 6 "
        "was checked first)\n"
        "  after    language allows  construction allows\n"
        "  BOS      ( EOS            ( EOS\n"
        "  BOS (    ( )              ( )\n"
        "  BOS ( (  )                ( )   <- wrong for (")


def test_correct_predictor_passes():
    report = assert_predicts(examples.dyck1_predictor(3), langs.dyck(1, 3), examples=40)
    assert report.precheck.holds and report.precheck.mode == "predict"


def test_recognizer_cannot_be_asked_to_predict():
    with pytest.raises(SsmproofError, match="no 'next' readouts; test it with assert_recogn"):
        assert_predicts(examples.last_is_a(), langs.ends_in_a())


def test_overflow_under_a_float_format_is_a_counterexample():
    ssm = langs.doubling_counter()
    assert_recognizes(ssm, _nonempty(), max_length=40, examples=30)  # exact: fine
    text = _message(assert_recognizes, ssm, _nonempty(), format="float16", max_length=40)
    assert "(format float16)" in text
    assert "the simulation left the format" in text
    word = text.split("[")[1].split("]")[0].split()
    assert len(word) == 16  # 2^16 - 1 = 65535 rounds past float16's largest finite value


def _nonempty():
    from ssmproof.lang.automaton import DFA

    # every non-empty word over {a, b}
    return DFA(("a", "b"), ("empty", "some"), 0, frozenset({1}), ((1, 1), (1, 1)), "nonempty")


def test_proves_returns_the_certificate_of_an_all_length_proof():
    cert = assert_proves(examples.contains_aa(), langs.contains_aa())
    assert cert.all_lengths and cert.configurations == 4


def test_proves_fails_with_the_shortest_counterexample():
    text = _message(assert_proves, examples.kth_last_is_a(3), langs.ends_in_a())
    assert text == (
        "'kth_last_is_a_3' does not recognize 'ends_in_a' (format exact).\n"
        "Shortest counterexample: [a] (length 1; all-length proof by breadth-first search)\n"
        "  the construction rejects it; the language accepts it.")


def test_proves_refuses_a_non_regular_language():
    text = _message(assert_proves, examples.dyck1_bounded(30), counters.dyck1())
    assert text == ("'dyck1' is not regular: no all-length proof exists for 'dyck1_depth30'; "
                    "check it on bounded lengths with assert_recognizes")


def test_proves_fails_when_the_configuration_budget_runs_out():
    # exact arithmetic: the depth counter is unbounded on words that go wrong
    text = _message(assert_proves, examples.dyck1_bounded(2), langs.dyck(1, 2),
                    max_configurations=30)
    assert "configuration budget 30 reached" in text


def test_paths_and_spec_objects_are_accepted(tmp_path):
    path = tmp_path / "contains_aa.ssm.json"
    path.write_text(jsonio.to_json(examples.contains_aa()), encoding="utf-8")
    spec = tmp_path / "contains_aa.spec.json"
    spec.write_text(json.dumps({
        "name": "contains_aa", "alphabet": ["a", "b"], "states": ["s", "a", "aa"],
        "start": "s", "accepting": ["aa"],
        "transitions": {"s": {"a": "a", "b": "s"}, "a": {"a": "aa", "b": "s"},
                        "aa": {"a": "aa", "b": "aa"}}}), encoding="utf-8")
    assert assert_proves(str(path), spec).all_lengths
    assert assert_recognizes(path, str(spec), examples=10).precheck.holds


def test_a_construction_listing_its_alphabet_in_another_order_is_run_on_the_right_tokens():
    swapped = dataclasses.replace(examples.last_is_a(), alphabet=("b", "a"))
    assert assert_proves(swapped, langs.ends_in_a()).all_lengths
    assert assert_recognizes(swapped, langs.ends_in_a(), examples=10).precheck.holds


def test_different_alphabets_are_bad_input_naming_both():
    with pytest.raises(SsmproofError, match=r"reads \['0', '1'\] but 'ends_in_a' has"):
        assert_recognizes(examples.parity_signed(), langs.ends_in_a())


def test_same_seed_same_run():
    a = assert_recognizes(examples.contains_aa(), langs.contains_aa(), examples=30, seed=7)
    b = assert_recognizes(examples.contains_aa(), langs.contains_aa(), examples=30, seed=7)
    assert (a.members, a.longest) == (b.members, b.longest)


def test_counter_language_failure_beyond_the_precheck_is_found_and_made_shortest():
    # dyck1_bounded(3) rejects depth 4, which dyck1 allows: shortest is (((()))) at length 8
    text = _message(assert_recognizes, examples.dyck1_bounded(3), "dyck1", max_length=30)
    assert text.startswith(
        "'dyck1_depth3' does not recognize 'dyck1' (format exact).\n"
        "Shortest counterexample: [( ( ( ( ) ) ) )] (length 8; found by hypothesis, then every "
        "word up to length 8 was checked)")
