"""Recognizers for the counter languages (Theorem 5 counters plus an error latch): two layers.

Prediction (:mod:`.counters`) only has to be right on prefixes of words of L; recognition must
also reject every other word, so each recipe adds per-position *error* tests to layer 1's MLP and
an error latch as layer 2 (gate ``1 − e``, input ``e``, with ``e ∈ {0, 1}`` capped as
``S − relu(S − 1)`` over the sum S of the errors, so the gates stay in {0, 1} on every input).

- ``dyck1`` / ``shuffle:K``: an error when a depth goes below 0; accept iff every depth is 0.
- ``boolean:N``: an error when a symbol is read while no operand was pending (the count before
  the symbol, ``pending − Δ(symbol)``, is ≤ 0); accept iff pending = 0 (so ε is rejected).
- ``x₀ⁿ…x_{m−1}ⁿ``: flags ``seen[j]`` for j ≥ 1; an error when x_j is read after x_{j+1}, or
  when a difference ``#x_i − #x_{i+1}`` goes below 0. With neither error the word is sorted: at the
  first out-of-order letter x_j after some x_k (k > j), the differences between j + 1 and k are
  still ≥ 0, so x_{j+1} was seen and the adjacent test fires. Accept iff x_{m−1} was seen and
  every difference is 0.

Exact at every length in exact arithmetic (the languages are not regular, so ``prove`` cannot
close); in finite formats the counters fail as measured in ``docs/counters-precision.md``.

References
----------
Sarrof, Veitsman & Hahn, NeurIPS 2024, arXiv 2405.17394 (v2), Theorem 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ssmproof.recipes import gadgets as g
from ssmproof.recipes.counters import BOOLEAN_OPERATORS, SHUFFLE_PAIRS
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok

__all__ = ["dyck1", "shuffle", "boolean", "counting"]

Unit = tuple[str, dict, int]


@dataclass(frozen=True)
class _Plan:
    """Layer 1 of a recognizer: its channels, ramps, error units and the dims tested for 0."""

    state: tuple[str, ...]
    gate: dict
    input: dict
    ramps: tuple[Unit, ...]
    errors: tuple[Unit, ...]
    zero: tuple[str, ...]  # counters that must end at 0
    must_be_set: tuple[str, ...] = ()  # flags that must end at 1
    init: dict = field(default_factory=dict)


def _ramps(dims: Sequence[str], points: Sequence[int] = (-1, 0, 1)) -> tuple[Unit, ...]:
    return tuple((g.ramp(d, m), {d: 1}, -m) for d in dims for m in points)


def _negative(d: str) -> Unit:
    """``[d ≤ −1] = 1 − (ramp[−1] − ramp[0])`` on integers."""
    return f"{d}.negative", {g.ramp(d, -1): -1, g.ramp(d, 0): 1}, 1


def _build(name: str, family: str, params: dict, alphabet: tuple[str, ...], plan: _Plan) -> SSM:
    errors = [u[0] for u in plan.errors]
    total = {e: 1 for e in errors}
    mlp = (g.dense(list(plan.ramps)), g.dense(list(plan.errors)),
           g.dense([("L1.errors_over_1", total, -1)]),
           g.linear([("L1.error", {**total, "L1.errors_over_1": -1}, 0),
                     *((f"{c}.is0", g.eq_row(c, 0), 0) for c in plan.zero)]))
    l1 = Layer("L1", plan.state, gate=plan.gate, input=plan.input, init=plan.init, mlp=mlp,
               export=plan.must_be_set)
    latch = Layer("L2", ("L2.err",), gate={"L2.err": {ONE: 1, "L1.error": -1}},
                  input={"L2.err": {"L1.error": 1}}, export=("L2.err",))
    needs = [f"{c}.is0" for c in plan.zero] + list(plan.must_be_set)
    accept = {**{d: 1 for d in needs}, ONE: -(len(needs) - 1), "L2.err": -(len(needs) + 1)}
    return SSM(name, Mode.RECOGNIZE, alphabet, default_embedding(alphabet), (l1, latch),
               accept=accept, metadata={"family": family, "parameters": params})


def _brackets_plan(pairs: Sequence[str], names: Sequence[str]) -> _Plan:
    counters = tuple(names)
    return _Plan(counters, {c: {ONE: 1} for c in counters},
                 {c: {tok(p[0]): 1, tok(p[1]): -1} for c, p in zip(counters, pairs)},
                 _ramps(counters), tuple(_negative(c) for c in counters), counters)


def dyck1() -> SSM:
    """Dyck-1 recognizer: a depth counter, an error when it goes below 0, accept at depth 0.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(dyck1())
    >>> [m.accepts(list(w)) for w in ["", "(())()", ")(", "(()", "())(()"]]
    [True, True, False, False, False]
    """
    return _build("dyck1_recognizer", "dyck1", {}, ("(", ")"),
                  _brackets_plan(("()",), ("L1.depth",)))


def shuffle(k: int) -> SSM:
    """Shuffle-K recognizer: K depth counters, each must stay ≥ 0 and end at 0.

    >>> from ssmproof.sim.machine import Machine
    >>> [Machine(shuffle(2)).accepts(list(w)) for w in ["([)]", "(]", "[(])"]]
    [True, False, True]
    """
    if not 1 <= k <= len(SHUFFLE_PAIRS):
        raise ValueError(f"shuffle:K needs 1 <= K <= {len(SHUFFLE_PAIRS)}, got {k}")
    pairs = SHUFFLE_PAIRS[:k]
    alphabet = tuple(s for p in pairs for s in p)
    plan = _brackets_plan(pairs, tuple(f"L1.depth[{i}]" for i in range(k)))
    return _build(f"shuffle_{k}_recognizer", "shuffle", {"K": k}, alphabet, plan)


def boolean(n: int) -> SSM:
    """Boolean-N recognizer: pending operands; an error on any symbol read with none pending.

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(boolean(2))
    >>> [m.accepts(w.split()) for w in ["+ 0 1", "0", "", "0 1", "+ 0", "~ ~ 1"]]
    [True, True, False, False, False, True]
    """
    if not 1 <= n <= len(BOOLEAN_OPERATORS):
        raise ValueError(f"boolean:N needs 1 <= N <= {len(BOOLEAN_OPERATORS)}, got {n}")
    ops = BOOLEAN_OPERATORS[:n]
    c = "L1.pending"
    change = g.add_rows({tok("0"): -1, tok("1"): -1}, {tok(o): a for a, o in enumerate(ops)})
    before = g.add_rows({c: 1}, g.scale_row(change, -1))  # the count before this symbol
    ramps = _ramps((c,)) + tuple((f"L1.before.ramp[{m}]", before, -m) for m in (0, 1))
    none_pending: Unit = ("L1.none_pending", {"L1.before.ramp[0]": -1, "L1.before.ramp[1]": 1}, 1)
    plan = _Plan((c,), {c: {ONE: 1}}, {c: change}, ramps, (none_pending,), (c,), init={c: 1})
    return _build(f"boolean_{n}_recognizer", "boolean", {"N": n}, ("0", "1", *ops), plan)


def counting(letters: Sequence[str]) -> SSM:
    """``x₀ⁿ…x_{m−1}ⁿ`` recognizer (n ≥ 1): differences, a flag per letter after the first.

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(counting("abc"))
    >>> [m.accepts(list(w)) for w in ["abc", "aabbcc", "", "acb", "abcabc", "aabbc"]]
    [True, True, False, False, False, False]
    """
    xs = tuple(letters)
    m = len(xs)
    if m < 2 or len(set(xs)) != m:
        raise ValueError("counting needs at least two distinct letters")
    diffs = tuple(f"L1.diff[{i}]" for i in range(m - 1))
    seen = tuple(f"L1.seen[{j}]" for j in range(1, m))
    gate = {**{d: {ONE: 1} for d in diffs},
            **{s: {ONE: 1, tok(xs[j + 1]): -1} for j, s in enumerate(seen)}}
    inp = {**{d: {tok(xs[i]): 1, tok(xs[i + 1]): -1} for i, d in enumerate(diffs)},
           **{s: {tok(xs[j + 1]): 1} for j, s in enumerate(seen)}}
    order = tuple((f"L1.{xs[j]}_after_{xs[j + 1]}", {tok(xs[j]): 1, seen[j]: 1}, -1)
                  for j in range(m - 1))
    plan = _Plan(diffs + seen, gate, inp, _ramps(diffs),
                 order + tuple(_negative(d) for d in diffs), diffs, must_be_set=(seen[-1],))
    name = "".join(f"{x}n" for x in xs)
    return _build(f"{name}_recognizer", name, {}, xs, plan)
