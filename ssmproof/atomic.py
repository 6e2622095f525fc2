"""Atomic file output: write to a temporary file in the same folder, then rename over the target.

A reader (or a crash) never sees half a file, and a failed step never leaves a partial artifact:
the old file, if any, stays as it was. An unwritable destination (or a folder given as the file)
is a clear error. The file gets the mode a plain ``open`` would give it (0666 less the umask,
typically 0644), not the 0600 of the temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping

from ssmproof.errors import SsmproofError

__all__ = ["write_bytes", "write_text", "write_many"]


def write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, :func:`os.replace`)."""
    if os.path.isdir(path):
        raise SsmproofError(f"{path}: is a folder; give a file name "
                            f"(such as {os.path.join(path, 'out.json')})")
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
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise SsmproofError(f"{path}: cannot write here ({err.strerror}); check that the "
                            "folder exists and is writable") from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process umask (read by setting it and restoring it at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
