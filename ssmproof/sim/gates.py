"""Gate classes are *computed*, never trusted from a file (DESIGN §2).

From a set of gate values per state dim: ``nonnegative`` (all a ≥ 0), ``signed`` (real, some
a < 0), ``complex`` (some a not real: a weight of a cyclotomic field, :mod:`ssmproof.numerics.cyclotomic`),
or ``unknown`` (no value seen). Two further properties: ``stable``
(every |a| ≤ 1) and ``time_invariant`` (each channel met a single gate value).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ssmproof.numerics.cyclotomic import Cyclotomic, is_complex
from ssmproof.ssm.program import Activation, Product
from ssmproof.wordenum import WordEnum

if TYPE_CHECKING:  # annotations only (the model and the formats import this module's users)
    from ssmproof.numerics.formats import Format
    from ssmproof.ssm.program import SSM

__all__ = ["GateClass", "GateInfo", "gate_class_from_values", "reachable_gate_class",
           "structural_gate_class"]


class GateClass(WordEnum):
    """The narrowest class every gate value met lies in (DESIGN §2; ``metadata.gate_class``)."""

    NONNEGATIVE = "nonnegative"
    SIGNED = "signed"
    COMPLEX = "complex"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class GateInfo:
    gate_class: str
    stable: bool | None
    time_invariant: bool | None
    values_seen: int
    complete: bool  # True when every gate value the model can produce was enumerated

    @property
    def detail(self) -> str:
        if self.gate_class == GateClass.UNKNOWN.value:
            return "no gate value met"
        flags = [f"stable={self.stable}", f"time_invariant={self.time_invariant}"]
        return f"{self.values_seen} distinct gate values; " + ", ".join(flags)

    def to_dict(self) -> dict[str, object]:
        return {"gate_class": self.gate_class, "stable": self.stable,
                "time_invariant": self.time_invariant, "gate_values_seen": self.values_seen,
                "gate_class_coverage": "complete" if self.complete else "observed"}


def gate_class_from_values(per_dim: Sequence[Iterable[int | Fraction]], *,
                           complete: bool = False) -> GateInfo:
    """Classify from the gate values met per state dim.

    Examples
    --------
    >>> gate_class_from_values([{0, 1}, {1}]).gate_class
    'nonnegative'
    >>> info = gate_class_from_values([{-1, 1}])
    >>> info.gate_class, info.stable, info.time_invariant
    ('signed', True, False)
    >>> from ssmproof.numerics.cyclotomic import Cyclotomic
    >>> info = gate_class_from_values([{0, 1, Cyclotomic.zeta(3)}])
    >>> info.gate_class, info.stable
    ('complex', True)
    """
    sets = [set(v) for v in per_dim]
    values = set().union(*sets) if sets else set()
    if not values:
        return GateInfo(GateClass.UNKNOWN.value, None, None, 0, complete)
    if any(is_complex(v) for v in values):
        cls = GateClass.COMPLEX
    else:
        cls = GateClass.SIGNED if any(v < 0 for v in values) else GateClass.NONNEGATIVE
    return GateInfo(cls.value, all(_modulus_at_most_one(v) for v in values),
                    all(len(s) <= 1 for s in sets), len(values), complete)


def _modulus_at_most_one(v: object) -> bool:
    """|v| ≤ 1, exactly (|v|² = v·v̄ for a field element)."""
    return bool(v.abs2() <= 1) if isinstance(v, Cyclotomic) else abs(v) <= 1  # type: ignore


def reachable_gate_class(ssm: SSM, fmt: str | Format = "exact", *, budget: int = 20000
                         ) -> GateInfo:
    """Enumerate every gate value reachable from BOS (all strings), within a configuration budget.

    When the reachable configurations close within ``budget`` the class is exact (``complete``);
    otherwise it is what the explored part showed (``observed``).
    """
    from ssmproof.numerics.formats import parse
    from ssmproof.sim.machine import Machine
    from ssmproof.verify.explore import reachable

    machine = Machine(ssm, parse(fmt) if isinstance(fmt, str) else fmt, observe_gates=True)
    complete = reachable(machine, budget)
    return gate_class_from_values(machine.gate_values, complete=complete)


def structural_gate_class(ssm: object) -> dict[str, object]:
    """The gate class read off the program's structure, for models with smooth maps.

    Such a model cannot run in exact arithmetic (exp of a nonzero rational is irrational), so
    its gate values are not enumerated on save. Instead a dim is *provably nonnegative* when it is
    an output of ``exp``, ``softplus``, ``rsqrt`` or ReLU, a product of two such dims, or a map
    whose row has only positive weights on such dims and a bias ≥ 0. When every gate row is of
    the last kind (Mamba's exp(Δ·A)), every gate value is ≥ 0 in every monotone format — a
    correctly rounded value of a nonnegative function is ≥ 0, a positive weight rounds to a value
    ≥ 0, and rounding a sum of nonnegative terms gives a value ≥ 0 — so the class is
    ``nonnegative`` with coverage ``structural``. Otherwise it is ``unknown`` (``refute`` checks
    every gate it meets anyway).
    """
    positive = {Activation.EXP, Activation.SOFTPLUS, Activation.RSQRT, Activation.RELU}
    value = ssm.value  # type: ignore[attr-defined]

    def row_ok(row: object, nonneg: set[str], bias: object = 0) -> bool:
        return value(bias) >= 0 and all(d in nonneg and value(c) > 0  # type: ignore
                                        for d, c in row.items())  # type: ignore[attr-defined]

    ok = True
    for layer in ssm.layers:  # type: ignore[attr-defined]
        nonneg: set[str] = set()
        for d in layer.pre_mlp:
            if isinstance(d, Product):
                nonneg |= {o for o in d.out if set(d.factors[o]) <= nonneg}
            elif Activation(d.activation) in positive:
                nonneg |= set(d.out)
            else:
                nonneg |= {o for o in d.out
                           if row_ok(d.weights.get(o, {}), nonneg, d.bias.get(o, 0))}
        ok = ok and all(row_ok(row, nonneg) for row in layer.gate.values())
    cls = GateClass.NONNEGATIVE if ok else GateClass.UNKNOWN
    return {"gate_class": cls.value, "stable": None, "time_invariant": None,
            "gate_values_seen": 0, "gate_class_coverage": "structural" if ok else "not computed"}
