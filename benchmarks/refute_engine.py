"""The refuter's stepping through the reachability engine vs Machine's step, side by side.

``refute`` walks its one configuration through :meth:`ssmproof.verify.engine.Engine.walk`,
which picks Machine's own step or the batched numpy step (:data:`ssmproof.verify.engine.WIDE`).
This script runs every case twice in one process — **old**: ``WIDE`` set past every model, so
every walk is Machine's step and no numpy plan is built (what the refuter did before it used the
engine), **new**: the engine's choice — asserts
that both give the same :class:`~ssmproof.refute.report.Refutation` (status, word, n, decisions,
notes, re-check, overflow), and prints CPU seconds (best of REPEATS = 2, interleaved) and the
ratio old / new: for the whole
``refute`` call (set-up, stabilisation analysis and the independent re-check, which stays on a
fresh Machine, included) and for the stepping alone (time inside the refuter's ``walk``).

Cases: random nonnegative SSMs drawn exactly as ``benchmarks/refute_random.py``'s main and
float32 samples draw them (``refute.sweep``'s generator), and one wide compiled model: the
star-free construction of a random aperiodic 30-state DFA over {a, b, c}
(``random_aperiodic_dfa(1, 30, 3)``: 113 state dims, 6,620 values per Machine configuration)
refuted against "an even number of a's" in exact arithmetic (the refuter's default), with the
argument alone (``scan = 0``) and a witness whose w is a fixed pseudo-random word (2,000 or
48 letters, an odd number of a's: membership of wⁿ has period 2), so that the refuter steps
whole blocks until the configuration repeats. The order of old and new alternates
from case to case.

Run: ``python benchmarks/refute_engine.py [--count 24] [--seed 0] [--wide-seed 1]
[--block-budget 20000] [--no-wide] [--float32-cases 36 ...] [--float32-budget 5000]``
(``--float32-cases``: cases of refute_random's float32 sample run besides the first ``count``;
the default, #36 aa_star, is one of its two misses, 5,000 stepped blocks at that budget.)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

import numpy as np

from ssmproof.lang.automaton import DFA
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM, Mode
from ssmproof.refute import sweep
from ssmproof.refute.report import Refutation
from ssmproof.refute import stabilise
from ssmproof.refute.stabilise import refute
from ssmproof.verify import engine

_WIDE = engine.WIDE
REPEATS = 2
"""Each side runs this many times (interleaved); the table shows the least CPU time of each."""
_WALK = stabilise._Refuter.walk
_in_walk = [0.0]


def _timed_walk(self, *args):  # noqa: ANN001, ANN002, ANN202
    """The refuter's stepping, timed (CPU seconds inside ``_Refuter.walk``)."""
    t0 = time.process_time()
    try:
        return _WALK(self, *args)
    finally:
        _in_walk[0] += time.process_time() - t0


stabilise._Refuter.walk = _timed_walk  # type: ignore[method-assign]


def timed(fn: Callable[[], Refutation], old: bool) -> tuple[Refutation, float, float]:
    """One refutation with every walk on Machine (old) or on the engine's choice (new):
    (result, CPU seconds in all, CPU seconds stepping)."""
    engine.WIDE = sys.maxsize if old else _WIDE  # old: no model is wide, no plan is built
    try:
        _in_walk[0] = 0.0
        t0 = time.process_time()
        r = fn()
        return r, time.process_time() - t0, _in_walk[0]
    finally:
        engine.WIDE = _WIDE


def ab(label: str, fn: Callable[[], Refutation], flip: bool) -> tuple[float, float]:
    """Run old and new (order flipped when ``flip``), check equal results, print the row."""
    runs: dict[bool, list[tuple[Refutation, float, float]]] = {True: [], False: []}
    for _ in range(REPEATS):
        for old in ((False, True) if flip else (True, False)):
            runs[old].append(timed(fn, old))
    r_new = runs[False][0][0]
    assert all(r == r_new for side in runs.values() for r, _, _ in side), \
        f"{label}: the engine's walk changed the refutation"
    t_old, t_new = (min(t for _, t, _ in runs[side]) for side in (True, False))
    s_old, s_new = (min(s for _, _, s in runs[side]) for side in (True, False))
    what = r_new.status.value + (f" n={r_new.n}" if r_new.n is not None else "")
    print(f"{label:46s} | {what:18s} | {t_old:8.3f} | {t_new:8.3f} | {t_old / t_new:5.2f}x | "
          f"{s_old:8.3f} | {s_new:8.3f} | {s_old / max(s_new, 1e-9):5.2f}x")
    return t_old, t_new


def random_cases(count: int, seed: int, main_budget: int, extra: tuple[int, ...] = (),
                 extra_budget: int = 0) -> list[tuple[str, Callable]]:
    """refute_random's main sample (scan default) and float32 sample (scan 0), interleaved;
    then the float32 sample's cases ``extra`` (block budget ``extra_budget``)."""
    from ssmproof.lang import zoo
    from ssmproof.testing.random_ssm import random_ssm

    names = sweep.non_star_free_zoo()
    out = []
    for i, float32 in [(i, i % 2 == 1) for i in range(count)] + [(i, True) for i in extra]:
        budget = extra_budget if i >= count else main_budget
        rng = np.random.default_rng([seed + (1 if float32 else 0), i])
        name = names[i % len(names)]
        lang = zoo.language(name)
        formats = sweep.WIDE_FORMATS if float32 else sweep.FORMATS
        fmt = formats[int(rng.integers(len(formats)))]
        mode = Mode.PREDICT if rng.random() < 0.25 else Mode.RECOGNIZE
        ssm = random_ssm(rng, lang.alphabet, layers=(1, 3), width=(1, 2),
                         lag=bool(rng.random() < 0.5), mlp=bool(rng.random() < 0.8), mode=mode)
        scan = {"scan": 0} if float32 else {}
        out.append((f"#{i} {name} {fmt} {mode.value} L{len(ssm.layers)}",
                    lambda ssm=ssm, lang=lang, fmt=fmt, scan=scan, budget=budget: refute(
                        ssm, lang, fmt=fmt, block_budget=budget, **scan)))
    return out


WIDE_ROWS = (("exact", 2000), ("exact", 48))
"""(format, |w|): exact runs of about 10,000 and 240 steps; the engine builds its numpy plans
after LAZY_STEPS (4,096) of them, so the short one runs on Machine alone. (A finite format walks on Machine, as the random rows show; on this
model its run is dominated by the invariant boxes, 75 s in bfloat16, so it is left out.)"""


def even_as() -> DFA:
    """Words over {a, b, c} with an even number of a's (not star-free: period 2)."""
    return DFA(("a", "b", "c"), ("even", "odd"), 0, frozenset({0}),
               ((1, 0, 0), (0, 1, 1)), "even_as")


def long_witness(length: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                            int]:
    """(u, w, v, 2) for :func:`even_as` with a pseudo-random w holding an odd number of a's."""
    w = [str(x) for x in np.random.default_rng(7).choice(["a", "b", "c"], size=length)]
    if w.count("a") % 2 == 0:
        w[0] = "b" if w[0] == "a" else "a"
    return (), tuple(w), (), 2


def wide_model(seed: int) -> SSM:
    from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
    from ssmproof.compiler.starfree import compile_dfa

    return compile_dfa(random_aperiodic_dfa(seed, 30, 3), mode="recognize")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, default=24, help="random SSMs (half float32, scan 0)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--wide-seed", type=int, default=1)
    p.add_argument("--block-budget", type=int, default=20_000)
    p.add_argument("--no-wide", action="store_true", help="leave out the wide compiled model")
    p.add_argument("--float32-cases", type=int, nargs="*", default=[36],
                   help="further cases of refute_random's float32 sample (long block runs)")
    p.add_argument("--float32-budget", type=int, default=5000,
                   help="block budget of those cases")
    args = p.parse_args(argv)
    print("case | result | old s (Machine step) | new s (engine walk) | old/new | "
          "stepping old s | stepping new s | old/new")
    print("--- | --- | --- | --- | --- | --- | --- | ---")
    total = [0.0, 0.0]
    cases = random_cases(args.count, args.seed, args.block_budget, tuple(args.float32_cases),
                         args.float32_budget)
    for k, (label, fn) in enumerate(cases):
        t_old, t_new = ab(label, fn, flip=k % 2 == 1)
        total[0] += t_old
        total[1] += t_new
    if cases:
        print(f"random SSMs, all {len(cases)}: old {total[0]:.2f} s, new {total[1]:.2f} s, "
              f"old/new {total[0] / total[1]:.2f}x")
    if not args.no_wide:
        ssm = wide_model(args.wide_seed)
        e = engine.Engine(Machine(ssm))
        print(f"wide model: {len(ssm.state_dims_list)} state dims, {len(e.m.start())} values "
              f"per Machine configuration, {e.layout.width} carried; walk path in exact: "
              f"{e.walk_path}")
        for k, (fmt, length) in enumerate(WIDE_ROWS):
            ab(f"wide compiled star-free, {fmt}, |w| = {length}",
               lambda fmt=fmt, length=length: refute(
                   ssm, even_as(), fmt=fmt, block_budget=args.block_budget,
                   witness=long_witness(length), scan=0),
               flip=k % 2 == 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
