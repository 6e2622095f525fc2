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
from dataclasses import dataclass

from ssmproof.check.model import Model, _Affine
from ssmproof.check.numbers import Num

__all__ = ["coordinate_names", "cones", "box_step", "BoxStep"]

Span = tuple[Num, Num]
Box = Sequence[Span]


def coordinate_names(model: Model) -> tuple[str, ...]:
    states = [model.slot_names[s] for layer in model.layers for s in layer.states]
    lags = [model.slot_names[d] for layer in model.layers for d in layer.lag_dst]
    return tuple(states + lags)


def _reads(dep: dict[int, frozenset[int]], op: _Affine, k: int) -> frozenset[int]:
    return frozenset().union(*(dep.get(s, frozenset()) for s, _ in op.terms[k]))


def _spread(dep: dict[int, frozenset[int]], op: _Affine) -> None:
    for k, out in enumerate(op.outs):
        dep[out] = _reads(dep, op, k)


def cones(model: Model) -> tuple[tuple[frozenset[int], ...], frozenset[int],
                                  tuple[frozenset[int], ...]]:
    """Per configuration coordinate, the coordinates its next value reads; the readout's; and
    per coordinate its *drive's* (gate and input of a state, the source of a lag buffer)."""
    dep: dict[int, frozenset[int]] = {}  # slot -> configuration coordinates it reads
    nxt: list[frozenset[int]] = [frozenset()] * (len(model.h0) + model.nlags)
    drives = list(nxt)
    pos, lagpos = 0, len(model.h0)
    for layer in model.layers:
        for src, dst in zip(layer.lag_src, layer.lag_dst):
            nxt[lagpos] = drives[lagpos] = dep.get(src, frozenset())
            dep[dst] = frozenset({lagpos})
            lagpos += 1
        for op in layer.pre:
            _spread(dep, op)
        for j, s in enumerate(layer.states):
            drives[pos + j] = _reads(dep, layer.gate, j) | _reads(dep, layer.inp, j)
            nxt[pos + j] = frozenset({pos + j}) | drives[pos + j]
        for j, s in enumerate(layer.states):
            dep[s] = nxt[pos + j]
        pos += len(layer.states)
        for op in layer.mlp:
            _spread(dep, op)
    readout = frozenset().union(*(_reads(dep, model.readout, k)
                                  for k in range(len(model.readout.outs))))
    return tuple(nxt), readout, tuple(drives)


@dataclass
class BoxStep:
    """One step on a box. ``drive[i]`` encloses what moves coordinate i: ``(a, b)`` intervals of
    its gate and input (a state: h' = rnd(rnd(a·h) + b)), or ``(None, v)`` for a lag buffer
    (its new value). ``decisions``: True, False or None (both signs). ``deps`` of each: the
    coordinates whose spread it still reads — where fixing one more value can help."""

    drive: list[tuple[Span | None, Span]]
    drive_deps: list[frozenset[int]]
    decisions: tuple[bool | None, ...]
    decision_deps: frozenset[int]


def _rows(model: Model, op: _Affine, lo: list[Num], hi: list[Num], dep: list[frozenset[int]]
          ) -> tuple[list[Num], list[Num], list[frozenset[int]]]:
    key = tuple([(lo[s], hi[s], dep[s]) for s in op.reads])
    hit = op.box_memo.get(key)
    if hit is None:
        if len(op.box_memo) > 100_000:
            op.box_memo.clear()
        hit = op.box_memo[key] = _compute_rows(model, op, lo, hi, dep)
    return hit


def _compute_rows(model: Model, op: _Affine, lo: list[Num], hi: list[Num],
                  dep: list[frozenset[int]]) -> tuple[list[Num], list[Num], list[frozenset[int]]]:
    rnd, los, his, deps = model.arith.rnd, [], [], []
    for terms, b in zip(op.terms, op.bias):
        low = b + sum(w * (lo[s] if w > 0 else hi[s]) for s, w in terms)
        high = b + sum(w * (hi[s] if w > 0 else lo[s]) for s, w in terms)
        low, high = rnd(low), rnd(high)
        if op.relu:
            low, high = max(low, 0), max(high, 0)
        los.append(low)
        his.append(high)
        deps.append(frozenset().union(*(dep[s] for s, _ in terms)) if low != high
                    else frozenset())
    return los, his, deps


def _apply(model: Model, op: _Affine, lo: list[Num], hi: list[Num],
           dep: list[frozenset[int]]) -> None:
    for s, a, b, d in zip(op.outs, *_rows(model, op, lo, hi, dep)):
        lo[s], hi[s], dep[s] = a, b, d


def box_step(model: Model, box: Box, token: int) -> BoxStep:
    """One step from every configuration in ``box`` at once, as enclosures: affine maps take
    each end from the sign of each weight, rounding and ReLU are monotone, a product takes the
    extremes of its four corners. May raise ``Overflow``."""
    lo: list[Num] = [0] * model.nslots
    hi: list[Num] = [0] * model.nslots
    dep: list[frozenset[int]] = [frozenset()] * model.nslots
    for s, w in model.embed[token]:
        lo[s] = hi[s] = w
    rnd, pos, lagpos, ncoords = model.arith.rnd, 0, len(model.h0), len(box)
    drive: list[tuple[Span | None, Span]] = [((0, 0), (0, 0))] * ncoords
    ddeps: list[frozenset[int]] = [frozenset()] * ncoords
    for layer in model.layers:
        for src, dst in zip(layer.lag_src, layer.lag_dst):
            drive[lagpos], ddeps[lagpos] = (None, (lo[src], hi[src])), dep[src]
            lo[dst], hi[dst] = box[lagpos]
            dep[dst] = frozenset({lagpos}) if lo[dst] != hi[dst] else frozenset()
            lagpos += 1
        for op in layer.pre:
            _apply(model, op, lo, hi, dep)
        (g_lo, g_hi, g_dep), (b_lo, b_hi, b_dep) = (_rows(model, layer.gate, lo, hi, dep),
                                                    _rows(model, layer.inp, lo, hi, dep))
        for j, s in enumerate(layer.states):
            h_lo, h_hi = box[pos + j]
            drive[pos + j] = ((g_lo[j], g_hi[j]), (b_lo[j], b_hi[j]))
            ddeps[pos + j] = g_dep[j] | b_dep[j]
            corners = [a * h for a in (g_lo[j], g_hi[j]) for h in (h_lo, h_hi)]
            lo[s] = rnd(rnd(min(corners)) + b_lo[j])
            hi[s] = rnd(rnd(max(corners)) + b_hi[j])
            dep[s] = ddeps[pos + j] | ({pos + j} if h_lo != h_hi else set()) \
                if lo[s] != hi[s] else frozenset()
        pos += len(layer.states)
        for op in layer.mlp:
            _apply(model, op, lo, hi, dep)
    r_lo, r_hi, r_dep = _rows(model, model.readout, lo, hi, dep)
    decisions = tuple(True if a > 0 else (False if b <= 0 else None) for a, b in zip(r_lo, r_hi))
    return BoxStep(drive, ddeps, decisions, frozenset().union(
        *(d for d, x in zip(r_dep, decisions) if x is None)))
