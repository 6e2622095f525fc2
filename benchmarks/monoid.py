"""Transition monoids at scale: ``classify`` (libsemigroups + vectorised enumeration) against the
old one-element-at-a-time BFS closure, side by side in one run.

The DFAs are uniform random complete DFAs drawn from a seed (``numpy.random.default_rng(seed)
.integers(0, n, (n, k))``, start 0, accepting {0}), chosen for the shape issue 12 reported (an
8-state 4-letter DFA with 183,398 elements, a 10-state one with 126,595). Those exact DFAs were
not published; seeds 145 and 121 give monoids of the same shape and size (183,458 and 123,312
elements). Each DFA is checked to be minimal, so its monoid is the syntactic monoid.

Columns: elements; ``classify`` wall time (minimise, libsemigroups' Konieczny for size and
groups, numpy enumeration for words, aperiodicity and the shortest witness); the group analysis
(``classify``'s gate verdict); the old BFS closure alone (no aperiodicity test, no witness); the
old ``classify`` + group analysis (``lang/monoid.py`` and ``lang/groups.py`` as of commit
c8a23b9, read from git, with its budget raised from 10⁵ to 10⁶ so that it answers at all), and
the ratio old / new of the whole ``classify`` command's work.

Run: ``python benchmarks/monoid.py [--big] [--cases N,K,SEED ...]`` (``--cases`` replaces the
two random DFAs, e.g. ``4,2,0`` for a quick run; ``--big`` adds the full transformation monoid of 8
states, 16,777,216 elements, classified exactly with a budget of 2·10⁷: measured once at 535 s
for ``classify`` and 205 s for the groups, 4.7 GB, on a loaded 2-core machine; seed column −1).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types

import numpy as np

from ssmproof.lang import dfa as dfa_
from ssmproof.lang import groups, monoid
from ssmproof.lang.automaton import DFA

CASES = [(8, 4, 145), (10, 2, 121)]


def full_transformation_dfa(n: int) -> DFA:
    """A cycle, a transposition and a merge generate all nⁿ maps (16,777,216 for n = 8)."""
    cycle, swap = [(q + 1) % n for q in range(n)], [1, 0, *range(2, n)]
    merge = [1, 1, *range(2, n)]
    return DFA(("a", "b", "c"), tuple(f"q{i}" for i in range(n)), 0, frozenset({0}),
               tuple((cycle[q], swap[q], merge[q]) for q in range(n)), name=f"full_T{n}")


def random_dfa(n: int, k: int, seed: int) -> DFA:
    delta = np.random.default_rng(seed).integers(0, n, (n, k))
    return DFA(tuple("abcd"[:k]), tuple(f"q{i}" for i in range(n)), 0, frozenset({0}),
               tuple(tuple(int(t) for t in row) for row in delta), name=f"random_{n}x{k}_s{seed}")


OLD = "c8a23b9"


def old_modules() -> tuple[types.ModuleType, types.ModuleType]:
    """``lang/monoid.py`` and ``lang/groups.py`` as they were before libsemigroups."""
    def load(name: str, path: str, **extra: object) -> types.ModuleType:
        text = subprocess.run(["git", "show", f"{OLD}:{path}"], capture_output=True, text=True,
                              check=True).stdout
        module = types.ModuleType(name)
        module.__dict__.update(extra)
        sys.modules[name] = module  # dataclasses look their module up
        exec(compile(text, f"{OLD}:{path}", "exec"), module.__dict__)  # our own code, from git
        return module

    old_monoid = load("old_monoid", "ssmproof/lang/monoid.py")
    old_monoid.MONOID_BUDGET = 10**6
    old_groups = load("old_groups", "ssmproof/lang/groups.py")
    old_groups.monoid_ = old_monoid
    return old_monoid, old_groups


def timed(fn):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def _verdict(analysis: object) -> dict:
    """A group analysis without its prose: the wording of ``explanation`` changed after
    c8a23b9 (e.g. "an odd prime divides an order"); every other field must agree."""
    return {k: v for k, v in analysis.to_dict().items() if k != "explanation"}  # type: ignore


def row(n: int, k: int, seed: int, *, budget: int, old: bool, d: DFA | None = None) -> str:
    d = d or random_dfa(n, k, seed)
    assert dfa_.is_minimal(d), f"seed {seed} does not give a minimal DFA"
    c, t_new = timed(lambda: monoid.classify(d, budget=budget))
    g, t_groups = timed(lambda: groups.analyse(d, budget=budget))
    line = (f"{n:>3} {k:>3} {seed:>5} {c.monoid_size:>11,} {str(c.star_free):>6} "
            f"{t_new:>9.2f} {t_groups:>8.2f} {g.gates:>16}")
    if not old:
        return line + f" {'—':>9} {'—':>10} {'—':>6}"
    (elements, _, _), t_bfs = timed(lambda: monoid.transition_monoid_bfs(d, budget=10**8))
    assert len(elements) == c.monoid_size
    old_monoid, old_groups = old_modules()
    old_c, t_old_c = timed(lambda: old_monoid.classify(d, budget=10**6))
    old_g, t_old_g = timed(lambda: old_groups.analyse(d, budget=10**6))
    assert old_c.to_json_dict() == c.to_json_dict() and _verdict(old_g) == _verdict(g)
    t_old = t_old_c + t_old_g
    return line + f" {t_bfs:>9.2f} {t_old:>10.2f} {t_old / (t_new + t_groups):>5.1f}×"


def case(text: str) -> tuple[int, int, int]:
    """``N,K,SEED`` on the command line."""
    try:
        n, k, seed = (int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give N,K,SEED (three integers)") from None
    return n, k, seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--cases", nargs="+", type=case, default=CASES,
                        help="random DFAs: states, letters (at most 4), seed")
    args = parser.parse_args()
    print(f"{'n':>3} {'k':>3} {'seed':>5} {'elements':>11} {'sfree':>6} {'classify':>9} "
          f"{'groups':>8} {'gates':>16} {'old BFS':>9} {'old total':>10} {'ratio':>6}   (seconds)")
    for n, k, seed in args.cases:
        print(row(n, k, seed, budget=monoid.MONOID_BUDGET, old=True), flush=True)
    if args.big:
        print(row(8, 3, -1, budget=20_000_000, old=False, d=full_transformation_dfa(8)),
              flush=True)


if __name__ == "__main__":
    main()
