"""``ssmproof export``: a construction as a PyTorch module file (``--torch``)."""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "write a construction as a PyTorch module file (needs the torch extra)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("ssm", help="construction JSON")
    p.add_argument("--torch", action="store_true", required=True,
                   help="export as a torch module (the only target so far)")
    p.add_argument("-o", "--output", required=True, metavar="MODEL.pt",
                   help="where to write it (atomically); read it back with ssmproof.torch.load")
    p.add_argument("--format", default="float32", metavar="F",
                   help="float16, bfloat16, float32 (default) or float64: the dtype of the "
                        "weights and the format every value is rounded to")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.errors import SsmproofError

    ssm = common.load_ssm(args.ssm)
    common.refuse_smooth_file(args.ssm, ssm, "export --torch covers ReLU/linear models only",
                              "use the checkpoint it was imported from (refute --torch replays it)")
    try:
        from ssmproof import torch as sstorch
    except ImportError as err:
        raise SsmproofError(f"{args.ssm}: --torch: {err}") from None
    module = sstorch.to_module(ssm, args.format)
    sstorch.save(module, ssm, args.output)
    params = sum(p.numel() for p in module.parameters())
    common.out(f"wrote {args.output} ({args.format}, {len(module.layers)} layers, "
               f"{params} parameters)")
    return 0
