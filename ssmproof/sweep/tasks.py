"""One sweep task: classify → compile → prove a language in one (mode, format, gates), as a row.

:func:`run_task` never raises: whatever happens becomes the row's ``outcome`` and ``reason``

- ``holds``: the construction was proved for **all lengths** (``prove`` closed);
- ``fails``: the proof found a counterexample (the reason gives it);
- ``inconclusive``: a budget ran out — the configuration budget (the proof reports the depth it
  reached and claims nothing beyond), the task's time budget (the reason names the stage), or
  a non-regular language, for which no finite-state proof exists;
- ``refused``: no construction in the requested gate class (a language that is not star-free with
  nonnegative gates — the reason carries the witness —, a group no recipe handles, a weight the
  format cannot hold);
- ``error``: bad input (a spec that does not load) or a bug; the reason is the message.

A task is keyed by a content hash (:attr:`Task.key`) of everything its row depends on: the
spec's content (not its path), the row's label, mode, format, gates, both budgets and the toolkit
version. A sweep that finds a row under that key does not run the task again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import time
from dataclasses import dataclass
from typing import Any

from ssmproof.errors import CompileError, FormatError, SsmproofError
from ssmproof.lang.automaton import Language
from ssmproof.lang.spec import Spec

__all__ = ["Task", "run_task", "error_row", "OUTCOMES", "COLUMNS", "TIMING_COLUMNS",
           "DEFAULT_MAX_CONFIGURATIONS", "DEFAULT_TASK_SECONDS", "GATE_CHOICES"]

OUTCOMES = ("holds", "fails", "inconclusive", "refused", "error")
DEFAULT_MAX_CONFIGURATIONS = 100_000
DEFAULT_TASK_SECONDS = 120.0
GATE_CHOICES = ("auto", "nonnegative", "signed", "complex")
"""``--gates`` values; ``auto`` asks for the weakest class the language's groups need."""

COLUMNS = (
    "language", "mode", "format", "gates", "outcome", "reason", "regular", "star_free",
    "gates_needed", "states", "monoid_size", "layers", "state_dims", "gate_class",
    "configurations", "bits", "lower_bound_bits", "method", "all_lengths", "seconds",
    "cpu_seconds", "stage", "key",
)
"""The columns of a result row, in the order of ``results.csv``."""

TIMING_COLUMNS = ("seconds", "cpu_seconds")
"""Columns that differ between two runs of the same task."""


@dataclass(frozen=True)
class Task:
    """What to run: a language (as a loaded spec, so workers need no files), how, and budgets."""

    language: str  # the row's label: the spec file's stem or the zoo name
    spec: Spec
    mode: str = "recognize"
    format: str = "exact"
    gates: str = "auto"
    max_configurations: int = DEFAULT_MAX_CONFIGURATIONS
    seconds: float | None = DEFAULT_TASK_SECONDS

    @property
    def key(self) -> str:
        """Content hash of everything the row depends on (the spec's path excluded)."""
        from ssmproof import __version__  # keeps start-up light

        spec = {k: v for k, v in dataclasses.asdict(self.spec).items() if k != "path"}
        data = {"spec": spec, "language": self.language, "mode": self.mode,
                "format": self.format, "gates": self.gates,
                "max_configurations": self.max_configurations, "seconds": self.seconds,
                "version": __version__}
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _blank_row(task: Task) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(language=task.language, mode=task.mode, format=task.format, gates=task.gates,
               key=task.key, stage="load")
    return row


def run_task(task: Task) -> dict[str, Any]:
    """Run one task within its budgets and return its row (never raises).

    Examples
    --------
    >>> from ssmproof.lang import spec
    >>> row = run_task(Task("tomita:1", spec.load("tomita:1")))
    >>> row["outcome"], row["gates"], row["star_free"], row["layers"], row["all_lengths"]
    ('holds', 'auto', True, 1, True)
    >>> run_task(Task("parity", spec.load("parity"), gates="nonnegative"))["outcome"]
    'refused'
    """
    row = _blank_row(task)
    start, cpu = time.perf_counter(), time.thread_time()
    try:
        _pipeline(task, row, _Clock(task.seconds, start))
    except _OutOfTime as late:
        _finish(row, "inconclusive", f"time budget of {task.seconds:g} s ran out "
                f"({late.elapsed:.3g} s by the end of {late.stage}); later stages not run")
    except SsmproofError as err:
        _finish(row, "error", _first_line(err))
    except Exception as err:  # a bug must not stop the sweep: record it
        _finish(row, "error", f"{type(err).__name__}: {_first_line(err)}")
    row["seconds"] = round(time.perf_counter() - start, 4)
    row["cpu_seconds"] = round(time.thread_time() - cpu, 4)  # this thread's CPU: load-independent
    return row


def error_row(task: Task, err: BaseException) -> dict[str, Any]:
    """The row of a task that never returned (its worker died, the scheduler lost it)."""
    row = _blank_row(task)
    row["stage"] = "scheduling"
    _finish(row, "error", f"{type(err).__name__}: {_first_line(err)}")
    return row


def _finish(row: dict[str, Any], outcome: str, reason: str) -> None:
    row["outcome"], row["reason"] = outcome, reason


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


class _OutOfTime(Exception):  # noqa: N818 - control flow inside run_task only
    def __init__(self, stage: str, elapsed: float) -> None:
        self.stage, self.elapsed = stage, elapsed


@dataclass(frozen=True)
class _Clock:
    """The time budget, checked between stages (a stage itself is bounded by the configuration
    and monoid budgets, not interrupted: Dask cannot cancel a running task safely)."""

    seconds: float | None
    start: float

    def check(self, stage: str) -> None:
        elapsed = time.perf_counter() - self.start
        if self.seconds is not None and elapsed > self.seconds:
            raise _OutOfTime(stage, elapsed)


def _pipeline(task: Task, row: dict[str, Any], clock: _Clock) -> None:
    from ssmproof.lang import spec as specs  # keeps start-up light

    lang = specs.to_language(task.spec)
    clock.check("load")
    row["stage"] = "classify"
    _classify(lang, row)
    clock.check("classify")
    gates = _gates_for(task.gates, row)
    if gates is None:
        _finish(row, "refused", f"the language's groups need {row['gates_needed']} gates; "
                "no construction is attempted")
        return
    row["stage"] = "compile"
    ssm = _compile(lang, task, gates, row)
    if ssm is None:
        return
    clock.check("compile")
    row["stage"] = "prove"
    _prove(ssm, lang, task, row)


def _classify(lang: Language, row: dict[str, Any]) -> None:
    from ssmproof.lang import dfa as dfa_  # keeps start-up light
    from ssmproof.lang import groups, monoid  # keeps start-up light

    c = monoid.classify(lang)  # type: ignore[arg-type]
    row.update(regular=c.regular, star_free=c.star_free, states=c.states,
               monoid_size=c.monoid_size)
    if not c.regular:
        return
    row["gates_needed"] = groups.analyse(lang).gates  # type: ignore[arg-type]
    minimal = dfa_.minimize(dfa_.from_language(lang))  # type: ignore[arg-type]
    live = len(minimal.live)  # bits >= log2(live states) - 1 (DESIGN §4)
    row["lower_bound_bits"] = round(max(math.log2(live) - 1, 0.0), 3) if live else None


def _gates_for(requested: str, row: dict[str, Any]) -> str | None:
    """The gate class to compile for; None when ``auto`` finds no diagonal class that can work."""
    if requested != "auto":
        return requested
    if not row["regular"] or row["star_free"]:
        return "nonnegative"
    needed = row["gates_needed"]
    return needed if needed in ("signed", "complex") else None


def _compile(lang: Language, task: Task, gates: str, row: dict[str, Any]) -> object:
    from ssmproof.compiler.compiling import compile_language  # keeps start-up light

    try:
        ssm = compile_language(lang, mode=task.mode, gates=gates)
    except (CompileError, FormatError) as err:
        reason = _first_line(err)
        name = f"{getattr(lang, 'name', '')}: "
        _finish(row, "refused", reason[len(name):] if reason.startswith(name) else reason)
        return None
    row.update(layers=len(ssm.layers), state_dims=ssm.state_dims)
    return ssm


def _prove(ssm: Any, lang: Any, task: Task, row: dict[str, Any]) -> None:
    from ssmproof.ssm.program import Mode  # keeps start-up light
    from ssmproof.verify.api import verify  # keeps start-up light

    try:
        cert = verify(ssm, lang, fmt=task.format, mode=Mode(task.mode), prove=True,
                      max_configurations=task.max_configurations)
    except FormatError as err:
        _finish(row, "refused", _first_line(err))
        return
    configs = cert.configurations
    row.update(configurations=configs, method=cert.method.value, all_lengths=cert.all_lengths,
               gate_class=cert.gate_class.value if cert.gate_class else None,
               bits=round(math.log2(configs), 3) if configs and cert.all_lengths else None)
    outcome = {True: "holds", False: "fails", None: "inconclusive"}[cert.holds]
    _finish(row, outcome, cert.summary())
    row["stage"] = "done"
