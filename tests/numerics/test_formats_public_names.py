"""Each numerics module's ``__all__`` lists exactly its public names (STYLE R6)."""

from __future__ import annotations

import types

import pytest

import ssmproof.numerics
from ssmproof.numerics import arrays, formats, rounding
from tests.public_names import assert_all_covers_public_names


@pytest.mark.parametrize("module", [formats, rounding, arrays], ids=lambda m: m.__name__)
def test_all_lists_exactly_the_public_names_defined_here(module: types.ModuleType) -> None:
    assert_all_covers_public_names(module)


def test_package_reexports_the_format_api() -> None:
    assert ssmproof.numerics.Format is formats.Format
    assert ssmproof.numerics.parse is formats.parse
    assert ssmproof.numerics.NonFiniteValue is formats.NonFiniteValue
    assert all(hasattr(ssmproof.numerics, name) for name in ssmproof.numerics.__all__)
