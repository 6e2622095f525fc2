"""Breadth-first exploration of (SSM configuration, language state) pairs: exhaustive and prove.

Both walk the same product in the same order — frontier in order of each node's representative
word, symbols in the alphabet's order — so the first mismatch met is the *shortest*
counterexample, ties broken by the alphabet's declared order (DESIGN §4). Pairs with equal
configuration and language state are merged: what follows depends on nothing else.

- :func:`exhaustive` merges per depth and counts every string covered (multiplicities add up).
- :func:`prove` merges globally; when the frontier empties, every length has been checked.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

from ssmproof.lang.automaton import Language
from ssmproof.sim.machine import Config, Machine, NonFiniteValue
from ssmproof.ssm.program import Mode
from ssmproof.ssm.validate import check_same_alphabet
from ssmproof.verify.oracle import Mismatch, check, explores

__all__ = ["Outcome", "exhaustive", "prove", "describe", "tokens_for"]

Node = tuple[Config, Hashable]


@dataclass
class Outcome:
    """What an exploration found; :mod:`ssmproof.verify.api` turns it into a Certificate."""

    holds: bool | None
    closed: bool = False
    depth: int = 0  # every word up to this length was checked
    strings: int = 0
    configurations: int = 0
    edges: int = 0
    counterexample: tuple[str, ...] | None = None
    mismatch: Mismatch | None = None
    non_finite: str | None = None
    notes: list[str] = field(default_factory=list)


def describe(err: NonFiniteValue) -> str:
    """``<dim>: <what overflowed>`` for a non-finite finding."""
    return f"{getattr(err, 'where', '?')}: {err}"


class _Failure(Exception):
    def __init__(self, word: tuple[str, ...], mismatch: Mismatch | None, non_finite: str | None):
        self.word, self.mismatch, self.non_finite = word, mismatch, non_finite


def tokens_for(machine: Machine, lang: Language) -> tuple[int, ...]:
    """Machine token of each language symbol: the two may list the alphabet in other orders."""
    check_same_alphabet(machine.ssm, lang.alphabet, lang.name, machine.ssm.name)
    index = {s: i + 1 for i, s in enumerate(machine.ssm.alphabet)}
    return tuple(index[s] for s in lang.alphabet)


@dataclass(frozen=True)
class _Walk:
    """One exploration's fixed inputs: the machine, the language, the mode and the token map."""

    machine: Machine
    lang: Language
    mode: Mode
    tokens: tuple[int, ...]  # machine token of each language symbol index

    @classmethod
    def of(cls, machine: Machine, lang: Language, mode: Mode) -> _Walk:
        return cls(machine, lang, mode, tokens_for(machine, lang))

    def root(self) -> Node | None:
        """The BOS position, checked against the empty word; None when predict skips it."""
        q0 = self.lang.initial()
        try:
            config, decision = self.machine.step(self.machine.start(), 0)
        except NonFiniteValue as err:
            raise _Failure((), None, describe(err)) from None
        if not explores(self.lang, self.mode, q0):
            return None
        mismatch = check(self.lang, self.mode, q0, decision)
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
        mismatch = check(self.lang, self.mode, q2, decision)
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
