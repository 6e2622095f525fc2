"""The language side of the product search: batched stepping and array verdicts change nothing.

:class:`ssmproof.verify.explore._Product` steps the language once per (state, symbol) for a
batch of states (through ``successors`` when the language has it) and judges decisions by
comparing bit sets with the right bits of each state. These tests hold both to the plain
definitions: ``successors`` is ``step`` on every symbol, the array verdict is
:func:`~ssmproof.verify.oracle.check`'s, and a search over a language without ``successors``
gives the same outcome, counterexample and wrong symbol as one with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.compiler.compiling import compile_language
from ssmproof.lang import zoo
from ssmproof.lang.counters import DEAD
from ssmproof.numerics.formats import parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.testing.strategies import dfas, ssms
from ssmproof.verify import explore, reference
from ssmproof.verify.explore import _Product
from ssmproof.verify.oracle import check, decision_order


class _StepOnly:
    """A language exactly like ``lang`` but without ``successors`` (the per-symbol path)."""

    def __init__(self, lang: object) -> None:
        self._lang = lang

    def __getattr__(self, name: str) -> object:
        if name == "successors":
            raise AttributeError(name)
        return getattr(self._lang, name)


@given(k=st.integers(1, 5), h=st.integers(1, 4), data=st.data())
def test_bounded_dyck_successors_are_step_on_every_symbol(k, h, data):
    lang = zoo.dyck(k=k, h=h)
    state: Hashable = lang.initial()
    for a in data.draw(st.lists(st.integers(0, 2 * k - 1), max_size=8)):
        state = lang.step(state, a)  # reaches DEAD too (closing the wrong bracket, too deep)
        assert lang.successors(state) == [lang.step(state, b) for b in range(2 * k)]
    assert lang.successors(DEAD) == [DEAD] * (2 * k)


@settings(max_examples=60, deadline=None)
@given(lang=dfas(states=(1, 5), symbols=(1, 3)), mode=st.sampled_from(("recognize", "predict")),
       data=st.data())
def test_array_verdicts_are_the_oracles_verdicts(lang, mode, data):
    ssm = data.draw(ssms(lang.alphabet, layers=(1, 2), width=(1, 2), mode=mode))
    machine = Machine(ssm, parse("exact"))
    product = _Product(machine, lang, Mode(mode))
    product.intern(lang.initial())
    i = 0
    while i < len(product.states):  # every reachable state (interning grows the list)
        product.edges(np.array([i], dtype=np.int64))
        i += 1
    n = len(product.states)
    width = len(machine.readouts)
    qids = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=20)),
                    dtype=np.int64)
    codes = np.array(data.draw(st.lists(st.integers(0, (1 << width) - 1), min_size=len(qids),
                                        max_size=len(qids))), dtype=np.int64)
    got = product.wrong(qids, codes)
    order = decision_order(machine, lang, Mode(mode))
    want = [check(lang, Mode(mode), product.states[q],
                  tuple(bool((c >> r) & 1) for r in range(width)), order) is not None
            for q, c in zip(qids.tolist(), codes.tolist())]
    assert got.tolist() == want


def _mutated(name: str) -> object:
    """``name``'s predictive construction with the first input weight of its second stack
    register doubled (now it errs once two brackets are open)."""
    ssm = compile_language(name, mode="predict")
    last = ssm.layers[1]
    dim = "L2.reg[2].bit0"
    src = sorted(last.input[dim])[0]
    rows = {**last.input, dim: {**last.input[dim], src: Fraction(last.input[dim][src]) * 2}}
    return dataclasses.replace(ssm, layers=(ssm.layers[0], dataclasses.replace(last, input=rows),
                                            *ssm.layers[2:]))


@pytest.mark.parametrize("name", ["dyck:2,3", "dyck:2,4"])
@pytest.mark.parametrize("mutate", [False, True])
@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
def test_dyck_prove_is_the_same_with_successors_step_only_and_per_configuration(name, mutate,
                                                                                fmt):
    ssm = _mutated(name) if mutate else compile_language(name, mode="predict")
    k, h = (int(x) for x in name.split(":")[1].split(","))
    lang = zoo.dyck(k=k, h=h)
    outs = [explore.prove(Machine(ssm, parse(fmt), observe_gates=True), lang, Mode.PREDICT),
            explore.prove(Machine(ssm, parse(fmt), observe_gates=True), _StepOnly(lang),
                          Mode.PREDICT),
            reference.prove(Machine(ssm, parse(fmt), observe_gates=True), lang, Mode.PREDICT)]
    fields = [(type(o).__name__, dataclasses.replace(o.coverage, values_per_configuration=None),
               getattr(o, "counterexample", None), getattr(o, "mismatch", None)) for o in outs]
    assert fields[0] == fields[1] == fields[2]
    assert outs[0].holds is not mutate
    if mutate:  # the error needs the second register: two openings at least
        assert len(outs[0].counterexample) >= 2
    else:  # every live stack once: 1 + K + ... + K^H configurations
        assert outs[0].coverage.configurations == sum(k**d for d in range(h + 1))
