"""Free functions over :class:`~ssmproof.lang.automaton.DFA` values: build, complete, trim,
minimize, compare, rename.

Every function returns a new frozen DFA; nothing is changed in place. States are indices inside
the DFA and names everywhere else (STYLE R2): :func:`minimize` keeps the name of each block's
representative (its first state in the input's order), so minimized automata stay readable.

Examples
--------
>>> d = complete(alphabet=("a",), states=("even", "odd", "again"), start="even",
...              accepting={"even", "again"},
...              transitions={"even": {"a": "odd"}, "odd": {"a": "again"}, "again": {"a": "odd"}})
>>> m = minimize(d)
>>> m.states
('even', 'odd')
>>> equivalent(d, m) is None
True
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence

from ssmproof.errors import SpecError
from ssmproof.lang.automaton import DFA, Language, Word
from ssmproof.lang.spec_type import MAX_STATES, Spec, SpecKind

__all__ = [
    "from_spec",
    "from_language",
    "from_automata_lib",
    "native",
    "to_spec",
    "complete",
    "reachable",
    "trim",
    "minimize",
    "is_minimal",
    "equivalent",
    "rename",
    "reorder",
    "SINK",
]

SINK = "sink"


def from_spec(spec: Spec) -> DFA:
    """The DFA a table or regex spec defines: its table completed with a rejecting sink, or its
    regex's minimal DFA. (A spec naming a zoo language goes through
    :func:`ssmproof.lang.spec.to_dfa`, the module that joins specs and the zoo.)

    The table is taken as written (not minimized): state names and order are the file's.

    Raises
    ------
    SpecError
        The regex cannot be read, or the spec names a zoo language.

    Examples
    --------
    >>> from ssmproof.lang import spec as spec_
    >>> s = spec_.from_dict({"name": "t", "alphabet": ["a", "b"], "states": ["p"],
    ...                      "start": "p", "accepting": ["p"], "transitions": {"p": {"a": "p"}}})
    >>> d = from_spec(s)
    >>> d.states, d.delta
    (('p', 'sink'), ((0, 1), (1, 1)))
    """
    return _FROM_SPEC[spec.kind](spec)


def _from_table(spec: Spec) -> DFA:
    assert spec.start is not None
    return complete(alphabet=spec.alphabet, states=spec.states, start=spec.start,
                    accepting=spec.accepting, transitions=spec.table(), name=spec.name)


def _from_regex(spec: Spec) -> DFA:
    from ssmproof.lang import regex  # automata-lib + networkx (0.5 s): regex specs only

    assert spec.regex is not None
    return regex.to_dfa(spec.regex, spec.alphabet, name=spec.name, path=spec.path)


def _from_named(spec: Spec) -> DFA:
    raise SpecError(spec.path, "language", f"'{spec.language}' is a zoo language: this module "
                    "builds tables and regexes only", "use ssmproof.lang.spec.to_dfa(spec)")


_FROM_SPEC: dict[SpecKind, Callable[[Spec], DFA]] = {
    SpecKind.TABLE: _from_table,
    SpecKind.REGEX: _from_regex,
    SpecKind.NAMED: _from_named,
}


def complete(*, alphabet: Sequence[str], states: Sequence[str], start: str,
             accepting: Collection[str], transitions: Mapping[str, Mapping[str, str]],
             name: str = "") -> DFA:
    """A complete DFA from a possibly partial table; missing edges go to a rejecting sink.

    The sink is added only when an edge is missing, after the given states, and is named
    ``sink`` (``sink_1``, ``sink_2``, … if that name is taken).

    Examples
    --------
    >>> complete(alphabet=("a",), states=("p",), start="p", accepting=(),
    ...          transitions={}).states
    ('p', 'sink')
    """
    index = {q: i for i, q in enumerate(states)}
    k, n = len(alphabet), len(states)
    rows = [tuple(_target(index, transitions.get(q, {}), a, n) for a in alphabet)
            for q in states]
    names = tuple(states)
    if any(n in row for row in rows):
        rows.append((n,) * k)
        names += (_fresh_name(SINK, set(states)),)
    return DFA(alphabet=tuple(alphabet), states=names, start=index[start],
               accepting=frozenset(index[q] for q in accepting), delta=tuple(rows), name=name)


def _target(index: Mapping[str, int], row: Mapping[str, str], symbol: str, sink: int) -> int:
    target = row.get(symbol)
    return sink if target is None else index[target]


def _fresh_name(base: str, taken: set[str]) -> str:
    name, i = base, 0
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    return name


def from_language(lang: Language, *, max_states: int = MAX_STATES, path: str = "",
                  state_name: Callable[[Hashable], str] | None = None) -> DFA:
    """Materialise a finite-state :class:`Language` as a DFA by breadth-first search.

    States are numbered in breadth-first order (symbols in alphabet order) and named by
    ``state_name`` (default ``str``; names are made unique if they collide).

    Raises
    ------
    SpecError
        More than ``max_states`` states are reachable (always so for a non-regular language).

    Examples
    --------
    >>> d = complete(alphabet=("a",), states=("p", "q"), start="p", accepting=("q",),
    ...              transitions={"p": {"a": "q"}, "q": {"a": "p"}})
    >>> from_language(d, state_name=lambda q: d.states[q]).states
    ('p', 'q')
    """
    order, index = _explore(lang, max_states, path or lang.name)
    k = len(lang.alphabet)
    delta = tuple(tuple(index[lang.step(s, a)] for a in range(k)) for s in order)
    accepting = frozenset(i for i, s in enumerate(order) if lang.accepts_state(s))
    namer = state_name or str
    return DFA(alphabet=tuple(lang.alphabet), states=_unique([namer(s) for s in order]), start=0,
               accepting=accepting, delta=delta, name=lang.name)


def from_automata_lib(lib: object, *, name: str = "") -> DFA:
    """The DFA of an automata-lib ``automata.fa.dfa.DFA`` (the library the regex reader builds
    on), read through its public attributes: the same language, states and symbols.

    States are named ``str(q)`` (the start first, then the others in order of their names), the
    alphabet is ``input_symbols`` in sorted order, and a transition missing from a partial DFA
    goes to a rejecting sink, as in a spec.

    Raises
    ------
    SpecError
        What a spec with these states and symbols would be refused for (two states that print
        alike, a reserved symbol, too many states, ...), or a symbol that is not a string.

    Examples
    --------
    >>> from automata.fa.dfa import DFA as LibDFA
    >>> lib = LibDFA(states={"even", "odd"}, input_symbols={"1", "0"}, initial_state="even",
    ...              transitions={"even": {"0": "even", "1": "odd"},
    ...                           "odd": {"0": "odd", "1": "even"}}, final_states={"even"})
    >>> d = from_automata_lib(lib, name="parity")
    >>> d.alphabet, d.states, d.accepts(("1", "0", "1"))
    (('0', '1'), ('even', 'odd'), True)
    """
    where = name or "automata-lib DFA"
    states = [lib.initial_state] + sorted(  # type: ignore[attr-defined]
        (q for q in lib.states if q != lib.initial_state), key=str)  # type: ignore[attr-defined]
    rows = lib.transitions  # type: ignore[attr-defined]
    spec = Spec(name=name or "dfa", alphabet=tuple(sorted(map(_lib_symbol(where),
                                                              lib.input_symbols))),
                path=where, states=tuple(map(str, states)), start=str(states[0]),
                accepting=tuple(sorted(map(str, lib.final_states))),  # type: ignore[attr-defined]
                transitions=tuple((str(q), a, str(t)) for q in states
                                  for a, t in rows.get(q, {}).items()))
    return _from_table(spec)


def native(x: object) -> object:
    """``x`` in this toolkit's terms: an automata-lib DFA (``automata.fa.dfa.DFA``, on which the
    README's regex examples build) becomes a :class:`~ssmproof.lang.automaton.DFA` with the same
    language (:func:`from_automata_lib`); anything else is returned as it is.

    Every entry point that takes "a language" or a DFA (:func:`minimize`,
    :func:`ssmproof.lang.spec.language_of` and the verbs built on it) passes its argument through
    here first, so an automata-lib DFA is accepted wherever a DFA is. automata-lib is never
    imported for this: a user who built one has already loaded it.

    Examples
    --------
    >>> from automata.fa.dfa import DFA as LibDFA
    >>> ones = LibDFA(states={"q"}, input_symbols={"1"}, transitions={"q": {"1": "q"}},
    ...               initial_state="q", final_states={"q"})
    >>> native(ones).states, native("not a DFA")
    (('q',), 'not a DFA')
    """
    lib = sys.modules.get("automata.fa.dfa")
    if lib is not None and isinstance(x, lib.DFA):
        return from_automata_lib(x)
    return x


def _lib_symbol(where: str) -> Callable[[object], str]:
    def check(symbol: object) -> str:
        if not isinstance(symbol, str) or not symbol:
            raise SpecError(where, "input_symbols", f"symbol {symbol!r} is not a non-empty "
                            "string", "use strings as symbols")
        return symbol
    return check


def _explore(lang: Language, max_states: int, where: str
             ) -> tuple[list[Hashable], dict[Hashable, int]]:
    start = lang.initial()
    order, index = [start], {start: 0}
    todo = deque(order)
    while todo:
        s = todo.popleft()
        for a in range(len(lang.alphabet)):
            t = lang.step(s, a)
            if t not in index:
                if len(order) >= max_states:
                    raise SpecError(where, "", f"more than {max_states:,} reachable states",
                                    "use a smaller instance, or check it without a DFA")
                index[t] = len(order)
                order.append(t)
                todo.append(t)
    return order, index


def _unique(names: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for name in names:
        fresh = _fresh_name(name, seen)
        seen.add(fresh)
        out.append(fresh)
    return tuple(out)


def to_spec(dfa: DFA, *, path: str = "<dfa>") -> Spec:
    """A table spec describing ``dfa`` (every edge written, the sink included).

    Examples
    --------
    >>> d = complete(alphabet=("a",), states=("p",), start="p", accepting=("p",),
    ...              transitions={"p": {"a": "p"}}, name="all")
    >>> to_spec(d).table()
    {'p': {'a': 'p'}}
    """
    edges = tuple((dfa.states[q], dfa.alphabet[a], dfa.states[t])
                  for q, row in enumerate(dfa.delta) for a, t in enumerate(row))
    return Spec(name=dfa.name or "dfa", alphabet=dfa.alphabet, path=path, states=dfa.states,
                start=dfa.states[dfa.start],
                accepting=tuple(dfa.states[q] for q in sorted(dfa.accepting)), transitions=edges)


def reachable(dfa: DFA) -> list[int]:
    """The states reachable from the start, in breadth-first order (symbols in alphabet order).

    Examples
    --------
    >>> d = complete(alphabet=("a",), states=("p", "lost"), start="p", accepting=(),
    ...              transitions={"p": {"a": "p"}, "lost": {"a": "p"}})
    >>> reachable(d)
    [0]
    """
    order, seen = [dfa.start], {dfa.start}
    todo = deque(order)
    while todo:
        for t in dfa.delta[todo.popleft()]:
            if t not in seen:
                seen.add(t)
                order.append(t)
                todo.append(t)
    return order


def reorder(dfa: DFA, order: Sequence[int]) -> DFA:
    """The same automaton with its states listed in ``order`` (a subset closed under δ).

    Examples
    --------
    >>> d = complete(alphabet=("a",), states=("p", "q"), start="p", accepting=("q",),
    ...              transitions={"p": {"a": "q"}, "q": {"a": "p"}})
    >>> reorder(d, [1, 0]).states, reorder(d, [1, 0]).start
    (('q', 'p'), 1)
    """
    new = {q: i for i, q in enumerate(order)}
    if len(new) != len(order) or any(t not in new for q in order for t in dfa.delta[q]):
        raise ValueError("order must list distinct states closed under the transitions")
    return DFA(alphabet=dfa.alphabet, states=tuple(dfa.states[q] for q in order),
               start=new[dfa.start], accepting=frozenset(new[q] for q in dfa.accepting if q in new),
               delta=tuple(tuple(new[t] for t in dfa.delta[q]) for q in order), name=dfa.name)


def trim(dfa: DFA) -> DFA:
    """Remove the states that the start cannot reach (the rest keep their order and names).

    Dead states (such as the sink) are kept: the DFA stays complete.

    Examples
    --------
    >>> d = complete(alphabet=("a",), states=("p", "lost"), start="p", accepting=(),
    ...              transitions={"p": {"a": "p"}, "lost": {"a": "p"}})
    >>> trim(d).states
    ('p',)
    """
    return reorder(dfa, sorted(reachable(dfa)))


def minimize(dfa: DFA) -> DFA:
    """The complete minimal DFA of the same language (Hopcroft's partition refinement).

    ``dfa`` may also be an automata-lib DFA (read through :func:`native`).

    Unreachable states are removed first; each block of equivalent states keeps the name of its
    first state in ``dfa``'s order; the result lists states in breadth-first order from the
    start (symbols in alphabet order), so minimizing twice gives the same value as once.

    Notes
    -----
    O(k · n log n) block splits for n states and k symbols.

    References
    ----------
    J. Hopcroft, "An n log n algorithm for minimizing states in a finite automaton", 1971.

    Examples
    --------
    >>> d = complete(alphabet=("0", "1"), states=("a", "b", "c"), start="a", accepting=("b", "c"),
    ...              transitions={"a": {"1": "b"}, "b": {"1": "c"}, "c": {"1": "b"}})
    >>> minimize(d).states
    ('a', 'sink', 'b')
    """
    live = trim(native(dfa))  # type: ignore[arg-type]
    dense = _dense(_hopcroft(live))
    firsts: list[int] = []  # the first state of each block, in block order
    for q, b in enumerate(dense):
        if b == len(firsts):
            firsts.append(q)
    quotient = DFA(alphabet=live.alphabet, states=tuple(live.states[q] for q in firsts),
                   start=dense[live.start], accepting=frozenset(dense[q] for q in live.accepting),
                   delta=tuple(tuple(dense[t] for t in live.delta[q]) for q in firsts),
                   name=live.name)
    return reorder(quotient, reachable(quotient))


def _dense(block: list[int]) -> list[int]:
    """Renumber blocks by the first state in each (so block i's first state precedes j's)."""
    ids: dict[int, int] = {}
    return [ids.setdefault(b, len(ids)) for b in block]


def _hopcroft(dfa: DFA) -> list[int]:
    """Block id of every state under Myhill–Nerode equivalence (states all reachable).

    Hopcroft's algorithm with the bookkeeping that makes it O(k · n log n): each splitter's
    predecessors are grouped by the block they lie in, so only the blocks they touch are
    examined, and a split costs the size of the part moved out.
    """
    n = len(dfa.states)
    pred: list[list[list[int]]] = [[[] for _ in range(n)] for _ in dfa.alphabet]  # δ⁻¹(t, a)
    for q, row in enumerate(dfa.delta):
        for a, t in enumerate(row):
            pred[a][t].append(q)
    blocks = [b for b in (set(dfa.accepting), set(range(n)) - set(dfa.accepting)) if b]
    block_of = [0] * n
    for i, members in enumerate(blocks):
        for q in members:
            block_of[q] = i
    waiting = {min(range(len(blocks)), key=lambda i: len(blocks[i]))}
    while waiting:
        splitter = list(blocks[waiting.pop()])
        for by_symbol in pred:
            touched: dict[int, list[int]] = {}
            for t in splitter:
                for q in by_symbol[t]:
                    touched.setdefault(block_of[q], []).append(q)
            for i, inside in touched.items():
                _split(blocks, block_of, waiting, i, inside)
    return block_of


def _split(blocks: list[set[int]], block_of: list[int], waiting: set[int], i: int,
           inside: list[int]) -> None:
    """Split block i into ``inside`` and the rest; the smaller part gets the new id, and the
    waiting set gets the new block (or, if i was not waiting, the smaller part)."""
    if len(inside) == len(blocks[i]):
        return
    inside_set = set(inside)
    outside = blocks[i] - inside_set
    small, large = (inside_set, outside) if len(inside_set) <= len(outside) else \
        (outside, inside_set)
    blocks[i] = large
    blocks.append(small)
    j = len(blocks) - 1
    for q in small:
        block_of[q] = j
    waiting.add(j)  # if i waits, both halves must; if not, the smaller one suffices


def is_minimal(dfa: DFA) -> bool:
    """Whether ``dfa`` has no unreachable and no equivalent states.

    Examples
    --------
    >>> is_minimal(complete(alphabet=("a",), states=("p",), start="p", accepting=(),
    ...                     transitions={"p": {"a": "p"}}))
    True
    """
    return len(minimize(dfa).states) == len(dfa.states)


def equivalent(a: DFA, b: DFA) -> Word | None:
    """The shortest word on which ``a`` and ``b`` disagree, or ``None`` if they accept the same
    language.

    Ties are broken in alphabet order (``a``'s symbols first, then any only ``b`` has); a symbol
    missing from one automaton's alphabet sends it to rejection.

    Notes
    -----
    Breadth-first search over pairs of states: O(|a| · |b| · k).

    Examples
    --------
    >>> ones = complete(alphabet=("0", "1"), states=("p",), start="p", accepting=("p",),
    ...                 transitions={"p": {"1": "p"}})
    >>> anything = complete(alphabet=("0", "1"), states=("p",), start="p", accepting=("p",),
    ...                     transitions={"p": {"0": "p", "1": "p"}})
    >>> equivalent(ones, anything)
    ('0',)
    >>> equivalent(ones, ones) is None
    True
    """
    symbols = a.alphabet + tuple(s for s in b.alphabet if s not in a.alphabet)
    step_a, step_b = _stepper(a, symbols), _stepper(b, symbols)
    start = (a.start, b.start)
    parent: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = {start: None}
    todo = deque([start])
    while todo:
        pair = todo.popleft()
        if _accepts(a, pair[0]) != _accepts(b, pair[1]):
            return _path(parent, pair)
        for s in symbols:
            nxt = (step_a(pair[0], s), step_b(pair[1], s))
            if nxt not in parent:
                parent[nxt] = (pair, s)
                todo.append(nxt)
    return None


_GONE = -1  # the implicit rejecting state reached on a symbol outside the alphabet


def _stepper(d: DFA, symbols: Sequence[str]) -> Callable[[int, str], int]:
    index = {s: i for i, s in enumerate(d.alphabet)}

    def step(q: int, s: str) -> int:
        if q == _GONE or s not in index:
            return _GONE
        return d.delta[q][index[s]]

    return step


def _accepts(d: DFA, q: int) -> bool:
    return q != _GONE and q in d.accepting


def _path(parent: Mapping[tuple[int, int], tuple[tuple[int, int], str] | None],
          pair: tuple[int, int]) -> Word:
    word: list[str] = []
    link = parent[pair]
    while link is not None:
        pair, s = link
        word.append(s)
        link = parent[pair]
    return tuple(reversed(word))


def rename(dfa: DFA, names: Mapping[str, str] | Callable[[str], str]) -> DFA:
    """The same automaton with states renamed (a mapping may name only some of them).

    Raises
    ------
    ValueError
        Two states would get the same name.

    Examples
    --------
    >>> d = complete(alphabet=("a",), states=("p", "q"), start="p", accepting=("q",),
    ...              transitions={"p": {"a": "q"}, "q": {"a": "p"}})
    >>> rename(d, {"p": "even"}).states
    ('even', 'q')
    """
    new = tuple(names(q) if callable(names) else names.get(q, q) for q in dfa.states)
    if len(set(new)) != len(new):
        raise ValueError(f"renaming gives duplicate state names: {list(new)}")
    return DFA(alphabet=dfa.alphabet, states=new, start=dfa.start, accepting=dfa.accepting,
               delta=dfa.delta, name=dfa.name)
