"""``Engine.walk`` (one configuration through a word) equals ``Machine.step`` token by token.

The refuter steps its one configuration through the engine's ``walk``; on both of its paths
(Machine's step, and the batched numpy step on a frontier of one) the walk must give Machine's
configurations and decisions, record the same gate values and findings into the Machine, and
raise Machine's own overflow at the same token. Random SSMs, words and formats (exact on several
grids, float16/bfloat16/float32/float64, fixed point, int) from ``tests/verify/test_engine.py``'s
strategy, whose weights really round in the finite formats (random rationals).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.lang.automaton import DFA
from ssmproof.numerics.formats import parse
from ssmproof.ssm.program import Mode
from ssmproof.sim.machine import Machine, NonFiniteValue
from ssmproof.testing.strategies import words
from ssmproof.verify import engine as engines
from ssmproof.verify.engine import Engine
from tests.verify.test_engine import _doubling, _observed, _pair, cases


def _machine_walk(m: Machine, config, tokens):  # noqa: ANN001, ANN202
    """Machine's step token by token: (configs, decisions, overflow message or None)."""
    configs, decisions = [], []
    for t in tokens:
        try:
            config, d = m.step(config, t)
        except NonFiniteValue as err:
            return configs, decisions, str(err)
        configs.append(config)
        decisions.append(d)
    return configs, decisions, None


def _engine_walk(e: Engine, config, tokens, path):  # noqa: ANN001, ANN202
    """The same through ``Engine.walk`` in pieces (the refuter walks block by block)."""
    configs, decisions = [], []
    for t in tokens:
        try:
            config, ds = e.walk(config, [t], path=path)
        except NonFiniteValue as err:
            return configs, decisions, str(err)
        configs.append(config)
        decisions += ds
    return configs, decisions, None


@settings(max_examples=60)
@given(cases(), st.data(), st.sampled_from(("machine", "batched")))
def test_walk_equals_machine_steps_on_both_paths(case, data, path):
    lang, ssm, _, fmt = case
    word = data.draw(words(lang.alphabet, max_size=12))
    machine, walked = _pair(ssm, fmt)
    tokens = [0, *machine.token_ids(word)]
    want = _machine_walk(machine, machine.start(), tokens)
    got = _engine_walk(Engine(walked), walked.start(), tokens, path)
    assert got == want
    assert _observed(walked) == _observed(machine)


@settings(max_examples=40)
@given(cases(), st.data())
def test_one_walk_over_the_whole_word_gives_every_decision_and_the_last_configuration(case,
                                                                                     data):
    lang, ssm, _, fmt = case
    word = data.draw(words(lang.alphabet, max_size=12))
    machine, walked = _pair(ssm, fmt)
    tokens = [0, *machine.token_ids(word)]
    configs, decisions, error = _machine_walk(machine, machine.start(), tokens)
    e = Engine(walked)
    try:
        last, got = e.walk(walked.start(), tokens, path="batched")
    except NonFiniteValue as err:
        assert str(err) == error
    else:
        assert error is None and last == configs[-1] and got == decisions
    assert _observed(walked) == _observed(machine)


@pytest.mark.parametrize("fmt", ["float16", "bfloat16", "fixed:8.4"])
@pytest.mark.parametrize("path", ["machine", "batched"])
def test_an_overflow_in_a_walk_is_machines_own_at_the_same_token(fmt, path):
    """h ← 2h + [a]: float16/bfloat16 overflow after about 16 a's (fixed point saturates)."""
    machine, walked = _pair(_doubling(), parse(fmt))
    tokens = [0] + [1] * 200
    want = _machine_walk(machine, machine.start(), tokens)
    got = _engine_walk(Engine(walked), walked.start(), tokens, path)
    assert got == want
    assert (want[2] is None) == (fmt == "fixed:8.4")
    assert _observed(walked) == _observed(machine)
    if fmt == "fixed:8.4":
        assert ("saturated", "L1.h") in _observed(walked)[1]


def test_the_default_path_is_numpy_only_for_wide_exact_models():
    from ssmproof.ssm import jsonio

    d12 = jsonio.load("constructions/D12/recognize-nonnegative.json")  # 25 carried values
    assert Engine(Machine(d12, parse("exact"))).walk_path == "machine"
    assert Engine(Machine(d12, parse("float32"))).walk_path == "machine"
    assert engines.WIDE > Engine(Machine(d12)).layout.width


def test_a_walk_only_engine_starts_on_machine_and_switches_to_numpy_after_lazy_steps(
        monkeypatch):
    """D12 (exact, integer gates) counted as wide: the first LAZY_STEPS steps build nothing,
    then the numpy plans are built and the walk goes on, equal to Machine throughout."""
    from ssmproof.ssm import jsonio

    monkeypatch.setattr(engines, "WIDE", 1)
    monkeypatch.setattr(engines, "LAZY_STEPS", 8)
    ssm = jsonio.load("constructions/D12/recognize-nonnegative.json")
    machine, walked = _pair(ssm, parse("exact"))
    e = Engine(walked, walk_only=True)
    assert e.scaled is None and e.plan is None  # nothing built yet
    tokens = [0] + [1, 1, 2, 1, 2, 2, 1] * 6
    want = _machine_walk(machine, machine.start(), tokens)
    config, configs, decisions = walked.start(), [], []
    for i in range(0, len(tokens), 3):
        config, ds = e.walk(config, tokens[i:i + 3])
        configs.append(config)
        decisions += ds
    assert e.scaled is not None and e.walk_path == "batched"
    assert decisions == want[1] and configs == want[0][2::3] + ([] if len(tokens) % 3 == 0
                                                                 else [want[0][-1]])
    assert _observed(walked) == _observed(machine)


@settings(max_examples=25, deadline=None)
@given(cases(formats=("exact",), grids=("integer", "thirds")), st.integers(0, 4))
def test_refute_gives_the_same_refutation_whichever_path_walks(case, scan):
    """Every walk on Machine vs every walk on the batched numpy path from the first step."""
    from ssmproof.lang import zoo
    from ssmproof.refute.stabilise import refute

    lang, ssm, mode, _ = case
    # not star-free, over the drawn alphabet: (aa)*, (ab)*, an even number of a's
    target = zoo.language("aa_star") if len(lang.alphabet) == 1 else \
        zoo.language("abab_star") if len(lang.alphabet) == 2 else \
        DFA(("a", "b", "c"), ("even", "odd"), 0, frozenset({0}), ((1, 0, 0), (0, 1, 1)), "even_as")
    assert target.alphabet == ssm.alphabet
    want = refute(ssm, target, mode=Mode.RECOGNIZE, block_budget=60, scan=scan)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engines, "WIDE", 1)
        mp.setattr(engines, "LAZY_STEPS", 0)
        got = refute(ssm, target, mode=Mode.RECOGNIZE, block_budget=60, scan=scan)
    assert got == want
