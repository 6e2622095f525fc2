"""Seeded random SSMs: constructions nobody designed, for testing the verifier and the refuter.

:func:`random_ssm` is a plain function of a numpy ``Generator`` (or a seed), so that hypothesis
strategies can wrap it (draw a seed, call the function) and benchmarks can run it in a loop.
Every weight is an exact rational with a small denominator, every gate a fixed function of the
tokens (and, through a clamp, of lower layers) whose values lie in [0, 1] (``nonnegative``) or
[−1, 1] (``signed``) — so the gate class is known by construction, not only observed.

Gates equal to 1 (counters) and 0 (resets) are drawn often on purpose: they are the slow and the
fast cases of the impossibility argument.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ssmproof.ssm.program import (
    BOS,
    EOS,
    ONE,
    SSM,
    Activation,
    Dense,
    Layer,
    Mode,
    Row,
    default_embedding,
    tok,
)
from ssmproof.ssm.validate import validate

__all__ = ["random_ssm", "GATE_CLASSES"]

GATE_CLASSES = ("nonnegative", "signed")
_DENOMINATORS = (1, 2, 3, 4, 8)


def _generator(rng: np.random.Generator | int) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def _rational(rng: np.random.Generator, lo: Fraction, hi: Fraction) -> Fraction:
    """A rational in [lo, hi] with a denominator from a small set."""
    den = int(rng.choice(_DENOMINATORS))
    a, b = math.ceil(lo * den), math.floor(hi * den)
    return Fraction(int(rng.integers(a, b + 1)), den)


def _gate_value(rng: np.random.Generator, top: Fraction, signed: bool) -> Fraction:
    """A gate coefficient in [0, top] (or [−top, top]): 1/4 of the time the top, 1/8 zero."""
    r = rng.random()
    if r < 0.25:
        value = top
    elif r < 0.375:
        value = Fraction(0)
    else:
        value = _rational(rng, Fraction(0), top)
    if signed and rng.random() < 0.5:
        value = -value
    return value


def _nonzero(row: dict[str, Fraction]) -> dict[str, Fraction]:
    """Zero entries dropped, so the SSM is already in the canonical sparse form of its JSON."""
    return {d: c for d, c in row.items() if c != 0}


def _sparse_row(rng: np.random.Generator, dims: Sequence[str], scale: Fraction,
                density: float = 0.6) -> dict[str, Fraction]:
    return _nonzero({d: _rational(rng, -scale, scale) for d in dims if rng.random() < density})


def _clamp_pre_mlp(name: str, source: str) -> tuple[Dense, Dense]:
    """clamp(x, 0, 1) = relu(x) − relu(x − 1): a gate feature in [0, 1] read from a lower layer."""
    pos, over, out = f"{name}.pos", f"{name}.over", f"{name}.clamp"
    first = Dense((pos, over), {pos: {source: 1}, over: {source: 1}}, {over: -1})
    second = Dense((out,), {out: {pos: 1, over: -1}}, activation=Activation.LINEAR)
    return first, second


def _gate_rows(rng: np.random.Generator, states: Sequence[str], tokens: Sequence[str],
               lagged: Sequence[str], clamp: str | None, signed: bool) -> dict[str, Row]:
    """Per state dim: Σ α_σ tok:σ + Σ β prev:tok + d·clamp with |α| + Σ|β| + |d| ≤ 1."""
    rows: dict[str, Row] = {}
    for s in states:
        extra: dict[str, Fraction] = {}
        for d in [*lagged, *([clamp] if clamp else [])]:
            if rng.random() < 0.5:
                extra[d] = _rational(rng, Fraction(0), Fraction(1, 4))
        top = 1 - sum(extra.values(), Fraction(0))
        row: dict[str, Fraction] = {t: _gate_value(rng, top, signed) for t in tokens}
        row.update({d: (-c if signed and rng.random() < 0.5 else c) for d, c in extra.items()})
        rows[s] = {d: c for d, c in row.items() if c != 0}
    return rows


def _layer(rng: np.random.Generator, index: int, stream: list[str], tokens: Sequence[str], *,
           width: int, signed: bool, lag: bool, mlp: bool) -> Layer:
    name = f"L{index}"
    states = tuple(f"{name}.h{j}" for j in range(width))
    lag_dims = tuple(d for d in stream if d.startswith("tok:") and rng.random() < 0.5) if lag \
        else ()
    lagged = [f"prev:{d}" for d in lag_dims if d != tok(BOS)]
    lower = [d for d in stream if not d.startswith("tok:") and d != ONE]
    pre: tuple[Dense, ...] = ()
    clamp = None
    if mlp and lower and rng.random() < 0.5:
        pre = _clamp_pre_mlp(f"{name}.g", str(rng.choice(lower)))
        clamp = pre[-1].out[0]
    view = [*stream, *lagged, *([clamp] if clamp else [])]
    gate = _gate_rows(rng, states, [tok(t) for t in tokens], lagged, clamp, signed)
    inputs = {s: _sparse_row(rng, view, Fraction(1)) for s in states}
    init = {s: c for s in states if (c := _rational(rng, Fraction(-1), Fraction(1))) != 0}
    if not mlp:
        return Layer(name, states, gate, inputs, init, lag_dims, pre, (), states)
    hidden = tuple(f"{name}.z{j}" for j in range(width + 1))
    outs = tuple(f"{name}.o{j}" for j in range(width))
    first = Dense(hidden, {z: _sparse_row(rng, [*states, *view], Fraction(1)) for z in hidden},
                  _nonzero({z: _rational(rng, Fraction(-1), Fraction(1)) for z in hidden}))
    second = Dense(outs, {o: _sparse_row(rng, hidden, Fraction(1), 0.8) for o in outs},
                   _nonzero({o: _rational(rng, Fraction(-1, 2), Fraction(1, 2)) for o in outs}),
                   activation=Activation.LINEAR)
    return Layer(name, states, gate, inputs, init, lag_dims, pre, (first, second))


def _readout(rng: np.random.Generator, dims: Sequence[str]) -> dict[str, Fraction]:
    row = _sparse_row(rng, [*dims, ONE], Fraction(1), 0.8)
    return row or {dims[0]: Fraction(1)}


def random_ssm(rng: np.random.Generator | int, alphabet: Sequence[str] = ("0", "1"), *,
               layers: int | tuple[int, int] = (1, 3), width: int | tuple[int, int] = (1, 2),
               gate_class: str = "nonnegative", lag: bool = False, mlp: bool = True,
               mode: Mode | str = Mode.RECOGNIZE, name: str = "random") -> SSM:
    """A random, valid SSM whose gates are in [0, 1] (``nonnegative``) or [−1, 1] (``signed``).

    Parameters
    ----------
    rng : numpy.random.Generator or int
        The source of randomness (an int is a seed); the same seed gives the same SSM.
    alphabet : sequence of str
    layers, width : int or (lo, hi)
        Number of layers and state dims per layer; a pair draws uniformly from ``lo..hi``.
    gate_class : {"nonnegative", "signed"}
        Gates are per-token rationals (1 and 0 drawn often), optionally plus small multiples of
        lagged tokens and of a clamp of a lower layer's output, always within [0, 1]
        (``signed``: within [−1, 1], signs random).
    lag : bool
        Give layers a lag view of some token dims.
    mlp : bool
        Each layer ends in a random two-layer ReLU MLP writing ``L<i>.o<j>`` (otherwise it
        exports its states); later layers may gate through a clamp of those outputs.
    mode : {"recognize", "predict"}

    Returns
    -------
    SSM
        Validated with :func:`ssmproof.ssm.validate.validate`.

    Examples
    --------
    >>> ssm = random_ssm(7, ("a", "b"), layers=2, width=1)
    >>> [layer.name for layer in ssm.layers], ssm.alphabet
    (['L1', 'L2'], ('a', 'b'))
    >>> from ssmproof.sim.gates import reachable_gate_class
    >>> reachable_gate_class(random_ssm(3, layers=1), "bfloat16", budget=500).gate_class
    'nonnegative'
    """
    if gate_class not in GATE_CLASSES:
        raise ValueError(f"gate_class must be one of {GATE_CLASSES}, not {gate_class!r}")
    gen = _generator(rng)
    alphabet = tuple(alphabet)
    tokens = (BOS, *alphabet)
    emb = default_embedding(alphabet)
    stream = sorted({d for row in emb.values() for d in row})
    built = []
    for i in range(1, _draw(gen, layers) + 1):
        layer = _layer(gen, i, stream, tokens, width=_draw(gen, width),
                       signed=gate_class == "signed", lag=lag, mlp=mlp)
        built.append(layer)
        stream += list(layer.mlp[-1].out if layer.mlp else layer.export)
    top = list(built[-1].mlp[-1].out if built[-1].mlp else built[-1].export)
    mode = Mode(mode)
    accept, nxt = None, None
    if mode is Mode.RECOGNIZE:
        accept = _readout(gen, top)
    else:
        nxt = {s: _readout(gen, top) for s in (*alphabet, EOS)}
    ssm = SSM(name, mode, alphabet, emb, tuple(built), accept=accept, next=nxt,
              metadata={"generator": "ssmproof.testing.random_ssm",
                        "gate_class_by_construction": gate_class})
    validate(ssm, f"<{name}>")
    return ssm


def _draw(rng: np.random.Generator, spec: int | tuple[int, int]) -> int:
    if isinstance(spec, int):
        return spec
    lo, hi = spec
    return int(rng.integers(lo, hi + 1))
