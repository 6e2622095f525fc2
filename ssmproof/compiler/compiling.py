"""``compile_language``: a language (spec path, zoo name, Spec, DFA or Language) → an SSM.

The whole pipeline, as a few named stages (STYLE R1):

1. :func:`_target` — resolve the input to a language, its alphabet, and the zoo family it
   belongs to when a paper recipe covers it (``flipflop``, ``dyck:K,H``, the counter languages);
2. :func:`_route` — the family's recipe (:func:`ssmproof.recipes.build`) when one fits the
   request, else the DFA route (:func:`_from_dfa`), decided before anything is built. The DFA
   route minimises once and enumerates the transition monoid once; every later stage receives
   what the earlier ones computed:
   - :func:`ssmproof.lang.monoid.classify_minimal` — star-free or not, with the witness;
   - star-free → :func:`ssmproof.compiler.starfree.compile_minimal` (nonnegative gates);
   - not star-free → :func:`ssmproof.lang.groups.analyse_monoid` (the groups and the
     narrowest gate class), then :func:`ssmproof.compiler.groups.compile_minimal`
     (Krohn–Rhodes with Z_p components: signed gates when every group is a 2-group, complex
     gates when an odd prime divides a group's order); a DFA whose whole transition monoid is
     Z₂^r keeps the one-layer :func:`ssmproof.recipes.signed.parity_like`;
   - refusals (:mod:`ssmproof.compiler.refusals`, each message written there once):
     nonnegative gates for a language that is not star-free →
     :class:`~ssmproof.errors.NotStarFreeError` with the witness (u, w, v, p); signed gates for
     one that needs complex ones → :class:`~ssmproof.errors.WeakGatesError` with a witness of
     odd period; a non-solvable group → :class:`~ssmproof.errors.NotSolvableError`;
3. :func:`_aligned` — list the alphabet in the language's order (the verifier indexes by it);
4. :func:`_annotate` — metadata: recipe, parameters, layers, state dims, MLP width, nonzero
   weights, and the gate class *computed* by :func:`ssmproof.sim.gates.reachable_gate_class`;
5. :func:`ssmproof.ssm.validate.validate` — the structural rules every loaded file obeys.

What is *not* guaranteed here: compiling does not verify. A recipe is a claim; ``ssmproof
verify`` (or :func:`ssmproof.verify.api.verify`) checks it, for all lengths where the reachable
configurations are finite.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ssmproof import recipes
from ssmproof.compiler import groups as group_compiler
from ssmproof.compiler import refusals, starfree
from ssmproof.errors import CompileError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import groups, monoid, zoo
from ssmproof.lang import spec as specs
from ssmproof.lang.automaton import DFA, Language
from ssmproof.recipes import signed
from ssmproof.ssm.program import SSM, Mode
from ssmproof.ssm.size import stats
from ssmproof.ssm.validate import validate

__all__ = ["compile_language", "stats", "GATES", "GATE_CLASS_BUDGET", "GATE_CLASS_WORK",
           "DFA_RECIPES"]

GATES = ("auto", "nonnegative", "signed", "complex")
"""The gate classes a construction may be asked for (``--gates``); ``auto`` (the default) takes
the narrowest class a construction exists in."""

_RANK = {"nonnegative": 0, "signed": 1, "complex": 2}

GATE_CLASS_BUDGET = 2_000
"""At most this many configurations are explored to compute the gate class (fewer for large
models, see :data:`GATE_CLASS_WORK`); beyond it the class is ``observed``."""

GATE_CLASS_WORK = 400_000
"""Budget of (configuration × symbol × weight) work for the gate-class exploration."""

DFA_RECIPES = ("starfree", recipes.SIGNED_RECIPE, "group-cascade")
"""Recipe names that force the DFA route even for a family with its own recipes."""


@dataclass(frozen=True)
class _Target:
    """A resolved input: the language, its alphabet, and its recipe family (or None)."""

    name: str
    alphabet: tuple[str, ...]
    language: Language
    family: str | None  # a zoo name such as "dyck:2,3" when a paper recipe covers it


@dataclass(frozen=True)
class _Built:
    ssm: SSM
    recipe: str
    parameters: Mapping[str, object] = field(default_factory=dict)


def compile_language(language_or_spec: object, *, mode: Mode | str = Mode.RECOGNIZE,
                     gates: str = "auto", lag: bool = True,
                     recipe: str | None = None, fmt: object = None) -> SSM:
    """Compile a language into an SSM whose gates lie in the requested class.

    Parameters
    ----------
    language_or_spec : str, os.PathLike, Spec, DFA or Language
        A spec file, a zoo name (``"dyck:2,3"``), a :class:`~ssmproof.lang.spec.Spec`, a DFA,
        or a zoo language object.
    mode : Mode or str
        ``recognize`` (default) or ``predict``.
    gates : str
        ``auto`` (default: the narrowest class that works), or a forced class:
        ``nonnegative`` (the paper's class, Mamba's gates), ``signed`` or ``complex``.
    lag : bool
        Whether the construction may use the lag view (Mamba's conv1d). ``False`` = ``--no-lag``.
    recipe : str, optional
        A recipe name from :data:`ssmproof.recipes.RECIPES`, ``"starfree"`` or ``"z2-signed"``;
        by default the family's first recipe that fits, else the DFA route. When no family
        recipe fits (flip-flop recognition with ``lag=False``) a regular language falls back to
        the DFA route, whose star-free compiler uses decaying channels instead of the lag.
    fmt : str or Format, optional
        Passed to the star-free compiler: the format its decay λ is chosen for when
        ``lag=False`` (its default suits bfloat16 and float32). Family recipes ignore it.

    Returns
    -------
    SSM
        Validated, alphabet in the language's order, ``metadata`` filled in.

    Raises
    ------
    NotStarFreeError
        Nonnegative gates were asked for a regular language that is not star-free; ``witness``
        holds (u, w, v, period).
    CompileError
        No recipe fits (mode, lag, gates), the star-free compiler is missing, a signed request
        for a group that is not a product of Z₂, or a non-regular language without a recipe.
    SpecError
        The spec file or zoo name is bad.

    Examples
    --------
    >>> ssm = compile_language("dyck:2,2", mode="predict")
    >>> ssm.metadata["recipe"], ssm.metadata["state_dims"], ssm.metadata["gate_class"]
    ('dyck-clearing', 3, 'nonnegative')
    >>> compile_language("parity", gates="signed").metadata["layers"]
    1
    >>> compile_language("parity", gates="nonnegative")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.NotStarFreeError: parity: not star-free: membership of u·wⁿ·v ...
    >>> compile_language("tomita:6").metadata["gate_class"]  # auto: a mod-3 count needs ζ₃
    'complex'

    Notes
    -----
    Family recipes build in time linear in the construction's size. The DFA route minimises
    (Hopcroft) and enumerates the transition monoid (exponential in the worst case, bounded by
    ``ssmproof.lang.monoid.MONOID_BUDGET``). The gate class explores at most
    :data:`GATE_CLASS_BUDGET` configurations, fewer for large models (:data:`GATE_CLASS_WORK`);
    when that does not exhaust the reachable configurations (always, for an exact counter) the
    metadata says ``gate_class_coverage: observed``.

    References
    ----------
    Sarrof, Veitsman & Hahn, NeurIPS 2024, arXiv 2405.17394 (v2): Theorems 1, 5 and 6 (recipes),
    Theorem 4 (star-free ⇔ nonnegative finite precision), Theorem 2 (PARITY is impossible).
    """
    mode = Mode(mode)
    gates = _gate_request(gates)
    target = _target(language_or_spec)
    stage = _route(target, mode=mode, gates=gates, lag=lag, recipe=recipe)
    built = stage(target, mode=mode, gates=gates, lag=lag, recipe=recipe, fmt=fmt)
    ssm = _annotate(_aligned(built.ssm, target), built, target, gates=gates, lag=lag)
    validate(ssm, path=target.name)
    return ssm


# ------------------------------------------------------------------------------ stage 1
def _gate_request(gates: str) -> str:
    value = getattr(gates, "value", gates)
    if value not in GATES:
        raise CompileError(f"--gates {value}: choose one of {list(GATES)}")
    return str(value)


def _target(x: object) -> _Target:
    x = specs.native(x)  # an automata-lib DFA becomes ours
    if isinstance(x, (str, os.PathLike)):
        x = specs.resolve(os.fspath(x))
    if isinstance(x, specs.Spec):
        lang, zoo_name, name = specs.to_language(x), x.language, x.language or x.name
    elif isinstance(x, Language):
        lang, zoo_name, name = x, _zoo_name(x), x.name
    else:
        raise CompileError(f"compile: cannot compile a {type(x).__name__}; pass a spec path, a "
                           "zoo name, a Spec, a DFA (ours or automata-lib's) or a zoo language")
    family = zoo_name if zoo_name and recipes.parse_family(zoo_name) else None
    if family is None and isinstance(lang, DFA) and _is_flipflop(lang):
        family = "flipflop"
    return _Target(name or "language", tuple(lang.alphabet), lang, family)


_ZOO_NAMES = {  # zoo language classes → their zoo names (a table, not an isinstance ladder)
    "BoundedDyck": lambda lang: f"dyck:{lang.k},{lang.h}",
    "Dyck1": lambda lang: "dyck1",
    "Shuffle": lambda lang: f"shuffle:{lang.k}",
    "BooleanExpressions": lambda lang: f"boolean:{lang.n}",
    "Counting": lambda lang: {"ab": "anbn", "abc": "anbncn", "abcd": "anbncndn"}.get(
        "".join(lang.letters)),
}


def _zoo_name(lang: Language) -> str | None:
    namer = _ZOO_NAMES.get(type(lang).__name__)
    return namer(lang) if namer is not None else None


def _is_flipflop(dfa: DFA) -> bool:
    """Whether ``dfa`` accepts exactly the flip-flop language (so Theorem 1's recipe applies)."""
    reference = zoo.flipflop()
    if set(dfa.alphabet) != set(reference.alphabet):
        return False
    return dfa_.equivalent(dfa, reference) is None


# ------------------------------------------------------------------------------ stage 2
Stage = Callable[..., _Built]


def _route(target: _Target, *, mode: Mode, gates: str, lag: bool, recipe: str | None) -> Stage:
    """The family's recipe when one fits (or one was named, or the language is not regular:
    then the family says why nothing fits); else the DFA route (e.g. flip-flop recognition
    without the lag view: the star-free compiler's decay)."""
    if target.family is None or recipe in DFA_RECIPES:
        return _from_dfa
    if recipe is not None or not target.language.regular:
        return _from_family
    parsed = recipes.parse_family(target.family)
    assert parsed is not None  # _target keeps only names that parse
    fits = recipes.fitting(parsed[0], mode=mode, gates=_family_gates(gates), lag=lag)
    return _from_family if fits is not None else _from_dfa


def _family_gates(gates: str) -> str:
    """Family recipes have nonnegative or signed gates: the class to ask them for."""
    return "nonnegative" if gates == "auto" else "signed" if gates == "complex" else gates


def _from_family(target: _Target, *, mode: Mode, gates: str, lag: bool, recipe: str | None,
                 fmt: object = None) -> _Built:
    assert target.family is not None
    chosen, params, ssm = recipes.build(target.family, mode=mode, gates=_family_gates(gates),
                                        lag=lag, recipe=recipe)
    return _Built(ssm, chosen.name, params)


def _from_dfa(target: _Target, *, mode: Mode, gates: str, lag: bool,
              recipe: str | None, fmt: object = None) -> _Built:
    """Minimise once, enumerate the monoid once, classify; each later stage takes those."""
    if recipe is not None and recipe not in DFA_RECIPES:
        raise CompileError(f"{target.name}: recipe '{recipe}' is not for this language; use "
                           f"one of {list(DFA_RECIPES)} (or a family's own recipe)")
    if not target.language.regular:
        raise CompileError(f"{target.name}: the language is not regular and no recipe covers "
                           f"it; recipes exist for {sorted(recipes.FAMILIES)}")
    minimal = _minimal(target.language)
    if recipe == recipes.SIGNED_RECIPE:
        return _signed(target, minimal, mode=mode, gates=gates)
    transitions = monoid.transition_monoid(minimal)
    found = monoid.classify_minimal(minimal, transitions)
    if found.star_free and recipe != "group-cascade":
        ssm = starfree.compile_minimal(minimal, found, mode=mode, lag=lag, fmt=fmt)
        return _Built(ssm, starfree.RECIPE, _parameters(ssm))
    if found.star_free is None:
        raise CompileError(f"{target.name}: could not decide star-freeness within the monoid "
                           "budget; compile a smaller DFA")
    report = groups.analyse_monoid(transitions, name=target.name)
    needed = _needed_gates(target, report)
    if gates == "nonnegative" and not found.star_free:
        assert found.witness is not None
        raise refusals.not_star_free(target.name, found.witness, needed=needed)
    if gates == "signed" and needed == "complex":
        witness = groups.odd_witness(minimal, monoid=transitions)
        assert witness is not None  # an odd prime divides a group's order
        raise refusals.weak_gates(target.name, witness)
    if needed == "signed" and recipe is None and _is_z2_power(report):
        return _signed(target, minimal, mode=mode, gates="signed")
    return _groups(target, minimal, mode=mode, lag=lag)


def _needed_gates(target: _Target, report: groups.GroupReport) -> str:
    """The narrowest gate class for a language that is not star-free (refuses the rest)."""
    needed = groups.cheapest_gates(report)
    if needed == "beyond diagonal":
        raise refusals.not_solvable(target.name,
                                    next(g for g in report.groups if not g.solvable))
    if needed == "unknown":
        raise CompileError(f"{target.name}: the transition monoid exceeds the budget; its "
                           "groups are unknown, so no gate class is chosen (compile a smaller "
                           "DFA)")
    return needed


def _is_z2_power(report: groups.GroupReport) -> bool:
    """Whether the whole transition monoid is one group Z₂^r within the one-layer recipe's
    limit (:data:`ssmproof.recipes.signed.MAX_RANK`): a maximal subgroup as large as the monoid
    is the monoid."""
    if len(report.groups) != 1:
        return False
    group = report.groups[0]
    return (group.elementary_2 and group.order == report.monoid_size
            and group.order <= 2 ** signed.MAX_RANK)


def _groups(target: _Target, minimal: DFA, *, mode: Mode, lag: bool) -> _Built:
    if not lag:
        raise CompileError(f"{target.name}: the group cascade uses the lag view; --no-lag "
                           "is only available on the star-free route")
    ssm = group_compiler.compile_minimal(dataclasses.replace(minimal, name=target.name),
                                         mode=mode)
    return _Built(ssm, group_compiler.RECIPE, _parameters(ssm))


def _minimal(lang: Language) -> DFA:
    return dfa_.minimize(lang if isinstance(lang, DFA) else dfa_.from_language(lang))


def _signed(target: _Target, minimal: DFA, *, mode: Mode, gates: str) -> _Built:
    if gates == "nonnegative":
        raise CompileError(f"{target.name}: recipe z2-signed has negative gates; pass "
                           "--gates signed (or auto)")
    ssm = signed.parity_like(dataclasses.replace(minimal, name=target.name), mode=mode)
    return _Built(ssm, recipes.SIGNED_RECIPE, _parameters(ssm))


def _parameters(ssm: SSM) -> dict[str, object]:
    """The ``parameters`` a builder left in the metadata (a mapping), or none."""
    found = (ssm.metadata or {}).get("parameters", {})
    return dict(found) if isinstance(found, Mapping) else {}


# ------------------------------------------------------------------------------ stages 3–4
def _aligned(ssm: SSM, target: _Target) -> SSM:
    if tuple(ssm.alphabet) == target.alphabet:
        return ssm
    if set(ssm.alphabet) != set(target.alphabet):
        raise CompileError(f"{target.name}: internal: the construction reads "
                           f"{list(ssm.alphabet)} but the language has {list(target.alphabet)}")
    return dataclasses.replace(ssm, alphabet=target.alphabet)


def _annotate(ssm: SSM, built: _Built, target: _Target, *, gates: str, lag: bool) -> SSM:
    from ssmproof.sim.gates import reachable_gate_class

    size = len(ssm.alphabet) * max(1, stats(ssm)["nonzero_weights"])
    budget = max(1, min(GATE_CLASS_BUDGET, GATE_CLASS_WORK // size))
    info = reachable_gate_class(ssm, "exact", budget=budget)
    if gates in _RANK and _RANK.get(info.gate_class, -1) > _RANK[gates]:
        raise CompileError(f"{target.name}: internal: recipe {built.recipe} produced "
                           f"{info.gate_class} gates under a {gates} request")
    meta = {**dict(ssm.metadata), "recipe": built.recipe, "language": target.name,
            "parameters": dict(built.parameters), "mode": ssm.mode.value,
            "requested": {"gates": gates, "lag": lag}, **stats(ssm), **info.to_dict()}
    return dataclasses.replace(ssm, metadata=meta)
