"""The numerator plan's affine maps (:mod:`ssmproof.sim.scaled`) equal exact integer arithmetic.

``_map`` picks a selection, a dense product or a sparse (scipy CSR) product for one affine map
of the register file; whichever it picks, every output row must be ``Σ w·R[c]`` (then ReLU),
computed here with Python integers, on random maps and random integer register files.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ssmproof.sim import scaled

ROWS = 40  # registers before the map's own rows; row 0 is the row of ones


@st.composite
def maps(draw: st.DrawFn, sparse: bool | None = None) -> list[tuple[list[int], list[float]]]:
    """Coordinates (columns, integer weights); ``sparse`` draws few terms over many inputs."""
    k = draw(st.integers(1, 30))
    most = 3 if sparse else ROWS
    coords = []
    for _ in range(k):
        cols = draw(st.lists(st.integers(0, ROWS - 1), min_size=0, max_size=most))
        ws = draw(st.lists(st.integers(-5, 5), min_size=len(cols), max_size=len(cols)))
        coords.append((cols, [float(w) for w in ws]))
    return coords


def _exact(coords: list[tuple[list[int], list[float]]], regs: list[list[int]],
           relu: bool) -> list[list[int]]:
    out = []
    for cols, ws in coords:
        row = [sum(int(w) * regs[c][e] for c, w in zip(cols, ws)) for e in range(len(regs[0]))]
        out.append([max(v, 0) for v in row] if relu else row)
    return out


def _run(coords: list[tuple[list[int], list[float]]], regs: list[list[int]],
         relu: bool) -> tuple[scaled._Map, list[list[float]]]:
    m = scaled._map(ROWS, coords, relu)
    file = np.zeros((ROWS + len(coords), len(regs[0])))
    file[:ROWS] = regs
    m.run(file)
    return m, file[ROWS:].tolist()  # floats: compared with the integers exactly


def _registers(draw: st.DrawFn) -> list[list[int]]:
    n = draw(st.integers(1, 12))
    vals = st.integers(-(2**20), 2**20)
    regs = [[1] * n] + [draw(st.lists(vals, min_size=n, max_size=n)) for _ in range(ROWS - 1)]
    return regs


@given(st.data(), st.booleans(), st.sampled_from([None, True]))
def test_every_map_kind_equals_integer_arithmetic(data: st.DataObject, relu: bool,
                                                  sparse: bool | None) -> None:
    coords = data.draw(maps(sparse))
    regs = _registers(data.draw)
    _, got = _run(coords, regs, relu)
    assert got == _exact(coords, regs, relu)


@given(st.data(), st.booleans())
def test_a_sparse_map_runs_on_the_csr_product_and_equals_integer_arithmetic(
        data: st.DataObject, relu: bool) -> None:
    # 30 rows of one term each over 30 distinct inputs: dense would be 30x the nonzeros
    cols = data.draw(st.permutations(range(1, 31)))
    ws = data.draw(st.lists(st.integers(-7, 7).filter(bool), min_size=30, max_size=30))
    coords = [([c, 0], [float(w), 3.0]) for c, w in zip(cols, ws)]
    regs = _registers(data.draw)
    m, got = _run(coords, regs, relu)
    assert m.sparse is not None and m.matrix is None
    assert got == _exact(coords, regs, relu)
