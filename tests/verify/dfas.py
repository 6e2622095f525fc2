"""DFAs for the verifier's tests, written out by hand (not produced by ssmproof.lang)."""

from ssmproof.lang.automaton import DFA

AB = ("a", "b")


def contains_aa() -> DFA:
    # states: no progress, just read a, seen aa
    return DFA(AB, ("s", "a", "aa"), 0, frozenset({2}), ((1, 0), (2, 0), (2, 2)), "contains_aa")


def last_is_a() -> DFA:
    return DFA(AB, ("not", "yes"), 0, frozenset({1}), ((1, 0), (1, 0)), "last_is_a")


def kth_last_is_a(k: int) -> DFA:
    # state = the last k letters as bits (a = 1), newest lowest
    n = 2**k
    delta = tuple((((q << 1) | 1) % n, (q << 1) % n) for q in range(n))
    accepting = frozenset(q for q in range(n) if (q >> (k - 1)) & 1)
    return DFA(AB, tuple(f"q{q:0{k}b}" for q in range(n)), 0, accepting, delta, f"kth_last_{k}")


def parity() -> DFA:
    return DFA(("0", "1"), ("even", "odd"), 0, frozenset({0}), ((0, 1), (1, 0)), "parity")


def dyck1_depth(h: int) -> DFA:
    # states 0..h = depth, h + 1 = sink
    sink = h + 1
    delta = tuple((d + 1 if d < h else sink, d - 1 if d > 0 else sink) for d in range(h + 1))
    return DFA(("(", ")"), tuple(f"d{d}" for d in range(h + 1)) + ("sink",), 0,
               frozenset({0}), delta + ((sink, sink),), f"dyck1_depth{h}")
