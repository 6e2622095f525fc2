"""An invariant box: every later block boundary's configuration, enclosed, and the answer it forces.

Why: a slow counter in a lower layer (a gate-1 channel that float32 only stops at ~2²⁴) read by
a higher layer keeps the whole configuration moving for millions of blocks, so waiting for it to
repeat (:mod:`ssmproof.refute.stabilise`) runs out of budget, and jumping the counter alone is
unsound while the readers above it move with it. The readers do not need to stop, though: the
answer only needs to stop changing.

The argument. Let c_k be the configuration at block boundary k of u·wⁿ·v and B a box (one
interval per state and lag value) with c_k ∈ B and F(B) ⊆ B, where F(B) is the interval
evaluation of one block of w (:func:`ssmproof.sim.interval.interval_block`: every operation on
end points; rounding, ReLU and the affine maps are monotone, products take their four corners,
so F(B) encloses the block's image of every configuration in B). By induction c_n ∈ B for every
n ≥ k. If, in addition, the interval evaluation of the last symbol of w from B (and of v's
prefixes from B) puts a readout's enclosure wholly above 0 or wholly at or below 0, that
decision is the same on u·wⁿ·v for every n ≥ k + 1. Membership of u·wⁿ·v is periodic with
period p ≥ 2, so some n among the next p is answered wrongly — a concrete, short word, which the
caller runs and re-checks. Nothing here assumes the orbits settle; nonnegative gates and monotone
rounding are what make such boxes exist (monotone orbits have one end fixed), not what makes
them sound.

Quanta. With ``tight``, B is a box *on a grid*: value i ranges over the multiples of 2^qᵢ in
[loᵢ, hiᵢ] (:mod:`ssmproof.refute.affine`'s quanta). qᵢ starts as c_k's own (so c_k ∈ B) and is
lowered to what the affine evaluation of F proves for the image until F(B) ⊆ B holds on the grid
too; the induction is the same. On the grid a rounding that is exact (a step of 1/4 on a float32
counter below 2^22) is charged nothing, which keeps a 64-tooth sawtooth read off the counter
from drowning its readout in rounding errors that never happen.

Finding B: start from the point c_k, take hulls with F(B) until nothing grows, and after a few
rounds widen a still-growing end to the format's largest finite value (a monotone counter's
orbit ends somewhere in there; a box that overflows is given up, never clipped). A channel whose
orbit end is known (:mod:`ssmproof.refute.orbit`) may start as [c, end] instead of a point,
which keeps the box tight above a counter that stops inside the range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.numerics.formats import FormatKind, NonFiniteValue
from ssmproof.numerics.rounding import Value
from ssmproof.refute import affine
from ssmproof.refute.affine import Quantum, quantum_of
from ssmproof.sim.interval import Interval, interval_block, interval_decisions, interval_step
from ssmproof.sim.machine import Config, Machine

__all__ = ["Box", "Invariant", "invariant_box", "box_decisions", "ROUNDS", "WIDEN_AFTER"]

Box = tuple[Interval, ...]
"""One closed interval per configuration value (Machine's order: states, then lag buffers)."""


@dataclass(frozen=True, slots=True)
class Invariant:
    """A box and its grid: value i ranges over the multiples of 2^quanta[i] in box[i]
    (``-inf``: every number in it); one block maps this set into itself."""

    box: Box
    quanta: tuple[Quantum, ...]

    def __post_init__(self) -> None:
        assert len(self.box) == len(self.quanta), "one quantum per value of the box"

    def contains(self, config: Sequence[object]) -> bool:
        """Whether a configuration lies in the set (on the grid, inside the box)."""
        return all(lo <= x <= hi and quantum_of(x) >= q  # type: ignore[operator, arg-type]
                   for x, (lo, hi), q in zip(config, self.box, self.quanta))

ROUNDS = 64
"""Hull rounds before giving up on an invariant box."""
WIDEN_AFTER = 6
"""Rounds of plain hulls before an end that keeps growing steadily is widened to the format's
range (a geometrically converging end is left to converge)."""


def invariant_box(machine: Machine, config: Config, tokens: Sequence[int], *,
                  start: Mapping[int, Interval] | None = None, rounds: int = ROUNDS,
                  widen_after: int = WIDEN_AFTER, tight: bool = False) -> Invariant | None:
    """A box (on a grid) containing ``config`` that one block of ``tokens`` maps into itself,
    or None.

    ``start`` gives intervals some values begin with (each must contain the value in
    ``config``). ``tight`` intersects each block's interval image with affine-form images over
    binade pieces of the box (slower; it keeps a ReLU sawtooth over a counter from blowing up)
    and proves quanta (the grid, see the module docstring); without it the grid is every number.
    None when no such box was found within ``rounds``, when its evaluation
    overflows, when a gate enclosure reaches below 0 (the argument is for nonnegative gates), or
    in exact arithmetic once a bound would have to be widened (no largest value to widen to).

    Examples
    --------
    A float16 counter (gate 1, input 1) from 0: its box is [0, 65504] (the counter stops at 2048,
    inside it).

    >>> from ssmproof.ssm.program import SSM, Layer, Mode, ONE, default_embedding, tok
    >>> count = Layer("L1", ("L1.c",), gate={"L1.c": {ONE: 1}}, input={"L1.c": {tok("1"): 1}},
    ...               export=("L1.c",))
    >>> ssm = SSM("count", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (count,),
    ...           accept={"L1.c": 1})
    >>> from ssmproof.numerics.formats import parse
    >>> m = Machine(ssm, parse("float16"))
    >>> [(int(lo), int(hi)) for lo, hi in invariant_box(m, (0,), [2]).box]
    [(0, 65504)]

    With ``tight``, the same box on a grid: the counter only ever holds integers.

    >>> invariant_box(m, (0,), [2], tight=True).quanta
    (0,)
    """
    box = [(x, x) for x in config]
    none_known: list[Quantum] = [-math.inf] * len(box)
    quanta = [quantum_of(x) for x in config] if tight else none_known
    finest = quantum_of(machine.fmt.min_positive) if not machine.exact else -math.inf
    for j, (lo, hi) in (start or {}).items():
        assert lo <= config[j] <= hi, "a start interval must contain the configuration"
        box[j] = (lo, hi)
    exact = machine.fmt.kind is FormatKind.EXACT
    ends = None if exact else (machine.fmt.min_value, machine.fmt.max_value)
    growth: list[Interval] = [(0, 0)] * len(box)
    tame: set[int] = set()  # values whose widening to the format's ends overflowed
    widened: tuple[list[Interval], set[int]] | None = None  # (box before, values widened)
    for r in range(rounds):
        try:
            out, least, image_quanta = _image(machine, box, tokens, quanta) if tight else \
                (*interval_block(machine, box, tokens), none_known)
        except NonFiniteValue:
            if not widened or not widened[1]:
                return None
            (box, undo), widened = widened, None
            tame |= undo
            continue
        if least is not None and least < 0:
            return None
        grown = _hull(box, out)
        lowered = [min(q, iq) for q, iq in zip(quanta, image_quanta)]
        if grown == box and lowered == quanta:
            return Invariant(tuple(box), tuple(quanta))
        if r >= widen_after:  # a quantum still falling goes to the format's finest at once
            lowered = [q if q == old else min(q, finest) for q, old in zip(lowered, quanta)]
        quanta = lowered
        steps = [(lo - glo, ghi - hi) for (lo, hi), (glo, ghi) in zip(box, grown)]
        if r >= widen_after:
            if exact:
                return None
            widened = (grown, set())
            grown = _widen(grown, steps, growth, ends, tame, widened[1])  # type: ignore[arg-type]
        box, growth = grown, steps
    return None


def _image(machine: Machine, box: Sequence[Interval], tokens: Sequence[int],
           quanta: Sequence[Quantum]) -> tuple[list[Interval], Value | None, list[Quantum]]:
    """One block's image of the box on its grid, enclosed several ways and intersected: by
    intervals (which also decide overflow: NonFiniteValue) and, for each wide value of the box,
    by affine forms over its binade pieces (:func:`cuts`), so that a rounding error is never
    charged at a larger magnitude than the piece's own; and the image's quanta (each cut proves
    some, the best are kept)."""
    enclosed, least = interval_block(machine, box, tokens)
    out = list(enclosed)
    if all(lo <= olo and ohi <= hi for (lo, hi), (olo, ohi) in zip(box, out)):
        # already invariant: nothing to tighten, only the grid to carry on
        return out, least, list(affine.affine_block(machine, box, tokens, quanta)[2])
    proved: list[Quantum] = [-math.inf] * len(box)
    for split in cuts(machine, box):
        images = [affine.affine_block(machine, piece, tokens, quanta) for piece in split]
        for i, (lo, hi) in enumerate(out):
            out[i] = (max(lo, min(im[0][i][0] for im in images)),  # type: ignore[index]
                      min(hi, max(im[0][i][1] for im in images)))
            proved[i] = max(proved[i], min(im[2][i] for im in images))
        leasts = [im[1] for im in images]
        if least is not None and None not in leasts:
            least = max(least, min(leasts))  # type: ignore[type-var]
    return out, least, proved


MAX_PIECES = 8
"""Pieces a wide value of a box is cut into for the affine evaluation."""
MAX_SPLITS = 2
"""Wide values (the widest first) that each get their own cut of the box."""


def cuts(machine: Machine, box: Sequence[Interval]) -> list[list[list[Interval]]]:
    """Ways to cover the box by pieces: for each of its first wide values (at most
    :data:`MAX_SPLITS`, in configuration order: lower layers' states first, as they drive the
    layers above), the box cut along that value at 0 and at powers of two (at most
    :data:`MAX_PIECES` pieces); always at least the box itself, uncut."""
    if machine.fmt.layout is None:
        return [[list(box)]]
    cut = [_cut(iv, MAX_PIECES) for iv in box]
    wide = [i for i in range(len(box)) if len(cut[i]) > 1]  # lower layers' states first
    out = [[[*box[:i], piece, *box[i + 1:]] for piece in cut[i]] for i in wide[:MAX_SPLITS]]
    return out or [[list(box)]]


def _cut(iv: Interval, most: int) -> list[Interval]:
    """[lo, hi] cut at 0 and at powers of two (the 40 binades below its largest magnitude).

    >>> [(int(lo), int(hi)) for lo, hi in _cut((3, 40), 8)]
    [(3, 4), (4, 8), (8, 16), (16, 32), (32, 40)]
    """
    lo, hi = Fraction(iv[0]), Fraction(iv[1])
    if lo == hi:
        return [(lo, hi)]
    points = {lo, hi}
    if lo < 0 < hi:
        points.add(Fraction(0))
    top = math.floor(math.log2(max(abs(lo), abs(hi))))
    points.update(Fraction(2) ** k * sign for k in range(top - 40, top + 2) for sign in (1, -1))
    inside = sorted(p for p in points if lo <= p <= hi)
    while len(inside) - 1 > most:  # merge: keep every other inner point
        inside = [inside[0], *inside[1:-1][1::2], inside[-1]]
    return list(zip(inside, inside[1:]))


def _hull(box: Sequence[Interval], out: Sequence[Interval]) -> list[Interval]:
    """``box ∪ out``, value by value."""
    return [(min(lo, olo), max(hi, ohi)) for (lo, hi), (olo, ohi) in zip(box, out)]


def _widen(box: list[Interval], steps: Sequence[Interval], before: Sequence[Interval],
           ends: Interval, tame: set[int], widened: set[int]) -> list[Interval]:
    """Speed the hulls up. An end that grew by more than half of what it grew the round before
    (a counter grows steadily) goes to the format's end, unless that overflowed before (``tame``);
    a tame or geometrically settling end jumps ahead by twice its extrapolated remaining growth.
    Any guess is safe: the box is only returned once one block maps it into itself."""
    out = []
    for i, ((lo, hi), (down, up), (down0, up0)) in enumerate(zip(box, steps, before)):
        if down > 0:
            lo = _ahead(lo, -down, -down0, ends[0], i in tame, i, widened)
        if up > 0:
            hi = _ahead(hi, up, up0, ends[1], i in tame, i, widened)
        out.append((lo, hi))
    return out


def _ahead(end: Value, step: Value, step0: Value, far: Value, tame: bool, i: int,
           widened: set[int]) -> Value:
    """One end moved ahead: to ``far``, or by twice the geometric tail of its steps."""
    if not tame and 2 * abs(step) > abs(step0):
        widened.add(i)
        return far
    if abs(step) < abs(step0):
        ratio = Fraction(step) / Fraction(step0)
        guess = end + 2 * step * ratio / (1 - ratio)
    else:
        guess = end + 8 * step
    if (guess - far) * step >= 0:
        return far
    # outward to a float64 next to it: the bounds stay short dyadic numbers, not huge fractions
    return Fraction(math.nextafter(float(guess), math.inf if step > 0 else -math.inf))


def box_decisions(machine: Machine, invariant: Invariant, w: Sequence[int], v: Sequence[int],
                  *, tight: bool = False) -> list[tuple[bool | None, ...]]:
    """Decisions forced by an invariant box: after a whole block (index 0), then after each
    symbol of v (index j), one entry per readout, ``None`` where the enclosure straddles 0.

    Index 0 holds for u·wⁿ with n ≥ k + 1 (the block starts in the box); index j ≥ 1 for
    u·wⁿ·v[:j] with n ≥ k (v starts in the box). A decision is forced when the interval
    evaluation forces it, or (``tight``) the affine-form evaluation forces it on every piece of
    one of the box's :func:`cuts` (on the invariant's grid).

    May raise :class:`~ssmproof.numerics.formats.NonFiniteValue` (from the interval evaluation).
    """
    box = invariant.box
    forced = _interval_decisions(machine, box, w, v)
    if not tight or all(d is not None for row in forced for d in row):
        return forced
    for split in cuts(machine, box):
        per_piece = [affine.affine_decisions(machine, piece, w, v, invariant.quanta)
                     for piece in split]
        forced = [tuple(d if d is not None else _agreed([p[j][r] for p in per_piece])
                        for r, d in enumerate(row)) for j, row in enumerate(forced)]
    return forced


def _agreed(values: Sequence[bool | None]) -> bool | None:
    return values[0] if values and None not in values and len(set(values)) == 1 else None


def _interval_decisions(machine: Machine, box: Box, w: Sequence[int], v: Sequence[int]
                        ) -> list[tuple[bool | None, ...]]:
    current: Sequence[Interval] = box
    for t in w[:-1]:
        current, _ = interval_step(machine, current, t)
    out = [interval_decisions(machine, current, w[-1])[1]]
    current = box
    for t in v:
        current, decided = interval_decisions(machine, current, t)
        out.append(decided)
    return out
