"""Flip-flop (PAPER §2, Theorem 1): three constructions with gates in {0, 1}.

The language (DESIGN §1): ``σ₁b₁ … σₙbₙ`` with n ≥ 1, instructions σ ∈ {w, r, i}, bits
b ∈ {0, 1}, σ₁ = w, and every bit after an ``r`` equal to the bit after the latest ``w``.

- :func:`two_layer` — predictive, the paper's two layers, no lag view. Layer 1 remembers
  whether the latest instruction was ``w`` (the only part of "the last instruction" that
  layer 2 needs; the readout reads the current token directly); its MLP writes the
  conjunctions "latest instruction w ∧ current token is bit b". Layer 2 stores the written bit
  (set/reset on those conjunctions). Readout: after ``r`` only the stored bit; after ``w``/``i``
  both bits; after a bit the three instructions and EOS; after BOS only ``w``.
- :func:`one_layer_lag` — predictive, one layer: the lag view supplies "previous token w" and
  the pre-MLP forms the conjunction with the current bit, which no linear gate can (why a
  trained one-layer Mamba, whose conv1d + SiLU are this lag and pre-MLP, solves flip-flop).
- :func:`recognizer` — recognition: additionally rejects malformed words (``ww0``, ``w``,
  ``r0``, ``w0 0``, a wrong bit after ``r``, …). Without a lag view a nonnegative SSM whose
  exact configurations are finite cannot tell ``x`` from ``xx`` (DESIGN §2), so it uses the lag:
  layer 1 stores the bit and flags, position-wise, every local error; layer 2 latches them.

Every value stays in {0, 1}, so each construction is exact in every format that holds 0 and 1,
at every length.

References
----------
Sarrof, Veitsman & Hahn, *The Expressive Capacity of State Space Models: A Formal Language
Perspective*, NeurIPS 2024, arXiv 2405.17394 (v2), Theorem 1; Liu et al. 2023 (flip-flop).
"""

from __future__ import annotations

from ssmproof.recipes import gadgets as g
from collections.abc import Callable, Hashable

from ssmproof.ssm.program import BOS, EOS, ONE, SSM, Dense, Layer, Mode, default_embedding, tok
from ssmproof.ssm.relation import Group, Relation

__all__ = ["ALPHABET", "INSTRUCTIONS", "BITS", "two_layer", "one_layer_lag", "recognizer",
           "relation", "STATES", "WORDS"]

INSTRUCTIONS = ("w", "r", "i")
BITS = ("0", "1")
ALPHABET = INSTRUCTIONS + BITS

_IS_BIT = {tok("0"): 1, tok("1"): 1}
_IS_INSTR = {tok(s): 1 for s in INSTRUCTIONS}


def _bit_conjunctions(prefix: str, w_src: str) -> Dense:
    """``prefix.w_then_b = relu(w_src + tok:b − 1)``: a bit written right after ``w``."""
    return g.dense([(f"{prefix}.w_then_{b}", {w_src: 1, tok(b): 1}, -1) for b in BITS])


def _bit_register(name: str, conj: str) -> tuple[dict, dict]:
    """Gate and input rows of the written-bit register: set/reset on ``w_then_b``, else keep."""
    gate = {name: {ONE: 1, f"{conj}.w_then_0": -1, f"{conj}.w_then_1": -1}}
    return gate, {name: {f"{conj}.w_then_1": 1}}


def _read_bit(prefix: str, bit: str) -> Dense:
    """``r_then_0 = relu(tok:r − bit)``, ``r_then_1 = relu(tok:r + bit − 1)``."""
    return g.dense([(f"{prefix}.r_then_0", {tok("r"): 1, bit: -1}, 0),
                    (f"{prefix}.r_then_1", {tok("r"): 1, bit: 1}, -1)])


def _predict_readout(prefix: str) -> dict[str, dict]:
    after_bit = dict(_IS_BIT)
    return {
        "w": {**after_bit, tok(BOS): 1},
        "r": dict(after_bit),
        "i": dict(after_bit),
        "0": {tok("w"): 1, tok("i"): 1, f"{prefix}.r_then_0": 1},
        "1": {tok("w"): 1, tok("i"): 1, f"{prefix}.r_then_1": 1},
        EOS: dict(after_bit),
    }


def _ssm(name: str, mode: Mode, layers: tuple[Layer, ...], **readout: object) -> SSM:
    meta = {"family": "flipflop", "parameters": {}}
    return SSM(name, mode, ALPHABET, default_embedding(ALPHABET), layers,
               metadata=meta, **readout)  # type: ignore[arg-type]


def two_layer() -> SSM:
    """The paper's two-layer predictive construction (no lag view), 2 state dims.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(two_layer())
    >>> [m.decisions("w 1 r".split())[-1][k] for k in range(6)]  # w r i 0 1 EOS after "w1r"
    [False, False, False, False, True, False]
    """
    last_w = "L1.last_w"
    l1 = Layer("L1", (last_w,), gate={last_w: g.add_rows({ONE: 1}, g.scale_row(_IS_INSTR, -1))},
               input={last_w: {tok("w"): 1}}, mlp=(_bit_conjunctions("L1", last_w),))
    gate, inp = _bit_register("L2.bit", "L1")
    l2 = Layer("L2", ("L2.bit",), gate=gate, input=inp, mlp=(_read_bit("L2", "L2.bit"),))
    return _ssm("flipflop_two_layer", Mode.PREDICT, (l1, l2), next=_predict_readout("L2"))


def one_layer_lag() -> SSM:
    """One layer with the lag view and a pre-MLP (predictive), 1 state dim.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(one_layer_lag())
    >>> [m.decisions("w 0 i 1 r".split())[-1][k] for k in range(6)]  # stored bit is 0
    [False, False, False, True, False, False]
    """
    gate, inp = _bit_register("L1.bit", "L1")
    l1 = Layer("L1", ("L1.bit",), gate=gate, input=inp, lag=(tok("w"),),
               pre_mlp=(_bit_conjunctions("L1", "prev:" + tok("w")),),
               mlp=(_read_bit("L1", "L1.bit"),))
    return _ssm("flipflop_one_layer_lag", Mode.PREDICT, (l1,), next=_predict_readout("L1"))


def _error_units() -> Dense:
    """Layer 1's local errors; at most one fires per position (they test the previous token).

    - ``two_instr``: an instruction right after an instruction;
    - ``two_bits``: a bit right after a bit;
    - ``bad_start``: the first symbol is not ``w``;
    - ``r_wrong_0`` / ``r_wrong_1``: the bit after ``r`` differs from the stored bit (which a
      bit after ``r`` does not change, so the updated state is the stored one).
    """
    p = "prev:"
    prev_instr = {p + tok(s): 1 for s in INSTRUCTIONS}
    prev_bit = {p + tok(b): 1 for b in BITS}
    not_w = {tok(s): 1 for s in ("r", "i", *BITS)}
    prev_r, bit = p + tok("r"), "L1.bit"
    return g.dense([
        ("L1.two_instr", {**prev_instr, **_IS_INSTR}, -1),
        ("L1.two_bits", {**prev_bit, **_IS_BIT}, -1),
        ("L1.bad_start", {p + tok(BOS): 1, **not_w}, -1),
        ("L1.r_wrong_0", {prev_r: 1, tok("0"): 1, bit: 1}, -2),
        ("L1.r_wrong_1", {prev_r: 1, tok("1"): 1, bit: -1}, -1),
    ])


def recognizer() -> SSM:
    """Recognition with the lag view: bit register + local error flags, then an error latch.

    Accept iff the word ends on a bit and no error was ever flagged: ``tok:0 + tok:1 − 2·err``.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(recognizer())
    >>> words = ["w 1 r 1", "w 1 r 0", "w w 0", "w", "", "r 0", "w 0 1", "w 1 i 0 r 1"]
    >>> [m.accepts(w.split()) for w in words]
    [True, False, False, False, False, False, False, True]
    """
    errors = _error_units()
    gate, inp = _bit_register("L1.bit", "L1")
    lag = tuple(tok(s) for s in (BOS, *ALPHABET))
    l1 = Layer("L1", ("L1.bit",), gate=gate, input=inp, lag=lag,
               pre_mlp=(_bit_conjunctions("L1", "prev:" + tok("w")),), mlp=(errors,))
    any_error = {e: 1 for e in errors.out}
    l2 = Layer("L2", ("L2.err",), gate={"L2.err": g.add_rows({ONE: 1}, g.scale_row(any_error, -1))},
               input={"L2.err": any_error}, export=("L2.err",))
    return _ssm("flipflop_recognizer", Mode.RECOGNIZE, (l1, l2),
                accept={**_IS_BIT, "L2.err": -2})


STATES = ("start", "write", "stored0", "read0", "ignore0", "stored1", "read1", "ignore1")
"""The live states of the zoo's flip-flop DFA (:func:`ssmproof.lang.zoo.flipflop`); ``sink``
is its dead state. ``write``: a ``w`` was just read; ``stored{b}``: a bit was just read and the
stored bit is b; ``read{b}`` / ``ignore{b}``: an ``r`` / ``i`` was just read."""

WORDS = {"start": (), "write": ("w",), "stored0": ("w", "0"), "read0": ("w", "0", "r"),
         "ignore0": ("w", "0", "i"), "stored1": ("w", "1"), "read1": ("w", "1", "r"),
         "ignore1": ("w", "1", "i"), "sink": ("r",)}
"""A word reaching each state (DESIGN §1's flip-flop): relations name states by these, so they
mean the same in any DFA of the language (a spec's table, the zoo's, the minimal one)."""

_LAST = {"start": BOS, "write": "w", "read0": "r", "read1": "r", "ignore0": "i",
         "ignore1": "i", "stored0": ("0", "1"), "stored1": ("0", "1")}
"""The token a state was entered on (after ``stored{b}``: either bit; ``b`` after ``w``/``r``)."""


def _stored(q: str) -> tuple[int, ...]:
    """The stored bit of a state (a ``w`` has not written yet: the old bit, or 0 at first)."""
    return (0,) if q == "start" else (0, 1) if q in ("write", "sink") else (int(q[-1]),)


def _per_state(dims: tuple[str, ...], rows: Callable[[str], list[tuple[int, ...]]],
               index: Callable[[str], Hashable], states: tuple[str, ...]) -> Group:
    return Group(("q",), dims, frozenset((index(q), *r) for q in states for r in rows(q)))


def relation(recipe: str, index: Callable[[str], Hashable], *, sink: bool = False) -> Relation:
    """The simulation relation a flip-flop recipe emits, per state of the zoo's DFA.

    Against the DFA as one component ``q`` (:func:`ssmproof.lang.factored.from_dfa`), whose
    value for a state name is ``index(name)`` (the state :data:`WORDS` names); ``sink`` adds the
    dead state (recognize mode).
    Each group lists, per DFA state, the values a group of dims may hold there:

    - ``L1.last_w`` (two-layer): 1 exactly in ``write``, and in ``stored{b}`` either way (the
      bit may follow a ``w``, an ``r`` or an ``i``); ``prev:tok:w`` (lag) is 1 exactly in
      ``write``; the recognizer's lag buffers hold the one-hot of the token the state was
      entered on (in ``sink``, any token);
    - the stored bit (``L2.bit``, ``L1.bit``): the state's bit (in ``write`` and ``sink``,
      either);
    - the recognizer's latch ``L2.err``: 0 in every live state, 1 in ``sink``.

    The invariant method checks all of this; nothing here is trusted.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> dfa = zoo.flipflop()
    >>> relation("flipflop-recognizer", dfa.states.index, sink=True).sizes()
    [16, 11, 9]
    """
    states = STATES + (("sink",) if sink else ())
    if recipe == "flipflop-two-layer":
        groups = [_per_state(("L1.last_w",), lambda q: [(int(q == "write"),)] if
                             q.startswith(("start", "write", "read", "ignore")) else [(0,), (1,)],
                             index, states),
                  _per_state(("L2.bit",), lambda q: [(b,) for b in _stored(q)], index, states)]
    elif recipe == "flipflop-lag":
        groups = [_per_state(("prev:" + tok("w"),), lambda q: [(int(q == "write"),)], index,
                             states),
                  _per_state(("L1.bit",), lambda q: [(b,) for b in _stored(q)], index, states)]
    elif recipe == "flipflop-recognizer":
        order = (BOS, *ALPHABET)
        lags = tuple("prev:" + tok(s) for s in order)

        def entered(q: str) -> list[tuple[int, ...]]:
            last = order if q == "sink" else _LAST[q]
            last = (last,) if isinstance(last, str) else last
            return [tuple(int(s == x) for s in order) for x in last]

        groups = [_per_state(lags, entered, index, states),
                  _per_state(("L1.bit",), lambda q: [(b,) for b in _stored(q)], index, states),
                  _per_state(("L2.err",), lambda q: [(int(q == "sink"),)], index, states)]
    else:
        raise ValueError(f"no flip-flop relation for recipe {recipe!r}")
    return Relation(f"flipflop:{recipe}", tuple(groups))
