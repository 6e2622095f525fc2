"""``ssmproof draw``: pictures people would rather see than read (DOT, or SVG via Graphviz)."""

from __future__ import annotations

import argparse
import json

from ssmproof.commands import common
from ssmproof.errors import NotStarFreeError, SsmproofError

HELP = "draw a language's minimal DFA, its cascade, or a construction's data flow (.dot or .svg)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", help="a spec file or zoo name, or a construction JSON")
    p.add_argument("-o", "--output", required=True, help="OUT.dot, or OUT.svg (needs Graphviz)")
    p.add_argument("--cascade", action="store_true",
                   help="draw the Krohn-Rhodes cascade of a star-free language instead of its DFA")
    p.add_argument("--hide-dead", action="store_true", help="leave out the rejecting sink")


def _is_ssm_file(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as fh:
            head = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(head, dict) and head.get("format", "").startswith("ssmproof-ssm/")


def _dot(args: argparse.Namespace) -> str:
    from ssmproof.render import dot

    if _is_ssm_file(args.source):
        ssm = common.load_ssm(args.source)
        common.refuse_smooth_file(args.source, ssm, "the Graphviz view covers ReLU/linear "
                                  "models only", "draw the language (a spec) instead")
        return dot.ssm_to_dot(ssm)
    from ssmproof.lang import dfa as dfa_

    lang = common.resolve_language(args.source)
    if not lang.regular:
        raise SsmproofError(f"{args.source}: '{lang.name}' is not regular: it has no finite "
                            "automaton to draw; draw one of its constructions instead")
    minimal = dfa_.minimize(dfa_.from_language(lang) if not hasattr(lang, "delta") else lang)
    if args.cascade:
        from ssmproof.algebra.holonomy import decompose

        try:
            cascade = decompose(minimal)
        except NotStarFreeError as err:
            raise SsmproofError(f"{args.source}: --cascade: {err}; drop --cascade to draw its "
                                "DFA") from None
        return dot.cascade_to_dot(dot.describe_cascade(cascade), name=lang.name)
    return dot.dfa_to_dot(minimal, hide_dead=args.hide_dead)


def handle(args: argparse.Namespace) -> int:
    from ssmproof import atomic
    from ssmproof.render import dot

    if not args.output.endswith((".dot", ".svg")):
        raise SsmproofError(f"{args.output}: give an output ending in .dot or .svg")
    text = _dot(args)
    if args.output.endswith(".svg"):
        text = dot.to_svg(text)
    atomic.write_text(args.output, text)
    common.out(f"wrote {args.output}")
    return 0
