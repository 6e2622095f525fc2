"""One channel's orbit over blocks: h ↦ g(h), g composing one block's h ↦ rnd(rnd(a·h) + b).

Once every layer below a channel's layer has settled, the channel sees the same gates and inputs
in every block (its view depends only on lower layers and the tokens), so its value at block
boundaries is the orbit of one fixed map g. With every a ≥ 0 and monotone rounding, g is
nondecreasing, so the orbit is monotone and, in a finite format, eventually constant (PAPER §3,
Lemma (b) in :mod:`ssmproof.refute.lemmas`). This module computes *when* it arrives, fast:

- exact arithmetic: g is affine, h ↦ A·h + B, and the orbit arrives only if A = 0 or h is
  already fixed (Lemma (a)); otherwise it grows linearly (A = 1), converges without arriving
  (0 < A < 1) or diverges (A > 1) — :func:`exact_orbit` says which;
- a finite format: plain iteration, except when every gate of the block is exactly 1 (a counter).
  Then, while every intermediate value stays inside one stretch of the format where the values
  are evenly spaced (one binade of a float, the whole range of a fixed-point format), rounding is
  "nearest multiple of the spacing, ties to the even multiple", so a block adds the same number
  of spacings each time (depending at most on the parity of h over the spacing, because of ties):
  :func:`finite_orbit` jumps over all those blocks at once. A float64 counter's 2⁵³ blocks cost a
  few thousand operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.numerics.formats import Format, FormatKind
from ssmproof.numerics.rounding import Value, normalise, round_half_even, scaled

__all__ = ["Step", "Orbit", "apply_block", "exact_orbit", "finite_orbit", "even_segment"]

Step = tuple[Value, Value]
"""(a, b): a rounded gate value and a rounded input value met at one position of the block."""

PLAIN_LIMIT = 200_000
"""Blocks :func:`finite_orbit` iterates one by one before giving up (jumps not counted)."""


@dataclass(frozen=True, slots=True)
class Orbit:
    """Where one channel's block orbit goes.

    ``arrives``: the orbit becomes constant, after ``blocks`` blocks, at ``fixed``. Otherwise
    ``detail`` says what it does instead (exact arithmetic), or ``blocks`` is ``None`` and the
    iteration limit was hit (a finite format, with gates other than 1).
    """

    arrives: bool
    blocks: int | None
    fixed: Value | None
    detail: str = ""


def apply_block(fmt: Format, steps: Sequence[Step], h: Value) -> Value:
    """g(h): the block's steps in the simulator's rounding order (DESIGN §3).

    Examples
    --------
    >>> from ssmproof.numerics.formats import parse
    >>> apply_block(parse("fixed:8.2"), [(Fraction(1, 2), 1)], 3)
    Fraction(5, 2)
    """
    if fmt.kind is FormatKind.EXACT:
        for a, b in steps:
            h = normalise(a * h + b)
        return h
    rnd = fmt.rnd
    for a, b in steps:
        h = rnd(rnd(a * h) + b)
    return h


def exact_orbit(steps: Sequence[Step], h0: Value) -> Orbit:
    """The orbit of the affine block map h ↦ A·h + B in exact arithmetic.

    Examples
    --------
    >>> exact_orbit([(0, 1), (1, 2)], 5)
    Orbit(arrives=True, blocks=1, fixed=3, detail='')
    >>> exact_orbit([(Fraction(1, 2), 1)], 0).detail
    'h ↦ 1/2·h + 1 converges to 2 without arriving'
    >>> exact_orbit([(1, 1)], 0).detail
    'h ↦ h + 1 grows by 1 every block'
    """
    big_a, big_b = Fraction(1), Fraction(0)
    for a, b in steps:
        big_a, big_b = a * big_a, a * big_b + b
    if big_a * h0 + big_b == h0:
        return Orbit(True, 0, normalise(Fraction(h0)))
    if big_a == 0:
        return Orbit(True, 1, normalise(big_b))
    if big_a == 1:
        return Orbit(False, None, None, f"h ↦ h + {normalise(big_b)} grows by "
                                        f"{normalise(big_b)} every block")
    limit = normalise(big_b / (1 - big_a))
    if big_a < 1:
        return Orbit(False, None, None, f"h ↦ {big_a}·h + {normalise(big_b)} converges to "
                                        f"{limit} without arriving")
    return Orbit(False, None, None, f"h ↦ {big_a}·h + {normalise(big_b)} moves away from "
                                    f"{limit} geometrically")


def finite_orbit(fmt: Format, steps: Sequence[Step], h0: Value, *,
                 limit: int = PLAIN_LIMIT) -> Orbit:
    """Iterate g from ``h0`` until it is constant, jumping over evenly spaced stretches.

    May raise :class:`~ssmproof.numerics.formats.NonFiniteValue` (a float overflow on the way).

    Examples
    --------
    A float16 counter (gate 1, input 1) stops where the spacing becomes 2: at 2048.

    >>> from ssmproof.numerics.formats import parse
    >>> finite_orbit(parse("float16"), [(1, 1)], 0)
    Orbit(arrives=True, blocks=2048, fixed=2048, detail='')
    >>> finite_orbit(parse("float64"), [(1, 1)], 0).blocks == 2**53
    True
    """
    unit = all(a == 1 for a, _ in steps)
    h, t, plain = h0, 0, 0
    while True:
        if unit:
            jumped = _unit_jump(fmt, steps, h)
            if jumped is not None:
                t, h = t + jumped[0], jumped[1]
                continue
        h2 = apply_block(fmt, steps, h)
        if h2 == h:
            return Orbit(True, t, h)
        h, t, plain = h2, t + 1, plain + 1
        if plain > limit:
            return Orbit(False, None, None, f"not constant after {limit} blocks of iteration")


def even_segment(fmt: Format, h: Value) -> tuple[Value, Value, int]:
    """An interval [lo, hi] ∋ h and q such that rnd(y) = 2^q·rhe(y / 2^q) for every y in it.

    rhe rounds to the nearest integer, ties to even: inside one binade of a float (and on the
    subnormals with the lowest binade) and on the whole range of a fixed-point format, the values
    are the multiples of one spacing 2^q and the even multiple is the even significand.

    Examples
    --------
    >>> from ssmproof.numerics.formats import parse
    >>> even_segment(parse("float16"), 3000)
    (2048, 4096, 1)
    >>> even_segment(parse("float16"), -3)
    (-4, -2, -9)
    >>> even_segment(parse("fixed:4.2"), 1)
    (-8, Fraction(31, 4), -2)
    """
    if fmt.kind is FormatKind.FIXED:
        return fmt.min_value, fmt.max_value, -fmt.frac_bits  # type: ignore[return-value]
    layout = fmt.layout
    assert layout is not None, f"{fmt} has no evenly spaced stretches"
    p = layout.precision
    mag = abs(Fraction(h))
    if mag < scaled(1, layout.emin + 1):
        edge = scaled(1, layout.emin + 1)
        return -edge, edge, layout.emin - p + 1
    e = mag.numerator.bit_length() - mag.denominator.bit_length()
    if Fraction(2) ** e > mag:
        e -= 1
    lo, hi = scaled(1, e), scaled(1, e + 1) if e < layout.emax else layout.max_value
    return (lo, hi, e - p + 1) if h > 0 else (-hi, -lo, e - p + 1)


def _unit_jump(fmt: Format, steps: Sequence[Step], h: Value) -> tuple[int, Value] | None:
    """Blocks skipped and the value reached, for a block whose gates are all 1; None if < 2."""
    lo, hi, q = even_segment(fmt, h)
    unit = Fraction(2) ** q
    betas = [Fraction(b) / unit for _, b in steps]
    k = int(Fraction(h) / unit)
    lo_k, hi_k = Fraction(lo) / unit, Fraction(hi) / unit
    period = _superstep(betas, k)
    if period is None:
        return None
    blocks, inc, mn, mx = period
    if inc == 0 or k + mn < lo_k or k + mx > hi_k:
        return None
    room = (hi_k - mx - k) // inc if inc > 0 else (k + mn - lo_k) // (-inc)
    count = int(room) + 1
    if count < 2:
        return None
    return count * blocks, scaled(k + count * inc, q)


def _block_units(betas: Sequence[Fraction], k: int) -> tuple[int, Fraction, Fraction]:
    """One block in units of the spacing: the end value and the range of exact intermediates."""
    mn = mx = Fraction(k)
    for beta in betas:
        y = k + beta
        k = round_half_even(y.numerator, y.denominator)
        mn, mx = min(mn, y, Fraction(k)), max(mx, y, Fraction(k))
    return k, mn, mx


def _superstep(betas: Sequence[Fraction], k: int) -> tuple[int, int, Fraction, Fraction] | None:
    """(blocks, increment, min offset, max offset) of a run of 1 or 2 blocks that returns to k's
    parity, so that it repeats identically while the values stay evenly spaced; None when the
    parity only settles after one more block (take a plain block first)."""
    k1, mn1, mx1 = _block_units(betas, k)
    if (k1 - k) % 2 == 0:
        return 1, k1 - k, mn1 - k, mx1 - k
    k2, mn2, mx2 = _block_units(betas, k1)
    if (k2 - k) % 2 == 0:
        return 2, k2 - k, min(mn1, mn2) - k, max(mx1, mx2) - k
    return None
