"""ssmproof.testing exports what it documents, and loading the plugin stays light."""

from __future__ import annotations

import subprocess
import sys

import ssmproof.testing as kit
from ssmproof.testing import asserts, strategies


def test_all_lists_exactly_the_kit_names():
    assert set(kit.__all__) == set(strategies.__all__) - {"DEFAULT_MAX_LENGTH"} | {
        "assert_recognizes", "assert_predicts", "assert_proves", "PropertyReport"}
    for name in kit.__all__:
        assert getattr(kit, name) is (getattr(strategies, name, None) or getattr(asserts, name))


def test_loading_the_plugin_imports_neither_hypothesis_nor_numpy():
    code = ("import sys, ssmproof.testing.plugin; "
            "print(sorted(m for m in ('hypothesis', 'numpy', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
