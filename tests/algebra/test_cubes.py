"""CubeCover: the greedy cover shared by reset rules and compiled readouts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.algebra.cubes import CubeCover, bits


@st.composite
def labelled_tables(draw: st.DrawFn) -> tuple[np.ndarray, int, int, int]:
    height = draw(st.integers(1, 4))
    rows = draw(st.lists(st.tuples(*[st.integers(0, 2)] * height), min_size=1, max_size=30))
    labels = np.array(draw(st.lists(st.sampled_from([0, 1, 2]), min_size=len(rows),
                                    max_size=len(rows))))
    levels = draw(st.integers(0, height))
    return np.array(rows, dtype=np.int64), bits(labels == 1), bits(labels == 0), levels


@given(labelled_tables())
def test_reading_the_first_levels_is_covering_the_table_cut_to_them(data) -> None:
    table, positive, negative, levels = data

    def outcome(cover: CubeCover, **kw):
        try:
            return cover.cover(positive, negative, **kw)
        except ValueError as err:
            return str(err)

    assert outcome(CubeCover(table), levels=levels) == outcome(CubeCover(table[:, :levels]))


def test_cubes_name_only_the_levels_read() -> None:
    # row 1 is the only positive; level 1 = 1 and level 2 = 1 each single it out
    table = [[0, 0], [1, 1], [2, 0]]
    cover = CubeCover(table)
    assert cover.cover(bits([0, 1, 0]), bits([1, 0, 1])) == (((2, (1,)),),)  # first order wins
    assert cover.cover(bits([0, 1, 0]), bits([1, 0, 1]), levels=1) == (((1, (1,)),),)
    assert cover.cover(bits([1, 1, 1]), bits([0, 0, 0]), levels=0) == ((),)
    with pytest.raises(ValueError, match=r"configuration \(\) is both positive and negative"):
        cover.cover(bits([1, 0, 0]), bits([0, 1, 0]), levels=0)


def test_overlapping_sets_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be both positive and negative"):
        CubeCover([[0]]).cover(bits([True]), bits([True]))
