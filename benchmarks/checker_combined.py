"""The independent checker on ``prove+exhaustive``/``prove+random``/``prove+exhaustive+random``
certificates, beside the verifier that wrote them, in one run.

Each row runs ``verify`` with several checks at once (the toolkit's time), then
``ssmproof.check.check_data`` on the certificate (the checker's time), and prints both, their
ratio and the verdict. A closed proof makes the other parts need no walk; a proof cut off by its
budget is found again by its edge count, and the exhaustive and random parts are walked (the
random part: every word up to its maximum length).

Run: ``python benchmarks/checker_combined.py [--cases N ...]`` (``--cases``: only those rows,
numbered from 1 in the order below; a few fast ones are a quick run).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from ssmproof.check import check_data
from ssmproof.check.model import content_hash
from ssmproof.lang import spec as specs
from ssmproof.recipes import dyck
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify


def _broken(k: int, h: int) -> dict[str, Any]:
    """The Dyck(k,h) recognizer whose counter ignores ']' (a real error, at length 2)."""
    data = json.loads(jsonio.to_json(dyck.recognizer(k, h)))
    data["layers"][0]["input"]["L1.depth"]["tok:]"] = "0"
    data["metadata"]["hash"] = content_hash(data)
    return data


CASES: list[tuple[str, Any, str, dict[str, Any]]] = [
    ("Dyck(2,3) predict (clearing), exact, closed", lambda: dyck.clearing(2, 3), "dyck:2,3",
     dict(exhaustive=8, random=1000, max_length=60)),
    ("Dyck(3,4) predict (clearing), exact, closed", lambda: dyck.clearing(3, 4), "dyck:3,4",
     dict(exhaustive=6, random=1000, max_length=60)),
    ("Dyck(2,3) recognizer, bfloat16, closed", lambda: dyck.recognizer(2, 3), "dyck:2,3",
     dict(exhaustive=6, random=1000, max_length=60, fmt="bfloat16")),
    ("Dyck(2,2) recognizer, exact, cut at 20,000", lambda: dyck.recognizer(2, 2), "dyck:2,2",
     dict(exhaustive=8, random=1000, max_length=10, max_configurations=20_000)),
    ("Dyck(2,2) recognizer, exact, cut at 20,000 (+random)", lambda: dyck.recognizer(2, 2),
     "dyck:2,2", dict(random=1000, max_length=10, max_configurations=20_000)),
    ("Dyck(2,2) broken recognizer, cut at 1, exhaustive fails", lambda: _broken(2, 2),
     "dyck:2,2", dict(exhaustive=8, max_configurations=1)),
    ("Dyck(2,2) broken recognizer, cut at 1, random fails", lambda: _broken(2, 2),
     "dyck:2,2", dict(exhaustive=1, random=1000, max_length=20, max_configurations=1)),
]


def _row(name: str, make: Any, spec: str, kw: dict[str, Any]) -> tuple:
    built = make()
    data = built if isinstance(built, dict) else json.loads(jsonio.to_json(built))
    ssm = jsonio.from_json(json.dumps(data))
    lang = specs.to_language(specs.resolve(spec))
    t0 = time.process_time()
    cert = json.loads(verify(ssm, lang, prove=True, **kw).to_json())
    v_s = time.process_time() - t0
    t0 = time.process_time()
    verdict = check_data(cert, data, spec)
    c_s = time.process_time() - t0
    return (name, cert["method"], cert["holds"], cert["configurations"], v_s, c_s,
            verdict.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", type=int, choices=range(1, len(CASES) + 1),
                        default=range(1, len(CASES) + 1), metavar="N",
                        help=f"rows to run, 1 to {len(CASES)}")
    args = parser.parse_args()
    print(f"{'case':56} {'method':24} {'holds':>5} {'configs':>8} {'verify s':>9} "
          f"{'check s':>8} {'ratio':>6}  verdict")
    tv = tc = 0.0
    for case in (CASES[i - 1] for i in args.cases):
        name, method, holds, configs, v_s, c_s, status = _row(*case)
        tv, tc = tv + v_s, tc + c_s
        print(f"{name:56} {method:24} {str(holds):>5} {configs:8} {v_s:9.2f} {c_s:8.2f} "
              f"{c_s / max(v_s, 1e-9):6.2f}  {status}")
    print(f"{'total':56} {'':24} {'':>5} {'':8} {tv:9.2f} {tc:8.2f} {tc / tv:6.2f}")


if __name__ == "__main__":
    main()
