"""What a refutation returns: a frozen :class:`Refutation` and its per-layer stabilisation trace.

"No" is a value (STYLE R5): an argument that does not apply, or an orbit that did not settle
within the budget, is a :class:`Refutation` with ``found=False`` and a :class:`Status` saying
which, never an exception. Only bad input (an unreadable file, a malformed witness) raises.

The JSON keys are those of DESIGN §7 (``found``, ``u``, ``w``, ``v``, ``n``, ``input``,
``ssm_accepts``, ``in_language``, ``reason``) plus the trace and the re-check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ssmproof.wordenum import WordEnum

__all__ = ["Status", "LayerTrace", "Refutation", "MAX_SPELLED", "EXIT_CODES"]

MAX_SPELLED = 10**6
"""Words longer than this are reported as (u, w, v, n) only (DESIGN §7: ``input`` is null)."""


class Status(WordEnum):
    """The outcome of :func:`ssmproof.refute.stabilise.refute`; the value is the JSON word."""

    FOUND = "found"
    NOT_APPLICABLE = "not_applicable"
    NOT_STABILISED = "not_stabilised"


EXIT_CODES = {Status.FOUND: 0, Status.NOT_APPLICABLE: 1, Status.NOT_STABILISED: 3}
"""DESIGN §4: 0 a word found, 1 the argument does not apply, 3 not stabilised (2 = bad input)."""


@dataclass(frozen=True, slots=True)
class LayerTrace:
    """When one layer settled: ``stable_from`` is the first block boundary n from which the layer's
    states and lag buffer no longer change (``None`` when the run stopped before it settled).

    ``how`` says whether the value was observed block by block (``"stepped"``) or computed by a
    sound jump over a one-dimensional monotone orbit (``"jumped"``).
    """

    layer: str
    stable_from: int | None
    how: str = "stepped"

    def to_dict(self) -> dict[str, object]:
        return {"layer": self.layer, "stable_from": self.stable_from, "how": self.how}


@dataclass(frozen=True, slots=True)
class Refutation:
    """The result of running the impossibility argument on one SSM, language and format.

    Attributes
    ----------
    status : Status
    format : str
        Canonical name of the format the SSM was run in.
    language : str
    reason : str or None
        Why the argument does not apply, or why it stopped (``NOT_STABILISED``).
    u, w, v : tuple of str
        The witness words actually used; ``v`` may be a prefix of the witness's ``v`` in a
        predictive construction when the error is found before its end.
    period : int or None
        The witness's period p.
    n : int or None
        The number of ``w`` blocks of the word on which the SSM errs.
    input : tuple of str or None
        ``u·wⁿ·v`` spelled out when at most :data:`MAX_SPELLED` symbols.
    length : int or None
        ``|u·wⁿ·v|`` (known even when the word is not spelled out).
    ssm_accepts, in_language : bool or None
        The SSM's answer (the ``accept`` readout, or EOS in a predictive construction) and the
        language's. ``ssm_accepts`` is ``None`` when the run overflowed (``non_finite``).
    wrong_symbol : str or None
        Predictive constructions: the symbol (or ``"EOS"``) whose prediction is wrong.
    ssm_allows : bool or None
        Predictive constructions: whether the SSM predicts ``wrong_symbol`` allowed.
    stabilised_at : int or None
        The block boundary N with config(N) = config(N + 1): every larger n gives the same answer.
    blocks_run : int
        The furthest block boundary reached (jumps included).
    layers : tuple of LayerTrace
    suggest_formats : tuple of str
        Finite formats to try when exact arithmetic does not settle.
    recheck : str or None
        How the result was re-checked independently, and that it agreed.
    non_finite : str or None
        The overflow met, when the SSM's computation on the word is not finite.
    """

    status: Status
    format: str
    language: str
    reason: str | None = None
    u: tuple[str, ...] = ()
    w: tuple[str, ...] = ()
    v: tuple[str, ...] = ()
    period: int | None = None
    n: int | None = None
    input: tuple[str, ...] | None = None
    length: int | None = None
    ssm_accepts: bool | None = None
    in_language: bool | None = None
    wrong_symbol: str | None = None
    ssm_allows: bool | None = None
    stabilised_at: int | None = None
    blocks_run: int = 0
    layers: tuple[LayerTrace, ...] = ()
    suggest_formats: tuple[str, ...] = ()
    recheck: str | None = None
    non_finite: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def found(self) -> bool:
        return self.status is Status.FOUND

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def to_dict(self) -> dict[str, object]:
        """The ``refute --json`` object (DESIGN §7 keys, then the trace)."""
        return {
            "found": self.found, "status": self.status.value, "format": self.format,
            "language": self.language, "reason": self.reason,
            "u": list(self.u), "w": list(self.w), "v": list(self.v), "period": self.period,
            "n": self.n, "input": None if self.input is None else list(self.input),
            "length": self.length, "ssm_accepts": self.ssm_accepts,
            "in_language": self.in_language, "wrong_symbol": self.wrong_symbol,
            "ssm_allows": self.ssm_allows,
            "stabilised_at": self.stabilised_at, "blocks_run": self.blocks_run,
            "layers": [t.to_dict() for t in self.layers],
            "suggest_formats": list(self.suggest_formats), "recheck": self.recheck,
            "non_finite": self.non_finite, "notes": list(self.notes),
        }

    def summary(self) -> str:
        """A few readable lines for the CLI."""
        word = _word(self.u) + f" · ({_word(self.w)})^n · " + _word(self.v)
        head = {Status.FOUND: "refuted", Status.NOT_APPLICABLE: "argument does not apply",
                Status.NOT_STABILISED: "inconclusive"}[self.status]
        lines = [f"{head}: {self.language} under {self.format}"]
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        if self.w:
            lines.append(f"  witness: u·wⁿ·v = {word}, period {self.period}")
        if self.found:
            lines += self._found_lines()
        elif self.blocks_run:
            lines.append(f"  furthest block reached: {self.blocks_run}")
        lines += [f"  layer {t.layer}: constant from block {t.stable_from} ({t.how})"
                  if t.stable_from is not None else f"  layer {t.layer}: not yet constant"
                  for t in self.layers]
        if self.suggest_formats:
            lines.append("  try: " + ", ".join(f"--format {f}" for f in self.suggest_formats))
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _found_lines(self) -> list[str]:
        spelled = _word(self.input) if self.input is not None and len(self.input) <= 60 else \
            f"({self.length} symbols)"
        if self.non_finite:
            verdict = f"the SSM's computation overflows: {self.non_finite}"
        else:
            if self.wrong_symbol not in (None, "EOS"):
                allowed = "allowed" if self.ssm_allows else "not allowed"
                what = f"predicts {self.wrong_symbol} {allowed} after the word"
            else:
                what = "accepts" if self.ssm_accepts else "rejects"
            member = "in the language" if self.in_language else "not in the language"
            verdict = f"the SSM {what}; the word is {member}"
        lines = [f"  n = {self.n}: {spelled}", f"  {verdict}"]
        if self.stabilised_at is not None:
            lines.append(f"  the configuration is constant from block {self.stabilised_at} on")
        if self.recheck:
            lines.append(f"  re-checked: {self.recheck}")
        return lines


def _word(w: tuple[str, ...] | None) -> str:
    if not w:
        return "ε"
    sep = "" if all(len(s) == 1 for s in w) else " "
    return sep.join(w)
