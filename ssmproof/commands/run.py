"""``ssmproof run``: decisions (and predictions, traces) of a construction on words."""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "run a construction on one word or on every line of a file"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("ssm", help="construction JSON")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--input", action="append",
                   help='tokens separated by spaces ("" is the empty word); repeat for '
                        "several words, run in order")
    g.add_argument("--inputs", metavar="FILE", help="one word per line")
    p.add_argument("--format", default="exact")
    p.add_argument("--trace", action="store_true",
                   help="print every layer's gates, inputs and states at each position")
    p.add_argument("--json", action="store_true", help="one JSON object per word")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.sim.run import run_words

    ssm = common.load_ssm(args.ssm)
    if args.inputs is not None:
        words = common.read_words(args.inputs, ssm.alphabet)
    else:
        words = [common.parse_word(text, ssm.alphabet) for text in args.input]
    if args.trace or ssm.cyclotomic_order > 1:  # complex weights: the exact Machine
        results = run_words(ssm, words, fmt=args.format, trace=args.trace)
    else:  # numpy batches, identical to the exact simulator (inexact words are replayed on it)
        from ssmproof.sim.batched import batched_run_words

        results = batched_run_words(ssm, words, fmt=args.format)
    for result in results:
        if args.json:
            common.emit_json(result.to_dict())
        else:
            common.out(result.text())
    return 0
