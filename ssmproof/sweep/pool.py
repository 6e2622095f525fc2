"""Run one function over many inputs: in this process, on a local Dask cluster, or on any cluster.

This is the one execution engine of ssmproof's bulk work (``ssmproof sweep``, ``ssmproof build``
and its LaTeX check). Why Dask's ``distributed``: the same call runs on a laptop (a
``LocalCluster`` of worker *processes*, one per core: ssmproof's work is pure Python, so threads
would share one interpreter lock) and on a real cluster (``dask scheduler`` + ``dask worker`` on
other machines, dask-jobqueue on SLURM, ...) by giving a scheduler address, with progress from
futures completing, worker deaths reported per task, and no job files to manage.

:func:`imap` yields ``(index, result)`` as results arrive, so a caller can record each one at
once (the sweep's resumable cache does); :func:`map_ordered` collects them in input order.

Examples
--------
>>> list(imap(abs, [-2, 3], jobs=1))
[(0, 2), (1, 3)]
>>> map_ordered(len, ["ab", "c"], jobs=1)
[2, 1]
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from ssmproof.errors import SsmproofError

__all__ = ["imap", "map_ordered", "client", "default_jobs"]

_T = TypeVar("_T")
_R = TypeVar("_R")

CONNECT_TIMEOUT_S = 20
"""How long to wait for a scheduler given by address before giving up."""


def default_jobs() -> int:
    """One worker process per core (the CPUs this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def client(scheduler: str | None = None, jobs: int | None = None) -> Iterator[object]:
    """A ``distributed.Client``: on ``scheduler`` (an address) or on a fresh local cluster of
    ``jobs`` single-threaded worker processes; closed (and the local cluster shut) on exit."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            c = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except OSError as err:
            raise SsmproofError(f"--scheduler {scheduler}: cannot connect ({err}); start one "
                                "with `dask scheduler` and give its address "
                                "(tcp://HOST:PORT)") from None
        try:
            yield c
        finally:
            c.close()
        return
    # CRITICAL, not ERROR: a worker whose heartbeat races the scheduler's shutdown logs a
    # traceback at ERROR after the work is done; failures that matter reach us through the
    # futures (the task's exception, or KilledWorker), so nothing is lost by hiding the log.
    cluster = LocalCluster(n_workers=jobs or default_jobs(), threads_per_worker=1,
                           processes=True, dashboard_address=None, silence_logs=logging.CRITICAL)
    c = Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def imap(fn: Callable[[_T], _R], items: Sequence[_T], *, jobs: int | None = None,
         scheduler: str | None = None, progress: bool = False, desc: str = "",
         unit: str = "task", on_error: Callable[[_T, BaseException], _R] | None = None
         ) -> Iterator[tuple[int, _R]]:
    """Yield ``(i, fn(items[i]))`` as each finishes (in input order when run serially).

    Serial (in this process) when ``jobs == 1`` and no ``scheduler`` is given, or when there is
    at most one item; otherwise on Dask (see :func:`client`). A task that raises, or whose worker
    dies, gives ``on_error(item, exception)`` when ``on_error`` is given, else the exception is
    raised here. ``fn`` must be importable by the workers (a module-level function).
    """
    from tqdm import tqdm

    bar = tqdm(total=len(items), desc=desc or None, unit=unit, disable=not progress)
    try:
        if scheduler is None and (jobs == 1 or len(items) <= 1):
            for i, item in enumerate(items):
                yield i, _call(fn, item, on_error)
                bar.update(1)
            return
        yield from _on_dask(fn, items, jobs, scheduler, on_error, bar)
    finally:
        bar.close()


def _call(fn: Callable[[_T], _R], item: _T, on_error: Callable[[_T, BaseException], _R] | None
          ) -> _R:
    try:
        return fn(item)
    except Exception as err:
        if on_error is None:
            raise
        return on_error(item, err)


def _on_dask(fn: Callable[[_T], _R], items: Sequence[_T], jobs: int | None, scheduler: str | None,
             on_error: Callable[[_T, BaseException], _R] | None, bar: object
             ) -> Iterator[tuple[int, _R]]:
    from distributed import as_completed

    with client(scheduler, jobs) as c:
        futures = c.map(fn, list(items), pure=False)  # type: ignore[attr-defined]
        index = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures):
            i = index[future.key]
            if future.status == "finished":
                result = future.result()
            else:
                error = _failure(future)
                if on_error is None:
                    raise error
                result = on_error(items[i], error)
            future.release()
            bar.update(1)  # type: ignore[attr-defined]
            yield i, result


def _failure(future: object) -> BaseException:
    """The exception of a failed, cancelled or lost future (asking may itself raise)."""
    try:
        return future.exception() or RuntimeError(f"task {future.status}")  # type: ignore
    except BaseException as err:  # noqa: BLE001 - a cancelled future raises on asking
        return err


def map_ordered(fn: Callable[[_T], _R], items: Sequence[_T], **options: object) -> list[_R]:
    """``[fn(x) for x in items]`` through :func:`imap` (same options), in input order."""
    out: list[_R | None] = [None] * len(items)
    for i, result in imap(fn, items, **options):  # type: ignore[arg-type]
        out[i] = result
    return out  # type: ignore[return-value]
