"""The independent checker's time on every gallery certificate, beside the verifier's own.

For each ``constructions/*/*.cert.json`` this runs, in one process, the verifier
(``ssmproof.verify.api.verify`` with the certificate's format, mode and the gallery's budget) and
the checker (``ssmproof.check.check_files`` on the committed files), and prints both times, their
ratio and the checker's verdict; then the totals. ``build --check`` pays the checker's column on
top of its own build.

Run: ``python benchmarks/checker_speed.py [--certificates GLOB]`` (default: every gallery
certificate; a narrower glob such as ``'constructions/D2/*.cert.json'`` is a quick run).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import time

from ssmproof.check import check_files
from ssmproof.gallery import BUILD_BUDGET
from ssmproof.lang import spec as specs
from ssmproof.ssm import jsonio
from ssmproof.verify.api import verify


def _files(cert: str) -> tuple[str, str]:
    lang = os.path.basename(os.path.dirname(cert))
    stem = cert[: -len(".cert.json")]
    stem = stem[: -len(".bfloat16")] if stem.endswith(".bfloat16") else stem
    return f"{stem}.json", glob.glob(f"automata/{lang}.*")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", default="constructions/*/*.cert.json",
                        help="which certificates (a glob, relative to the project folder)")
    args = parser.parse_args()
    rows, tv, tc = [], 0.0, 0.0
    certs = sorted(glob.glob(args.certificates))
    if not certs:
        raise SystemExit(f"--certificates {args.certificates}: no certificate matches "
                         "(run from the project folder)")
    for cert in certs:
        ssm_path, spec = _files(cert)
        data = json.load(open(cert))
        t0 = time.perf_counter()
        verify(jsonio.load(ssm_path), specs.to_language(specs.resolve(spec)), fmt=data["format"],
               mode=data["mode"], prove=True, max_configurations=BUILD_BUDGET)
        v_s = time.perf_counter() - t0
        verdict = check_files(cert, ssm_path, spec)
        tv, tc = tv + v_s, tc + verdict.seconds
        rows.append((cert.removeprefix("constructions/"), data["configurations"], v_s,
                     verdict.seconds, verdict.status))
    print(f"{'certificate':58} {'configs':>8} {'verify s':>9} {'check s':>8} {'ratio':>6}  verdict")
    for name, configs, v_s, c_s, status in rows:
        print(f"{name:58} {configs:8} {v_s:9.2f} {c_s:8.2f} {c_s / v_s:6.2f}  {status}")
    print(f"{'total (' + str(len(rows)) + ' certificates)':58} {'':8} {tv:9.2f} {tc:8.2f} "
          f"{tc / tv:6.2f}")


if __name__ == "__main__":
    main()
