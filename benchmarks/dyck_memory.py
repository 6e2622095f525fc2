"""Memory of the bounded-Dyck constructions, measured on the emitted SSMs → docs/dyck-memory.md.

For each (K, H) and each predictive recipe — ``dyck-clearing`` (what ``compile dyck:K,H --mode
predict`` gives) and ``dyck-two-layer`` (PAPER Theorem 6 as written, stale groups kept) — build
the construction, prove it in exact arithmetic with the real verifier, and report

- state dims of the construction;
- bits = log₂(configurations reached by ``prove``) — what the SSM actually stores;
- the lower bound log₂(live states of the minimal DFA) − 1 as DESIGN §4 states it, the minimal
  DFA being materialised from the zoo language and minimised by ``ssmproof.lang.dfa``, and the
  ratio bits / bound;
- the true lower bound for predicting Dyck, log₂(1 + K + … + K^(H−1)) (the stacks below the
  top depth), with the two facts behind it checked here by brute force on small sizes: those
  stacks are pairwise distinguishable, and every stack of depth H can share a configuration with
  one of them (``incompatible_pairs``, ``merged_cover``); and a stateless SSM predicting
  Dyck(2,1), proved, which stores less than the DESIGN bound;
- which (K, H) of 2 ≤ K ≤ 8, 1 ≤ H ≤ 12 meet bits ≤ 1.1 × the DESIGN bound with
  ``dyck-clearing``, whose configurations are exactly the live stacks (the invariant relation
  maps each stack to one configuration; the slow test proves it on that whole grid);
- the least configurations of any predictor and of a counter-free one (every nonnegative-gated
  SSM's configuration machine is counter-free), by ``ssmproof.lang.least_predictor``, against
  the 1.1× budget;
- for K ≥ 2, the unit counts of Hewitt et al. (2020): LSTM H(3⌈log₂K⌉ − 1) and Simple RNN
  2H(3⌈log₂K⌉ − 1).

Run: ``python benchmarks/dyck_memory.py [--output docs/dyck-memory.md] [--cases K,H ...]
[--bound-cases K,H ...] [--least-cases K,H ...]``. Wall times go to stdout only, so the written
page is reproducible byte for byte. ``--cases``, ``--bound-cases`` and ``--least-cases`` replace
the sizes of the three tables (default: those
of the docs page; (8, 10) is listed but never proved); a few small sizes are a quick run, written
elsewhere than the docs page.
"""

from __future__ import annotations

import argparse
import math
import time

import itertools

from ssmproof import atomic
from ssmproof.lang import dfa as dfa_
from ssmproof.lang import spec
from ssmproof.lang.least_predictor import least_predictor
from ssmproof.recipes import RECIPES, dyck
from ssmproof.ssm.program import BOS, EOS, SSM, Mode, default_embedding, tok
from ssmproof.verify.api import verify

CASES = [(1, 1), (1, 4), (2, 2), (2, 3), (2, 10), (3, 4), (4, 6), (5, 3), (8, 3)]
NOT_PROVED = [(8, 10)]  # the paper's experiment size: out of reach of enumeration
VARIANTS = ("dyck-clearing", "dyck-two-layer")
BOUND_CASES = [(1, 3), (2, 1), (2, 2), (2, 3), (3, 2), (3, 3), (4, 2)]
LEAST_CASES = [(1, 3), (2, 1), (2, 2), (3, 2), (2, 3)]  # (2, 3): about a minute of search


def live_states(k: int, h: int) -> int:
    lang = spec.to_language(spec.resolve(f"dyck:{k},{h}"))
    minimal = dfa_.minimize(dfa_.from_language(lang))
    return len(minimal.live)


def below_top(k: int, h: int) -> int:
    """1 + K + … + K^(H−1): the stacks of depth < H."""
    return sum(k**i for i in range(h))


def live_count(k: int, h: int) -> int:
    """1 + K + … + K^H: every stack (the live states of Dyck(K,H))."""
    return below_top(k, h + 1)


# --- the Dyck lower bound, checked by brute force on small sizes -------------------------------
Stack = tuple[int, ...]


def _stacks(k: int, h: int) -> list[Stack]:
    return [s for d in range(h + 1) for s in itertools.product(range(k), repeat=d)]


def _step(s: Stack, sym: tuple[str, int], h: int) -> Stack | None:
    kind, t = sym
    if kind == "(":
        return (*s, t) if len(s) < h else None
    return s[:-1] if s and s[-1] == t else None


def _allowed(s: Stack, k: int, h: int) -> frozenset:
    syms = [("(", t) for t in range(k)] + [(")", t) for t in range(k)]
    return frozenset([x for x in syms if _step(s, x, h) is not None] + (["EOS"] if not s else []))


def incompatible_pairs(k: int, h: int) -> set[frozenset[Stack]]:
    """Pairs of stacks no correct predictor may give one configuration.

    Two prefixes with one configuration make the same decisions after every common non-empty
    continuation (the decision after the prefix itself also reads its last token, which may
    differ). Decisions are constrained only on prefixes of words of L, so two stacks must be
    told apart iff some symbol keeps both live and the allowed sets then differ, or the two
    successors must be told apart: the greatest fixed point below, over the stacks themselves.
    """
    stacks = _stacks(k, h)
    syms = [("(", t) for t in range(k)] + [(")", t) for t in range(k)]
    bad: set[frozenset[Stack]] = set()
    changed = True
    while changed:
        changed = False
        for s, r in itertools.combinations(stacks, 2):
            pair = frozenset((s, r))
            if pair in bad:
                continue
            for x in syms:
                a, b = _step(s, x, h), _step(r, x, h)
                if a is None or b is None:
                    continue
                if _allowed(a, k, h) != _allowed(b, k, h) or frozenset((a, b)) in bad:
                    bad.add(pair)
                    changed = True
                    break
    return bad


def merged_cover(k: int, h: int) -> list[list[Stack]]:
    """Classes of stacks that may share a configuration, one per stack of depth < H.

    A stack s·k of depth H goes with s when s's top is not k (s, with another top, has no common
    live symbol with it); the stacks x·t·t go, for each top t, one each to ε and to the stacks
    of depth 1 … H − 2 whose top is not t — exactly as many places as such stacks.
    """
    classes: dict[Stack, list[Stack]] = {s: [s] for s in _stacks(k, h - 1)}
    pending: dict[int, list[Stack]] = {t: [] for t in range(k)}
    for s in itertools.product(range(k), repeat=h):
        if h >= 2 and s[-2] == s[-1]:
            pending[s[-1]].append(s)
        else:
            classes[s[:-1]].append(s)
    for t, deep in pending.items() if h >= 2 else ():
        places = [()] + [s for s in _stacks(k, h - 2) if s and s[-1] != t]
        if len(places) != len(deep):
            raise SystemExit(f"dyck:{k},{h}: {len(deep)} stacks for {len(places)} places")
        for place, s in zip(places, deep):
            classes[place].append(s)
    return list(classes.values())


def check_bound(k: int, h: int) -> str:
    """Both halves of the Dyck bound on one size, by brute force; a line for the page."""
    bad = incompatible_pairs(k, h)
    shallow = _stacks(k, h - 1)
    if any(frozenset(p) not in bad for p in itertools.combinations(shallow, 2)):
        raise SystemExit(f"dyck:{k},{h}: two stacks of depth < H are not told apart")
    cover = merged_cover(k, h)
    if sorted(s for c in cover for s in c) != sorted(_stacks(k, h)) or any(
            frozenset(p) in bad for c in cover for p in itertools.combinations(c, 2)):
        raise SystemExit(f"dyck:{k},{h}: the merged cover is wrong")
    return (f"| ({k}, {h}) | {len(_stacks(k, h))} | {len(bad)} | {len(shallow)} | "
            f"{len(cover)} |")


def least_row(k: int, h: int) -> tuple[str, float]:
    """The least predictors of Dyck(K,H), any machine and counter-free, against the 1.1× budget."""
    lang = spec.to_language(spec.resolve(f"dyck:{k},{h}"))
    t0 = time.perf_counter()
    free = least_predictor(lang, max_configs=below_top(k, h), counter_free=False)
    live = live_count(k, h)
    counter_free = least_predictor(lang, max_configs=live)
    took = time.perf_counter() - t0
    if free is None or free.configs != below_top(k, h) or counter_free is None:
        raise SystemExit(f"dyck:{k},{h}: the least predictors disagree with the Dyck bound")
    bound = math.log2(live) - 1
    budget = math.floor(2 ** (1.1 * bound) + 1e-9)
    ratio = f"{math.log2(counter_free.configs) / bound:.2f}" if bound > 0 else "—"
    verdict = "possible" if counter_free.configs <= budget else "**impossible**"
    return (f"| ({k}, {h}) | {live} | {free.configs} | {counter_free.configs} | {ratio} | "
            f"{budget} | {verdict} |"), took


def stateless_dyck_2_1() -> SSM:
    """Dyck(2,1) predicted from the current token alone: no state, one configuration."""
    alphabet = dyck.alphabet(2)
    after_close = {tok(BOS): 1, tok(")"): 1, tok("]"): 1}
    nxt = {"(": after_close, "[": after_close, ")": {tok("("): 1}, "]": {tok("["): 1},
           EOS: after_close}
    return SSM("dyck_2_1_stateless", Mode.PREDICT, alphabet, default_embedding(alphabet), (),
               next=nxt)


def meets_grid() -> list[str]:
    """Per K (rows) and H (columns): dyck-clearing's bits over the DESIGN bound, and whether the
    Dyck bound itself would allow 1.1× (``*`` where it would not)."""
    lines = ["| K \\ H | " + " | ".join(str(h) for h in range(1, 13)) + " |",
             "| --- |" + " --- |" * 12]
    for k in range(2, 9):
        cells = []
        for h in range(1, 13):
            live = live_count(k, h)
            bound = math.log2(live) - 1
            ratio = math.log2(live) / bound
            star = "" if math.log2(below_top(k, h)) <= 1.1 * bound else "*"
            cell = f"{ratio:.4f}{star}"
            cells.append(f"**{cell}**" if ratio <= 1.1 else cell)
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return lines


def hewitt(k: int, h: int) -> tuple[str, str]:
    if k < 2:
        return "—", "—"
    units = 3 * math.ceil(math.log2(k)) - 1
    return str(h * units), str(2 * h * units)


def row(k: int, h: int, recipe: str, prove: bool) -> tuple[list[str], float]:
    ssm = RECIPES[recipe].build({"K": k, "H": h})
    lstm, srnn = hewitt(k, h)
    head = [f"({k}, {h})", f"`{recipe}`", str(ssm.state_dims)]
    if not prove:
        return head + ["not run", "—", "—", "—", "—", lstm, srnn], 0.0
    lang = spec.to_language(spec.resolve(f"dyck:{k},{h}"))
    t0 = time.perf_counter()
    cert = verify(ssm, lang, prove=True)
    took = time.perf_counter() - t0
    if not (cert.holds and cert.all_lengths):
        raise SystemExit(f"dyck:{k},{h} ({recipe}): did not prove: {cert.summary()}")
    live = live_states(k, h)
    bits, bound = math.log2(cert.configurations), math.log2(live) - 1
    ratio = f"{bits / bound:.2f}" if bound > 0 else "—"
    return head + [f"{bits:.2f}", f"{bound:.2f}", ratio, f"{math.log2(below_top(k, h)):.2f}",
                   f"{cert.configurations} / {live}", lstm, srnn], took


HEADER = """# Memory of the bounded-Dyck constructions

Generated by `python benchmarks/dyck_memory.py` from the two predictive recipes (PAPER §2
Theorem 6); do not edit by hand. `ssmproof compile dyck:K,H --mode predict` gives
`dyck-clearing`; `dyck-two-layer` (the theorem as written) stays available with
`--recipe dyck-two-layer`.

- **state dims**: 1 + H·⌈log₂K⌉ (one depth counter, H groups of ⌈log₂K⌉ set/reset bits) for both.
- **bits**: log₂ of the configurations `prove` reached (exact arithmetic, the proof closed).
- **DESIGN bound**: log₂(live states of the minimal DFA) − 1, the bound DESIGN §4 states; the
  ratio bits / bound is the issue's target (≤ 1.1). It is **not** a lower bound for predictive
  modelling — see "Which sizes can meet 1.1×" below.
- **Dyck bound**: log₂(1 + K + … + K^(H−1)), the least any correct predictor of Dyck(K,H) can
  store (proved below).
- **configs / live**: the two counts behind those columns. `dyck-two-layer` reaches
  (H + 1)·K^H configurations: groups above the current depth keep stale types, which costs about
  log₂(H + 1) bits and is never read. `dyck-clearing` resets a group to zero at the closing
  bracket that leaves it, so groups above the depth are always zero and the configuration is
  exactly the stack: 1 + K + … + K^H.
- **Hewitt LSTM / SRNN**: hidden units of the constructions of Hewitt et al. (2020),
  H(3⌈log₂K⌉ − 1) and 2H(3⌈log₂K⌉ − 1), for K ≥ 2 (units, not bits; both are Θ(H log K)).

| (K, H) | recipe | state dims | bits | DESIGN bound | bits / bound | Dyck bound | configs / live | Hewitt LSTM | Hewitt SRNN |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
"""

FOOTER = """
(8, 10) is the size of the paper's Dyck experiment: `dyck-clearing` reaches 1 + 8 + … + 8¹⁰
= 1,227,133,513 configurations (30.19 bits against a DESIGN bound of 29.19: ratio 1.03) and
`dyck-two-layer` 11·8¹⁰ ≈ 1.2·10¹⁰, too many for `prove` to enumerate. Both are proved for all
lengths by `verify --invariant` instead (docs/verification.md), whose relation for
`dyck-clearing` gives each stack exactly one configuration — so its reachable configurations
are exactly the live stacks at every size the invariant proves (the slow test: the whole grid
below).

## Which sizes can meet 1.1×

**What a configuration must tell apart.** The decisions at a position read the configuration
*and the current token*; after a common non-empty continuation, two prefixes with one
configuration make the same decisions. In predictive modelling decisions are constrained only
on prefixes of words of L, so two stacks s, s′ must get different configurations exactly when
some symbol keeps both live and then the allowed sets differ, or the two successors must differ
(a greatest fixed point: `incompatible_pairs`). For Dyck(K,H) this gives, for K ≥ 1:

1. *Two different stacks of depth < H must differ.* Append `(` (live for both), then `)`: both
   are back, after a non-empty continuation, so their allowed sets must agree: same top (or both
   empty). Pop that top (live for both) and repeat; the shorter stack empties first, and then
   EOS is allowed after one and not the other. So **configurations ≥ 1 + K + … + K^(H−1)**.
2. *A stack of depth H need not differ from a shorter stack with another top, nor from ε*: an
   opening bracket kills the deep one, its closing bracket kills the other, no symbol keeps both
   live. `merged_cover` places every stack of depth H beside one stack of depth < H this way
   (s·k with s when s's top is not k; the stacks x·t·t, for each t, one each with ε and the
   stacks of depth 1 … H − 2 whose top is not t — exactly enough places), and the prefixes in one
   class end on different tokens, so their current decisions may differ too.

So the least number of configurations of a correct predictor, as a finite machine, is exactly
1 + K + … + K^(H−1): log₂ of it is the *Dyck bound*. The DESIGN bound assumes that one
configuration serves at most two DFA states; here it serves up to K + 1. The smallest witness is
**Dyck(2,1) predicted with no state at all**: the allowed set after `(` is `)`, after `[` is `]`,
after BOS, `)` or `]` it is `(`, `[`, EOS — a function of the current token. `prove` checks it
for all lengths with 1 configuration (0 bits), against a DESIGN bound of log₂3 − 1 = 0.58 bits.
Both facts are checked by brute force here:

| (K, H) | stacks | pairs told apart | stacks of depth < H (pairwise apart) | classes of the merged cover |
| --- | --- | --- | --- | --- |
"""

GRID = """
**`dyck-clearing` against 1.1×.** Its configurations are the stacks, L = 1 + K + … + K^H, so its
ratio to the DESIGN bound is log₂L / (log₂L − 1) ≤ 1.1 exactly when log₂L ≥ 11, i.e. L ≥ 2048.
Any construction in which different stacks get different configurations (every register
encoding that stores the stack, `dyck-two-layer` included) has at least L configurations and the
same ratio at best, so for L < 2048 no such encoding meets 1.1× — (2, 10) has L = 2047 and misses
by 0.0007 (ratio 1.1001). In the grid, **bold** = met (log₂L ≥ 11); every other cell is over 1.1
for every stack-storing encoding. A construction sharing configurations as in (2) could go
lower: at the Dyck bound the ratio would be log₂(1 + … + K^(H−1)) / (log₂L − 1), which is
under 1.1 in every cell of this grid (a `*` would mark a cell where even that misses; there is
none). No such SSM is built here (its configuration would have to hide whether the depth is H),
so for the cells not in bold 1.1× is ruled out for stack-storing encodings, not for SSMs in
general, and no construction here reaches it. For nonnegative-gated SSMs the next section
rules it out at small sizes outright.

"""
LEAST = """
## What nonnegative gates add

The Dyck bound counts configurations of *any* finite machine. An SSM whose gates are
nonnegative is not any machine: its configuration machine is **counter-free** — no word sends a
configuration round a cycle of two or more. (A state dim's step h ↦ rnd(rnd(a·h) + b) with
a ≥ 0 keeps order, in exact arithmetic and in every format but `int:P`; along u·wⁿ each layer-1
dim therefore moves one way through finitely many values and stops, then layer 2 sees the same
inputs every block and stops too, and so on up, lag buffers included. A cycle would not stop.
It is the argument behind PARITY, PAPER §3.) So the Dyck bound need not be reachable with
nonnegative gates: below, at every size but (2, 1), every machine at the Dyck bound has a cycle.

`ssmproof.lang.least_predictor` finds the fewest configurations of a predictor for any
regular language by exhaustive search (configurations introduced in order; a configuration must
give one allowed set per token; with `counter_free` every element of the transition monoid is
checked): a lower bound on the configurations of **every nonnegative-gated SSM** that predicts
the language, exact or in any monotone format. `tests/lang/test_least_predictor.py` replays each
machine found on every live prefix and re-checks its counter-freeness by the identity
xⁿ = xⁿ⁺¹; the counts for any machine equal the Dyck bound proved above. The 1.1× budget is the
largest configuration count c with log₂c ≤ 1.1 × (log₂L − 1).

| (K, H) | live stacks L | least, any machine | least, counter-free | its bits / DESIGN bound | 1.1× budget | 1.1× for a nonnegative SSM |
| --- | --- | --- | --- | --- | --- | --- |
"""

LEAST_AFTER = """
So at (1, 3) and (2, 2) **no nonnegative-gated SSM of any kind** meets 1.1× of the DESIGN bound:
each needs more configurations than the budget allows. At (3, 2) and (2, 3) the counter-free
least is within budget — at (2, 3) only just (9 configurations against a budget of 9, where
`dyck-clearing` has 15): a nonnegative SSM meeting 1.1× there would have to realise a
counter-free machine that keeps some stacks of depth H in the same configurations as shorter
ones, as (layers of) monotone one-dimensional recurrences. No such SSM is built here: whether
one exists at (2, 3), and how the counter-free least grows with K and H, is open (the search is
exponential; larger sizes did not finish in minutes).
"""


def size(text: str) -> tuple[int, int]:
    """``K,H`` on the command line."""
    try:
        k, h = (int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give K,H (two integers)") from None
    return k, h


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output", default="docs/dyck-memory.md")
    p.add_argument("--cases", nargs="+", type=size, default=CASES + NOT_PROVED)
    p.add_argument("--bound-cases", nargs="+", type=size, default=BOUND_CASES)
    p.add_argument("--least-cases", nargs="+", type=size, default=LEAST_CASES)
    args = p.parse_args()
    lines = []
    for k, h in args.cases:
        for recipe in VARIANTS:
            cells, took = row(k, h, recipe, (k, h) not in NOT_PROVED)
            lines.append("| " + " | ".join(cells) + " |")
            print(f"dyck:{k},{h}: {' | '.join(cells)}   (prove {took:.2f} s)", flush=True)
    bound_rows = [check_bound(k, h) for k, h in args.bound_cases]
    least_rows = []
    for k, h in args.least_cases:
        line, took = least_row(k, h)
        least_rows.append(line)
        print(f"least predictors of dyck:{k},{h}: {line}   (search {took:.1f} s)", flush=True)
    stateless = verify(stateless_dyck_2_1(), spec.to_language(spec.resolve("dyck:2,1")),
                       prove=True)
    if not (stateless.holds and stateless.all_lengths and stateless.configurations == 1):
        raise SystemExit(f"the stateless Dyck(2,1) did not prove: {stateless.summary()}")
    atomic.write_text(args.output, HEADER + "\n".join(lines) + "\n" + FOOTER
                      + "\n".join(bound_rows) + "\n" + GRID + "\n".join(meets_grid()) + "\n"
                      + LEAST + "\n".join(least_rows) + "\n" + LEAST_AFTER)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
