"""Atomic file output: write to a temporary file in the same folder, then rename over the target.

A reader (or a crash) never sees half a file, and a failed step never leaves a partial artifact:
the old file, if any, stays as it was. An unwritable destination is a clear error.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping

from ssmproof.errors import SsmproofError

__all__ = ["write_bytes", "write_text", "write_many"]


def write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, :func:`os.replace`)."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".ssmproof-", suffix=".tmp", dir=folder)
    except OSError as err:
        raise SsmproofError(f"{path}: cannot write here ({err.strerror}); check that the "
                            "folder exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_many(files: Mapping[str, str]) -> None:
    """Write several files (creating their folders), each atomically.

    The caller produces every text before calling, so a failure while producing leaves nothing.
    """
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_text(path, text)
