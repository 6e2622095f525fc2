"""The counter languages of PAPER §2, Theorem 5, in predictive mode: one layer, gates in {0, 1}.

A channel with gate 1 and input ±1 per symbol is an exact unbounded counter; a phase flag is a
set/reset channel (gate 0 and input 1 on its letter, else gate 1 and input 0). The MLP turns each
counter c into ``[c ≥ 1] = relu(c) − relu(c − 1)``, exact on every integer, and the readout is a
linear function of those indicators and the flags.

- :func:`dyck1`, :func:`shuffle` — one depth per bracket pair; an opening is always allowed, a
  closing iff its depth is ≥ 1, EOS iff every depth is 0 (``1 − Σ [depth ≥ 1] > 0``).
- :func:`boolean` — ``pending`` operands (1 at BOS; an operand −1, an operator of arity a adds
  a − 1); any symbol iff pending ≥ 1, EOS iff pending = 0.
- :func:`counting` — ``x₀ⁿ x₁ⁿ … x_{m−1}ⁿ`` (``anbn``, ``anbncn``, ``anbncndn``): differences
  ``diff[i] = #x_i − #x_{i+1}`` and two flags, ``seen[1]`` (some x₁ read) and ``seen[m−1]``.
  On a valid prefix every diff is ≥ 0, and: x₀ iff no x₁ yet; x₁ iff diff[0] ≥ 1; x_j (j ≥ 2)
  iff diff[j−1] ≥ 1 and diff[j−2] = 0 (in the phases before j−1 diff[j−1] is 0, in the phases
  after j diff[j−1] is 0, and in phases j−1 and j the two conditions are exactly "x_{j−1} is
  complete" and "x_j is not"); EOS iff x_{m−1} was read and diff[m−2] = 0.

Exactness needs the counter's range: in a finite format a counter stops being exact at some
magnitude (bfloat16: 257 rounds to 256), so these constructions hold at every length only in
exact arithmetic, where ``prove`` cannot close (the languages are not regular) and verification is
bounded. ``docs/counters-precision.md`` measures where each fails under finite formats.

References
----------
Sarrof, Veitsman & Hahn, NeurIPS 2024, arXiv 2405.17394 (v2), Theorem 5; the alphabets are those
of Bhattamishra, Ahuja & Goyal, EMNLP 2020.
"""

from __future__ import annotations

from collections.abc import Sequence

from ssmproof.recipes import gadgets as g
from ssmproof.ssm.program import EOS, ONE, SSM, Dense, Layer, Mode, default_embedding, tok

__all__ = ["SHUFFLE_PAIRS", "BOOLEAN_OPERATORS", "dyck1", "shuffle", "boolean", "counting"]

SHUFFLE_PAIRS = ("()", "[]", "{}", "<>", "+-", "ab", "xo")
BOOLEAN_OPERATORS = ("~", "+", ">", "*", "^")  # arities 1, 2, 3, 4, 5


def _ge1_mlp(counters: Sequence[str]) -> tuple[Dense, Dense]:
    """Ramps at 0 and 1 of each counter, then ``counter.ge1 = ramp[0] − ramp[1]`` (linear)."""
    first = g.dense([(g.ramp(c, m), {c: 1}, -m) for c in counters for m in (0, 1)])
    return first, g.linear([(f"{c}.ge1", g.ge_row(c, 1), 0) for c in counters])


def _ssm(name: str, family: str, params: dict, alphabet: tuple[str, ...], layer: Layer,
         nxt: dict) -> SSM:
    return SSM(name, Mode.PREDICT, alphabet, default_embedding(alphabet), (layer,), next=nxt,
               metadata={"family": family, "parameters": params})


def _brackets(pairs: Sequence[str], names: Sequence[str]) -> tuple[Layer, dict]:
    counters = tuple(names)
    layer = Layer("L1", counters, gate={c: {ONE: 1} for c in counters},
                  input={c: {tok(p[0]): 1, tok(p[1]): -1} for c, p in zip(counters, pairs)},
                  mlp=_ge1_mlp(counters))
    nxt: dict = {}
    for c, p in zip(counters, pairs):
        nxt[p[0]], nxt[p[1]] = {ONE: 1}, {f"{c}.ge1": 1}
    nxt[EOS] = g.add_rows({ONE: 1}, {f"{c}.ge1": -1 for c in counters})
    return layer, nxt


def dyck1() -> SSM:
    """Dyck-1 over ``( )``: one depth counter.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> Machine(dyck1()).decisions(list("(()"))[-1]  # ( ) EOS
    (True, True, False)
    """
    layer, nxt = _brackets(("()",), ("L1.depth",))
    return _ssm("dyck1_counter", "dyck1", {}, ("(", ")"), layer, nxt)


def shuffle(k: int) -> SSM:
    """Shuffle-K (1 ≤ K ≤ 7): K independent depth counters over the pairs of SHUFFLE_PAIRS.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> Machine(shuffle(2)).decisions(list("([)"))[-1]  # ( ) [ ] EOS
    (True, False, True, True, False)
    """
    if not 1 <= k <= len(SHUFFLE_PAIRS):
        raise ValueError(f"shuffle:K needs 1 <= K <= {len(SHUFFLE_PAIRS)}, got {k}")
    pairs = SHUFFLE_PAIRS[:k]
    layer, nxt = _brackets(pairs, tuple(f"L1.depth[{i}]" for i in range(k)))
    alphabet = tuple(s for p in pairs for s in p)
    return _ssm(f"shuffle_{k}_counters", "shuffle", {"K": k}, alphabet, layer, nxt)


def boolean(n: int) -> SSM:
    """Boolean-N (1 ≤ N ≤ 5): one counter of pending operands, starting at 1.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(boolean(2))
    >>> m.decisions(["+", "0"])[-1], m.decisions(["+", "0", "1"])[-1]  # 0 1 ~ + EOS
    ((True, True, True, True, False), (False, False, False, False, True))
    """
    if not 1 <= n <= len(BOOLEAN_OPERATORS):
        raise ValueError(f"boolean:N needs 1 <= N <= {len(BOOLEAN_OPERATORS)}, got {n}")
    ops = BOOLEAN_OPERATORS[:n]
    c = "L1.pending"
    change = {tok("0"): -1, tok("1"): -1, **{tok(o): a for a, o in enumerate(ops)}}
    layer = Layer("L1", (c,), gate={c: {ONE: 1}}, input={c: g.add_rows(change)}, init={c: 1},
                  mlp=_ge1_mlp((c,)))
    alphabet = ("0", "1", *ops)
    nxt: dict = {s: {f"{c}.ge1": 1} for s in alphabet}
    nxt[EOS] = {ONE: 1, f"{c}.ge1": -1}
    return _ssm(f"boolean_{n}_counter", "boolean", {"N": n}, alphabet, layer, nxt)


def counting(letters: Sequence[str]) -> SSM:
    """``x₀ⁿ … x_{m−1}ⁿ`` (n ≥ 1, m ≥ 2): m − 1 difference counters and two phase flags.

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> m = Machine(counting("abc"))
    >>> m.decisions(list("aab"))[-1], m.decisions(list("aabbc"))[-1]  # a b c EOS
    ((False, True, False, False), (False, False, True, False))
    """
    xs = tuple(letters)
    m = len(xs)
    if m < 2 or len(set(xs)) != m:
        raise ValueError("counting needs at least two distinct letters")
    diffs = tuple(f"L1.diff[{i}]" for i in range(m - 1))
    flags = tuple(dict.fromkeys((f"L1.seen[{1}]", f"L1.seen[{m - 1}]")))
    gate: dict = {d: {ONE: 1} for d in diffs}
    inp: dict = {d: {tok(xs[i]): 1, tok(xs[i + 1]): -1} for i, d in enumerate(diffs)}
    for f in flags:
        letter = tok(xs[int(f[len("L1.seen["):-1])])
        gate[f], inp[f] = {ONE: 1, letter: -1}, {letter: 1}
    layer = Layer("L1", diffs + flags, gate=gate, input=inp, mlp=_ge1_mlp(diffs),
                  export=flags)
    nxt: dict = {xs[0]: {ONE: 1, flags[0]: -1}, xs[1]: {f"{diffs[0]}.ge1": 1}}
    for j in range(2, m):
        nxt[xs[j]] = {f"{diffs[j - 1]}.ge1": 1, f"{diffs[j - 2]}.ge1": -1}
    nxt[EOS] = {flags[-1]: 1, f"{diffs[-1]}.ge1": -1}
    name = "".join(f"{x}n" for x in xs)
    return _ssm(f"{name}_counters", name, {}, xs, layer, nxt)
