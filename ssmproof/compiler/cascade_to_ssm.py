"""A cascade of reset automata → a nonnegative-gated SSM (DESIGN §2, PAPER §4).

Levels become layers. Levels that do not read each other share a layer
(:func:`~ssmproof.algebra.cascade.layer_schedule`: a level sits one layer below the lowest level
it reads), so the depth is the longest chain of dependencies, not the number of levels. Each level
is a block of channels holding the code of its state (:mod:`~ssmproof.compiler.level_codes`),
and a reset component is gates in {0, 1}: keep = gate 1, input 0; reset to k = gate 0,
input code(k).

**The timing trap.** In a cascade, level d acts on the symbol and on the upper levels' states
*before* the symbol; in a stack of layers, layer d sees the upper layers' states *after* it. With
the lag view a layer reads ``prev:`` of the upper levels' indicators — their previous states —
and the current token. Before BOS the lag view is zero, so BOS is a position of its own: every
level starts (``init``) in its part of the cascade's initial configuration and no rule fires on
BOS (every rule reads a symbol's token), so position 0 holds the initial configuration and
position 1 reads it through the lag. Without the lag view (``decay``), an echo layer after each
layer of levels recovers the previous states (:mod:`~ssmproof.compiler.decay`).

**Rules as ReLU units.** The pre-MLP turns each reset rule "on σ, if the upper levels match the
condition, level d resets to t" into ``rule = relu(tok:σ + Σ literals − #literals)``, exactly 1
when the rule fires. The cascade is deterministic, so all rules that fire at one level agree on
the target (checked on every reachable configuration). When at most one of them fires at a time,
``gate = one − Σ rules`` and ``input = Σ rules · code(t)``. When rules of the same target overlap
(a greedy cover of the reset's configurations often does), a second pre-MLP map ORs them:
``idle = relu(1 − Σ rules)`` per target (gate ``= Σ idle − (T − 1)``, input bit j
``= Σ_{t: bit j of t} (one − idle_t)``), or per code bit plus one for the gate, whichever is
smaller.

**Readout.** The last layer's MLP computes the cubes of :mod:`configs_to_readout`; the readouts
sum them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ssmproof.algebra.cascade import (
    Cascade,
    Condition,
    Reachable,
    ResetRule,
    explore,
    layer_schedule,
)
from ssmproof.compiler import configs_to_readout, decay, level_codes
from ssmproof.compiler.level_codes import Encoding, Unit
from ssmproof.errors import CompileError
from ssmproof.lang.automaton import DFA
from ssmproof.recipes import gadgets
from ssmproof.ssm.program import (
    EOS,
    LAG_PREFIX,
    ONE,
    SSM,
    Dense,
    Layer,
    Mode,
    Param,
    Row,
    Weight,
    default_embedding,
    tok,
)

__all__ = ["Analysis", "BuildFacts", "analyse", "cascade_to_ssm"]

Indicator = Mapping[tuple[int, int], Row]
_Form = tuple[list[Unit], Row, list[Row]]  # pre-MLP units, gate row, input rows
_Literal = tuple[dict[str, Weight], tuple[int, ...]] | None  # literal_row's answer


def _weights(form: _Form) -> int:
    """Nonzero weights of a gate/input form (gate row counted once per channel)."""
    units, gate, bits = form
    return (sum(len(row) + bool(bias) for _, row, bias in units) + len(gate) * len(bits)
            + sum(len(row) for row in bits))


@dataclass(frozen=True)
class Analysis:
    """Facts about a cascade on its reachable configurations, which is all the SSM will meet.

    Attributes
    ----------
    configs : ndarray, shape (R, H)
        The reachable configurations, sorted.
    states : tuple of int
        The DFA state each configuration decodes to.
    held : tuple of tuple of int
        Per level, the states met.
    fires : dict
        Rule index (into ``cascade.rules``) → where it fires, a boolean vector over ``configs``
        (the rule's symbol is implied).
    overlap : tuple of bool
        Per level: can two of its rules fire on the same configuration and symbol?
    most_at_once : int
        The most rules of one level that fire together.
    """

    configs: npt.NDArray[np.int64]
    states: tuple[int, ...]
    held: tuple[tuple[int, ...], ...]
    fires: dict[int, npt.NDArray[np.bool_]]
    overlap: tuple[bool, ...]
    most_at_once: int


def analyse(cascade: Cascade, *, max_configurations: int | None = None,
            reach: Reachable | None = None) -> Analysis:
    """Reachable configurations, held states, where each rule fires, and rule agreement.

    ``reach`` is :func:`~ssmproof.algebra.cascade.explore` of ``cascade`` when the caller has
    it already (the compiler's cover check explores the same configurations first).

    Raises
    ------
    CompileError
        If two rules that fire together reset one level to different states (the cascade would
        not be deterministic; :meth:`Cascade.step` refuses the same while exploring), or there
        are more than ``max_configurations`` reachable configurations.

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.algebra.holonomy import decompose
    >>> a = analyse(decompose(contains_aa()))
    >>> a.configs.tolist(), a.held, a.overlap
    ([[1, 1], [1, 2], [2, 1], [2, 2]], ((1, 2), (1, 2)), (False, False))
    """
    try:
        reach = explore(cascade, max_configurations) if reach is None else reach
    except ValueError as err:  # a conflict met while stepping, or the budget
        raise CompileError(f"cascade: {err}") from None
    configs = reach.configs  # sorted, as the rows of readout covers and reports expect
    if cascade.height:
        configs = configs[np.lexsort(configs.T[::-1])]
    states = tuple(int(q) for q in cascade.decode_many(configs))
    held = tuple(tuple(int(v) for v in np.unique(configs[:, d])) for d in range(cascade.height))
    fires: dict[int, npt.NDArray[np.bool_]] = {}
    overlap = np.zeros(cascade.height, dtype=bool)
    most = 0
    for a, symbol in enumerate(cascade.alphabet):
        mine = [i for i, r in enumerate(cascade.rules) if r.symbol == symbol]
        fired = cascade.fired_many(configs, a)  # (configs, mine); conflicts: explore refused
        fires.update((i, fired[:, j]) for j, i in enumerate(mine))
        level = np.array([cascade.rules[i].level - 1 for i in mine], dtype=np.int64)
        for d in np.unique(level).tolist():
            count = fired[:, level == d].sum(axis=1)
            most = max(most, int(count.max(initial=0)))
            overlap[d] |= bool((count > 1).any())
    return Analysis(configs, states, held, fires, tuple(bool(o) for o in overlap), most)


@dataclass(frozen=True)
class BuildFacts:
    """Sizes of the construction, for the metadata report."""

    levels: int
    layers: int
    level_layers: int
    echo_layers: int
    layers_saved: int
    schedule: tuple[tuple[int, ...], ...]
    encodings: tuple[dict[str, object], ...]
    reachable: int
    rules: int
    overlapping_levels: int
    readout_cubes: int
    mlp_units: int
    decay: Fraction | None
    notes: tuple[str, ...] = field(default=())


def cascade_to_ssm(cascade: Cascade, dfa: DFA, *, mode: Mode | str = Mode.RECOGNIZE,
                   lag: bool = True, decay_value: Fraction | None = None,
                   encoding: Encoding | str = Encoding.AUTO, name: str = "",
                   analysis: Analysis | None = None) -> tuple[SSM, BuildFacts]:
    """Build the SSM of ``cascade`` (which must cover ``dfa``) and report its sizes.

    Parameters
    ----------
    cascade : Cascade
    dfa : DFA
        The automaton the cascade covers (same alphabet and states).
    mode : Mode or str
    lag : bool
        Use the lag view (default); else echo layers with decay ``decay_value``.
    decay_value : Fraction, optional
        λ for the echo channels (needed when ``lag`` is False).
    encoding : Encoding or str
        Per-level code: ``auto`` (binary where it saves channels), ``onehot`` or ``binary``.
    name : str
    analysis : Analysis, optional
        A precomputed :func:`analyse` of ``cascade``.

    Returns
    -------
    (SSM, BuildFacts)

    Examples
    --------
    >>> from ssmproof.algebra.examples import contains_aa
    >>> from ssmproof.algebra.holonomy import decompose
    >>> from ssmproof.sim.machine import Machine
    >>> ssm, facts = cascade_to_ssm(decompose(contains_aa()), contains_aa())
    >>> [Machine(ssm).accepts(w) for w in ["aa", "aba", "baab", "a", ""]]
    [True, False, True, False, False]
    >>> facts.levels, facts.layers, facts.layers_saved
    (2, 2, 0)
    """
    if tuple(dfa.alphabet) != cascade.alphabet or tuple(dfa.states) != cascade.dfa_states:
        raise CompileError("internal: the cascade was built for another DFA")
    if not lag and decay_value is None:
        raise CompileError("internal: --no-lag needs a decay λ")
    mode = Mode(mode)
    info = analysis if analysis is not None else analyse(cascade)
    return _Builder(cascade, dfa, info, mode, lag, decay_value, Encoding(encoding), name).build()


class _Builder:
    """One compilation: the layer plan, codes, needs, then the layers in order."""

    def __init__(self, cascade: Cascade, dfa: DFA, info: Analysis, mode: Mode, lag: bool,
                 decay_value: Fraction | None, encoding: Encoding, name: str) -> None:
        self.c, self.dfa, self.info, self.mode, self.lag = cascade, dfa, info, mode, lag
        self.decay_value, self.name = decay_value, name or dfa.name or "starfree"
        self.schedule = layer_schedule(cascade) if cascade.height else ()
        self.layer_of = {lv: k for k, group in enumerate(self.schedule, start=1) for lv in group}
        self.codes = {lv: level_codes.level_code(lv, self._level_layer(self.layer_of[lv]),
                                                 info.held[lv - 1], encoding=encoding)
                      for lv in range(1, cascade.height + 1)}
        self.readouts = configs_to_readout.decisions(info.configs, info.states, dfa, mode)
        self._literals: dict[tuple[int, tuple[int, ...]], _Literal] = {}
        self.rules = {i: self._live_literals(r) for i, r in enumerate(cascade.rules)}
        self.needed_prev = self._needed_prev()
        self.needed_now = self._needed_now()

    # --- plan ----------------------------------------------------------------------------------
    def _level_layer(self, k: int) -> str:
        return f"L{k if self.lag else 2 * k - 1}"

    def _live_literals(self, rule: ResetRule) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """The rule's literals that are not always true on reachable configurations."""
        return tuple((lv, xs) for lv, xs in rule.condition if self._literal(lv, xs) is not None)

    def _literal(self, lv: int, xs: tuple[int, ...]) -> _Literal:
        """:func:`level_codes.literal_row` over the current indicators, once per literal (the
        same literals recur across rules, cubes and needs: 12,185 calls for 3,569 rules on a
        random 30-state DFA)."""
        key = (lv, xs)
        if key not in self._literals:
            self._literals[key] = level_codes.literal_row(self.codes[lv], xs)
        return self._literals[key]

    def _needed_prev(self) -> dict[int, set[int]]:
        """Per level: the states whose *previous* indicator some rule reads."""
        need: dict[int, set[int]] = {lv: set() for lv in self.codes}
        for literals in self.rules.values():
            for lv, xs in literals:
                found = self._literal(lv, xs)
                assert found is not None
                need[lv].update(found[1])
        return need

    def _needed_now(self) -> dict[int, set[int]]:
        """Per level: the states whose *current* indicator must be in the stream."""
        need: dict[int, set[int]] = {lv: set() for lv in self.codes}
        for d in self.readouts:
            for cube in d.cubes:
                for lv, xs in cube:
                    found = self._literal(lv, xs)
                    if found is not None:
                        need[lv].update(found[1])
        for lv, states in self.needed_prev.items():
            if not states:
                continue
            need[lv].update(states if self.lag else self.codes[lv].held)
        return need

    # --- build ---------------------------------------------------------------------------------
    def build(self) -> tuple[SSM, BuildFacts]:
        layers: list[Layer] = []
        prev_rows: dict[tuple[int, int], Row] = {}
        for k, group in enumerate(self.schedule, start=1):
            last = k == len(self.schedule)
            layers.append(self._level_layer_for(k, group, prev_rows, last))
            if not self.lag and not last:
                echo, rows = decay.echo_layer(
                    f"L{2 * k}", [self.codes[lv] for lv in group],
                    {lv: self.needed_prev[lv] for lv in group})
                layers.append(echo)
                prev_rows.update(rows)
        accept, nxt = self._readout_rows()
        params: tuple[Param, ...] = ()
        if not self.lag:
            assert self.decay_value is not None
            params = decay.decay_params(self.decay_value)
        ssm = SSM(self.name, self.mode, self.dfa.alphabet, default_embedding(self.dfa.alphabet),
                  tuple(layers), accept=accept, next=nxt, parameters=params)
        return ssm, self._facts(ssm)

    def _rule_unit(self, i: int, prev_rows: Indicator) -> Unit:
        rule = self.c.rules[i]
        rows: list[Mapping[str, Weight]] = [{tok(rule.symbol): 1}]
        for lv, xs in self.rules[i]:
            if self.lag:  # the literal is linear in the indicators: lag the current row
                found = self._literal(lv, xs)
                assert found is not None
                rows.append(level_codes.lagged(found[0]))
                continue
            found = level_codes.literal_row(self.codes[lv], xs,
                                            lambda s, lv=lv: prev_rows[lv, s])  # an echo's rows
            assert found is not None
            rows.append(found[0])
        row, bias = gadgets.and_row(*rows)
        return f"{self._level_layer(self.layer_of[rule.level])}.pre.rule[{i}]", row, bias

    def _level_layer_for(self, k: int, group: Sequence[int], prev_rows: Indicator,
                         last: bool) -> Layer:
        name = self._level_layer(k)
        first: list[Unit] = []
        final: list[Unit] = []
        gate: dict[str, Row] = {}
        inputs: dict[str, Row] = {}
        for lv in group:
            g_row, bit_rows = self._level_gates(lv, prev_rows, first, final)
            for ch, bits in zip(self.codes[lv].channels, bit_rows):
                gate[ch], inputs[ch] = g_row, bits
        pre = tuple(gadgets.dense(units) for units in (first, final) if units)
        state = tuple(ch for lv in group for ch in self.codes[lv].channels)
        init = gadgets.add_rows(*(self.codes[lv].init_row(self.c.initial[lv - 1]) for lv in group))
        lag_dims = sorted({d[len(LAG_PREFIX):] for dense in pre for row in dense.weights.values()
                           for d in row if d.startswith(LAG_PREFIX)})
        mlp = self._level_mlp(group, last)
        return Layer(name, state, gate, inputs, init=init, lag=tuple(lag_dims), pre_mlp=pre,
                     mlp=mlp, export=state)

    def _level_gates(self, lv: int, prev_rows: Indicator, first: list[Unit],
                     final: list[Unit]) -> tuple[Row, list[Row]]:
        """Gate row and per-channel input rows of level ``lv``; appends the pre-MLP units."""
        code = self.codes[lv]
        mine = [i for i, r in enumerate(self.c.rules) if r.level == lv]
        units = [self._rule_unit(i, prev_rows) for i in mine]
        targets = {i: code.codes[self.c.rules[i].target] for i in mine}
        if not self.info.overlap[lv - 1]:
            final.extend(units)
            names = {i: u[0] for i, u in zip(mine, units)}
            gate: Row = gadgets.add_rows({ONE: 1}, *({names[i]: -1} for i in mine))
            bits: list[Row] = [gadgets.add_rows(*({names[i]: 1} for i in mine if targets[i][j]))
                               for j in range(len(code.channels))]
            return gate, bits
        first.extend(units)
        names = {i: u[0] for i, u in zip(mine, units)}
        return self._idle_units(lv, mine, names, targets, final)

    def _idle_units(self, lv: int, mine: list[int], names: dict[int, str],
                    targets: dict[int, tuple[int, ...]], final: list[Unit]
                    ) -> tuple[Row, list[Row]]:
        """OR overlapping rules: ``idle = relu(1 − Σ rules)`` per target or per code bit.

        Both forms are built; the one with fewer nonzero weights (then fewer units) is kept.
        """
        forms = [self._per_target(lv, mine, names, targets), self._per_bit(lv, mine, names,
                                                                             targets)]
        units, gate, bits = min(forms, key=lambda f: (_weights(f), len(f[0])))
        final.extend(units)
        return gate, bits

    def _per_target(self, lv: int, mine: list[int], names: dict[int, str],
                    targets: dict[int, tuple[int, ...]]) -> _Form:
        prefix = f"{self._level_layer(self.layer_of[lv])}.pre.idle[{lv}]"
        groups: dict[tuple[int, ...], list[int]] = {}
        for i in mine:
            groups.setdefault(targets[i], []).append(i)
        units: list[Unit] = [(f"{prefix}.to[{self._state_of(lv, code)}]",
                              {names[i]: -1 for i in rs}, 1) for code, rs in groups.items()]
        idle = {code: u[0] for code, u in zip(groups, units)}
        gate: Row = gadgets.add_rows({ONE: 1 - len(idle)}, *({u: 1} for u in idle.values()))
        bits: list[Row] = [
            gadgets.add_rows(*({ONE: 1, u: -1} for code, u in idle.items() if code[j]))
            for j in range(len(self.codes[lv].channels))]
        return units, gate, bits

    def _per_bit(self, lv: int, mine: list[int], names: dict[int, str],
                 targets: dict[int, tuple[int, ...]]) -> _Form:
        prefix = f"{self._level_layer(self.layer_of[lv])}.pre.idle[{lv}]"
        units: list[Unit] = [(f"{prefix}.any", {names[i]: -1 for i in mine}, 1)]
        bits: list[Row] = []
        for j in range(len(self.codes[lv].channels)):
            rs = [i for i in mine if targets[i][j]]
            if rs:
                units.append((f"{prefix}.bit{j}", {names[i]: -1 for i in rs}, 1))
            bits.append({ONE: 1, units[-1][0]: -1} if rs else {})
        return units, {units[0][0]: 1}, bits

    def _state_of(self, lv: int, code: tuple[int, ...]) -> int:
        return next(s for s, c in self.codes[lv].codes.items() if c == code)

    def _level_mlp(self, group: Sequence[int], last: bool) -> tuple[Dense, ...]:
        codes = [self.codes[lv] for lv in group]
        ind = level_codes.indicator_dense(codes, self.needed_now)
        cubes = self._cube_units() if last else []
        return tuple(d for d in (ind, gadgets.dense(cubes) if cubes else None) if d is not None)

    # --- readout -------------------------------------------------------------------------------
    def _literal_rows(self, cube: Condition) -> list[dict[str, Weight]]:
        rows = []
        for lv, xs in cube:
            found = self._literal(lv, xs)
            if found is not None:
                rows.append(found[0])
        return rows

    def _cube_names(self) -> dict[Condition, str]:
        """A ReLU unit for every cube of two or more literals; a one-literal cube is read as its
        (linear, 0/1) literal row — unless that row reads indicator units of the last layer
        while the last MLP ends in cube units (then those indicators are not in the stream)."""
        cubes = list(dict.fromkeys(c for d in self.readouts for c in d.cubes))
        wide = [c for c in cubes if len(self._literal_rows(c)) > 1]
        last = self._level_layer(len(self.schedule)) + "."
        hidden = {d for c in cubes for row in self._literal_rows(c) for d in row
                  if d.startswith(last) and ".is[" in d and d not in self._exported_last()}
        names: dict[Condition, str] = {}
        for cube in cubes:
            rows = self._literal_rows(cube)
            if len(rows) > 1 or (wide and any(d in hidden for d in rows[0])):
                names[cube] = f"{last}out.cube[{len(names)}]"
        return names

    def _exported_last(self) -> set[str]:
        group = self.schedule[-1] if self.schedule else ()
        return {ch for lv in group for ch in self.codes[lv].channels}

    def _cube_units(self) -> list[Unit]:
        units: list[Unit] = []
        for cube, unit in self._cube_names().items():
            row, bias = gadgets.and_row(*self._literal_rows(cube))
            units.append((unit, row, bias))
        return units

    def _cube_row(self, cube: Condition, names: Mapping[Condition, str]) -> Row:
        if cube in names:
            return {names[cube]: 1}
        rows = self._literal_rows(cube)
        return rows[0] if rows else {ONE: 1}

    def _readout_rows(self) -> tuple[Row | None, dict[str, Row] | None]:
        names = self._cube_names()
        rows: dict[str, Row] = {}
        for d in self.readouts:
            total = gadgets.add_rows(*(self._cube_row(c, names) for c in d.cubes))
            rows[d.key] = total if d.positive else gadgets.add_rows(
                {ONE: 1}, gadgets.scale_row(total, -1))
        if self.mode is Mode.RECOGNIZE:
            return rows["accept"], None
        return None, {**{s: rows[s] for s in self.dfa.alphabet}, EOS: rows[EOS]}

    # --- report --------------------------------------------------------------------------------
    def _facts(self, ssm: SSM) -> BuildFacts:
        units = sum(len(d.out) for layer in ssm.layers for d in (*layer.pre_mlp, *layer.mlp))
        encodings: tuple[dict[str, object], ...] = tuple(
            {"level": lv, "states": len(c.held), "encoding": "binary" if c.binary else "onehot",
             "channels": len(c.channels)} for lv, c in sorted(self.codes.items()))
        levels = self.c.height
        return BuildFacts(
            levels=levels, layers=len(ssm.layers), level_layers=len(self.schedule),
            echo_layers=len(ssm.layers) - len(self.schedule),
            layers_saved=levels - len(self.schedule), schedule=self.schedule,
            encodings=encodings, reachable=len(self.info.configs), rules=len(self.c.rules),
            overlapping_levels=sum(self.info.overlap),
            readout_cubes=len(self._cube_names()), mlp_units=units,
            decay=None if self.lag else self.decay_value)
