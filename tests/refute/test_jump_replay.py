"""The refuter's re-check of long words (refute/jump_replay.py): a fresh machine that jumps only
over repeated configurations and straight runs it proves exact, and lands where plain stepping
lands."""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang import zoo
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.refute.jump_replay import replay_blocks
from ssmproof.refute.report import Status
from ssmproof.refute.stabilise import refute
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Mode, default_embedding, tok
from ssmproof.testing import ssms, words


def counter(step: Fraction, *, sawtooth: bool = False) -> SSM:
    """A gate-1 channel + ``step`` per 1 (start 0); accept iff it is > 0, or (``sawtooth``) iff
    relu(c − 3) − relu(c − 5) > 1: a readout with two kinks along the run."""
    mlp = (Dense(("L1.p", "L1.q"), {"L1.p": {"L1.c": 1}, "L1.q": {"L1.c": 1}},
                 {"L1.p": -3, "L1.q": -5}),) if sawtooth else ()
    layer = Layer("L1", ("L1.c",), gate={"L1.c": {ONE: 1}}, input={"L1.c": {tok("1"): step}},
                  mlp=mlp, export=("L1.c",))
    accept = {"L1.p": 1, "L1.q": -1, ONE: -1} if sawtooth else {"L1.c": 1}
    return SSM("count", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")), (layer,),
               accept=accept)


def stepped(m, u, w, n, v):
    c, d = m.step(m.start(), 0)
    for t in [*u, *w * n, *v]:
        c, d = m.step(c, t)
    return d


@settings(max_examples=60, deadline=None)
@given(ssm=ssms(("a", "b"), layers=(1, 3), lag=True, mlp=True),
       u=words(("a", "b"), max_size=2), w=words(("a", "b"), min_size=1, max_size=2),
       v=words(("a", "b"), max_size=2), n=st.integers(0, 300),
       fmt=st.sampled_from(["fixed:6.3", "fixed:8.4", "float16", "bfloat16", "exact"]))
def test_the_jumping_replay_lands_where_plain_stepping_lands(ssm, u, w, v, n, fmt):
    m = Machine(ssm, parse(fmt))
    tu, tw, tv = (m.token_ids(x) for x in (u, w, v))
    try:
        expected = stepped(m, tu, tw, n, tv)
    except NonFiniteValue:
        return
    got = replay_blocks(Machine(ssm, parse(fmt)), tu, tw, n, tv, step_budget=10**6)
    assert got is not None and got.decision == expected


def test_a_float32_counter_of_quarters_is_replayed_to_two_to_the_24_blocks_in_few_steps():
    # numpy: float32 stops + 1/4 at 2^22 (2^22 + 1/4 rounds back), after 2^24 blocks
    x = np.float32(2**22)
    assert np.float32(x + np.float32(0.25)) == x
    m = Machine(counter(Fraction(1, 4), sawtooth=True), parse("float32"))
    n = 3 * 2**24
    r = replay_blocks(m, [], [2], n, [], step_budget=10_000)
    assert r is not None and r.stepped < 100 and r.blocks_jumped > n - 100
    # quarters are on every float32 grid below 2^22: one straight run there, then the stall
    assert r.straight >= 1 and r.repeats == 1
    # the readout relu(c − 3) − relu(c − 5) − 1 > 0 holds once c ≥ 5: true at the end
    assert r.decision == (True,)
    short = replay_blocks(m, [], [2], 14, [], step_budget=10_000)  # c = 3.5: 1/2 − 0 − 1 ≤ 0
    assert short.decision == stepped(m, [], [2], 14, []) == (False,)


def test_a_jump_is_refused_where_the_run_is_not_exact_so_the_replay_steps_it():
    # 1/3 rounds in every format; c + 1/3 is no straight run on a binary grid the first time
    m = Machine(counter(Fraction(1, 3), sawtooth=True), parse("bfloat16"))
    for n in (5, 17, 40, 300):
        r = replay_blocks(m, [], [2], n, [], step_budget=10**5)
        assert r.decision == stepped(m, [], [2], n, [])


def test_a_float32_refutation_past_the_old_replay_limit_is_re_checked_and_reported():
    # without the box, the argument waits for the float32 counter to stall at 2^24: n > 2·10^6,
    # which used to be exit 3 (no independent run); the jumping replay now re-checks it
    r = refute(counter(Fraction(1)), zoo.parity(), fmt="float32", scan=0, enclose=False)
    assert r.status is Status.FOUND and r.n > 2**24 and r.input is None
    assert r.recheck.startswith("block replay (") and "straight run" in r.recheck
    assert r.ssm_accepts is True and r.in_language is False and r.n % 2 == 1
    short = refute(counter(Fraction(1)), zoo.parity(), fmt="float32", scan=0, enclose=False,
                   replay_limit=3)  # BOS, two blocks to see the run, no room for the last
    assert short.status is Status.NOT_STABILISED and "replay limit" in short.reason
