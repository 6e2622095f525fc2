"""``refute``: run u·wⁿ·v block by block until the SSM's configuration stops changing (DESIGN §5).

The argument (PAPER §3, Sarrof et al. 2024, Theorem 2 and Theorem 4 ⇒): with every gate a ≥ 0
and monotone rounding, each per-symbol map h ↦ rnd(rnd(a·h) + b) is nondecreasing, so at block
boundaries each layer's state follows a monotone orbit once the layers below it have settled; in
a finite format a monotone orbit is eventually constant. Once the whole configuration (every
state and every lag buffer) repeats at two consecutive block boundaries it is constant for every
larger n, and so is the SSM's answer on u·wⁿ·v — while the language's membership of u·wⁿ·v is
periodic with period p ≥ 2. One n past stabilisation is therefore answered wrongly.

Shortest first: before the argument, n = 0 … ``scan`` − 1 are run directly and the shortest word
the SSM gets wrong is returned (a plain run needs no argument, so this is sound in any format,
exact included, and says nothing when no such n is wrong).

What this module adds to the argument is *execution*: it runs the given SSM (any weights, any
depth, lag views and MLPs included) on the language's witness, checks a ≥ 0 on every gate it
actually meets, jumps over long one-dimensional orbits where that is provably sound
(:mod:`ssmproof.refute.orbit`, :mod:`ssmproof.sim.interval`), decides early where an invariant
box forces the answer although a slow counter is still moving (:mod:`ssmproof.refute.enclosure`),
picks the n, and re-checks the result by an independent path (a fresh
:func:`ssmproof.sim.run.run_word`, or for a long word a fresh block replay that jumps only where
it proves the jump itself, :mod:`ssmproof.refute.jump_replay`), compared with the DFA. Where
the argument does not apply it says why, as a value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Union

from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import DFA, Language
from ssmproof.lang.witness import Witness
from ssmproof.numerics.cyclotomic import is_complex
from ssmproof.numerics.formats import Format, FormatKind, NonFiniteValue, parse
from ssmproof.numerics.rounding import Value as Num
from ssmproof.refute import enclosure, jump_replay, orbit as orbits
from ssmproof.refute.enclosure import Invariant
from ssmproof.sim.interval import interval_block
from ssmproof.refute.report import MAX_SPELLED, LayerTrace, Refutation, Status
from ssmproof.sim.machine import Config, Decision, Machine
from ssmproof.sim.run import run_word
from ssmproof.ssm.program import EOS, SSM, Mode
from ssmproof.ssm.validate import check_same_alphabet
from ssmproof.verify.engine import Engine

__all__ = ["refute", "Witness", "DEFAULT_BLOCK_BUDGET", "REPLAY_LIMIT", "FINITE_FORMATS",
           "SCAN_BLOCKS"]

DEFAULT_BLOCK_BUDGET = 100_000
"""Blocks of w stepped one by one (jumps are free) before giving up with exit 3."""
REPLAY_LIMIT = 2_000_000
"""Most symbols the independent re-check steps one by one (its proved jumps are free); a word
it cannot replay within that is not reported as found."""
PLAIN_RUN = 10_000
"""Words up to this long are re-checked by a plain fresh run (``ssmproof run``'s path); longer
ones by the jumping block replay."""
SCAN_BLOCKS = 64
"""Small n tried one by one, shortest word first, before the stabilisation argument runs: an SSM
already wrong on a short u·wⁿ·v is reported with that word, in every format (exact included)."""
FINITE_FORMATS = ("bfloat16", "float16", "fixed:16.8", "float32")
"""Named when exact arithmetic does not settle: monotone finite formats, coarsest first."""
TIGHT_ROUNDS = 16
"""Hull rounds of the slower affine-form box, tried when the interval box decides nothing."""
WitnessLike = Union[Witness, Sequence[object], Mapping[str, object]]
"""A :class:`Witness`, a sequence (u, w, v, period) or a mapping with those keys."""
_WHY_EXACT = "in exact arithmetic this orbit never becomes constant, so the argument needs a " \
             "finite format (a monotone orbit on finitely many values stops)"


class _Overflow(Exception):
    def __init__(self, n: int, message: str) -> None:
        super().__init__(message)
        self.n = n


class _Stop(Exception):
    """The run ends without a word: the reason, the status and the furthest block."""

    def __init__(self, status: Status, reason: str, blocks: int,
                 suggest: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.status, self.reason, self.blocks, self.suggest = status, reason, blocks, suggest


# ---------------------------------------------------------------------------------- entry point
def refute(ssm: SSM, lang_or_spec: Language | str, *, fmt: str | Format = "exact",
           block_budget: int = DEFAULT_BLOCK_BUDGET, witness: WitnessLike | None = None,
           mode: Mode | str | None = None, replay_limit: int = REPLAY_LIMIT,
           jump: bool = True, scan: int = SCAN_BLOCKS, enclose: bool = True) -> Refutation:
    """Find a word on which a nonnegative-gated SSM errs on a language that is not star-free.

    Parameters
    ----------
    ssm : SSM
        Any construction (hand-written, random, compiled); its gates are checked as met.
    lang_or_spec : Language or str
        The language (a DFA, or a zoo name / spec file path).
    fmt : str or Format
        ``exact`` (the default: works when the orbits arrive, e.g. gates in {0, 1}) or a monotone
        finite format. ``int:P`` wraps around and is declined.
    block_budget : int
        Blocks of w stepped one at a time before the result is "not stabilised" (exit 3).
    witness : Witness, (u, w, v, p) or a mapping with those keys, optional
        Default: the witness of :func:`ssmproof.lang.monoid.classify`.
    mode : Mode or str, optional
        Judge the ``accept`` readout (recognize) or the predictions (predict: EOS first);
        default the construction's own mode.
    replay_limit : int
        Most symbols the independent re-check steps one by one; it jumps only over repeated
        configurations and straight runs that it proves exact itself.
    jump : bool
        Skip long one-dimensional orbits where that is provably sound (default). ``False`` steps
        every block — slower, and useful to cross-check the jumps.
    scan : int
        Try n = 0, 1, …, ``scan`` − 1 directly first and report the shortest word u·wⁿ·v (or
        prefix of it, in predict mode) that the SSM gets wrong; only when none is wrong does
        the stabilisation argument run. ``0`` goes straight to the argument.
    enclose : bool
        Also try, at blocks 0, 1, 3, 7, … (and after each jump), an invariant box
        (:mod:`ssmproof.refute.enclosure`): when one block maps a box around the configuration
        into itself and every configuration in it forces the same wrong answer, the error is
        reported at the next n the language disagrees with — before a slow counter settles.
        ``False`` keeps to waiting for the configuration to repeat.

    Returns
    -------
    Refutation
        ``status`` FOUND (exit 0), NOT_APPLICABLE (exit 1, with ``reason``) or NOT_STABILISED
        (exit 3, with the furthest block and, for exact arithmetic, formats to try).

    Raises
    ------
    SsmproofError
        Bad input: alphabets that differ, a malformed witness, an unknown spec.

    Examples
    --------
    A nonnegative attempt at PARITY (a counter of 1s read through an MLP that can only tell
    0 from "some") fails on u·wⁿ·v = 1ⁿ:

    >>> from ssmproof.lang import zoo
    >>> from ssmproof.ssm.program import SSM, Layer, Mode, ONE, default_embedding, tok
    >>> latch = Layer("L1", ("L1.seen",), gate={"L1.seen": {ONE: 1, tok("1"): -1}},
    ...               input={"L1.seen": {tok("1"): 1}}, export=("L1.seen",))
    >>> ssm = SSM("seen_a_one", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")),
    ...           (latch,), accept={ONE: 1, "L1.seen": -1})
    >>> r = refute(ssm, zoo.parity(), witness=((), ("1",), (), 2))
    >>> r.found, r.n, r.input, r.ssm_accepts, r.in_language
    (True, 2, ('1', '1'), False, True)

    Notes
    -----
    Cost: one simulator step per symbol of u, of every stepped block and of v, plus the re-check
    (one more run of the word, with its own proved jumps, stepping at most ``replay_limit``
    symbols). Not guaranteed: that a
    slowly settling SSM settles within ``block_budget``, or that its word is short enough to
    re-check — then the answer is exit 3, never a guess: a word that no independent run
    re-checked is never reported as found.

    References
    ----------
    Sarrof, Veitsman & Hahn, *The Expressive Capacity of State Space Models: A Formal Language
    Perspective*, NeurIPS 2024, arXiv 2405.17394v2, Theorem 2 and Theorem 4 (⇒).
    """
    fmt = parse(fmt)
    lang = _language(lang_or_spec)
    mode = Mode(mode or ssm.mode)
    base = Refutation(Status.NOT_APPLICABLE, str(fmt), lang.name)
    if not lang.regular:
        return replace(base, reason=f"'{lang.name}' is not regular: the argument needs a finite "
                                    "automaton's witness u·wⁿ·v with periodic membership")
    dfa = lang if isinstance(lang, DFA) else _materialise(lang)
    check_same_alphabet(ssm, dfa.alphabet, dfa.name, ssm.name)
    if mode is Mode.PREDICT and ssm.mode is not Mode.PREDICT:
        raise SsmproofError(f"{ssm.name}: mode: '{ssm.name}' is a recognizer (no `next` readouts); "
                            "judge it with mode recognize")
    if not fmt.monotone:
        return replace(base, reason=_non_monotone(fmt))
    wit = _witness(dfa, witness, lang.name)
    if isinstance(wit, str):
        return replace(base, reason=wit)
    return _Refuter(ssm, fmt, dfa, mode, wit, block_budget, replay_limit, jump, scan,
                    enclose).run(base)


def _non_monotone(fmt: Format) -> str:
    if fmt.kind is FormatKind.INT:
        return f"format {fmt} wraps around: rounding is not monotone"
    return f"format {fmt}: rounding is not monotone"


# ---------------------------------------------------------------------------------- inputs
def _language(lang_or_spec: Language | str) -> Language:
    if isinstance(lang_or_spec, Language):
        return lang_or_spec
    from ssmproof.lang import spec

    return spec.language_of(lang_or_spec)  # a path, a zoo name or automata-lib's DFA


def _materialise(lang: Language) -> DFA:
    from ssmproof.lang import dfa

    return dfa.from_language(lang)


def _witness(dfa: DFA, given: WitnessLike | None, name: str) -> Witness | str:
    """The witness to use — the given one (checked) or the monoid's — or why there is none."""
    if given is None:
        from ssmproof.lang import monoid

        cls = monoid.classify(dfa)
        if cls.star_free:
            return (f"'{name}' is star-free: nonnegative gates suffice for it (Sarrof et al. "
                    "2024, Theorem 4), so there is nothing to refute")
        if cls.witness is None:
            return (f"star-freeness of '{name}' is undecided: its transition monoid exceeds "
                    f"the budget ({monoid.MONOID_BUDGET:,} elements) and no periodic element was "
                    "met; pass a witness (u, w, v, p) explicitly")
        given = cls.witness
    wit = _coerce(given)
    _check_witness(dfa, wit)
    return wit


def _coerce(given: WitnessLike) -> Witness:
    if isinstance(given, Witness):
        return given
    parts: Sequence[object] = ()
    if isinstance(given, Mapping):
        parts = tuple(given.get(k) for k in ("u", "w", "v", "period"))
    elif isinstance(given, Sequence) and not isinstance(given, str) and len(given) == 4:
        parts = given
    words = [tuple(x) for x in parts[:3] if isinstance(x, Sequence) and not isinstance(x, str)]
    if len(words) != 3 or not isinstance(parts[3], int):
        raise SsmproofError(f"witness: {given!r} is not (u, w, v, period); give three lists of "
                            "symbols and an integer period")
    return Witness(*words, parts[3])


def _check_witness(dfa: DFA, wit: Witness) -> None:
    known = set(dfa.alphabet)
    bad = [s for s in (*wit.u, *wit.w, *wit.v) if s not in known]
    if bad:
        raise SsmproofError(f"witness: symbol '{bad[0]}' is not in {list(dfa.alphabet)}; use "
                            "symbols of the language's alphabet")
    cyc = _Cycle(dfa, wit.u, wit.w)
    members = [cyc.member(n, wit.v) for n in range(cyc.mu, cyc.mu + cyc.lam)]
    period = next(p for p in range(1, len(members) + 1)
                  if all(m == members[(i + p) % len(members)] for i, m in enumerate(members)))
    if period != wit.period or period < 2:
        raise SsmproofError(f"witness: membership of u·wⁿ·v in '{dfa.name}' has eventual least "
                            f"period {period}, not {wit.period}; a witness needs the true period "
                            "p ≥ 2 (take it from `ssmproof classify`)")


class _Cycle:
    """The DFA state after u·wⁿ for any n, through the cycle of w's action from u's state."""

    def __init__(self, dfa: DFA, u: Sequence[str], w: Sequence[str]) -> None:
        self.dfa, self.index = dfa, {s: i for i, s in enumerate(dfa.alphabet)}
        s = self.run_from(dfa.start, u)
        seen: dict[int, int] = {}
        self.seq: list[int] = []
        while s not in seen:
            seen[s] = len(self.seq)
            self.seq.append(s)
            s = self.run_from(s, w)
        self.mu, self.lam = seen[s], len(self.seq) - seen[s]

    def run_from(self, q: int, word: Sequence[str]) -> int:
        for s in word:
            q = self.dfa.delta[q][self.index[s]]
        return q

    def state(self, n: int) -> int:
        return self.seq[n] if n < len(self.seq) else self.seq[self.mu + (n - self.mu) % self.lam]

    def member(self, n: int, v: Sequence[str]) -> bool:
        return self.run_from(self.state(n), v) in self.dfa.accepting

    def window(self, start: int) -> range:
        """n from ``start`` covering one whole cycle of the DFA's states."""
        return range(start, max(start, self.mu) + self.lam)


# ---------------------------------------------------------------------------------- the run
class _Refuter:
    def __init__(self, ssm: SSM, fmt: Format, dfa: DFA, mode: Mode, wit: Witness,
                 budget: int, replay_limit: int, jump: bool, scan: int, enclose: bool) -> None:
        self.ssm, self.fmt, self.dfa, self.mode, self.wit = ssm, fmt, dfa, mode, wit
        self.budget, self.replay_limit, self.jump, self.scan = budget, replay_limit, jump, scan
        self.enclose = enclose
        self.forced: list[tuple[bool | None, ...]] = []  # the decisions the box forced
        self.m = Machine(ssm, fmt, observe_gates=True)
        self.engine = Engine(self.m, walk_only=True)  # walks the configuration (Machine or numpy)
        self.ids = {s: i + 1 for i, s in enumerate(ssm.alphabet)}
        self.tu, self.tw, self.tv = ([self.ids[s] for s in x] for x in (wit.u, wit.w, wit.v))
        self.cycle = _Cycle(dfa, wit.u, wit.w)
        self.slices, self.state_slices, self.lag_slices = _slices(self.m)
        self.changed = [0] * len(self.slices)
        self.how = ["stepped"] * len(self.slices)
        self.k = 0  # the furthest block boundary reached

    # --- driver -------------------------------------------------------------------------------
    def run(self, base: Refutation) -> Refutation:
        base = replace(base, u=self.wit.u, w=self.wit.w, v=self.wit.v, period=self.wit.period)
        try:
            try:
                result = self.shortest(base)
                if result is None:
                    k, config, box = self.stabilise()
                    result = self.judge(base, k, config) if box is None else \
                        self.judge_box(base, k, config, box)
            except _Overflow as err:
                self.check_gates(err.n)  # a negative gate met before the overflow comes first
                result = self.overflow(base, err)
        except _Stop as stop:
            layers = () if stop.status is Status.NOT_APPLICABLE else self.trace(None)
            return replace(base, status=stop.status, reason=stop.reason, blocks_run=self.k,
                           suggest_formats=stop.suggest, layers=layers)
        return self.recheck(result)

    def stabilise(self) -> tuple[int, Config, Invariant | None]:
        """Step blocks until the configuration repeats (box None) or an invariant box decides."""
        c = self.prefix()
        k, stepped, next_try, next_box = 0, 0, 2, 0
        prev: Config | None = None
        while True:
            if self.enclose and k >= next_box:
                box = self.decisive_box(prev, c, k)
                if box is not None:
                    return k, c, box
                next_box = 2 * k + 1
            c2 = self.block(c, k + 1)[0]
            if c2 == c:
                return k, c, None
            self.mark(c, c2, k + 1)
            prev, c, k, stepped = c, c2, k + 1, stepped + 1
            self.k = k
            if stepped >= self.budget:
                raise self.out_of_budget(prev, c, k)
            if (self.jump or self.m.exact) and k >= next_try:
                jumped = self.try_jump(prev, c, k)
                if jumped is not None:
                    c, k = jumped
                    self.k = k
                    next_try, next_box = k + 1, k
                else:
                    next_try = 2 * k

    def shortest(self, base: Refutation) -> Refutation | None:
        """The shortest wrong word among n < ``scan`` (then the judged order), or None.

        Every n is a plain run of u·wⁿ·v (one block more per n), so whatever it finds is an
        error of the SSM on that word whatever the orbits do later — no argument needed. Gates
        met on the way are checked as in the block run; an overflow is reported as there.
        """
        c, ds = self.walk(self.m.start(), [0, *self.tu], 0)
        d = ds[-1]
        self.check_gates(0)
        best: tuple[int, int, int, str, Decision, bool] | None = None
        lu, lw = len(self.tu), len(self.tw)
        for n in range(self.scan):
            if best is not None and lu + n * lw > best[0]:
                break
            if n:
                c, d = self.block(c, n)
            for j, symbol, decision, label in self.errors_along_v(c, d, n):
                length = lu + n * lw + j
                if best is None or length < best[0]:
                    best = (length, n, j, symbol, decision, label)
            self.k = n
        if best is None:
            return None
        _, n, j, symbol, decision, label = best
        r = self.found(base, None, n, j, symbol, decision, label)
        return replace(r, layers=(), notes=(f"found by running n = 0…{n} directly (shortest "
                                            "first); no stabilisation needed", *r.notes))

    def errors_along_v(self, c: Config, d: Decision, n: int
                       ) -> list[tuple[int, str, Decision, bool]]:
        """Wrong (position along v, symbol, decision, label) for u·wⁿ, in the judged order."""
        decisions = [d, *self.walk(c, self.tv, n)[1]]
        self.check_gates(n)
        out = []
        for j, symbol in self.candidates():
            label = self.wrong(n, j, symbol, decisions[j])
            if label is not None:
                out.append((j, symbol, decisions[j], label))
        return out

    # --- stepping -----------------------------------------------------------------------------
    def walk(self, c: Config, tokens: Sequence[int], n: int) -> tuple[Config, list[Decision]]:
        """``tokens`` from ``c`` through the reachability engine (:meth:`Engine.walk`: Machine's
        own step, or numpy where that is faster); an overflow is an error at n."""
        try:
            return self.engine.walk(c, tokens)
        except NonFiniteValue as err:
            raise _Overflow(n, str(err)) from None

    def prefix(self) -> Config:
        c = self.walk(self.m.start(), [0, *self.tu], 0)[0]
        self.check_gates(0)
        return c

    def block(self, c: Config, n: int) -> tuple[Config, Decision]:
        c, ds = self.walk(c, self.tw, n)
        self.check_gates(n)
        return c, ds[-1] if ds else ()

    def check_gates(self, n: int) -> None:
        """Stop at the first negative or complex gate met."""
        names = self.ssm.state_dims_list
        for i, values in enumerate(self.m.gate_values):
            odd = [a for a in values if is_complex(a)]
            bad = [] if odd else [a for a in values if a < 0]
            values.clear()
            if odd:
                raise _Stop(Status.NOT_APPLICABLE,
                            f"gate of {names[i]} is {odd[0]}, not real, on u·wⁿ·v (met by block "
                            f"{n}): a complex gate rotates the state (ζₚ has period p), so the "
                            "monotone-orbit argument needs every gate real and ≥ 0", n)
            if bad:
                raise _Stop(Status.NOT_APPLICABLE,
                            f"gate of {names[i]} is {min(bad)} < 0 on u·wⁿ·v (met by block {n}): "
                            "a negative gate can make the orbit oscillate (a = −1 has period 2), "
                            "so the argument needs every gate ≥ 0", n)

    def mark(self, c: Config, c2: Config, k: int) -> None:
        for i, idx in enumerate(self.slices):
            if any(c[j] != c2[j] for j in idx):
                self.changed[i] = k
                self.how[i] = "stepped"

    def out_of_budget(self, prev: Config, c: Config, k: int) -> _Stop:
        moving = next(i for i, idx in enumerate(self.slices)
                      if any(prev[j] != c[j] for j in idx))
        name = self.ssm.layers[moving].name
        coarser = tuple(f for f in FINITE_FORMATS if f != str(self.fmt))
        return _Stop(Status.NOT_STABILISED,
                     f"the configuration had not repeated after {k} blocks (block budget "
                     f"{self.budget} stepped blocks); layer {name} was still moving and no sound "
                     "jump applied; raise --block-budget or try a coarser format", k, coarser)

    # --- jumping ------------------------------------------------------------------------------
    def try_jump(self, prev: Config, c: Config, k: int) -> tuple[Config, int] | None:
        """Skip the lowest moving layer's orbit where sound (:mod:`.orbit`, :mod:`ssmproof.sim.interval`)."""
        if self.m.smooth:
            return None  # the interval check (sim.interval) knows ReLU/linear maps only: step
        found = self.lowest_orbits(prev, c, k)
        if found is None:
            return None
        layer, ends = found
        blocks = max(t for t, _ in ends.values())
        if not self.jump or blocks <= 1 or not self.upper_constant(c, layer, ends):
            return None
        jumped = list(c)
        for j, (_, fixed) in ends.items():
            jumped[j] = fixed
        self.changed[layer], self.how[layer] = k + blocks, "jumped"
        return tuple(jumped), k + blocks

    def lowest_orbits(self, prev: Config, c: Config, k: int
                      ) -> tuple[int, dict[int, tuple[int, Num]]] | None:
        """The lowest moving layer and, per state channel, (blocks to arrive, where) — or None.

        Every layer below it repeated from ``prev`` to ``c``, so it runs on its own (each
        channel iterates one fixed monotone block map) as long as its lag buffer does not move.
        """
        layer = next(i for i, idx in enumerate(self.slices) if any(prev[j] != c[j] for j in idx))
        if any(prev[j] != c[j] for j in self.lag_slices[layer]):
            return None
        try:
            steps = self.layer_steps(c, layer, k + 1)
            found = [self.channel_orbit(steps[j], c[j], layer, j)
                     for j in self.state_slices[layer]]
        except NonFiniteValue:
            return None
        ends = {j: (o.blocks, o.fixed) for j, o in zip(self.state_slices[layer], found)
                if o.blocks is not None and o.fixed is not None}
        return (layer, ends) if len(ends) == len(found) else None

    def layer_steps(self, c: Config, layer: int, n: int) -> dict[int, list[orbits.Step]]:
        """The (gate, input) pairs each of the layer's channels meets in one block from ``c``."""
        names = self.ssm.state_dims_list
        steps: dict[int, list[orbits.Step]] = {j: [] for j in self.state_slices[layer]}
        for t in self.tw:
            try:
                c, rec = self.m.trace_step(c, t)
            except NonFiniteValue as err:
                raise _Overflow(n, str(err)) from None
            for j in steps:
                steps[j].append((rec.gates[names[j]], rec.inputs[names[j]]))
        self.check_gates(n)
        return steps

    def channel_orbit(self, steps: list[orbits.Step], h: Num, layer: int, j: int
                      ) -> orbits.Orbit:
        if self.fmt.kind is FormatKind.EXACT:
            found = orbits.exact_orbit(steps, h)  # type: ignore[arg-type]
            if not found.arrives:
                name = self.ssm.state_dims_list[j]
                raise _Stop(Status.NOT_STABILISED,
                            f"channel {name} of layer {self.ssm.layers[layer].name}: "
                            f"{found.detail}; {_WHY_EXACT}", 0, FINITE_FORMATS)
            return found
        return orbits.finite_orbit(self.fmt, steps, h)  # type: ignore[arg-type]

    def upper_constant(self, c: Config, layer: int, ends: dict[int, tuple[int, Num]]) -> bool:
        """Whether every layer above stays exactly as it is while ``layer`` runs its orbits."""
        upper = [j for idx in self.slices[layer + 1:] for j in idx]
        if not upper:
            return True
        box = [(x, x) for x in c]
        for j, (_, fixed) in ends.items():
            box[j] = (min(c[j], fixed), max(c[j], fixed))
        try:
            out, least = interval_block(self.m, box, self.tw)
        except NonFiniteValue:
            return False
        return (least is None or least >= 0) and all(out[j] == (c[j], c[j]) for j in upper)

    # --- judging ------------------------------------------------------------------------------
    def judge(self, base: Refutation, n_stable: int, c: Config) -> Refutation:
        """Pick n > N and a position whose answer is wrong; the SSM's answers there are fixed."""
        n0 = n_stable + 1
        decisions = [self.block(c, n0)[1], *self.walk(c, self.tv, n0)[1]]
        self.check_gates(n0)
        for j, symbol in self.candidates():
            for n in self.cycle.window(n0):
                hit = self.wrong(n, j, symbol, decisions[j])
                if hit is not None:
                    return self.found(base, n_stable, n, j, symbol, decisions[j], hit)
        raise _Stop(Status.NOT_STABILISED, "internal error: no n in a whole period disagrees "
                    "with the stabilised answer; please report this with the SSM file", n0)

    def decisive_box(self, prev: Config | None, c: Config, k: int) -> Invariant | None:
        """An invariant box at block k (:mod:`.enclosure`) that forces a wrong answer, or None.

        The lowest moving layer's channels start as [value, orbit end] when those ends are
        known (a monotone orbit stays between them), which keeps the readers' boxes finite.
        """
        if self.m.exact or self.m.smooth:
            return None  # enclosures (sim.interval, refute.affine) know ReLU/linear maps only
        start = {}
        found = self.lowest_orbits(prev, c, k) if prev is not None and prev != c else None
        for j, (_, end) in (found[1] if found else {}).items():
            start[j] = (min(c[j], end), max(c[j], end))
        for tight, rounds in ((False, enclosure.ROUNDS), (True, TIGHT_ROUNDS)):
            box = enclosure.invariant_box(self.m, c, self.tw, start=start, tight=tight,
                                          rounds=rounds)
            if box is None:
                continue
            try:
                forced = enclosure.box_decisions(self.m, box, self.tw, self.tv, tight=tight)
            except NonFiniteValue:
                continue
            if self.box_error(forced, k) is not None:
                self.forced = forced
                return box
        return None

    def box_error(self, forced: list[tuple[bool | None, ...]], k: int
                  ) -> tuple[int, int, str] | None:
        """(n, j, symbol): the first candidate whose forced decision the language contradicts."""
        for j, symbol in self.candidates():
            got = forced[j][-1 if symbol == EOS else self.ssm.alphabet.index(symbol)]
            if got is None:
                continue
            for n in self.cycle.window(k + 1):
                q = self.cycle.run_from(self.cycle.state(n), self.wit.v[:j])
                if self.mode is Mode.PREDICT and q not in self.dfa.live:
                    continue
                label = q in self.dfa.accepting if symbol == EOS else \
                    self.dfa.delta[q][self.cycle.index[symbol]] in self.dfa.live
                if label != got:
                    return n, j, symbol
        return None

    def judge_box(self, base: Refutation, k: int, c: Config, inv: Invariant) -> Refutation:
        """Run from block k to the n the box picked; the run's own decision is what is reported."""
        n, j, symbol = self.box_error(self.forced, k)  # type: ignore[misc]
        d: Decision = ()
        for i in range(k + 1, n + 1):
            c, d = self.block(c, i)
        if j:
            c, ds = self.walk(c, self.tv[:j], n)
            d = ds[-1]
        self.check_gates(n)
        hit = self.wrong(n, j, symbol, d)
        if hit is None:
            raise _Stop(Status.NOT_STABILISED, "internal error: the run disagrees with the "
                        "decision the invariant box forced; please report this with the SSM "
                        "file", n)
        r = self.found(base, None, n, j, symbol, d, hit)
        width = sum(hi != lo for lo, hi in inv.box)
        grid = sum(q != -math.inf for (lo, hi), q in zip(inv.box, inv.quanta) if lo != hi)
        on_grid = f", {grid} of them on a proved power-of-two grid" if grid else ""
        return replace(r, layers=self.trace(None), notes=(
            f"decided by an invariant box from block {k}: one block maps it into itself "
            f"({width} of {len(inv.box)} values are intervals{on_grid}), and every configuration "
            f"in it gives this answer, so every n > {k} is answered the same", *r.notes))

    def candidates(self) -> list[tuple[int, str]]:
        """Positions j along v and the decision judged: EOS at the end first (DESIGN §7)."""
        end = len(self.tv)
        if self.mode is Mode.RECOGNIZE:
            return [(end, EOS)]
        eos = [(j, EOS) for j in range(end, -1, -1)]
        return eos + [(j, s) for j in range(end, -1, -1) for s in self.ssm.alphabet]

    def wrong(self, n: int, j: int, symbol: str, decision: Decision) -> bool | None:
        """The language's label when it differs from the SSM's, else None (or not judged)."""
        q = self.cycle.run_from(self.cycle.state(n), self.wit.v[:j])
        if self.mode is Mode.PREDICT and q not in self.dfa.live:
            return None
        if symbol == EOS:
            label = q in self.dfa.accepting
            got = decision[-1]
        else:
            label = self.dfa.delta[q][self.cycle.index[symbol]] in self.dfa.live
            got = decision[self.ssm.alphabet.index(symbol)]
        return label if label != got else None

    def found(self, base: Refutation, n_stable: int | None, n: int, j: int, symbol: str,
              decision: Decision, label: bool) -> Refutation:
        v = self.wit.v[:j]
        length = len(self.wit.u) + n * len(self.wit.w) + len(v)
        word = self.wit.u + self.wit.w * n + v if length <= MAX_SPELLED else None
        member = self.cycle.run_from(self.cycle.state(n), v) in self.dfa.accepting
        predictive = self.mode is Mode.PREDICT
        return replace(base, status=Status.FOUND, reason=None, v=v, n=n, input=word,
                       length=length, ssm_accepts=decision[-1], in_language=member,
                       wrong_symbol=symbol if predictive else None,
                       ssm_allows=(not label) if predictive and symbol != EOS else None,
                       stabilised_at=n_stable, blocks_run=n, layers=self.trace(n_stable),
                       notes=self.notes())

    def overflow(self, base: Refutation, err: _Overflow) -> Refutation:
        n = err.n
        length = len(self.wit.u) + n * len(self.wit.w) + len(self.wit.v)
        word = self.wit.u + self.wit.w * n + self.wit.v if length <= MAX_SPELLED else None
        return replace(base, status=Status.FOUND, n=n, input=word, length=length,
                       ssm_accepts=None, in_language=self.cycle.member(n, self.wit.v),
                       non_finite=str(err), blocks_run=n, layers=self.trace(None),
                       notes=(*self.notes(), "the SSM's computation on this word is not finite "
                              "(an overflow is a wrong answer, as in `verify`)"))

    def trace(self, n_stable: int | None) -> tuple[LayerTrace, ...]:
        """Per layer, the block from which it is constant. Without stabilisation only the lowest
        layers that did not change in the last block are known constant (they run autonomously)."""
        out, settled = [], True
        for layer, changed, how in zip(self.ssm.layers, self.changed, self.how):
            settled = settled and (n_stable is not None or changed < self.k)
            out.append(LayerTrace(layer.name, changed if settled else None, how))
        return tuple(out)

    def notes(self) -> tuple[str, ...]:
        saturated = sorted({f.where for f in self.m.findings if f.kind == "saturated"})
        if not saturated:
            return ()
        return (f"saturated on the way (fixed-point clamping): {', '.join(saturated[:5])}",)

    # --- the independent re-check -------------------------------------------------------------
    def recheck(self, r: Refutation) -> Refutation:
        """Run the word again by another path and compare both answers with the DFA."""
        if r.length is None or r.n is None:
            return r
        plain = r.input is not None and r.length <= PLAIN_RUN
        rerun = self.rerun_word(r) if plain else self.replay(r)
        if rerun is None:
            return replace(r, status=Status.NOT_STABILISED,
                           recheck=f"not re-run: the replay stepped {self.replay_limit} symbols "
                                   "(the replay limit) without a proved jump to the end",
                           reason=f"the argument points at n = {r.n} ({r.length} symbols), but "
                                  "the independent replay would step more than the replay limit "
                                  f"({self.replay_limit} symbols) to re-check it, so it is not "
                                  "reported as found; raise --replay-limit to re-check it")
        how, final, allows = rerun
        member, label = self.dfa_labels(r)
        if r.non_finite:
            ok = final is None and member == r.in_language
        elif r.wrong_symbol in (None, EOS):
            ok = final == r.ssm_accepts and member == r.in_language and final != member
        else:
            ok = final == r.ssm_accepts and member == r.in_language and \
                allows == r.ssm_allows and label == (not allows)
        if not ok:
            return replace(r, status=Status.NOT_STABILISED, recheck=f"{how}: DISAGREES",
                           reason="internal error: the independent re-check disagrees with the "
                                  f"block run ({how}: SSM {final}/{allows}, DFA {member}/{label}); "
                                  "please report this with the SSM file")
        return replace(r, recheck=f"{how} and the DFA agree")

    def rerun_word(self, r: Refutation) -> tuple[str, bool | None, bool | None]:
        """A fresh machine runs the spelled-out word from scratch (``ssmproof run``'s path)."""
        res = run_word(Machine(self.ssm, self.fmt), r.input)  # type: ignore[arg-type]
        if res.error:
            return "run_word (overflow reproduced)", None, None
        allows = None
        if res.allowed_next is not None and r.wrong_symbol not in (None, EOS):
            allows = r.wrong_symbol in res.allowed_next[-1]
        return "run_word", res.accepts, allows

    def replay(self, r: Refutation) -> tuple[str, bool | None, bool | None] | None:
        """A fresh machine steps BOS, u, n blocks of w and v, jumping only where it proves the
        jump itself (:mod:`ssmproof.refute.jump_replay`: a repeated configuration, or a
        straight run every rounding of which is exact); None past the replay limit."""
        m = Machine(self.ssm, self.fmt)
        try:
            done = jump_replay.replay_blocks(m, self.tu, self.tw, r.n, [self.ids[s] for s in r.v],
                                             step_budget=self.replay_limit)
        except NonFiniteValue:
            return "block replay (overflow reproduced)", None, None
        if done is None:
            return None
        allows = None
        d = done.decision
        if r.wrong_symbol not in (None, EOS):
            allows = d[self.ssm.alphabet.index(r.wrong_symbol)]  # type: ignore[arg-type]
        jumps = "" if not done.blocks_jumped else (
            f", {done.blocks_jumped} blocks jumped by {done.repeats} repeat(s) and "
            f"{done.straight} exact straight run(s)")
        return f"block replay ({done.stepped} symbols stepped{jumps})", d[-1], allows

    def dfa_labels(self, r: Refutation) -> tuple[bool, bool | None]:
        """Membership (and the judged symbol's label) by stepping the DFA symbol by symbol, the
        n blocks through their own cycle (:func:`_after_blocks`, not the refuter's ``_Cycle``)."""
        dfa, index = self.dfa, self.cycle.index
        q = dfa.start
        for s in r.u:
            q = dfa.delta[q][index[s]]
        q = _after_blocks(dfa, q, [index[s] for s in r.w], r.n)  # type: ignore[arg-type]
        for s in r.v:
            q = dfa.delta[q][index[s]]
        label = None
        if r.wrong_symbol not in (None, EOS):
            label = dfa.delta[q][index[r.wrong_symbol]] in dfa.live  # type: ignore[index]
        return q in dfa.accepting, label


def _after_blocks(dfa: DFA, q: int, w: list[int], n: int) -> int:
    """The DFA's state after n blocks of w from q. The block map is a function on finitely many
    states, so its orbit from q repeats within |Q| blocks; n is reduced modulo that cycle
    instead of stepping 2^53 blocks one by one."""
    seen: dict[int, int] = {}
    j = 0
    while j < n:
        if q in seen:
            period = j - seen[q]
            for _ in range((n - j) % period):
                q = _block(dfa, q, w)
            return q
        seen[q] = j
        q = _block(dfa, q, w)
        j += 1
    return q


def _block(dfa: DFA, q: int, w: list[int]) -> int:
    for a in w:
        q = dfa.delta[q][a]
    return q


def _slices(m: Machine) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]],
                                 list[tuple[int, ...]]]:
    """Per layer: config indices of its states and lag buffer, of its states, of its lag."""
    both, states, lags = [], [], []
    pos, lagpos = 0, len(m.init)
    for plan in m.plans:
        s = tuple(range(pos, pos + len(plan.state_regs)))
        g = tuple(range(lagpos, lagpos + len(plan.lag_src)))
        both.append(s + g)
        states.append(s)
        lags.append(g)
        pos, lagpos = pos + len(s), lagpos + len(g)
    return both, states, lags
