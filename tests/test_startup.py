"""CLI start-up stays light: ``--help`` and ``verify`` of a small proof import none of the heavy
libraries they do not use (sympy, ml_dtypes, automata-lib, networkx, libsemigroups, scipy).

Measured (issue 12): ``ssmproof --help`` went from 1.3 s to 0.05 s CPU, ``verify`` of a
2-configuration proof from 1.6 s to about 0.45 s. Timings vary with the machine, so the test
checks the cause — which modules got imported — in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = {"sympy", "ml_dtypes", "automata", "networkx", "libsemigroups_pybind11", "scipy"}

PROBE = """
import contextlib, io, json, sys
from ssmproof import cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = cli.main(json.loads(sys.argv[1]))
print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules})]))
"""


def _imports(argv: list[str], cwd: Path) -> tuple[int, set[str]]:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], cwd=cwd,
                         capture_output=True, text=True, check=True).stdout
    code, modules = json.loads(out)
    return code, set(modules)


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    code, modules = _imports(["--help"], tmp_path)
    assert code == 0
    assert not modules & HEAVY


def test_verify_of_a_small_proof_imports_no_heavy_library(tmp_path: Path) -> None:
    from ssmproof import examples
    from ssmproof.ssm import jsonio

    path = tmp_path / "parity.json"
    path.write_text(jsonio.to_json(examples.parity_signed()))
    code, modules = _imports(["verify", str(path), "--against", "parity", "--prove"], tmp_path)
    assert code == 0
    assert not modules & HEAVY, modules & HEAVY
