"""One compile route (issue 12, item 5): the DFA is minimised once, its monoid enumerated and
classified once, each stage receives what the earlier ones computed; stages are imported at the
top of ``compiling``, nothing falls back on a caught exception, and each refusal is written in
one place."""

from __future__ import annotations

import ast
import inspect

import pytest

from ssmproof.cli import main
from ssmproof.compiler import compiling, starfree
from ssmproof.compiler.compiling import compile_language
from ssmproof.errors import NotStarFreeError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import groups, monoid
from ssmproof.lang import spec as specs


def _count(monkeypatch: pytest.MonkeyPatch, module: object, name: str, calls: dict[str, int]
           ) -> None:
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[name] = calls.get(name, 0) + 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


# (spec, recipe it compiles with, whether the group analysis runs)
ROUTES = [
    ("automata/tomita4.json", "starfree-cascade", False),  # star-free
    ("automata/parity.toml", "z2-signed", True),  # Z2: the one-layer signed recipe
    ("automata/abab_star.json", "group-cascade", True),  # Z2 next to a sink: signed cascade
    ("automata/s3_word_problem.json", "group-cascade", True),  # S3: complex cascade
]


@pytest.mark.parametrize(("path", "recipe", "grouped"), ROUTES,
                         ids=[r[0].split("/")[1].split(".")[0] for r in ROUTES])
def test_the_dfa_route_minimises_classifies_and_analyses_once(
        monkeypatch: pytest.MonkeyPatch, path: str, recipe: str, grouped: bool) -> None:
    calls: dict[str, int] = {}
    for module, name in [(dfa_, "minimize"), (monoid, "transition_monoid"),
                         (monoid, "classify"), (monoid, "classify_minimal"),
                         (groups, "analyse"), (groups, "analyse_monoid")]:
        _count(monkeypatch, module, name, calls)
    ssm = compile_language(path)
    assert ssm.metadata["recipe"] == recipe
    want = {"minimize": 1, "transition_monoid": 1, "classify_minimal": 1}
    if grouped:
        want["analyse_monoid"] = 1
    assert calls == want


def test_compiling_imports_its_stages_at_the_top_and_catches_nothing() -> None:
    tree = ast.parse(inspect.getsource(compiling))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Try)]
    names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             for a in n.names}
    assert "importlib" not in names
    assert {"starfree", "refusals", "groups", "monoid"} <= names
    late = [ast.unparse(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
            for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert late == ["from ssmproof.sim.gates import reachable_gate_class"]  # sim is a later layer


def test_the_not_star_free_refusal_reads_the_same_from_both_entry_points() -> None:
    lang = specs.to_language(specs.resolve("automata/tomita6.json"))
    with pytest.raises(NotStarFreeError) as direct:
        starfree.compile_dfa(lang)
    with pytest.raises(NotStarFreeError) as routed:
        compile_language(lang, gates="nonnegative")
    # the route adds only the way out, which it knows because it analysed the groups
    assert str(routed.value).startswith(str(direct.value) + ". Pass --gates complex")
    assert direct.value.witness == routed.value.witness


@pytest.mark.parametrize(("path", "needed"), [
    ("automata/count_a_mod3.json", "complex"),  # #a mod 3: Z3
    ("automata/tomita6.json", "complex"),  # #0 − #1 mod 3: Z3
    ("automata/s3_word_problem.json", "complex"),  # S3: Z3 inside
    ("automata/abab_star.json", "signed"),  # Z2
])
def test_compile_names_the_gate_class_that_works_when_nonnegative_is_forced(
        capsys: pytest.CaptureFixture[str], tmp_path: object, path: str, needed: str) -> None:
    out = f"{tmp_path}/x.json"
    assert main(["compile", path, "--gates", "nonnegative", "-o", out]) == 1
    err = capsys.readouterr().err
    assert f"Pass --gates {needed} (or auto)" in err
    assert ("--gates signed" in err) is (needed == "signed")  # never signed for a mod-3 count
