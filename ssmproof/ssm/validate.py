"""Structural checks on an :class:`SSM`: names, causality, readouts (DESIGN §2).

The one rule that makes the model an SSM: nothing a layer writes may reach its own gate or input,
at any position. Rows of ``gate``/``input``, the lag and the pre-MLP may therefore read only the
layer's *input* stream. Each rule is one function raising :class:`SSMFileError` that names the
file, the field and the fix (STYLE R4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeGuard

from ssmproof.errors import SSMFileError, SsmproofError
from ssmproof.ssm.vocabulary import BOS, EOS, LAG_PREFIX, RESERVED_PREFIXES, Mode

if TYPE_CHECKING:  # the model imports this module: an SSM validates itself when built
    from ssmproof.ssm.program import SSM, Layer, Map, Product, Row

__all__ = ["validate", "stream_before_layers", "check_same_alphabet", "weights_by_field"]


def validate(ssm: SSM, path: str = "<ssm>", *, reserved_names: bool = True) -> None:
    """Raise :class:`SSMFileError` on the first broken rule; return None when the SSM is sound.

    ``reserved_names=False`` skips only the rule that keeps declared dims clear of the
    simulator's prefixes: it guards the simulator's namespace against *files* (checked when one
    is loaded); the simulator keeps its registers apart from any name an SSM built in code uses.
    """
    _check_alphabet(ssm, path)
    _check_parameters(ssm, path)
    stream = _check_embedding(ssm, path, reserved_names)
    for i, layer in enumerate(ssm.layers):
        stream = _check_layer(ssm, layer, stream, f"layers[{i}]", path, reserved_names)
    _check_readouts(ssm, stream, path)


def check_same_alphabet(ssm: SSM, alphabet: Iterable[str], language: str, where: str) -> None:
    """A construction is judged only against a language over the same symbols (any order)."""
    if set(ssm.alphabet) != set(alphabet):
        raise SsmproofError(f"{where}: alphabet: the construction reads {list(ssm.alphabet)} but "
                            f"'{language}' has {list(alphabet)}; check the language, or rebuild "
                            "the construction for it")


def stream_before_layers(ssm: SSM) -> list[set[str]]:
    """The stream dims available to each layer (its input), then the final stream."""
    stream = {d for row in ssm.embedding.values() for d in row}
    out = [set(stream)]
    for layer in ssm.layers:
        stream |= set(layer.export) | (set(layer.mlp[-1].out) if layer.mlp else set())
        out.append(set(stream))
    return out


def _fail(path: str, field: str, problem: str, fix: str) -> SSMFileError:
    return SSMFileError(path, field, problem, fix)


def _check_alphabet(ssm: SSM, path: str) -> None:
    seen: set[str] = set()
    for s in ssm.alphabet:
        if s in (BOS, EOS):
            raise _fail(path, "alphabet", f"'{s}' is reserved", "rename that symbol")
        if s in seen:
            raise _fail(path, "alphabet", f"symbol '{s}' is listed twice", "list each symbol once")
        seen.add(s)


def _check_parameters(ssm: SSM, path: str) -> None:
    names = [p.name for p in ssm.parameters]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise _fail(path, "parameters", f"parameter '{sorted(dup)[0]}' is declared twice",
                    "declare each parameter once")
    declared = set(names)
    for field, w in weights_by_field(ssm):
        if isinstance(w, str) and w not in declared:
            raise _fail(path, field, f"weight '{w}' names no declared parameter",
                        "declare it under `parameters` or write a rational like '1/3'")


def weights_by_field(ssm: SSM) -> Iterable[tuple[str, object]]:
    """Every weight of ``ssm`` (embedding, gates, inputs, init, MLPs, readouts) with its field."""
    for sym, row in ssm.embedding.items():
        yield from ((f"embedding.{sym}.{d}", w) for d, w in row.items())
    for i, layer in enumerate(ssm.layers):
        f = f"layers[{i}]"
        for name in ("gate", "input"):
            for o, row in getattr(layer, name).items():
                yield from ((f"{f}.{name}.{o}.{d}", w) for d, w in row.items())
        yield from ((f"{f}.init.{d}", w) for d, w in layer.init.items())
        for part in ("pre_mlp", "mlp"):
            for k, dense in enumerate(getattr(layer, part)):
                if _is_product(dense):
                    continue  # a product has no weights
                for o, row in dense.weights.items():
                    yield from ((f"{f}.{part}[{k}].weights.{o}.{d}", w) for d, w in row.items())
                yield from ((f"{f}.{part}[{k}].bias.{d}", w) for d, w in dense.bias.items())
    for key, row in _readout_rows(ssm):
        yield from ((f"readout.{key}.{d}", w) for d, w in row.items())


def _readout_rows(ssm: SSM) -> Iterable[tuple[str, Row]]:
    if ssm.accept is not None:
        yield "accept", ssm.accept
    for sym, row in (ssm.next or {}).items():
        yield f"next.{sym}", row


def _check_embedding(ssm: SSM, path: str, reserved_names: bool) -> set[str]:
    want = {BOS, *ssm.alphabet}
    have = set(ssm.embedding)
    if have != want:
        missing, extra = sorted(want - have), sorted(have - want)
        what = f"missing {missing}" if missing else f"unknown tokens {extra}"
        raise _fail(path, "embedding", f"{what}",
                    "give one row for BOS and for every alphabet symbol, and no others")
    for sym in sorted(ssm.embedding) if reserved_names else ():
        for d in sorted(ssm.embedding[sym]):
            _not_reserved(d, path, f"embedding.{sym}")
    return {d for row in ssm.embedding.values() for d in row}


def _not_reserved(name: str, path: str, field: str) -> None:
    """Declared dims keep clear of the prefixes the lag view and the simulator use."""
    hit = next((p for p in RESERVED_PREFIXES if name.startswith(p)), None)
    if hit is not None:
        raise _fail(path, field, f"dim '{name}' uses the reserved prefix '{hit}'",
                    f"rename the dim (no declared dim may start with "
                    f"{', '.join(repr(p) for p in RESERVED_PREFIXES)})")


def _fresh(names: Iterable[str], taken: set[str], path: str, field: str,
           reserved_names: bool) -> None:
    for n in names:
        if reserved_names:
            _not_reserved(n, path, field)
        if n in taken:
            raise _fail(path, field, f"dim '{n}' already exists",
                        "give every new dim a fresh name: nothing in the stream is overwritten")
        taken.add(n)


def _check_rows(m: Mapping[str, Row], keys: set[str], reads: set[str], own: set[str],
                path: str, field: str) -> None:
    for o, row in m.items():
        if o not in keys:
            raise _fail(path, f"{field}.{o}", f"'{o}' is not one of {sorted(keys)[:8]}",
                        "key rows by this layer's own output dims")
        for d in row:
            if d in own:
                raise _fail(path, f"{field}.{o}.{d}",
                            "reads this layer's own output (its state or MLP output)",
                            "a layer's gate, input, lag and pre-MLP may read only its input "
                            "stream; otherwise it is a nonlinear RNN, not an SSM")
            if d not in reads:
                raise _fail(path, f"{field}.{o}.{d}", f"dim '{d}' is not readable here",
                            "read a dim that exists before this point (or add it to `lag`)")


def _is_product(m: Map) -> TypeGuard[Product]:
    """A :class:`Product` is told by its ``factors``: the model imports this module, not back."""
    return hasattr(m, "factors")


def _check_product(p: Product, avail: set[str], own: set[str], path: str, field: str) -> None:
    if set(p.factors) != set(p.out):
        raise _fail(path, f"{field}.product", f"keys {sorted(p.factors)[:8]} differ from `out`",
                    "give every output dim exactly one pair of factors")
    rows = {o: {a: 1, b: 1} for o, (a, b) in p.factors.items()}
    _check_rows(rows, set(p.out), avail, own, path, f"{field}.product")


def _check_dense_stack(stack: tuple[Map, ...], reads: set[str], taken: set[str],
                       own: set[str], path: str, field: str, reserved_names: bool) -> set[str]:
    avail = set(reads)
    for k, dense in enumerate(stack):
        _fresh(dense.out, taken, path, f"{field}[{k}].out", reserved_names)
        if _is_product(dense):
            _check_product(dense, avail, own, path, f"{field}[{k}]")
            avail |= set(dense.out)
            continue
        _check_rows(dense.weights, set(dense.out), avail, own, path, f"{field}[{k}].weights")
        for d in dense.bias:
            if d not in dense.out:
                raise _fail(path, f"{field}[{k}].bias.{d}", "is not an output of this map",
                            "key biases by the map's `out` dims")
        avail |= set(dense.out)
    return set(stack[-1].out) if stack else set()


def _layer_own(layer: Layer) -> set[str]:
    own = set(layer.state)
    for dense in layer.mlp:
        own |= set(dense.out)
    return own


def _check_layer(ssm: SSM, layer: Layer, stream: set[str], field: str, path: str,
                 reserved_names: bool) -> set[str]:
    taken = set(stream)
    own = _layer_own(layer)
    _fresh(layer.state, taken, path, f"{field}.state", reserved_names)
    for d in layer.lag:
        if d in own:
            raise _fail(path, f"{field}.lag", f"'{d}' is this layer's own output",
                        "lag only dims of the layer's input stream")
        if d not in stream:
            raise _fail(path, f"{field}.lag", f"dim '{d}' is not in the stream before this layer",
                        "lag a dim written by the embedding or an earlier layer")
    view = stream | {LAG_PREFIX + d for d in layer.lag}
    view |= _check_dense_stack(layer.pre_mlp, view, taken, own, path, f"{field}.pre_mlp",
                               reserved_names)
    states = set(layer.state)
    _check_rows(layer.gate, states, view, own, path, f"{field}.gate")
    _check_rows(layer.input, states, view, own, path, f"{field}.input")
    for d in layer.init:
        if d not in states:
            raise _fail(path, f"{field}.init.{d}", "is not a state dim of this layer",
                        "initialise only this layer's state dims")
    outs = _check_dense_stack(layer.mlp, view | states, taken, set(), path, f"{field}.mlp",
                              reserved_names)
    for d in layer.export:
        if d not in states:
            raise _fail(path, f"{field}.export", f"'{d}' is not a state dim of this layer",
                        "export only this layer's state dims")
    return stream | outs | set(layer.export)


def _check_readouts(ssm: SSM, stream: set[str], path: str) -> None:
    if ssm.mode is Mode.RECOGNIZE and ssm.accept is None:
        raise _fail(path, "readout.accept", "a recognizer needs an accept readout",
                    "add readout.accept (a row over final stream dims)")
    if ssm.mode is Mode.PREDICT:
        want = {*ssm.alphabet, EOS}
        have = set(ssm.next or {})
        if have != want:
            raise _fail(path, "readout.next", f"has {sorted(have)}, needs {sorted(want)}",
                        "give one row per alphabet symbol and one for EOS")
    for key, row in _readout_rows(ssm):
        for d in row:
            if d not in stream:
                raise _fail(path, f"readout.{key}.{d}", f"dim '{d}' is not in the final stream",
                            "read a dim written by the embedding, an MLP or an export")
