"""What each configuration coordinate's next value reads, and one step on interval boxes.

For re-checking ``invariant`` certificates (:mod:`ssmproof.check.invariant`) the checker needs,
from the model file alone: the names of the configuration coordinates (each layer's state dims,
then each lag buffer as ``prev:<dim>``, in :meth:`Model.start` order); the *cone* of each
coordinate — the coordinates its next value reads, followed through gates, inputs, lag views,
pre-MLPs and lower layers' MLPs and exported states (a diagonal recurrence reads only its own
previous value besides) —; the readout's cone; and the decisions of one step taken on a box of
values, an enclosure: affine maps take each end from the sign of each weight, rounding and ReLU
are monotone, a product takes the extremes of its four corners. Rational models only.
"""

from __future__ import annotations

from collections.abc import Sequence

from ssmproof.check.model import Model, _Affine
from ssmproof.check.numbers import Num

__all__ = ["coordinate_names", "cones", "box_decisions"]

Box = Sequence[tuple[Num, Num]]


def coordinate_names(model: Model) -> tuple[str, ...]:
    states = [model.slot_names[s] for layer in model.layers for s in layer.states]
    lags = [model.slot_names[d] for layer in model.layers for d in layer.lag_dst]
    return tuple(states + lags)


def _reads(dep: dict[int, frozenset[int]], op: _Affine, k: int) -> frozenset[int]:
    return frozenset().union(*(dep.get(s, frozenset()) for s, _ in op.terms[k]))


def _spread(dep: dict[int, frozenset[int]], op: _Affine) -> None:
    for k, out in enumerate(op.outs):
        dep[out] = _reads(dep, op, k)


def cones(model: Model) -> tuple[tuple[frozenset[int], ...], frozenset[int]]:
    """Per configuration coordinate, the coordinates its next value reads; and the readout's."""
    dep: dict[int, frozenset[int]] = {}  # slot -> configuration coordinates it reads
    nxt: list[frozenset[int]] = [frozenset()] * (len(model.h0) + model.nlags)
    pos, lagpos = 0, len(model.h0)
    for layer in model.layers:
        for src, dst in zip(layer.lag_src, layer.lag_dst):
            nxt[lagpos] = dep.get(src, frozenset())
            dep[dst] = frozenset({lagpos})
            lagpos += 1
        for op in layer.pre:
            _spread(dep, op)
        for j, s in enumerate(layer.states):
            nxt[pos + j] = frozenset({pos + j}) | _reads(dep, layer.gate, j) | \
                _reads(dep, layer.inp, j)
        for j, s in enumerate(layer.states):
            dep[s] = nxt[pos + j]
        pos += len(layer.states)
        for op in layer.mlp:
            _spread(dep, op)
    readout = frozenset().union(*(_reads(dep, model.readout, k)
                                  for k in range(len(model.readout.outs))))
    return tuple(nxt), readout


def _rows(model: Model, op: _Affine, lo: list[Num], hi: list[Num]
          ) -> tuple[list[Num], list[Num]]:
    rnd, los, his = model.arith.rnd, [], []
    for terms, b in zip(op.terms, op.bias):
        low = b + sum(w * (lo[s] if w > 0 else hi[s]) for s, w in terms)
        high = b + sum(w * (hi[s] if w > 0 else lo[s]) for s, w in terms)
        low, high = rnd(low), rnd(high)
        if op.relu:
            low, high = max(low, 0), max(high, 0)
        los.append(low)
        his.append(high)
    return los, his


def _apply(model: Model, op: _Affine, lo: list[Num], hi: list[Num]) -> None:
    for s, a, b in zip(op.outs, *_rows(model, op, lo, hi)):
        lo[s], hi[s] = a, b


def box_decisions(model: Model, box: Box, token: int) -> tuple[bool | None, ...]:
    """Each decision of one step from any configuration in ``box``: True, False, or None when
    the enclosure of its readout value contains both signs. May raise ``Overflow``."""
    lo: list[Num] = [0] * model.nslots
    hi: list[Num] = [0] * model.nslots
    for s, w in model.embed[token]:
        lo[s] = hi[s] = w
    rnd, pos, lagpos = model.arith.rnd, 0, len(model.h0)
    for layer in model.layers:
        for dst in layer.lag_dst:
            lo[dst], hi[dst] = box[lagpos]
            lagpos += 1
        for op in layer.pre:
            _apply(model, op, lo, hi)
        gates, inputs = _rows(model, layer.gate, lo, hi), _rows(model, layer.inp, lo, hi)
        for j, s in enumerate(layer.states):
            h_lo, h_hi = box[pos + j]
            corners = [a * h for a in (gates[0][j], gates[1][j]) for h in (h_lo, h_hi)]
            lo[s] = rnd(rnd(min(corners)) + inputs[0][j])
            hi[s] = rnd(rnd(max(corners)) + inputs[1][j])
        pos += len(layer.states)
        for op in layer.mlp:
            _apply(model, op, lo, hi)
    values = _rows(model, model.readout, lo, hi)
    return tuple(True if a > 0 else (False if b <= 0 else None) for a, b in zip(*values))
