"""What one check found, as a frozen value: it holds, it fails, or it is inconclusive.

Every check (``prove``, ``exhaustive``, ``random``, :func:`~ssmproof.verify.api.first_failure`)
returns one of the three variants of :data:`Outcome` instead of filling in a shared object or
raising a private exception when it meets a wrong decision (STYLE R3, R5: "no" is a value).
:mod:`ssmproof.verify.api` turns the outcomes of the checks that ran into one Certificate.

- :class:`Holds`: no wrong decision in what was checked; ``closed`` only when a proof closed
  (then every length is covered).
- :class:`Fails`: the shortest counterexample found, with either the ``mismatch`` (what the
  language wanted and the construction said) or ``non_finite`` (where the run overflowed).
- :class:`Inconclusive`: the check stopped before it could say either (``reason`` says why and
  how far it got).

Each carries :class:`Coverage`, exactly how much was checked, and ``notes`` for the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar, TypeVar, Union

from ssmproof.verify.oracle import Mismatch

__all__ = ["Coverage", "Holds", "Fails", "Inconclusive", "Outcome", "with_note"]

Word = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much a check covered, whatever it found.

    ``depth``: every word up to this length was checked. ``strings``: words covered (merged ones
    counted with their multiplicity). ``configurations`` and ``edges``: distinct configurations
    met and product edges stepped. ``values_per_configuration``: the values one compact
    configuration holds (:mod:`ssmproof.sim.compact`; ``prove`` only).

    Examples
    --------
    >>> Coverage(depth=-1)
    Traceback (most recent call last):
    ...
    ValueError: Coverage.depth: -1 < 0; counts are never negative
    """

    depth: int = 0
    strings: int = 0
    configurations: int = 0
    edges: int = 0
    values_per_configuration: int | None = None

    def __post_init__(self) -> None:
        for name in ("depth", "strings", "configurations", "edges"):
            if getattr(self, name) < 0:
                raise ValueError(f"Coverage.{name}: {getattr(self, name)} < 0; counts are never "
                                 "negative")


@dataclass(frozen=True, slots=True)
class Holds:
    """No wrong decision in what was checked; ``closed``: a proof closed (every length)."""

    holds: ClassVar[bool | None] = True
    coverage: Coverage = field(default_factory=Coverage)
    closed: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fails:
    """A wrong decision (or a non-finite value) on ``counterexample``, the shortest found.

    Exactly one of ``mismatch`` and ``non_finite`` is set.

    Examples
    --------
    >>> Fails(("a",), mismatch=None, non_finite=None)
    Traceback (most recent call last):
    ...
    ValueError: Fails: give exactly one of mismatch and non_finite (got neither)
    """

    holds: ClassVar[bool | None] = False
    counterexample: Word
    mismatch: Mismatch | None = None
    non_finite: str | None = None
    coverage: Coverage = field(default_factory=Coverage)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.mismatch is None) == (self.non_finite is None):
            got = "neither" if self.mismatch is None else "both"
            raise ValueError(f"Fails: give exactly one of mismatch and non_finite (got {got})")

    @property
    def checked_depth(self) -> int:
        """Every word shorter than the counterexample was checked (it is the shortest)."""
        return max(len(self.counterexample) - 1, 0)


@dataclass(frozen=True, slots=True)
class Inconclusive:
    """The check stopped before it could say holds or fails: ``reason`` says why (and how far).

    Examples
    --------
    >>> Inconclusive("")
    Traceback (most recent call last):
    ...
    ValueError: Inconclusive.reason: empty; say why the check could not decide
    """

    holds: ClassVar[bool | None] = None
    reason: str
    coverage: Coverage = field(default_factory=Coverage)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.reason:
            raise ValueError("Inconclusive.reason: empty; say why the check could not decide")


Outcome = Union[Holds, Fails, Inconclusive]
"""What one check found: exactly one of the three."""

_O = TypeVar("_O", Holds, Fails, Inconclusive)


def with_note(outcome: _O, note: str) -> _O:
    """The same outcome with one more note (a new value; the old one is unchanged)."""
    return replace(outcome, notes=(*outcome.notes, note))
