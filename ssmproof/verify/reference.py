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

from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from ssmproof.lang.automaton import Language
from ssmproof.sim.machine import Config, Machine, NonFiniteValue
from ssmproof.ssm.program import Mode
from ssmproof.verify.explore import Outcome, describe, tokens_for
from ssmproof.verify.oracle import Mismatch, check, decision_order, explores

__all__ = ["exhaustive", "prove", "reachable_gate_values"]

Node = tuple[Config, Hashable]


class _Failure(Exception):
    def __init__(self, word: tuple[str, ...], mismatch: Mismatch | None, non_finite: str | None):
        self.word, self.mismatch, self.non_finite = word, mismatch, non_finite


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

    def root(self) -> Node | None:
        """The BOS position, checked against the empty word; None when predict skips it."""
        q0 = self.lang.initial()
        try:
            config, decision = self.machine.step(self.machine.start(), 0)
        except NonFiniteValue as err:
            raise _Failure((), None, describe(err)) from None
        if not explores(self.lang, self.mode, q0):
            return None
        mismatch = check(self.lang, self.mode, q0, decision, self.order)
        if mismatch is not None:
            raise _Failure((), mismatch, None)
        return config, q0

    def children(self, node: Node, rep: tuple[str, ...]
                 ) -> Iterator[tuple[Node, tuple[str, ...]]]:
        """Every checked successor of ``node`` in the alphabet's order, with its word."""
        for a, sym in enumerate(self.lang.alphabet):
            word = rep + (sym,)
            child = self._advance(node, a, word)
            if child is not None:
                yield child, word

    def _advance(self, node: Node, a: int, word: tuple[str, ...]) -> Node | None:
        """One edge: step both, check the decision; None when predict leaves L's prefixes."""
        config, q = node
        q2 = self.lang.step(q, a)
        if not explores(self.lang, self.mode, q2):
            return None
        try:
            config2, decision = self.machine.step(config, self.tokens[a])
        except NonFiniteValue as err:
            raise _Failure(word, None, describe(err)) from None
        mismatch = check(self.lang, self.mode, q2, decision, self.order)
        if mismatch is not None:
            raise _Failure(word, mismatch, None)
        return config2, q2


def _failed(out: Outcome, f: _Failure) -> Outcome:
    out.holds, out.counterexample, out.mismatch, out.non_finite = False, f.word, f.mismatch, \
        f.non_finite
    out.depth = max(len(f.word) - 1, 0) if f.word else 0
    return out


def exhaustive(machine: Machine, lang: Language, mode: Mode, max_length: int, *,
               merge: bool = True, progress: object = None) -> Outcome:
    """Check every string of length ≤ ``max_length`` (predict: every prefix of a word of L).

    With ``merge`` (the default) equal (configuration, state) pairs at one depth are merged and
    their multiplicities added; without it only prefixes are shared (the benchmark's baseline).
    """
    out = Outcome(holds=True)
    configs: set[Config] = set()
    walk = _Walk.of(machine, lang, mode)
    try:
        root = walk.root()
        level: dict | list = _start_level(root, merge)
        out.strings = 1 if root is not None else 0
        for d in range(1, max_length + 1):
            level = _expand(walk, level, merge, out, configs)
            out.depth = d
            if progress is not None:
                progress.update(1)  # type: ignore[attr-defined]
    except _Failure as f:
        return _failed(out, f)
    out.depth = max_length
    out.configurations = len(configs)
    return out


def _start_level(root: Node | None, merge: bool) -> dict | list:
    if root is None:
        return {} if merge else []
    return {root: [1, ()]} if merge else [(root, ())]


def _expand(walk: _Walk, level: dict | list, merge: bool, out: Outcome,
            configs: set[Config]) -> dict | list:
    if not merge:
        nxt_list = []
        for node, rep in level:
            for child, word in walk.children(node, rep):
                nxt_list.append((child, word))
                out.edges += 1
        out.strings += len(nxt_list)
        return nxt_list
    nxt: dict[Node, list] = {}
    for node, (mult, rep) in level.items():
        for child, word in walk.children(node, rep):
            out.edges += 1
            out.strings += mult
            entry = nxt.get(child)
            if entry is None:
                nxt[child] = [mult, word]
                configs.add(child[0])
            else:
                entry[0] += mult
    return nxt


def prove(machine: Machine, lang: Language, mode: Mode, *, max_configurations: int = 10**6,
          progress: object = None) -> Outcome:
    """BFS over the reachable product; closing means correct at every length.

    If the number of distinct configurations passes ``max_configurations`` the search stops and
    the outcome claims only the depth whose words were all checked (``closed`` stays False).
    """
    out = Outcome(holds=True)
    configs: set[Config] = set()
    seen: set[Node] = set()
    walk = _Walk.of(machine, lang, mode)
    try:
        root = walk.root()
        frontier = [] if root is None else [(root, ())]
        if root is not None:
            seen.add(root)
            configs.add(root[0])
        while frontier:
            nxt = []
            for node, rep in frontier:
                for child, word in walk.children(node, rep):
                    out.edges += 1
                    if child not in seen:
                        seen.add(child)
                        configs.add(child[0])
                        nxt.append((child, word))
            out.depth += 1
            frontier = nxt
            if progress is not None:
                progress.update(len(nxt))  # type: ignore[attr-defined]
            if len(configs) > max_configurations and frontier:
                out.holds, out.configurations = None, len(configs)
                out.notes.append(f"configuration budget {max_configurations} reached at depth "
                                 f"{out.depth}: every word up to length {out.depth} was checked")
                return out
    except _Failure as f:
        out.configurations = len(configs)
        return _failed(out, f)
    out.closed, out.configurations = True, len(configs)
    return out


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
