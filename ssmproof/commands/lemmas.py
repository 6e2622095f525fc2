"""``ssmproof lemmas``: machine-check the lemmas behind the impossibility argument (DESIGN §5).

(a) sympy, exact arithmetic: the orbit of h ↦ a·h + b has h_{n+1} − h_n = aⁿ(h_1 − h_0) (by
induction), so a ≥ 0 makes it monotone; it converges (a < 1) or grows linearly (a = 1).
(b) exhaustively over every fixed:I.P with I + P ≤ --max-bits: h ↦ rnd(rnd(a·h) + b) with a ≥ 0
is eventually constant from every start; the worst number of steps per format; a < 0 as the
contrast. Exit 0 when everything holds, 1 otherwise.
"""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "check the impossibility lemmas: sympy (exact) and exhaustively over small fixed-point"


def configure(p: argparse.ArgumentParser) -> None:
    from ssmproof.refute.lemmas import DEFAULT_MAX_BITS

    p.add_argument("--max-bits", type=_bits, default=DEFAULT_MAX_BITS, metavar="B",
                   help=f"check every fixed:I.P with I + P <= B (default {DEFAULT_MAX_BITS}; "
                   "the cost grows about 8x per bit)")
    p.add_argument("--json", action="store_true")


def _bits(text: str) -> int:
    value = common.positive_int(text)
    if value > 12:
        raise argparse.ArgumentTypeError(f"{value} bits is too many to enumerate (at most 12)")
    return value


def handle(args: argparse.Namespace) -> int:
    from ssmproof.refute.lemmas import check

    report = check(max_bits=args.max_bits)
    if args.json:
        common.emit_json(report.to_dict())
    else:
        common.out(report.text())
    return 0 if report.holds else 1
