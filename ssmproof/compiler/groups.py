"""Any regular language whose groups are solvable → an SSM with signed or complex gates.

The stages (docs/gates.md):

1. the complete minimal DFA;
2. :func:`ssmproof.algebra.group_cascade.decompose_groups` — the holonomy cascade with group
   levels, each group split along a composition series into Z_p counters; the cover is checked
   on every reachable configuration;
3. :func:`ssmproof.compiler.group_cascade_to_ssm.group_cascade_to_ssm` — reset components as
   0/1 channels (nonnegative gates), Z₂ digits as ±1 channels (gate −1), Z_p digits (p ≥ 3) as
   one complex channel each (gate ζₚ), moves as pre-MLP rules on the lag view, readout cubes;
4. :func:`_report` — the size report in ``metadata["groups"]``.

The gate class is therefore ``signed`` when every group is a 2-group and ``complex`` exactly
when an odd prime divides a group's order (the class is *computed* from the reachable gate
values afterwards, as for every construction). Compiling checks the cascade, not the SSM:
``verify --prove`` checks the SSM for every length.
"""

from __future__ import annotations

import dataclasses
import math

from ssmproof.algebra.group_cascade import decompose_groups
from ssmproof.compiler.group_cascade_to_ssm import group_cascade_to_ssm
from ssmproof.lang import dfa as dfa_
from ssmproof.lang.automaton import DFA
from ssmproof.ssm.program import SSM, Mode

__all__ = ["RECIPE", "compile_dfa", "compile_minimal"]

RECIPE = "group-cascade"
"""The ``metadata.recipe`` of every construction compiled here."""


def compile_dfa(dfa: DFA, *, mode: Mode | str = Mode.RECOGNIZE,
                max_configurations: int = 1_000_000) -> SSM:
    """Compile a regular language whose syntactic monoid has only solvable groups.

    Parameters
    ----------
    dfa : DFA
        Any complete DFA (minimised here).
    mode : Mode or str
        ``recognize`` or ``predict``.
    max_configurations : int
        Reachable cascade configurations explored at most (``CompileError`` beyond).

    Raises
    ------
    CompileError
        A holonomy group is not solvable or too large, or the cascade exceeds the budget.

    Examples
    --------
    >>> from ssmproof.lang import zoo
    >>> from ssmproof.verify.api import verify
    >>> t6 = zoo.tomita(6)  # #0 − #1 ≡ 0 (mod 3): one complex channel, gate ζ₃
    >>> ssm = compile_dfa(t6)
    >>> verify(ssm, t6, prove=True).all_lengths, ssm.metadata["groups"]["complex_dims"]
    (True, 1)

    Notes
    -----
    As for star-free languages, the decomposition's images can number 2^|Q| and the reachable
    configurations grow with the levels; a group level adds its orbit component and one digit
    per prime factor of the group's order (with multiplicity).

    References
    ----------
    Krohn & Rhodes (1965); Zeiger (1967); Egri-Nagy & Nehaniv, arXiv:1508.06345 (holonomy);
    Grazzi et al., ICLR 2025 (negative gates count mod 2); Sarrof, Veitsman & Hahn, NeurIPS
    2024, arXiv 2405.17394 (v2), Thm 2 and 4; Shakerinava et al. (complex diagonal SSMs and
    abelian series).
    """
    return compile_minimal(dfa_.minimize(dfa), mode=mode, max_configurations=max_configurations)


def compile_minimal(minimal: DFA, *, mode: Mode | str = Mode.RECOGNIZE,
                    max_configurations: int = 1_000_000) -> SSM:
    """:func:`compile_dfa` for a DFA that is already complete and minimal (as
    ``compile_language`` hands it over, after classifying it): stages 2–4.

    Examples
    --------
    >>> from ssmproof.lang import dfa as dfa_, zoo
    >>> compile_minimal(dfa_.minimize(zoo.tomita(6))).metadata["groups"]["complex_dims"]
    1
    """
    gc = decompose_groups(minimal, max_configurations=max_configurations)
    ssm, facts = group_cascade_to_ssm(gc, minimal, mode=mode, name=minimal.name)
    p_max = max((c.order for c in gc.components if c.kind == "cyclic"), default=1)
    report = {
        "dfa_states": len(minimal.states),
        "levels": gc.levels,
        "groups": [dict(g) for g in gc.groups],
        "components": [{"name": c.name, "kind": c.kind, **({"order": c.order} if c.order else {})}
                       for c in gc.components],
        "layers": facts.layers,
        "schedule": [list(group) for group in facts.schedule],
        "state_dims": ssm.state_dims,
        "real_dims": facts.real_dims,
        "complex_dims": facts.complex_dims,
        "gates_needed": "complex" if p_max > 2 else "signed" if p_max == 2 else "nonnegative",
        "move_rules": facts.rules,
        "readout_cubes": facts.readout_cubes,
        "images": gc.images,
        "reachable_configurations": len(gc.configs),
        "cascade_bits": round(math.log2(len(gc.configs)), 3) if len(gc.configs) > 1 else 0,
    }
    meta = {"recipe": RECIPE, "parameters": {"lag": True}, "groups": report}
    return dataclasses.replace(ssm, metadata=meta)
