"""The benchmark's languages: aperiodic ones are, periodic ones are not (checked by brute force)."""

from __future__ import annotations

import pytest

from ssmproof.lang import dfa as dfa_
from ssmproof.sweep.generate import random_language, random_languages, write_specs


def _monoid(d):
    """Every map q -> q·w, by closure under the letters (written apart from lang.monoid)."""
    n = len(d.states)
    letters = [tuple(d.delta[q][a] for q in range(n)) for a in range(len(d.alphabet))]
    seen = {tuple(range(n))}
    todo = list(seen)
    while todo:
        f = todo.pop()
        for g in letters:
            h = tuple(g[f[q]] for q in range(n))
            if h not in seen:
                seen.add(h)
                todo.append(h)
    return seen


def _aperiodic(maps):
    """x^m = x^(m+1) for some m, for every element (m <= number of states suffices)."""
    def power_stable(f):
        n = len(f)
        p = f
        for _ in range(n + 1):
            q = tuple(f[p[i]] for i in range(n))
            if q == p:
                return True
            p = q
        return False
    return all(power_stable(f) for f in maps)


@pytest.mark.parametrize("seed", range(12))
def test_aperiodic_languages_are_aperiodic_and_minimal_and_periodic_ones_are_not(seed):
    k = 4 + seed % 9
    a = random_language(seed, 2 + seed % 4, k, periodic=False)
    assert a.alphabet == tuple(f"s{i}" for i in range(k))
    assert _aperiodic(_monoid(a))
    assert len(dfa_.minimize(a).states) == len(a.states)  # widening kept it minimal
    p = random_language(seed, 2 + seed % 4, k, periodic=True)
    assert not _aperiodic(_monoid(p))


def test_the_set_is_seeded_alternates_kinds_and_spans_the_letter_range(tmp_path):
    first, again = random_languages(40, seed=5), random_languages(40, seed=5)
    assert first == again
    assert [d.name.split("-")[0] for d in first[:4]] == ["aperiodic", "periodic"] * 2
    letters = [len(d.alphabet) for d in first]
    assert min(letters) >= 4 and max(letters) <= 64 and max(letters) > 40
    paths = write_specs(first[:3], str(tmp_path))
    from ssmproof.lang import spec

    back = dfa_.from_spec(spec.load(paths[0]))
    assert dfa_.equivalent(back, first[0]) is None
