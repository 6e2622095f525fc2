"""What a check found is a frozen value: Holds, Fails (with the shortest word) or Inconclusive."""

from __future__ import annotations

import ast
import dataclasses
import pathlib

import pytest

from ssmproof import examples
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.verify import explore, reference
from ssmproof.verify.api import first_failure, random_check
from ssmproof.verify.oracle import Mismatch
from ssmproof.verify.outcome import Coverage, Fails, Holds, Inconclusive, with_note
from tests.verify import dfas

SEARCHES = [explore, reference]


def test_a_failure_names_exactly_one_cause():
    with pytest.raises(ValueError, match="exactly one of mismatch and non_finite"):
        Fails(("a",))
    with pytest.raises(ValueError, match="got both"):
        Fails(("a",), mismatch=Mismatch((True,), (False,), None), non_finite="L1.h: overflow")


def test_an_inconclusive_outcome_says_why_and_counts_are_never_negative():
    with pytest.raises(ValueError, match="say why"):
        Inconclusive("")
    with pytest.raises(ValueError, match="Coverage.edges: -1 < 0"):
        Coverage(edges=-1)


def test_outcomes_are_frozen_and_a_note_makes_a_new_value():
    held = Holds(Coverage(depth=3), closed=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        held.closed = True  # type: ignore[misc]
    noted = with_note(held, "a note")
    assert noted.notes == ("a note",) and held.notes == ()
    assert (Holds.holds, Fails.holds, Inconclusive.holds) == (True, False, None)


@pytest.mark.parametrize("search", SEARCHES, ids=["engine", "reference"])
def test_prove_of_a_right_construction_holds_and_closes(search):
    # parity with a signed gate: configurations h = +1 and h = -1 (hand count)
    out = search.prove(Machine(examples.parity_signed()), dfas.parity(), Mode.RECOGNIZE)
    assert isinstance(out, Holds) and out.closed
    assert out.coverage.configurations == 2 and out.coverage.edges == 4


@pytest.mark.parametrize("search", SEARCHES, ids=["engine", "reference"])
def test_prove_of_a_wrong_construction_fails_on_the_shortest_word(search):
    # "ends in a" judged against "contains aa": a is the shortest word they disagree on (ends
    # in a, no aa), met on the first edge after BOS; only the empty word was checked before it
    out = search.prove(Machine(examples.last_is_a()), dfas.contains_aa(), Mode.RECOGNIZE)
    assert isinstance(out, Fails) and out.counterexample == ("a",)
    assert out.mismatch == Mismatch(expected=(False,), got=(True,), wrong_symbol=None)
    assert out.non_finite is None and out.coverage.depth == 0
    assert (out.coverage.configurations, out.coverage.edges) == (1, 0)


@pytest.mark.parametrize("search", SEARCHES, ids=["engine", "reference"])
def test_prove_past_its_budget_is_inconclusive_with_the_depth_it_reached(search):
    # the 5th-last symbol is a: 2^5 = 32 configurations, so a budget of 4 stops early
    machine = Machine(examples.kth_last_is_a(5))
    out = search.prove(machine, dfas.kth_last_is_a(5), Mode.RECOGNIZE, max_configurations=4)
    assert isinstance(out, Inconclusive)
    depth = out.coverage.depth
    assert out.reason == (f"configuration budget 4 reached at depth {depth}: every word up to "
                          f"length {depth} was checked")
    assert out.coverage.configurations > 4 and depth == 3  # 1, 2, 4, then 8 configurations


@pytest.mark.parametrize("search", SEARCHES, ids=["engine", "reference"])
def test_exhaustive_holds_and_counts_every_string(search):
    out = search.exhaustive(Machine(examples.last_is_a()), dfas.last_is_a(), Mode.RECOGNIZE, 6)
    assert isinstance(out, Holds) and not out.closed
    assert out.coverage.depth == 6 and out.coverage.strings == 2**7 - 1


def test_random_check_returns_the_shortest_failing_prefix_as_a_value():
    out = random_check(Machine(examples.last_is_a()), dfas.contains_aa(), Mode.RECOGNIZE,
                       200, 8, seed=0)
    assert isinstance(out, Fails) and out.counterexample == ("a",)  # "a": ends in a, no aa
    right = random_check(Machine(examples.last_is_a()), dfas.last_is_a(), Mode.RECOGNIZE,
                         50, 8, seed=0)
    assert isinstance(right, Holds) and right.coverage.strings == 50


def test_first_failure_is_a_fails_value_or_none():
    machine = Machine(examples.last_is_a())
    assert first_failure(machine, dfas.last_is_a(), Mode.RECOGNIZE, ("b", "a")) is None
    out = first_failure(machine, dfas.contains_aa(), Mode.RECOGNIZE, ("b", "b", "a"))
    assert isinstance(out, Fails) and out.counterexample == ("b", "b", "a")


def _exception_classes(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id == "Exception" for b in node.bases)]


# invariant.py's search asks the language's own functions for coordinates it has not fixed yet;
# raising out of those callbacks is how it branches (a lookup, not a result).
BRANCHING = {"invariant.py": ["_Need"]}


def test_the_searches_report_failures_as_values_not_private_exceptions():
    root = pathlib.Path(__file__).parents[2] / "ssmproof" / "verify"
    found = {p.name: _exception_classes(p) for p in sorted(root.glob("*.py"))}
    assert {name: classes for name, classes in found.items() if classes} == BRANCHING
