"""One machine step on a *box* of configurations, in affine forms: enclosures that see cancellation.

The invariant method (:mod:`ssmproof.verify.invariant`) asks of a box of configurations (each
coordinate a point or the hull of the values it may still take) whether a gate, an input or a
readout is the same for the whole box, and if not, which coordinate to split. Plain interval
arithmetic cannot answer that for the indicators the recipes build: ``[d = ℓ]`` is
``r(d−ℓ+1) − 2·r(d−ℓ) + r(d−ℓ−1)`` over ramps ``r(x) = relu(x)``, which is exactly 0 for every
``d ≥ ℓ + 1``, yet intervals give ``[2lo − 2hi, 2hi − 2lo]`` there (each ramp is taken
independently), so a counter would be split down to single values.

An *affine form* keeps a value as ``c + Σ cᵢ·xᵢ + r`` over the box's non-point coordinates xᵢ
(``r`` an interval remainder). Affine maps combine forms exactly, so the ramps cancel. The other
operations keep the form only where that is exact and otherwise fall back to an interval, which
is always an enclosure:

- a ReLU keeps the form when its range is ≥ 0 on the box, is the point 0 when ≤ 0, and is the
  interval ``[0, hi]`` otherwise;
- rounding (DESIGN §3) is the identity on a form whose values are all integers of the format
  (integer coefficients over coordinates whose remaining values are integers, range inside the
  format's exact integers); otherwise the form becomes ``[rnd(lo), rnd(hi)]`` — sound because
  rounding is monotone (callers must not use this for ``int:P``, whose wrap-around is not);
- a product ``a·h`` keeps the form when one side is a point, else takes the interval corners.

Each register also carries ``deps``: the box coordinates its value can still depend on (none
when its range is a point), so that a split is only ever along a coordinate that matters.
This mirrors :meth:`ssmproof.sim.machine.Machine._step` operation for operation; a property
test checks that on a box of points it gives the machine's values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ssmproof.numerics.rounding import Value
from ssmproof.sim.machine import Machine

__all__ = ["Form", "registers", "needed_for", "coordinates"]

Interval = tuple[Value, Value]
_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Form:
    """``const + Σ coefs[i]·x_i + [lo, hi]``; ``coefs`` as sorted (index, coefficient) pairs."""

    const: Value
    coefs: tuple[tuple[int, Value], ...] = ()
    lo: Value = 0
    hi: Value = 0

    def range(self, box: Sequence[Interval]) -> Interval:
        lo, hi = self.const + self.lo, self.const + self.hi
        for i, c in self.coefs:
            a, b = box[i]
            lo, hi = (lo + c * a, hi + c * b) if c >= 0 else (lo + c * b, hi + c * a)
        return lo, hi

    def scaled(self, k: Value) -> Form:
        if k == 0:
            return Form(0)
        lo, hi = (self.lo * k, self.hi * k) if k >= 0 else (self.hi * k, self.lo * k)
        return Form(self.const * k, tuple((i, c * k) for i, c in self.coefs), lo, hi)


def _point(v: Value) -> Form:
    return Form(v)


def _interval(lo: Value, hi: Value) -> Form:
    return Form(lo) if lo == hi else Form(0, (), lo, hi)


def _combine(terms: Sequence[tuple[Value, Form]], bias: Value) -> Form:
    const, lo, hi = bias, 0, 0
    coefs: dict[int, Value] = {}
    for k, f in terms:
        if not f.coefs and f.lo == f.hi == 0:  # a point: the common case, kept cheap
            const += k * f.const
            continue
        g = f.scaled(k)
        const, lo, hi = const + g.const, lo + g.lo, hi + g.hi
        for i, c in g.coefs:
            coefs[i] = coefs.get(i, 0) + c
    if not coefs:
        return Form(const, (), lo, hi)
    return Form(const, tuple(sorted((i, c) for i, c in coefs.items() if c)), lo, hi)


class _Eval:
    def __init__(self, machine: Machine, box: Sequence[Interval], integral: Collection[int]
                 ) -> None:
        self.m, self.box, self.integral = machine, box, integral
        self.exact = machine.exact
        self.bound = machine._int_exact  # noqa: SLF001 - the integers the format holds exactly
        self.rnd = machine.fmt.rnd
        self.needed: Collection[int] | None = None
        self.forms: list[Form] = [Form(0)] * machine.nregs
        self.deps: list[frozenset[int]] = [_NONE] * machine.nregs

    def round(self, f: Form) -> Form:
        """The form of ``rnd(value)``: itself when every value is a format integer."""
        lo, hi = f.range(self.box)
        if lo == hi:
            if self.exact or (type(lo) is int and -self.bound <= lo <= self.bound):
                return _point(lo)
            return _point(self.rnd(lo))
        if self.exact:
            return f
        whole = (f.lo == f.hi == 0 and type(f.const) is int
                 and all(type(c) is int and i in self.integral for i, c in f.coefs))
        if whole and -self.bound <= lo and hi <= self.bound:
            return f
        return _interval(self.rnd(lo), self.rnd(hi))

    def set(self, reg: int, f: Form, inputs: Sequence[int]) -> None:
        self.forms[reg] = f
        lo, hi = f.range(self.box)
        self.deps[reg] = _NONE if lo == hi else _NONE.union(*(self.deps[i] for i in inputs))

    def affine(self, op: Sequence, relu: bool) -> None:
        for out, pairs, bias in op:
            if self.needed is not None and out not in self.needed:
                continue
            f = self.round(_combine([(c, self.forms[i]) for i, c in pairs], bias))
            if relu:
                lo, hi = f.range(self.box)
                if hi <= 0:
                    f = Form(0)
                elif lo < 0:
                    f = _interval(0, hi)
            self.set(out, f, [i for i, c in pairs if c])

    def state(self, sreg: int, greg: int, ireg: int, h: Form, own: int) -> None:
        a, b = self.forms[greg], self.forms[ireg]
        alo, ahi = a.range(self.box)
        hlo, hhi = h.range(self.box)
        if alo == ahi:
            p = self.round(h.scaled(alo))
        elif hlo == hhi:
            p = self.round(a.scaled(hlo))
        else:
            corners = (alo * hlo, alo * hhi, ahi * hlo, ahi * hhi)
            p = self.round(_interval(min(corners), max(corners)))
        f = self.round(_combine([(1, p), (1, b)], 0))
        self.forms[sreg] = f
        lo, hi = f.range(self.box)
        self.deps[sreg] = _NONE if lo == hi else \
            self.deps[greg] | self.deps[ireg] | (_NONE if hlo == hhi else frozenset({own}))


def coordinates(machine: Machine) -> tuple[str, ...]:
    """The names of a configuration's values, in the machine's order: every layer's state dims,
    then every layer's ``prev:`` lag buffers (layers lagging one dim repeat its name; the copies
    are always equal, each being the dim's last value)."""
    states = [n for p in machine.plans for n in p.state_names]
    lags = [machine.reg_names[r] for p in machine.plans for r in p.lag_dst]
    return tuple(states + lags)


def needed_for(machine: Machine, targets: Collection[int]) -> frozenset[int]:
    """The registers that ``targets`` are computed from (themselves included), within a step."""
    reads: dict[int, tuple[int, ...]] = {}
    ops = [machine.readouts]
    for plan in machine.plans:
        ops += [*plan.pre, plan.gate, plan.inp, *plan.mlp]
        for (greg, _, _), (ireg, _, _), sreg in zip(plan.gate, plan.inp, plan.state_regs):
            reads[sreg] = (greg, ireg)
    for op in ops:
        for out, pairs, _ in op:
            reads[out] = tuple(i for i, _ in pairs)
    seen, stack = set(targets), list(targets)
    while stack:
        for i in reads.get(stack.pop(), ()):
            if i not in seen:
                seen.add(i)
                stack.append(i)
    return frozenset(seen)


def registers(machine: Machine, box: Sequence[Interval], token: int, *,
              integral: Collection[int] = (), needed: Collection[int] | None = None
              ) -> tuple[list[Interval], list[frozenset[int]]]:
    """Every register's enclosure after reading ``token`` from any configuration in ``box``.

    Parameters
    ----------
    machine : Machine
        Real weights and a monotone format (or exact arithmetic).
    box : sequence of (lo, hi)
        Per configuration coordinate (states, then lag buffers), the values it may take.
    token : int
        0 = BOS, i + 1 = ``alphabet[i]``.
    integral : collection of int
        Coordinates whose possible values are all integers (lets rounding stay exact).
    needed : collection of int, optional
        Evaluate only these registers (from :func:`needed_for`); the others come back as 0.

    Returns
    -------
    (ranges, deps)
        Per register (readouts included) its enclosure, and the box coordinates it can still
        depend on (empty for a point).

    Examples
    --------
    After a closing bracket (token 2), the indicator ``[d = 0]`` of the Dyck depth counter is
    exactly 0 when the depth was in [2, 200] (plain intervals would give [−396, 396]), and
    undecided when it was in [1, 200] (a ReLU whose input straddles 0 becomes an interval):

    >>> from ssmproof.recipes import dyck
    >>> m = Machine(dyck.clearing(2, 2))
    >>> at0 = m.reg_names.index("L1.at[0]")
    >>> for lo in (2, 1):
    ...     ranges, deps = registers(m, [(lo, 200), (0, 0), (0, 0)], 2, integral={0})
    ...     print(ranges[at0], sorted(deps[at0]))
    (0, 0) []
    (0, 199) [0]
    """
    ev = _Eval(machine, box, integral)
    ev.needed = needed
    for i, c in machine.embed[token]:
        ev.forms[i] = _point(c)
    pos, lagpos = 0, len(machine.init)

    def coordinate(i: int) -> Form:
        lo, hi = box[i]
        return _point(lo) if lo == hi else Form(0, ((i, 1),))

    for plan in machine.plans:
        for dst in plan.lag_dst:
            ev.forms[dst] = coordinate(lagpos)
            ev.deps[dst] = _NONE if box[lagpos][0] == box[lagpos][1] else frozenset({lagpos})
            lagpos += 1
        for op, relu in zip(plan.pre, plan.pre_relu):
            ev.affine(op, relu)
        ev.affine(plan.gate, False)
        ev.affine(plan.inp, False)
        for k, ((greg, _, _), (ireg, _, _), sreg) in enumerate(
                zip(plan.gate, plan.inp, plan.state_regs)):
            if needed is not None and sreg not in needed:
                continue
            ev.state(sreg, greg, ireg, coordinate(pos + k), pos + k)
        pos += len(plan.state_regs)
        for op, relu in zip(plan.mlp, plan.mlp_relu):
            ev.affine(op, relu)
    ev.affine(machine.readouts, False)
    return [f.range(box) for f in ev.forms], ev.deps
