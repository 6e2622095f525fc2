"""Exceptions: "can't go on" is an exception, "no" is a value (STYLE R5).

Every exception the CLI can meet derives from :class:`SsmproofError`; the CLI prints
``str(err)`` on one line (it starts with the file name where there is one) and exits 2.
"""

from __future__ import annotations

__all__ = [
    "SsmproofError",
    "SpecError",
    "SSMFileError",
    "FormatError",
    "CompileError",
    "NotStarFreeError",
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

    def __init__(self, message: str, witness: object) -> None:
        self.witness = witness
        super().__init__(message)


class ArtifactDriftError(SsmproofError):
    """``build --check`` found committed artifacts that differ from a fresh build."""
