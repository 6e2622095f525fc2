"""Compact configurations: only the values that are not already fixed by the rest.

A Machine configuration (DESIGN §4) is every layer's state followed by every layer's lag buffer,
in layer order. Two kinds of lag values add nothing to it:

- **copies**: two layers that lag the same stream dim hold the same value, ``u_{t-1}[d]``;
- **state-determined values**: a lagged dim whose value at a position is computed from that
  position's *new* states and constants only (an exported state, an MLP of states — a star-free
  level's indicators) is, in the configuration after that position, a function of the states
  stored beside it.

Every configuration the engine counts is one *after* BOS (the configuration before BOS, whose
lag buffers are zero, is only a starting point), and after any position ``t`` the lag buffer of
``d`` holds ``u_t[d]``, computed by the same deterministic, rounded operations from the same
states. So the map from a full configuration to its compact key (states plus the lag values of
distinct, not state-determined sources) is injective on reachable configurations: two
configurations with equal keys have equal states, hence equal state-determined lag values, and
equal remaining lag values. Counting distinct compact keys therefore counts distinct
configurations exactly (DESIGN §4's ``configurations`` is unchanged); ``tests/verify`` checks the
counts against the per-configuration search on random SSMs and on the gallery.

The *carried* row (what the engine steps) keeps every distinct lag source, so a step never has to
recompute a dropped value; only the key (what is compared, stored and counted) is compact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ssmproof.sim.machine import Config, Machine

__all__ = ["Layout", "layout_of", "state_determined"]


@dataclass(frozen=True)
class Layout:
    """Where each value of a configuration lives in the engine's carried row and compact key.

    Attributes
    ----------
    n_states : int
        State dims (the first values of every configuration, row and key).
    sources : tuple of int
        Distinct lag source registers, in order of first use; the carried row is the states
        followed by one value per source.
    pair_source : tuple of int
        Per (layer, lagged dim) pair of the Machine configuration, its index in ``sources``.
    free : tuple of int
        Indices into ``sources`` of the values the key keeps (not state-determined).
    """

    n_states: int
    sources: tuple[int, ...]
    pair_source: tuple[int, ...]
    free: tuple[int, ...]

    @property
    def width(self) -> int:
        """Values carried per row (states + distinct lag sources)."""
        return self.n_states + len(self.sources)

    @property
    def values_per_configuration(self) -> int:
        """Values in a compact configuration: states + lag values not fixed by the states."""
        return self.n_states + len(self.free)

    @property
    def key_columns(self) -> tuple[int, ...]:
        """Carried-row columns that form the compact key."""
        return tuple(range(self.n_states)) + tuple(self.n_states + i for i in self.free)

    def row(self, config: Sequence[object]) -> list[object]:
        """Carried values of a Machine configuration (states, then one value per source)."""
        s = self.n_states
        first: dict[int, object] = {}
        for j, src in enumerate(self.pair_source):
            first.setdefault(src, config[s + j])
        return [*config[:s], *(first[i] for i in range(len(self.sources)))]

    def config(self, row: Sequence[object]) -> Config:
        """The Machine configuration of a carried row."""
        s = self.n_states
        return tuple(row[:s]) + tuple(row[s + i] for i in self.pair_source)  # type: ignore


def state_determined(machine: Machine) -> set[int]:
    """Registers whose value at a position is a function of that position's new states.

    Walks the Machine's program in its own order: an embedding register is determined when every
    token (BOS included) gives it the same value, a lag register (``prev:``) never is, a state
    register always is (it is stored in the configuration), and an affine coordinate is when
    every register it reads is. A register nothing writes stays 0 (determined).
    """
    det: dict[int, bool] = {}
    for reg in {r for row in machine.embed for r, _ in row}:
        values = {dict(row).get(reg, 0) for row in machine.embed}
        det[reg] = len(values) == 1

    def ops(op: Sequence[tuple[int, Sequence[tuple[int, object]], object]]) -> None:
        for out, pairs, _ in op:
            det[out] = all(det.get(i, True) for i, _ in pairs)

    def stage(st: Sequence[object]) -> None:
        if len(st) == 2 and isinstance(st[1], str):  # an affine map and its activation
            ops(st[0])  # type: ignore[arg-type]
            return
        for out, left, right in st:  # a product map
            det[out] = det.get(left, True) and det.get(right, True)

    for plan in machine.plans:
        for dst in plan.lag_dst:
            det[dst] = False
        for st in plan.pre_stages:
            stage(st)
        ops(plan.gate)
        ops(plan.inp)
        for reg in plan.state_regs:
            det[reg] = True
        for st in plan.mlp_stages:
            stage(st)
    return {r for r, d in det.items() if d}


def layout_of(machine: Machine) -> Layout:
    """The compact layout of a Machine's configurations (see the module docstring).

    Examples
    --------
    >>> from ssmproof.ssm import jsonio
    >>> m = Machine(jsonio.load("constructions/D12/recognize-nonnegative.json"))
    >>> lay = layout_of(m)  # 13 states; 78 lag values = 12 distinct sources, all MLPs of states
    >>> len(m.start()), lay.width, lay.values_per_configuration
    (91, 25, 13)
    """
    det = state_determined(machine)
    at: dict[int, int] = {}  # source register -> its index in sources (first use)
    pair_source = [at.setdefault(src, len(at)) for plan in machine.plans for src in plan.lag_src]
    sources = tuple(at)  # dicts keep insertion order: order of first use
    free = tuple(i for i, src in enumerate(sources) if src not in det)
    return Layout(len(machine.init), sources, tuple(pair_source), free)
