"""Exhaustive verification speed: naive per-string loop vs prefix sharing vs sharing + merging.

The SSM is ``ssmproof.examples.kth_last_is_a(7)`` ("the 7th symbol from the end is a", six
position-wise layers chained through the lag view): 64 reachable configurations; its minimal DFA
has 128 states. All strings over {a, b} up to length N (default 20: 2^21 - 1 strings) are checked.
Every ratio is measured in this one run, side by side. Prove speed is reported on the same model
and on the bounded Dyck-1 recognizer under bfloat16 and float16 (finite formats make its counter
finite).

Run: ``python benchmarks/verify_speed.py [--length N] [--sample S]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from ssmproof import examples
from ssmproof.lang import dfa as dfa_ops
from ssmproof.lang import regex, zoo
from ssmproof.lang.automaton import DFA
from ssmproof.numerics.formats import parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.verify import explore, reference
from ssmproof.verify.outcome import Holds


def kth_last_dfa(k: int) -> DFA:
    """"The k-th symbol from the end is a", through the project's regex route."""
    return regex.to_dfa("(a|b)*a" + "(a|b)" * (k - 1), ("a", "b"), name=f"kth_last_{k}")


def dyck_dfa(h: int) -> DFA:
    """Dyck-1 of depth at most h: the zoo's language as a DFA."""
    return dfa_ops.from_language(zoo.dyck(k=1, h=h))


def naive_rate(machine: Machine, lang: DFA, n: int, sample: int, seed: int = 0) -> float:
    """Strings per second when every string is run from scratch (sampled, weighted by length)."""
    rng = np.random.default_rng(seed)
    weights = np.array([2.0**k for k in range(n + 1)])
    lengths = rng.choice(n + 1, size=sample, p=weights / weights.sum())
    words = [tuple("ab"[b] for b in rng.integers(0, 2, size=k)) for k in lengths]
    t0 = time.perf_counter()
    for w in words:
        config = machine.start()
        q = lang.start
        for t in range(len(w) + 1):  # check every position, as exhaustive does
            if t:
                q = lang.delta[q][lang.alphabet.index(w[t - 1])]
            config, d = machine.step(config, 0 if t == 0 else (1 if w[t - 1] == "a" else 2))
        assert d[-1] == (q in lang.accepting)
    return sample / (time.perf_counter() - t0)


def timed(fn):  # noqa: ANN001, ANN201
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--length", type=int, default=20)
    ap.add_argument("--sample", type=int, default=3000)
    args = ap.parse_args()
    n, total = args.length, 2 ** (args.length + 1) - 1
    ssm, dfa = examples.kth_last_is_a(7), kth_last_dfa(7)
    print(f"model: {ssm.name} (hand-written, {len(ssm.layers)} layers), language: {dfa.name} "
          f"({len(dfa.states)} DFA states), all {total:,} strings up to length {n}")
    print(f"{'format':10} {'method':26} {'strings/s':>14} {'vs naive':>10} {'seconds':>9}")
    for fmt in ("exact", "bfloat16"):
        machine = Machine(ssm, parse(fmt))
        naive = naive_rate(machine, dfa, n, args.sample)
        print(f"{fmt:10} {'naive per-string loop':26} {naive:14,.0f} {1.0:10.1f} "
              f"{total / naive:9.1f} (scaled from {args.sample} sampled strings)")
        runs = (("prefix sharing", lambda: reference.exhaustive(
                    machine, dfa, Mode.RECOGNIZE, n, merge=False)),
                ("prefix sharing + merging", lambda: explore.exhaustive(
                    machine, dfa, Mode.RECOGNIZE, n)))
        for label, run in runs:
            out, secs = timed(run)
            assert isinstance(out, Holds) and out.coverage.strings == total, out
            rate = total / secs
            print(f"{fmt:10} {label:26} {rate:14,.0f} {rate / naive:10.1f} {secs:9.2f}")
    print()
    print(f"{'prove':42} {'configs':>8} {'edges':>8} {'configs/s':>10} {'edges/s':>10}")
    cases = [(ssm, dfa, "exact"), (ssm, dfa, "bfloat16"),
             (examples.dyck1_bounded(2), dyck_dfa(2), "bfloat16"),
             (examples.dyck1_bounded(2), dyck_dfa(2), "float16")]
    for model, lang, fmt in cases:
        machine = Machine(model, parse(fmt))
        out, secs = timed(lambda: explore.prove(machine, lang, Mode.RECOGNIZE))
        assert isinstance(out, Holds) and out.closed, out
        done = out.coverage
        print(f"{model.name + ' / ' + fmt:42} {done.configurations:8} {done.edges:8} "
              f"{done.configurations / secs:10,.0f} {done.edges / secs:10,.0f}")


if __name__ == "__main__":
    main()
