"""A real Dask cluster on this machine, started from the command line: for tests and benchmarks.

``dask scheduler`` and ``dask worker`` run as separate processes, exactly as an administrator
would start them on cluster nodes, but bound to 127.0.0.1 only (nothing listens on a public
address), with a scheduler file in a private temporary folder for the address, no dashboard, and
an idle timeout so a scheduler that outlives its owner stops by itself. Leaving the context stops
every process it started (by its own handle, never by name).

Examples
--------
>>> with command_line_cluster(workers=1) as address:  # doctest: +SKIP
...     sweep(["parity"], out="out", scheduler=address)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ssmproof.errors import SsmproofError

__all__ = ["command_line_cluster"]

HOST = "127.0.0.1"


def _dask(*args: str) -> list[str]:
    return [sys.executable, "-m", "dask", *args]


@contextmanager
def command_line_cluster(workers: int = 2, *, timeout: float = 90.0,
                         idle_timeout_s: int = 900) -> Iterator[str]:
    """Start ``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes on
    127.0.0.1; yield the scheduler's address once every worker has joined; stop them all."""
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="ssmproof-dask-") as tmp:
        sched_file = os.path.join(tmp, "scheduler.json")
        log = open(os.path.join(tmp, "dask.log"), "wb")  # noqa: SIM115 - closed below
        try:
            procs.append(subprocess.Popen(
                _dask("scheduler", "--host", HOST, "--port", "0", "--no-dashboard",
                      "--scheduler-file", sched_file, "--idle-timeout", f"{idle_timeout_s}s"),
                stdout=log, stderr=subprocess.STDOUT, cwd=tmp))
            address = _wait_for_file(sched_file, timeout, procs[0])
            procs.extend(subprocess.Popen(
                _dask("worker", address, "--host", HOST, "--nthreads", "1", "--nworkers", "1",
                      "--no-dashboard", "--local-directory", tmp, "--name", f"w{i}"),
                stdout=log, stderr=subprocess.STDOUT) for i in range(workers))
            _wait_for_workers(address, workers, timeout)
            yield address
        finally:
            _stop(procs)
            log.close()


def _wait_for_file(path: str, timeout: float, proc: subprocess.Popen[bytes]) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SsmproofError(f"dask scheduler exited with code {proc.returncode}")
        try:
            with open(path, encoding="utf-8") as fh:
                return str(json.load(fh)["address"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    raise SsmproofError(f"dask scheduler did not start within {timeout:g} s")


def _wait_for_workers(address: str, n: int, timeout: float) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in reversed(procs):  # workers first, then the scheduler
        if p.poll() is None:
            p.terminate()
    for p in procs:
        _reap(p)


def _reap(p: subprocess.Popen[bytes]) -> None:
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=5)
