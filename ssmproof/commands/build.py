"""``ssmproof build [--check]``: regenerate or check the gallery under ``constructions/``."""

from __future__ import annotations

import argparse
import shutil
import sys

from ssmproof.commands import common

HELP = "regenerate (or --check) constructions/ from automata/"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--check", action="store_true", help="fail if constructions/ would change")
    p.add_argument("--automata", default="automata", metavar="DIR")
    p.add_argument("--out", default="constructions", metavar="DIR")
    p.add_argument("--jobs", type=common.positive_int, default=2,
                   help="worker processes of a local Dask cluster (1: in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="build on an existing Dask cluster (tcp://HOST:PORT) sharing this folder")
    p.add_argument("--latex", action="store_true",
                   help="also compile every .tex of the gallery with pdflatex (errors and "
                        "overfull boxes fail)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def handle(args: argparse.Namespace) -> int:
    from ssmproof import gallery as build

    if args.latex and shutil.which("pdflatex") is None:  # one line, not one per document
        sys.stderr.write("ssmproof: --latex needs pdflatex, which is not installed; install "
                         "texlive-latex-base and texlive-latex-recommended (scripts/setup.sh "
                         "does, as root), or leave out --latex\n")
        return 2
    progress = not args.quiet and sys.stderr.isatty()
    code = _build_or_check(args, build, progress)
    if code == 0 and args.latex:
        problems = build.compile_latex(args.out, jobs=args.jobs, progress=progress)
        for p in problems[:50]:
            sys.stderr.write(f"ssmproof: {p}\n")
        if problems:
            return 1
        common.out(f"{args.out}: every .tex compiles with pdflatex, no overfull boxes")
    return code


def _recheck_report(build: object, results: list) -> int:
    """Print the independent checker's verdicts; 1 when any certificate disagrees."""
    line, bad, skipped = build.recheck_summary(results)  # type: ignore[attr-defined]
    common.out(line)
    for s in skipped[:50]:
        common.out(f"  not re-checked: {s}")
    for b in bad[:50]:
        sys.stderr.write(f"ssmproof: the independent checker disagrees: {b}\n")
    return 1 if bad else 0


def _build_or_check(args: argparse.Namespace, build: object, progress: bool) -> int:
    if args.check:
        drift, results = build.check_and_recheck(automata=args.automata, out=args.out,
                                                 jobs=args.jobs, progress=progress,
                                                 scheduler=args.scheduler)
        if _recheck_report(build, results):
            return 1
        if drift:
            sys.stderr.write(f"ssmproof: {args.out}: {len(drift)} file(s) differ from a fresh "
                             "build; run `ssmproof build` and commit the result\n")
            for d in drift[:50]:
                sys.stderr.write(f"  {d}\n")
            return 1
        common.out(f"{args.out}: no drift (every file matches a fresh build)")
        return 0
    results = build.build(automata=args.automata, out=args.out, jobs=args.jobs,
                          progress=progress, scheduler=args.scheduler)
    rechecked = _recheck_report(build, results)
    failed = [r for r in results if r.error]
    built = sum(1 for r in results for row in r.rows if row.get("status") == "ok")
    common.out(f"built {built} constructions for {len(results) - len(failed)} languages into "
               f"{args.out}/ (index: {args.out}/README.md)")
    for r in failed:
        sys.stderr.write(f"ssmproof: {r.error.splitlines()[0]}\n")
    return 1 if failed or rechecked else 0
