"""Each algebra module's ``__all__`` lists exactly its public names (STYLE R6)."""

from __future__ import annotations

import types

import pytest

import ssmproof.algebra
from ssmproof.algebra import cascade, cubes, examples, holonomy, images, random_aperiodic, rules


@pytest.mark.parametrize(
    "module",
    [cascade, cubes, examples, holonomy, images, random_aperiodic, rules],
    ids=lambda m: m.__name__,
)
def test_all_lists_exactly_the_public_names_defined_here(module: types.ModuleType) -> None:
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module.__name__) == module.__name__
    }
    assert public <= set(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


def test_package_reexports() -> None:
    assert ssmproof.algebra.decompose is holonomy.decompose
    assert ssmproof.algebra.Cascade is cascade.Cascade
    assert all(hasattr(ssmproof.algebra, name) for name in ssmproof.algebra.__all__)
