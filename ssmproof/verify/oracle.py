"""The per-position check: compare an SSM decision with what the language says.

The oracle is always the language's own definition (its DFA or step function), never anything
derived from the construction (STYLE §2, step 7). Symbols are matched by *name* (DESIGN §2): a
construction may list its alphabet in another order than the language, so a predictive
decision is first put in the language's order (:func:`decision_order`), never zipped by position.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import Language, allowed_next
from ssmproof.sim.machine import Decision, Machine
from ssmproof.ssm.program import EOS, Mode

__all__ = ["Mismatch", "check", "explores", "decision_order"]


@dataclass(frozen=True)
class Mismatch:
    """What the language wanted and what the construction said, in the language's order."""

    expected: tuple[bool, ...]
    got: tuple[bool, ...]
    wrong_symbol: str | None


def explores(lang: Language, mode: Mode, state: Hashable) -> bool:
    """Whether a prefix in ``state`` is checked at all (predict: only prefixes of words of L)."""
    return mode is Mode.RECOGNIZE or lang.is_live(state)


def decision_order(machine: Machine, lang: Language, mode: Mode) -> tuple[int, ...]:
    """Where each of the language's symbols, then EOS, sits in ``machine``'s decisions.

    Recognition reads the last readout only (``accept``, or EOS of a predictive construction)
    and gets ``()``. Predict mode on a construction without per-symbol readouts is bad input,
    not a verdict.

    Examples
    --------
    >>> from ssmproof import examples
    >>> from ssmproof.lang.api import load
    >>> decision_order(Machine(examples.dyck1_predictor(2)), load("dyck:1,2"), Mode.PREDICT)
    (0, 1, 2)
    """
    if mode is Mode.RECOGNIZE:
        return ()
    if machine.ssm.mode is not Mode.PREDICT:
        raise SsmproofError(f"{machine.ssm.name}: mode: '{machine.ssm.name}' is a recognizer (no "
                            "`next` readouts), so it predicts nothing; check it with mode "
                            "recognize, or add a `next` readout per symbol and EOS")
    where = {s: i for i, s in enumerate(machine.decision_names)}
    missing = [s for s in (*lang.alphabet, EOS) if s not in where]
    if missing:
        raise SsmproofError(f"{machine.ssm.name}: readout.next: no readout for {missing[0]!r} of "
                            f"'{lang.name}'; give one per symbol and EOS")
    return tuple(where[s] for s in (*lang.alphabet, EOS))


def check(lang: Language, mode: Mode, state: Hashable, decision: Decision,
          order: tuple[int, ...], *, allowed: tuple[bool, ...] | None = None
          ) -> Mismatch | None:
    """None when ``decision`` is right for a prefix in ``state``; else what went wrong.

    ``order`` is :func:`decision_order` of the machine that made ``decision``. ``allowed``:
    :func:`~ssmproof.lang.automaton.allowed_next` of ``state`` when the caller has already
    stepped the language on every symbol (the product search does), so it is not stepped again.
    """
    if mode is Mode.RECOGNIZE:
        want = (lang.accepts_state(state),)
        got = decision[-1:]
        return None if want == got else Mismatch(want, got, None)
    want = allowed_next(lang, state) if allowed is None else allowed
    got = tuple([decision[i] for i in order])
    if want == got:
        return None
    symbols = (*lang.alphabet, EOS)
    wrong = next(s for s, a, b in zip(symbols, want, got) if a != b)
    return Mismatch(want, got, wrong)
