"""``model.pt`` files: a construction's JSON text, its format and its ``state_dict``.

A torch checkpoint is usually a pickle, and unpickling runs code. These files hold only a dict of
strings and tensors, written with :func:`torch.save` and read with ``weights_only=True`` (torch's
restricted unpickler), so loading one evaluates nothing. The construction travels as the
canonical JSON of :mod:`ssmproof.ssm.jsonio` and is validated on load like any SSM file.
"""

from __future__ import annotations

import io

import torch

from ssmproof import atomic
from ssmproof.errors import SsmproofError
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import SSM
from ssmproof.torch.module import SSMModule, to_module

__all__ = ["FILE_FORMAT", "save", "load"]

FILE_FORMAT = "ssmproof-torch/1"


def save(module: SSMModule, ssm: SSM, path: str) -> None:
    """Write ``module`` (built from ``ssm``) to ``path`` atomically."""
    payload = {
        "format": FILE_FORMAT,
        "ssm": jsonio.to_json(ssm),
        "dtype": module.fmt,
        "state_dict": module.state_dict(),
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    atomic.write_bytes(path, buffer.getvalue())


def load(path: str) -> tuple[SSMModule, SSM]:
    """Read a file written by :func:`save`: the module (weights from the file) and its SSM.

    Raises
    ------
    SsmproofError
        The file is missing, not a torch file, or not in :data:`FILE_FORMAT`.
    """
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise SsmproofError(f"{path}: no such file; give a model.pt written by "
                            "ssmproof export --torch") from None
    except Exception as err:  # torch raises many kinds for a corrupt file
        raise SsmproofError(f"{path}: not a torch file ({type(err).__name__}); give a model.pt "
                            "written by ssmproof export --torch") from None
    if not isinstance(payload, dict) or payload.get("format") != FILE_FORMAT:
        raise SsmproofError(f"{path}: format: expected '{FILE_FORMAT}'; give a model.pt written "
                            "by ssmproof export --torch")
    ssm = jsonio.from_json(payload["ssm"], path=f"{path}:ssm")
    module = to_module(ssm, payload["dtype"])
    module.load_state_dict(payload["state_dict"])
    return module, ssm
