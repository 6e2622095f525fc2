"""How a word is written as text: the one syntax ``run --input``, ``--inputs`` files and
``simulate(ssm, "a b")`` share (DESIGN §7).
"""

from __future__ import annotations

from collections.abc import Sequence

from ssmproof.errors import SsmproofError

__all__ = ["parse_word"]


def parse_word(text: str, alphabet: Sequence[str], where: str = "--input") -> tuple[str, ...]:
    """Tokens separated by spaces; with single-character symbols the spaces may be omitted.

    Examples
    --------
    >>> parse_word("a b b", ("a", "b")), parse_word("abb", ("a", "b")), parse_word("", ("a",))
    (('a', 'b', 'b'), ('a', 'b', 'b'), ())
    """
    text = text.strip()
    if text in ("", '""', "ε"):
        return ()
    known = set(alphabet)
    parts = text.split()
    if len(parts) == 1 and parts[0] not in known and all(len(s) == 1 for s in alphabet):
        parts = list(parts[0])
    for p in parts:
        if p not in known:
            raise SsmproofError(f"{where}: symbol '{p}' is not in the alphabet {list(alphabet)}; "
                                "separate tokens by spaces and use only alphabet symbols")
    return tuple(parts)
