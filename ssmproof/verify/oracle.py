"""The per-position check: compare an SSM decision with what the language says.

The oracle is always the language's own definition (its DFA or step function), never anything
derived from the construction (STYLE §2, step 7).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from ssmproof.lang.automaton import Language, allowed_next
from ssmproof.sim.machine import Decision
from ssmproof.ssm.program import EOS, Mode

__all__ = ["Mismatch", "check", "explores"]


@dataclass(frozen=True)
class Mismatch:
    expected: tuple[bool, ...]
    got: tuple[bool, ...]
    wrong_symbol: str | None


def explores(lang: Language, mode: Mode, state: Hashable) -> bool:
    """Whether a prefix in ``state`` is checked at all (predict: only prefixes of words of L)."""
    return mode is Mode.RECOGNIZE or lang.is_live(state)


def check(lang: Language, mode: Mode, state: Hashable, decision: Decision) -> Mismatch | None:
    """None when ``decision`` is right for a prefix in ``state``; else what went wrong."""
    if mode is Mode.RECOGNIZE:
        want = (lang.accepts_state(state),)
        got = decision[-1:]
        return None if want == got else Mismatch(want, got, None)
    want = allowed_next(lang, state)
    if want == decision:
        return None
    symbols = (*lang.alphabet, EOS)
    wrong = next(symbols[i] for i, (a, b) in enumerate(zip(want, decision)) if a != b)
    return Mismatch(want, decision, wrong)
