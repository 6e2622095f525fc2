"""``ssmproof import-torch CHECKPOINT --arch mamba1 -o MODEL.json``: a trained Mamba as a model.

Reads a checkpoint written by ``ssmproof.torch.mamba.save`` (``scripts/train_mamba.py``) with
torch's restricted unpickler and writes the equivalent ``ssmproof-ssm/3`` model, weights exact
(:mod:`ssmproof.torch.mamba_import`). Exit 0, or 2 with one line naming the file and the key.
"""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "turn a trained Mamba-1 checkpoint into an ssmproof model (needs the torch extra)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("checkpoint", help="a ssmproof-mamba/1 checkpoint (.pt)")
    p.add_argument("--arch", required=True, choices=["mamba1"],
                   help="the architecture in the checkpoint (mamba1: Mamba-1 blocks as in mambapy)")
    p.add_argument("-o", "--output", required=True, metavar="MODEL.json",
                   help="where to write the model (atomically)")
    p.add_argument("--name", help="the model's name (default: the checkpoint's language)")


def handle(args: argparse.Namespace) -> int:
    # Imports inside the handler keep start-up light (torch loads only for this command).
    from ssmproof import atomic  # start-up light
    from ssmproof.errors import SsmproofError  # start-up light
    from ssmproof.ssm import jsonio  # start-up light

    try:
        from ssmproof.torch import mamba, mamba_import  # start-up light: torch on use
    except ImportError as err:
        raise SsmproofError(f"{args.checkpoint}: import-torch: {err}") from None
    data = mamba.load_checkpoint(args.checkpoint)
    if data["arch"] != args.arch:
        raise SsmproofError(f"{args.checkpoint}: arch: the checkpoint holds '{data['arch']}', "
                            f"not '{args.arch}'; pass --arch {data['arch']}")
    ssm = mamba_import.to_ssm(data, path=args.checkpoint, name=args.name)
    text = jsonio.to_json(ssm)
    atomic.write_text(args.output, text)
    layers = sum(1 for layer in ssm.layers if layer.state)
    common.out(f"wrote {args.output} ({jsonio.FORMAT_SMOOTH}: {len(ssm.layers)} layers, "
               f"{layers} recurrent, {ssm.state_dims} state dims; gates exp(Δ·A) are "
               "nonnegative by structure)")
    return 0
