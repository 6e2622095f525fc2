"""Running a construction on words: decisions, predictions and optional traces (``ssmproof run``).

Words sharing a prefix share its computation (a trie walk), so ``run --inputs`` over a dataset
costs one step per distinct prefix, not per symbol of every line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.lang.words import parse_word
from ssmproof.numerics.formats import Format, NonFiniteValue, parse
from ssmproof.sim.machine import Config, Decision, Machine, StepTrace
from ssmproof.ssm.program import EOS, SSM, Mode

__all__ = ["RunResult", "run_words", "run_word"]


@dataclass(frozen=True)
class RunResult:
    """One word's outcome (DESIGN §7 ``run --json``)."""

    input: tuple[str, ...]
    accepts: bool | None
    allowed_next: tuple[tuple[str, ...], ...] | None
    trace: tuple[StepTrace, ...] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "input": list(self.input), "accepts": self.accepts,
            "allowed_next": None if self.allowed_next is None else
            [list(a) for a in self.allowed_next]}
        if self.error:
            out["error"] = self.error
        if self.trace is not None:
            out["trace"] = [{"token": s.token, "gates": _nums(s.gates),
                             "inputs": _nums(s.inputs), "states": _nums(s.states)}
                            for s in self.trace]
        return out

    def text(self) -> str:
        word = " ".join(self.input) or "ε"
        verdict = "error: " + self.error if self.error else \
            ("accept" if self.accepts else "reject")
        lines = [f"{word}\t{verdict}"]
        if self.allowed_next is not None:
            tokens = ("BOS", *self.input)
            lines += [f"  after {t}: allowed {' '.join(a) or '(none)'}"
                      for t, a in zip(tokens, self.allowed_next)]
        for s in self.trace or ():
            parts = [("gate", s.gates), ("input", s.inputs), ("state", s.states)]
            shown = "; ".join(f"{what} " + ", ".join(f"{k}={_num(v)}" for k, v in values.items())
                              for what, values in parts if values)
            lines.append(f"  {s.token}: {shown}")
        return "\n".join(lines)


def _num(x: int | Fraction) -> str:
    return str(x)


def _nums(d: dict[str, int | Fraction]) -> dict[str, str]:
    return {k: _num(v) for k, v in d.items()}


def _allowed(ssm: SSM, decision: Decision) -> tuple[str, ...]:
    names = (*ssm.alphabet, EOS)
    return tuple(n for n, ok in zip(names, decision) if ok)


def run_word(machine: Machine, word: Sequence[str], *, trace: bool = False) -> RunResult:
    """Run one word from scratch (the independent path ``refute`` results are re-checked with)."""
    config: Config = machine.start()
    decisions, steps = [], []
    try:
        for t in [0, *machine.token_ids(word)]:
            if trace:
                config, rec = machine.trace_step(config, t)
                steps.append(rec)
                decisions.append(rec.decision)
            else:
                config, d = machine.step(config, t)
                decisions.append(d)
    except NonFiniteValue as err:
        return RunResult(tuple(word), None, None, tuple(steps) if trace else None,
                         f"{getattr(err, 'where', '?')}: {err}")
    return _result(machine.ssm, tuple(word), decisions, tuple(steps) if trace else None)


def _result(ssm: SSM, word: tuple[str, ...], decisions: list[Decision],
            trace: tuple[StepTrace, ...] | None) -> RunResult:
    predictive = ssm.mode is Mode.PREDICT
    allowed = tuple(_allowed(ssm, d) for d in decisions) if predictive else None
    return RunResult(word, decisions[-1][-1], allowed, trace)


def run_words(ssm: SSM, words: str | Sequence[str | Sequence[str]], *,
              fmt: str | Format = "exact", trace: bool = False) -> Iterator[RunResult]:
    """Results in input order; prefixes shared between words are computed once.

    ``words`` is a list of words, each a sequence of symbols or a string written as for
    ``run --input`` (tokens separated by spaces; single-character symbols may be run
    together); a single string is one word, not a list of one-letter words.

    Examples
    --------
    >>> from ssmproof import examples
    >>> [r.accepts for r in run_words(examples.last_is_a(), "b a")]
    [True]
    >>> [r.accepts for r in run_words(examples.last_is_a(), ["ba", ("a", "b")])]
    [True, False]
    """
    if isinstance(words, str):
        words = [words]
    words = [parse_word(w, ssm.alphabet, where="simulate") if isinstance(w, str) else w
             for w in words]
    machine = Machine(ssm, parse(fmt) if isinstance(fmt, str) else fmt)
    if trace:
        for w in words:
            yield run_word(machine, w, trace=True)
        return
    cache: dict[tuple[str, ...], tuple[Config, Decision]] = {}
    for w in words:
        yield _run_cached(machine, tuple(w), cache)


def _run_cached(machine: Machine, word: tuple[str, ...],
                cache: dict[tuple[str, ...], tuple[Config, Decision]]) -> RunResult:
    ids = machine.token_ids(word)
    decisions: list[Decision] = []
    try:
        key: tuple[str, ...] = ()
        if key not in cache:
            cache[key] = machine.step(machine.start(), 0)
        decisions.append(cache[key][1])
        for i, t in enumerate(ids):
            prev = cache[key]
            key = word[: i + 1]
            if key not in cache:
                cache[key] = machine.step(prev[0], t)
            decisions.append(cache[key][1])
    except NonFiniteValue as err:
        return RunResult(word, None, None, None, f"{getattr(err, 'where', '?')}: {err}")
    return _result(machine.ssm, word, decisions, None)
