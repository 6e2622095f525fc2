"""Any star-free DFA → a nonnegative-gated SSM, through the Krohn–Rhodes cascade of resets.

The stages, each a module named after what it turns into what:

1. :func:`_minimal` — the complete minimal DFA (any finite-state language is materialised first);
2. :func:`ssmproof.lang.monoid.classify` — aperiodic or not; not → :class:`NotStarFreeError`
   with the witness (u, w, v, p), because no nonnegative SSM exists then (PAPER §3);
3. :func:`ssmproof.algebra.holonomy.decompose` — the cascade of reset automata, and
   :func:`ssmproof.algebra.cascade.check_cover` — the cover checked on every reachable
   configuration, independently of any SSM;
4. :func:`ssmproof.compiler.cascade_to_ssm.analyse` — reachable configurations, where each rule
   fires, and that the rules firing at one level agree;
5. :func:`ssmproof.compiler.cascade_to_ssm.cascade_to_ssm` — levels → layers (merged where they
   do not read each other), codes (:mod:`~ssmproof.compiler.level_codes`), rules → pre-MLP, the
   lag view or echo layers (:mod:`~ssmproof.compiler.decay`), readout cubes
   (:mod:`~ssmproof.compiler.configs_to_readout`);
6. :func:`_report` — the size report in ``metadata["starfree"]``.

What is *not* guaranteed here: compiling checks the cascade, not the SSM. ``verify --prove``
(:func:`ssmproof.verify.api.verify`) checks the SSM for every length; the tests do so for every
star-free language of the zoo and for random aperiodic DFAs.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from ssmproof.algebra import cascade as cascade_
from ssmproof.algebra import holonomy
from ssmproof.compiler import cascade_to_ssm as to_ssm
from ssmproof.compiler import decay, refusals
from ssmproof.compiler.level_codes import Encoding
from ssmproof.errors import CompileError
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import monoid
from ssmproof.lang.automaton import DFA, Language
from ssmproof.numerics.formats import Format, parse
from ssmproof.ssm.program import SSM, Mode
from ssmproof.ssm.size import stats

__all__ = ["RECIPE", "compile_dfa", "compile_minimal", "max_configurations"]

RECIPE = "starfree-cascade"
"""The ``metadata.recipe`` of every construction compiled here."""

max_configurations = 1_000_000
"""Reachable cascade configurations the compiler explores before giving up (CompileError)."""


def compile_dfa(dfa: DFA | Language, *, mode: Mode | str = Mode.RECOGNIZE, lag: bool = True,
                fmt: str | Format | None = None,
                encoding: Encoding | str = Encoding.AUTO) -> SSM:
    """Compile a star-free regular language into an SSM with gates in [0, 1].

    Parameters
    ----------
    dfa : DFA or Language
        Any complete DFA (minimised here), or a finite-state language (materialised, then
        minimised).
    mode : Mode or str
        ``recognize`` (an ``accept`` readout) or ``predict`` (one readout per symbol and EOS).
    lag : bool
        Use the lag view (default: gates in {0, 1}, exact in every format that holds small
        integers). ``False`` = ``--no-lag``: echo layers with a decay λ (gates λ and {0, 1}).
    fmt : str or Format, optional
        Only for ``lag=False``: the format the decay λ is chosen for
        (:func:`~ssmproof.compiler.decay.choose_decay`); by default λ = 2⁻⁷⁵, which makes the
        construction finite-state under both bfloat16 and float32. Ignored with the lag view.
    encoding : {"auto", "onehot", "binary"}
        How each level's state is coded (``auto``: binary exactly where it saves channels).

    Returns
    -------
    SSM
        Validated; ``metadata["starfree"]`` holds the size report (levels, layers and layers
        saved by merging, state dims, encodings, MLP units, readout cubes, reachable cascade
        configurations) next to the DFA size, the monoid size and ⌈log₂ |Q|⌉.

    Raises
    ------
    NotStarFreeError
        The language is not star-free; ``witness`` holds (u, w, v, period).
    CompileError
        The language is not regular, the monoid or the cascade is beyond the budgets, or no
        decay works in ``fmt``.

    Notes
    -----
    The decomposition's worst cases are exponential: the images can number 2^|Q| and the
    reachable cascade configurations — which decide the readout's size and the verifier's work —
    can be exponential in the number of levels (D_m: 2^(m+1) configurations for m + 2 states).

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.verify.api import verify
    >>> ssm = compile_dfa(contains_aa())
    >>> verify(ssm, contains_aa(), prove=True).holds
    True
    >>> r = ssm.metadata["starfree"]
    >>> r["levels"], r["layers"], r["state_dims"], r["dfa_states"], r["monoid_size"]
    (2, 2, 2, 3, 6)
    >>> compile_dfa(contains_aa(), lag=False).parameters[0].latex
    '\\\\lambda'

    References
    ----------
    Sarrof, Veitsman & Hahn, NeurIPS 2024, arXiv 2405.17394 (v2): Theorem 4 (star-free languages
    are modelled by nonnegative SSMs at finite precision) via Krohn–Rhodes; H. P. Zeiger (1967)
    and Egri-Nagy & Nehaniv, arXiv:1508.06345 (the holonomy decomposition).
    """
    minimal = _minimal(dfa)
    found = monoid.classify_minimal(minimal, monoid.transition_monoid(minimal))
    _require_star_free(minimal, found)
    return compile_minimal(minimal, found, mode=mode, lag=lag, fmt=fmt, encoding=encoding)


def compile_minimal(minimal: DFA, found: monoid.Classification, *,
                    mode: Mode | str = Mode.RECOGNIZE, lag: bool = True,
                    fmt: str | Format | None = None,
                    encoding: Encoding | str = Encoding.AUTO) -> SSM:
    """:func:`compile_dfa`'s stages 3–6 for a complete minimal DFA already classified star-free
    (``found``), as ``compile_language`` hands it over: nothing is minimised or classified
    again.

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.lang import dfa as dfa_
    >>> m = dfa_.minimize(contains_aa())
    >>> compile_minimal(m, monoid.classify(m)).metadata["starfree"]["levels"]
    2
    """
    mode = Mode(mode)
    encoding = _encoding(encoding)
    cascade, reach = _decompose(minimal)
    info = to_ssm.analyse(cascade, reach=reach)
    decay_value = None if lag else decay.choose_decay(fmt)
    ssm, facts = to_ssm.cascade_to_ssm(cascade, minimal, mode=mode, lag=lag,
                                       decay_value=decay_value, encoding=encoding,
                                       name=minimal.name, analysis=info)
    report = _report(ssm, facts, minimal, found, cascade)
    meta = {"recipe": RECIPE, "parameters": _parameters(lag, decay_value, fmt, encoding),
            "starfree": report}
    return dataclasses.replace(ssm, metadata=meta)


def _encoding(value: Encoding | str) -> Encoding:
    try:
        return Encoding(value)
    except ValueError:
        raise CompileError(f"encoding {value!r}: choose one of "
                           f"{[e.value for e in Encoding]}") from None


def _minimal(lang: DFA | Language) -> DFA:
    if not getattr(lang, "regular", False):
        raise CompileError(f"{lang.name}: not a regular language; the star-free compiler needs "
                           "a DFA")
    built = lang if isinstance(lang, DFA) else dfa_.from_language(lang)
    return dfa_.minimize(built)


def _require_star_free(minimal: DFA, found: monoid.Classification) -> None:
    if found.star_free:
        return
    if found.star_free is None:
        raise CompileError(f"{minimal.name}: star-freeness is undecided within the monoid "
                           "budget; compile a smaller DFA")
    assert found.witness is not None
    raise refusals.not_star_free(minimal.name or "dfa", found.witness)


def _decompose(minimal: DFA) -> tuple[cascade_.Cascade, cascade_.Reachable]:
    """The cascade, checked to cover ``minimal``, and its reachable configurations (explored
    once, for the check and for the analysis that follows)."""
    try:
        cascade = holonomy.decompose(minimal, max_configurations=max_configurations)
    except ValueError as err:
        raise CompileError(f"{minimal.name}: the cascade is too large: {err}") from None
    try:  # a conflict between two rules, or the budget
        reach = cascade_.explore(cascade, max_configurations)
    except ValueError as err:
        raise CompileError(f"{minimal.name}: cascade: {err}") from None
    try:
        cascade_.check_cover(cascade, minimal, reach=reach)
    except AssertionError as err:
        raise CompileError(f"{minimal.name}: internal: the cascade does not cover the DFA: "
                           f"{err}") from None
    return cascade, reach


def _parameters(lag: bool, decay_value: Fraction | None, fmt: str | Format | None,
                encoding: Encoding | str) -> dict[str, object]:
    out: dict[str, object] = {"lag": lag, "encoding": Encoding(encoding).value}
    if decay_value is not None:
        out["decay"] = str(decay_value)
        out["decay_format"] = "bfloat16, float32" if fmt is None else str(parse(fmt))
    return out


def _report(ssm: SSM, facts: to_ssm.BuildFacts, minimal: DFA, found: monoid.Classification,
            cascade: cascade_.Cascade) -> dict[str, object]:
    """The size report; nothing volatile (no times), so committed constructions reproduce."""
    n = len(minimal.states)
    size = stats(ssm)
    return {
        "dfa_states": n,
        "monoid_size": found.monoid_size,
        "log2_states": math.ceil(math.log2(n)) if n > 1 else 0,
        "levels": facts.levels,
        "layers": facts.layers,
        "level_layers": facts.level_layers,
        "echo_layers": facts.echo_layers,
        "layers_saved_by_merging": facts.layers_saved,
        "schedule": [list(group) for group in facts.schedule],
        "state_dims": ssm.state_dims,
        "level_encodings": [dict(e) for e in facts.encodings],
        "reset_rules": facts.rules,
        "levels_with_overlapping_rules": facts.overlapping_levels,
        "readout_cubes": facts.readout_cubes,
        "mlp_units": facts.mlp_units,
        "mlp_width": size["mlp_width"],
        "nonzero_weights": size["nonzero_weights"],
        "images": cascade.images,
        "reachable_configurations": facts.reachable,
        "cascade_bits": round(math.log2(facts.reachable), 3) if facts.reachable else 0,
    }
