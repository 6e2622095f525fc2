"""What the testing kit accepts as "a construction" and "a language", turned into objects.

Users hand the kit whatever they have: an :class:`~ssmproof.ssm.program.SSM` or the path of its
JSON, and a :class:`~ssmproof.lang.automaton.Language`, a spec object, a spec path or a zoo name.
Resolution is lazy (the spec loader is imported on first use) so that importing
``ssmproof.testing`` stays cheap.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Union

from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import Language
from ssmproof.ssm.program import SSM

__all__ = ["LanguageLike", "SSMLike", "as_language", "as_ssm", "aligned"]

LanguageLike = Union[Language, str, "os.PathLike[str]", object]
SSMLike = Union[SSM, str, "os.PathLike[str]"]


def as_language(language: LanguageLike) -> Language:
    """A :class:`Language` from a Language, a spec object, a spec path or a zoo name.

    Examples
    --------
    >>> from ssmproof.lang.automaton import DFA
    >>> d = DFA(("a",), ("q0",), 0, frozenset({0}), ((0,),), name="all")
    >>> as_language(d) is d
    True
    """
    if isinstance(language, Language):
        return language
    from ssmproof.lang import spec  # lazy: the spec loader is only needed for names and paths

    if isinstance(language, (str, os.PathLike)):
        return spec.to_language(spec.resolve(os.fspath(language)))
    return spec.to_language(language)  # type: ignore[arg-type]


def as_ssm(ssm: SSMLike) -> SSM:
    """An :class:`SSM` from itself or from the path of its JSON file (validated on load)."""
    if isinstance(ssm, SSM):
        return ssm
    if isinstance(ssm, (str, os.PathLike)):
        from ssmproof.ssm import jsonio

        return jsonio.load(os.fspath(ssm))
    raise SsmproofError(f"construction: expected an SSM or the path of its JSON file, got "
                        f"{type(ssm).__name__}; pass ssmproof.ssm.jsonio.load(path) or the path")


def aligned(ssm: SSM, lang: Language) -> SSM:
    """``ssm`` with its alphabet listed in the language's order (the verifier indexes by it).

    The simulator numbers tokens by the SSM's alphabet and the verifier by the language's, so a
    construction that lists ``b`` before ``a`` would be run on the wrong tokens. Reordering is
    harmless: embeddings and readouts are keyed by symbol name. A different *set* of symbols is
    an error naming both alphabets.
    """
    if tuple(ssm.alphabet) == tuple(lang.alphabet):
        return ssm
    if set(ssm.alphabet) != set(lang.alphabet):
        raise SsmproofError(
            f"{ssm.name}: alphabet: the construction reads {list(ssm.alphabet)} but "
            f"'{lang.name}' has {list(lang.alphabet)}; test it against a language over the same "
            "symbols")
    return dataclasses.replace(ssm, alphabet=tuple(lang.alphabet))
