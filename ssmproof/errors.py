"""Exceptions: "can't go on" is an exception, "no" is a value (STYLE R5).

Every exception the CLI can meet derives from :class:`SsmproofError`; the CLI prints
``str(err)`` on one line (it starts with the file name where there is one) and exits 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the witness module imports this one
    from ssmproof.lang.witness import Witness

__all__ = [
    "SsmproofError",
    "SpecError",
    "SSMFileError",
    "FormatError",
    "CompileError",
    "NotStarFreeError",
    "WeakGatesError",
    "NotSolvableError",
    "ArtifactDriftError",
]


class SsmproofError(Exception):
    """Base class: bad input or an impossible request; never a wrong answer."""


class SpecError(SsmproofError):
    """A language spec is unusable. Names the file, the field and the fix."""

    def __init__(self, path: str, field: str, problem: str, fix: str = "") -> None:
        self.path, self.field, self.problem, self.fix = path, field, problem, fix
        text = f"{path}: {field}: {problem}" if field else f"{path}: {problem}"
        if fix:
            text += f"; {fix}"
        super().__init__(text)


class SSMFileError(SpecError):
    """An SSM construction file is unusable (schema, names, causality, rationals)."""


class FormatError(SsmproofError):
    """An arithmetic format string is malformed, or a weight cannot live in the format."""


class CompileError(SsmproofError):
    """A construction cannot be built for this language/options combination."""


class NotStarFreeError(CompileError):
    """Nonnegative gates were asked for a language that is not star-free (PAPER §3)."""

    def __init__(self, message: str, witness: Witness | None) -> None:
        self.witness = witness
        super().__init__(message)


class WeakGatesError(CompileError):
    """The requested gate class cannot model the language (e.g. signed gates and a mod-3
    count); ``witness`` holds (u, w, v, period) with a period the class cannot produce."""

    def __init__(self, message: str, witness: Witness | None) -> None:
        self.witness = witness
        super().__init__(message)


class NotSolvableError(CompileError):
    """The syntactic monoid holds a non-solvable group: no diagonal SSM, real or complex,
    recognizes the language at any fixed depth unless TC⁰ = NC¹ (Merrill, Petty & Sabharwal
    2024; Barrington 1989). ``group`` and ``order`` name it."""

    def __init__(self, message: str, group: str, order: int) -> None:
        self.group, self.order = group, order
        super().__init__(message)


class ArtifactDriftError(SsmproofError):
    """``build --check`` found committed artifacts that differ from a fresh build."""
