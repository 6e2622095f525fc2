"""Exact arithmetic through integers: per-dim common denominators, one frontier per numpy call.

In ``exact`` arithmetic a Machine's registers hold rationals. When every *gate* value is an
integer, each register ``r`` has a fixed common denominator ``D_r``: every value it can ever take
is ``N / D_r`` with ``N`` an integer. Going through the program in Machine's order:

- an embedding register: the lcm of its values' denominators over all tokens;
- an affine coordinate ``Σ w_j·x_j + b``: the lcm of the denominators of ``w_j / D_j`` and of
  ``b``; its integer coefficients are then ``c_j = w_j·D_out / D_j`` and ``b·D_out``, and ReLU
  commutes with the positive scale;
- a state ``h ← a·h + b`` with an integer gate ``a`` (``D_a = 1``): ``D_h = lcm(den(h_init), D_b)``
  is a fixed point, with ``N_h ← N_a·N_h + (D_h/D_b)·N_b``;
- a lag register: its source's denominator.

So a step of the whole frontier is integer arithmetic on numerators, done here in float64 (a
register file of ``rows × edges``, one dense or sparse (scipy CSR) matrix product per affine map, the
recurrences of a layer as two array operations). It is exact when no integer involved exceeds
``2**53``: after the step, the largest magnitude of every register bounds every product and
partial sum of every coordinate (``Σ|c_j|·max|N_j| + |b|``, in any order of summation, BLAS and
fused multiply-adds included); a step where a bound passes ``2**52`` (margin for the bound's own
rounding) is re-checked edge by edge, and the edges that fail are replayed on Machine (their
values past ``2**53`` are then carried as Machine's exact tuples, stepped by Python integers and
Fractions). Nothing is ever approximated; a weight such as 1/3 costs nothing extra.

Not covered (the engine then uses :mod:`ssmproof.sim.batched` or Machine): finite formats (they
round), complex weights, and a gate whose values are not integers (``1/2``: the denominators of a
decaying state grow without bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ssmproof.sim.compact import Layout
from ssmproof.sim.machine import Machine

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix as _CSR

__all__ = ["ScaledPlan", "plan_of"]

Vec = npt.NDArray[np.float64]
_EXACT = 2.0**53  # integers up to here are float64 numbers
_BOUND = 2.0**52  # what a computed bound must stay under (its own rounding is far below 2x)
_DENSE_FACTOR = 4  # a map runs as a dense product when it has no more than 4x its nonzeros
_SINGLE_THREAD = 200_000
"""Products are cut into column blocks of at most this many multiply-adds: OpenBLAS runs such a
product on one thread (its threshold is 4·65536). Threads on a small product cost far more
than they give on a shared machine: measured 18x slower for 25×24 @ 24×4096 at load 12 on 2
cores (5.8 ms against 0.32 ms)."""


@dataclass(frozen=True)
class _Map:
    """One affine map writing rows ``[lo, hi)``: dense ``matrix @ R[inputs]``, or the sparse
    product ``sparse @ R[:lo]`` (``sparse`` holds ``weights`` at ``columns``, row ``i``'s terms
    from ``starts[i]``; a bias is a term on the row of ones)."""

    lo: int
    hi: int
    relu: bool
    inputs: npt.NDArray[np.intp] | slice
    matrix: Vec | None
    columns: npt.NDArray[np.intp]
    weights: Vec | None  # None (and no matrix): row i copies row ``inputs[i]``
    starts: npt.NDArray[np.intp]
    sparse: _CSR | None = None

    def run(self, regs: Vec) -> None:
        out = regs[self.lo:self.hi]
        if self.matrix is None and self.weights is None:  # a selection: one copy per row
            np.take(regs, self.inputs, axis=0, out=out)
        elif self.matrix is not None:
            x, m = regs[self.inputs], self.matrix
            step = max(1, _SINGLE_THREAD // m.size)
            for a in range(0, x.shape[1], step):
                np.matmul(m, x[:, a:a + step], out=out[:, a:a + step])
        else:
            out[...] = self.sparse @ regs[:self.lo]  # type: ignore[operator]
        if self.relu:
            np.maximum(out, 0.0, out=out)


@dataclass(frozen=True)
class _Recur:
    """A layer's recurrences: rows ``new = gate ⊙ old + ratio ⊙ inp`` (``ratio = D_h/D_b``)."""

    gate: slice
    inp: slice
    old: slice
    new: slice
    ratio: Vec | None

    def run(self, regs: Vec) -> None:
        out = regs[self.new]
        np.multiply(regs[self.gate], regs[self.old], out=out)
        out += regs[self.inp] if self.ratio is None else regs[self.inp] * self.ratio


@dataclass(frozen=True)
class ScaledPlan:
    """A Machine's ``exact`` program over numerators (see the module docstring).

    Row 0 of the register file is all ones, rows ``1 … width`` the parent's carried row
    (numerators, :class:`~ssmproof.sim.compact.Layout` order), then the embedding and every
    map's outputs in Machine's order. ``scale[i]`` is the denominator of carried column ``i``.
    """

    rows: int
    width: int
    embed_lo: int
    embed: Vec  # embedding numerators, register × token
    steps: tuple[_Map | _Recur, ...]
    readout: slice
    carried: npt.NDArray[np.intp]  # rows forming the child's carried row
    gates: npt.NDArray[np.intp]  # gate rows in Machine's state order (values: denominator 1)
    scale: tuple[int, ...]
    check_columns: npt.NDArray[np.intp]  # every coordinate's terms, for the exactness bound
    check_weights: Vec
    check_starts: npt.NDArray[np.intp]
    rec_gate: npt.NDArray[np.intp]
    rec_old: npt.NDArray[np.intp]
    rec_inp: npt.NDArray[np.intp]
    rec_ratio: Vec
    safe: float  # every bound holds when no carried numerator exceeds this (-1: never known)

    def advance(self, carried: Vec, tokens: npt.NDArray[np.intp]
                ) -> tuple[Vec, Vec, npt.NDArray[np.bool_]]:
        """Step every column of ``carried`` (numerators) on its token (0 = BOS).

        Returns the register file, the children's carried rows and the edges whose exactness
        bound failed (their values are meaningless: replay them on Machine).
        """
        n = len(tokens)
        regs = np.empty((self.rows, n))
        regs[0] = 1.0
        regs[1:1 + self.width] = carried
        regs[self.embed_lo:self.embed_lo + len(self.embed)] = self.embed[:, tokens]
        top = max(float(carried.max()), -float(carried.min())) if carried.size else 0.0
        with np.errstate(all="ignore"):
            for step in self.steps:
                step.run(regs)
            bad = np.zeros(n, dtype=bool) if top <= self.safe else self._inexact(regs)
        return regs, regs[self.carried], bad

    def _inexact(self, regs: Vec) -> npt.NDArray[np.bool_]:
        n = regs.shape[1]
        if not n:
            return np.zeros(0, dtype=bool)
        top = np.abs(regs).max(axis=1)
        if self._within(top):
            return np.zeros(n, dtype=bool)
        mag = np.abs(regs)  # edge by edge: the same bound per column
        bound = np.add.reduceat(self.check_weights[:, None] * mag[self.check_columns],
                                self.check_starts, axis=0)
        bad = ~(bound <= _BOUND).all(axis=0)
        rec = mag[self.rec_gate] * mag[self.rec_old] + self.rec_ratio[:, None] * mag[self.rec_inp]
        return bad | ~(rec <= _BOUND).all(axis=0)

    def _within(self, top: Vec) -> bool:
        bound = np.add.reduceat(self.check_weights * top[self.check_columns], self.check_starts)
        rec = top[self.rec_gate] * top[self.rec_old] + self.rec_ratio * top[self.rec_inp]
        return bool((bound <= _BOUND).all() and (rec <= _BOUND).all())

    def codes(self, regs: Vec) -> npt.NDArray[np.int64]:
        """Decisions as bit sets (bit r: readout r > 0; the sign of a numerator is the value's)."""
        bits = (regs[self.readout] > 0).astype(np.int64)
        return (bits << np.arange(len(bits), dtype=np.int64)[:, None]).sum(axis=0)


def _over(w: int | Fraction, d: int) -> int | Fraction:
    """``w / d`` exactly (integers stay integers when ``d`` is 1: the common, fast case)."""
    return w if d == 1 else Fraction(w, d)


def _lcm(values: list[int]) -> int:
    return math.lcm(1, *values)


class _Builder:
    """Allocates rows and denominators in Machine's order; ``None`` from :meth:`build` when the
    plan does not apply."""

    def __init__(self, machine: Machine, layout: Layout) -> None:
        self.m, self.lay = machine, layout
        self.row: dict[int, int] = {}
        self.den: dict[int, int] = {}  # Machine register -> denominator
        self.next = 1 + layout.width
        self.steps: list[_Map | _Recur] = []
        self.check: list[tuple[list[int], list[float]]] = []

    def alloc(self, regs: list[int]) -> int:
        lo = self.next
        for r in regs:
            self.row[r] = self.next
            self.next += 1
        return lo

    def affine(self, op: tuple, relu: bool) -> bool:  # type: ignore[type-arg]
        """Append one map; False when a coefficient is no float64 integer."""
        if not op:
            return True
        coords: list[tuple[list[int], list[float]]] = []
        dens: list[int] = []
        for _, pairs, bias in op:
            ratios = [(reg, _over(w, self.den.get(reg, 1))) for reg, w in pairs]
            d = _lcm([r.denominator for _, r in ratios] + [bias.denominator])
            cols = [self.row.get(reg, -1) for reg, _ in ratios] + [0]
            ws = [r * d for _, r in ratios] + [bias * d]
            if any(c < 0 for c in cols) or any(abs(w) > _EXACT for w in ws):
                return False
            coords.append((cols, [float(w) for w in ws]))
            dens.append(d)
        lo = self.alloc([out for out, _, _ in op])
        for (out, _, _), d in zip(op, dens):
            self.den[out] = d
        self.steps.append(_map(lo, coords, relu))
        self.check.extend((c, [abs(w) for w in ws]) for c, ws in coords)
        return True

    def build(self) -> ScaledPlan | None:
        m, lay = self.m, self.lay
        embed_regs = sorted({r for row in m.embed for r, _ in row})
        table = [[dict(row).get(r, 0) for row in m.embed] for r in embed_regs]
        for r, vals in zip(embed_regs, table):
            self.den[r] = _lcm([v.denominator for v in vals])
        embed_lo = self.alloc(embed_regs)
        embed = [[float(v * self.den[r]) for v in vals] for r, vals in zip(embed_regs, table)]
        state_den: list[int] = []
        rec: list[tuple[int, int, int, float]] = []
        pos = pair = 0
        for plan in m.plans:
            for dst in plan.lag_dst:
                src = lay.sources[lay.pair_source[pair]]
                self.row[dst] = 1 + lay.n_states + lay.pair_source[pair]
                self.den[dst] = self.den.get(src, 1)
                pair += 1
            if not all(self.affine(op, relu) for op, relu in zip(plan.pre, plan.pre_relu)):
                return None
            if not self.affine(plan.gate + plan.inp, False):
                return None
            d = len(plan.state_regs)
            if any(self.den[out] != 1 for out, _, _ in plan.gate):
                return None  # a fractional gate: denominators would grow
            inp_den = [self.den[out] for out, _, _ in plan.inp]
            hden = [_lcm([m.init[pos + k].denominator, inp_den[k]]) for k in range(d)]
            new_lo = self.alloc(list(plan.state_regs))
            g_lo = self.row[plan.gate[0][0]] if d else new_lo
            ratio = np.array([h // b for h, b in zip(hden, inp_den)], dtype=np.float64)
            if d:
                self.steps.append(_Recur(
                    slice(g_lo, g_lo + d), slice(g_lo + d, g_lo + 2 * d),
                    slice(1 + pos, 1 + pos + d), slice(new_lo, new_lo + d),
                    None if (ratio == 1).all() else ratio[:, None]))
            for k, reg in enumerate(plan.state_regs):
                self.den[reg] = hden[k]
                rec.append((g_lo + k, 1 + pos + k, g_lo + d + k, float(ratio[k])))
            state_den += hden
            pos += d
            if not all(self.affine(op, relu) for op, relu in zip(plan.mlp, plan.mlp_relu)):
                return None
        if not self.affine(m.readouts, False):
            return None
        return self.finish(embed_lo, embed, state_den, rec)

    def finish(self, embed_lo: int, embed: list[list[float]], state_den: list[int],
               rec: list[tuple[int, int, int, float]]) -> ScaledPlan | None:
        m, lay = self.m, self.lay
        scale = tuple(state_den) + tuple(self.den.get(src, 1) for src in lay.sources)
        if any(abs(v) > _EXACT for row in embed for v in row):
            return None
        carried = [self.row[r] for plan in m.plans for r in plan.state_regs]
        carried += [self.row.get(src, -1) for src in lay.sources]
        if min(carried, default=0) < 0:
            return None
        read_lo = self.row[m.readouts[0][0]] if m.readouts else self.next
        columns = [c for cols, _ in self.check for c in cols]
        weights = [w for _, ws in self.check for w in ws]
        starts = np.cumsum([0] + [len(cols) for cols, _ in self.check])[:-1]
        ints = np.intp
        embed_top = np.abs(np.array(embed, dtype=np.float64).reshape(len(embed), -1)).max(
            axis=1, initial=0.0)
        safe = _safe_carried(self.next, lay.width, embed_lo, embed_top, self.steps,
                             np.array(columns, dtype=ints), np.array(weights),
                             np.array(starts, dtype=ints))
        return ScaledPlan(
            self.next, lay.width, embed_lo, np.array(embed, dtype=np.float64).reshape(
                len(embed), len(m.embed)), tuple(self.steps),
            slice(read_lo, read_lo + len(m.readouts)), np.array(carried, dtype=ints),
            np.array([self.row[out] for plan in m.plans for out, _, _ in plan.gate],
                     dtype=ints), scale,
            np.array(columns, dtype=ints), np.array(weights), np.array(starts, dtype=ints),
            np.array([r[0] for r in rec], dtype=ints), np.array([r[1] for r in rec], dtype=ints),
            np.array([r[2] for r in rec], dtype=ints), np.array([r[3] for r in rec]), safe)


def _safe_carried(rows: int, width: int, embed_lo: int, embed_top: Vec,
                  steps: tuple[_Map | _Recur, ...] | list[_Map | _Recur],
                  columns: npt.NDArray[np.intp], weights: Vec, starts: npt.NDArray[np.intp]
                  ) -> float:
    """The largest ``2**k`` such that carried numerators bounded by it keep every coordinate
    and recurrence under the exactness bound (the run-time check is then skipped), or -1.

    Magnitudes are propagated through the program for every ``k`` at once: a map's rows are
    bounded by ``Σ|c|·bound``, a recurrence by ``bound_a·bound_h + ratio·bound_b``.
    """
    ks = np.arange(53, dtype=np.float64)
    top = np.zeros((rows, len(ks)))
    top[0] = 1.0
    top[1:1 + width] = 2.0**ks
    top[embed_lo:embed_lo + len(embed_top)] = embed_top[:, None]
    ok = np.ones(len(ks), dtype=bool)
    with np.errstate(all="ignore"):
        for step in steps:
            if isinstance(step, _Recur):
                ratio = 1.0 if step.ratio is None else step.ratio
                top[step.new] = top[step.gate] * top[step.old] + ratio * top[step.inp]
                ok &= (top[step.new] <= _BOUND).all(axis=0)
            elif step.weights is None:
                top[step.lo:step.hi] = top[step.inputs]
            else:
                top[step.lo:step.hi] = np.add.reduceat(
                    np.abs(step.weights)[:, None] * top[step.columns], step.starts, axis=0)
                ok &= (top[step.lo:step.hi] <= _BOUND).all(axis=0)
    good = np.flatnonzero(ok)
    return float(2.0 ** good.max()) if len(good) and ok[0] else -1.0


def _map(lo: int, coords: list[tuple[list[int], list[float]]], relu: bool) -> _Map:
    """A selection when each coordinate copies one row, dense over the rows read when that is
    at most a few times the nonzeros, else sparse. A zero bias reads no row of ones."""
    coords = [([c for c, w in zip(cols, ws) if c or w], [w for c, w in zip(cols, ws) if c or w])
              for cols, ws in coords]
    if all(len(cols) == 1 and ws == [1.0] and cols[0] for cols, ws in coords):
        picks = np.array([cols[0] for cols, _ in coords], dtype=np.intp)
        empty = np.zeros(0, dtype=np.intp)
        return _Map(lo, lo + len(coords), relu, picks, None, empty, None, empty)
    coords = [(cols, ws) if cols else ([0], [0.0]) for cols, ws in coords]  # no empty segment
    inputs = sorted({c for cols, _ in coords for c in cols})
    nnz = sum(len(cols) for cols, _ in coords)
    columns = np.array([c for cols, _ in coords for c in cols], dtype=np.intp)
    weights = np.array([w for _, ws in coords for w in ws])
    starts = np.cumsum([0] + [len(cols) for cols, _ in coords])[:-1].astype(np.intp)
    read: npt.NDArray[np.intp] | slice = np.array(inputs, dtype=np.intp)
    if len(coords) * len(inputs) > _DENSE_FACTOR * nnz + 64:
        return _Map(lo, lo + len(coords), relu, read, None, columns, weights, starts,
                    _csr(weights, columns, starts, lo))
    at = {c: j for j, c in enumerate(inputs)}
    matrix = np.zeros((len(coords), len(inputs)))
    for i, (cols, ws) in enumerate(coords):
        for c, w in zip(cols, ws):
            matrix[i, at[c]] += w
    if inputs == list(range(inputs[0], inputs[0] + len(inputs))):
        read = slice(inputs[0], inputs[0] + len(inputs))
    return _Map(lo, lo + len(coords), relu, read, matrix, columns, weights, starts)


def _csr(weights: Vec, columns: npt.NDArray[np.intp], starts: npt.NDArray[np.intp],
         lo: int) -> _CSR:
    """The sparse map as a scipy CSR matrix over the rows before ``lo`` (all it may read).

    Its product with the register file is a compiled loop over the nonzeros with no temporary
    (numpy's gather-multiply-``reduceat`` wrote ``nnz × edges`` terms first: 3.4 s against
    1.0 s for a whole proof, random aperiodic k=3 seed 2). Exact for the same reason as every
    map here: each partial sum is an integer under ``2**53`` by the plan's bound, in any order.
    scipy is imported here, not at the top, so that a small proof does not pay its start-up.
    """
    from scipy.sparse import csr_matrix

    indptr = np.append(starts, len(columns))
    return csr_matrix((weights, columns, indptr), shape=(len(starts), lo))


def plan_of(machine: Machine, layout: Layout) -> ScaledPlan | None:
    """The numerator plan of an ``exact``, real Machine, or ``None`` when it does not apply
    (a finite format, complex weights, a gate that is not integer-valued, or a coefficient
    past ``2**53``, or smooth activations and products).

    Examples
    --------
    >>> from ssmproof import examples
    >>> from ssmproof.sim.compact import layout_of
    >>> m = Machine(examples.parity_signed())
    >>> plan = plan_of(m, layout_of(m))
    >>> plan.scale, len(plan.steps)
    ((1,), 3)
    """
    if not machine.exact or machine.complex or machine.smooth:
        return None  # smooth activations and products (ssmproof-ssm/3) run on the Machine
    return _Builder(machine, layout).build()
