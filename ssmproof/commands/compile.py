"""``ssmproof compile``: a spec or zoo name → a construction JSON file (DESIGN §7).

Exit codes: 0 = written; 1 = impossible for this request (not star-free under nonnegative gates,
or a mod-p count with p odd under signed gates — the message carries the witness —, a
non-solvable group (the group, its order and the reference), or no recipe fits the
mode/lag/gates combination; nothing is written); 2 = bad input (spec, zoo name, options), through the CLI driver.
The output is written atomically (a temporary file in the same folder, then a rename), so an
existing file is never left half-written.
"""

from __future__ import annotations

import argparse
import json
import sys

from ssmproof.commands import common
from ssmproof.errors import CompileError
from ssmproof.lang.witness import Witness

HELP = "compile a language (spec file or zoo name) into SSM weights"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", help="a spec file (.json/.toml) or a zoo name such as dyck:2,3")
    p.add_argument("-o", "--output", required=True, metavar="OUT.json",
                   help="where to write the construction")
    p.add_argument("--mode", choices=["recognize", "predict"], default="recognize",
                   help="recognition (default) or predictive modelling")
    p.add_argument("--gates", choices=["auto", "nonnegative", "signed", "complex"],
                   default="auto",
                   help="gate class the construction may use (default auto: the narrowest "
                   "class a construction exists in; docs/gates.md)")
    p.add_argument("--no-lag", dest="lag", action="store_false",
                   help="forbid the lag view (Mamba's conv1d)")
    p.add_argument("--recipe", metavar="NAME",
                   help="force a recipe (see ssmproof.recipes.RECIPES, 'starfree', 'z2-signed')")
    p.add_argument("--format", dest="fmt", metavar="F",
                   help="with --no-lag on the star-free route: the format the decay is chosen "
                   "for (default: one decay that suits bfloat16 and float32)")
    p.add_argument("--json", action="store_true", help="print the construction's metadata")


def handle(args: argparse.Namespace) -> int:
    from ssmproof import atomic
    from ssmproof.compiler.compiling import compile_language
    from ssmproof.ssm import jsonio

    try:
        ssm = compile_language(args.spec, mode=args.mode, gates=args.gates, lag=args.lag,
                               recipe=args.recipe, fmt=args.fmt)
    except CompileError as err:  # NotStarFreeError and WeakGatesError carry a witness
        _refuse(str(err), getattr(err, "witness", None), args.json)
        return 1
    atomic.write_text(args.output, jsonio.to_json(ssm))
    meta = jsonio.to_dict(ssm)["metadata"]
    note = _proof_note(ssm)
    if args.json:
        common.emit_json({"written": args.output, **meta} | ({"notes": [note]} if note else {}))
    else:
        if note:
            sys.stderr.write(f"ssmproof: note: {note}\n")
        common.out(f"wrote {args.output}: {meta['recipe']} ({meta['mode']}), "
                   f"{meta['layers']} layer(s), {meta['state_dims']} state dim(s), "
                   f"gates {meta['gate_class']} ({_coverage(meta)})")
    return 0


def _proof_note(ssm: object) -> str | None:
    """The warning that an exact proof of what was written cannot close (a decaying channel)."""
    if not getattr(ssm, "parameters", ()):
        return None
    from ssmproof.compiler import decay  # keeps start-up light: parameters only

    return decay.exact_proof_note(ssm)  # type: ignore[arg-type]


def _coverage(meta: dict) -> str:
    """``gate_class_coverage`` (a JSON word, DESIGN §2) said in plain words."""
    if meta["gate_class_coverage"] == "complete":
        return "every reachable gate value checked"
    seen = meta.get("gate_values_seen")
    return (f"judged from the {seen} distinct gate value(s) met in a bounded exploration, not "
            "from every reachable one" if seen else "judged from a bounded exploration")


def _refuse(message: str, witness: Witness | None, as_json: bool) -> None:
    sys.stderr.write(f"ssmproof: {message}\n")
    if as_json:
        w = None if witness is None else witness.to_json_dict()
        common.out(json.dumps({"written": None, "error": message, "witness": w},
                              ensure_ascii=False, sort_keys=True))
