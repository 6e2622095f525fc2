"""Random words for bounded checks: uniform ones, and ones drawn *from* the language.

Uniform words over a sparse language (Dyck, anbn) are nearly all rejected within a few symbols,
so half the random budget goes to words of L: a walk that stays inside L's prefixes (live states)
for a uniformly chosen target length, then heads for acceptance along a shortest path where the
language can tell one (DFAs), or uses the language's own ``sample_member`` (counter languages).
Every draw comes from one seeded :class:`numpy.random.Generator`.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from ssmproof.lang.automaton import DFA, Language, distance_to_accept

__all__ = ["uniform_word", "language_word", "random_words"]


def uniform_word(rng: np.random.Generator, alphabet: tuple[str, ...], max_length: int
                 ) -> tuple[str, ...]:
    """Length uniform in [0, max_length], then symbols uniform and independent."""
    n = int(rng.integers(0, max_length + 1))
    return tuple(alphabet[i] for i in rng.integers(0, len(alphabet), size=n))


def language_word(rng: np.random.Generator, lang: Language, max_length: int,
                  dist: list[int | None] | None = None) -> tuple[str, ...]:
    """A word of L (or failing that a prefix of one), length about uniform in [0, max_length]."""
    sampler = getattr(lang, "sample_member", None)
    if sampler is not None and not isinstance(lang, DFA):
        return tuple(sampler(rng, max_length))
    target = int(rng.integers(0, max_length + 1))
    q: Hashable = lang.initial()
    word: list[str] = []
    while len(word) < max_length:
        done = len(word) >= target and lang.accepts_state(q)
        if done:
            break
        options = _options(lang, q, dist, heading_home=len(word) >= target)
        if not options:
            break
        a = options[int(rng.integers(0, len(options)))]
        q = lang.step(q, a)
        word.append(lang.alphabet[a])
    return tuple(word)


def _options(lang: Language, q: Hashable, dist: list[int | None] | None,
             heading_home: bool) -> list[int]:
    live = [a for a in range(len(lang.alphabet)) if lang.is_live(lang.step(q, a))]
    if not heading_home or dist is None:
        return live
    here = dist[q]  # type: ignore[index]
    closer = [a for a in live if (dist[lang.step(q, a)] or 0) < (here or 0)]  # type: ignore
    return closer or live


def random_words(lang: Language, count: int, max_length: int, seed: int
                 ) -> list[tuple[str, ...]]:
    """``count`` words: the first half uniform, the second half drawn from the language."""
    rng = np.random.default_rng(seed)
    dist = distance_to_accept(lang) if isinstance(lang, DFA) else None
    half = count // 2
    out = [uniform_word(rng, lang.alphabet, max_length) for _ in range(count - half)]
    out += [language_word(rng, lang, max_length, dist) for _ in range(half)]
    return out
