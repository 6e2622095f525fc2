"""Does a finite-format proof transfer to hardware that accumulates dot products in float32?

DESIGN §3 computes every coordinate of a matrix–vector product exactly and rounds it once.
Accelerators multiply and sum in float32 and round the float32 result to the storage format;
the two agree whenever the float32 accumulation is itself exact. This module re-walks the
product a closed ``prove`` walked (breadth first, symbols in the language's order) and asks,
for every dot product it meets — each row of G·v, B·v, pre-MLP, MLP and readout maps with its
bias, and the recurrence's a·h and rnd(a·h) + b — whether it is exact in float32 *whatever the
summation order*: every term is a float32 value (the products are exact), and with 2^e the
smallest unit among the terms, Σ|terms| < 2^24·2^e, so every partial sum is a multiple of 2^e
below 2^24 units (a float32 value). The first one that is not is named with its layer, its
register and the word whose last step computes it.

What is *not* claimed: a dot product that fails the test may still come out right in a given
summation order (the test is sufficient, not necessary); formats ``exact`` and ``int:P`` and
complex models get no answer (``None``).

Examples
--------
>>> from fractions import Fraction
>>> exact_in_float32([Fraction(1), Fraction(1, 2**20), Fraction(-1)])
True
>>> exact_in_float32([Fraction(1), Fraction(1, 2**30), Fraction(-1)])  # 1 + 2⁻³⁰ rounds to 1
False
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction
from typing import Any

from ssmproof.lang.automaton import Language
from ssmproof.numerics.formats import FormatKind, NonFiniteValue
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.verify.oracle import explores

__all__ = ["exact_in_float32", "float32_accumulation", "BUDGET"]

BUDGET = 20_000
"""Configurations a proof may have for the re-walk to run (it steps the reference Machine)."""

_P, _EMIN, _EMAX = 24, -149, 127  # float32: significand bits, smallest unit, largest exponent


def _unit(x: Fraction) -> int:
    """The exponent of the lowest set bit of a dyadic x ≠ 0 (None-like large for others)."""
    num, den = abs(x.numerator), x.denominator
    if den & (den - 1):
        raise ValueError("not dyadic")
    return (num & -num).bit_length() - 1 - (den.bit_length() - 1)


def _is_float32(x: Fraction) -> bool:
    if not x:
        return True
    try:
        e = _unit(x)
    except ValueError:
        return False
    mantissa = abs(x) / Fraction(2) ** e
    return e >= _EMIN and mantissa < 2**_P and abs(x) < Fraction(2) ** (_EMAX + 1)


def exact_in_float32(terms: list[Fraction]) -> bool:
    """True when summing ``terms`` in float32 in any order is exact (see the module docstring)."""
    terms = [Fraction(t) for t in terms if t]
    if not all(_is_float32(t) for t in terms):
        return False
    if len(terms) <= 1:
        return True
    unit = Fraction(2) ** min(_unit(t) for t in terms)
    total = sum(abs(t) for t in terms)  # bounds every partial sum, in any order
    return total < 2**_P * unit and total <= (2**_P - 1) * Fraction(2) ** (_EMAX + 1 - _P)


class _Watch(Machine):
    """A Machine that tests every dot product it computes (cache misses only: the same inputs
    give the same terms) and remembers the first that fails."""

    def _watch_init(self) -> None:
        self.layer_of = {id(op): p.name for p in self.plans
                         for op in (*p.pre, p.gate, p.inp, *p.mlp)}
        self.checked, self.first, self.seen = 0, None, set()

    def _judge(self, terms: list[Any], layer: str, register: str) -> None:
        key = (layer, register, tuple(terms))
        if key in self.seen:
            return
        self.seen.add(key)
        self.checked += 1
        if self.first is None and not exact_in_float32(terms):
            self.first = {"layer": layer, "register": register,
                          "terms": [str(Fraction(t)) for t in terms if t]}

    def _compute(self, regs: list, op: Any, relu: bool) -> tuple:
        for out, pairs, bias in op:
            self._judge([c * regs[i] for i, c in pairs] + [bias],
                        self.layer_of.get(id(op), "readout"), self.reg_names[out])
        return super()._compute(regs, op, relu)

    def _recur(self, regs: list, plan: Any, config: tuple, pos: int, li: int,
               record: dict | None) -> None:
        super()._recur(regs, plan, config, pos, li, record)
        for k, ((g, _, _), (i, _, _), s) in enumerate(zip(plan.gate, plan.inp, plan.state_regs)):
            ah = regs[g] * config[pos + k]
            self._judge([ah], plan.name, f"{self.reg_names[s]} (a·h)")
            self._judge([self._rnd(ah), regs[i]], plan.name, f"{self.reg_names[s]} (+ b)")


def float32_accumulation(machine: Machine, lang: Language, mode: Mode,
                         configurations: int | None) -> dict[str, object] | None:
    """The certificate's ``float32_accumulation`` block for a closed finite-format proof."""
    fmt = machine.fmt
    if fmt.kind in (FormatKind.EXACT, FormatKind.INT) or machine.complex:
        return None
    if configurations is None or configurations > BUDGET:
        return {"checked": False, "reason": f"more than {BUDGET} configurations"}
    watch = _Watch(machine.ssm, fmt)
    watch._watch_init()
    word = _walk(watch, lang, mode)
    out: dict[str, object] = {"checked": True, "exact": watch.first is None,
                              "dot_products": watch.checked}
    if watch.first is not None:
        out["first_inexact"] = {**watch.first, "word": list(word or ())}
    return out


def _walk(m: _Watch, lang: Language, mode: Mode) -> tuple[str, ...] | None:
    """Breadth-first over (configuration, language state), as ``prove``; the word at the first
    inexact dot product (None when there is none)."""
    tokens = [m.token_ids([s])[0] for s in lang.alphabet]
    q0 = lang.initial()
    try:
        config, _ = m.step(m.start(), 0)
    except NonFiniteValue:
        return None
    if m.first is not None:
        return ()
    seen, queue = {(config, q0)}, deque([((config, q0), ())])
    while queue:
        (config, q), word = queue.popleft()
        for a, sym in enumerate(lang.alphabet):
            q2 = lang.step(q, a)
            if not explores(lang, mode, q2):
                continue
            try:
                c2, _ = m.step(config, tokens[a])
            except NonFiniteValue:
                continue
            if m.first is not None:
                return (*word, sym)
            if (c2, q2) not in seen:
                seen.add((c2, q2))
                queue.append(((c2, q2), (*word, sym)))
    return None
