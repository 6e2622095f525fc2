"""All-length proofs by an inductive invariant, checked locally (``verify --invariant``).

``prove`` lists every reachable (configuration, language state) pair; Dyck(8,10) has about
1.2·10⁹ of them. This method lists none. It takes a *relation* I (:mod:`ssmproof.ssm.relation`):
a conjunction of groups, each allowing some value tuples of a few language components
(:mod:`ssmproof.lang.factored`) and configuration coordinates, and checks

1. **initiation**: the state after BOS (the language's start, the machine's configuration after
   BOS) is in I and its decisions are right;
2. **consecution**: for every symbol σ and every group G, every joint state x ∈ I (with the
   language state explored: live in predict mode) has step(x, σ)|_G in G's tuples — skipped
   when the language's state after σ is not explored (a dead prefix in predict mode);
3. **readout**: for every σ and x ∈ I as above, the decisions made while reading σ equal the
   labels of the language's state after σ (DESIGN §2, predict or recognize).

Together: by induction on the length, every explored prefix reaches a state in I (1, 2) and
every decision along it is right (1, 3) — for all lengths. Note that the readout is checked
on the transition, since a decision reads the current token as well as the updated states.

**Why checking locally is sound.** Each check is a function of x that reads only some
coordinates. A search fixes coordinates one at a time, taking values from the group tuples
still consistent with what is fixed (a coordinate shared by several groups takes only values
every one of them allows), and stops at a *leaf* where the check is decided. Every x ∈ I agrees
at some leaf with the fixed coordinates, and its unfixed coordinates lie in that leaf's
remaining tuples. What the check reads is then covered in one of two ways:

- language components are read through a getter that refuses unfixed ones (the search then
  branches on that component), so the language side is evaluated exactly;
- consecution of G reads the configuration only through the *dependency cone* of G's dims,
  computed from the compiled machine itself: with diagonal recurrences the next value of a
  state dim reads its own previous value, the lag buffers its gate/input/pre-MLP read, and
  nothing else of the configuration; MLP outputs of lower layers read their layer's updated
  states, recursively. Every cone coordinate is fixed at a leaf and the other coordinates are
  filled with arbitrary values, which cannot reach G's dims (they are not in the cone);
- the readout reads everything, so it is evaluated on a *box*: fixed coordinates as points, the
  others as the hull of their remaining tuples, through :func:`ssmproof.sim.interval.
  interval_decisions` (monotone rounding, exact ReLU and affine maps: an enclosure). A decision
  whose enclosure straddles 0 makes the search fix one more coordinate of the readout's cone.

So a check passing at every leaf passes for every x ∈ I. The independence the groups rely on
is never assumed: it is the dependency structure of the weights as compiled, and a group whose
next value reads an unfixed coordinate simply forces more branching (at worst, the product).

When a check fails at a leaf, the relation is not inductive there (or the construction is
wrong). The method then searches breadth-first from BOS for the shortest word after which the
SSM's decision is wrong (a counterexample, as ``prove`` gives, replayed by ``run``) or the
reached state is outside I (the relation does not hold; ``holds`` stays null and the word is
reported). If neither shows up within the budget, the failing leaf is reported.

Complexity: one leaf per combination of the values a check actually reads: for Dyck(K,H) about
H·2K·(H + 1)·K² consecution leaves and 2K·(H + 1)·K² readout leaves, instead of K^H states.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from ssmproof import __version__
from ssmproof.errors import SsmproofError
from ssmproof.lang import factored
from ssmproof.lang.automaton import DFA, Language
from ssmproof.lang.factored import Factored
from ssmproof.recipes import dyck
from ssmproof.numerics.formats import Format, NonFiniteValue, parse
from ssmproof.sim.gates import gate_class_from_values
from ssmproof.sim.interval import interval_decisions
from ssmproof.sim.machine import Machine
from ssmproof.ssm.jsonio import content_hash
from ssmproof.ssm.program import EOS, SSM, Mode
from ssmproof.ssm.relation import Relation
from ssmproof.verify.certificate import Certificate

__all__ = ["check", "relation_for", "factored_for", "METHOD", "SEARCH_BUDGET"]

METHOD = "invariant"
SEARCH_BUDGET = 200_000
"""Joint states the counterexample search visits after a failed local check."""

Assign = dict[str, Hashable]


class _Need(Exception):
    """A check read a coordinate the search has not fixed yet (internal: the search branches)."""

    def __init__(self, coord: str) -> None:
        super().__init__(coord)
        self.coord = coord


@dataclass
class _Stats:
    consecution: int = 0
    readout: int = 0
    failure: str | None = None
    leaf: Assign = field(default_factory=dict)
    adm: list = field(default_factory=list)
    symbol: int | None = None


def check(ssm: SSM, lang: Factored, relation: Relation, *, fmt: str | Format = "exact",
          mode: Mode | str | None = None, oracle: object = None,
          search_budget: int = SEARCH_BUDGET) -> Certificate:
    """Prove ``ssm`` against ``lang`` for all lengths with the inductive invariant ``relation``.

    Parameters
    ----------
    ssm : SSM
    lang : Factored
        The language by components (:mod:`ssmproof.lang.factored`).
    relation : Relation
    fmt : str or Format
    mode : Mode or str, optional
        Default: the construction's own mode. Recognize mode needs a complete language.
    oracle : Language, optional
        The language's own definition, used to re-check a counterexample word independently.
    search_budget : int
        Joint states the breadth-first counterexample search may visit after a failed check.

    Returns
    -------
    Certificate
        ``method: "invariant"``; ``holds`` True with ``all_lengths`` when every local check
        passed; False with the shortest counterexample found; None when the relation failed
        but no wrong decision was found (the reason and any word are in ``notes``).

    Examples
    --------
    >>> from ssmproof.lang.factored import bounded_dyck
    >>> from ssmproof.recipes import dyck
    >>> cert = check(dyck.clearing(2, 3), bounded_dyck(2, 3, dyck.alphabet(2)), dyck.relation(2, 3))
    >>> cert.holds, cert.all_lengths, cert.method
    (True, True, 'invariant')
    """
    fmt = parse(fmt) if isinstance(fmt, str) else fmt
    mode = Mode(mode or ssm.mode)
    if mode is Mode.RECOGNIZE and not lang.complete:
        raise SsmproofError(f"{lang.name}: recognize mode needs the language's dead states; "
                            "give a complete factored language (e.g. from_dfa(dfa, complete=True))")
    t0 = time.perf_counter()
    checker = _Checker(Machine(ssm, fmt), lang, relation, mode)
    stats = checker.run()
    holds: bool | None = stats.failure is None
    notes: list[str] = []
    counterexample = wrong = None
    if not holds:
        found = checker.replay_leaf(stats)
        holds, counterexample, wrong, why = found or checker.search(search_budget, oracle)
        notes.append(f"local check failed: {stats.failure}")
        notes.append(why)
    gate = gate_class_from_values(checker.gates)
    return Certificate(
        construction=content_hash(ssm), language=lang.name, mode=mode.value, format=str(fmt),
        method=METHOD, holds=holds, all_lengths=holds is True, max_length_checked=None,
        configurations=None, counterexample=counterexample, wrong_symbol=wrong,
        gate_class=gate.gate_class,
        gate_class_coverage=f"every gate value of every state in the relation; {gate.detail}",
        notes=tuple(notes), toolkit_version=__version__,
        wall_time_s=round(time.perf_counter() - t0, 3),
        extra={"state_dims": ssm.state_dims, "memory_bits": None, "invariant": {
            "relation": relation.name, "groups": len(relation.groups),
            "group_sizes": relation.sizes(), "consecution_checks": stats.consecution,
            "readout_checks": stats.readout, "local_checks": stats.consecution + stats.readout,
            "checked": ["initiation", "consecution per group and symbol",
                        "readout per symbol"]}})


_RELATIONS: dict[str, Callable[[dict], Relation]] = {
    "dyck-clearing": lambda p: dyck.relation(p["K"], p["H"], clear=True),
    "dyck-two-layer": lambda p: dyck.relation(p["K"], p["H"], clear=False),
}
"""Recipes that emit their own relation (metadata ``recipe`` → builder of its parameters)."""


def relation_for(ssm: SSM) -> Relation:
    """The relation a construction's recipe emits, or an error saying to pass one."""
    meta = dict(ssm.metadata or {})
    build = _RELATIONS.get(str(meta.get("recipe")))
    if build is None:
        raise SsmproofError(f"{ssm.name}: metadata.recipe: no relation is built in for recipe "
                            f"{meta.get('recipe')!r} (built in: {', '.join(_RELATIONS)}); pass "
                            "one with --invariant FILE")
    return build(dict(meta.get("parameters") or {}))


def factored_for(lang: Language, mode: Mode) -> Factored:
    """The language by components: Dyck by levels, any DFA as one component."""
    if type(lang).__name__ == "BoundedDyck" and mode is Mode.PREDICT:
        return factored.bounded_dyck(lang.k, lang.h, lang.alphabet, lang.name)  # type: ignore
    if isinstance(lang, DFA):
        return factored.from_dfa(lang, complete=mode is Mode.RECOGNIZE)
    if lang.regular:
        from ssmproof.lang import dfa as dfa_

        return factored.from_dfa(dfa_.from_language(lang), complete=mode is Mode.RECOGNIZE)
    raise SsmproofError(f"{lang.name} is not regular: the invariant method needs finitely "
                        "many language states")


class _Checker:
    def __init__(self, m: Machine, lang: Factored, rel: Relation, mode: Mode) -> None:
        self.m, self.lang, self.rel, self.mode = m, lang, rel, mode
        self.names = _config_names(m)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.gcoords = [g.coordinates for g in rel.groups]
        self._validate()
        self.groups_of: dict[str, list[tuple[int, int]]] = {}
        for gi, coords in enumerate(self.gcoords):
            for pos, c in enumerate(coords):
                self.groups_of.setdefault(c, []).append((gi, pos))
        self.cones, self.readout_cone = _cones(m)
        self.tokens = {a: m.token_ids([s])[0] for a, s in enumerate(lang.alphabet)}
        self.order = [self.lang.alphabet.index(s) for s in m.ssm.alphabet]
        self.filler = m.step(m.start(), 0)[0]
        self.gates: list[set] = [set() for _ in m.ssm.state_dims_list]
        self.step_memo: dict[tuple, tuple] = {}
        self.box_memo: dict[tuple, tuple] = {}

    def _validate(self) -> None:
        comps = set(self.lang.components)
        for g in self.rel.groups:
            for c in g.components:
                if c not in comps:
                    raise SsmproofError(f"relation: component '{c}' is not one of "
                                        f"{sorted(comps)} of {self.lang.name}")
            for d in g.dims:
                if d not in self.index:
                    raise SsmproofError(f"relation: dim '{d}' is not a configuration coordinate "
                                        f"of the SSM (states and prev: lag buffers)")
        covered = {c for coords in self.gcoords for c in coords}
        missing = [n for n in (*self.names, *(f"lang:{c}" for c in comps)) if n not in covered]
        if missing:
            raise SsmproofError(f"relation: '{missing[0]}' is in no group; every configuration "
                                "coordinate and language component needs one")

    # --- the search ---------------------------------------------------------------------------
    def run(self) -> _Stats:
        stats = _Stats()
        self.initiation(stats)
        root = self.fix({}, [sorted(g.tuples, key=repr) for g in self.rel.groups], None)
        if root is None or stats.failure:
            return stats
        for a in range(len(self.lang.alphabet)):
            for gi in range(len(self.rel.groups)):
                if not self.solve(*root, lambda x, adm: self.consecution(x, adm, a, gi), stats,
                                  "consecution"):
                    stats.symbol = a
                    return stats
            if not self.solve(*root, lambda x, adm: self.readout(x, adm, a), stats, "readout"):
                stats.symbol = a
                return stats
        return stats

    def initiation(self, stats: _Stats) -> None:
        config, decision = self.m.step(self.m.start(), 0)
        state = dict(zip(self.lang.components, self.lang.initial()))
        joint = {**{f"lang:{c}": v for c, v in state.items()},
                 **dict(zip(self.names, config))}
        out = [g for g, coords in zip(self.rel.groups, self.gcoords)
               if tuple(joint[c] for c in coords) not in g.tuples]
        if out:
            stats.failure = f"initiation: the state after BOS is not in the group {out[0].dims}"
        elif decision != self.labels(state.__getitem__):
            stats.failure = "initiation: the decisions after BOS are wrong"

    def fix(self, assign: Assign, adm: list[list[tuple]], coord: str | None,
            value: Hashable = None) -> tuple[Assign, list[list[tuple]]] | None:
        """Fix ``coord`` = ``value`` and propagate through groups left with one tuple."""
        assign, adm = dict(assign), list(adm)
        queue: list[tuple[str, Hashable]] = []
        if coord is not None:
            assign[coord] = value
            queue.append((coord, value))
        else:  # the root: groups that allow one tuple only
            for gi, rows in enumerate(adm):
                more = self._unit(assign, gi, rows[0]) if len(rows) == 1 else []
                if more is None or not rows:
                    return None
                queue += more
        while queue:
            c, v = queue.pop()
            for gi, pos in self.groups_of.get(c, ()):
                rows = [t for t in adm[gi] if t[pos] == v]
                if not rows:
                    return None
                if len(rows) < len(adm[gi]):
                    adm[gi] = rows
                    if len(rows) == 1:
                        more = self._unit(assign, gi, rows[0])
                        if more is None:
                            return None
                        queue += more
        return assign, adm

    def _unit(self, assign: Assign, gi: int, row: tuple) -> list[tuple[str, Hashable]] | None:
        out = []
        for c, v in zip(self.gcoords[gi], row):
            if c not in assign:
                assign[c] = v
                out.append((c, v))
            elif assign[c] != v:
                return None
        return out

    def solve(self, assign: Assign, adm: list[list[tuple]],
              leaf: Callable[[Assign, list[list[tuple]]], str | None], stats: _Stats,
              kind: str) -> bool:
        """Depth-first over the values of the coordinates ``leaf`` asks for; False on failure."""
        stack = [(assign, adm)]
        while stack:
            assign, adm = stack.pop()
            try:
                failure = leaf(assign, adm)
            except _Need as need:
                for v in self.values(adm, need.coord):
                    nxt = self.fix(assign, adm, need.coord, v)
                    if nxt is not None:
                        stack.append(nxt)
                continue
            setattr(stats, kind, getattr(stats, kind) + 1)
            if failure is not None:
                stats.failure, stats.leaf, stats.adm = failure, assign, adm
                return False
        return True

    def values(self, adm: list[list[tuple]], coord: str) -> list[Hashable]:
        sets = [{t[pos] for t in adm[gi]} for gi, pos in self.groups_of[coord]]
        return sorted(set.intersection(*sets), key=repr)

    def hull(self, adm: list[list[tuple]], coord: str) -> tuple:
        lo, hi = None, None
        for gi, pos in self.groups_of[coord]:
            vals = [t[pos] for t in adm[gi]]
            lo = min(vals) if lo is None else max(lo, min(vals))
            hi = max(vals) if hi is None else min(hi, max(vals))
        return lo, hi

    # --- the leaves ---------------------------------------------------------------------------
    def getter(self, assign: Assign) -> Callable[[str], Hashable]:
        def get(c: str) -> Hashable:
            key = f"lang:{c}"
            if key not in assign:
                raise _Need(key)
            return assign[key]
        return get

    def labels(self, get: Callable[[str], Hashable]) -> tuple[bool, ...]:
        if self.mode is Mode.RECOGNIZE:
            return (bool(self.lang.accepting(get)),)
        return (*(bool(self.lang.live_after(get, a)) for a in self.order),
                bool(self.lang.accepting(get)))

    def consecution(self, assign: Assign, adm: list[list[tuple]], a: int, gi: int) -> str | None:
        get = self.getter(assign)
        if not self.lang.live_after(get, a):
            return None
        group = self.rel.groups[gi]
        new_lang = tuple(self.lang.next_value(get, a, c) for c in group.components)
        cone = sorted({i for d in group.dims for i in self.cones[self.index[d]]})
        for i in cone:
            if self.names[i] not in assign:
                raise _Need(self.names[i])
        key = (a, gi, tuple(assign[self.names[i]] for i in cone))
        hit = self.step_memo.get(key)
        if hit is None:
            config = list(self.filler)
            for i in cone:
                config[i] = assign[self.names[i]]  # type: ignore[assignment]
            try:
                new, rec = self.m.trace_step(tuple(config), self.tokens[a])
            except NonFiniteValue as err:
                return f"{group.dims}: a value is not finite on {self.lang.alphabet[a]} ({err})"
            hit = tuple(new[self.index[d]] for d in group.dims)
            for d in group.dims:
                if d in rec.gates:
                    self.gates[self.m.ssm.state_dims_list.index(d)].add(rec.gates[d])
            self.step_memo[key] = hit
        if (*new_lang, *hit) in group.tuples:
            return None
        return (f"group {[*group.components, *group.dims]} on '{self.lang.alphabet[a]}' from "
                f"{_show(assign)}: goes to {[*new_lang, *map(str, hit)]}, not in the group")

    def readout(self, assign: Assign, adm: list[list[tuple]], a: int) -> str | None:
        get = self.getter(assign)
        if not self.lang.live_after(get, a):
            return None
        want = self.labels(lambda c: self.lang.next_value(get, a, c))
        box = tuple((assign[n], assign[n]) if n in assign else self.hull(adm, n)
                    for n in self.names)
        got = self.box_memo.get((a, box))
        if got is None:
            try:
                got = interval_decisions(self.m, box, self.tokens[a])[1]
            except NonFiniteValue as err:
                return f"readout on '{self.lang.alphabet[a]}': not finite ({err})"
            self.box_memo[(a, box)] = got
        if None in got:
            for i in sorted(self.readout_cone):
                name = self.names[i]
                if name not in assign and box[i][0] != box[i][1]:
                    raise _Need(name)
        if got != want:
            return (f"readout after '{self.lang.alphabet[a]}' from {_show(assign)}: decisions "
                    f"{got}, language {want}")
        return None

    # --- after a failure: a concrete word -----------------------------------------------------
    def replay_leaf(self, stats: _Stats
                    ) -> tuple[bool | None, tuple[str, ...] | None, str | None, str] | None:
        """Complete the failing leaf to one language state, reach it by the language's access
        word, and run that word and the failing symbol on the SSM; None if that shows nothing."""
        if self.lang.access is None or stats.symbol is None:
            return None
        assign, adm = stats.leaf, stats.adm
        for c in self.lang.components:
            key = f"lang:{c}"
            if key in assign:
                continue
            for v in self.values(adm, key):
                nxt = self.fix(assign, adm, key, v)
                if nxt is not None:
                    assign, adm = nxt
                    break
            else:
                return None
        target = tuple(assign[f"lang:{c}"] for c in self.lang.components)
        word = self.lang.access(target)
        if word is None:
            return None
        return self.run_word((*word, stats.symbol))

    def run_word(self, word: Sequence[int]
                 ) -> tuple[bool | None, tuple[str, ...] | None, str | None, str] | None:
        """Step the word; the first prefix with a wrong decision or a state outside I."""
        m, lang = self.m, self.lang
        state: tuple | None = lang.initial()
        config, dec = m.step(m.start(), 0)
        for t in range(len(word) + 1):
            if t:
                state = lang.step(state, word[t - 1])  # type: ignore[arg-type]
                if state is None:
                    return None
                try:
                    config, dec = m.step(config, self.tokens[word[t - 1]])
                except NonFiniteValue:
                    return False, self.spell(word[:t]), None, "a value is not finite"
            w = self.spell(word[:t])
            if dec != self.labels(dict(zip(lang.components, state)).__getitem__):
                return False, w, _wrong_symbol(self, dec, state), \
                    f"the SSM is wrong after [{' '.join(w)}] (replay with `run`)"
            if not self.inside(state, config):
                return None, None, None, (f"the relation does not hold after the word "
                                          f"[{' '.join(w)}]: fix the relation")
        return None

    def spell(self, word: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.lang.alphabet[a] for a in word)

    def search(self, budget: int, oracle: object
               ) -> tuple[bool | None, tuple[str, ...] | None, str | None, str]:
        """Breadth-first from BOS: the shortest word with a wrong decision or a state outside I."""
        m, lang = self.m, self.lang
        config, decision = m.step(m.start(), 0)
        start = (lang.initial(), config)
        if decision != self.labels(dict(zip(lang.components, start[0])).__getitem__):
            return False, (), _wrong_symbol(self, decision, start[0]), "the SSM is wrong on ε"
        seen, queue = {start}, deque([(start, ())])
        while queue and len(seen) < budget:
            (state, config), word = queue.popleft()
            for a in range(len(lang.alphabet)):
                nxt = lang.step(state, a)
                if nxt is None:
                    continue
                w = (*word, lang.alphabet[a])
                try:
                    c2, dec = m.step(config, self.tokens[a])
                except NonFiniteValue:
                    return False, w, None, "a value is not finite on this word"
                if dec != self.labels(dict(zip(lang.components, nxt)).__getitem__):
                    return False, w, _wrong_symbol(self, dec, nxt), \
                        f"the SSM is wrong after {' '.join(w)} (shortest; replay with `run`)"
                if not self.inside(nxt, c2):
                    return None, None, None, (f"the relation does not hold after the word "
                                              f"[{' '.join(w)}] (the SSM is right on every "
                                              "shorter word): fix the relation")
                if (nxt, c2) not in seen:
                    seen.add((nxt, c2))
                    queue.append(((nxt, c2), w))
        return None, None, None, (f"no wrong decision and no state outside the relation among "
                                  f"{len(seen)} reachable states (search budget {budget}); the "
                                  "failing local check may concern unreachable states only")

    def inside(self, state: tuple, config: tuple) -> bool:
        joint = {**{f"lang:{c}": v for c, v in zip(self.lang.components, state)},
                 **dict(zip(self.names, config))}
        return all(tuple(joint[c] for c in coords) in g.tuples
                   for g, coords in zip(self.rel.groups, self.gcoords))


def _wrong_symbol(ch: _Checker, decision: tuple, state: tuple) -> str | None:
    if ch.mode is Mode.RECOGNIZE:
        return None
    want = ch.labels(dict(zip(ch.lang.components, state)).__getitem__)
    symbols = (*ch.m.ssm.alphabet, EOS)
    return next(symbols[i] for i, (x, y) in enumerate(zip(want, decision)) if x != y)


def _show(assign: Assign) -> str:
    """The language components fixed at a leaf (the configuration follows from the relation)."""
    fixed = ", ".join(f"{k[5:]}={v}" for k, v in sorted(assign.items()) if k.startswith("lang:"))
    return "{" + fixed + "}"


def _config_names(m: Machine) -> tuple[str, ...]:
    states = [n for p in m.plans for n in p.state_names]
    lags = [m.reg_names[r] for p in m.plans for r in p.lag_dst]
    return tuple(states + lags)


def _cones(m: Machine) -> tuple[list[frozenset[int]], frozenset[int]]:
    """Per configuration coordinate, the coordinates its next value reads; and the readouts'.

    Mirrors :meth:`Machine._step` register by register: token embeddings read nothing, a lag
    destination reads its buffer, an affine output reads the union of its inputs, a state reads
    itself and its gate and input registers; a lag buffer's next value is its source register.
    """
    deps: list[frozenset[int]] = [frozenset()] * m.nregs
    cones: list[frozenset[int]] = []
    lag_cones: list[frozenset[int]] = []
    pos, lagpos = 0, sum(len(p.state_regs) for p in m.plans)

    def affine(op: Sequence) -> None:
        for out, pairs, _ in op:
            deps[out] = frozenset(itertools.chain.from_iterable(deps[i] for i, _ in pairs))

    for plan in m.plans:
        for src, dst in zip(plan.lag_src, plan.lag_dst):
            deps[dst] = frozenset({lagpos})
            lag_cones.append(deps[src])
            lagpos += 1
        for op in plan.pre:
            affine(op)
        affine(plan.gate)
        affine(plan.inp)
        for k, ((greg, _, _), (ireg, _, _), sreg) in enumerate(
                zip(plan.gate, plan.inp, plan.state_regs)):
            deps[sreg] = frozenset({pos + k}) | deps[greg] | deps[ireg]
            cones.append(deps[sreg])
        pos += len(plan.state_regs)
        for op in plan.mlp:
            affine(op)
    readout = frozenset(itertools.chain.from_iterable(deps[i] for _, pairs, _ in m.readouts
                                                      for i, _ in pairs))
    return cones + lag_cones, readout

