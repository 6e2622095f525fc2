"""The reachability engine equals the per-configuration Machine search, in every format.

The reference (:mod:`ssmproof.verify.reference`) steps one configuration at a time with
``Machine.step``; the engine steps frontiers in numpy and replays on Machine what float64 cannot
do exactly. On random SSMs (``ssmproof.testing`` strategies), random DFAs and every format, both
must give the same outcome (verdict, depth, configurations, edges, strings, the shortest
counterexample with ties in alphabet order, the mismatch or overflow), the same gate values and
the same findings; stepping single words, the same configurations and decisions as Machine.
"""

from __future__ import annotations

import dataclasses
import glob
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof import examples
from ssmproof.lang import spec
from ssmproof.numerics.formats import parse
from ssmproof.sim.compact import layout_of
from ssmproof.sim.machine import Machine, NonFiniteValue
from ssmproof.ssm import jsonio
from ssmproof.lang.automaton import DFA
from ssmproof.ssm.program import SSM, Dense, Layer, Mode, default_embedding
from ssmproof.testing.strategies import dfas, ssms, words
from ssmproof.verify import explore, reference
from ssmproof.verify.engine import Engine
from ssmproof.verify.outcome import Holds, Inconclusive, Outcome

FORMATS = ("exact", "fixed:8.4", "fixed:5.2", "float16", "bfloat16", "float32", "float64",
           "int:6")
GRIDS = ("as drawn", "dyadic", "integer", "thirds")


def _map_row(row, f):  # noqa: ANN001, ANN202
    return {d: (w if isinstance(w, str) else f(Fraction(w))) for d, w in row.items()}


def _map_matrix(m, f):  # noqa: ANN001, ANN202
    return {o: _map_row(row, f) for o, row in m.items()}


def _map_dense(d: Dense, f) -> Dense:  # noqa: ANN001
    return dataclasses.replace(d, weights=_map_matrix(d.weights, f), bias=_map_row(d.bias, f))


def reweighted(ssm: SSM, grid: str) -> SSM:
    """The same architecture with weights moved onto a grid: dyadic weights exercise the exact
    float64 path, integer weights make ``int:P`` applicable (fractional weights are refused),
    and ``thirds`` (weights on the 1/3 grid, gates integers) the exact numerator path of
    :mod:`ssmproof.sim.scaled`, with denominators that are no powers of two."""
    if grid == "as drawn":
        return ssm
    scale = {"dyadic": 4, "integer": 1, "thirds": 3}[grid]

    def f(w: Fraction) -> Fraction:
        return Fraction(round(w * scale), scale)

    def whole(w: Fraction) -> Fraction:
        return Fraction(round(w))

    gates = whole if grid == "thirds" else f
    layers = tuple(dataclasses.replace(
        layer, gate=_map_matrix(layer.gate, gates), input=_map_matrix(layer.input, f),
        init=_map_row(layer.init, f), pre_mlp=tuple(_map_dense(d, f) for d in layer.pre_mlp),
        mlp=tuple(_map_dense(d, f) for d in layer.mlp)) for layer in ssm.layers)
    return dataclasses.replace(
        ssm, embedding=_map_matrix(ssm.embedding, f), layers=layers,
        accept=None if ssm.accept is None else _map_row(ssm.accept, f),
        next=None if ssm.next is None else _map_matrix(ssm.next, f))


@st.composite
def cases(draw, *, max_symbols: int = 3, formats=FORMATS, grids=GRIDS):  # noqa: ANN001, ANN201
    lang = draw(dfas(states=(1, 5), symbols=(1, max_symbols)))
    mode = draw(st.sampled_from(("recognize", "predict")))
    ssm = draw(ssms(lang.alphabet, gate_class=draw(st.sampled_from(("nonnegative", "signed"))),
                    layers=(1, 3), width=(1, 2), mode=mode))
    grid = draw(st.sampled_from(grids))
    fmt = draw(st.sampled_from(formats))
    if fmt.startswith("int:"):
        grid = "integer"
    return lang, reweighted(ssm, grid), Mode(mode), parse(fmt)


def _observed(machine: Machine) -> tuple[list[set], set]:
    return ([set(v) for v in machine.gate_values],
            {(f.kind, f.where) for f in machine.findings})


def _outcome(out: Outcome) -> tuple[str, dict]:
    """The outcome's kind and fields; the engine alone reports values per configuration."""
    d = dataclasses.asdict(out)
    d["coverage"].pop("values_per_configuration")
    return type(out).__name__, d


def _pair(ssm: SSM, fmt) -> tuple[Machine, Machine]:  # noqa: ANN001
    return Machine(ssm, fmt, observe_gates=True), Machine(ssm, fmt, observe_gates=True)


@given(cases())
def test_prove_equals_the_per_configuration_search(case):
    lang, ssm, mode, fmt = case
    old, new = _pair(ssm, fmt)
    want = reference.prove(old, lang, mode, max_configurations=150)
    got = explore.prove(new, lang, mode, max_configurations=150)
    assert _outcome(got) == _outcome(want)
    assert _observed(new) == _observed(old)


@given(cases(formats=("exact",), grids=("thirds", "integer")), st.integers(0, 5))
def test_exact_numerators_equal_the_per_configuration_search(case, n):
    """Integer gates: the engine steps numerators over per-dim denominators (sim.scaled)."""
    lang, ssm, mode, fmt = case
    old, new = _pair(ssm, fmt)
    assert Engine(Machine(ssm, fmt)).scaled is not None
    want = reference.prove(old, lang, mode, max_configurations=150)
    got = explore.prove(new, lang, mode, max_configurations=150)
    assert _outcome(got) == _outcome(want)
    assert _outcome(explore.exhaustive(new, lang, mode, n)) == \
        _outcome(reference.exhaustive(old, lang, mode, n))
    assert _observed(new) == _observed(old)


@given(cases(), st.integers(0, 5))
def test_exhaustive_equals_the_per_configuration_search(case, n):
    lang, ssm, mode, fmt = case
    old, new = _pair(ssm, fmt)
    want = reference.exhaustive(old, lang, mode, n)
    got = explore.exhaustive(new, lang, mode, n)
    assert _outcome(got) == _outcome(want)
    assert _observed(new) == _observed(old)


@given(cases(), st.integers(1, 120))
def test_reachable_gate_values_equal_the_per_configuration_search(case, budget):
    _, ssm, _, fmt = case
    old, new = _pair(ssm, fmt)
    assert explore.reachable(new, budget) == reference.reachable_gate_values(old, budget)
    assert _observed(new) == _observed(old)


@settings(max_examples=40)
@given(cases(), st.data())
def test_engine_steps_words_exactly_as_machine(case, data):
    lang, ssm, _, fmt = case
    word = data.draw(words(lang.alphabet, max_size=12))
    machine, engine_machine = _pair(ssm, fmt)
    engine = Engine(engine_machine)
    tokens = [0, *machine.token_ids(word)]
    config = machine.start()
    front = engine.frontier([config])
    for t in tokens:
        try:
            config, decision = machine.step(config, t)
        except NonFiniteValue:
            succ = engine.step(front, np.array([0]), np.array([t]))
            assert succ.failure is not None and succ.failure.non_finite is not None
            return
        succ = engine.step(front, np.array([0]), np.array([t]))
        assert succ.failure is None
        front = succ.frontier
        assert engine.config(front, 0) == config
        assert int(succ.codes[0]) == sum(1 << r for r, d in enumerate(decision) if d)
        assert succ.keys[0] == engine.key(config)[:-8]


GALLERY = sorted(glob.glob("constructions/*/*-*.json"))
GALLERY = [p for p in GALLERY if not p.endswith(".cert.json")]


@pytest.mark.parametrize("path", GALLERY, ids=lambda p: p.split("/", 1)[1])
def test_gallery_counts_and_certificates_equal_the_per_configuration_search(path):
    """Compact keys count the same configurations as full ones, on every gallery construction
    (prove with a budget: both searches stop at the same depth when it is hit)."""
    name = path.split("/")[1]
    (source,) = glob.glob(f"automata/{name}.*")
    lang = spec.to_language(spec.load(source))
    if not lang.regular:
        pytest.skip("prove needs a regular language")
    ssm = jsonio.load(path)
    old, new = _pair(ssm, parse("exact"))
    want = reference.prove(old, lang, ssm.mode, max_configurations=1500)
    got = explore.prove(new, lang, ssm.mode, max_configurations=1500)
    assert _outcome(got) == _outcome(want)
    assert _observed(new) == _observed(old)
    assert got.coverage.values_per_configuration <= len(old.start())


def test_star_free_layers_keep_states_and_drop_state_determined_lag_copies():
    # D4's star-free construction lags upper levels' indicators (MLPs of states): the compact
    # key keeps the states only, yet counts what the full configurations count (test above).
    ssm = jsonio.load("constructions/D4/recognize-nonnegative.json")
    m = Machine(ssm)
    lay = layout_of(m)
    assert lay.values_per_configuration == ssm.state_dims < len(m.start())


def test_lagged_token_reads_stay_in_the_key():
    # contains_aa lags tok:a (a token, not a state): that value is not fixed by the states.
    m = Machine(examples.contains_aa())
    lay = layout_of(m)
    assert lay.values_per_configuration == len(m.start()) == 2


def _doubling(mode: Mode = Mode.RECOGNIZE) -> SSM:
    """h ← 2h + [a]: float16 overflows after about 16 symbols a (Machine raises)."""
    emb = default_embedding(("a", "b"))
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"one": 2}}, input={"L1.h": {"tok:a": 1}},
                  export=("L1.h",))
    return SSM("doubling", mode, ("a", "b"), emb, (layer,), accept={"one": 1})


@pytest.mark.parametrize("fmt", ["float16", "bfloat16", "fixed:8.4"])
def test_an_overflow_is_the_same_finding_at_the_same_shortest_word(fmt):
    lang = DFA(("a", "b"), ("all", "none"), 0, frozenset({0, 1}), ((0, 0), (1, 1)), "sigma_star")
    old, new = _pair(_doubling(), parse(fmt))
    want = reference.prove(old, lang, Mode.RECOGNIZE)
    got = explore.prove(new, lang, Mode.RECOGNIZE)
    assert _outcome(got) == _outcome(want)
    assert _observed(new) == _observed(old)
    if fmt == "fixed:8.4":  # saturates instead: the finding names the dim, the proof closes
        assert got.holds and ("saturated", "L1.h") in _observed(new)[1]
    else:
        assert got.non_finite is not None and got.counterexample == ("a",) * len(
            got.counterexample)


def test_the_certificate_reports_values_per_configuration_only_when_prove_ran():
    from ssmproof.verify.api import verify

    ssm = jsonio.load("constructions/D4/recognize-nonnegative.json")
    lang = spec.to_language(spec.load("automata/D4.json"))
    proved = verify(ssm, lang, prove=True)
    assert proved.holds and proved.extra["values_per_configuration"] == 5 == ssm.state_dims
    assert len(Machine(ssm).start()) == 15  # what a configuration held before compaction
    bounded = verify(ssm, lang, exhaustive=4)
    assert bounded.extra["values_per_configuration"] is None


def test_exact_values_past_float64_escape_to_machine_and_stay_exact():
    # h ← 2h + [a] in exact arithmetic: after 53 a's, h = 2^53 + ... is no float64, so the
    # numerator path's bound check flags the edge, Machine replays it and the configuration is
    # carried as Machine's exact tuple from then on.
    lang = DFA(("a", "b"), ("all", "none"), 0, frozenset({0, 1}), ((0, 0), (1, 1)), "sigma_star")
    ssm = _doubling()
    old, new = _pair(ssm, parse("exact"))
    want = reference.prove(old, lang, Mode.RECOGNIZE, max_configurations=200)
    got = explore.prove(new, lang, Mode.RECOGNIZE, max_configurations=200)
    assert _outcome(got) == _outcome(want)
    assert isinstance(got, Inconclusive) and got.coverage.depth >= 7
    engine = Engine(Machine(ssm, parse("exact")))
    front = engine.frontier([Machine(ssm).start()])
    for t in [0] + [1] * 60:
        front = engine.step(front, np.array([0]), np.array([t])).frontier
    assert engine.config(front, 0) == (2**60 - 1,) and 0 in front.escaped


def _third_of_a() -> SSM:
    """h ← [b]·h + (1/3)[a]: h = 1/3 once an a was read (the gate is an integer, the input not
    a float64); accept when 3h − 1/2 > 0, i.e. "contains a"."""
    emb = default_embedding(("a", "b"))
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"tok:b": 1}},
                  input={"L1.h": {"tok:a": Fraction(1, 3)}}, export=("L1.h",))
    return SSM("third_of_a", Mode.RECOGNIZE, ("a", "b"), emb, (layer,),
               accept={"L1.h": 3, "one": Fraction(-1, 2)})


def test_a_non_dyadic_weight_runs_on_numerators_not_on_machine():
    # 1/3 is no float64: before the numerator path every edge of this SSM ran on Machine.
    from ssmproof.sim import assemble

    contains_a = DFA(("a", "b"), ("no", "yes"), 0, frozenset({1}), ((1, 0), (1, 1)), "has_a")
    old, new = _pair(_third_of_a(), parse("exact"))
    assert assemble.unsupported_reason(new) is not None
    engine = Engine(new)
    assert engine.scaled is not None and engine.scaled.scale == (3,)
    want = reference.prove(old, contains_a, Mode.RECOGNIZE)
    got = explore.prove(new, contains_a, Mode.RECOGNIZE)
    assert _outcome(got) == _outcome(want)
    assert isinstance(got, Holds) and got.closed and got.coverage.configurations == 2
    assert _observed(new) == _observed(old) == ([{0, 1}], set())
    front = engine.frontier([new.start()])
    for t in (0, 2, 1, 2):  # BOS b a b
        succ = engine.step(front, np.array([0]), np.array([t]))
        front = succ.frontier
    assert engine.config(front, 0) == (Fraction(1, 3),) and not front.escaped
    assert front.rows[0, 0] == 1.0  # the numerator over the denominator 3
