"""Canonical JSON for SSM files (formats ``ssmproof-ssm/1`` and ``/2``) and their content hash.

Rationals are strings (``"1/3"``), maps are sparse (zeros dropped) and sorted, so that a diff of
two constructions reads like text and the same program always gives the same bytes. A model with
a complex weight is written as ``ssmproof-ssm/2``: the file declares ``"cyclotomic": n`` and each
complex weight is ``{"zeta": {"k": "c", ...}}`` = Σ c·ζₙᵏ on the power basis (k < φ(n)); a
model with rational weights only is written as ``ssmproof-ssm/1`` exactly as before, so its bytes
and hash do not change (docs/ssm-format.md). Loading
validates against the published JSON Schema and then the structural rules of
:mod:`ssmproof.ssm.validate`; nothing in a file is evaluated.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
from typing import Any

import jsonschema

from ssmproof.errors import SSMFileError
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.ssm.program import (
    SSM,
    Activation,
    Dense,
    Layer,
    Map,
    Mode,
    Param,
    Product,
    Row,
    Weight,
    uses_smooth_maps,
)
from ssmproof.ssm.validate import validate

__all__ = ["FORMAT", "FORMAT_COMPLEX", "FORMAT_SMOOTH", "FORMATS", "to_dict", "to_json", "from_json", "load", "content_hash", "schema"]

FORMAT = "ssmproof-ssm/1"
FORMAT_COMPLEX = "ssmproof-ssm/2"
FORMAT_SMOOTH = "ssmproof-ssm/3"
"""Version 3 adds smooth activations (softplus, exp, silu, rsqrt) and product maps: what an
imported Mamba needs (docs/ssm-format.md). Rational weights only."""
FORMATS = (FORMAT, FORMAT_COMPLEX, FORMAT_SMOOTH)
_RATIONAL = re.compile(r"^-?(0|[1-9][0-9]*)(/[1-9][0-9]*)?$")
_MAX_FILE_BYTES = 200 * 1024 * 1024
_GATE_BUDGET = 2000  # configurations explored to compute metadata.gate_class on save
_COMPUTED_META = ("gate_class", "gate_class_coverage", "stable", "time_invariant",
                  "gate_values_seen", "state_dims", "hash")


def schema() -> dict[str, Any]:
    """The published JSON Schema (also in ``docs/ssm.schema.json``)."""
    text = resources.files("ssmproof.data").joinpath("ssm.schema.json").read_text("utf-8")
    return json.loads(text)


# ------------------------------------------------------------------------------------ writing
def _rational(w: int | Fraction) -> str:
    f = Fraction(w)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _w(w: Weight, n: int = 1) -> str | dict[str, dict[str, str]]:
    if isinstance(w, str):
        return w
    if isinstance(w, Cyclotomic):
        return {"zeta": {str(k): _rational(c) for k, c in w.lift(n).powers().items()}}
    return _rational(w)


def _row(row: Row, n: int = 1) -> dict[str, Any]:
    return {d: _w(w, n) for d, w in sorted(row.items()) if isinstance(w, str) or w != 0}


def _matrix(m: Mapping[str, Row], n: int = 1) -> dict[str, dict[str, Any]]:
    return {o: _row(r, n) for o, r in sorted(m.items())}


def _dense(d: Map, n: int) -> dict[str, Any]:
    if isinstance(d, Product):
        return {"out": list(d.out), "product": {o: list(d.factors[o]) for o in d.out}}
    out: dict[str, Any] = {"out": list(d.out), "weights": _matrix(d.weights, n)}
    bias = _row(d.bias, n)
    if bias:  # an all-zero bias and no bias are the same map: write them the same way
        out["bias"] = bias
    out["activation"] = Activation(d.activation).value
    return out


def _layer(layer: Layer, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {"name": layer.name, "state": list(layer.state)}
    init = _row(layer.init, n)
    if init:
        out["init"] = init
    if layer.lag:
        out["lag"] = list(layer.lag)
    if layer.pre_mlp:
        out["pre_mlp"] = [_dense(d, n) for d in layer.pre_mlp]
    out["gate"] = _matrix(layer.gate, n)
    out["input"] = _matrix(layer.input, n)
    if layer.mlp:
        out["mlp"] = [_dense(d, n) for d in layer.mlp]
    if layer.export:
        out["export"] = list(layer.export)
    return out


def _body(ssm: SSM) -> dict[str, Any]:
    n = ssm.cyclotomic_order
    readout: dict[str, Any] = {}
    if ssm.accept is not None:
        readout["accept"] = _row(ssm.accept, n)
    if ssm.next is not None:
        readout["next"] = {s: _row(r, n) for s, r in ssm.next.items()}
    version = FORMAT_SMOOTH if uses_smooth_maps(ssm) else FORMAT if n == 1 else FORMAT_COMPLEX
    body: dict[str, Any] = {
        "format": version, "name": ssm.name,
        "mode": Mode(ssm.mode).value, "alphabet": list(ssm.alphabet),
        "embedding": {s: _row(r, n) for s, r in ssm.embedding.items()},
        "layers": [_layer(layer, n) for layer in ssm.layers],
        "readout": readout,
    }
    if n > 1:
        body["cyclotomic"] = n
    if ssm.parameters:
        body["parameters"] = [_param(p) for p in ssm.parameters]
    return body


def _param(p: Param) -> dict[str, str]:
    out = {"name": p.name, "value": _w(p.value)}
    if p.constraint:
        out["constraint"] = p.constraint
    if p.latex:
        out["latex"] = p.latex
    return out


def content_hash(ssm: SSM) -> str:
    """sha256 of the canonical JSON of everything but ``metadata`` (what the SSM computes)."""
    text = json.dumps(_body(ssm), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_dict(ssm: SSM, *, metadata: Mapping[str, object] | None = None) -> dict[str, Any]:
    body = _body(ssm)
    meta = dict(ssm.metadata if metadata is None else metadata)
    meta["state_dims"] = ssm.state_dims
    meta["hash"] = content_hash(ssm)
    if "gate_class" not in meta:  # computed, never trusted: loading drops the file's claim
        meta.update(_gate_meta(ssm, meta["hash"]))
    body["metadata"] = meta
    return body


_GATE_META: dict[str, dict[str, object]] = {}  # content hash -> computed gate-class metadata


def _gate_meta(ssm: SSM, digest: str) -> dict[str, object]:
    """The computed gate-class metadata; it depends only on what the SSM computes (its content
    hash), so saving the same construction again (a round trip, a re-check) reuses it."""
    if digest not in _GATE_META:
        from ssmproof.sim.gates import reachable_gate_class, structural_gate_class

        if len(_GATE_META) >= 256:
            _GATE_META.clear()
        _GATE_META[digest] = dict(structural_gate_class(ssm)) if uses_smooth_maps(ssm) else \
            reachable_gate_class(ssm, "exact", budget=_GATE_BUDGET).to_dict()
    return dict(_GATE_META[digest])


def to_json(ssm: SSM, *, metadata: Mapping[str, object] | None = None) -> str:
    """Canonical text: sorted keys, one-space indent, trailing newline; stable byte for byte."""
    return json.dumps(to_dict(ssm, metadata=metadata), sort_keys=True, indent=1,
                      ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------ reading
def load(path: str) -> SSM:
    """Read, schema-check and validate an SSM file; every failure is an :class:`SSMFileError`."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_FILE_BYTES + 1)
    except OSError as err:
        raise SSMFileError(path, "", f"cannot read the file ({err.strerror})",
                           "check the path") from None
    if len(raw) > _MAX_FILE_BYTES:
        raise SSMFileError(path, "", "file is larger than 200 MiB", "that is no sane construction")
    return from_json(raw, path=path)


def from_json(text: str | bytes, *, path: str = "<ssm>") -> SSM:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:
        raise SSMFileError(path, "", f"not valid JSON ({_short(err)})",
                           "write the construction as JSON (see docs/ssm-format.md)") from None
    _check_schema(data, path)
    ssm = _build(data, path)
    _check_version(data, ssm, path)
    validate(ssm, path)  # the rules a built SSM has passed, and the file-only reserved names
    return ssm


def _declared_order(data: Mapping[str, Any], path: str) -> int | None:
    """The file's cyclotomic order; only ``ssmproof-ssm/2`` may declare one."""
    n = data.get("cyclotomic")
    if n is not None and data["format"] != FORMAT_COMPLEX:
        raise SSMFileError(path, "format", f"a file with \"cyclotomic\" is {data['format']}",
                           f"set \"format\" to \"{FORMAT_COMPLEX}\" (complex weights)")
    return n


def _check_version(data: Mapping[str, Any], ssm: SSM, path: str) -> None:
    """Version 3 features need ``ssmproof-ssm/3``, and version 3 holds rational weights only."""
    if data["format"] == FORMAT_SMOOTH and "cyclotomic" in data:
        raise SSMFileError(path, "cyclotomic", f"{FORMAT_SMOOTH} holds rational weights only",
                           f"drop \"cyclotomic\" or use \"{FORMAT_COMPLEX}\" without smooth maps")
    if uses_smooth_maps(ssm) and data["format"] != FORMAT_SMOOTH:
        raise SSMFileError(path, "format", f"a file with a smooth activation or a product map is "
                           f"{FORMAT_SMOOTH}, not {data['format']}",
                           f"set \"format\" to \"{FORMAT_SMOOTH}\"")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


def _short(err: Exception) -> str:
    return str(err).splitlines()[0][:160]


def _check_schema(data: Any, path: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data),
                    key=lambda e: (len(e.path), list(map(str, e.path))))
    if not errors:
        return
    err = errors[0]
    if err.validator == "oneOf" and err.context:  # a weight: report the branch of its JSON type
        err = next((e for e in err.context if e.validator != "type"), err.context[0])
    field = _field_name(err.absolute_path) or "(top level)"
    raise SSMFileError(path, field, _schema_problem(err), _schema_fix(err))


def _field_name(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _schema_problem(err: jsonschema.ValidationError) -> str:
    inst = repr(err.instance)
    inst = inst if len(inst) <= 60 else inst[:57] + "..."
    if err.validator == "pattern":
        return f"{inst} is not of the required form"
    if err.validator == "required":
        return err.message
    if err.validator == "additionalProperties":
        return err.message
    return f"{inst}: {err.message[:160]}" if err.validator != "type" else \
        f"{inst} is not of type {err.validator_value}"


def _schema_fix(err: jsonschema.ValidationError) -> str:
    if err.validator == "pattern" and "0|[1-9]" in str(err.validator_value):
        return ("write an exact rational as a string such as '1/3' or '-2' "
                "(no floats, no zero denominators), or the name of a declared parameter")
    if err.validator == "enum" and FORMAT in err.validator_value:
        return (f"set it to \"{FORMAT}\" (rational weights), \"{FORMAT_COMPLEX}\" (complex "
                f"weights, with a 'cyclotomic' order) or \"{FORMAT_SMOOTH}\" (smooth activations "
                "and products)")
    return "see docs/ssm-format.md and docs/ssm.schema.json"


def _rat(text: str, path: str, field: str) -> Fraction:
    if not _RATIONAL.match(text):
        raise SSMFileError(path, field, f"'{text}' is not an exact rational",
                           "write e.g. '1/3' or '-2'")
    return Fraction(text)


class _Reader:
    """Weights of one file: rationals, parameter names, and complex weights over Q(ζₙ)."""

    def __init__(self, n: int | None) -> None:
        self.n = n

    def weight(self, v: str | Mapping[str, Any]) -> Weight:
        if isinstance(v, str):
            if _RATIONAL.match(v):
                f = Fraction(v)
                return f.numerator if f.denominator == 1 else f
            return v
        if self.n is None:
            raise ValueError("a complex weight needs the file's 'cyclotomic' order n (format "
                             f"{FORMAT_COMPLEX})")
        powers = {int(k): Fraction(c) for k, c in v["zeta"].items()}
        if any(k >= self.n for k in powers):
            raise ValueError(f"an exponent of ζ is not below the declared order {self.n}")
        return Cyclotomic.from_powers(self.n, powers)

    def row(self, d: Mapping[str, Any]) -> dict[str, Weight]:
        return {k: self.weight(v) for k, v in d.items()}

    def matrix(self, d: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Weight]]:
        return {k: self.row(v) for k, v in d.items()}

    def dense(self, d: Mapping[str, Any]) -> Map:
        if "product" in d:
            return Product(out=tuple(d["out"]),
                           factors={o: (f[0], f[1]) for o, f in d["product"].items()})
        return Dense(out=tuple(d["out"]), weights=self.matrix(d["weights"]),
                     bias=self.row(d.get("bias", {})),
                     activation=Activation(d.get("activation", "relu")))

    def layer(self, d: Mapping[str, Any]) -> Layer:
        return Layer(name=d["name"], state=tuple(d["state"]), gate=self.matrix(d["gate"]),
                     input=self.matrix(d["input"]), init=self.row(d.get("init", {})),
                     lag=tuple(d.get("lag", ())),
                     pre_mlp=tuple(self.dense(x) for x in d.get("pre_mlp", ())),
                     mlp=tuple(self.dense(x) for x in d.get("mlp", ())),
                     export=tuple(d.get("export", ())))


def _build(data: Mapping[str, Any], path: str) -> SSM:
    params = tuple(
        Param(p["name"], _rat(p["value"], path, f"parameters[{i}].value"),
              p.get("constraint", ""), p.get("latex", ""))
        for i, p in enumerate(data.get("parameters", ())))
    for i, layer in enumerate(data["layers"]):
        for key in ("state", "lag", "export"):
            names = layer.get(key, [])
            if len(set(names)) != len(names):
                raise SSMFileError(path, f"layers[{i}].{key}", "lists a dim twice",
                                   "list each dim once")
    readout = data["readout"]
    r = _Reader(_declared_order(data, path))
    try:
        layers = tuple(r.layer(x) for x in data["layers"])
        embedding = {s: r.row(x) for s, x in data["embedding"].items()}
        accept = r.row(readout["accept"]) if "accept" in readout else None
        nxt = {s: r.row(x) for s, x in readout["next"].items()} if "next" in readout else None
    except ValueError as err:
        raise SSMFileError(path, "cyclotomic", str(err),
                           f"declare \"cyclotomic\": n and \"format\": \"{FORMAT_COMPLEX}\", "
                           "and write each complex weight as {\"zeta\": {\"k\": \"c\"}} with "
                           "0 <= k < n") from None
    try:  # the SSM validates itself; its error is re-labelled with the file's path
        return SSM(
            name=data["name"], mode=Mode(data["mode"]), alphabet=tuple(data["alphabet"]),
            embedding=embedding, layers=layers, accept=accept, next=nxt,
            parameters=params, metadata={k: v for k, v in data.get("metadata", {}).items()
                                         if k not in _COMPUTED_META},
        )
    except SSMFileError as err:
        raise SSMFileError(path, err.field, err.problem, err.fix) from None
