"""Where the counter constructions (Theorem 5) stop being exact under finite formats.

In exact arithmetic a gate-1 counter is exact at every length; in a finite format it saturates
(fixed point) or stops counting when ``c + 1`` rounds back to ``c`` (floats: bfloat16 at 256,
float16 at 2048). This script measures, for each counter language and format, the first length
at which the compiled predictive construction errs, two ways:

- **shortest** — breadth-first search over every prefix of the language up to the family's
  failing length, paired with the SSM's configurations (``ssmproof.verify.explore.exhaustive``
  run against the language's own step function): the shortest failing prefix, exactly; skipped
  when it would pass a work budget;
- **family** — along the deepest natural family (``(ⁿ)ⁿ``, ``aⁿbⁿ…``, the highest-arity
  operator n times then operands): the smallest n whose word has a wrong prediction, found by
  doubling and bisection, with n − 1 checked to pass; the length of the first failing prefix.

Run: ``python benchmarks/counters_precision.py [--output docs/counters-precision.md]
[--languages dyck1 ...] [--formats fixed:4.0 ...]`` (default: every language and format below;
a subset is a quick run, written elsewhere than the docs page).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from ssmproof import atomic
from ssmproof.compiler.compiling import compile_language
from ssmproof.lang import spec
from ssmproof.lang.automaton import allowed_next
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.verify import explore
from ssmproof.verify.outcome import Fails

FORMATS = ["fixed:4.0", "fixed:6.0", "fixed:8.0", "fixed:8.4", "fixed:10.0", "fixed:12.0",
           "bfloat16", "float16"]
BFS_BUDGET = 300_000  # SSM steps a shortest-failure search may take
BFS_MAX_LENGTH = 100  # longer failures: the family column only (the search grows ~ length³)


def _brackets(n: int) -> tuple[str, ...]:
    return ("(",) * n + (")",) * n


def _letters(letters: str) -> Callable[[int], tuple[str, ...]]:
    return lambda n: tuple(c for c in letters for _ in range(n))


def _boolean(ops: str) -> Callable[[int], tuple[str, ...]]:
    top = ops[-1]  # the highest arity: pending grows by arity − 1 per operator
    return lambda n: (top,) * n + ("0",) * (n * (len(ops) - 1) + 1)


LANGUAGES: dict[str, Callable[[int], tuple[str, ...]]] = {
    "dyck1": _brackets, "shuffle:2": _brackets, "boolean:3": _boolean("~+>"),
    "boolean:5": _boolean("~+>*^"), "anbn": _letters("ab"), "anbncn": _letters("abc"),
    "anbncndn": _letters("abcd"),
}


def first_error(machine: Machine, lang: object, word: tuple[str, ...]) -> int | None:
    """Length of the first prefix of ``word`` with a wrong prediction (None if none)."""
    index = {s: i for i, s in enumerate(lang.alphabet)}  # type: ignore[attr-defined]
    config, q = machine.start(), lang.initial()  # type: ignore[attr-defined]
    for t in range(len(word) + 1):
        if t:
            q = lang.step(q, index[word[t - 1]])  # type: ignore[attr-defined]
        try:
            config, decision = machine.step(config, index[word[t - 1]] + 1 if t else 0)
        except NonFiniteValue:
            return t
        if decision != allowed_next(lang, q):  # type: ignore[arg-type]
            return t
    return None


def family_failure(machine: Machine, lang: object, family: Callable[[int], tuple[str, ...]],
                   limit: int = 1 << 20) -> tuple[int, int] | None:
    """Smallest n whose family word errs (doubling, then bisection), and the failing length."""
    hi = 1
    while first_error(machine, lang, family(hi)) is None:
        hi *= 2
        if hi > limit:
            return None
    lo = hi // 2  # passes (or 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if first_error(machine, lang, family(mid)) is None:
            lo = mid
        else:
            hi = mid
    at = first_error(machine, lang, family(hi))
    assert at is not None and (hi == 1 or first_error(machine, lang, family(hi - 1)) is None)
    return hi, at


class _Budget(Exception):
    pass


def shortest_failure(machine: Machine, lang: object, length: int) -> str:
    """Breadth-first over every prefix up to ``length`` (the family's failing length, so a
    failure is found), within a deterministic budget of SSM steps; only for short failures."""
    if length > BFS_MAX_LENGTH:
        return "not searched"
    step, taken = machine.step, [0]

    def counted(config, token):  # type: ignore[no-untyped-def]
        taken[0] += 1
        if taken[0] > BFS_BUDGET:
            raise _Budget
        return step(config, token)

    machine.step = counted  # type: ignore[method-assign]
    try:
        out = explore.exhaustive(machine, lang, Mode.PREDICT, length)  # type: ignore[arg-type]
    except _Budget:
        return "not searched (budget)"
    finally:
        del machine.step
    assert isinstance(out, Fails), out
    return str(len(out.counterexample))


def measure(name: str, fmt: str) -> tuple[str, str]:
    ssm = compile_language(name, mode="predict")
    lang = spec.to_language(spec.resolve(name))
    machine = Machine(ssm, parse(fmt))
    fam = family_failure(machine, lang, LANGUAGES[name])
    if fam is None:
        return "—", "none found"
    return shortest_failure(machine, lang, fam[1]), f"{fam[1]} (n = {fam[0]})"


HEADER = """# Counter constructions under finite formats

Generated by `python benchmarks/counters_precision.py`; do not edit by hand. The constructions are
`ssmproof compile NAME --mode predict` (PAPER §2 Theorem 5: gate-1 counters with inputs ±1, phase
flags). In exact arithmetic they are exact at every length (no finite-state proof exists — the
languages are not regular — so the verifier checks them up to a bound). Under a finite format the
counter stops being exact, and the first wrong prediction appears at the length given here.

- **shortest**: the shortest prefix of a word of the language after which some prediction is
  wrong, found by breadth-first search over all prefixes up to the family's failing length
  (`explore.exhaustive` against the language's own step function: exact and shortest). Run only
  where the family fails within {max_length} symbols (the search grows like length³ once a counter
  saturates, because its value and the language state part ways); "not searched (budget)" when
  it needed more than {budget:,} SSM steps.
- **family**: the first failing prefix along the deepest family — `(ⁿ)ⁿ` for dyck1 and shuffle:2,
  `aⁿbⁿ…` for the counting languages, the highest-arity operator n times then operands for
  boolean:N — with the smallest failing n (n − 1 checked to pass).

Reading the table: fixed:I.P saturates at 2^(I−1) − 2^(−P), so a counter is exact up to about
2^(I−1) and the failing length doubles with each integer bit; fractional bits do not help.
bfloat16 (8 significand bits) stops counting at 256 (256 + 1 rounds to 256), float16 (11 bits)
at 2048: the failing length grows as 2^(significand bits), independently of the exponent range.
For boolean:N a counter grows by N − 1 per operator, so it fails after fewer symbols.
Not run: float32 and float64, where the same rounding stops a counter at 2^24 and 2^53, so the
first failure would lie near 2^25 and 2^54 symbols — an extrapolation, not a measurement.

| language | format | shortest failing prefix | family: first failing prefix (n) |
| --- | --- | --- | --- |
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output", default="docs/counters-precision.md")
    p.add_argument("--languages", nargs="+", choices=list(LANGUAGES), default=list(LANGUAGES))
    p.add_argument("--formats", nargs="+", choices=FORMATS, default=FORMATS)
    args = p.parse_args()
    lines = []
    for name in args.languages:
        for fmt in args.formats:
            t0 = time.perf_counter()
            short, fam = measure(name, fmt)
            lines.append(f"| {name} | {fmt} | {short} | {fam} |")
            print(lines[-1], f"({time.perf_counter() - t0:.1f} s)", flush=True)
    header = HEADER.format(budget=BFS_BUDGET, max_length=BFS_MAX_LENGTH)
    atomic.write_text(args.output, header + "\n".join(lines) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
