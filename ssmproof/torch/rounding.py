"""Rounding in torch: float64 tensors holding exact values → the nearest value of a format.

The module (:mod:`ssmproof.torch.module`) keeps every value in a float64 tensor and rounds with
the functions here, so that it reproduces DESIGN §3 in ``float16``, ``bfloat16``, ``float32`` and
``float64``:

- float64 → float32 (``Tensor.to``) is one IEEE rounding to nearest, ties to even.
- float64 → bfloat16 or float16 with ``Tensor.to`` narrows to float32 first in torch (two
  roundings: ``1 + 2**-8 + 2**-30`` would become ``1``, not ``1 + 2**-7``). So we narrow to
  float32 *rounding to odd*, after which the round-to-nearest cast to the 8- or 11-bit format
  is the correctly rounded result of the float64 value (Boldo & Melquiond 2008, Theorem 1:
  rounding to odd at ≥ p + 2 bits, then to nearest at p bits, is one rounding to nearest).
  This is the same path as :func:`ssmproof.numerics.arrays.to_float32_round_to_odd`.

Overflow gives ±inf (where :meth:`Format.rnd` raises ``NonFiniteValue``); zeros come back +0.

Also here: :func:`exact_dot_mask`, the check that a float64 matrix–vector product was computed
*exactly* (so that rounding it once is DESIGN's "exact dot product, rounded once").

References
----------
S. Boldo and G. Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms using
rounding to odd", IEEE Transactions on Computers 57(4), 2008.
S. A. Figueroa, "When is double rounding innocuous?", ACM SIGNUM Newsletter 30(3), 1995 (for
``+`` and ``×`` of p-bit operands, rounding first to q ≥ 2p + 2 bits is innocuous).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from ssmproof.errors import FormatError
from ssmproof.numerics.formats import Format, FormatKind, parse

__all__ = [
    "DTYPES",
    "torch_dtype",
    "round_to",
    "to_float32_round_to_odd",
    "low_exponent",
    "exact_dot_mask",
    "FAR",
]

DTYPES: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
"""The formats a module can run in, and the torch dtype that stores their values."""

FAR = 1 << 20
"""Stands for "no nonzero term" in exponent minima (larger than any float64 exponent)."""


def torch_dtype(fmt: str | Format) -> torch.dtype:
    """The torch dtype of a format, or a FormatError naming the formats that have one.

    Examples
    --------
    >>> torch_dtype("bfloat16")
    torch.bfloat16
    >>> torch_dtype("fixed:8.4")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.FormatError: fixed:8.4: a torch module runs in float16, bfloat16, float32 ...
    """
    f = parse(fmt)
    if f.kind is FormatKind.EXACT or str(f) not in DTYPES:
        raise FormatError(
            f"{f}: a torch module runs in float16, bfloat16, float32 or float64; "
            "use the simulator (ssmproof run --format) for other formats"
        )
    return DTYPES[str(f)]


def to_float32_round_to_odd(x: torch.Tensor) -> torch.Tensor:
    """Narrow float64 to float32 rounding to odd (exact values kept; others get an odd last bit).

    Examples
    --------
    >>> x = torch.tensor([1 + 2.0**-8 + 2.0**-30, 1 + 2.0**-8], dtype=torch.float64)
    >>> ((to_float32_round_to_odd(x).double() - 1) * 2**23).tolist()
    [32769.0, 32768.0]
    """
    narrow = x.to(torch.float32)
    bits = narrow.view(torch.int32).clone()
    inexact = (narrow.double() != x) & ~torch.isnan(x)
    fix = inexact & ((bits & 1) == 0)
    away = narrow.double().abs() > x.abs()
    bits = bits - (fix & away).to(torch.int32) + (fix & ~away).to(torch.int32)
    return bits.view(torch.float32)


def _via_odd(dtype: torch.dtype) -> Callable[[torch.Tensor], torch.Tensor]:
    def cast(x: torch.Tensor) -> torch.Tensor:
        return to_float32_round_to_odd(x).to(dtype).double() + 0.0

    return cast


_ROUND: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "float16": _via_odd(torch.float16),
    "bfloat16": _via_odd(torch.bfloat16),
    "float32": lambda x: x.to(torch.float32).double() + 0.0,
    "float64": lambda x: x + 0.0,
}


def round_to(x: torch.Tensor, fmt: str) -> torch.Tensor:
    """Round exact float64 values to the format ``fmt`` (a key of :data:`DTYPES`), in float64.

    Examples
    --------
    >>> x = torch.tensor([1 + 2.0**-8 + 2.0**-30, 65520.0], dtype=torch.float64)
    >>> round_to(x, "bfloat16").tolist(), round_to(x, "float16").tolist()
    ([1.0078125, 65536.0], [1.00390625, inf])
    """
    return _ROUND[fmt](x)


def low_exponent(x: torch.Tensor) -> torch.Tensor:
    """Per entry of a float64 tensor, the ``e`` with ``x = odd · 2**e`` (:data:`FAR` for 0).

    Every float64 is such a dyadic rational; ``e`` is the exponent of its lowest set bit.

    Examples
    --------
    >>> low_exponent(torch.tensor([0.375, 12.0, 1.0, 0.0], dtype=torch.float64)).tolist()
    [-3, 2, 0, 1048576]
    """
    mantissa, exponent = torch.frexp(x)  # x = m · 2**e, 0.5 <= |m| < 1
    whole = (mantissa.abs() * 2.0**53).to(torch.int64)  # exact: m has 53 bits
    lowest = whole & -whole
    _, lowbit = torch.frexp(lowest.double())
    out = exponent.to(torch.int64) - 53 + lowbit.to(torch.int64) - 1
    return torch.where((x == 0) | ~torch.isfinite(x), torch.full_like(out, FAR), out)


def exact_dot_mask(
    x: torch.Tensor, abs_weight: torch.Tensor, abs_bias: torch.Tensor, row_low: torch.Tensor
) -> torch.Tensor:
    """Whether each coordinate of ``x @ W.T + bias`` is *provably exact* in float64.

    A sufficient test that holds in any summation order (so for any BLAS, FMA or not): every
    product ``w·x`` and the bias is a multiple of ``2**q`` with ``q = row_low + min low_exponent(x)``
    (``row_low``: the least low exponent of the row's weights and bias, precomputed), and
    ``Σ|w|·|x| + |bias| < 2**(52 + q)``; then every partial sum is an integer multiple of
    ``2**q`` below ``2**53 · 2**q``, hence a float64, so no operation rounds. The bound is
    computed in float64 with relative error below ``n·2**-53``, which the one bit of slack
    (52 rather than 53) absorbs; ``q >= -1074`` keeps the grid above float64's least subnormal.

    Parameters
    ----------
    x : Tensor, shape (..., n), float64
    abs_weight : Tensor, shape (m, n)
        ``|W|``.
    abs_bias : Tensor, shape (m,)
    row_low : Tensor, shape (m,), int64
        ``min`` of :func:`low_exponent` over the row's weights (:data:`FAR` for none); the
        bias's own low exponent is taken from ``abs_bias``.

    Returns
    -------
    Tensor, shape (..., m), bool
    """
    magnitude = x.abs() @ abs_weight.T + abs_bias
    x_low = low_exponent(x).amin(dim=-1, keepdim=True) if x.shape[-1] else None
    bias_low = low_exponent(abs_bias)
    q = bias_low if x_low is None else torch.minimum(row_low + x_low, bias_low)
    _, top = torch.frexp(magnitude)  # magnitude < 2**top
    return (magnitude == 0) | ((top.to(torch.int64) <= 52 + q) & (q >= -1074))


def check_format(fmt: str | Format) -> str:
    """The format's name if a module can run in it (see :func:`torch_dtype`)."""
    torch_dtype(fmt)
    return str(parse(fmt))


__all__ += ["check_format"]
