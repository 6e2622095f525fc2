"""The previous state without a lag view: a decaying echo channel and its threshold (PAPER §4).

A cascade level acts on the upper levels' states *before* the current symbol, but a stacked SSM
layer sees them *after* it. Without the lag view (``--no-lag``) a layer recovers
``[level l held s at t − 1]`` from an *echo* channel of the current indicator ``x_t = [level
l holds s at t]``:

    n_t = λ·n_{t−1} − x_t          (gate λ ∈ (0, 1), a declared parameter; input −x_t)

so ``n_t = −(x_t + λ·x_{t−1} + λ²·x_{t−2} + …)``. The sign is negative so that the threshold
below has a *positive* symbolic gain κ = 4/λ (a weight is a number or a parameter's name, never
minus one). Two ReLU units give ``absent = relu(κ·n + 3) − relu(κ·n + 2)``, the clamp of
``κ·n + 3`` to [0, 1]: it is 1 when ``n ≥ −λ/2`` and 0 when ``n ≤ −3λ/4``. With P = x_t ∨ x_{t−1},
``n ≤ −λ`` if P holds and ``n ≥ −λ²/(1 − λ)`` if not, so ``absent = 1 − P`` exactly, with a
margin of at least λ/4 on each side of the ramp whenever λ ≤ 1/8 (in exact arithmetic), and
of λ/4 and λ/2 in a finite format where ``rnd(λ²) = 0`` (there the older terms round away and
the channel holds only 0, −λ, −1, or −1 − λ in fixed point). Then, per level, exactly one state
is on at t and at t − 1:

    left[s]   = 1 − absent[s] − x_t[s]                      = [held s at t−1, not at t]
    stayed[s] = relu(x_t[s] + 1 − Σ_{s'} (1 − absent[s']))   = [held s at t−1 and at t]
    prev[s]   = left[s] + stayed[s]

Choosing λ per format. In exact arithmetic the channel takes infinitely many values (the
construction is right at every length, but ``prove`` cannot close); λ = 1/8. Under a finite
format :func:`choose_decay` takes the largest power of two λ for which the channel's value set
closes within four values and every threshold comes out right, checked by running the channel
under the format's rounding order ``n = rnd(rnd(λ·n) + b)`` (:func:`check_decay`). Without a
format the default is λ = 2⁻⁷⁵, which works under both bfloat16 and float32 (λ² = 2⁻¹⁵⁰ is half
of float32's least subnormal and rounds to even, i.e. to 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ssmproof.compiler.level_codes import LevelCode
from ssmproof.errors import CompileError, FormatError
from ssmproof.numerics.formats import Format, FormatKind, NonFiniteValue, parse
from ssmproof.recipes import gadgets
from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Param, Row, Weight

__all__ = ["DEFAULT_DECAY", "EXACT_DECAY", "LAMBDA", "KAPPA", "DecayFacts", "choose_decay",
           "exact_proof_note",
           "check_decay", "decay_params", "echo_layer"]

DEFAULT_DECAY = Fraction(1, 2**75)
"""λ when no format is named: the channel closes under bfloat16 and float32 alike."""
EXACT_DECAY = Fraction(1, 8)
"""λ for exact arithmetic: the threshold keeps a λ/4 margin although the channel never closes."""
LAMBDA, KAPPA = "lambda", "kappa"
MAX_VALUES = 4
"""A finite format's echo may hold at most this many values (0, −λ, −1 and fixed point's −1 − λ)."""


@dataclass(frozen=True, slots=True)
class DecayFacts:
    """What :func:`check_decay` established for one λ under one format.

    ``values`` is every value one echo channel can hold; ``margin`` the least distance from a
    met value to the threshold ramp [−3λ/4, −λ/2].
    """

    decay: Fraction
    fmt: str
    values: tuple[Fraction, ...]
    margin: Fraction


def decay_params(decay: Fraction) -> tuple[Param, Param]:
    """The declared parameters λ (the gate) and κ = 4/λ (the threshold gain)."""
    return (Param(LAMBDA, decay, f"0 < lambda <= 1/8; here {_power(decay)}", r"\lambda"),
            Param(KAPPA, 4 / decay, "kappa = 4/lambda", r"\kappa"))


def _power(x: Fraction) -> str:
    k = x.denominator.bit_length() - 1
    return f"2^-{k}" if x.numerator == 1 and x.denominator == 1 << k else str(x)


def choose_decay(fmt: str | Format | None) -> Fraction:
    """λ for the echo channel under ``fmt`` (see the module docstring).

    Raises
    ------
    CompileError
        For ``int:P`` (λ is not an integer) or a format where no power of two works.

    Examples
    --------
    >>> [str(choose_decay(f)) for f in (None, "exact")]
    ['1/37778931862957161709568', '1/8']
    >>> [choose_decay(f).denominator.bit_length() - 1 for f in ("float16", "bfloat16", "float32")]
    [13, 67, 75]
    """
    if fmt is None:
        return DEFAULT_DECAY
    fmt = parse(fmt)
    if fmt.kind is FormatKind.EXACT:
        return EXACT_DECAY
    if fmt.kind is FormatKind.INT:
        raise CompileError(f"--no-lag under {fmt}: the decay λ is a fraction and int:P takes "
                           "integer weights only; use a float or fixed-point format, or the lag "
                           "view")
    for k in range(3, 1100):
        try:
            check_decay(Fraction(1, 2**k), fmt)
        except CompileError:
            continue
        return Fraction(1, 2**k)
    raise CompileError(f"--no-lag under {fmt}: no decay λ = 2^-k keeps the echo channel finite "
                       "with a correct threshold; use a wider format or the lag view")


def exact_proof_note(ssm: SSM) -> str | None:
    """Why ``verify --prove`` in exact arithmetic cannot close on ``ssm``, and the format in
    which it does; None when no gate is a declared parameter λ with 0 < λ < 1.

    Such a decaying channel holds −λᵏ k steps after it was set: infinitely many values, so the
    exact configurations never repeat (the construction may still be right at every length).
    Under the finite format λ was chosen for (``metadata.parameters.decay_format``) the older
    terms round away and the proof closes.

    Examples
    --------
    >>> from ssmproof.compiler.compiling import compile_language
    >>> print(exact_proof_note(compile_language("tomita:4")))
    None
    """
    gated = {w for layer in ssm.layers for row in layer.gate.values() for w in row.values()}
    decays = [p for p in ssm.parameters if p.name in gated and 0 < p.value < 1]
    if not decays:
        return None
    meta = ssm.metadata.get("parameters")
    chosen = str(meta.get("decay_format", "")) if isinstance(meta, Mapping) else ""
    formats = [f.strip() for f in chosen.split(",") if f.strip() not in ("", "exact")]
    name = "λ" if decays[0].name == LAMBDA else decays[0].name
    why = (f"an exact `verify --prove` of this construction cannot close: its decaying channel "
           f"(gate {name} = {_power(decays[0].value)}) holds −{name}^k k steps after it was "
           "set, infinitely many values")
    if formats:
        return (f"{why}; it closes under {' or '.join(formats)}, the format {name} was chosen for "
                f"(verify --prove --format {formats[0]})")
    return (f"{why}; compile for a finite format (e.g. --format bfloat16) and verify under it "
            "(verify --prove --format bfloat16)")


def check_decay(decay: Fraction, fmt: str | Format) -> DecayFacts:
    """Run one echo channel under ``fmt`` on every 0/1 input history; check every threshold.

    The channel's state is (n, x_{t−1}); from (0, 0) (the initial state before BOS) every input
    x_t ∈ {0, 1} is tried until no new state appears. At each step the two ReLU units are
    evaluated exactly as the simulator does (weights rounded once, each pre-activation rounded
    once) and ``absent`` must equal ``1 − (x_t ∨ x_{t−1})``.

    Raises
    ------
    CompileError
        If λ is not a value of the format, ``rnd(λ²) ≠ 0``, the set of values exceeds
        :data:`MAX_VALUES`, a value overflows, or a threshold is wrong; the message says which.

    Examples
    --------
    >>> facts = check_decay(Fraction(1, 2**75), "bfloat16")
    >>> [str(v) for v in facts.values], facts.margin == Fraction(1, 2**77)
    (['-1', '-1/37778931862957161709568', '0'], True)
    """
    fmt = parse(fmt)
    if not fmt.finite:
        raise CompileError("check_decay needs a finite format (exact arithmetic never closes)")
    try:
        return _explore(decay, fmt)
    except (NonFiniteValue, FormatError) as err:
        raise CompileError(f"--no-lag under {fmt}: λ = {_power(decay)}: κ = 4/λ or a value "
                           f"overflows ({err})") from None


def _explore(decay: Fraction, fmt: Format) -> DecayFacts:
    lam, kappa = fmt.weight(decay), fmt.weight(4 / decay)
    if lam != decay or fmt.rnd(lam * lam) != 0:
        raise CompileError(f"--no-lag under {fmt}: λ = {_power(decay)} is not a value of the "
                           "format, or rnd(λ²) ≠ 0 so older terms would stay in the echo")
    start = (Fraction(0), 0)
    seen, todo = {start}, [start]
    while todo:
        n, before = todo.pop()
        for x in (0, 1):
            new = Fraction(fmt.rnd(fmt.rnd(lam * n) - x))
            hi = max(fmt.rnd(kappa * new + 3), 0)
            lo = max(fmt.rnd(kappa * new + 2), 0)
            if hi - lo != 1 - (x | before):
                raise CompileError(f"--no-lag under {fmt}: λ = {_power(decay)}: the threshold "
                                   f"reads echo {new} wrongly (x_t = {x}, x_t−1 = {before})")
            if (new, x) not in seen:
                seen.add((new, x))
                todo.append((new, x))
        if len({v for v, _ in seen}) > MAX_VALUES:
            raise CompileError(f"--no-lag under {fmt}: λ = {_power(decay)} leaves older terms in "
                               f"the echo (rnd(λ²) ≠ 0); it would hold more than {MAX_VALUES} "
                               "values")
    values = tuple(sorted({v for v, _ in seen}))
    ramp_lo, ramp_hi = -3 * decay / 4, -decay / 2
    margin = min(ramp_lo - v if v < ramp_lo else v - ramp_hi for v in values)
    return DecayFacts(decay, str(fmt), values, margin)


def echo_layer(name: str, codes: Sequence[LevelCode], needed: Mapping[int, set[int]]
               ) -> tuple[Layer, dict[tuple[int, int], Row]]:
    """A layer echoing the levels ``codes`` (of the layer just before it).

    Parameters
    ----------
    name : str
        The layer's name (``"L2"``); dims are ``L2.lvl[1].echo[s]`` and so on.
    codes : sequence of LevelCode
        The levels to echo; their current indicators must be in the stream.
    needed : Mapping[int, set[int]]
        Per level, the states whose previous indicator a later layer reads.

    Returns
    -------
    (Layer, dict)
        The layer, and for each needed (level, state) the row ``left + stayed`` that equals
        [level held state at t − 1] (at BOS it reads the initial state, harmlessly: no reset
        rule reads BOS).
    """
    state: list[str] = []
    gate: dict[str, Row] = {}
    inputs: dict[str, Row] = {}
    ramps: list[tuple[str, Row, int]] = []
    outs: list[tuple[str, Row, int]] = []
    prev: dict[tuple[int, int], Row] = {}
    for code in codes:
        if not needed.get(code.level):
            continue
        p = f"{name}.lvl[{code.level}]"
        absent: dict[int, dict[str, Weight]] = {}
        for s in code.held:
            echo = f"{p}.echo[{s}]"
            state.append(echo)
            gate[echo] = {ONE: LAMBDA}
            inputs[echo] = gadgets.scale_row(code.indicator(s), -1)
            ramps += [(f"{p}.hi[{s}]", {echo: KAPPA}, 3), (f"{p}.lo[{s}]", {echo: KAPPA}, 2)]
            absent[s] = {f"{p}.hi[{s}]": 1, f"{p}.lo[{s}]": -1}
        changed = gadgets.add_rows(*absent.values())  # = |held| − |{prev, cur}|
        for s in sorted(needed[code.level]):
            cur = code.indicator(s)
            left = gadgets.add_rows(gadgets.scale_row(absent[s], -1), gadgets.scale_row(cur, -1))
            outs.append((f"{p}.left[{s}]", left, 1))
            outs.append((f"{p}.stayed[{s}]", gadgets.add_rows(cur, changed),
                         -(len(code.held) - 1)))
            prev[code.level, s] = {f"{p}.left[{s}]": 1, f"{p}.stayed[{s}]": 1}
    mlp: tuple[Dense, ...] = (gadgets.dense(ramps), gadgets.dense(outs)) if state else ()
    return Layer(name, tuple(state), gate, inputs, mlp=mlp), prev
