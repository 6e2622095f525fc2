"""A wall-clock budget for one sweep task, enforced in whatever thread runs it.

Dask runs tasks in worker threads, where ``signal.alarm`` cannot reach, and a worker process
cannot be asked to kill one task. So :func:`deadline` arms a timer that, when the budget runs out,
raises :class:`TaskTimeout` *inside* the task's thread (``PyThreadState_SetAsyncExc``, the
CPython call behind ``threading``'s own tests). The exception arrives between two bytecodes of
Python code, so a long call into C (a numpy kernel) finishes first; ssmproof's proofs and monoid
enumerations are Python loops, so the delay is short. Leaving the block disarms the timer and
withdraws an exception that was raised but not yet delivered, so none escapes after the block.

Examples
--------
>>> import time
>>> try:
...     with deadline(0.05):
...         while True:
...             time.sleep(0.001)
... except TaskTimeout:
...     print("stopped")
stopped
>>> with deadline(None):
...     pass
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["TaskTimeout", "deadline"]


class TaskTimeout(Exception):  # noqa: N818 - the name says what happened
    """The task's wall-clock budget ran out (raised inside the task's own thread)."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TaskTimeout` in this thread once ``seconds`` have passed (None: no limit)."""
    if seconds is None:
        yield
        return
    thread_id, lock, state = threading.get_ident(), threading.Lock(), {"done": False,
                                                                         "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _raise_in(thread_id, TaskTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                _raise_in(thread_id, None)  # withdraw it if it has not been delivered yet
