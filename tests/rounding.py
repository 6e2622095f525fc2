"""Helpers so that a test naming a finite format exercises that format's rounding (issue 11).

Integers of magnitude ≤ 2^p are values of every binary format, so a model whose every weight and
value is such an integer never rounds: its bfloat16 run cannot differ from its exact run, and a
test of it passes whatever the rounding does. :func:`readouts_that_round` rewrites readouts so
that rounding decides the verdict; :func:`break_rounding` installs a wrong rounding, which the
meta-tests use to show that the tests built on these helpers can fail.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np

from ssmproof.numerics import formats
from ssmproof.numerics.formats import Format, FormatKind
from ssmproof.sim import batched
from ssmproof.ssm.program import ONE, SSM

THIRD, SIXTH = Fraction(1, 3), Fraction(1, 6)


def _rounding_row(row):
    out = {d: Fraction(w) * THIRD for d, w in row.items()}
    out[ONE] = out.get(ONE, 0) - SIXTH
    return out


def readouts_that_round(ssm: SSM) -> SSM:
    """Every readout r becomes r/3 − 1/6 (on ``one``): the same decisions in exact arithmetic
    for integer-valued readouts (k > 0 iff k/3 − 1/6 > 0), while 1/3 and 1/6 round in every
    binary format (bfloat16: 171/512, 171/1024) and readouts of rejected words are negative,
    so a rounding that got signs or magnitudes wrong changes decisions."""
    accept = None if ssm.accept is None else _rounding_row(ssm.accept)
    nxt = None if ssm.next is None else {s: _rounding_row(r) for s, r in ssm.next.items()}
    return replace(ssm, accept=accept, next=nxt)


def break_rounding(monkeypatch, kind: FormatKind = FormatKind.BFLOAT16, *,
                   weights: bool = True) -> None:
    """Make ``kind``'s rounding send every nonzero value to 7, on every path (scalar rounding,
    numpy arrays, the batched fast path, and weights unless ``weights`` is False: the audit's
    case, where only computed values were mis-rounded)."""
    def scalar(fmt, x):
        return 7 if x != 0 else 0

    def array(fmt, s):
        return np.where(np.asarray(s, dtype=np.float64) != 0, 7.0, 0.0)

    monkeypatch.setitem(formats._ROUNDERS, kind, scalar)
    if weights:
        monkeypatch.setitem(formats._WEIGHTS, kind, scalar)
    else:
        monkeypatch.setitem(formats._WEIGHTS, kind, formats._ROUNDERS[kind])
    monkeypatch.setitem(batched._FAST_ROUNDERS, kind, array)
    original = Format.round_array

    def round_array(self, a):
        return array(self, a) if self.kind is kind else original(self, a)

    monkeypatch.setattr(Format, "round_array", round_array)
