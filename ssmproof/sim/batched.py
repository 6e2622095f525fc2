"""Batched simulation: many words at once in numpy float64, identical to :class:`Machine`.

The reference semantics is :class:`~ssmproof.sim.machine.Machine` (DESIGN §3: weights rounded
once; each coordinate of a matrix–vector product computed *exactly* from rounded operands, then
rounded once; ``h = rnd(rnd(a·h) + b)``; ReLU exact; a decision is ``readout > 0``). Here a whole
batch of words advances one position at a time, every register a float64 vector over the batch.

Soundness: a register holds the exact value as long as every float64 operation that produced it
was exact. Operations :mod:`ssmproof.sim.assemble` proves exact run unchecked; every other
product is checked with Dekker's TwoProduct and every other addition with Knuth's TwoSum
(both give the rounding error exactly, so "error ≠ 0" is exactly "inexact"). A word whose run
met an inexact operation, or a non-finite value (a float overflow, where Machine raises
:class:`~ssmproof.numerics.formats.NonFiniteValue`), is *replayed* on Machine. So the result is
always Machine's, and the numpy path only decides how fast it arrives.

Formats: every ``fits_float64`` format (``fixed:I.P`` with ``I + P ≤ 53``, ``float16``,
``bfloat16``, ``float32``, ``float64``, ``int:P`` with ``P ≤ 53``) and ``exact`` when every
weight is a float64 (values are then checked like any other). Other formats, or ``exact`` with
a weight such as 1/3, run entirely on Machine (:attr:`BatchRun.reason` says why).

Words are sorted by length (longest first) so that at each position the words still running are
a prefix of the batch; nothing is computed past a word's end.

Not provided here (use Machine): traces, and SSMs with more than 62 readouts (they run on
Machine, with a ``reason``). :func:`advance` steps any batch of configurations by one position;
the reachability engine (:mod:`ssmproof.verify.engine`) reads gate values and saturation
(``watch``) from it.

References
----------
T. J. Dekker, "A floating-point technique for extending the available precision", Numerische
Mathematik 18, 1971 (TwoProduct, and its no-underflow condition). O. Møller, "Quasi double-
precision in floating point addition", BIT 5, 1965, and D. E. Knuth, *The Art of Computer
Programming* vol. 2, §4.2.2 (TwoSum, exact in round-to-nearest barring overflow).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt

from ssmproof.errors import SsmproofError
from ssmproof.numerics import arrays
from ssmproof.numerics.formats import Format, FormatKind, NonFiniteValue, parse
from ssmproof.sim import assemble
from ssmproof.sim.machine import Config, Decision, Machine
from ssmproof.sim.run import RunResult
from ssmproof.ssm.program import EOS, SSM, Mode

__all__ = [
    "BatchRun",
    "simulate_batch",
    "batched_decisions",
    "batched_run_words",
    "advance",
    "DEFAULT_BATCH_SIZE",
]

DEFAULT_BATCH_SIZE = 8192
"""Words simulated together; memory is about ``batch × (longest word + 1) × readouts`` bytes."""

_MAX_READOUTS = 62  # decisions of one position are the bits of an int64
_VELTKAMP = 134217729.0  # 2**27 + 1: splits a float64 into two 26-bit halves
_TINY = 2.0**-900  # below this a checked float64 product may underflow: replay the word

_T = TypeVar("_T")
Vec = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class BatchRun:
    """The outcome of :func:`simulate_batch`, in input order.

    Attributes
    ----------
    words : tuple of tuple of str
    decisions : tuple
        Per word, the decision at every position (BOS first) as Machine gives them, or ``None``
        when the run met a non-finite value.
    errors : tuple of (str or None)
        Per word, ``"<dim>: <NonFiniteValue message>"`` as :func:`ssmproof.sim.run.run_words`
        reports it, or ``None``.
    replayed : tuple of int
        Indices of the words that were replayed on Machine (inexact float64 or non-finite).
    reason : str or None
        Why the numpy path was not used at all (every word ran on Machine), or ``None``.
    configs : tuple or None
        Only when asked for (``configs=True``): per word, the configuration after its last
        symbol as exact values, equal to Machine's (``None`` after a non-finite value).
    """

    words: tuple[tuple[str, ...], ...]
    decisions: tuple[tuple[Decision, ...] | None, ...]
    errors: tuple[str | None, ...]
    replayed: tuple[int, ...]
    reason: str | None = None
    configs: tuple[Config | None, ...] | None = None


def simulate_batch(
    ssm: SSM,
    words: Sequence[Sequence[str]],
    *,
    fmt: str | Format = "exact",
    batch_size: int = DEFAULT_BATCH_SIZE,
    configs: bool = False,
) -> BatchRun:
    """Decisions of ``ssm`` on every word, computed in numpy batches, equal to Machine's.

    Parameters
    ----------
    ssm : SSM
    words : sequence of sequences of str
        Symbols of ``ssm.alphabet``.
    fmt : str or Format
    batch_size : int, keyword-only
        Words advanced together (positive).
    configs : bool, keyword-only
        Also return each word's final configuration (exact values; costs a conversion per
        word).

    Returns
    -------
    BatchRun

    Raises
    ------
    SsmproofError
        A word holds a symbol outside the alphabet, or ``batch_size < 1``.
    FormatError
        A weight cannot be rounded into the format (as Machine raises it).

    Examples
    --------
    >>> from ssmproof import examples
    >>> run = simulate_batch(examples.contains_aa(), [("a", "a"), ("b",), ()], fmt="bfloat16")
    >>> [d[-1] for d in run.decisions], run.replayed
    ([(True,), (False,), (False,)], ())

    Notes
    -----
    Time: per position, a few numpy operations per nonzero weight, on vectors of the words still
    running; plus one Machine run per replayed word. Results hold for DESIGN §3's rounding order
    only, like Machine's.
    """
    machine, raw = _run(ssm, words, fmt, batch_size, configs=configs)
    width = len(machine.readouts)
    table = _Table(lambda code: tuple(bool((code >> r) & 1) for r in range(width)))
    decisions: list[tuple[Decision, ...] | None] = []
    for i, codes in enumerate(raw.codes):
        if codes is None:
            decisions.append(raw.replays[i][0])
        else:
            decisions.append(tuple(map(table.__getitem__, codes.tolist())))
    return BatchRun(
        raw.words,
        tuple(decisions),
        tuple(raw.replays[i][2] if i in raw.replays else None for i in range(len(raw.words))),
        tuple(sorted(raw.replays)),
        raw.reason,
        tuple(
            raw.replays[i][1] if i in raw.replays else raw.finals[i] for i in range(len(raw.words))
        )
        if configs
        else None,
    )


def batched_decisions(
    ssm: SSM,
    words: Sequence[Sequence[str]],
    *,
    fmt: str | Format = "exact",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[list[Decision] | None]:
    """``[Machine(ssm, fmt).decisions(w) for w in words]``, batched; ``None`` for a word whose
    run overflowed (where Machine raises :class:`NonFiniteValue`).

    Examples
    --------
    >>> from ssmproof import examples
    >>> batched_decisions(examples.parity_signed(), [("1", "1"), ("1",)], fmt="fixed:8.4")
    [[(True,), (False,), (True,)], [(True,), (False,)]]
    """
    run = simulate_batch(ssm, words, fmt=fmt, batch_size=batch_size)
    return [None if d is None else list(d) for d in run.decisions]


def batched_run_words(
    ssm: SSM,
    words: Sequence[Sequence[str]],
    *,
    fmt: str | Format = "exact",
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[RunResult]:
    """The :class:`RunResult` values :func:`ssmproof.sim.run.run_words` gives (without traces).

    Examples
    --------
    >>> from ssmproof import examples
    >>> [r.accepts for r in batched_run_words(examples.last_is_a(), [("b", "a"), ("a", "b")],
    ...                                         fmt="float16")]
    [True, False]
    """
    machine, raw = _run(ssm, words, fmt, batch_size, configs=False)
    names = (*ssm.alphabet, EOS)
    top = len(names) - 1 if ssm.mode is Mode.PREDICT else 0  # the bit of decisions[-1][-1]
    allowed = _Table(lambda code: tuple(n for r, n in enumerate(names) if (code >> r) & 1))
    out = []
    for i, (word, codes) in enumerate(zip(raw.words, raw.codes)):
        if codes is None:
            decisions, _, error = raw.replays[i]
            if decisions is None:
                out.append(RunResult(word, None, None, None, error))
                continue
            codes = np.array([sum(ok << r for r, ok in enumerate(d)) for d in decisions])
        steps = tuple(map(allowed.__getitem__, codes.tolist())) if top else None
        out.append(RunResult(word, bool((int(codes[-1]) >> top) & 1), steps, None))
    return out


# ------------------------------------------------------------------------------ helpers
@dataclass(frozen=True)
class _Raw:
    """What the kernel produced, before conversion: per word its decision codes at every
    position (bit r = readout r) or ``None`` when it was replayed (``replays[i]`` then holds
    Machine's decisions, final configuration and error text)."""

    words: tuple[tuple[str, ...], ...]
    codes: list[npt.NDArray[np.unsignedinteger] | None]
    replays: dict[int, tuple[tuple[Decision, ...] | None, Config | None, str | None]]
    finals: list[Config | None]
    reason: str | None


class _Table(dict[int, _T]):
    """A lazily filled map from a decision code to what it stands for."""

    def __init__(self, build: Callable[[int], _T]) -> None:
        super().__init__()
        self.build = build

    def __missing__(self, code: int) -> _T:
        value = self[code] = self.build(code)
        return value


def _run(
    ssm: SSM,
    words: Sequence[Sequence[str]],
    fmt: str | Format,
    batch_size: int,
    *,
    configs: bool,
) -> tuple[Machine, _Raw]:
    if batch_size < 1:
        raise SsmproofError(f"batch_size: {batch_size} is not positive; pass at least 1")
    machine = Machine(ssm, parse(fmt) if isinstance(fmt, str) else fmt)
    words_t = tuple(tuple(w) for w in words)
    flat, offsets, lengths = _tokens(machine, words_t)
    count = len(words_t)
    codes: list[npt.NDArray[np.unsignedinteger] | None] = [None] * count
    finals: list[Config | None] = [None] * count

    def ids(i: int) -> list[int]:
        return cast("list[int]", flat[offsets[i] : offsets[i] + lengths[i]].tolist())

    reason = assemble.unsupported_reason(machine) or _too_wide(machine)
    if reason is not None:
        replays = {i: _replay(machine, ids(i)) for i in range(count)}
        return machine, _Raw(words_t, codes, replays, finals, reason)
    plan = assemble.assemble(machine)
    order = np.argsort(-lengths, kind="stable")
    replays = {}
    for start in range(0, count, batch_size):
        chunk = order[start : start + batch_size]
        chunk_codes, bad, last = _simulate(plan, flat, offsets[chunk], lengths[chunk])
        for j, i in enumerate(chunk.tolist()):
            if bad[j]:
                replays[i] = _replay(machine, ids(i))
                continue
            codes[i] = chunk_codes[j, : lengths[i] + 1]
            if configs:
                finals[i] = tuple(arrays.from_float64_array(last[:, j]))
    return machine, _Raw(words_t, codes, replays, finals, None)


def _tokens(
    machine: Machine, words: Sequence[tuple[str, ...]]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Every word's token ids (1 + alphabet index) end to end, each word's offset and length."""
    index = {s: i + 1 for i, s in enumerate(machine.ssm.alphabet)}
    lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words))
    offsets = np.cumsum(lengths) - lengths
    symbols = itertools.chain.from_iterable(words)
    try:
        flat = np.fromiter(map(index.__getitem__, symbols), np.intp, int(lengths.sum()))
    except KeyError as err:
        n = next(n for n, w in enumerate(words) if err.args[0] in w and err.args[0] not in index)
        raise SsmproofError(
            f"words[{n}]: symbol {err.args[0]!r} is not in the alphabet "
            f"{list(machine.ssm.alphabet)}; use only alphabet symbols"
        ) from None
    return flat, offsets, lengths


def _too_wide(machine: Machine) -> str | None:
    width = len(machine.readouts)
    if width > _MAX_READOUTS:
        return f"{width} readouts: decisions are packed into {_MAX_READOUTS} bits per position"
    return None


def _replay(
    machine: Machine, ids: list[int]
) -> tuple[tuple[Decision, ...] | None, Config | None, str | None]:
    """Machine's run of one word: decisions, final configuration, or ``run_words``' error text
    for a non-finite value."""
    config, decisions = machine.start(), []
    try:
        for t in [0, *ids]:
            config, d = machine.step(config, t)
            decisions.append(d)
    except NonFiniteValue as err:
        return None, None, f"{getattr(err, 'where', '?')}: {err}"
    return tuple(decisions), config, None


# ------------------------------------------------------------------------------ the kernel
def _simulate(
    plan: assemble.BatchPlan,
    flat: npt.NDArray[np.intp],
    offsets: npt.NDArray[np.intp],
    lengths: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.unsignedinteger], Flags, Vec]:
    """Run words sorted longest first; return decision codes (word × position; bit r is
    readout r), the words to replay, and each word's final configuration (dims × words).

    Every register, state and lag buffer is a 1-d float64 vector whose first ``running``
    entries are live: one vector per dim keeps each numpy call small (a 2-d register file was
    measured slower: its gathers and scatters cost more than they save).
    """
    batch = len(lengths)
    longest = int(lengths[0]) if batch else 0
    running = np.searchsorted(-lengths, -np.arange(longest + 1), side="right").tolist()
    width = len(plan.readout.coords)
    decided = np.zeros((width, longest + 1, batch), dtype=bool)
    bad = np.zeros(batch, dtype=bool)
    states = [np.full(batch, v) for v in plan.init]
    lags = [np.zeros(batch) for _ in range(plan.lag_width)]
    last = np.zeros((len(plan.init) + plan.lag_width, batch))
    ending = running[1:] + [0]  # words [ending[t], running[t]) end at position t
    with np.errstate(all="ignore"):
        for t, n in enumerate(running):
            tok = flat[offsets[:n] + (t - 1)] if t else np.zeros(n, dtype=np.intp)
            regs, states, lags = advance(
                plan, tok, [s[:n] for s in states], [g[:n] for g in lags], bad[:n]
            )
            for r, coord in enumerate(plan.readout.coords):
                np.greater(regs[coord.out], 0.0, out=decided[r, t, :n])
            for k, v in enumerate(states + lags):
                last[k, ending[t] : n] = v[ending[t] :]
    dtype = np.min_scalar_type((1 << width) - 1)
    codes = np.zeros((longest + 1, batch), dtype=dtype)
    for r in range(width):
        codes |= decided[r].astype(dtype) << dtype.type(r)
    return np.ascontiguousarray(codes.T), bad, last


def advance(
    plan: assemble.BatchPlan,
    tokens: npt.NDArray[np.intp],
    states: list[Vec],
    lags: list[Vec],
    bad: Flags,
    watch: Watch | None = None,
    integral: bool = False,
) -> tuple[list[Vec], list[Vec], list[Vec]]:
    """One position for a batch of rows (words, or a frontier of configurations).

    Row ``i`` reads token ``tokens[i]`` (0 = BOS) from the configuration whose state dims are
    ``states[k][i]`` and lag buffers ``lags[j][i]`` (Machine's order). Returns every register
    (readouts and gate values included), the new states and the new lag buffers. Rows whose
    run met an inexact float64 operation or a non-finite value are flagged in ``bad`` (their
    values are meaningless: replay them on Machine). With ``watch``, ``fixed`` formats record
    per register the rows whose exact value was outside the range (Machine's ``saturated``
    finding). ``integral`` promises that every state, lag and embedding value is an integer
    and the format is not ``fixed``/``int`` (their checks are static anyway): integer weights
    then keep every value an integer. Call it under ``np.errstate(all="ignore")``.
    """
    regs: list[Vec] = [np.zeros(len(tokens))] * plan.nregs
    for reg, table in plan.embed:
        regs[reg] = table.take(tokens)
    integral = integral and plan.arith.grid is None
    new_states, new_lags = _position(plan, regs, states, lags, bad, watch, integral)
    return regs, new_states, new_lags


Watch = dict[int, Flags]
"""Register → rows on which its exact value saturated (``fixed`` formats only)."""


def _position(
    plan: assemble.BatchPlan,
    regs: list[Vec],
    states: list[Vec],
    lags: list[Vec],
    bad: Flags,
    watch: Watch | None = None,
    integral: bool = False,
) -> tuple[list[Vec], list[Vec]]:
    """One position for every running word, in Machine's order; flags go into ``bad``.

    Vectors are never modified in place (only ``bad`` is), so a register may alias another.
    """
    if watch is not None and plan.arith.fmt.kind is not FormatKind.FIXED:
        watch = None
    arith = plan.arith
    pos = lagpos = 0
    new_states: list[Vec] = []
    new_lags: list[Vec] = []
    for layer in plan.layers:
        for src, dst in zip(layer.lag_src, layer.lag_dst):
            regs[dst] = lags[lagpos]
            new_lags.append(regs[src])
            lagpos += 1
        for op in layer.pre:
            _affine(regs, op, arith, bad, watch, integral)
        _affine(regs, layer.gate, arith, bad, watch, integral)
        _affine(regs, layer.inp, arith, bad, watch, integral)
        width = len(layer.state_regs)
        if width > 1:  # the layer's recurrences as one block (row k = state dim k)
            a = np.stack([regs[c.out] for c in layer.gate.coords])
            b = np.stack([regs[c.out] for c in layer.inp.coords])
            h = np.stack(states[pos : pos + width])
            block = _recur(a, h, b, layer, arith, bad, watch, layer.state_regs)
            for k, sreg in enumerate(layer.state_regs):
                regs[sreg] = block[k]
                new_states.append(block[k])
        for k, sreg in enumerate(layer.state_regs if width == 1 else ()):
            a = regs[layer.gate.coords[k].out]
            b = regs[layer.inp.coords[k].out]
            regs[sreg] = _recur(a, states[pos + k], b, layer, arith, bad, watch, sreg)
            new_states.append(regs[sreg])
        pos += width
        for op in layer.mlp:
            _affine(regs, op, arith, bad, watch, integral)
    _affine(regs, plan.readout, arith, bad, watch, integral)
    return new_states, new_lags


def _affine(
    regs: list[Vec],
    op: assemble.Affine,
    arith: assemble.Arith,
    bad: Flags,
    watch: Watch | None = None,
    integral: bool = False,
) -> None:
    """Each coordinate of ``op``: its exact sum (proved or checked), rounded once, ReLU."""
    n = len(bad)
    if op.block is not None and _affine_block(regs, op, arith, bad, watch, integral):
        return
    for c in op.coords:
        s = _sum_exact(regs, c, n) if c.exact else _sum_checked(regs, c, n, bad)
        if c.identity:
            v = s
        else:
            _saturation(s, arith, watch, c.out)
            v = _round(s, arith, bad)
        regs[c.out] = np.maximum(v, 0.0) if op.relu else v


def _affine_block(
    regs: list[Vec],
    op: assemble.Affine,
    arith: assemble.Arith,
    bad: Flags,
    watch: Watch | None,
    integral: bool = False,
) -> bool:
    """The whole map in three numpy calls (gather, multiply, segment sums), when float64
    provably computes it exactly.

    Exact when every coordinate is (:attr:`Block.exact`), or by a grid argument checked here:
    if every input times ``2**g`` and every weight and bias times ``2**h`` are integers and
    ``Σ|w|·|x| + |bias| ≤ 2**52 / 2**(g+h)`` in every row, every product and every partial sum
    (in any order, fused or not) is an integer multiple of ``2**-(g+h)`` below ``2**53`` times
    that unit, hence a float64: the product is exact. Rows already flagged ``bad`` are ignored.
    Returns False (nothing written) when the argument does not apply; the caller then runs
    the per-coordinate path. ``integral``: every value is known to be an integer (then integer
    weights need no grid check).
    """
    block = op.block
    assert block is not None
    n = len(bad)
    x = np.empty((len(block.inputs) + 1, n))
    for j, reg in enumerate(block.inputs):
        x[j] = regs[reg]
    x[-1] = 1.0
    if not block.exact:
        xa = np.abs(x if not bad.any() else x[:, ~bad])
        if xa.size:
            bound = np.add.reduceat(np.abs(block.weights) * xa.max(axis=1)[block.columns],
                                    block.starts)
            top = float(bound.max())  # ≥ every coordinate's Σ|w|·|x| + |bias|
            if not top < 2.0**1000:  # also NaN
                return False
            if top > 0.0:
                g = 51 - block.scale - math.ceil(math.log2(top))
                if g < 0:
                    return False
                if not (integral and op.integer_inputs):
                    xs = xa * 2.0**g
                    if not np.array_equal(xs, np.rint(xs)):
                        return False
    y = np.add.reduceat(block.weights[:, None] * x[block.columns], block.starts, axis=0)
    if arith.rounds:
        _saturation(y, arith, watch, [c.out for c in op.coords])
    y = _round(y, arith, bad)
    if op.relu:
        y = np.maximum(y, 0.0)
    for i, c in enumerate(op.coords):
        regs[c.out] = y[i]
    return True


def _saturation(
    s: Vec, arith: assemble.Arith, watch: Watch | None, reg: int | Sequence[int]
) -> None:
    """Record the rows where ``s`` (exact) lies outside a ``fixed`` format's range."""
    if watch is None:
        return
    lo, hi = arith.fmt.min_value, arith.fmt.max_value
    out = (s < float(lo)) | (s > float(hi))  # type: ignore[arg-type]
    if not out.any():
        return
    rows = [(reg, out)] if out.ndim == 1 else [
        (r, out[i]) for i, r in enumerate(reg) if out[i].any()]  # type: ignore[arg-type]
    for r, o in rows:
        seen = watch.get(r)
        watch[r] = o if seen is None else seen | o


def _sum_exact(regs: list[Vec], c: assemble.Coord, n: int) -> Vec:
    acc: Vec | None = None
    for term in c.terms:
        p = _times(regs[term.reg], term.w)
        acc = p if acc is None else acc + p
    if acc is None:
        return np.full(n, c.bias)
    return acc + c.bias if c.bias else acc


def _sum_checked(regs: list[Vec], c: assemble.Coord, n: int, bad: Flags) -> Vec:
    acc: Vec | float | None = c.bias if c.bias else None
    for term in c.terms:
        x = regs[term.reg]
        p = _times(x, term.w) if term.exact else _two_product(x, term.w, term.hi, term.lo, bad)
        acc = p if acc is None else _two_sum(acc, p, bad)
    if acc is None or isinstance(acc, float):
        return np.full(n, 0.0 if acc is None else acc)
    return acc


def _times(x: Vec, w: float) -> Vec:
    return x if w == 1.0 else (-x if w == -1.0 else x * w)


def _two_sum(a: Vec | float, b: Vec, bad: Flags) -> Vec:
    """``a + b`` rounded; flags where the rounding error is nonzero (NaN from an infinity too)."""
    s = a + b
    bb = s - a
    err = (a - (s - bb)) + (b - bb)
    _flag(bad, err != 0)
    return s


def _flag(bad: Flags, mask: Flags) -> None:
    """Flag the rows (columns of a 2-d block) where ``mask`` holds."""
    bad |= mask if mask.ndim == 1 else mask.any(axis=0)


def _split(x: Vec) -> tuple[Vec, Vec]:
    c = x * _VELTKAMP
    hi = c - (c - x)
    return hi, x - hi


def _two_product(x: Vec, w: Vec | float, w_hi: Vec | float, w_lo: Vec | float, bad: Flags) -> Vec:
    """``x·w`` rounded; flags where the error is nonzero, or where the product of two nonzero
    factors is so small (zero included) that underflow may have hidden the error."""
    p = x * w
    x_hi, x_lo = _split(x)
    err = ((x_hi * w_hi - p) + x_hi * w_lo + x_lo * w_hi) + x_lo * w_lo
    _flag(bad, (err != 0) | ((np.abs(p) < _TINY) & (x != 0) & (w != 0)))
    return p


def _round(s: Vec, arith: assemble.Arith, bad: Flags) -> Vec:
    """``fmt.rnd`` of exact values; a non-finite result flags its word and is replaced by 0."""
    if not arith.rounds:
        r = s
    else:
        r = _FAST_ROUNDERS.get(arith.fmt.kind, _round_array)(arith.fmt, s)
    if arith.may_overflow:
        finite = np.isfinite(r)
        if not finite.all():
            bad |= ~finite if finite.ndim == 1 else ~finite.all(axis=0)
            r = np.where(finite, r, 0.0)
    return r


def _round_array(fmt: Format, s: Vec) -> Vec:
    return fmt.round_array(s)


def _round_bfloat16(fmt: Format, s: Vec) -> Vec:
    """bfloat16 rounding, fast when every entry is exactly a float32 (the usual case).

    Then float64 → float32 is exact and ml_dtypes' float32 → bfloat16 cast is one correct
    rounding (the fact :func:`ssmproof.numerics.arrays.round_float_array` rests on);
    otherwise :meth:`Format.round_array` rounds to odd first.
    """
    import ml_dtypes  # 0.3 s or more to load: only when bfloat16 is used (CLI start-up)

    narrow = s.astype(np.float32)
    if np.array_equal(narrow, s):
        return narrow.astype(ml_dtypes.bfloat16).astype(np.float64)
    return fmt.round_array(s)


_FAST_ROUNDERS: dict[FormatKind, Callable[[Format, Vec], Vec]] = {
    FormatKind.BFLOAT16: _round_bfloat16,
}


def _recur(
    a: Vec,
    h: Vec,
    b: Vec,
    layer: assemble.LayerOps,
    arith: assemble.Arith,
    bad: Flags,
    watch: Watch | None = None,
    reg: int | Sequence[int] = -1,
) -> Vec:
    """``rnd(rnd(a·h) + b)`` for one state dim (or a block of them: rows, ``reg`` a sequence),
    each operation proved or checked."""
    if layer.product_exact:
        p = a * h
    else:
        a_hi, a_lo = _split(a)
        p = _two_product(h, a, a_hi, a_lo, bad)
    _saturation(p, arith, watch, reg)
    p = _round(p, arith, bad)
    s = p + b if layer.sum_exact else _two_sum(p, b, bad)
    _saturation(s, arith, watch, reg)
    return _round(s, arith, bad)
