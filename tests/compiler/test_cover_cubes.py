"""Greedy cube covers of 0/1 functions on explicit configuration tables."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.compiler import cover_cubes


@st.composite
def tables(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    height = draw(st.integers(1, 5))
    rows = draw(st.lists(st.tuples(*[st.integers(0, 3)] * height), min_size=1, max_size=40,
                         unique=True))
    labels = draw(st.lists(st.sampled_from([0, 1, 2]), min_size=len(rows), max_size=len(rows)))
    table = np.array(rows, dtype=np.int64)
    lab = np.array(labels)
    return table, lab == 1, lab == 0  # 2 = don't care


@given(tables())
def test_cover_matches_every_positive_and_no_negative(data) -> None:
    table, pos, neg = data
    cubes = cover_cubes.cover(table, pos, neg)
    hit = np.zeros(len(table), dtype=bool)
    for cube in cubes:
        m = cover_cubes.matches(table, cube)
        assert not (m & neg).any()
        hit |= m
    assert (hit | ~pos).all()


@given(tables())
def test_no_cube_is_redundant(data) -> None:
    table, pos, neg = data
    cubes = cover_cubes.cover(table, pos, neg)
    for i in range(len(cubes)):
        rest = np.zeros(len(table), dtype=bool)
        for j, cube in enumerate(cubes):
            if j != i:
                rest |= cover_cubes.matches(table, cube)
        assert not (pos & ~rest).sum() == 0 or not pos.any()


def test_constant_functions_need_no_literal() -> None:
    table = np.array([[1, 2], [2, 1]])
    yes, no = np.array([True, True]), np.array([False, False])
    assert cover_cubes.cover(table, yes, no) == ((),)
    assert cover_cubes.cover(table, no, yes) == ()


def test_a_function_of_one_level_reads_only_that_level() -> None:
    # level 2 ∈ {1, 3} decides; level 1 is noise.
    table = np.array([[a, b] for a in range(3) for b in range(4)])
    pos = np.isin(table[:, 1], [1, 3])
    assert cover_cubes.cover(table, pos, ~pos) == (((2, (1, 3)),),)


def test_a_conjunction_becomes_one_cube() -> None:
    table = np.array([[a, b, c] for a in (1, 2) for b in (1, 2) for c in (1, 2)])
    pos = (table[:, 0] == 2) & (table[:, 2] == 1)
    assert cover_cubes.cover(table, pos, ~pos) == (((1, (2,)), (3, (1,))),)


def test_contradictory_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="both positive and negative"):
        cover_cubes.cover(np.array([[1]]), np.array([True]), np.array([True]))
    with pytest.raises(ValueError, match="both positive and negative"):
        cover_cubes.cover(np.array([[1], [1]]), np.array([True, False]), np.array([False, True]))
