"""``ssmproof sweep SPECS... --out DIR``: classify → compile → prove many languages on Dask."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ssmproof.commands import common

HELP = "classify, compile and prove many languages (modes × formats × gates) on Dask; CSV + plots"


def _list(choices: tuple[str, ...] | None = None) -> Callable[[str], tuple[str, ...]]:
    """An argparse type: a comma-separated list, each item among ``choices`` when given."""
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(x.strip() for x in text.split(",") if x.strip())
        bad = [x for x in items if choices is not None and x not in choices]
        if not items or bad:
            raise argparse.ArgumentTypeError(
                f"'{text}': give a comma-separated list" + (f" of {', '.join(choices)}"
                                                            if choices else ""))
        return items
    return parse


def _formats(text: str) -> tuple[str, ...]:
    items = _list()(text)
    for f in items:
        _check_format(f)
    return items


def _check_format(text: str) -> None:
    from ssmproof.errors import FormatError  # keeps start-up light
    from ssmproof.numerics.formats import parse  # keeps start-up light

    try:
        parse(text)
    except FormatError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def configure(p: argparse.ArgumentParser) -> None:
    from ssmproof.sweep.tasks import (  # keeps start-up light
        DEFAULT_MAX_CONFIGURATIONS, DEFAULT_TASK_SECONDS, GATE_CHOICES)

    p.add_argument("specs", nargs="+", metavar="SPEC",
                   help="spec files (.json, .toml, .att, .fst.txt), folders of them, zoo names")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="results.csv, summary.md, plots, and the task cache tasks/")
    p.add_argument("--modes", type=_list(("recognize", "predict")), default=("recognize",),
                   help="comma-separated: recognize, predict (default recognize)")
    p.add_argument("--formats", type=_formats, default=("exact",),
                   help="comma-separated arithmetic formats (default exact)")
    p.add_argument("--gates", type=_list(GATE_CHOICES), default=("auto",),
                   help="comma-separated: auto (the weakest class the language needs), "
                        "nonnegative, signed, complex (default auto)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask cluster (tcp://HOST:PORT) instead of a local one")
    p.add_argument("--jobs", type=common.positive_int, default=None,
                   help="local worker processes (default: one per core; 1 = in this process)")
    p.add_argument("--max-configurations", type=common.positive_int,
                   default=DEFAULT_MAX_CONFIGURATIONS, help="per-task proof budget")
    p.add_argument("--task-seconds", type=float, default=DEFAULT_TASK_SECONDS,
                   help="per-task wall-clock budget in seconds")
    p.add_argument("--no-resume", action="store_true", help="redo tasks found in DIR/tasks/")
    p.add_argument("--no-plots", action="store_true")
    p.add_argument("--json", action="store_true", help="print a JSON summary, no progress bar")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.sweep.run import sweep  # keeps start-up light

    report = sweep(args.specs, out=args.out, modes=args.modes, formats=args.formats,
                   gates=args.gates, scheduler=args.scheduler, jobs=args.jobs,
                   max_configurations=args.max_configurations,
                   seconds=args.task_seconds if args.task_seconds > 0 else None,
                   progress=not (args.quiet or args.json) and sys.stderr.isatty(),
                   plots=not args.no_plots, resume=not args.no_resume)
    if args.json:
        common.emit_json({"tasks": len(report.rows), "ran": report.ran, "reused": report.reused,
                          "outcomes": report.counts(), "wall_seconds": round(report.wall_seconds,
                                                                              3),
                          "files": report.files})
        return 0
    counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts().items()))
    common.out(f"{len(report.rows)} tasks ({report.ran} run, {report.reused} from the cache) in "
               f"{report.wall_seconds:.1f} s: {counts}; see {args.out}/summary.md")
    return 0
