"""The pytest plugin: --ssmproof-formats parametrizes `ssmproof_format`; zoo fixtures by name."""

from __future__ import annotations

import importlib.metadata

import pytest

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
