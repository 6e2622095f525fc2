"""Languages with groups: the cheapest construction per language, its size, and proof times.

Run: ``python benchmarks/groups.py > benchmarks/groups.out.txt`` (CPU seconds on a shared 2-core
machine). For each spec the table gives the gate class ``compile --gates auto`` picks, layers,
state dims (complex ones in parentheses) next to the minimal DFA's states, the reachable
configurations of the exact proof next to them (configurations ÷ states: the construction's
memory against the minimal DFA's; DESIGN §4 bounds bits ≥ log₂(live states) − 1 from below),
the exact proof time, and the first finite format
(of float32, bfloat16, float16, fixed:16.8) whose proof closes and holds within
:data:`FINITE_BUDGET` configurations. ``--specs NAME ...`` runs only those specs (a quick run).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from ssmproof.compiler.compiling import compile_language
from ssmproof.errors import CompileError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import spec as specs
from ssmproof.verify.api import verify

SPECS = ["parity", "tomita5", "aa_star", "tomita3", "abab_star", "aaaa_star", "tomita6",
         "count_a_mod3", "count_a_mod5", "a_even_b_mod3", "s3_word_problem", "a5_word_problem"]
FORMATS = ("float32", "bfloat16", "float16", "fixed:16.8")
FINITE_BUDGET = 2000  # configurations per finite-format proof (keeps the run to a few minutes)


def row(name: str, mode: str) -> str:
    path = f"automata/{name}.toml" if name in ("parity", "tomita5") else f"automata/{name}.json"
    lang = dfa_.minimize(dfa_.from_language(specs.to_language(specs.resolve(path))))
    t0 = time.process_time()
    try:
        ssm = compile_language(path, mode=mode)
    except CompileError as err:
        return (f"{name} | {mode} | refused: {str(err).split(':', 1)[1][:90].strip()}… | "
                f"{len(lang.states)} | | | | | | | |")
    t1 = time.process_time()
    cert = verify(ssm, lang, prove=True)
    t2 = time.process_time()
    complex_dims = (ssm.metadata.get("groups") or {}).get("complex_dims", 0)
    finite = "—"
    if ssm.metadata["gate_class"] == "complex":
        for fmt in FORMATS:
            c = verify(ssm, lang, fmt=fmt, prove=True, max_configurations=FINITE_BUDGET)
            if c.holds and c.all_lengths:
                finite = f"{fmt} ({c.configurations} configs)"
                break
        else:
            finite = f"none within {FINITE_BUDGET:,} configs"
    states = len(lang.states)
    return (f"{name} | {mode} | {ssm.metadata['gate_class']} ({ssm.metadata['recipe']}) | "
            f"{states} | {len(ssm.layers)} | {ssm.state_dims} ({complex_dims}) | "
            f"{cert.configurations} | {cert.configurations / states:.2f} | "
            f"{'HOLDS all lengths' if cert.holds and cert.all_lengths else cert.holds} | "
            f"{t1 - t0:.2f} | {t2 - t1:.2f} | {finite}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", nargs="+", choices=SPECS, default=SPECS)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {platform.python_version()}; load average at start {load:.1f} on "
          f"{os.cpu_count()} CPUs (a shared machine: times are CPU seconds)\n")
    print("language | mode | gates (recipe) | DFA states | layers | state dims (complex) | "
          "configurations | configs ÷ states | exact proof | compile s | prove s | "
          "finite format that closes")
    print(" | ".join(["---"] * 12))
    for name in args.specs:
        for mode in ("recognize", "predict"):
            print(row(name, mode), flush=True)
            if name == "a5_word_problem":
                break


if __name__ == "__main__":
    main()
