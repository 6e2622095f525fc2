"""Refute 200+ random nonnegative SSMs on the non-star-free zoo languages and print the tally.

Each case is a random SSM (``ssmproof.testing.random_ssm``: 1–3 layers, 1–2 channels each, random
rational gates in [0, 1] with 1 and 0 drawn often, random ReLU MLPs, lag views half the time, a
quarter of them predictive) against one of the non-star-free zoo languages (cycled), in a random
monotone finite format. ``refute`` must return a word the SSM gets wrong, re-checked by a fresh
``run_word`` (or a plain block replay) and compared with the DFA. The main sample uses the
formats in which orbits settle within the budget (small fixed point, float16, bfloat16). Then,
with ``scan = 0`` (no direct run of the short words: the argument alone), a float32 and a
bfloat16 sample of random SSMs, and a sample of SSMs built to be right on every u·wⁿ·v with
n < 64 (``ssmproof.testing.slow_counter``: a slow counter read by a stateful layer through a ReLU
sawtooth), on which a scan could not help anyway. A word is counted as found only when an
independent run re-checked it (``refute`` says exit 3 otherwise).

Run: ``python benchmarks/refute_random.py [--count 210] [--float32 40] [--bfloat16 40]
[--right-on-short 28] [--short-formats float32 bfloat16] [--seed 0] [--block-budget 20000]``
(``--short-formats``: the formats the right-on-short sample alternates; a few cases, bfloat16
alone there and a smaller block budget are a quick run).
"""

from __future__ import annotations

import argparse
import sys
import time

from ssmproof.refute import sweep


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=210, help="cases in the main sample")
    p.add_argument("--float32", type=int, default=40, help="cases in the float32 sample")
    p.add_argument("--bfloat16", type=int, default=40, help="cases in the bfloat16 sample")
    p.add_argument("--right-on-short", type=int, default=28,
                   help="cases in the sample of SSMs right on every n < 64")
    p.add_argument("--short-formats", nargs="+", default=["float32", "bfloat16"],
                   choices=["float32", "bfloat16"],
                   help="formats of the right-on-short sample, alternating with the case")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--block-budget", type=int, default=20_000)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    print(f"languages: {', '.join(sweep.non_star_free_zoo())}")
    main = sweep.sweep(args.count, seed=args.seed, block_budget=args.block_budget)
    print(f"\n== main sample: {args.count} random SSMs, formats {', '.join(sweep.FORMATS)} ==")
    print(main.text())
    rates = []
    for fmt, count in (("float32", args.float32), ("bfloat16", args.bfloat16)):
        alone = sweep.sweep(count, seed=args.seed + 1, formats=(fmt,),
                            block_budget=args.block_budget, scan=0)
        print(f"\n== {fmt}, the argument alone (scan 0): {count} random SSMs ==")
        print(alone.text())
        rates.append(alone.conclusive_rate)
    short = sweep.sweep_right_on_short_words(args.right_on_short, seed=args.seed + 2,
                                             formats=tuple(args.short_formats),
                                             block_budget=args.block_budget)
    print(f"\n== right on every n < 64 (slow counter read through a sawtooth), the argument "
          f"alone (scan 0): {args.right_on_short} SSMs, {' and '.join(args.short_formats)} ==")
    print(short.text())
    print(f"\nwall time {time.perf_counter() - t0:.0f} s")
    return 0 if main.conclusive_rate >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
