"""Each algebra module's ``__all__`` lists exactly its public names (STYLE R6)."""

from __future__ import annotations

import types

import pytest

import ssmproof.algebra
from ssmproof.algebra import cascade, cubes, examples, holonomy, images, random_aperiodic, rules
from tests.public_names import assert_all_covers_public_names


@pytest.mark.parametrize(
    "module",
    [cascade, cubes, examples, holonomy, images, random_aperiodic, rules],
    ids=lambda m: m.__name__,
)
def test_all_lists_exactly_the_public_names_defined_here(module: types.ModuleType) -> None:
    assert_all_covers_public_names(module)


def test_package_reexports() -> None:
    assert ssmproof.algebra.decompose is holonomy.decompose
    assert ssmproof.algebra.Cascade is cascade.Cascade
    assert all(hasattr(ssmproof.algebra, name) for name in ssmproof.algebra.__all__)
