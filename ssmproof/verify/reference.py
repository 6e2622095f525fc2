"""The per-configuration search: one Machine step per edge (the engine's cross-check only).

This is the search ``prove`` and ``exhaustive`` ran before :mod:`ssmproof.verify.engine`: it walks
the same product in the same order — frontier in order of each node's representative word,
symbols in the alphabet's order — with one :meth:`Machine.step` per edge and Python tuples as
configurations. It is kept, unchanged in behaviour, only so that tests and
``benchmarks/prove_speed.py`` can compare the engine against it; nothing in the toolkit's
commands calls it.

- :func:`exhaustive` merges per depth and counts every string covered (``merge=False`` only
  shares prefixes: the baseline of ``benchmarks/verify_speed.py``).
- :func:`prove` merges globally; when the frontier empties, every length has been checked.
- :func:`reachable_gate_values` enumerates configurations without a language (gate classes).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace

from ssmproof.lang.automaton import Language
from ssmproof.sim.machine import Config, Machine, NonFiniteValue
from ssmproof.ssm.program import Mode
from ssmproof.verify.explore import Progress, describe, tokens_for
from ssmproof.verify.oracle import check, decision_order, explores
from ssmproof.verify.outcome import Coverage, Fails, Holds, Inconclusive, Outcome

__all__ = ["exhaustive", "prove", "reachable_gate_values"]

Node = tuple[Config, Hashable]
Word = tuple[str, ...]


@dataclass(frozen=True)
class _Walk:
    """One exploration's fixed inputs: the machine, the language, the mode and the token map."""

    machine: Machine
    lang: Language
    mode: Mode
    tokens: tuple[int, ...]  # machine token of each language symbol index
    order: tuple[int, ...]  # decision index of each language symbol, then EOS (predict)

    @classmethod
    def of(cls, machine: Machine, lang: Language, mode: Mode) -> _Walk:
        return cls(machine, lang, mode, tokens_for(machine, lang),
                   decision_order(machine, lang, mode))

    def root(self) -> Node | Fails | None:
        """The BOS position, checked against the empty word; None when predict skips it."""
        q0 = self.lang.initial()
        try:
            config, decision = self.machine.step(self.machine.start(), 0)
        except NonFiniteValue as err:
            return Fails((), non_finite=describe(err))
        if not explores(self.lang, self.mode, q0):
            return None
        mismatch = check(self.lang, self.mode, q0, decision, self.order)
        if mismatch is not None:
            return Fails((), mismatch=mismatch)
        return config, q0

    def children(self, node: Node, rep: Word) -> tuple[list[tuple[Node, Word]], Fails | None]:
        """Every checked successor of ``node`` in the alphabet's order, with its word, up to the
        first whose decision is wrong (then that failure too)."""
        out = []
        for a, sym in enumerate(self.lang.alphabet):
            word = rep + (sym,)
            child = self._advance(node, a, word)
            if isinstance(child, Fails):
                return out, child
            if child is not None:
                out.append((child, word))
        return out, None

    def _advance(self, node: Node, a: int, word: Word) -> Node | Fails | None:
        """One edge: step both, check the decision; None when predict leaves L's prefixes."""
        config, q = node
        q2 = self.lang.step(q, a)
        if not explores(self.lang, self.mode, q2):
            return None
        try:
            config2, decision = self.machine.step(config, self.tokens[a])
        except NonFiniteValue as err:
            return Fails(word, non_finite=describe(err))
        mismatch = check(self.lang, self.mode, q2, decision, self.order)
        if mismatch is not None:
            return Fails(word, mismatch=mismatch)
        return config2, q2


def _failed(found: Fails, coverage: Coverage) -> Fails:
    return replace(found, coverage=replace(coverage, depth=max(len(found.counterexample) - 1, 0)))


@dataclass
class _Count:
    """Running totals of one exhaustive search (local to it)."""

    strings: int = 0
    edges: int = 0


def exhaustive(machine: Machine, lang: Language, mode: Mode, max_length: int, *,
               merge: bool = True, progress: Progress | None = None) -> Holds | Fails:
    """Check every string of length ≤ ``max_length`` (predict: every prefix of a word of L).

    With ``merge`` (the default) equal (configuration, state) pairs at one depth are merged and
    their multiplicities added; without it only prefixes are shared (the benchmark's baseline).
    """
    configs: set[Config] = set()
    walk = _Walk.of(machine, lang, mode)
    root = walk.root()
    if isinstance(root, Fails):
        return _failed(root, Coverage())
    level: Level = _start_level(root, merge)
    count = _Count(strings=1 if root is not None else 0)
    for _ in range(1, max_length + 1):
        expanded = _expand(walk, level, merge, count, configs)
        if isinstance(expanded, Fails):
            return _failed(expanded, Coverage(strings=count.strings, edges=count.edges))
        level = expanded
        if progress is not None:
            progress.update(1)
    return Holds(Coverage(depth=max_length, strings=count.strings, configurations=len(configs),
                          edges=count.edges))


Level = dict[Node, list] | list[tuple[Node, Word]]


def _start_level(root: Node | None, merge: bool) -> Level:
    if root is None:
        return {} if merge else []
    return {root: [1, ()]} if merge else [(root, ())]


def _expand(walk: _Walk, level: Level, merge: bool, count: _Count,
            configs: set[Config]) -> Level | Fails:
    """The next depth, counting every edge stepped (up to a failure, which is returned)."""
    if not merge:
        nxt_list: list[tuple[Node, Word]] = []
        for node, rep in level:  # type: ignore[misc]
            children, failure = walk.children(node, rep)
            count.edges += len(children)
            if failure is not None:
                return failure
            nxt_list += children
        count.strings += len(nxt_list)
        return nxt_list
    nxt: dict[Node, list] = {}
    for node, (mult, rep) in level.items():  # type: ignore[union-attr]
        children, failure = walk.children(node, rep)
        for child, word in children:
            count.edges += 1
            count.strings += mult
            entry = nxt.get(child)
            if entry is None:
                nxt[child] = [mult, word]
                configs.add(child[0])
            else:
                entry[0] += mult
        if failure is not None:
            return failure
    return nxt


def prove(machine: Machine, lang: Language, mode: Mode, *, max_configurations: int = 10**6,
          progress: Progress | None = None) -> Outcome:
    """BFS over the reachable product; closing means correct at every length.

    If the number of distinct configurations passes ``max_configurations`` the search stops:
    :class:`Inconclusive`, claiming only the depth whose words were all checked.
    """
    configs: set[Config] = set()
    seen: set[Node] = set()
    walk = _Walk.of(machine, lang, mode)
    root = walk.root()
    if isinstance(root, Fails):
        return _failed(root, Coverage())
    frontier: list[tuple[Node, Word]] = [] if root is None else [(root, ())]
    if root is not None:
        seen.add(root)
        configs.add(root[0])
    edges = depth = 0
    while frontier:
        nxt = []
        for node, rep in frontier:
            children, failure = walk.children(node, rep)
            for child, word in children:
                edges += 1
                if child not in seen:
                    seen.add(child)
                    configs.add(child[0])
                    nxt.append((child, word))
            if failure is not None:
                return _failed(failure, Coverage(configurations=len(configs), edges=edges))
        depth += 1
        frontier = nxt
        if progress is not None:
            progress.update(len(nxt))
        if len(configs) > max_configurations and frontier:
            return Inconclusive(
                f"configuration budget {max_configurations} reached at depth {depth}: every "
                f"word up to length {depth} was checked",
                Coverage(depth=depth, configurations=len(configs), edges=edges))
    return Holds(Coverage(depth=depth, configurations=len(configs), edges=edges), closed=True)


def reachable_gate_values(machine: Machine, budget: int) -> bool:
    """Step every configuration reachable from BOS (gates recorded by ``machine``) until the
    frontier empties (True: complete) or more than ``budget`` were seen (False)."""
    k = len(machine.ssm.alphabet)
    try:
        first, _ = machine.step(machine.start(), 0)
        seen, frontier = {first}, [first]
        while frontier and len(seen) <= budget:
            nxt = []
            for c in frontier:
                for a in range(1, k + 1):
                    c2, _ = machine.step(c, a)
                    if c2 not in seen:
                        seen.add(c2)
                        nxt.append(c2)
            frontier = nxt
        return not frontier
    except NonFiniteValue:
        return False
