"""The certificate: what a verification claims, and exactly how much it checked (DESIGN §4).

A certificate never says more than ran: ``all_lengths`` is true only when ``prove`` closed,
``max_length_checked`` is the exhaustive length (or the depth a cut-off proof reached), and
``strings_checked`` counts every string covered, merged ones included.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from ssmproof.errors import SsmproofError
from ssmproof.sim.gates import GateClass
from ssmproof.ssm.vocabulary import Mode
from ssmproof.wordenum import WordEnum

__all__ = ["Method", "Certificate", "VOLATILE_KEYS"]

VOLATILE_KEYS = ("wall_time_s", "toolkit_version")


class Method(WordEnum):
    """How a certificate was obtained: the checks that ran, in the order they ran."""

    PROVE = "prove"
    EXHAUSTIVE = "exhaustive"
    RANDOM = "random"
    BOUNDED = "exhaustive+random"
    PROVE_EXHAUSTIVE = "prove+exhaustive"
    PROVE_RANDOM = "prove+random"
    PROVE_BOUNDED = "prove+exhaustive+random"  # also: a prove that did not close, then bounded
    INVARIANT = "invariant"

    @classmethod
    def of(cls, ran: Iterable[Method]) -> Method:
        """The method of a certificate whose checks ``ran`` (prove, exhaustive, random order).

        >>> Method.of([Method.PROVE, Method.EXHAUSTIVE, Method.RANDOM])
        <Method.PROVE_BOUNDED: 'prove+exhaustive+random'>
        """
        return cls("+".join(m.value for m in ran))


_E = TypeVar("_E", bound=enum.Enum)


def _word(kind: type[_E], value: object, field_name: str) -> _E:
    """``value`` as the enum ``kind`` (a certificate read back from JSON holds strings)."""
    try:
        return kind(value)
    except ValueError:
        words = ", ".join(str(m.value) for m in kind)
        raise SsmproofError(f"certificate: {field_name}: {value!r} is not one of {words}; "
                            "pass a certificate `ssmproof verify --json` wrote") from None


@dataclass(frozen=True)
class Certificate:
    """The answer to *does this SSM recognize / predictively model this language?*"""

    construction: str  # content hash of the SSM
    language: str
    mode: Mode
    format: str
    method: Method
    holds: bool | None
    all_lengths: bool
    max_length_checked: int | None
    configurations: int | None
    edges: int | None = None
    strings_checked: int | None = None
    random_words: int | None = None
    random_max_length: int | None = None
    counterexample: tuple[str, ...] | None = None
    wrong_symbol: str | None = None
    expected: Any = None
    got: Any = None
    seed: int | None = None
    findings: tuple[str, ...] = ()
    gate_class: GateClass | None = None
    gate_class_coverage: str | None = None
    notes: tuple[str, ...] = ()
    toolkit_version: str = ""
    wall_time_s: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """The enums' words are accepted too (``mode="predict"``); anything else is refused."""
        object.__setattr__(self, "mode", _word(Mode, self.mode, "mode"))
        object.__setattr__(self, "method", _word(Method, self.method, "method"))
        if self.gate_class is not None:
            object.__setattr__(self, "gate_class",
                               _word(GateClass, self.gate_class, "gate_class"))

    def to_dict(self, *, volatile: bool = True) -> dict[str, Any]:
        """The JSON object: enums as their words (the keys and values DESIGN §7 fixes)."""
        out = asdict(self)
        out["mode"], out["method"] = self.mode.value, self.method.value
        out["gate_class"] = None if self.gate_class is None else self.gate_class.value
        out["counterexample"] = None if self.counterexample is None else list(self.counterexample)
        out["findings"], out["notes"] = list(self.findings), list(self.notes)
        extra = out.pop("extra")
        out.update(extra)
        if not volatile:
            for k in VOLATILE_KEYS:
                out.pop(k, None)
        return out

    def to_json(self, *, volatile: bool = True) -> str:
        return json.dumps(self.to_dict(volatile=volatile), sort_keys=True, indent=1,
                          ensure_ascii=False) + "\n"

    def summary(self) -> str:
        """One human line: verdict and the exact extent of the check."""
        if self.holds is False:
            word = " ".join(self.counterexample or ()) or "ε (the empty word)"
            extra = f", wrong prediction for {self.wrong_symbol}" if self.wrong_symbol else ""
            return f"FAILS on [{word}]{extra} ({self.method.value}, {self.format})"
        verdict = "HOLDS" if self.holds else "INCONCLUSIVE"
        inv = self.extra.get("invariant")
        if self.all_lengths and inv:
            extent = (f"for all lengths (inductive invariant: {inv['local_checks']} local checks "
                      f"over {inv['groups']} groups)")
        elif self.all_lengths:
            extent = f"for all lengths ({self.configurations} configurations, {self.edges} edges)"
        else:
            parts = []
            if self.max_length_checked is not None:
                count = f" ({self.strings_checked} strings)" if self.strings_checked else ""
                parts.append(f"every string up to length {self.max_length_checked}{count}")
            if self.random_words:
                parts.append(f"{self.random_words} random words up to length "
                             f"{self.random_max_length} (seed {self.seed})")
            extent = "on " + " and ".join(parts) if parts else "(nothing checked)"
        return (f"{verdict} {extent} [{self.mode.value}, {self.format}, "
                f"{self.method.value}]")
