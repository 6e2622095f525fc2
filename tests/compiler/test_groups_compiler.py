"""Languages whose groups are solvable compile into signed/complex SSMs that are proved correct."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ssmproof.cli import main
from ssmproof.compiler.compiling import compile_language
from ssmproof.errors import NotSolvableError, NotStarFreeError, WeakGatesError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import groups, monoid
from ssmproof.lang import spec as specs
from ssmproof.lang.automaton import DFA
from ssmproof.refute.stabilise import refute
from ssmproof.sim.machine import Machine
from ssmproof.testing import strategies as kit
from ssmproof.verify.api import verify


def _lang(name: str) -> DFA:
    return dfa_.minimize(dfa_.from_language(specs.to_language(specs.resolve(name))))


# (spec, gate class, layers, state dims, reachable configurations in recognition):
# the numbers are pinned so that a change in the decomposition shows up here
GALLERY = [
    ("automata/tomita3.json", "signed", 4, 7, 12),       # Z2 groups next to resets
    ("automata/tomita6.json", "complex", 1, 1, 3),       # #0 − #1 ≡ 0 (mod 3): Z3
    ("automata/abab_star.json", "signed", 2, 3, 8),      # (abab)*: Z2 and a sink
    ("automata/aaaa_star.json", "signed", 2, 2, 4),      # Z4 = a cascade of two Z2 digits
    ("automata/count_a_mod3.json", "complex", 1, 1, 3),  # #a ≡ 0 (mod 3)
    ("automata/count_a_mod5.json", "complex", 1, 1, 5),  # #a ≡ 0 (mod 5)
    ("automata/a_even_b_mod3.json", "complex", 1, 2, 6),  # Z2 × Z3
    ("automata/s3_word_problem.json", "complex", 2, 2, 6),  # S3: Z2 on top of Z3
]


@pytest.mark.parametrize(("path", "cls", "layers", "dims", "configs"), GALLERY,
                         ids=[g[0].split("/")[-1][:-5] for g in GALLERY])
@pytest.mark.parametrize("mode", ["recognize", "predict"])
def test_solvable_language_compiles_to_the_cheapest_class_and_is_proved(
        path: str, cls: str, layers: int, dims: int, configs: int, mode: str) -> None:
    d = _lang(path)
    ssm = compile_language(path, mode=mode)
    assert ssm.metadata["gate_class"] == cls and ssm.metadata["gate_class_coverage"] == "complete"
    assert (len(ssm.layers), ssm.state_dims) == (layers, dims)
    cert = verify(ssm, d, prove=True)
    assert cert.holds and cert.all_lengths
    if mode == "recognize":
        assert cert.configurations == configs


def test_the_a5_word_problem_is_refused_with_the_group_its_order_and_the_reference(
        capsys, tmp_path) -> None:
    with pytest.raises(NotSolvableError) as err:
        compile_language("automata/a5_word_problem.json")
    assert (err.value.group, err.value.order) == ("A5", 60)
    assert "Merrill" in str(err.value) and "Barrington" in str(err.value)
    out = tmp_path / "a5.json"
    assert main(["compile", "automata/a5_word_problem.json", "-o", str(out)]) == 1
    assert "A5 (order 60" in capsys.readouterr().err and not out.exists()


def test_forced_classes_refuse_with_a_witness(capsys, tmp_path) -> None:
    with pytest.raises(NotStarFreeError):
        compile_language("automata/tomita6.json", gates="nonnegative")
    with pytest.raises(WeakGatesError) as err:
        compile_language("automata/s3_word_problem.json", gates="signed")
    w = err.value.witness
    d = _lang("automata/s3_word_problem.json")
    # the witness's membership pattern really has an odd least period
    pattern = [d.accepts(w.u + w.w * n + w.v) for n in range(2 * w.period)]
    assert w.period % 2 == 1 and w.period > 1
    assert all(pattern[n] == pattern[n + w.period] for n in range(w.period))
    assert not all(pattern[n] == pattern[n + 1] for n in range(w.period))
    assert main(["compile", "automata/tomita6.json", "--gates", "signed", "-o",
                 str(tmp_path / "x.json"), "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["witness"] == {"u": [], "w": ["0"], "v": [], "period": 3}


def test_signed_and_complex_constructions_make_refute_say_it_does_not_apply() -> None:
    for path in ("automata/tomita3.json", "automata/tomita6.json",
                 "automata/s3_word_problem.json"):
        r = refute(compile_language(path), _lang(path))
        assert r.status.value == "not_applicable", path


@st.composite
def solvable_dfas(draw: st.DrawFn, states: tuple[int, int], symbols: tuple[int, int]) -> DFA:
    d = draw(kit.dfas(states=states, symbols=symbols, aperiodic=False, minimal=True))
    m = monoid.transition_monoid(d, budget=3000)
    assume(m.complete)
    assume(groups.cheapest_gates(groups.analyse(d, budget=3000)) in ("signed", "complex"))
    return d


def _agrees(d: DFA, ssm: object, data: st.DataObject) -> None:
    m = Machine(ssm)  # type: ignore[arg-type]
    for strategy in (kit.words(d.alphabet, max_size=30), kit.words_in(d, max_length=30)):
        word = data.draw(strategy)
        assert m.accepts(word) == d.accepts(word), word


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(solvable_dfas((3, 7), (2, 3)), st.data())
def test_random_solvable_dfas_compile_prove_and_run_like_the_dfa(d: DFA, data) -> None:
    ssm = compile_language(d)
    assert ssm.metadata["gate_class"] == groups.cheapest_gates(groups.analyse(d))
    cert = verify(ssm, d, prove=True, max_configurations=200_000)
    assert cert.holds and cert.all_lengths
    _agrees(d, ssm, data)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(solvable_dfas((3, 12), (2, 4)), st.data())
def test_random_solvable_dfas_up_to_12_states_and_4_letters(d: DFA, data) -> None:
    # Uniform draws with a planted cycle: after minimising and keeping the solvable ones within
    # the monoid budget they have 3 to about 9 states (bigger ones hold symmetric groups or
    # huge monoids); the products below cover 10 to 12.
    _compiles_proves_and_runs_like_the_dfa(d, data)


def _product(a: DFA, b: DFA, accept: str) -> DFA:
    """The reachable product automaton of two DFAs over one alphabet, accepting by ``accept``
    (``and``, ``or`` or ``xor`` of the two memberships)."""
    pairs, delta, todo = {(a.start, b.start): 0}, [], [(a.start, b.start)]
    while todo:
        p, q = todo.pop(0)
        row = []
        for i in range(len(a.alphabet)):
            nxt = (a.delta[p][i], b.delta[q][i])
            if nxt not in pairs:
                pairs[nxt] = len(pairs)
                todo.append(nxt)
            row.append(pairs[nxt])
        delta.append(tuple(row))
    test = {"and": lambda x, y: x and y, "or": lambda x, y: x or y, "xor": lambda x, y: x != y}
    good = frozenset(i for (p, q), i in pairs.items()
                     if test[accept](p in a.accepting, q in b.accepting))
    return DFA(a.alphabet, tuple(f"q{i}" for i in range(len(pairs))), 0, good, tuple(delta),
               f"{a.name}_{accept}_{b.name}")


@st.composite
def solvable_products(draw: st.DrawFn, states: tuple[int, int], symbols: tuple[int, int]
                      ) -> DFA:
    """Minimal products of two small solvable DFAs. Their groups stay solvable: a group in the
    product's transition monoid (a submonoid of M₁ × M₂) embeds in the product of its two
    projections, which are groups of M₁ and M₂."""
    k = draw(st.integers(*symbols))
    a, b = (draw(solvable_dfas((2, 4), (k, k))) for _ in range(2))
    d = dfa_.minimize(_product(a, b, draw(st.sampled_from(["and", "or", "xor"]))))
    assume(states[0] <= len(d.states) <= states[1])
    assume(monoid.transition_monoid(d, budget=3000).complete)
    assume(groups.cheapest_gates(groups.analyse(d, budget=3000)) in ("signed", "complex"))
    return d


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(solvable_products((10, 12), (2, 4)), st.data())
def test_random_solvable_products_of_10_to_12_states_compile_prove_and_run_like_the_dfa(
        d: DFA, data) -> None:
    _compiles_proves_and_runs_like_the_dfa(d, data)


def _compiles_proves_and_runs_like_the_dfa(d: DFA, data: st.DataObject) -> None:
    for mode in ("recognize", "predict"):
        ssm = compile_language(d, mode=mode)
        assert ssm.metadata["gate_class"] == groups.cheapest_gates(groups.analyse(d))
        cert = verify(ssm, d, prove=True, max_configurations=500_000)
        assert cert.holds and cert.all_lengths
    _agrees(d, compile_language(d), data)


def test_classify_names_the_cheapest_construction_and_its_cost(capsys) -> None:
    assert main(["classify", "automata/s3_word_problem.json", "--json"]) == 0
    built = json.loads(capsys.readouterr().out)["construction"]
    assert built == {"gates": "complex", "recipe": "group-cascade", "layers": 2,
                     "state_dims": 2, "complex_dims": 1}
    assert main(["classify", "automata/aaaa_star.json", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["construction"]["gates"] == "signed"
    assert main(["classify", "automata/a5_word_problem.json", "--json"]) == 0
    refused = json.loads(capsys.readouterr().out)["construction"]
    assert (refused["gates"], refused["group"], refused["order"]) == ("beyond diagonal", "A5", 60)


def test_the_independent_checker_confirms_a_compiled_complex_model() -> None:
    from ssmproof.check import check_data
    from ssmproof.ssm import jsonio

    ssm = compile_language("automata/count_a_mod3.json")
    cert = verify(ssm, _lang("automata/count_a_mod3.json"), prove=True)
    verdict = check_data(json.loads(cert.to_json(volatile=False)), jsonio.to_dict(ssm),
                         "automata/count_a_mod3.json")
    assert verdict.status == "confirmed", verdict.reason
    assert verdict.configurations == cert.configurations and verdict.edges == cert.edges
