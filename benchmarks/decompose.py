"""Holonomy decomposition sizes and speed: random minimal aperiodic DFAs and the D_m family.

For each row: images (incl. Q), levels, tile states summed over levels (``*`` included), bits of
a binary code summed over levels, reset rules and distinct (symbol, condition) features, tile
chains (counted, never listed), reachable configurations, SSM layers after grouping independent
levels, and the times to decompose and to run ``check_cover``. Random rows are medians over
``--seeds`` DFAs from ``random_aperiodic_dfa`` (seeds 0, 1, ...), with the maximum in brackets
for the largest sizes.

Run: ``python benchmarks/decompose.py [--sizes 5 10 20 30] [--letters 2 3] [--seeds 10]
[--dyck 12]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from ssmproof.algebra import cascade_size, check_cover, decompose
from ssmproof.algebra.examples import dyck_depth
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.lang.automaton import DFA

COLUMNS = (
    "images",
    "levels",
    "tile_states",
    "total_bits",
    "reset_rules",
    "features",
    "tile_chains",
    "reachable",
    "layers",
    "decompose_ms",
    "check_ms",
)


def measure(dfa: DFA) -> dict[str, float]:
    """One DFA's row: size facts and timings (CPU time, so a busy machine does not skew it)."""
    t0 = time.process_time()
    cascade = decompose(dfa)
    t1 = time.process_time()
    reachable = check_cover(cascade, dfa)
    t2 = time.process_time()
    size = cascade_size(cascade, reachable=False)
    row = {name: getattr(size, name) for name in COLUMNS if hasattr(size, name)}
    row.update(
        features=len({(r.symbol, r.condition) for r in cascade.rules}),
        reachable=reachable,
        decompose_ms=1000 * (t1 - t0),
        check_ms=1000 * (t2 - t1),
    )
    return row


def show(label: str, rows: list[dict[str, float]], spread: bool) -> None:
    cells = []
    for name in COLUMNS:
        values = [r[name] for r in rows]
        mid = statistics.median(values)
        cell = f"{mid:.0f}" if name.endswith("_ms") or mid == int(mid) else f"{mid:.1f}"
        if spread:
            cell += f" [{max(values):.0f}]"
        cells.append(cell)
    print(" | ".join([label, *cells]))


def table(title: str, rows: list[tuple[str, Callable[[], list[DFA]], bool]]) -> None:
    print(f"\n{title}\n")
    print(" | ".join(["DFA", *COLUMNS]))
    print(" | ".join(["---"] * (len(COLUMNS) + 1)))
    for label, make, spread in rows:
        show(label, [measure(d) for d in make()], spread)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20, 30])
    parser.add_argument("--letters", type=int, nargs="+", default=[2, 3])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--dyck", type=int, default=12, help="largest m of D_m")
    args = parser.parse_args()
    random_rows = [
        (
            f"random n={n} k={k}",
            lambda n=n, k=k: [random_aperiodic_dfa(s, n, k) for s in range(args.seeds)],
            n == max(args.sizes),
        )
        for n in args.sizes
        for k in args.letters
    ]
    table(f"Random minimal aperiodic DFAs (median of {args.seeds} seeds)", random_rows)
    dyck_rows = [
        (f"D_{m} ({m + 2} states)", lambda m=m: [dyck_depth(m)], False)
        for m in (1, 2, 4, 6, 8, 10, 12)
        if m <= args.dyck
    ]
    table("Depth-bounded Dyck D_m = (a D_{m-1} b)*", dyck_rows)


if __name__ == "__main__":
    main()
