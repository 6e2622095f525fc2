"""A cascade of resets and Z_p counters → an SSM with signed or complex gates (docs/gates.md).

Each component of :class:`~ssmproof.algebra.group_cascade.GroupCascade` becomes channels:

- a **reset** component (a holonomy level with a trivial group, or a group level's orbit): a
  one-hot block of 0/1 channels, keep = gate 1, set t = gate 0 and input code(t), as in the
  star-free compiler (nonnegative gates);
- a **Z₂ digit**: one real channel holding (−1)^c; a rotation is gate −1 (input 0), a set is
  gate 0 and input ±1 (signed gates); [c = 0] = (1 + h)/2 is a linear row;
- a **Z_p digit**, p ≥ 3: one complex channel holding ζₚ^c; a rotation by r is gate ζₚ^r, a set
  is gate 0 and input ζₚ^t (complex gates). The MLP reads Re(ζₚ^{−s}·h) = cos(2π(c − s)/p),
  which is 1 exactly when c = s and at most cos(2π/p) otherwise, through a clamped ramp:
  ``[c = s] = relu(near) − relu(near − 1)``, near = K·(Re(ζₚ^{−s}h) − m), with m halfway
  between cos(2π/p) and 1 and K = 4/(1 − cos(2π/p)) (near = 2 on a match, −2 off it).

**Moves as gates.** Component j's move on a symbol is a function of the components above it
(checked: the cover below fails otherwise). For each symbol σ and each move α (set t, or rotate
by r ≠ 0) the configurations where j makes move α are covered by cubes over the components
above (:class:`~ssmproof.algebra.cubes.CubeCover`, avoiding every configuration where j moves
otherwise); each cube is a pre-MLP ReLU unit ``relu(tok:σ + Σ literals − #literals)`` on the
*previous* position's indicators (the lag view: a cascade reads the states before the symbol),
and a second pre-MLP map ORs them, ``idle_α = relu(1 − Σ units)``. With f_α = 1 − idle_α (at
most one move fires): ``gate = 1 + Σ_α (g_α − 1)·f_α`` and ``input = Σ_α b_α·f_α``. At BOS no
unit fires (each reads a symbol's token), so every component starts at its initial value.

**Layers.** A component sits one layer below the lowest component its rules read; the readout
(cubes over the components' current indicators, :mod:`configs_to_readout`) is the last layer's
MLP. Reset and Z₂ channels join the stream; a complex channel does not (the stream stays real):
its indicators do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ssmproof.algebra.cascade import Condition
from ssmproof.algebra.cubes import CubeCover, bits
from ssmproof.algebra.group_cascade import Component, GroupCascade
from ssmproof.compiler import configs_to_readout, level_codes
from ssmproof.errors import CompileError
from ssmproof.lang.automaton import DFA
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.ssm.program import (
    EOS,
    LAG_PREFIX,
    ONE,
    SSM,
    Dense,
    Layer,
    Mode,
    Row,
    Weight,
    default_embedding,
    tok,
)

__all__ = ["GroupBuild", "group_cascade_to_ssm"]

Value = int | Fraction | Cyclotomic
Unit = tuple[str, dict[str, Weight], Value]
Move = tuple[str, int]  # ("set", t) or ("rot", r)


def _plain(x: Value) -> Weight:
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x)
    return x


def _sum(*rows: Mapping[str, Value]) -> dict[str, Weight]:
    """The sum of rows whose weights may be field elements (zeros dropped)."""
    out: dict[str, Value] = {}
    for row in rows:
        for d, w in row.items():
            out[d] = out.get(d, 0) + w
    return {d: _plain(w) for d, w in out.items() if w != 0}


def _scale(row: Mapping[str, Value], k: Value) -> dict[str, Value]:
    return {d: w * k for d, w in row.items()}


def _lagged(row: Mapping[str, Value]) -> dict[str, Value]:
    return {(d if d == ONE else LAG_PREFIX + d): w for d, w in row.items()}


@dataclass
class _Code:
    """The channels of one component and how they answer [component = s]."""

    comp: Component
    column: int  # 1-based, the Condition numbering
    layer: str
    held: tuple[int, ...]
    channels: tuple[str, ...] = ()
    onehot: level_codes.LevelCode | None = None
    zeta: Value = 1  # ζₚ (complex) or −1 (Z₂)
    map1: list[Unit] = field(default_factory=list)  # near/over units (complex)
    map2: list[Unit] = field(default_factory=list)  # indicator units (complex)

    @staticmethod
    def build(comp: Component, column: int, layer: str, held: Sequence[int]) -> _Code:
        code = _Code(comp, column, layer, tuple(sorted(held)))
        if comp.kind == "reset":
            code.onehot = level_codes.level_code(column, layer, code.held, encoding="onehot")
            code.channels = code.onehot.channels
        elif comp.order == 2:
            code.channels, code.zeta = (f"{layer}.z2[{column}]",), -1
        else:
            code.channels = (f"{layer}.zp[{column}]",)
            code.zeta = Cyclotomic.zeta(comp.order)
            code._ramps()
        return code

    @property
    def complex(self) -> bool:
        return self.comp.kind == "cyclic" and self.comp.order > 2

    def _ramps(self) -> None:
        p, h = self.comp.order, self.channels[0]
        cos = Cyclotomic.zeta(p).real
        k = 4 / (1 - cos)
        bias = -k * (1 + cos) * Fraction(1, 2)
        for s in self.held:
            w = _plain(k * Cyclotomic.zeta(p, -s))
            near, over = f"{h}.near[{s}]", f"{h}.over[{s}]"
            self.map1 += [(near, {h: w}, _plain(bias)), (over, {h: w}, _plain(bias - 1))]
            self.map2.append((f"{h}.is[{s}]", {near: 1, over: -1}, 0))

    def value(self, v: int) -> Value:
        return self.zeta ** v if not isinstance(self.zeta, Cyclotomic) else \
            Cyclotomic.zeta(self.comp.order, v)

    def indicator(self, s: int, *, inside_mlp: bool = False) -> dict[str, Value]:
        """[component = s] as a 0/1 row over the stream after its layer (or, ``inside_mlp``,
        over the first MLP map of its own layer)."""
        if self.onehot is not None:
            return dict(self.onehot.indicator(s))
        h = self.channels[0]
        if not self.complex:
            return {ONE: Fraction(1, 2), h: Fraction(1, 2) * self.value(s)}
        if inside_mlp:
            return {f"{h}.near[{s}]": 1, f"{h}.over[{s}]": -1}
        return {f"{h}.is[{s}]": 1}

    def literal(self, states: Sequence[int], *, lag: bool = False, inside_mlp: bool = False
                ) -> dict[str, Value] | None:
        """"component ∈ states" as a 0/1 row, or None when every held value is in it."""
        inside = [s for s in self.held if s in set(states)]
        outside = [s for s in self.held if s not in set(states)]
        if not outside:
            return None

        def ind(s: int) -> dict[str, Value]:
            row = self.indicator(s, inside_mlp=inside_mlp)
            return _lagged(row) if lag else row

        if len(inside) <= len(outside):
            return _sum(*(ind(s) for s in inside))
        return _sum({ONE: 1}, *(_scale(ind(s), -1) for s in outside))

    def move(self, m: Move) -> tuple[Value, dict[str, Value]]:
        """(gate value, input per channel) of a move."""
        kind, v = m
        if kind == "rot":
            return self.value(v), {}
        if self.onehot is not None:
            return 0, {ch: 1 for ch, bit in zip(self.channels, self.onehot.codes[v]) if bit}
        return 0, {self.channels[0]: self.value(v)}

    def init(self, v: int) -> dict[str, Weight]:
        if self.onehot is not None:
            return dict(self.onehot.init_row(v))
        return {self.channels[0]: _plain(self.value(v))}


@dataclass(frozen=True)
class GroupBuild:
    """Sizes of a group-cascade construction, for the metadata report."""

    layers: int
    schedule: tuple[tuple[str, ...], ...]
    rules: int
    readout_cubes: int
    real_dims: int
    complex_dims: int


def group_cascade_to_ssm(gc: GroupCascade, dfa: DFA, *, mode: Mode | str = Mode.RECOGNIZE,
                         name: str = "") -> tuple[SSM, GroupBuild]:
    """Build the SSM of ``gc`` (which covers ``dfa``) with the lag view.

    Raises
    ------
    CompileError
        If some component's move is not a function of the components above it (an internal
        error: the cascade would not be one).
    """
    return _Builder(gc, dfa, Mode(mode), name or dfa.name or "groups").build()


class _Builder:
    def __init__(self, gc: GroupCascade, dfa: DFA, mode: Mode, name: str) -> None:
        self.gc, self.dfa, self.mode, self.name = gc, dfa, mode, name
        self.table = np.asarray(gc.configs, dtype=np.int64).reshape(len(gc.configs),
                                                                    len(gc.components))
        self.moves = [self._moves(j) for j in range(len(gc.components))]
        self.layer_of = self._schedule()
        self.codes = [_Code.build(c, j + 1, f"L{self.layer_of[j]}",
                                  np.unique(self.table[:, j]).tolist())
                      for j, c in enumerate(gc.components)]
        self.nlayers = max(self.layer_of, default=0) or 1

    # --- moves and their covers ----------------------------------------------------------------
    def _moves(self, j: int) -> dict[tuple[int, Move], tuple[Condition, ...]]:
        """(symbol, move) → cubes over components above j where j makes that move."""
        gc, table = self.gc, self.table
        cubes = CubeCover(table)
        out: dict[tuple[int, Move], tuple[Condition, ...]] = {}
        for a in range(len(gc.alphabet)):
            now = table[:, j]
            nxt = table[np.asarray(gc.successors[a], dtype=np.int64), j]
            if gc.components[j].kind == "reset":
                for t in np.unique(nxt[now != nxt]).tolist():
                    into = nxt == t
                    out[a, ("set", t)] = self._cover(cubes, into & (now != t), ~into, j)
                continue
            labels = [lab[j] for lab in gc.labels[a]]
            for move in sorted(set(labels) - {("rot", 0)}):
                mine = np.array([lab == move for lab in labels], dtype=bool)
                out[a, move] = self._cover(cubes, mine, ~mine, j)
        return out

    def _cover(self, cubes: CubeCover, need: np.ndarray, forbid: np.ndarray, j: int
               ) -> tuple[Condition, ...]:
        if not need.any():
            return ()
        try:
            return tuple(cubes.cover(bits(need), bits(forbid), levels=j))
        except ValueError:
            raise CompileError(f"internal: component {self.gc.components[j].name}'s move is "
                               "not a function of the components above it") from None

    def _schedule(self) -> list[int]:
        layer: list[int] = []
        for moves in self.moves:
            reads = {lv for cubes in moves.values() for cube in cubes for lv, _ in cube}
            layer.append(1 + max((layer[r - 1] for r in reads), default=0))
        return layer

    # --- layers --------------------------------------------------------------------------------
    def build(self) -> tuple[SSM, GroupBuild]:
        readouts = configs_to_readout.decisions(self.table, self.gc.states, self.dfa,
                                                self.mode)
        layers = [self._layer(k, readouts if k == self.nlayers else None)
                  for k in range(1, self.nlayers + 1)]
        names = self._cube_names(readouts)
        rows: dict[str, Row] = {}
        for d in readouts:
            total = _sum(*({names[c]: 1} if c else {ONE: 1} for c in d.cubes))
            rows[d.key] = total if d.positive else _sum({ONE: 1}, _scale(total, -1))
        accept = rows["accept"] if self.mode is Mode.RECOGNIZE else None
        nxt = None if accept is not None else \
            {**{s: rows[s] for s in self.dfa.alphabet}, EOS: rows[EOS]}
        ssm = SSM(self.name, self.mode, self.dfa.alphabet, default_embedding(self.dfa.alphabet),
                  tuple(layers), accept=accept, next=nxt)
        return ssm, self._facts(readouts)

    def _layer(self, k: int, readouts: Sequence[configs_to_readout.Decision] | None) -> Layer:
        name = f"L{k}"
        mine = [j for j, ly in enumerate(self.layer_of) if ly == k]
        rules: list[Unit] = []
        idles: list[Unit] = []
        gate: dict[str, dict[str, Weight]] = {}
        inputs: dict[str, dict[str, Weight]] = {}
        init: dict[str, Weight] = {}
        for j in mine:
            code = self.codes[j]
            g_row, b_rows = self._gates(j, name, rules, idles)
            for ch in code.channels:
                gate[ch], inputs[ch] = g_row, b_rows.get(ch, {})
            init.update(code.init(self.gc.initial[j]))
        pre = tuple(_dense(units) for units in (rules, idles) if units)
        lag = sorted({d[len(LAG_PREFIX):] for u in rules for d in u[1]
                      if d.startswith(LAG_PREFIX)})
        map1 = [u for j in mine for u in self.codes[j].map1]
        map2 = [u for j in mine for u in self.codes[j].map2]
        if readouts is not None:
            map2 += self._cube_units(readouts, set(mine))
        mlp = tuple(_dense(units) for units in (map1, map2) if units)
        state = tuple(ch for j in mine for ch in self.codes[j].channels)
        export = tuple(ch for j in mine if not self.codes[j].complex
                       for ch in self.codes[j].channels)
        return Layer(name, state, gate, inputs, init=init, lag=tuple(lag), pre_mlp=pre,
                     mlp=mlp, export=export)

    def _gates(self, j: int, layer: str, rules: list[Unit], idles: list[Unit]
               ) -> tuple[dict[str, Weight], dict[str, dict[str, Weight]]]:
        """Gate row and input rows of component j; appends its rule and idle units."""
        code = self.codes[j]
        const: Value = 1
        gate_terms: list[dict[str, Value]] = []
        input_terms: dict[str, list[dict[str, Value]]] = {ch: [] for ch in code.channels}
        for (a, move), cubes in sorted(self.moves[j].items(), key=lambda kv: (kv[0][0],
                                                                            kv[0][1])):
            if not cubes:
                continue
            names = []
            for cube in cubes:
                unit = f"{layer}.pre.rule[{j + 1}.{len(rules)}]"
                rows = [{tok(self.dfa.alphabet[a]): 1}]
                rows += [r for lv, xs in cube
                         if (r := self.codes[lv - 1].literal(xs, lag=True)) is not None]
                rules.append((unit, _sum(*rows), -(len(rows) - 1)))
                names.append(unit)
            idle = f"{layer}.pre.idle[{j + 1}].{self.dfa.alphabet[a]}.{move[0]}{move[1]}"
            idles.append((idle, {n: -1 for n in names}, 1))
            g, b = code.move(move)
            const += g - 1  # gate = 1 + Σ (g − 1)(1 − idle)
            gate_terms.append({idle: 1 - g})
            for ch, v in b.items():  # input = Σ b (1 − idle)
                input_terms[ch].append({ONE: v, idle: -v})
        gate_row = _sum({ONE: const}, *gate_terms)
        return gate_row, {ch: _sum(*terms) for ch, terms in input_terms.items()}

    # --- readout -------------------------------------------------------------------------------
    def _cube_names(self, readouts: Sequence[configs_to_readout.Decision]
                    ) -> dict[Condition, str]:
        cubes = list(dict.fromkeys(c for d in readouts for c in d.cubes if c))
        return {c: f"L{self.nlayers}.out.cube[{i}]" for i, c in enumerate(cubes)}

    def _cube_units(self, readouts: Sequence[configs_to_readout.Decision], here: set[int]
                    ) -> list[Unit]:
        units: list[Unit] = []
        for cube, unit in self._cube_names(readouts).items():
            rows = [r for lv, xs in cube
                    if (r := self.codes[lv - 1].literal(xs, inside_mlp=lv - 1 in here))
                    is not None]
            units.append((unit, _sum(*rows) if rows else {ONE: 1}, -(max(len(rows), 1) - 1)))
        return units

    def _facts(self, readouts: Sequence[configs_to_readout.Decision]) -> GroupBuild:
        schedule = tuple(tuple(self.gc.components[j].name for j, ly in enumerate(self.layer_of)
                               if ly == k) for k in range(1, self.nlayers + 1))
        complex_dims = sum(len(c.channels) for c in self.codes if c.complex)
        real = sum(len(c.channels) for c in self.codes) - complex_dims
        return GroupBuild(self.nlayers, schedule,
                          sum(len(cs) for m in self.moves for cs in m.values()),
                          len(self._cube_names(readouts)), real, complex_dims)


def _dense(units: Sequence[Unit]) -> Dense:
    out = tuple(n for n, _, _ in units)
    weights = {n: dict(r) for n, r, _ in units}
    bias: dict[str, Weight] = {n: _plain(b) for n, _, b in units if b != 0}
    return Dense(out, weights, bias)
