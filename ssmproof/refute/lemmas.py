"""The lemmas the impossibility argument rests on, checked by machine (DESIGN §5, PAPER §3).

(a) **Exact arithmetic, symbolically (sympy).** For h ↦ a·h + b: h_{n+1} − h_n = aⁿ(h_1 − h_0) —
    proved by induction (the base case and the inductive step each simplify to 0) — so with a ≥ 0
    every orbit is monotone (aⁿ ≥ 0). The closed form h_n = h_0 + (h_1 − h_0)·Σ_{k<n} aᵏ satisfies
    the recurrence; for 0 ≤ a < 1 it converges to b/(1 − a), for a = 1 it is h_0 + n·b (linear).
    Converging is not arriving: h ↦ h/2 + 1 from 0 never reaches 2, which is why ``refute`` needs
    a finite format unless the gates are in {0, 1}.

(b) **Finite precision, exhaustively.** For every ``fixed:I.P`` format with I + P up to a bound,
    every gate a ≥ 0 and input b of the format and every start h, the orbit of
    h ↦ rnd(rnd(a·h) + b) (DESIGN §3's rounding order: round the product, then the sum; saturate)
    is eventually constant. Reported per format: the worst number of steps before it is constant,
    and — the contrast — how many (a, b) with a < 0 have an orbit that never settles (a = −1,
    b = 0 gives the period-2 orbit h, −h, h, …).

:func:`check` runs both and returns a frozen :class:`LemmaReport`; ``ssmproof lemmas`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from ssmproof.numerics.formats import Format
from ssmproof.numerics.rounding import scaled

__all__ = ["SymbolicCheck", "FormatCheck", "LemmaReport", "symbolic_checks", "check_format",
           "fixed_formats", "check", "DEFAULT_MAX_BITS"]

DEFAULT_MAX_BITS = 8
"""Largest I + P checked by default (every fixed:I.P with I ≥ 1, P ≥ 0, I + P ≤ 8: 36 formats)."""


@dataclass(frozen=True, slots=True)
class SymbolicCheck:
    """One sympy computation: what was shown, the expression that had to vanish, and its value."""

    claim: str
    expression: str
    result: str
    holds: bool

    def to_dict(self) -> dict[str, object]:
        return {"claim": self.claim, "expression": self.expression, "result": self.result,
                "holds": self.holds}


@dataclass(frozen=True, slots=True)
class FormatCheck:
    """Lemma (b) on one format.

    Attributes
    ----------
    format : str
    values : int
        Number of values of the format (2^(I+P)).
    orbits : int
        Orbits checked: (gates a ≥ 0) × (inputs b) × (starts h).
    all_constant : bool
        Every one of them is eventually constant.
    worst_steps : int
        The most steps any orbit took before it was constant.
    worst : tuple of str
        (a, b, h) of one orbit taking ``worst_steps``.
    negative_pairs, negative_unsettled : int
        (a, b) pairs with a < 0, and how many of them have some orbit that never settles.
    contrast : tuple of str
        The orbit of h = 2^-P under a = −1, b = 0 (first four values), when −1 is a value.
    """

    format: str
    values: int
    orbits: int
    all_constant: bool
    worst_steps: int
    worst: tuple[str, str, str]
    negative_pairs: int
    negative_unsettled: int
    contrast: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"format": self.format, "values": self.values, "orbits": self.orbits,
                "all_constant": self.all_constant, "worst_steps": self.worst_steps,
                "worst": list(self.worst), "negative_pairs": self.negative_pairs,
                "negative_unsettled": self.negative_unsettled, "contrast": list(self.contrast)}


@dataclass(frozen=True, slots=True)
class LemmaReport:
    """Both lemmas; ``holds`` is True when every check passed."""

    symbolic: tuple[SymbolicCheck, ...]
    formats: tuple[FormatCheck, ...]
    max_bits: int

    @property
    def holds(self) -> bool:
        return all(c.holds for c in self.symbolic) and all(f.all_constant for f in self.formats)

    def to_dict(self) -> dict[str, object]:
        return {"holds": self.holds, "max_bits": self.max_bits,
                "symbolic": [c.to_dict() for c in self.symbolic],
                "formats": [f.to_dict() for f in self.formats]}

    def text(self) -> str:
        """The readable report of ``ssmproof lemmas``."""
        lines = ["Lemma (a): exact arithmetic, h ↦ a·h + b (sympy)"]
        lines += [f"  [{'ok' if c.holds else 'FAILED'}] {c.claim}\n        {c.expression} = "
                  f"{c.result}" for c in self.symbolic]
        lines += ["", f"Lemma (b): every fixed:I.P with I + P ≤ {self.max_bits}, every a ≥ 0, "
                  "b, h: h ↦ rnd(rnd(a·h) + b) is eventually constant",
                  f"  {'format':<12}{'values':>7}{'orbits':>12}  {'constant':<9}"
                  f"{'worst':>6}  {'worst (a, b, h)':<26}{'a<0 unsettled':>16}"]
        for f in self.formats:
            lines.append(f"  {f.format:<12}{f.values:>7}{f.orbits:>12,}  "
                         f"{'yes' if f.all_constant else 'NO':<9}{f.worst_steps:>6}  "
                         f"{'(' + ', '.join(f.worst) + ')':<26}"
                         f"{f.negative_unsettled:>7} / {f.negative_pairs:<6}")
        total = sum(f.orbits for f in self.formats)
        lines += ["", f"  {len(self.formats)} formats, {total:,} orbits with a ≥ 0: "
                  + ("all eventually constant" if self.holds else "SOME NOT CONSTANT")]
        shown = next((f for f in reversed(self.formats) if f.contrast), None)
        if shown is not None:
            lines.append(f"  contrast, {shown.format}, a = −1, b = 0: "
                         f"{' → '.join(shown.contrast)} → … (period 2)")
        return "\n".join(lines)


# ------------------------------------------------------------------------------ lemma (a)
@lru_cache(maxsize=1)
def symbolic_checks() -> tuple[SymbolicCheck, ...]:
    """Lemma (a) with sympy: induction for the differences, monotonicity, closed form, limits.

    Examples
    --------
    >>> all(c.holds for c in symbolic_checks())
    True
    """
    a, b, h0, hn, hn1 = sp.symbols("a b h_0 h_n h_{n+1}", real=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    h1 = a * h0 + b
    checks = []

    def vanish(claim: str, expr: sp.Expr) -> None:
        value = sp.simplify(expr)
        checks.append(SymbolicCheck(claim, sp.sstr(expr), sp.sstr(value), value == 0))

    vanish("base case n = 0: h_1 − h_0 = a⁰·(h_1 − h_0)", (h1 - h0) - a**0 * (h1 - h0))
    step = ((a * hn1 + b) - (a * hn + b)).subs(hn1, hn + a**n * (h1 - h0))
    vanish("inductive step: if h_{n+1} − h_n = aⁿ(h_1 − h_0) then h_{n+2} − h_{n+1} = "
           "aⁿ⁺¹(h_1 − h_0)", step - a ** (n + 1) * (h1 - h0))
    nonneg = sp.Symbol("a", nonnegative=True)
    sign = (nonneg**n).is_nonnegative
    checks.append(SymbolicCheck("a ≥ 0 ⇒ aⁿ ≥ 0, so every difference has the sign of h_1 − h_0 "
                                "(the orbit is monotone)", "(a**n).is_nonnegative, a >= 0",
                                str(sign), sign is True))
    closed = h0 + (h1 - h0) * sp.summation(a**k, (k, 0, n - 1))
    vanish(f"closed form h_n = {sp.sstr(closed)} satisfies h_{{n+1}} = a·h_n + b",
           closed.subs(n, n + 1) - (a * closed + b))
    c = sp.Symbol("c", positive=True)  # a = 1/(1 + c) ranges over (0, 1)
    limit = sp.limit(closed.subs(a, 1 / (1 + c)).rewrite(sp.Piecewise), n, sp.oo)
    vanish("0 < a < 1 (a = 1/(1+c), c > 0): h_n → b/(1 − a), whatever h_0",
           limit - (b / (1 - a)).subs(a, 1 / (1 + c)))
    vanish("a = 1: h_n = h_0 + n·b (linear growth)", closed.subs(a, 1) - (h0 + n * b))
    vanish("a = 0: h_n = b for every n ≥ 1", closed.subs(a, 0).subs(n, n + 1) - b)
    half = [Fraction(0)]
    for _ in range(6):
        half.append(half[-1] / 2 + 1)
    checks.append(SymbolicCheck("converging is not arriving: h ↦ h/2 + 1 from 0 never reaches 2",
                                "h_n for n = 0..6", ", ".join(map(str, half)),
                                all(x != 2 for x in half)))
    return tuple(checks)


# ------------------------------------------------------------------------------ lemma (b)
def fixed_formats(max_bits: int) -> list[Format]:
    """Every ``fixed:I.P`` with I ≥ 1, P ≥ 0 and I + P ≤ ``max_bits``, smallest first.

    Examples
    --------
    >>> [str(f) for f in fixed_formats(2)]
    ['fixed:1.0', 'fixed:1.1', 'fixed:2.0']
    """
    return [Format.fixed(i, t - i) for t in range(1, max_bits + 1) for i in range(1, t + 1)]


def _rhe_shift(x: np.ndarray, p: int) -> np.ndarray:
    """Round x / 2^p to the nearest integer, ties to even (x integer array)."""
    if p == 0:
        return x
    q = x >> p
    r = x - (q << p)
    half = 1 << (p - 1)
    up = (r > half) | ((r == half) & (q & 1 == 1))
    return q + up


def _maps(fmt: Format, ka: int, grid: np.ndarray) -> np.ndarray:
    """f(h) = sat(sat(rhe(a·h)) + b) for every b (rows) and h (columns), as grid indices."""
    lo, hi = int(grid[0]), int(grid[-1])
    prod = np.clip(_rhe_shift(ka * grid, fmt.frac_bits), lo, hi)
    total = np.clip(grid[:, None] + prod[None, :], lo, hi)
    return total - lo


def _settle(f: np.ndarray, *, count: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Per (b, h): steps until the orbit of f[b] from h is constant, and whether it ever is.

    Binary lifting: the powers f^(2^j) by repeated squaring; "f^t(h) is a fixed point" is
    monotone in t (a fixed point stays fixed), so the last t at which it is not is found bit by
    bit. An orbit settles iff f^(2^J)(h) is fixed for 2^J ≥ the number of values.
    """
    nh = f.shape[1]
    cols = np.arange(nh)
    fixed = f == cols[None, :]
    powers = [f]
    while (1 << (len(powers) - 1)) < nh:
        powers.append(np.take_along_axis(powers[-1], powers[-1], axis=1))
    settles = np.take_along_axis(fixed, powers[-1], axis=1)
    if not count:
        return settles, settles
    cur = np.broadcast_to(cols, f.shape).copy()
    t = np.zeros(f.shape, dtype=np.int64)
    for j in range(len(powers) - 1, -1, -1):
        cand = np.take_along_axis(powers[j], cur, axis=1)
        move = ~np.take_along_axis(fixed, cand, axis=1)
        cur = np.where(move, cand, cur)
        t += move.astype(np.int64) << j
    steps = np.where(fixed, 0, t + 1)
    return np.where(settles, steps, -1), settles


def check_format(fmt: Format) -> FormatCheck:
    """Lemma (b) on one fixed-point format: every orbit with a ≥ 0; the a < 0 contrast.

    Examples
    --------
    >>> c = check_format(Format.fixed(3, 1))
    >>> c.values, c.orbits, c.all_constant, c.worst_steps, c.negative_unsettled > 0
    (16, 2048, True, 15, True)
    """
    lo = -(1 << (fmt.int_bits + fmt.frac_bits - 1))
    grid = np.arange(lo, -lo, dtype=np.int64)
    worst, ok, orbits = -1, True, 0
    where: tuple[str, str, str] = ("", "", "")
    neg_pairs = neg_bad = 0
    for ka in grid.tolist():
        if ka < 0:
            _, settles = _settle(_maps(fmt, ka, grid), count=False)
            neg_pairs += settles.shape[0]
            neg_bad += int(np.count_nonzero(~settles.all(axis=1)))
            continue
        steps, _ = _settle(_maps(fmt, ka, grid))
        orbits += steps.size
        ok = ok and bool((steps >= 0).all())
        top = int(steps.max())
        if top > worst:
            b, h = np.unravel_index(int(steps.argmax()), steps.shape)
            a_, b_, h_ = (str(scaled(int(x), -fmt.frac_bits)) for x in (ka, grid[b], grid[h]))
            worst, where = top, (a_, b_, h_)
    return FormatCheck(str(fmt), int(grid.size), orbits, ok, worst, where, neg_pairs, neg_bad,
                       _contrast(fmt))


def _contrast(fmt: Format) -> tuple[str, ...]:
    if fmt.int_bits < 2:  # −1 is not a value of fixed:1.P
        return ()
    h, out = scaled(1, -fmt.frac_bits), []
    for _ in range(4):
        out.append(str(h))
        h = fmt.rnd(fmt.rnd(-1 * h) + 0)
    return tuple(out)


def check(*, max_bits: int = DEFAULT_MAX_BITS) -> LemmaReport:
    """Run lemma (a) and lemma (b) over every fixed:I.P with I + P ≤ ``max_bits``.

    Notes
    -----
    Lemma (b) costs about 2·B·2^(3B) element operations for B = I + P (numpy gathers over all
    inputs and starts at once, binary lifting over the steps).

    References
    ----------
    Sarrof, Veitsman & Hahn 2024 (arXiv 2405.17394v2), proof of Theorem 2 (monotone orbits
    under finite precision).
    """
    formats = tuple(check_format(f) for f in fixed_formats(max_bits))
    return LemmaReport(symbolic_checks(), formats, max_bits)
