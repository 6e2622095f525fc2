"""An SSM as a plain ``torch.nn.Module`` that computes exactly what the simulator computes.

:func:`to_module` compiles an :class:`~ssmproof.ssm.program.SSM` through
:class:`~ssmproof.sim.machine.Machine` (so the weights are rounded by the very code the simulator
uses) into an :class:`SSMModule` whose structure is visible in ``print(module)``:

- ``embedding``: an ``nn.Embedding`` (BOS is token 0, ``alphabet[i]`` is token ``i + 1``);
- per layer: ``lag`` (a width-2 causal depthwise ``nn.Conv1d`` with kernel ``[1, 0]``: the
  previous position's value, zero before BOS), ``pre_mlp``, ``gate`` and ``input``
  (:class:`RoundedLinear`), ``recurrence`` (:class:`DiagonalRecurrence`: ``h = rnd(rnd(a·h)+b)``,
  sequentially or by a parallel associative scan), ``mlp``;
- ``readout``: one row per decision (``accept``, or one per symbol and EOS); decide ``> 0``.

Semantics (DESIGN §3). Values live in float64 tensors holding values of the format. Each
coordinate of a matrix–vector product is computed by a float64 matmul and rounded once with
:func:`ssmproof.torch.rounding.round_to`; :func:`~ssmproof.torch.rounding.exact_dot_mask` proves,
per coordinate and position, that the matmul was exact (else the position is flagged in
``ModuleOutput.inexact``, never silently wrong). The recurrence step in ``float16``,
``bfloat16`` and ``float32`` needs no check: ``a·h`` of two p ≤ 24-bit values is exact in float64,
and rounding ``rnd(a·h) + b`` first to float64 is innocuous (Figueroa 1995: 53 ≥ 2p + 2; for
p ≤ 11 through round-to-odd, Boldo & Melquiond 2008); in ``float64`` it is checked like a dot
product. The parallel scan composes the steps' affine maps in float64, then *verifies* every
position against the rounded recurrence in one parallel pass and repairs from the first
position where rounding made the two differ (:class:`DiagonalRecurrence`), so both modes
return the same states.

Parameters are frozen (``requires_grad=False``): a construction is exact weights, not a
starting point for training; ``state_dict`` round-trips them in the format's dtype.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import torch
from torch import nn

from ssmproof.errors import SsmproofError
from ssmproof.numerics.formats import Format, parse
from ssmproof.sim.machine import Machine
from ssmproof.ssm.program import SSM, refuse_smooth
from ssmproof.torch import rounding

__all__ = [
    "ModuleOutput",
    "RoundedLinear",
    "CausalLag",
    "DiagonalRecurrence",
    "SSMLayerModule",
    "SSMModule",
    "to_module",
    "encode_words",
]

Ops = Sequence[tuple[int, Sequence[tuple[int, int | Fraction]], int | Fraction]]


@dataclass(frozen=True)
class ModuleOutput:
    """What :meth:`SSMModule.forward` returns, for ``B`` words padded to ``T`` symbols.

    Attributes
    ----------
    readouts : Tensor (B, T + 1, R), float64
        Readout values after BOS and after each symbol (values of the format).
    decisions : Tensor (B, T + 1, R), bool
        ``readouts > 0``: the Machine's :data:`~ssmproof.sim.machine.Decision` per position.
    states : tuple of Tensor (B, T + 1, d_l), in the format's dtype
        Each layer's state after every position.
    inexact : Tensor (B, T + 1), bool
        Positions where a float64 operation could not be proved exact: there the module may
        differ from DESIGN §3 (replay such words on the simulator).
    nonfinite : Tensor (B, T + 1), bool
        Positions with an overflow (where the simulator raises ``NonFiniteValue``).
    """

    readouts: torch.Tensor
    decisions: torch.Tensor
    states: tuple[torch.Tensor, ...]
    inexact: torch.Tensor
    nonfinite: torch.Tensor


def _frozen(values: torch.Tensor, dtype: torch.dtype) -> nn.Parameter:
    return nn.Parameter(values.to(dtype), requires_grad=False)


class RoundedLinear(nn.Module):
    """``dst ← rnd(W · stream[src] + bias)`` per coordinate, then ReLU if ``relu`` (exact).

    ``src`` and ``dst`` index the residual stream (named dims in :attr:`src_names`,
    :attr:`dst_names`); ``weight`` is ``(len(dst), len(src))``.
    """

    def __init__(self, op: Ops, relu: bool, fmt: str, names: Sequence[str], dtype: torch.dtype):
        super().__init__()
        src = sorted({i for _, pairs, _ in op for i, _ in pairs})
        col = {r: j for j, r in enumerate(src)}
        weight = torch.zeros(len(op), len(src), dtype=torch.float64)
        bias = torch.zeros(len(op), dtype=torch.float64)
        for k, (_, pairs, b) in enumerate(op):
            bias[k] = float(b)
            for i, w in pairs:
                weight[k, col[i]] = float(w)
        self.fmt, self.relu = fmt, relu
        self.src_names = tuple(names[i] for i in src)
        self.dst_names = tuple(names[out] for out, _, _ in op)
        self.weight = _frozen(weight, dtype)
        self.bias = _frozen(bias, dtype)
        self.register_buffer("src", torch.tensor(src, dtype=torch.long), persistent=False)
        self.register_buffer("dst", torch.tensor([o for o, _, _ in op], dtype=torch.long),
                             persistent=False)

    def extra_repr(self) -> str:
        act = "relu" if self.relu else "linear"
        return f"{len(self.src_names)} -> {len(self.dst_names)}, {act}, rounded to {self.fmt}"

    def forward(self, stream: torch.Tensor, flags: torch.Tensor) -> torch.Tensor:
        """Write the outputs into ``stream`` (in place) and OR inexact positions into ``flags``."""
        x = stream[..., self.src]
        w, b = self.weight.double(), self.bias.double()
        acc = x @ w.T + b if x.shape[-1] else b.expand(*x.shape[:-1], -1)
        flags |= ~rounding.exact_dot_mask(x, w.abs(), b.abs(), self._row_low(w)).all(dim=-1)
        out = rounding.round_to(acc, self.fmt)
        stream[..., self.dst] = out.clamp_min(0.0) if self.relu else out
        return out

    @staticmethod
    def _row_low(w: torch.Tensor) -> torch.Tensor:
        if w.shape[1] == 0:
            return torch.full((w.shape[0],), rounding.FAR, dtype=torch.int64, device=w.device)
        return rounding.low_exponent(w).amin(dim=1)


class CausalLag(nn.Module):
    """``dst_t ← stream_{t-1}[src]`` (zero at BOS): Mamba's conv1d with kernel ``[1, 0]``."""

    def __init__(self, src: Sequence[int], dst: Sequence[int], names: Sequence[str],
                 dtype: torch.dtype):
        super().__init__()
        width = len(src)
        self.conv = nn.Conv1d(width, width, kernel_size=2, groups=width, bias=False,
                              dtype=dtype) if width else None
        if self.conv is not None:
            kernel = torch.zeros(width, 1, 2, dtype=dtype)
            kernel[:, 0, 0] = 1  # weight on t-1; t itself gets 0
            self.conv.weight = _frozen(kernel, dtype)
        self.src_names = tuple(names[i] for i in src)
        self.register_buffer("src", torch.tensor(list(src), dtype=torch.long), persistent=False)
        self.register_buffer("dst", torch.tensor(list(dst), dtype=torch.long), persistent=False)

    def forward(self, stream: torch.Tensor) -> None:
        if self.conv is None:
            return
        x = stream[..., self.src].transpose(1, 2)  # (B, C, T)
        padded = nn.functional.pad(x, (1, 0))  # zero before BOS: causal
        lagged = nn.functional.conv1d(padded, self.conv.weight.double(), groups=x.shape[1])
        stream[..., self.dst] = lagged.transpose(1, 2)  # 1·x + 0·y: exact


class DiagonalRecurrence(nn.Module):
    """``h_t = rnd(rnd(a_t ⊙ h_{t-1}) + b_t)`` from the initial state ``init``.

    ``forward(a, b, scan=...)``: ``scan=False`` steps position by position; ``scan=True``
    composes the affine maps ``h ↦ a·h + b`` by a Hillis–Steele associative scan in float64
    (``log2 T`` parallel rounds), rounds each ``h_t`` once, then checks every position against
    the rounded step from its predecessor. Rounding makes the steps non-associative, so where
    the check fails, the first failing position of each lane is set to the rounded step, every
    earlier position is pinned, and the rest is scanned again; after :attr:`max_repairs`
    rounds the remaining lanes are stepped sequentially. Either way the result is the
    sequential one, position for position (by induction over verified positions).
    """

    max_repairs = 4

    def __init__(self, init: Sequence[int | Fraction], fmt: str, dtype: torch.dtype):
        super().__init__()
        self.fmt = fmt
        self.init = _frozen(torch.tensor([float(v) for v in init], dtype=torch.float64), dtype)

    def extra_repr(self) -> str:
        return f"d={self.init.numel()}, rounded to {self.fmt}"

    def step(self, a: torch.Tensor, h: torch.Tensor, b: torch.Tensor
             ) -> tuple[torch.Tensor, torch.Tensor]:
        """One rounded step (any shape) and where float64 could not be proved exact."""
        product = a * h
        first = rounding.round_to(product, self.fmt)
        total = rounding.round_to(first + b, self.fmt)
        if self.fmt != "float64":
            return total, torch.zeros_like(total, dtype=torch.bool)
        return total, ~(_exact_product(a, h, product) & _exact_sum(first, b))

    def forward(self, a: torch.Tensor, b: torch.Tensor, *, scan: bool = True
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """States (B, T, d) and inexact flags (B, T) for gates ``a`` and inputs ``b``."""
        h0 = self.init.double().expand(a.shape[0], -1)
        states = self._scanned(a, b, h0) if scan else None
        if states is None:
            states = self._sequential(a, b, h0)
        prev = torch.cat([h0[:, None, :], states[:, :-1]], dim=1)
        _, flags = self.step(a, prev, b)
        return states, flags.any(dim=-1)

    def _sequential(self, a: torch.Tensor, b: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        out = []
        for t in range(a.shape[1]):
            h, _ = self.step(a[:, t], h, b[:, t])
            out.append(h)
        return torch.stack(out, dim=1) if out else a.new_zeros(a.shape)

    def _scanned(self, a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor
                 ) -> torch.Tensor | None:
        T = a.shape[1]
        positions = torch.arange(T, device=a.device)[None, :, None]
        pin_a, pin_b = a, b
        for _ in range(self.max_repairs):
            states = rounding.round_to(_affine_scan(pin_a, pin_b, h0), self.fmt)
            prev = torch.cat([h0[:, None, :], states[:, :-1]], dim=1)
            stepped, _ = self.step(a, prev, b)
            bad = ~((stepped == states) | (torch.isnan(stepped) & torch.isnan(states)))
            if not bad.any():
                return states
            first = torch.where(bad, positions, T).amin(dim=1, keepdim=True)
            pinned = positions <= first
            truth = torch.where(positions < first, states, stepped)
            pin_a = torch.where(pinned, torch.zeros_like(a), a)
            pin_b = torch.where(pinned, truth, b)
        return None


def _affine_scan(a: torch.Tensor, b: torch.Tensor, h0: torch.Tensor) -> torch.Tensor:
    """``h_t = a_t·h_{t-1} + b_t`` for all t by composing maps in ``log2 T`` rounds (float64)."""
    A, B = a.clone(), b.clone()
    offset, T = 1, a.shape[1]
    while offset < T:
        A_prev, B_prev = A[:, :-offset], B[:, :-offset]
        A_new, B_new = A.clone(), B.clone()
        A_new[:, offset:] = A[:, offset:] * A_prev
        B_new[:, offset:] = A[:, offset:] * B_prev + B[:, offset:]
        A, B, offset = A_new, B_new, offset * 2
    return A * h0[:, None, :] + B


def _exact_product(a: torch.Tensor, h: torch.Tensor, product: torch.Tensor) -> torch.Tensor:
    q = rounding.low_exponent(a) + rounding.low_exponent(h)
    _, top = torch.frexp(product)
    return (product == 0) | ((top.to(torch.int64) <= 52 + q) & (q >= -1074))


def _exact_sum(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    q = torch.minimum(rounding.low_exponent(x), rounding.low_exponent(y))
    _, top = torch.frexp(x.abs() + y.abs())
    return ((x == 0) & (y == 0)) | (top.to(torch.int64) <= 52 + q)


class SSMLayerModule(nn.Module):
    """One layer: lag, pre-MLP, gate and input rows, diagonal recurrence, post-MLP."""

    def __init__(self, plan: object, fmt: str, names: Sequence[str], init: Sequence[object],
                 dtype: torch.dtype):
        super().__init__()
        p = plan
        self.name = p.name  # type: ignore[attr-defined]
        self.state_names = tuple(p.state_names)  # type: ignore[attr-defined]
        self.lag = CausalLag(p.lag_src, p.lag_dst, names, dtype)  # type: ignore[attr-defined]
        self.pre_mlp = nn.ModuleList(RoundedLinear(o, r, fmt, names, dtype)
                                     for o, r in zip(p.pre, p.pre_relu))  # type: ignore
        self.gate = RoundedLinear(p.gate, False, fmt, names, dtype)  # type: ignore
        self.input = RoundedLinear(p.inp, False, fmt, names, dtype)  # type: ignore
        self.recurrence = DiagonalRecurrence(init, fmt, dtype)  # type: ignore[arg-type]
        self.mlp = nn.ModuleList(RoundedLinear(o, r, fmt, names, dtype)
                                 for o, r in zip(p.mlp, p.mlp_relu))  # type: ignore
        self.register_buffer("state_regs", torch.tensor(list(p.state_regs), dtype=torch.long),
                             persistent=False)  # type: ignore[attr-defined]

    def extra_repr(self) -> str:
        return f"{self.name}: state {list(self.state_names)}"

    def forward(self, stream: torch.Tensor, flags: torch.Tensor, *, scan: bool) -> torch.Tensor:
        self.lag(stream)
        for dense in self.pre_mlp:
            dense(stream, flags)
        a = self.gate(stream, flags)
        b = self.input(stream, flags)
        states, inexact = self.recurrence(a, b, scan=scan)
        flags |= inexact
        stream[..., self.state_regs] = states
        for dense in self.mlp:
            dense(stream, flags)
        return states


class SSMModule(nn.Module):
    """A construction as a torch module; see the module docstring for what it computes.

    Examples
    --------
    >>> from ssmproof import examples
    >>> m = to_module(examples.parity_signed(), "bfloat16")
    >>> out = m(encode_words(m, [["1", "1", "0"], ["1"]]))
    >>> out.decisions[:, :, 0].tolist()
    [[True, False, True, True], [True, False, False, False]]
    """

    def __init__(self, ssm: SSM, fmt: str | Format):
        super().__init__()
        refuse_smooth(ssm, "export --torch")
        self.fmt = rounding.check_format(fmt)
        dtype = rounding.torch_dtype(self.fmt)
        machine = Machine(ssm, parse(self.fmt))
        names = machine.reg_names
        self.alphabet = tuple(ssm.alphabet)
        self.readout_names = tuple(n.removeprefix("readout:") for n in
                                   (names[o] for o, _, _ in machine.readouts))
        self.nregs = machine.nregs
        self.embedding, embed_regs = _embedding(machine, dtype)
        self.register_buffer("embed_regs", embed_regs, persistent=False)
        inits, pos = [], 0
        for plan in machine.plans:
            inits.append(machine.init[pos:pos + len(plan.state_regs)])
            pos += len(plan.state_regs)
        self.layers = nn.ModuleList(SSMLayerModule(p, self.fmt, names, i, dtype)
                                    for p, i in zip(machine.plans, inits))
        self.readout = RoundedLinear(machine.readouts, False, self.fmt, names, dtype)

    def forward(self, symbols: torch.Tensor, *, scan: bool = True) -> ModuleOutput:
        """Run ``BOS`` followed by ``symbols`` (B, T) of token ids ``1 … |Σ|`` (see
        :func:`encode_words`); causal, so padding after a word's end changes nothing before it.
        """
        tokens = torch.cat([symbols.new_zeros(symbols.shape[0], 1), symbols], dim=1)
        stream = torch.zeros(*tokens.shape, self.nregs, dtype=torch.float64,
                             device=tokens.device)
        stream[..., self.embed_regs] = self.embedding(tokens).double()
        flags = torch.zeros(tokens.shape, dtype=torch.bool, device=tokens.device)
        states = tuple(layer(stream, flags, scan=scan) for layer in self.layers)
        readouts = self.readout(stream, flags)
        dtype = self.embedding.weight.dtype
        nonfinite = ~torch.isfinite(stream).all(dim=-1)
        return ModuleOutput(readouts, readouts > 0, tuple(s.to(dtype) for s in states),
                            flags, nonfinite)


def _embedding(machine: Machine, dtype: torch.dtype) -> tuple[nn.Embedding, torch.Tensor]:
    regs = sorted({r for row in machine.embed for r, _ in row})
    col = {r: j for j, r in enumerate(regs)}
    table = torch.zeros(len(machine.tokens), len(regs), dtype=torch.float64)
    for t, row in enumerate(machine.embed):
        for r, c in row:
            table[t, col[r]] = float(c)
    emb = nn.Embedding(len(machine.tokens), len(regs), dtype=dtype)
    emb.weight = _frozen(table, dtype)
    return emb, torch.tensor(regs, dtype=torch.long)


def to_module(ssm: SSM, fmt: str | Format = "float32") -> SSMModule:
    """The construction ``ssm`` as an :class:`SSMModule` computing DESIGN §3 in ``fmt``.

    Parameters
    ----------
    ssm : SSM
    fmt : str or Format
        ``float16``, ``bfloat16``, ``float32`` or ``float64`` (the formats torch has a dtype
        for); weights are rounded once into it, exactly as the simulator rounds them.

    Raises
    ------
    FormatError
        Another format, or a weight the format cannot hold (as the simulator raises it), or a
        weight that is not exactly a float64.

    Examples
    --------
    >>> from ssmproof import examples
    >>> m = to_module(examples.contains_aa(), "float32")
    >>> m(encode_words(m, [["a", "a"], ["a", "b"]])).decisions[:, -1, 0].tolist()
    [True, False]
    """
    return SSMModule(ssm, fmt)


def encode_words(module: SSMModule, words: Sequence[Sequence[str]],
                 device: str | torch.device = "cpu") -> torch.Tensor:
    """Words → a (B, T) LongTensor of token ids, padded with the first symbol after each end.

    Raises
    ------
    SsmproofError
        A symbol is not in the module's alphabet.
    """
    index = {s: i + 1 for i, s in enumerate(module.alphabet)}
    width = max((len(w) for w in words), default=0)
    out = torch.ones(len(words), width, dtype=torch.long)
    for k, word in enumerate(words):
        for t, s in enumerate(word):
            if s not in index:
                raise SsmproofError(f"symbol '{s}' is not in the alphabet "
                                    f"{list(module.alphabet)}; use only alphabet symbols")
            out[k, t] = index[s]
    return out.to(device)
