"""The one shared case table (STYLE §4): every zoo language once.

Each case gives the language's zoo address, its spec file in ``automata/`` (if any), the paper's
star-free label, hand-derived sizes where we have them, a known witness where one is easy to see,
and a membership function written **from the definition** — regular expressions of Python's
``re`` or counting code. None of these functions touches ``ssmproof.lang`` (no DFA, no zoo, no
regex adapter), so a bug there cannot agree with itself.

Every stage's tests parametrize over :data:`CASES` with ``ids=case_id``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

Word = tuple[str, ...]
AUTOMATA = Path(__file__).resolve().parents[1] / "automata"


@dataclass(frozen=True)
class Case:
    """One zoo language and what we know about it independently of the code under test."""

    name: str
    address: str  # zoo name, accepted wherever a spec path is
    alphabet: tuple[str, ...]  # in the declared order
    member: Callable[[Word], bool]  # membership, written from the definition
    star_free: bool | None  # the paper's label; None for the non-regular counter languages
    spec_file: str | None = None  # file in automata/ describing the same language
    states: int | None = None  # complete minimal DFA, sink included (derived by hand)
    monoid_size: int | None = None  # transition monoid incl. identity (derived by hand)
    witness: tuple[Word, Word, Word, int] | None = None  # (u, w, v, period), derived by hand
    pattern: str | None = None  # an equivalent Python regex, also from the definition (bulk checks)

    @property
    def regular(self) -> bool:
        return self.star_free is not None

    @property
    def bulk_pattern(self) -> str | None:
        """A regex for checking many words at once: ``pattern``, or the membership's own."""
        return self.pattern or getattr(self.member, "pattern", None)

    @property
    def spec_path(self) -> Path | None:
        return None if self.spec_file is None else AUTOMATA / self.spec_file


def case_id(case: Case) -> str:
    return case.name


# --------------------------------------------------------------------------------------------
# Membership functions, from the definitions
# --------------------------------------------------------------------------------------------


def _pattern(regex: str) -> Callable[[Word], bool]:
    """Membership by Python's ``re`` over single-character symbols."""
    compiled = re.compile(regex)

    def member(word: Word) -> bool:
        return compiled.fullmatch("".join(word)) is not None

    member.pattern = regex  # type: ignore[attr-defined]
    return member


def parity(word: Word) -> bool:
    """An even number of 1s."""
    return word.count("1") % 2 == 0


def tomita1(word: Word) -> bool:
    """Only 1s."""
    return all(s == "1" for s in word)


def tomita3(word: Word) -> bool:
    """No odd maximal run of 1s immediately followed by an odd maximal run of 0s."""
    runs = [(s, len(list(group))) for s, group in itertools.groupby(word)]
    return not any(a == "1" and m % 2 and b == "0" and n % 2
                   for (a, m), (b, n) in zip(runs, runs[1:]))


def tomita4(word: Word) -> bool:
    """No three 0s in a row."""
    return "000" not in "".join(word)


def tomita5(word: Word) -> bool:
    """Even number of 0s and even number of 1s."""
    return word.count("0") % 2 == 0 and word.count("1") % 2 == 0


def tomita6(word: Word) -> bool:
    """#0 − #1 divisible by 3."""
    return (word.count("0") - word.count("1")) % 3 == 0


def count_a_mod(p: int) -> Callable[[Word], bool]:
    """The number of a's is divisible by p."""

    def member(word: Word) -> bool:
        return word.count("a") % p == 0

    return member


def a_even_b_mod3(word: Word) -> bool:
    """An even number of a's and a number of b's divisible by 3."""
    return word.count("a") % 2 == 0 and word.count("b") % 3 == 0


def permutation_word_problem(generators: dict[str, tuple[int, ...]]) -> Callable[[Word], bool]:
    """The letters are permutations of 0..n−1 (as image tuples); apply them to every point in
    reading order; a member sends every point back to itself."""

    def member(word: Word) -> bool:
        points = list(range(len(next(iter(generators.values())))))
        for s in word:
            points = [generators[s][p] for p in points]
        return points == sorted(points)

    return member


def bounded_balanced(opening: str, closing: str, depth: int) -> Callable[[Word], bool]:
    """a/b words with depth never below 0 or above ``depth``, ending at 0 (D_n)."""

    def member(word: Word) -> bool:
        level = 0
        for s in word:
            level += 1 if s == opening else -1
            if not 0 <= level <= depth:
                return False
        return level == 0

    return member


def flipflop(word: Word) -> bool:
    """w b (σ b)*: σ₁ = w, each bit after r equals the bit after the latest w."""
    if not word or len(word) % 2:
        return False
    instructions, bits = word[0::2], word[1::2]
    if instructions[0] != "w" or not set(instructions) <= {"w", "r", "i"}:
        return False
    if not set(bits) <= {"0", "1"}:
        return False
    stored = None
    for sigma, bit in zip(instructions, bits):
        if sigma == "w":
            stored = bit
        elif sigma == "r" and bit != stored:
            return False
    return True


def dyck_pairs(k: int) -> list[tuple[str, str]]:
    if k <= 4:
        return [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")][:k]
    return [(f"({i}", f"){i}") for i in range(1, k + 1)]


def dyck(k: int, h: int) -> Callable[[Word], bool]:
    """A stack of open brackets, never deeper than h, each closed by its own partner."""
    partner = {c: o for o, c in dyck_pairs(k)}
    openings = set(partner.values())

    def member(word: Word) -> bool:
        stack: list[str] = []
        for s in word:
            if s in openings:
                stack.append(s)
                if len(stack) > h:
                    return False
            elif s in partner and stack and stack[-1] == partner[s]:
                stack.pop()
            else:
                return False
        return not stack

    return member


SHUFFLE_PAIRS = ["()", "[]", "{}", "<>", "+-", "ab", "xo"]


def shuffle(k: int) -> Callable[[Word], bool]:
    """Each of the first k pairs, looked at alone, never closes more than it opened and ends
    balanced; no other symbol occurs."""
    role = {o: (i, 1) for i, (o, _) in enumerate(SHUFFLE_PAIRS[:k])}
    role.update({c: (i, -1) for i, (_, c) in enumerate(SHUFFLE_PAIRS[:k])})

    def member(word: Word) -> bool:
        depth = [0] * k
        for s in word:
            if s not in role:
                return False
            pair, change = role[s]
            depth[pair] += change
            if depth[pair] < 0:
                return False
        return not any(depth)

    return member


def boolean(n: int) -> Callable[[Word], bool]:
    """A prefix expression parses (recursive descent) and uses all of the word."""
    arity = {"0": 0, "1": 0, **{op: i + 1 for i, op in enumerate("~+>*^"[:n])}}

    def expression(word: Word, i: int) -> int | None:
        if i >= len(word) or word[i] not in arity:
            return None
        j: int | None = i + 1
        for _ in range(arity[word[i]]):
            j = expression(word, j) if j is not None else None
        return j

    def member(word: Word) -> bool:
        return expression(word, 0) == len(word)

    return member


def counting(letters: str) -> Callable[[Word], bool]:
    """a₁ⁿ…a_mⁿ, n ≥ 1: the word equals the blocks rebuilt from its length."""

    def member(word: Word) -> bool:
        n, rest = divmod(len(word), len(letters))
        return n >= 1 and rest == 0 and "".join(word) == "".join(c * n for c in letters)

    return member


def dyck1(word: Word) -> bool:
    """Balanced over ( ): cancel "()" until nothing changes."""
    text = "".join(word)
    if set(text) - {"(", ")"}:
        return False
    while "()" in text:
        text = text.replace("()", "")
    return text == ""


def d_monoid(n: int) -> int:
    """Monoid of D_n (= Dyck(1, n)), derived by hand: a word acts as a shift by s on an interval
    [lo, hi] of depths (lo = the word's deepest dip, n − hi its highest climb), or as the zero
    map. Shifts with −lo ≤ s ≤ n − hi, summed over 0 ≤ lo ≤ hi ≤ n, give Σ_{j=1}^{n+1} j²;
    plus the zero map."""
    return (n + 1) * (n + 2) * (2 * n + 3) // 6 + 1


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------

E: Word = ()
BIN, AB = ("0", "1"), ("a", "b")


def DYCK(k: int) -> tuple[str, ...]:  # noqa: N802 - reads like a constant in the table
    return tuple(s for pair in dyck_pairs(k) for s in pair)


CASES: tuple[Case, ...] = (
    # parity: an even number of 1s. DFA {even, odd}; monoid {identity, flip}.
    Case("parity", "parity", BIN, parity, False, "parity.toml", 2, 2, (E, ("1",), E, 2)),
    # flip-flop (DESIGN §1). DFA: start, write, stored0/1, read0/1, ignore0/1, sink = 9.
    # As a regex: blocks, each a write followed by reads of that bit and free ignores.
    Case("flipflop", "flipflop", tuple("wri01"), flipflop, True, "flipflop.json", 9,
         pattern="(?:w0(?:r0|i[01])*|w1(?:r1|i[01])*)+"),
    # Tomita 1: 1*. DFA {ones, sink}; '1' acts as the identity, '0' as the zero: monoid 2.
    Case("tomita1", "tomita:1", BIN, tomita1, True, "tomita1.json", 2, 2),
    # Tomita 2: (10)*. DFA {q0, after1, sink}; monoid = B2 with identity: 1, 0, 10, 01, zero, id.
    Case("tomita2", "tomita:2", BIN, _pattern("(10)*"), True, "tomita2.json", 3, 6),
    # Tomita 3. DFA: clear, odd1, odd1·odd0, odd1·even0, sink (an even run of 1s is "clear").
    # Witness: 1·0ⁿ is in L iff n is even (an odd run of 1s, then a final run of n zeros).
    Case("tomita3", "tomita:3", BIN, tomita3, False, "tomita3.json", 5, None,
         (("1",), ("0",), E, 2)),
    # Tomita 4: no 000. DFA: trailing zeros 0/1/2, sink. Monoid: id, 0, 00, zero (= 000), and
    # for words with a 1, one map per (a leading zeros, b trailing zeros) in {0,1,2}² (q ↦ b if
    # q + a ≤ 2, else sink): 9 maps, of which (2, 2) equals 00. 4 + 9 − 1 = 12.
    Case("tomita4", "tomita:4", BIN, tomita4, True, "tomita4.json", 4, 12),
    # Tomita 5: even #0 and even #1. Z2 × Z2: 4 states, monoid 4; 0ⁿ alternates.
    Case("tomita5", "tomita:5", BIN, tomita5, False, "tomita5.toml", 4, 4, (E, ("0",), E, 2)),
    # Tomita 6: #0 − #1 ≡ 0 (mod 3). Z3: 3 states, monoid 3; 0ⁿ has period 3.
    Case("tomita6", "tomita:6", BIN, tomita6, False, "tomita6.json", 3, 3, (E, ("0",), E, 3)),
    # Tomita 7: 0*1*0*1*. DFA: 4 phases + sink. A word with m runs starting with letter c moves
    # phase q by m−1 or m (by parity): 4 maps starting with 0, 3 with 1, zero, id = 9.
    Case("tomita7", "tomita:7", BIN, _pattern("0*1*0*1*"), True, "tomita7.json", 5, 9),
    # (aa)* over {a}: Z2.
    Case("aa_star", "aa_star", ("a",), _pattern("(aa)*"), False, "aa_star.json", 2, 2,
         (E, ("a",), E, 2)),
    # (aaaa)* over {a}: Z4.
    Case("aaaa_star", "aaaa_star", ("a",), _pattern("(aaaa)*"), False, "aaaa_star.json", 4, 4,
         (E, ("a",), E, 4)),
    # (abab)* over {a, b}: 4 positions + sink. Alternating words starting with a (4 lengths
    # mod 4) or with b (4), zero, id: 10. (ab)ⁿ is in L iff n is even.
    Case("abab_star", "abab_star", AB, _pattern("(abab)*"), False, "abab_star.json", 5, 10,
         (E, ("a", "b"), E, 2)),
    # D_n = (a D_{n-1} b)*: depths 0..n plus sink = n + 2 states; monoid by d_monoid.
    Case("D2", "D2", AB, bounded_balanced("a", "b", 2), True, "D2.json", 4, d_monoid(2)),
    Case("D3", "D3", AB, bounded_balanced("a", "b", 3), True, "D3.json", 5, d_monoid(3)),
    Case("D4", "D4", AB, bounded_balanced("a", "b", 4), True, "D4.json", 6, d_monoid(4)),
    Case("D12", "D12", AB, bounded_balanced("a", "b", 12), True, "D12.json", 14, d_monoid(12)),
    # aa*bb*cc*dd*ee*: start, last letter a..e, sink = 7. A valid word acts by its first and
    # last letter (l1 ≤ l2): 15 maps, plus id and zero = 17.
    Case("aabbccddee", "aabbccddee", tuple("abcde"), _pattern("a+b+c+d+e+"), True,
         "aabbccddee.json", 7, 17),
    # {a,b}*d{b,c}*: before d, after d, sink. b acts as the identity: id, a, c, d, zero = 5.
    Case("abdbc", "abdbc", tuple("abcd"), _pattern("[ab]*d[bc]*"), True, "abdbc.json", 3, 5),
    # {0,1,2}*02*: last non-2 symbol is 0. 2 states; 0 and 1 are constants, 2 the identity: 3.
    Case("zero_one_two_02", "zero_one_two_02", tuple("012"), _pattern("[012]*02*"), True,
         "zero_one_two_02.toml", 2, 3),
    # The group languages of issue 14: spec files only (no zoo name), so their address is the
    # file. Each is a permutation DFA (every letter permutes the states): complete, no sink,
    # minimal because each state is reached by a different group element and one state
    # accepts; its transition monoid is the group the letters generate. Witnesses (u = v = ε,
    # w the first letter): the shortest w, ties in alphabet order; the period is the order of
    # that letter in the group (counted against the membership definition).
    # #a ≡ 0 (mod 3): Z3 acting on 3 counts; a has order 3.
    Case("count_a_mod3", str(AUTOMATA / "count_a_mod3.json"), AB, count_a_mod(3), False,
         "count_a_mod3.json", 3, 3, (E, ("a",), E, 3)),
    # #a ≡ 0 (mod 5): Z5; a has order 5.
    Case("count_a_mod5", str(AUTOMATA / "count_a_mod5.json"), AB, count_a_mod(5), False,
         "count_a_mod5.json", 5, 5, (E, ("a",), E, 5)),
    # #a even and #b ≡ 0 (mod 3): Z2 × Z3 (6 elements, 6 states); a has order 2.
    Case("a_even_b_mod3", str(AUTOMATA / "a_even_b_mod3.json"), AB, a_even_b_mod3, False,
         "a_even_b_mod3.json", 6, 6, (E, ("a",), E, 2)),
    # Word problem of S3 with s = (0 1) and t = (0 1 2): s and t generate all 6 permutations;
    # s has order 2.
    Case("s3_word_problem", str(AUTOMATA / "s3_word_problem.json"), ("s", "t"),
         permutation_word_problem({"s": (1, 0, 2), "t": (1, 2, 0)}), False,
         "s3_word_problem.json", 6, 6, (E, ("s",), E, 2)),
    # Word problem of A5 with a = (0 1 2 3 4) and b = (0 1 2): a 5-cycle and a 3-cycle generate
    # A5 (60 elements); a has order 5.
    Case("a5_word_problem", str(AUTOMATA / "a5_word_problem.json"), AB,
         permutation_word_problem({"a": (1, 2, 3, 4, 0), "b": (1, 2, 0, 3, 4)}), False,
         "a5_word_problem.json", 60, 60, (E, ("a",), E, 5)),
    # Dyck(1, 3) is D_3 over ( ).
    Case("dyck_1_3", "dyck:1,3", DYCK(1), dyck(1, 3), True, None, 5, d_monoid(3)),
    # Dyck(K, H): one state per stack of depth ≤ H (Σ K^d) plus the sink.
    Case("dyck_2_3", "dyck:2,3", DYCK(2), dyck(2, 3), True, "dyck_2_3.json", 1 + 2 + 4 + 8 + 1),
    Case("dyck_3_4", "dyck:3,4", DYCK(3), dyck(3, 4), True, "dyck_3_4.json",
         1 + 3 + 9 + 27 + 81 + 1),
    Case("dyck_5_2", "dyck:5,2", DYCK(5), dyck(5, 2), True, "dyck_5_2.json", 1 + 5 + 25 + 1),
    # The counter languages (not regular).
    Case("dyck1", "dyck1", ("(", ")"), dyck1, None),
    Case("shuffle_1", "shuffle:1", ("(", ")"), shuffle(1), None),
    Case("shuffle_2", "shuffle:2", tuple("()[]"), shuffle(2), None),
    Case("boolean_1", "boolean:1", tuple("01~"), boolean(1), None),
    Case("boolean_2", "boolean:2", tuple("01~+"), boolean(2), None),
    Case("boolean_3", "boolean:3", tuple("01~+>"), boolean(3), None),
    Case("anbn", "anbn", AB, counting("ab"), None),
    Case("anbncn", "anbncn", tuple("abc"), counting("abc"), None),
    Case("anbncndn", "anbncndn", tuple("abcd"), counting("abcd"), None),
)

REGULAR = tuple(c for c in CASES if c.regular)
STAR_FREE = tuple(c for c in CASES if c.star_free)
NOT_STAR_FREE = tuple(c for c in CASES if c.star_free is False)
COUNTER = tuple(c for c in CASES if not c.regular)
WITH_FILES = tuple(c for c in CASES if c.spec_file is not None)


def words(alphabet: Sequence[str], length: int) -> itertools.product:  # type: ignore[type-arg]
    """Every word of exactly ``length`` symbols, in product (= alphabet) order."""
    return itertools.product(alphabet, repeat=length)
