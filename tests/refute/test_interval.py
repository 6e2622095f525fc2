"""Interval steps: exact on points (they mirror the machine), and an enclosure on boxes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.sim.interval import interval_block, interval_step
from ssmproof.sim.machine import Machine
from ssmproof.testing import ssms, words

FORMATS = ["exact", "fixed:8.4", "float16", "bfloat16"]


def reach(machine, word):
    """The configuration after BOS and ``word`` (so lag buffers and states are realistic)."""
    c = machine.step(machine.start(), 0)[0]
    for token in machine.token_ids(word):
        c = machine.step(c, token)[0]
    return c


# SSMs as random_ssm's defaults make them (1-3 layers, MLP on); configurations reached by words
@settings(max_examples=40)
@given(ssm=ssms(("a", "b"), layers=(1, 3), mlp=True),
       word=words(("a", "b"), min_size=5, max_size=5), fmt=st.sampled_from(FORMATS))
def test_on_point_intervals_the_interval_step_is_the_machine_step(ssm, word, fmt):
    m = Machine(ssm, parse(fmt))
    try:
        c = reach(m, word)
        for token in (1, 2, 1):
            nxt, _ = m.step(c, token)
            got, _ = interval_step(m, [(x, x) for x in c], token)
            assert got == tuple((x, x) for x in nxt)
            c = nxt
    except NonFiniteValue:
        pass


@settings(max_examples=40)
@given(ssm=ssms(("a", "b"), layers=(1, 3), lag=True, mlp=True),
       corner_words=st.lists(words(("a", "b"), max_size=7), min_size=3, max_size=3,
                             unique=True),  # distinct words: boxes of non-zero width
       fmt=st.sampled_from(FORMATS))
def test_a_box_encloses_every_configuration_run_from_inside_it(ssm, corner_words, fmt):
    m = Machine(ssm, parse(fmt))
    try:
        corners = [reach(m, w) for w in corner_words]
        box = [(min(v), max(v)) for v in zip(*corners)]
        tokens = [1, 2, 2]
        out, least = interval_block(m, box, tokens)
        met = Machine(ssm, parse(fmt), observe_gates=True)  # the gates the block really meets
        for c in corners:
            for t in tokens:
                met.step(c, t)
                c = m.step(c, t)[0]
            assert all(lo <= x <= hi for x, (lo, hi) in zip(c, out))
        seen = [g for values in met.gate_values for g in values]
        # the least gate is a sound lower bound (an enclosure may be looser than the truth)
        assert least is not None and (not seen or least <= min(seen))
    except NonFiniteValue:
        pass
