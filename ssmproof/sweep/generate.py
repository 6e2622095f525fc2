"""Seeded random languages for sweeps and the scale-out benchmark, over 4 to 64 letters.

The testing kit's hypothesis strategy :func:`ssmproof.testing.strategies.dfas` draws DFAs inside
property tests; a benchmark needs the *same* set on every run, from a seed, and more letters than
its 26. This module builds on the kit's generator the same way:

- **aperiodic** (star-free): :func:`ssmproof.algebra.random_aperiodic.random_aperiodic_dfa` over
  a few base letters, then widened to ``k`` letters, each new letter acting as a copy of a base
  letter, as the identity, or as a reset to a random state. Widening keeps the monoid aperiodic:
  copies and the identity add no new maps, and a product that contains a reset is a constant map,
  which is idempotent. It can only refine the Nerode classes, so the DFA stays minimal.
- **periodic** (not star-free): an aperiodic DFA as above, plus one letter that permutes a drawn
  cycle of ``p`` states (``2 <= p <= 3``, the first of them accepting, the others rejecting) and
  fixes every other state — the kit's planted cycle. Membership of ``u·σⁿ`` then has least
  period ``p`` for ``u`` reaching the cycle's first state, so the language is not star-free.

Letters are named ``s0, s1, …``; every language is written as a JSON table spec by
:func:`write_specs`, so a sweep reads it like any other file.

Examples
--------
>>> d = random_language(seed=3, states=3, letters=5, periodic=False)
>>> d.alphabet, len(d.states)
(('s0', 's1', 's2', 's3', 's4'), 3)
>>> from ssmproof.lang import monoid
>>> monoid.classify(d).star_free, monoid.classify(random_language(3, 3, 5, periodic=True)).star_free
(True, False)
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Sequence

from ssmproof import atomic
from ssmproof.algebra.random_aperiodic import random_aperiodic_dfa
from ssmproof.lang.automaton import DFA

__all__ = ["random_language", "random_languages", "write_specs"]

_BASE_LETTERS = 2


def random_language(seed: int, states: int, letters: int, *, periodic: bool) -> DFA:
    """One random complete DFA over ``letters`` letters (deterministic in its arguments)."""
    if letters < _BASE_LETTERS + (1 if periodic else 0) or states < 2:
        raise ValueError("need states >= 2 and letters >= 2 (3 for a periodic language)")
    rng = random.Random(f"sweep:{seed}:{states}:{letters}:{periodic}")
    base = random_aperiodic_dfa(rng.randrange(2**32), states, _BASE_LETTERS)
    columns = [list(col) for col in zip(*base.delta, strict=True)]  # columns[a][q]
    accepting = set(base.accepting)
    wide = letters - (1 if periodic else 0)
    while len(columns) < wide:
        columns.append(_extra_letter(rng, columns[:_BASE_LETTERS], states))
    if periodic:
        cycle = rng.sample(range(states), rng.randint(2, min(3, states)))
        perm = list(range(states))
        for i, q in enumerate(cycle):
            perm[q] = cycle[(i + 1) % len(cycle)]
        columns.insert(rng.randrange(len(columns) + 1), perm)
        accepting = (accepting - set(cycle)) | {cycle[0]}
    delta = tuple(tuple(col[q] for col in columns) for q in range(states))
    kind = "periodic" if periodic else "aperiodic"
    return DFA(alphabet=tuple(f"s{i}" for i in range(letters)), states=base.states,
               start=base.start, accepting=frozenset(accepting), delta=delta,
               name=f"{kind}-{seed}-{states}x{letters}")


def _extra_letter(rng: random.Random, base: Sequence[list[int]], states: int) -> list[int]:
    how = rng.choice(("copy", "identity", "reset"))
    if how == "copy":
        return list(rng.choice(base))
    if how == "identity":
        return list(range(states))
    return [rng.randrange(states)] * states


def random_languages(count: int, *, seed: int = 0, states: tuple[int, int] = (2, 5),
                     letters: tuple[int, int] = (4, 64)) -> list[DFA]:
    """``count`` languages, alternately aperiodic and periodic, sizes uniform in the ranges."""
    rng = random.Random(f"sweep-set:{seed}")
    out = []
    for i in range(count):
        n, k = rng.randint(*states), rng.randint(*letters)
        out.append(random_language(rng.randrange(2**32), n, k, periodic=bool(i % 2)))
    return out


def write_specs(dfas: Sequence[DFA], folder: str) -> list[str]:
    """Write each DFA as a JSON table spec ``folder/NAME.json``; return the paths."""
    files = {}
    for d in dfas:
        spec = {"name": d.name, "alphabet": list(d.alphabet), "states": list(d.states),
                "start": d.states[d.start],
                "accepting": [d.states[q] for q in sorted(d.accepting)],
                "transitions": {d.states[q]: {d.alphabet[a]: d.states[t]
                                              for a, t in enumerate(row)}
                                for q, row in enumerate(d.delta)}}
        files[os.path.join(folder, f"{d.name}.json")] = json.dumps(spec, indent=1) + "\n"
    atomic.write_many(files)
    return list(files)
