"""Replaying words on the original torch module of an imported Mamba.

``ssmproof refute`` finds a word on the *imported* model, whose arithmetic is DESIGN §3's
(every coordinate rounded once from its exact value). PyTorch rounds differently (float32
accumulation in some order, two roundings for ``W·x + b``, its own exp and rsqrt), so a
finding must be checked on the module itself: :func:`replay` runs the word through it in the
matching dtype and says whether the module misclassifies it too, and if the two models
disagree, at which first position. :func:`agreement` counts agreeing decisions over many words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from ssmproof.numerics.formats import Format, parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM
from ssmproof.torch import mamba

__all__ = ["Replay", "replay", "torch_decisions", "agreement", "DTYPES", "COMPARE_LIMIT"]

DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
          "float64": torch.float64}
"""Formats with a torch dtype; any other format replays in float32 (and says so)."""
COMPARE_LIMIT = 4000
"""Longest word whose decisions are compared at every position (longer: the last one only)."""


@dataclass(frozen=True)
class Replay:
    """The module's answer on a refuted word, next to the imported model's and the language's."""

    dtype: str
    length: int
    torch_accepts: bool
    ssmproof_accepts: bool
    in_language: bool
    first_disagreement: int | None  # symbols read when the decisions first differ (0 = BOS)
    positions_compared: int

    @property
    def misclassified_in_torch(self) -> bool:
        return self.torch_accepts != self.in_language

    def to_dict(self) -> dict[str, object]:
        return {"dtype": self.dtype, "length": self.length, "torch_accepts": self.torch_accepts,
                "ssmproof_accepts": self.ssmproof_accepts, "in_language": self.in_language,
                "misclassified_in_torch": self.misclassified_in_torch,
                "agrees": self.torch_accepts == self.ssmproof_accepts,
                "first_disagreement": self.first_disagreement,
                "positions_compared": self.positions_compared}

    def summary(self) -> str:
        how = " under autocast" if self.dtype in ("bfloat16", "float16") else ""
        head = f"torch replay ({self.dtype}{how}, the original module): "
        if self.misclassified_in_torch:
            head += f"the module misclassifies the word too (accepts = {self.torch_accepts})"
        else:
            head += (f"the module classifies the word correctly (accepts = {self.torch_accepts}): "
                     "the two models disagree")
        if self.first_disagreement is None:
            return head + f"; decisions agree at all {self.positions_compared} positions compared"
        return head + (f"; decisions first differ after {self.first_disagreement} symbols "
                       f"({self.positions_compared} positions compared)")


def _dtype_of(fmt: Format) -> tuple[str, torch.dtype]:
    name = str(fmt)
    return (name, DTYPES[name]) if name in DTYPES else ("float32", torch.float32)


def torch_decisions(checkpoint: Mapping[str, Any], word: Sequence[str], dtype: torch.dtype,
                    *, model: torch.nn.Module | None = None) -> list[bool]:
    """The module's decision after BOS and after every symbol (logit > 0).

    float32 and float64 run the module in that dtype. mambapy cannot run *entirely* in a 16-bit
    dtype (it computes A and D in float32 and the 16-bit out_proj then refuses the float32
    input), so bfloat16 and float16 run it the way PyTorch deploys 16-bit models: float32
    weights under ``torch.autocast``, which rounds weights and activations to the 16-bit dtype
    for every linear map and convolution and keeps elementwise work (softplus, exp, the scan,
    RMSNorm) in float32.
    """
    model = model or mamba.build(checkpoint)
    tokens = mamba.encode(checkpoint["alphabet"], [list(word)])
    with torch.no_grad():
        if dtype in (torch.bfloat16, torch.float16):
            with torch.autocast("cpu", dtype=dtype):
                logits = model.float()(tokens)[0]
        else:
            logits = model.to(dtype)(tokens)[0]
    return [bool(v > 0) for v in logits.float().tolist()]


def replay(ssm: SSM, checkpoint: Mapping[str, Any], word: Sequence[str], fmt: str | Format,
           in_language: bool) -> Replay:
    """Run ``word`` on the module in ``fmt``'s dtype and on ``ssm`` under ``fmt``; compare."""
    fmt = parse(fmt) if isinstance(fmt, str) else fmt
    name, dtype = _dtype_of(fmt)
    ours_all = Machine(ssm, fmt).decisions(word) if len(word) <= COMPARE_LIMIT else \
        [(Machine(ssm, fmt).accepts(word),)]
    ours = [d[-1] for d in ours_all]
    theirs = torch_decisions(checkpoint, word, dtype)
    if len(ours) == 1:
        theirs = theirs[-1:]
    first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), None)
    if first is not None and len(ours) == 1:
        first = len(word)
    return Replay(name, len(word), theirs[-1], ours[-1], in_language, first, len(ours))


def agreement(ssm: SSM, checkpoint: Mapping[str, Any], words: Sequence[Sequence[str]],
              fmt: str | Format) -> tuple[int, int]:
    """(agreeing decisions, decisions compared) at every position of every word."""
    fmt = parse(fmt) if isinstance(fmt, str) else fmt
    _, dtype = _dtype_of(fmt)
    machine, model = Machine(ssm, fmt), mamba.build(checkpoint)
    same = total = 0
    for w in words:
        ours = [d[-1] for d in machine.decisions(w)]
        theirs = torch_decisions(checkpoint, w, dtype, model=model)
        same += sum(a == b for a, b in zip(ours, theirs))
        total += len(ours)
    return same, total
