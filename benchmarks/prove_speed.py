"""``prove`` speed: the frontier engine against the per-configuration Machine search, one run.

Every row proves one construction with :func:`ssmproof.verify.explore.prove` (the engine) and
measures the per-configuration search of :mod:`ssmproof.verify.reference` (one ``Machine.step``
per edge, full configurations as tuples) in the same run. The reference is time-boxed: it runs
to completion only where that is quick (``ref`` = ``full``); otherwise it runs the same BFS until
``--reference-budget`` configurations (``ref`` = ``first N cfgs``) and its rate per edge is
compared with the engine's. Both searches must agree wherever both ran (the full run is compared
outcome for outcome; the budgeted one on the configurations and edges of the depths it finished).

Columns: configurations and edges of the proof; values per configuration (compact key, and the
full Machine configuration it replaces); engine CPU seconds (best of 3 for rows under 3 s;
compile seconds separately where the row compiles); µs per edge for both; the ratio; the
issue-13 target.

The Dyck(8,10) rows use the invariant method (``verify --invariant``,
:mod:`ssmproof.verify.invariant`), which lists no configuration; beside it the engine's ``prove``
runs until ``--dyck-budget`` configurations, and its rate per edge times the product's live edges
(computed from the language: a stack of depth d < H has K opening and, if d > 0, one closing
continuation) projects what listing the whole product would cost.

Run: ``python benchmarks/prove_speed.py [--seeds 10] [--reference-budget 1000]
[--dyck-budget 20000] [--quick]`` (``--quick``: the same rows on small sizes, :data:`QUICK`; a
smoke test of the script, not a measurement of the issue-13 targets).
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from ssmproof.algebra.examples import dyck_depth
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.compiler.compiling import compile_language
from ssmproof.compiler.starfree import compile_dfa
from ssmproof.lang import spec
from ssmproof.numerics.formats import parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import SSM
from ssmproof.ssm.program import Mode
from ssmproof.verify import explore, invariant, reference
from ssmproof.verify.outcome import Holds

REPEATS, SHORT = 2, 3.0
"""Engine rows under ``SHORT`` CPU seconds run ``REPEATS`` more times and report the best: a
short row is otherwise dominated by one-time costs (the first bfloat16 rounding imports
ml_dtypes, ~0.5 s) and by the load of a shared machine. The reference runs once."""

SIZES = {"gallery": "D12", "states": 30, "depth": 16, "dyck_recognize": "dyck:3,4",
         "dyck_predict": "dyck:8,4", "invariant": "dyck:8,10"}
"""The cases of the issue-13 targets: the gallery's D_m recognizer, random aperiodic DFAs of
``states`` states, D_depth by the star-free route, two Dyck rows and the invariant rows."""
QUICK = {"gallery": "D4", "states": 8, "depth": 4, "dyck_recognize": "dyck:2,2",
         "dyck_predict": "dyck:2,3", "invariant": "dyck:2,3"}

HEADER = ("case", "format", "configurations", "edges", "values/config (full)", "compile s",
          "engine s", "engine µs/edge", "reference µs/edge", "ref", "ratio", "target")


def cpu(fn):  # noqa: ANN001, ANN201
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


def row(label: str, ssm: SSM, lang: object, fmt: str, budget: int, *, full_ref: bool,
        compile_s: float | None, target: str) -> list[str]:
    mode = ssm.mode
    machine = Machine(ssm, parse(fmt), observe_gates=True)
    got, secs = cpu(lambda: explore.prove(machine, lang, mode))  # type: ignore[arg-type]
    for _ in range(REPEATS if secs < SHORT else 0):  # short rows: best of 1 + REPEATS (warm)
        secs = min(secs, cpu(lambda: explore.prove(  # type: ignore[arg-type]
            Machine(ssm, parse(fmt), observe_gates=True), lang, mode))[1])
    assert isinstance(got, Holds) and got.closed, (label, got)
    done = got.coverage
    ref_machine = Machine(ssm, parse(fmt), observe_gates=True)
    cap = 10**9 if full_ref else budget
    want, ref_s = cpu(lambda: reference.prove(ref_machine, lang, mode,  # type: ignore[arg-type]
                                              max_configurations=cap))
    if full_ref:
        assert (want.coverage.configurations, want.coverage.edges) == \
            (done.configurations, done.edges), label
    else:  # the engine under the same budget stops where the reference stopped
        same = explore.prove(Machine(ssm, parse(fmt), observe_gates=True), lang,  # type: ignore
                             mode, max_configurations=cap)
        assert dataclasses.replace(same.coverage, values_per_configuration=None) == \
            want.coverage, label
    engine_us = secs / done.edges * 1e6
    ref_us = ref_s / want.coverage.edges * 1e6
    full = len(machine.start())
    return [label, fmt, f"{done.configurations:,}", f"{done.edges:,}",
            f"{done.values_per_configuration} ({full})",
            "-" if compile_s is None else f"{compile_s:.2f}", f"{secs:.2f}", f"{engine_us:.1f}",
            f"{ref_us:.1f}", "full" if full_ref else f"first {want.coverage.configurations:,} cfgs",
            f"{ref_us / engine_us:.1f}×", target]


def invariant_row(name: str, fmt: str, budget: int) -> list[str]:
    """Dyck(K,H) predict proved by the invariant method, beside a budgeted engine ``prove``."""
    k, h = (int(x) for x in name.split(":")[1].split(","))
    ssm, comp = cpu(lambda: compile_language(name, mode="predict"))
    lang = spec.to_language(spec.resolve(name))
    def proof() -> object:
        factored = invariant.factored_for(lang, Mode.PREDICT, ssm=ssm)
        return invariant.check(ssm, factored, invariant.relation_for(ssm, factored, fmt),
                               fmt=fmt, oracle=lang)

    cert, secs = cpu(proof)
    assert cert.holds and cert.all_lengths, cert
    part, part_s = cpu(lambda: explore.prove(Machine(ssm, parse(fmt), observe_gates=True), lang,
                                             Mode.PREDICT, max_configurations=budget))
    states = sum(k**d for d in range(h + 1))  # live stacks = configurations of the construction
    edges = k + (k + 1) * sum(k**d for d in range(1, h)) + k**h
    rate = part_s / part.coverage.edges * 1e6
    checks = cert.extra["invariant"]["local_checks"]
    return [f"{name} predict (invariant, {checks:,} local checks)", fmt, f"{states:,} (not listed)",
            f"{edges:,} (not listed)", f"{ssm.state_dims} (-)", f"{comp:.2f}", f"{secs:.2f}", "-",
            f"{rate:.1f}", f"engine prove, first {part.coverage.configurations:,} cfgs",
            f"{rate * edges / 1e6 / secs:,.0f}× (projected prove {rate * edges / 1e6 / 86400:,.1f}"
            " CPU-days)", "all lengths < 60 s"]


def print_row(cells: list[str]) -> None:
    print(" | ".join(cells), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--reference-budget", type=int, default=1000)
    ap.add_argument("--dyck-budget", type=int, default=20_000)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    args = ap.parse_args()
    budget, size = args.reference_budget, QUICK if args.quick else SIZES
    print(" | ".join(HEADER))
    print(" | ".join(["---"] * len(HEADER)), flush=True)
    gallery = size["gallery"]
    dm = jsonio.load(f"constructions/{gallery}/recognize-nonnegative.json")
    print_row(row(f"{gallery} recognizer (gallery)", dm,
                  spec.to_language(spec.load(f"automata/{gallery}.json")),
                  "exact", budget, full_ref=True, compile_s=None, target="≥ 30× ratio"))
    n = size["states"]
    for k in (2, 3):
        for seed in range(1, args.seeds + 1):
            dfa = random_aperiodic_dfa(seed, n, k)
            ssm, comp = cpu(lambda: compile_dfa(dfa, mode="recognize"))  # noqa: B023
            print_row(row(f"random aperiodic n={n} k={k} seed={seed}", ssm, dfa, "exact", budget,
                          full_ref=False, compile_s=comp, target="compile + prove < 5 s"))
    depth = dyck_depth(size["depth"])
    ssm, comp = cpu(lambda: compile_dfa(depth, mode="recognize"))
    print_row(row(f"D{size['depth']} star-free route", ssm, depth, "exact", budget,
                  full_ref=False, compile_s=comp, target="< 10 s"))
    for name, mode, fmt in ((size["dyck_recognize"], "recognize", "bfloat16"),
                            (size["dyck_predict"], "predict", "exact")):
        ssm, comp = cpu(lambda: compile_language(name, mode=mode))  # noqa: B023
        lang = spec.to_language(spec.resolve(name))
        print_row(row(f"{name} {mode}", ssm, lang, fmt, budget, full_ref=False, compile_s=comp,
                      target="< 1 s"))
    for fmt in ("exact", "bfloat16"):
        print_row(invariant_row(size["invariant"], fmt, args.dyck_budget))


if __name__ == "__main__":
    main()
