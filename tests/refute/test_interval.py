"""Interval steps: exact on points (they mirror the machine), and an enclosure on boxes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.refute.interval import interval_block, interval_step
from ssmproof.sim.machine import Machine
from ssmproof.testing.random_ssm import random_ssm

FORMATS = ["exact", "fixed:8.4", "float16", "bfloat16"]


def walk(machine, rng, steps):
    """A configuration reached by a random word (so lag buffers and states are realistic)."""
    c = machine.step(machine.start(), 0)[0]
    for _ in range(steps):
        c = machine.step(c, int(rng.integers(1, len(machine.ssm.alphabet) + 1)))[0]
    return c


@settings(max_examples=40)
@given(seed=st.integers(0, 10**6), fmt=st.sampled_from(FORMATS))
def test_on_point_intervals_the_interval_step_is_the_machine_step(seed, fmt):
    rng = np.random.default_rng(seed)
    m = Machine(random_ssm(rng, ("a", "b"), lag=bool(seed % 2)), parse(fmt))
    try:
        c = walk(m, rng, 5)
        for token in (1, 2, 1):
            nxt, _ = m.step(c, token)
            got, _ = interval_step(m, [(x, x) for x in c], token)
            assert got == tuple((x, x) for x in nxt)
            c = nxt
    except NonFiniteValue:
        pass


@settings(max_examples=40)
@given(seed=st.integers(0, 10**6), fmt=st.sampled_from(FORMATS))
def test_a_box_encloses_every_configuration_run_from_inside_it(seed, fmt):
    rng = np.random.default_rng(seed)
    m = Machine(random_ssm(rng, ("a", "b"), lag=True), parse(fmt))
    try:
        corners = [walk(m, rng, int(rng.integers(0, 8))) for _ in range(3)]
        box = [(min(v), max(v)) for v in zip(*corners)]
        tokens = [1, 2, 2]
        out, least = interval_block(m, box, tokens)
        for c in corners:
            for t in tokens:
                c = m.step(c, t)[0]
            assert all(lo <= x <= hi for x, (lo, hi) in zip(c, out))
        assert least is not None and least >= 0  # random_ssm's gates lie in [0, 1]
    except NonFiniteValue:
        pass
