"""The two kinds of language every other stage consumes: complete DFAs and step-function languages.

The verifier needs only :class:`Language`: a start state, a step on a symbol index, acceptance and
liveness (some continuation is accepted). A :class:`DFA` is the finite case; the paper's counter
languages (``dyck1``, ``anbn``, ...) implement the same protocol over infinitely many hashable
states, so exhaustive and random checks can merge equal states while ``prove`` knows it cannot
close.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ssmproof.errors import SpecError

__all__ = ["Language", "DFA", "Word", "allowed_next", "states_along", "distance_to_accept"]

Word = tuple[str, ...]


@runtime_checkable
class Language(Protocol):
    """What a verifier needs of a language (symbols are indices into ``alphabet``)."""

    @property
    def name(self) -> str: ...

    @property
    def alphabet(self) -> tuple[str, ...]: ...

    @property
    def regular(self) -> bool: ...

    def initial(self) -> Hashable: ...

    def step(self, state: Hashable, symbol: int) -> Hashable: ...

    def accepts_state(self, state: Hashable) -> bool: ...

    def is_live(self, state: Hashable) -> bool: ...


def allowed_next(lang: Language, state: Hashable) -> tuple[bool, ...]:
    """Predictive-modelling labels after a prefix in ``state``: one per symbol, then EOS.

    A symbol is allowed iff the extended prefix is still a prefix of some word of the language;
    EOS iff the prefix itself is in the language (DESIGN §2).
    """
    nxt = tuple(lang.is_live(lang.step(state, a)) for a in range(len(lang.alphabet)))
    return nxt + (lang.accepts_state(state),)


def states_along(lang: Language, word: Sequence[str]) -> list[Hashable]:
    """The language's state after every prefix of ``word``: ``len(word) + 1`` entries.

    Works for any :class:`Language` (DFAs and the infinite-state counter languages), so a
    caller that needs acceptance *and* the states in between (a predictive table, a mutation
    resumed mid-word) runs the word once. Symbols are given by name.

    Examples
    --------
    >>> even_a = DFA(("a", "b"), ("even", "odd"), 0, frozenset({0}), ((1, 0), (0, 1)))
    >>> states_along(even_a, ("a", "b", "a"))
    [0, 1, 1, 0]
    """
    index = {s: i for i, s in enumerate(lang.alphabet)}
    q = lang.initial()
    out = [q]
    for s in word:
        q = lang.step(q, index[s])
        out.append(q)
    return out


def distance_to_accept(dfa: DFA) -> list[int | None]:
    """Fewest steps from each state to an accepting one (None: no accepting state reachable).

    One breadth-first search backwards from all accepting states at once, so the whole table
    costs O(states × symbols). Samplers use it to steer a random walk home to acceptance
    along a shortest path once the word is long enough.

    Examples
    --------
    >>> ends_ab = DFA(("a", "b"), ("-", "a", "ab", "dead"), 0, frozenset({2}),
    ...               ((1, 0), (1, 2), (1, 0), (3, 3)))
    >>> distance_to_accept(ends_ab)
    [2, 1, 0, None]
    """
    rev: list[list[int]] = [[] for _ in dfa.states]
    for q, row in enumerate(dfa.delta):
        for t in row:
            rev[t].append(q)
    dist: list[int | None] = [None] * len(dfa.states)
    todo = deque(sorted(dfa.accepting))
    for f in dfa.accepting:
        dist[f] = 0
    while todo:
        t = todo.popleft()
        for q in rev[t]:
            if dist[q] is None:
                dist[q] = dist[t] + 1  # type: ignore[operator]
                todo.append(q)
    return dist


@dataclass(frozen=True, slots=True)
class DFA:
    """A complete deterministic automaton; ``delta[q][a]`` is the successor of state q on symbol a.

    States are indices internally and named in output (STYLE R2). Completeness is an invariant:
    partial specs are completed with a rejecting sink before a DFA is built.
    """

    alphabet: tuple[str, ...]
    states: tuple[str, ...]
    start: int
    accepting: frozenset[int]
    delta: tuple[tuple[int, ...], ...]
    name: str = ""
    live: frozenset[int] = field(init=False, compare=False, repr=False)

    regular = True  # class attribute: every DFA language is regular

    def __post_init__(self) -> None:
        """One named check per rule (STYLE R4): a DFA that is built is complete and in range,
        under ``python -O`` too (no ``assert``)."""
        _check_sizes(self)
        _check_start(self)
        _check_delta(self)
        _check_accepting(self)
        object.__setattr__(self, "live", _co_reachable(self))

    # --- the Language protocol -------------------------------------------------------------
    def initial(self) -> int:
        return self.start

    def step(self, state: Hashable, symbol: int) -> int:
        return self.delta[state][symbol]  # type: ignore[index]

    def successors(self, state: Hashable) -> tuple[int, ...]:
        """The successor on every symbol: the transition row (the product search's fast path)."""
        return self.delta[state]  # type: ignore[index]

    def accepts_state(self, state: Hashable) -> bool:
        return state in self.accepting

    def is_live(self, state: Hashable) -> bool:
        return state in self.live

    # --- conveniences ----------------------------------------------------------------------
    def run(self, word: Sequence[str]) -> int:
        """The state reached from the start on ``word`` (symbols by name)."""
        index = {s: i for i, s in enumerate(self.alphabet)}
        q = self.start
        for s in word:
            q = self.delta[q][index[s]]
        return q

    def accepts(self, word: Sequence[str]) -> bool:
        return self.run(word) in self.accepting


def _fail(dfa: DFA, field: str, problem: str, fix: str) -> SpecError:
    return SpecError(f"DFA '{dfa.name}'" if dfa.name else "DFA", field, problem, fix)


def _is_index(x: object, n: int) -> bool:
    """An integer (numpy's too, not a bool) in 0..n-1."""
    try:
        i = operator.index(x)  # type: ignore[arg-type]
    except TypeError:
        return False
    return not isinstance(x, bool) and 0 <= i < n


def _check_sizes(dfa: DFA) -> None:
    if not dfa.states:
        raise _fail(dfa, "states", "no states", "give at least one state")
    if not dfa.alphabet:
        raise _fail(dfa, "alphabet", "empty alphabet", "give at least one symbol")


def _check_start(dfa: DFA) -> None:
    if not _is_index(dfa.start, len(dfa.states)):
        raise _fail(dfa, "start", f"{dfa.start!r} is not a state index",
                    f"give an index in 0..{len(dfa.states) - 1}")


def _check_delta(dfa: DFA) -> None:
    n, k = len(dfa.states), len(dfa.alphabet)
    if len(dfa.delta) != n:
        raise _fail(dfa, "delta", f"{len(dfa.delta)} rows for {n} states",
                    "give one row of successors per state")
    for q, row in enumerate(dfa.delta):
        if len(row) != k:
            raise _fail(dfa, f"delta[{q}]", f"{len(row)} successors for {k} symbols",
                        "give one successor per symbol (the DFA is complete)")
        bad = next((t for t in row if not _is_index(t, n)), None)
        if bad is not None:
            raise _fail(dfa, f"delta[{q}]", f"successor {bad!r} is not a state index",
                        f"give indices in 0..{n - 1}")


def _check_accepting(dfa: DFA) -> None:
    bad = next((q for q in sorted(dfa.accepting, key=repr)
                if not _is_index(q, len(dfa.states))), None)
    if bad is not None:
        raise _fail(dfa, "accepting", f"{bad!r} is not a state index",
                    f"give indices in 0..{len(dfa.states) - 1}")


def _co_reachable(dfa: DFA) -> frozenset[int]:
    """States from which an accepting state is reachable: one backward search from all the
    accepting states at once (O(states × symbols), however many states accept)."""
    return frozenset(q for q, d in enumerate(distance_to_accept(dfa)) if d is not None)
