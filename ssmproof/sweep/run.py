"""``sweep``: many languages × modes × formats × gate classes, on Dask, resumable, as tables.

The stages, each a named call:

1. :func:`expand` — spec arguments (files, folders of spec files, zoo names) → ``(label, path)``;
2. :func:`plan` — load every spec here (a bad one becomes an ``error`` row, not a stop) and make
   one :class:`~ssmproof.sweep.tasks.Task` per (language, mode, format, gates);
3. the cache under ``OUT/tasks/`` answers every task already done (keyed by content hash;
   ``error`` rows are retried), and :func:`ssmproof.sweep.pool.imap` runs the rest — serially, on
   a local cluster, or on the cluster at ``scheduler`` —, each row cached as it arrives, so an
   interrupted sweep resumes where it stopped;
4. ``OUT/results.csv``, ``OUT/summary.md`` and the plots
   (:mod:`ssmproof.sweep.results`, :mod:`ssmproof.sweep.plots`).
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ssmproof import atomic
from ssmproof.errors import SpecError
from ssmproof.sweep import pool, results
from ssmproof.sweep.tasks import (
    COLUMNS,
    DEFAULT_MAX_CONFIGURATIONS,
    DEFAULT_TASK_SECONDS,
    Task,
    error_row,
    run_task,
)

__all__ = ["SweepReport", "sweep", "expand", "plan", "SPEC_PATTERNS"]

SPEC_PATTERNS = ("*.json", "*.toml", "*.att", "*.fst.txt")
"""The files a folder argument contributes, in sorted order."""


@dataclass
class SweepReport:
    """What a sweep did: every row, how many tasks ran now and how many came from the cache."""

    rows: list[dict[str, Any]]
    ran: int
    reused: int
    wall_seconds: float
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(r["outcome"] for r in self.rows))


def expand(arguments: Sequence[str]) -> list[tuple[str, str]]:
    """``(label, spec argument)`` pairs: a folder gives its spec files, anything else itself.

    The label is the file's stem (``automata/tomita3.json`` → ``tomita3``, ``L17.fst.txt`` →
    ``L17``) or the zoo name as written.

    Examples
    --------
    >>> expand(["parity", "tomita:3"])
    [('parity', 'parity'), ('tomita:3', 'tomita:3')]
    """
    from ssmproof.lang import att  # keeps start-up light

    out = []
    for arg in arguments:
        paths = sorted(p for pat in SPEC_PATTERNS for p in glob.glob(os.path.join(arg, pat))) \
            if os.path.isdir(arg) else [arg]
        out += [(att.stem(p) if _is_path(p) else p, p) for p in paths]
    return out


def _is_path(text: str) -> bool:
    """A file argument rather than a zoo name (the rule of :func:`ssmproof.lang.spec.load`)."""
    return (os.path.isfile(text) or "/" in text or os.sep in text
            or text.lower().endswith((".json", ".toml", ".att", ".fst.txt")))


def plan(pairs: Sequence[tuple[str, str]], *, modes: Sequence[str], formats: Sequence[str],
         gates: Sequence[str], max_configurations: int = DEFAULT_MAX_CONFIGURATIONS,
         seconds: float | None = DEFAULT_TASK_SECONDS
         ) -> tuple[list[Task], list[dict[str, Any]]]:
    """The tasks, and ``error`` rows for the specs that do not load."""
    from ssmproof.lang import spec as specs  # keeps start-up light

    tasks, failed = [], []
    for label, arg in pairs:
        combos = list(itertools.product(modes, formats, gates))
        try:
            spec = specs.load(arg)
        except SpecError as err:
            for mode, fmt, gate in combos:
                row = dict.fromkeys(COLUMNS)
                row.update(language=label, mode=mode, format=fmt, gates=gate, outcome="error",
                           reason=str(err), stage="load")
                failed.append(row)
            continue
        tasks += [Task(label, spec, mode=mode, format=fmt, gates=gate,
                       max_configurations=max_configurations, seconds=seconds)
                  for mode, fmt, gate in combos]
    return tasks, failed


def _cache_path(out: str, key: str) -> str:
    return os.path.join(out, "tasks", f"{key}.json")


def _cached(out: str, task: Task) -> dict[str, Any] | None:
    try:
        with open(_cache_path(out, task.key), encoding="utf-8") as fh:
            row = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(row, dict) or row.get("outcome") in (None, "error"):
        return None  # errors may be transient (a worker died): try again
    row["language"] = task.language  # the label is part of the key; keep the file's text
    return row


def sweep(specs: Sequence[str], *, out: str, modes: Sequence[str] = ("recognize",),
          formats: Sequence[str] = ("exact",), gates: Sequence[str] = ("auto",),
          scheduler: str | None = None, jobs: int | None = None,
          max_configurations: int = DEFAULT_MAX_CONFIGURATIONS,
          seconds: float | None = DEFAULT_TASK_SECONDS, progress: bool = False,
          plots: bool = True, resume: bool = True) -> SweepReport:
    """Run the sweep and write ``results.csv``, ``summary.md`` and the plots into ``out``.

    ``jobs=1`` without ``scheduler`` runs in this process; otherwise a local Dask cluster of
    ``jobs`` worker processes (default: one per core), or the cluster at ``scheduler``.
    ``resume=False`` ignores (and overwrites) cached rows.
    """
    started = time.perf_counter()
    tasks, rows = plan(expand(specs), modes=modes, formats=formats, gates=gates,
                       max_configurations=max_configurations, seconds=seconds)
    os.makedirs(os.path.join(out, "tasks"), exist_ok=True)
    todo, reused = [], 0
    for task in tasks:
        row = _cached(out, task) if resume else None
        if row is None:
            todo.append(task)
        else:
            rows.append(row)
            reused += 1
    for i, row in pool.imap(run_task, todo, jobs=jobs, scheduler=scheduler, progress=progress,
                            desc="ssmproof sweep", on_error=error_row):
        atomic.write_text(_cache_path(out, todo[i].key), json.dumps(row, sort_keys=True) + "\n")
        rows.append(row)
    wall = time.perf_counter() - started
    report = SweepReport(results.sort_rows(rows), ran=len(todo), reused=reused,
                         wall_seconds=wall)
    report.files = _write_outputs(report, out, plots=plots, scheduler=scheduler, jobs=jobs)
    return report


def _write_outputs(report: SweepReport, out: str, *, plots: bool, scheduler: str | None,
                   jobs: int | None) -> list[str]:
    where = scheduler or ("this process" if jobs == 1 else
                          f"a local Dask cluster of {jobs or pool.default_jobs()} processes")
    notes = [f"ran {report.ran} tasks on {where} in {report.wall_seconds:.1f} s wall; "
             f"{report.reused} rows reused from `tasks/` (resumed)",
             "outcome `holds` means proved for all lengths (`prove` closed); budgets that ran "
             "out give `inconclusive` with the reason"]
    csv_path, md_path = os.path.join(out, "results.csv"), os.path.join(out, "summary.md")
    atomic.write_many({csv_path: results.to_csv(report.rows),
                       md_path: results.summary_markdown(report.rows, notes=notes)})
    files = [csv_path, md_path]
    if plots and report.rows:
        from ssmproof.sweep import plots as plots_  # keeps start-up light

        files += plots_.write_plots(report.rows, out)
    return files
