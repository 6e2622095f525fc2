"""What the testing kit accepts as "a construction" and "a language", turned into objects.

Users hand the kit whatever they have: an :class:`~ssmproof.ssm.program.SSM` or the path of its
JSON, and a :class:`~ssmproof.lang.automaton.Language`, a spec object, a spec path or a zoo name.
Resolution is lazy (the spec loader is imported on first use) so that importing
``ssmproof.testing`` stays cheap.
"""

from __future__ import annotations

import os
from typing import Union

from ssmproof.errors import SsmproofError
from ssmproof.lang.automaton import Language
from ssmproof.ssm.program import SSM

__all__ = ["LanguageLike", "SSMLike", "as_language", "as_ssm"]

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

    return spec.language_of(language)  # a spec, a path, a zoo name or automata-lib's DFA


def as_ssm(ssm: SSMLike) -> SSM:
    """An :class:`SSM` from itself or from the path of its JSON file (validated on load)."""
    if isinstance(ssm, SSM):
        return ssm
    if isinstance(ssm, (str, os.PathLike)):
        from ssmproof.ssm import jsonio

        return jsonio.load(os.fspath(ssm))
    raise SsmproofError(f"construction: expected an SSM or the path of its JSON file, got "
                        f"{type(ssm).__name__}; pass ssmproof.ssm.jsonio.load(path) or the path")
