"""Does a torch module compute what the simulator computes? Checked position by position.

Two checks, each comparing, at every position of every word, the module's decisions and every
layer's state with :class:`~ssmproof.sim.machine.Machine`'s, in both recurrence modes (parallel
scan and sequential):

- :func:`exhaustive` covers **every word up to a length** without running each one. The module,
  like the Machine, reads one token per step and its step depends only on the configuration
  (every layer's state and lag buffer) and the token. So if the module agrees with the Machine on
  one word per (configuration reached at depth k, next symbol), by induction on k it agrees on
  every word of length ≤ N: two words with the same Machine configuration have the same module
  configuration (induction hypothesis), hence the same next step. The check runs exactly those
  representatives and counts the words they stand for.
- :func:`random_words` runs seeded random words of lengths spread up to a maximum.

A word on which the Machine overflows (``NonFiniteValue``) agrees when the module flags
``nonfinite`` at that position; a word the module flags ``inexact`` anywhere counts as a
separate count, ``flagged``: there the module could not prove its float64 arithmetic exact, so
it claims nothing (a user replays such words on the simulator); such a word is compared
anyway and counted as a mismatch only if it is not flagged.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.sim.machine import Config, Decision, Machine
from ssmproof.ssm.program import SSM
from ssmproof.torch.module import SSMModule, encode_words, to_module

__all__ = ["Agreement", "exhaustive", "random_words", "compare"]

Word = tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    """The outcome of one check.

    Attributes
    ----------
    fmt : str
    words_covered : int
        Words whose every position was shown to agree (all words up to the length, for
        :func:`exhaustive`).
    words_run : int
        Words actually run through the module (each in both recurrence modes).
    positions : int
        Positions compared (per mode).
    mismatches : int
        Unflagged words on which module and Machine differ.
    flagged : int
        Words the module flagged ``inexact`` (not counted in ``words_covered``).
    first_mismatch : tuple of str or None
        The first such word, for the report.
    """

    fmt: str
    words_covered: int
    words_run: int
    positions: int
    mismatches: int
    first_mismatch: Word | None
    flagged: int = 0

    @property
    def agrees(self) -> bool:
        """Every word agreed and none was flagged."""
        return self.mismatches == 0 and self.flagged == 0


def _machine_trace(machine: Machine, word: Word
                   ) -> tuple[list[Config], list[Decision], int | None]:
    """Configs and decisions after BOS and each symbol; the position of an overflow, if any."""
    config, configs, decisions = machine.start(), [], []
    for t, token in enumerate([0, *machine.token_ids(word)]):
        try:
            config, decision = machine.step(config, token)
        except NonFiniteValue:
            return configs, decisions, t
        configs.append(config)
        decisions.append(decision)
    return configs, decisions, None


Trace = tuple[list[Config], list[Decision], "int | None"]  # configs, decisions, overflow at


def compare(module: SSMModule, machine: Machine, words: Sequence[Word], batch: int = 512,
            traces: dict[Word, Trace] | None = None) -> tuple[int, int, Word | None, int]:
    """(positions compared, unflagged words that disagree, first such word, flagged words), in
    both recurrence modes.

    ``traces`` may give the Machine's trace of some words (computed once by the caller).
    """
    positions, bad, first, flagged = 0, 0, None, 0
    n_states = machine.ssm.state_dims
    for start in range(0, len(words), batch):
        chunk = list(words[start:start + batch])
        symbols = encode_words(module, chunk, device=next(module.parameters()).device)
        with torch.no_grad():
            outs = [module(symbols, scan=True), module(symbols, scan=False)]
        for k, word in enumerate(chunk):
            trace = traces[word] if traces else _machine_trace(machine, word)
            configs, decisions, overflow = trace
            ok = all(_word_agrees(o, k, configs, decisions, overflow, n_states) for o in outs)
            positions += len(configs)
            if any(bool(o.inexact[k, :len(configs)].any()) for o in outs):
                flagged += 1
            elif not ok:
                bad += 1
                first = first or word
    return positions, bad, first, flagged


def _word_agrees(out: object, k: int, configs: list[Config], decisions: list[Decision],
                 overflow: int | None, n_states: int) -> bool:
    n = len(configs)
    if overflow is not None and not bool(out.nonfinite[k, overflow]):  # type: ignore
        return False
    got = out.decisions[k, :n].tolist()  # type: ignore[attr-defined]
    if [tuple(d) for d in got] != [tuple(d) for d in decisions]:
        return False
    if n_states == 0:
        return True
    states = torch.cat([s[k, :n].double() for s in out.states], dim=-1)  # type: ignore
    want = torch.tensor([[float(v) for v in c[:n_states]] for c in configs],
                        dtype=torch.float64)
    return bool(torch.equal(states.cpu(), want))


def exhaustive(ssm: SSM, fmt: str, max_length: int, *, module: SSMModule | None = None
               ) -> Agreement:
    """Agreement on every word of length ≤ ``max_length`` (see the module docstring's argument).

    Examples
    --------
    >>> from ssmproof import examples
    >>> a = exhaustive(examples.parity_signed(), "bfloat16", 10)
    >>> a.agrees, a.words_covered, a.words_run
    (True, 2047, 39)
    """
    machine = Machine(ssm, parse(fmt))
    module = module or to_module(ssm, fmt)
    traces = _representatives(machine, max_length)
    words = list(traces)
    positions, bad, first, flagged = compare(module, machine, words, traces=traces)
    covered = sum(len(ssm.alphabet) ** k for k in range(max_length + 1)) if not flagged else 0
    return Agreement(fmt, covered, len(words), positions, bad, first, flagged)


def _representatives(machine: Machine, max_length: int) -> dict[Word, Trace]:
    """One word per (configuration at depth k, next symbol), plus the empty word, each with the
    Machine's trace (extended one step from its parent's, never recomputed)."""
    empty = _machine_trace(machine, ())
    out: dict[Word, Trace] = {(): empty}
    frontier: dict[Config, Word] = {} if empty[2] is not None else {empty[0][-1]: ()}
    for _ in range(max_length):
        nxt: dict[Config, Word] = {}
        for config, word in frontier.items():
            configs, decisions, _ = out[word]
            for i, s in enumerate(machine.ssm.alphabet):
                child = (*word, s)
                try:
                    new, decision = machine.step(config, i + 1)
                except NonFiniteValue:
                    out[child] = (configs, decisions, len(configs))
                    continue
                out[child] = ([*configs, new], [*decisions, decision], None)
                nxt.setdefault(new, child)
        frontier = nxt
    return out


def random_words(ssm: SSM, fmt: str, count: int, max_length: int, *, seed: int = 0,
                 module: SSMModule | None = None) -> Agreement:
    """Agreement on ``count`` seeded random words, lengths uniform in ``[0, max_length]``.

    Examples
    --------
    >>> from ssmproof import examples
    >>> random_words(examples.contains_aa(), "float32", 5, 50).agrees
    True
    """
    rng = random.Random(seed)
    alphabet = ssm.alphabet
    words = [tuple(rng.choice(alphabet) for _ in range(rng.randint(0, max_length)))
             for _ in range(count)]
    machine = Machine(ssm, parse(fmt))
    module = module or to_module(ssm, fmt)
    positions, bad, first, flagged = compare(module, machine, words, batch=64)
    return Agreement(fmt, count - flagged, count, positions, bad, first, flagged)
