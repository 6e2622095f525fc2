"""A :class:`~ssmproof.sim.machine.Machine`'s index form → float64 weights plus exactness facts.

The batched simulator (:mod:`ssmproof.sim.batched`) computes in float64 and must reproduce the
exact rounding order of DESIGN §3: each coordinate is the *exact* value of its sum of products,
rounded once. Float64 arithmetic is exact only sometimes, so this module records, per operation,
what can be *proved* exact before running (so no check is spent on it at run time):

- a product ``w·x`` of a weight and a value of the format is exact when the significand bits of
  ``w`` plus those of any value of the format fit in 53, and the format's exponent range keeps
  the product clear of float64 underflow/overflow (true for every format except ``float64`` and
  ``exact``); a weight ``±1`` is always exact;
- a whole coordinate of a ``fixed:I.P`` or ``int:P`` format is exact when every product and
  every partial sum is an integer multiple of ``2**q`` bounded by ``S = |bias| + Σ|w|·B``
  (``B`` the largest magnitude of the format) with ``S ≤ 2**(53 + q)``: then every
  float64 operation of the sum, in any order, is exact;
- if moreover ``q ≥ −P`` and interval arithmetic over the format's range puts every result
  inside that range, rounding is the identity.

Everything else is checked at run time with error-free transformations (see ``batched``).
The weights are taken from the Machine itself, already rounded by ``fmt.weight``, so the two
paths cannot disagree on compilation.

References
----------
T. J. Dekker, "A floating-point technique for extending the available precision",
Numerische Mathematik 18, 1971 (the exact product by splitting, and its no-underflow condition).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ssmproof.numerics import arrays
from ssmproof.numerics.formats import Format, FormatKind
from ssmproof.sim.machine import Machine, _LayerPlan  # _LayerPlan: Machine.plans' items

Number = int | Fraction
Ops = Sequence[tuple[int, Sequence[tuple[int, Number]], Number]]  # Machine's (out, pairs, bias)

__all__ = [
    "Arith",
    "Term",
    "Coord",
    "Affine",
    "LayerOps",
    "BatchPlan",
    "arith_of",
    "unsupported_reason",
    "assemble",
    "significand_bits",
    "two_adic_exponent",
]

_F64_BITS = arrays.FLOAT64_EXACT_INT_BITS  # 53
_SPLIT = float(2**27 + 1)  # Veltkamp's splitting constant for float64


@dataclass(frozen=True, slots=True)
class Arith:
    """What float64 arithmetic can do exactly for values of one format.

    Attributes
    ----------
    fmt : Format
    value_bits : int
        Upper bound on the significand bits of any value of the format (53: any float64).
    bounded : bool
        Products of two values (or a value and a weight) stay far from float64's underflow and
        overflow, so a product is exact whenever its significand fits 53 bits.
    grid : int or None
        ``fixed``/``int``: every value is a multiple of ``2**-grid``; otherwise ``None``.
    magnitude : Fraction or None
        ``fixed``/``int``: every value has ``|v| <= magnitude``.
    rounds : bool
        False when rounding an exact float64 value is the identity (``exact``, ``float64``).
    may_overflow : bool
        Values can become non-finite during a run (IEEE kinds; ``exact`` through float64).
    """

    fmt: Format
    value_bits: int
    bounded: bool
    grid: int | None
    magnitude: Fraction | None
    rounds: bool
    may_overflow: bool


def arith_of(fmt: Format) -> Arith:
    """The :class:`Arith` facts of a format (``fits_float64`` formats and ``exact``).

    Examples
    --------
    >>> from ssmproof.numerics.formats import parse
    >>> a = arith_of(parse("fixed:8.4"))
    >>> a.value_bits, a.grid, a.magnitude, a.bounded
    (11, 4, Fraction(128, 1), True)
    >>> arith_of(parse("bfloat16")).value_bits, arith_of(parse("exact")).bounded
    (8, False)
    """
    kind = fmt.kind
    if kind in (FormatKind.FIXED, FormatKind.INT):
        width = fmt.int_bits + fmt.frac_bits
        return Arith(
            fmt, width - 1, True, fmt.frac_bits, Fraction(2) ** (fmt.int_bits - 1), True, False
        )
    layout = fmt.layout
    if kind is FormatKind.EXACT or layout is None or layout.precision >= _F64_BITS:
        return Arith(fmt, _F64_BITS, False, None, None, False, True)
    return Arith(fmt, layout.precision, True, None, None, True, True)


def unsupported_reason(machine: Machine) -> str | None:
    """Why ``machine`` cannot run batched in float64, or ``None`` when it can.

    The format must be ``exact`` or have ``fits_float64``, and every rounded weight, bias,
    embedding value and initial state must be exactly a float64 (only ``exact`` can fail this,
    with a weight such as 1/3).

    Examples
    --------
    >>> from ssmproof import examples
    >>> from ssmproof.numerics.formats import parse
    >>> unsupported_reason(Machine(examples.contains_aa(), parse("bfloat16"))) is None
    True
    >>> unsupported_reason(Machine(examples.contains_aa(), parse("fixed:32.32")))
    'fixed:32.32: values need 64 bits, more than float64 holds exactly'
    """
    fmt = machine.fmt
    if machine.smooth:
        return f"{fmt}: smooth activations and products (ssmproof-ssm/3) run on the Machine"
    if machine.complex:
        return f"{fmt}: complex weights (Q(ζ{machine.field})) run on the exact Machine"
    if fmt.kind is not FormatKind.EXACT and not fmt.fits_float64:
        return f"{fmt}: values need {fmt.bits} bits, more than float64 holds exactly"
    for value in _all_constants(machine):
        if not arrays.exact_in_float64(value):
            return f"{fmt}: the constant {value} is not exactly a float64"
    return None


def _all_constants(machine: Machine) -> list[Number]:
    out: list[Number] = list(machine.init)
    out += [c for row in machine.embed for _, c in row]
    ops: list[Ops] = [machine.readouts]
    for plan in machine.plans:
        ops += [*plan.pre, plan.gate, plan.inp, *plan.mlp]
    for op in ops:
        for _, pairs, bias in op:
            out.append(bias)
            out += [w for _, w in pairs]
    return out


def significand_bits(x: int | Fraction) -> int:
    """Bits of the odd part of a dyadic rational (``0`` for zero).

    Examples
    --------
    >>> significand_bits(Fraction(3, 8)), significand_bits(-12), significand_bits(1)
    (2, 2, 1)
    """
    num = abs(Fraction(x).numerator)
    return 0 if num == 0 else (num >> two_adic_exponent(num)).bit_length()


def two_adic_exponent(x: int | Fraction) -> int:
    """The ``e`` with ``x = m·2**e``, ``m`` an odd integer (dyadic ``x`` ≠ 0).

    Examples
    --------
    >>> two_adic_exponent(Fraction(3, 8)), two_adic_exponent(12), two_adic_exponent(-1)
    (-3, 2, 0)
    """
    f = Fraction(x)
    num, den = abs(f.numerator), f.denominator
    assert num and den & (den - 1) == 0, "not a nonzero dyadic rational"
    return (num & -num).bit_length() - 1 - (den.bit_length() - 1)


# ----------------------------------------------------------------------------------- the plan
@dataclass(frozen=True, slots=True)
class Term:
    """One product ``w·regs[reg]``; ``hi + lo == w`` is Veltkamp's split, for Dekker's check."""

    reg: int
    w: float
    exact: bool
    hi: float
    lo: float


@dataclass(frozen=True, slots=True)
class Coord:
    """One output coordinate ``bias + Σ w·x``, then rounded once.

    ``exact``: every float64 operation of the sum is provably exact (no run-time check);
    ``identity``: additionally rounding leaves every possible result unchanged.
    """

    out: int
    terms: tuple[Term, ...]
    bias: float
    exact: bool
    identity: bool


@dataclass(frozen=True, slots=True)
class Block:
    """A whole affine map in sparse row form over only the registers it reads.

    Term ``t`` is ``weights[t] · x[columns[t]]`` where ``x`` stacks the ``inputs`` registers and
    a last row of ones (the bias); coordinate ``i`` sums terms ``starts[i]`` up to the next start
    (every coordinate has its bias term, possibly 0, so none is empty). ``scale``: every weight
    times ``2**scale`` is an integer. ``exact``: every coordinate is provably exact in float64 in
    any order of summation (:attr:`Coord.exact`), so no check runs.
    """

    inputs: tuple[int, ...]
    columns: npt.NDArray[np.intp]
    weights: npt.NDArray[np.float64]
    starts: npt.NDArray[np.intp]
    scale: int
    exact: bool


@dataclass(frozen=True, slots=True)
class Affine:
    """A matrix–vector product: its coordinates in the Machine's order, ReLU or not; ``block``
    is the same map as one dense matrix (None for an empty map)."""

    coords: tuple[Coord, ...]
    relu: bool
    block: Block | None = None
    integer_inputs: bool = False  # see :func:`_integer_inputs`


@dataclass(frozen=True, slots=True)
class LayerOps:
    """One layer: lag copies, pre-MLP, gate/input rows, recurrence facts, MLP."""

    state_regs: tuple[int, ...]
    lag_src: tuple[int, ...]
    lag_dst: tuple[int, ...]
    pre: tuple[Affine, ...]
    gate: Affine
    inp: Affine
    mlp: tuple[Affine, ...]
    product_exact: bool  # a·h is provably exact in float64
    sum_exact: bool  # rnd(a·h) + b is provably exact in float64


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """Everything the batched simulator needs, in float64, with its exactness facts."""

    arith: Arith
    nregs: int
    embed: tuple[tuple[int, npt.NDArray[np.float64]], ...]  # reg -> its value per token
    init: tuple[float, ...]
    layers: tuple[LayerOps, ...]
    readout: Affine
    lag_width: int


def assemble(machine: Machine) -> BatchPlan:
    """Turn a Machine's compiled plans into a :class:`BatchPlan` (float64 weights + facts).

    Raises
    ------
    FormatError
        If :func:`unsupported_reason` names a reason.

    Examples
    --------
    >>> from ssmproof import examples
    >>> from ssmproof.numerics.formats import parse
    >>> plan = assemble(Machine(examples.dyck1_bounded(3), parse("fixed:8.4")))
    >>> hidden = plan.layers[0].mlp[0].coords  # ±depth − k; the fifth is L1.pos = depth
    >>> [c.exact for c in hidden], [c.identity for c in hidden]
    ([True, True, True, True, True, True], [False, False, False, False, True, False])
    >>> plan.layers[0].product_exact, plan.layers[0].sum_exact
    (True, True)
    """
    from ssmproof.errors import FormatError

    reason = unsupported_reason(machine)
    if reason is not None:
        raise FormatError(reason + "; run it with ssmproof.sim.machine.Machine instead")
    arith = arith_of(machine.fmt)
    tables: dict[int, npt.NDArray[np.float64]] = {}
    for t, row in enumerate(machine.embed):
        for reg, c in row:
            tables.setdefault(reg, np.zeros(len(machine.tokens)))[t] = float(c)
    layers, readout = _integer_inputs(
        tuple(_layer_ops(plan, arith) for plan in machine.plans),
        _affine(machine.readouts, False, arith), tables)
    return BatchPlan(
        arith,
        machine.nregs,
        tuple(sorted(tables.items())),
        tuple(float(v) for v in machine.init),
        layers,
        readout,
        machine.lag_width,
    )


def _integer_inputs(layers: tuple[LayerOps, ...], readout: Affine,
                    tables: dict[int, npt.NDArray[np.float64]]
                    ) -> tuple[tuple[LayerOps, ...], Affine]:
    """Mark the maps whose inputs are all integers whenever every state, lag buffer and
    embedding value is one (in a format that rounds integers to integers: not ``fixed``).

    Integer inputs times integer weights (``Block.scale == 0``) give integer outputs, ReLU and
    float rounding keep them integers, and ``a·h + b`` of integers is one; so the batched path
    can skip the grid check of such a map once it has checked the premise.
    """
    ints = {reg for reg, t in tables.items() if np.array_equal(t, np.rint(t))}

    def mark(op: Affine) -> Affine:
        ok = op.block is not None and set(op.block.inputs) <= ints
        if ok and op.block.scale == 0:  # type: ignore[union-attr]
            ints.update(c.out for c in op.coords)
        return replace(op, integer_inputs=ok)

    out = []
    for layer in layers:
        ints.update(layer.lag_dst)
        pre = tuple(mark(op) for op in layer.pre)
        gate, inp = mark(layer.gate), mark(layer.inp)
        for k, reg in enumerate(layer.state_regs):
            if gate.coords[k].out in ints and inp.coords[k].out in ints:
                ints.add(reg)
        mlp = tuple(mark(op) for op in layer.mlp)
        out.append(replace(layer, pre=pre, gate=gate, inp=inp, mlp=mlp))
    return tuple(out), mark(readout)


def _layer_ops(p: _LayerPlan, arith: Arith) -> LayerOps:
    grid, big = arith.grid, arith.magnitude
    product_exact = arith.bounded and 2 * arith.value_bits <= _F64_BITS
    sum_exact = grid is not None and big is not None and 2 * big * 2**grid <= 2**_F64_BITS
    return LayerOps(
        tuple(p.state_regs),
        tuple(p.lag_src),
        tuple(p.lag_dst),
        tuple(_affine(o, r, arith) for o, r in zip(p.pre, p.pre_relu)),
        _affine(p.gate, False, arith),
        _affine(p.inp, False, arith),
        tuple(_affine(o, r, arith) for o, r in zip(p.mlp, p.mlp_relu)),
        product_exact,
        sum_exact,
    )


def _affine(op: Ops, relu: bool, arith: Arith) -> Affine:
    coords = tuple(_coord(out, pairs, bias, arith) for out, pairs, bias in op)
    return Affine(coords, relu, _block(op, coords))


def _block(op: Ops, coords: tuple[Coord, ...]) -> Block | None:
    if not op:
        return None
    inputs = tuple(sorted({reg for _, pairs, _ in op for reg, _ in pairs}))
    col = {reg: j for j, reg in enumerate(inputs)}
    columns: list[int] = []
    weights: list[float] = []
    starts: list[int] = []
    exps = [0]
    for _, pairs, bias in op:
        starts.append(len(columns))
        for reg, w in pairs:
            columns.append(col[reg])
            weights.append(float(w))
            exps.append(-two_adic_exponent(w))
        columns.append(len(inputs))
        weights.append(float(bias))
        if bias:
            exps.append(-two_adic_exponent(bias))
    return Block(inputs, np.array(columns, dtype=np.intp), np.array(weights),
                 np.array(starts, dtype=np.intp), max(exps), all(c.exact for c in coords))


def _coord(out: int, pairs: Sequence[tuple[int, Number]], bias: Number, arith: Arith) -> Coord:
    terms = tuple(_term(reg, Fraction(w), arith) for reg, w in pairs)
    exact, identity = _grid_facts([Fraction(w) for _, w in pairs], Fraction(bias), arith)
    return Coord(out, terms, float(bias), exact, identity)


def _term(reg: int, w: Fraction, arith: Arith) -> Term:
    exact = abs(w) == 1 or (arith.bounded and significand_bits(w) + arith.value_bits <= _F64_BITS)
    wf = float(w)
    c = _SPLIT * wf
    hi = c - (c - wf)
    return Term(reg, wf, exact, hi, wf - hi)


def _grid_facts(weights: list[Fraction], bias: Fraction, arith: Arith) -> tuple[bool, bool]:
    """(whole coordinate exact in float64, rounding is the identity) by the grid bound."""
    grid, big, fmt = arith.grid, arith.magnitude, arith.fmt
    lo, hi = fmt.min_value, fmt.max_value
    if grid is None or big is None or lo is None or hi is None:
        return False, False
    exponents = [two_adic_exponent(w) - grid for w in weights]
    if bias:
        exponents.append(two_adic_exponent(bias))
    if not exponents:
        return True, True  # the constant 0
    q = min(exponents)
    exact = abs(bias) + sum(abs(w) for w in weights) * big <= Fraction(2) ** (_F64_BITS + q)
    least = bias + sum(min(w * lo, w * hi) for w in weights)
    most = bias + sum(max(w * lo, w * hi) for w in weights)
    return exact, exact and q >= -grid and lo <= least and most <= hi
