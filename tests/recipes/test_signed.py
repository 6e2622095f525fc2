"""The signed Z₂-group recipe: parity and friends, general random groups, refusals, controls."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.errors import CompileError
from ssmproof.lang import spec
from ssmproof.lang.automaton import DFA
from ssmproof.recipes import signed
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import Mode
from ssmproof.testing import words
from ssmproof.verify.api import verify

PARITY = DFA(("0", "1"), ("even", "odd"), 0, frozenset({0}), ((0, 1), (1, 0)), "parity")


def zoo(name):
    return spec.to_language(spec.resolve(name))


def test_parity_is_one_channel_flipped_by_each_one():
    ssm = signed.parity_like(PARITY)
    assert ssm.state_dims == 1
    m = Machine(ssm)
    config, seen = m.start(), []
    for t in [0, *m.token_ids(list("1101"))]:
        config, trace = m.trace_step(config, t)
        seen.append((trace.gates["L1.flip[0]"], trace.states["L1.flip[0]"]))
    # BOS keeps 0; each 1 has gate −1 and flips; the 0 has gate 1 and keeps
    assert seen == [(1, 0), (-1, 1), (-1, 0), (1, 0), (-1, 1)]


def test_tomita5_is_z2_squared_with_the_two_letters_as_basis():
    grp = signed.z2_group(zoo("tomita:5"))
    assert grp.rank == 2 and grp.basis == ("0", "1")
    assert grp.vectors == {"0": (1, 0), "1": (0, 1)}


@pytest.mark.parametrize("name", ["parity", "aa_star", "tomita:5"])
@pytest.mark.parametrize("mode", [Mode.RECOGNIZE, Mode.PREDICT])
@pytest.mark.parametrize("fmt", ["exact", "bfloat16"])
def test_signed_recipe_proves_for_all_lengths(name, mode, fmt):
    cert = verify(signed.parity_like(zoo(name), mode=mode), zoo(name), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True and cert.gate_class == "signed"


@pytest.mark.parametrize("name,why", [
    ("tomita:3", "not a group"),          # letter 0 merges states: a monoid, not a group
    ("tomita:6", "does not undo itself"),  # Z3: the letters have order 3
    ("abab_star", "not a group"),         # a sink absorbs
])
def test_groups_that_are_not_products_of_z2_are_refused_with_the_reason(name, why):
    with pytest.raises(CompileError, match=why):
        signed.z2_group(zoo(name))


def test_non_commuting_letters_are_refused():
    # two transpositions of three states generate S3
    s3 = DFA(("a", "b"), ("p", "q", "r"), 0, frozenset({0}), ((1, 0), (0, 2), (2, 1)), "s3")
    with pytest.raises(CompileError, match="do not commute"):
        signed.z2_group(s3)


@st.composite
def z2_dfas(draw):
    """A DFA over up to 4 letters whose states are F2^r vectors and letters add fixed vectors."""
    r = draw(st.integers(1, 3))
    k = draw(st.integers(1, 4))
    vecs = [draw(st.integers(0, 2**r - 1)) for _ in range(k)]
    accepting = draw(st.sets(st.integers(0, 2**r - 1)))
    order = draw(st.permutations(range(2**r)))  # state numbering must not matter
    pos = {q: i for i, q in enumerate(order)}
    delta = tuple(tuple(pos[q ^ v] for v in vecs) for q in order)
    alphabet = tuple("abcd"[:k])
    dfa = DFA(alphabet, tuple(f"s{q}" for q in order), pos[0],
              frozenset(pos[q] for q in accepting), delta, "z2")

    def member(word):
        x = 0
        for s in word:
            x ^= vecs[alphabet.index(s)]
        return x in accepting

    return dfa, member


@settings(max_examples=30)
@given(z2_dfas(), st.sampled_from([Mode.RECOGNIZE, Mode.PREDICT]))
def test_any_z2_group_dfa_compiles_and_proves(case, mode):
    dfa, _ = case
    cert = verify(signed.parity_like(dfa, mode=mode), dfa, prove=True)
    assert cert.holds is True and cert.all_lengths is True


@settings(max_examples=30)
@given(z2_dfas(), st.data())
def test_z2_recognizer_agrees_with_the_xor_definition(case, data):
    dfa, member = case
    word = data.draw(words(dfa.alphabet, max_size=80))
    assert Machine(signed.parity_like(dfa)).accepts(word) is member(word)


def test_nonnegative_parity_attempt_fails_with_the_shortest_counterexample():
    ssm = signed.parity_like(PARITY)
    layer = ssm.layers[0]
    bad_layer = dataclasses.replace(layer, gate={"L1.flip[0]": {"one": 1}})  # gate +1: a counter
    cert = verify(dataclasses.replace(ssm, layers=(bad_layer,)), PARITY, prove=True,
                  max_configurations=100)
    # "1" gives h = 1 (odd: reject, right); "11" gives h = 2, read as odd: wrong
    assert cert.holds is False and cert.counterexample == ("1", "1")
