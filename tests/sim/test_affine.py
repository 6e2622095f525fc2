"""Affine-form steps: the machine's values on points, an enclosure on boxes, honest ``deps``."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.recipes import dyck
from ssmproof.sim import affine
from ssmproof.sim.machine import Machine
from ssmproof.testing import ssms, words
from tests.refute.test_interval import FORMATS, reach


def machine_registers(m, config, token):
    return m._step(config, token, None)[2]  # the reference's own registers, readouts included


@settings(max_examples=40)
@given(ssm=ssms(("a", "b"), layers=(1, 3), lag=True, mlp=True),
       word=words(("a", "b"), min_size=3, max_size=6), fmt=st.sampled_from(FORMATS))
def test_on_a_box_of_points_every_register_is_the_machines_value(ssm, word, fmt):
    m = Machine(ssm, parse(fmt))
    try:
        c = reach(m, word)
        for token in (1, 2):
            want = machine_registers(m, c, token)
            ranges, deps = affine.registers(m, [(x, x) for x in c], token)
            assert ranges == [(x, x) for x in want] and not any(deps)
            c = m.step(c, token)[0]
    except NonFiniteValue:
        pass


@settings(max_examples=60)
@given(ssm=ssms(("a", "b"), layers=(1, 3), lag=True, mlp=True),
       corner_words=st.lists(words(("a", "b"), max_size=7), min_size=3, max_size=3,
                             unique=True),
       token=st.sampled_from([1, 2]), fmt=st.sampled_from(FORMATS))
def test_a_box_encloses_every_configuration_in_it_and_deps_name_all_that_moves_a_value(
        ssm, corner_words, token, fmt):
    m = Machine(ssm, parse(fmt))
    try:
        corners = [reach(m, w) for w in corner_words]
        box = [(min(v), max(v)) for v in zip(*corners)]
        integral = {i for i, v in enumerate(zip(*corners)) if all(type(x) is int for x in v)}
        ranges, deps = affine.registers(m, box, token, integral=integral)
        values = [machine_registers(m, c, token) for c in corners]
        for regs in values:
            assert all(lo <= x <= hi for x, (lo, hi) in zip(regs, ranges))
        # a coordinate outside deps[r] cannot move r: swap it between corners, r stays
        for c, d in zip(corners, corners[1:]):
            for j in range(len(c)):
                mixed = list(c)
                mixed[j] = d[j]
                moved = machine_registers(m, tuple(mixed), token)
                base = machine_registers(m, c, token)
                assert all(moved[r] == base[r] for r in range(m.nregs) if j not in deps[r])
    except NonFiniteValue:
        pass


def test_forms_see_that_the_dyck_depth_indicators_cancel_above_their_level():
    # [d = 3] = r(d-2) - 2 r(d-3) + r(d-4) is 0 for every d >= 4: intervals alone give ±2(hi-lo)
    m = Machine(dyck.clearing(2, 3), parse("bfloat16"))
    at3 = m.reg_names.index("L1.at[3]")
    box = [(4, 200)] + [(0, 0)] * (len(m.start()) - 1)
    ranges, deps = affine.registers(m, box, 1, integral={0})  # "(" from depth 4..200 (inside 2^8)
    assert ranges[at3] == (0, 0) and not deps[at3]
    ranges, deps = affine.registers(m, [(1, 200)] + box[1:], 1, integral={0})
    assert ranges[at3][0] < ranges[at3][1] and deps[at3] == {0}
    # without integrality the rounding of bfloat16 may move values: forms fall back to intervals
    ranges, _ = affine.registers(m, box, 1)
    assert ranges[at3] != (0, 0)
