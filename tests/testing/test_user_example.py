"""examples/user_test_example: a user's test file passes as a user would run it, and the
construction fails against another language with the shortest counterexample."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ssmproof.testing import assert_proves, assert_recognizes
from tests.testing.test_plugin import _plugin_args

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "user_test_example"


def test_example_imports_only_the_kit_and_pytest():
    source = (EXAMPLE / "test_a_then_final_b.py").read_text(encoding="utf-8")
    imports = {line.split()[1] for line in source.splitlines()
               if line.startswith(("import ", "from "))}
    assert imports == {"pathlib", "pytest", "ssmproof.testing"}


def test_example_file_passes_under_two_formats(pytester):
    for item in EXAMPLE.iterdir():
        if item.suffix in (".py", ".json"):
            shutil.copy(item, pytester.path / item.name)
    result = pytester.runpytest(*_plugin_args(), "--ssmproof-formats=exact,bfloat16", "-v",
                                "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*test_recognizes_its_language_in_every_format_of_the_run?exact?"
                                 " PASSED*",
                                 "*test_recognizes_its_language_in_every_format_of_the_run?"
                                 "bfloat16? PASSED*"])


def test_same_construction_passes_its_language_and_fails_another_readably():
    ssm = EXAMPLE / "a_then_final_b.ssm.json"
    assert assert_proves(ssm, EXAMPLE / "a_then_final_b.spec.json").all_lengths
    with pytest.raises(AssertionError) as failure:
        assert_proves(ssm, EXAMPLE / "ends_in_b.spec.json")
    assert str(failure.value) == (
        "'a_then_final_b' does not recognize 'ends_in_b' (format exact).\n"
        "Shortest counterexample: [b] (length 1; all-length proof by breadth-first search)\n"
        "  the construction rejects it; the language accepts it.")
    # against "ends in ab" the words up to length 2 agree; [a b b] is the first that does not
    text = _message_of(assert_recognizes, ssm, _ends_in_ab(), examples=10)
    assert "Shortest counterexample: [a b b] (length 3;" in text
    assert "the construction accepts it; the language rejects it." in text


def _message_of(call, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as failure:
        call(*args, **kwargs)
    return str(failure.value)


def _ends_in_ab():
    from ssmproof.lang.automaton import DFA

    # words over {a, b} ending in "ab"; states: neither, last a, last ab
    return DFA(("a", "b"), ("other", "a", "ab"), 0, frozenset({2}),
               ((1, 0), (1, 2), (1, 0)), "ends_in_ab")


def test_the_dozen_line_snippet_in_the_docs_runs(pytester):
    import json

    from ssmproof import examples
    from ssmproof.ssm import jsonio

    doc = (EXAMPLE.parents[1] / "docs" / "testing.md").read_text(encoding="utf-8")
    snippet = doc.split("## In a dozen lines", 1)[1].split("```python\n", 1)[1].split("```")[0]
    assert len(snippet.strip().splitlines()) <= 14
    pytester.makepyfile(test_snippet=snippet)
    (pytester.path / "my_ssm.json").write_text(jsonio.to_json(examples.parity_signed()))
    (pytester.path / "my_lang.json").write_text(json.dumps({
        "name": "even_ones", "alphabet": ["0", "1"], "states": ["even", "odd"],
        "start": "even", "accepting": ["even"],
        "transitions": {"even": {"0": "even", "1": "odd"}, "odd": {"0": "odd", "1": "even"}}}))
    result = pytester.runpytest(*_plugin_args(), "--ssmproof-formats=exact,fixed:8.4",
                                "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
