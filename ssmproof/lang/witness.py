"""The one witness of non-star-freeness: words u, w, v and the least period p of u·wⁿ·v (DESIGN §5).

``classify`` finds it, ``compile`` refuses nonnegative gates with it, the holonomy decomposition
raises it and ``refute`` pumps it: all four use this type (a light module, so that ``refute``
and the error classes need not import the monoid machinery to name it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ssmproof.errors import SsmproofError

__all__ = ["Witness", "Word"]

Word = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Witness:
    """Words u, w, v and the least period p ≥ 2 of n ↦ [u·wⁿ·v ∈ L] (periodic from n = 0).

    Checked when built: three tuples of symbols, a non-empty w and an integer period ≥ 2 (that
    the period is the true one is checked against a DFA by ``refute`` and ``classify``).

    Examples
    --------
    >>> Witness(u=("1",), w=("0",), v=(), period=2).word(3)
    ('1', '0', '0', '0')
    >>> Witness((), (), (), 2)
    Traceback (most recent call last):
    ...
    ssmproof.errors.SsmproofError: witness: w is empty; the pumped word w must be non-empty
    """

    u: Word
    w: Word
    v: Word
    period: int

    def __post_init__(self) -> None:
        for name in ("u", "w", "v"):
            word = getattr(self, name)
            if not isinstance(word, tuple) or not all(isinstance(s, str) for s in word):
                raise SsmproofError(f"witness: {name} = {word!r} is not a tuple of symbols; "
                                    "give each of u, w, v as a tuple of strings")
        if not self.w:
            raise SsmproofError("witness: w is empty; the pumped word w must be non-empty")
        if isinstance(self.period, bool) or not isinstance(self.period, int) or self.period < 2:
            raise SsmproofError(f"witness: period {self.period!r} is not an integer ≥ 2; a "
                                "witness's membership is periodic with least period p ≥ 2")

    def word(self, n: int) -> Word:
        """The word u·wⁿ·v."""
        return self.u + self.w * n + self.v

    def to_json_dict(self) -> dict[str, Any]:
        """``{"u": [...], "w": [...], "v": [...], "period": p}`` (DESIGN §7)."""
        return {"u": list(self.u), "w": list(self.w), "v": list(self.v), "period": self.period}
