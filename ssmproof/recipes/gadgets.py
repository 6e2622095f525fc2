"""ReLU gadgets shared by the recipes: exact indicators and conjunctions over small integers.

Every recipe needs the same few position-wise facts about integer-valued dims — "is the depth
exactly ℓ", "is the counter at least 1", "are both flags on" — and an MLP can compute each one
*exactly* on integers with a couple of ReLU units. Writing them once keeps the recipes short and
keeps the weights identical across constructions (so that two constructions diff like text).

- ``ramp[m] = relu(x − m)``; on integers, ``[x = m] = ramp[m−1] − 2·ramp[m] + ramp[m+1]`` and
  ``[x ≥ m] = ramp[m−1] − ramp[m]``; both are exact for every integer x (not only the expected
  range), which is what keeps a construction's gates in {0, 1} on *invalid* words too.
- ``and(p, q) = relu(p + q − 1)`` is exact on {0, 1}.

The helpers return plain rows (``{dim: weight}``) and :class:`~ssmproof.ssm.program.Dense` maps,
so a recipe reads as a list of named equations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from ssmproof.ssm.program import Activation, Dense, Row, Weight

__all__ = ["ramp", "ramps", "eq_row", "ge_row", "and_row", "add_rows", "scale_row", "dense",
           "linear", "binary_code", "code_bits"]


def ramp(x: str, m: int) -> str:
    """The name of the unit ``relu(x − m)`` (``L1.depth.ramp[2]``; negative m as ``[-1]``)."""
    return f"{x}.ramp[{m}]"


def ramps(x: str, points: Iterable[int]) -> Dense:
    """One ReLU layer of ramps ``relu(x − m)`` for every ``m`` in ``points``.

    Examples
    --------
    >>> d = ramps("c", [0, 1])
    >>> d.out, dict(d.weights["c.ramp[1]"]), dict(d.bias)
    (('c.ramp[0]', 'c.ramp[1]'), {'c': 1}, {'c.ramp[1]': -1})
    """
    pts = tuple(points)
    names = tuple(ramp(x, m) for m in pts)
    return Dense(names, {n: {x: 1} for n in names}, {n: -m for n, m in zip(names, pts) if m})


def eq_row(x: str, m: int) -> dict[str, Weight]:
    """``[x = m]`` on integers, as a row over the ramps ``m−1, m, m+1`` of ``x``.

    Examples
    --------
    >>> eq_row("d", 0)
    {'d.ramp[-1]': 1, 'd.ramp[0]': -2, 'd.ramp[1]': 1}
    """
    return {ramp(x, m - 1): 1, ramp(x, m): -2, ramp(x, m + 1): 1}


def ge_row(x: str, m: int) -> dict[str, Weight]:
    """``[x ≥ m]`` on integers, as a row over the ramps ``m−1, m`` of ``x``.

    Examples
    --------
    >>> ge_row("c", 1)
    {'c.ramp[0]': 1, 'c.ramp[1]': -1}
    """
    return {ramp(x, m - 1): 1, ramp(x, m): -1}


def add_rows(*rows: Mapping[str, Weight]) -> dict[str, Weight]:
    """The sum of rows (zeros dropped); ``ONE`` carries constants.

    Examples
    --------
    >>> add_rows({"a": 1, "one": -1}, {"a": -1, "b": 2})
    {'one': -1, 'b': 2}
    """
    out: dict[str, int | Fraction] = {}
    for row in rows:  # integers stay Python integers (most rows): no Fraction per term
        for d, w in row.items():
            out[d] = out.get(d, 0) + (w if type(w) is int else Fraction(w))  # type: ignore
    return {d: _plain(w) if type(w) is Fraction else w for d, w in out.items() if w != 0}


def scale_row(row: Mapping[str, Weight], k: int | Fraction) -> dict[str, Weight]:
    """``k · row``.

    >>> scale_row({"a": 1, "b": -2}, -1)
    {'a': -1, 'b': 2}
    """
    return add_rows({d: Fraction(w) * k for d, w in row.items()})  # type: ignore[arg-type]


def and_row(*rows: Mapping[str, Weight]) -> tuple[dict[str, Weight], int]:
    """Pre-activation of the conjunction of 0/1 rows: ``Σ rows − (n − 1)``, as (row, bias).

    Feed it to a ReLU unit: the unit is 1 when every row is 1 and 0 otherwise.

    Examples
    --------
    >>> and_row({"p": 1}, {"q": 1})
    ({'p': 1, 'q': 1}, -1)
    """
    return add_rows(*rows), -(len(rows) - 1)


def dense(units: Sequence[tuple[str, Mapping[str, Weight], int | Fraction]], *,
          relu: bool = True) -> Dense:
    """A Dense map from ``(name, row, bias)`` triples (rows may carry ``one``; kept as is)."""
    out = tuple(n for n, _, _ in units)
    weights = {n: dict(r) for n, r, _ in units}
    bias: Row = {n: b for n, _, b in units if b}
    return Dense(out, weights, bias, Activation.RELU if relu else Activation.LINEAR)


def linear(units: Sequence[tuple[str, Mapping[str, Weight], int | Fraction]]) -> Dense:
    """A linear (no ReLU) Dense map from ``(name, row, bias)`` triples."""
    return dense(units, relu=False)


def code_bits(k: int) -> int:
    """⌈log₂ k⌉: the bits that name one of k types (0 for k = 1).

    >>> [code_bits(k) for k in (1, 2, 3, 4, 5, 8, 9)]
    [0, 1, 2, 2, 3, 3, 4]
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    return (k - 1).bit_length()


def binary_code(value: int, bits: int) -> tuple[int, ...]:
    """Little-endian bits of ``value`` (bit0 first).

    >>> binary_code(6, 3)
    (0, 1, 1)
    """
    return tuple((value >> j) & 1 for j in range(bits))


def _plain(w: Fraction) -> Weight:
    return int(w) if w.denominator == 1 else w

