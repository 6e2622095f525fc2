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
remaining tuples (a leaf may also keep only part of a coordinate's values: a *split*, below).
What the check reads is then covered in one of these ways:

- language components are read through a getter that refuses unfixed ones (the search then
  branches on that component), so the language side is evaluated exactly;
- consecution of G reads the configuration only through the *dependency cone* of G's dims,
  computed from the compiled machine itself: with diagonal recurrences the next value of a
  state dim is ``rnd(rnd(a·h) + b)`` where the gate a and input b read only what the layer's
  gate/input/pre-MLP read (never h itself), and a lag buffer's next value is its source. Other
  coordinates are filled with arbitrary values, which cannot reach G's dims. When every cone
  coordinate is fixed, the machine's own step decides. Otherwise the *drive* of G (every gate
  and input of its dims, every lag source) is evaluated on a *box* — fixed coordinates as
  points, the others as the range of their remaining values — in affine forms
  (:mod:`ssmproof.sim.affine`: an enclosure that keeps exact cancellations, e.g. of the ramps of
  an indicator). If the drive is a point on the box, every joint state at the leaf steps G's
  dims by that one (a, b): each tuple of G still allowed is mapped and must land in G. If not,
  the search splits along a coordinate the undecided drive can depend on (the forms track it);
- the readout reads everything, so it is evaluated on the box in the same way; a decision whose
  enclosure straddles 0 makes the search split along a coordinate it depends on.

A split keeps, in two children, the lower and the upper half of a coordinate's remaining values
(or one child per value when there are at most :data:`SPLIT`); every joint state at the parent
is in one child. Enclosures need real weights and monotone rounding (DESIGN §3): with complex
weights or ``int:P`` the search fixes every coordinate it reads, as ``prove`` would.

So a check passing at every leaf passes for every x ∈ I. The independence the groups rely on
is never assumed: it is the dependency structure of the weights as compiled, and a group whose
next value reads an unfixed coordinate simply forces more branching (at worst, the product).

When a check fails at a leaf, the relation is not inductive there (or the construction is
wrong). The leaf is completed to a language state, reached by the language's access word and
run; failing that, the method searches breadth-first from BOS for the shortest word after which
the SSM's decision is wrong (a counterexample, as ``prove`` gives, replayed by ``run``) or the
reached state is outside I. From such a word it searches on for a wrong decision (the word is
then a counterexample, not the shortest); without one ``holds`` stays null and the word where I
failed is reported. If neither shows up within the budget, the failing leaf is reported.

Complexity: one leaf per combination of the values a check actually reads: for Dyck(K,H) about
H·2K·(H + 1)·K² consecution leaves and 2K·(H + 1)·K² readout leaves, instead of K^H states.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from ssmproof import __version__, atomic
from ssmproof.compiler import cascade_relation
from ssmproof.errors import CompileError, SsmproofError
from ssmproof.lang import factored
from ssmproof.lang.automaton import DFA, Language
from ssmproof.lang.factored import Factored
from ssmproof.recipes import dyck, flipflop
from ssmproof.verify import relation_names
from ssmproof.numerics.formats import Format, NonFiniteValue, parse
from ssmproof.sim.gates import GateClass, gate_class_from_values
from ssmproof.sim import affine
from ssmproof.sim.machine import Machine
from ssmproof.ssm.jsonio import content_hash
from ssmproof.ssm.program import EOS, SSM, Mode, refuse_smooth
from ssmproof.ssm import relation as relation_file
from ssmproof.ssm.relation import Relation
from ssmproof.verify.certificate import Certificate, Method

__all__ = ["check", "from_files", "relation_for", "factored_for", "METHOD", "SEARCH_BUDGET"]

METHOD = Method.INVARIANT.value
SEARCH_BUDGET = 200_000
"""Joint states the counterexample search visits after a failed local check."""
SPLIT = 4
"""A configuration coordinate with more values left than this is split in halves, not values."""

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
    vacuous: bool = False


def check(ssm: SSM, lang: Factored, relation: Relation, *, fmt: str | Format = "exact",
          mode: Mode | str | None = None, oracle: Language | None = None,
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
    >>> from ssmproof.recipes import dyck, flipflop
    >>> cert = check(dyck.clearing(2, 3), bounded_dyck(2, 3, dyck.alphabet(2)), dyck.relation(2, 3))
    >>> cert.holds, cert.all_lengths, cert.method.value
    (True, True, 'invariant')
    """
    refuse_smooth(ssm, "the inductive-invariant proof")
    relation = relation_names.resolve(relation, lang)
    fmt = parse(fmt) if isinstance(fmt, str) else fmt
    mode = Mode(mode or ssm.mode)
    if mode is Mode.RECOGNIZE and not lang.complete:
        raise SsmproofError(f"{lang.name}: recognize mode needs the language's dead states; "
                            "give a complete factored language (e.g. from_dfa(dfa, complete=True))")
    t0 = time.perf_counter()
    checker = _Checker(Machine(ssm, fmt), lang, relation, mode)
    stats = checker.run()
    holds: bool | None = stats.failure is None
    notes: list[str] = ["the language is empty: no prefix of a word of it to judge (as "
                        "prove, which explores nothing)"] if stats.vacuous else []
    counterexample = wrong = None
    if not holds:
        found = checker.replay_leaf(stats)
        holds, counterexample, wrong, why = found or checker.search(search_budget, oracle)
        notes.append(f"local check failed: {stats.failure}")
        notes.append(why)
    gate = gate_class_from_values(checker.gates)
    return Certificate(
        construction=content_hash(ssm), language=lang.name, mode=mode, format=str(fmt),
        method=Method.INVARIANT, holds=holds, all_lengths=holds is True, max_length_checked=None,
        configurations=None, counterexample=counterexample, wrong_symbol=wrong,
        gate_class=GateClass(gate.gate_class),
        gate_class_coverage=f"every gate value of every state in the relation; {gate.detail}",
        notes=tuple(notes), toolkit_version=__version__,
        wall_time_s=round(time.perf_counter() - t0, 3),
        extra={"state_dims": ssm.state_dims, "memory_bits": None, "invariant": {
            "relation": relation.name, "groups": len(relation.groups),
            "group_sizes": relation.sizes(), "consecution_checks": stats.consecution,
            "readout_checks": stats.readout, "local_checks": stats.consecution + stats.readout,
            "checked": ["initiation", "consecution per group and symbol",
                        "readout per symbol"]}})


Builder = Callable[[SSM, dict, Factored, Format], Relation]
"""A recipe's relation from the construction, its parameters, the language and the format."""


def from_files(ssm: SSM, lang: Language, *, against: str, relation_path: str | None = None,
               fmt: str = "exact", mode: Mode | str | None = None,
               write_to: str | None = None) -> tuple[Certificate, Relation]:
    """``verify --invariant``: the relation file at ``relation_path`` (or the recipe's own)
    checked against the language the spec text ``against`` names; the relation is written to
    ``write_to``, named in the spec's terms, when given. Returns the certificate and the
    relation named in the spec's terms (``/2``, which the independent checker re-reads against
    its own parse of the spec), or in internal values where the language cannot name its
    states."""
    from ssmproof.lang import spec as specs  # keeps start-up light: the spec loader

    mode = Mode(mode or ssm.mode)
    rel = None
    if relation_path:
        try:
            with open(relation_path, encoding="utf-8") as f:
                text = f.read()
        except OSError as err:
            raise SsmproofError(f"{relation_path}: cannot read ({err.strerror})") from None
        rel = relation_file.from_json(text, relation_path)
    spec = specs.resolve(against)
    table = spec.states if spec.kind is specs.SpecKind.TABLE else None
    factored = factored_for(lang, mode, relation=rel, table_states=table, ssm=ssm)
    if rel is None:
        rel = relation_for(ssm, factored, fmt)
    else:
        rel = relation_names.resolve(rel, factored, relation_path or "relation")
    cert = check(ssm, factored, rel, fmt=fmt, mode=mode, oracle=lang)
    # named once, for the file and for the checker's hand-over (named() refuses a language that
    # cannot name its states, which only --write-relation needs)
    named = relation_names.named(rel, factored) if write_to or factored.to_name else rel
    if write_to:
        atomic.write_text(write_to, relation_file.to_json(named))
    return cert, named


def _dyck_recognizer(ssm: SSM, p: dict, lang: Factored, fmt: Format) -> Relation:
    return dyck.recognizer_relation(p["K"], p["H"], fmt)


def _flipflop(recipe: str) -> Builder:
    def build(ssm: SSM, p: dict, lang: Factored, fmt: Format) -> Relation:
        def index(name: str) -> Hashable:
            word = flipflop.WORDS[name]
            if lang.from_name is None:
                raise SsmproofError(f"{recipe}: its relation is per state of the flip-flop DFA; "
                                    f"check it against the language flipflop")
            try:
                value = lang.from_name("q", word)
            except ValueError as err:
                raise SsmproofError(f"{recipe}: its relation names flip-flop states by words; "
                                    f"against {lang.name}: {err}") from None
            if value is None:
                raise SsmproofError(f"{recipe}: the word {list(word)} leads {lang.name} to a "
                                    "dead state; check it against the language flipflop")
            return value

        return flipflop.relation(recipe, index, sink=lang.complete)
    return build


def _starfree(ssm: SSM, p: dict, lang: Factored, fmt: Format) -> Relation:
    """One row per reachable cascade configuration (:mod:`ssmproof.compiler.cascade_relation`)."""
    if lang.dfa is None:
        raise SsmproofError(f"{ssm.name}: its relation is per DFA state; read the language as "
                            "one component q (factored_for(..., ssm=ssm))")
    try:
        rel = cascade_relation.relation(ssm, lang.dfa, fmt)
    except CompileError as err:
        raise SsmproofError(f"{ssm.name}: {err}") from None
    return relation_names.resolve(rel, lang)


_RELATIONS: dict[str, Builder] = {
    "dyck-clearing": lambda ssm, p, lang, fmt: dyck.relation(p["K"], p["H"], clear=True),
    "dyck-two-layer": lambda ssm, p, lang, fmt: dyck.relation(p["K"], p["H"], clear=False),
    "dyck-recognizer": _dyck_recognizer,
    "flipflop-two-layer": _flipflop("flipflop-two-layer"),
    "flipflop-lag": _flipflop("flipflop-lag"),
    "flipflop-recognizer": _flipflop("flipflop-recognizer"),
    "starfree-cascade": _starfree,
}
"""Recipes that emit their own relation (metadata ``recipe`` → :data:`Builder`)."""


def relation_for(ssm: SSM, lang: Factored, fmt: str | Format = "exact") -> Relation:
    """The relation a construction's recipe emits, or an error saying to pass one."""
    meta = dict(ssm.metadata or {})
    build = _RELATIONS.get(str(meta.get("recipe")))
    if build is None:
        raise SsmproofError(f"{ssm.name}: metadata.recipe: no relation is built in for recipe "
                            f"{meta.get('recipe')!r} (built in: {', '.join(_RELATIONS)}); pass "
                            "one with --invariant FILE")
    return build(ssm, dict(meta.get("parameters") or {}), lang,
                 parse(fmt) if isinstance(fmt, str) else fmt)


def factored_for(lang: Language, mode: Mode, *, relation: Relation | None = None,
                 table_states: tuple[str, ...] | None = None, ssm: SSM | None = None) -> Factored:
    """The language by components: Dyck by levels, any DFA as one component ``q``.

    ``relation``: the relation to be checked, when given (its form decides the DFA: a named
    ``/2`` relation reads words in the table as written when ``table_states`` — the spec's
    ``states`` — is given, else in the minimal DFA; an older ``/1`` one in the DFA as loaded,
    whose indices it uses; a relation over ``q`` against ``dyck:K,H`` gets the DFA).
    ``ssm``: the construction, when no relation is given: a star-free cascade's relation is per
    DFA state, so ``dyck:K,H`` is then read as one component ``q`` too.
    """
    complete = mode is Mode.RECOGNIZE
    whole = any("q" in g.components for g in relation.groups) if relation is not None else (
        ssm is not None and (ssm.metadata or {}).get("recipe") == cascade_relation.RECIPE)
    if type(lang).__name__ == "BoundedDyck" and not whole:
        return factored.bounded_dyck(lang.k, lang.h, lang.alphabet, lang.name,  # type: ignore
                                     complete=complete)
    if not lang.regular:
        raise SsmproofError(f"{lang.name} is not regular: the invariant method needs finitely "
                            "many language states")
    from ssmproof.lang import dfa as dfa_

    dfa = lang if isinstance(lang, DFA) else dfa_.from_language(lang)
    if table_states is None and (relation is None or relation.named):
        minimal = dfa_.minimize(dfa)
        dfa = minimal if len(minimal.states) < len(dfa.states) else dfa
    return factored.from_dfa(dfa, complete=complete, table_states=table_states)


class _Checker:
    def __init__(self, m: Machine, lang: Factored, rel: Relation, mode: Mode) -> None:
        self.m, self.lang, self.rel, self.mode = m, lang, rel, mode
        self.names = affine.coordinates(m)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.gcoords = [g.coordinates for g in rel.groups]
        self._validate()
        self.groups_of: dict[str, list[tuple[int, int]]] = {}
        for gi, coords in enumerate(self.gcoords):
            for pos, c in enumerate(coords):
                self.groups_of.setdefault(c, []).append((gi, pos))
        self.cones, self.readout_cone, self.drives, self.next_regs = _cones(m)
        self.group_index = [tuple(self.index[d] for d in g.dims) for g in rel.groups]
        self.rnd = (lambda x: x) if m.exact else m.fmt.rnd
        self.needed: dict[tuple[int, ...], frozenset[int]] = {}
        self.readout_regs = affine.needed_for(m, [r for r, _, _ in m.readouts])
        self.boxes = not m.complex and m.fmt.monotone
        """Whether boxes may be evaluated (enclosures need real weights and monotone rounding)."""
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
        start = zip(self.lang.components, self.lang.initial())
        if not all(v in self.lang.domains[c] for c, v in start):
            stats.vacuous = True  # predict mode, L empty: no prefix of a word of L to judge
            return stats
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
        """Depth-first over the values of the coordinates ``leaf`` asks for; False on failure.

        A language component is split into its values; a configuration coordinate with more
        than :data:`SPLIT` values left is split into two halves of them (lower and upper), so a
        counter that matters only near a few values is not enumerated value by value.
        """
        stack = [(assign, adm)]
        while stack:
            assign, adm = stack.pop()
            try:
                failure = leaf(assign, adm)
            except _Need as need:
                values = self.values(adm, need.coord)
                if need.coord.startswith("lang:") or len(values) <= SPLIT:
                    parts = [[v] for v in values]
                else:
                    parts = [values[:len(values) // 2], values[len(values) // 2:]]
                for part in reversed(parts):
                    nxt = self.narrow(assign, adm, need.coord, part)
                    if nxt is not None:
                        stack.append(nxt)
                continue
            setattr(stats, kind, getattr(stats, kind) + 1)
            if failure is not None:
                stats.failure, stats.leaf, stats.adm = failure, assign, adm
                return False
        return True

    def narrow(self, assign: Assign, adm: list[list[tuple]], coord: str, part: list[Hashable]
               ) -> tuple[Assign, list[list[tuple]]] | None:
        """Keep only the tuples whose ``coord`` lies in ``part`` (fixing it when one value)."""
        if len(part) == 1:
            return self.fix(assign, adm, coord, part[0])
        allowed, adm = set(part), list(adm)
        units = []
        for gi, pos in self.groups_of[coord]:
            rows = [t for t in adm[gi] if t[pos] in allowed]
            if not rows:
                return None
            adm[gi] = rows
            if len(rows) == 1:
                units.append(gi)
        state: tuple[Assign, list[list[tuple]]] | None = (assign, adm)
        for gi in units:  # a group left with one tuple fixes all its coordinates
            for c, v in zip(self.gcoords[gi], adm[gi][0]):
                if state is None:
                    return None
                if c not in state[0]:
                    state = self.fix(*state, c, v)
        return state

    def values(self, adm: list[list[tuple]], coord: str) -> list[Hashable]:
        sets = [{t[pos] for t in adm[gi]} for gi, pos in self.groups_of[coord]]
        if coord.startswith("lang:"):
            return sorted(set.intersection(*sets), key=repr)
        return sorted(set.intersection(*sets))  # type: ignore[type-var]

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
        own = self.group_index[gi]
        cone = sorted({i for d in own for i in self.cones[d]})
        unfixed = [self.names[i] for i in cone if self.names[i] not in assign]
        if not unfixed or not self.boxes:  # complex weights, int:P: points only
            if unfixed:
                raise _Need(unfixed[0])
            return self._consecution_at_point(assign, a, gi, new_lang, cone)
        drive = sorted({i for d in own for i in self.drives[d]})
        box = self.box(assign, adm, drive)
        key = (a, gi, tuple(box[i] for i in drive))
        hit = self.step_memo.get(key)
        if hit is None:
            try:
                hit = self._drive(box, a, own)
            except NonFiniteValue as err:
                return f"{group.dims}: a value is not finite on {self.lang.alphabet[a]} ({err})"
            self.step_memo[key] = hit
        if isinstance(hit, str):
            raise _Need(hit)
        for t in adm[gi]:  # every tuple still allowed here: map its dims through the drive
            nxt = self._next_dims(hit, t[len(group.components):])
            if (*new_lang, *nxt) not in group.tuples:
                nc = len(group.components)
                shown = [*_names(self.lang, group.components, t[:nc]), *map(str, t[nc:])]
                return (f"group {[*group.components, *group.dims]} on '{self.lang.alphabet[a]}' "
                        f"from {_show(assign, self.lang)} and {shown}: goes to "
                        f"{[*_names(self.lang, group.components, new_lang), *map(str, nxt)]}, "
                        "not in the group")
        for d, drive_values in zip(own, hit):
            if len(drive_values) == 2:
                self.gates[d].add(drive_values[0])
        return None

    def _drive(self, box: list, a: int, own: Sequence[int]) -> tuple[tuple, ...] | str:
        """Gate and input (a state) or value (a lag buffer) of each dim in ``own`` on the box, as
        points; or the name of the coordinate to split when one of them is not a point."""
        needed = self.needed.get(tuple(own))
        if needed is None:
            targets = {r for d in own for r in self.next_regs[d]}
            needed = self.needed[tuple(own)] = affine.needed_for(self.m, targets)
        regs, deps = affine.registers(self.m, box, self.tokens[a], integral=self.integral,
                                      needed=needed)
        out, moving = [], set()
        for d in own:
            ends = [regs[r] for r in self.next_regs[d]]
            if any(lo != hi for lo, hi in ends):
                moving |= {i for r in self.next_regs[d] for i in deps[r]}
            out.append(tuple(lo for lo, _ in ends))
        return self._widest(moving, box) if moving else tuple(out)

    def _next_dims(self, drive: tuple[tuple, ...], values: Sequence) -> tuple:
        rnd = self.rnd
        return tuple(rnd(rnd(p[0] * v) + p[1]) if len(p) == 2 else p[0]
                     for p, v in zip(drive, values))

    def _widest(self, coords: set[int], box: list) -> str:
        """Of the coordinates that can still move a value, the one spanning the most values."""
        return self.names[max(sorted(coords), key=lambda i: self.spread.get(i, 0))]

    def _consecution_at_point(self, assign: Assign, a: int, gi: int, new_lang: tuple,
                              cone: list[int]) -> str | None:
        group = self.rel.groups[gi]
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
                    self.gates[self.index[d]].add(rec.gates[d])
            self.step_memo[key] = hit
        if (*new_lang, *hit) in group.tuples:
            return None
        return (f"group {[*group.components, *group.dims]} on '{self.lang.alphabet[a]}' from "
                f"{_show(assign, self.lang)}: goes to "
                f"{[*_names(self.lang, group.components, new_lang), *map(str, hit)]}, "
                "not in the group")

    def box(self, assign: Assign, adm: list[list[tuple]], coords: Sequence[int]) -> list:
        """The filler configuration as points, with ``coords`` as their value or hull."""
        box = [(v, v) for v in self.filler]
        self.spread, self.integral = {}, set()
        for i in coords:
            n = self.names[i]
            if n in assign:
                box[i] = (assign[n], assign[n])
            else:
                values = self.values(adm, n)
                box[i] = (values[0], values[-1])
                self.spread[i] = len(values)
                if all(type(v) is int for v in values):
                    self.integral.add(i)
        return box

    def readout(self, assign: Assign, adm: list[list[tuple]], a: int) -> str | None:
        get = self.getter(assign)
        if not self.lang.live_after(get, a):
            return None
        want = self.labels(lambda c: self.lang.next_value(get, a, c))
        cone = sorted(self.readout_cone)
        if not self.boxes:
            for i in cone:
                if self.names[i] not in assign:
                    raise _Need(self.names[i])
        box = self.box(assign, adm, cone)
        key = (a, tuple(box[i] for i in cone))
        got = self.box_memo.get(key)
        if got is None:
            try:
                regs, deps = affine.registers(self.m, box, self.tokens[a],
                                              integral=self.integral, needed=self.readout_regs)
            except NonFiniteValue as err:
                return f"readout on '{self.lang.alphabet[a]}': not finite ({err})"
            out = [regs[r] for r, _, _ in self.m.readouts]
            moving = {i for (r, _, _), (lo, hi) in zip(self.m.readouts, out)
                      if lo <= 0 < hi for i in deps[r]}
            got = self._widest(moving, box) if moving else tuple(lo > 0 for lo, _ in out)
            self.box_memo[key] = got
        if isinstance(got, str):
            raise _Need(got)
        if got != want:
            return (f"readout after '{self.lang.alphabet[a]}' from {_show(assign, self.lang)}: decisions "
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
                return self.beyond(state, config, word[:t])
        return None

    def spell(self, word: Sequence[int]) -> tuple[str, ...]:
        return tuple(self.lang.alphabet[a] for a in word)

    def search(self, budget: int, oracle: Language | None
               ) -> tuple[bool | None, tuple[str, ...] | None, str | None, str]:
        """Breadth-first from BOS: the shortest word with a wrong decision or a state outside I."""
        m, lang = self.m, self.lang
        config, decision = m.step(m.start(), 0)
        start = (lang.initial(), config)
        if decision != self.labels(dict(zip(lang.components, start[0])).__getitem__):
            return False, (), _wrong_symbol(self, decision, start[0]), "the SSM is wrong on ε"
        seen, queue = {start}, deque([(start, ())])
        while queue and len(seen) < budget:  # words as symbol indices
            (state, config), word = queue.popleft()
            for a in range(len(lang.alphabet)):
                nxt = lang.step(state, a)
                if nxt is None:
                    continue
                w = self.spell((*word, a))
                try:
                    c2, dec = m.step(config, self.tokens[a])
                except NonFiniteValue:
                    return False, w, None, "a value is not finite on this word"
                if dec != self.labels(dict(zip(lang.components, nxt)).__getitem__):
                    return False, w, _wrong_symbol(self, dec, nxt), \
                        f"the SSM is wrong after {' '.join(w)} (shortest; replay with `run`)"
                if not self.inside(nxt, c2):
                    return self.beyond(nxt, c2, (*word, a), budget)
                if (nxt, c2) not in seen:
                    seen.add((nxt, c2))
                    queue.append(((nxt, c2), (*word, a)))
        return None, None, None, (f"no wrong decision and no state outside the relation among "
                                  f"{len(seen)} reachable states (search budget {budget}); the "
                                  "failing local check may concern unreachable states only")

    def beyond(self, state: tuple, config: tuple, word: Sequence[int],
               budget: int = SEARCH_BUDGET
               ) -> tuple[bool | None, tuple[str, ...] | None, str | None, str]:
        """The state after ``word`` is outside I: look on, breadth first from there, for a
        wrong decision (a recognizer with a broken register is right until the word ends)."""
        outside = f"the relation does not hold after the word [{' '.join(self.spell(word))}]"
        seen, queue = {(state, config)}, deque([((state, config), tuple(word))])
        while queue and len(seen) < budget:
            (state, config), w = queue.popleft()
            for a in range(len(self.lang.alphabet)):
                nxt = self.lang.step(state, a)
                if nxt is None:
                    continue
                try:
                    c2, dec = self.m.step(config, self.tokens[a])
                except NonFiniteValue:
                    return False, self.spell((*w, a)), None, "a value is not finite on this word"
                if dec != self.labels(dict(zip(self.lang.components, nxt)).__getitem__):
                    found = self.spell((*w, a))
                    return False, found, _wrong_symbol(self, dec, nxt), (
                        f"the SSM is wrong after [{' '.join(found)}] (replay with `run`); "
                        f"{outside}, and this is its shortest extension with a wrong decision")
                if (nxt, c2) not in seen:
                    seen.add((nxt, c2))
                    queue.append(((nxt, c2), (*w, a)))
        return None, None, None, (f"{outside} (the SSM decides right along it and on the "
                                  f"{len(seen)} states searched beyond it): fix the relation")

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


def _show(assign: Assign, lang: Factored) -> str:
    """The language components fixed at a leaf (the configuration follows from the relation),
    named as a relation file names them (a state by its shortest word)."""
    fixed = sorted((k[5:], v) for k, v in assign.items() if k.startswith("lang:"))
    named = _names(lang, tuple(c for c, _ in fixed), tuple(v for _, v in fixed))
    return "{" + ", ".join(f"{c}={v}" for (c, _), v in zip(fixed, named)) + "}"


def _names(lang: Factored, components: Sequence[str], values: Sequence[Hashable]) -> list[str]:
    """Values as a relation file names them; a word as ``[w 0]``."""
    out = []
    for c, v in zip(components, values):
        try:
            v = lang.to_name(c, v) if lang.to_name else v
        except ValueError:
            pass  # a state no word reaches keeps its index
        out.append(f"[{' '.join(v)}]" if isinstance(v, tuple) else str(v))
    return out


def _cones(m: Machine) -> tuple[list[frozenset[int]], frozenset[int], list[frozenset[int]],
                                list[tuple[int, ...]]]:
    """Per configuration coordinate, the coordinates its next value reads; and the readouts'.

    Mirrors :meth:`Machine._step` register by register: token embeddings read nothing, a lag
    destination reads its buffer, an affine output reads the union of its inputs, a state reads
    itself and its gate and input registers; a lag buffer's next value is its source register.
    Also, per coordinate, what its gate and input read (a state's own value enters only through
    ``a·h``) and the registers that make its next value: ``(gate, input)`` for a state,
    ``(source,)`` for a lag buffer.
    """
    deps: list[frozenset[int]] = [frozenset()] * m.nregs
    cones: list[frozenset[int]] = []
    drives: list[frozenset[int]] = []
    regs: list[tuple[int, ...]] = []
    lag_cones: list[frozenset[int]] = []
    lag_regs: list[tuple[int, ...]] = []
    pos, lagpos = 0, sum(len(p.state_regs) for p in m.plans)

    def affine(op: Sequence) -> None:
        for out, pairs, _ in op:
            deps[out] = frozenset(itertools.chain.from_iterable(deps[i] for i, _ in pairs))

    for plan in m.plans:
        for src, dst in zip(plan.lag_src, plan.lag_dst):
            deps[dst] = frozenset({lagpos})
            lag_cones.append(deps[src])
            lag_regs.append((src,))
            lagpos += 1
        for op in plan.pre:
            affine(op)
        affine(plan.gate)
        affine(plan.inp)
        for k, ((greg, _, _), (ireg, _, _), sreg) in enumerate(
                zip(plan.gate, plan.inp, plan.state_regs)):
            drives.append(deps[greg] | deps[ireg])
            regs.append((greg, ireg))
            deps[sreg] = frozenset({pos + k}) | drives[-1]
            cones.append(deps[sreg])
        pos += len(plan.state_regs)
        for op in plan.mlp:
            affine(op)
    readout = frozenset(itertools.chain.from_iterable(deps[i] for _, pairs, _ in m.readouts
                                                      for i, _ in pairs))
    # a lag buffer's next value is all computed: its drive is its whole cone
    return cones + lag_cones, readout, drives + lag_cones, regs + lag_regs
