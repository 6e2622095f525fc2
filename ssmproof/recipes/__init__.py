"""The paper's constructions as recipes, and the table from zoo family to recipe (STYLE R8).

A *recipe* is a function from a family's parameters to an :class:`~ssmproof.ssm.program.SSM`,
plus what it needs (mode, lag view, gate class). :data:`RECIPES` lists every recipe by name;
:data:`FAMILIES` maps each zoo family (``flipflop``, ``dyck``, ``dyck1``, ``shuffle``,
``boolean``, ``anbn``, ``anbncn``, ``anbncndn``) to its recipes in order of preference;
:func:`choose` picks one for a mode/gates/lag request or says why none fits. Regular languages
without a family recipe (``parity``, ``tomita:N``, spec files) go through the DFA route of
:mod:`ssmproof.compiler.compiling` instead: the star-free compiler, or :mod:`.signed`.

=========================  =========  ====  =========  ========================================
recipe                     mode       lag   gates      construction
=========================  =========  ====  =========  ========================================
``flipflop-two-layer``     predict    no    {0, 1}     Thm 1, two layers
``flipflop-lag``           predict    yes   {0, 1}     one layer, lag view + pre-MLP
``flipflop-recognizer``    recognize  yes   {0, 1}     bit register + local errors, error latch
``dyck-clearing``          predict    no    {0, 1}     Thm 6, groups cleared on closing:
                                                       configurations = live DFA states
``dyck-two-layer``         predict    no    {0, 1}     Thm 6: depth counter + H registers
``dyck-recognizer``        recognize  no    {0, 1}     Thm 6 layers + an error latch
``dyck1-counter``          predict    no    {0, 1}     Thm 5: one counter
``shuffle-counters``       predict    no    {0, 1}     K counters
``boolean-counter``        predict    no    {0, 1}     pending operands
``phase-counters(-3, -4)`` predict    no    {0, 1}     differences + two phase flags
``*-recognizer``           recognize  no    {0, 1}     those counters + an error latch
                                                       (dyck1, shuffle, boolean, phase)
``z2-signed``              both       no    {−1, 1}    any DFA whose group is Z₂^r (parity, …)
=========================  =========  ====  =========  ========================================

Thm N is Theorem N of Sarrof, Veitsman & Hahn, NeurIPS 2024 (arXiv 2405.17394v2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ssmproof.errors import CompileError
from ssmproof.recipes import counter_recognizers, counters, dyck, flipflop, gadgets, signed
from ssmproof.ssm.program import SSM, Mode

__all__ = ["Recipe", "RECIPES", "FAMILIES", "FAMILY_PARAMETERS", "parse_family", "choose",
           "fitting", "build", "SIGNED_RECIPE", "counter_recognizers", "counters", "dyck",
           "flipflop", "signed", "gadgets"]

Params = Mapping[str, int]


@dataclass(frozen=True)
class Recipe:
    """One construction: its name, what it needs, and its builder (parameters → SSM)."""

    name: str
    family: str
    modes: frozenset[Mode]
    uses_lag: bool
    gates: str  # "nonnegative" or "signed": the class its gate values fall in
    summary: str
    build: Callable[[Params], SSM] = field(repr=False)


def _r(name: str, family: str, mode: Mode, uses_lag: bool, summary: str,
       build: Callable[[Params], SSM]) -> Recipe:
    return Recipe(name, family, frozenset({mode}), uses_lag, "nonnegative", summary, build)


_P, _R = Mode.PREDICT, Mode.RECOGNIZE
_PAPER = "Sarrof, Veitsman & Hahn 2024, "  # the theorems the summaries cite (arXiv 2405.17394v2)
RECIPES: dict[str, Recipe] = {r.name: r for r in (
    _r("flipflop-two-layer", "flipflop", _P, False, _PAPER + "Theorem 1: latest-instruction-is-w, "
       "then the written bit", lambda p: flipflop.two_layer()),
    _r("flipflop-lag", "flipflop", _P, True, "one layer: lag view and pre-MLP gate on "
       "'previous w and current bit'", lambda p: flipflop.one_layer_lag()),
    _r("flipflop-recognizer", "flipflop", _R, True, "bit register and local error flags, then "
       "an error latch", lambda p: flipflop.recognizer()),
    _r("dyck-clearing", "dyck", _P, False, _PAPER + "Theorem 6 with each group cleared when its "
       "bracket closes: reachable configurations = live DFA states (memory-optimal)",
       lambda p: dyck.clearing(p["K"], p["H"])),
    _r("dyck-two-layer", "dyck", _P, False, _PAPER + "Theorem 6: depth counter, H groups of "
       "ceil(log2 K) set/reset bits", lambda p: dyck.predictive(p["K"], p["H"])),
    _r("dyck-recognizer", "dyck", _R, False, _PAPER + "Theorem 6 layers plus an error latch "
       "(exact on invalid words only in saturating formats)", lambda p: dyck.recognizer(p["K"], p["H"])),
    _r("dyck1-counter", "dyck1", _P, False, _PAPER + "Theorem 5: one depth counter",
       lambda p: counters.dyck1()),
    _r("shuffle-counters", "shuffle", _P, False, _PAPER + "Theorem 5: one depth counter per pair",
       lambda p: counters.shuffle(p["K"])),
    _r("boolean-counter", "boolean", _P, False, _PAPER + "Theorem 5: pending-operand counter",
       lambda p: counters.boolean(p["N"])),
    _r("phase-counters", "anbn", _P, False, _PAPER + "Theorem 5: differences and phase flags",
       lambda p: counters.counting("ab")),
    _r("phase-counters-3", "anbncn", _P, False, _PAPER + "Theorem 5: differences and phase flags",
       lambda p: counters.counting("abc")),
    _r("phase-counters-4", "anbncndn", _P, False, _PAPER + "Theorem 5: differences and phase flags",
       lambda p: counters.counting("abcd")),
    _r("dyck1-recognizer", "dyck1", _R, False, "depth counter, error latch on depth < 0",
       lambda p: counter_recognizers.dyck1()),
    _r("shuffle-recognizer", "shuffle", _R, False, "K depth counters, error latch on any < 0",
       lambda p: counter_recognizers.shuffle(p["K"])),
    _r("boolean-recognizer", "boolean", _R, False, "pending operands, error latch on a "
       "symbol read with none pending", lambda p: counter_recognizers.boolean(p["N"])),
    _r("phase-recognizer", "anbn", _R, False, "differences, letter flags, error latch on "
       "order or a negative difference", lambda p: counter_recognizers.counting("ab")),
    _r("phase-recognizer-3", "anbncn", _R, False, "differences, letter flags, error latch",
       lambda p: counter_recognizers.counting("abc")),
    _r("phase-recognizer-4", "anbncndn", _R, False, "differences, letter flags, error latch",
       lambda p: counter_recognizers.counting("abcd")),
)}

FAMILIES: dict[str, tuple[str, ...]] = {}
for _recipe in RECIPES.values():
    FAMILIES[_recipe.family] = (*FAMILIES.get(_recipe.family, ()), _recipe.name)

FAMILY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "dyck": ("K", "H"), "shuffle": ("K",), "boolean": ("N",),
}
"""Parameter names of the parametric families, in the order of their zoo names (``dyck:K,H``)."""

SIGNED_RECIPE = "z2-signed"
"""The DFA-level recipe of :mod:`.signed` (it takes a DFA, not family parameters)."""


def parse_family(name: str) -> tuple[str, dict[str, int]] | None:
    """``"dyck:2,3"`` → ``("dyck", {"K": 2, "H": 3})``; None when no recipe family matches.

    Raises
    ------
    CompileError
        The family is known but its parameters are malformed.

    Examples
    --------
    >>> parse_family("dyck:2,3"), parse_family("flipflop"), parse_family("tomita:3")
    (('dyck', {'K': 2, 'H': 3}), ('flipflop', {}), None)
    """
    family, _, args = name.strip().partition(":")
    if family not in FAMILIES:
        return None
    names = FAMILY_PARAMETERS.get(family, ())
    parts = [a.strip() for a in args.split(",")] if args else []
    if len(parts) != len(names) or not all(p.isdigit() for p in parts):
        want = family + (":" + ",".join(names) if names else "")
        raise CompileError(f"{name}: expected the family name in the form '{want}' with whole "
                           "numbers; `ssmproof zoo` lists the names")
    return family, {n: int(p) for n, p in zip(names, parts)}


def choose(family: str, *, mode: Mode, gates: str = "nonnegative", lag: bool = True,
           recipe: str | None = None) -> Recipe:
    """The recipe for a family under a request, or a CompileError saying what would work.

    With ``recipe`` given, that recipe is checked against the request; otherwise the first of
    the family's recipes (in :data:`FAMILIES` order) that fits is taken.

    Examples
    --------
    >>> choose("flipflop", mode=Mode.PREDICT).name
    'flipflop-two-layer'
    >>> choose("flipflop", mode=Mode.PREDICT, recipe="flipflop-lag").name
    'flipflop-lag'
    """
    found = fitting(family, mode=mode, gates=gates, lag=lag, recipe=recipe)
    if found is not None:
        return found
    problems = [f"{name} {_misfit(RECIPES[name], mode=mode, gates=gates, lag=lag)}"
                for name in _candidates(family, recipe)]
    raise CompileError(f"{family}: no construction fits --mode {mode.value} --gates {gates}"
                       f"{'' if lag else ' --no-lag'}: " + "; ".join(problems))


def fitting(family: str, *, mode: Mode, gates: str = "nonnegative", lag: bool = True,
            recipe: str | None = None) -> Recipe | None:
    """The recipe :func:`choose` would take, or None when none fits the request (a value, so
    that ``compile_language`` picks its route before building anything).

    Examples
    --------
    >>> fitting("flipflop", mode=Mode.RECOGNIZE, lag=False) is None
    True
    >>> fitting("flipflop", mode=Mode.RECOGNIZE).name
    'flipflop-recognizer'
    """
    for name in _candidates(family, recipe):
        if _misfit(RECIPES[name], mode=mode, gates=gates, lag=lag) is None:
            return RECIPES[name]
    return None


def _candidates(family: str, recipe: str | None) -> tuple[str, ...]:
    """The family's recipes in preference order, or just ``recipe`` (which must be one)."""
    names = FAMILIES.get(family, ())
    if recipe is None:
        return names
    if recipe not in names:
        raise CompileError(f"{family}: no recipe '{recipe}'; this family has {list(names)}")
    return (recipe,)


def _misfit(r: Recipe, *, mode: Mode, gates: str, lag: bool) -> str | None:
    if mode not in r.modes:
        other = "/".join(sorted(m.value for m in r.modes))
        return f"is {other}-only (pass --mode {other})"
    if r.uses_lag and not lag:
        return ("needs the lag view (without it a nonnegative SSM with finitely many exact "
                "configurations cannot tell x from xx; drop --no-lag)")
    if r.gates == "signed" and gates != "signed":
        return "needs signed gates (pass --gates signed)"
    return None


def build(name: str, *, mode: Mode, gates: str = "nonnegative", lag: bool = True,
          recipe: str | None = None) -> tuple[Recipe, dict[str, int], SSM]:
    """Build a named family's construction: ``(recipe, parameters, ssm)``.

    Raises
    ------
    CompileError
        Unknown family, malformed or out-of-range parameters, or no recipe fits the request.

    Examples
    --------
    >>> r, params, ssm = build("dyck:2,3", mode=Mode.PREDICT)
    >>> r.name, params, ssm.state_dims
    ('dyck-clearing', {'K': 2, 'H': 3}, 4)
    """
    parsed = parse_family(name)
    if parsed is None:
        raise CompileError(f"{name}: no recipe family of that name; families: {sorted(FAMILIES)}")
    family, params = parsed
    chosen = choose(family, mode=mode, gates=gates, lag=lag, recipe=recipe)
    try:
        return chosen, params, chosen.build(params)
    except ValueError as err:
        raise CompileError(f"{name}: {err}") from None

