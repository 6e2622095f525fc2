"""The skeleton (images, tiles, heights, transports) against brute-force definitions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssmproof.algebra.examples import contains_aa, dyck_depth, tomita4
from ssmproof.algebra.images import members, skeleton
from ssmproof.lang.automaton import DFA
from ssmproof.lang.monoid import transition_monoid
from ssmproof.testing.strategies import dfas


def sets(masks):
    return {frozenset(members(m)) for m in masks}


def brute_images(dfa: DFA) -> set[frozenset[int]]:
    """Q·w for every element of the transition monoid (identity included)."""
    return {frozenset(f) for f in transition_monoid(dfa).elements}


def brute_subduces(dfa: DFA, p: frozenset[int], r: frozenset[int]) -> bool:
    """P ≤ R iff P ⊆ R·w for some word w (the empty word included)."""
    return any(p <= {f[q] for q in r} for f in transition_monoid(dfa).elements)


def brute_tiles(extended: set[frozenset[int]], a: frozenset[int]) -> set[frozenset[int]]:
    inside = [b for b in extended if b < a]
    return {b for b in inside if not any(b < c for c in inside)}


def brute_heights(dfa: DFA, extended: set[frozenset[int]]) -> dict[frozenset[int], int]:
    """Longest strict subduction chain from a singleton (singletons have height 0)."""
    below = {
        a: [b for b in extended if brute_subduces(dfa, b, a) and not brute_subduces(dfa, a, b)]
        for a in extended
    }
    height: dict[frozenset[int], int] = {}

    def h(a: frozenset[int]) -> int:  # strict subduction is acyclic, so this terminates
        if a not in height:
            height[a] = 0 if len(a) == 1 else 1 + max(h(b) for b in below[a])
        return height[a]

    for a in extended:
        h(a)
    return height


def test_contains_aa_skeleton_by_hand() -> None:
    # contains aa: q0 -a-> q1 -a-> q2 (sink, accepting), b returns q0, q1 to q0.
    sk = skeleton(contains_aa())
    assert sets(sk.images) == {
        frozenset({0, 1, 2}),
        frozenset({1, 2}),
        frozenset({0, 2}),
        frozenset({2}),
    }
    assert sk.height == 2
    assert sets(sk.tiles[sk.full]) == {frozenset({0, 2}), frozenset({1, 2})}
    rep = sk.rep(0b110)  # {q1, q2} and {q0, q2} form one class, first found is {q1, q2}
    assert rep == sk.rep(0b101) == 0b110
    # {q1} is a tile of {q1, q2} but no image of it: {q1,q2}·w is {q2}, {q0,q2} or {q1,q2}
    assert sets(sk.tiles[rep]) == {frozenset({1}), frozenset({2})}
    assert sk.transport[0b101] == {1: 0, 2: 2}  # b carries {q1, q2} onto {q0, q2}


def test_dyck_heights_grow_with_interval_length() -> None:
    # D_m's images are the intervals [i, j] ∪ {sink}; one of length L has height L.
    for m in (2, 5):
        sk = skeleton(dyck_depth(m))
        assert sk.height == m + 1
        sink = 1 << (m + 1)
        for i in range(m + 1):
            for j in range(i, m + 1):
                interval = sum(1 << q for q in range(i, j + 1)) | sink
                assert sk.depth[interval] == sk.height - (j - i + 1) + 1


def test_tomita4_has_three_levels() -> None:
    # Images: Q, {q1,q2,s}, {q0,s}, {q2,s}, {q1,s}... and {s}; chains have 3 non-trivial links.
    assert skeleton(tomita4()).height == 3


@given(dfas(states=(2, 7), symbols=(1, 3), aperiodic=True))
def test_skeleton_matches_definitions(dfa: DFA) -> None:
    sk = skeleton(dfa)
    images = brute_images(dfa)
    assert sets(sk.images) == images
    extended = images | {frozenset({q}) for q in range(len(dfa.states))}
    for rep in sk.reps:
        assert sets(sk.tiles[rep]) == brute_tiles(extended, frozenset(members(rep)))
    heights = brute_heights(dfa, extended)
    assert sk.height == heights[frozenset(range(len(dfa.states)))]
    for mask, depth in sk.depth.items():
        assert depth == sk.height - heights[frozenset(members(mask))] + 1


@given(dfas(states=(2, 8), symbols=(2, 3), aperiodic=True))
def test_classes_are_mutual_subduction_and_transports_are_bijections(dfa: DFA) -> None:
    sk = skeleton(dfa)
    for mask, c in sk.klass.items():
        rep = sk.reps[c]
        a, r = frozenset(members(mask)), frozenset(members(rep))
        assert brute_subduces(dfa, a, r) and brute_subduces(dfa, r, a)
        moved = sk.transport[mask]
        assert set(moved) == r and set(moved.values()) == a


@given(st.sampled_from([contains_aa(), tomita4(), dyck_depth(3)]))
def test_tiles_cover_their_set(dfa: DFA) -> None:
    sk = skeleton(dfa)
    for rep, tiles in sk.tiles.items():
        union = 0
        for t in tiles:
            union |= t
        assert union == rep
