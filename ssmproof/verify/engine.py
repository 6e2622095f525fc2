"""The reachability engine: a whole frontier of configurations advances one symbol per numpy call.

``prove``, ``exhaustive`` (:mod:`ssmproof.verify.explore`), the gate-class analysis
(:func:`ssmproof.sim.gates.reachable_gate_class`) and the refuter's block run
(:mod:`ssmproof.refute.stabilise`, through :meth:`Engine.walk`: one configuration at a time)
all walk configurations through this engine. The refuter's independent re-check
(:func:`ssmproof.sim.run.run_word`, :mod:`ssmproof.refute.jump_replay`) stays on a fresh Machine
on purpose: it must not share the path it checks.
The reference :class:`~ssmproof.sim.machine.Machine` stays the semantics:

- finite formats (and ``exact`` with float64 weights) step through
  :func:`ssmproof.sim.batched.advance`, the exact-rounding float64 path that ``tests/sim`` checks
  against Machine: an operation that may be inexact is checked, and a flagged edge is *replayed*
  on Machine;
- a configuration whose exact values are not float64 numbers (``exact`` arithmetic past 53
  bits, or weights such as 1/3), and every configuration of a format wider than float64, is
  carried as Machine's own tuple and stepped by Machine, so nothing is ever approximated;
- configurations are compared by their compact key (:mod:`ssmproof.sim.compact`): states and
  the lag values the states do not already fix, as row bytes (float64, ``-0.0`` made ``+0.0``;
  a key that is not float64 is Machine's exact values, tagged so it cannot equal a float key).

Gate values and saturation findings are recorded into the Machine's own ``gate_values`` and
``findings``, for exactly the edges the per-configuration search would have stepped: every edge
before the first failure, and the failing edge itself by a Machine replay (so a failure is always
Machine's own decision or overflow).

``tests/verify/test_engine.py`` keeps engine and per-configuration search
(:mod:`ssmproof.verify.reference`) equal on random SSMs, words and every format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

from ssmproof.numerics import arrays, rounding
from ssmproof.numerics.formats import NonFiniteValue
from ssmproof.sim import assemble, batched, scaled
from ssmproof.sim.compact import Layout, layout_of
from ssmproof.sim.machine import Config, Decision, Finding, Machine

__all__ = ["Engine", "Frontier", "Successors", "EdgeFailure", "WIDE", "LAZY_STEPS", "Path"]

Ints = npt.NDArray[np.int64]
_MAX_READOUTS = 62  # decision codes are int64 bit sets
Path = Literal["machine", "batched"]
WIDE = 256
"""Carried values per configuration from which :meth:`Engine.walk` steps one configuration of an
``exact`` model on the batched integer path (measured per step, batch of one against Machine: a
compiled 113-state star-free model, 6,620 values, 2.2–3.3× faster; the gallery's D12, 91 values,
2.3× slower). Finite formats always walk on Machine: a batch of one pays numpy's per-call cost on
every rounded coordinate (3–7× slower per step on random SSMs, 6–18× on D12 and the compiled
model)."""
LAZY_STEPS = 4096
"""Steps an engine built ``walk_only`` walks on Machine before it builds its numpy plans. On the
6,620-value model of ``benchmarks/refute_engine.py`` the build (scipy's import included) costs
0.4–0.6 s, a batched step there is about 1.6× faster than Machine's warm, memoised step inside a
refutation (3× on a cold 1,500-step walk), and Machine's memo is colder for the refuter's own
traces after a switch; with 128 or 512 a refutation of 240–2,000 steps came out 0.77–0.95× as
fast as Machine alone. So only long walks switch; every shorter refutation runs as before."""
Wrong = Callable[[Ints, Ints], npt.NDArray[np.bool_]]  # (edges, codes) -> wrong decision?


@dataclass
class Frontier:
    """Configurations as carried rows: ``rows[:, i]`` (float64 exact values), or Machine's exact
    tuple ``escaped[i]`` when some value is not a float64."""

    rows: npt.NDArray[np.float64]
    escaped: dict[int, Config] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.rows.shape[1])

    def take(self, index: Ints) -> Frontier:
        """The configurations ``index`` (in that order)."""
        if not self.escaped:
            return Frontier(self.rows[:, index])
        where = {int(i): k for k, i in enumerate(index.tolist()) if int(i) in self.escaped}
        return Frontier(self.rows[:, index], {k: self.escaped[i] for i, k in where.items()})


@dataclass(frozen=True)
class EdgeFailure:
    """The first edge (in edge order) whose Machine step overflowed or whose decision is wrong."""

    edge: int
    decision: Decision | None
    non_finite: NonFiniteValue | None


@dataclass
class Successors:
    """What one :meth:`Engine.step` produced, in edge order.

    ``keys`` covers the edges before ``failure`` (all edges without one); ``codes`` are the
    decisions as bit sets (bit r = readout r > 0).
    """

    frontier: Frontier
    keys: list[bytes]
    codes: Ints
    failure: EdgeFailure | None


class Engine:
    """Steps frontiers of one Machine's configurations (see the module docstring).

    ``machine`` should observe gates when the caller wants them (``Machine(observe_gates=True)``);
    the engine records into it and replays on it.
    """

    def __init__(self, machine: Machine, *, walk_only: bool = False) -> None:
        self.m = machine
        self.layout: Layout = layout_of(machine)
        self.width = len(machine.readouts)
        self._last: tuple[Config, Frontier] | None = None  # walk's last result, as a frontier
        # walk_only: only :meth:`walk` will be called. It starts on Machine's step and builds
        # the numpy plans (0.4-0.6 s on a 6,620-value model) only once a wide exact model has
        # walked LAZY_STEPS steps, so a short refutation never pays for them.
        self._walked = 0
        self._deferred = walk_only
        self._build(narrow=walk_only)

    def _build(self, *, narrow: bool) -> None:
        machine = self.m
        reason = "walked on Machine" if narrow else assemble.unsupported_reason(machine)
        if reason is None and self.width > _MAX_READOUTS:
            reason = f"{self.width} readouts"
        self.reason = reason  # why every configuration runs on Machine (None: numpy path)
        # exact arithmetic with integer gates: numerators over fixed denominators (sim.scaled)
        self.scaled = scaled.plan_of(machine, self.layout) \
            if self.width <= _MAX_READOUTS and not narrow else None
        self.plan = assemble.assemble(machine) if reason is None and self.scaled is None \
            else None
        self._numpy = self.plan is not None or self.scaled is not None
        self._scale = self.scaled.scale if self.scaled is not None else None
        lay = self.layout
        self._first_pair = [lay.pair_source.index(i) for i in range(len(lay.sources))]
        self._keycols = np.array(lay.key_columns, dtype=np.intp)
        self._known: list[set[float]] = [set() for _ in range(lay.n_states)]
        gates = [c.out for layer in self.plan.layers for c in layer.gate.coords] if self.plan \
            else []
        self._gate_regs = gates
        if self.scaled is not None:
            self._gate_regs = self.scaled.gates.tolist()
        self._integral_embedding = self.plan is not None and all(
            np.array_equal(t, np.rint(t)) for _, t in self.plan.embed)

    # ------------------------------------------------------------------------ one trajectory
    @property
    def walk_path(self) -> Path:
        """The path :meth:`walk` takes by default (see :data:`WIDE`); a ``walk_only`` engine
        answers "machine" until :meth:`walk` has built its plans (:data:`LAZY_STEPS`)."""
        return "batched" if self._wide and self.scaled is not None else "machine"

    @property
    def _wide(self) -> bool:
        return self.m.exact and self.layout.width >= WIDE

    def _build_when_due(self) -> None:
        """A ``walk_only`` engine builds its numpy plans once a wide model has walked
        :data:`LAZY_STEPS` steps on Machine — here, where the walk happens, not on a query."""
        if self._deferred and self._walked >= LAZY_STEPS and self._wide:
            self._deferred = False
            self._build(narrow=False)

    def walk(self, config: Config, tokens: Sequence[int], *, path: Path | None = None
             ) -> tuple[Config, list[Decision]]:
        """One configuration through ``tokens``: the last configuration and every decision.

        Exactly what ``Machine.step`` token by token gives and records: gate values (when the
        Machine observes gates) and findings go into the Machine, and an overflow raises
        Machine's own :class:`NonFiniteValue` after the gate values of the steps before it (and
        of the failing step up to the failure) are recorded. ``path`` forces Machine's step or
        the batched numpy step; the default (:attr:`walk_path`) is the faster one.
        ``tests/verify/test_engine_walk.py`` keeps both equal to Machine in every format.
        """
        if path is None:
            self._build_when_due()
        if (path or self.walk_path) == "machine" or not self._numpy:
            return self._walk_machine(config, tokens)
        return self._walk_batched(config, tokens)

    def _walk_machine(self, config: Config, tokens: Sequence[int]
                      ) -> tuple[Config, list[Decision]]:
        step, decisions = self.m.step, []
        self._walked += len(tokens)
        for t in tokens:
            config, d = step(config, t)
            decisions.append(d)
        return config, decisions

    def _walk_batched(self, config: Config, tokens: Sequence[int]
                      ) -> tuple[Config, list[Decision]]:
        last = self._last
        frontier = last[1] if last is not None and last[0] is config else self.frontier([config])
        known = self._known
        self._known = [set() for _ in known]  # record every value met, as Machine does
        zero = np.zeros(1, dtype=np.int64)
        decisions = []
        try:
            for i, t in enumerate(tokens):
                if frontier.escaped:  # exact values past float64: every step would be replayed
                    self._last = None
                    config, rest = self._walk_machine(self.config(frontier, 0), tokens[i:])
                    return config, decisions + rest
                out = self.step(frontier, zero, np.array([t], dtype=np.int64))
                if out.failure is not None and out.failure.non_finite is not None:
                    raise out.failure.non_finite
                frontier = out.frontier
                decisions.append(decision_of(int(out.codes[0]), self.width))
        finally:
            self._known = known
        result = self.config(frontier, 0)
        self._last = (result, frontier)
        return result, decisions

    # ------------------------------------------------------------------------ configurations
    @property
    def values_per_configuration(self) -> int:
        return self.layout.values_per_configuration

    def frontier(self, configs: Sequence[Config]) -> Frontier:
        """Machine configurations → a frontier (exact values kept exact)."""
        rows = np.zeros((self.layout.width, len(configs)))
        escaped: dict[int, Config] = {}
        for i, c in enumerate(configs):
            if not self._put(rows, i, c):
                escaped[i] = c
        return Frontier(rows, escaped)

    def config(self, frontier: Frontier, i: int) -> Config:
        """Machine's configuration ``i`` of a frontier (exact values)."""
        if i in frontier.escaped:
            return frontier.escaped[i]
        values = arrays.from_float64_array(frontier.rows[:, i])
        if self._scale is not None:
            values = [v if d == 1 else rounding.normalise(Fraction(v, d))  # type: ignore
                      for v, d in zip(values, self._scale)]
        return self.layout.config(values)

    def key(self, config: Config, extra: float = 0.0) -> bytes:
        """The compact key of one Machine configuration, as :meth:`step` makes it."""
        row = self._numerators(self.layout.row(config))
        values = [row[i] for i in self.layout.key_columns]
        tail = np.float64(extra).tobytes()
        if self._numpy and all(arrays.exact_in_float64(v) for v in values):
            return (np.array([float(v) for v in values], dtype=np.float64) + 0.0).tobytes() + tail
        return b"\0" * (8 * len(values) + 1) + repr(tuple(values)).encode() + tail

    def _numerators(self, row: list[object]) -> list[object]:
        """Carried values as the engine stores them: numerators over ``scale`` when scaled."""
        if self._scale is None:
            return row
        return [v * d if d != 1 else v for v, d in zip(row, self._scale)]  # type: ignore

    def _put(self, rows: npt.NDArray[np.float64], i: int, config: Config) -> bool:
        if not self._numpy:
            return False
        row = self._numerators(self.layout.row(config))
        if self._scale is not None and not all(Fraction(v).denominator == 1 for v in row):
            return False  # not on the denominators (only a configuration that is not reachable)
        if not all(arrays.exact_in_float64(v) for v in row):
            return False
        rows[:, i] = [float(v) for v in row]
        return True

    # ------------------------------------------------------------------------ stepping
    def step(self, frontier: Frontier, parents: Ints, tokens: Ints,
             extra: npt.NDArray[np.float64] | None = None, wrong: Wrong | None = None
             ) -> Successors:
        """Every edge ``(parents[e], tokens[e])`` at once; stop at the first failing edge.

        ``extra`` (one float64 per edge, e.g. the language state) is appended to each key;
        ``wrong(edges, codes)`` says which decisions are wrong. Gate values and findings are
        recorded for the edges before the failure, and the failing edge is replayed on Machine.
        """
        n = len(parents)
        lay = self.layout
        rows = np.zeros((lay.width, n))
        bad = np.array([int(p) in frontier.escaped for p in parents.tolist()], dtype=bool) \
            if frontier.escaped else np.zeros(n, dtype=bool)
        codes = np.zeros(n, dtype=np.int64)
        watch: batched.Watch = {}
        gates: npt.NDArray[np.float64] | None = None  # gate value × edge
        if not self._numpy:
            bad[:] = True
        elif n and self.scaled is not None:
            regs2d, child, flagged = self.scaled.advance(frontier.rows[:, parents], tokens)
            bad |= flagged
            rows = child
            codes = self.scaled.codes(regs2d)
            gates = regs2d[self.scaled.gates] if self.m.observe_gates else None
        elif n:
            sub = frontier.rows[:, parents]
            s = lay.n_states
            integral = self._integral_embedding and bool(np.array_equal(sub, np.rint(sub)))
            with np.errstate(all="ignore"):
                regs, states, lags = batched.advance(
                    self.plan, tokens, list(sub[:s]), [sub[s + i] for i in lay.pair_source], bad,
                    watch, integral)
            if s:
                rows[:s] = states
            for i, j in enumerate(self._first_pair):
                rows[s + i] = lags[j]
            for r, c in enumerate(self.plan.readout.coords):
                codes |= (regs[c.out] > 0).astype(np.int64) << r
            if self.m.observe_gates and self._gate_regs:
                gates = np.stack([regs[g] for g in self._gate_regs])
        first_wrong = n
        if wrong is not None and n:
            ok = np.flatnonzero(~bad)
            hits = ok[wrong(ok, codes[ok])]
            first_wrong = int(hits[0]) if len(hits) else n
        out = Frontier(rows, {})
        failure = self._replay_bad(frontier, parents, tokens, bad, first_wrong, out, codes, wrong)
        stop = failure.edge if failure is not None else first_wrong
        self._record(gates, watch, bad, stop)
        if failure is None and stop < n:
            failure = self._replay_one(frontier, int(parents[stop]), int(tokens[stop]), stop)
            if failure.non_finite is None and wrong is not None and not bool(
                    wrong(np.array([stop]), np.array([_code(failure.decision)]))[0]):
                raise AssertionError("internal error: the batched step and Machine disagree "
                                     f"on edge {stop}; please report this with the SSM file")
        keys = self._keys(out, stop, extra)
        return Successors(out, keys, codes, failure)

    def _replay_bad(self, frontier: Frontier, parents: Ints, tokens: Ints, bad: npt.NDArray,
                    limit: int, out: Frontier, codes: Ints, wrong: Wrong | None
                    ) -> EdgeFailure | None:
        """Machine steps each flagged edge before ``limit``, in order; the first failure."""
        for e in np.flatnonzero(bad[:limit]).tolist():
            parent = self.config(frontier, int(parents[e]))
            try:
                child, decision = self.m.step(parent, int(tokens[e]))
            except NonFiniteValue as err:
                return EdgeFailure(e, None, err)
            codes[e] = _code(decision)
            if not self._put(out.rows, e, child):
                out.escaped[e] = child
            if wrong is not None and bool(wrong(np.array([e]), codes[e:e + 1])[0]):
                return EdgeFailure(e, decision, None)
        return None

    def _replay_one(self, frontier: Frontier, parent: int, token: int, e: int) -> EdgeFailure:
        try:
            _, decision = self.m.step(self.config(frontier, parent), token)
        except NonFiniteValue as err:
            return EdgeFailure(e, None, err)
        return EdgeFailure(e, decision, None)

    def _record(self, gates: npt.NDArray[np.float64] | None, watch: batched.Watch,
                bad: npt.NDArray[np.bool_], stop: int) -> None:
        """Gate values and saturation of the numpy-stepped edges before ``stop``."""
        if not stop or not self._numpy:
            return
        ok = ~bad[:stop]
        every = bool(ok.all())
        if self.m.observe_gates and gates is not None and len(gates):
            block = gates[:, :stop]
            if not every:
                block = block[:, ok]
            if block.shape[1]:
                self._record_gates(block)
        for reg, rows in watch.items():
            if (rows[:stop] & ok).any():
                self.m.findings.add(Finding("saturated", self.m.reg_names[reg], "batched"))

    def _record_gates(self, block: npt.NDArray[np.float64]) -> None:
        """New values per gate (row): one sort of the block, then only its distinct values."""
        block = np.sort(block, axis=1)
        fresh = np.ones(block.shape, dtype=bool)
        np.not_equal(block[:, 1:], block[:, :-1], out=fresh[:, 1:])
        rows, cols = np.nonzero(fresh)
        new: dict[int, list[float]] = {}
        for pos, v in zip(rows.tolist(), block[rows, cols].tolist()):
            if v not in self._known[pos]:
                new.setdefault(pos, []).append(v)
        for pos, values in new.items():
            self._known[pos].update(values)
            self.m.gate_values[pos].update(arrays.from_float64_array(np.array(values)))

    def _keys(self, out: Frontier, stop: int, extra: npt.NDArray[np.float64] | None
              ) -> list[bytes]:
        cols = out.rows[self._keycols, :stop]
        if extra is not None:
            cols = np.vstack([cols, extra[None, :stop]])
        mat = np.ascontiguousarray(cols.T) + 0.0  # -0.0 -> +0.0: keys compare values
        if mat.shape[1] == 0:
            keys = [b""] * stop
        else:
            keys = mat.view(f"V{mat.shape[1] * 8}").ravel().tolist()
        for e, config in out.escaped.items():
            if e < stop:
                keys[e] = self.key(config, 0.0 if extra is None else float(extra[e]))
                if extra is None:
                    keys[e] = keys[e][:-8]
        return keys


def _code(decision: Decision | None) -> int:
    return sum(1 << r for r, d in enumerate(decision or ()) if d)


def decision_of(code: int, width: int) -> Decision:
    """The decision tuple of a code (bit r = readout r)."""
    return tuple(bool((code >> r) & 1) for r in range(width))
