"""The SSM file as the checker reads it: its content hash, its structure, and one step of it.

Read straight from the JSON (format ``ssmproof-ssm/1``, DESIGN §2), never through
:mod:`ssmproof.ssm`. The structural rules that make a file an SSM (nothing a layer writes reaches
its own gate, input, lag or pre-MLP; names are fresh; readouts read the final stream) are checked
again here. Every value lives in a slot named by the file's own dim name; gates, inputs and
readouts are kept in local lists, so no dim name, whatever its spelling, can alias them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ssmproof.check.cyclotomic import canonical, from_powers
from ssmproof.check.gaussian import complex_arithmetic, non_real, re, round_weight
from ssmproof.check.inputs import IDENTIFIER, RATIONAL, BadInput, need, rational
from ssmproof.check import smooth
from ssmproof.check.numbers import Arithmetic, Num
from ssmproof.check.smooth import SMOOTH

__all__ = ["Model", "content_hash", "load_model", "gate_class", "EOS"]

EOS, BOS, PREV = "EOS", "BOS", "prev:"
FORMAT, FORMAT_COMPLEX, FORMAT_SMOOTH = "ssmproof-ssm/1", "ssmproof-ssm/2", "ssmproof-ssm/3"
FORMATS = (FORMAT, FORMAT_COMPLEX, FORMAT_SMOOTH)  # what the checker reads (verify --recheck asks)


# ------------------------------------------------------------------------------ the hash
class _Canon:
    """The canonical body of a file: rationals in lowest terms, complex weights on the power
    basis of Q(ζₙ) (rational ones as rationals), zeros and empty optional parts dropped."""

    def __init__(self, n: int | None) -> None:
        self.n, self.complex, self.smooth = n, False, False

    def weight(self, w: Any) -> Any:
        """The canonical text of a nonzero weight, or None for a zero one."""
        if isinstance(w, dict):
            value = canonical(self.n or 1, _powers(w, "<hash>", "weight", self.n or 1))
            if isinstance(value, dict):
                self.complex = True
                return {"zeta": {str(k): _canon_number(str(c)) for k, c in value.items()}}
            return _canon_number(str(value)) if value else None
        if not RATIONAL.fullmatch(w):
            return w  # a parameter's name
        return _canon_number(w) if Fraction(w) else None

    def row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        out = {d: self.weight(w) for d, w in sorted(row.items())}
        return {d: w for d, w in out.items() if w is not None}

    def matrix(self, m: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        return {o: self.row(r) for o, r in m.items()}

    def dense(self, d: Mapping[str, Any]) -> dict[str, Any]:
        if "product" in d:
            self.smooth = True
            return {"out": list(d["out"]), "product": {o: list(d["product"][o])
                                                        for o in d["out"]}}
        self.smooth |= d.get("activation", "relu") in SMOOTH
        out: dict[str, Any] = {"out": list(d["out"]), "weights": self.matrix(d["weights"])}
        if self.row(d.get("bias", {})):
            out["bias"] = self.row(d["bias"])
        out["activation"] = d.get("activation", "relu")
        return out

    def layer(self, layer: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"name": layer["name"], "state": list(layer["state"]),
                               "gate": self.matrix(layer["gate"]),
                               "input": self.matrix(layer["input"])}
        if self.row(layer.get("init", {})):
            out["init"] = self.row(layer["init"])
        for key in ("lag", "export"):
            if layer.get(key):
                out[key] = list(layer[key])
        for key in ("pre_mlp", "mlp"):
            if layer.get(key):
                out[key] = [self.dense(d) for d in layer[key]]
        return out


def _canon_number(text: str) -> str:
    f = Fraction(text)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _canon_param(p: Mapping[str, str]) -> dict[str, str]:
    out = {"name": p["name"], "value": _canon_number(p["value"])}
    out.update({k: p[k] for k in ("constraint", "latex") if p.get(k)})
    return out


def content_hash(data: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of everything but ``metadata`` (rationals in lowest terms,
    complex weights reduced modulo Φₙ, zero entries and empty optional parts dropped, keys
    sorted, no whitespace); a file whose weights are all rational hashes as ``ssmproof-ssm/1``."""
    c = _Canon(data.get("cyclotomic"))
    readout = {k: (c.row(v) if k == "accept" else {s: c.row(r) for s, r in v.items()})
               for k, v in data["readout"].items()}
    body: dict[str, Any] = {
        "name": data["name"], "mode": data["mode"], "alphabet": list(data["alphabet"]),
        "embedding": {s: c.row(r) for s, r in data["embedding"].items()},
        "layers": [c.layer(x) for x in data["layers"]], "readout": readout}
    body["format"] = FORMAT_SMOOTH if c.smooth else FORMAT_COMPLEX if c.complex else FORMAT
    if c.complex:
        body["cyclotomic"] = data["cyclotomic"]
    if data.get("parameters"):
        body["parameters"] = [_canon_param(p) for p in data["parameters"]]
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _powers(w: Any, path: str, field: str, n: int) -> dict[int, Fraction]:
    """The exponent → coefficient map of a complex weight ``{"zeta": {"k": "c"}}``."""
    z = w.get("zeta") if isinstance(w, dict) else None
    if not isinstance(z, dict) or set(w) != {"zeta"} or not z:
        raise BadInput(path, field, f"{w!r:.60} is not a complex weight",
                       'write {"zeta": {"k": "c", ...}}')
    out = {}
    for k, c in z.items():
        if not (isinstance(k, str) and k.isdigit() and str(int(k)) == k and int(k) < n):
            raise BadInput(path, f"{field}.zeta.{k}", f"exponent {k!r} is not an integer "
                           f"0 <= k < {n}", "use exponents below the declared cyclotomic order")
        out[int(k)] = rational(c, path, f"{field}.zeta.{k}")
    return out


# ------------------------------------------------------------------------------ structure
@dataclass(eq=False)
class _Affine:
    """``outs[k] = rnd(bias[k] + Σ w·slot)``, then ReLU when ``relu``; results are memoised on
    the values of the slots it ``reads`` (finite configurations meet them again and again)."""

    outs: tuple[int, ...]
    terms: tuple[tuple[tuple[int, Num], ...], ...]
    bias: tuple[Num, ...]
    relu: bool
    reads: tuple[int, ...]
    real: bool  # a map into the stream of a complex model keeps the real part of its sum
    act: str = "linear"  # relu, linear, a smooth activation (smooth.SMOOTH), or product
    memo: dict[tuple[Num, ...], tuple[Num, ...]] = field(default_factory=dict)
    box_memo: dict[tuple, Any] = field(default_factory=dict)  # the same on intervals (boxes.py)


@dataclass(frozen=True)
class _Layer:
    states: tuple[int, ...]
    lag_src: tuple[int, ...]
    lag_dst: tuple[int, ...]
    pre: tuple[_Affine, ...]
    gate: _Affine  # outs are positions 0..d-1 of a local list, not slots
    inp: _Affine
    mlp: tuple[_Affine, ...]


class _Reader:
    """Walks a parsed file once: checks each rule and turns rows into slot-indexed terms."""

    def __init__(self, data: dict[str, Any], path: str, arith: Arithmetic,
                 n: int | None) -> None:
        self.data, self.path, self.arith, self.n = data, path, arith, n
        self.smooth = data.get("format") == FORMAT_SMOOTH
        self.slots: dict[str, int] = {}
        self.params = self._params()

    def fail(self, field: str, problem: str, fix: str) -> BadInput:
        return BadInput(self.path, field, problem, fix)

    def slot(self, name: str) -> int:
        return self.slots.setdefault(name, len(self.slots))

    def _params(self) -> dict[str, Fraction]:
        out: dict[str, Fraction] = {}
        for i, p in enumerate(self.data.get("parameters", [])):
            name = need(p, "name", str, self.path, f"parameters[{i}]")
            if name in out or not IDENTIFIER.fullmatch(name):
                raise self.fail(f"parameters[{i}].name", f"'{name}' is repeated or malformed",
                                "declare each parameter once, as an identifier")
            out[name] = rational(p.get("value"), self.path, f"parameters[{i}].value")
        return out

    def weight(self, w: Any, field: str) -> Num:
        if isinstance(w, str) and w in self.params:
            return self.arith.weight(self.params[w], self.path)
        if isinstance(w, dict) and self.n is not None:  # a complex weight, in Q(ζ_lcm(n, 4))
            value = from_powers(self.n, math.lcm(self.n, 4), _powers(w, self.path, field, self.n))
            return round_weight(self.arith, value, f"{self.path}: {field}")  # type: ignore
        return self.arith.weight(rational(w, self.path, field), self.path)

    def fresh(self, names: Iterable[str], taken: set[str], field: str) -> None:
        for n in names:
            if not isinstance(n, str) or not n or n in taken or n.startswith(PREV):
                raise self.fail(field, f"dim {n!r} is not fresh",
                                "give every new dim a new name (not starting with prev:)")
            taken.add(n)

    def affine(self, rows: Any, outs: list[str], bias: Any, readable: set[str], field: str,
               relu: bool, out_slots: tuple[int, ...] | None = None, *,
               complex_out: bool = False) -> _Affine:
        if not isinstance(rows, dict) or not isinstance(bias, dict):
            raise self.fail(field, "is not an object of rows", "key rows by output dim")
        for o in (*rows, *bias):
            if o not in outs:
                raise self.fail(f"{field}.{o}", "is not an output of this map", "key rows by "
                                "the map's own outputs")
        terms, biases = [], []
        for o in outs:
            row = rows.get(o, {})
            for d in row:
                if d not in readable:
                    raise self.fail(f"{field}.{o}.{d}", "is not readable here (a layer's gate, "
                                    "input, lag and pre-MLP read only its input stream)",
                                    "read a dim that exists before this point")
            pairs = [(self.slots[d], self.weight(w, f"{field}.{o}.{d}"))
                     for d, w in sorted(row.items())]
            terms.append(tuple((s, w) for s, w in pairs if w != 0))
            biases.append(self.weight(bias.get(o, "0"), f"{field}.bias.{o}"))
        outs_t = out_slots if out_slots is not None else tuple(self.slot(o) for o in outs)
        reads = tuple(sorted({s for t in terms for s, _ in t}))
        real = self.n is not None and not complex_out
        return _Affine(outs_t, tuple(terms), tuple(biases), relu, reads, real)

    def product(self, rows: dict, outs: list[str], readable: set[str], f: str) -> _Affine:
        """A product map: each output the product of two readable dims (``ssmproof-ssm/3``)."""
        terms = []
        for o in outs:
            pair = rows.get(o)
            if set(rows) != set(outs) or not isinstance(pair, list) or len(pair) != 2 or \
                    not all(isinstance(x, str) and x in readable for x in pair):
                raise self.fail(f"{f}.product.{o}", "is not a pair of readable dims, one per "
                                "output", "give each output two dims that exist at this point")
            terms.append(tuple((self.slots[x], 1) for x in pair))
        return _Affine(tuple(self.slot(o) for o in outs), tuple(terms), (0,) * len(outs),
                       False, tuple(sorted({s for t in terms for s, _ in t})), False, "product")

    def dense_stack(self, stack: Any, readable: set[str], taken: set[str], field: str
                    ) -> tuple[tuple[_Affine, ...], list[str]]:
        out, avail, last = [], set(readable), []
        for k, d in enumerate(stack or []):
            f = f"{field}[{k}]"
            last = list(need(d, "out", list, self.path, f))
            self.fresh(last, taken, f"{f}.out")
            act = d.get("activation", "relu")
            allowed = ("relu", "linear", *SMOOTH) if self.smooth else ("relu", "linear")
            if "product" in d and self.smooth:
                out.append(self.product(need(d, "product", dict, self.path, f), last, avail, f))
            elif act not in allowed:
                raise self.fail(f"{f}.activation", f"'{act}' is not one of {allowed} here",
                                f"use one of them ({FORMAT_SMOOTH} adds {', '.join(SMOOTH)})")
            else:
                op = self.affine(need(d, "weights", dict, self.path, f), last,
                                 d.get("bias", {}), avail, f"{f}.weights", act == "relu")
                out.append(dataclasses.replace(op, act=act))
            avail |= set(last)
        return tuple(out), last


def _layer(r: _Reader, i: int, layer: Any, stream: set[str], taken: set[str]
           ) -> tuple[_Layer, list[Num], set[str]]:
    f = f"layers[{i}]"
    states = list(need(layer, "state", list, r.path, f))
    lag = list(layer.get("lag", []))
    r.fresh(states, taken, f"{f}.state")
    for d in lag:
        if d not in stream:
            raise r.fail(f"{f}.lag", f"dim {d!r} is not in the layer's input stream",
                         "lag a dim written by the embedding or an earlier layer")
    lag_src = tuple(r.slots[d] for d in lag)
    lag_dst = tuple(r.slot(PREV + d) for d in lag)
    view = stream | {PREV + d for d in lag}
    pre, pre_out = r.dense_stack(layer.get("pre_mlp"), view, taken, f"{f}.pre_mlp")
    view = view | set(pre_out)
    for key in ("gate", "input"):
        need(layer, key, dict, r.path, f)
    local = tuple(range(len(states)))
    gate = r.affine(layer["gate"], states, {}, view, f"{f}.gate", False, local, complex_out=True)
    inp = r.affine(layer["input"], states, {}, view, f"{f}.input", False, local,
                   complex_out=True)
    state_slots = tuple(r.slot(s) for s in states)
    init = layer.get("init", {})
    for d in init:
        if d not in states:
            raise r.fail(f"{f}.init.{d}", "is not a state dim of this layer", "initialise "
                         "only this layer's state dims")
    h0 = [r.arith.rnd(r.weight(init.get(s, "0"), f"{f}.init.{s}")) for s in states]
    mlp, mlp_out = r.dense_stack(layer.get("mlp"), view | set(states), taken, f"{f}.mlp")
    export = list(layer.get("export", []))
    if not set(export) <= set(states):
        raise r.fail(f"{f}.export", "lists a dim that is not a state of this layer",
                     "export only this layer's state dims")
    return _Layer(state_slots, lag_src, lag_dst, pre, gate, inp, mlp), h0, \
        stream | set(mlp_out) | set(export)


@dataclass
class Model:
    """An SSM file compiled to slots under one format; :meth:`step` is its whole semantics."""

    alphabet: tuple[str, ...]
    mode: str
    nslots: int
    embed: tuple[tuple[tuple[int, Num], ...], ...]  # by token: 0 = BOS, i + 1 = alphabet[i]
    layers: tuple[_Layer, ...]
    readout: _Affine  # local outs: accept, or one per symbol then EOS
    readout_names: tuple[str, ...]
    h0: tuple[Num, ...]
    nlags: int
    arith: Arithmetic
    slot_names: tuple[str, ...] = ()  # slot -> the file's dim name (prev:<d> for a lag view)
    path: str = "<ssm>"

    def __post_init__(self) -> None:
        self._recur: dict[tuple, tuple[Num, ...]] = {}  # (layer, gates, inputs, h) -> new h
        self.gates_seen: set[Num] = set()  # every (rounded) gate value a step has used
        self.watch: Callable[[list[Num]], None] | None = None  # sees each dot product's terms

    def start(self) -> tuple[Num, ...]:
        """Configuration before BOS: every layer's state, then every lag buffer (zero)."""
        return self.h0 + (0,) * self.nlags

    def _eval(self, op: _Affine, vals: list[Num]) -> tuple[Num, ...]:
        key = tuple([vals[s] for s in op.reads])
        memo = op.memo
        hit = memo.get(key)
        if hit is None:
            rnd, out = self.arith.rnd, []
            for terms, b in zip(op.terms, op.bias):
                if op.act == "product":  # of two stream values, rounded once
                    out.append(rnd(vals[terms[0][0]] * vals[terms[1][0]]))
                    continue
                if self.watch is not None:
                    self.watch([w * vals[s] for s, w in terms] + [b])
                acc = sum([w * vals[s] for s, w in terms], b)
                v = rnd(re(acc) if op.real else acc)
                if op.act in SMOOTH:
                    v = self._smooth(op.act, v)
                out.append(v if not op.relu or v > 0 else 0)
            hit = tuple(out)
            if len(memo) > 200_000:
                memo.clear()
            memo[key] = hit
        return hit

    def _smooth(self, act: str, x: Num) -> Num:
        try:
            return smooth.apply(act, x, self.arith.rnd, self.arith.exact)
        except smooth.Irrational as err:
            raise BadInput(self.path, act, str(err).split("; ")[0],
                           str(err).split("; ")[1]) from None

    def _apply(self, op: _Affine, vals: list[Num]) -> None:
        for s, v in zip(op.outs, self._eval(op, vals)):
            vals[s] = v

    def step(self, config: tuple[Num, ...], token: int) -> tuple[tuple[Num, ...], tuple[bool, ...]]:
        """Read one token; the new configuration and the readout decisions (value > 0).

        Raises :class:`~ssmproof.check.numbers.Overflow` when a float rounding overflows.
        """
        vals: list[Num] = [0] * self.nslots
        for s, w in self.embed[token]:
            vals[s] = w
        rnd, pos, lagpos = self.arith.rnd, 0, len(self.h0)
        states: list[Num] = []
        lags: list[Num] = []
        for layer in self.layers:
            for src, dst in zip(layer.lag_src, layer.lag_dst):
                vals[dst] = config[lagpos]
                lags.append(vals[src])
                lagpos += 1
            for op in layer.pre:
                self._apply(op, vals)
            d = len(layer.states)
            key = (id(layer), self._eval(layer.gate, vals), self._eval(layer.inp, vals),
                   config[pos:pos + d])
            hs = self._recur.get(key)
            if hs is None:
                if self.watch is not None:
                    for a, b, h in zip(*key[1:]):
                        self.watch([a * h])
                        self.watch([rnd(a * h), b])
                hs = tuple(rnd(rnd(a * h) + b) for a, b, h in zip(*key[1:]))
                self.gates_seen.update(key[1])
                if len(self._recur) > 200_000:
                    self._recur.clear()
                self._recur[key] = hs
            for s, h in zip(layer.states, hs):
                vals[s] = h
            states.extend(hs)
            pos += d
            for op in layer.mlp:
                self._apply(op, vals)
        decision = tuple(v > 0 for v in self._eval(self.readout, vals))
        return tuple(states) + tuple(lags), decision


def _order(data: dict[str, Any], path: str) -> int | None:
    """The declared cyclotomic order n of an ``ssmproof-ssm/2`` file; None for ``/1``."""
    if data.get("format") not in (FORMAT, FORMAT_COMPLEX, FORMAT_SMOOTH):
        raise BadInput(path, "format", f"{data.get('format')!r} is not {FORMAT}, "
                       f"{FORMAT_COMPLEX} or {FORMAT_SMOOTH}", "give an SSM construction file")
    n = data.get("cyclotomic")
    if data["format"] in (FORMAT, FORMAT_SMOOTH):
        if n is not None:
            raise BadInput(path, "cyclotomic", f"is declared in a {FORMAT} file",
                           f"set format to {FORMAT_COMPLEX} (complex weights)")
        return None
    if not isinstance(n, int) or isinstance(n, bool) or not 3 <= n <= 360:
        raise BadInput(path, "cyclotomic", f"{n!r} is not an order 3..360",
                       "declare the field Q(ζₙ) of the complex weights")
    return n


def _check_top(data: dict[str, Any], path: str) -> tuple[str, ...]:
    need(data, "name", str, path)
    if data.get("mode") not in ("recognize", "predict"):
        raise BadInput(path, "mode", "must be recognize or predict", "fix the mode")
    alphabet = tuple(need(data, "alphabet", list, path))
    if (len(set(alphabet)) != len(alphabet) or not alphabet or {BOS, EOS} & set(alphabet)
            or not all(isinstance(s, str) and s for s in alphabet)):
        raise BadInput(path, "alphabet", "repeats a symbol, is empty or uses BOS/EOS",
                       "list each symbol once")
    emb = need(data, "embedding", dict, path)
    if set(emb) != {BOS, *alphabet}:
        raise BadInput(path, "embedding", "does not have exactly one row for BOS and each "
                       "symbol", "give one row per token")
    need(data, "layers", list, path)
    need(data, "readout", dict, path)
    return alphabet


def _readout(r: _Reader, data: dict[str, Any], mode: str, alphabet: tuple[str, ...],
             stream: set[str]) -> tuple[_Affine, tuple[str, ...]]:
    """Recognize: ``accept`` (a predictive file's EOS row); predict: one row per symbol + EOS."""
    readout = data["readout"]
    if data["mode"] == "predict":
        rows = need(readout, "next", dict, r.path, "readout")
        names = (*alphabet, EOS)
        if set(rows) != set(names):
            raise r.fail("readout.next", "needs one row per symbol and EOS", "add them")
        if mode == "recognize":
            names, rows = ("accept",), {"accept": rows[EOS]}
    elif mode == "predict":
        raise r.fail("mode", "a recognizer has no predictive readout",
                     "check it in recognize mode")
    else:
        names, rows = ("accept",), {"accept": need(readout, "accept", dict, r.path, "readout")}
    local = tuple(range(len(names)))
    return r.affine(rows, list(names), {}, stream, "readout", False, local), names


def load_model(path: str, data: dict[str, Any], arith: Arithmetic, mode: str) -> Model:
    """Check the file's structure and compile it under ``arith`` for checking in ``mode``."""
    n = _order(data, path)
    alphabet = _check_top(data, path)
    r = _Reader(data, path, arith if n is None else complex_arithmetic(arith), n)
    stream: set[str] = set()
    embed = []
    for token in (BOS, *alphabet):
        row = data["embedding"][token]
        for d in row:
            if d.startswith(PREV):
                raise r.fail(f"embedding.{token}.{d}", "uses the reserved prefix prev:",
                             "rename the dim")
            stream.add(d)
            r.slot(d)
        values = [(r.slots[d], r.weight(c, f"embedding.{token}.{d}"))
                  for d, c in sorted(row.items())]
        embed.append(tuple((s, w) for s, w in values if w != 0))
    taken, layers, h0 = set(stream), [], []
    for i, layer in enumerate(data["layers"]):
        plan, init, stream = _layer(r, i, layer, stream, taken)
        layers.append(plan)
        h0 += init
    readout, names = _readout(r, data, mode, alphabet, stream)
    return Model(alphabet, data["mode"], len(r.slots), tuple(embed), tuple(layers), readout,
                 names, tuple(h0), sum(len(x.lag_src) for x in layers), r.arith,
                 tuple(sorted(r.slots, key=r.slots.__getitem__)), path)


def gate_class(values: set[Any]) -> str:
    """The narrowest class of the gate values met: complex, signed, nonnegative (or unknown)."""
    if not values:
        return "unknown"
    if any(non_real(v) for v in values):
        return "complex"
    return "signed" if any(v < 0 for v in values) else "nonnegative"
