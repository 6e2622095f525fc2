"""A Mamba-1 recognizer in PyTorch (mambapy) and its checkpoint file.

The model that ``scripts/train_mamba.py`` trains and that ``ssmproof import-torch`` reads:
token embedding (BOS = token 0, then the alphabet in order) → mambapy's stack of Mamba-1 residual
blocks (RMSNorm, in_proj, causal depthwise conv1d, SiLU, x_proj, dt_proj with softplus,
A = −exp(A_log), D, SiLU gating, out_proj) → a final RMSNorm → one logit per position. The word
``BOS w_1 … w_n`` is accepted iff the logit at its last position is > 0 — DESIGN §2's
recognition readout, so the two models decide the same question.

A checkpoint (``*.pt``) is a dict of plain values and tensors written by :func:`save` and read
with ``torch.load(weights_only=True)`` (torch's restricted unpickler: nothing in it runs):
``format`` (``"ssmproof-mamba/1"``), ``arch`` (``"mamba1"``), ``config`` (mambapy's
``MambaConfig`` fields), ``alphabet``, ``language``, free-form ``training`` facts, and
``state_dict``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import nn

from ssmproof import atomic
from ssmproof.errors import SsmproofError

__all__ = ["CHECKPOINT_FORMAT", "CONFIG_KEYS", "MambaRecognizer", "save", "load_checkpoint",
           "build", "encode"]

CHECKPOINT_FORMAT = "ssmproof-mamba/1"
CONFIG_KEYS = ("d_model", "n_layers", "d_state", "expand_factor", "d_conv", "dt_rank",
               "rms_norm_eps", "bias", "conv_bias", "pscan")
"""The MambaConfig fields a checkpoint records (the rest keep mambapy's defaults)."""


def _mambapy() -> Any:
    try:
        from mambapy import mamba
    except ImportError as err:  # pragma: no cover - exercised only without mambapy
        raise SsmproofError("the Mamba module needs mambapy; install the extra: "
                            "pip install 'ssmproof[torch]'") from err
    return mamba


class MambaRecognizer(nn.Module):
    """Embedding → mambapy Mamba-1 blocks → RMSNorm → one logit per position."""

    def __init__(self, alphabet: Sequence[str], config: Mapping[str, Any]) -> None:
        super().__init__()
        mamba = _mambapy()
        self.alphabet = tuple(alphabet)
        self.config_dict = {k: config[k] for k in CONFIG_KEYS if k in config}
        cfg = mamba.MambaConfig(**self.config_dict)
        self.embedding = nn.Embedding(len(self.alphabet) + 1, cfg.d_model)
        self.mamba = mamba.Mamba(cfg)
        self.norm_f = mamba.RMSNorm(cfg.d_model, cfg.rms_norm_eps)
        self.head = nn.Linear(cfg.d_model, 1)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Logits (batch, positions) for token ids (batch, positions), BOS first."""
        return self.head(self.norm_f(self.mamba(self.embedding(tokens)))).squeeze(-1)


def encode(alphabet: Sequence[str], words: Sequence[Sequence[str]]) -> torch.Tensor:
    """Token ids (BOS = 0) of equally long words, one row each."""
    index = {s: i + 1 for i, s in enumerate(alphabet)}
    return torch.tensor([[0, *(index[s] for s in w)] for w in words], dtype=torch.long)


def build(checkpoint: Mapping[str, Any]) -> MambaRecognizer:
    """The module of a loaded checkpoint, its weights set from it (float32, evaluation mode)."""
    model = MambaRecognizer(checkpoint["alphabet"], checkpoint["config"])
    model.load_state_dict(checkpoint["state_dict"])
    return model.eval()


def save(model: MambaRecognizer, path: str, *, language: str,
         training: Mapping[str, Any] | None = None) -> None:
    """Write ``model`` as a checkpoint, atomically."""
    plain = json.loads(json.dumps(dict(training or {}), default=str))  # only what loads back
    payload = {"format": CHECKPOINT_FORMAT, "arch": "mamba1", "config": model.config_dict,
               "alphabet": list(model.alphabet), "language": language, "training": plain,
               "state_dict": {k: v.detach().clone() for k, v in model.state_dict().items()}}
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    atomic.write_bytes(path, buffer.getvalue())


def load_checkpoint(path: str) -> dict[str, Any]:
    """Read a checkpoint written by :func:`save`; a bad file is a one-line error naming it."""
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise SsmproofError(f"{path}: no such file; check the path") from None
    except Exception as err:  # torch raises many kinds for a file that is not a checkpoint
        first = str(err).splitlines()[0][:160] if str(err) else type(err).__name__
        raise SsmproofError(f"{path}: not a torch checkpoint ({first}); write it with "
                            "ssmproof.torch.mamba.save or scripts/train_mamba.py") from None
    if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
        raise SsmproofError(f"{path}: format: not a {CHECKPOINT_FORMAT} checkpoint; write it "
                            "with ssmproof.torch.mamba.save or scripts/train_mamba.py")
    for key, kind in (("arch", str), ("config", dict), ("alphabet", list),
                      ("state_dict", dict)):
        if not isinstance(data.get(key), kind):
            raise SsmproofError(f"{path}: {key}: missing or not a {kind.__name__}; the "
                                "checkpoint is incomplete, write it again")
    return data
