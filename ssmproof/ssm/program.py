"""The SSM program: a frozen description of a stack of diagonal recurrent layers (DESIGN §2).

Every coordinate is a *named* dimension (STYLE R2). A weight is an exact rational, or the name of
a declared symbolic :class:`Param` (a decay λ), so that LaTeX prints the symbol while simulation
uses its exact value. Dicts inside the dataclasses are never mutated after construction.

Data flow at one position t (the string is read as ``BOS w_1 … w_n``):

1. ``u_t`` starts as the embedding of the token.
2. For each layer: view ``v_t`` = stream ∪ ``prev:<d>`` (``u_{t-1}[d]`` for d in ``lag``; zero
   before BOS) ∪ pre-MLP outputs; gate ``a = G·v``, input ``b = B·v``;
   ``h_t = a ⊙ h_{t-1} + b``; the MLP on ``[h_t; v_t]`` writes new stream dims; exported state
   dims join the stream under their own names.
3. Readouts are linear functionals of the final ``u_t``; a decision is "value > 0".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Union

from ssmproof.errors import SsmproofError
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.ssm import validate as _validate
from ssmproof.ssm.vocabulary import BOS, EOS, LAG_PREFIX, ONE, RESERVED_PREFIXES, Mode, tok
from ssmproof.wordenum import WordEnum

__all__ = [
    "Weight", "Row", "Matrix", "Mode", "Activation", "Param", "Dense", "Product", "Map", "Layer",
    "SSM", "SMOOTH_ACTIVATIONS", "uses_smooth_maps",
    "LAG_PREFIX", "RESERVED_PREFIXES", "BOS", "EOS", "ONE", "tok",
]

Weight = Union[Fraction, int, str, Cyclotomic]  # str: a declared Param; Cyclotomic: complex
Row = Mapping[str, Weight]  # input dim -> coefficient
Matrix = Mapping[str, Row]  # output dim -> row


class Activation(WordEnum):
    """What a :class:`Dense` map applies to each rounded pre-activation.

    ``relu`` and ``linear`` are DESIGN §2's; the rest (format ``ssmproof-ssm/3``) are the
    position-wise functions of a trained Mamba: ``softplus`` (its step size Δ), ``exp`` (its gate
    exp(Δ·A)), ``silu`` (after conv1d and on the gating branch) and ``rsqrt`` (RMSNorm's
    1/sqrt). A finite format rounds their exact real value correctly (once); exact arithmetic
    refuses a value that is not rational (:mod:`ssmproof.numerics.activations`).
    """

    RELU = "relu"
    LINEAR = "linear"
    SOFTPLUS = "softplus"
    EXP = "exp"
    SILU = "silu"
    RSQRT = "rsqrt"


SMOOTH_ACTIVATIONS = frozenset({Activation.SOFTPLUS, Activation.EXP, Activation.SILU,
                                Activation.RSQRT})
"""The activations beyond DESIGN §2's ReLU/linear (format ``ssmproof-ssm/3``)."""


@dataclass(frozen=True)
class Param:
    """A symbolic parameter: printed as ``symbol`` in LaTeX, simulated with ``value``."""

    name: str
    value: Fraction
    constraint: str = ""
    latex: str = ""


@dataclass(frozen=True)
class Dense:
    """One affine map ``out = act(W·x + bias)`` of an MLP; rows keyed by output dim."""

    out: tuple[str, ...]
    weights: Matrix
    bias: Row = field(default_factory=dict)
    activation: Activation = Activation.RELU


@dataclass(frozen=True)
class Product:
    """Position-wise products of two values, ``out = x_a · x_b`` (format ``ssmproof-ssm/3``).

    A trained Mamba multiplies stream values with each other (Δ·B·x, C·h, the gating y·silu(z),
    RMSNorm's x·x and x·r), which no linear map can express. ``factors`` maps each output dim to
    the two dims it multiplies (the same dim twice squares it). Under a finite format each
    product is computed exactly and rounded once, like every coordinate in DESIGN §3.
    """

    out: tuple[str, ...]
    factors: Mapping[str, tuple[str, str]]


Map = Union[Dense, Product]
"""One position-wise map of a pre-MLP or MLP stack."""


@dataclass(frozen=True)
class Layer:
    """One diagonal SSM layer: ``h_t = (G·v_t) ⊙ h_{t-1} + B·v_t`` then a ReLU MLP.

    ``gate`` and ``input`` are keyed by state dim; rows read view dims only (stream dims that
    exist before this layer, ``prev:<dim>`` for ``dim`` in ``lag``, and pre-MLP outputs), which is
    what keeps the model an SSM rather than a nonlinear RNN.
    """

    name: str
    state: tuple[str, ...]
    gate: Matrix
    input: Matrix
    init: Row = field(default_factory=dict)
    lag: tuple[str, ...] = ()
    pre_mlp: tuple[Map, ...] = ()
    mlp: tuple[Map, ...] = ()
    export: tuple[str, ...] = ()


@dataclass(frozen=True)
class SSM:
    """A whole construction: embedding, layers and readouts over a named residual stream.

    ``readout`` maps ``"accept"`` to the recognition functional; predictive constructions add
    ``next``: one functional per symbol and ``EOS``. ``metadata`` is free-form but
    ``state_dims`` and ``gate_class`` are recomputed on save (never trusted from a file).
    """

    name: str
    mode: Mode
    alphabet: tuple[str, ...]
    embedding: Mapping[str, Row]
    layers: tuple[Layer, ...]
    accept: Row | None = None
    next: Mapping[str, Row] | None = None
    parameters: tuple[Param, ...] = ()
    metadata: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Every structural rule (names, causality, readouts), checked at once: a model that
        is built is an SSM (STYLE R4). Files re-label the error with their path; the reserved
        prefixes guard the simulator's namespace against files and are checked on loading."""
        _validate.validate(self, f"SSM '{self.name}'", reserved_names=False)

    @property
    def state_dims(self) -> int:
        return sum(len(layer.state) for layer in self.layers)

    @property
    def state_dims_list(self) -> tuple[str, ...]:
        """Every layer's state dims, in layer order (the order of a configuration)."""
        return tuple(s for layer in self.layers for s in layer.state)

    @property
    def cyclotomic_order(self) -> int:
        """The least n such that every weight lies in Q(ζₙ) (1: every weight is rational)."""
        n = 1
        for row in self.rows():
            for w in row.values():
                if isinstance(w, Cyclotomic):
                    n = math.lcm(n, w.n)
        return n

    def rows(self) -> list[Row]:
        """Every weight row: embedding, gates, inputs, initial states, (pre-)MLPs, readouts."""
        rows = [*self.embedding.values(), self.accept or {}, *(self.next or {}).values()]
        for layer in self.layers:
            rows += [*layer.gate.values(), *layer.input.values(), layer.init]
            rows += [r for d in (*layer.pre_mlp, *layer.mlp) if isinstance(d, Dense)
                     for r in (*d.weights.values(), d.bias)]
        return rows

    def param_values(self) -> dict[str, Fraction]:
        return {p.name: p.value for p in self.parameters}

    def value(self, w: Weight) -> Fraction | Cyclotomic:
        """The exact value of a weight (resolving parameter names)."""
        if isinstance(w, str):
            return self.param_values()[w]
        if isinstance(w, Cyclotomic):
            return w
        return Fraction(w)


def uses_smooth_maps(ssm: SSM) -> bool:
    """Whether ``ssm`` needs format ``ssmproof-ssm/3`` (a smooth activation or a product map).

    Such a model runs through :class:`ssmproof.sim.machine.Machine` (``run``, ``verify`` by
    exhaustive or random checks, ``refute``); the accelerated paths built for ReLU/linear models
    (batched numpy simulation, LaTeX, torch export) refuse it by name.
    """
    return any(isinstance(d, Product) or Activation(d.activation) in SMOOTH_ACTIVATIONS
               for layer in ssm.layers for d in (*layer.pre_mlp, *layer.mlp))


def refuse_smooth(ssm: SSM, what: str) -> None:
    """Raise a one-line error when ``what`` (a path built for ReLU/linear models) meets a v3 model."""
    if uses_smooth_maps(ssm):
        raise SsmproofError(f"{ssm.name}: {what} covers ReLU/linear models (ssmproof-ssm/1, /2); "
                            "this one has smooth activations or product maps (ssmproof-ssm/3); "
                            "use run, verify (--exhaustive/--random) or refute on it")


def default_embedding(alphabet: tuple[str, ...]) -> dict[str, dict[str, Weight]]:
    """One-hot ``tok:σ`` plus ``one = 1`` at every position, BOS included (DESIGN §2)."""
    return {s: {tok(s): 1, ONE: 1} for s in (BOS, *alphabet)}


__all__ += ["default_embedding", "refuse_smooth"]
