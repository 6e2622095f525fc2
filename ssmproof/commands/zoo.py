"""``ssmproof zoo [--json]``: the named languages and families."""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "list the named languages (usable wherever a spec path is accepted)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.lang import zoo

    entries = zoo.zoo_listing()
    if args.json:
        common.emit_json(entries)
        return 0
    width = max(len(e["name"]) for e in entries)
    for e in entries:
        sf = {True: "star-free", False: "not star-free", None: "depends"}[e["star_free"]]
        kind = "regular" if e["regular"] else "non-regular"
        label = sf if e["regular"] else kind
        common.out(f"{e['name']:<{width}}  {label:<14} {e['description']}")
    return 0
