"""The pytest plugin: --ssmproof-formats parametrizes `ssmproof_format`; zoo fixtures by name."""

from __future__ import annotations

import importlib.metadata

import pytest

# Imported here, before any in-process pytester run: pytester forgets modules first imported
# during a run, and numpy cannot be imported twice in one process.
import ssmproof.lang.zoo  # noqa: F401
import ssmproof.numerics.formats  # noqa: F401
import ssmproof.testing.asserts  # noqa: F401

pytest_plugins = ["pytester"]


def _plugin_args() -> list[str]:
    """Load the plugin explicitly unless the installed entry point already does."""
    registered = any(e.value == "ssmproof.testing.plugin"
                     for e in importlib.metadata.entry_points(group="pytest11"))
    return [] if registered else ["-p", "ssmproof.testing.plugin"]


def test_formats_option_runs_each_format_test_once_per_format(pytester):
    pytester.makepyfile("""
        def test_f(ssmproof_format):
            assert ssmproof_format in ("exact", "bfloat16", "fixed:16.8")

        def test_plain():
            pass
    """)
    result = pytester.runpytest(*_plugin_args(), "--ssmproof-formats=exact, bfloat16,fixed:8",
                                "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*test_f?exact? PASSED*", "*test_f?bfloat16? PASSED*",
                                 "*test_f?fixed:16.8? PASSED*"])


def test_default_run_covers_exact_only(pytester):
    pytester.makepyfile("""
        def test_f(ssmproof_format):
            assert ssmproof_format == "exact"
    """)
    pytester.runpytest(*_plugin_args(), "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_an_unknown_format_is_a_usage_error_naming_the_option(pytester):
    pytester.makepyfile("def test_f(ssmproof_format):\n    pass\n")
    result = pytester.runpytest(*_plugin_args(), "--ssmproof-formats=exact,float8",
                                "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--ssmproof-formats*float8*"])


def test_explicit_parametrization_of_the_format_wins(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.parametrize("ssmproof_format", ["float32"])
        def test_f(ssmproof_format):
            assert ssmproof_format == "float32"
    """)
    result = pytester.runpytest(*_plugin_args(), "--ssmproof-formats=exact,bfloat16",
                                "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_zoo_marker_runs_once_per_name_with_the_language(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.zoo("parity", "dyck:2,3", "anbn")
        def test_alphabet(zoo_language, zoo_name):
            expected = {"parity": ("0", "1"), "dyck:2,3": ("(", ")", "[", "]"),
                        "anbn": ("a", "b")}
            assert tuple(zoo_language.alphabet) == expected[zoo_name]
    """)
    result = pytester.runpytest(*_plugin_args(), "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*test_alphabet?parity? PASSED*",
                                 "*test_alphabet?dyck:2,3? PASSED*",
                                 "*test_alphabet?anbn? PASSED*"])


def test_zoo_language_by_indirect_parametrization_with_formats(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.parametrize("zoo_language", ["tomita:1", "flipflop"], indirect=True)
        def test_f(zoo_language, zoo_name, ssmproof_format):
            assert zoo_name in ("tomita:1", "flipflop")
            assert zoo_language.regular
    """)
    result = pytester.runpytest(*_plugin_args(), "--ssmproof-formats=exact,fixed:8",
                                "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_zoo_language_without_a_name_or_with_a_bad_one_fails_with_the_fix(pytester):
    pytester.makepyfile("""
        import pytest

        def test_unnamed(zoo_language):
            pass

        @pytest.mark.zoo("no_such_language")
        def test_unknown(zoo_language):
            pass
    """)
    result = pytester.runpytest(*_plugin_args(), "-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*`zoo_language` needs a zoo name: mark the test with "
                                 "@pytest.mark.zoo*",
                                 "*zoo_language: no_such_language: unknown language name*"])


def test_zoo_marker_on_a_test_without_the_fixture_is_a_usage_error(pytester):
    pytester.makepyfile("""
        import pytest

        @pytest.mark.zoo("parity")
        def test_f():
            pass
    """)
    result = pytester.runpytest(*_plugin_args(), "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*@pytest.mark.zoo needs the test to take the `zoo_language`*"])
    assert result.ret != pytest.ExitCode.OK
