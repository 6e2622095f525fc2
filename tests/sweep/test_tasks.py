"""One sweep task per outcome, with the values a plausible bug would change."""

from __future__ import annotations

import math

from ssmproof.lang import spec
from ssmproof.sweep.tasks import COLUMNS, Task, error_row, run_task


def _row(name: str, **options: object) -> dict:
    row = run_task(Task(name, spec.load(name), **options))
    assert set(row) == set(COLUMNS)
    return row


def test_a_star_free_language_holds_for_all_lengths_with_nonnegative_gates():
    # tomita:4 = no three 0s in a row: star-free, 4-state minimal DFA (sink included)
    row = _row("tomita:4")
    assert (row["outcome"], row["star_free"], row["gates_needed"]) == ("holds", True, "nonnegative")
    assert (row["states"], row["monoid_size"], row["layers"], row["state_dims"]) == (4, 12, 3, 4)
    assert row["configurations"] == 6 and row["bits"] == round(math.log2(6), 3)
    assert row["lower_bound_bits"] == round(math.log2(3) - 1, 3)  # 3 live states
    assert row["all_lengths"] is True and row["method"] == "prove"
    assert row["gate_class"] == "nonnegative" and row["stage"] == "done"


def test_parity_with_nonnegative_gates_is_refused_with_the_witness_and_auto_picks_signed():
    refused = _row("parity", gates="nonnegative")
    assert refused["outcome"] == "refused" and refused["stage"] == "compile"
    assert refused["reason"].startswith("not star-free") and "period 2" in refused["reason"]
    auto = _row("parity")
    assert (auto["outcome"], auto["gates_needed"], auto["gate_class"]) == ("holds", "signed",
                                                                          "signed")
    assert auto["configurations"] == 2


def test_a_wrong_construction_under_a_tiny_format_fails_with_the_shortest_counterexample():
    # dyck:1,2's recognizer in int:2 (values -2..1, wrapping) misjudges ") (" (its bias -3 wraps
    # to 1). fixed:2.0 no longer serves: a weight outside the range is bad input since issue 11.
    # The shortest failure is found a second way: exhaustive checking to length 3 (every word, in
    # the alphabet's order), not the product BFS the sweep's prove runs.
    from ssmproof import compile_language, load, verify

    row = _row("dyck:1,2", format="int:2")
    assert row["outcome"] == "fails"
    lang = load("dyck:1,2")
    cert = verify(compile_language(lang), lang, fmt="int:2", exhaustive=3)  # recognize, as the row
    word = " ".join(cert.counterexample)
    assert row["reason"].startswith(f"FAILS on [{word}]")


def test_the_configuration_budget_gives_inconclusive_and_claims_no_bits():
    row = _row("dyck:1,2", format="float16", max_configurations=100)
    assert row["outcome"] == "inconclusive" and row["all_lengths"] is False
    assert row["bits"] is None and row["reason"].startswith("INCONCLUSIVE")


def test_a_non_regular_language_is_inconclusive_after_its_bounded_check():
    row = _row("anbn", mode="predict", max_configurations=1000)
    assert row["outcome"] == "inconclusive" and row["regular"] is False
    assert row["method"] == "exhaustive+random" and row["gates_needed"] is None


def test_the_time_budget_stops_a_task_and_names_the_stage():
    row = _row("dyck:2,3", seconds=0.0001)
    assert row["outcome"] == "inconclusive" and row["configurations"] is None
    assert row["reason"].startswith("time budget of 0.0001 s ran out (")
    assert "later stages not run" in row["reason"]


def test_a_task_whose_worker_died_becomes_an_error_row():
    row = error_row(Task("parity", spec.load("parity")), RuntimeError("worker killed"))
    assert (row["outcome"], row["reason"], row["stage"]) == (
        "error", "RuntimeError: worker killed", "scheduling")


def test_the_key_depends_on_content_and_options_not_on_the_path(tmp_path):
    a = spec.load("tomita:1")
    moved = spec.Spec(**{**{f: getattr(a, f) for f in a.__dataclass_fields__}, "path": "x/y"})
    assert Task("t", a).key == Task("t", moved).key
    keys = {Task("t", a).key, Task("t", a, mode="predict").key, Task("t", a, format="int:8").key,
            Task("t", a, seconds=1).key, Task("u", a).key, Task("t", spec.load("tomita:2")).key}
    assert len(keys) == 6
