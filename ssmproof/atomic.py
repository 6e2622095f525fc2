"""Atomic file output: write to a temporary file in the same folder, then rename over the target.

A reader (or a crash) never sees half a file, and a failed step never leaves a partial artifact.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping

__all__ = ["write_text", "write_many"]


def write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_many(files: Mapping[str, str]) -> None:
    """Write several files, each atomically; all texts are produced before any is written."""
    for path, text in files.items():
        write_text(path, text)
