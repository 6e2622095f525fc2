"""The least predictor search, checked against answers it does not compute itself.

- Unrestricted machines: the least number is 1 + K + … + K^(H−1) for Dyck(K,H), proved by hand
  in docs/dyck-memory.md (and by its brute-force table), and never more than the live states of
  the minimal DFA (which is itself a predictor).
- Every machine returned is replayed here on every live prefix up to a length, with this file's
  own Mealy-readout check, and its counter-freeness is re-checked by the aperiodicity identity
  x^n = x^(n+1) over its transition monoid (a different test from the search's cycle test).
- Counter-free machines: none predicts parity (a non-star-free language) at any size tried; and
  the toolkit's own nonnegative SSMs, proved by ``verify``, reach at least as many
  configurations as the least counter-free predictor — the bound the module claims.
"""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings

from ssmproof.lang import dfa as dfa_
from ssmproof.lang import spec, zoo
from ssmproof.lang.least_predictor import Predictor, least_predictor, live_table
from ssmproof.recipes import RECIPES
from tests.lang.dfa_strategies import dfas


def dyck(k: int, h: int):
    return spec.to_language(spec.resolve(f"dyck:{k},{h}"))


def replay(lang, p: Predictor, length: int) -> None:
    """Walk every live prefix up to ``length`` through the machine; each (configuration, token)
    must always be followed by the same allowed set, and the language state must be a member."""
    m = len(lang.alphabet)

    def allowed(q) -> frozenset:
        out = {a for a in range(m) if lang.is_live(lang.step(q, a))}
        return frozenset(out | ({"EOS"} if lang.accepts_state(q) else set()))

    answers: dict[tuple[int, int], frozenset] = {}
    frontier = [(0, lang.initial())]
    for _ in range(length):
        nxt = []
        for c, q in frontier:
            assert q in p.members[c]
            for a in range(m):
                t = lang.step(q, a)
                if not lang.is_live(t):
                    continue
                assert answers.setdefault((c, a), allowed(t)) == allowed(t)
                nxt.append((p.step[(c, a)], t))
        frontier = list(set(nxt))


def aperiodic(p: Predictor, m: int) -> bool:
    """x^n = x^(n+1) for every x of the transition monoid (n = number of points)."""
    sink = p.configs
    gens = [tuple(p.step.get((c, a), sink) for c in range(p.configs)) + (sink,)
            for a in range(m)]
    n = p.configs + 1
    seen, queue = set(gens), deque(gens)
    while queue:
        f = queue.popleft()
        power = f
        for _ in range(n - 1):
            power = tuple(f[i] for i in power)
        if tuple(f[i] for i in power) != power:
            return False
        for g in gens:
            h = tuple(g[i] for i in f)
            if h not in seen:
                seen.add(h)
                queue.append(h)
    return True


@pytest.mark.parametrize("k,h", [(1, 3), (2, 1), (2, 2), (2, 3), (3, 2)])
def test_unrestricted_least_is_the_stacks_below_the_top(k: int, h: int) -> None:
    p = least_predictor(dyck(k, h), max_configs=30, counter_free=False)
    assert p is not None and p.configs == sum(k**i for i in range(h))
    replay(dyck(k, h), p, 2 * h + 2)


@pytest.mark.parametrize("k,h,least", [(1, 3, 4), (2, 1, 1), (2, 2, 5), (3, 2, 5)])
def test_counter_free_least_is_checked_independently(k: int, h: int, least: int) -> None:
    lang = dyck(k, h)
    p = least_predictor(lang, max_configs=least)
    assert p is not None and p.configs == least
    replay(lang, p, 2 * h + 2)
    assert aperiodic(p, len(lang.alphabet))
    # one fewer: none (the search with max one less finds nothing)
    assert least_predictor(lang, max_configs=least - 1) is None


def test_nothing_counter_free_predicts_parity() -> None:
    parity = zoo.parity()
    assert least_predictor(parity, max_configs=2, counter_free=False).configs == 2
    assert least_predictor(parity, max_configs=6) is None


@pytest.mark.parametrize("k,h", [(1, 3), (2, 2), (3, 2)])
def test_the_bound_holds_for_the_toolkits_own_dyck_predictors(k: int, h: int) -> None:
    from ssmproof.verify.api import verify

    least = least_predictor(dyck(k, h), max_configs=10)
    for recipe in ("dyck-clearing", "dyck-two-layer"):
        cert = verify(RECIPES[recipe].build({"K": k, "H": h}), dyck(k, h), prove=True)
        assert cert.holds and cert.all_lengths
        assert cert.configurations >= least.configs


@settings(max_examples=30, deadline=None)
@given(dfas(max_states=4, max_symbols=2))
def test_random_languages(d) -> None:
    d = dfa_.minimize(d)
    if not d.is_live(d.start):
        with pytest.raises(ValueError, match="empty"):
            live_table(d)
        return
    live = len(live_table(d).states)
    free = least_predictor(d, max_configs=live, counter_free=False)
    assert free is not None and free.configs <= live
    replay(d, free, 6)
    cf = least_predictor(d, max_configs=live + 2)
    if cf is not None:
        assert cf.configs >= free.configs
        replay(d, cf, 6)
        assert aperiodic(cf, len(d.alphabet))
