"""Re-check an ``invariant`` certificate: is the relation inductive, and are the decisions right?

The certificate's claim (``verify --invariant``, issue 13) rests on a relation R between the
language's components and the SSM's configuration coordinates, given as groups of allowed value
tuples (``ssmproof-relation/1``). The checker reads R itself and re-checks, from the files alone:

1. **initiation**: the language's start and the configuration after BOS are in R, and the
   decisions after BOS are right;
2. **consecution**: for every symbol σ and group G, every x ∈ R whose language state survives σ
   steps to a state whose G-coordinates form one of G's tuples;
3. **readout**: for every σ and such x, the decisions made while reading σ are the language's.

Each check reads few coordinates, so it is decided on *partial* assignments built by choosing
whole tuples of groups (a join; the search asks for a group only when the check reads one of its
coordinates): language components through a reader that refuses unassigned ones; the
configuration through the *cone* of G's dims (:func:`ssmproof.check.boxes.cones`, from the model
file) for consecution, other coordinates holding the post-BOS values, which the cone never reads;
and for the readout on a box (:func:`ssmproof.check.boxes.box_decisions`) whose unassigned
coordinates span the values their groups still allow, fixing a further group only where a
decision is undecided (under ``int:P``, whose wrap-around is not monotone, every coordinate a check
reads is fixed first: points only). Every x ∈ R agrees with some leaf, so a check passing at every leaf passes
on all of R — by induction every word's prefixes are judged right, for all lengths.

A failed check becomes a word: the failing leaf completed to a language state and reached by its
access word, else a breadth-first search from BOS for the first wrong decision or the first
state outside R. Languages: ``dyck:K,H`` by levels (``depth``, ``top[ℓ]``: the type open at level
ℓ or ``-``, from DESIGN §1), any other regular spec as one component ``q`` (the index of the
checker's DFA state: a table's states as written, its sink last).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from ssmproof.check.automaton import Dfa
from ssmproof.check.boxes import BoxStep, Span, box_step, cones, coordinate_names
from ssmproof.check.inputs import BadInput
from ssmproof.check.model import EOS, Model
from ssmproof.check.numbers import Num, Overflow
from ssmproof.check.relation import Relation

__all__ = ["Levels", "OneState", "Outcome", "recheck",
           "dyck_levels"]

Get = Callable[[str], Hashable]
NONE = "-"


class Levels:
    """``dyck:K,H`` by levels; symbol 2t opens type t, 2t + 1 closes it (DESIGN §1).

    ``complete`` (recognize mode) adds ``failed``: a symbol that is not allowed leads to the one
    dead state (failed 1, depth 0, every level ``-``), which every symbol keeps."""

    def __init__(self, k: int, h: int, alphabet: tuple[str, ...], *, complete: bool = False
                 ) -> None:
        self.h, self.alphabet, self.complete = h, alphabet, complete
        tops = tuple(f"top[{lv}]" for lv in range(1, h + 1))
        self.components = ("failed",) * complete + ("depth", *tops)
        self.start = {"failed": 0, "depth": 0, **{c: NONE for c in tops}}
        self.dead = {"failed": 1, "depth": 0, **{c: NONE for c in tops}}
        if not complete:
            del self.start["failed"], self.dead["failed"]

    def allowed(self, get: Get, a: int) -> bool:
        t, closing = divmod(a, 2)
        d = get("depth")
        return d >= 1 and get(f"top[{d}]") == t if closing else d < self.h  # type: ignore

    def live(self, get: Get, a: int) -> bool:
        return self.complete or self.allowed(get, a)

    def next(self, get: Get, a: int, c: str) -> Hashable:
        if self.complete and (get("failed") or not self.allowed(get, a)):
            return self.dead[c]
        t, closing = divmod(a, 2)
        d: int = get("depth")  # type: ignore[assignment]
        if c in ("depth", "failed"):
            return (d - 1 if closing else d + 1) if c == "depth" else 0
        changed = d if closing else d + 1
        return (NONE if closing else t) if c == f"top[{changed}]" else get(c)

    def accepting(self, get: Get) -> bool:
        return get("depth") == 0 and not (self.complete and get("failed"))

    def access(self, state: dict[str, Hashable]) -> tuple[int, ...] | None:
        if state.get("failed"):
            return (1,)  # a closing bracket first
        tops = [state[f"top[{lv}]"] for lv in range(1, state["depth"] + 1)]  # type: ignore
        return tuple(2 * t for t in tops) if all(isinstance(t, int) for t in tops) else None


class OneState:
    """Any DFA as one component ``q``; predict mode explores live states only."""

    def __init__(self, dfa: Dfa, predict: bool) -> None:
        self.dfa, self.alphabet, self.components = dfa, dfa.alphabet, ("q",)
        self.start = {"q": dfa.start}
        self.explored = dfa.live if predict else frozenset(range(len(dfa.delta)))

    def live(self, get: Get, a: int) -> bool:
        return self.dfa.delta[get("q")][a] in self.explored  # type: ignore[index]

    def next(self, get: Get, a: int, c: str) -> Hashable:
        return self.dfa.delta[get("q")][a]  # type: ignore[index]

    def accepting(self, get: Get) -> bool:
        return get("q") in self.dfa.accepting

    def access(self, state: dict[str, Hashable]) -> tuple[int, ...] | None:
        words, frontier = {self.dfa.start: ()}, [self.dfa.start]
        while frontier:
            frontier = [_visit(words, q, a, r) for q in frontier
                        for a, r in enumerate(self.dfa.delta[q]) if r not in words]
        return words.get(state["q"])  # type: ignore[arg-type]


def _visit(words: dict, q: int, a: int, r: int) -> int:
    words[r] = (*words[q], a)
    return r


class _Need(Exception):
    def __init__(self, coord: str) -> None:
        self.coord = coord


@dataclass
class Outcome:
    """What the re-check found: ``failure`` (None: every local check passed), and a word."""

    leaves: int = 0
    failure: str | None = None
    word: tuple[str, ...] | None = None
    wrong: frozenset[str] = frozenset()
    outside: bool = False  # the word leaves R with every decision right
    gates: set[Num] = field(default_factory=set)  # every gate value of R's states (and BOS)
    replayed: tuple[int, frozenset[str]] | None = None  # the claimed word's first wrong prefix
    checked: list[str] = field(default_factory=list)


class _Recheck:
    def __init__(self, model: Model, lang: Levels | OneState, rel: Relation, predict: bool,
                 path: str, points: bool = False) -> None:
        self.m, self.lang, self.rel, self.predict = model, lang, rel, predict
        self.points = points  # int:P wraps: no enclosure, every coordinate a check reads fixed
        self.names = coordinate_names(model)
        self.where: dict[str, list[int]] = {}
        for i, n in enumerate(self.names):
            self.where.setdefault(n, []).append(i)
        self.groups_of: dict[str, list[int]] = {}
        for gi, coords in enumerate(rel.coords):
            for c in coords:
                if c.startswith("lang:") and c[5:] not in lang.components or \
                        not c.startswith("lang:") and c not in self.where:
                    raise BadInput(path, f"groups[{gi}]", f"'{c}' is neither a component of "
                                   f"{list(lang.components)} nor a configuration coordinate",
                                   "name states, prev:<dim> buffers and language components")
                self.groups_of.setdefault(c, []).append(gi)
        missing = [c for c in (*self.where, *(f"lang:{c}" for c in lang.components))
                   if c not in self.groups_of]
        if missing:
            raise BadInput(path, "groups", f"'{missing[0]}' is in no group",
                           "constrain every configuration coordinate and language component")
        _, self.readout_cone, self.drive_cone = cones(model)
        self.gates: set[Num] = set()  # every gate value a passing consecution step used
        tok = {s: i + 1 for i, s in enumerate(model.alphabet)}
        self.token = tuple(tok[s] for s in lang.alphabet)
        self.filler, _ = model.step(model.start(), 0)
        self.memo: dict[tuple, Any] = {}
        self.out = Outcome()

    # --- partial assignments ---------------------------------------------------------------
    def rows(self, gi: int, assign: dict[str, Hashable]) -> list[tuple[Hashable, ...]]:
        coords = self.rel.coords[gi]
        key = ("rows", gi, tuple(assign.get(c, _FREE) for c in coords))
        hit = self.memo.get(key)
        if hit is None:
            fixed = [(i, assign[c]) for i, c in enumerate(coords) if c in assign]
            hit = sorted((t for t in self.rel.tuples[gi] if all(t[i] == v for i, v in fixed)),
                         key=repr)  # a fixed order: the same leaf fails first in every run
            self.memo[key] = hit
        return hit

    def hull(self, c: str, assign: dict[str, Hashable]) -> tuple[Any, Any]:
        lo = hi = None
        for gi in self.groups_of[c]:
            pos = self.rel.coords[gi].index(c)
            vals = [t[pos] for t in self.rows(gi, assign)]
            lo = min(vals) if lo is None else max(lo, min(vals))
            hi = max(vals) if hi is None else min(hi, max(vals))
        return lo, hi

    def search(self, check: Callable[[dict[str, Hashable]], str | None]
               ) -> tuple[str, dict[str, Hashable]] | None:
        """Depth-first over tuples of the groups a check reads; the first failing leaf."""
        stack: list[dict[str, Hashable]] = [{}]
        while stack:
            assign = stack.pop()
            try:
                failure = check(assign)
            except _Need as need:
                gi = min(self.groups_of[need.coord], key=lambda g: len(self.rows(g, assign)))
                for t in self.rows(gi, assign):
                    new = {**assign, **dict(zip(self.rel.coords[gi], t))}
                    fresh = {c for c in self.rel.coords[gi] if c not in assign}
                    near = {g for c in fresh for g in self.groups_of[c]} - {gi}
                    if all(self.rows(g, new) for g in near):
                        stack.append(new)
                continue
            self.out.leaves += 1
            if failure is not None:
                return failure, assign
        return None

    def reader(self, assign: dict[str, Hashable]) -> Get:
        def get(c: str) -> Hashable:
            if f"lang:{c}" not in assign:
                raise _Need(f"lang:{c}")
            return assign[f"lang:{c}"]
        return get

    def labels(self, get: Get) -> dict[str, bool]:
        if not self.predict:
            return {"accept": bool(self.lang.accepting(get))}
        out = {s: bool(self.lang.live(get, b)) for b, s in enumerate(self.lang.alphabet)}
        out[EOS] = bool(self.lang.accepting(get))
        return out

    def fixed(self, cone: frozenset[int], assign: dict[str, Hashable]) -> dict[int, Hashable]:
        for i in sorted(cone):
            if self.names[i] not in assign:
                raise _Need(self.names[i])
        return {i: assign[self.names[i]] for i in cone}

    # --- the three checks ------------------------------------------------------------------
    def box(self, coords: frozenset[int] | range, assign: dict[str, Hashable]) -> list[Span]:
        """Post-BOS points, with ``coords`` as their value or the hull of their values left."""
        box = [(v, v) for v in self.filler]
        for i in coords:
            n = self.names[i]
            box[i] = (assign[n], assign[n]) if n in assign else self.hull(n, assign)
        return box

    def split(self, deps: frozenset[int], assign: dict[str, Hashable]) -> None:
        """Ask for the unfixed coordinate with the most values left among those an undecided
        enclosure reads (the widest spread is where fixing values narrows it most)."""
        loose = [self.names[i] for i in sorted(deps) if self.names[i] not in assign]
        if loose:
            raise _Need(max(loose, key=lambda n: min(len(self.rows(g, assign))
                                                     for g in self.groups_of[n])))

    def drive(self, a: int, cone: frozenset[int], assign: dict[str, Hashable]) -> BoxStep:
        box = self.box(cone, assign)
        key = ("drive", a, tuple(box[i] for i in sorted(cone)))
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = box_step(self.m, box, self.token[a])
        return hit

    def consecution(self, a: int, gi: int) -> Callable[[dict[str, Hashable]], str | None]:
        """G's dims move by h' = rnd(rnd(a·h) + b) with (a, b) read from the drive cone only:
        once the drive is a point on the box, every tuple of G left here steps exactly."""
        coords, nc = self.rel.coords[gi], self.rel.ncomponents[gi]
        dims = [self.where[d][0] for d in coords[nc:]]
        cone = frozenset().union(*(self.drive_cone[i] for i in dims))
        rnd, where = self.m.arith.rnd, f"on '{self.lang.alphabet[a]}' from "

        def check(assign: dict[str, Hashable]) -> str | None:
            get = self.reader(assign)
            if not self.lang.live(get, a):
                return None
            lang_next = tuple(self.lang.next(get, a, c[5:]) for c in coords[:nc])
            self.fixed(cone if self.points else cone.intersection(dims), assign)  # (or: a
            # group over several layers, whose upper dims' drive reads its lower dims)
            try:
                step = self.drive(a, cone, assign)
                moving = [i for i in dims if step.drive[i][1][0] != step.drive[i][1][1] or
                          (step.drive[i][0] or (0, 0))[0] != (step.drive[i][0] or (0, 0))[1]]
                if moving:
                    self.split(frozenset().union(*(step.drive_deps[i] for i in moving)), assign)
                    return f"{where}{_show(assign)}: the drive of {coords} is not a point"
                for row in {t[nc:] for t in self.rows(gi, assign)}:
                    got = (*lang_next, *self.move(step, dims, row))
                    if got not in self.rel.tuples[gi]:
                        return (f"consecution of group {list(coords)} {where}{_show(assign)}"
                                f" and {[str(v) for v in row]}: goes to "
                                f"{[str(v) for v in got]}, not one of its tuples")
            except Overflow as err:
                self.split(cone, assign)
                return f"{where}{_show(assign)}: {err}"
            return None
        return check

    def move(self, step: BoxStep, dims: list[int], row: tuple[Hashable, ...]) -> list[Num]:
        """G's dims from ``row`` after one step whose drive is a point."""
        rnd, new = self.m.arith.rnd, []
        for i, h in zip(dims, row):
            gate, (b, _) = step.drive[i]
            new.append(b if gate is None else rnd(rnd(gate[0] * h) + b))  # type: ignore
            if gate is not None:
                self.gates.add(gate[0])
        return new

    def readout(self, a: int) -> Callable[[dict[str, Hashable]], str | None]:
        def check(assign: dict[str, Hashable]) -> str | None:
            get = self.reader(assign)
            if not self.lang.live(get, a):
                return None
            want = self.labels(lambda c: self.lang.next(get, a, c))
            if self.points:
                self.fixed(self.readout_cone, assign)
            try:
                decided = box_step(self.m, self.box(self.readout_cone, assign),
                                   self.token[a])
            except Overflow as err:
                self.split(self.readout_cone, assign)
                return f"readout on '{self.lang.alphabet[a]}' from {_show(assign)}: {err}"
            self.split(decided.decision_deps, assign)
            got = dict(zip(self.m.readout_names, decided.decisions))
            wrong = sorted(s for s in want if want[s] != got[s])
            if not wrong:
                return None
            return (f"readout on '{self.lang.alphabet[a]}' from {_show(assign)}: wrong for "
                    f"{', '.join(wrong)}")
        return check

    def initiation(self) -> str | None:
        config, decision = self.m.step(self.m.start(), 0)
        bos = box_step(self.m, [(v, v) for v in self.m.start()], 0)
        self.gates.update(gate[0] for gate, _ in bos.drive if gate is not None)
        state = dict(self.lang.start)
        if not self.inside(state, config):
            return "initiation: the state after BOS is not in the relation"
        got = dict(zip(self.m.readout_names, decision))
        if got != self.labels(state.__getitem__):
            return "initiation: the decisions after BOS are wrong"
        return None

    def inside(self, state: dict[str, Hashable], config: tuple) -> bool:
        joint = {f"lang:{c}": v for c, v in state.items()}
        joint.update({n: config[i] for n, idx in self.where.items() for i in idx[:1]})
        return all(tuple(joint[c] for c in coords) in ts
                   for coords, ts in zip(self.rel.coords, self.rel.tuples))


_FREE = object()


def _show(assign: dict[str, Hashable]) -> str:
    return "{" + ", ".join(f"{k[5:]}={v}" for k, v in sorted(assign.items(), key=str)
                           if k.startswith("lang:")) + "}"


def recheck(model: Model, lang: Levels | OneState, rel: Relation, *, predict: bool,
            path: str, budget: int = 200_000, claimed: list[str] | None = None,
            points: bool = False) -> Outcome:
    """Run initiation, then consecution and readout per symbol; on a failure, find a word,
    and replay the ``claimed`` counterexample (a certificate's) on the model and language.

    ``points``: decide every check on points only, every coordinate it reads fixed (``int:P``:
    wrap-around is not monotone, so an interval's rounded ends enclose nothing)."""
    r = _Recheck(model, lang, rel, predict, path, points)
    failure, leaf, symbol = r.initiation(), {}, None
    for a in range(len(lang.alphabet)):
        if failure:
            break
        for check in (*(r.consecution(a, g) for g in range(len(rel.coords))), r.readout(a)):
            found = r.search(check)
            if found:
                (failure, leaf), symbol = found, a
                break
    r.out.failure, r.out.gates = failure, r.gates
    r.out.checked = ["initiation", f"consecution of {len(rel.coords)} groups on each of "
                     f"{len(lang.alphabet)} symbols", "readout on each symbol",
                     f"{r.out.leaves} local leaves"]
    if failure is not None:
        _find_word(r, leaf, symbol, budget)
    if claimed is not None and all(x in lang.alphabet for x in claimed):
        r.out.replayed = _first_wrong(r, tuple(lang.alphabet.index(x) for x in claimed))
    return r.out


def _first_wrong(r: _Recheck, word: tuple[int, ...]) -> tuple[int, frozenset[str]] | None:
    """The shortest prefix of ``word`` with a wrong decision, and what is wrong; None when
    every decision is right (or, predicting, the word leaves the prefixes of L first)."""
    state, (config, dec) = dict(r.lang.start), r.m.step(r.m.start(), 0)
    for t in range(len(word) + 1):
        if t:
            if not r.lang.live(state.__getitem__, word[t - 1]):
                return None
            state = {c: r.lang.next(state.__getitem__, word[t - 1], c)
                     for c in r.lang.components}
            try:
                config, dec = r.m.step(config, r.token[word[t - 1]])
            except Overflow:
                return t, frozenset({"overflow"})
        want, got = r.labels(state.__getitem__), dict(zip(r.m.readout_names, dec))
        wrong = frozenset(s for s in want if want[s] != got[s])
        if wrong:
            return t, wrong
    return None


def _complete(r: _Recheck, leaf: dict[str, Hashable]) -> dict[str, Hashable] | None:
    assign = dict(leaf)
    for c in r.lang.components:
        if f"lang:{c}" in assign:
            continue
        gi = r.groups_of[f"lang:{c}"][0]
        rows = r.rows(gi, assign)
        if not rows:
            return None
        assign.update(zip(r.rel.coords[gi], rows[0]))
    return {c: assign[f"lang:{c}"] for c in r.lang.components}


def _find_word(r: _Recheck, leaf: dict[str, Hashable], symbol: int | None, budget: int) -> None:
    state = _complete(r, leaf) if symbol is not None else None
    access = r.lang.access(state) if state is not None else None
    if access is not None and _judge_word(r, (*access, symbol)):  # type: ignore[arg-type]
        return
    _breadth_first(r, budget)


def _judge_word(r: _Recheck, word: tuple[int, ...]) -> bool:
    """Run ``word``; record the first prefix judged wrong or leaving R. True if one was found."""
    state, (config, dec) = dict(r.lang.start), r.m.step(r.m.start(), 0)
    for t in range(len(word) + 1):
        if t:
            get = state.__getitem__
            if not r.lang.live(get, word[t - 1]):
                return False
            state = {c: r.lang.next(get, word[t - 1], c) for c in r.lang.components}
            try:
                config, dec = r.m.step(config, r.token[word[t - 1]])
            except Overflow:
                return _record(r, word[:t], frozenset({"overflow"}))
        if _verdict(r, state, config, dec, word[:t]):
            return True
    return False


def _verdict(r: _Recheck, state: dict, config: tuple, dec: tuple, word: tuple[int, ...]) -> bool:
    want, got = r.labels(state.__getitem__), dict(zip(r.m.readout_names, dec))
    wrong = frozenset(s for s in want if want[s] != got[s])
    if wrong:
        return _record(r, word, wrong)
    if not r.inside(state, config):
        r.out.outside = True
        return _record(r, word, frozenset())
    return False


def _record(r: _Recheck, word: tuple[int, ...], wrong: frozenset[str]) -> bool:
    r.out.word, r.out.wrong = tuple(r.lang.alphabet[a] for a in word), wrong
    return True


def _breadth_first(r: _Recheck, budget: int) -> None:
    config, dec = r.m.step(r.m.start(), 0)
    start = dict(r.lang.start)
    if _verdict(r, start, config, dec, ()):
        return
    key = (tuple(start.values()), config)
    seen, queue = {key}, deque([(start, config, ())])
    while queue and len(seen) < budget:
        state, config, word = queue.popleft()
        for a in range(len(r.lang.alphabet)):
            if not r.lang.live(state.__getitem__, a):
                continue
            nxt = {c: r.lang.next(state.__getitem__, a, c) for c in r.lang.components}
            try:
                c2, dec = r.m.step(config, r.token[a])
            except Overflow:
                _record(r, (*word, a), frozenset({"overflow"}))
                return
            if _verdict(r, nxt, c2, dec, (*word, a)):
                return
            key = (tuple(nxt.values()), c2)
            if key not in seen:
                seen.add(key)
                queue.append((nxt, c2, (*word, a)))


def dyck_levels(spec: str) -> tuple[int, int] | None:
    """(K, H) when the spec text is the zoo name ``dyck:K,H``."""
    m = re.fullmatch(r"\s*dyck\s*:\s*([0-9]+)\s*,\s*([0-9]+)\s*", spec)
    return (int(m.group(1)), int(m.group(2))) if m else None

