"""Bounded Dyck ``dyck:K,H`` (PAPER §2, Theorem 6): a depth counter and H binary register groups.

Words are well nested over K bracket pairs with depth never above H (DESIGN §1): the pairs are
``()``, ``[]``, ``{}``, ``<>`` for K ≤ 4 and the tokens ``(1 )1 … (K )K`` for K ≥ 5.

:func:`predictive` — two layers, gates in {0, 1}:

- **Layer 1** ``L1.depth``: gate 1, input +1 on an opening and −1 on a closing bracket (exact
  on valid prefixes, where it stays in [0, H]). Its MLP reads the *updated* depth d_t and writes
  ``L1.at[ℓ] = [d_t = ℓ]`` (ℓ = 0…H), ``L1.open_at[ℓ] = [opening ∧ d_t = ℓ]`` and
  ``L1.set_at[ℓ].bit{j} = [opening whose type has bit j set ∧ d_t = ℓ]``.
- **Layer 2** ``L2.reg[ℓ].bit{j}`` (ℓ = 1…H, j < ⌈log₂K⌉): gate ``one − open_at[ℓ]``, input
  ``set_at[ℓ].bit{j}``. Timing: the opening bracket that *raises* the depth to ℓ is at the
  position where layer 1's updated depth is ℓ, and layer 2 reads that at the same position, so
  group ℓ is overwritten with the type of the bracket opened at depth ℓ — the open bracket on
  top of the stack whenever d_t = ℓ (a later opening at depth ℓ would have overwritten it, and
  closing it lowers the depth below ℓ). Groups above d_t keep stale types; they are never read.
- **Readout**: any opening iff d_t < H; the closing bracket of type k iff d_t ≥ 1 and group d_t
  holds code(k) (layer 2's MLP: ``top.bit{j} = Σ_ℓ [reg[ℓ].bit{j} ∧ at[ℓ]]`` then one unit per
  type); EOS iff d_t = 0. For K = 1 there are no registers and one layer suffices.

State dims: 1 + H·⌈log₂K⌉. Every value is an integer in [−1, H + 1] on valid prefixes, so the
construction is exact in any format holding those integers, at every length.

:func:`clearing` — the same two layers, except that a group is *cleared* (gate 0, input 0) at
the closing bracket that lowers the depth below it: layer 1 also writes
``L1.close_at[ℓ] = [closing ∧ d_t = ℓ − 1]`` and group ℓ's gate is
``one − open_at[ℓ] − close_at[ℓ]``. Groups above d_t are then all zero, so a configuration is
exactly (d_t, groups 1 … d_t) — the stack — and the reachable configurations are the live states
1 + K + … + K^H of the minimal DFA, no more: log₂(live states) bits, which is optimal for Dyck
(any two stacks differ on some non-empty continuation, so no construction merges two of them).
This is what ``compile dyck:K,H --mode predict`` gives (recipe ``dyck-clearing``);
:func:`predictive` stays as recipe ``dyck-two-layer``.

:func:`recognizer` — recognition adds an error latch (a third layer; a second for K = 1). A
position is *fine* when it is BOS, an opening with the new depth in [1, H], or a closing of
type k with the new depth in [0, H − 1] and group d_t + 1 (the bracket it closes; closing does
not write registers) holding code(k). The latch is set by any position that is not fine;
accept iff d_n = 0 and the latch is clear. On invalid words the depth counter is unbounded in
exact arithmetic, so ``prove`` cannot close there; bfloat16 absorbs ``256 + 1`` by rounding,
which bounds it, and every gadget stays exact on the whole range [−256, 256].

References
----------
Sarrof, Veitsman & Hahn, NeurIPS 2024, arXiv 2405.17394 (v2), Theorem 6; Hewitt et al. 2020,
*RNNs can generate bounded hierarchical languages with optimal memory* (the Θ(H log K) bound).
"""

from __future__ import annotations

from ssmproof.errors import SsmproofError
from ssmproof.numerics.formats import Format
from ssmproof.recipes import gadgets as g
from ssmproof.ssm.program import BOS, EOS, ONE, SSM, Dense, Layer, Mode, default_embedding, tok
from ssmproof.ssm.relation import Group, Relation

from ssmproof.lang.factored import NONE

__all__ = ["alphabet", "pairs", "predictive", "clearing", "recognizer", "relation",
           "recognizer_relation", "counter_values", "MAX_K", "MAX_H", "MAX_COUNTER_VALUES"]

MAX_K, MAX_H = 500, 1000  # the zoo's ranges
_SMALL = ("()", "[]", "{}", "<>")
DEPTH = "L1.depth"


def pairs(k: int) -> tuple[tuple[str, str], ...]:
    """The (opening, closing) symbols of ``dyck:K,H`` (DESIGN §1).

    Examples
    --------
    >>> pairs(2)
    (('(', ')'), ('[', ']'))
    >>> pairs(5)[4]
    ('(5', ')5')
    """
    _check(k, 1)
    if k <= len(_SMALL):
        return tuple((p[0], p[1]) for p in _SMALL[:k])
    return tuple((f"({t}", f"){t}") for t in range(1, k + 1))


def alphabet(k: int) -> tuple[str, ...]:
    """Opening and closing symbol of each pair, pair by pair: ``( ) [ ] …``.

    >>> alphabet(2)
    ('(', ')', '[', ']')
    """
    return tuple(s for pair in pairs(k) for s in pair)


def _check(k: int, h: int) -> None:
    if not (1 <= k <= MAX_K and 1 <= h <= MAX_H):
        raise ValueError(f"dyck:K,H needs 1 <= K <= {MAX_K} and 1 <= H <= {MAX_H}; "
                         f"got K={k}, H={h}")


def _reg(level: int, j: int) -> str:
    return f"L2.reg[{level}].bit{j}"


def _depth_layer(k: int, h: int, extra: list[tuple[str, dict, int]]) -> Layer:
    """Layer 1: the depth counter and its indicator MLP (ramps, then indicators/conjunctions)."""
    opens, closes = zip(*pairs(k))
    bits = g.code_bits(k)
    is_open = {tok(o): 1 for o in opens}
    units: list[tuple[str, dict, int]] = [(f"L1.at[{lv}]", g.eq_row(DEPTH, lv), 0)
                                          for lv in range(h + 1)]
    if bits:
        for lv in range(1, h + 1):
            units.append(_conj(f"L1.open_at[{lv}]", is_open, g.eq_row(DEPTH, lv)))
            for j in range(bits):
                with_bit = {tok(o): 1 for t, o in enumerate(opens) if (t >> j) & 1}
                units.append(_conj(f"L1.set_at[{lv}].bit{j}", with_bit, g.eq_row(DEPTH, lv)))
    mlp = (g.ramps(DEPTH, range(-1, h + 2)), g.dense(units + extra))
    return Layer("L1", (DEPTH,), gate={DEPTH: {ONE: 1}},
                 input={DEPTH: {**is_open, **{tok(c): -1 for c in closes}}}, mlp=mlp)


def _conj(name: str, *rows: dict) -> tuple[str, dict, int]:
    row, bias = g.and_row(*rows)
    return name, row, bias


def _close_units(k: int, h: int) -> list[tuple[str, dict, int]]:
    """``L1.close_at[ℓ] = [closing ∧ d_t = ℓ − 1]``: the closing bracket that empties group ℓ."""
    closes = {tok(c): 1 for _, c in pairs(k)}
    return [_conj(f"L1.close_at[{lv}]", closes, g.eq_row(DEPTH, lv - 1)) for lv in range(1, h + 1)]


def _register_layer(k: int, h: int, mlp: tuple[Dense, ...], *, clear: bool = False) -> Layer:
    """Layer 2: H groups of ⌈log₂K⌉ set/reset bits; group ℓ is written by an opening at depth ℓ
    (and, with ``clear``, reset to zero by the closing bracket that leaves depth ℓ)."""
    bits = g.code_bits(k)
    state = tuple(_reg(lv, j) for lv in range(1, h + 1) for j in range(bits))
    gate = {_reg(lv, j): {ONE: 1, f"L1.open_at[{lv}]": -1,
                          **({f"L1.close_at[{lv}]": -1} if clear else {})}
            for lv in range(1, h + 1) for j in range(bits)}
    inp = {_reg(lv, j): {f"L1.set_at[{lv}].bit{j}": 1}
           for lv in range(1, h + 1) for j in range(bits)}
    return Layer("L2", state, gate=gate, input=inp, mlp=mlp)


def _lookup(k: int, h: int, name: str, offset: int) -> Dense:
    """``name[ℓ].bit{j} = [reg[ℓ].bit{j} ∧ at[ℓ − offset]]``: group d_t + offset, bit by bit."""
    bits = g.code_bits(k)
    return g.dense([_conj(f"L2.{name}[{lv}].bit{j}", {_reg(lv, j): 1}, {f"L1.at[{lv - offset}]": 1})
                    for lv in range(1, h + 1) for j in range(bits)])


def _matches(k: int, h: int, name: str, t: int) -> tuple[dict, int]:
    """``Σ_j [bit j of the looked-up group equals bit j of code(t)]`` as (row, constant)."""
    row: dict = {}
    const = 0
    for j, bit in enumerate(g.binary_code(t, g.code_bits(k))):
        looked = {f"L2.{name}[{lv}].bit{j}": 1 for lv in range(1, h + 1)}
        row = g.add_rows(row, looked if bit else g.scale_row(looked, -1))
        const += 0 if bit else 1
    return row, const


def _levels(lo: int, hi: int) -> dict:
    """``Σ_{ℓ=lo}^{hi} at[ℓ]``: the new depth lies in [lo, hi] (a 0/1 value; reads layer 1's
    outputs, so for layer 2 and the readouts)."""
    return {f"L1.at[{lv}]": 1 for lv in range(lo, hi + 1)}


def _levels_from_ramps(lo: int, hi: int) -> dict:
    """The same 0/1 value over the depth ramps, for units inside layer 1's indicator map."""
    return g.add_rows(*(g.eq_row(DEPTH, lv) for lv in range(lo, hi + 1)))


def predictive(k: int, h: int) -> SSM:
    """The two-layer predictive construction for ``dyck:K,H`` (one layer for K = 1).

    Groups above the current depth keep stale types: (H + 1)·K^H reachable configurations.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(predictive(2, 2))
    >>> m.decisions(["(", "["])[-1]  # ( ) [ ] EOS: at depth 2 = H only "]" may follow
    (False, False, False, True, False)
    """
    return _predictor(k, h, clear=False)


def clearing(k: int, h: int) -> SSM:
    """The memory-optimal predictive construction: :func:`predictive`, clearing closed groups.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(clearing(2, 2))
    >>> m.decisions(["(", "["])[-1]  # ( ) [ ] EOS: at depth 2 = H only "]" may follow
    (False, False, False, True, False)
    >>> c = m.start()
    >>> for t in [0, *m.token_ids(["(", "[", "]", ")"])]:
    ...     c = m.step(c, t)[0]
    >>> c[:3]  # depth 0 and both groups cleared again: the configuration of the empty stack
    (0, 0, 0)
    """
    return _predictor(k, h, clear=True)


def _predictor(k: int, h: int, *, clear: bool) -> SSM:
    _check(k, h)
    bits = g.code_bits(k)
    l1 = _depth_layer(k, h, _close_units(k, h) if clear and bits else [])
    layers: tuple[Layer, ...] = (l1,)
    closing_ok: dict[str, dict] = {c: _levels(1, h) for _, c in pairs(k)}
    if bits:
        ge1 = _levels(1, h)
        units = []
        for t, (_, c) in enumerate(pairs(k)):
            row, const = _matches(k, h, "top", t)
            units.append((f"L2.close_ok[{t}]", g.add_rows(row, ge1), const - bits))
        layers += (_register_layer(k, h, (_lookup(k, h, "top", 0), g.dense(units)),
                                   clear=clear),)
        closing_ok = {c: {f"L2.close_ok[{t}]": 1} for t, (_, c) in enumerate(pairs(k))}
    nxt = {o: _levels(0, h - 1) for o, _ in pairs(k)}
    nxt.update(closing_ok)
    nxt[EOS] = {"L1.at[0]": 1}
    return SSM(f"dyck_{k}_{h}_{'clearing' if clear else 'predictive'}", Mode.PREDICT, alphabet(k),
               default_embedding(alphabet(k)), layers, next=nxt,
               metadata={"family": "dyck", "parameters": {"K": k, "H": h}})


def recognizer(k: int, h: int) -> SSM:
    """Recognition: the predictive layers plus an error latch (3 layers; 2 for K = 1).

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(recognizer(2, 2))
    >>> [m.accepts(list(w)) for w in ["", "([])", "(]", "((()))", "())(", "[[]]()"]]
    [True, True, False, False, False, True]
    """
    _check(k, h)
    bits = g.code_bits(k)
    opens = {tok(o): 1 for o, _ in pairs(k)}
    open_ok = _conj("L1.open_ok", opens, _levels_from_ramps(1, h))
    fine = {tok(BOS): 1, "L1.open_ok": 1}
    if not bits:
        close = {tok(c): 1 for _, c in pairs(k)}
        close_ok = _conj("L1.close_ok", close, _levels_from_ramps(0, h - 1))
        l1 = _depth_layer(k, h, [open_ok, close_ok])
        layers: tuple[Layer, ...] = (l1,)
        fine["L1.close_ok"] = 1
    else:
        l1 = _depth_layer(k, h, [open_ok])
        units = []
        for t, (_, c) in enumerate(pairs(k)):
            row, const = _matches(k, h, "below", t)
            units.append((f"L2.close_ok[{t}]", g.add_rows(row, _levels(0, h - 1), {tok(c): 1}),
                          const - bits - 1))
            fine[f"L2.close_ok[{t}]"] = 1
        layers = (l1, _register_layer(k, h, (_lookup(k, h, "below", 1), g.dense(units))))
    err = f"L{len(layers) + 1}.err"
    latch = Layer(f"L{len(layers) + 1}", (err,), gate={err: dict(fine)},
                  input={err: g.add_rows({ONE: 1}, g.scale_row(fine, -1))}, export=(err,))
    return SSM(f"dyck_{k}_{h}_recognizer", Mode.RECOGNIZE, alphabet(k),
               default_embedding(alphabet(k)), (*layers, latch),
               accept={"L1.at[0]": 1, err: -2},
               metadata={"family": "dyck", "parameters": {"K": k, "H": h}})


def relation(k: int, h: int, *, clear: bool = True) -> Relation:
    """The simulation relation of :func:`clearing` (``clear``) or :func:`predictive`, by levels.

    Against :func:`ssmproof.lang.factored.bounded_dyck` (components ``depth``, ``top[ℓ]``):
    ``L1.depth`` equals the depth; for each level ℓ, group ℓ's register bits hold code(top[ℓ])
    when ℓ ≤ depth, and above the depth they are zero (``clear``) or any code (stale types).
    :func:`ssmproof.verify.invariant.check` proves the construction with it for all lengths
    without listing the (1 + K + … + K^H) stacks.

    Examples
    --------
    >>> relation(2, 3).sizes()  # the depth group, then per level ℓ: (H + 1 − ℓ)·K + ℓ tuples
    [4, 7, 6, 5]
    """
    _check(k, h)
    bits = g.code_bits(k)
    groups = [Group(("depth",), (DEPTH,), frozenset((d, d) for d in range(h + 1)))]
    codes = [g.binary_code(t, bits) for t in range(k)]
    above = [(0,) * bits] if clear else sorted(set(codes))
    for lv in range(1, h + 1):  # K = 1: no register bits; the depth alone fixes the level
        rows = set()
        for d in range(h + 1):
            if lv <= d:
                rows |= {(d, t, *codes[t]) for t in range(k)}
            else:
                rows |= {(d, "-", *c) for c in above}
        groups.append(Group(("depth", f"top[{lv}]"), tuple(_reg(lv, j) for j in range(bits)),
                            frozenset(rows)))
    return Relation(f"dyck_{k}_{h}_{'clearing' if clear else 'stale'}", tuple(groups))


MAX_COUNTER_VALUES = 1 << 17
"""The most depth values :func:`recognizer_relation` lists (bfloat16: 513, float16: 4,097)."""


def counter_values(fmt: Format, limit: int = MAX_COUNTER_VALUES) -> list[int] | None:
    """Every value of a counter ``h ← rnd(h ± 1)`` from 0 in ``fmt``, or None past ``limit``.

    The recognizer's depth counter runs on invalid words too, and only a format that stops it
    (saturation, or a float whose spacing reaches 2 so that ``h + 1`` rounds back to ``h``)
    leaves it finitely many values; in exact arithmetic it takes every integer.

    >>> from ssmproof.numerics.formats import parse
    >>> v = counter_values(parse("bfloat16")); (len(v), v[0], v[-1])
    (513, -256, 256)
    >>> counter_values(parse("exact"), limit=1000) is None
    True
    """
    seen, frontier = {0}, [0]
    while frontier:
        nxt = []
        for x in frontier:
            for y in (fmt.rnd(fmt.rnd(x) + 1), fmt.rnd(fmt.rnd(x) - 1)):
                if y not in seen:
                    if len(seen) >= limit:
                        return None
                    seen.add(y)
                    nxt.append(y)
        frontier = nxt
    return sorted(seen)  # type: ignore[type-var]


def recognizer_relation(k: int, h: int, fmt: Format) -> Relation:
    """The simulation relation of :func:`recognizer` in ``fmt``, against the complete Dyck.

    Against ``bounded_dyck(K, H, …, complete=True)`` (components ``failed``, ``depth``,
    ``top[ℓ]``): while nothing failed, ``L1.depth`` is the depth, the groups hold the open
    types (any code above the depth: the recognizer's groups are not cleared) and the latch is
    0; once failed (the language's one sink), the latch is 1, the depth counter may be any value
    the format lets it reach (:func:`counter_values`) and every group any code. Why the latch
    stays 1 for *every* such configuration is what the checker must show: gate ``fine`` and
    input ``1 − fine`` keep 1 only because the two move together, so it splits the depth range
    until ``fine`` is a point.

    Raises
    ------
    SsmproofError
        In a format where the counter has more than :data:`MAX_COUNTER_VALUES` values (exact
        arithmetic: every integer), which no finite relation covers.

    >>> from ssmproof.numerics.formats import parse
    >>> recognizer_relation(2, 3, parse("bfloat16")).sizes()
    [517, 10, 10, 10, 2]
    """
    _check(k, h)
    depths = counter_values(fmt)
    if depths is None:
        raise SsmproofError(f"dyck-recognizer: in {fmt} the depth counter takes more than "
                            f"{MAX_COUNTER_VALUES} values on invalid words (in exact arithmetic "
                            "every integer), so no finite relation covers the recognizer; "
                            "use a format that stops it (bfloat16, float16, fixed:I.P)")
    bits = g.code_bits(k)
    codes = [g.binary_code(t, bits) for t in range(k)]
    alive = relation(k, h, clear=False)
    groups = [Group(("failed", "depth"), (DEPTH,), frozenset(
        {(0, *t) for t in alive.groups[0].tuples} | {(1, 0, x) for x in depths}))]
    for lv, grp in enumerate(alive.groups[1:], 1):
        dead = {(1, 0, NONE, *c) for c in codes}
        groups.append(Group(("failed", "depth", f"top[{lv}]"), grp.dims,
                            frozenset({(0, *t) for t in grp.tuples} | dead)))
    err = f"L{3 if bits else 2}.err"
    groups.append(Group(("failed",), (err,), frozenset({(0, 0), (1, 1)})))
    return Relation(f"dyck_{k}_{h}_recognizer_{fmt}", tuple(groups))
