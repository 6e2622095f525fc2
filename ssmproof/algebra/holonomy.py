"""Aperiodic DFA → cascade of reset automata, by the holonomy decomposition (PAPER §4).

Steps 1-6 (images, subduction classes, heights, tiles, transports, the trivial-holonomy check)
live in :mod:`ssmproof.algebra.skeleton`. This module does steps 7-9: the levels (tiles of
each depth's representatives plus ``*``), the coordinates of a state (a tile chain transported
to the representatives), and the lifted action of each symbol, stored as reset rules keyed by
chain prefixes and merged wherever a whole subtree of chains resets the same way.

The lift of a symbol σ on a chain Q = A₀ ⊋ A₁ ⊋ … ⊋ {q}: the images Cᵢ = Aᵢ·σ form a weakly
decreasing chain of images, and the new chain runs through every Cᵢ, filling the gap from C_{i-1}
down to Cᵢ with chosen tiles. The step from C_{i-1} is a KEEP when A_{i-1} and C_{i-1} lie in the
same subduction class (σ then moves tiles to tiles, and trivial holonomy makes the transported
coordinate unchanged); every other step is a reset, decided by A_{i-1}, Aᵢ and σ, hence by levels
strictly above it. Levels the new chain skips are left as they are (or reset to ``*`` with
``canonical=True``), so no rule is spent on them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Union

from ssmproof.algebra.cascade import (
    KEEP,
    Cascade,
    ChainNode,
    Condition,
    Keep,
    Level,
    ResetRule,
)
from ssmproof.algebra.skeleton import Mask, Skeleton, members, skeleton
from ssmproof.lang.automaton import DFA

__all__ = ["decompose"]

Decision = Union[int, Keep]  # a reset target, or KEEP
Decisions = dict[int, frozenset[Decision]]  # level -> decisions met on some chain


def decompose(dfa: DFA, *, canonical: bool = False) -> Cascade:
    """Cover an aperiodic DFA by a cascade of reset automata (holonomy decomposition).

    Parameters
    ----------
    dfa : DFA
        Complete; meant to be minimal. Any DFA with an aperiodic transition monoid works.
    canonical : bool, default False
        If True, levels off the current chain are reset to ``*``, so every reachable
        configuration is exactly a tile chain (more rules, fewer configurations). If False,
        they keep stale states, which no rule and no decoding ever reads.

    Returns
    -------
    Cascade
        Levels 1..H (H = height of the state set), ``initial = encode(start)``, and the reset
        rules. Each rule's condition is a chain prefix ``((level, state), ...)``.

    Raises
    ------
    NotStarFreeError
        If a holonomy group is nontrivial, i.e. the transition monoid is not aperiodic; the
        witness is ``(u, w, v, period)``.

    Notes
    -----
    Images can number up to 2ⁿ; for minimal aperiodic DFAs of a few dozen states they number in
    the hundreds and the decomposition takes milliseconds. The rule search visits only the chain
    prefixes below which a level's resets are not yet uniform; the number of tile chains (often
    exponential, e.g. for the depth-bounded Dyck family) is never enumerated.

    References
    ----------
    .. [1] H. P. Zeiger, "Cascade synthesis of finite-state machines", Information and Control
       10 (1967); S. Eilenberg, *Automata, Languages and Machines*, vol. B (1976), ch. II.
    .. [2] A. Egri-Nagy and C. L. Nehaniv, "Computational holonomy decomposition of
       transformation semigroups", arXiv:1508.06345 (the skeleton, tiles, heights, lifting).
    .. [3] O. Maler, "On the Krohn-Rhodes cascaded decomposition theorem", in *Time for
       Verification*, LNCS 6200 (2010) (the holonomy decomposition for automata).

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.algebra.cascade import check_cover
    >>> c = decompose(contains_aa())
    >>> [lv.names for lv in c.levels]
    [('*', '{q0,q2}', '{q1,q2}'), ('*', '{q1}', '{q2}')]
    >>> for rule in c.resets():
    ...     print(rule)
    ResetRule(level=1, symbol='a', condition=(), target=2)
    ResetRule(level=1, symbol='b', condition=(), target=1)
    ResetRule(level=2, symbol='a', condition=((1, 2),), target=2)
    >>> check_cover(c, contains_aa())
    4
    """
    sk = skeleton(dfa)
    if sk.height == 0:
        return _single_state(dfa, sk)
    plan = _Plan.build(sk, dfa)
    return Cascade(
        alphabet=dfa.alphabet,
        dfa_states=dfa.states,
        levels=plan.levels,
        chain=plan.chain_nodes(),
        encoding=tuple(plan.encode(q) for q in range(sk.n)),
        initial=plan.encode(dfa.start),
        rules=plan.rules(dfa.alphabet, canonical),
        images=len(sk.images),
    )


def _single_state(dfa: DFA, sk: Skeleton) -> Cascade:
    """A one-state DFA needs no level: the empty configuration decodes to its state."""
    return Cascade(dfa.alphabet, dfa.states, (), (), ((),), (), (), images=len(sk.images))


@dataclass(frozen=True, slots=True)
class _Plan:
    """Levels, state numbering and the chain graph (every non-singleton image is a node)."""

    sk: Skeleton
    levels: tuple[Level, ...]
    order: tuple[Mask, ...]  # chain nodes, breadth-first from Q
    children: dict[Mask, tuple[tuple[int, Mask], ...]]  # node -> (level state, tile of node)

    @staticmethod
    def build(sk: Skeleton, dfa: DFA) -> _Plan:
        levels, numbering = _levels(sk, dfa)
        children: dict[Mask, tuple[tuple[int, Mask], ...]] = {}
        order, queue = [sk.full], deque([sk.full])
        while queue:
            node = queue.popleft()
            rep = sk.rep(node)
            children[node] = tuple((numbering[rep, t], sk.from_rep(t, node)) for t in sk.tiles[rep])
            for _, child in children[node]:
                if child & (child - 1) and child not in children and child not in queue:
                    order.append(child)
                    queue.append(child)
        return _Plan(sk, levels, tuple(order), children)

    # --- coordinates -------------------------------------------------------------------------
    def choose(self, big: Mask, small: Mask) -> tuple[int, Mask]:
        """The first tile of ``big`` (in state order) containing the image ``small``."""
        return next((k, t) for k, t in self.children[big] if small & t == small)

    def encode(self, q: int) -> tuple[int, ...]:
        """The tile chain of q by :meth:`choose`, transported: one state per level."""
        coords = [0] * self.sk.height
        node, point = self.sk.full, 1 << q
        while node != point:
            k, node_next = self.choose(node, point)
            coords[self.sk.depth_of(node) - 1] = k
            node = node_next
        return tuple(coords)

    def chain_nodes(self) -> tuple[ChainNode, ...]:
        index = {m: i for i, m in enumerate(self.order)}
        return tuple(
            ChainNode(
                level=self.sk.depth_of(m),
                members=frozenset(members(m)),
                nodes=tuple((k, index[t]) for k, t in self.children[m] if t & (t - 1)),
                leaves=tuple((k, t.bit_length() - 1) for k, t in self.children[m] if not t & (t - 1)),
            )
            for m in self.order
        )

    # --- the lifted action -------------------------------------------------------------------
    def walk(self, big: Mask, small: Mask, keep_first: bool, canonical: bool) -> Decisions:
        """Decisions of the new chain's steps from ``big`` down to ``small`` (exclusive)."""
        depth = self.sk.depth_of
        out: dict[int, Decision] = {}
        if big != small and keep_first:  # small is a tile of big; skipped levels hold '*'
            out[depth(big)] = KEEP
            if canonical:
                out.update(dict.fromkeys(range(depth(big) + 1, depth(small)), KEEP))
        while big != small and not keep_first:
            k, tile = self.choose(big, small)
            out[depth(big)] = k
            if canonical:
                out.update(dict.fromkeys(range(depth(big) + 1, depth(tile)), 0))
            big = tile
        return {lv: frozenset([x]) for lv, x in out.items()}

    def edge(self, node: Mask, tile: Mask, a: int, canonical: bool) -> Decisions:
        """Decisions made once a chain is known to pass from ``node`` into its tile ``tile``."""
        big, small = self.sk.image(node, a), self.sk.image(tile, a)
        same = self.sk.klass.get(big, -1) == self.sk.klass[node]
        return self.walk(big, small, same, canonical)

    def root(self, a: int, canonical: bool) -> Decisions:
        """Decisions made on every chain: from Q down to Q·σ."""
        return self.walk(self.sk.full, self.sk.image(self.sk.full, a), False, canonical)

    def rules(self, alphabet: tuple[str, ...], canonical: bool) -> tuple[ResetRule, ...]:
        """Reset rules for every symbol, each at the shortest chain prefix that settles it."""
        out: list[ResetRule] = []
        for a, sym in enumerate(alphabet):
            _RuleSearch(self, a, sym, canonical).run(out)
        return tuple(sorted(out, key=lambda r: (r.level, alphabet.index(r.symbol), r.condition)))


class _RuleSearch:
    """Rules of one symbol: a depth-first search over chain prefixes, pruned by uniformity.

    ``below[node]`` collects, per level, the decisions made on the chains under ``node``. At a
    prefix, a level whose decisions there and below are one reset target (and no KEEP; levels the
    chain skips impose nothing) gets one rule with that prefix as its condition; a level with
    only KEEPs needs none; the search descends only for levels still mixed.
    """

    def __init__(self, plan: _Plan, a: int, sym: str, canonical: bool) -> None:
        self.plan, self.a, self.sym, self.canonical = plan, a, sym, canonical
        self.edges = {
            (node, tile): plan.edge(node, tile, a, canonical)
            for node in plan.order
            for _, tile in plan.children[node]
        }
        self.below = self._below()

    def _below(self) -> dict[Mask, Decisions]:
        below: dict[Mask, Decisions] = {}
        for node in sorted(self.plan.order, key=self.plan.sk.depth_of, reverse=True):
            acc: dict[int, set[Decision]] = {}
            for _, tile in self.plan.children[node]:
                for part in (self.edges[node, tile], below.get(tile, {})):
                    for lv, ds in part.items():
                        acc.setdefault(lv, set()).update(ds)
            below[node] = {lv: frozenset(ds) for lv, ds in acc.items()}
        return below

    def run(self, out: list[ResetRule]) -> None:
        sk = self.plan.sk
        pending = frozenset(range(1, sk.height + 1))
        self._visit(self.plan.root(self.a, self.canonical), sk.full, (), pending, out)

    def _visit(
        self, here: Decisions, node: Mask, path: Condition, pending: frozenset[int], out: list
    ) -> None:
        sub = self.below.get(node, {})
        unsettled = []
        for lv in sorted(pending):
            ds = here.get(lv, frozenset()) | sub.get(lv, frozenset())
            targets = [x for x in ds if x is not KEEP]
            if len(targets) == 1 and KEEP not in ds:
                out.append(ResetRule(lv, self.sym, path, targets[0]))  # type: ignore[arg-type]
            elif targets:
                unsettled.append(lv)
        if not unsettled:
            return
        level = self.plan.sk.depth_of(node)
        for k, tile in self.plan.children[node]:
            step = path + ((level, k),)
            self._visit(self.edges[node, tile], tile, step, frozenset(unsettled), out)


def _levels(sk: Skeleton, dfa: DFA) -> tuple[tuple[Level, ...], dict[tuple[Mask, Mask], int]]:
    """Level d: '*' and the tiles of the depth-d representatives; (rep, tile) -> state index."""
    numbering: dict[tuple[Mask, Mask], int] = {}
    levels = []
    name = lambda m: "{" + ",".join(dfa.states[q] for q in members(m)) + "}"  # noqa: E731
    for d in range(1, sk.height + 1):
        reps = [r for r in sk.reps if sk.depth[r] == d]
        names, tiles, owners = ["*"], [frozenset[int]()], [frozenset[int]()]
        for r in reps:
            for t in sk.tiles[r]:
                numbering[r, t] = len(names)
                names.append(name(t) if len(reps) == 1 else f"{name(t)}<{name(r)}")
                tiles.append(frozenset(members(t)))
                owners.append(frozenset(members(r)))
        levels.append(Level(d, tuple(names), tuple(tiles), tuple(owners)))
    return tuple(levels), numbering
