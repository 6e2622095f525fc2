"""Shared helpers for the checker's tests: write files, run verify, mutate certificates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ssmproof.lang import spec as specs
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import SSM
from ssmproof.verify.api import verify

ROOT = Path(__file__).resolve().parents[2]


def ssm_data(ssm: SSM) -> dict[str, Any]:
    """The file text of ``ssm`` as parsed JSON (metadata given, so nothing is simulated)."""
    return json.loads(jsonio.to_json(ssm, metadata={"gate_class": "unknown"}))


def certificate(ssm: SSM, spec: str, **kw: Any) -> dict[str, Any]:
    """What ``verify --prove --json`` would write, parsed."""
    lang = specs.to_language(specs.resolve(spec))
    return json.loads(verify(ssm, lang, prove=True, **kw).to_json())


def gallery(lang: str, stem: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(certificate, SSM file, spec path) of one committed gallery construction."""
    base = ROOT / "constructions" / lang
    cert = json.loads((base / f"{stem}.cert.json").read_text())
    ssm_stem = stem[: -len(".bfloat16")] if stem.endswith(".bfloat16") else stem
    ssm = json.loads((base / f"{ssm_stem}.json").read_text())
    spec = next(str(p) for p in (ROOT / "automata").glob(f"{lang}.*"))
    return cert, ssm, spec
