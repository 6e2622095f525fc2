"""DFA minimisation: Hopcroft with touched-block bookkeeping (``lang.dfa.minimize``) against the
previous version, which scanned every block for every splitter (quadratic in the number of
blocks), side by side in one run.

Rows: the bounded Dyck DFAs from the zoo (``dyck:8,4``: 4,682 states; ``dyck:4,6``: 5,462) and a
2,048-state DFA ("the 11th symbol from the end is a", built by the regex route). Times are CPU
seconds, excluding building the input DFA: "new" is the whole ``minimize`` (trim, refinement,
quotient, reordering), "old" the old refinement alone, so the ratio understates the gain.

Run: ``python benchmarks/minimize.py [--dyck K,H ...] [--kth-last K]`` (defaults: ``8,4 4,6``
and 11, the rows above; small sizes are a quick run).
"""

from __future__ import annotations

import argparse
import time

from ssmproof.lang import dfa as dfa_
from ssmproof.lang import regex, zoo
from ssmproof.lang.automaton import DFA


def old_hopcroft(dfa: DFA) -> list[int]:
    """The previous ``_hopcroft``, kept verbatim for this comparison: every split scans all
    blocks (O(blocks) per splitter and symbol)."""
    n = len(dfa.states)
    pred: list[list[list[int]]] = [[[] for _ in range(n)] for _ in dfa.alphabet]
    for q, row in enumerate(dfa.delta):
        for a, t in enumerate(row):
            pred[a][t].append(q)
    blocks = [b for b in (set(dfa.accepting), set(range(n)) - set(dfa.accepting)) if b]
    waiting = {min(range(len(blocks)), key=lambda i: len(blocks[i]))}
    while waiting:
        splitter = set(blocks[waiting.pop()])
        for a in range(len(dfa.alphabet)):
            incoming = {q for t in splitter for q in pred[a][t]}
            for i in range(len(blocks)):
                inside = blocks[i] & incoming
                if not inside or len(inside) == len(blocks[i]):
                    continue
                outside = blocks[i] - inside
                blocks[i] = inside
                blocks.append(outside)
                j = len(blocks) - 1
                if i in waiting:
                    waiting.add(j)
                else:
                    waiting.add(i if len(inside) <= len(outside) else j)
    out = [0] * n
    for i, b in enumerate(blocks):
        for q in b:
            out[q] = i
    return out


def cpu(fn):  # noqa: ANN001, ANN201
    t0 = time.process_time()
    out = fn()
    return out, time.process_time() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dyck", nargs="+", default=["8,4", "4,6"], help="K,H of dyck:K,H")
    parser.add_argument("--kth-last", type=int, default=11,
                        help='"the k-th symbol from the end is a" (2^k states)')
    args = parser.parse_args()
    k = args.kth_last
    cases = [(f"dyck:{kh}", dfa_.from_language(zoo.language(f"dyck:{kh}"))) for kh in args.dyck]
    cases.append((f"{k}th_last_a", regex.to_dfa("(a|b)*a" + "(a|b)" * (k - 1), ("a", "b"))))
    print(f"{'language':<12} {'states':>7} {'minimal':>7} {'new (s)':>8} {'old (s)':>8} {'ratio':>7}")
    for name, d in cases:
        m, t_new = cpu(lambda: dfa_.minimize(d))
        live = dfa_.trim(d)
        blocks, t_old = cpu(lambda: old_hopcroft(live))
        assert len(set(blocks)) == len(m.states), "old and new disagree"
        print(f"{name:<12} {len(d.states):>7,} {len(m.states):>7,} {t_new:>8.2f} {t_old:>8.2f} "
              f"{t_old / max(t_new, 1e-9):>6.1f}×", flush=True)


if __name__ == "__main__":
    main()
