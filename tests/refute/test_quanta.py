"""Exact-in-format detection in the refuter's affine forms (refute/affine.py quanta, fresh noise
symbols for rounding errors): a rounding is charged nothing only where it is proved exact, and a
value that really rounds in float32 is still enclosed."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import dfa as dfas
from ssmproof.lang import monoid, zoo
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.refute.affine import affine_block, quantum_of
from ssmproof.refute.enclosure import invariant_box
from ssmproof.refute.report import Status
from ssmproof.refute.stabilise import refute
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Mode, default_embedding, tok
from ssmproof.testing import ssms, words
from ssmproof.testing.slow_counter import right_on_short_words, sawtooth_counter
from tests.cases import CASES
from tests.refute.models import configurations_after, run_each

MEMBER = {c.address: c.member for c in CASES}  # membership written from the definitions
QUARTER = Fraction(1, 4)


def quarter_counter() -> SSM:
    """Layer 1: a channel c with gate 1, + 1/4 per 1, and z = relu(c) (c again, rounded again);
    layer 2: r with gate 0 and input z − c, which is 0 wherever rounding c to the format is
    exact; accept iff r > 0."""
    mlp = (Dense(("L1.z",), {"L1.z": {"L1.c": 1}}),)
    count = Layer("L1", ("L1.c",), gate={"L1.c": {ONE: 1}}, input={"L1.c": {tok("1"): QUARTER}},
                  mlp=mlp, export=("L1.c",))
    diff = Layer("L2", ("L2.r",), gate={"L2.r": {}}, input={"L2.r": {"L1.z": 1, "L1.c": -1}},
                 export=("L2.r",))
    return SSM("quarter", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")),
               (count, diff), accept={"L2.r": 1})


def f32_add(x, y):
    return Fraction(float(np.float32(x) + np.float32(y)))  # numpy's IEEE float32, not ours


def test_quantum_of_is_the_power_of_two_dividing_a_value():
    assert [quantum_of(x) for x in (Fraction(3, 4), 40, -Fraction(5, 32), 1)] == [-2, 3, -5, 0]
    assert quantum_of(0) == float("inf") and quantum_of(Fraction(1, 3)) == float("-inf")


def test_quarters_below_two_to_the_22_are_exact_in_float32_and_cost_no_rounding_error():
    lo, hi = Fraction(2**21), Fraction(2**21 + 2**12)
    assert f32_add(lo, QUARTER) == lo + QUARTER and f32_add(hi, QUARTER) == hi + QUARTER
    m = Machine(quarter_counter(), parse("float32"))
    box = [(lo, hi), (0, 0)]
    on_grid, _, quanta = affine_block(m, box, [2], quanta=[-2, 0])
    assert on_grid == ((lo + QUARTER, hi + QUARTER), (0, 0)) and quanta == (-2, float("inf"))
    anywhere, _, _ = affine_block(m, box, [2])  # off the grid c + 1/4 and relu(c) may round
    assert anywhere[1][0] < 0 < anywhere[1][1]


def test_quarters_at_two_to_the_22_really_round_in_float32_and_stay_enclosed():
    lo, hi = Fraction(2**22), Fraction(2**22 + 2**12)
    assert f32_add(lo, QUARTER) == lo and f32_add(lo + 1, QUARTER) == lo + 1  # ties to even
    assert f32_add(lo + Fraction(1, 2), QUARTER) == lo + 1
    m = Machine(quarter_counter(), parse("float32"))
    (c, r), _, quanta = affine_block(m, [(lo, hi), (0, 0)], [2], quanta=[-2, 0])
    assert c[0] <= f32_add(lo, QUARTER) and f32_add(hi, QUARTER) <= c[1]
    assert r[0] <= 0 <= r[1] and r != (0, 0)  # charged here: c's spacing is 1/2
    assert quanta[0] == -2  # rounding onto a spacing of 1/2 keeps multiples of 1/4


def test_a_counter_box_on_the_integer_grid_is_found_by_hull_rounds():
    m = Machine(quarter_counter(), parse("bfloat16"))
    c = m.step(m.start(), 0)[0]
    inv = invariant_box(m, c, [2], tight=True)
    assert inv is not None and inv.quanta[0] == -2 and inv.box[0][0] == 0
    for _ in range(200):  # the counter's own values stay on the grid, inside the box
        c = m.step(c, 2)[0]
        assert inv.contains(c)


@settings(max_examples=30, deadline=None)
@given(ssm=ssms(("a", "b"), layers=(1, 3), lag=True, mlp=True),
       corner_words=st.lists(words(("a", "b"), max_size=7), min_size=3, max_size=3,
                             unique=True),
       fmt=st.sampled_from(["fixed:8.4", "float16", "bfloat16", "float32"]))
def test_an_affine_box_on_a_grid_encloses_every_run_from_its_grid_points(ssm, corner_words,
                                                                         fmt):
    m = Machine(ssm, parse(fmt))
    tokens = [1, 2, 2]
    try:
        corners = configurations_after(m, corner_words)
        box = [(min(v), max(v)) for v in zip(*corners)]
        quanta = [min(quantum_of(x) for x in v) for v in zip(*corners)]  # corners lie on it
        midpoints = [tuple(_on_grid(Fraction(lo + hi) / 2, q, lo) for (lo, hi), q in zip(box, quanta))]
        out, _, out_quanta = affine_block(m, box, tokens, quanta)
        ends = run_each(m, corners + midpoints, tokens)
    except NonFiniteValue:
        return
    for c in ends:
        assert all(lo <= x <= hi for x, (lo, hi) in zip(c, out))
        assert all(quantum_of(x) >= q for x, q in zip(c, out_quanta))


def _on_grid(x, q, lo):
    """A multiple of 2^q next to x, not below lo (lo is on the grid)."""
    if q in (float("inf"), float("-inf")):
        return lo
    unit = Fraction(2) ** q
    return max(lo, (x // unit) * unit)


def test_a_counter_of_32nds_read_by_a_sawtooth_is_refuted_only_because_exact_steps_are_free():
    # aa_star on aⁿ: a counter + 1/32 per a from 1/32 (float32 stops it at 2^19, after 2^24
    # blocks), read by a 64-tooth sawtooth right for n < 64 that stays at -1 after it, and an
    # accumulator of the sawtooth. Charging half a float32 spacing at 2^19 to each tooth gave
    # an enclosure of the readout of about ±500; every step here is exact in float32.
    dfa = dfas.from_language(zoo.language("aa_star"))
    wit = monoid.classify(dfa).witness
    witness = (wit.u, wit.w, wit.v, wit.period)
    assert witness == ((), ("a",), (), 2)
    ssm = sawtooth_counter(dfa, witness, steps={"a": Fraction(1, 32)}, start=Fraction(1, 32),
                           accumulator=True)
    assert right_on_short_words(ssm, dfa, witness, "float32")
    waited = refute(ssm, dfa, fmt="float32", scan=0, block_budget=300, enclose=False)
    assert waited.status is Status.NOT_STABILISED
    r = refute(ssm, dfa, fmt="float32", scan=0, block_budget=300)
    assert r.found and r.n >= 64 and r.recheck == "run_word and the DFA agree"
    assert "power-of-two grid" in r.notes[0]
    assert MEMBER["aa_star"](r.input) != r.ssm_accepts
