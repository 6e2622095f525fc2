"""The paper's non-regular counter languages as step functions over counter states (DESIGN §1).

Each language implements the :class:`~ssmproof.lang.automaton.Language` protocol over hashable
states (integers or tuples of counters, and the sentinel :data:`DEAD` once no continuation can
be accepted), with ``regular = False``. ``is_live`` is exact: every non-dead state can still be
completed to a word of the language. Each also offers ``accepts(word)`` and a sampler
``sample_member(rng, max_length)`` that draws words *from* the language, long and deep ones
included, for bounded checks. Alphabets are those of the Bhattamishra et al. (2020) data.

========================  ==================================================================
``dyck1``                 balanced words over ``( )`` (ε included)
``shuffle:K`` (1–7)       words whose projection onto each of the first K pairs
                          ``() [] {} <> +- ab xo`` is balanced (ε included)
``boolean:N`` (1–5)       complete prefix expressions over operands ``0 1`` and the first N
                          operators ``~ + > * ^`` (arities 1, 2, 3, 4, 5); ε excluded
``anbn``                  aⁿbⁿ, n ≥ 1; ``anbncn`` and ``anbncndn`` likewise
========================  ==================================================================

References
----------
S. Bhattamishra, K. Ahuja, N. Goyal, "On the Ability and Limitations of Transformers to
Recognize Formal Languages", EMNLP 2020. Y. Sarrof, Y. Veitsman, M. Hahn, "The Expressive
Capacity of State Space Models: A Formal Language Perspective", NeurIPS 2024, arXiv 2405.17394,
Theorem 5.

Examples
--------
>>> d = dyck1()
>>> d.accepts(("(", "(", ")", ")")), d.accepts((")", "("))
(True, False)
>>> import numpy as np
>>> w = boolean(3).sample_member(np.random.default_rng(0), 12)
>>> boolean(3).accepts(w) and 1 <= len(w) <= 12
True
"""

from __future__ import annotations

import abc
import enum
import random
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from ssmproof.lang.automaton import Word

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DEAD",
    "Dyck1",
    "Shuffle",
    "BooleanExpressions",
    "Counting",
    "dyck1",
    "shuffle",
    "boolean",
    "anbn",
    "anbncn",
    "anbncndn",
    "SHUFFLE_PAIRS",
    "BOOLEAN_OPERATORS",
    "Rng",
    "uniform_below",
]

SHUFFLE_PAIRS = ("()", "[]", "{}", "<>", "+-", "ab", "xo")
BOOLEAN_OPERATORS = ("~", "+", ">", "*", "^")  # arities 1, 2, 3, 4, 5


class _Dead(enum.Enum):
    DEAD = "dead"

    def __repr__(self) -> str:
        return "DEAD"


DEAD = _Dead.DEAD
"""The state after a symbol no word of the language can continue with."""


Rng = Union["np.random.Generator", random.Random]
"""What the samplers draw from: a seeded :class:`numpy.random.Generator` or ``random.Random``."""


def uniform_below(rng: Rng, n: int) -> int:
    """A uniform integer in [0, n) from a numpy Generator or a ``random.Random``.

    Examples
    --------
    >>> import random
    >>> 0 <= uniform_below(random.Random(0), 3) < 3
    True
    """
    if hasattr(rng, "integers"):
        return int(rng.integers(0, n))  # type: ignore[attr-defined]
    return int(rng.randrange(n))  # type: ignore[attr-defined]


def _shuffled(rng: Rng, items: list[int]) -> list[int]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):  # Fisher–Yates with the caller's generator
        j = uniform_below(rng, i + 1)
        out[i], out[j] = out[j], out[i]
    return out


def _uniform_dyck(rng: Rng, pairs: int) -> list[int]:
    """A uniformly random balanced ±1 sequence with ``pairs`` ups (the cycle lemma).

    Shuffle ``pairs`` (+1)s and ``pairs + 1`` (−1)s; the rotation starting just after the first
    minimum of the prefix sums is a Dyck path followed by one −1, which is dropped.
    """
    steps = _shuffled(rng, [1] * pairs + [-1] * (pairs + 1))
    total, low, cut = 0, 1, 0
    for i, s in enumerate(steps):
        total += s
        if total < low:
            low, cut = total, i + 1
    rotated = steps[cut:] + steps[:cut]
    return rotated[:-1]


def _dyck_path(rng: Rng, pairs: int) -> list[int]:
    """A balanced ±1 sequence: uniform three times in four, otherwise forced deep."""
    if pairs and uniform_below(rng, 4) == 0:
        depth = 1 + uniform_below(rng, pairs)
        return [1] * depth + _uniform_dyck(rng, pairs - depth) + [-1] * depth
    return _uniform_dyck(rng, pairs)


class _Counter(abc.ABC):
    """Shared behaviour of the counter languages (subclasses define the step)."""

    __slots__ = ()
    name: str
    alphabet: tuple[str, ...]
    regular = False

    @abc.abstractmethod
    def initial(self) -> Hashable: ...

    @abc.abstractmethod
    def step(self, state: Hashable, symbol: int) -> Hashable: ...

    @abc.abstractmethod
    def accepts_state(self, state: Hashable) -> bool: ...

    def is_live(self, state: Hashable) -> bool:
        """Every state but :data:`DEAD` can still be completed to a word of the language."""
        return state is not DEAD

    def run(self, word: Sequence[str]) -> Hashable:
        """The state after ``word`` (symbols by name; an unknown symbol leads to DEAD)."""
        index = {s: i for i, s in enumerate(self.alphabet)}
        state = self.initial()
        for s in word:
            state = self.step(state, index[s]) if s in index else DEAD
        return state

    def accepts(self, word: Sequence[str]) -> bool:
        """Membership of ``word``."""
        return self.accepts_state(self.run(word))

    def state_name(self, state: Hashable) -> str:
        return "dead" if state is DEAD else str(state)


@dataclass(frozen=True, slots=True)
class Dyck1(_Counter):
    """Balanced words over ``(`` ``)``; the state is the depth (number of unclosed ``(``)."""

    name: str = "dyck1"
    alphabet: tuple[str, ...] = ("(", ")")

    def initial(self) -> Hashable:
        return 0

    def step(self, state: Hashable, symbol: int) -> Hashable:
        if state is DEAD or (symbol == 1 and state == 0):
            return DEAD
        return state + (1 if symbol == 0 else -1)  # type: ignore[operator]

    def accepts_state(self, state: Hashable) -> bool:
        return state == 0

    def sample_member(self, rng: Rng, max_length: int) -> Word:
        """A balanced word of length ≤ ``max_length``: uniform or forced deep."""
        path = _dyck_path(rng, uniform_below(rng, max_length // 2 + 1))
        return tuple(self.alphabet[0] if s > 0 else self.alphabet[1] for s in path)


@dataclass(frozen=True, slots=True)
class Shuffle(_Counter):
    """Shuffle-K: each of the first K bracket pairs is balanced on its own; the state is the
    tuple of the K depths."""

    k: int = 2
    name: str = ""
    alphabet: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.k <= len(SHUFFLE_PAIRS):
            raise ValueError(f"shuffle needs 1 <= K <= {len(SHUFFLE_PAIRS)}, got {self.k}")
        object.__setattr__(self, "name", self.name or f"shuffle_{self.k}")
        symbols = tuple(c for pair in SHUFFLE_PAIRS[: self.k] for c in pair)
        object.__setattr__(self, "alphabet", symbols)

    def initial(self) -> Hashable:
        return (0,) * self.k

    def step(self, state: Hashable, symbol: int) -> Hashable:
        if state is DEAD:
            return DEAD
        depths = list(state)  # type: ignore[call-overload]
        pair, closing = divmod(symbol, 2)
        if closing and depths[pair] == 0:
            return DEAD
        depths[pair] += -1 if closing else 1
        return tuple(depths)

    def accepts_state(self, state: Hashable) -> bool:
        return state is not DEAD and not any(state)  # type: ignore[arg-type]

    def sample_member(self, rng: Rng, max_length: int) -> Word:
        """An interleaving of K independent balanced words (uniform or deep each)."""
        pairs = [0] * self.k
        for _ in range(uniform_below(rng, max_length // 2 + 1)):
            pairs[uniform_below(rng, self.k)] += 1
        paths = [_dyck_path(rng, p) for p in pairs]
        order = _shuffled(rng, [i for i, p in enumerate(paths) for _ in p])
        cursor = [0] * self.k
        word: list[str] = []
        for i in order:
            step = paths[i][cursor[i]]
            cursor[i] += 1
            word.append(self.alphabet[2 * i + (0 if step > 0 else 1)])
        return tuple(word)


@dataclass(frozen=True, slots=True)
class BooleanExpressions(_Counter):
    """Boolean-N: complete prefix expressions; the state is the number of operands still
    needed (1 at the start, 0 for a complete expression)."""

    n: int = 3
    name: str = ""
    alphabet: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.n <= len(BOOLEAN_OPERATORS):
            raise ValueError(f"boolean needs 1 <= N <= {len(BOOLEAN_OPERATORS)}, got {self.n}")
        object.__setattr__(self, "name", self.name or f"boolean_{self.n}")
        object.__setattr__(self, "alphabet", ("0", "1", *BOOLEAN_OPERATORS[: self.n]))

    def arity(self, symbol: int) -> int:
        """Operands a symbol takes: 0 for ``0``/``1``, 1..N for the operators."""
        return max(0, symbol - 1)

    def initial(self) -> Hashable:
        return 1

    def step(self, state: Hashable, symbol: int) -> Hashable:
        if state is DEAD or state == 0:
            return DEAD
        return state - 1 + self.arity(symbol)  # type: ignore[operator]

    def accepts_state(self, state: Hashable) -> bool:
        return state == 0

    def sample_member(self, rng: Rng, max_length: int) -> Word:
        """A random complete expression of length between 1 and ``max_length``."""
        if max_length < 1:
            raise ValueError(f"{self.name} has no word of length <= {max_length}")
        target, need = 1 + uniform_below(rng, max_length), 1
        word: list[str] = []
        while need:
            pick = self._next_symbol(rng, len(word), need, target)
            word.append(self.alphabet[pick])
            need += self.arity(pick) - 1
        return tuple(word)

    def _next_symbol(self, rng: Rng, length: int, need: int, target: int) -> int:
        """An operator that still lets the word end by ``target`` — always when an operand
        would end the expression early — or else, half the time, an operand."""
        fits = [s for s in range(2, len(self.alphabet)) if length + need + self.arity(s) <= target]
        early_end = need == 1 and length + 1 < target
        if fits and (early_end or uniform_below(rng, 2)):
            return fits[uniform_below(rng, len(fits))]
        return uniform_below(rng, 2)


@dataclass(frozen=True, slots=True)
class Counting(_Counter):
    """a₁ⁿ a₂ⁿ … a_mⁿ with n ≥ 1; the state is (phase, n, count of the current letter)."""

    letters: tuple[str, ...] = ("a", "b")
    name: str = ""
    alphabet: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.letters) < 2 or len(set(self.letters)) != len(self.letters):
            raise ValueError("counting needs at least two distinct letters")
        object.__setattr__(self, "name", self.name or "".join(f"{c}n" for c in self.letters))
        object.__setattr__(self, "alphabet", tuple(self.letters))

    def initial(self) -> Hashable:
        return (0, 0, 0)

    def step(self, state: Hashable, symbol: int) -> Hashable:
        if state is DEAD:
            return DEAD
        phase, n, k = _triple(state)
        if symbol == phase and (phase == 0 or k < n):
            return (phase, n + (phase == 0), k + (phase > 0))
        if symbol == phase + 1 and n > 0 and (phase == 0 or k == n):
            return (symbol, n, 1)
        return DEAD

    def accepts_state(self, state: Hashable) -> bool:
        if state is DEAD:
            return False
        phase, n, k = _triple(state)
        return phase == len(self.letters) - 1 and k == n

    def sample_member(self, rng: Rng, max_length: int) -> Word:
        """a₁ⁿ … a_mⁿ with n uniform in [1, max_length // m]."""
        m = len(self.letters)
        if max_length < m:
            raise ValueError(f"{self.name} has no word of length <= {max_length}")
        n = 1 + uniform_below(rng, max_length // m)
        return tuple(c for c in self.letters for _ in range(n))


def _triple(state: Hashable) -> tuple[int, int, int]:
    phase, n, k = state  # type: ignore[misc]
    return int(phase), int(n), int(k)  # type: ignore[has-type]


def dyck1() -> Dyck1:
    """Dyck-1 over ``(`` ``)``.

    Examples
    --------
    >>> dyck1().alphabet
    ('(', ')')
    """
    return Dyck1()


def shuffle(k: int) -> Shuffle:
    """Shuffle-K (1 ≤ K ≤ 7) over the first K pairs of :data:`SHUFFLE_PAIRS`.

    Examples
    --------
    >>> shuffle(2).alphabet
    ('(', ')', '[', ']')
    >>> shuffle(2).accepts(("(", "[", ")", "]"))
    True
    """
    return Shuffle(k=k)


def boolean(n: int) -> BooleanExpressions:
    """Boolean-N (1 ≤ N ≤ 5) over ``0 1`` and the first N of :data:`BOOLEAN_OPERATORS`.

    Examples
    --------
    >>> boolean(2).accepts(("+", "~", "0", "1")), boolean(2).accepts(("+", "0"))
    (True, False)
    """
    return BooleanExpressions(n=n)


def anbn() -> Counting:
    """aⁿbⁿ, n ≥ 1.

    Examples
    --------
    >>> [anbn().accepts(w) for w in ["ab", "aabb", "", "aab"]]
    [True, True, False, False]
    """
    return Counting(letters=("a", "b"))


def anbncn() -> Counting:
    """aⁿbⁿcⁿ, n ≥ 1.

    Examples
    --------
    >>> anbncn().accepts("aabbcc"), anbncn().accepts("aabbc")
    (True, False)
    """
    return Counting(letters=("a", "b", "c"))


def anbncndn() -> Counting:
    """aⁿbⁿcⁿdⁿ, n ≥ 1.

    Examples
    --------
    >>> anbncndn().name, anbncndn().accepts("abcd")
    ('anbncndn', True)
    """
    return Counting(letters=("a", "b", "c", "d"))
