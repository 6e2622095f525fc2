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

Relation files name values in the spec's terms (``ssmproof-relation/2``, docs/verification.md):
:attr:`Factored.from_name` turns such a name into the internal value (a state of ``q`` named by a
word, or by a table spec's state name; a bracket type by its opening symbol) and
:attr:`Factored.to_name` back; :mod:`ssmproof.verify.relation_names` applies them to relations.
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
    from_name: Callable[[str, Hashable], Hashable | None] | None = None
    """A component's value as a relation file names it → the internal value, or None when it
    names a state that is not explored (a dead state in predict mode); ValueError, with the
    reason, when it names nothing."""
    dfa: DFA | None = None
    """For :func:`from_dfa`: the DFA whose state index ``q`` is (a recipe's relation may be
    derived from it, as the star-free cascade's is)."""
    to_name: Callable[[str, Hashable], Hashable] | None = None
    """The inverse: the name a relation file gives an internal value (a ``q`` state: its
    shortest word, ties in alphabet order)."""

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


def from_dfa(dfa: DFA, *, complete: bool = False,
             table_states: tuple[str, ...] | None = None) -> Factored:
    """One component ``q``: the DFA's state index (every state when ``complete``, else live).

    A relation file names a state of ``q`` by a word reaching it (a tuple of symbols), or, with
    ``table_states`` (the ``states`` of a table spec, which ``dfa`` is as written), by its name.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> f = from_dfa(zoo.parity(), complete=True)
    >>> f.step(f.initial(), 1), f.accepting({"q": 0}.__getitem__)
    ((1,), True)
    >>> f.from_name("q", ("1", "0", "1")), f.to_name("q", 1)
    (0, ('1',))
    """
    states = tuple(range(len(dfa.states))) if complete else tuple(sorted(dfa.live))
    words = access_words(dfa)
    return Factored(
        dfa.name, dfa.alphabet, {"q": states}, {"q": dfa.start},
        live_after=lambda get, a: complete or dfa.delta[get("q")][a] in dfa.live,  # type: ignore
        next_value=lambda get, a, c: dfa.delta[get("q")][a],  # type: ignore[index]
        accepting=lambda get: get("q") in dfa.accepting, complete=complete,
        access=lambda state: words.get(state[0]),  # type: ignore[arg-type]
        from_name=lambda c, v: _dfa_state(dfa, table_states, set(states), v),
        to_name=lambda c, v: _dfa_name(dfa, words, v), dfa=dfa)  # type: ignore[arg-type]


def access_words(dfa: DFA) -> dict[int, tuple[int, ...]]:
    """Each reachable state's shortest word (symbol indices), ties in alphabet order."""
    words: dict[int, tuple[int, ...]] = {dfa.start: ()}
    frontier = [dfa.start]
    while frontier:  # breadth first, symbols in alphabet order
        nxt = []
        for q in frontier:
            for a, r in enumerate(dfa.delta[q]):
                if r not in words:
                    words[r] = (*words[q], a)
                    nxt.append(r)
        frontier = nxt
    return words


def _dfa_state(dfa: DFA, table_states: tuple[str, ...] | None, explored: set[int],
               name: Hashable) -> int | None:
    """The state a word or a table state's name names (None: not explored)."""
    if isinstance(name, tuple):
        q = dfa.start
        for s in name:
            if s not in dfa.alphabet:
                raise ValueError(f"word {list(name)}: symbol {s!r} is not in the alphabet "
                                 f"{list(dfa.alphabet)}")
            q = dfa.delta[q][dfa.alphabet.index(s)]  # type: ignore[arg-type]
    elif isinstance(name, str) and table_states is not None:
        if name not in table_states:
            raise ValueError(f"no state {name!r} in the spec's states {list(table_states)}; "
                             "name a state by its name there or by a word reaching it")
        q = dfa.states.index(name)
    elif isinstance(name, str):
        raise ValueError(f"q value {name!r}: the language {dfa.name} is not a table spec, so "
                         "its states have no names; name the state by a word reaching it (a "
                         "list of symbols)")
    else:
        raise ValueError(f"q value {name!r}: name the state by a word reaching it (a list of "
                         "symbols) or by a table spec's state name; an index is the older "
                         "ssmproof-relation/1")
    return q if q in explored else None


def _dfa_name(dfa: DFA, words: dict[int, tuple[int, ...]], q: int) -> tuple[str, ...]:
    if q not in words:
        raise ValueError(f"state {dfa.states[q]!r} is not reachable from the start, so no word "
                         "names it; leave it out of the relation")
    return tuple(dfa.alphabet[a] for a in words[q])


def bounded_dyck(k: int, h: int, alphabet: tuple[str, ...], name: str = "", *,
                 complete: bool = False) -> Factored:
    """``dyck:K,H`` by levels: ``depth`` ∈ 0…H and ``top[ℓ]`` ∈ {0…K−1, ``-``} (ℓ = 1…H).

    A relation file names type t by its opening symbol (``alphabet[2t]``).

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
    >>> c.from_name("top[2]", "["), c.to_name("top[2]", 1), c.to_name("depth", 2)
    (1, '[', 2)
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
                    complete=complete, access=access,
                    from_name=lambda c, v: _dyck_value(domains, alphabet, c, v),
                    to_name=lambda c, v: alphabet[2 * v] if c.startswith("top[") and v != NONE
                    else v)  # type: ignore[operator]


def _dyck_value(domains: dict[str, tuple[Hashable, ...]], alphabet: tuple[str, ...], c: str,
                v: Hashable) -> Hashable:
    """A level's bracket type from its opening symbol; ``depth`` and ``failed`` as written."""
    if c not in domains:
        raise ValueError(f"no component {c!r} in dyck by levels ({list(domains)})")
    if c.startswith("top[") and v != NONE:
        opening = alphabet[0::2]
        if v not in opening:
            raise ValueError(f"{c} value {v!r}: write an opening bracket {list(opening)} or "
                             f"'{NONE}' (no bracket open at that level)")
        return opening.index(v)  # type: ignore[arg-type]
    if type(v) not in (int, str) or v not in domains[c]:
        raise ValueError(f"{c} value {v!r}: not one of {list(domains[c])}")
    return v
