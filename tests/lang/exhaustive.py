"""Every word up to a length, compared between a Language and an independent membership test.

The language side is vectorised: the words of length n are numbered in product order, and one
numpy gather per length maps every word to its state id (equal states are merged, so the
language's ``step`` runs once per distinct state and symbol). The membership side is either
called on every word, or — when the case has a regex and one-character symbols — Python's
``re`` scans all the words of a length at once, one word per line (same regex, every word).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Iterator, Sequence

import numpy as np

from ssmproof.lang.automaton import Language

Word = tuple[str, ...]


def language_levels(lang: Language, max_length: int) -> Iterator[np.ndarray]:
    """For n = 0..max_length: acceptance of every word of length n, in product order."""
    states: list[Hashable] = [lang.initial()]
    index = {states[0]: 0}
    ids = np.zeros(1, dtype=np.int32)
    table: list[list[int]] = []
    for n in range(max_length + 1):
        yield np.array([lang.accepts_state(s) for s in states], dtype=bool)[ids]
        if n == max_length:
            return
        for i in range(len(table), len(states)):  # extend the step table to new states
            row = []
            for a in range(len(lang.alphabet)):
                t = lang.step(states[i], a)
                if t not in index:
                    index[t] = len(states)
                    states.append(t)
                row.append(index[t])
            table.append(row)
        ids = np.asarray(table, dtype=np.int32)[ids].reshape(-1)


def _codes(alphabet: Sequence[str], n: int) -> np.ndarray:
    """All words of length n as rows of character codes, in product order."""
    k = len(alphabet)
    symbols = np.frombuffer("".join(alphabet).encode("ascii"), dtype=np.uint8)
    digits = (np.arange(k**n)[:, None] // k ** np.arange(n - 1, -1, -1)[None, :]) % k
    return symbols[digits]


def pattern_level(pattern: str, alphabet: Sequence[str], n: int) -> np.ndarray:
    """Membership of every word of length n under ``re.fullmatch(pattern)``, in product order."""
    out = np.zeros(len(alphabet) ** n, dtype=bool)
    if n == 0:
        out[0] = re.fullmatch(pattern, "") is not None
        return out
    head = max(0, n - 6)  # split on the first symbols so each block has at most k^6 words
    tail = _codes(alphabet, n - head)
    lines = np.full((tail.shape[0], n + 1), ord("\n"), dtype=np.uint8)
    lines[:, head:n] = tail
    scan = re.compile(rb"(?m)^(?:" + pattern.encode("ascii") + rb")$")
    for block, prefix in enumerate(_codes(alphabet, head)):
        lines[:, :head] = prefix
        starts = [m.start() for m in scan.finditer(lines.tobytes()[:-1])]  # no empty last line
        out[block * tail.shape[0] + np.asarray(starts, dtype=np.int64) // (n + 1)] = True
    return out


def member_level(member: Callable[[Word], bool], alphabet: Sequence[str], n: int) -> np.ndarray:
    """``member`` called on every word of length n, in product order."""
    words = itertools.product(alphabet, repeat=n)
    return np.fromiter((member(w) for w in words), dtype=bool, count=len(alphabet) ** n)


def first_disagreement(lang: Language, member: Callable[[Word], bool],
                       alphabet: Sequence[str], max_length: int,
                       pattern: str | None = None) -> Word | None:
    """The first word (shortlex) of length ≤ max_length on which the two disagree, or None.

    With ``pattern`` (and one-character symbols) the membership side is the regex instead of
    ``member``; a separate test checks that the two agree.
    """
    bulk = pattern is not None and all(len(a) == 1 and a.isalnum() for a in alphabet)
    for n, accepts in enumerate(language_levels(lang, max_length)):
        expected = (pattern_level(pattern, alphabet, n) if bulk  # type: ignore[arg-type]
                    else member_level(member, alphabet, n))
        bad = np.flatnonzero(expected != accepts)
        if bad.size:
            return next(itertools.islice(itertools.product(alphabet, repeat=n), int(bad[0]), None))
    return None
