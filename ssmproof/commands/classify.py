"""``ssmproof classify SPEC [--json]``: minimal DFA, monoid, star-freeness, witness, gate class."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ssmproof.commands import common

if TYPE_CHECKING:  # annotations only: the command loads the language modules on use
    from ssmproof.lang.automaton import Language

HELP = "minimal DFA size, transition monoid, star-free or not (with a witness), gates needed"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", help="a spec file or zoo name")
    p.add_argument("--max-monoid", type=common.positive_int, default=None, metavar="N",
                   help="enumerate at most N monoid elements (default 1,000,000); above it "
                        "the size is reported as unknown, with the reason")
    p.add_argument("--json", action="store_true")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.lang import groups, monoid

    lang = common.resolve_language(args.spec)
    budget = args.max_monoid or monoid.MONOID_BUDGET
    c = monoid.classify(lang, budget=budget)
    data = c.to_json_dict()
    report = groups.analyse(lang, budget=budget) if c.regular else None
    data["groups"] = report.to_dict() if report is not None else None
    data["construction"] = _cheapest(lang, args.spec) if c.regular else None
    if args.json:
        common.emit_json(data)
        return 0
    common.out(f"{c.name}: " + ("regular" if c.regular else "not regular (a counter language)"))
    if not c.regular:
        common.out("  no finite automaton: verification is bounded, prove cannot close")
        return 0
    common.out(f"  minimal DFA: {c.states} states ({_SINK[c.sink]})")
    if c.monoid_size is not None:
        common.out(f"  transition monoid: {c.monoid_size:,} elements (identity included)")
    else:
        common.out(f"  transition monoid: size unknown — {c.reason}")
    if c.star_free is None:
        common.out("  star-free: unknown (no periodic element among the elements enumerated)")
    elif c.star_free:
        common.out(f"  star-free: yes (aperiodic, index {c.aperiodicity_index}): "
                   "nonnegative gates suffice (Sarrof et al. 2024, Theorem 4)")
    else:
        w = c.witness
        said = (f" — witness u={_w(w.u)} w={_w(w.w)} v={_w(w.v)}: membership of u·wⁿ·v has "
                f"period {w.period}") if w else ""
        common.out("  star-free: no" + said)
    if report is not None:
        for g in report.groups:
            common.out(f"  group {g.name}: order {g.order}, abelian={g.abelian}, "
                       f"solvable={g.solvable}")
        common.out(f"  gates needed: {report.gates} — {report.explanation}")
    built = data["construction"]
    if built is not None and built.get("refused"):
        common.out(f"  cheapest construction: none — {built['refused']}")
    elif built is not None:
        common.out(f"  cheapest construction: {built['gates']} gates ({built['recipe']}), "
                   f"{built['layers']} layer(s), {built['state_dims']} state dim(s)"
                   f" of which {built['complex_dims']} complex; "
                   f"`ssmproof compile` (--gates auto) builds it")
    return 0


def _cheapest(lang: Language, name: str) -> dict[str, object]:
    """What ``compile --gates auto`` builds (recognition): class, recipe, layers, dims."""
    from ssmproof.compiler.compiling import compile_language  # keeps start-up light
    from ssmproof.errors import CompileError, NotSolvableError  # keeps start-up light
    from ssmproof.numerics.cyclotomic import Cyclotomic  # keeps start-up light

    try:
        ssm = compile_language(lang)
    except NotSolvableError as err:
        return {"gates": "beyond diagonal", "refused": str(err), "group": err.group,
                "order": err.order}
    except CompileError as err:
        return {"gates": None, "refused": str(err)}
    complex_dims = sum(1 for layer in ssm.layers for ch in layer.state
                       if any(isinstance(w, Cyclotomic) for m in (layer.gate, layer.input)
                              for w in m.get(ch, {}).values()))
    meta = ssm.metadata
    return {"gates": meta["gate_class"], "recipe": meta["recipe"], "layers": len(ssm.layers),
            "state_dims": ssm.state_dims, "complex_dims": complex_dims}


_SINK = {True: "complete, its rejecting sink included",
         False: "complete; no sink: from every state some word is accepted",
         None: "complete"}


def _w(word: tuple[str, ...]) -> str:
    return "[" + " ".join(word) + "]" if word else "ε"
