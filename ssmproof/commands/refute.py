"""``ssmproof refute OUT.json --against SPEC``: a word a nonnegative SSM gets wrong (DESIGN §5).

Exit codes (DESIGN §4): 0 a word was found; 1 the argument does not apply (a star-free or
non-regular SPEC, a negative gate met, a format whose rounding is not monotone — the reason is
printed); 2 bad input; 3 not stabilised within the block budget (exact-arithmetic orbits that
converge without arriving included; finite formats to try are named).
"""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "find a word on which a nonnegative-gated SSM errs on a language that is not star-free"


def configure(p: argparse.ArgumentParser) -> None:
    from ssmproof.refute.stabilise import DEFAULT_BLOCK_BUDGET, REPLAY_LIMIT, SCAN_BLOCKS

    common.add_ssm_against(p)
    p.add_argument("--format", default="exact", help="exact (default), fixed:I.P, float16, "
                   "bfloat16, float32, float64; int:P is declined (not monotone)")
    p.add_argument("--mode", choices=["recognize", "predict"],
                   help="judge the accept readout or the predictions (default: the SSM's mode)")
    p.add_argument("--block-budget", type=common.positive_int, default=DEFAULT_BLOCK_BUDGET,
                   metavar="B", help=f"blocks of w stepped one by one before giving up "
                   f"(default {DEFAULT_BLOCK_BUDGET:,}; sound jumps are free)")
    p.add_argument("--replay-limit", type=common.positive_int, default=REPLAY_LIMIT, metavar="L",
                   help=f"most symbols the independent re-check steps one by one; it jumps "
                   f"only where it proves the jump itself (default {REPLAY_LIMIT:,})")
    p.add_argument("--scan", type=common.nonneg_int, default=SCAN_BLOCKS, metavar="N",
                   help=f"try n = 0 … N-1 directly first and report the shortest wrong word "
                   f"(default {SCAN_BLOCKS}; 0 goes straight to the stabilisation argument)")
    p.add_argument("--torch", metavar="CHECKPOINT",
                   help="the Mamba checkpoint OUT.json was imported from (import-torch): replay "
                   "a found word on that original module in the format's dtype and report "
                   "whether it is misclassified there too, or where the two models disagree")
    p.add_argument("--no-enclose", dest="enclose", action="store_false",
                   help="only wait for the configuration to repeat: do not decide early from an "
                   "invariant box around it (which catches a slow counter read by the layers "
                   "above it long before it settles)")
    p.add_argument("--json", action="store_true")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.refute.stabilise import refute

    ssm, lang = common.load_ssm_against(args)
    checkpoint = _checkpoint(args, ssm) if args.torch else None  # bad input before any run
    result = refute(ssm, lang, fmt=args.format, mode=args.mode, block_budget=args.block_budget,
                    replay_limit=args.replay_limit, scan=args.scan, enclose=args.enclose)
    replayed = None
    if checkpoint is not None and result.found and result.input is not None \
            and result.in_language is not None:
        from ssmproof.torch import replay  # start-up light: torch loads only with --torch

        replayed = replay.replay(ssm, checkpoint, result.input, result.format,
                                 result.in_language)
    if args.json:
        extra = {"torch_replay": replayed.to_dict() if replayed else None} if args.torch else {}
        common.emit_json({**result.to_dict(), **extra})
    else:
        common.out(result.summary())
        if replayed is not None:
            common.out(replayed.summary())
    return result.exit_code


def _checkpoint(args: argparse.Namespace, ssm: object) -> dict:
    """The checkpoint of ``--torch``, checked to be over the model's alphabet."""
    from ssmproof.errors import SsmproofError  # start-up light

    try:
        from ssmproof.torch import mamba  # start-up light: torch loads only with --torch
    except ImportError as err:
        raise SsmproofError(f"{args.torch}: --torch: {err}") from None
    data = mamba.load_checkpoint(args.torch)
    if list(data["alphabet"]) != list(ssm.alphabet):  # type: ignore[attr-defined]
        raise SsmproofError(f"{args.torch}: alphabet: {data['alphabet']} differs from the "
                            f"model's {list(ssm.alphabet)}; pass the checkpoint the model "  # type: ignore
                            "was imported from")
    return data
