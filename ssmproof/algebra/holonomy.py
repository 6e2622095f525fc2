"""Aperiodic DFA → cascade of reset automata, by the holonomy decomposition (PAPER §4).

Steps 1-6 (images, subduction classes, heights, tiles, transports, the trivial-holonomy check)
live in :mod:`ssmproof.algebra.images`. This module does steps 7-9: the levels (tiles of each
depth's representatives plus ``*``), the coordinates of a state (a tile chain transported to the
representatives, ``*`` off the chain), and the lifted action of each symbol on the reachable
configurations, which :func:`~ssmproof.algebra.rules.cover_resets` turns into few reset rules.

The lift of a symbol σ on a chain Q = A₀ ⊋ A₁ ⊋ … ⊋ {q}: the images Cᵢ = Aᵢ·σ form a weakly
decreasing chain of images, and the new chain runs through every Cᵢ, filling the gap from C_{i-1}
down to Cᵢ with chosen tiles. The step from C_{i-1} is a KEEP when A_{i-1} and C_{i-1} lie in the
same subduction class (σ then moves tiles to tiles, and trivial holonomy leaves the transported
coordinate unchanged); every other step is a reset decided by A_{i-1}, Aᵢ and σ, hence by levels
strictly above it. Levels off the new chain are reset to ``*``, so every configuration is a tile
chain and the reachable configurations stay few.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ssmproof.algebra.cascade import Cascade, ChainNode, Coords, Level
from ssmproof.algebra.images import Mask, Skeleton, members, skeleton
from ssmproof.algebra.rules import cover_resets
from ssmproof.lang.automaton import DFA

__all__ = ["decompose"]


def decompose(dfa: DFA, *, max_configurations: int = 1_000_000) -> Cascade:
    """Cover an aperiodic DFA by a cascade of reset automata (holonomy decomposition).

    Parameters
    ----------
    dfa : DFA
        Complete; meant to be minimal. Any DFA with an aperiodic transition monoid works.
    max_configurations : int
        Bound on the reachable configurations explored to derive the rules (``ValueError``
        beyond it).

    Returns
    -------
    Cascade
        Levels 1..H (H = height of the state set), ``initial = encode(start)``, and reset rules
        whose conditions are conjunctions of upper-level states.

    Raises
    ------
    NotStarFreeError
        If a holonomy group is nontrivial, i.e. the transition monoid is not aperiodic; the
        witness is a :class:`~ssmproof.lang.witness.Witness` (None for a non-minimal DFA).

    Notes
    -----
    Images can number up to 2ⁿ; for minimal aperiodic DFAs of a few dozen states they number in
    the hundreds. Rules are derived from the configurations reachable from ``initial`` (each a
    tile chain), never from all tile chains, whose number is often exponential (the
    depth-bounded Dyck family D_m has 2^(m+1)). Rules are exact on reachable configurations;
    on unreachable ones they may do anything.

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
    ResetRule(level=2, symbol='a', condition=((1, (2,)),), target=2)
    >>> check_cover(c, contains_aa())  # q2 has two configurations: (2, 2) and (1, 2)
    4
    """
    sk = skeleton(dfa)
    if sk.height == 0:
        return _single_state(dfa, sk)
    plan = _Plan.build(sk, dfa)
    initial = plan.encode(dfa.start)
    configs, successors = plan.explore(initial, len(dfa.alphabet), max_configurations)
    return Cascade(
        alphabet=dfa.alphabet,
        dfa_states=dfa.states,
        levels=plan.levels,
        chain=plan.chain_nodes(),
        encoding=tuple(plan.encode(q) for q in range(sk.n)),
        initial=initial,
        rules=cover_resets(configs, successors, dfa.alphabet, sk.height),
        images=len(sk.images),
        name=dfa.name,
    )


def _single_state(dfa: DFA, sk: Skeleton) -> Cascade:
    """A one-state DFA needs no level: the empty configuration decodes to its state."""
    return Cascade(dfa.alphabet, dfa.states, (), (), ((),), (), (), len(sk.images), dfa.name)


@dataclass(frozen=True, slots=True)
class _Plan:
    """Levels, state numbering and the chain graph (every non-singleton image is a node)."""

    sk: Skeleton
    levels: tuple[Level, ...]
    order: tuple[Mask, ...]  # chain nodes, breadth-first from Q
    children: dict[Mask, tuple[tuple[int, Mask], ...]]  # node -> (level state, tile of node)
    image: dict[tuple[Mask, int], Mask]  # (set, symbol) -> image, for nodes and singletons
    tile: dict[tuple[Mask, int], Mask]  # (node, level state) -> that tile of the node
    numbering: dict[tuple[Mask, Mask], int]  # (representative, its tile) -> level state

    @staticmethod
    def build(sk: Skeleton, dfa: DFA) -> _Plan:
        levels, numbering = _levels(sk, dfa)
        children: dict[Mask, tuple[tuple[int, Mask], ...]] = {}
        order, queue, seen = [sk.full], deque([sk.full]), {sk.full}
        while queue:
            node = queue.popleft()
            rep = sk.rep(node)
            children[node] = tuple((numbering[rep, t], sk.from_rep(t, node)) for t in sk.tiles[rep])
            for _, child in children[node]:
                if child & (child - 1) and child not in seen:
                    seen.add(child)
                    order.append(child)
                    queue.append(child)
        sets = [*order, *(1 << q for q in range(sk.n))]
        image = {(m, a): sk.image(m, a) for m in sets for a in range(len(sk.letters))}
        tile = {(node, k): t for node, row in children.items() for k, t in row}
        return _Plan(sk, levels, tuple(order), children, image, tile, numbering)

    # --- coordinates -------------------------------------------------------------------------
    def choose(self, big: Mask, small: Mask) -> tuple[int, Mask]:
        """The first tile of ``big`` (in state order) containing the image ``small``."""
        return next((k, t) for k, t in self.children[big] if small & t == small)

    def encode(self, q: int) -> Coords:
        """The tile chain of q by :meth:`choose`, transported: one state per level."""
        coords = [0] * self.sk.height
        self._descend(coords, self.sk.full, 1 << q)
        return tuple(coords)

    def chain_nodes(self) -> tuple[ChainNode, ...]:
        index = {m: i for i, m in enumerate(self.order)}
        singleton = lambda m: not m & (m - 1)  # noqa: E731
        return tuple(
            ChainNode(
                level=self.sk.depth_of(m),
                members=frozenset(members(m)),
                nodes=tuple((k, index[t]) for k, t in self.children[m] if not singleton(t)),
                leaves=tuple((k, t.bit_length() - 1) for k, t in self.children[m] if singleton(t)),
            )
            for m in self.order
        )

    # --- the lifted action -------------------------------------------------------------------
    def writes(self, node: Mask, k: int, a: int) -> tuple[tuple[int, int], ...]:
        """What the new chain gets once the old one is known to pass from ``node`` via tile k.

        With A = ``node``, A' its tile k and C = A·a, C' = A'·a: nothing if C = C'; if A and C
        share a class, C' is a tile of C and the coordinate stays k (KEEP: trivial holonomy);
        otherwise the chosen tiles from C down to C' (resets). Pairs (level index, state).
        """
        tile = self.tile[node, k]
        big, small = self.image[node, a], self.image[tile, a]
        if big != small and self.sk.klass.get(big) == self.sk.klass[node]:
            return ((self.sk.depth_of(big) - 1, k),)
        out: list[int] = [0] * self.sk.height
        written = self._descend(out, big, small)
        return tuple((lv, out[lv]) for lv in written)

    def _descend(self, coords: list[int], big: Mask, small: Mask) -> list[int]:
        """Write the chosen tiles from ``big`` down to the image ``small``; the levels written."""
        written = []
        while big != small:
            k, tile = self.choose(big, small)
            written.append(self.sk.depth_of(big) - 1)
            coords[written[-1]] = k
            big = tile
        return written

    def lifter(self, symbols: int) -> Callable[[Coords, int], Coords]:
        """The lift of each symbol on configurations, from per-edge tables (see :meth:`writes`).

        The images Cᵢ = Aᵢ·a of an old chain Q = A₀ ⊋ A₁ ⊋ … all lie on the new chain; every
        level off the new chain becomes ``*``.
        """
        height, depth = self.sk.height, self.sk.depth_of
        root = []
        for a in range(symbols):
            out = [0] * height
            self._descend(out, self.sk.full, self.image[self.sk.full, a])
            root.append(out)
        edges = {
            (node, k, a): (self.writes(node, k, a), tile if tile & (tile - 1) else 0)
            for (node, k), tile in self.tile.items()
            for a in range(symbols)
        }
        levels = {node: depth(node) - 1 for node in self.order}

        def lift(coords: Coords, a: int) -> Coords:
            new = list(root[a])
            node = self.sk.full
            while node:
                writes, node = edges[node, coords[levels[node]], a]
                for lv, x in writes:
                    new[lv] = x
            return tuple(new)

        return lift

    def explore(
        self, initial: Coords, symbols: int, limit: int
    ) -> tuple[list[Coords], list[list[int]]]:
        """Reachable configurations (breadth-first) and their successors' indices per symbol."""
        lift = self.lifter(symbols)
        configs, index = [initial], {initial: 0}
        successors: list[list[int]] = [[] for _ in range(symbols)]
        for coords in configs:  # grows while iterating
            for a in range(symbols):
                nxt = lift(coords, a)
                if nxt not in index:
                    if len(configs) >= limit:
                        raise ValueError(f"more than {limit} reachable configurations")
                    index[nxt] = len(configs)
                    configs.append(nxt)
                successors[a].append(index[nxt])
        return configs, successors


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
