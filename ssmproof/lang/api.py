"""``ssmproof.load``: one call from a spec path or zoo name to a :class:`Language`."""

from __future__ import annotations

from ssmproof.lang import spec
from ssmproof.lang.automaton import Language

__all__ = ["load"]


def load(path_or_name: str) -> Language:
    """The language of a spec file (JSON/TOML) or a zoo name (``parity``, ``dyck:2,3``, ...).

    Examples
    --------
    >>> lang = load("dyck:1,2")
    >>> lang.accepts(["(", "(", ")", ")"]), lang.accepts(["(", "(", "(", ")", ")", ")"])
    (True, False)
    """
    return spec.to_language(spec.resolve(path_or_name))
