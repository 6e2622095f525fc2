"""Transition monoids against a brute-force closure; witnesses against brute-force search."""

from __future__ import annotations

import itertools

from hypothesis import assume, given
from hypothesis import strategies as st

from ssmproof.lang import counters, dfa, monoid, zoo
from ssmproof.lang.automaton import DFA
from ssmproof.lang.monoid import Witness
from ssmproof.testing import dfas as kit_dfas
from tests.lang.dfa_strategies import dfas

Map = frozenset  # a map as the frozenset of its (state, image) pairs


def _closure(d: DFA) -> set[Map]:
    """Maps of all words: start from the identity and apply every generator to every map
    found so far, round after round, until a round adds nothing (a fixpoint, not a BFS)."""
    generators = [{q: d.delta[q][a] for q in range(len(d.states))}
                  for a in range(len(d.alphabet))]
    elements = {Map((q, q) for q in range(len(d.states)))}
    while True:
        grown = elements | {Map((q, g[t]) for q, t in f) for f in elements for g in generators}
        if grown == elements:
            return elements
        elements = grown


def _powers(f: dict[int, int]) -> list[dict[int, int]]:
    """f⁰ = id, f¹, f², … until a power repeats (the repeated one is appended last)."""
    seen = [{q: q for q in f}]
    while True:
        nxt = {q: f[seen[-1][q]] for q in f}
        seen.append(nxt)
        if nxt in seen[:-1]:
            return seen


def _brute_aperiodic_index(elements: set[Map]) -> int | None:
    worst = 0
    for m in elements:
        powers = _powers(dict(m))
        first = powers.index(powers[-1])
        if len(powers) - 1 - first != 1:  # the powers cycle with period > 1
            return None
        worst = max(worst, first)
    return worst


@given(dfas(max_states=5, max_symbols=3))
def test_monoid_size_matches_a_brute_force_closure(d: DFA) -> None:
    m = monoid.transition_monoid(d)
    assert m.size == len(_closure(d))
    assert {Map(enumerate(e)) for e in m.elements} == _closure(d)


@given(dfas(max_states=5, max_symbols=3))
def test_aperiodicity_and_its_index_match_brute_force_powers(d: DFA) -> None:
    m = monoid.transition_monoid(d)
    expected = _brute_aperiodic_index(_closure(d))
    assert monoid.is_aperiodic_monoid(m) == (expected is not None)
    assert monoid.aperiodicity_index(m) == expected


@given(dfas(max_states=5, max_symbols=2), st.randoms(use_true_random=False))
def test_monoid_size_does_not_depend_on_the_order_of_states(d: DFA, rng) -> None:
    order = list(range(len(d.states)))
    rng.shuffle(order)
    assert monoid.transition_monoid(dfa.reorder(d, order)).size == monoid.transition_monoid(d).size


@given(dfas(max_states=4, max_symbols=2))
def test_each_element_word_is_the_first_word_in_shortlex_order_with_that_map(d: DFA) -> None:
    m = monoid.transition_monoid(d)
    longest = max(len(w) for w in m.words)
    assume(longest <= 9)
    first: dict[tuple[int, ...], tuple[str, ...]] = {}
    for n in range(longest + 1):
        for w in itertools.product(d.alphabet, repeat=n):
            image = tuple(_run(d, q, w) for q in range(len(d.states)))
            first.setdefault(image, w)
    assert dict(zip(m.elements, m.words)) == first
    assert m.elements[0] == tuple(range(len(d.states)))


def _run(d: DFA, q: int, word: tuple[str, ...]) -> int:
    for s in word:
        q = d.delta[q][d.alphabet.index(s)]
    return q


@given(st.lists(st.integers(0, 6), min_size=1, max_size=7))
def test_index_and_period_match_repeated_composition(raw: list[int]) -> None:
    f = tuple(x % len(raw) for x in raw)
    powers = _powers(dict(enumerate(f)))
    first = powers.index(powers[-1])
    assert monoid.index_and_period(f) == (first, len(powers) - 1 - first)


# --- witnesses ------------------------------------------------------------------------------

def _periodic_from_zero(bits: list[bool]) -> int | None:
    """Least p with bits[i] == bits[i + p] throughout, or None if no p up to half the window.

    For u wⁿ v and a DFA with n states, membership is eventually periodic with preperiod plus
    period at most n; a window of 3n + 3 bits and shifts up to half of it then decide it. (A
    longer shift would be checked on too few positions: [F, F, T, F, T, …, F] "repeats" after
    len − 1 although it is not periodic from zero.)
    """
    return next((p for p in range(1, len(bits) // 2 + 1)
                 if all(bits[i] == bits[i + p] for i in range(len(bits) - p))), None)


def _brute_witness_total(d: DFA, below: int) -> bool:
    """Is there any witness with |u| + |w| + |v| < below? (runs the DFA directly)"""
    window = 3 * len(d.states) + 3
    words = [w for n in range(below) for w in itertools.product(d.alphabet, repeat=n)]
    for u, w, v in itertools.product(words, repeat=3):
        if not w or len(u) + len(w) + len(v) >= below:
            continue
        bits = [d.accepts(u + w * n + v) for n in range(window)]
        period = _periodic_from_zero(bits)
        if period is not None and period >= 2:
            return True
    return False


# The kit's non-star-free DFAs: a drawn symbol cycles 2 to 4 reachable states, the first
# accepting and the others not, so some witness exists (not always one from the start state).
PERIODIC = kit_dfas(states=(2, 4), symbols=(1, 3), aperiodic=False)


@given(PERIODIC)
def test_witness_replays_and_none_shorter_exists(d: DFA) -> None:
    c = monoid.classify(d)
    assert c.star_free is False
    wit = c.witness
    assert wit is not None and wit.period >= 2
    n_states = c.states or 0
    bits = [d.accepts(wit.word(n)) for n in range(3 * (n_states + wit.period) + 3)]
    assert _periodic_from_zero(bits) == wit.period
    total = len(wit.u) + len(wit.w) + len(wit.v)
    assert not _brute_witness_total(d, total)


@given(dfas(max_states=5, max_symbols=2))
def test_star_free_exactly_when_no_witness(d: DFA) -> None:
    c = monoid.classify(d)
    assert (c.witness is None) == c.star_free
    assert c.states == len(dfa.minimize(d).states)


def test_replay_rejects_a_wrong_period_and_a_preperiod() -> None:
    parity = zoo.parity().accepts
    assert monoid.replay(Witness((), ("1",), (), 2), parity, up_to=20)
    assert not monoid.replay(Witness((), ("1",), (), 4), parity, up_to=20)  # not least
    assert not monoid.replay(Witness((), ("1", "1"), (), 2), parity, up_to=20)  # constant
    t3 = zoo.tomita(3).accepts  # 0ⁿ is always in Tomita 3, so u = () gives nothing
    assert not monoid.replay(Witness((), ("0",), (), 2), t3, up_to=20)


def test_partial_monoid_still_reports_a_periodic_element() -> None:
    c = monoid.classify(zoo.tomita(3), budget=5)
    assert (c.basis, c.monoid_size, c.star_free) == ("partial monoid", None, False)
    assert c.witness == Witness(("1",), ("0",), (), 2)


def test_partial_monoid_without_a_periodic_element_says_unknown() -> None:
    c = monoid.classify(zoo.language("D12"), budget=20)
    assert (c.basis, c.monoid_size, c.star_free, c.witness) == ("partial monoid", None, None, None)


def test_counter_languages_are_not_regular_and_nothing_else_is_claimed() -> None:
    c = monoid.classify(counters.shuffle(2))
    assert c.to_json_dict() == {"name": "shuffle_2", "regular": False, "states": None,
                                "monoid_size": None, "star_free": None,
                                "aperiodicity_index": None, "basis": "not regular",
                                "witness": None}


def test_large_bounded_dyck_is_star_free_by_theorem() -> None:
    c = monoid.classify(zoo.language("dyck:8,10"))
    assert (c.basis, c.star_free, c.monoid_size) == ("theorem", True, None)
    assert c.states == sum(8**d for d in range(11)) + 1


def test_classify_json_has_the_keys_of_the_cli_contract() -> None:
    out = monoid.classify(zoo.parity()).to_json_dict()
    assert out["witness"] == {"u": [], "w": ["1"], "v": [], "period": 2}
    assert {"regular", "star_free", "states", "monoid_size", "witness"} <= set(out)
