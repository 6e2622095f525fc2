"""A certificate read back: its JSON (file or dict) as a checked dict, matched to a construction.

The renderer appends a certificate's summary to the LaTeX; whether the certificate is well
formed and about *this* construction (same content hash) is the verifier's business, so the
check lives here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ssmproof.errors import SsmproofError
from ssmproof.ssm.jsonio import content_hash
from ssmproof.ssm.program import SSM
from ssmproof.verify.certificate import Certificate

__all__ = ["certificate_dict", "load_certificate"]

_CERT_TYPES: dict[str, tuple[type, ...]] = {
    "construction": (str,), "language": (str,), "mode": (str,), "format": (str,),
    "method": (str,), "holds": (bool, type(None)), "all_lengths": (bool,),
}


def certificate_dict(cert: Certificate | Mapping[str, Any], ssm: SSM | None = None, *,
                     path: str = "<certificate>") -> dict[str, Any]:
    """A certificate (object or its JSON dict) as a checked dict; it must match ``ssm``."""
    data = cert.to_dict() if isinstance(cert, Certificate) else cert
    if not isinstance(data, Mapping):
        raise SsmproofError(f"{path}: not a certificate (expected a JSON object); "
                            "pass the file `ssmproof verify --json` wrote")
    for key, types in _CERT_TYPES.items():
        if key not in data or not isinstance(data[key], types):
            raise SsmproofError(f"{path}: {key}: missing or of the wrong type; pass the "
                                "certificate JSON that `ssmproof verify --json` wrote")
    if ssm is not None and data["construction"] != content_hash(ssm):
        raise SsmproofError(
            f"{path}: construction: the certificate is about {data['construction']}, but this "
            f"construction hashes to {content_hash(ssm)}; verify this construction again")
    return dict(data)


def load_certificate(path: str) -> dict[str, Any]:
    """Read a certificate JSON file (as written by ``ssmproof verify --json``)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as err:
        raise SsmproofError(f"{path}: cannot read the certificate ({err.strerror}); "
                            "check the path") from None
    except (ValueError, RecursionError) as err:
        raise SsmproofError(f"{path}: not valid JSON ({str(err)[:120]}); pass the certificate "
                            "that `ssmproof verify --json` wrote") from None
    return certificate_dict(data, None, path=path)
