"""Run a snippet under ``python -O`` (asserts stripped) and return what it printed: a check that
must survive -O is tested there, not only under pytest (which keeps asserts)."""

from __future__ import annotations

import subprocess
import sys


def error_under_python_o(build: str, error: str, module: str) -> str:
    """The message of ``error`` (imported from ``module``) raised by the expression ``build``,
    or '' when nothing is raised, in a fresh ``python -O`` interpreter."""
    code = (f"{module}\nfrom ssmproof.errors import {error}\n"
            f"try:\n    {build}\nexcept {error} as err:\n    print(err)\n")
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()
