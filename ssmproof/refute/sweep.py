"""Refute many random nonnegative SSMs on every non-star-free zoo language, and tally the outcome.

The paper's claim is universal — *no* nonnegative-gated SSM recognizes a non-star-free language
in finite precision — so the toolkit is tested on SSMs nobody designed: random depths (1–3
layers), random rational gates in [0, 1] (1 and 0 drawn often: counters and resets), random ReLU
MLPs, lag views, recognizers and predictors, under small fixed-point formats and the IEEE
formats. :func:`sweep` runs :func:`~ssmproof.refute.stabilise.refute` on each and counts how
many ended with a (re-checked) word and why the others did not. ``benchmarks/refute_random.py``
prints the tally for 200+ cases; a CI-sized sample runs in the test suite.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ssmproof.refute.report import Status
from ssmproof.refute.stabilise import refute
from ssmproof.ssm.program import Mode

__all__ = ["Case", "Tally", "sweep", "sweep_right_on_short_words", "non_star_free_zoo", "FORMATS",
           "WIDE_FORMATS"]

FORMATS = ("fixed:6.3", "fixed:8.4", "fixed:10.2", "float16", "bfloat16")
"""Monotone finite formats in which every orbit settles within a modest block budget."""
WIDE_FORMATS = ("float32",)
"""Formats where a counter needs up to 2^24 blocks: refuted when a sound jump applies (the
counter's layer is the top one, or the layers above ignore it) or an invariant box (on a proved
power-of-two grid) forces the answer, else inconclusive at the budget."""


@lru_cache(maxsize=1)
def non_star_free_zoo() -> tuple[str, ...]:
    """Every zoo language (parameterless, and tomita:1..7) that ``classify`` finds not star-free.

    Examples
    --------
    >>> non_star_free_zoo()
    ('parity', 'aa_star', 'aaaa_star', 'abab_star', 'tomita:3', 'tomita:5', 'tomita:6')
    """
    from ssmproof.lang import monoid, zoo

    names = [e["name"] for e in zoo.zoo_listing() if not e["parameters"] and e["regular"]]
    names += [f"tomita:{n}" for n in range(1, 8)]
    return tuple(n for n in names if monoid.classify(zoo.language(n)).star_free is False)


@dataclass(frozen=True, slots=True)
class Case:
    """One random SSM and what ``refute`` made of it."""

    index: int
    language: str
    format: str
    mode: str
    layers: int
    status: str
    n: int | None
    length: int | None
    recheck: str | None
    non_finite: bool
    reason: str | None
    seconds: float

    @property
    def rechecked(self) -> bool:
        return bool(self.recheck) and self.recheck.endswith("agree")  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class Tally:
    """All cases of a sweep and their counts."""

    cases: tuple[Case, ...]

    @property
    def found(self) -> int:
        return sum(c.status == Status.FOUND.value for c in self.cases)

    @property
    def conclusive_rate(self) -> float:
        return self.found / len(self.cases) if self.cases else 1.0

    def counts(self) -> Counter[tuple[str, str]]:
        return Counter((c.format, c.status) for c in self.cases)

    def text(self) -> str:
        """The tally as a readable table (per format, then the inconclusive cases and why)."""
        fmts = sorted({c.format for c in self.cases}, key=lambda f: (f[0], len(f), f))
        lines = [f"{'format':<12}{'cases':>6}{'found':>7}{'re-run':>8}{'too long':>10}"
                 f"{'overflow':>10}{'not stab.':>11}{'other':>7}{'max n':>22}"]
        for f in fmts:
            cs = [c for c in self.cases if c.format == f]
            found = [c for c in cs if c.status == Status.FOUND.value]
            ns = [c.n for c in found if c.n is not None]
            lines.append(
                f"{f:<12}{len(cs):>6}{len(found):>7}{sum(c.rechecked for c in found):>8}"
                f"{sum((c.recheck or '').startswith('not re-run') for c in found):>10}"
                f"{sum(c.non_finite for c in found):>10}"
                f"{sum(c.status == Status.NOT_STABILISED.value for c in cs):>11}"
                f"{sum(c.status == Status.NOT_APPLICABLE.value for c in cs):>7}"
                f"{max(ns, default=0):>22,}")
        total = len(self.cases)
        rate = 100 * self.conclusive_rate
        lines.append(f"total: {self.found}/{total} conclusive ({rate:.1f} %), "
                     f"{sum(c.rechecked for c in self.cases)} re-checked by an independent run, "
                     f"{sum(c.seconds for c in self.cases):.1f} s")
        lines += [f"  inconclusive #{c.index} {c.language} {c.format} {c.mode} "
                  f"{c.layers} layer(s): {c.reason}"
                  for c in self.cases if c.status != Status.FOUND.value]
        return "\n".join(lines)


def sweep(count: int, *, seed: int = 0, formats: Sequence[str] = FORMATS,
          languages: Sequence[str] | None = None, block_budget: int = 20_000,
          predict_share: float = 0.25, replay_limit: int = 2_000_000,
          scan: int | None = None) -> Tally:
    """Refute ``count`` random nonnegative SSMs, cycling through the non-star-free languages.

    Case i draws everything from ``numpy.random.default_rng([seed, i])``, so any single case
    can be reproduced on its own. ``scan`` is passed to :func:`refute` (``0``: the argument
    alone, no direct run of the short words first); default refute's own.

    Examples
    --------
    >>> t = sweep(2, formats=("bfloat16",))
    >>> [(c.language, c.status) for c in t.cases]
    [('parity', 'found'), ('aa_star', 'found')]
    """
    from ssmproof.lang import zoo
    from ssmproof.testing.random_ssm import random_ssm

    names = tuple(languages) if languages is not None else non_star_free_zoo()
    cases = []
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        name = names[i % len(names)]
        lang = zoo.language(name)
        fmt = formats[int(rng.integers(len(formats)))]
        mode = Mode.PREDICT if rng.random() < predict_share else Mode.RECOGNIZE
        ssm = random_ssm(rng, lang.alphabet, layers=(1, 3), width=(1, 2),
                         lag=bool(rng.random() < 0.5), mlp=bool(rng.random() < 0.8), mode=mode)
        t0 = time.perf_counter()
        r = refute(ssm, lang, fmt=fmt, block_budget=block_budget, replay_limit=replay_limit,
                   **({} if scan is None else {"scan": scan}))
        cases.append(Case(i, name, fmt, mode.value, len(ssm.layers), r.status.value, r.n,
                          r.length, r.recheck, r.non_finite is not None, r.reason,
                          round(time.perf_counter() - t0, 3)))
    return Tally(tuple(cases))


def sweep_right_on_short_words(count: int, *, seed: int = 0,
                               formats: Sequence[str] = ("float32", "bfloat16"),
                               languages: Sequence[str] | None = None,
                               block_budget: int = 20_000, scan: int = 0,
                               redraws: int = 20) -> Tally:
    """Refute ``count`` SSMs that answer u·wⁿ·v right for every n < 64 in their format.

    Each is :func:`ssmproof.testing.slow_counter.random_slow_counter` (a slow counter read
    through a ReLU sawtooth by a stateful layer), redrawn until it is right on every short word
    (at most ``redraws`` times; a case that never is counts as drawn anyway and says so in
    ``reason`` only if ``refute`` fails). Formats alternate with the case index. The direct scan
    cannot find anything below n = 64 on these, so ``scan`` defaults to 0: the argument alone.

    Examples
    --------
    >>> t = sweep_right_on_short_words(1, formats=("bfloat16",), block_budget=2000)
    >>> [(c.language, c.status, c.n > 63) for c in t.cases]
    [('parity', 'found', True)]
    """
    from ssmproof.lang import dfa as dfas, monoid, zoo  # start-up light: loaded on use
    from ssmproof.testing.slow_counter import (  # start-up light: loaded on use
        random_slow_counter, right_on_short_words)

    names = tuple(languages) if languages is not None else non_star_free_zoo()
    cases = []
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        name, fmt = names[i % len(names)], formats[i % len(formats)]
        dfa = dfas.from_language(zoo.language(name))
        wit = monoid.classify(dfa).witness
        assert wit is not None, f"{name} is not star-free, so it has a witness"
        witness = (wit.u, wit.w, wit.v, wit.period)
        for _ in range(redraws):
            ssm = random_slow_counter(rng, dfa, witness)
            if right_on_short_words(ssm, dfa, witness, fmt):
                break
        t0 = time.perf_counter()
        r = refute(ssm, dfa, fmt=fmt, block_budget=block_budget, scan=scan)
        cases.append(Case(i, name, fmt, Mode.RECOGNIZE.value, len(ssm.layers), r.status.value,
                          r.n, r.length, r.recheck, r.non_finite is not None, r.reason,
                          round(time.perf_counter() - t0, 3)))
    return Tally(tuple(cases))
