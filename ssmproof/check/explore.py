"""Breadth-first re-exploration of (configuration, DFA state) pairs, and replay of one word.

The walk is the one DESIGN §4 fixes: the frontier in order of each pair's first word, symbols
in the language's declared order, pairs merged globally. Symbols reach the model *by name*
(``token[a]`` is the model's token for the language's ``a``-th symbol) and predictions are
compared by name, so the two alphabets may be listed in any orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ssmproof.check.automaton import Dfa
from ssmproof.check.float32 import Float32Watch
from ssmproof.check.model import EOS, Model
from ssmproof.check.numbers import Overflow

__all__ = ["Walk", "Found", "explore", "replay"]


@dataclass
class Found:
    """What the re-exploration found: a failure (word + wrong symbols) or none, and counts."""

    closed: bool = False
    depth: int = 0
    configurations: int = 0
    edges: int = 0
    word: tuple[str, ...] | None = None
    wrong: frozenset[str] = frozenset()  # predict: the symbols (or EOS) predicted wrongly
    overflow: str | None = None
    stopped: str = ""  # why the walk stopped before closing (a depth or a bound)
    gate_note: list[str] = field(default_factory=list)


class _Fail(Exception):
    def __init__(self, word: tuple[str, ...], wrong: frozenset[str], overflow: str | None):
        self.word, self.wrong, self.overflow = word, wrong, overflow


@dataclass
class Walk:
    """The fixed inputs of one check: model, language, mode, and the symbol → token map."""

    model: Model
    dfa: Dfa
    mode: str

    def __post_init__(self) -> None:
        tok = {s: i + 1 for i, s in enumerate(self.model.alphabet)}
        self.token = tuple(tok[s] for s in self.dfa.alphabet)
        self.live = self.dfa.live
        self.predict = self.mode == "predict"

    def explored(self, q: int) -> bool:
        return not self.predict or q in self.live

    def judge(self, q: int, decision: tuple[bool, ...], word: tuple[str, ...]) -> None:
        """Raise :class:`_Fail` when ``decision`` is wrong after a prefix ending in ``q``."""
        if not self.predict:
            if decision[-1] != (q in self.dfa.accepting):
                raise _Fail(word, frozenset(), None)
            return
        want = dict(zip((*self.dfa.alphabet, EOS), self.dfa.allowed(q, self.live)))
        got = dict(zip(self.model.readout_names, decision))  # by NAME, never by position
        wrong = frozenset(s for s in want if want[s] != got[s])
        if wrong:
            raise _Fail(word, wrong, None)

    def step(self, config: tuple, token: int, word: tuple[str, ...]) -> tuple:
        try:
            out = self.model.step(config, token)
        except Overflow as err:
            raise _Fail(word, frozenset(), str(err)) from None
        watch = self.model.watch
        if isinstance(watch, Float32Watch) and watch.fired and watch.word is None:
            watch.word = word
        return out


def explore(walk: Walk, *, max_depth: int | None = None, max_configurations: int,
            max_edges: int | None = None) -> Found:
    """Walk the product; stop at a failure, on closing, at ``max_depth``, past the bound, or
    at the first depth with at least ``max_edges`` edges (each level that does not close
    steps at least one edge, so a claimed edge count names at most one depth)."""
    out = Found()
    configs: set[tuple] = set()
    try:
        q0 = walk.dfa.start
        config, decision = walk.step(walk.model.start(), 0, ())
        if not walk.explored(q0):
            out.closed = True
            return out
        walk.judge(q0, decision, ())
        frontier = [((config, q0), ())]
        seen = {(config, q0)}
        configs.add(config)
        while frontier:
            if max_depth is not None and out.depth >= max_depth:
                out.stopped = f"depth {max_depth} reached"
                break
            if len(configs) > max_configurations:
                out.stopped = f"more than {max_configurations} configurations"
                break
            if max_edges is not None and out.edges >= max_edges:
                out.stopped = f"{out.edges} edges reached"
                break
            frontier = _level(walk, frontier, seen, configs, out)
            out.depth += 1
        else:
            out.closed = True
    except _Fail as f:
        out.word, out.wrong, out.overflow = f.word, f.wrong, f.overflow
    out.configurations = len(configs)
    return out


def _level(walk: Walk, frontier: list, seen: set, configs: set, out: Found) -> list:
    nxt = []
    delta, alphabet = walk.dfa.delta, walk.dfa.alphabet
    for (config, q), word in frontier:
        for a, sym in enumerate(alphabet):
            q2 = delta[q][a]
            if not walk.explored(q2):
                continue
            w2 = word + (sym,)
            config2, decision = walk.step(config, walk.token[a], w2)
            walk.judge(q2, decision, w2)
            out.edges += 1
            node = (config2, q2)
            if node not in seen:
                seen.add(node)
                configs.add(config2)
                nxt.append((node, w2))
    return nxt


def replay(walk: Walk, word: tuple[str, ...]) -> tuple[int, frozenset[str], str | None] | None:
    """Run ``word`` alone; the first position where it is judged wrong (length, wrong symbols,
    overflow), or None when every checked prefix is right."""
    index = {s: i for i, s in enumerate(walk.dfa.alphabet)}
    q, config = walk.dfa.start, walk.model.start()
    try:
        for t in range(len(word) + 1):
            if t:
                q = walk.dfa.delta[q][index[word[t - 1]]]
            if not walk.explored(q):
                return None
            config, decision = walk.step(config, walk.token[index[word[t - 1]]] if t else 0,
                                         word[:t])
            walk.judge(q, decision, word[:t])
    except _Fail as f:
        return len(f.word), f.wrong, f.overflow
    return None
