"""``verify``: one entry point choosing the method and writing the certificate (DESIGN §4)."""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ssmproof import __version__
from ssmproof.lang import spec as specs
from ssmproof.lang.automaton import Language
from ssmproof.numerics.formats import Format, NonFiniteValue, parse
from ssmproof.sim.gates import GateClass, GateInfo, gate_class_from_values
from ssmproof.sim.machine import Machine
from ssmproof.ssm.jsonio import content_hash
from ssmproof.ssm.program import SSM, Mode
from ssmproof.verify import explore, sampling
from ssmproof.verify.certificate import Certificate, Method
from ssmproof.verify.oracle import check, decision_order, explores
from ssmproof.verify.outcome import Coverage, Fails, Holds, Inconclusive, Outcome, with_note

__all__ = ["verify", "first_failure", "DEFAULT_EXHAUSTIVE", "DEFAULT_RANDOM",
           "DEFAULT_RANDOM_LENGTH", "GATE_ENUMERATION_BUDGET"]

DEFAULT_EXHAUSTIVE, DEFAULT_RANDOM, DEFAULT_RANDOM_LENGTH = 12, 1000, 200


def verify(ssm: SSM, lang: Language | str | os.PathLike[str], *, fmt: str | Format = "exact", mode: Mode | None = None,
           prove: bool = False, exhaustive: int | None = None, random: int | None = None,
           max_length: int | None = None, seed: int = 0, max_configurations: int = 10**6,
           progress: bool = False) -> Certificate:
    """Check ``ssm`` against ``lang`` and say exactly how much was checked.

    Without a method, regular languages are proved and others get the bounded default
    (exhaustive to length 12, plus 1,000 random words up to length 200, half drawn from L).
    ``random`` and ``exhaustive`` certificates say nothing about strings they did not cover.
    ``lang`` may be a language, a spec path or a zoo name (as for ``--against``), or an
    automata-lib DFA; with
    ``progress`` a tqdm bar shows on a terminal while proving or checking exhaustively.
    """
    lang = specs.language_of(lang)  # also a spec path, a zoo name or automata-lib's DFA
    fmt = parse(fmt) if isinstance(fmt, str) else fmt
    mode = Mode(mode or ssm.mode)
    machine = Machine(ssm, fmt, observe_gates=True)
    explore.tokens_for(machine, lang)  # alphabets must agree as sets (orders may differ)
    decision_order(machine, lang, mode)  # predict mode needs per-symbol readouts: else exit 2
    t0 = time.perf_counter()
    asked = prove or exhaustive is not None or random is not None
    if not asked:
        prove = lang.regular
        if not prove:
            exhaustive, random = DEFAULT_EXHAUSTIVE, DEFAULT_RANDOM
    if prove and not lang.regular:
        return _finish(_nonregular_prove(machine, lang, mode, seed), machine, ssm, lang, mode,
                       fmt, t0, seed)
    parts = _run_methods(machine, lang, mode, prove=prove, exhaustive=exhaustive, random=random,
                         max_length=max_length, seed=seed, max_configurations=max_configurations,
                         progress=progress)
    if not asked and prove and isinstance(parts[0].outcome, Inconclusive):
        parts = [_noted(parts[0], "prove did not close; fell back to the bounded default check"),
                 *parts[1:], *_run_methods(machine, lang, mode, exhaustive=DEFAULT_EXHAUSTIVE,
                                           random=DEFAULT_RANDOM, seed=seed)]
    return _finish(parts, machine, ssm, lang, mode, fmt, t0, seed)


@dataclass(frozen=True, slots=True)
class Part:
    """One check that ran: its method, what it found, and (random) how many words how long."""

    method: Method
    outcome: Outcome
    random_words: int | None = None
    random_max_length: int | None = None


def _noted(part: Part, note: str) -> Part:
    return replace(part, outcome=with_note(part.outcome, note))


def _run_methods(machine: Machine, lang: Language, mode: Mode, *, prove: bool = False,
                 exhaustive: int | None = None, random: int | None = None,
                 max_length: int | None = None, seed: int = 0,
                 max_configurations: int = 10**6, progress: bool = False) -> list[Part]:
    parts: list[Part] = []
    if prove:
        with _bar(progress, "prove", max_configurations, "config") as bar:
            parts.append(Part(Method.PROVE, explore.prove(
                machine, lang, mode, max_configurations=max_configurations, progress=bar)))
    if exhaustive is not None and not _failed(parts):
        with _bar(progress, "exhaustive", exhaustive, "length") as bar:
            parts.append(Part(Method.EXHAUSTIVE, explore.exhaustive(
                machine, lang, mode, exhaustive, progress=bar)))
    if random is not None and not _failed(parts):
        length = max_length if max_length is not None else DEFAULT_RANDOM_LENGTH
        parts.append(Part(Method.RANDOM, random_check(machine, lang, mode, random, length, seed),
                          random_words=random, random_max_length=length))
    return parts


def _bar(enabled: bool, desc: str, total: int, unit: str) -> Any:
    """A tqdm bar on a terminal when ``enabled`` (the CLI without --json), else a no-op."""
    if not enabled:
        return contextlib.nullcontext(None)
    from tqdm import tqdm  # only when a bar is shown

    return tqdm(total=total, desc=desc, unit=unit, leave=False, disable=None)  # None: off if
    # stderr is not a terminal


def _failed(parts: list[Part]) -> bool:
    return any(isinstance(p.outcome, Fails) for p in parts)


def _nonregular_prove(machine: Machine, lang: Language, mode: Mode, seed: int) -> list[Part]:
    """The bounded default check; without a failure it is inconclusive (no proof exists)."""
    parts = _run_methods(machine, lang, mode, exhaustive=DEFAULT_EXHAUSTIVE,
                         random=DEFAULT_RANDOM, seed=seed)
    why = (f"'{lang.name}' is not regular: no finite-state proof exists; ran the strongest "
           "bounded check instead (exhaustive to length 12 and 1,000 random words)")
    first = parts[0].outcome
    if _failed(parts):
        return [_noted(parts[0], why), *parts[1:]]
    return [replace(parts[0], outcome=Inconclusive(why, first.coverage, first.notes)), *parts[1:]]


def random_check(machine: Machine, lang: Language, mode: Mode, count: int, max_length: int,
                 seed: int) -> Holds | Fails:
    """Run ``count`` random words, checking every prefix; report the shortest failing prefix."""
    best: Fails | None = None
    strings = 0
    for word in sampling.random_words(lang, count, max_length, seed):
        fail = first_failure(machine, lang, mode, word)
        strings += 1
        if fail is not None and (best is None or
                                 len(fail.counterexample) < len(best.counterexample)):
            best = fail
    return best if best is not None else Holds(Coverage(strings=strings))


def first_failure(machine: Machine, lang: Language, mode: Mode, word: Sequence[str]
                  ) -> Fails | None:
    """The shortest prefix of ``word`` on which the construction is wrong (None: all right).

    One run of ``word``, checking the decision after BOS and after every symbol against
    ``lang``'s own state (in predict mode only while the prefix is a prefix of a word of L).
    Symbols become the construction's tokens by name (:meth:`Machine.token_ids`), so the SSM
    and the language may list the alphabet in different orders. :func:`random_check` and the
    hypothesis phase of :mod:`ssmproof.testing.asserts` both judge words with it, so the two
    cannot disagree on what counts as a failure.

    Parameters
    ----------
    machine : Machine
        The construction under its format.
    lang : Language
        The oracle.
    mode : Mode
        What is checked at each position (acceptance, or the allowed next symbols).
    word : sequence of str
        Symbols by name.

    Returns
    -------
    Fails or None
        The failing prefix as ``counterexample`` and either ``mismatch``
        (what the language wanted and the construction said) or ``non_finite``
        (``<dim>: <what overflowed>``); None when every checked prefix is right.

    Examples
    --------
    >>> from ssmproof import examples
    >>> from ssmproof.lang.api import load
    >>> machine = Machine(examples.parity_signed())
    >>> first_failure(machine, load("parity"), Mode.RECOGNIZE, ("1", "1", "0")) is None
    True
    >>> first_failure(machine, load("tomita:1"), Mode.RECOGNIZE, ("1", "1", "0")).counterexample
    ('1',)
    """
    config, q = machine.start(), lang.initial()
    index = {s: i for i, s in enumerate(lang.alphabet)}
    tokens = machine.token_ids(word)
    order = decision_order(machine, lang, mode)
    for t in range(len(word) + 1):
        if t:
            q = lang.step(q, index[word[t - 1]])
        if not explores(lang, mode, q):
            return None
        try:
            config, decision = machine.step(config, tokens[t - 1] if t else 0)
        except NonFiniteValue as err:
            return Fails(tuple(word[:t]), non_finite=explore.describe(err))
        mismatch = check(lang, mode, q, decision, order)
        if mismatch is not None:
            return Fails(tuple(word[:t]), mismatch=mismatch)
    return None


def _finish(parts: list[Part], machine: Machine, ssm: SSM, lang: Language, mode: Mode,
            fmt: Format, t0: float, seed: int) -> Certificate:
    outs = [p.outcome for p in parts]
    fail = next((o for o in outs if isinstance(o, Fails)), None)
    holds = False if fail else (None if any(isinstance(o, Inconclusive) for o in outs) else True)
    proved = next((p.outcome for p in parts if p.method is Method.PROVE), None)
    closed = isinstance(proved, Holds) and proved.closed
    all_lengths = closed and fail is None
    exh = next((p.outcome for p in parts if p.method is Method.EXHAUSTIVE), None)
    rnd = next((p for p in parts if p.method is Method.RANDOM), None)
    depth = exh.coverage.depth if exh else (
        proved.coverage.depth if proved and not closed else None)
    findings = set(machine.findings)  # from the checks that ran, before the gate enumeration
    gate, scope = _gate_class(machine, mode, all_lengths)
    notes = tuple(n for o in outs for n in _notes(o)) + _mode_note(ssm, mode)
    mismatch = fail.mismatch if fail else None
    return Certificate(
        construction=content_hash(ssm), language=lang.name, mode=mode, format=str(fmt),
        method=Method.of(p.method for p in parts), holds=holds, all_lengths=all_lengths,
        max_length_checked=None if all_lengths else depth,
        configurations=proved.coverage.configurations if proved else None,
        edges=proved.coverage.edges if proved else None,
        strings_checked=exh.coverage.strings if exh else None,
        random_words=rnd.random_words if rnd else None,
        random_max_length=rnd.random_max_length if rnd else None,
        counterexample=fail.counterexample if fail else None,
        wrong_symbol=mismatch.wrong_symbol if mismatch else None,
        expected=list(mismatch.expected) if mismatch else None,
        got=list(mismatch.got) if mismatch else None,
        seed=seed if rnd else None,
        findings=tuple(sorted({f"{f.kind}: {f.where}" for f in findings}
                              | ({f"non_finite: {fail.non_finite}"} if fail and fail.non_finite
                                 else set()))),
        gate_class=GateClass(gate.gate_class), gate_class_coverage=f"{scope}; {gate.detail}",
        notes=notes, toolkit_version=__version__,
        wall_time_s=round(time.perf_counter() - t0, 3),
        extra=_memory(ssm, proved, all_lengths) | _accumulation(machine, lang, mode, proved,
                                                               all_lengths),
    )


def _accumulation(machine: Machine, lang: Language, mode: Mode, proved: Outcome | None,
                  all_lengths: bool) -> dict[str, object]:
    """Issue 15 (2): whether a closed finite-format proof also holds when dot products are
    accumulated in float32 (:mod:`ssmproof.verify.accumulation`); absent where it cannot say."""
    from ssmproof.verify import accumulation  # keeps start-up light (runs after a proof only)

    if not all_lengths or proved is None:
        return {}
    block = accumulation.float32_accumulation(machine, lang, mode,
                                              proved.coverage.configurations)
    return {} if block is None else {"float32_accumulation": block}


def _notes(outcome: Outcome) -> tuple[str, ...]:
    """An inconclusive check's reason comes first among its notes."""
    if isinstance(outcome, Inconclusive):
        return (outcome.reason, *outcome.notes)
    return outcome.notes


def _mode_note(ssm: SSM, mode: Mode) -> tuple[str, ...]:
    """Recognize mode on a predictive construction judges its EOS readout: say so."""
    if mode is Mode.RECOGNIZE and ssm.mode is Mode.PREDICT:
        return ("recognize mode on a predictive construction: acceptance is its EOS readout "
                "(EOS predicted after the whole word), judged on every word, not only on "
                "prefixes of the language",)
    return ()


def _memory(ssm: SSM, proved: Outcome | None, all_lengths: bool) -> dict[str, object]:
    """DESIGN §4: memory as state dims, and as bits = log₂(reachable configurations); with
    ``prove``, the values one compact configuration holds (:mod:`ssmproof.sim.compact`)."""
    configurations = proved.coverage.configurations if proved and all_lengths else 0
    bits = round(math.log2(configurations), 3) if configurations else None
    return {"state_dims": ssm.state_dims, "memory_bits": bits,
            "values_per_configuration":
                proved.coverage.values_per_configuration if proved else None}


GATE_ENUMERATION_BUDGET = (20_000, 256)
"""Configurations, and symbols deep, a predict-mode gate-class enumeration may go."""


def _gate_class(machine: Machine, mode: Mode, all_lengths: bool) -> tuple[GateInfo, str]:
    """The gate class and exactly which gate values it was computed from (DESIGN §2).

    A closed recognize-mode proof stepped every word, so it met every reachable gate value. A
    closed predict-mode proof stepped only prefixes of L; gates on other words are values the
    model produces too, so the remaining configurations are enumerated (within a budget).
    """
    if not all_lengths:
        return (gate_class_from_values(machine.gate_values),
                "gate values met by the checks that ran (observed)")
    if mode is Mode.RECOGNIZE:
        return (gate_class_from_values(machine.gate_values),
                "every reachable gate value (the proof closed)")
    configurations, depth = GATE_ENUMERATION_BUDGET
    complete = explore.reachable(machine, configurations, depth)
    if complete:
        return (gate_class_from_values(machine.gate_values, complete=True),
                "every reachable gate value (the proof closed on prefixes of L, then every "
                "configuration of every word was enumerated)")
    return (gate_class_from_values(machine.gate_values),
            "gate values met on every prefix of L and on other words within "
            f"{configurations} configurations and length {depth} (observed)")
