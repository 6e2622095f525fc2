"""The independent checker on ``invariant`` certificates under ``int:P``, beside the toolkit.

``int:P`` wraps, so neither program may decide a local check on an interval: both fix every
coordinate a check reads (points only). Each row runs ``verify --invariant`` in-process
(:func:`ssmproof.verify.invariant.from_files`, the toolkit's time), then
``ssmproof.check.check_data`` on its certificate and the relation it wrote (the checker's time).

Run: ``python benchmarks/checker_int_invariant.py [--cases N ...]`` (``--cases``: only those
rows, numbered from 1 in the order of ``CASES``; a few fast ones are a quick run).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import time

from ssmproof.check import check_data
from ssmproof.cli import main as cli
from ssmproof.lang import spec as specs
from ssmproof.ssm import jsonio
from ssmproof.ssm import relation as relation_file
from ssmproof.verify import invariant

CASES = [("predict", 2, 2, "int:8"), ("predict", 2, 3, "int:8"), ("predict", 3, 3, "int:8"),
         ("predict", 3, 4, "int:8"), ("predict", 4, 4, "int:16"),
         ("predict", 8, 4, "int:8"), ("recognize", 2, 2, "int:8"),
         ("recognize", 3, 3, "int:8")]


def _compiled(spec: str, mode: str) -> str:
    """``ssmproof compile SPEC --mode MODE`` (the recipe it names carries the relation)."""
    path = os.path.join(tempfile.mkdtemp(), "ssm.json")
    with contextlib.redirect_stdout(io.StringIO()):
        cli(["compile", spec, "--mode", mode, "-o", path])
    return path


def _row(mode: str, k: int, h: int, fmt: str) -> tuple:
    spec = f"dyck:{k},{h}"
    path = _compiled(spec, mode)
    ssm, data = jsonio.load(path), json.load(open(path))
    recipe = data["metadata"].get("recipe", mode)
    t0 = time.process_time()
    cert, rel = invariant.from_files(ssm, specs.to_language(specs.resolve(spec)), against=spec,
                                     fmt=fmt)
    v_s = time.process_time() - t0
    doc = json.loads(cert.to_json())
    t0 = time.process_time()
    verdict = check_data(doc, data, spec, relation=json.loads(relation_file.to_json(rel)))
    c_s = time.process_time() - t0
    return (f"Dyck({k},{h}) {recipe}", fmt, doc["holds"], doc["invariant"]["local_checks"], v_s,
            c_s, verdict.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", type=int, choices=range(1, len(CASES) + 1),
                        default=range(1, len(CASES) + 1), metavar="N",
                        help=f"rows to run, 1 to {len(CASES)}")
    args = parser.parse_args()
    print(f"{'case':28} {'format':7} {'holds':>5} {'local':>7} {'verify s':>9} {'check s':>8} "
          f"{'ratio':>6}  verdict")
    for case in (CASES[i - 1] for i in args.cases):
        name, fmt, holds, local, v_s, c_s, status = _row(*case)
        print(f"{name:28} {fmt:7} {str(holds):>5} {local:7} {v_s:9.2f} {c_s:8.2f} "
              f"{c_s / max(v_s, 1e-9):6.2f}  {status}")


if __name__ == "__main__":
    main()
