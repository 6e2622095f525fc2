"""Star-free compiler sizes and speed: random minimal aperiodic DFAs, the D_m family, the zoo.

Each row compiles one DFA with :func:`ssmproof.compiler.starfree.compile_dfa` and proves the
construction with ``verify(..., prove=True)``. Columns: the DFA's size, its transition monoid
and ⌈log₂|Q|⌉ (the least state dims any encoding of the DFA state needs); then the construction's
cascade levels, layers (in brackets: layers saved by merging levels that do not read each other),
state dims, memory bits = log₂ of the configurations the proof met (DESIGN §4), MLP units
(pre-MLPs and MLPs), nonzero weights, and the CPU seconds to compile and to prove. ``holds`` is
the proof's verdict (``yes`` = all lengths).

Run: ``python benchmarks/starfree.py [--sizes 5 10 20 30] [--letters 2 3] [--seeds 2]
[--dyck 12] [--no-lag-dyck 8] [--zoo] [--zoo-specs NAME ...] [--max-configurations 1000000]``
(small sizes, few seeds and one zoo spec are a quick run).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Iterable

from ssmproof.algebra.examples import dyck_depth
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.compiler.compiling import stats
from ssmproof.compiler.starfree import compile_dfa
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import spec
from ssmproof.lang.automaton import DFA
from ssmproof.verify.api import verify

HEADER = ("DFA", "mode", "format", "Q", "monoid", "log2 Q", "levels", "layers [saved]",
          "state dims", "memory bits", "MLP units", "weights", "compile s", "prove s", "holds")

ZOO = ("tomita1", "tomita2", "tomita4", "tomita7", "D2", "D3", "D4", "D12", "aabbccddee",
       "abdbc", "zero_one_two_02", "flipflop", "dyck_2_3", "dyck_5_2", "dyck_3_4")


def row(label: str, dfa: DFA, *, mode: str, lag: bool, fmt: str, budget: int) -> list[str]:
    """Compile and prove one DFA; the cells of its row."""
    t0 = time.process_time()
    ssm = compile_dfa(dfa, mode=mode, lag=lag, fmt=None if lag else fmt)
    t1 = time.process_time()
    cert = verify(ssm, dfa, fmt=fmt, prove=True, max_configurations=budget)
    t2 = time.process_time()
    r, s = ssm.metadata["starfree"], stats(ssm)
    bits = f"{math.log2(cert.configurations):.1f}" if cert.all_lengths else "-"
    verdict = {True: "yes" if cert.all_lengths else "bounded", False: "NO", None: "open"}
    return [label, mode, fmt + ("" if lag else " no-lag"), str(r["dfa_states"]),
            str(r["monoid_size"]), str(r["log2_states"]), str(r["levels"]),
            f"{r['layers']} [{r['layers_saved_by_merging']}]", str(r["state_dims"]), bits,
            str(r["mlp_units"]), str(s["nonzero_weights"]), f"{t1 - t0:.2f}", f"{t2 - t1:.2f}",
            verdict[cert.holds]]


def table(title: str, rows: Iterable[list[str]]) -> None:
    print(f"\n{title}\n", flush=True)
    print(" | ".join(HEADER))
    print(" | ".join(["---"] * len(HEADER)), flush=True)
    for cells in rows:
        print(" | ".join(cells), flush=True)


def zoo_dfa(name: str) -> DFA:
    for ext in ("json", "toml"):
        try:
            lang = spec.to_language(spec.load(f"automata/{name}.{ext}"))
        except Exception:  # noqa: BLE001 - try the other extension
            continue
        return dfa_.minimize(lang if isinstance(lang, DFA) else dfa_.from_language(lang))
    raise SystemExit(f"automata/{name}: no spec file (run from the project folder)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20, 30])
    parser.add_argument("--letters", type=int, nargs="+", default=[2, 3])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--dyck", type=int, default=12, help="largest m of D_m")
    parser.add_argument("--no-lag-dyck", type=int, default=8,
                        help="largest m of D_m for the no-lag rows (bfloat16)")
    parser.add_argument("--zoo", action="store_true", help="also every star-free spec file")
    parser.add_argument("--zoo-specs", nargs="+", choices=ZOO, default=ZOO,
                        help="which spec files --zoo runs")
    parser.add_argument("--max-configurations", type=int, default=1_000_000)
    args = parser.parse_args()
    budget = args.max_configurations
    randoms = [(n, k, s) for n in args.sizes for k in args.letters for s in range(args.seeds)]
    randoms.append((5, 4, 152))  # a DFA whose levels 3 and 4 share a layer
    table(f"Random minimal aperiodic DFAs (seeds 0..{args.seeds - 1}, and one whose levels "
          "merge), recognition, lag view", (
              row(f"random n={n} k={k} seed={s}", random_aperiodic_dfa(s, n, k),
                  mode="recognize", lag=True, fmt="exact", budget=budget)
              for n, k, s in randoms))
    ms = [m for m in (1, 2, 4, 6, 8, 10, 12) if m <= args.dyck]
    table("Depth-bounded Dyck D_m = (a D_{m-1} b)*, lag view, exact", (
        row(f"D_{m}", dyck_depth(m), mode=mode, lag=True, fmt="exact", budget=budget)
        for m in ms for mode in ("recognize", "predict")))
    table("D_m without the lag view (echo layers, λ = 2^-75), bfloat16", (
        row(f"D_{m}", dyck_depth(m), mode="recognize", lag=False, fmt="bfloat16", budget=budget)
        for m in ms if m <= args.no_lag_dyck))
    if args.zoo:
        table("Star-free specs of automata/ (the DFA route), lag view, exact", (
            row(name, zoo_dfa(name), mode=mode, lag=True, fmt="exact", budget=budget)
            for name in args.zoo_specs for mode in ("recognize", "predict")))


if __name__ == "__main__":
    main()
