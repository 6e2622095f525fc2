"""Small hand-written SSMs: worked examples of the model, and fixtures for the verifier.

They are written by hand, not compiled, so that the verifier is exercised on constructions no
compiler of ours produced. Each function says the language it is meant to compute.
"""

from __future__ import annotations

from fractions import Fraction

from ssmproof.numerics.cyclotomic import Cyclotomic

from ssmproof.ssm.program import (
    ONE,
    SSM,
    Activation,
    Dense,
    Layer,
    Mode,
    default_embedding,
    tok,
)

__all__ = ["last_is_a", "contains_aa", "kth_last_is_a", "parity_signed", "dyck1_bounded",
           "dyck1_predictor", "count_mod_rotation"]

AB = ("a", "b")


def last_is_a() -> SSM:
    """Words over {a, b} ending in a: one layer, gate 0 (forget), input ``tok:a``.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(last_is_a())
    >>> [m.accepts(w) for w in ["", "a", "ab", "ba"]]
    [False, True, False, True]
    """
    layer = Layer("L1", ("L1.last_a",), gate={"L1.last_a": {}},
                  input={"L1.last_a": {tok("a"): 1}}, export=("L1.last_a",))
    return SSM("last_is_a", Mode.RECOGNIZE, AB, default_embedding(AB), (layer,),
               accept={"L1.last_a": 1})


def contains_aa() -> SSM:
    """Words over {a, b} containing ``aa``: one layer with the lag view and a pre-MLP.

    The gate must test "previous a *and* current a", which no linear function of the two tokens
    can: the pre-MLP computes ``both = relu(prev:tok:a + tok:a − 1)``; the latch is then
    ``h = (1 − both)·h + both`` (gates in {0, 1}).

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(contains_aa())
    >>> [m.accepts(w) for w in ["aa", "aba", "baab", "a"]]
    [True, False, True, False]
    """
    pre = Dense(("L1.both",), {"L1.both": {"prev:tok:a": 1, tok("a"): 1}}, {"L1.both": -1})
    layer = Layer("L1", ("L1.seen",), lag=(tok("a"),), pre_mlp=(pre,),
                  gate={"L1.seen": {ONE: 1, "L1.both": -1}},
                  input={"L1.seen": {"L1.both": 1}}, export=("L1.seen",))
    return SSM("contains_aa", Mode.RECOGNIZE, AB, default_embedding(AB), (layer,),
               accept={"L1.seen": 1})


def kth_last_is_a(k: int) -> SSM:
    """Words over {a, b} whose k-th symbol from the end is a (k ≥ 1).

    A chain of k − 1 position-wise layers, each lagging the previous one's bit, so the
    configuration is the last k − 1 bits: 2^(k−1) configurations, while the minimal DFA has 2^k
    states — the verifier's benchmark case.

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(kth_last_is_a(3))
    >>> [m.accepts(w) for w in ["abb", "bab", "aab", "ab"]]
    [True, False, True, False]
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    layers, src = [], tok("a")
    for j in range(1, k):
        out = f"L{j}.a_minus_{j}"
        mlp = Dense((out,), {out: {f"prev:{src}": 1}})
        layers.append(Layer(f"L{j}", (), gate={}, input={}, lag=(src,), mlp=(mlp,)))
        src = out
    return SSM(f"kth_last_is_a_{k}", Mode.RECOGNIZE, AB, default_embedding(AB), tuple(layers),
               accept={src: 1})


def parity_signed() -> SSM:
    """PARITY (even number of 1s over {0, 1}) with one signed channel: h ↦ 1 − h on 1.

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(parity_signed())
    >>> [m.accepts(w) for w in ["", "1", "11", "101", "0100"]]
    [True, False, True, True, False]
    """
    alphabet = ("0", "1")
    layer = Layer("L1", ("L1.odd",), gate={"L1.odd": {ONE: 1, tok("1"): -2}},
                  input={"L1.odd": {tok("1"): 1}}, export=("L1.odd",))
    return SSM("parity_signed", Mode.RECOGNIZE, alphabet, default_embedding(alphabet), (layer,),
               accept={ONE: 1, "L1.odd": -2})


def dyck1_bounded(h: int) -> SSM:
    """Balanced words over ( ) whose depth never exceeds ``h``: a counter and an error latch.

    Layer 1 counts depth (gate 1, input ±1) and its MLP writes ``bad`` ∈ {0, 1} (depth < 0 or
    > h) and the clamped depth; layer 2 latches ``bad``. Accept iff clamped depth 0 and no error.
    In exact arithmetic the counter is unbounded on invalid words, so ``prove`` cannot close; a
    saturating format (fixed-point) or bfloat16, whose rounding absorbs ``256 + 1``, makes it
    finite.

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(dyck1_bounded(2))
    >>> [m.accepts(w) for w in ["", "()", "(())", "((()))", ")(", "(()"]]
    [True, True, True, False, False, False]
    """
    alphabet = ("(", ")")
    c = "L1.depth"
    hidden = Dense(("L1.under", "L1.under2", "L1.over", "L1.over2", "L1.pos", "L1.pos2"), {
        "L1.under": {c: -1}, "L1.under2": {c: -1}, "L1.over": {c: 1}, "L1.over2": {c: 1},
        "L1.pos": {c: 1}, "L1.pos2": {c: 1}},
        {"L1.under2": -1, "L1.over": -h, "L1.over2": -h - 1, "L1.pos2": -h - 1})
    out = Dense(("L1.bad", "L1.clamped"), {
        "L1.bad": {"L1.under": 1, "L1.under2": -1, "L1.over": 1, "L1.over2": -1},
        "L1.clamped": {"L1.pos": 1, "L1.pos2": -1}}, activation=Activation.LINEAR)
    counter = Layer("L1", (c,), gate={c: {ONE: 1}},
                    input={c: {tok("("): 1, tok(")"): -1}}, mlp=(hidden, out))
    latch = Layer("L2", ("L2.error",), gate={"L2.error": {ONE: 1, "L1.bad": -1}},
                  input={"L2.error": {"L1.bad": 1}}, export=("L2.error",))
    return SSM(f"dyck1_depth{h}", Mode.RECOGNIZE, alphabet, default_embedding(alphabet),
               (counter, latch),
               accept={ONE: 1, "L1.clamped": -1, "L2.error": -Fraction(h + 2)})


def dyck1_predictor(h: int) -> SSM:
    """Predictive model of Dyck-1 with depth ≤ ``h``: one counter, linear readouts.

    On every prefix of a word of the language the depth d lies in [0, h]: "(" is allowed iff
    d < h, ")" iff d ≥ 1, EOS iff d = 0 — each a linear test of d against a threshold.

    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(dyck1_predictor(2))
    >>> m.decisions(["(", "("])[-1]  # "(" no, ")" yes, EOS no
    (False, True, False)
    """
    alphabet = ("(", ")")
    c = "L1.depth"
    counter = Layer("L1", (c,), gate={c: {ONE: 1}}, input={c: {tok("("): 1, tok(")"): -1}},
                    export=(c,))
    return SSM(f"dyck1_depth{h}_predictor", Mode.PREDICT, alphabet, default_embedding(alphabet),
               (counter,), next={"(": {ONE: h, c: -1}, ")": {c: 1}, "EOS": {ONE: 1, c: -1}})


def count_mod_rotation(p: int = 3) -> SSM:
    """Words over {a, b} whose number of a's is divisible by p: one complex channel.

    The state is ζₚ^(#a): gate ζₚ on ``a`` (a rotation), 1 on ``b`` and BOS, no input, initial
    value 1. The MLP reads the real part x = Re h and tests "x is near 1" with a clamped ramp,
    ``relu(k(x − m)) − relu(k(x − m) − 1)`` with m halfway between cos(2π/p) and 1 and
    k = 4/(1 − cos(2π/p)): 1 for x ≥ (1 + m)/2, 0 for x ≤ m, so the answer survives the small
    errors of a finite format. For p ≥ 5, cos(2π/p) is irrational: the MLP's weights lie in
    Q(ζₚ) too (a real element, printed as a sum of powers of ζₚ).

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(count_mod_rotation(3))
    >>> [m.accepts("a" * k) for k in range(7)]
    [True, False, False, True, False, False, True]
    >>> m.field, count_mod_rotation(5).cyclotomic_order
    (3, 5)
    """
    z = Cyclotomic.zeta(p)
    c = Cyclotomic.zeta(p).real if p > 2 else -1  # cos(2π/p)
    mid = (1 + c) * Fraction(1, 2)
    k = 4 / (1 - c)
    ramp = {"L1.near1": {"L1.rot": k}, "L1.over1": {"L1.rot": k}}
    bias = {"L1.near1": -k * mid, "L1.over1": -k * mid - 1}
    layer = Layer("L1", ("L1.rot",), gate={"L1.rot": {tok("a"): z, tok("b"): 1, tok("BOS"): 1}},
                  input={"L1.rot": {}}, init={"L1.rot": 1},
                  mlp=(Dense(("L1.near1", "L1.over1"), ramp, bias),))
    return SSM(f"count_a_mod_{p}", Mode.RECOGNIZE, AB, default_embedding(AB), (layer,),
               accept={"L1.near1": 1, "L1.over1": -1})
