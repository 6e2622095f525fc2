"""One position of a :class:`Machine` evaluated over an abstract domain of values.

The interval enclosure (:mod:`ssmproof.sim.interval`) and the refuter's affine forms
(:mod:`ssmproof.refute.affine`) walk a machine's plans in exactly DESIGN's order — embedding,
lag view, pre-MLP, gate and input, ``h = rnd(rnd(a·h) + b)``, post-MLP — and differ only in how
a value is made, combined, multiplied and rounded. The walk is written here once; each domain
supplies those four operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from ssmproof.numerics.rounding import Value
from ssmproof.sim.machine import Machine

__all__ = ["Domain", "walk"]

V = TypeVar("V")


class Domain(Protocol[V]):
    """What a domain of abstract values must say for :func:`walk`."""

    def const(self, c: Value) -> V:
        """The exact value ``c``."""

    def affine(self, regs: list[V], op: tuple, relu: bool) -> None:
        """Write each output of ``op`` (rows of (out, pairs, bias)) into ``regs``, rounded."""

    def update(self, a: V, h: V, b: V) -> V:
        """The recurrence ``rnd(rnd(a·h) + b)``."""

    def low(self, a: V) -> Value:
        """A lower bound of the gate ``a``."""


def walk(machine: Machine, config: Sequence[V], token: int, dom: Domain[V]
         ) -> tuple[list[V], Value | None, list[V]]:
    """(next configuration: states then lag values, the least gate met or None, registers)."""
    regs: list[V] = [dom.const(0)] * machine.nregs
    for i, c in machine.embed[token]:
        regs[i] = dom.const(c)
    pos, lagpos = 0, len(machine.init)
    states: list[V] = []
    lags: list[V] = []
    least: Value | None = None
    for plan in machine.plans:
        for src, dst in zip(plan.lag_src, plan.lag_dst):
            regs[dst] = config[lagpos]
            lags.append(regs[src])
            lagpos += 1
        for op, relu in zip(plan.pre, plan.pre_relu):
            dom.affine(regs, op, relu)
        dom.affine(regs, plan.gate, False)
        dom.affine(regs, plan.inp, False)
        for k, ((greg, _, _), (ireg, _, _), sreg) in enumerate(
                zip(plan.gate, plan.inp, plan.state_regs)):
            a, b = regs[greg], regs[ireg]
            glo = dom.low(a)
            least = glo if least is None else min(least, glo)
            regs[sreg] = dom.update(a, config[pos + k], b)
        states.extend(regs[r] for r in plan.state_regs)
        pos += len(plan.state_regs)
        for op, relu in zip(plan.mlp, plan.mlp_relu):
            dom.affine(regs, op, relu)
    return states + lags, least, regs
