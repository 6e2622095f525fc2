"""The fewest configurations any machine needs to predict a language — and any nonnegative SSM.

A predictive model reads ``BOS w₁ … wₙ`` and, at each position, says which symbols (and EOS) may
come next. Whatever the model is, its decisions at position t depend on the configuration before
the token and on the token itself (an SSM's readout reads the stream at t: the state after the
step, the token, the lag values of t − 1 — all functions of those two). So a model is, on the
prefixes of words of L, a deterministic machine over *configurations* with a Mealy readout, and
its memory is the number of configurations those prefixes reach (DESIGN §4 counts exactly these).

:func:`least_predictor` finds the least such number by depth-first search over machines
(configurations introduced in order, so no two searches differ by a renaming), exploring the
product with the language's live states as transitions are chosen and cutting as soon as one
configuration would need two different answers for one token.

With ``counter_free=True`` the machine must also be **counter-free**: no word maps a
configuration round a cycle of two or more. Every nonnegative-gated SSM is, in exact arithmetic
and in every format whose rounding is monotone (all but ``int:P``): a dim's step
``h ↦ rnd(rnd(a·h) + b)`` with a ≥ 0 never decreases order, so along u·wⁿ each layer-1 dim moves
monotonically through finitely many values and stops; then layer 2 sees the same inputs every
block and stops too; and so on up, lag buffers included. A cycle would contradict that. So the
counter-free least is a lower bound on the configurations of **every** nonnegative-gated SSM that
predicts L — a bound that Dyck's own analysis (``docs/dyck-memory.md``) cannot give, because the
cheapest unrestricted predictors there need cycles.

Only transitions some live member needs are chosen; the others are left out (any cycle through
one of them would also exist with it sent to a fresh sink), so the search loses no machine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass

from ssmproof.lang.automaton import Language

__all__ = ["Predictor", "least_predictor", "live_table"]

_MAX_LIVE = 5_000  # the search is exponential; past this it would never end anyway


@dataclass(frozen=True)
class Predictor:
    """A machine found: ``step[(c, a)]`` is the next configuration, ``members[c]`` the live
    states of the language that prefixes reaching ``c`` end in (configuration 0 holds the start)."""

    configs: int
    step: dict[tuple[int, int], int]
    members: tuple[frozenset[Hashable], ...]
    nodes: int  # search nodes visited, for the record


@dataclass(frozen=True)
class LiveTable:
    """The language's live states as indices: ``delta[s][a]`` is −1 when the step is dead."""

    states: tuple[Hashable, ...]
    delta: tuple[tuple[int, ...], ...]
    allowed: tuple[int, ...]  # bit a: symbol a keeps the prefix live; bit len(alphabet): EOS


def live_table(lang: Language, *, max_live: int = _MAX_LIVE) -> LiveTable:
    """The live states reachable from the start, in breadth-first order (the start is 0)."""
    m = len(lang.alphabet)
    start = lang.initial()
    if not lang.is_live(start):
        raise ValueError(f"{getattr(lang, 'name', 'the language')} is empty: nothing to predict")
    index: dict[Hashable, int] = {start: 0}
    order, rows = [start], []
    i = 0
    while i < len(order):
        row = []
        for a in range(m):
            t = lang.step(order[i], a)
            if not lang.is_live(t):
                row.append(-1)
                continue
            if t not in index:
                if len(order) >= max_live:
                    raise ValueError(f"more than {max_live} live states: too many to search")
                index[t] = len(order)
                order.append(t)
            row.append(index[t])
        rows.append(tuple(row))
        i += 1
    allowed = tuple(sum(1 << a for a in range(m) if rows[s][a] >= 0)
                    | ((1 << m) if lang.accepts_state(order[s]) else 0) for s in range(len(order)))
    return LiveTable(tuple(order), tuple(rows), allowed)


def least_predictor(lang: Language, *, max_configs: int, counter_free: bool = True
                    ) -> Predictor | None:
    """The machine with the fewest configurations (≤ ``max_configs``) predicting ``lang``, or
    None when every machine needs more (or, with ``counter_free``, when none is counter-free)."""
    table = live_table(lang)
    for c in range(1, max_configs + 1):
        found = _Search(table, c, counter_free).run()
        if found is not None:
            return found
    return None


class _Search:
    """Machines with exactly ``size`` configurations or fewer, one transition chosen per node."""

    def __init__(self, table: LiveTable, size: int, counter_free: bool) -> None:
        self.t, self.size, self.counter_free = table, size, counter_free
        self.m = len(table.delta[0])
        self.step: dict[tuple[int, int], int] = {}
        self.members: list[set[int]] = [set() for _ in range(size)]
        self.answer: dict[tuple[int, int], int] = {}  # (config, token) -> allowed after it
        self.nodes = 0

    def run(self) -> Predictor | None:
        trail: list[tuple] = []
        if not self._add(0, 0, trail) or not self._search():
            return None
        members = tuple(frozenset(self.t.states[s] for s in ms) for ms in self.members if ms)
        return Predictor(len(members), dict(self.step), members, self.nodes)

    def _search(self) -> bool:
        self.nodes += 1
        need = self._pending()
        if need is None:
            return not self.counter_free or _counter_free(self.step, self.size, self.m)
        c, a = need
        used = max(i for i in range(self.size) if self.members[i] or i == 0)
        for nxt in range(min(self.size, used + 2)):  # an old configuration or the next new one
            trail: list[tuple] = [("step", c, a)]
            self.step[(c, a)] = nxt
            ok = not self.counter_free or _letter_acyclic(self.step, self.size, a)
            for s in list(self.members[c]) if ok else ():
                t = self.t.delta[s][a]
                if t >= 0 and not self._add(nxt, t, trail):
                    ok = False
                    break
            if ok and self._search():
                return True
            self._undo(trail)
        return False

    def _pending(self) -> tuple[int, int] | None:
        """A transition some member needs and the machine does not have yet."""
        for c in range(self.size):
            for s in self.members[c]:
                for a, t in enumerate(self.t.delta[s]):
                    if t >= 0 and (c, a) not in self.step:
                        return c, a
        return None

    def _add(self, c: int, s: int, trail: list[tuple]) -> bool:
        """Put live state ``s`` in configuration ``c`` and follow the chosen transitions; False
        when some configuration would need two answers for one token."""
        todo = [(c, s)]
        while todo:
            c, s = todo.pop()
            if s in self.members[c]:
                continue
            self.members[c].add(s)
            trail.append(("member", c, s))
            for a, t in enumerate(self.t.delta[s]):
                if t < 0:
                    continue
                want = self.t.allowed[t]
                have = self.answer.get((c, a))
                if have is None:
                    self.answer[(c, a)] = want
                    trail.append(("answer", c, a))
                elif have != want:
                    return False
                nxt = self.step.get((c, a))
                if nxt is not None:
                    todo.append((nxt, t))
        return True

    def _undo(self, trail: list[tuple]) -> None:
        for kind, c, x in reversed(trail):
            if kind == "member":
                self.members[c].discard(x)
            elif kind == "answer":
                del self.answer[(c, x)]
            else:
                del self.step[(c, x)]


def _letter_acyclic(step: dict[tuple[int, int], int], size: int, a: int) -> bool:
    """Symbol ``a`` alone sends no configuration round a cycle of two or more (a quick cut)."""
    done = [False] * size
    for c0 in range(size):
        seen: set[int] = set()
        c: int | None = c0
        while c is not None and not done[c]:
            if c in seen:
                return False
            seen.add(c)
            nxt = step.get((c, a))
            c = None if nxt == c else nxt
        for s in seen:
            done[s] = True
    return True


def _counter_free(step: dict[tuple[int, int], int], size: int, m: int) -> bool:
    """No element of the transition monoid has a cycle of length ≥ 2 (a missing transition goes
    to a sink that stays put)."""
    sink = size
    gens = [tuple(step.get((c, a), sink) for c in range(size)) + (sink,) for a in range(m)]
    seen = {tuple(range(size + 1))}
    queue = deque(seen)
    while queue:
        f = queue.popleft()
        for g in gens:
            h = tuple(g[f[i]] for i in range(size + 1))
            if h in seen:
                continue
            if any(_on_long_cycle(h, i) for i in range(size + 1)):
                return False
            seen.add(h)
            queue.append(h)
    return True


def _on_long_cycle(f: tuple[int, ...], i: int) -> bool:
    """Whether the orbit of ``i`` under ``f`` ends in a cycle longer than 1."""
    for _ in range(len(f)):
        i = f[i]
    return f[i] != i
