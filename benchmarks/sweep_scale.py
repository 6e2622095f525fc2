"""Sweep 200 generated languages serially, on a local Dask cluster and on a command-line cluster.

The languages: ``ssmproof.sweep.generate.random_languages`` (half aperiodic, half with a planted
cyclic group; 2–5 states, 4–64 letters; seeded), written as JSON specs. Each is swept in
recognition mode, exact arithmetic, ``--gates auto`` — one task each: classify → compile → prove.
Three runs, each into a fresh folder (nothing resumed):

1. serial: ``jobs=1``, in this process;
2. local: a ``LocalCluster`` of 2 worker processes (one per core here), started by the sweep;
3. command line: ``dask scheduler`` + two ``dask worker`` processes (1 thread each) started from
   the command line on 127.0.0.1 *before* the sweep, as a real cluster would be.

Printed side by side: wall time, the sum of per-task seconds and of per-task CPU seconds (both
measured inside the workers; CPU time does not grow with the machine's load), the cores the
tasks actually obtained (Σ task CPU s / wall: below the worker count when the machine is
shared), speed-up over serial, and the per-task overhead, ``(wall × workers − Σ task seconds) /
tasks``: the worker time per task not spent in the task (scheduling, transfer, idling, startup).
The rows of the three runs must be identical except the timing columns. Then the headline
numbers of the sweep table; its CSV, summary and plots are written next to this file
(``sweep_scale/``).

Run: ``python benchmarks/sweep_scale.py [--count 200] [--seed 0] [--workers 2]
[--runs serial local cli] [--keep DIR]`` (``--runs`` picks which of the three runs; the serial
run always happens first, it is the baseline; ``--keep`` is where the table and plots go,
``benchmarks/sweep_scale`` by default; a few languages, one run and a scratch ``--keep`` are a
quick run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

from ssmproof.sweep import generate, plots, pool
from ssmproof.sweep.localhost import command_line_cluster
from ssmproof.sweep.run import sweep
from ssmproof.sweep.tasks import TIMING_COLUMNS

HERE = os.path.dirname(os.path.abspath(__file__))


def _untimed(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in TIMING_COLUMNS} for r in rows]


def _line(label: str, wall: float, workers: int, rows: list[dict], serial_wall: float) -> str:
    busy = sum(r["seconds"] or 0.0 for r in rows)
    cpu = sum(r["cpu_seconds"] or 0.0 for r in rows)
    overhead_ms = (wall * workers - busy) / len(rows) * 1000
    return (f"{label:<34} {workers:>7} {wall:>9.1f} {busy:>11.1f} {cpu:>11.1f} "
            f"{cpu / wall:>9.2f} {serial_wall / wall:>9.2f}x {overhead_ms:>12.1f}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--runs", nargs="+", choices=("serial", "local", "cli"),
                   default=["serial", "local", "cli"], help="which runs (serial always runs)")
    p.add_argument("--keep", default=os.path.join(HERE, "sweep_scale"),
                   help="folder for results.csv, summary.md and the plots")
    args = p.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="ssmproof-sweep-scale-")
    try:
        return _run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args: argparse.Namespace, tmp: str) -> int:
    dfas = generate.random_languages(args.count, seed=args.seed)
    specs = os.path.join(tmp, "specs")
    generate.write_specs(dfas, specs)
    letters = [len(d.alphabet) for d in dfas]
    aperiodic = sum(1 for d in dfas if d.name.startswith("aperiodic"))
    print(f"{len(dfas)} languages (seed {args.seed}): {aperiodic} aperiodic, "
          f"{len(dfas) - aperiodic} with a planted "
          f"cycle; {min(letters)}-{max(letters)} letters, 2-5 states before minimisation")
    print(f"machine: {pool.default_jobs()} cores, load average {os.getloadavg()[0]:.1f} at start"
          " (shared with other jobs: timings are indicative)")
    out = {name: os.path.join(tmp, name) for name in ("serial", "local", "cli")}

    t = time.perf_counter()
    serial = sweep([specs], out=out["serial"], jobs=1, plots=False)
    serial_wall = time.perf_counter() - t
    lines = [_line("serial (in process)", serial_wall, 1, serial.rows, serial_wall)]
    others = []
    if "local" in args.runs:
        t = time.perf_counter()
        local = sweep([specs], out=out["local"], jobs=args.workers, plots=False)
        local_wall = time.perf_counter() - t
        others.append(local)
        lines.append(_line("local cluster (incl. its start)", local_wall, args.workers,
                           local.rows, serial_wall))
    if "cli" in args.runs:
        t = time.perf_counter()
        with command_line_cluster(workers=args.workers, timeout=180) as address:
            startup = time.perf_counter() - t
            t = time.perf_counter()
            cli = sweep([specs], out=out["cli"], scheduler=address, plots=False)
            cli_wall = time.perf_counter() - t
        others.append(cli)
        lines.append(_line(f"dask scheduler + {args.workers} CLI workers", cli_wall,
                           args.workers, cli.rows, serial_wall))
        lines.append(f"command-line cluster start (scheduler + {args.workers} workers ready): "
                     f"{startup:.1f} s, not included above")

    print(f"\n{'run':<34} {'workers':>7} {'wall s':>9} {'Σ task s':>11} {'Σ task CPU s':>11} "
          f"{'cores got':>9} {'speed-up':>10} {'overhead ms/task':>12}")
    print("\n".join(lines))
    same = all(_untimed(serial.rows) == _untimed(run.rows) for run in others)
    runs = {1: "the serial run alone", 2: "the two runs", 3: "the three runs"}[1 + len(others)]
    print(f"rows identical across {runs} (timing aside): {'yes' if same else 'NO'}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")

    keep = args.keep
    os.makedirs(keep, exist_ok=True)
    for name in ("results.csv", "summary.md"):
        shutil.copy(os.path.join(out["serial"], name), os.path.join(keep, name))
    plots.write_plots(serial.rows, keep)
    print(f"\n== the sweep table (serial run; also {os.path.relpath(keep)}/summary.md) ==\n")
    with open(os.path.join(keep, "summary.md"), encoding="utf-8") as fh:
        print(fh.read())
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
