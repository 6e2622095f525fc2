"""An SSM compiled to index form under one arithmetic format: the single source of its semantics.

Everything that runs an SSM — ``run``, exhaustive/random checks, ``prove``, ``refute`` — steps a
:class:`Machine`. A *configuration* (DESIGN §4) is the flat tuple of every layer's state followed
by every layer's lag buffer: everything the next step depends on, compared by value.

Rounding order (DESIGN §3): weights are rounded once here; each coordinate of a matrix–vector
product is computed exactly from rounded operands and rounded once; the recurrence is
``h = rnd(rnd(a·h) + b)``; ReLU is exact. Values are ``int`` when integral, else ``Fraction``;
with complex weights (a cyclotomic field, :mod:`ssmproof.numerics.cyclotomic`) a value may be a
``Cyclotomic``: gates, inputs and states are complex, while pre-MLP, MLP and readout maps take
the real part of their exact sum (the stream stays real), and a finite format rounds real and
imaginary parts apart (:mod:`ssmproof.numerics.complex_rounding`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ssmproof.errors import FormatError, SsmproofError
from ssmproof.numerics import activations, complex_rounding
from ssmproof.numerics.cyclotomic import Cyclotomic, as_field
from ssmproof.numerics.formats import Format, FormatKind, NonFiniteValue, parse
from ssmproof.ssm.program import (
    BOS,
    EOS,
    LAG_PREFIX,
    SMOOTH_ACTIVATIONS,
    SSM,
    Activation,
    Map,
    Mode,
    Product,
    Row,
    uses_smooth_maps,
)
from ssmproof.ssm.validate import weights_by_field

__all__ = ["Machine", "Config", "Decision", "Finding", "StepTrace", "NonFiniteValue"]

Num = int | Fraction | Cyclotomic
Config = tuple[Num, ...]
Decision = tuple[bool, ...]  # Machine.decision_names: (accept,), or each symbol of the SSM's
# alphabet in *its* order, then EOS. Compare with a language only by name (DESIGN §2).
_Ops = tuple[tuple[int, tuple[tuple[int, Num], ...], Num], ...]  # (out, ((in, w), ...), bias)
_Products = tuple[tuple[int, int, int], ...]  # (out, left, right): out = rnd(left · right)
_Stage = tuple[_Ops, Activation] | _Products
"""One map of a pre-MLP or MLP stack: an affine map and its activation, or products."""


@dataclass(frozen=True)
class Finding:
    """Something a run met that is not a wrong answer but must be reported (DESIGN §4)."""

    kind: str  # "non_finite" | "saturated"
    where: str  # dim name
    detail: str = ""


@dataclass(frozen=True)
class StepTrace:
    """What one position computed, for ``run --trace`` and the refuter's reports."""

    token: str
    gates: dict[str, Num]
    inputs: dict[str, Num]
    states: dict[str, Num]
    decision: Decision


@dataclass
class _LayerPlan:
    name: str
    state_regs: tuple[int, ...]
    state_names: tuple[str, ...]
    lag_src: tuple[int, ...]  # stream regs read at t-1
    lag_dst: tuple[int, ...]  # prev:<dim> regs
    pre: tuple[_Ops, ...]
    pre_relu: tuple[bool, ...]
    gate: _Ops
    inp: _Ops
    mlp: tuple[_Ops, ...]
    mlp_relu: tuple[bool, ...]
    pre_stages: tuple[_Stage, ...]  # every map in order (ReLU/linear models: the same as pre)
    mlp_stages: tuple[_Stage, ...]


_MEMO_LIMIT = 200_000  # cached results per affine map before the cache is dropped


def _exact_int_bound(fmt: Format) -> int:
    """Largest B such that every integer in [-B, B] is a value of ``fmt`` (0: no shortcut).

    Floats hold every integer up to 2^p; fixed:I.P holds those inside its range; int:P those
    inside [-2^(P-1), 2^(P-1) - 1]. Rounding such an integer returns it unchanged.
    """
    if fmt.kind is FormatKind.EXACT:
        return 0
    if fmt.layout is not None:
        return 1 << fmt.layout.precision
    lo, hi = fmt.min_value, fmt.max_value
    if lo is None or hi is None:
        return 0
    return int(min(-lo, hi))


@dataclass
class Machine:
    """Index form of an :class:`SSM` under a :class:`Format`.

    Examples
    --------
    >>> from ssmproof.ssm.program import SSM, Layer, Mode, default_embedding
    >>> emb = default_embedding(("0", "1"))
    >>> flip = Layer("L1", ("L1.h",), gate={"L1.h": {"tok:0": 1, "tok:1": -1, "tok:BOS": 1}},
    ...              input={"L1.h": {"tok:1": 1}}, export=("L1.h",))
    >>> ssm = SSM("parity", Mode.RECOGNIZE, ("0", "1"), emb, (flip,),
    ...           accept={"one": 1, "L1.h": -2})
    >>> m = Machine(ssm)
    >>> m.accepts(["1", "1", "0"]), m.accepts(["1"])
    (True, False)
    """

    ssm: SSM
    fmt: Format = field(default_factory=lambda: parse("exact"))
    observe_gates: bool = False

    def __post_init__(self) -> None:
        self.exact = self.fmt.kind is FormatKind.EXACT
        self.saturating = self.fmt.kind is FormatKind.FIXED
        self._range = (self.fmt.min_value, self.fmt.max_value)  # computed once: hot path
        self._int_exact = _exact_int_bound(self.fmt)
        self.field = self.ssm.cyclotomic_order
        self.complex = self.field > 1
        self.smooth = uses_smooth_maps(self.ssm)  # ssmproof-ssm/3: only this class runs it
        self._rnd = self.fmt.rnd if not self.complex else \
            (lambda x: complex_rounding.round_value(self.fmt, x))
        try:
            self._compile()
        except FormatError as err:
            raise FormatError(f"{self.ssm.name}: {self._field_of_bad_weight()}: {err}") from None
        self.gate_values: list[set[Num]] = [set() for _ in self.ssm.state_dims_list]
        self.findings: set[Finding] = set()

    # ------------------------------------------------------------------------------ compiling
    def _compile(self) -> None:
        ssm, w = self.ssm, self._weight
        self.tokens = (BOS, *ssm.alphabet)
        # Keys: a file's dim names (str) and the simulator's own registers, which are tuples
        # (``("gate", state)``, ...) so that no dim a file declares can ever reach them.
        regs: dict[str | tuple[str, str], int] = {}

        def reg(name: str | tuple[str, str]) -> int:
            return regs.setdefault(name, len(regs))

        def ops(m: dict[str, Row] | object, bias: Row | None = None) -> _Ops:
            out = []
            for o, row in m.items():  # type: ignore[attr-defined]
                pairs = tuple((regs[d], w(c)) for d, c in sorted(row.items()) if w(c) != 0)
                out.append((reg(o), pairs, w((bias or {}).get(o, 0))))
            return tuple(out)

        for row in ssm.embedding.values():
            for d in sorted(row):
                reg(d)
        self.embed = tuple(tuple((reg(d), w(c)) for d, c in sorted(ssm.embedding[t].items())
                                 if w(c) != 0) for t in self.tokens)
        plans = []
        for layer in ssm.layers:
            lag_src = tuple(regs[d] for d in layer.lag)
            lag_dst = tuple(reg(LAG_PREFIX + d) for d in layer.lag)
            pre = tuple(self._stage(d, ops, reg) for d in layer.pre_mlp)
            states = tuple(reg(s) for s in layer.state)
            gate = self._full_rows(layer.state, layer.gate, ops, "gate")
            inp = self._full_rows(layer.state, layer.input, ops, "input")
            mlp = tuple(self._stage(d, ops, reg) for d in layer.mlp)
            # The plain lists serve the accelerated consumers, which refuse smooth models.
            plain_pre = () if self.smooth else pre
            plain_mlp = () if self.smooth else mlp
            plans.append(_LayerPlan(
                layer.name, states, layer.state, lag_src, lag_dst,
                tuple(p for p, _ in plain_pre), tuple(a is Activation.RELU for _, a in plain_pre),
                gate, inp,
                tuple(p for p, _ in plain_mlp), tuple(a is Activation.RELU for _, a in plain_mlp),
                pre, mlp))
        self.plans = tuple(plans)
        self.readouts = self._readouts(ops)
        self.nregs = len(regs)
        self._index_memo()
        self._complex_ops = {id(p.gate) for p in plans} | {id(p.inp) for p in plans}
        self.reg_names = tuple(k if isinstance(k, str) else f"{k[0]} of {k[1]}"
                               for k in sorted(regs, key=regs.__getitem__))
        self.init = tuple(self._rnd_value(w(layer.init.get(s, 0)))
                          for layer in ssm.layers for s in layer.state)
        self.lag_width = sum(len(p.lag_src) for p in self.plans)

    def _weight(self, c: object) -> Num:
        value = self.ssm.value(c)  # type: ignore[arg-type]
        if self.complex:
            return as_field(value, self.field) if self.exact else \
                complex_rounding.round_weight(self.fmt, value)
        r = self.fmt.weight(value)
        return r

    def _field_of_bad_weight(self) -> str:
        """The first field whose weight the format refuses (for a one-line error)."""
        for where, c in weights_by_field(self.ssm):
            try:
                self._weight(c)
            except FormatError:
                return where
        return "weights"

    def _rnd_value(self, x: Num) -> Num:
        """A value rounded into the format; exact values stay as they are (an exact complex
        value, e.g. an initial state ζ₃², lies in Q(ζₙ), which per-part rounding cannot take)."""
        return x if self.exact else self._rnd(x)

    @staticmethod
    def _full_rows(names: Sequence[str], m: dict[str, Row] | object, ops: object,
                   kind: str) -> _Ops:
        rows = {(kind, s): dict(m.get(s, {})) for s in names}  # type: ignore[attr-defined]
        return ops(rows)  # type: ignore[operator]

    @staticmethod
    def _stage(d: Map, ops: object, reg: object) -> _Stage:
        if isinstance(d, Product):
            out = tuple((reg(o), reg(d.factors[o][0]), reg(d.factors[o][1]))  # type: ignore
                        for o in d.out)
            return out  # type: ignore[return-value]
        rows = {o: dict(d.weights.get(o, {})) for o in d.out}
        return ops(rows, d.bias), Activation(d.activation)  # type: ignore

    def _readouts(self, ops: object) -> _Ops:
        ssm = self.ssm
        if ssm.mode is Mode.PREDICT:
            self.decision_names = (*ssm.alphabet, EOS)
            rows = {("readout", s): dict(ssm.next[s])  # type: ignore[index]
                    for s in self.decision_names}
        else:
            self.decision_names = ("accept",)
            rows = {("readout", "accept"): dict(ssm.accept or {})}
        return ops(rows)  # type: ignore[operator]

    # ------------------------------------------------------------------------------ running
    def start(self) -> Config:
        """The configuration before BOS: initial states, lag buffers zero."""
        return self.init + (0,) * self.lag_width

    def step(self, config: Config, token: int) -> tuple[Config, Decision]:
        """Read token ``token`` (0 = BOS, i + 1 = ``alphabet[i]``); may raise NonFiniteValue."""
        new, decision, _ = self._step(config, token, None)
        return new, decision

    def trace_step(self, config: Config, token: int) -> tuple[Config, StepTrace]:
        record: dict[str, dict[str, Num]] = {"gates": {}, "inputs": {}, "states": {}}
        new, decision, _ = self._step(config, token, record)
        return new, StepTrace(self.tokens[token], record["gates"], record["inputs"],
                              record["states"], decision)

    def _run_stage(self, regs: list[Num], stage: _Stage) -> None:
        if len(stage) == 2 and isinstance(stage[1], Activation):
            self._affine(regs, stage[0], stage[1])  # type: ignore[arg-type]
            return
        rnd, exact = self._rnd, self.exact
        for out, left, right in stage:  # type: ignore[misc]
            x = regs[left] * regs[right]
            regs[out] = x if exact else self._checked(rnd, x, out)

    def _affine(self, regs: list[Num], op: _Ops, relu: bool | Activation) -> None:
        """One affine map (rounded per coordinate, then ReLU), memoised on its inputs' values.

        An op's outputs depend only on the values of the registers it reads, and verification
        meets the same values again and again (finite configurations, token-only gates), so the
        results are cached per op; the cache is dropped when it grows past a bound.
        """
        inputs, cache = self._memo[id(op)]
        key = tuple([regs[i] for i in inputs])
        hit = cache.get(key)
        if hit is None:
            hit = self._compute(regs, op, relu)
            if len(cache) >= _MEMO_LIMIT:
                cache.clear()
            cache[key] = hit
        for (out, _, _), v in zip(op, hit):
            regs[out] = v

    def _compute(self, regs: list[Num], op: _Ops, act: bool | Activation) -> tuple[Num, ...]:
        rnd, exact = self._rnd, self.exact
        real = self.complex and id(op) not in self._complex_ops
        smooth = act in SMOOTH_ACTIVATIONS
        relu = act is True or act is Activation.RELU
        values = []
        for out, pairs, bias in op:
            acc = sum([c * regs[i] for i, c in pairs], bias) if pairs else bias
            if real and type(acc) is Cyclotomic:
                acc = acc.real  # the stream is real: a map into it reads Re of its sum
            v = acc if exact else self._checked(rnd, acc, out)
            if smooth:
                v = self._activate(act, v, out)  # type: ignore[arg-type]
            values.append(v if (not relu or v > 0) else 0)
        return tuple(values)

    def _activate(self, act: Activation, v: Num, reg: int) -> Num:
        """The correctly rounded activation (:mod:`ssmproof.numerics.activations`)."""
        try:
            return activations.evaluate(act.value, v, self.fmt)  # type: ignore[arg-type]
        except NonFiniteValue as err:
            err.where = self.reg_names[reg]  # type: ignore[attr-defined]
            raise
        except FormatError as err:
            raise FormatError(f"{self.ssm.name}: {self.reg_names[reg]}: {err}") from None

    def _index_memo(self) -> None:
        ops = [self.readouts]
        for plan in self.plans:
            ops += [plan.gate, plan.inp]
            ops += [st[0] for st in (*plan.pre_stages, *plan.mlp_stages)
                    if len(st) == 2 and isinstance(st[1], Activation)]  # type: ignore[misc]
        self._memo = {id(op): (tuple(sorted({i for _, pairs, _ in op for i, _ in pairs})), {})
                      for op in ops}

    def _checked(self, rnd: object, x: Num, reg: int) -> Num:
        if type(x) is int and -self._int_exact <= x <= self._int_exact:
            return x  # an integer the format holds exactly: rounding is the identity
        if self.saturating and not all(self._range[0] <= p <= self._range[1]  # type: ignore
                                       for p in complex_rounding.parts(x)):
            self.findings.add(Finding("saturated", self.reg_names[reg], str(x)))
        try:
            return rnd(x)  # type: ignore[operator]
        except NonFiniteValue as err:
            err.where = self.reg_names[reg]  # type: ignore[attr-defined]
            raise

    def _step(self, config: Config, token: int, record: dict | None
              ) -> tuple[Config, Decision, list[Num]]:
        regs: list[Num] = [0] * self.nregs
        for i, c in self.embed[token]:
            regs[i] = c
        pos, lagpos = 0, len(self.init)
        new_states: list[Num] = []
        new_lags: list[Num] = []
        for li, plan in enumerate(self.plans):
            for src, dst in zip(plan.lag_src, plan.lag_dst):
                regs[dst] = config[lagpos]
                new_lags.append(regs[src])
                lagpos += 1
            for stage in plan.pre_stages:
                self._run_stage(regs, stage)
            self._recur(regs, plan, config, pos, li, record)
            new_states.extend(regs[r] for r in plan.state_regs)
            pos += len(plan.state_regs)
            for stage in plan.mlp_stages:
                self._run_stage(regs, stage)
        self._affine(regs, self.readouts, False)
        decision = tuple(regs[out] > 0 for out, _, _ in self.readouts)
        return tuple(new_states) + tuple(new_lags), decision, regs

    def _recur(self, regs: list[Num], plan: _LayerPlan, config: Config, pos: int, li: int,
               record: dict | None) -> None:
        self._affine(regs, plan.gate, False)
        self._affine(regs, plan.inp, False)
        rnd, exact = self._rnd, self.exact
        for k, ((greg, _, _), (ireg, _, _), sreg) in enumerate(
                zip(plan.gate, plan.inp, plan.state_regs)):
            a, b = regs[greg], regs[ireg]
            if self.observe_gates:
                self.gate_values[pos + k].add(a)
            h = a * config[pos + k] + b if exact else \
                self._checked(rnd, self._checked(rnd, a * config[pos + k], sreg) + b, sreg)
            if record is not None:
                name = plan.state_names[k]
                record["gates"][name], record["inputs"][name], record["states"][name] = a, b, h
            regs[sreg] = h

    # ------------------------------------------------------------------------------ words
    def token_ids(self, word: Sequence[str]) -> list[int]:
        index = {s: i + 1 for i, s in enumerate(self.ssm.alphabet)}
        unknown = [s for s in word if s not in index]
        if unknown:
            raise SsmproofError(f"symbol '{unknown[0]}' is not in the alphabet "
                                f"{list(self.ssm.alphabet)}; use only alphabet symbols")
        return [index[s] for s in word]

    def decisions(self, word: Sequence[str]) -> list[Decision]:
        """Decision at every position: after BOS, then after each symbol."""
        config, out = self.start(), []
        for t in [0, *self.token_ids(word)]:
            config, d = self.step(config, t)
            out.append(d)
        return out

    def accepts(self, word: Sequence[str]) -> bool:
        """Recognition readout (a predictive construction: is EOS predicted after the word)."""
        return self.decisions(word)[-1][-1]

