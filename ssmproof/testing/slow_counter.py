"""Nonnegative SSMs that are right on every short u·wⁿ·v: a slow counter read through a sawtooth.

Why: random SSMs are almost always wrong on some short word, so the refuter's direct scan of
n = 0 … 63 decides them and says nothing about the stabilisation argument. These SSMs are built
to agree with the language on u·wⁿ·v for every n < ``teeth``, so only the argument can refute
them — and they have exactly the shape the argument finds hardest: a gate-1 counter in layer 1
(float32 stops it only after millions of blocks) read by a stateful layer above it.

- Layer 1: a counter x (gate 1 on every token, input δ_σ ≥ 0 per symbol, at least one symbol of
  w counting), so after u·wⁿ·v it holds X_n = x₀ + δ(u) + n·δ(w) + δ(v). Its ReLU MLP is the
  piecewise-linear interpolation of ±1 (+1 where u·wⁿ·v is in the language) through the points
  (X_n, ±1), n < ``teeth``, continued past the last one with slope ``tail``.
- Layer 2: a reader r with gate 0 and input the sawtooth; the readout accepts iff r > 0. A
  second channel of layer 2 may add up the sawtooth (gate 1): it is never read, but it keeps the
  configuration from ever repeating, as the readers of a slow counter do.

The SSM is right for n < ``teeth`` whenever the format computes X_n and the sawtooth exactly
(true in exact arithmetic; :func:`right_on_short_words` checks it in any format).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ssmproof.lang.automaton import DFA
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import BOS, ONE, SSM, Activation, Dense, Layer, Mode, \
    default_embedding, tok

__all__ = ["sawtooth_counter", "random_slow_counter", "right_on_short_words", "TEETH"]

TEETH = 64
"""Short words u·wⁿ·v (n < TEETH) the built SSMs answer right: the refuter's default scan."""


def sawtooth_counter(dfa: DFA, witness: tuple[Sequence[str], Sequence[str], Sequence[str], int],
                     *, steps: dict[str, Fraction], start: Fraction = Fraction(0),
                     teeth: int = TEETH, tail: Fraction = Fraction(0),
                     accumulator: bool = False, name: str = "slow_counter") -> SSM:
    """The SSM of the module docstring for ``dfa`` and its witness (u, w, v, p).

    ``steps`` maps each symbol to its counter input δ_σ ≥ 0 (missing: 0); δ(w) must be > 0.

    Examples
    --------
    PARITY on 1ⁿ, counting 1/4 per 1: right for every n < 64 in exact arithmetic.

    >>> from ssmproof.lang import zoo, dfa as dfas
    >>> parity = dfas.from_language(zoo.language("parity"))
    >>> ssm = sawtooth_counter(parity, ((), ("1",), (), 2), steps={"1": Fraction(1, 4)})
    >>> right_on_short_words(ssm, parity, ((), ("1",), (), 2), "exact")
    True
    """
    u, w, v, _ = witness
    delta = sum((steps.get(s, Fraction(0)) for s in w), Fraction(0))
    if delta <= 0 or any(d < 0 for d in steps.values()):
        raise ValueError("counter steps must be >= 0 and add up to > 0 over w")
    offset = start + sum((steps.get(s, Fraction(0)) for s in (*u, *v)), Fraction(0))
    points = [offset + n * delta for n in range(teeth)]
    labels = [Fraction(1) if _member(dfa, (*u, *w * n, *v)) else Fraction(-1)
              for n in range(teeth)]
    slopes = [(labels[k + 1] - labels[k]) / delta for k in range(teeth - 1)] + [tail]
    kinks = [slopes[0], *(slopes[k] - slopes[k - 1] for k in range(1, teeth))]
    hidden = tuple(f"L1.z{k}" for k in range(teeth))
    first = Dense(hidden, {z: {"L1.x": 1} for z in hidden},
                  {z: -p for z, p in zip(hidden, points) if p != 0})
    second = Dense(("L1.saw",), {"L1.saw": {z: c for z, c in zip(hidden, kinks) if c != 0}},
                   {"L1.saw": labels[0]}, activation=Activation.LINEAR)
    alphabet = dfa.alphabet
    counter = Layer("L1", ("L1.x",), gate={"L1.x": {ONE: 1}},
                    input={"L1.x": {tok(s): d for s, d in steps.items() if d != 0}},
                    init={"L1.x": start} if start else {}, mlp=(first, second))
    state = ("L2.r", "L2.sum") if accumulator else ("L2.r",)
    gate = {"L2.r": {}, **({"L2.sum": {ONE: 1, tok(BOS): -1}} if accumulator else {})}
    reader = Layer("L2", state, gate=gate, input={s: {"L1.saw": 1} for s in state},
                   export=("L2.r",))
    return SSM(name, Mode.RECOGNIZE, alphabet, default_embedding(alphabet), (counter, reader),
               accept={"L2.r": 1})


def random_slow_counter(rng: np.random.Generator, dfa: DFA,
                        witness: tuple[Sequence[str], Sequence[str], Sequence[str], int], *,
                        teeth: int = TEETH) -> SSM:
    """A :func:`sawtooth_counter` with random steps (dyadic, some symbols not counted), start,
    tail slope and accumulator; whether it is right on short words in a format is for
    :func:`right_on_short_words` to say (the caller redraws)."""
    scale = Fraction(1, 2 ** int(rng.integers(0, 6)))
    counted = {s: scale * int(rng.integers(0, 3)) for s in dfa.alphabet}
    w = witness[1]
    if sum(counted[s] for s in w) == 0:
        counted[w[int(rng.integers(len(w)))]] = scale
    start = scale * int(rng.integers(-4, 5))
    tail = Fraction(int(rng.integers(-2, 3)), 2 ** int(rng.integers(0, 4))) / scale
    return sawtooth_counter(dfa, witness, steps=counted, start=start, teeth=teeth, tail=tail,
                            accumulator=bool(rng.random() < 0.5), name="random_slow_counter")


def right_on_short_words(ssm: SSM, dfa: DFA,
                         witness: tuple[Sequence[str], Sequence[str], Sequence[str], int],
                         fmt: str, *, teeth: int = TEETH) -> bool:
    """Whether ``ssm`` answers u·wⁿ·v right for every n < ``teeth`` under ``fmt`` (runs them)."""
    m = Machine(ssm, parse(fmt))
    u, w, v, _ = witness
    try:
        return all(m.accepts((*u, *w * n, *v)) == _member(dfa, (*u, *w * n, *v))
                   for n in range(teeth))
    except NonFiniteValue:
        return False


def _member(dfa: DFA, word: Sequence[str]) -> bool:
    index = {s: i for i, s in enumerate(dfa.alphabet)}
    q = dfa.start
    for s in word:
        q = dfa.delta[q][index[s]]
    return q in dfa.accepting
