"""Reading the checker's three inputs (certificate, SSM file, spec) as plain JSON or TOML.

The checker owns its reading end to end: it parses the files with the standard library only and
raises :class:`BadInput` (one line: file, field, problem, fix) for anything it cannot use.
Nothing read from a file is evaluated.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any

from ssmproof.errors import SsmproofError

try:  # Python >= 3.11
    import tomllib as _toml
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as _toml  # type: ignore[no-redef]

__all__ = ["BadInput", "read_document", "rational", "RATIONAL", "IDENTIFIER", "need"]

RATIONAL = re.compile(r"-?(0|[1-9][0-9]*)(/[1-9][0-9]*)?")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_BYTES = 200 * 1024 * 1024


class BadInput(SsmproofError):
    """An input the checker cannot use (exit 2): names the file, the field and the fix."""

    def __init__(self, path: str, field: str, problem: str, fix: str) -> None:
        where = f"{path}: {field}" if field else path
        super().__init__(f"{where}: {problem}; {fix}")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


def read_document(path: str, what: str) -> dict[str, Any]:
    """The top-level object of a JSON (or, by extension, TOML) file."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_BYTES + 1)
    except OSError as err:
        raise BadInput(path, "", f"cannot read the {what} ({err.strerror})",
                       "check the path") from None
    if len(raw) > _MAX_BYTES:
        raise BadInput(path, "", "file is larger than 200 MiB", f"give a real {what}")
    try:
        if path.lower().endswith(".toml"):
            data = _toml.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise BadInput(path, "", f"not valid {'TOML' if path.endswith('.toml') else 'JSON'} "
                       f"({str(err).splitlines()[0][:120]})", f"give the {what} file") from None
    if not isinstance(data, dict):
        raise BadInput(path, "", "the top level is not an object", f"give the {what} file")
    return data


def need(data: Any, key: str, kind: type | tuple[type, ...], path: str, field: str = "") -> Any:
    """``data[key]`` if it is present and of ``kind``; else :class:`BadInput` naming it."""
    name = f"{field}.{key}" if field else key
    if not isinstance(data, dict) or key not in data:
        raise BadInput(path, name, "is missing", "add it")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadInput(path, name, f"{value!r:.60} has the wrong type", "see the file format")
    return value


def rational(text: Any, path: str, field: str) -> Fraction:
    """An exact rational written as a string (``"1/3"``, ``"-2"``); never a float."""
    if not isinstance(text, str) or not RATIONAL.fullmatch(text):
        raise BadInput(path, field, f"{text!r:.60} is not an exact rational",
                       "write a string such as '1/3' or '-2'")
    return Fraction(text)
