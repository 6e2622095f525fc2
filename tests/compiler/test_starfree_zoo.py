"""Every star-free language of the zoo compiles through the cascade and proves for all lengths.

The languages go through the DFA route (spec file or zoo name → minimal DFA → ``compile_dfa``),
never through a family recipe, so flip-flop and Dyck are compiled from their automata too.
"""

from __future__ import annotations

import functools
import itertools

import pytest

from ssmproof.compiler.starfree import compile_dfa
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import spec
from ssmproof.lang.automaton import DFA
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM
from ssmproof.verify.api import verify
from tests.cases import STAR_FREE, Case, case_id

BIG = {"D12", "dyck_3_4"}  # 14 and 122 states; their no-lag proofs take seconds
SMALL = [c for c in STAR_FREE if c.name not in BIG]
MODES = ("recognize", "predict")


@functools.lru_cache(maxsize=None)
def minimal(name: str) -> DFA:
    case = next(c for c in STAR_FREE if c.name == name)
    where = str(case.spec_path) if case.spec_path is not None else case.address
    lang = spec.to_language(spec.resolve(where))
    return dfa_.minimize(lang if isinstance(lang, DFA) else dfa_.from_language(lang))


@functools.lru_cache(maxsize=None)
def compiled(name: str, mode: str, lag: bool) -> SSM:
    return compile_dfa(minimal(name), mode=mode, lag=lag)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", STAR_FREE, ids=case_id)
def test_prove_closes_for_every_star_free_case_in_exact_arithmetic(case: Case, mode: str) -> None:
    ssm = compiled(case.name, mode, True)
    cert = verify(ssm, minimal(case.name), prove=True)
    assert cert.holds is True and cert.all_lengths is True, cert.summary()
    assert cert.gate_class == "nonnegative"
    report = ssm.metadata["starfree"]
    if mode == "recognize":  # every reachable cascade configuration is met (BOS included)
        assert cert.configurations == report["reachable_configurations"]


@pytest.mark.parametrize("case", STAR_FREE, ids=case_id)
def test_recognizer_agrees_with_the_definition_on_short_words(case: Case) -> None:
    # The membership function of the case table is written from the definition, not the DFA.
    machine = Machine(compiled(case.name, "recognize", True))
    length = max(n for n in range(1, 9) if len(case.alphabet) ** n <= 1500)
    for n in range(length + 1):
        for word in itertools.product(case.alphabet, repeat=n):
            assert machine.accepts(list(word)) == case.member(word), word


@pytest.mark.parametrize("fmt", ["bfloat16", "float32"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", SMALL, ids=case_id)
def test_no_lag_variant_proves_under_bfloat16_and_float32(case: Case, mode: str, fmt: str) -> None:
    ssm = compiled(case.name, mode, False)
    assert all(not layer.lag for layer in ssm.layers)
    cert = verify(ssm, minimal(case.name), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True, cert.summary()
    assert cert.gate_class == "nonnegative"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["bfloat16", "float32"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(BIG))
def test_no_lag_variant_of_the_big_cases_proves(name: str, mode: str, fmt: str) -> None:
    cert = verify(compiled(name, mode, False), minimal(name), fmt=fmt, prove=True)
    assert cert.holds is True and cert.all_lengths is True, cert.summary()


def test_d12_stress_case_sizes() -> None:
    # D_12: 14 states, 13 levels of 3 states (2 held each), every level reads all upper ones,
    # so nothing merges; all 2^13 tile chains are reachable: 13 bits of memory for log2 14.
    report = compiled("D12", "recognize", True).metadata["starfree"]
    assert (report["dfa_states"], report["monoid_size"], report["log2_states"]) == (14, 820, 4)
    assert (report["levels"], report["layers"], report["layers_saved_by_merging"]) == (13, 13, 0)
    assert report["state_dims"] == 13 and report["reachable_configurations"] == 2**13
    assert report["reset_rules"] == 26
