"""``ssmproof check CERT SSM SPEC``: re-run a certificate's claim with the independent checker.

Exit 0 confirmed, 1 a disagreement (named), 2 bad input, 3 not re-checked (a method the checker
does not re-run, a counter language, or more configurations than ``--max-configurations``).
"""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = ("re-check a certificate (prove, invariant, exhaustive, random, or a prove+... "
        "mixture) independently from the SSM file and the spec (and the relation)")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("cert", help="certificate JSON (from verify --json or constructions/)")
    p.add_argument("ssm", help="the construction JSON the certificate is about")
    p.add_argument("spec", help="the spec file or zoo name it was checked against")
    p.add_argument("--max-configurations", type=common.positive_int, default=10**6,
                   metavar="M", help="refuse (exit 3) certificates claiming more")
    p.add_argument("--relation", metavar="RELATION",
                   help="the relation (ssmproof-relation/1) an invariant certificate rests on")
    p.add_argument("--json", action="store_true")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.check import check_files

    verdict = check_files(args.cert, args.ssm, args.spec,
                          max_configurations=args.max_configurations,
                          relation_path=args.relation)
    if args.json:
        common.emit_json(verdict.to_dict())
    else:
        common.out(verdict.summary())
    return verdict.exit_code
