"""Languages whose state is a tuple of named components, read lazily (for the invariant method).

The invariant method (:mod:`ssmproof.verify.invariant`) never lists a language's states: it asks
for one component at a time, and branches only on the components a check actually reads. A
:class:`Factored` language therefore answers every question through ``get``, a function from a
component name to its value; asking for a component the caller has not fixed yet raises (the
caller then branches on it). Two adapters:

- :func:`from_dfa`: any DFA, as one component ``q`` (its state index) — the general case,
  where a relation is given per DFA state;
- :func:`bounded_dyck`: ``dyck:K,H`` as ``depth`` and ``top[1]`` … ``top[H]`` (the type open at
  each level, ``-`` above the depth), written from the definition of DESIGN §1 (push on an
  opening while the depth is below H, pop on the matching closing): the zoo's
  :class:`~ssmproof.lang.zoo.BoundedDyck` steps a stack; this steps its levels one by one, and
  tests check that the two agree on every stack for small K and H.

Only prefixes of words of the language are represented (predict mode); :attr:`Factored.complete`
says whether dead prefixes are too (recognize mode needs them).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from ssmproof.lang.automaton import DFA

__all__ = ["Factored", "Get", "from_dfa", "bounded_dyck", "NONE"]

Get = Callable[[str], Hashable]
NONE = "-"
"""The value of a Dyck level above the current depth."""


@dataclass(frozen=True)
class Factored:
    """A language as components with finite domains and lazily read step functions.

    ``live_after(get, a)``: whether the state after symbol index ``a`` is explored (predict: a
    live state; for a complete language every state is). ``next_value(get, a, c)``: component
    ``c`` of that state. ``accepting(get)``: whether the state is accepting.
    """

    name: str
    alphabet: tuple[str, ...]
    domains: dict[str, tuple[Hashable, ...]]
    start: dict[str, Hashable]
    live_after: Callable[[Get, int], bool]
    next_value: Callable[[Get, int, str], Hashable]
    accepting: Callable[[Get], bool]
    complete: bool = False
    access: Callable[[tuple[Hashable, ...]], tuple[int, ...] | None] | None = None
    """A word (symbol indices) leading to a state, or None; lets a failed check be replayed."""
    state_names: tuple[str, ...] = ()
    """For :func:`from_dfa`: the DFA's name of each value of ``q`` (relations are written with
    names and looked up here)."""

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(self.domains)

    def step(self, state: tuple[Hashable, ...], a: int) -> tuple[Hashable, ...] | None:
        """A whole state (values in :attr:`components` order) after symbol ``a``; None if dead."""
        get = dict(zip(self.components, state)).__getitem__
        if not self.live_after(get, a):
            return None
        return tuple(self.next_value(get, a, c) for c in self.components)

    def initial(self) -> tuple[Hashable, ...]:
        return tuple(self.start[c] for c in self.components)


def from_dfa(dfa: DFA, *, complete: bool = False) -> Factored:
    """One component ``q``: the DFA's state index (every state when ``complete``, else live).

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> f = from_dfa(zoo.parity(), complete=True)
    >>> f.step(f.initial(), 1), f.accepting({"q": 0}.__getitem__)
    ((1,), True)
    """
    states = tuple(range(len(dfa.states))) if complete else tuple(sorted(dfa.live))
    words: dict[int, tuple[int, ...]] = {dfa.start: ()}
    frontier = [dfa.start]
    while frontier:  # shortest access words, breadth first, ties in alphabet order
        nxt = []
        for q in frontier:
            for a, r in enumerate(dfa.delta[q]):
                if r not in words:
                    words[r] = (*words[q], a)
                    nxt.append(r)
        frontier = nxt
    return Factored(
        dfa.name, dfa.alphabet, {"q": states}, {"q": dfa.start},
        live_after=lambda get, a: complete or dfa.delta[get("q")][a] in dfa.live,  # type: ignore
        next_value=lambda get, a, c: dfa.delta[get("q")][a],  # type: ignore[index]
        accepting=lambda get: get("q") in dfa.accepting, complete=complete,
        access=lambda state: words.get(state[0]),  # type: ignore[arg-type]
        state_names=tuple(dfa.states))


def bounded_dyck(k: int, h: int, alphabet: tuple[str, ...], name: str = "", *,
                 complete: bool = False) -> Factored:
    """``dyck:K,H`` by levels: ``depth`` ∈ 0…H and ``top[ℓ]`` ∈ {0…K−1, ``-``} (ℓ = 1…H).

    Symbol index 2t opens type t, 2t + 1 closes it (the zoo's alphabet order). With
    ``complete`` (recognize mode) a first component ``failed`` ∈ {0, 1} is added: a symbol
    that is not allowed sets it, and the failed state is one sink (``failed`` = 1, depth 0,
    every level ``-``), as the minimal DFA's single dead state.

    Examples
    --------
    >>> f = bounded_dyck(2, 2, ("(", ")", "[", "]"))
    >>> s = f.step(f.initial(), 2)  # "[": depth 1, top[1] = type 1
    >>> s, f.step(s, 1), f.step(s, 3)  # ")" does not match; "]" pops
    ((1, 1, '-'), None, (0, '-', '-'))
    >>> c = bounded_dyck(2, 2, ("(", ")", "[", "]"), complete=True)
    >>> c.step(c.step(c.initial(), 2), 1), c.accepting(dict(zip(c.components, (0, 0, "-", "-"))).get)
    ((1, 0, '-', '-'), True)
    """
    levels = [f"top[{lv}]" for lv in range(1, h + 1)]
    domains: dict[str, tuple[Hashable, ...]] = {"failed": (0, 1)} if complete else {}
    domains["depth"] = tuple(range(h + 1))
    domains.update({c: (*range(k), NONE) for c in levels})

    def allowed(get: Get, a: int) -> bool:
        kind, closing = divmod(a, 2)
        d = get("depth")
        if not closing:
            return d < h  # type: ignore[operator]
        return d >= 1 and get(f"top[{d}]") == kind  # type: ignore[operator]

    def next_value(get: Get, a: int, c: str) -> Hashable:
        if complete and (get("failed") or not allowed(get, a)):
            return 1 if c == "failed" else 0 if c == "depth" else NONE  # the sink
        if c == "failed":
            return 0
        kind, closing = divmod(a, 2)
        d: int = get("depth")  # type: ignore[assignment]
        if c == "depth":
            return d - 1 if closing else d + 1
        level = int(c[4:-1])
        if level == (d if closing else d + 1):
            return NONE if closing else kind
        return get(c)

    def access(state: tuple[Hashable, ...]) -> tuple[int, ...] | None:
        if complete:
            if state[0]:
                return (1,)  # a closing bracket at depth 0
            state = state[1:]
        depth, tops = state[0], state[1:]
        if not all(isinstance(t, int) for t in tops[:depth]):  # type: ignore[misc]
            return None
        return tuple(2 * t for t in tops[:depth])  # type: ignore[misc, operator]

    start: dict[str, Hashable] = {"failed": 0} if complete else {}
    start.update({"depth": 0, **{c: NONE for c in levels}})
    return Factored(name or f"dyck_{k}_{h}", alphabet, domains, start,
                    (lambda get, a: True) if complete else allowed, next_value,
                    lambda get: get("depth") == 0 and not (complete and get("failed")),
                    complete=complete, access=access)
