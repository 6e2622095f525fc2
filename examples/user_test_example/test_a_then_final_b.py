"""A user's tests for a hand-written construction: it imports only ssmproof.testing and pytest.

The construction (a_then_final_b.ssm.json) claims to recognize the words over {a, b} that
contain an a and end in b (a_then_final_b.spec.json). One latch, h = (1 - a)·h + a, remembers
"seen an a"; an MLP unit relu(h + b - 1) fires when the latch is set and the current symbol is b.

Run from this folder with ``pytest``, or over several arithmetic formats with
``pytest --ssmproof-formats=exact,bfloat16,fixed:8.4`` (the ssmproof pytest plugin is active once
ssmproof is installed).
"""

from pathlib import Path

import pytest

from ssmproof.testing import assert_proves, assert_recognizes

HERE = Path(__file__).parent
CONSTRUCTION = HERE / "a_then_final_b.ssm.json"
SPEC = HERE / "a_then_final_b.spec.json"
OTHER = HERE / "ends_in_b.spec.json"  # a different language over the same symbols


def test_recognizes_its_language_in_every_format_of_the_run(ssmproof_format):
    # every word up to length 6, then hypothesis' members and near misses up to length 40
    assert_recognizes(CONSTRUCTION, SPEC, format=ssmproof_format, max_length=40)


def test_is_correct_at_every_length():
    assert assert_proves(CONSTRUCTION, SPEC).configurations == 2


def test_fails_against_another_language_with_the_shortest_counterexample():
    with pytest.raises(AssertionError) as failure:
        assert_recognizes(CONSTRUCTION, OTHER)
    assert str(failure.value) == (
        "'a_then_final_b' does not recognize 'ends_in_b' (format exact).\n"
        "Shortest counterexample: [b] (length 1; every word up to length 6 was checked first)\n"
        "  the construction rejects it; the language accepts it.")
