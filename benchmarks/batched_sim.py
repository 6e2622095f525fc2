"""Batched numpy simulation vs Machine, words per second, side by side in one run.

For each SSM (``examples.dyck1_bounded(3)`` and ``examples.contains_aa()``, both under
bfloat16 by default) the same random words (default 5,000 of length 200, seeded) are run

- by ``Machine.decisions`` one word at a time (the reference semantics),
- by ``run_words`` (Machine with prefix sharing; random words of this length share little),
- by ``ssmproof.sim.batched.batched_decisions`` and ``batched_run_words``,

and the results are checked equal word by word before any rate is printed. Rates are reported
in CPU seconds of this process (``time.process_time``), which a busy shared machine disturbs
less than wall time; wall-clock rates are printed too.

Run: ``python benchmarks/batched_sim.py [--words N] [--length L] [--format F]
[--machine-words M] [--batch-size B]`` (``--machine-words`` times the two Machine paths on the
first M words only, for a quick run).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

import numpy as np

from ssmproof import examples
from ssmproof.numerics.formats import parse
from ssmproof.sim import batched
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_words
from ssmproof.ssm.program import SSM


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """(result, CPU seconds, wall seconds)."""
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def random_words(ssm: SSM, count: int, length: int, seed: int) -> list[tuple[str, ...]]:
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(ssm.alphabet), size=(count, length))
    return [tuple(ssm.alphabet[i] for i in row) for row in picks]


def bench(
    ssm: SSM, words: list[tuple[str, ...]], fmt: str, machine_words: int, batch_size: int
) -> list[tuple[str, int, float, float]]:
    machine = Machine(ssm, parse(fmt))
    sample = words[:machine_words]
    reference, cpu_m, wall_m = timed(lambda: [machine.decisions(w) for w in sample])
    runs, cpu_r, wall_r = timed(lambda: list(run_words(ssm, sample, fmt=fmt)))
    got, cpu_b, wall_b = timed(
        lambda: batched.batched_decisions(ssm, words, fmt=fmt, batch_size=batch_size)
    )
    results, cpu_br, wall_br = timed(
        lambda: batched.batched_run_words(ssm, words, fmt=fmt, batch_size=batch_size)
    )
    assert got[: len(sample)] == reference, "batched decisions differ from Machine's"
    assert results[: len(sample)] == runs, "batched_run_words differs from run_words"
    return [
        ("Machine.decisions, per word", len(sample), cpu_m, wall_m),
        ("run_words (prefix sharing)", len(sample), cpu_r, wall_r),
        ("batched_decisions", len(words), cpu_b, wall_b),
        ("batched_run_words", len(words), cpu_br, wall_br),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--format", default="bfloat16")
    parser.add_argument(
        "--machine-words",
        type=int,
        default=None,
        help="time the Machine paths on the first M words (default: all)",
    )
    parser.add_argument("--batch-size", type=int, default=batched.DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    machine_words = args.words if args.machine_words is None else args.machine_words
    print(
        f"{args.words} random words of length {args.length}, format {args.format}, "
        f"seed {args.seed}, batch size {args.batch_size}; python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    print(
        f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(a shared machine: compare the CPU columns)"
    )
    for ssm in (examples.dyck1_bounded(3), examples.contains_aa()):
        words = random_words(ssm, args.words, args.length, args.seed)
        rows = bench(ssm, words, args.format, machine_words, args.batch_size)
        base = rows[0][1] / rows[0][2]
        print(
            f"\n{ssm.name} ({len(ssm.layers)} layers, {ssm.state_dims} state dims): "
            "results identical on every word timed by both"
        )
        print(
            f"  {'path':<30}{'words':>7}{'words/s (CPU)':>15}{'words/s (wall)':>16}{'speed-up':>10}"
        )
        for name, count, cpu, wall in rows:
            rate = count / cpu
            print(
                f"  {name:<30}{count:>7}{rate:>15,.0f}{count / wall:>16,.0f}{rate / base:>9,.0f}x"
            )


if __name__ == "__main__":
    main()
