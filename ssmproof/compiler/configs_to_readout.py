"""Reachable cascade configurations → readout decisions, each a sum of cubes (DESIGN §2 readout).

The cascade's covering map (``decode``) sends a configuration to a DFA state; the readout needs
only what follows from that state: *recognition* asks whether it is accepting; *prediction* asks,
for each symbol σ, whether δ(q, σ) is live, and for EOS whether q is accepting. Each decision is a
0/1 function of the configuration, needed only on reachable configurations — and in predictive
mode only on those whose state is live, since the verifier (and the task) only ever reads the
predictions on prefixes of words of the language. The decode and the decision are therefore
covered *together*, as one function per decision, which needs far fewer ReLU units than a
per-state decode followed by a lookup.

A decision is read out as ``Σ cubes > 0`` (cover the true configurations) or ``1 − Σ cubes > 0``
(cover the false ones), whichever takes fewer cubes; cubes that two decisions share are one unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ssmproof.algebra.cascade import Condition
from ssmproof.compiler import cover_cubes
from ssmproof.lang.automaton import DFA
from ssmproof.ssm.program import EOS, Mode

__all__ = ["Decision", "decisions"]


@dataclass(frozen=True, slots=True)
class Decision:
    """One readout: ``key`` ("accept", a symbol or "EOS"), and its cover.

    ``positive`` says whether the cubes cover the true configurations (readout ``Σ cubes``) or
    the false ones (readout ``1 − Σ cubes``).
    """

    key: str
    positive: bool
    cubes: tuple[Condition, ...]


def decisions(configs: npt.NDArray[np.int64], states: Sequence[int], dfa: DFA, mode: Mode
              ) -> tuple[Decision, ...]:
    """The readouts of ``mode`` as covers over the reachable ``configs``.

    Parameters
    ----------
    configs : ndarray, shape (R, H)
        Reachable configurations.
    states : sequence of int
        ``states[i]`` = the DFA state configuration i decodes to.
    dfa : DFA
        The (minimal) automaton the cascade covers.
    mode : Mode

    Examples
    --------
    >>> from ssmproof.algebra.examples import last_is_a
    >>> table = np.array([[1], [2]])  # level 1: {q0} = after b (or ε), {q1} = after a
    >>> (d,) = decisions(table, [0, 1], last_is_a(), Mode.RECOGNIZE)
    >>> d.key, d.positive, d.cubes
    ('accept', True, (((1, (2,)),),))
    """
    q = np.asarray(states, dtype=np.int64)
    accepting = np.isin(q, sorted(dfa.accepting))
    if Mode(mode) is Mode.RECOGNIZE:
        return (_decision("accept", configs, accepting, ~accepting),)
    live = np.isin(q, sorted(dfa.live))
    out = []
    for a, symbol in enumerate(dfa.alphabet):
        nxt = np.array([dfa.delta[s][a] in dfa.live for s in q.tolist()], dtype=bool)
        out.append(_decision(symbol, configs, live & nxt, live & ~nxt))
    out.append(_decision(EOS, configs, live & accepting, live & ~accepting))
    return tuple(out)


def _decision(key: str, configs: npt.NDArray[np.int64], true: npt.NDArray[np.bool_],
              false: npt.NDArray[np.bool_]) -> Decision:
    on = cover_cubes.cover(configs, true, false)
    off = cover_cubes.cover(configs, false, true)
    if len(off) < len(on):
        return Decision(key, False, off)
    return Decision(key, True, on)
