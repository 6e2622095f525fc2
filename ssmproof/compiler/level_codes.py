"""Cascade level states → SSM channels: the code of each level, and its indicator rows.

A reset level with m reachable states becomes a block of SSM channels whose value is a 0/1 code
of the current state. Two codes:

- **one-hot** (m − 1 channels): channel ``L1.lvl[d].is[s]`` is 1 iff the level holds s; one
  state (``*`` when it is reachable) has the all-zero code, so a reset to it is gate 0, input 0.
  Every indicator [level = s] is then a *linear* row of the stream, no MLP needed.
- **binary** (⌈log₂ m⌉ channels ``L1.lvl[d].bit0``, ...): the state's index among the held
  states, in base 2. The indicators a later stage needs become ReLU units
  ``L1.lvl[d].is[s] = relu(Σ_{j set} bit_j − Σ_{j clear} bit_j − (popcount − 1))``, exact on
  0/1 bits.

``auto`` picks binary exactly when it saves channels (m ≥ 4); for m ≤ 3 both have the same
width and one-hot needs no MLP. Only *held* states — those met on a reachable configuration —
get a code: the others never occur, so they cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ssmproof.recipes import gadgets
from ssmproof.ssm.program import LAG_PREFIX, ONE, Dense, Row, Weight
from ssmproof.wordenum import WordEnum

__all__ = ["Encoding", "LevelCode", "Unit", "level_code", "lagged", "literal_row"]

Unit = tuple[str, Row, int]
"""One ReLU unit: (output dim, row over input dims, bias)."""


class Encoding(WordEnum):
    """How a level's state is written into channels (the value is the CLI/JSON word)."""

    AUTO = "auto"
    ONEHOT = "onehot"
    BINARY = "binary"


@dataclass(frozen=True, slots=True)
class LevelCode:
    """The channels of one cascade level inside SSM layer ``layer``.

    Attributes
    ----------
    level : int
        Cascade level (1 = top).
    layer : str
        Name of the SSM layer holding the channels (``"L3"``); every dim name starts with it.
    held : tuple of int
        Level states met on reachable configurations, increasing.
    binary : bool
        Binary code (with an indicator MLP) rather than one-hot.
    channels : tuple of str
        The state dims.
    codes : Mapping[int, tuple[int, ...]]
        Held state → its 0/1 value on each channel.
    """

    level: int
    layer: str
    held: tuple[int, ...]
    binary: bool
    channels: tuple[str, ...]
    codes: Mapping[int, tuple[int, ...]]

    @property
    def prefix(self) -> str:
        return f"{self.layer}.lvl[{self.level}]"

    def is_dim(self, s: int) -> str:
        """The dim holding [level = s]: a state dim (one-hot) or an MLP unit (binary)."""
        return f"{self.prefix}.is[{s}]"

    def indicator(self, s: int) -> dict[str, int]:
        """[level = s] as a row over the stream *after* this level's layer (exact on 0/1).

        Examples
        --------
        >>> c = level_code(2, "L2", (0, 3, 5), encoding="onehot")
        >>> c.channels
        ('L2.lvl[2].is[3]', 'L2.lvl[2].is[5]')
        >>> c.indicator(3)
        {'L2.lvl[2].is[3]': 1}
        >>> c.indicator(0)  # the all-zero code
        {'one': 1, 'L2.lvl[2].is[3]': -1, 'L2.lvl[2].is[5]': -1}
        """
        if s not in self.codes:
            raise KeyError(f"level {self.level} never holds state {s}")
        if self.binary or any(self.codes[s]):
            return {self.is_dim(s): 1}
        return {ONE: 1, **{ch: -1 for ch in self.channels}}

    def indicator_dense_units(self, states: Iterable[int]) -> list[Unit]:
        """ReLU units ``is[s]`` decoding the binary code, one per requested state (binary only).

        Examples
        --------
        >>> c = level_code(1, "L1", (0, 1, 2, 3), encoding="binary")
        >>> for unit in c.indicator_dense_units([0, 3]):
        ...     print(unit)
        ('L1.lvl[1].is[0]', {'L1.lvl[1].bit0': -1, 'L1.lvl[1].bit1': -1}, 1)
        ('L1.lvl[1].is[3]', {'L1.lvl[1].bit0': 1, 'L1.lvl[1].bit1': 1}, -1)
        """
        if not self.binary:
            raise ValueError(f"level {self.level} is one-hot: its indicators are rows, not units")
        units: list[Unit] = []
        for s in sorted(set(states)):
            code = self.codes[s]
            row = {ch: (1 if bit else -1) for ch, bit in zip(self.channels, code)}
            units.append((self.is_dim(s), row, 1 - sum(code)))
        return units

    def init_row(self, s: int) -> dict[str, int]:
        """The initial state vector that stands for state ``s``."""
        return {ch: 1 for ch, bit in zip(self.channels, self.codes[s]) if bit}


def level_code(level: int, layer: str, held: Iterable[int], *,
               encoding: Encoding | str = Encoding.AUTO) -> LevelCode:
    """The code of a level whose reachable states are ``held``.

    ``*`` (state 0) gets the all-zero code when it is held, else the smallest held state does.

    Examples
    --------
    >>> level_code(1, "L1", (0, 1, 2, 3, 4)).channels
    ('L1.lvl[1].bit0', 'L1.lvl[1].bit1', 'L1.lvl[1].bit2')
    >>> level_code(1, "L1", (1, 2)).codes
    {1: (0,), 2: (1,)}
    """
    states = tuple(sorted(set(held)))
    if not states:
        raise ValueError(f"level {level} holds no state")
    m = len(states)
    binary = {Encoding.AUTO: gadgets.code_bits(m) < m - 1, Encoding.BINARY: m > 2,
              Encoding.ONEHOT: False}[Encoding(encoding)]
    prefix = f"{layer}.lvl[{level}]"
    if binary:
        width = gadgets.code_bits(m)
        channels = tuple(f"{prefix}.bit{j}" for j in range(width))
        codes = {s: gadgets.binary_code(i, width) for i, s in enumerate(states)}
    else:
        channels = tuple(f"{prefix}.is[{s}]" for s in states[1:])
        codes = {s: tuple(int(i == j) for j in range(1, m)) for i, s in enumerate(states)}
    return LevelCode(level, layer, states, binary, channels, codes)


def lagged(row: Mapping[str, Weight]) -> dict[str, Weight]:
    """The same row over the lag view: every dim but ``one`` read at t − 1 (``prev:``).

    ``one`` stays current: it is 1 at every position, and at BOS (where the lag view is zero)
    no reset rule can fire anyway, because none reads ``tok:BOS``.

    >>> lagged({"one": 1, "L1.lvl[1].is[2]": -1})
    {'one': 1, 'prev:L1.lvl[1].is[2]': -1}
    """
    return {(d if d == ONE else LAG_PREFIX + d): w for d, w in row.items()}


def literal_row(code: LevelCode, states: Iterable[int],
                indicator: Callable[[int], Mapping[str, Weight]] | None = None
                ) -> tuple[dict[str, Weight], tuple[int, ...]] | None:
    """The 0/1 row of the literal "level ∈ states" on reachable configurations, or None if true.

    Uses Σ_{s ∈ S} [level = s] or 1 − Σ_{s ∉ S} [level = s] over the held states, whichever
    reads fewer indicators (exactly one held state is on). ``indicator`` maps a state to its row
    (default: :meth:`LevelCode.indicator`, the current value); the second item lists the
    indicators read.

    Examples
    --------
    >>> c = level_code(1, "L1", (0, 1, 2), encoding="onehot")
    >>> literal_row(c, [1, 2])  # 1 − [level = *]
    ({'L1.lvl[1].is[1]': 1, 'L1.lvl[1].is[2]': 1}, (0,))
    >>> literal_row(c, [0, 1, 2]) is None
    True
    """
    ind = code.indicator if indicator is None else indicator
    wanted = set(states)
    inside = [s for s in code.held if s in wanted]
    outside = [s for s in code.held if s not in wanted]
    if not outside:
        return None
    if len(inside) <= len(outside):
        return gadgets.add_rows(*(ind(s) for s in inside)), tuple(inside)
    rows = [{ONE: 1}] + [gadgets.scale_row(ind(s), -1) for s in outside]
    return gadgets.add_rows(*rows), tuple(outside)


def indicator_dense(codes: Iterable[LevelCode], needed: Mapping[int, set[int]]) -> Dense | None:
    """One ReLU map with the indicator units of every binary level's needed states."""
    units = [u for c in codes if c.binary and needed.get(c.level)
             for u in c.indicator_dense_units(needed[c.level])]
    return gadgets.dense(units) if units else None


__all__ += ["indicator_dense"]
