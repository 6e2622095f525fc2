"""PyTorch bridge: constructions as ``torch.nn.Module`` objects that compute DESIGN §3 exactly.

torch is an optional dependency (``pip install 'ssmproof[torch]'``); importing this package
without it raises :class:`ImportError` naming the extra.

- :func:`to_module` turns an :class:`~ssmproof.ssm.program.SSM` into an :class:`SSMModule`
  (embedding; per layer the lag as a width-2 causal depthwise conv, pre-MLP, diagonal gated
  recurrence, post-MLP; readouts) under one of ``float16``, ``bfloat16``, ``float32``,
  ``float64``;
- :func:`save` / :func:`load` write and read ``model.pt`` files (tensors and the construction's
  JSON text only; loaded with ``weights_only=True``, so nothing in the file runs as code).
"""

from __future__ import annotations

try:
    import torch as _torch  # noqa: F401
except ImportError as err:  # pragma: no cover - exercised only without torch
    raise ImportError(
        "ssmproof.torch needs PyTorch; install the extra: pip install 'ssmproof[torch]'"
    ) from err

from ssmproof.torch.module import ModuleOutput, SSMModule, to_module
from ssmproof.torch.files import load, save

__all__ = ["to_module", "SSMModule", "ModuleOutput", "save", "load"]
