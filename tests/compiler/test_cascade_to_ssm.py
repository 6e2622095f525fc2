"""Cascade → SSM: layers and merging, gates, the timing trap, BOS, overlapping rules, codes."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest

from ssmproof.algebra import ResetRule, decompose, reachable_configurations
from ssmproof.algebra.examples import contains_aa, dyck_depth, tomita4
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.compiler import cascade_to_ssm
from ssmproof.compiler.starfree import compile_dfa
from ssmproof.errors import CompileError
from ssmproof.lang import zoo
from ssmproof.lang.automaton import DFA
from ssmproof.numerics import formats
from ssmproof.sim.machine import Machine
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import LAG_PREFIX, SSM
from ssmproof.ssm.validate import validate
from ssmproof.verify.api import verify

# A random 5-state DFA over 4 symbols whose levels 3 and 4 do not read each other.
MERGEABLE = random_aperiodic_dfa(152, 5, 4)


def reachable_gates(ssm: SSM, fmt: str = "exact", limit: int = 50_000) -> set[Fraction]:
    """Every gate value met from BOS, by breadth-first search over configurations."""
    machine = Machine(ssm, formats.parse(fmt), observe_gates=True)
    first, _ = machine.step(machine.start(), 0)
    seen, todo = {first}, [first]
    while todo:
        config = todo.pop()
        for a in range(1, len(ssm.alphabet) + 1):
            nxt, _ = machine.step(config, a)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
        assert len(seen) < limit
    return {Fraction(v) for values in machine.gate_values for v in values}


def without_lag(ssm: SSM) -> SSM:
    """The timing-trap mistake: rules read the upper levels *after* the symbol."""
    def strip(m):
        return {o: {d.removeprefix(LAG_PREFIX): w for d, w in row.items()} for o, row in m.items()}

    layers = tuple(dataclasses.replace(
        layer, lag=(), pre_mlp=tuple(dataclasses.replace(d, weights=strip(d.weights))
                                     for d in layer.pre_mlp)) for layer in ssm.layers)
    return dataclasses.replace(ssm, layers=layers)


# --- layers ------------------------------------------------------------------------------------
def test_levels_that_do_not_read_each_other_share_a_layer() -> None:
    ssm = compile_dfa(MERGEABLE)
    report = ssm.metadata["starfree"]
    assert report["schedule"] == [[1], [2], [3, 4], [5]]
    assert (report["levels"], report["layers"], report["layers_saved_by_merging"]) == (5, 4, 1)
    shared = ssm.layers[2]
    assert {ch.split(".")[1] for ch in shared.state} == {"lvl[3]", "lvl[4]"}
    for mode in ("recognize", "predict"):
        cert = verify(compile_dfa(MERGEABLE, mode=mode), MERGEABLE, prove=True)
        assert cert.holds is True and cert.all_lengths is True


def test_every_layer_reads_only_levels_of_earlier_layers() -> None:
    # validate() enforces it structurally; here: each lagged dim belongs to an earlier layer.
    ssm = compile_dfa(MERGEABLE)
    for k, layer in enumerate(ssm.layers, start=1):
        for dim in layer.lag:
            assert int(dim.split(".")[0][1:]) < k


# --- gates, BOS, timing ------------------------------------------------------------------------
@pytest.mark.parametrize("dfa", [contains_aa(), zoo.flipflop(), MERGEABLE], ids=lambda d: d.name)
def test_gates_are_0_or_1_with_the_lag_view_and_also_lambda_without(dfa: DFA) -> None:
    assert reachable_gates(compile_dfa(dfa)) == {0, 1}
    no_lag = compile_dfa(dfa, lag=False)
    lam = no_lag.param_values()["lambda"]
    assert reachable_gates(no_lag, "bfloat16") == {0, 1, lam}


@pytest.mark.parametrize("mode", ["recognize", "predict"])
@pytest.mark.parametrize("make", [contains_aa, tomita4], ids=["contains_aa", "tomita4"])
def test_reading_the_upper_levels_after_the_symbol_fails_at_once(make, mode: str) -> None:
    dfa = make()
    ssm = compile_dfa(dfa, mode=mode)
    assert verify(ssm, dfa, prove=True).holds is True
    broken = without_lag(ssm)
    validate(broken)  # still a well-formed SSM: only the timing is wrong
    cert = verify(broken, dfa, prove=True)
    assert cert.holds is False and len(cert.counterexample) == 1


def test_position_zero_holds_the_initial_configuration() -> None:
    # Tomita 4 starts in q0; the BOS step keeps every level's init (no rule reads tok:BOS).
    ssm = compile_dfa(tomita4())
    machine = Machine(ssm)
    before = machine.start()
    after, decision = machine.step(before, 0)
    width = ssm.state_dims
    assert after[:width] == before[:width]
    assert decision == (True,)  # ε has no 000
    cascade = decompose(tomita4())
    assert cascade.decode(cascade.initial) == tomita4().start


def test_lag_buffers_carry_this_position_s_levels_to_the_next() -> None:
    # D_2: every level is one-hot, so the lagged dims are state dims of upper layers.
    ssm = compile_dfa(dyck_depth(2))
    machine = Machine(ssm)
    states = list(ssm.state_dims_list)
    lagged = [d for layer in ssm.layers for d in layer.lag]
    assert lagged and set(lagged) <= set(states)
    config = machine.start()
    assert config[len(states):] == (0,) * len(lagged)  # zero before BOS
    for t in [0, 1, 1, 2, 1, 2, 2]:  # BOS a a b a b b
        config, _ = machine.step(config, t)
        now = dict(zip(states, config))
        assert list(config[len(states):]) == [now[d] for d in lagged]


# --- overlapping rules -------------------------------------------------------------------------
def test_overlap_detection_matches_a_brute_force_count() -> None:
    dfa = zoo.flipflop()
    cascade = decompose(dfa)
    info = cascade_to_ssm.analyse(cascade)
    brute = [False] * cascade.height
    for config in reachable_configurations(cascade):
        for symbol in dfa.alphabet:
            for d in range(1, cascade.height + 1):
                fired = [r for r in cascade.rules if r.level == d and r.symbol == symbol and
                         all(config[lv - 1] in xs for lv, xs in r.condition)]
                brute[d - 1] |= len(fired) > 1
    assert list(info.overlap) == brute == [False, False, True, False]
    assert info.most_at_once == 2


def test_overlapping_rules_are_or_ed_so_gates_stay_in_0_1() -> None:
    ssm = compile_dfa(zoo.flipflop())
    assert ssm.metadata["starfree"]["levels_with_overlapping_rules"] == 1
    layer = ssm.layers[2]
    assert len(layer.pre_mlp) == 2  # rules, then idle units that OR them
    assert any(".pre.idle[3]" in unit for unit in layer.pre_mlp[1].out)
    # A naive gate one − Σ rules would reach −1 where two rules fire together:
    naive = dataclasses.replace(layer, pre_mlp=layer.pre_mlp[:1], gate={
        ch: {"one": 1, **{r: -1 for r in layer.pre_mlp[0].out}} for ch in layer.state},
        input={ch: {} for ch in layer.state})
    bad = dataclasses.replace(ssm, layers=(*ssm.layers[:2], naive, *ssm.layers[3:]))
    assert min(reachable_gates(bad)) == -1


def test_rules_resetting_one_level_to_two_states_are_refused() -> None:
    cascade = decompose(contains_aa())
    bad = dataclasses.replace(cascade, rules=(*cascade.rules, ResetRule(1, "a", (), 1)))
    with pytest.raises(CompileError, match="reset level 1 differently"):
        cascade_to_ssm.analyse(bad)


def test_too_many_configurations_is_a_compile_error() -> None:
    with pytest.raises(CompileError, match="more than 10 reachable"):
        cascade_to_ssm.analyse(decompose(dyck_depth(4)), max_configurations=10)


# --- codes and names ---------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["auto", "onehot", "binary"])
def test_every_encoding_proves(encoding: str) -> None:
    dfa = zoo.flipflop()
    for mode in ("recognize", "predict"):
        ssm = compile_dfa(dfa, mode=mode, encoding=encoding)
        assert verify(ssm, dfa, prove=True).all_lengths


def test_binary_codes_pay_only_from_four_states() -> None:
    # flip-flop: level 1 holds 5 states (binary: 3 channels), the others 3 (one-hot: 2).
    encodings = compile_dfa(zoo.flipflop()).metadata["starfree"]["level_encodings"]
    assert [(e["states"], e["encoding"], e["channels"]) for e in encodings] == [
        (5, "binary", 3), (3, "onehot", 2), (3, "onehot", 2), (3, "onehot", 2)]
    onehot = compile_dfa(zoo.flipflop(), encoding="onehot").metadata["starfree"]
    assert onehot["state_dims"] == 4 + 2 + 2 + 2
    assert compile_dfa(zoo.flipflop()).metadata["starfree"]["state_dims"] == 3 + 2 + 2 + 2


def test_dim_names_say_layer_level_and_role() -> None:
    ssm = compile_dfa(zoo.flipflop(), mode="predict")
    first = ssm.layers[0]
    assert first.state == ("L1.lvl[1].bit0", "L1.lvl[1].bit1", "L1.lvl[1].bit2")
    assert all(u.startswith("L1.pre.rule[") for u in first.pre_mlp[0].out)
    assert all(u.startswith("L1.lvl[1].is[") for u in first.mlp[0].out)
    assert ssm.layers[1].lag and all(d.startswith("L1.lvl[1].is[") for d in ssm.layers[1].lag)
    no_lag = compile_dfa(zoo.flipflop(), lag=False)
    assert [layer.name for layer in no_lag.layers] == [f"L{k}" for k in range(1, 8)]
    assert no_lag.layers[1].state[0].startswith("L2.lvl[1].echo[")


def test_a_one_state_language_needs_no_layer() -> None:
    everything = DFA(("a", "b"), ("all",), 0, frozenset({0}), ((0, 0),), "all")
    nothing = DFA(("a", "b"), ("none",), 0, frozenset(), ((0, 0),), "none")
    for dfa, row in ((everything, {"one": 1}), (nothing, {})):
        ssm = compile_dfa(dfa)
        assert ssm.layers == () and ssm.accept == row
        assert verify(ssm, dfa, prove=True).all_lengths


def test_json_round_trip_keeps_the_construction_and_its_parameters() -> None:
    ssm = compile_dfa(zoo.flipflop(), lag=False)
    again = jsonio.from_json(jsonio.to_json(ssm))
    assert jsonio.content_hash(again) == jsonio.content_hash(ssm)
    assert again.param_values() == ssm.param_values()
    assert verify(again, zoo.flipflop(), fmt="float32", prove=True).all_lengths


def test_latex_prints_the_decay_as_lambda() -> None:
    from ssmproof.render.latex import to_latex

    text = to_latex(compile_dfa(contains_aa(), lag=False))
    assert r"\lambda" in text and r"\kappa" in text


def test_non_minimal_input_gives_the_minimal_construction() -> None:
    # "contains aa" with the start state split in two equivalent copies.
    split = DFA(("a", "b"), ("q0", "q0'", "q1", "q2"), 0, frozenset({3}),
                ((2, 1), (2, 1), (3, 1), (3, 3)))
    got = dataclasses.replace(compile_dfa(split), name="x")
    want = dataclasses.replace(compile_dfa(contains_aa()), name="x")
    assert jsonio.content_hash(got) == jsonio.content_hash(want)
    assert compile_dfa(split).metadata["starfree"]["dfa_states"] == 3


def test_a_finite_state_language_object_compiles_directly() -> None:
    lang = zoo.dyck(k=2, h=2)
    ssm = compile_dfa(lang, mode="predict")
    assert verify(ssm, lang, prove=True).all_lengths


def test_readout_cubes_cover_exactly_on_reachable_configurations() -> None:
    # The accept decision of the compiled D_3 equals the DFA's on every reachable configuration.
    dfa = dyck_depth(3)
    cascade = decompose(dfa)
    info = cascade_to_ssm.analyse(cascade)
    from ssmproof.compiler import configs_to_readout, cover_cubes
    (accept,) = configs_to_readout.decisions(info.configs, info.states, dfa, "recognize")
    hit = np.zeros(len(info.configs), dtype=bool)
    for cube in accept.cubes:
        hit |= cover_cubes.matches(info.configs, cube)
    truth = np.isin(info.states, sorted(dfa.accepting))
    assert (hit == truth).all() if accept.positive else (hit == ~truth).all()
    assert accept.cubes


@pytest.mark.parametrize("lag", [True, False])
def test_compiling_twice_gives_the_same_bytes(lag: bool) -> None:
    # The gallery commits these files and `build --check` compares bytes: no volatile metadata.
    first = jsonio.to_json(compile_dfa(zoo.flipflop(), mode="predict", lag=lag))
    assert first == jsonio.to_json(compile_dfa(zoo.flipflop(), mode="predict", lag=lag))
    assert "seconds" not in first
