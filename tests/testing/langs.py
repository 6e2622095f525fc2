"""Languages and constructions for the testing kit's own tests, written out by hand.

Each membership rule is stated in words; none is produced by ssmproof.lang, so a bug there
cannot agree with itself here.
"""

from __future__ import annotations

import itertools

from ssmproof.lang.automaton import DFA
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok

AB = ("a", "b")
PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("<", ">"))


def dyck(k: int, h: int) -> DFA:
    # well-nested words over k bracket pairs, depth never above h; a state is the open stack
    pairs = PAIRS[:k]
    alphabet = tuple(s for p in pairs for s in p)
    stacks = [()] + [s for d in range(1, h + 1) for s in itertools.product(range(k), repeat=d)]
    index = {s: i for i, s in enumerate(stacks)}
    sink = len(stacks)
    rows = []
    for s in stacks:
        row = []
        for j, (opener, _) in enumerate(pairs):
            row.append(index[s + (j,)] if len(s) < h else sink)
            row.append(index[s[:-1]] if s and s[-1] == j else sink)
        rows.append(tuple(row))
    rows.append((sink,) * len(alphabet))
    names = tuple("".join(pairs[j][0] for j in s) or "empty" for s in stacks) + ("sink",)
    return DFA(alphabet, names, 0, frozenset({0}), tuple(rows), f"dyck:{k},{h}")


def even_a() -> DFA:
    # words over {a, b} with an even number of a's (ε included); no dead state
    return DFA(AB, ("even", "odd"), 0, frozenset({0}), ((1, 0), (0, 1)), "even_a")


def ends_in_a() -> DFA:
    # words over {a, b} whose last symbol is a
    return DFA(AB, ("other", "last_a"), 0, frozenset({1}), ((1, 0), (1, 0)), "ends_in_a")


def contains_aa() -> DFA:
    # words over {a, b} with two consecutive a's
    return DFA(AB, ("none", "a", "aa"), 0, frozenset({2}), ((1, 0), (2, 0), (2, 2)),
               "contains_aa")


def exactly(word: tuple[str, ...], alphabet: tuple[str, ...] = AB) -> DFA:
    # the single word `word`: a chain, then a sink
    n = len(word)
    rows = [tuple(i + 1 if i < n and word[i] == s else n + 1 for s in alphabet)
            for i in range(n + 1)]
    rows.append((n + 1,) * len(alphabet))
    return DFA(alphabet, tuple(f"p{i}" for i in range(n + 1)) + ("sink",), 0, frozenset({n}),
               tuple(rows), "exactly_" + "".join(word))


def everything() -> DFA:
    # every word over {a, b}
    return DFA(AB, ("all",), 0, frozenset({0}), ((0, 0),), "everything")


def nothing() -> DFA:
    # no word at all
    return DFA(AB, ("none",), 0, frozenset(), ((0, 0),), "nothing")


def doubling_counter() -> SSM:
    """h ← 2h + 1 on every symbol, accept iff h > 0 (the non-empty words); exact arithmetic is
    right at every length, float16 overflows once h = 2^16 - 1 is rounded (length 16)."""
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: 2}},
                  input={"L1.h": {tok("a"): 1, tok("b"): 1}}, export=("L1.h",))
    return SSM("doubling", Mode.RECOGNIZE, AB, default_embedding(AB), (layer,),
               accept={"L1.h": 1})
