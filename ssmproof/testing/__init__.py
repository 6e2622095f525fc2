"""Property-testing kit for constructions of one's own: strategies, assertions, a pytest plugin.

- :mod:`ssmproof.testing.strategies`: hypothesis strategies — :func:`words`, :func:`words_in`,
  :func:`words_not_in`, :func:`dfas`, :func:`ssms`.
- :mod:`ssmproof.testing.asserts`: :func:`assert_recognizes`, :func:`assert_predicts`,
  :func:`assert_proves`, failing with the shortest counterexample.
- :mod:`ssmproof.testing.plugin`: the pytest plugin (``--ssmproof-formats``, ``zoo_language``,
  ``ssmproof_format``), registered as the ``pytest11`` entry point ``ssmproof``.

Names are imported on first use, so that pytest loading the plugin does not import hypothesis
or the verifier; the kit itself needs hypothesis (the ``test`` extra).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = [
    "words", "words_in", "words_not_in", "dfas", "ssms",
    "assert_recognizes", "assert_predicts", "assert_proves", "PropertyReport",
]

_HOME = {
    "words": "strategies", "words_in": "strategies", "words_not_in": "strategies",
    "dfas": "strategies", "ssms": "strategies",
    "assert_recognizes": "asserts", "assert_predicts": "asserts", "assert_proves": "asserts",
    "PropertyReport": "asserts",
}

if TYPE_CHECKING:
    from ssmproof.testing.asserts import (
        PropertyReport,
        assert_predicts,
        assert_proves,
        assert_recognizes,
    )
    from ssmproof.testing.strategies import dfas, ssms, words, words_in, words_not_in


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'ssmproof.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ssmproof.testing.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
