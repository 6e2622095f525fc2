"""Is a dot product exact when accumulated in float32, whatever the summation order?

The checker's own answer to the certificate's ``float32_accumulation`` (issue 15, item 2): every
term must be a float32 value (tested with the checker's float32 rounding: rnd(t) = t), and with
2^e the lowest set bit among the terms, Σ|terms| < 2^24·2^e and at most the largest float32, so
every partial sum in any order is a multiple of 2^e below 2^24 units: a float32 value.
:class:`Float32Watch` sees every dot product the model computes and remembers whether one
failed; the walk names the word.
"""

from __future__ import annotations

from fractions import Fraction

from ssmproof.check.numbers import FLOATS, Num, Overflow, arithmetic

__all__ = ["Float32Watch", "exact_in_float32"]

_RND = arithmetic("float32").rnd
_BITS, _, _EMAX = FLOATS["float32"]
_LARGEST = ((1 << _BITS) - 1) * Fraction(2) ** (_EMAX + 1 - _BITS)


def _lowest_bit(x: Fraction) -> int:
    num, den = abs(x.numerator), x.denominator
    return (num & -num).bit_length() - den.bit_length()  # den is a power of two here


def exact_in_float32(terms: list[Num]) -> bool:
    nonzero = [Fraction(t) for t in terms if t]
    try:
        if any(_RND(t) != t for t in nonzero):
            return False
    except Overflow:
        return False
    if len(nonzero) <= 1:
        return True
    unit = Fraction(2) ** min(_lowest_bit(t) for t in nonzero)
    total = sum(abs(t) for t in nonzero)  # bounds every partial sum, in any order
    return total < (1 << _BITS) * unit and total <= _LARGEST


class Float32Watch:
    """Called with each dot product's terms; ``fired`` once one is not exact, ``word`` set by
    the walk to the word whose step computed it."""

    def __init__(self) -> None:
        self.fired, self.word = False, None

    def __call__(self, terms: list[Num]) -> None:
        if not self.fired and not exact_in_float32(terms):
            self.fired = True
