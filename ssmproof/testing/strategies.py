"""Hypothesis strategies for property tests: words, words in and out of L, DFAs, SSMs.

Uniform random words say little about a sparse language: almost every uniform word over
``( ) [ ]`` leaves Dyck within three symbols, so a test drawing them never sees a deep member or
a long "nearly balanced" non-member. These strategies aim at both sides of the boundary:

- :func:`words`: the length first (uniform over the range), then each symbol independently.
- :func:`words_in`: a walk through *live* states (some continuation is accepted), each step
  uniform over the symbols that can still reach acceptance within the length budget, up to a
  target length drawn uniformly from ``[0, max_length]``; then the walk heads for acceptance
  along shortest paths. Counter languages with a ``sample_member`` sampler use it.
- :func:`words_not_in`: one of three generators, chosen uniformly: a member with one symbol
  inserted, deleted or replaced (kept only if rejected: near misses such as ``(()`` or ``())``);
  a live prefix that stops unfinished or takes a symbol into a dead state and then continues
  uniformly; a uniform word (kept if rejected). Every result is checked against the language.
- :func:`dfas`: random complete DFAs, optionally minimal, aperiodic (by construction) or
  non-aperiodic (a planted cyclic group).
- :func:`ssms`: random valid constructions of a gate class and size, via
  :func:`ssmproof.testing.random_ssm.random_ssm`.

Every strategy shrinks towards shorter words and earlier symbols (the alphabet's order), so a
failure found with them is reported small; for the *shortest* counterexample use the exhaustive
pre-check of :mod:`ssmproof.testing.asserts`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import cast

from hypothesis import assume
from hypothesis import strategies as st

from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import DFA, Language, Word, distance_to_accept, states_along
from ssmproof.ssm.program import SSM
from ssmproof.testing._inputs import LanguageLike, as_language

__all__ = ["words", "words_in", "words_not_in", "dfas", "ssms", "DEFAULT_MAX_LENGTH"]

DEFAULT_MAX_LENGTH = 24
"""Default longest word: long enough to leave every small DFA's transient, short enough to run."""

_SEARCH_CAP = 20_000  # states a completion search may visit in an infinite-state language


# ------------------------------------------------------------------------------------- words
def words(alphabet: Sequence[str], *, min_size: int = 0, max_size: int = DEFAULT_MAX_LENGTH
          ) -> st.SearchStrategy[Word]:
    """Words over ``alphabet``: length uniform in ``[min_size, max_size]``, symbols independent.

    Unlike ``st.lists``, whose lengths cluster near a small average, the length is drawn first
    (hypothesis' bounded integers: uniform, with extra weight on the two ends), so words of the
    full requested length are common. Each symbol is uniform over ``alphabet``. Shrinks towards
    shorter words and towards the alphabet's first symbol.

    Parameters
    ----------
    alphabet : sequence of str
        The symbols (a plain string is read as its characters).
    min_size, max_size : int
        Length bounds, inclusive.

    Examples
    --------
    >>> from hypothesis import given
    >>> seen = []
    >>> @given(words(("a", "b"), max_size=3))
    ... def collect(w):
    ...     assert len(w) <= 3 and set(w) <= {"a", "b"}
    ...     seen.append(w)
    >>> collect()
    >>> len(seen) > 0
    True
    """
    symbols = _alphabet(alphabet)
    if not 0 <= min_size <= max_size:
        raise SsmproofError(f"words: min_size={min_size}, max_size={max_size}: need "
                            "0 <= min_size <= max_size")
    return st.integers(min_size, max_size).flatmap(
        lambda n: st.lists(st.sampled_from(symbols), min_size=n, max_size=n).map(tuple))


def _alphabet(alphabet: Sequence[str]) -> tuple[str, ...]:
    symbols = tuple(alphabet)
    if not symbols or len(set(symbols)) != len(symbols):
        raise SsmproofError(f"alphabet: {list(symbols)} must be non-empty without repeats; "
                            "list each symbol once")
    return symbols


# ------------------------------------------------------------------------------- distances
class _Distance:
    """Shortest distance from a language state to acceptance (None: cannot accept).

    DFAs get the exact table by one reverse BFS. Infinite-state languages get a forward BFS per
    state, memoised and capped: ``limit`` bounds the depth searched, ``_SEARCH_CAP`` the states.
    """

    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.table = distance_to_accept(lang) if isinstance(lang, DFA) else None
        self.memo: dict[Hashable, tuple[int, int | None]] = {}  # q -> (depth searched, result)

    def __call__(self, q: Hashable, limit: int) -> int | None:
        if self.table is not None:
            d = self.table[cast(int, q)]
        else:
            searched, d = self.memo.get(q, (-1, None))
            if d is None and searched < limit:
                d = _forward_distance(self.lang, q, limit)
                self.memo[q] = (limit, d)
        return d if d is not None and d <= limit else None


def _forward_distance(lang: Language, q: Hashable, limit: int) -> int | None:
    """BFS from ``q`` for an accepting state within ``limit`` steps (live states only)."""
    if lang.accepts_state(q):
        return 0
    seen, frontier = {q}, [q]
    for depth in range(1, limit + 1):
        nxt = []
        for s in frontier:
            for a in range(len(lang.alphabet)):
                t = lang.step(s, a)
                if t in seen or not lang.is_live(t):
                    continue
                if lang.accepts_state(t):
                    return depth
                seen.add(t)
                nxt.append(t)
        if not nxt or len(seen) > _SEARCH_CAP:
            return None
        frontier = nxt
    return None


# ---------------------------------------------------------------------------- words in L
def words_in(language: LanguageLike, max_length: int = DEFAULT_MAX_LENGTH
             ) -> st.SearchStrategy[Word]:
    """Words of ``language`` of length at most ``max_length``, long ones included.

    Distribution. A target length ``T`` is drawn uniformly from ``[0, max_length]``. A walk
    starts in the initial state; while shorter than ``T`` each step picks, uniformly, one of the
    symbols whose successor can still reach acceptance within the remaining budget (so the walk
    never strays into a dead state and always fits in ``max_length``); from length ``T`` on it
    only takes symbols that shorten the distance to acceptance, and stops at the first accepting
    state. Lengths are therefore spread over the whole range (a member needs at least its
    distance to acceptance), and deep words appear: a Dyck walk wanders up and down in depth.
    This is uniform over *choices*, not over words of a length.

    Counter languages that offer ``sample_member(rng, max_length)`` (:mod:`ssmproof.lang.counters`)
    are sampled by it instead, with its length bound drawn uniformly from ``[s, max_length]``
    (``s``: the shortest member's length) and a hypothesis-driven ``random.Random`` as ``rng``,
    so the words still shrink; their distribution is the sampler's (for Dyck-like languages:
    uniform over balanced words of a length, one time in four forced deep). Other
    infinite-state languages use the walk, with distances found by a capped breadth-first
    search.

    Raises :class:`~ssmproof.errors.SsmproofError` when the language has no word of length at
    most ``max_length`` (nothing to draw).

    Examples
    --------
    >>> from hypothesis import given
    >>> from ssmproof.lang.automaton import DFA
    >>> even_a = DFA(("a", "b"), ("even", "odd"), 0, frozenset({0}), ((1, 0), (0, 1)))
    >>> @given(words_in(even_a, 10))
    ... def members_have_even_a(w):
    ...     assert w.count("a") % 2 == 0 and len(w) <= 10
    >>> members_have_even_a()
    """
    lang = as_language(language)
    _check_length(max_length, "words_in")
    dist = _Distance(lang)
    shortest = dist(lang.initial(), max_length)
    if shortest is None:
        raise SsmproofError(f"words_in: '{lang.name}' has no word of length <= {max_length}; "
                            "raise max_length or check the language")
    sampler = getattr(lang, "sample_member", None)
    if sampler is not None and not isinstance(lang, DFA):
        return _sampled_members(lang, sampler, shortest, max_length)
    return _walk_members(lang, dist, max_length)


def _check_length(max_length: int, where: str) -> None:
    if not isinstance(max_length, int) or max_length < 0:
        raise SsmproofError(f"{where}: max_length={max_length!r}: give a whole number >= 0")


def _walk_members(lang: Language, dist: _Distance, max_length: int) -> st.SearchStrategy[Word]:
    @st.composite
    def member(draw: Callable) -> Word:
        target = draw(st.integers(0, max_length))
        q: Hashable = lang.initial()
        word: list[str] = []
        while True:
            options = _feasible(lang, dist, q, max_length - len(word) - 1,
                                home=len(word) >= target)
            if (len(word) >= target and lang.accepts_state(q)) or not options:
                break
            a = draw(st.sampled_from(options))
            q = lang.step(q, a)
            word.append(lang.alphabet[a])
        assume(lang.accepts_state(q))  # fails only when an infinite-state search hit its cap
        return tuple(word)

    return member()


def _feasible(lang: Language, dist: _Distance, q: Hashable, budget: int, *, home: bool
              ) -> list[int]:
    """Symbols whose successor still reaches acceptance within ``budget`` (closer, if ``home``)."""
    if budget < 0:
        return []
    out = [a for a in range(len(lang.alphabet)) if dist(lang.step(q, a), budget) is not None]
    if home:
        here = dist(q, budget + 1)
        closer = [a for a in out if here is not None and
                  (dist(lang.step(q, a), budget) or 0) < here]
        return closer or out
    return out


def _sampled_members(lang: Language, sampler: Callable, shortest: int, max_length: int
                     ) -> st.SearchStrategy[Word]:
    """``sample_member(rng, bound)`` with a hypothesis-driven ``random.Random`` (so it shrinks)."""
    bounds = st.integers(shortest, max_length)
    return (st.tuples(bounds, st.randoms(use_true_random=False))
            .map(lambda args: tuple(sampler(args[1], args[0])))
            .filter(lambda w: len(w) <= max_length and _member(lang, w)))


def _member(lang: Language, word: Sequence[str]) -> bool:
    return bool(lang.accepts_state(states_along(lang, word)[-1]))


# ------------------------------------------------------------------------ words not in L
def words_not_in(language: LanguageLike, max_length: int = DEFAULT_MAX_LENGTH
                 ) -> st.SearchStrategy[Word]:
    """Words of length at most ``max_length`` that ``language`` rejects, near misses included.

    Distribution. One of three generators, chosen uniformly (shrinking prefers the first):

    1. *mutation*: a member drawn by :func:`words_in` (bound ``max_length - 1`` when the
       language has short enough members, so an insertion fits), then one edit at a drawn position
       — insert, delete or replace one symbol, the kind and the symbol drawn too; if that edit
       leaves the word in the language, the other edits are tried in order from there, and the
       first rejected one is kept. These are the hard cases: ``(()``, ``())``, ``([)]``.
    2. *live prefix*: a walk through live states for a target length uniform in
       ``[0, max_length]`` (as in :func:`words_in`); if the prefix reached is rejected it is
       returned (an unfinished word), otherwise a symbol into a dead state is taken (where one
       exists) followed by a uniform tail up to the target length.
    3. *uniform*: a word as drawn by :func:`words` with ``max_size=max_length``.

    Whatever a generator returns is checked against the language; when it is a member (e.g. the
    language has no dead state) the next generator is tried, and the draw is discarded only if
    all three fail. For a DFA, the strategy refuses a language that accepts every word up to
    ``max_length`` (raises :class:`~ssmproof.errors.SsmproofError`).

    Examples
    --------
    >>> from hypothesis import given
    >>> from ssmproof.lang.automaton import DFA
    >>> even_a = DFA(("a", "b"), ("even", "odd"), 0, frozenset({0}), ((1, 0), (0, 1)))
    >>> @given(words_not_in(even_a, 10))
    ... def non_members_have_odd_a(w):
    ...     assert w.count("a") % 2 == 1 and len(w) <= 10
    >>> non_members_have_odd_a()
    """
    lang = as_language(language)
    _check_length(max_length, "words_not_in")
    if isinstance(lang, DFA) and not _rejects_some(lang, max_length):
        raise SsmproofError(f"words_not_in: '{lang.name}' accepts every word of length <= "
                            f"{max_length}; raise max_length or check the language")
    dist = _Distance(lang)
    has_members = dist(lang.initial(), max_length) is not None
    member_bound = max_length - 1 if dist(lang.initial(), max_length - 1) is not None \
        else max_length
    members = words_in(lang, member_bound) if has_members and member_bound >= 0 else None
    uniform = words(lang.alphabet, max_size=max_length)

    @st.composite
    def non_member(draw: Callable) -> Word:
        first = draw(st.integers(0, 2))
        for k in range(3):
            kind = (first + k) % 3
            word = None
            if kind == 0 and members is not None:
                word = _mutate(draw, lang, draw(members), max_length)
            elif kind == 1 and has_members:
                word = _live_prefix_out(draw, lang, dist, max_length)
            elif kind == 2:
                word = draw(uniform)
            if word is not None and len(word) <= max_length and not _member(lang, word):
                return word
        assume(False)  # every generator failed: discard this draw
        raise AssertionError("unreachable")

    return non_member()


def _rejects_some(dfa: DFA, max_length: int) -> bool:
    """Some state reachable within ``max_length`` steps is rejecting (BFS by depth)."""
    seen, frontier = {dfa.start}, [dfa.start]
    for depth in range(max_length + 1):
        if any(q not in dfa.accepting for q in frontier):
            return True
        frontier = [t for q in frontier for t in dfa.delta[q] if t not in seen]
        seen.update(frontier)
        if not frontier:
            return False
    return False


_EDITS = ("replace", "delete", "insert")


def _mutate(draw: Callable, lang: Language, member: Word, max_length: int) -> Word | None:
    """One-symbol edits of ``member`` tried from a drawn start; the first rejected one wins."""
    k, n = len(lang.alphabet), len(member)
    candidates = [(e, i, a) for e in _EDITS for i in range(n + 1) for a in range(k)
                  if _edit_ok(e, i, a, member, lang, max_length)]
    if not candidates:
        return None
    start = draw(st.integers(0, len(candidates) - 1))
    states = states_along(lang, member)
    for j in range(len(candidates)):
        e, i, a = candidates[(start + j) % len(candidates)]
        word = _apply(e, i, lang.alphabet[a], member)
        if not _accepts_from(lang, states[i], word[i:]):
            return word
    return None


def _edit_ok(edit: str, i: int, a: int, member: Word, lang: Language, max_length: int) -> bool:
    if edit == "insert":
        return len(member) < max_length
    if i >= len(member):
        return False
    if edit == "delete":
        return a == 0  # one delete per position
    return member[i] != lang.alphabet[a]


def _apply(edit: str, i: int, symbol: str, member: Word) -> Word:
    if edit == "insert":
        return member[:i] + (symbol,) + member[i:]
    if edit == "delete":
        return member[:i] + member[i + 1:]
    return member[:i] + (symbol,) + member[i + 1:]


def _accepts_from(lang: Language, q: Hashable, suffix: Sequence[str]) -> bool:
    index = {s: j for j, s in enumerate(lang.alphabet)}
    for s in suffix:
        q = lang.step(q, index[s])
    return bool(lang.accepts_state(q))


def _live_prefix_out(draw: Callable, lang: Language, dist: _Distance, max_length: int
                     ) -> Word | None:
    """A live prefix that stops unfinished, or leaves through a dead state and goes on."""
    target = draw(st.integers(0, max_length))
    q: Hashable = lang.initial()
    word: list[str] = []
    while len(word) < target:
        options = [a for a in range(len(lang.alphabet)) if lang.is_live(lang.step(q, a))]
        if not options:
            break
        a = draw(st.sampled_from(options))
        q = lang.step(q, a)
        word.append(lang.alphabet[a])
    if not lang.accepts_state(q) and draw(st.booleans()):
        return tuple(word)
    if len(word) >= max_length:
        return None
    dead = [a for a in range(len(lang.alphabet)) if not lang.is_live(lang.step(q, a))]
    if not dead:
        return None if lang.accepts_state(q) else tuple(word)
    word.append(lang.alphabet[draw(st.sampled_from(dead))])
    tail = draw(st.integers(0, max(0, target - len(word))))
    word.extend(draw(st.sampled_from(lang.alphabet)) for _ in range(tail))
    return tuple(word)


# --------------------------------------------------------------------------------- DFAs
def dfas(states: int | tuple[int, int] = (1, 8), symbols: int | tuple[int, int] = (2, 3), *,
         minimal: bool = False, aperiodic: bool | None = None) -> st.SearchStrategy[DFA]:
    """Random complete DFAs over the symbols ``a``, ``b``, ... with states ``q0``, ``q1``, ...

    Distribution. The number of states ``n`` and of symbols ``k`` are drawn uniformly from their
    ranges; the start is ``q0``.

    - ``aperiodic=None``: every transition uniform over the ``n`` states, each state accepting
      with probability 1/2.
    - ``aperiodic=True`` is built, never filtered (only about 5 in 19,000 uniform 12-state binary
      minimal DFAs are aperiodic): a minimal aperiodic DFA from
      :func:`ssmproof.algebra.random_aperiodic.random_aperiodic_dfa` (a random reset cascade or a
      nearly ordered automaton, minimised), seeded by a drawn 32-bit seed. Unless ``minimal``,
      it is drawn with ``n - e`` states for ``e`` uniform in ``[0, n - 1]`` and then ``e`` drawn
      states are split in two (the copy gets the same row and acceptance; the edges into the state
      on one symbol from the copies of one original state are moved to the copy together, with
      probability 1/2). A split never breaks aperiodicity: copies keep identical rows, so after a
      non-empty word the state reached depends only on the original of the state it came from.
      For one symbol the minimal DFA is a chain ``q0 → q1 → ... → q(n-1)`` with a self-loop at
      the end and random acceptance, the last two states differing (the minimal DFA of every
      unary aperiodic language has this shape).
    - ``aperiodic=False``: a uniform DFA (``n >= 2``) into which a cyclic group is planted: a
      drawn symbol permutes a drawn set of ``p`` reachable states (``2 <= p <= 4``) cyclically,
      the first of them accepting and the others rejecting. The orbit of that state under the
      symbol is a cycle of length exactly ``p`` even after minimization, so the language is not
      star-free.

    ``minimal=True`` minimizes the result (:func:`ssmproof.lang.dfa.minimize`: the sink, if any,
    is kept, so DFAs stay complete) and keeps those with at least ``states[0]`` states: sizes may
    fall below ``n``, never below the requested minimum. (The aperiodic ones have exactly ``n``.)

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(dfas(states=(2, 4), symbols=2))
    ... def complete(d):
    ...     assert 2 <= len(d.states) <= 4 and d.alphabet == ("a", "b")
    ...     assert all(len(row) == 2 for row in d.delta)
    >>> complete()
    """
    lo, hi = _range(states, "states", 1)
    klo, khi = _range(symbols, "symbols", 1)
    if khi > 26:
        raise SsmproofError(f"dfas: symbols={symbols!r}: at most 26 symbols (a..z)")
    if aperiodic is False:
        if hi < 2:
            raise SsmproofError("dfas: aperiodic=False needs at least 2 states; "
                                "give states=(2, ...)")
        lo = max(lo, 2)
    sizes = st.tuples(st.integers(lo, hi), st.integers(klo, khi))
    if aperiodic is True:
        return sizes.flatmap(lambda nk: _aperiodic_dfa(*nk, minimal=minimal))
    build = _uniform_dfa if aperiodic is None else _periodic_dfa
    strategy = sizes.flatmap(lambda nk: build(*nk))
    if minimal:
        strategy = strategy.map(_minimize).filter(lambda d: len(d.states) >= lo)
    return strategy


def _range(value: int | tuple[int, int], field: str, least: int) -> tuple[int, int]:
    lo, hi = (value, value) if isinstance(value, int) else tuple(value)
    if not least <= lo <= hi:
        raise SsmproofError(f"{field}={value!r}: give n or (lo, hi) with {least} <= lo <= hi")
    return lo, hi


def _make(delta: Sequence[Sequence[int]], accepting: Sequence[bool], name: str) -> DFA:
    n, k = len(delta), len(delta[0])
    return DFA(alphabet=tuple("abcdefghijklmnopqrstuvwxyz"[:k]),
               states=tuple(f"q{i}" for i in range(n)), start=0,
               accepting=frozenset(i for i in range(n) if accepting[i]),
               delta=tuple(tuple(row) for row in delta), name=name)


def _uniform_dfa(n: int, k: int) -> st.SearchStrategy[DFA]:
    rows = st.lists(st.lists(st.integers(0, n - 1), min_size=k, max_size=k),
                    min_size=n, max_size=n)
    flags = st.lists(st.booleans(), min_size=n, max_size=n)
    return st.builds(lambda d, f: _make(d, f, f"random_dfa_{n}x{k}"), rows, flags)


def _aperiodic_dfa(n: int, k: int, *, minimal: bool) -> st.SearchStrategy[DFA]:
    @st.composite
    def built(draw: Callable) -> DFA:
        extra = 0 if minimal else draw(st.integers(0, n - 1))
        m = n - extra
        if k == 1:  # a chain with a final self-loop; minimal iff its last two flags differ
            flags = draw(st.lists(st.booleans(), min_size=m, max_size=m))
            if m >= 2:
                flags[-1] = not flags[-2]
            dfa = _make([[min(q + 1, m - 1)] for q in range(m)], flags, "chain")
        else:
            from ssmproof.algebra import random_aperiodic

            dfa = random_aperiodic.random_aperiodic_dfa(draw(st.integers(0, 2**32 - 1)), m, k)
        delta = [list(row) for row in dfa.delta]
        flags = [q in dfa.accepting for q in range(len(delta))]
        origin = list(range(len(delta)))
        for _ in range(extra):
            _split(draw, delta, flags, origin)
        return _make(delta, flags, f"random_aperiodic_dfa_{n}x{k}")

    return built()


def _split(draw: Callable, delta: list[list[int]], flags: list[bool], origin: list[int]) -> None:
    """Add a copy of a drawn state and move some edges into it to the copy.

    ``origin[q]`` is the unsplit state ``q`` descends from. Invariant: states of one origin have
    identical rows, so the state reached after a non-empty word depends only on the origin of
    the state it started from — which keeps the monoid aperiodic. Hence an edge is moved (with
    probability 1/2) for every state of the same origin at once.
    """
    q, copy = draw(st.integers(0, len(delta) - 1)), len(delta)
    delta.append(list(delta[q]))
    flags.append(flags[q])
    origin.append(origin[q])
    groups = sorted({(origin[p], a) for p, row in enumerate(delta) for a, t in enumerate(row)
                     if t == q})
    for o, a in groups:
        if draw(st.booleans()):
            for p in range(len(delta)):
                if origin[p] == o:
                    delta[p][a] = copy


def _periodic_dfa(n: int, k: int) -> st.SearchStrategy[DFA]:
    @st.composite
    def planted(draw: Callable) -> DFA:
        base = draw(_uniform_dfa(n, k))
        delta = [list(r) for r in base.delta]
        reach = _reachable(delta)
        if len(reach) < 2:  # a one-state reachable part: send the start's first symbol to q1
            delta[0][0] = 1
            reach = _reachable(delta)
        cycle = draw(st.lists(st.sampled_from(sorted(reach)), min_size=2,
                              max_size=min(len(reach), 4), unique=True))
        letter = draw(st.integers(0, k - 1))
        flags = [q in base.accepting for q in range(n)]
        for i, q in enumerate(cycle):
            delta[q][letter] = cycle[(i + 1) % len(cycle)]
            flags[q] = i == 0
        return _make(delta, flags, f"random_periodic_dfa_{n}x{k}")

    return planted()


def _reachable(delta: Sequence[Sequence[int]]) -> set[int]:
    seen, todo = {0}, [0]
    while todo:
        q = todo.pop()
        for t in delta[q]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def _minimize(dfa: DFA) -> DFA:
    from ssmproof.lang import dfa as dfa_ops

    return dfa_ops.minimize(dfa)


# --------------------------------------------------------------------------------- SSMs
def ssms(alphabet: Sequence[str], *, gate_class: str = "nonnegative",
         layers: int | tuple[int, int] = (1, 2), width: int | tuple[int, int] = (1, 2),
         lag: bool | None = None, mlp: bool | None = None, mode: str = "recognize"
         ) -> st.SearchStrategy[SSM]:
    """Random valid constructions over ``alphabet`` with gates of one class, via ``random_ssm``.

    Distribution. The number of layers is drawn from ``layers`` (hypothesis' bounded integers);
    ``lag`` and ``mlp``, when None, are fair coin flips; a 32-bit seed is drawn and everything
    else is :func:`ssmproof.testing.random_ssm.random_ssm`'s, from that seed: each layer's width
    (uniform over ``width``), which dims a gate reads and the exact rational weights, with gates
    equal to 1 (counters) and 0 (resets) drawn often and every gate value in [0, 1]
    (``nonnegative``) or [-1, 1] (``signed``) by construction. These shrink by layer count,
    flags and seed, not weight by weight.

    Parameters
    ----------
    alphabet : sequence of str
    gate_class : {"nonnegative", "signed"}
    layers, width : int or (lo, hi)
    lag, mlp : bool or None
        Force the lag view / the per-layer MLP on or off; None draws them.
    mode : {"recognize", "predict"}

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from ssmproof.sim.machine import Machine
    >>> @settings(max_examples=5)
    ... @given(ssms(("a", "b"), layers=1))
    ... def runs(ssm):
    ...     assert len(ssm.layers) == 1
    ...     Machine(ssm).decisions(["a", "b"])
    >>> runs()
    """
    from ssmproof.testing import random_ssm as module

    symbols = _alphabet(alphabet)
    if gate_class not in module.GATE_CLASSES:
        raise SsmproofError(f"ssms: gate_class={gate_class!r}: choose one of "
                            f"{list(module.GATE_CLASSES)}")
    if mode not in ("recognize", "predict"):
        raise SsmproofError(f"ssms: mode={mode!r}: choose 'recognize' or 'predict'")
    llo, lhi = _range(layers, "layers", 1)
    wlo, whi = _range(width, "width", 1)
    flag = st.booleans()

    def build(args: tuple[int, bool, bool, int]) -> SSM:
        n_layers, use_lag, use_mlp, seed = args
        return module.random_ssm(seed, symbols, layers=n_layers, width=(wlo, whi),
                                 gate_class=gate_class, lag=use_lag, mlp=use_mlp, mode=mode,
                                 name=f"random_{gate_class}_{seed}")

    return st.tuples(st.integers(llo, lhi), flag if lag is None else st.just(lag),
                     flag if mlp is None else st.just(mlp),
                     st.integers(0, 2**32 - 1)).map(build)
