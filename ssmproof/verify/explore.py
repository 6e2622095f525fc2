"""Breadth-first exploration of (SSM configuration, language state) pairs: exhaustive and prove.

Both walk the product in one order — frontier in order of each node's representative word,
symbols in the alphabet's order — so the first mismatch met is the *shortest* counterexample,
ties broken by the alphabet's declared order (DESIGN §4). Pairs with equal configuration and
language state are merged: what follows depends on nothing else.

- :func:`exhaustive` merges per depth and counts every string covered (multiplicities add up).
- :func:`prove` merges globally; when the frontier empties, every length has been checked.
- :func:`reachable` enumerates configurations without a language (the gate-class analysis).

Each depth is one :meth:`~ssmproof.verify.engine.Engine.step` of the whole frontier; the
language side is interned to integer states so that the edges, the liveness filter and the
decision check are array operations, with :func:`~ssmproof.verify.oracle.check` as the judge.
:mod:`ssmproof.verify.reference` is the per-configuration search kept as the cross-check.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ssmproof.lang.automaton import Language
from ssmproof.sim.machine import Config, Machine, NonFiniteValue
from ssmproof.ssm.program import Mode
from ssmproof.ssm.validate import check_same_alphabet
from ssmproof.verify.engine import EdgeFailure, Engine, Frontier, Successors, decision_of
from ssmproof.verify.oracle import Mismatch, check, decision_order, explores
from ssmproof.verify.outcome import Coverage, Fails, Holds, Inconclusive, Outcome

__all__ = ["exhaustive", "prove", "reachable", "describe", "tokens_for", "Progress"]

Ints = npt.NDArray[np.int64]


class Progress(Protocol):
    """What a search reports its progress to (a tqdm bar: ``update(n)`` adds n)."""

    def update(self, n: int = 1) -> bool | None: ...


def describe(err: NonFiniteValue) -> str:
    """``<dim>: <what overflowed>`` for a non-finite finding."""
    return f"{getattr(err, 'where', '?')}: {err}"


def tokens_for(machine: Machine, lang: Language) -> tuple[int, ...]:
    """Machine token of each language symbol: the two may list the alphabet in other orders."""
    check_same_alphabet(machine.ssm, lang.alphabet, lang.name, machine.ssm.name)
    index = {s: i + 1 for i, s in enumerate(machine.ssm.alphabet)}
    return tuple(index[s] for s in lang.alphabet)


class _Product:
    """The language side of the product: states interned as integers, edges as arrays.

    The language is stepped once per (state, symbol), for a batch of states at a time
    (:meth:`expand`); its successor table and the right decision bits per state are arrays, so
    the edges and the verdicts of a whole frontier are array operations.
    """

    def __init__(self, machine: Machine, lang: Language, mode: Mode) -> None:
        self.machine, self.lang, self.mode = machine, lang, mode
        self.k = len(lang.alphabet)
        self.tokens = np.array(tokens_for(machine, lang), dtype=np.int64)
        self.order = decision_order(machine, lang, mode)  # predictions matched by name
        self.states: list[Hashable] = []
        self.ids: dict[Hashable, int] = {}
        self.by_object: dict[int, int] = {}  # id() of an interned state object (kept alive)
        self.live: list[bool] = []
        self.table = np.full((64, self.k), -1, dtype=np.int64)  # successor ids (-1: unknown)
        self.verdicts: dict[tuple[int, int], Mismatch | None] = {}
        self.width = len(machine.readouts)
        self.successors = getattr(lang, "successors", None)  # one call for every symbol
        # The decision bits a right answer has, per state (-1: not yet known), and the bits
        # judged: recognition reads the last readout; predict reads ``order``, one bit each.
        bits = (self.width - 1,) if mode is Mode.RECOGNIZE else self.order
        self.vector = 0 < self.width <= 62 and len(set(bits)) == len(bits)
        self.mask = sum(1 << b for b in bits) if self.vector else 0
        self.symbol_bits = np.array([1 << b for b in bits[:-1]], dtype=np.int64) \
            if self.vector and mode is Mode.PREDICT else np.zeros(0, dtype=np.int64)
        self.end_bit = 1 << bits[-1] if self.vector else 0
        self.want = np.full(64, -1, dtype=np.int64)

    def intern(self, q: Hashable) -> int:
        i = self.ids.get(q)
        if i is None:
            i = self.ids[q] = self.by_object[id(q)] = len(self.states)
            self.states.append(q)
            self.live.append(explores(self.lang, self.mode, q))
        return i

    def expand(self, qs: Ints) -> None:
        """Fill the successor table for the states ``qs`` (the language stepped once per pair:
        ``successors(state)`` when the language has it, else ``step`` per symbol)."""
        self.table = _grown(self.table, len(self.states), -1)
        todo = qs[self.table[qs, 0] < 0].tolist() if self.k else []
        if not todo:
            return
        states = self.states
        if self.successors is not None:
            succ = self.successors
            flat = [n for q in todo for n in succ(states[q])]
        else:
            step, symbols = self.lang.step, range(self.k)
            flat = [step(states[q], a) for q in todo for a in symbols]
        # a language that returns its own objects (a dead state, a DFA's ints) is looked up by
        # identity, without hashing the state; the rest is interned by value
        ids = np.fromiter(map(self.by_object.get, map(id, flat), itertools.repeat(-1)),
                          dtype=np.int64, count=len(flat))
        intern = self.intern
        for j in np.flatnonzero(ids < 0).tolist():
            ids[j] = intern(flat[j])
        self.table = _grown(self.table, len(states), -1)
        self.table[todo] = ids.reshape(len(todo), self.k)

    def row(self, q: int) -> tuple[int, ...]:
        """The successor of state ``q`` on every symbol."""
        self.expand(np.array([q], dtype=np.int64))
        return tuple(self.table[q].tolist())

    def edges(self, qids: Ints) -> tuple[Ints, Ints, Ints]:
        """(parent, symbol, successor state) of every explored edge, parent-major."""
        if not len(qids):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        self.expand(np.unique(qids))
        nxt = self.table[qids]
        if self.mode is Mode.RECOGNIZE:
            parents, syms = np.divmod(np.arange(nxt.size, dtype=np.int64), self.k)
        else:
            live = np.array(self.live, dtype=bool)
            parents, syms = np.nonzero(live[nxt])
            parents, syms = parents.astype(np.int64), syms.astype(np.int64)
        return parents, syms, nxt[parents, syms]

    def verdict(self, q: int, code: int) -> Mismatch | None:
        key = (q, code)
        if key not in self.verdicts:
            allowed = None
            if self.mode is Mode.PREDICT:
                live = self.live
                allowed = tuple(live[s] for s in self.row(q)) + (
                    self.lang.accepts_state(self.states[q]),)
            self.verdicts[key] = check(self.lang, self.mode, self.states[q],
                                       decision_of(code, self.width), self.order, allowed=allowed)
        return self.verdicts[key]

    def wanted(self, qs: Ints) -> Ints:
        """The decision bits (under ``mask``) of a right answer in each state of ``qs``: the
        labels :func:`~ssmproof.verify.oracle.check` compares (allowed-next from the language's
        own step and is_live, EOS from accepts_state)."""
        states, accepts = self.states, self.lang.accepts_state
        out = np.array([bool(accepts(states[q])) for q in qs.tolist()], dtype=np.int64) \
            * self.end_bit
        if self.mode is Mode.PREDICT and self.k:
            self.expand(qs)
            live = np.array(self.live, dtype=np.int64)
            out += live[self.table[qs]] @ self.symbol_bits
        return out

    def wrong(self, qids: Ints, codes: Ints) -> npt.NDArray[np.bool_]:
        """Per edge, whether its decision is wrong: the right bits are computed once per state
        and compared for all edges at once (else judged once per distinct (state, decision))."""
        if not len(qids):
            return np.zeros(0, dtype=bool)
        if self.vector:
            self.want = _grown(self.want, len(self.states), -1)
            todo = np.unique(qids[self.want[qids] < 0])
            if len(todo):
                self.want[todo] = self.wanted(todo)
            return (codes & self.mask) != self.want[qids]
        span = int(codes.max()) + 1
        if int(qids.max()) < (1 << 62) // span:
            pairs, inverse = np.unique(qids * span + codes, return_inverse=True)
            q, c = np.divmod(pairs, span)
            verdicts = [self.verdict(a, b) is not None for a, b in zip(q.tolist(), c.tolist())]
            return np.array(verdicts, dtype=bool)[inverse.reshape(-1)]
        verdict = self.verdict
        return np.array([verdict(q, c) is not None for q, c in zip(qids.tolist(), codes.tolist())],
                        dtype=bool)


def _grown(table: Ints, rows: int, fill: int) -> Ints:
    """``table`` with at least ``rows`` rows (doubling; new rows ``fill``)."""
    if len(table) >= rows:
        return table
    out = np.full((max(rows, 2 * len(table)), *table.shape[1:]), fill, dtype=table.dtype)
    out[:len(table)] = table
    return out


@dataclass
class _Search:
    """One exploration's engine, product and representative words (back-pointers per depth)."""

    machine: Machine
    lang: Language
    mode: Mode
    engine: Engine = field(init=False)
    product: _Product = field(init=False)
    history: list[tuple[Ints, Ints]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.engine = Engine(self.machine)
        self.product = _Product(self.machine, self.lang, self.mode)

    def root(self) -> tuple[Config, int] | Fails | None:
        """The BOS position, checked against the empty word: its (configuration, state), the
        failure on the empty word, or None when predict skips it."""
        q0 = self.lang.initial()
        try:
            config, decision = self.machine.step(self.machine.start(), 0)
        except NonFiniteValue as err:
            return Fails((), non_finite=describe(err))
        if not explores(self.lang, self.mode, q0):
            return None
        mismatch = check(self.lang, self.mode, q0, decision, self.product.order)
        if mismatch is not None:
            return Fails((), mismatch=mismatch)
        self.history = [(np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64))]
        return config, self.product.intern(q0)

    def step(self, front: Frontier, qids: Ints) -> tuple[Successors, Ints, Ints, Ints]:
        parents, syms, q2 = self.product.edges(qids)
        succ = self.engine.step(front, parents, self.product.tokens[syms],
                                extra=q2.astype(np.float64),
                                wrong=lambda e, c: self.product.wrong(q2[e], c))
        return succ, parents, syms, q2

    def word(self, parent: int, sym: int) -> tuple[str, ...]:
        out = [self.lang.alphabet[sym]]
        for parents, syms in reversed(self.history[1:]):
            out.append(self.lang.alphabet[int(syms[parent])])
            parent = int(parents[parent])
        return tuple(reversed(out))

    def fail(self, failure: EdgeFailure, parents: Ints, syms: Ints, q2: Ints) -> Fails:
        """The failing edge the engine stopped at, as a counterexample word and its verdict."""
        word = self.word(int(parents[failure.edge]), int(syms[failure.edge]))
        if failure.non_finite is not None:
            return Fails(word, non_finite=describe(failure.non_finite))
        mismatch = check(self.lang, self.mode, self.product.states[int(q2[failure.edge])],
                         failure.decision, self.product.order)  # type: ignore[arg-type]
        return Fails(word, mismatch=mismatch)  # the engine stopped here: mismatch is set


def _failed(found: Fails, coverage: Coverage) -> Fails:
    """``found`` with what was covered; every word shorter than it was checked."""
    depth = max(len(found.counterexample) - 1, 0)
    return replace(found, coverage=replace(coverage, depth=depth))


def exhaustive(machine: Machine, lang: Language, mode: Mode, max_length: int, *,
               progress: Progress | None = None) -> Holds | Fails:
    """Check every string of length ≤ ``max_length`` (predict: every prefix of a word of L).

    Equal (configuration, state) pairs at one depth are merged and their multiplicities added,
    so ``strings`` counts every string covered.
    """
    search = _Search(machine, lang, mode)
    root = search.root()
    if isinstance(root, Fails):
        return _failed(root, Coverage())
    configs: set[bytes] = set()
    strings, edges = (1 if root is not None else 0), 0
    front = search.engine.frontier([root[0]] if root else [])
    qids = np.array([root[1]] if root else [], dtype=np.int64)
    mult: list[int] = [1] if root else []
    for _ in range(1, max_length + 1):
        succ, parents, syms, q2 = search.step(front, qids)
        stop = succ.failure.edge if succ.failure else len(parents)
        index: dict[bytes, int] = {}
        new: list[int] = []
        counts: list[int] = []
        for e, (key, p) in enumerate(zip(succ.keys, parents[:stop].tolist())):
            m = mult[p]
            strings += m
            j = index.get(key)
            if j is None:
                index[key] = len(new)
                new.append(e)
                counts.append(m)
                configs.add(key[:-8])
            else:
                counts[j] += m
        edges += stop
        if succ.failure is not None:
            return _failed(search.fail(succ.failure, parents, syms, q2),
                           Coverage(strings=strings, edges=edges))
        chosen = np.array(new, dtype=np.int64)
        front, qids, mult = succ.frontier.take(chosen), q2[chosen], counts
        search.history.append((parents[chosen], syms[chosen]))
        if progress is not None:
            progress.update(1)
    return Holds(Coverage(depth=max_length, strings=strings, configurations=len(configs),
                          edges=edges))


def prove(machine: Machine, lang: Language, mode: Mode, *, max_configurations: int = 10**6,
          progress: Progress | None = None) -> Outcome:
    """BFS over the reachable product; closing means correct at every length.

    If the number of distinct configurations passes ``max_configurations`` the search stops:
    :class:`Inconclusive`, claiming only the depth whose words were all checked.
    """
    search = _Search(machine, lang, mode)
    values = search.engine.values_per_configuration
    root = search.root()
    if isinstance(root, Fails):
        return _failed(root, Coverage(values_per_configuration=values))
    configs: set[bytes] = set()
    seen: set[bytes] = set()
    edges = depth = 0
    front = search.engine.frontier([root[0]] if root else [])
    qids = np.array([root[1]] if root else [], dtype=np.int64)
    if root is not None:
        key = search.engine.key(root[0], float(root[1]))
        seen.add(key)
        configs.add(key[:-8])
    while len(front):
        succ, parents, syms, q2 = search.step(front, qids)
        stop = succ.failure.edge if succ.failure else len(parents)
        new: list[int] = []
        for e, key in enumerate(succ.keys):
            if key not in seen:
                seen.add(key)
                configs.add(key[:-8])
                new.append(e)
        edges += stop
        if succ.failure is not None:
            return _failed(search.fail(succ.failure, parents, syms, q2),
                           Coverage(configurations=len(configs), edges=edges,
                                    values_per_configuration=values))
        chosen = np.array(new, dtype=np.int64)
        front, qids = succ.frontier.take(chosen), q2[chosen]
        search.history.append((parents[chosen], syms[chosen]))
        depth += 1
        if progress is not None:
            progress.update(len(chosen))
        if len(configs) > max_configurations and len(front):
            return Inconclusive(
                f"configuration budget {max_configurations} reached at depth {depth}: every "
                f"word up to length {depth} was checked",
                Coverage(depth=depth, configurations=len(configs), edges=edges,
                         values_per_configuration=values))
    return Holds(Coverage(depth=depth, configurations=len(configs), edges=edges,
                          values_per_configuration=values), closed=True)


def reachable(machine: Machine, budget: int, max_depth: int | None = None) -> bool:
    """Step every configuration reachable from BOS (``machine`` records the gate values) until
    the frontier empties (True: complete) or more than ``budget`` were seen, ``max_depth``
    symbols were read, or a value overflowed (False)."""
    engine = Engine(machine)
    k = len(machine.ssm.alphabet)
    try:
        first, _ = machine.step(machine.start(), 0)
    except NonFiniteValue:
        return False
    seen = {engine.key(first)[:-8]}
    front = engine.frontier([first])
    depth = 0
    while len(front) and len(seen) <= budget and (max_depth is None or depth < max_depth):
        depth += 1
        n = len(front)
        parents = np.repeat(np.arange(n, dtype=np.int64), k)
        tokens = np.tile(np.arange(1, k + 1, dtype=np.int64), n)
        succ = engine.step(front, parents, tokens)
        if succ.failure is not None:
            return False
        new = []
        for e, key in enumerate(succ.keys):
            if key not in seen:
                seen.add(key)
                new.append(e)
        front = succ.frontier.take(np.array(new, dtype=np.int64))
    return not len(front)
