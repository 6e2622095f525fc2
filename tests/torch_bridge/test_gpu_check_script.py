"""scripts/gpu_check.py runs on CPU (``--device cpu --small``) and reports agreement."""

from __future__ import annotations

import importlib.util

import pytest

pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'ssmproof[torch]'")


def _script():
    spec = importlib.util.spec_from_file_location("gpu_check", "scripts/gpu_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_check_small_on_cpu_agrees_and_counts_tokens(capsys):
    script = _script()
    only = ["constructions/parity/recognize-signed.json",
            "constructions/flipflop/recognize-nonnegative.json"]
    assert script.main(["--device", "cpu", "--small", "--words", "40", "--only", *only]) == 0
    out = capsys.readouterr().out
    assert out.count("agree 40/40") == 4  # two constructions, two formats, all compared
    assert "flagged 0/40" in out and "tok/s" in out and "all agree" in out


def test_gpu_check_lengths_are_log_uniform_and_seeded():
    script = _script()
    words = script.random_words(("0", "1"), 2000, 10_000, seed=3)
    assert words == script.random_words(("0", "1"), 2000, 10_000, seed=3)
    lengths = sorted(len(w) for w in words)
    assert lengths[-1] > 2000 and lengths[len(lengths) // 2] < 500  # long tail, short median
