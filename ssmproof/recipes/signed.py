"""Signed gates for languages whose transition group is a product of Z₂ (PAPER §2, signed gates).

With a gate of −1 and an input of 1 a channel flips, ``h ↦ 1 − h``, so it counts modulo 2 at
every length — what no nonnegative gate can (PAPER §3). This recipe compiles *any* DFA whose
transition monoid is an elementary abelian 2-group (every letter permutes the states of the
minimal DFA, letters commute, and every letter is an involution): PARITY, (aa)*, Tomita 5, …

Construction, given such a minimal DFA with start q₀:

1. The letters' permutations generate a group G ≅ Z₂^r. A basis g₁ … g_r is chosen greedily among
   the letters (a letter joins the basis when it is not a product of earlier basis letters);
   every letter a is then a 0/1 vector v_a over the basis.
2. One layer with r channels ``L1.flip[j]``: on a letter with v_a[j] = 1, gate −1 and input 1;
   otherwise gate 1 and input 0 (BOS: gate 1). Initial state 0. After a word w the channels hold
   ``Σ v_a (mod 2)`` over the letters of w — the group element g(w).
3. G is abelian and transitive on the reachable states, hence regular: g ↦ q₀·g is a bijection,
   so accept/allowed-next are functions of the r bits. The MLP computes ``[h = g]`` for the
   elements g the readout needs (``relu(Σ_j match_j − (r − 1))``, exact on {0, 1}^r) and each
   readout sums its elements. With r = 1 the readout is linear: ``one − 2·h`` or ``h``.

Every value lies in {−1, 0, 1}: exact in every format, at every length; the gate class is
``signed``.

References
----------
Sarrof, Veitsman & Hahn, NeurIPS 2024, arXiv 2405.17394 (v2), §2 and the signed-gate remark after
Theorem 2; Grazzi et al., ICLR 2025 (negative eigenvalues unlock parity).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ssmproof.errors import CompileError
from ssmproof.lang.automaton import DFA
from ssmproof.recipes import gadgets as g
from ssmproof.ssm.program import EOS, ONE, SSM, Layer, Mode, default_embedding, tok

__all__ = ["Z2Group", "z2_group", "parity_like", "MAX_RANK"]

MAX_RANK = 12  # 2^12 lookup units at most; larger groups are refused, not silently built

Perm = tuple[int, ...]


@dataclass(frozen=True)
class Z2Group:
    """The transition group of a DFA as Z₂^r: a basis and each letter's coordinates.

    ``vectors[a]`` is letter a's 0/1 vector over the basis; ``state_of[v]`` the state reached
    from the start by any word whose letters sum to v.
    """

    rank: int
    basis: tuple[str, ...]  # the letters chosen as basis elements
    vectors: dict[str, tuple[int, ...]]
    state_of: dict[tuple[int, ...], int]


def _reachable(dfa: DFA) -> list[int]:
    order, seen = [dfa.start], {dfa.start}
    for q in order:
        for t in dfa.delta[q]:
            if t not in seen:
                seen.add(t)
                order.append(t)
    return order


def _perms(dfa: DFA, states: Sequence[int]) -> dict[str, Perm]:
    """Each letter's map on the reachable states (as positions in ``states``); must be onto."""
    pos = {q: i for i, q in enumerate(states)}
    out = {}
    for a, sym in enumerate(dfa.alphabet):
        image = tuple(pos[dfa.delta[q][a]] for q in states)
        if len(set(image)) != len(image):
            merged = [dfa.states[states[i]] for i in range(len(states))
                      if image.count(image[i]) > 1][:2]
            raise CompileError(
                f"{dfa.name or 'dfa'}: letter '{sym}' maps states {merged} to the same state, so "
                "the transition monoid is not a group; the signed recipe needs a group of "
                "exponent 2 (products of Z2, such as parity)")
        out[sym] = image
    return out


def _compose(p: Perm, q: Perm) -> Perm:
    """Apply p, then q."""
    return tuple(q[i] for i in p)


def _check_exponent_two(name: str, perms: dict[str, Perm]) -> None:
    ident = tuple(range(len(next(iter(perms.values())))))
    for a, p in perms.items():
        if _compose(p, p) != ident:
            raise CompileError(f"{name}: letter '{a}' does not undo itself (its square is not the "
                               "identity), so the group is not a product of Z2; signed real "
                               "diagonal gates give only sign flips (mod-3 counting and beyond "
                               "needs complex gates)")
        for b, q in perms.items():
            if _compose(p, q) != _compose(q, p):
                raise CompileError(f"{name}: letters '{a}' and '{b}' do not commute, so the "
                                   "group is not abelian; diagonal gates commute, so no diagonal "
                                   "one-layer recipe exists for it")


def z2_group(dfa: DFA) -> Z2Group:
    """Decompose the transition group of ``dfa`` (ideally minimal) as Z₂^r.

    Raises
    ------
    CompileError
        A letter is not a permutation of the reachable states, is not an involution, two
        letters do not commute, or r > :data:`MAX_RANK`.

    Notes
    -----
    O(k²·n) to check the letters (k letters, n reachable states) and O(2^r·n) to span the group.

    Examples
    --------
    >>> parity = DFA(("0", "1"), ("even", "odd"), 0, frozenset({0}), ((0, 1), (1, 0)))
    >>> grp = z2_group(parity)
    >>> grp.rank, grp.vectors
    (1, {'0': (0,), '1': (1,)})
    """
    name = dfa.name or "dfa"
    states = _reachable(dfa)
    perms = _perms(dfa, states)
    _check_exponent_two(name, perms)
    span: dict[Perm, tuple[int, ...]] = {tuple(range(len(states))): ()}
    basis: list[str] = []
    for a, p in perms.items():
        if p not in span:
            basis.append(a)
            span = {**{q: v + (0,) for q, v in span.items()},
                    **{_compose(q, p): v + (1,) for q, v in span.items()}}
    if len(basis) > MAX_RANK:
        raise CompileError(f"{name}: the group is Z2^{len(basis)}, above the recipe's limit of "
                           f"Z2^{MAX_RANK} (2^{MAX_RANK} lookup units)")
    r = len(basis)
    vectors = {a: span[p] for a, p in perms.items()}
    state_of = {v: states[p[0]] for p, v in span.items()}
    return Z2Group(r, tuple(basis), vectors, state_of)


def _element_unit(bits: tuple[int, ...]) -> tuple[str, dict, int]:
    """``[h = bits] = relu(Σ_j (h_j if bit_j else 1 − h_j) − (r − 1))``."""
    row: dict = {}
    ones = 0
    for j, b in enumerate(bits):
        row[f"L1.flip[{j}]"] = 1 if b else -1
        ones += 0 if b else 1
    name = "L1.is[" + "".join(map(str, bits)) + "]"
    return name, row, ones - (len(bits) - 1)


def _readouts(grp: Z2Group, want: dict[str, set[tuple[int, ...]]]
              ) -> tuple[tuple, dict[str, dict]]:
    """Readout rows: each key is true exactly on its set of group elements."""
    everything = set(grp.state_of)
    rows: dict[str, dict] = {}
    used: set[tuple[int, ...]] = set()
    for key, elems in want.items():
        if elems == everything:
            rows[key] = {ONE: 1}
        elif grp.rank == 1 and elems:
            (v,) = elems
            rows[key] = {"L1.flip[0]": 1} if v == (1,) else {ONE: 1, "L1.flip[0]": -2}
        else:
            used |= elems
            rows[key] = {_element_unit(v)[0]: 1 for v in sorted(elems)}
    mlp = (g.dense([_element_unit(v) for v in sorted(used)]),) if used else ()
    return mlp, rows


def parity_like(dfa: DFA, *, mode: Mode = Mode.RECOGNIZE) -> SSM:
    """One signed layer for a DFA whose transition group is Z₂^r (r channels).

    Examples
    --------
    >>> from ssmproof.sim.machine import Machine
    >>> parity = DFA(("0", "1"), ("even", "odd"), 0, frozenset({0}), ((0, 1), (1, 0)), "parity")
    >>> m = Machine(parity_like(parity))
    >>> [m.accepts(list(w)) for w in ["", "1", "11", "1011", "0"]]
    [True, False, True, False, True]
    """
    grp = z2_group(dfa)
    syms = dfa.alphabet
    flips = [f"L1.flip[{j}]" for j in range(grp.rank)]
    gate = {f: g.add_rows({ONE: 1}, {tok(a): -2 for a in syms if grp.vectors[a][j]})
            for j, f in enumerate(flips)}
    inp = {f: {tok(a): 1 for a in syms if grp.vectors[a][j]} for j, f in enumerate(flips)}
    accepting = {v for v, q in grp.state_of.items() if q in dfa.accepting}
    if mode is Mode.RECOGNIZE:
        mlp, rows = _readouts(grp, {"accept": accepting})
        readout: dict = {"accept": rows["accept"]}
    else:
        live = {v for v, q in grp.state_of.items() if dfa.is_live(q)}
        want = {a: {v for v in grp.state_of if _add(v, grp.vectors[a]) in live} for a in syms}
        want[EOS] = accepting
        mlp, rows = _readouts(grp, want)
        readout = {"next": rows}
    layer = Layer("L1", tuple(flips), gate=gate, input=inp, mlp=mlp, export=tuple(flips))
    params = {"rank": grp.rank, "basis": list(grp.basis)}
    return SSM(f"{dfa.name or 'dfa'}_signed", mode, syms, default_embedding(syms), (layer,),
               metadata={"family": "z2_group", "parameters": params}, **readout)


def _add(u: tuple[int, ...], v: tuple[int, ...]) -> tuple[int, ...]:
    return tuple((a + b) % 2 for a, b in zip(u, v))

