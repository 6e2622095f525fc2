"""The language zoo: named families, their name grammar, and the listing behind ``ssmproof zoo``.

A zoo name is ``family`` or ``family:P1,P2`` with whole-number parameters. Anywhere a spec path is
accepted, a zoo name is too (:func:`ssmproof.lang.spec.load`).

=====================  ===========================================================  ==========
name                   language                                                     star-free
=====================  ===========================================================  ==========
``parity``             words over ``0 1`` with an even number of ``1`` (ε in)       no
``flipflop``           σ₁b₁…σₙbₙ, n ≥ 1, σ ∈ {w, r, i}, b ∈ {0, 1}, σ₁ = w, every     yes
                       bit after ``r`` equals the bit after the latest ``w``
``dyck:K,H``           well-nested words over K bracket pairs, depth ≤ H (ε in);     yes
                       pairs ``() [] {} <>`` for K ≤ 4, tokens ``(1 )1 … (K )K``
                       for K ≥ 5
``tomita:N``           Tomita's language N (1–7), PAPER §5                           1,2,4,7
``aa_star``            (aa)* over ``a``                                              no
``aaaa_star``          (aaaa)* over ``a``                                            no
``abab_star``          (abab)* over ``a b``                                          no
``D2`` ``D3`` ``D4``   D_n = (a D_{n−1} b)*, D_0 = ε, over ``a b``                   yes
``D12``
``aabbccddee``         aa*bb*cc*dd*ee* over ``a b c d e``                            yes
``abdbc``              {a,b}*d{b,c}* over ``a b c d``                                yes
``zero_one_two_02``    {0,1,2}*02* over ``0 1 2``                                    yes
``dyck1``              balanced words over ``( )`` (not regular)                     —
``shuffle:K``          K interleaved Dyck-1 pairs, 1 ≤ K ≤ 7 (not regular)            —
``boolean:N``          prefix Boolean expressions, N operators, 1 ≤ N ≤ 5            —
``anbn`` ``anbncn``    aⁿbⁿ, aⁿbⁿcⁿ, aⁿbⁿcⁿdⁿ with n ≥ 1 (not regular)                 —
``anbncndn``
=====================  ===========================================================  ==========

:func:`language` builds the language: a :class:`~ssmproof.lang.automaton.DFA` for ``parity``,
``flipflop``, ``tomita:N`` and the Bhattamishra names; a :class:`BoundedDyck` step function for
``dyck:K,H`` (regular, but with Σ_{d≤H} K^d states it is materialised only on demand, by
:func:`ssmproof.lang.dfa.from_language`); a counter language from
:mod:`ssmproof.lang.counters` for the non-regular names.

References
----------
M. Tomita, "Dynamic construction of finite automata from examples using hill-climbing", 1982.
S. Bhattamishra, K. Ahuja, N. Goyal, "On the Ability and Limitations of Transformers to Recognize
Formal Languages", EMNLP 2020. B. Liu et al., "Exposing Attention Glitches with Flip-Flop Language
Modeling", NeurIPS 2023. J. Hewitt et al., "RNNs can generate bounded hierarchical languages with
optimal memory", EMNLP 2020. Y. Sarrof, Y. Veitsman, M. Hahn, "The Expressive Capacity of State
Space Models: A Formal Language Perspective", NeurIPS 2024, arXiv 2405.17394, §5 and Theorem 6.

Examples
--------
>>> language("tomita:2").accepts(("1", "0", "1", "0"))
True
>>> spec("dyck:2,3").alphabet
('(', ')', '[', ']')
>>> spec("tomita:9")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ssmproof.errors.SpecError: tomita:9: N: 9 is outside 1..7; write tomita:N with N from 1 to 7, ...
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ssmproof.errors import SpecError
from ssmproof.lang import counters, dfa
from ssmproof.lang.automaton import DFA, Language, Word
from ssmproof.lang.counters import DEAD, Rng
from ssmproof.lang.spec_type import MAX_SYMBOLS, Spec

__all__ = [
    "Family",
    "Parameter",
    "BoundedDyck",
    "parity",
    "flipflop",
    "tomita",
    "dyck",
    "dyck_alphabet",
    "bhattamishra",
    "BHATTAMISHRA",
    "spec",
    "language",
    "names",
    "zoo_listing",
]


# --------------------------------------------------------------------------------------------
# Regular families built as DFAs
# --------------------------------------------------------------------------------------------


def parity() -> DFA:
    """PARITY: words over ``0 1`` with an even number of ``1`` (ε accepted).

    Examples
    --------
    >>> [parity().accepts(w) for w in ["", "1", "101", "0110"]]
    [True, False, True, True]
    """
    return dfa.complete(alphabet=("0", "1"), states=("even", "odd"), start="even",
                        accepting=("even",), name="parity",
                        transitions={"even": {"0": "even", "1": "odd"},
                                     "odd": {"0": "odd", "1": "even"}})


def flipflop() -> DFA:
    """The flip-flop language: σ₁b₁…σₙbₙ with n ≥ 1, σₖ ∈ {w, r, i}, bₖ ∈ {0, 1}, σ₁ = w, and
    every bit after ``r`` equal to the bit after the latest ``w`` (bits after ``i`` are free;
    ε is rejected). States remember the stored bit and what the next symbol must be.

    Examples
    --------
    >>> ff = flipflop()
    >>> ff.accepts("w1r1i0"), ff.accepts("w1r0"), ff.accepts("")
    (True, False, False)
    """
    table: dict[str, dict[str, str]] = {"start": {"w": "write"},
                                        "write": {"0": "stored0", "1": "stored1"}}
    for b in "01":
        table[f"stored{b}"] = {"w": "write", "r": f"read{b}", "i": f"ignore{b}"}
        table[f"read{b}"] = {b: f"stored{b}"}
        table[f"ignore{b}"] = {"0": f"stored{b}", "1": f"stored{b}"}
    return dfa.complete(alphabet=("w", "r", "i", "0", "1"), states=tuple(table), start="start",
                        accepting=("stored0", "stored1"), transitions=table, name="flipflop")


def _tomita1() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    return {"ones": {"1": "ones"}}, ("ones",)


def _tomita2() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    return {"even": {"1": "after1"}, "after1": {"0": "even"}}, ("even",)


def _tomita3() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    # clear: no pending odd run of 1s; odd1: inside an odd run of 1s; odd1_odd0 / odd1_even0:
    # inside a run of 0s (odd / even so far) that follows an odd run of 1s.
    table = {"clear": {"0": "clear", "1": "odd1"},
             "odd1": {"0": "odd1_odd0", "1": "clear"},
             "odd1_odd0": {"0": "odd1_even0"},
             "odd1_even0": {"0": "odd1_odd0", "1": "odd1"}}
    return table, ("clear", "odd1", "odd1_even0")


def _tomita4() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    table = {"zeros0": {"0": "zeros1", "1": "zeros0"}, "zeros1": {"0": "zeros2", "1": "zeros0"},
             "zeros2": {"1": "zeros0"}}
    return table, tuple(table)


def _tomita5() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    names = {(z, o): f"zeros{'eo'[z]}_ones{'eo'[o]}" for z in (0, 1) for o in (0, 1)}
    table = {names[z, o]: {"0": names[1 - z, o], "1": names[z, 1 - o]} for (z, o) in names}
    return table, (names[0, 0],)


def _tomita6() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    table = {f"diff{d}": {"0": f"diff{(d + 1) % 3}", "1": f"diff{(d - 1) % 3}"} for d in range(3)}
    return table, ("diff0",)


def _tomita7() -> tuple[dict[str, dict[str, str]], tuple[str, ...]]:
    table = {"zeros_a": {"0": "zeros_a", "1": "ones_a"}, "ones_a": {"1": "ones_a", "0": "zeros_b"},
             "zeros_b": {"0": "zeros_b", "1": "ones_b"}, "ones_b": {"1": "ones_b"}}
    return table, tuple(table)


_TOMITA: dict[int, Callable[[], tuple[dict[str, dict[str, str]], tuple[str, ...]]]] = {
    1: _tomita1, 2: _tomita2, 3: _tomita3, 4: _tomita4, 5: _tomita5, 6: _tomita6, 7: _tomita7,
}

_TOMITA_TEXT = {
    1: "1*",
    2: "(10)*",
    3: "no odd-length maximal run of 1s immediately followed by an odd-length maximal run of "
       "0s (the final run counts)",
    4: "no 000",
    5: "an even number of 0s and an even number of 1s",
    6: "#0 - #1 is divisible by 3",
    7: "0*1*0*1*",
}


@functools.lru_cache(maxsize=None)
def tomita(n: int) -> DFA:
    """Tomita's language ``n`` (1–7) over ``0 1``, as defined in PAPER §5.

    Raises
    ------
    ValueError
        ``n`` is not in 1..7.

    Examples
    --------
    >>> t3 = tomita(3)
    >>> [t3.accepts(w) for w in ["1", "10", "100", "1011", "110"]]
    [True, False, True, False, True]
    """
    if n not in _TOMITA:
        raise ValueError(f"Tomita languages are numbered 1..7, got {n}")
    table, accepting = _TOMITA[n]()  # missing edges go to the sink
    return dfa.complete(alphabet=("0", "1"), states=tuple(table), start=next(iter(table)),
                        accepting=accepting, transitions=table, name=f"tomita{n}")


def _d_regex(n: int) -> str:
    """D_n = (a D_{n−1} b)*, D_0 = ε, as a regex."""
    return "()" if n == 0 else f"(a{_d_regex(n - 1)}b)*"


@dataclass(frozen=True, slots=True)
class _Named:
    alphabet: tuple[str, ...]
    regex: str
    description: str
    star_free: bool


BHATTAMISHRA: Mapping[str, _Named] = {
    "aa_star": _Named(("a",), "(aa)*", "(aa)*: even-length words over a", False),
    "aaaa_star": _Named(("a",), "(aaaa)*", "(aaaa)*: lengths divisible by 4, over a", False),
    "abab_star": _Named(("a", "b"), "(abab)*", "(abab)*: repetitions of abab", False),
    **{f"D{n}": _Named(("a", "b"), _d_regex(n), f"D_{n} = (a D_{n - 1} b)*, D_0 = ε: balanced "
                       f"a/b words of depth at most {n}", True) for n in (2, 3, 4, 12)},
    "aabbccddee": _Named(tuple("abcde"), "aa*bb*cc*dd*ee*", "aa*bb*cc*dd*ee*", True),
    "abdbc": _Named(tuple("abcd"), "(a|b)*d(b|c)*", "{a,b}*d{b,c}*", True),
    "zero_one_two_02": _Named(tuple("012"), "(0|1|2)*02*", "{0,1,2}*02*", True),
}
"""The Bhattamishra et al. (2020) regular languages, by short name (the paper's §5 suite)."""


@functools.lru_cache(maxsize=None)
def bhattamishra(name: str) -> DFA:
    """The minimal DFA of one of the :data:`BHATTAMISHRA` languages.

    Examples
    --------
    >>> d = bhattamishra("D2")
    >>> d.accepts("aabb"), d.accepts("aaabbb")
    (True, False)
    """
    entry = BHATTAMISHRA[name]
    from ssmproof.lang import regex  # automata-lib + networkx (0.5 s): regex entries only

    return regex.to_dfa(entry.regex, entry.alphabet, name=name, path=name)


# --------------------------------------------------------------------------------------------
# Bounded Dyck: a finite-state step function
# --------------------------------------------------------------------------------------------


def dyck_alphabet(k: int) -> tuple[str, ...]:
    """Opening then closing symbol of each of ``k`` bracket pairs.

    Examples
    --------
    >>> dyck_alphabet(2)
    ('(', ')', '[', ']')
    >>> dyck_alphabet(5)[:4]
    ('(1', ')1', '(2', ')2')
    """
    if k <= len(_PAIRS):
        return tuple(c for pair in _PAIRS[:k] for c in pair)
    return tuple(s for i in range(1, k + 1) for s in (f"({i}", f"){i}"))


_PAIRS = ("()", "[]", "{}", "<>")


@dataclass(frozen=True, slots=True)
class BoundedDyck:
    """Dyck(K, H): well-nested words over K bracket pairs with depth never above H (ε in).

    A state is the stack of open bracket types (a tuple), or :data:`~ssmproof.lang.counters.DEAD`.
    The language is regular and star-free (``known_star_free``: it is recognized by the
    nonnegative two-layer construction of Sarrof et al., Theorem 6, hence star-free by their
    Theorem 4); its minimal DFA has ``state_count()`` states, sink included.

    Examples
    --------
    >>> d = dyck(k=2, h=2)
    >>> d.accepts(("(", "[", "]", ")")), d.accepts(("(", "(", "(", ")", ")", ")"))
    (True, False)
    >>> d.state_count()
    8
    """

    k: int
    h: int
    name: str = ""
    alphabet: tuple[str, ...] = field(default=(), compare=False)
    regular = True
    known_star_free = True

    def __post_init__(self) -> None:
        if self.k < 1 or self.h < 1:
            raise ValueError(f"dyck needs K >= 1 and H >= 1, got K={self.k}, H={self.h}")
        object.__setattr__(self, "name", self.name or f"dyck_{self.k}_{self.h}")
        object.__setattr__(self, "alphabet", dyck_alphabet(self.k))

    def initial(self) -> Hashable:
        return ()

    def step(self, state: Hashable, symbol: int) -> Hashable:
        if state is DEAD:
            return DEAD
        stack: tuple[int, ...] = state  # type: ignore[assignment]
        kind, closing = divmod(symbol, 2)
        if not closing:
            return stack + (kind,) if len(stack) < self.h else DEAD
        return stack[:-1] if stack and stack[-1] == kind else DEAD

    def successors(self, state: Hashable) -> list[Hashable]:
        """``[step(state, a) for a in symbols]`` in one call (the product search expands every
        stack on all 2K symbols, most of which go to the sink).

        >>> dyck(k=2, h=2).successors((1,))
        [(1, 0), DEAD, (1, 1), ()]
        """
        out: list[Hashable] = [DEAD] * (2 * self.k)
        if state is DEAD:
            return out
        stack: tuple[int, ...] = state  # type: ignore[assignment]
        if len(stack) < self.h:
            out[0::2] = [stack + (kind,) for kind in range(self.k)]
        if stack:
            out[2 * stack[-1] + 1] = stack[:-1]
        return out

    def accepts_state(self, state: Hashable) -> bool:
        return state == ()

    def is_live(self, state: Hashable) -> bool:
        """Every stack within the depth bound can be closed."""
        return state is not DEAD

    def accepts(self, word: Sequence[str]) -> bool:
        """Membership of ``word`` (symbols by name)."""
        index = {s: i for i, s in enumerate(self.alphabet)}
        state: Hashable = ()
        for s in word:
            state = self.step(state, index[s]) if s in index else DEAD
        return self.accepts_state(state)

    def state_count(self) -> int:
        """Size of the complete minimal DFA: one state per stack of depth ≤ H, plus the sink."""
        return sum(self.k**d for d in range(self.h + 1)) + 1

    def state_name(self, state: Hashable) -> str:
        """``empty``, ``sink``, or the open brackets in order (``([``)."""
        if state is DEAD:
            return "sink"
        stack: tuple[int, ...] = state  # type: ignore[assignment]
        return "".join(self.alphabet[2 * t] for t in stack) or "empty"

    def sample_member(self, rng: Rng, max_length: int) -> Word:
        """A word of the language of even length ≤ ``max_length``: a random walk that never
        exceeds depth H and always leaves room to close; one walk in four first climbs to a
        random depth."""
        below = counters.uniform_below
        length = 2 * below(rng, max_length // 2 + 1)
        climb = below(rng, min(self.h, length // 2) + 1) if below(rng, 4) == 0 else 0
        stack: list[int] = []
        word: list[str] = []
        for t in range(length):
            left = length - t
            can_open = len(stack) < self.h and len(stack) + 1 <= left - 1
            if stack and (not can_open or (len(stack) >= climb and below(rng, 2))):
                word.append(self.alphabet[2 * stack.pop() + 1])
            else:
                stack.append(below(rng, self.k))
                word.append(self.alphabet[2 * stack[-1]])
        return tuple(word)


def dyck(*, k: int, h: int) -> BoundedDyck:
    """Dyck(K, H): K bracket pairs, depth at most H.

    Examples
    --------
    >>> dyck(k=1, h=1).accepts(("(", ")", "(", ")"))
    True
    """
    return BoundedDyck(k=k, h=h)


# --------------------------------------------------------------------------------------------
# The name grammar
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parameter:
    """One whole-number parameter of a family, with its inclusive range."""

    name: str
    low: int
    high: int
    description: str


@dataclass(frozen=True, slots=True)
class Family:
    """A zoo entry: a name, its parameters, and how to build and describe an instance."""

    name: str
    parameters: tuple[Parameter, ...]
    build: Callable[..., Any]  # → a DFA, a BoundedDyck or a counter language
    alphabet: Callable[..., tuple[str, ...]]
    title: Callable[..., str]
    description: str
    source: str
    regular: bool
    star_free: bool | None

    @property
    def pattern(self) -> str:
        """How the name is written: ``dyck:K,H``."""
        if not self.parameters:
            return self.name
        return f"{self.name}:{','.join(p.name for p in self.parameters)}"


def _fixed(value: str) -> Callable[..., str]:
    return lambda *args: value


_BHATTA_SOURCE = "Bhattamishra, Ahuja & Goyal 2020 (EMNLP); Sarrof et al. 2024, Sec. 5"


def _bhatta_family(name: str, entry: _Named) -> Family:
    return Family(name=name, parameters=(), build=functools.partial(bhattamishra, name),
                  alphabet=lambda: entry.alphabet, title=_fixed(name),
                  description=entry.description, source=_BHATTA_SOURCE, regular=True,
                  star_free=entry.star_free)


def _counter_family(name: str, build: Callable[..., Any], description: str,
                    parameters: tuple[Parameter, ...] = (),
                    title: Callable[..., str] | None = None) -> Family:
    return Family(name=name, parameters=parameters, build=build,
                  alphabet=lambda *args: build(*args).alphabet, title=title or _fixed(name),
                  description=description, source="Bhattamishra, Ahuja & Goyal 2020 (EMNLP); "
                  "Sarrof et al. 2024, Theorem 5", regular=False, star_free=None)


_K = Parameter("K", 1, MAX_SYMBOLS // 2, "number of bracket pairs")
_H = Parameter("H", 1, 1000, "maximum nesting depth")

_FAMILY_LIST: tuple[Family, ...] = (
    Family("parity", (), parity, lambda: ("0", "1"), _fixed("parity"),
           "words over 0 1 with an even number of 1s (the empty word included)",
           "Sarrof et al. 2024, Theorem 2", True, False),
    Family("flipflop", (), flipflop, lambda: ("w", "r", "i", "0", "1"), _fixed("flipflop"),
           "instruction/bit pairs starting with w; every bit after r equals the bit after the "
           "latest w (bits after i are free; the empty word is rejected)",
           "Liu et al. 2023 (NeurIPS); Sarrof et al. 2024, Theorem 1", True, True),
    Family("dyck", (_K, _H), lambda k, h: dyck(k=k, h=h), lambda k, h: dyck_alphabet(k),
           lambda k, h: f"dyck_{k}_{h}",
           "well-nested words over K bracket pairs with depth never above H (the empty word "
           "included); pairs () [] {} <> for K <= 4, tokens (1 )1 ... (K )K for K >= 5",
           "Hewitt et al. 2020; Sarrof et al. 2024, Theorem 6", True, True),
    Family("tomita", (Parameter("N", 1, 7, "which Tomita language"),), tomita,
           lambda n: ("0", "1"), lambda n: f"tomita{n}",
           "Tomita's languages over 0 1: 1: 1*; 2: (10)*; 3: no odd run of 1s followed by an odd "
           "run of 0s; 4: no 000; 5: even #0 and even #1; 6: #0 - #1 = 0 mod 3; 7: 0*1*0*1*",
           "Tomita 1982; Sarrof et al. 2024, Sec. 5", True, None),
    *(_bhatta_family(name, entry) for name, entry in BHATTAMISHRA.items()),
    _counter_family("dyck1", counters.dyck1, "balanced words over ( ) (the empty word included)"),
    _counter_family("shuffle", counters.shuffle,
                    "words whose projection onto each of the first K pairs () [] {} <> +- ab xo "
                    "is balanced", (Parameter("K", 1, 7, "number of bracket pairs"),),
                    lambda k: f"shuffle_{k}"),
    _counter_family("boolean", counters.boolean,
                    "complete prefix expressions over 0 1 and the first N operators ~ + > * ^ "
                    "(arities 1..5); the empty word excluded",
                    (Parameter("N", 1, 5, "number of operators"),), lambda n: f"boolean_{n}"),
    _counter_family("anbn", counters.anbn, "a^n b^n with n >= 1"),
    _counter_family("anbncn", counters.anbncn, "a^n b^n c^n with n >= 1"),
    _counter_family("anbncndn", counters.anbncndn, "a^n b^n c^n d^n with n >= 1"),
)

_FAMILIES: dict[str, Family] = {f.name: f for f in _FAMILY_LIST}


def names() -> tuple[str, ...]:
    """Every zoo name pattern, in listing order.

    Examples
    --------
    >>> names()[:4]
    ('parity', 'flipflop', 'dyck:K,H', 'tomita:N')
    """
    return tuple(f.pattern for f in _FAMILY_LIST)


_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?::(.*))?\Z")


def _parse(text: str) -> tuple[Family, tuple[int, ...]]:
    match = _NAME.match(text.strip())
    family = _FAMILIES.get(match.group(1)) if match else None
    if match is None or family is None:
        raise SpecError(text, "", "unknown language name", _suggest(text))
    raw = match.group(2)
    args = () if raw is None else tuple(a.strip() for a in raw.split(","))
    if len(args) != len(family.parameters):
        raise SpecError(text, "", _count_problem(family, len(args)), _usage(family))
    return family, tuple(_argument(text, family, p, a) for p, a in zip(family.parameters, args))


def _count_problem(family: Family, given: int) -> str:
    want = len(family.parameters)
    if not want:
        return f"'{family.name}' takes no parameters"
    return f"'{family.name}' needs {want} parameter{'s' * (want > 1)} ({family.pattern}), " \
           f"got {given}"


def _argument(text: str, family: Family, p: Parameter, raw: str) -> int:
    if not re.fullmatch(r"[0-9]+", raw):
        raise SpecError(text, p.name, f"'{raw}' is not a whole number", _usage(family))
    value = int(raw)
    if not p.low <= value <= p.high:
        raise SpecError(text, p.name, f"{value} is outside {p.low}..{p.high}", _usage(family))
    return value


def _usage(family: Family) -> str:
    if not family.parameters:
        return f"write {family.name}"
    ranges = ", ".join(f"{p.name} from {p.low} to {p.high}" for p in family.parameters)
    example = ",".join(str(min(p.high, max(p.low, 3 - i))) for i, p in
                       enumerate(family.parameters))
    return f"write {family.pattern} with {ranges}, e.g. {family.name}:{example}"


def _suggest(text: str) -> str:
    head = text.split(":")[0]
    close = difflib.get_close_matches(head, list(_FAMILIES), n=1, cutoff=0.6)
    hint = f"; did you mean '{_FAMILIES[close[0]].pattern}'?" if close else ""
    return f"give a spec file (.json/.toml) or a zoo name (`ssmproof zoo` lists them){hint}"


def _canonical(family: Family, args: tuple[int, ...]) -> str:
    return family.name if not args else f"{family.name}:{','.join(map(str, args))}"


def spec(text: str) -> Spec:
    """The :class:`~ssmproof.lang.spec_type.Spec` of a zoo name (a ``language`` spec).

    Raises
    ------
    SpecError
        Unknown name, wrong number of parameters, or a parameter out of range.

    Examples
    --------
    >>> s = spec("dyck: 2, 3")
    >>> s.name, s.language
    ('dyck_2_3', 'dyck:2,3')
    """
    family, args = _parse(text)
    alphabet = family.alphabet(*args)
    if len(alphabet) > MAX_SYMBOLS:  # pragma: no cover - ranges keep alphabets in bounds
        raise SpecError(text, "", f"{len(alphabet)} symbols", "use fewer bracket types")
    return Spec(name=family.title(*args), alphabet=alphabet, description=family.description,
                source=family.source, path=text, language=_canonical(family, args))


@functools.lru_cache(maxsize=256)
def language(text: str) -> Language:
    """Build the language a zoo name denotes (see the module docstring for what each gives).

    Examples
    --------
    >>> language("parity").states
    ('even', 'odd')
    >>> language("dyck:2,3").state_count()
    16
    >>> language("shuffle:2").name
    'shuffle_2'
    """
    family, args = _parse(text)
    return family.build(*args)


def zoo_listing() -> list[dict[str, Any]]:
    """What ``ssmproof zoo --json`` prints: one entry per name pattern.

    Each entry has ``name`` (the pattern, e.g. ``dyck:K,H``), ``alphabet`` (null for a parametric
    family), ``regular``, ``star_free`` (null when it depends on the parameters, and for
    non-regular languages), ``parameters`` (a list of ``{name, min, max, description}``),
    ``description`` and ``source``.

    Examples
    --------
    >>> entry = zoo_listing()[0]
    >>> entry["name"], entry["alphabet"], entry["regular"], entry["star_free"]
    ('parity', ['0', '1'], True, False)
    """
    return [_listing_entry(f) for f in _FAMILY_LIST]


def _listing_entry(f: Family) -> dict[str, Any]:
    return {
        "name": f.pattern,
        "alphabet": None if f.parameters else list(f.alphabet()),
        "regular": f.regular,
        "star_free": f.star_free,
        "parameters": [{"name": p.name, "min": p.low, "max": p.high,
                        "description": p.description} for p in f.parameters],
        "description": f.description,
        "source": f.source,
    }

